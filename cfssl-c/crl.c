/* cfssl crl: a CRL from the certificate database (§12.9, cfssl-serve.md
 * §8.2; deviation 22: the given CA's certificates only). */
#include <stdlib.h>

#include "base64.h"
#include "certdb.h"
#include "cli.h"
#include "crl.h"
#include "keygen.h"
#include "log.h"
#include "ops.h"
#include "pem.h"

int cmd_crl(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	/* cfssl logs these three and prints an empty CRL line, exit 0 (§1.2, §16.1). */
	const char *missing = NULL;
	if (!*f[F_CA].str)
		missing = "need CA certificate (provide one with -ca)";
	else if (!*f[F_CA_KEY].str)
		missing = "need CA key (provide one with -ca-key)";
	else if (!*f[F_DB_CONFIG].str)
		missing = "no Database specified!";
	if (missing) {
		cf_errorlog("%s", missing);
		cf_buf_addc(ctx->out, '\n');
		return 0;
	}
	struct cf_certdb *db = cf_certdb_open_file(f[F_DB_CONFIG].str, err);
	if (!db)
		return -1;

	int ret = -1;
	struct cf_buf cadata = CF_BUF_INIT, keydata = CF_BUF_INIT;
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_privkey_t xkey = NULL;
	struct cf_key key = {0};
	struct cf_error kerr = {0};
	if (cf_read_prefixed(f[F_CA].str, &cadata, err) < 0)
		goto out;
	if (cf_read_prefixed(f[F_CA_KEY].str, &keydata, &kerr) < 0) {
		cf_error_set(err, CF_ERR_CERT_READ, "%s", kerr.msg);
		goto out;
	}
	if (cf_parse_cert_pem(cadata.data, cadata.len, &crt, err) < 0)
		goto out;
	const char *password = getenv("CFSSL_CA_PK_PASSWORD");
	if (cf_parse_key_pem(keydata.data, keydata.len, password && *password ? password : NULL,
			     &xkey, err) < 0)
		goto out;
	if (cf_key_from_x509(xkey, &key, err) < 0)
		goto out;
	struct cf_buf der = CF_BUF_INIT;
	if (cf_op_crl(db, crt, &key, f[F_EXPIRY].dur / 1000000000LL, &der, err) == 0) {
		/* one line of base64, as cfssl's PrintCRL */
		cf_base64_encode(ctx->out, der.data, der.len);
		cf_buf_addc(ctx->out, '\n');
		ret = 0;
	}
	cf_buf_release(&der);
out:
	cf_certdb_close(db);
	cf_key_release(&key);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	cf_buf_release(&cadata);
	cf_buf_release(&keydata);
	return ret;
}
