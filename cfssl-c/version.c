/* cfssl version */
#include "cli.h"

#ifndef CFSSL_C_VERSION
#define CFSSL_C_VERSION "dev"
#endif

int cmd_version(struct cfssl_ctx *ctx)
{
	/* cfssl prints its release and the Go runtime; scripts read the first line. */
	cf_buf_adds(ctx->out, "Version: 1.6.5\nRuntime: cfssl-c " CFSSL_C_VERSION "\n");
	return 0;
}
