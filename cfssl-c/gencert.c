/* cfssl gencert: a new key and a certificate signed by a CA, or a new CA. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certdb.h"
#include "cli.h"
#include "config.h"
#include "csr.h"
#include "genkey.h"
#include "gojson.h"
#include "initca.h"
#include "keygen.h"
#include "log.h"
#include "ops.h"
#include "pem.h"
#include "signer.h"

static int initca(struct cfssl_ctx *ctx, struct cf_csr_request *req)
{
	struct cf_buf cert = CF_BUF_INIT, csr = CF_BUF_INIT, key = CF_BUF_INIT;
	const char *ca_key = ctx->flags[F_CA_KEY].str;
	int r;
	if (*ca_key) {
		r = cf_initca_from_key(req, ca_key, &cert, &csr, ctx->err);
		if (r == 0)
			genkey_put_output(ctx->out, &cert, &csr, NULL);
	} else {
		cf_info("generating a new CA key and certificate from CSR");
		r = cf_initca_new(req, &cert, &csr, &key, ctx->err);
		if (r == 0)
			genkey_put_output(ctx->out, &cert, &csr, &key);
	}
	cf_buf_release(&cert);
	cf_buf_release(&csr);
	cf_buf_release(&key);
	return r;
}

static int renewca(struct cfssl_ctx *ctx)
{
	struct cf_buf cert = CF_BUF_INIT;
	int r = cf_initca_renew(ctx->flags[F_CA].str, ctx->flags[F_CA_KEY].str, &cert, ctx->err);
	if (r == 0)
		genkey_put_output(ctx->out, &cert, NULL, NULL);
	cf_buf_release(&cert);
	return r;
}

/* gencert through a remote: the key and CSR made here, the certificate by the server (§6.2),
 * printed as it came, unchecked, as cfssl prints it. @rp: the remote profile of the
 * configuration @conf (its address and auth key, and cfssl's signer order with its warnings
 * and the CA in @ca when a profile is local); NULL for -remote, which sets every profile's
 * address and adds no authentication. */
static int remote_cert(struct cfssl_ctx *ctx, const struct cf_csr_request *req, int no_hosts,
		       const struct cf_config *conf, const struct cf_profile *rp, struct cf_ca *ca)
{
	const struct cf_flag_value *f = ctx->flags;
	struct cf_newkey_result res;
	char *cert = NULL;
	int r = cf_op_newkey(req, &res, ctx->err);
	if (r == 0 && rp) {
		cf_config_begin_signing(conf);
		if (cf_config_needs_local_signer(conf))
			r = cf_ca_load(f[F_CA].str, f[F_CA_KEY].str, ca, ctx->err);
		if (r == 0)
			cf_config_warn_signers(conf);
	}
	if (r == 0)
		r = cli_remote_sign(ctx, rp ? rp->remote_server : f[F_REMOTE].str,
				    rp && rp->auth_remote_key.key ? &rp->auth_remote_key : NULL,
				    res.csr.data, res.csr.len, NULL, &cert);
	if (r == 0) {
		struct cf_buf c = CF_BUF_INIT;
		cf_buf_adds(&c, cert);
		if (no_hosts)
			cf_warning("%s", cf_csr_lacks_hosts);
		genkey_put_output(ctx->out, &c, &res.csr, &res.key_pem);
		cf_buf_release(&c);
	}
	free(cert);
	cf_newkey_result_release(&res);
	return r;
}

static int signed_cert(struct cfssl_ctx *ctx, struct cf_csr_request *req)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	if (req->has_ca)
		return cf_error_set(err, CF_ERR_PLAIN, "ca section only permitted in initca");
	const char *hostname = f[F_HOSTNAME].str;
	int json_hosts = req->nhosts > 0;
	if (*hostname)
		cf_csr_request_set_hostname(req, hostname);
	if (*f[F_REMOTE].str) {
		/* -remote sets every profile's address and adds no authentication (§6.2) */
		genkey_log_request(req);
		return remote_cert(ctx, req, !*hostname && !json_hosts, NULL, NULL, NULL);
	}
	if (!ctx->config) {
		/* Deviation 2: cfssl exits 0 here; a pipeline must not carry on. */
		if (!*f[F_CA].str) {
			cf_errorlog("need a CA certificate (provide one with -ca)");
			return 1;
		}
		if (!*f[F_CA_KEY].str) {
			cf_errorlog("need a CA key (provide one with -ca-key)");
			return 1;
		}
	}
	genkey_log_request(req);
	if (cf_key_check_request(req->algo, req->size, err) < 0)
		return -1;

	int ret = -1;
	struct cf_config *defconf = NULL;
	struct cf_ca ca = {0};
	struct cf_newcert_result res = {0};
	struct cf_certdb *db = NULL;

	const struct cf_config *conf = ctx->config;
	if (!conf)
		conf = defconf = cf_config_default();
	const struct cf_profile *rp = cf_config_remote_profile(conf, f[F_PROFILE].str);
	if (rp) {
		/* cfssl makes the key and CSR first, then its signers: a local one (which needs the
		 * CA) when any profile is local, and the remote one */
		ret = remote_cert(ctx, req, !*hostname && !json_hosts, conf, rp, &ca);
		goto out;
	}
	cf_config_begin_signing(conf);
	/* cfssl opens the database before it loads the CA (SignerFromConfig) */
	if (*f[F_DB_CONFIG].str && !(db = cf_certdb_open_file(f[F_DB_CONFIG].str, err)))
		goto out;
	/* Deviation 6: the CA is checked before a key is generated. */
	if (cf_ca_load(f[F_CA].str, f[F_CA_KEY].str, &ca, err) < 0)
		goto out;
	const struct cf_profile *profile = cf_config_select(conf, f[F_PROFILE].str, err);
	if (!profile)
		goto out;

	struct cf_newcert_request nr = {
		.csr = req,
		.config = conf,
		.profile = profile,
		.crl_override = *f[F_CRL].str ? f[F_CRL].str : NULL,
	};
	if (cf_op_newcert(&ca, &nr, &res, err) < 0)
		goto out;
	/* as cfssl: a certificate that could not be recorded is not printed */
	if (db && cf_op_record(db, res.cert.data, res.cert.len, f[F_LABEL].str, err) < 0)
		goto out;
	if (!*hostname && !json_hosts)
		cf_warning("%s", cf_csr_lacks_hosts);
	genkey_put_output(ctx->out, &res.cert, &res.csr, &res.key);
	ret = 0;
out:
	cf_config_free(defconf);
	cf_ca_release(&ca);
	cf_newcert_result_release(&res);
	cf_certdb_close(db);
	return ret;
}

int cmd_gencert(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	if (f[F_RENEWCA].b)
		return renewca(ctx);
	if (ctx->npos < 1)
		return cf_error_set(
			err, CF_ERR_PLAIN,
			"not enough arguments are supplied --- please refer to the usage");
	if (ctx->npos > 1)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "only one argument is accepted, please check with usage");

	struct cf_csr_request req;
	int r = cf_csr_request_load(ctx->pos[0], &req, err);
	if (r < 0) {
		cf_csr_request_release(&req);
		return -1;
	}
	if (*f[F_CN].str) {
		free(req.cn);
		req.cn = cf_xstrdup(f[F_CN].str);
		req.cn_len = 0;
	}
	if (f[F_INITCA].b)
		r = initca(ctx, &req);
	else
		r = signed_cert(ctx, &req);
	cf_csr_request_release(&req);
	return r;
}
