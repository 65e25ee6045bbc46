/* cfssl's revoke package (revoke.go) over libcurl and GnuTLS. */
#include "revoke.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>

#include "base64.h"
#include "buf.h"
#include "der.h"
#include "log.h"
#include "pem.h"
#include "remote.h"

struct crl_entry {
	char *url;
	struct cf_buf der;
	time_t next_update; /* -1: none (always expired, as Go's HasExpired on a zero time) */
};

struct cf_revoke_cache {
	pthread_mutex_t lock;
	struct crl_entry *e;
	size_t n;
};

struct cf_revoke_cache *cf_revoke_cache_new(void)
{
	struct cf_revoke_cache *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void cf_revoke_cache_free(struct cf_revoke_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->e[i].url);
		cf_buf_release(&c->e[i].der);
	}
	free(c->e);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* A copy of the cached CRL of @url when it has not expired; 0 if there is none. */
static int cache_get(struct cf_revoke_cache *c, const char *url, struct cf_buf *der)
{
	int found = 0;
	if (!c)
		return 0;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].url, url))
			continue;
		if (c->e[i].next_update != -1 && time(NULL) < c->e[i].next_update) {
			cf_buf_add(der, c->e[i].der.data, c->e[i].der.len);
			found = 1;
		}
		break;
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

static void cache_put(struct cf_revoke_cache *c, const char *url, const struct cf_buf *der,
		      time_t next_update)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	size_t i = 0;
	while (i < c->n && strcmp(c->e[i].url, url))
		i++;
	if (i == c->n) {
		struct crl_entry *ne = realloc(c->e, (c->n + 1) * sizeof *ne);
		char *u = strdup(url);
		if (!ne || !u)
			abort();
		c->e = ne;
		c->e[i] = (struct crl_entry){u, CF_BUF_INIT, -1};
		c->n++;
	}
	c->e[i].der.len = 0;
	cf_buf_add(&c->e[i].der, der->data, der->len);
	c->e[i].next_update = next_update;
	pthread_mutex_unlock(&c->lock);
}

struct ctx {
	const struct cf_revoke_req *req;
	long cto, to;
};

static int fetch(const struct ctx *x, const char *url, const void *body, size_t len, long *status,
		 struct cf_buf *out, struct cf_error *err)
{
	return cf_remote_fetch(url, body, len, "application/ocsp-request", x->cto, x->to, status,
			       out, err);
}

/* The URIs of @crt's CRL distribution points (seq by seq), or of its AIA @what entries. */
static int crl_url(gnutls_x509_crt_t crt, unsigned seq, struct cf_buf *out)
{
	size_t len = 0;
	int r = gnutls_x509_crt_get_crl_dist_points(crt, seq, NULL, &len, NULL, NULL);
	if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	if (r != GNUTLS_E_SHORT_MEMORY_BUFFER)
		return -1; /* not a URI */
	char *b = malloc(len + 1);
	if (!b)
		abort();
	r = gnutls_x509_crt_get_crl_dist_points(crt, seq, b, &len, NULL, NULL);
	if (r == GNUTLS_SAN_URI)
		cf_buf_add(out, b, len);
	free(b);
	return r == GNUTLS_SAN_URI ? 1 : -1;
}

static int aia_url(gnutls_x509_crt_t crt, unsigned seq, int what, struct cf_buf *out)
{
	gnutls_datum_t d = {0};
	int r = gnutls_x509_crt_get_authority_info_access(crt, seq, what, &d, NULL);
	if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	if (r < 0)
		return -1;
	cf_buf_add(out, d.data, d.size);
	gnutls_free(d.data);
	return 1;
}

/* fetchRemote: the body (no status check, as cfssl) as PEM or DER. */
static int fetch_cert(const struct ctx *x, const char *url, gnutls_x509_crt_t *crt)
{
	struct cf_buf body = CF_BUF_INIT;
	struct cf_error e = {0};
	long status = 0;
	int r = -1;
	if (fetch(x, url, NULL, 0, &status, &body, &e) == 0) {
		struct cf_pem_block blk = {0};
		const char *rest;
		size_t restlen;
		if (cf_pem_decode((const char *)body.data, body.len, &blk, &rest, &restlen)) {
			r = cf_crt_import_der(blk.der, blk.len, crt, NULL);
			cf_pem_block_release(&blk);
		} else {
			r = cf_crt_import_der(body.data, body.len, crt, NULL);
		}
	}
	cf_buf_release(&body);
	return r;
}

