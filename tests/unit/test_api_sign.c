/* common/net/api_sign.c: the info, sign, authsign and newcert handlers called directly (bodies,
 * codes, member order, log lines of cfssl-serve.md §3.2-3.4, §3.6, §4; deviation 16). The
 * network half is tests/test_serve_sign.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/x509.h>
#include <sqlite3.h>

#include "api.h"
#include "auth.h"
#include "base64.h"
#include "certdb.h"
#include "check.h"
#include "crypto.h"
#include "csr.h"
#include "fileio.h"
#include "initca.h"
#include "log.h"
#include "ops.h"

static struct cf_api api;
static FILE *logfile;
static char logtext[1 << 16];
static char dir[] = "/tmp/test_api_sign.XXXXXX";
static struct cf_buf csr_pem = CF_BUF_INIT, ca_pem = CF_BUF_INIT;

/* The log records since the last call, without their date prefix. */
static const char *logs(void)
{
	fflush(logfile);
	rewind(logfile);
	size_t n = 0;
	char line[8192];
	logtext[0] = '\0';
	while (fgets(line, sizeof line, logfile)) {
		const char *p = strlen(line) > 20 ? line + 20 : line;
		size_t l = strlen(p);
		if (n + l < sizeof logtext) {
			memcpy(logtext + n, p, l + 1);
			n += l;
		}
	}
	rewind(logfile);
	if (ftruncate(fileno(logfile), 0) != 0)
		abort();
	return logtext;
}

struct reply {
	int status;
	char *body;
	json_t *json;
};

static struct reply call(cf_api_fn fn, const char *body)
{
	struct cf_httpd_request req = {
		.method = "POST",
		.path = "/api/v1/cfssl/x",
		.uri = "/api/v1/cfssl/x",
		.query = "",
		.body = (const unsigned char *)body,
		.body_len = strlen(body),
		.remote = "127.0.0.1:1",
	};
	struct cf_httpd_reply rep = {.status = 200};
	struct cf_error err = {0};
	if (fn(&api, &req, &rep, &err) < 0)
		cf_httpd_reply_error(&rep, &err);
	struct reply r = {.status = rep.status};
	r.body = strndup((const char *)rep.body.data, rep.body.len);
	r.json = json_loads(r.body, 0, NULL);
	cf_httpd_reply_reset(&rep);
	return r;
}

static void reply_free(struct reply *r)
{
	free(r->body);
	json_decref(r->json);
}

static char *error_body(int code, const char *msg)
{
	static char b[4096];
	snprintf(b, sizeof b,
		 "{\"success\":false,\"result\":null,\"errors\":[{\"code\":%d,\"message\":\"%s\"}],"
		 "\"messages\":[]}\n",
		 code, msg);
	return b;
}

/* An error reply: status, exact body and log lines. */
static void expect_error(cf_api_fn fn, const char *body, int status, int code, const char *msg,
			 const char *log)
{
	struct reply r = call(fn, body);
	CHECK(r.status == status, "%s: status %d, want %d", body, r.status, status);
	check_str(body, error_body(code, msg), r.body);
	check_str("log lines", log, logs());
	reply_free(&r);
}

static int starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *result_str(const struct reply *r, const char *member)
{
	return json_string_value(json_object_get(json_object_get(r->json, "result"), member));
}

/* Parses the certificate of a reply and checks that the CA issued it. */
static gnutls_x509_crt_t issued(const struct reply *r)
{
	const char *pem = result_str(r, "certificate");
	gnutls_x509_crt_t crt = NULL, ca = NULL;
	if (!pem)
		return NULL;
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)strlen(pem)};
	gnutls_datum_t c = {ca_pem.data, (unsigned)ca_pem.len};
	gnutls_x509_crt_init(&crt);
	gnutls_x509_crt_init(&ca);
	int ok = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) >= 0 &&
		 gnutls_x509_crt_import(ca, &c, GNUTLS_X509_FMT_PEM) >= 0 &&
		 gnutls_x509_crt_check_issuer(crt, ca) == 1;
	unsigned status = 1;
	if (ok)
		ok = gnutls_x509_crt_verify(crt, &ca, 1, 0, &status) >= 0 && status == 0;
	gnutls_x509_crt_deinit(ca);
	if (!ok) {
		gnutls_x509_crt_deinit(crt);
		return NULL;
	}
	return crt;
}

static int count_sans(gnutls_x509_crt_t crt)
{
	int n = 0;
	char buf[256];
	for (;;) {
		size_t l = sizeof buf;
		if (gnutls_x509_crt_get_subject_alt_name(crt, (unsigned)n, buf, &l, NULL) < 0)
			return n;
		n++;
	}
}

/* A sign request body for the test CSR with @extra members after it. */
static char *sign_body(const char *extra)
{
	struct cf_buf b = CF_BUF_INIT;
	cf_buf_adds(&b, "{\"certificate_request\":");
	json_t *s = json_stringn((const char *)csr_pem.data, csr_pem.len);
	char *q = json_dumps(s, JSON_ENCODE_ANY);
	cf_buf_adds(&b, q);
	free(q);
	json_decref(s);
	cf_buf_adds(&b, extra);
	cf_buf_addc(&b, '}');
	size_t len;
	return (char *)cf_buf_detach(&b, &len);
}

