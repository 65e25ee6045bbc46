/* cfssl sign: placeholder until the command lands. */
#include "cli.h"

int cmd_sign(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: sign is not implemented yet");
}
