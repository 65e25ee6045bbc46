/* cfssl sign: a certificate for an existing CSR, signed by a CA (§12.1). */
#include <stdlib.h>
#include <string.h>

#include "certdb.h"
#include "cli.h"
#include "config.h"
#include "csr.h"
#include "csrparse.h"
#include "fileio.h"
#include "gojson.h"
#include "log.h"
#include "ops.h"
#include "signer.h"

int cmd_sign(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	const char *csr_file = f[F_CSR].str;
	int argi = 0;
	if (!*csr_file) {
		if (ctx->npos < 1)
			return cf_error_set(
				err, CF_ERR_PLAIN,
				"not enough arguments are supplied --- please refer to the usage");
		csr_file = ctx->pos[argi++];
	}
	const char *subject_file = NULL;
	if (ctx->npos > argi) {
		subject_file = ctx->pos[argi++];
		if (ctx->npos > argi)
			return cf_error_set(err, CF_ERR_PLAIN,
					    "too many arguments are provided, please check with "
					    "usage");
	}

	int ret = -1;
	struct cf_csr_request subject = {0};
	struct cf_buf data = CF_BUF_INIT, csr = CF_BUF_INIT, cert = CF_BUF_INIT;
	struct cf_buf subj = CF_BUF_INIT;
	const char *subject_json = NULL;
	struct cf_config *defconf = NULL;
	struct cf_ca ca = {0};
	struct cf_certdb *db = NULL;

	if (subject_file) {
		if (cf_read_file_plain(subject_file, &data, err) < 0 ||
		    cf_csrparse_subject_json((const char *)data.data, data.len, &subject, err) < 0)
			goto out;
		/* a remote gets the subject as cfssl's client re-marshals it */
		cf_csrparse_subject_render(&subject, &subj);
		cf_buf_addc(&subj, 0);
		subject_json = (const char *)subj.data;
	}
	if (cf_read_file(csr_file, &csr, err) < 0)
		goto out;
	if (*f[F_REMOTE].str) {
		char *rcert = NULL;
		/* -remote sets every profile's address and adds no authentication (§6.2) */
		if (cli_remote_sign(ctx, f[F_REMOTE].str, NULL, csr.data, csr.len, subject_json,
				    &rcert) < 0)
			goto out;
		cf_buf_adds(&cert, rcert);
		free(rcert);
		goto print;
	}
	if (!ctx->config) {
		/* Deviation 2: cfssl exits 0 here; a pipeline must not carry on. */
		if (!*f[F_CA].str) {
			cf_errorlog("need CA certificate (provide one with -ca)");
			ret = 1;
			goto out;
		}
		if (!*f[F_CA_KEY].str) {
			cf_errorlog("need CA key (provide one with -ca-key)");
			ret = 1;
			goto out;
		}
	}
	const struct cf_config *conf = ctx->config;
	if (!conf)
		conf = defconf = cf_config_default();
	const struct cf_profile *rp = cf_config_remote_profile(conf, f[F_PROFILE].str);
	cf_config_begin_signing(conf);
	if (rp) {
		/* cfssl still builds its local signer, with the CA, when a profile is local */
		if (cf_config_needs_local_signer(conf) &&
		    cf_ca_load(f[F_CA].str, f[F_CA_KEY].str, &ca, err) < 0)
			goto out;
		cf_config_warn_signers(conf);
		char *rcert = NULL;
		if (cli_remote_sign(ctx, rp->remote_server,
				    rp->auth_remote_key.key ? &rp->auth_remote_key : NULL, csr.data,
				    csr.len, subject_json, &rcert) < 0)
			goto out;
		cf_buf_adds(&cert, rcert);
		free(rcert);
		goto print;
	}
	/* cfssl opens the database before it loads the CA (SignerFromConfig) */
	if (*f[F_DB_CONFIG].str && !(db = cf_certdb_open_file(f[F_DB_CONFIG].str, err)))
		goto out;
	if (cf_ca_load(f[F_CA].str, f[F_CA_KEY].str, &ca, err) < 0)
		goto out;
	const struct cf_profile *profile = cf_config_select(conf, f[F_PROFILE].str, err);
	if (!profile)
		goto out;

	struct cf_sign_request req = {
		.csr = csr.data,
		.csr_len = csr.len,
		.hostname = f[F_HOSTNAME].str,
		.subject = subject_file ? &subject : NULL,
		.profile = profile,
	};
	if (cf_op_sign(&ca, &req, &cert, err) < 0)
		goto out;
	/* as cfssl: a certificate that could not be recorded is not printed */
	if (db && cf_op_record(db, cert.data, cert.len, f[F_LABEL].str, err) < 0)
		goto out;
print:
	cf_buf_adds(ctx->out, "{\"cert\":");
	cf_gojson_quote(ctx->out, (const char *)cert.data, cert.len);
	cf_buf_adds(ctx->out, ",\"csr\":");
	cf_gojson_quote(ctx->out, (const char *)csr.data, csr.len);
	cf_buf_adds(ctx->out, "}\n");
	ret = 0;
out:
	cf_csr_request_release(&subject);
	cf_buf_release(&data);
	cf_buf_release(&subj);
	cf_buf_release(&csr);
	cf_buf_release(&cert);
	cf_config_free(defconf);
	cf_ca_release(&ca);
	cf_certdb_close(db);
	return ret;
}
