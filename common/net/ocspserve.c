/* cfssl's OCSP responder (ocsp/responder.go) on common/net/httpd; see ocspserve.h. */
#include "ocspserve.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>

#include "base64.h"
#include "bigint.h"
#include "buf.h"
#include "fileio.h"
#include "log.h"

#define CT_OCSP      "application/ocsp-response"
#define NO_CACHE     "max-age=0, no-cache"
#define SHA256_LEN   32
#define MAX_HASH_LEN 64

/* The OCSPResponse bodies cfssl answers with when it has no response to give. */
static const unsigned char resp_malformed[] = {0x30, 0x03, 0x0A, 0x01, 0x01};
static const unsigned char resp_internal[] = {0x30, 0x03, 0x0A, 0x01, 0x02};
static const unsigned char resp_unauthorized[] = {0x30, 0x03, 0x0A, 0x01, 0x06};

struct entry {
	char *serial; /* decimal */
	unsigned char *der;
	size_t len;
	size_t order; /* position in the file */
};

struct cf_ocspserve {
	char *base; /* the -path without trailing slashes: "" for "/" */
	struct cf_certdb *db;
	struct entry *v; /* sorted by serial, one per serial */
	size_t n;
};

/* ---- parsing ---- */

/* What the responder needs of a stored response (x/crypto/ocsp ParseResponse without an
 * issuer): status successful, a basic response with exactly one SingleResponse. */
struct parsed_resp {
	struct cf_buf serial; /* decimal, NUL-terminated */
	int64_t this_update, next_update;
};

static int parse_response(const unsigned char *der, size_t len, struct parsed_resp *out, char *why,
			  size_t whylen)
{
	gnutls_ocsp_resp_t resp = NULL;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	gnutls_datum_t in = {0}, ik = {0}, sn = {0};
	gnutls_digest_algorithm_t dig;
	unsigned status, reason;
	time_t this_u, next_u, rev;
	int ret = -1, rc;
	memset(out, 0, sizeof *out);
	if ((rc = gnutls_ocsp_resp_init(&resp)) < 0 ||
	    (rc = gnutls_ocsp_resp_import(resp, &d)) < 0) {
		snprintf(why, whylen, "%s", gnutls_strerror(rc));
		goto out;
	}
	rc = gnutls_ocsp_resp_get_status(resp);
	if (rc != GNUTLS_OCSP_RESP_SUCCESSFUL) {
		snprintf(why, whylen, "ocsp: error from server: status %d", rc);
		goto out;
	}
	rc = gnutls_ocsp_resp_get_single(resp, 0, &dig, &in, &ik, &sn, &status, &this_u, &next_u,
					 &rev, &reason);
	if (rc < 0) {
		snprintf(why, whylen, "OCSP response contains no Single Response: %s",
			 gnutls_strerror(rc));
		goto out;
	}
	gnutls_datum_t in2 = {0}, ik2 = {0}, sn2 = {0};
	gnutls_digest_algorithm_t dig2;
	unsigned status2, reason2;
	time_t this2, next2, rev2;
	if (gnutls_ocsp_resp_get_single(resp, 1, &dig2, &in2, &ik2, &sn2, &status2, &this2, &next2,
					&rev2, &reason2) >= 0) {
		gnutls_free(in2.data);
		gnutls_free(ik2.data);
		gnutls_free(sn2.data);
		snprintf(why, whylen, "OCSP response contains bad number of responses");
		goto out;
	}
	cf_bigint_dec_signed(sn.data, sn.size, &out->serial);
	cf_buf_addc(&out->serial, 0);
	out->this_update = this_u;
	out->next_update = next_u == (time_t)-1 ? CF_DBTIME_ZERO_SEC : next_u;
	ret = 0;
out:
	gnutls_free(in.data);
	gnutls_free(ik.data);
	gnutls_free(sn.data);
	if (resp)
		gnutls_ocsp_resp_deinit(resp);
	if (ret < 0)
		cf_buf_release(&out->serial);
	return ret;
}

