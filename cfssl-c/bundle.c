/* cfssl bundle: a certificate with its chain to a root (cfssl-compat.md §12.11).
 *
 * Follows cfssl master's cli/bundle and bundler packages. What cfssl-c does
 * not do, and why:
 * - no AIA fetching of missing intermediates (no network): a chain must be
 *   completable from -int-bundle and the certificates after the leaf;
 * - -int-dir: cfssl stores the intermediates it downloaded, and those given
 *   after the leaf that completed the chain, there; cfssl-c does the latter
 *   (each file written atomically);
 * - -metadata (root store presence per platform) is ignored, as if the file
 *   were absent (cfssl ignores a file it cannot load, too); the status then
 *   carries cfssl's "No platform metadata present" message;
 * - -domain HOST:PORT dials that port (cfssl always dials port 443);
 * - PKCS #12 input (-password) fails with "not supported by cfssl-c yet";
 * - an empty -key file makes cfssl panic; cfssl-c reports 2002.
 * With -ca-bundle empty the system store is used, as Go's x509 does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "bundle.h"
#include "cli.h"
#include "fileio.h"
#include "keygen.h"
#include "log.h"
#include "ops.h"

/* BundleFromFile / the stdin branch of bundlerMain, then BundleFromPEMorDER. */
static int bundle_local(struct cfssl_ctx *ctx, const struct cf_bundler *b,
			enum cf_bundle_flavor flavor)
{
	const char *certf = ctx->flags[F_CERT].str, *keyf = ctx->flags[F_KEY].str;
	int from_stdin = strcmp(certf, "-") == 0;
	struct cf_buf cert = CF_BUF_INIT, keypem = CF_BUF_INIT;
	struct cf_error e = {0};
	int ret = -1;

	if (cf_read_file(certf, &cert, &e) < 0) {
		cf_error_set(ctx->err, from_stdin ? CF_ERR_PLAIN : CF_ERR_CERT_READ, "%s", e.msg);
		goto out;
	}
	if (*keyf) {
		if (cf_read_file(keyf, &keypem, &e) < 0) {
			cf_error_set(ctx->err, from_stdin ? CF_ERR_PLAIN : CF_ERR_KEY_READ, "%s",
				     e.msg);
			goto out;
		}
		if (!from_stdin && keypem.len == 0) {
			cf_error_set(ctx->err, CF_ERR_KEY_DECODE, "Failed to decode private key");
			goto out;
		}
	}
	struct cf_bundle_request r = {
		.cert = cert.data,
		.cert_len = cert.len,
		.key = keypem.data,
		.key_len = keypem.len,
		.flavor = flavor,
		.now = (int64_t)time(NULL),
	};
	if (cf_op_bundle(b, &r, ctx->out, ctx->err) < 0)
		goto out;
	ret = 0;
out:
	cf_buf_release(&cert);
	cf_buf_release(&keypem);
	return ret;
}

int cmd_bundle(struct cfssl_ctx *ctx)
{
	enum cf_bundle_flavor flavor = cf_bundle_flavor_parse(ctx->flags[F_FLAVOR].str);
	struct cf_bundler b = {0};
	int ret = -1;
	/* A forced bundle needs no stores: cfssl does not even read them. */
	b.stash_dir = ctx->flags[F_INT_DIR].str;
	if (flavor != CF_BUNDLE_FORCE &&
	    cf_bundler_load(ctx->flags[F_CA_BUNDLE].str, ctx->flags[F_INT_BUNDLE].str,
			    ctx->flags[F_INT_DIR].str, &b, ctx->err) < 0)
		goto out;
	if (*ctx->flags[F_CERT].str)
		ret = bundle_local(ctx, &b, flavor);
	else if (*ctx->flags[F_DOMAIN].str)
		ret = cf_op_bundle_remote(&b, ctx->flags[F_DOMAIN].str, ctx->flags[F_IP].str,
					  flavor, (int64_t)time(NULL), ctx->out, ctx->err);
	else
		ret = cf_error_set(ctx->err, CF_ERR_PLAIN,
				   "Must specify bundle target through -cert or -domain");
out:
	cf_bundler_release(&b);
	return ret;
}