/* {"token":..,"request":..} for inner request @inner under hex key @hex. */
static char *auth_body(const char *inner, const char *hex)
{
	struct cf_auth_key k = {0};
	struct cf_error err = {0};
	unsigned char mac[CF_AUTH_MAC_LEN];
	struct cf_buf b = CF_BUF_INIT;
	if (cf_auth_key_decode("k", hex, &k, &err) < 0 ||
	    cf_auth_mac(&k, inner, strlen(inner), mac, &err) < 0)
		abort();
	cf_buf_adds(&b, "{\"timestamp\":1,\"token\":\"");
	cf_base64_encode(&b, mac, sizeof mac);
	cf_buf_adds(&b, "\",\"request\":\"");
	cf_base64_encode(&b, (const unsigned char *)inner, strlen(inner));
	cf_buf_adds(&b, "\"}");
	cf_auth_key_release(&k);
	size_t len;
	return (char *)cf_buf_detach(&b, &len);
}

static const char key1[] = "0123456789abcdef0123456789abcdef";
static const char key0[] = "fedcba9876543210fedcba9876543210";

static void test_info(void)
{
	struct reply r = call(cf_api_info, "{}");
	CHECK(r.status == 200, "info status %d", r.status);
	/* the CA PEM without its final LF, the usages as written, the expiry text */
	struct cf_buf want = CF_BUF_INIT;
	cf_buf_adds(&want, "{\"success\":true,\"result\":{\"certificate\":");
	json_t *s = json_stringn((const char *)ca_pem.data, ca_pem.len - 1);
	char *q = json_dumps(s, JSON_ENCODE_ANY);
	json_decref(s);
	cf_buf_adds(&want, q);
	free(q);
	cf_buf_adds(&want, ",\"usages\":[\"signing\",\"key encipherment\",\"server auth\"],"
			   "\"expiry\":\"8760h\"},\"errors\":[],\"messages\":[]}\n");
	cf_buf_addc(&want, 0);
	check_str("info {}", (const char *)want.data, r.body);
	cf_buf_release(&want);
	check_str("info log", "", logs());
	reply_free(&r);

	/* usages as written, unknown ones included */
	r = call(cf_api_info, "{\"PROFILE\":\"short\",\"label\":\"x\"}");
	CHECK(strstr(r.body, "\"usages\":[\"signing\",\"nosuchusage\"],\"expiry\":\"1h\"}") != NULL,
	      "info short: %s", r.body);
	reply_free(&r);
	r = call(cf_api_info, "{\"profile\":\"client\"}");
	CHECK(strstr(r.body, "\"usages\":[\"signing\",\"client auth\"],\"expiry\":\"720h\"}") !=
		      NULL,
	      "info client: %s", r.body);
	reply_free(&r);
	/* an unknown profile is the default's, silently */
	r = call(cf_api_info, "{\"profile\":\"nosuch\"}");
	CHECK(strstr(r.body, "\"expiry\":\"8760h\"}") != NULL, "info nosuch: %s", r.body);
	reply_free(&r);
	r = call(cf_api_info, "null");
	CHECK(r.status == 200, "info null: %d", r.status);
	reply_free(&r);

	expect_error(cf_api_info, "", 400, 400, "unexpected end of JSON input",
		     "[WARNING] failed to unmarshal request: unexpected end of JSON input\n");
	expect_error(cf_api_info, "notjson", 400, 400,
		     "invalid character 'o' in literal null (expecting 'u')",
		     "[WARNING] failed to unmarshal request: invalid character 'o' in literal null "
		     "(expecting 'u')\n");
	expect_error(
		cf_api_info, "{\"profile\":5}", 400, 400,
		"json: cannot unmarshal number into Go struct field Req.profile of type string",
		"[WARNING] failed to unmarshal request: json: cannot unmarshal number into Go "
		"struct field Req.profile of type string\n");
	expect_error(cf_api_info, "[1]", 400, 400,
		     "json: cannot unmarshal array into Go value of type info.Req",
		     "[WARNING] failed to unmarshal request: json: cannot unmarshal array into Go "
		     "value of type info.Req\n");
	expect_error(cf_api_info, "{} x", 400, 400, "invalid character 'x' after top-level value",
		     "[WARNING] failed to unmarshal request: invalid character 'x' after "
		     "top-level value\n");
}

