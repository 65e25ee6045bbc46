/* cfssl ocsprefresh: new OCSP responses for the CA's unexpired certificates
 * into the certificate database (cfssl-serve.md §8.3; deviation 22: the
 * given CA's certificates only, so a database shared by several CAs can be
 * refreshed CA by CA). */
#include <string.h>

#include "certdb.h"
#include "cli.h"
#include "fileio.h"
#include "keygen.h"
#include "log.h"
#include "ops.h"
#include "pem.h"

#define SECOND_NS 1000000000LL

int cmd_ocsprefresh(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	if (!*f[F_DB_CONFIG].str)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "need DB config file (provide with -db-config)");
	if (!*f[F_RESPONDER].str)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "need responder certificate (provide with -responder)");
	if (!*f[F_RESPONDER_KEY].str)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "need responder key (provide with -responder-key)");
	if (!*f[F_CA].str)
		return cf_error_set(err, CF_ERR_PLAIN, "need CA certificate (provide with -ca)");

	int ret = -1;
	struct cf_certdb *db = NULL;
	struct cf_buf cadata = CF_BUF_INIT, rdata = CF_BUF_INIT, kdata = CF_BUF_INIT;
	gnutls_x509_crt_t ca = NULL, responder = NULL;
	gnutls_x509_privkey_t xkey = NULL;
	struct cf_key key = {0};
	struct cf_error kerr = {0};
	/* the signer first, as cfssl (ocsp.NewSignerFromFile) */
	if (cf_read_prefixed(f[F_CA].str, &cadata, err) < 0 ||
	    cf_read_file(f[F_RESPONDER].str, &rdata, err) < 0 ||
	    (cf_read_file(f[F_RESPONDER_KEY].str, &kdata, &kerr) < 0 &&
	     cf_error_set(err, CF_ERR_CERT_READ, "%s", kerr.msg) < 0) ||
	    cf_parse_cert_pem(cadata.data, cadata.len, &ca, err) < 0 ||
	    cf_parse_cert_pem(rdata.data, rdata.len, &responder, err) < 0 ||
	    cf_parse_key_pem(kdata.data, kdata.len, NULL, &xkey, err) < 0 ||
	    cf_key_from_x509(xkey, &key, err) < 0) {
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(err, msg, sizeof msg);
		cf_log(CF_LOG_CRITICAL, "Unable to create OCSP signer: %s", msg);
		goto out;
	}
	db = cf_certdb_open_file(f[F_DB_CONFIG].str, err);
	if (!db)
		goto out;
	struct cf_ocsprefresh_request r = {
		.ca = ca,
		.responder = responder,
		.key = &key,
		.interval = f[F_INTERVAL].dur / SECOND_NS,
	};
	ret = cf_op_ocsprefresh(db, &r, err);
out:
	cf_certdb_close(db);
	cf_key_release(&key);
	if (ca)
		gnutls_x509_crt_deinit(ca);
	if (responder)
		gnutls_x509_crt_deinit(responder);
	cf_buf_release(&cadata);
	cf_buf_release(&rdata);
	cf_buf_release(&kdata);
	return ret;
}
