/* The endpoints of the certificate database: crl, revoke, certadd (cfssl-serve.md §3.11, §3.13,
 * §3.14). The database itself comes with issue 13: certadd makes all of cfssl's request checks
 * and then fails as cfssl does without a database; crl and revoke, which cfssl serves only
 * with -db-config, answer that the database is not supported yet. */
#include "api.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/x509.h>

#include "base64.h"
#include "bigint.h"
#include "duration.h"
#include "gojson.h"
#include "pem.h"

#define NO_DB "the certificate database (-db-config) is not supported by cfssl-c yet"

int cf_api_crl(const struct cf_api *api, const struct cf_httpd_request *req,
	       struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, NO_DB);
}

int cf_api_revoke(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, NO_DB);
}

/* --- certadd --- */

/* A time.Time member as Go's UnmarshalJSON reads it (RFC 3339). */
struct gotime {
	int set;       /* present and not null */
	int64_t secs;  /* Unix seconds */
	long nsec;     /* fraction */
	int utc_named; /* written with "Z": the location Go's zero time and x509 times have */
};

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* time.Parse(time.RFC3339, @s): "2006-01-02T15:04:05Z07:00" with an optional fraction. */
static int parse_rfc3339(const char *s, struct gotime *t)
{
	int y, mo, d, h, mi, sec;
	size_t n = strlen(s);
	if (n < 20 || digits(s, 4, &y) < 0 || s[4] != '-' || digits(s + 5, 2, &mo) < 0 ||
	    s[7] != '-' || digits(s + 8, 2, &d) < 0 || s[10] != 'T' || digits(s + 11, 2, &h) < 0 ||
	    s[13] != ':' || digits(s + 14, 2, &mi) < 0 || s[16] != ':' ||
	    digits(s + 17, 2, &sec) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > cf_days_in_month(mo, y) || h > 23 || mi > 59 ||
	    sec > 59)
		return -1;
	const char *p = s + 19;
	long nsec = 0;
	if (*p == '.' || *p == ',') {
		int nd = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, nd++)
			if (nd < 9)
				nsec = nsec * 10 + (*p - '0');
		if (!nd)
			return -1;
		for (; nd < 9; nd++)
			nsec *= 10;
	}
	int64_t off = 0;
	t->utc_named = 0;
	if (!strcmp(p, "Z")) {
		t->utc_named = 1;
	} else {
		int oh, om;
		if (strlen(p) != 6 || (p[0] != '+' && p[0] != '-') || digits(p + 1, 2, &oh) < 0 ||
		    p[3] != ':' || digits(p + 4, 2, &om) < 0 || oh > 23 || om > 59)
			return -1;
		off = (p[0] == '-' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
	}
	t->secs = cf_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	t->nsec = nsec;
	t->set = 1;
	return 0;
}

#define GO_ZERO_TIME (-62135596800LL) /* 0001-01-01T00:00:00Z */

static int time_is_zero(const struct gotime *t)
{
	return !t->set || (t->secs == GO_ZERO_TIME && t->nsec == 0);
}

struct add_request {
	const char *serial, *aki, *status, *pem;
	size_t pem_len;
	long long reason;
	struct gotime expiry, revoked_at, issued_at, not_before;
};

static int get_time(const json_t *v, struct gotime *t)
{
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || parse_rfc3339(json_string_value(v), t) < 0)
		return -1;
	return 0;
}

/* json.Unmarshal into certadd's AddRequest; any failure is one error for cfssl. */
static int decode_add(const struct cf_httpd_request *req, json_t **doc, struct add_request *r)
{
	const char *label = NULL, *cn = NULL;
	const json_t *expiry = NULL, *revoked_at = NULL, *issued_at = NULL, *not_before = NULL,
		     *raw = NULL;
	const struct cf_gojson_field fields[] = {
		{"serial_number", CF_GOJSON_STRING, &r->serial, NULL, NULL},
		{"authority_key_identifier", CF_GOJSON_STRING, &r->aki, NULL, NULL},
		{"ca_label", CF_GOJSON_STRING, &label, NULL, NULL},
		{"status", CF_GOJSON_STRING, &r->status, NULL, NULL},
		{"reason", CF_GOJSON_INT64, &r->reason, NULL, NULL},
		{"expiry", CF_GOJSON_RAW, &expiry, NULL, NULL},
		{"revoked_at", CF_GOJSON_RAW, &revoked_at, NULL, NULL},
		{"pem", CF_GOJSON_STRING, &r->pem, &r->pem_len, NULL},
		{"issued_at", CF_GOJSON_RAW, &issued_at, NULL, NULL},
		{"not_before", CF_GOJSON_RAW, &not_before, NULL, NULL},
		/* types.JSONText: any value */
		{"metadata", CF_GOJSON_RAW, &raw, NULL, NULL},
		{"sans", CF_GOJSON_RAW, &raw, NULL, NULL},
		{"common_name", CF_GOJSON_STRING, &cn, NULL, NULL},
	};
	struct cf_error e = {0};
	if (cf_gojson_unmarshal((const char *)req->body, req->body_len, doc, "certadd.AddRequest",
				fields, sizeof fields / sizeof fields[0], &e) < 0 ||
	    get_time(expiry, &r->expiry) < 0 || get_time(revoked_at, &r->revoked_at) < 0 ||
	    get_time(issued_at, &r->issued_at) < 0 || get_time(not_before, &r->not_before) < 0)
		return -1;
	return 0;
}