static void test_sign(void)
{
	char *body = sign_body("");
	struct reply r = call(cf_api_sign, body);
	free(body);
	CHECK(r.status == 200, "sign status %d", r.status);
	CHECK(starts(r.body, "{\"success\":true,\"result\":{\"certificate\":\"-----BEGIN "
			     "CERTIFICATE-----\\n") &&
		      strstr(r.body, "-----END CERTIFICATE-----\\n\"},\"errors\":[],\"messages\":["
				     "]}\n"),
	      "sign body %s", r.body);
	gnutls_x509_crt_t crt = issued(&r);
	CHECK(crt != NULL, "sign: a certificate of the CA");
	CHECK(crt && count_sans(crt) == 2, "sign: the CSR's two SANs");
	if (crt)
		gnutls_x509_crt_deinit(crt);
	const char *l = logs();
	CHECK(starts(l, "[INFO] signature request received\n[INFO] signed certificate with serial "
			"number ") &&
		      strstr(l, "\n[INFO] wrote response\n") &&
		      !strcmp(l + strlen(l) - 22, "[INFO] wrote response\n"),
	      "sign log: %s", l);
	reply_free(&r);

	/* member names case-insensitive, hosts [] removes every SAN, hostname replaces */
	char *csrq = sign_body("");
	csrq[2] = 'C'; /* "Certificate_request" */
	size_t len = strlen(csrq);
	csrq[len - 1] = '\0';
	char b2[16384];
	snprintf(b2, sizeof b2, "%s,\"HOSTS\":[]}", csrq);
	r = call(cf_api_sign, b2);
	crt = issued(&r);
	CHECK(crt && count_sans(crt) == 0, "sign hosts []: no SAN (%s)", r.body);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	reply_free(&r);
	logs();
	snprintf(b2, sizeof b2, "%s,\"hosts\":[],\"hostname\":\"a.example,b.example,127.0.0.1\"}",
		 csrq);
	r = call(cf_api_sign, b2);
	crt = issued(&r);
	CHECK(crt && count_sans(crt) == 3, "sign hostname: 3 SANs (%s)", r.body);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	reply_free(&r);
	logs();
	/* the last duplicate wins */
	snprintf(b2, sizeof b2, "%s,\"profile\":\"client\",\"Profile\":\"nosuch\"}", csrq);
	r = call(cf_api_sign, b2);
	CHECK(r.status == 200, "sign duplicate profile: %s", r.body);
	reply_free(&r);
	logs();

	/* bundle without a bundler: issued, with 5300 and no "wrote response" */
	snprintf(b2, sizeof b2, "%s,\"bundle\":true}", csrq);
	r = call(cf_api_sign, b2);
	CHECK(r.status == 200 &&
		      strstr(r.body,
			     "\"},\"errors\":[],\"messages\":[{\"code\":5300,\"message\":\"This "
			     "request requires a bundler, but one is not initialized for the API "
			     "server.\"}]}\n"),
	      "sign bundle: %s", r.body);
	l = logs();
	CHECK(!strstr(l, "wrote response") && strstr(l, "signed certificate"), "bundle log: %s", l);
	reply_free(&r);

	expect_error(cf_api_sign, "", 400, 400, "Unable to parse sign request",
		     "[INFO] signature request received\n");
	expect_error(cf_api_sign, "{\"certificate_request\":1}", 400, 400,
		     "Unable to parse sign request", "[INFO] signature request received\n");
	snprintf(b2, sizeof b2, "%s} x", csrq);
	expect_error(cf_api_sign, b2, 400, 400, "Unable to parse sign request",
		     "[INFO] signature request received\n");
	expect_error(cf_api_sign, "{}", 400, 400, "missing parameter 'certificate_request'",
		     "[INFO] signature request received\n");
	expect_error(cf_api_sign, "null", 400, 400, "missing parameter 'certificate_request'",
		     "[INFO] signature request received\n");
	expect_error(cf_api_sign, "{\"certificate_request\":\"\",\"profile\":\"client\"}", 400, 400,
		     "missing parameter 'certificate_request'",
		     "[INFO] signature request received\n");
	snprintf(b2, sizeof b2, "%s,\"profile\":\"client\"}", csrq);
	expect_error(cf_api_sign, b2, 400, 400, "authentication required",
		     "[INFO] signature request received\n"
		     "[ERROR] profile requires authentication\n");
	expect_error(cf_api_sign, "{\"certificate_request\":\"garbage\"}", 400, 9002,
		     "CSR Decode failed",
		     "[INFO] signature request received\n"
		     "[WARNING] failed to sign request: {\"code\":9002,\"message\":\"CSR Decode "
		     "failed\"}\n");
	free(csrq);
}

