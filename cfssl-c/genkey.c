/* cfssl genkey: placeholder until the command lands. */
#include "cli.h"

int cmd_genkey(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: genkey is not implemented yet");
}
