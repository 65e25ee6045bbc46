/* cfssl revoke: placeholder until the command lands. */
#include "cli.h"

int cmd_revoke(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: revoke is not implemented yet");
}