/* The CertID of the first request (x/crypto/ocsp ParseRequest). */
struct parsed_req {
	gnutls_digest_algorithm_t hash;
	gnutls_datum_t name_hash, key_hash, serial; /* gnutls_free */
};

static void parsed_req_release(struct parsed_req *r)
{
	gnutls_free(r->name_hash.data);
	gnutls_free(r->key_hash.data);
	gnutls_free(r->serial.data);
	memset(r, 0, sizeof *r);
}

static int parse_request(const unsigned char *der, size_t len, struct parsed_req *out)
{
	gnutls_ocsp_req_t req = NULL;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	int ret = -1;
	memset(out, 0, sizeof *out);
	if (len == 0 || len > 0xffffffffu)
		return -1;
	if (gnutls_ocsp_req_init(&req) < 0)
		return -1;
	if (gnutls_ocsp_req_import(req, &d) < 0)
		goto out;
	if (gnutls_ocsp_req_get_cert_id(req, 0, &out->hash, &out->name_hash, &out->key_hash,
					&out->serial) < 0)
		goto out;
	switch (out->hash) {
	case GNUTLS_DIG_SHA1:
	case GNUTLS_DIG_SHA256:
	case GNUTLS_DIG_SHA384:
	case GNUTLS_DIG_SHA512: break;
	default: /* "OCSP request uses unknown hash function" */ goto out;
	}
	ret = 0;
out:
	if (ret < 0)
		parsed_req_release(out);
	gnutls_ocsp_req_deinit(req);
	return ret;
}

/* fmt's %x of a big.Int given as a DER INTEGER's content. */
static void serial_hex(const gnutls_datum_t *sn, struct cf_buf *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = sn->size;
	unsigned char *v = cf_xmalloc(n ? n : 1);
	if (n)
		memcpy(v, sn->data, n);
	if (n && (v[0] & 0x80)) { /* negative: the magnitude is the two's complement */
		cf_buf_addc(out, '-');
		int carry = 1;
		for (size_t i = n; i-- > 0;) {
			unsigned x = (unsigned)(unsigned char)~v[i] + (unsigned)carry;
			v[i] = (unsigned char)x;
			carry = x >> 8;
		}
	}
	size_t i = 0, start = out->len;
	while (i < n && v[i] == 0)
		i++;
	for (; i < n; i++) {
		if (out->len > start || v[i] >> 4)
			cf_buf_addc(out, (unsigned char)hex[v[i] >> 4]);
		cf_buf_addc(out, (unsigned char)hex[v[i] & 15]);
	}
	if (out->len == start || (out->len == start + 1 && out->data[start] == '-'))
		cf_buf_addc(out, '0');
	cf_buf_addc(out, 0);
	free(v);
}

static char *lower_hex(const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *s = cf_xmalloc(2 * n + 1);
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = hex[p[i] >> 4];
		s[2 * i + 1] = hex[p[i] & 15];
	}
	s[2 * n] = 0;
	return s;
}

/* ---- the sources ---- */

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->serial, y->serial);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int is_go_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static struct cf_ocspserve *responder_new(const char *prefix)
{
	struct cf_ocspserve *r = cf_xcalloc(1, sizeof *r);
	r->base = cf_xstrdup(prefix && *prefix ? prefix : "/");
	size_t l = strlen(r->base);
	while (l > 0 && r->base[l - 1] == '/')
		r->base[--l] = 0;
	return r;
}

