#include "initca.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/x509.h>

#include "der.h"
#include "duration.h"
#include "keygen.h"
#include "log.h"
#include "pem.h"
#include "signer.h"

#define NS_PER_SEC 1000000000LL

/* cfssl logs these errors at ERROR level before returning them. */
static void log_error(const char *prefix, const struct cf_error *err)
{
	char msg[CF_ERROR_MSG_MAX + 64];
	cf_error_render(err, msg, sizeof msg);
	cf_errorlog("%s%s", prefix, msg);
}

/* Self-signs the CA certificate for @subject / @key with cfssl's CA policy:
 * usages cert sign + crl sign, CA:TRUE with @pathlen rules of §5.6. */
static int sign_ca(const struct cf_buf *subject, const struct cf_host *hosts, size_t nhosts,
		   const struct cf_key *key, int64_t expiry, int64_t backdate, long long pathlen,
		   int pathlenzero, const char *crl_url, int delegation, struct cf_buf *cert_pem,
		   struct cf_error *err)
{
	static char *ca_usages[] = {"cert sign", "crl sign"};
	struct cf_profile p = {0};
	p.usages = ca_usages;
	p.nusages = 2;
	p.expiry = expiry;
	p.backdate = backdate;
	p.is_ca = 1;
	p.max_path_len = pathlen;
	p.max_path_len_zero = pathlenzero;
	if (p.expiry == 0) {
		cf_error_set(err, CF_ERR_POLICY_INVALID, "Invalid or unknown policy");
		log_error("failed to create signer: ", err);
		return -1;
	}
	int ret = -1;
	struct cf_ca self = {0};
	struct cf_buf spki = CF_BUF_INIT, der = CF_BUF_INIT, serial = CF_BUF_INIT;
	if (cf_key_spki(key, &spki, err) < 0)
		goto out;
	cf_buf_add(&self.subject, subject->data, subject->len);
	self.key = *key; /* borrowed: not released below */
	struct cf_cert_template t = {
		.subject = subject->data,
		.subject_len = subject->len,
		.spki = spki.data,
		.spki_len = spki.len,
		.hosts = hosts,
		.nhosts = nhosts,
		.profile = &p,
		.crl_override = crl_url,
		.delegation = delegation,
	};
	if (cf_sign_certificate(&t, &self, &der, &serial, err) < 0)
		goto out;
	cf_info("signed certificate with serial number %s", (const char *)serial.data);
	cf_pem_encode(cert_pem, "CERTIFICATE", der.data, der.len);
	ret = 0;
out:
	cf_buf_release(&self.subject);
	cf_buf_release(&spki);
	cf_buf_release(&der);
	cf_buf_release(&serial);
	return ret;
}

/* pathlenzero only counts with a zero pathlen (§5.6). */
static int pathlenzero_of(const struct cf_csr_request *req)
{
	return req->has_ca && !(req->ca_pathlen != 0 && req->ca_pathlenzero) && req->ca_pathlenzero;
}

static int parse_ca_durations(const struct cf_csr_request *req, int64_t *expiry, int64_t *backdate,
			      int want_backdate, struct cf_error *err)
{
	*expiry = 43800LL * 3600 * NS_PER_SEC;
	*backdate = 0;
	if (req->ca_expiry && *req->ca_expiry && cf_duration_parse(req->ca_expiry, expiry, err) < 0)
		return -1;
	if (want_backdate && req->ca_backdate && *req->ca_backdate &&
	    cf_duration_parse(req->ca_backdate, backdate, err) < 0)
		return -1;
	return 0;
}

int cf_initca_new(const struct cf_csr_request *req, struct cf_buf *cert, struct cf_buf *csr,
		  struct cf_buf *keypem, struct cf_error *err)
{
	if (req->has_ca && req->ca_pathlen != 0 && req->ca_pathlenzero)
		cf_info("ignore invalid 'pathlenzero' value");
	int64_t expiry, backdate;
	if (parse_ca_durations(req, &expiry, &backdate, 1, err) < 0)
		return -1;
	cf_info("generate received request");
	if (!cf_csr_request_has_subject(req)) {
		cf_error_set(err, CF_ERR_POLICY_VIOLATION, "missing subject information");
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(err, msg, sizeof msg);
		cf_warning("invalid request: %s", msg);
		cf_errorlog("failed to process request: %s", msg);
		return -1;
	}
	cf_info("received CSR");
	cf_info("generating key: %s-%lld", req->algo, req->size);