static void test_authsign(void)
{
	/* the inner request as cfssl's client marshals it */
	struct cf_buf in = CF_BUF_INIT;
	cf_buf_adds(&in, "{\"hosts\":null,\"certificate_request\":");
	json_t *s = json_stringn((const char *)csr_pem.data, csr_pem.len);
	char *q = json_dumps(s, JSON_ENCODE_ANY);
	json_decref(s);
	cf_buf_adds(&in, q);
	free(q);
	cf_buf_adds(&in, ",\"profile\":\"client\",\"crl_override\":\"\",\"label\":\"\","
			 "\"NotBefore\":\"0001-01-01T00:00:00Z\",\"NotAfter\":\"0001-01-01T00:00:"
			 "00Z\",\"ReturnPrecert\":false,\"metadata\":null}");
	cf_buf_addc(&in, 0);
	const char *inner = (const char *)in.data;

	/* auth_key and, for a rotation, prev_auth_key */
	const char *keys[] = {key1, key0};
	for (int i = 0; i < 2; i++) {
		char *body = auth_body(inner, keys[i]);
		struct reply r = call(cf_api_authsign, body);
		free(body);
		CHECK(r.status == 200, "authsign key %d: %s", i, r.body);
		gnutls_x509_crt_t crt = issued(&r);
		CHECK(crt != NULL, "authsign: a certificate of the CA");
		if (crt) {
			/* the client profile: client auth only */
			char oid[128];
			size_t l = sizeof oid;
			CHECK(gnutls_x509_crt_get_key_purpose_oid(crt, 0, oid, &l, NULL) >= 0 &&
				      !strcmp(oid, GNUTLS_KP_TLS_WWW_CLIENT),
			      "authsign: client auth EKU");
			gnutls_x509_crt_deinit(crt);
		}
		const char *l = logs();
		CHECK(starts(l, "[INFO] signature request received\n[INFO] signed certificate") &&
			      strstr(l, "[INFO] wrote response\n"),
		      "authsign log: %s", l);
		reply_free(&r);
	}

	char *bad = auth_body(inner, "00112233445566778899aabbccddeeff");
	expect_error(cf_api_authsign, bad, 400, 400, "invalid token",
		     "[INFO] signature request received\n"
		     "[WARNING] received authenticated request with invalid token\n");
	free(bad);
	/* no token at all */
	char b[16384];
	char *good = auth_body(inner, key1);
	const char *req = strstr(good, "\"request\"");
	snprintf(b, sizeof b, "{%s", req);
	expect_error(cf_api_authsign, b, 400, 400, "invalid token",
		     "[INFO] signature request received\n"
		     "[WARNING] received authenticated request with invalid token\n");
	/* a token of the wrong length */
	snprintf(b, sizeof b, "{\"token\":\"AAAA\",%s", req);
	expect_error(cf_api_authsign, b, 400, 400, "invalid token",
		     "[INFO] signature request received\n"
		     "[WARNING] received authenticated request with invalid token\n");
	free(good);
	expect_error(cf_api_authsign, "{\"token\":\"AAAA!A\"}", 400, 400,
		     "illegal base64 data at input byte 4",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal authenticated request: illegal base64 data at "
		     "input byte 4\n");
	expect_error(cf_api_authsign, "notjson", 400, 400,
		     "invalid character 'o' in literal null (expecting 'u')",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal authenticated request: invalid character 'o' in "
		     "literal null (expecting 'u')\n");
	expect_error(cf_api_authsign, "{\"timestamp\":1.5}", 400, 400,
		     "json: cannot unmarshal number 1.5 into Go struct field "
		     "AuthenticatedRequest.timestamp of type int64",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal authenticated request: json: cannot unmarshal "
		     "number 1.5 into Go struct field AuthenticatedRequest.timestamp of type "
		     "int64\n");
	expect_error(cf_api_authsign, "{}", 400, 400, "Unable to parse authenticated sign request",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal request from authenticated request: unexpected "
		     "end of JSON input\n");
	/* "[1]" as the inner request */
	expect_error(cf_api_authsign, "{\"request\":\"WzFd\"}", 400, 400,
		     "Unable to parse authenticated sign request",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal request from authenticated request: json: cannot "
		     "unmarshal array into Go value of type signhandler.jsonSignRequest\n");
	/* as cfssl master's serve answers and logs them */
	expect_error(cf_api_authsign, "{\"token\":[256]}", 400, 400,
		     "json: cannot unmarshal number 256 into Go struct field "
		     "AuthenticatedRequest.token of type uint8",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal authenticated request: json: cannot unmarshal "
		     "number 256 into Go struct field AuthenticatedRequest.token of type uint8\n");
	expect_error(cf_api_authsign, "{\"token\":5}", 400, 400,
		     "json: cannot unmarshal number into Go struct field "
		     "AuthenticatedRequest.token of type []uint8",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal authenticated request: json: cannot unmarshal "
		     "number into Go struct field AuthenticatedRequest.token of type []uint8\n");
	expect_error(cf_api_authsign, "{\"token\":[1,2]}", 400, 400,
		     "Unable to parse authenticated sign request",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal request from authenticated request: unexpected "
		     "end of JSON input\n");
	/* {"serial":"1"}, {"subject":5}, {"subject":{"CN":5}}, {"hosts":[1]} */
	expect_error(cf_api_authsign, "{\"request\":\"eyJzZXJpYWwiOiIxIn0=\"}", 400, 400,
		     "Unable to parse authenticated sign request",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal request from authenticated request: math/big: "
		     "cannot unmarshal \"\\\"1\\\"\" into a *big.Int\n");
	expect_error(cf_api_authsign, "{\"request\":\"eyJzdWJqZWN0Ijo1fQ==\"}", 400, 400,
		     "Unable to parse authenticated sign request",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal request from authenticated request: json: cannot "
		     "unmarshal number into Go struct field jsonSignRequest.subject of type "
		     "signer.Subject\n");
	expect_error(cf_api_authsign, "{\"request\":\"eyJzdWJqZWN0Ijp7IkNOIjo1fX0=\"}", 400, 400,
		     "Unable to parse authenticated sign request",
		     "[INFO] signature request received\n"
		     "[ERROR] failed to unmarshal request from authenticated request: json: cannot "
		     "unmarshal number into Go struct field Subject.subject.CN of type string\n");
	expect_error(
		cf_api_authsign, "{\"request\":\"eyJob3N0cyI6WzFdfQ==\"}", 400, 400,
		"Unable to parse authenticated sign request",
		"[INFO] signature request received\n"
		"[ERROR] failed to unmarshal request from authenticated request: json: cannot "
		"unmarshal number into Go struct field jsonSignRequest.hosts of type string\n");
	/* the default profile has no auth key: "{}" */
	expect_error(cf_api_authsign, "{\"request\":\"e30=\"}", 400, 400,
		     "no authentication provider",
		     "[INFO] signature request received\n"
		     "[ERROR] profile has no authentication provider\n");
	/* the token is checked before the CSR's presence */
	const char *nocsr = "{\"profile\":\"client\"}";
	char *nb = auth_body(nocsr, key1);
	expect_error(cf_api_authsign, nb, 400, 400, "missing parameter 'certificate_request'",
		     "[INFO] signature request received\n");
	free(nb);
	nb = auth_body("{\"profile\":\"client\",\"certificate_request\":\"garbage\"}", key0);
	expect_error(
		cf_api_authsign, nb, 400, 9002, "CSR Decode failed",
		"[INFO] signature request received\n"
		"[ERROR] signature failed: {\"code\":9002,\"message\":\"CSR Decode failed\"}\n");
	free(nb);
	cf_buf_release(&in);
}

