/* cfssl gencrl: a CRL from a list of serial numbers, signed by a CA (§12.8). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "cli.h"
#include "crl.h"
#include "fileio.h"
#include "keygen.h"
#include "log.h"
#include "pem.h"

#define ONE_WEEK (7LL * 24 * 3600)

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Reads the next positional argument's file, as cfssl pops and reads them one by one. */
static int read_arg(struct cfssl_ctx *ctx, int i, struct cf_buf *out)
{
	if (ctx->npos <= i)
		return cf_error_set(
			ctx->err, CF_ERR_PLAIN,
			"not enough arguments are supplied --- please refer to the usage");
	return cf_read_file(ctx->pos[i], out, ctx->err);
}

int cmd_gencrl(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	int ret = -1;
	struct cf_buf serials = CF_BUF_INIT, certpem = CF_BUF_INIT, keypem = CF_BUF_INIT,
		      der = CF_BUF_INIT;
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_privkey_t xkey = NULL;
	struct cf_key key = {0};
	struct cf_crl_entry *entries = NULL;
	size_t nentries = 0;
	char *time_arg = NULL;

	if (read_arg(ctx, 0, &serials) < 0 || read_arg(ctx, 1, &certpem) < 0 ||
	    read_arg(ctx, 2, &keypem) < 0)
		goto out;

	/* TIME is the number itself in master (1.2.0 read it from a file). */
	const char *t = ctx->npos > 3 ? ctx->pos[3] : "0";
	size_t tl = strlen(t);
	while (tl && is_space((unsigned char)t[tl - 1]))
		tl--;
	while (tl && is_space((unsigned char)*t)) {
		t++;
		tl--;
	}
	time_arg = cf_xmemdup(t, tl);
	long long secs;
	if (cf_crl_parse_int32(time_arg, &secs, err) < 0)
		goto out;
	int64_t now = (int64_t)time(NULL);
	int64_t next = now + (secs ? secs : ONE_WEEK);

	if (cf_parse_cert_pem(certpem.data, certpem.len, &crt, err) < 0)
		goto out;
	nentries = cf_crl_parse_serials((const char *)serials.data, serials.len, now, &entries);
	const char *password = getenv("CFSSL_CA_PK_PASSWORD");
	if (cf_parse_key_pem(keypem.data, keypem.len, password && *password ? password : NULL,
			     &xkey, err) < 0)
		goto out;
	int r = cf_key_from_x509(xkey, &key, err);
	xkey = NULL; /* taken */
	if (r < 0)
		goto out;

	struct cf_crl_params p = {
		.this_update = now,
		.next_update = next,
		.entries = entries,
		.nentries = nentries,
		.crl_number = 1, /* deviation 11 */
	};
	cf_debug("adding CRL Number %lld (deviation 11: cfssl writes none)", (long long)now);
	if (cf_crl_create(crt, &key, &p, &der, err) < 0)
		goto out;
	cf_base64_encode(ctx->out, der.data, der.len);
	cf_buf_addc(ctx->out, '\n');
	ret = 0;
out:
	free(time_arg);
	cf_crl_entries_free(entries, nentries);
	cf_key_release(&key);
	if (xkey)
		gnutls_x509_privkey_deinit(xkey);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	cf_buf_release(&serials);
	cf_buf_release(&certpem);
	cf_buf_release(&keypem);
	cf_buf_release(&der);
	return ret;
}