	int ret = -1;
	struct cf_key key = {0};
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;
	struct cf_buf subject = CF_BUF_INIT;
	if (cf_key_generate(req->algo, req->size, &key, err) < 0) {
		log_error("failed to process request: ", err);
		goto out;
	}
	if (cf_csr_hosts(req, &hosts, &nhosts, err) < 0) {
		log_error("failed to generate a CSR: ", err);
		goto out;
	}
	if (cf_csr_generate(req, hosts, nhosts, &key, csr, err) < 0) {
		/* cfssl's ProcessRequest logs the request error before initca wraps it */
		if (err->code == CF_ERR_CSR_BAD)
			cf_errorlog("failed to generate a CSR: %s", err->msg);
		log_error("failed to process request: ", err);
		goto out;
	}
	if (cf_key_export_pem(&key, keypem, err) < 0 ||
	    cf_csr_cert_subject_der(req, &subject, err) < 0) {
		log_error("failed to process request: ", err);
		goto out;
	}
	cf_info("encoded CSR");
	if (sign_ca(&subject, hosts, nhosts, &key, expiry, backdate,
		    req->has_ca ? req->ca_pathlen : 0, pathlenzero_of(req), req->crl_url,
		    req->delegation_enabled, cert, err) < 0)
		goto out;
	ret = 0;
out:
	cf_key_release(&key);
	cf_hosts_free(hosts, nhosts);
	cf_buf_release(&subject);
	return ret;
}

/* cfssl's CA expiry for a renewal: NotAfter.Sub(NotBefore), which Go
 * saturates at the Duration range (a CA valid until 9999 is renewed for
 * 2562047h47m16.854775807s). */
static int64_t ca_lifetime(const struct cf_buf *certdata, gnutls_x509_crt_t crt)
{
	struct cf_pem_block blk;
	struct cf_cert_view v;
	struct cf_time nb, na;
	if (cf_cert_pem_view(certdata->data, certdata->len, &blk, &v) == 0) {
		nb = (struct cf_time){v.not_before, 0};
		na = (struct cf_time){v.not_after, 0};
		cf_pem_block_release(&blk);
	} else {
		/* GnuTLS gives -1 for 99991231235959Z ("no well-defined expiration") */
		time_t b = gnutls_x509_crt_get_activation_time(crt);
		time_t a = gnutls_x509_crt_get_expiration_time(crt);
		nb = (struct cf_time){(int64_t)b, 0};
		na = (struct cf_time){a == (time_t)-1 ? 253402300799LL : (int64_t)a, 0};
	}
	return cf_time_sub(na, nb);
}

static int load_key(const char *spec, struct cf_key *key, struct cf_error *err)
{
	struct cf_buf data = CF_BUF_INIT;
	gnutls_x509_privkey_t xkey = NULL;
	int r = -1;
	if (cf_read_prefixed(spec, &data, err) == 0 &&
	    cf_parse_key_pem(data.data, data.len, NULL, &xkey, err) == 0)
		r = cf_key_from_x509(xkey, key, err);
	cf_buf_release(&data);
	return r;
}

int cf_initca_from_key(const struct cf_csr_request *req, const char *key_spec, struct cf_buf *cert,
		       struct cf_buf *csr, struct cf_error *err)
{
	cf_info("re-generate a CA certificate from CSR and CA key");
	int ret = -1;
	struct cf_key key = {0};
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;
	struct cf_buf subject = CF_BUF_INIT;
	int64_t expiry, backdate;
	if (load_key(key_spec, &key, err) < 0 ||
	    parse_ca_durations(req, &expiry, &backdate, 0, err) < 0 ||
	    cf_csr_hosts(req, &hosts, &nhosts, err) < 0 ||
	    cf_csr_generate(req, hosts, nhosts, &key, csr, err) < 0 ||
	    cf_csr_cert_subject_der(req, &subject, err) < 0) {
		log_error("", err);
		goto out;
	}
	cf_info("encoded CSR");
	/* cfssl ignores ca.backdate and crl_url on this path */
	if (sign_ca(&subject, hosts, nhosts, &key, expiry, 0, req->has_ca ? req->ca_pathlen : 0,
		    pathlenzero_of(req), NULL, req->delegation_enabled, cert, err) < 0) {
		log_error("", err);
		goto out;
	}
	ret = 0;
out:
	cf_key_release(&key);
	cf_hosts_free(hosts, nhosts);
	cf_buf_release(&subject);
	return ret;
}

/* Appends every value of @oid in @crt's subject to the names entries of @req. */
static void take_values(gnutls_x509_crt_t crt, const char *oid, size_t field,
			struct cf_csr_request *req)
{
	for (unsigned i = 0;; i++) {
		char buf[1024];
		size_t len = sizeof buf;
		if (gnutls_x509_crt_get_dn_by_oid(crt, oid, i, 0, buf, &len) < 0)
			return;
		if (i >= req->nnames) {
			req->names = cf_xrealloc(req->names, (i + 1) * sizeof *req->names);
			memset(&req->names[i], 0, sizeof *req->names);
			req->nnames = i + 1;
		}
		char **slot = (char **)((char *)&req->names[i] + field);
		*slot = cf_xmemdup(buf, len);
	}
}

static char *dn_value(gnutls_x509_crt_t crt, const char *oid, int last)
{
	char *v = NULL;
	for (unsigned i = 0;; i++) {
		char buf[1024];
		size_t len = sizeof buf;
		if (gnutls_x509_crt_get_dn_by_oid(crt, oid, i, 0, buf, &len) < 0)
			break;
		free(v);
		v = cf_xmemdup(buf, len);
		if (!last)
			break;
	}
	return v;
}

