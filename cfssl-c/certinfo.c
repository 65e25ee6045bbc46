/* cfssl certinfo: placeholder until the command lands. */
#include "cli.h"

int cmd_certinfo(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: certinfo is not implemented yet");
}