static void test_newcert(void)
{
	struct reply r = call(cf_api_newcert, "{\"request\":{\"CN\":\"n.example\",\"hosts\":"
					      "[\"n.example\"]},\"label\":\"l\"}");
	CHECK(r.status == 200, "newcert: %s", r.body);
	/* a Go map: members sorted; sums of the certificate and the CSR */
	const char *b = r.body;
	const char *c = strstr(b, "\"certificate\":"), *cr = strstr(b, "\"certificate_request\":"),
		   *pk = strstr(b, "\"private_key\":"),
		   *su = strstr(b, "\"sums\":{\"certificate\":"
				   "{\"md5\":\"");
	CHECK(c && cr && pk && su && c < cr && cr < pk && pk < su, "newcert member order: %s", b);
	CHECK(strstr(b, "\"errors\":[],\"messages\":[]}\n") != NULL, "newcert messages: %s", b);
	json_t *sums = json_object_get(json_object_get(r.json, "result"), "sums");
	const char *sha = json_string_value(
		json_object_get(json_object_get(sums, "certificate_request"), "sha-256"));
	CHECK(sha && strlen(sha) == 64 && strspn(sha, "0123456789ABCDEF") == 64,
	      "newcert sha-256 %s", sha ? sha : "-");
	gnutls_x509_crt_t crt = issued(&r);
	CHECK(crt != NULL, "newcert: a certificate of the CA");
	if (crt)
		gnutls_x509_crt_deinit(crt);
	const char *l = logs();
	CHECK(starts(l, "[INFO] request for CSR\n[INFO] generate received request\n[INFO] "
			"received CSR\n[INFO] generating key: ecdsa-256\n[INFO] encoded CSR\n"
			"[INFO] signed certificate with serial number "),
	      "newcert log: %s", l);
	reply_free(&r);

	/* {} issues a certificate with an empty subject and the hosts message */
	r = call(cf_api_newcert, "{}");
	CHECK(r.status == 200 &&
		      strstr(r.body,
			     "\"messages\":[{\"code\":5300,\"message\":\"This certificate lacks a "
			     "\\\"hosts\\\" field. This makes it unsuitable for\\nwebsites. For "
			     "more "
			     "information see the Baseline Requirements for the Issuance and "
			     "Management\\nof Publicly-Trusted Certificates, v.1.1.6, from the "
			     "CA/Browser Forum (https://cabforum.org);\\nspecifically, section "
			     "10.2.3 "
			     "(\\\"Information Requirements\\\").\"}]}\n"),
	      "newcert {}: %s", r.body);
	reply_free(&r);
	logs();
	/* the bundler message wins */
	r = call(cf_api_newcert, "{\"bundle\":true}");
	CHECK(strstr(r.body, "\"messages\":[{\"code\":5300,\"message\":\"This request requires a "
			     "bundler"),
	      "newcert bundle: %s", r.body);
	reply_free(&r);
	logs();

	expect_error(cf_api_newcert, "{\"request\":null}", 400, 400, "missing request section",
		     "[INFO] request for CSR\n[WARNING] empty request received\n");
	expect_error(cf_api_newcert, "{\"request\":{\"ca\":{}}}", 400, 400,
		     "ca section only permitted in initca",
		     "[INFO] request for CSR\n[WARNING] request received with CA section\n");
	expect_error(cf_api_newcert, "{\"request\":{\"CN\":5}}", 400, 400,
		     "json: cannot unmarshal number into Go struct field "
		     "CertificateRequest.request.CN of type string",
		     "[INFO] request for CSR\n[WARNING] failed to unmarshal request: json: cannot "
		     "unmarshal number into Go struct field CertificateRequest.request.CN of type "
		     "string\n");
	expect_error(cf_api_newcert, "{\"request\":[1]}", 400, 400,
		     "json: cannot unmarshal array into Go struct field genSignRequest.request of "
		     "type csr.CertificateRequest",
		     "[INFO] request for CSR\n[WARNING] failed to unmarshal request: json: cannot "
		     "unmarshal array into Go struct field genSignRequest.request of type "
		     "csr.CertificateRequest\n");
	expect_error(
		cf_api_newcert, "{\"request\":{\"hosts\":5}}", 400, 400,
		"json: cannot unmarshal number into Go struct field "
		"CertificateRequest.request.hosts of type []string",
		"[INFO] request for CSR\n[WARNING] failed to unmarshal request: json: cannot "
		"unmarshal number into Go struct field CertificateRequest.request.hosts of type "
		"[]string\n");
	expect_error(cf_api_newcert, "{\"request\":{\"key\":{\"size\":\"1\"}}}", 400, 400,
		     "json: cannot unmarshal string into Go struct field "
		     "KeyRequest.request.key.size of type int",
		     "[INFO] request for CSR\n[WARNING] failed to unmarshal request: json: cannot "
		     "unmarshal string into Go struct field KeyRequest.request.key.size of type "
		     "int\n");
	expect_error(cf_api_newcert, "{\"request\":{\"names\":[{\"C\":5}]}}", 400, 400,
		     "json: cannot unmarshal number into Go struct field Name.request.names.C of "
		     "type string",
		     "[INFO] request for CSR\n[WARNING] failed to unmarshal request: json: cannot "
		     "unmarshal number into Go struct field Name.request.names.C of type string\n");
	expect_error(cf_api_newcert, "{\"profile\":true}", 400, 400,
		     "json: cannot unmarshal bool into Go struct field genSignRequest.profile of "
		     "type string",
		     "[INFO] request for CSR\n[WARNING] failed to unmarshal request: json: cannot "
		     "unmarshal bool into Go struct field genSignRequest.profile of type string\n");
	expect_error(cf_api_newcert, "{\"request\":{\"key\":{\"algo\":\"rsa\",\"size\":512}}}", 400,
		     2400, "RSA key is too weak",
		     "[INFO] request for CSR\n[INFO] generate received request\n[INFO] received "
		     "CSR\n[INFO] generating key: rsa-512\n[WARNING] failed to process CSR: "
		     "{\"code\":2400,\"message\":\"RSA key is too weak\"}\n");
	/* deviation 16: an auth_key profile is refused as by /sign */
	expect_error(cf_api_newcert, "{\"profile\":\"client\"}", 400, 400,
		     "authentication required",
		     "[INFO] request for CSR\n[ERROR] profile requires authentication (cfssl-c's "
		     "/newcert, as /sign, leaves auth_key profiles to /authsign)\n");
}