/* getIssuer: the first caIssuers URL that yields a certificate; NULL otherwise. */
static gnutls_x509_crt_t get_issuer(const struct ctx *x, gnutls_x509_crt_t crt)
{
	gnutls_x509_crt_t issuer = NULL;
	for (unsigned seq = 0; !issuer; seq++) {
		struct cf_buf u = CF_BUF_INIT;
		int r = aia_url(crt, seq, GNUTLS_IA_CAISSUERS_URI, &u);
		if (r == 0) {
			cf_buf_release(&u);
			break;
		}
		if (r > 0 && fetch_cert(x, (const char *)u.data, &issuer) < 0)
			issuer = NULL;
		cf_buf_release(&u);
	}
	return issuer;
}

/* The TBS part of a signed DER object (SEQUENCE { tbs, algorithm, signature }). */
static int tbs_of(const unsigned char *der, size_t len, gnutls_datum_t *tbs)
{
	struct cf_der_reader r = {der, len};
	struct cf_der_tlv t;
	if (cf_der_next(&r, &t) != 1 || t.tag != 0x30)
		return -1;
	struct cf_der_reader in = {t.content, t.len};
	if (cf_der_next(&in, &t) != 1 || t.tag != 0x30)
		return -1;
	tbs->data = (unsigned char *)t.raw;
	tbs->size = (unsigned)t.rawlen;
	return 0;
}

/* Go's CheckSignature: @sig over @tbs with @signer's key, nothing else checked. */
static int check_signature(gnutls_x509_crt_t signer, int sigalgo, const gnutls_datum_t *tbs,
			   const gnutls_datum_t *sig, struct cf_error *err)
{
	gnutls_pubkey_t pub;
	if (gnutls_pubkey_init(&pub) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "x509: out of memory");
	int r = gnutls_pubkey_import_x509(pub, signer, 0);
	int pk = r < 0 ? 0 : gnutls_pubkey_get_pk_algorithm(pub, NULL);
	if (r >= 0)
		r = gnutls_pubkey_verify_data2(pub, (gnutls_sign_algorithm_t)sigalgo,
					       GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, tbs, sig);
	gnutls_pubkey_deinit(pub);
	if (r >= 0)
		return 0;
	if (r == GNUTLS_E_UNKNOWN_ALGORITHM || r == GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM ||
	    r == GNUTLS_E_CONSTRAINT_ERROR)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "x509: cannot verify signature: algorithm unimplemented");
	switch (pk) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		return cf_error_set(err, CF_ERR_PLAIN, "crypto/rsa: verification error");
	case GNUTLS_PK_ECDSA:
		return cf_error_set(err, CF_ERR_PLAIN, "x509: ECDSA verification failure");
	case GNUTLS_PK_EDDSA_ED25519:
		return cf_error_set(err, CF_ERR_PLAIN, "x509: Ed25519 verification failure");
	default:
		return cf_error_set(err, CF_ERR_PLAIN,
				    "x509: signature algorithm specifies an %s public key, but "
				    "have public key of type %s",
				    gnutls_pk_get_name((gnutls_pk_algorithm_t)pk),
				    gnutls_pk_get_name((gnutls_pk_algorithm_t)pk));
	}
}

static int check_crl_signature(gnutls_x509_crt_t issuer, gnutls_x509_crl_t crl,
			       const struct cf_buf *der, struct cf_error *err)
{
	gnutls_datum_t tbs;
	if (tbs_of(der->data, der->len, &tbs) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "x509: malformed crl");
	size_t n = 0;
	gnutls_x509_crl_get_signature(crl, NULL, &n);
	char *s = malloc(n ? n : 1);
	if (!s)
		abort();
	int r = gnutls_x509_crl_get_signature(crl, s, &n);
	gnutls_datum_t sig = {(unsigned char *)s, (unsigned)n};
	if (r >= 0)
		r = check_signature(issuer, gnutls_x509_crl_get_signature_algorithm(crl), &tbs,
				    &sig, err);
	else
		r = cf_error_set(err, CF_ERR_PLAIN, "x509: malformed crl");
	free(s);
	return r;
}

/* An INTEGER's magnitude without leading zero bytes. */
static void trim(const unsigned char **p, size_t *n)
{
	while (*n > 1 && (*p)[0] == 0) {
		(*p)++;
		(*n)--;
	}
}

static int same_serial(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	trim(&a, &an);
	trim(&b, &bn);
	return an == bn && !memcmp(a, b, an);
}

static int crt_serial(gnutls_x509_crt_t crt, unsigned char *s, size_t *n)
{
	return gnutls_x509_crt_get_serial(crt, s, n);
}

