/* cfssl ocspdump: the stored OCSP responses, base64 one a line, the
 * -responses file of ocspserve (cfssl-serve.md §8.4). */
#include "certdb.h"
#include "cli.h"
#include "ops.h"

int cmd_ocspdump(struct cfssl_ctx *ctx)
{
	if (!*ctx->flags[F_DB_CONFIG].str)
		return cf_error_set(ctx->err, CF_ERR_PLAIN,
				    "need DB config file (provide with -db-config)");
	struct cf_certdb *db = cf_certdb_open_file(ctx->flags[F_DB_CONFIG].str, ctx->err);
	if (!db)
		return -1;
	int ret = cf_op_ocspdump(db, ctx->out, ctx->err);
	cf_certdb_close(db);
	return ret;
}