/* A policy whose profiles are all remote: no CA, every request forwarded (here to a closed
 * port: the remote client's 7400 shows where it went). */
static void test_all_remote(void)
{
	char confp[256];
	snprintf(confp, sizeof confp, "%s/remote.json", dir);
	FILE *f = fopen(confp, "w");
	fputs("{\"signing\":{\"default\":{\"remote\":\"r\"}},\"remotes\":{\"r\":"
	      "\"http://127.0.0.1:1\"}}",
	      f);
	fclose(f);
	struct cf_config *conf = NULL;
	struct cf_error e = {0};
	CHECK(cf_config_load(confp, &conf, &e) == 0, "remote policy: %s", e.msg);
	unlink(confp);
	if (!conf)
		return;
	const struct cf_config *saved = api.config;
	const struct cf_ca *ca = api.ca;
	api.config = conf;
	api.ca = NULL;
	logs();
	char *body = sign_body(",\"profile\":\"nosuch\"");
	struct reply r = call(cf_api_sign, body);
	free(body);
	CHECK(r.status == 400 && strstr(r.body, "{\"code\":7400,\"message\":\"failed POST to "
						"http://127.0.0.1:1/api/v1/cfssl/sign: "),
	      "all-remote sign: %s", r.body);
	const char *l = logs();
	CHECK(starts(l, "[INFO] signature request received\n[WARNING] failed to sign request: "
			"{\"code\":7400,"),
	      "all-remote sign log: %s", l);
	reply_free(&r);
	r = call(cf_api_info, "{}");
	CHECK(r.status == 400 &&
		      strstr(r.body, "failed POST to http://127.0.0.1:1/api/v1/cfssl/info"),
	      "all-remote info: %s", r.body);
	reply_free(&r);
	r = call(cf_api_newcert, "{\"request\":{\"CN\":\"r.example\"}}");
	CHECK(r.status == 400 &&
		      strstr(r.body, "failed POST to http://127.0.0.1:1/api/v1/cfssl/sign"),
	      "all-remote newcert: %s", r.body);
	l = logs();
	CHECK(strstr(l, "[INFO] encoded CSR\n[WARNING] failed to sign request: {\"code\":7400,") &&
		      !strstr(l, "signed certificate"),
	      "all-remote newcert log: %s", l);
	reply_free(&r);
	api.config = saved;
	api.ca = ca;
	cf_config_free(conf);
}