/* certIsRevokedCRL: 0 checked (*revoked set), -1 not (err set). */
static int revoked_crl(const struct ctx *x, const char *url, int *revoked, struct cf_error *err)
{
	gnutls_x509_crt_t crt = x->req->crt;
	struct cf_buf der = CF_BUF_INIT;
	gnutls_x509_crl_t crl = NULL;
	int ret = -1;
	*revoked = 0;
	int cached = cache_get(x->req->cache, url, &der);
	gnutls_x509_crt_t issuer = get_issuer(x, crt);
	if (gnutls_x509_crl_init(&crl) < 0) {
		cf_error_set(err, CF_ERR_PLAIN, "x509: out of memory");
		goto out;
	}
	if (!cached) {
		long status = 0;
		if (fetch(x, url, NULL, 0, &status, &der, err) < 0)
			goto fetch_failed;
		if (status >= 300) {
			cf_error_set(err, CF_ERR_PLAIN, "failed to retrieve CRL");
			goto fetch_failed;
		}
		/* Go's ParseCRL takes PEM when the bytes start with its header */
		static const char hdr[] = "-----BEGIN X509 CRL";
		if (der.len >= sizeof hdr - 1 && !memcmp(der.data, hdr, sizeof hdr - 1)) {
			struct cf_pem_block blk = {0};
			const char *rest;
			size_t restlen;
			if (!cf_pem_decode((const char *)der.data, der.len, &blk, &rest,
					   &restlen)) {
				cf_error_set(err, CF_ERR_PLAIN, "x509: malformed crl");
				goto fetch_failed;
			}
			der.len = 0;
			cf_buf_add(&der, blk.der, blk.len);
			cf_pem_block_release(&blk);
		}
	}
	gnutls_datum_t d = {der.data, (unsigned)der.len};
	if (gnutls_x509_crl_import(crl, &d, GNUTLS_X509_FMT_DER) < 0) {
		cf_error_set(err, CF_ERR_PLAIN, "x509: malformed crl");
		goto fetch_failed;
	}
	if (!cached) {
		if (issuer && check_crl_signature(issuer, crl, &der, err) < 0) {
			cf_warning("failed to verify CRL: %s", err->msg);
			goto out;
		}
		cache_put(x->req->cache, url, &der, gnutls_x509_crl_get_next_update(crl));
	}
	unsigned char s[64], rs[64];
	size_t sn = sizeof s;
	if (crt_serial(crt, s, &sn) < 0)
		sn = 0;
	int count = gnutls_x509_crl_get_crt_count(crl);
	for (int i = 0; i < count; i++) {
		size_t rn = sizeof rs;
		if (gnutls_x509_crl_get_crt_serial(crl, (unsigned)i, rs, &rn, NULL) < 0)
			continue;
		if (sn && same_serial(s, sn, rs, rn)) {
			cf_info("Serial number match: intermediate is revoked.");
			*revoked = 1;
			break;
		}
	}
	ret = 0;
	goto out;
fetch_failed:
	cf_warning("failed to fetch CRL: %s", err->msg);
out:
	if (crl)
		gnutls_x509_crl_deinit(crl);
	if (issuer)
		gnutls_x509_crt_deinit(issuer);
	cf_buf_release(&der);
	return ret;
}

/* Go's url.QueryEscape of base64 text. */
static void query_escape(struct cf_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			cf_buf_addc(out, c);
		else
			cf_buf_printf(out, "%%%02X", c);
	}
}

