/* cfssl gencsr: placeholder until the command lands. */
#include "cli.h"

int cmd_gencsr(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: gencsr is not implemented yet");
}
