#include "ops.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "certinfo.h"
#include "crl.h"
#include "csrparse.h"
#include "gojson.h"
#include "hosts.h"
#include "keygen.h"
#include "log.h"
#include "pem.h"

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

/* The SANs of the certificate: @hostname's list, else the request's. */
static int cert_hosts(const struct cf_sign_request *sr, const struct cf_csr_info *info,
		      struct cf_host **hosts, size_t *nhosts, struct cf_error *err)
{
	const char *hostname = sr->hostname;
	if ((hostname && *hostname) || sr->hosts_set) {
		struct cf_csr_request req = {0};
		if (hostname && *hostname) {
			cf_csr_request_set_hostname(&req, hostname);
		} else {
			req.hosts = cf_xcalloc(sr->nhosts ? sr->nhosts : 1, sizeof *req.hosts);
			for (size_t i = 0; i < sr->nhosts; i++)
				req.hosts[req.nhosts++] = cf_xstrdup(sr->hosts[i]);
		}
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
	cf_csr_warn_empty_hosts(skipped);
	*hosts = h;
	*nhosts = n;
	return 0;
}

/* Signs @t and appends the PEM certificate, logging its serial as cfssl's signer does. */
static int sign_pem(const struct cf_cert_template *t, const struct cf_ca *ca, struct cf_buf *cert,
		    struct cf_error *err)
{
	struct cf_buf der = CF_BUF_INIT, serial = CF_BUF_INIT;
	int ret = cf_sign_certificate(t, ca, &der, &serial, err);
	if (ret == 0) {
		cf_info("signed certificate with serial number %s", (const char *)serial.data);
		cf_pem_encode(cert, "CERTIFICATE", der.data, der.len);
	}
	cf_buf_release(&der);
	cf_buf_release(&serial);
	return ret;
}

int cf_op_sign(const struct cf_ca *ca, const struct cf_sign_request *r, struct cf_buf *cert,
	       struct cf_error *err)
{
	const struct cf_profile *profile = r->profile;
	struct cf_csr_info info = {0};
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;
	struct cf_name_attr *attrs = NULL;
	size_t nattrs = 0;
	struct cf_buf name = CF_BUF_INIT;
	int ret = -1;

	if (cf_csrparse_pem(r->csr, r->csr_len, &info, err) < 0 ||
	    check_ca_request(&info, profile, ca, err) < 0 ||
	    cert_hosts(r, &info, &hosts, &nhosts, err) < 0)
		goto out;
	if (r->subject)
		cf_csrparse_override_subject(r->subject, info.attrs, info.nattrs, &attrs, &nattrs);
	const struct cf_name_attr *subj = r->subject ? attrs : info.attrs;
	size_t nsubj = r->subject ? nattrs : info.nattrs;
	if (cf_name_der(subj, nsubj, &name, err) < 0)
		goto out;

	const struct cf_buf *copy =
		profile->copy_extensions ? &info.copy_all : &info.copy_delegation;
	if (profile->copy_extensions && info.withheld)
		cf_warning("%zu extension(s) of the request not copied: the CA sets them",
			   info.withheld);
	size_t cn_len;
	const char *cn = cf_name_attrs_last_len(subj, nsubj, "2.5.4.3", &cn_len);
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
		.client_serial = r->serial,
	};
	ret = sign_pem(&t, ca, cert, err);
out:
	cf_buf_release(&name);
	cf_csrparse_release(&info);
	cf_hosts_free(hosts, nhosts);
	cf_name_attrs_free(attrs, nattrs);
	return ret;
}

/* The key, the request's SANs, the CSR and the key's PEM, with cfssl's log
 * lines: "[ERROR] failed to generate a CSR: ..." before a CSR error, "encoded
 * CSR" after. */