/* sendOCSPRequest and ocsp.ParseResponseForCert: 0 with *good, -1 with @err. */
static int send_ocsp(const struct ctx *x, const char *server, const gnutls_datum_t *req,
		     gnutls_x509_crt_t leaf, gnutls_x509_crt_t issuer, int *good,
		     struct cf_error *err)
{
	struct cf_buf body = CF_BUF_INIT, url = CF_BUF_INIT;
	long status = 0;
	int r;
	if (req->size > 256) {
		r = fetch(x, server, req->data, req->size, &status, &body, err);
	} else {
		struct cf_buf b64 = CF_BUF_INIT;
		cf_base64_encode(&b64, req->data, req->size);
		cf_buf_printf(&url, "%s/", server);
		query_escape(&url, (const char *)b64.data, b64.len);
		cf_buf_release(&b64);
		r = fetch(x, (const char *)url.data, NULL, 0, &status, &body, err);
	}
	gnutls_ocsp_resp_t resp = NULL;
	if (r < 0)
		goto out;
	r = -1;
	if (status != 200) {
		cf_error_set(err, CF_ERR_PLAIN, "failed to retrieve OSCP");
		goto out;
	}
	static const char *const errs[] = {
		NULL, "OSCP malformed",          "OSCP internal error", "OSCP try later",
		NULL, "OSCP signature required", "OSCP unauthorized"};
	if (body.len == 5 && !memcmp(body.data, "\x30\x03\x0a\x01", 4) && body.data[4] < 7 &&
	    errs[body.data[4]]) {
		cf_error_set(err, CF_ERR_PLAIN, "%s", errs[body.data[4]]);
		goto out;
	}
	gnutls_datum_t d = {body.data, (unsigned)body.len};
	if (gnutls_ocsp_resp_init(&resp) < 0 || gnutls_ocsp_resp_import(resp, &d) < 0) {
		cf_error_set(err, CF_ERR_PLAIN, "ocsp: error parsing response");
		goto out;
	}
	int rstatus = gnutls_ocsp_resp_get_status(resp);
	if (rstatus != GNUTLS_OCSP_RESP_SUCCESSFUL) {
		cf_error_set(err, CF_ERR_PLAIN, "ocsp: error from server");
		goto out;
	}
	unsigned char s[64];
	size_t sn = sizeof s;
	if (crt_serial(leaf, s, &sn) < 0)
		sn = 0;
	int match = 0, cstatus = 0, any = 0;
	for (unsigned i = 0;; i++) {
		gnutls_datum_t serial = {0};
		unsigned st;
		int g = gnutls_ocsp_resp_get_single(resp, i, NULL, NULL, NULL, &serial, &st, NULL,
						    NULL, NULL, NULL);
		if (g < 0)
			break;
		any = 1;
		if (sn && same_serial(s, sn, serial.data, serial.size)) {
			match = 1;
			cstatus = (int)st;
		}
		gnutls_free(serial.data);
		if (match)
			break;
	}
	if (!any) {
		cf_error_set(err, CF_ERR_PLAIN, "OCSP response contains no status information");
		goto out;
	}
	if (!match) {
		cf_error_set(err, CF_ERR_PLAIN, "no response matching the supplied certificate");
		goto out;
	}
	gnutls_x509_crt_t *certs = NULL;
	size_t ncerts = 0;
	if (gnutls_ocsp_resp_get_certs(resp, &certs, &ncerts) < 0)
		ncerts = 0;
	gnutls_x509_crt_t signer = ncerts ? certs[0] : issuer;
	unsigned v = 0;
	int vr = gnutls_ocsp_resp_verify_direct(resp, signer, &v, 0);
	if (vr < 0 || v)
		cf_error_set(err, CF_ERR_PLAIN, "bad OCSP signature: verification failure");
	if (ncerts && !(vr < 0 || v)) {
		/* the responder's certificate must be signed by the issuer */
		gnutls_datum_t cder = {0}, tbs, sig = {0};
		size_t n = 0;
		int ok = gnutls_x509_crt_export2(certs[0], GNUTLS_X509_FMT_DER, &cder) >= 0 &&
			 tbs_of(cder.data, cder.size, &tbs) == 0;
		char *sb = NULL;
		if (ok) {
			gnutls_x509_crt_get_signature(certs[0], NULL, &n);
			sb = malloc(n ? n : 1);
			if (!sb)
				abort();
			ok = gnutls_x509_crt_get_signature(certs[0], sb, &n) >= 0;
			sig.data = (unsigned char *)sb;
			sig.size = (unsigned)n;
		}
		struct cf_error se = {0};
		if (!ok ||
		    check_signature(issuer, gnutls_x509_crt_get_signature_algorithm(certs[0]), &tbs,
				    &sig, &se) < 0)
			cf_error_set(err, CF_ERR_PLAIN, "bad OCSP signature: %s",
				     ok ? se.msg : "x509: malformed certificate");
		free(sb);
		gnutls_free(cder.data);
	}
	for (size_t i = 0; i < ncerts; i++)
		gnutls_x509_crt_deinit(certs[i]);
	gnutls_free(certs);
	if (err->msg[0])
		goto out;
	*good = cstatus == GNUTLS_OCSP_CERT_GOOD;
	r = 0;
out:
	if (resp)
		gnutls_ocsp_resp_deinit(resp);
	cf_buf_release(&body);
	cf_buf_release(&url);
	return r;
}

