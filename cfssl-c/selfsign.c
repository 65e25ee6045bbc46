/* cfssl selfsign: placeholder until the command lands. */
#include "cli.h"

int cmd_selfsign(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: selfsign is not implemented yet");
}