struct cf_ocspserve *cf_ocspserve_from_file(const char *path, const char *prefix,
					    struct cf_error *err)
{
	struct cf_buf b = CF_BUF_INIT;
	if (cf_read_file(path, &b, err) < 0) {
		cf_buf_release(&b);
		return NULL;
	}
	struct cf_ocspserve *r = responder_new(prefix);
	size_t cap = 0, order = 0;
	for (size_t i = 0; i < b.len;) {
		if (is_go_space(b.data[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < b.len && !is_go_space(b.data[j]))
			j++;
		const unsigned char *tok = b.data + i;
		size_t toklen = j - i;
		i = j;
		struct cf_buf der = CF_BUF_INIT;
		size_t bad = 0;
		if (cf_base64_decode(tok, toklen, &der, &bad) < 0) {
			cf_errorlog("Base64 decode error illegal base64 data at input byte %zu on: "
				    "%.*s",
				    bad, (int)toklen, (const char *)tok);
			cf_buf_release(&der);
			continue;
		}
		struct parsed_resp pr;
		char why[256];
		if (parse_response(der.data, der.len, &pr, why, sizeof why) < 0) {
			cf_errorlog("OCSP decode error %s on: %.*s", why, (int)toklen,
				    (const char *)tok);
			cf_buf_release(&der);
			continue;
		}
		if (r->n == cap)
			r->v = cf_xgrow(r->v, cap = cap ? 2 * cap : 16, sizeof *r->v);
		struct entry *e = &r->v[r->n++];
		e->serial = (char *)cf_buf_detach(&pr.serial, NULL);
		e->len = der.len;
		e->der = cf_buf_detach(&der, NULL);
		e->order = order++;
	}
	cf_buf_release(&b);
	/* one entry per serial, the last one of the file */
	qsort(r->v, r->n, sizeof *r->v, entry_cmp);
	size_t k = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (i + 1 < r->n && !strcmp(r->v[i].serial, r->v[i + 1].serial)) {
			free(r->v[i].serial);
			free(r->v[i].der);
			continue;
		}
		r->v[k++] = r->v[i];
	}
	r->n = k;
	cf_info("Read %zu OCSP responses", r->n);
	return r;
}

struct cf_ocspserve *cf_ocspserve_from_db(struct cf_certdb *db, const char *prefix)
{
	struct cf_ocspserve *r = responder_new(prefix);
	r->db = db;
	return r;
}

void cf_ocspserve_free(struct cf_ocspserve *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].serial);
		free(r->v[i].der);
	}
	free(r->v);
	free(r->base);
	free(r);
}

size_t cf_ocspserve_count(const struct cf_ocspserve *r)
{
	return r->n;
}

/* Deviation 24: does the certificate of @row have an issuer whose name hashes to @req's
 * issuerNameHash? */
static int issuer_name_matches(struct cf_certdb *db, const struct cf_certdb_ocsp *row,
			       const struct parsed_req *req)
{
	struct cf_certdb_cert *c = NULL;
	size_t n = 0;
	struct cf_error e = {0};
	int match = 0;
	if (cf_certdb_get_cert(db, row->serial, row->aki, &c, &n, &e) < 0)
		goto out;
	/* Debian's cfssl 1.2 records certificates with an empty AKI, and its ocsprefresh keys
	 * their responses by the CA's */
	if (n == 0 && *row->aki && cf_certdb_get_cert(db, row->serial, "", &c, &n, &e) < 0)
		goto out;
	if (n == 0)
		goto out;
	gnutls_x509_crt_t crt;
	if (gnutls_x509_crt_init(&crt) < 0)
		goto out;
	gnutls_datum_t pem = {(unsigned char *)c[0].pem, (unsigned)strlen(c[0].pem)};
	gnutls_datum_t dn = {0};
	unsigned char h[MAX_HASH_LEN];
	if (gnutls_x509_crt_import(crt, &pem, GNUTLS_X509_FMT_PEM) >= 0 &&
	    gnutls_x509_crt_get_raw_issuer_dn(crt, &dn) >= 0 &&
	    gnutls_hash_fast(req->hash, dn.data, dn.size, h) >= 0 &&
	    gnutls_hash_get_len(req->hash) == req->name_hash.size &&
	    !memcmp(h, req->name_hash.data, req->name_hash.size))
		match = 1;
	gnutls_free(dn.data);
	gnutls_x509_crt_deinit(crt);
out:
	cf_certdb_certs_free(c, n);
	return match;
}