/* With -ca-bundle and -int-bundle: the chain in "bundle", members sorted, "wrote response". */
static void test_bundle(const char *ca_path)
{
	struct cf_bundler b = {0};
	struct cf_error e = {0};
	CHECK(cf_bundler_load(ca_path, ca_path, "", &b, &e) == 0, "bundler: %s", e.msg);
	api.bundler = &b;
	api.sign_bundler = 1;
	logs();
	char *body = sign_body(",\"bundle\":true");
	struct reply r = call(cf_api_sign, body);
	free(body);
	json_t *res = json_object_get(r.json, "result");
	CHECK(r.status == 200 && starts(r.body, "{\"success\":true,\"result\":{\"bundle\":{") &&
		      strstr(r.body, "\"certificate\":\"-----BEGIN CERTIFICATE") &&
		      json_object_size(res) == 2 &&
		      strstr(r.body, "},\"errors\":[],\"messages\":[]}\n"),
	      "sign bundle: %s", r.body);
	const char *root =
		json_string_value(json_object_get(json_object_get(res, "bundle"), "root"));
	CHECK(root && !strncmp(root, (const char *)ca_pem.data, ca_pem.len - 1),
	      "sign bundle: the CA is the root");
	const char *l = logs();
	CHECK(strstr(l,
		     "[INFO] bundling certificate for CN=leaf.example\n[INFO] the anchoring root "
		     "is CN=Test CA\n[INFO] wrote response\n") != NULL,
	      "sign bundle: log %s", l);
	reply_free(&r);
	r = call(cf_api_newcert, "{\"request\":{\"CN\":\"b.example\",\"hosts\":[\"b.example\"]},"
				 "\"bundle\":true}");
	CHECK(r.status == 200 &&
		      starts(r.body, "{\"success\":true,\"result\":{\"bundle\":{\"bundle\":") &&
		      strstr(r.body, "\"errors\":[],\"messages\":[]}\n"),
	      "newcert bundle: %s", r.body);
	reply_free(&r);
	logs();
	api.bundler = NULL;
	api.sign_bundler = 0;
	cf_bundler_release(&b);
}

/* §7.4: what the local signer issues is recorded; a certificate that cannot be recorded is
 * not handed out. */
static void test_db(void)
{
	char conf[256], path[256];
	snprintf(conf, sizeof conf, "%s/db.json", dir);
	snprintf(path, sizeof path, "%s/certs.db", dir);
	FILE *f = fopen(conf, "w");
	fprintf(f, "{\"driver\":\"sqlite3\",\"data_source\":\"%s\"}", path);
	fclose(f);
	struct cf_error e = {0};
	api.db = cf_certdb_open_file(conf, &e);
	check(api.db != NULL, "open the database");

	/* no schema: 11000, logged as a signing failure, no certificate */
	char *body = sign_body(",\"label\":\"L1\"");
	struct reply r = call(cf_api_sign, body);
	CHECK(r.status == 400 && strstr(r.body, "{\"code\":11000,\"message\":") &&
		      strstr(r.body, "no such table: certificates") && !strstr(r.body, "BEGIN"),
	      "sign without the table: %s", r.body);
	const char *l = logs();
	CHECK(strstr(l, "[INFO] signed certificate with serial number ") &&
		      strstr(l, "\n[WARNING] failed to sign request: {\"code\":11000,"),
	      "sign without the table: log %s", l);
	reply_free(&r);
	r = call(cf_api_newcert, "{\"request\":{\"CN\":\"db.example\"}}");
	CHECK(r.status == 400 && strstr(r.body, "\"code\":11000") && !strstr(r.body, "PRIVATE"),
	      "newcert without the table: %s", r.body);
	l = logs();
	CHECK(strstr(l, "[WARNING] failed to sign request: {\"code\":11000,") != NULL,
	      "newcert without the table: log %s", l);
	reply_free(&r);
	cf_certdb_close(api.db);

	sqlite3 *sq;
	sqlite3_open(path, &sq);
	const char *files[] = {"001_CreateCertificates.sql", "002_AddMetadataToCertificates.sql"};
	for (int i = 0; i < 2; i++) {
		char p[1024];
		snprintf(p, sizeof p, "%s/db/sqlite3/%s", getenv("SRCDIR"), files[i]);
		struct cf_buf b = CF_BUF_INIT;
		cf_read_file(p, &b, &e);
		CHECK(b.data && sqlite3_exec(sq, (char *)b.data, NULL, NULL, NULL) == SQLITE_OK,
		      "schema %s", files[i]);
		cf_buf_release(&b);
	}
	sqlite3_close(sq);
	api.db = cf_certdb_open_file(conf, &e);
	r = call(cf_api_sign, body);
	CHECK(r.status == 200, "sign with the table: %s", r.body);
	char *pem = strdup(result_str(&r, "certificate") ? result_str(&r, "certificate") : "");
	reply_free(&r);
	r = call(cf_api_newcert, "{\"request\":{\"CN\":\"db.example\"},\"label\":\"L2\"}");
	CHECK(r.status == 200, "newcert with the table: %s", r.body);
	reply_free(&r);
	logs();
	struct cf_certdb_cert *rows = NULL;
	size_t n = 0;
	CHECK(cf_certdb_get_unexpired(api.db, &rows, &n, &e) == 0 && n == 2,
	      "two rows recorded: %zu (%s)", n, e.msg);
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(rows[i].pem, pem))
			found |= !strcmp(rows[i].ca_label, "L1") ? 1 : 0;
		if (!strcmp(rows[i].ca_label, "L2"))
			found |= !strncmp(rows[i].pem, "-----BEGIN CERTIFICATE-----", 27) ? 2 : 0;
		cf_certdb_cert_release(&rows[i]);
	}
	free(rows);
	CHECK(found == 3, "the rows: the signed PEM with label L1, newcert's with L2 (%d)", found);
	free(pem);
	free(body);
	cf_certdb_close(api.db);
	api.db = NULL;
	unlink(conf);
	unlink(path);
}