/* big.Int SetString(@s, 10): an optional sign and decimal digits, nothing else. */
static int serial_der(const char *s, struct cf_buf *out)
{
	int neg = 0;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	size_t n = strlen(s);
	if (!n || strspn(s, "0123456789") != n)
		return -1;
	cf_bigint_der_from_decimal(s, n, neg, out);
	return 0;
}

/* The checks of certadd's Handle against the certificate (steps 8-11 of §3.14). */
static int check_cert(const struct add_request *r, struct cf_error *err)
{
	gnutls_x509_crt_t crt = NULL;
	struct cf_error e = {0};
	struct cf_buf want = CF_BUF_INIT, aki = CF_BUF_INIT;
	int ret = -1;
	if (cf_parse_cert_pem((const unsigned char *)r->pem, r->pem_len, &crt, &e) < 0) {
		cf_error_set(err, 400, "Unable to parse PEM encoded certificates");
		goto out;
	}
	if (serial_der(r->serial, &want) < 0) {
		cf_error_set(err, 400, "Unable to parse serial key of request");
		goto out;
	}
	unsigned char serial[128];
	size_t slen = sizeof serial;
	if (gnutls_x509_crt_get_serial(crt, serial, &slen) < 0 || slen != want.len ||
	    memcmp(serial, want.data, slen) != 0) {
		cf_error_set(err, 400, "Serial key of request and certificate do not match");
		goto out;
	}
	size_t n = strlen(r->aki);
	for (size_t i = 0; i < n; i++)
		if (cf_hexval((unsigned char)r->aki[i]) < 0)
			n = (size_t)-1;
	if (n == (size_t)-1 || n % 2) {
		cf_error_set(err, 400, "Unable to decode authority key identifier");
		goto out;
	}
	for (size_t i = 0; i < n; i += 2)
		cf_buf_addc(&aki, (unsigned char)(cf_hexval((unsigned char)r->aki[i]) << 4 |
						  cf_hexval((unsigned char)r->aki[i + 1])));
	unsigned char id[64];
	size_t idlen = sizeof id;
	unsigned crit;
	if (gnutls_x509_crt_get_authority_key_id(crt, id, &idlen, &crit) < 0)
		idlen = 0;
	if (idlen != aki.len || (idlen && memcmp(id, aki.data, idlen) != 0)) {
		cf_error_set(err, 400,
			     "Authority key identifier of request and certificate do not match");
		goto out;
	}
	/* Go compares the time.Time values: the same instant in UTC written with "Z" */
	time_t not_after = gnutls_x509_crt_get_expiration_time(crt);
	if (r->expiry.secs != (int64_t)not_after || r->expiry.nsec != 0 || !r->expiry.utc_named) {
		cf_error_set(err, 400, "Expiry of request and certificate do not match");
		goto out;
	}
	ret = 0;
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	cf_buf_release(&want);
	cf_buf_release(&aki);
	return ret;
}

int cf_api_certadd(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)rep;
	struct add_request r = {.serial = "", .aki = "", .status = "", .pem = ""};
	json_t *doc = NULL;
	int ret = -1;

	if (decode_add(req, &doc, &r) < 0) {
		cf_error_set(err, 400, "Unable to parse certificate addition request");
		goto out;
	}
	if (!*r.serial) {
		cf_error_set(err, 400, "Serial number is required but not provided");
		goto out;
	}
	if (!*r.aki) {
		cf_error_set(err, 400, "Authority key identifier is required but not provided");
		goto out;
	}
	if (strcmp(r.status, "good") && strcmp(r.status, "revoked") &&
	    strcmp(r.status, "unknown")) {
		cf_error_set(err, 400, "Invalid certificate status");
		goto out;
	}
	if (!strcmp(r.status, "revoked")) {
		if (!r.revoked_at.set || (time_is_zero(&r.revoked_at) && r.revoked_at.utc_named)) {
			cf_error_set(err, 400,
				     "Revoked certificate should specify when it was revoked");
			goto out;
		}
		if (r.reason < 0 || r.reason > 10 || r.reason == 7) {
			cf_error_set(err, 400, "Invalid certificate status reason code");
			goto out;
		}
	}
	if (!r.pem_len) {
		cf_error_set(err, 400, "The provided certificate is empty");
		goto out;
	}
	if (time_is_zero(&r.expiry)) {
		cf_error_set(err, 400, "Expiry is required but not provided");
		goto out;
	}
	if (check_cert(&r, err) < 0)
		goto out;
	/* Issue 13 inserts the record here (and returns {} or an OCSP response). */
	cf_error_set(err, 11000, "unknown db object, please check SetDB method");
out:
	if (doc)
		json_decref(doc);
	return ret;
}