enum lookup { FOUND, NOT_FOUND, DB_ERROR };

/* DBSource.Response: the body of the row with the latest expiry. */
static enum lookup db_lookup(const struct cf_ocspserve *r, const struct parsed_req *req,
			     const char *serial, struct cf_buf *body, struct cf_error *err)
{
	struct cf_certdb_ocsp *rows = NULL;
	size_t n = 0;
	int sha1 = req->hash == GNUTLS_DIG_SHA1;
	if (sha1) {
		char *aki = lower_hex(req->key_hash.data, req->key_hash.size);
		int rc = cf_certdb_get_ocsp(r->db, serial, aki, &rows, &n, err);
		free(aki);
		if (rc < 0)
			return DB_ERROR;
	}
	if (n == 0) {
		/* deviation 24: another hash, whose key hash cannot be compared with the
		 * stored AKI, or a SHA-1 one and rows written with an empty AKI (Debian's
		 * cfssl 1.2): the rows of this serial whose issuer name matches; a SHA-1 key
		 * hash that differs from a stored AKI never matches (another key) */
		if (cf_certdb_get_ocsp_by_serial(r->db, serial, &rows, &n, err) < 0)
			return DB_ERROR;
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if ((!sha1 || !*rows[i].aki) && issuer_name_matches(r->db, &rows[i], req)) {
				struct cf_certdb_ocsp t = rows[k];
				rows[k++] = rows[i];
				rows[i] = t;
			}
		}
		for (size_t i = k; i < n; i++)
			cf_certdb_ocsp_release(&rows[i]);
		n = k;
	}
	if (n == 0) {
		free(rows);
		return NOT_FOUND;
	}
	size_t best = 0;
	for (size_t i = 1; i < n; i++) {
		const struct cf_dbtime *a = &rows[i].expiry, *b = &rows[best].expiry;
		if (a->sec > b->sec || (a->sec == b->sec && a->nsec > b->nsec))
			best = i;
	}
	cf_buf_add(body, rows[best].body, rows[best].body_len);
	cf_certdb_ocsps_free(rows, n);
	return FOUND;
}

static enum lookup file_lookup(const struct cf_ocspserve *r, const char *serial,
			       struct cf_buf *body)
{
	struct entry key = {.serial = (char *)serial};
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key.serial, r->v[mid].serial);
		if (!c) {
			cf_buf_add(body, r->v[mid].der, r->v[mid].len);
			return FOUND;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NOT_FOUND;
}

/* ---- HTTP ---- */

void cf_ocspserve_http_date(int64_t t, char out[40])
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(out, 40, "Thu, 01 Jan 1970 00:00:00 GMT");
		return;
	}
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
		 months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Go's unescape: %XX decoded (an invalid escape is an error), '+' a space in a query. */
static int unescape(const char *s, size_t n, int query, struct cf_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int a = i + 1 < n ? cf_hexval((unsigned char)s[i + 1]) : -1;
			int b = i + 2 < n ? cf_hexval((unsigned char)s[i + 2]) : -1;
			int h = a < 0 || b < 0 ? -1 : a * 16 + b;
			if (h < 0)
				return -1;
			cf_buf_addc(out, (unsigned char)h);
			i += 2;
		} else if (query && s[i] == '+') {
			cf_buf_addc(out, ' ');
		} else {
			cf_buf_addc(out, (unsigned char)s[i]);
		}
	}
	cf_buf_addc(out, 0);
	out->len--;
	return 0;
}

/* The part of the decoded path @p below the prefix (one leading '/' removed), or NULL when
 * @p is not under it. */
