/* cfssl crl: placeholder until the command lands. */
#include "cli.h"

int cmd_crl(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: crl is not implemented yet");
}
