/* The endpoints of the certificate database: crl, revoke, certadd (cfssl-serve.md §3.11, §3.13,
 * §3.14), on the operations of ops_db.c. crl lists the server CA's certificates only
 * (deviation 22); revoke and certadd store a serial and AKI in one spelling (deviation 23). */
#include "api.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/x509.h>

#include "base64.h"
#include "bigint.h"
#include "certdb.h"
#include "duration.h"
#include "gojson.h"
#include "log.h"
#include "ocsp.h"
#include "ops.h"
#include "pem.h"

#define SECOND_NS 1000000000LL

/* certdb's error without a database (certadd is served without -db-config, as cfssl) */
#define NO_DB_OBJECT "unknown db object, please check SetDB method"

int cf_api_crl(const struct cf_api *api, const struct cf_httpd_request *req,
	       struct cf_httpd_reply *rep, struct cf_error *err)
{
	/* api.c serves crl only with a database and the local CA */
	long long expiry = 0;
	const char *q = cf_httpd_query_arg(req, "expiry");
	if (q && *q) {
		cf_info("requested expiry time of %s", q);
		int64_t ns;
		if (cf_duration_parse(q, &ns, err) < 0)
			return -1;
		/* whole seconds (cf_op_crl's 0 is one week: under a second is 1 s in the past) */
		expiry = ns / SECOND_NS;
		if (expiry == 0)
			expiry = -1;
	}
	gnutls_x509_crt_t issuer;
	if (gnutls_x509_crt_init(&issuer) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "out of memory");
	gnutls_datum_t d = {api->ca->cert_der.data, (unsigned)api->ca->cert_der.len};
	if (gnutls_x509_crt_import(issuer, &d, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(issuer);
		return cf_error_set(err, CF_ERR_PLAIN, "the CA certificate does not parse");
	}
	struct cf_buf der = CF_BUF_INIT, out = CF_BUF_INIT;
	int ret = cf_op_crl(api->db, issuer, &api->ca->key, expiry, &der, err);
	gnutls_x509_crt_deinit(issuer);
	if (ret == 0) {
		/* a JSON string of the base64 DER */
		cf_buf_addc(&out, '"');
		cf_base64_encode(&out, der.data, der.len);
		cf_buf_addc(&out, '"');
		cf_httpd_reply_success(rep, (const char *)out.data, out.len, NULL, 0);
	}
	cf_buf_release(&der);
	cf_buf_release(&out);
	return ret;
}

int cf_api_revoke(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	const char *serial = "", *aki = "", *reason = "";
	const struct cf_gojson_field fields[] = {
		{"serial", CF_GOJSON_STRING, &serial, NULL, NULL},
		{"authority_key_id", CF_GOJSON_STRING, &aki, NULL, NULL},
		{"reason", CF_GOJSON_STRING, &reason, NULL, NULL},
	};
	json_t *doc = NULL;
	struct cf_error e = {0};
	int ret = -1, code;
	if (cf_gojson_unmarshal((const char *)req->body, req->body_len, &doc,
				"revoke.jsonRevokeRequest", fields,
				sizeof fields / sizeof fields[0], &e) < 0) {
		cf_error_set(err, 400, "Unable to parse revocation request");
		goto out;
	}
	if (!*serial) {
		cf_error_set(err, 400, "serial number is required but not provided");
		goto out;
	}
	if (cf_ocsp_reason_code(reason, &code, &e) < 0) {
		cf_error_set(err, 400, "Invalid reason code");
		goto out;
	}
	/* deviation 23: serial and AKI in the one spelling the signer stores */
	if (cf_op_revoke(api->db, serial, aki, code, err) < 0)
		goto out;
	cf_httpd_reply_success(rep, "{}", 2, NULL, 0);
	ret = 0;
out:
	if (doc)
		json_decref(doc);
	return ret;
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
	const char *serial, *aki, *status, *pem, *label, *cn;
	const json_t *metadata, *sans; /* NULL: absent */
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
	const json_t *expiry = NULL, *revoked_at = NULL, *issued_at = NULL, *not_before = NULL;
	const struct cf_gojson_field fields[] = {
		{"serial_number", CF_GOJSON_STRING, &r->serial, NULL, NULL},
		{"authority_key_identifier", CF_GOJSON_STRING, &r->aki, NULL, NULL},
		{"ca_label", CF_GOJSON_STRING, &r->label, NULL, NULL},
		{"status", CF_GOJSON_STRING, &r->status, NULL, NULL},
		{"reason", CF_GOJSON_INT64, &r->reason, NULL, NULL},
		{"expiry", CF_GOJSON_RAW, &expiry, NULL, NULL},
		{"revoked_at", CF_GOJSON_RAW, &revoked_at, NULL, NULL},
		{"pem", CF_GOJSON_STRING, &r->pem, &r->pem_len, NULL},
		{"issued_at", CF_GOJSON_RAW, &issued_at, NULL, NULL},
		{"not_before", CF_GOJSON_RAW, &not_before, NULL, NULL},
		/* types.JSONText: any value */
		{"metadata", CF_GOJSON_RAW, &r->metadata, NULL, NULL},
		{"sans", CF_GOJSON_RAW, &r->sans, NULL, NULL},
		{"common_name", CF_GOJSON_STRING, &r->cn, NULL, NULL},
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
	int bad = n % 2 != 0;
	for (size_t i = 0; i < n && !bad; i++)
		bad = cf_hexval((unsigned char)r->aki[i]) < 0;
	if (bad) {
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

static struct cf_dbtime dbtime(const struct gotime *t)
{
	struct cf_dbtime d = {CF_DBTIME_ZERO_SEC, 0};
	if (t->set) {
		d.sec = t->secs;
		d.nsec = (int32_t)t->nsec;
	}
	return d;
}

/* types.JSONText as sqlx stores it: the value given, "{}" when absent. New. */
static char *json_text(const json_t *v)
{
	if (!v)
		return cf_xstrdup("{}");
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	return s ? s : cf_xstrdup("{}");
}

/* The INSERT of the caller's record (§3.14): its values, with the serial and AKI spelled as
 * the certificate has them (deviation 23; the checks made sure they are the same numbers). */
static int add_record(const struct cf_api *api, const struct add_request *r, struct cf_error *err)
{
	if (!api->db)
		return cf_error_set(err, CF_ERR_CERTSTORE, NO_DB_OBJECT);
	struct cf_certdb_cert fromcert;
	if (cf_certdb_cert_from_pem((const unsigned char *)r->pem, r->pem_len, NULL, &fromcert,
				    err) < 0)
		return -1;
	char *metadata = json_text(r->metadata), *sans = json_text(r->sans);
	struct cf_certdb_cert c = {
		.serial = fromcert.serial,
		.aki = fromcert.aki,
		.ca_label = (char *)(r->label ? r->label : ""),
		.status = (char *)r->status,
		.reason = r->reason,
		.expiry = dbtime(&r->expiry),
		.revoked_at = dbtime(&r->revoked_at),
		.pem = (char *)r->pem,
		.has_issued_at = r->issued_at.set,
		.issued_at = dbtime(&r->issued_at),
		.has_not_before = r->not_before.set,
		.not_before = dbtime(&r->not_before),
		.metadata = metadata,
		.sans = sans,
		.common_name = (char *)(r->cn && *r->cn ? r->cn : NULL),
	};
	if (strcmp(fromcert.serial, r->serial) || strcmp(fromcert.aki, r->aki))
		cf_debug("certadd: serial %s, AKI %s stored as %s, %s (deviation 23)", r->serial,
			 r->aki, fromcert.serial, fromcert.aki);
	int ret = cf_op_certadd(api->db, &c, err);
	free(metadata);
	free(sans);
	cf_certdb_cert_release(&fromcert);
	return ret;
}

int cf_api_certadd(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err)
{
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
	/* serve builds certadd without an OCSP signer: {} and no OCSP row (§3.14) */
	if (add_record(api, &r, err) < 0)
		goto out;
	cf_httpd_reply_success(rep, "{}", 2, NULL, 0);
	ret = 0;
out:
	if (doc)
		json_decref(doc);
	return ret;
}