static const char *below_prefix(const struct cf_ocspserve *r, const char *p)
{
	size_t l = strlen(r->base);
	if (strncmp(p, r->base, l) || (p[l] && p[l] != '/'))
		return NULL;
	p += l;
	return *p == '/' ? p + 1 : p;
}

static void reply_ocsp(struct cf_httpd_reply *rep, int status, const unsigned char *body,
		       size_t len)
{
	rep->status = status;
	rep->content_type = CT_OCSP;
	cf_httpd_reply_header(rep, "Cache-Control", NO_CACHE);
	cf_buf_add(&rep->body, body, len);
}

static void reply_empty(struct cf_httpd_reply *rep, int status)
{
	rep->status = status;
	cf_httpd_reply_header(rep, "Cache-Control", NO_CACHE);
}

void cf_ocspserve_answer(const struct cf_ocspserve *r, const struct cf_ocspserve_request *q,
			 struct cf_httpd_reply *rep)
{
	struct cf_buf path = CF_BUF_INIT, reqbuf = CF_BUF_INIT, body = CF_BUF_INIT;
	struct cf_buf b64req = CF_BUF_INIT, serial = CF_BUF_INIT, hexsn = CF_BUF_INIT;
	struct parsed_req pq = {0};
	const unsigned char *der = q->body;
	size_t derlen = q->body_len;
	rep->log = 0;
	if (unescape(q->path, strlen(q->path), 0, &path) < 0) {
		reply_empty(rep, 400);
		goto out;
	}
	const char *rest = below_prefix(r, (const char *)path.data);
	if (!rest) {
		cf_httpd_reply_not_found(rep);
		goto out;
	}
	int get = !strcmp(q->method, "GET");
	if (!get && strcmp(q->method, "POST")) {
		reply_empty(rep, 405);
		goto out;
	}
	if (get) {
		struct cf_buf b64 = CF_BUF_INIT;
		size_t bad = 0;
		if (unescape(rest, strlen(rest), 1, &b64) < 0) {
			cf_debug("Error decoding URL: %s", (const char *)path.data);
			cf_buf_release(&b64);
			reply_empty(rep, 400);
			goto out;
		}
		for (size_t i = 0; i < b64.len; i++)
			if (b64.data[i] == ' ')
				b64.data[i] = '+';
		int rc = cf_base64_decode(b64.data, b64.len, &reqbuf, &bad);
		if (rc < 0)
			cf_debug("Error decoding base64 from URL: %.*s", (int)b64.len,
				 (const char *)b64.data);
		cf_buf_release(&b64);
		if (rc < 0) {
			reply_empty(rep, 400);
			goto out;
		}
		der = reqbuf.data;
		derlen = reqbuf.len;
	}
	cf_base64_encode(&b64req, der, derlen);
	cf_buf_addc(&b64req, 0);
	cf_debug("Received OCSP request: %s", (const char *)b64req.data);
	if (parse_request(der, derlen, &pq) < 0) {
		cf_debug("Error decoding request body: %s", (const char *)b64req.data);
		reply_ocsp(rep, 400, resp_malformed, sizeof resp_malformed);
		goto out;
	}
	cf_bigint_dec_signed(pq.serial.data, pq.serial.size, &serial);
	cf_buf_addc(&serial, 0);
	serial_hex(&pq.serial, &hexsn);
	struct cf_error err = {0};
	enum lookup l = r->db ? db_lookup(r, &pq, (const char *)serial.data, &body, &err)
			      : file_lookup(r, (const char *)serial.data, &body);
	if (l == NOT_FOUND) {
		cf_info("No response found for request: serial %s, request body %s",
			(const char *)hexsn.data, (const char *)b64req.data);
		reply_ocsp(rep, 200, resp_unauthorized, sizeof resp_unauthorized);
		goto out;
	}
	if (l == DB_ERROR) {
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(&err, msg, sizeof msg);
		cf_errorlog("Error obtaining OCSP response: %s", msg);
		cf_info("Error retrieving response for request: serial %s, request body %s, "
			"error: failed to obtain OCSP response: %s",
			(const char *)hexsn.data, (const char *)b64req.data, msg);
		reply_ocsp(rep, 500, resp_internal, sizeof resp_internal);
		goto out;
	}
	struct parsed_resp pr;
	char why[256];
	if (parse_response(body.data, body.len, &pr, why, sizeof why) < 0) {
		cf_errorlog("Error parsing response for serial %s: %s", (const char *)hexsn.data,
			    why);
		reply_ocsp(rep, 200, resp_internal, sizeof resp_internal);
		goto out;
	}
	cf_buf_release(&pr.serial);
	char lm[40], ex[40], cc[96], etag[2 * SHA256_LEN + 3];
	cf_ocspserve_http_date(pr.this_update, lm);
	cf_ocspserve_http_date(pr.next_update, ex);
	long long max_age = 0;
	if (q->now_sec < pr.next_update)
		max_age = (long long)(pr.next_update - q->now_sec) - (q->now_nsec > 0);
	snprintf(cc, sizeof cc, "max-age=%lld, public, no-transform, must-revalidate", max_age);
	unsigned char h[SHA256_LEN];
	gnutls_hash_fast(GNUTLS_DIG_SHA256, body.data, body.len, h);
	static const char hex[] = "0123456789ABCDEF";
	etag[0] = '"';
	for (size_t i = 0; i < SHA256_LEN; i++) {
		etag[1 + 2 * i] = hex[h[i] >> 4];
		etag[2 + 2 * i] = hex[h[i] & 15];
	}
	etag[1 + 2 * SHA256_LEN] = '"';
	etag[2 + 2 * SHA256_LEN] = 0;
	cf_httpd_reply_header(rep, "Cache-Control", cc);
	cf_httpd_reply_header(rep, "Last-Modified", lm);
	cf_httpd_reply_header(rep, "Expires", ex);
	cf_httpd_reply_header(rep, "Etag", etag);
	if (q->if_none_match && !strcmp(q->if_none_match, etag)) {
		rep->status = 304;
		goto out;
	}
	rep->status = 200;
	rep->content_type = CT_OCSP;
	cf_buf_add(&rep->body, body.data, body.len);
out:
	parsed_req_release(&pq);
	cf_buf_release(&path);
	cf_buf_release(&reqbuf);
	cf_buf_release(&body);
	cf_buf_release(&b64req);
	cf_buf_release(&serial);
	cf_buf_release(&hexsn);
}

