/* cfssl gencrl: a CRL from a list of serial numbers, signed by a CA (§12.8). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "cli.h"
#include "crl.h"
#include "fileio.h"
#include "ops.h"

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
	struct cf_gencrl_request req = {
		.serials = serials.data,
		.serials_len = serials.len,
		.cert = certpem.data,
		.cert_len = certpem.len,
		.key = keypem.data,
		.key_len = keypem.len,
		.expiry = secs,
	};
	if (cf_op_gencrl(&req, &der, err) < 0)
		goto out;
	cf_base64_encode(ctx->out, der.data, der.len);
	cf_buf_addc(ctx->out, '\n');
	ret = 0;
out:
	free(time_arg);
	cf_buf_release(&serials);
	cf_buf_release(&certpem);
	cf_buf_release(&keypem);
	cf_buf_release(&der);
	return ret;
}