static int key_and_csr(const struct cf_csr_request *req, struct cf_key *key, struct cf_host **hosts,
		       size_t *nhosts, struct cf_buf *csr, struct cf_buf *keypem,
		       struct cf_error *err)
{
	if (cf_key_check_request(req->algo, req->size, err) < 0 ||
	    cf_key_generate(req->algo, req->size, key, err) < 0)
		return -1;
	if (cf_csr_hosts(req, hosts, nhosts, err) < 0) {
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(err, msg, sizeof msg);
		cf_errorlog("failed to generate a CSR: %s", msg);
		return -1;
	}
	if (cf_csr_generate(req, *hosts, *nhosts, key, csr, err) < 0) {
		/* cfssl logs the underlying text before wrapping it as 9300 */
		if (err->code == CF_ERR_CSR_BAD)
			cf_errorlog("failed to generate a CSR: %s", err->msg);
		return -1;
	}
	if (cf_key_export_pem(key, keypem, err) < 0)
		return -1;
	cf_info("encoded CSR");
	return 0;
}

void cf_op_newkey_log(const struct cf_csr_request *req)
{
	cf_info("generate received request");
	cf_info("received CSR");
	cf_info("generating key: %s-%lld", req->algo, req->size);
}

int cf_op_newkey(const struct cf_csr_request *req, struct cf_newkey_result *out,
		 struct cf_error *err)
{
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;
	memset(out, 0, sizeof *out);
	int r = key_and_csr(req, &out->key, &hosts, &nhosts, &out->csr, &out->key_pem, err);
	if (r < 0)
		cf_newkey_result_release(out);
	cf_hosts_free(hosts, nhosts);
	return r;
}

void cf_newkey_result_release(struct cf_newkey_result *res)
{
	cf_key_release(&res->key);
	cf_buf_release(&res->csr);
	cf_buf_release(&res->key_pem); /* cf_buf_release wipes */
}

int cf_op_newcert(const struct cf_ca *ca, const struct cf_newcert_request *r,
		  struct cf_newcert_result *out, struct cf_error *err)
{
	const struct cf_csr_request *req = r->csr;
	const struct cf_profile *profile = r->profile;
	struct cf_key key = {0};
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;
	struct cf_buf subject = CF_BUF_INIT, spki = CF_BUF_INIT, extra = CF_BUF_INIT;
	int ret = -1;
	memset(out, 0, sizeof *out);

	if (key_and_csr(req, &key, &hosts, &nhosts, &out->csr, &out->key, err) < 0)
		goto out;
	if (cf_csr_cert_subject_der(req, &subject, err) < 0 || cf_key_spki(&key, &spki, err) < 0)
		goto out;
	/* what the signer copies from the CSR (delegation always; everything with copy_extensions)
	 */
	cf_csr_copied_extensions(req, hosts, nhosts, profile->copy_extensions, &extra);
	struct cf_cert_template t = {
		.subject = subject.data,
		.subject_len = subject.len,
		.spki = spki.data,
		.spki_len = spki.len,
		.hosts = hosts,
		.nhosts = nhosts,
		.profile = profile,
		.crl_override = r->crl_override,
		.extra_exts = extra.data,
		.extra_exts_len = extra.len,
		.cn = req->cn,
		.cn_len = req->cn ? cf_csr_cn_len(req) : 0,
	};
	out->signing = 1;
	if (cf_config_lint_check(r->config, profile, err) < 0)
		goto out;
	ret = sign_pem(&t, ca, &out->cert, err);
out:
	if (ret < 0) {
		int signing = out->signing;
		cf_newcert_result_release(out);
		out->signing = signing;
	}
	cf_key_release(&key);
	cf_hosts_free(hosts, nhosts);
	cf_buf_release(&subject);
	cf_buf_release(&spki);
	cf_buf_release(&extra);
	return ret;
}

void cf_newcert_result_release(struct cf_newcert_result *res)
{
	cf_buf_release(&res->cert);
	cf_buf_release(&res->csr);
	cf_buf_release(&res->key); /* cf_buf_release wipes */
}