/* The request path as sent, without the query. New. */
static char *raw_path(const struct cf_httpd_request *req)
{
	const char *u = req->uri ? req->uri : req->path;
	size_t n = strcspn(u, "?");
	return cf_xmemdup(u, n);
}

int cf_ocspserve_precheck(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep)
{
	const struct cf_ocspserve *r = arg;
	if (!strcmp(req->method, "GET") || !strcmp(req->method, "POST"))
		return 0;
	/* other methods: 404 outside the prefix, else 405; the body is never read */
	struct cf_ocspserve_request q = {.method = req->method, .body = (const unsigned char *)""};
	char *p = raw_path(req);
	q.path = p;
	cf_ocspserve_answer(r, &q, rep);
	free(p);
	return 1;
}

int cf_ocspserve_dispatch(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep,
			  struct cf_error *err)
{
	(void)err;
	const struct cf_ocspserve *r = arg;
	struct cf_dbtime now = cf_dbtime_now();
	char *p = raw_path(req);
	struct cf_ocspserve_request q = {
		.method = req->method,
		.path = p,
		.body = req->body ? req->body : (const unsigned char *)"",
		.body_len = req->body ? req->body_len : 0,
		.if_none_match = cf_httpd_request_header(req, "If-None-Match"),
		.now_sec = now.sec,
		.now_nsec = now.nsec,
	};
	cf_ocspserve_answer(r, &q, rep);
	free(p);
	return 0;
}
