/* cfssl revoke: mark a certificate revoked in the certificate database
 * (§12.9). cfssl-c has no database support yet: it performs cfssl's checks
 * up to the point where the database is written, then fails. */
#include "certdb.h"
#include "cli.h"
#include "crl.h"
#include "log.h"
#include "ocsp.h"

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
	struct cf_dbconf conf;
	if (cf_dbconf_load(f[F_DB_CONFIG].str, &conf, err) < 0)
		return -1;
	cf_dbconf_release(&conf);
	int reason;
	if (cf_ocsp_reason_code(f[F_REASON].str, &reason, err) < 0) {
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(err, msg, sizeof msg);
		cf_errorlog("Invalid reason code: %s", msg);
		return -1;
	}
	return cf_error_set(err, CF_ERR_PLAIN,
			    "certificate database (-db-config) is not supported by cfssl-c yet");
}
