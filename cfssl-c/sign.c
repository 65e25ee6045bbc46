/* cfssl sign: a certificate for an existing CSR, signed by a CA (§12.1). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "csr.h"
#include "csrparse.h"
#include "fileio.h"
#include "gojson.h"
#include "log.h"
#include "pem.h"
#include "signer.h"

/* Go's os.ReadFile: "-" is a file name here, not stdin. */
static int read_subject_file(const char *path, struct cf_buf *out, struct cf_error *err)
{
	if (strcmp(path, "-") != 0)
		return cf_read_file(path, out, err);
	struct cf_error e = {0};
	if (cf_read_file("./-", out, &e) == 0)
		return 0;
	/* "open ./-: ..." → "open -: ..." */
	char *p = strstr(e.msg, "./-");
	if (p)
		memmove(p, p + 2, strlen(p + 2) + 1);
	return cf_error_set(err, e.code, "%s", e.msg);
}

/* Re-files @err under @code with the same message (cfssl wraps Go errors). */
static void rewrap(struct cf_error *err, int code)
{
	char msg[CF_ERROR_MSG_MAX];
	memcpy(msg, err->msg, sizeof msg);
	cf_error_clear(err);
	cf_error_set(err, code, "%s", msg);
}

/* §8.6: what a request for a CA certificate may ask of this CA. */
static int check_ca_request(const struct cf_csr_info *info, const struct cf_profile *profile,
			    const struct cf_ca *ca, struct cf_error *err)
{
	if (!info->has_bc || !info->is_ca)
		return 0;
	if (!profile->is_ca) {
		cf_errorlog("local signer policy disallows issuing CA certificate");
		return cf_error_set(err, CF_ERR_POLICY_VIOLATION, "Policy violation request");
	}
	/* Go's view of the issuer: no basicConstraints = MaxPathLen 0 without the zero flag */
	long pathlen = 0;
	int zero = 0;
	if (ca->has_bc) {
		pathlen = ca->bc_pathlen;
		zero = pathlen == 0;
	}
	if (pathlen > 0 && info->pathlen >= pathlen) {
		cf_errorlog("local signer certificate disallows CA MaxPathLen extending");
		return cf_error_set(err, CF_ERR_POLICY_VIOLATION, "Policy violation request");
	}
	if (pathlen == 0 && zero) {
		cf_errorlog("local signer certificate disallows issuing CA certificate");
		return cf_error_set(err, CF_ERR_POLICY_VIOLATION, "Policy violation request");
	}
	return 0;
}

