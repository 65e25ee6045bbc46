/* cfssl genkey: a new key and CSR, or with -initca a new CA (§12.2). */
#include "genkey.h"

#include "cli.h"
#include "gojson.h"
#include "initca.h"
#include "log.h"

int genkey_process_request(const struct cf_csr_request *req, struct cf_key *key, struct cf_buf *csr,
			   struct cf_buf *keypem, struct cf_error *err)
{
	cf_info("generate received request");
	cf_info("received CSR");
	cf_info("generating key: %s-%lld", req->algo, req->size);
	if (cf_key_check_request(req->algo, req->size, err) < 0 ||
	    cf_key_generate(req->algo, req->size, key, err) < 0)
		return -1;

	int ret = -1;
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;
	if (cf_csr_hosts(req, &hosts, &nhosts, err) < 0) {
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(err, msg, sizeof msg);
		cf_errorlog("failed to generate a CSR: %s", msg);
		goto out;
	}
	if (cf_csr_generate(req, hosts, nhosts, key, csr, err) < 0) {
		/* cfssl logs the underlying text before wrapping it as 9300 */
		if (err->code == CF_ERR_CSR_BAD)
			cf_errorlog("failed to generate a CSR: %s", err->msg);
		goto out;
	}
	if (cf_key_export_pem(key, keypem, err) < 0)
		goto out;
	cf_info("encoded CSR");
	ret = 0;
out:
	cf_hosts_free(hosts, nhosts);
	return ret;
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
	struct cf_key key = {0};
	struct cf_buf csr = CF_BUF_INIT, keypem = CF_BUF_INIT;
	int r = genkey_process_request(req, &key, &csr, &keypem, ctx->err);
	if (r == 0)
		genkey_put_output(ctx->out, NULL, &csr, &keypem);
	cf_key_release(&key);
	cf_buf_release(&csr);
	cf_buf_release(&keypem);
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
