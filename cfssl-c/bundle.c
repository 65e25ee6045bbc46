/* cfssl bundle: placeholder until the command lands. */
#include "cli.h"

int cmd_bundle(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: bundle is not implemented yet");
}
