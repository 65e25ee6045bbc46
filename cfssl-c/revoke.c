/* cfssl revoke: mark a certificate revoked in the certificate database
 * (cfssl-serve.md §8.1; deviation 23: serial and AKI normalised). */
#include "certdb.h"
#include "cli.h"
#include "log.h"
#include "ocsp.h"
#include "ops.h"

int cmd_revoke(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	if (ctx->npos > 0)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "argument is provided but not defined; please refer to the "
				    "usage by flag -h");
	if (!*f[F_SERIAL].str)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "serial number is required but not provided");
	if (!*f[F_AKI].str)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "authority key id is required but not provided");
	if (!*f[F_DB_CONFIG].str)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "need DB config file (provide with -db-config)");
	struct cf_certdb *db = cf_certdb_open_file(f[F_DB_CONFIG].str, err);
	if (!db)
		return -1;
	int reason, ret;
	if (cf_ocsp_reason_code(f[F_REASON].str, &reason, err) < 0) {
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(err, msg, sizeof msg);
		cf_errorlog("Invalid reason code: %s", msg);
		ret = -1;
	} else {
		ret = cf_op_revoke(db, f[F_SERIAL].str, f[F_AKI].str, reason, err);
	}
	cf_certdb_close(db);
	return ret;
}