void cf_op_info(const struct cf_ca *ca, const struct cf_profile *profile, struct cf_buf *out)
{
	struct cf_buf pem = CF_BUF_INIT;
	if (ca->cert_der.len)
		cf_pem_encode(&pem, "CERTIFICATE", ca->cert_der.data, ca->cert_der.len);
	/* Go's bytes.TrimSpace: the PEM's final LF goes */
	while (pem.len && pem.data[pem.len - 1] == '\n')
		pem.len--;
	cf_buf_adds(out, "{\"certificate\":");
	cf_gojson_quote(out, (const char *)pem.data, pem.len);
	cf_buf_adds(out, ",\"usages\":");
	if (!profile->usages) {
		cf_buf_adds(out, "null");
	} else {
		cf_buf_addc(out, '[');
		for (size_t i = 0; i < profile->nusages; i++) {
			if (i)
				cf_buf_addc(out, ',');
			cf_gojson_quote(out, profile->usages[i], strlen(profile->usages[i]));
		}
		cf_buf_addc(out, ']');
	}
	cf_buf_adds(out, ",\"expiry\":");
	const char *exp = profile->expiry_str ? profile->expiry_str : "";
	cf_gojson_quote(out, exp, strlen(exp));
	cf_buf_addc(out, '}');
	cf_buf_release(&pem);
}

int cf_op_certinfo_cert(const unsigned char *data, size_t len, struct cf_buf *out,
			struct cf_error *err)
{
	struct cf_buf der = CF_BUF_INIT;
	gnutls_x509_crt_t crt = NULL;
	/* GnuTLS decides whether it is a certificate; the DER shown is the input's (GnuTLS's
	 * object may lack its empty names, see cf_crt_import_der) */
	int ret = cf_parse_cert_pem_der(data, len, &crt, &der, err);
	if (ret == 0)
		ret = cf_certinfo_cert(der.data, der.len, out, err);
	cf_buf_release(&der);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	return ret;
}

/* Go's DialWithDialer timeout in cfssl's certinfo. */
#define DOMAIN_TIMEOUT_MS 10000

int cf_op_certinfo_domain(const char *domain, struct cf_buf *out, struct cf_error *err)
{
	struct cf_buf der = CF_BUF_INIT;
	int ret = cf_certinfo_fetch(domain, DOMAIN_TIMEOUT_MS, &der, err);
	if (ret == 0)
		ret = cf_certinfo_cert(der.data, der.len, out, err);
	cf_buf_release(&der);
	return ret;
}

/* VerifyHostname of the bundle's leaf, wrapped as cfssl's API does (1200). */
static int check_hostname(const struct cf_bundle *bundle, const char *host, struct cf_error *err)
{
	if (!host || !*host)
		return 0;
	struct cf_buf msg = CF_BUF_INIT;
	int r = cf_crt_hostname_error(bundle->leaf->crt, host, &msg);
	if (r)
		cf_error_set(err, CF_ERR_CERT_UNKNOWN + 200, "%s", (const char *)msg.data);
	cf_buf_release(&msg);
	return r ? -1 : 0;
}

int cf_op_bundle(const struct cf_bundler *shared, const struct cf_bundle_request *r,
		 struct cf_buf *json, struct cf_error *err)
{
	struct cf_bundle_pool certs = {0};
	struct cf_bundle bundle = {0};
	struct cf_bundler b;
	struct cf_buf keyout = CF_BUF_INIT;
	gnutls_x509_privkey_t key = NULL;
	int ret = -1;

	cf_bundler_view(shared, &b);
	if (r->key && r->key_len && cf_parse_key_pem(r->key, r->key_len, NULL, &key, err) < 0)
		goto out;
	if (cf_bundle_parse_input(r->cert, r->cert_len, &certs, err) < 0)
		goto out;
	if (cf_bundle_build(&b, &certs, key, r->flavor, r->now, &bundle, err) < 0)
		goto out;
	if (check_hostname(&bundle, r->domain, err) < 0 || check_hostname(&bundle, r->ip, err) < 0)
		goto out;
	if (key) {
		struct cf_key k;
		gnutls_x509_privkey_t x = key;
		key = NULL;
		if (cf_key_from_x509(x, &k, err) < 0)
			goto out;
		int e = cf_key_export_pem(&k, &keyout, err);
		cf_key_release(&k);
		if (e < 0)
			goto out;
		while (keyout.len && keyout.data[keyout.len - 1] == '\n')
			keyout.data[--keyout.len] = 0;
	}
	cf_bundle_json(&bundle, keyout.data ? (const char *)keyout.data : NULL, json);
	ret = 0;
out:
	if (key)
		gnutls_x509_privkey_deinit(key);
	cf_bundle_release(&bundle);
	cf_bundle_pool_release(&certs);
	cf_bundler_view_release(&b, shared);
	cf_buf_release(&keyout);
	return ret;
}

