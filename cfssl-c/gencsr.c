/* cfssl gencsr: a CSR for an existing key, from a CSR JSON document or
 * from a certificate (§12.3). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csr.h"
#include "csrparse.h"
#include "gojson.h"
#include "keygen.h"
#include "log.h"
#include "pem.h"

/* The request for -cert: derived from the certificate as cfssl does. */
static int request_from_cert(const char *spec, struct cf_csr_request *req, struct cf_error *err)
{
	struct cf_buf data = CF_BUF_INIT;
	gnutls_x509_crt_t crt = NULL;
	int r = -1;
	if (cf_read_prefixed(spec, &data, err) == 0 &&
	    cf_parse_cert_pem(data.data, data.len, &crt, err) == 0)
		r = cf_csrparse_request_from_cert(crt, req, err);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	cf_buf_release(&data);
	return r;
}

static int request_from_json(struct cfssl_ctx *ctx, struct cf_csr_request *req)
{
	struct cf_error *err = ctx->err;
	if (ctx->npos < 1)
		return cf_error_set(
			err, CF_ERR_PLAIN,
			"not enough arguments are supplied --- please refer to the usage");
	if (ctx->npos > 1)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "only one argument is accepted, please check with usage");
	return cf_csr_request_load(ctx->pos[0], req, err);
}

int cmd_gencsr(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	if (!*f[F_KEY].str)
		return cf_error_set(
			err, CF_ERR_PLAIN,
			"private key file is required through '-key', please check with usage");

	int ret = -1;
	struct cf_buf keydata = CF_BUF_INIT, csr = CF_BUF_INIT;
	struct cf_key key = {0};
	struct cf_csr_request req = {0};
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;
	gnutls_x509_privkey_t xkey = NULL;

	/* gencsr never uses a password for its key (§4.4) */
	if (cf_read_prefixed(f[F_KEY].str, &keydata, err) < 0 ||
	    cf_parse_key_pem(keydata.data, keydata.len, NULL, &xkey, err) < 0 ||
	    cf_key_from_x509(xkey, &key, err) < 0)
		goto out;
	if (*f[F_CERT].str) {
		if (ctx->npos > 0) {
			cf_error_set(
				err, CF_ERR_PLAIN,
				"no argument is accepted with '-cert', please check with usage");
			goto out;
		}
		if (request_from_cert(f[F_CERT].str, &req, err) < 0)
			goto out;
	} else if (request_from_json(ctx, &req) < 0) {
		goto out;
	}
	if (*f[F_HOSTNAME].str)
		cf_csr_request_set_hostname(&req, f[F_HOSTNAME].str);
	if (cf_csr_hosts(&req, &hosts, &nhosts, err) < 0) {
		/* cfssl logs Go's error, then returns it as a CSR error */
		cf_errorlog("failed to generate a CSR: %s", err->msg);
		char msg[CF_ERROR_MSG_MAX];
		memcpy(msg, err->msg, sizeof msg);
		cf_error_clear(err);
		cf_error_set(err, CF_ERR_CSR_BAD, "%s", msg);
		goto out;
	}
	if (cf_csr_generate(&req, hosts, nhosts, &key, &csr, err) < 0) {
		/* csr.Generate hands the subject's Go error back unwrapped */
		if (err->code == CF_ERR_CSR_BAD)
			err->code = CF_ERR_PLAIN;
		goto out;
	}
	cf_info("encoded CSR");

	cf_buf_adds(ctx->out, "{\"csr\":");
	cf_gojson_quote(ctx->out, (const char *)csr.data, csr.len);
	cf_buf_adds(ctx->out, ",\"key\":");
	cf_gojson_quote(ctx->out, (const char *)keydata.data, keydata.len);
	cf_buf_adds(ctx->out, "}\n");
	ret = 0;
out:
	cf_buf_release(&keydata);
	cf_buf_release(&csr);
	cf_key_release(&key);
	cf_csr_request_release(&req);
	cf_hosts_free(hosts, nhosts);
	return ret;
}
