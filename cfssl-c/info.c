/* cfssl info: what a signer issues under a profile, from a remote (cfssl-serve.md §6.3) or
 * from -config with -ca/-ca-key (cfssl-compat §12.11). Printed without a final LF. */
#include "cli.h"
#include "config.h"
#include "ops.h"
#include "remote.h"
#include "signer.h"

/* The remote's answer, its certificate checked as cfssl's info does. */
static int remote_info(struct cfssl_ctx *ctx, const char *addrs)
{
	const struct cf_flag_value *f = ctx->flags;
	struct cf_remote *r = NULL;
	struct cf_remote_info info = {0};
	/* Deviation 20: cfssl panics on an address it cannot parse; here it is 5300 "failed to
	 * connect to remote" after the "bad url" line */
	int ret = cli_remote_open(ctx, addrs, &r);
	if (ret == 0)
		ret = cf_remote_info(r, f[F_LABEL].str, f[F_PROFILE].str, &info, ctx->err);
	if (ret == 0)
		cf_remote_info_json(&info, ctx->out);
	cf_remote_info_release(&info);
	cf_remote_free(r);
	return ret;
}

int cmd_info(struct cfssl_ctx *ctx)
{
	const struct cf_flag_value *f = ctx->flags;
	if (ctx->npos > 0)
		return cf_error_set(ctx->err, CF_ERR_PLAIN,
				    "argument is provided but not defined; please refer to the "
				    "usage by flag -h.");
	if (*f[F_REMOTE].str)
		return remote_info(ctx, f[F_REMOTE].str);
	const struct cf_config *conf = ctx->config;
	if (!conf)
		return cf_error_set(
			ctx->err, CF_ERR_PLAIN,
			"Either -remote or -config must be given. Refer to cfssl info -h "
			"for usage.");

	/* cfssl builds its signer from the policy: a local one (with the CA) when a profile is
	 * local, a remote one for the remote profiles */
	const struct cf_profile *rp = cf_config_remote_profile(conf, f[F_PROFILE].str);
	struct cf_ca ca = {0};
	int ret = -1;
	cf_config_begin_signing(conf);
	if (rp) {
		if (cf_config_needs_local_signer(conf) &&
		    cf_ca_load(f[F_CA].str, f[F_CA_KEY].str, &ca, ctx->err) < 0)
			goto out;
		cf_config_warn_signers(conf);
		ret = remote_info(ctx, rp->remote_server);
		goto out;
	}
	if (cf_ca_load(f[F_CA].str, f[F_CA_KEY].str, &ca, ctx->err) < 0)
		goto out;
	const struct cf_profile *p = cf_config_select(conf, f[F_PROFILE].str, ctx->err);
	if (!p)
		goto out;
	cf_op_info(&ca, p, ctx->out);
	ret = 0;
out:
	cf_ca_release(&ca);
	return ret;
}