/* The SANs of the certificate: -hostname's list, else the request's. */
static int cert_hosts(const char *hostname, const struct cf_csr_info *info, struct cf_host **hosts,
		      size_t *nhosts, struct cf_error *err)
{
	if (*hostname) {
		struct cf_csr_request req = {0};
		cf_csr_request_set_hostname(&req, hostname);
		int r = cf_csr_hosts(&req, hosts, nhosts, err);
		cf_csr_request_release(&req);
		if (r < 0)
			rewrap(err, CF_ERR_CERT_UNKNOWN);
		return r;
	}
	/* Deviation 1 applies to empty DNS names a request carries as well. */
	struct cf_host *h = cf_xcalloc(info->nhosts ? info->nhosts : 1, sizeof *h);
	size_t n = 0, skipped = 0;
	for (size_t i = 0; i < info->nhosts; i++) {
		const struct cf_host *src = &info->hosts[i];
		if (src->kind == CF_HOST_DNS && !cf_host_len(src)) {
			skipped++;
			continue;
		}
		h[n] = *src;
		h[n].value = cf_xmemdup(src->value, cf_host_len(src));
		n++;
	}
	if (skipped)
		cf_warning("skipped %zu empty host name%s: an empty DNS name is not a valid "
			   "subject alternative name",
			   skipped, skipped == 1 ? "" : "s");
	*hosts = h;
	*nhosts = n;
	return 0;
}

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
	struct cf_buf data = CF_BUF_INIT, csr = CF_BUF_INIT, name = CF_BUF_INIT;
	struct cf_buf der = CF_BUF_INIT, serial = CF_BUF_INIT, cert = CF_BUF_INIT;
	struct cf_config *defconf = NULL;
	struct cf_ca ca = {0};
	struct cf_csr_info info = {0};
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;
	struct cf_name_attr *attrs = NULL;
	size_t nattrs = 0;

	if (subject_file) {
		if (read_subject_file(subject_file, &data, err) < 0 ||
		    cf_csrparse_subject_json((const char *)data.data, data.len, &subject, err) < 0)
			goto out;
	}
	if (cf_read_file(csr_file, &csr, err) < 0)
		goto out;
	if (*f[F_REMOTE].str) {
		cf_error_set(err, CF_ERR_PLAIN,
			     "remote signing (-remote) is not supported by cfssl-c yet");
		goto out;
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
	/* A profile served by a remote signer stops here, before a CA is asked for. */
	if (cf_config_begin_signing(conf, f[F_PROFILE].str, err) < 0)
		goto out;
	if (cf_ca_load(f[F_CA].str, f[F_CA_KEY].str, &ca, err) < 0)
		goto out;
	const struct cf_profile *profile = cf_config_select(conf, f[F_PROFILE].str, err);
	if (!profile)
		goto out;

	if (cf_csrparse_pem(csr.data, csr.len, &info, err) < 0)
		goto out;
	if (check_ca_request(&info, profile, &ca, err) < 0)
		goto out;
	if (cert_hosts(f[F_HOSTNAME].str, &info, &hosts, &nhosts, err) < 0)
		goto out;
	if (subject_file) {
		cf_csrparse_override_subject(&subject, info.attrs, info.nattrs, &attrs, &nattrs);
		if (cf_name_der(attrs, nattrs, &name, err) < 0)
			goto out;
	} else if (cf_name_der(info.attrs, info.nattrs, &name, err) < 0) {
		goto out;
	}

	const struct cf_buf *copy =
		profile->copy_extensions ? &info.copy_all : &info.copy_delegation;
	if (profile->copy_extensions && info.withheld)
		cf_warning("%zu extension(s) of the request not copied: the CA sets them",
			   info.withheld);
	size_t cn_len;
	const char *cn =
		cf_name_attrs_last_len(subject_file ? attrs : info.attrs,
				       subject_file ? nattrs : info.nattrs, "2.5.4.3", &cn_len);
	struct cf_cert_template t = {
		.subject = name.data,
		.subject_len = name.len,
		.spki = info.spki.data,
		.spki_len = info.spki.len,
		.hosts = hosts,
		.nhosts = nhosts,
		.profile = profile,
		/* cfssl copies the request's delegation-usage extension always, every
		 * other one but basicConstraints with copy_extensions (§8.5) */
		.extra_exts = copy->data,
		.extra_exts_len = copy->len,
		.cn = cn,
		.cn_len = cn_len,
	};
	if (cf_sign_certificate(&t, &ca, &der, &serial, err) < 0)
		goto out;
	cf_info("signed certificate with serial number %s", (const char *)serial.data);
	cf_pem_encode(&cert, "CERTIFICATE", der.data, der.len);

	cf_buf_adds(ctx->out, "{\"cert\":");
	cf_gojson_quote(ctx->out, (const char *)cert.data, cert.len);
	cf_buf_adds(ctx->out, ",\"csr\":");
	cf_gojson_quote(ctx->out, (const char *)csr.data, csr.len);
	cf_buf_adds(ctx->out, "}\n");
	ret = 0;
out:
	cf_csr_request_release(&subject);
	cf_buf_release(&data);
	cf_buf_release(&csr);
	cf_buf_release(&name);
	cf_buf_release(&der);
	cf_buf_release(&serial);
	cf_buf_release(&cert);
	cf_config_free(defconf);
	cf_ca_release(&ca);
	cf_csrparse_release(&info);
	cf_hosts_free(hosts, nhosts);
	cf_name_attrs_free(attrs, nattrs);
	return ret;
}
