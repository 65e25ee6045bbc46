/* cfssl genkey: a new key and CSR, or with -initca a new CA (§12.2). */
#include "genkey.h"

#include "cli.h"
#include "gojson.h"
#include "initca.h"
#include "log.h"
#include "ops.h"

void genkey_log_request(const struct cf_csr_request *req)
{
	cf_op_newkey_log(req);
}

void genkey_put_output(struct cf_buf *out, const struct cf_buf *cert, const struct cf_buf *csr,
		       const struct cf_buf *key)
{
	/* Go marshals PrintCert's map with its keys sorted. */
	const char *names[] = {"cert", "csr", "key"};
	const struct cf_buf *vals[] = {cert, csr, key};
	int first = 1;
	cf_buf_addc(out, '{');
	for (int i = 0; i < 3; i++) {
		if (!vals[i])
			continue;
		if (!first)
			cf_buf_addc(out, ',');
		first = 0;
		cf_buf_printf(out, "\"%s\":", names[i]);
		cf_gojson_quote(out, (const char *)vals[i]->data, vals[i]->len);
	}
	cf_buf_adds(out, "}\n");
}

static int new_ca(struct cfssl_ctx *ctx, const struct cf_csr_request *req)
{
	struct cf_buf cert = CF_BUF_INIT, csr = CF_BUF_INIT, key = CF_BUF_INIT;
	/* as gencert -initca, without its "generating a new CA key" record */
	int r = cf_initca_new(req, &cert, &csr, &key, ctx->err);
	if (r == 0)
		genkey_put_output(ctx->out, &cert, &csr, &key);
	cf_buf_release(&cert);
	cf_buf_release(&csr);
	cf_buf_release(&key);
	return r;
}

static int new_key(struct cfssl_ctx *ctx, const struct cf_csr_request *req)
{
	if (req->has_ca)
		return cf_error_set(ctx->err, CF_ERR_PLAIN, "ca section only permitted in initca");
	struct cf_newkey_result res;
	genkey_log_request(req);
	int r = cf_op_newkey(req, &res, ctx->err);
	if (r == 0)
		genkey_put_output(ctx->out, NULL, &res.csr, &res.key_pem);
	cf_newkey_result_release(&res);
	return r;
}

int cmd_genkey(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	if (ctx->npos < 1)
		return cf_error_set(
			err, CF_ERR_PLAIN,
			"not enough arguments are supplied --- please refer to the usage");
	if (ctx->npos > 1)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "only one argument is accepted, please check with usage");

	/* cfssl's genkey reads neither -cn nor -hostname (nor -ca-key with -initca). */
	struct cf_csr_request req;
	int r = cf_csr_request_load(ctx->pos[0], &req, err);
	if (r == 0)
		r = ctx->flags[F_INITCA].b ? new_ca(ctx, &req) : new_key(ctx, &req);
	cf_csr_request_release(&req);
	return r;
}