/* certIsRevokedOCSP: 0 checked, -1 not (@err set when cfssl has an error). */
static int revoked_ocsp(const struct ctx *x, int *revoked, struct cf_error *err)
{
	gnutls_x509_crt_t leaf = x->req->crt;
	*revoked = 0;
	struct cf_buf first = CF_BUF_INIT;
	if (aia_url(leaf, 0, GNUTLS_IA_OCSP_URI, &first) <= 0) {
		/* the first entry may be another kind: look further */
		int any = 0;
		for (unsigned seq = 1; !any; seq++) {
			int r = aia_url(leaf, seq, GNUTLS_IA_OCSP_URI, &first);
			if (r == 0)
				break;
			any = r > 0;
		}
		if (!any) {
			cf_buf_release(&first);
			return 0; /* OCSP not enabled for this certificate */
		}
	}
	cf_buf_release(&first);
	gnutls_x509_crt_t issuer = get_issuer(x, leaf);
	if (!issuer)
		return -1;
	int ret = -1;
	gnutls_ocsp_req_t oreq = NULL;
	gnutls_datum_t der = {0};
	if (gnutls_ocsp_req_init(&oreq) < 0 ||
	    gnutls_ocsp_req_add_cert(oreq, GNUTLS_DIG_SHA1, issuer, leaf) < 0 ||
	    gnutls_ocsp_req_export(oreq, &der) < 0) {
		cf_error_set(err, CF_ERR_PLAIN, "ocsp: cannot create request");
		goto out;
	}
	for (unsigned seq = 0;; seq++) {
		struct cf_buf u = CF_BUF_INIT;
		int r = aia_url(leaf, seq, GNUTLS_IA_OCSP_URI, &u);
		if (r == 0) {
			cf_buf_release(&u);
			break;
		}
		if (r < 0) {
			cf_buf_release(&u);
			continue;
		}
		struct cf_error e = {0};
		int good = 0;
		r = send_ocsp(x, (const char *)u.data, &der, leaf, issuer, &good, &e);
		cf_buf_release(&u);
		if (r < 0) {
			if (x->req->hard_fail) {
				cf_error_set(err, CF_ERR_PLAIN, "%s", e.msg);
				goto out;
			}
			continue;
		}
		*revoked = !good;
		ret = 0;
		break;
	}
out:
	gnutls_free(der.data);
	if (oreq)
		gnutls_ocsp_req_deinit(oreq);
	gnutls_x509_crt_deinit(issuer);
	return ret;
}

static void go_time(time_t t, char *out, size_t n)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
}

int cf_revoke_verify(const struct cf_revoke_req *req, struct cf_revoke_result *res,
		     struct cf_error *err)
{
	struct ctx x = {req,
			req->connect_timeout_ms ? req->connect_timeout_ms
						: CF_REVOKE_CONNECT_TIMEOUT_MS,
			req->timeout_ms ? req->timeout_ms : CF_REVOKE_TIMEOUT_MS};
	gnutls_x509_crt_t crt = req->crt;
	time_t now = time(NULL);
	time_t na = gnutls_x509_crt_get_expiration_time(crt);
	time_t nb = gnutls_x509_crt_get_activation_time(crt);
	char when[64];
	*res = (struct cf_revoke_result){1, 1};
	if (now >= na) {
		go_time(na, when, sizeof when);
		cf_info("Certificate expired %s", when);
		cf_error_set(err, CF_ERR_PLAIN, "Certificate expired %s\n", when);
		return 0;
	}
	if (now <= nb) {
		go_time(nb, when, sizeof when);
		cf_info("Certificate isn't valid until %s", when);
		cf_error_set(err, CF_ERR_PLAIN, "Certificate isn't valid until %s\n", when);
		return 0;
	}
	int revoked = 0;
	for (unsigned seq = 0;; seq++) {
		struct cf_buf u = CF_BUF_INIT;
		int r = crl_url(crt, seq, &u);
		if (r == 0) {
			cf_buf_release(&u);
			break;
		}
		if (r < 0) {
			cf_buf_release(&u);
			continue;
		}
		const char *url = (const char *)u.data;
		if (!strncasecmp(url, "ldap:", 5)) {
			cf_info("skipping LDAP CRL: %s", url);
			cf_buf_release(&u);
			continue;
		}
		r = revoked_crl(&x, url, &revoked, err);
		cf_buf_release(&u);
		if (r < 0) {
			cf_warning("error checking revocation via CRL");
			*res = (struct cf_revoke_result){req->hard_fail, 0};
			return -1;
		}
		if (revoked) {
			cf_info("certificate is revoked via CRL");
			return 0;
		}
	}
	if (revoked_ocsp(&x, &revoked, err) < 0) {
		cf_warning("error checking revocation via OCSP");
		*res = (struct cf_revoke_result){req->hard_fail, 0};
		return -1;
	}
	if (revoked) {
		cf_info("certificate is revoked via OCSP");
		return 0;
	}
	res->revoked = 0;
	return 0;
}