/* Go's rigid handshake in BundleFromRemote: the server's certificates alone (leaf first,
 * the others as intermediates) must chain to one of @shared's roots at @now and the leaf
 * must be valid for @host. 0, or -1 with the reason in @why. */
static int rigid_verify(const struct cf_bundler *shared, const unsigned char *pem, size_t len,
			const char *host, struct cf_buf *why)
{
	struct cf_bundle_pool certs = {0};
	struct cf_error e = {0};
	gnutls_x509_trust_list_t tl = NULL;
	int ret = -1;
	if (cf_bundle_parse_input(pem, len, &certs, &e) < 0 || certs.n == 0) {
		cf_buf_printf(why, "%s", e.msg);
		goto out;
	}
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		goto out;
	for (size_t i = 0; i < shared->roots.n; i++) {
		gnutls_x509_crt_t root = NULL;
		if (cf_crt_import_der(shared->roots.v[i]->der, shared->roots.v[i]->len, &root,
				      NULL) < 0)
			continue;
		if (gnutls_x509_trust_list_add_cas(tl, &root, 1, 0) < 0)
			gnutls_x509_crt_deinit(root);
	}
	gnutls_x509_crt_t *list = cf_xcalloc(certs.n, sizeof *list);
	for (size_t i = 0; i < certs.n; i++)
		list[i] = certs.v[i]->crt;
	unsigned status = 0;
	int r = gnutls_x509_trust_list_verify_crt2(tl, list, (unsigned)certs.n, NULL, 0,
						   GNUTLS_VERIFY_ALLOW_X509_V1_CA_CRT, &status,
						   NULL);
	free(list);
	if (r < 0 || status) {
		gnutls_datum_t txt = {NULL, 0};
		if (r >= 0 && gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509,
									   &txt, 0) >= 0) {
			cf_buf_printf(why, "%s", (const char *)txt.data);
			gnutls_free(txt.data);
		} else {
			cf_buf_printf(why, "%s", r < 0 ? gnutls_strerror(r) : "not verified");
		}
		goto out;
	}
	if (cf_crt_hostname_error(certs.v[0]->crt, host, why))
		goto out;
	ret = 0;
out:
	if (tl)
		gnutls_x509_trust_list_deinit(tl, 1);
	cf_bundle_pool_release(&certs);
	return ret;
}

/* Go's BundleFromRemote dials with a 5 s timeout. */
#define REMOTE_TIMEOUT_MS 5000

int cf_op_bundle_remote(const struct cf_bundler *shared, const char *domain, const char *ip,
			enum cf_bundle_flavor flavor, int64_t now, struct cf_buf *json,
			struct cf_error *err)
{
	/* deviation: "host:port" dials that port (cfssl always appends ":443") */
	char *host = cf_xstrdup(domain);
	const char *port = "443";
	char *colon = strrchr(host, ':');
	if (host[0] == '[' && colon && colon > host && colon[-1] == ']') {
		colon[-1] = '\0';
		port = colon + 1;
		memmove(host, host + 1, strlen(host + 1) + 1);
	} else if (colon && colon == strchr(host, ':')) {
		*colon = '\0';
		port = colon + 1;
	}
	const char *target = ip && *ip ? ip : host;
	struct cf_buf dial = CF_BUF_INIT, peers = CF_BUF_INIT, msg = CF_BUF_INIT;
	cf_buf_printf(&dial, strchr(target, ':') ? "[%s]:%s" : "%s:%s", target, port);
	int ret = -1;
	cf_debug("bundling from remote %s", (const char *)dial.data);
	if (cf_certinfo_fetch_chain((const char *)dial.data, host, REMOTE_TIMEOUT_MS, &peers, err) <
	    0) {
		err->code = CF_ERR_DIAL;
		goto out;
	}
	/* cfssl dials again without verification when the rigid handshake fails, then calls
	 * conn.VerifyHostname, which always fails on such a connection: every chain that does
	 * not verify by itself ends there, with Go's text */
	if (rigid_verify(shared, peers.data, peers.len, host, &msg) < 0) {
		cf_debug("dial failed: %s", msg.data ? (const char *)msg.data : "");
		cf_error_set(err, CF_ERR_CERT_UNKNOWN + 200,
			     "tls: handshake did not verify certificate chain");
		goto out;
	}
	struct cf_bundle_request r = {
		.cert = peers.data,
		.cert_len = peers.len,
		.flavor = flavor,
		.now = now,
	};
	ret = cf_op_bundle(shared, &r, json, err);
out:
	cf_buf_release(&dial);
	cf_buf_release(&peers);
	cf_buf_release(&msg);
	free(host);
	return ret;
}