static const char config_json[] =
	"{\"signing\":{\"default\":{\"expiry\":\"8760h\",\"usages\":[\"signing\",\"key "
	"encipherment\",\"server auth\"]},\"profiles\":{\"client\":{\"expiry\":\"720h\","
	"\"usages\":[\"signing\",\"client auth\"],\"auth_key\":\"key1\",\"prev_auth_key\":"
	"\"key0\"},\"short\":{\"expiry\":\"1h\",\"usages\":[\"signing\",\"nosuchusage\"]}}},\"auth_"
	"keys\":{\"key1\":{\"type\":"
	"\"standard\",\"key\":\"0123456789abcdef0123456789abcdef\"},\"key0\":{\"type\":"
	"\"standard\",\"key\":\"fedcba9876543210fedcba9876543210\"}}}";

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		abort();
}

int main(void)
{
	struct cf_error err = {0};
	if (cf_crypto_init(&err) < 0 || !mkdtemp(dir))
		return 1;
	logfile = tmpfile();
	cf_log_init(logfile, 1);

	/* an ECDSA CA, a CSR with two hosts, a policy with an auth profile */
	struct cf_csr_request careq = {
		.cn = strdup("Test CA"), .algo = strdup("ecdsa"), .size = 256};
	struct cf_buf cacsr = CF_BUF_INIT, cakey = CF_BUF_INIT;
	char cap[256], keyp[256], confp[256];
	snprintf(cap, sizeof cap, "%s/ca.pem", dir);
	snprintf(keyp, sizeof keyp, "%s/ca-key.pem", dir);
	snprintf(confp, sizeof confp, "%s/config.json", dir);
	if (cf_initca_new(&careq, &ca_pem, &cacsr, &cakey, &err) < 0)
		return 1;
	write_file(cap, ca_pem.data, ca_pem.len);
	write_file(keyp, cakey.data, cakey.len);
	write_file(confp, config_json, strlen(config_json));
	struct cf_ca ca;
	struct cf_config *conf = NULL;
	if (cf_ca_load(cap, keyp, &ca, &err) < 0 || cf_config_load(confp, &conf, &err) < 0) {
		printf("setup: %s\n", err.msg);
		return 1;
	}
	struct cf_csr_request lreq = {
		.cn = strdup("leaf.example"), .algo = strdup("ecdsa"), .size = 256};
	cf_csr_request_set_hostname(&lreq, "leaf.example,127.0.0.1");
	struct cf_newkey_result nk;
	if (cf_op_newkey(&lreq, &nk, &err) < 0)
		return 1;
	cf_buf_add(&csr_pem, nk.csr.data, nk.csr.len);
	cf_newkey_result_release(&nk);
	logs();

	api.config = conf;
	api.ca = &ca;
	test_info();
	test_sign();
	test_authsign();
	test_newcert();
	test_db();
	test_bundle(cap);
	test_all_remote();

	cf_csr_request_release(&careq);
	cf_csr_request_release(&lreq);
	cf_buf_release(&cacsr);
	cf_buf_release(&cakey);
	cf_buf_release(&csr_pem);
	cf_buf_release(&ca_pem);
	cf_ca_release(&ca);
	cf_config_free(conf);
	unlink(cap);
	unlink(keyp);
	unlink(confp);
	rmdir(dir);
	fclose(logfile);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
