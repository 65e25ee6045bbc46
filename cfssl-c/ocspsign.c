/* cfssl ocspsign: placeholder until the command lands. */
#include "cli.h"

int cmd_ocspsign(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: ocspsign is not implemented yet");
}
