/* cfssl gencrl: placeholder until the command lands. */
#include "cli.h"

int cmd_gencrl(struct cfssl_ctx *ctx)
{
	return cf_error_set(ctx->err, CF_ERR_PLAIN, "cfssl-c: gencrl is not implemented yet");
}