/* The request §6.8 derives from an old CA certificate. */
static void request_from_cert(gnutls_x509_crt_t crt, struct cf_csr_request *req)
{
	memset(req, 0, sizeof *req);
	req->cn = dn_value(crt, GNUTLS_OID_X520_COMMON_NAME, 1);
	req->serialnumber = dn_value(crt, "2.5.4.5", 1);
	take_values(crt, GNUTLS_OID_X520_COUNTRY_NAME, offsetof(struct cf_name, c), req);
	take_values(crt, GNUTLS_OID_X520_STATE_OR_PROVINCE_NAME, offsetof(struct cf_name, st), req);
	take_values(crt, GNUTLS_OID_X520_LOCALITY_NAME, offsetof(struct cf_name, l), req);
	take_values(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, offsetof(struct cf_name, o), req);
	take_values(crt, GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, offsetof(struct cf_name, ou),
		    req);
	for (unsigned i = 0;; i++) {
		unsigned char buf[1024];
		size_t len = sizeof buf - 1;
		unsigned critical;
		int type = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &len, &critical);
		if (type < 0)
			break;
		char text[INET6_ADDRSTRLEN];
		const char *value = NULL;
		if (type == GNUTLS_SAN_IPADDRESS)
			value = inet_ntop(len == 4 ? AF_INET : AF_INET6, buf, text, sizeof text);
		else if (type == GNUTLS_SAN_DNSNAME || type == GNUTLS_SAN_RFC822NAME ||
			 type == GNUTLS_SAN_URI) {
			buf[len] = '\0';
			value = (const char *)buf;
		}
		if (!value)
			continue;
		req->hosts = cf_xgrow(req->hosts, req->nhosts, sizeof *req->hosts);
		req->hosts[req->nhosts++] = cf_xstrdup(value);
	}
	unsigned critical = 0, ca = 0;
	int pathlen = -1;
	if (gnutls_x509_crt_get_basic_constraints(crt, &critical, &ca, &pathlen) >= 0 && ca) {
		req->has_ca = 1;
		req->ca_pathlen = pathlen < 0 ? 0 : pathlen;
		req->ca_pathlenzero = pathlen == 0;
	}
	req->algo = cf_xstrdup("ecdsa");
	req->size = 256;
}

int cf_initca_renew(const char *cert_spec, const char *key_spec, struct cf_buf *cert,
		    struct cf_error *err)
{
	cf_info("re-generate a CA certificate from CA cert and key");
	int ret = -1;
	struct cf_buf certdata = CF_BUF_INIT, csr = CF_BUF_INIT, subject = CF_BUF_INIT;
	struct cf_buf a = CF_BUF_INIT, b = CF_BUF_INIT;
	gnutls_x509_crt_t crt = NULL;
	struct cf_key key = {0};
	struct cf_csr_request req = {0};
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;

	if (cf_read_prefixed(cert_spec, &certdata, err) < 0 ||
	    cf_parse_cert_pem(certdata.data, certdata.len, &crt, err) < 0 ||
	    load_key(key_spec, &key, err) < 0)
		goto fail;
	unsigned critical = 0, ca = 0;
	if (gnutls_x509_crt_get_basic_constraints(crt, &critical, &ca, NULL) < 0 || !ca) {
		cf_error_set(err, CF_ERR_PLAIN, "input certificate is not a CA cert");
		goto fail;
	}
	int r = cf_crt_spki(crt, &b);
	if (r < 0 || cf_key_spki(&key, &a, err) < 0 || a.len != b.len ||
	    memcmp(a.data, b.data, a.len) != 0) {
		cf_error_clear(err);
		cf_error_set(err, CF_ERR_KEY_MISMATCH, "Private key does not match public key");
		goto fail;
	}
	request_from_cert(crt, &req);
	int64_t expiry = ca_lifetime(&certdata, crt);
	if (cf_csr_hosts(&req, &hosts, &nhosts, err) < 0 ||
	    cf_csr_generate(&req, hosts, nhosts, &key, &csr, err) < 0 ||
	    cf_csr_cert_subject_der(&req, &subject, err) < 0)
		goto fail;
	cf_info("encoded CSR");
	if (sign_ca(&subject, hosts, nhosts, &key, expiry, 0, req.ca_pathlen, req.ca_pathlenzero,
		    NULL, 0, cert, err) < 0)
		goto fail;
	ret = 0;
	goto out;
fail:
	log_error("", err);
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	cf_key_release(&key);
	cf_csr_request_release(&req);
	cf_hosts_free(hosts, nhosts);
	cf_buf_release(&certdata);
	cf_buf_release(&csr);
	cf_buf_release(&subject);
	cf_buf_release(&a);
	cf_buf_release(&b);
	return ret;
}