#define SECOND_NS 1000000000LL

int cf_op_ocspsign(const struct cf_ocsp_signer *s, gnutls_x509_crt_t cert,
		   struct cf_ocsp_request *r, int64_t now, struct cf_buf *b64, struct cf_error *err)
{
	struct cf_buf der = CF_BUF_INIT;
	r->this_update = now - now % 3600;
	r->produced_at = now - now % 60;
	r->next_update = r->this_update + s->interval;
	int ret = cf_ocsp_sign(cert, s->issuer, s->responder, s->key, r, &der, err);
	if (ret == 0)
		cf_base64_encode(b64, der.data, der.len);
	cf_buf_release(&der);
	return ret;
}

#define ONE_WEEK (7LL * 24 * 3600)

/* Deviation 21: the CRL's signature must verify with the certificate's key. */
static int key_matches(gnutls_x509_crt_t crt, const struct cf_key *key, struct cf_error *err)
{
	struct cf_buf a = CF_BUF_INIT, b = CF_BUF_INIT;
	int ok = cf_crt_spki(crt, &a) == 0 && cf_key_spki(key, &b, err) == 0 && a.len == b.len &&
		 !memcmp(a.data, b.data, a.len);
	cf_buf_release(&a);
	cf_buf_release(&b);
	if (ok)
		return 0;
	cf_error_clear(err);
	return cf_error_set(err, CF_ERR_KEY_MISMATCH, "Private key does not match public key");
}

int cf_op_gencrl(const struct cf_gencrl_request *r, struct cf_buf *der, struct cf_error *err)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_privkey_t xkey = NULL;
	struct cf_key key = {0};
	struct cf_crl_entry *entries = NULL;
	size_t nentries = 0;
	int ret = -1;
	int64_t now = (int64_t)time(NULL);

	if (cf_parse_cert_pem(r->cert, r->cert_len, &crt, err) < 0)
		goto out;
	nentries = cf_crl_parse_serials((const char *)r->serials, r->serials_len, now, &entries);
	const char *password = r->no_password ? NULL : getenv("CFSSL_CA_PK_PASSWORD");
	if (cf_parse_key_pem(r->key, r->key_len, password && *password ? password : NULL, &xkey,
			     err) < 0)
		goto out;
	int k = cf_key_from_x509(xkey, &key, err);
	xkey = NULL; /* taken */
	if (k < 0)
		goto out;
	if (r->check_key && key_matches(crt, &key, err) < 0)
		goto out;
	struct cf_crl_params p = {
		.this_update = now,
		.next_update = now + (r->expiry ? r->expiry : ONE_WEEK),
		.entries = entries,
		.nentries = nentries,
		.crl_number = 1, /* deviation 11 */
	};
	cf_debug("adding CRL Number %lld (deviation 11: cfssl writes none)", (long long)now);
	ret = cf_crl_create(crt, &key, &p, der, err);
out:
	cf_crl_entries_free(entries, nentries);
	cf_key_release(&key);
	if (xkey)
		gnutls_x509_privkey_deinit(xkey);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	return ret;
}
