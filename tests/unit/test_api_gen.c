/* The handlers of common/net/api_gen.c and api_db.c called directly with hand-built requests:
 * bodies, status codes, error codes and messages, log lines and result member order as
 * cfssl-serve.md §3 says; keys, CSRs, CRLs and OCSP responses checked with GnuTLS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>

#include "api.h"
#include "base64.h"
#include "bigint.h"
#include "certdb.h"
#include "check.h"
#include "config.h"
#include "gojson.h"
#include "log.h"
#include "ops.h"
#include "fileio.h"
#include "pem.h"

static char *logbuf;
static size_t loglen;
static FILE *logf;

struct result {
	int status;
	char *body;
	char *log;
};

static int starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static void result_free(struct result *r)
{
	free(r->body);
	free(r->log);
	memset(r, 0, sizeof *r);
}

/* What the dispatcher does: the handler, then the error reply when it fails. */
static struct result call(cf_api_fn fn, const struct cf_api *api, const char *method,
			  const char *body)
{
	struct cf_httpd_request req = {
		.method = method,
		.path = "/api/v1/cfssl/x",
		.uri = "/api/v1/cfssl/x",
		.query = "",
		.body = (const unsigned char *)body,
		.body_len = strlen(body),
		.remote = "127.0.0.1:1",
	};
	struct cf_httpd_reply rep = {.status = 200};
	struct cf_error err = {0};
	fflush(logf);
	size_t start = loglen;
	if (fn(api, &req, &rep, &err) < 0)
		cf_httpd_reply_error(&rep, &err);
	fflush(logf);
	struct result r = {rep.status, cf_xmemdup(rep.body.data, rep.body.len),
			   cf_xmemdup(logbuf + start, loglen - start)};
	cf_httpd_reply_reset(&rep);
	return r;
}

static void expect_error(const char *what, cf_api_fn fn, const struct cf_api *api, const char *body,
			 int status, const char *envelope_error)
{
	struct result r = call(fn, api, "POST", body);
	char want[2048];
	snprintf(want, sizeof want,
		 "{\"success\":false,\"result\":null,\"errors\":[%s],\"messages\":[]}\n",
		 envelope_error);
	CHECK(r.status == status, "%s: status %d, want %d", what, r.status, status);
	check_str(what, want, r.body);
	result_free(&r);
}

/* The string member @name of the envelope's result, new. */
static char *result_string(const char *body, const char *name)
{
	struct cf_error e = {0};
	json_t *doc = cf_gojson_parse(body, strlen(body), &e);
	json_t *res = json_object_get(doc, "result");
	const char *s =
		name ? json_string_value(json_object_get(res, name)) : json_string_value(res);
	char *out = s ? cf_xstrdup(s) : NULL;
	json_decref(doc);
	return out;
}

static char *json_quoted(const char *s)
{
	struct cf_buf b = CF_BUF_INIT;
	cf_gojson_quote(&b, s, strlen(s));
	return (char *)cf_buf_detach(&b, NULL);
}

static char *body_with(const char *fmt, const char *a, const char *b)
{
	char *qa = a ? json_quoted(a) : NULL, *qb = b ? json_quoted(b) : NULL;
	char *out = NULL;
	if (asprintf(&out, fmt, qa, qb) < 0)
		abort();
	free(qa);
	free(qb);
	return out;
}

static void test_health_scaninfo(const struct cf_api *api)
{
	struct result r = call(cf_api_health, api, "GET", "");
	CHECK(r.status == 200, "health status %d", r.status);
	check_str(
		"health",
		"{\"success\":true,\"result\":{\"healthy\":true},\"errors\":[],\"messages\":[]}\n",
		r.body);
	CHECK(strlen(r.body) == 69, "health is 69 bytes");
	result_free(&r);

	r = call(cf_api_scaninfo, api, "GET", "");
	CHECK(r.status == 200, "scaninfo status");
	CHECK(strlen(r.body) == 1755, "scaninfo is 1755 bytes, not %zu", strlen(r.body));
	CHECK(strstr(r.body, "{\"success\":true,\"result\":{\"Broad\":{\"description\":\"Large "
			     "scale scans of TLS hosts\",") == r.body,
	      "scaninfo starts as cfssl's");
	CHECK(strstr(r.body, "\"TLSSession\":{\"description\":\"Scans host's implementation of "
			     "TLS session resumption using session tickets/session "
			     "IDs\",\"scanners\":{\"SessionResume\":{\"description\":\"Host is "
			     "able to resume sessions across all addresses\"}}}},\"errors\":[],"
			     "\"messages\":[]}\n") != NULL,
	      "scaninfo ends as cfssl's");
	CHECK(strstr(r.log, "[INFO] setting up scaninfo handler\n") != NULL, "scaninfo log");
	result_free(&r);

	r = call(cf_api_scan, api, "GET", "");
	CHECK(r.status == 400, "scan without host: %d", r.status);
	check_str("scan without host",
		  "{\"success\":false,\"result\":null,\"errors\":[{\"code\":400,\"message\":\"no "
		  "host given\"}],\"messages\":[]}\n",
		  r.body);
	result_free(&r);
}

/* A key and CSR from /newkey; checks the reply's shape, the sums and the CSR's signature.
 * Returns the result's certificate_request (new), *key gets private_key (new). */
static char *newkey_ok(const struct cf_api *api, const char *body, char **key)
{
	struct result r = call(cf_api_newkey, api, "POST", body);
	CHECK(r.status == 200, "newkey %s: status %d %s", body, r.status, r.body);
	CHECK(starts(r.body,
		     "{\"success\":true,\"result\":{\"private_key\":\"-----BEGIN EC PRIVATE "
		     "KEY-----\\n"),
	      "newkey: private_key first: %.100s", r.body);
	CHECK(strstr(r.body, "-----END EC PRIVATE KEY-----\\n\",\"certificate_request\":\"-----"
			     "BEGIN CERTIFICATE REQUEST-----\\n") != NULL,
	      "newkey: certificate_request second");
	CHECK(strstr(r.body, "-----END CERTIFICATE REQUEST-----\\n\",\"sums\":{"
			     "\"certificate_request\":{\"md5\":\"") != NULL,
	      "newkey: sums last");
	const char *want_log = "[INFO] request for CSR\n";
	CHECK(strstr(r.log, want_log) != NULL, "newkey log: %s", r.log);
	CHECK(strstr(r.log, "[INFO] generate received request\n") != NULL &&
		      strstr(r.log, "[INFO] received CSR\n") != NULL &&
		      strstr(r.log, "[INFO] generating key: ecdsa-256\n") != NULL &&
		      strstr(r.log, "[INFO] encoded CSR\n") != NULL,
	      "newkey generator log lines: %s", r.log);

	char *csr = result_string(r.body, "certificate_request");
	*key = result_string(r.body, "private_key");
	/* the digests are those of the CSR's DER, upper-case hex */
	struct cf_pem_block blk = {0};
	const char *rest;
	size_t restlen;
	CHECK(csr && cf_pem_decode(csr, strlen(csr), &blk, &rest, &restlen) == 1, "CSR PEM");
	unsigned char d[32];
	char hex[65], want[128];
	gnutls_hash_fast(GNUTLS_DIG_SHA256, blk.der, blk.len, d);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02X", d[i]);
	snprintf(want, sizeof want, "\"sha-256\":\"%s\"}}}", hex);
	CHECK(strstr(r.body, want) != NULL, "newkey sha-256 sum");
	gnutls_hash_fast(GNUTLS_DIG_MD5, blk.der, blk.len, d);
	for (int i = 0; i < 16; i++)
		sprintf(hex + 2 * i, "%02X", d[i]);
	snprintf(want, sizeof want, "{\"md5\":\"%s\",\"sha-1\":\"", hex);
	CHECK(strstr(r.body, want) != NULL, "newkey md5 sum");
	gnutls_x509_crq_t crq;
	gnutls_x509_crq_init(&crq);
	gnutls_datum_t dd = {blk.der, (unsigned)blk.len};
	CHECK(gnutls_x509_crq_import(crq, &dd, GNUTLS_X509_FMT_DER) == 0 &&
		      gnutls_x509_crq_verify(crq, 0) == 0,
	      "newkey CSR verifies");
	gnutls_x509_crq_deinit(crq);
	cf_pem_block_release(&blk);
	result_free(&r);
	return csr;
}

static void test_newkey(const struct cf_api *api)
{
	char *key;
	free(newkey_ok(api, "{}", &key));
	free(key);
	free(newkey_ok(api, "{\"CN\":\"x.example\",\"HOSTS\":[\"x.example\"]}", &key));
	free(key);

	expect_error("newkey ca", cf_api_newkey, api, "{\"CN\":\"x\",\"ca\":{}}", 400,
		     "{\"code\":400,\"message\":\"ca section only permitted in initca\"}");
	expect_error("newkey empty", cf_api_newkey, api, "", 400,
		     "{\"code\":400,\"message\":\"unexpected end of JSON input\"}");
	expect_error("newkey notjson", cf_api_newkey, api, "notjson", 400,
		     "{\"code\":400,\"message\":\"invalid character 'o' in literal null "
		     "(expecting 'u')\"}");
	expect_error("newkey array", cf_api_newkey, api, "[]", 400,
		     "{\"code\":400,\"message\":\"json: cannot unmarshal array into Go value of "
		     "type csr.CertificateRequest\"}");
	expect_error("newkey weak", cf_api_newkey, api,
		     "{\"key\":{\"algo\":\"rsa\",\"size\":1024}}", 400,
		     "{\"code\":2400,\"message\":\"RSA key is too weak\"}");
	expect_error("newkey algo", cf_api_newkey, api,
		     "{\"key\":{\"algo\":\"dsa\",\"size\":1024}}", 400,
		     "{\"code\":2400,\"message\":\"invalid algorithm\"}");
}

/* A new CA from /init_ca: *cert and *key new. */
static void init_ca_ok(const struct cf_api *api, const char *cn, char **cert, char **key)
{
	char body[256];
	snprintf(body, sizeof body, "{\"CN\":\"%s\",\"key\":{\"algo\":\"ecdsa\",\"size\":256}}",
		 cn);
	struct result r = call(cf_api_init_ca, api, "POST", body);
	CHECK(r.status == 200, "init_ca status %d %s", r.status, r.body);
	CHECK(starts(r.body, "{\"success\":true,\"result\":{\"private_key\":\"-----BEGIN EC"),
	      "init_ca: private_key first");
	CHECK(strstr(r.body, "\",\"certificate\":\"-----BEGIN CERTIFICATE-----\\n") != NULL,
	      "init_ca: certificate second");
	CHECK(starts(r.log, "[INFO] setting up initial CA handler\n") ||
		      strstr(r.log, "[INFO] setting up initial CA handler\n") != NULL,
	      "init_ca log");
	CHECK(strstr(r.log, "[INFO] signed certificate with serial number ") != NULL,
	      "init_ca signed log");
	*cert = result_string(r.body, "certificate");
	*key = result_string(r.body, "private_key");
	result_free(&r);
}

static void test_init_ca(const struct cf_api *api)
{
	expect_error("init_ca empty subject", cf_api_init_ca, api, "{}", 400,
		     "{\"code\":5300,\"message\":\"missing subject information\"}");
	struct result r = call(cf_api_init_ca, api, "POST", "{\"hosts\":[\"a.example\"]}");
	CHECK(strstr(r.log, "[WARNING] failed to initialise new CA: {\"code\":5300,\"message\":"
			    "\"missing subject information\"}\n") != NULL,
	      "init_ca failure log: %s", r.log);
	result_free(&r);
	expect_error("init_ca expiry", cf_api_init_ca, api,
		     "{\"CN\":\"x\",\"ca\":{\"expiry\":\"bad\"}}", 500,
		     "{\"code\":0,\"message\":\"time: invalid duration \\\"bad\\\"\"}");
	expect_error("init_ca json", cf_api_init_ca, api, "{\"CN\":5}", 400,
		     "{\"code\":400,\"message\":\"json: cannot unmarshal number into Go struct "
		     "field CertificateRequest.CN of type string\"}");
}

static void test_certinfo(const struct cf_api *api, const char *ca)
{
	char *body = body_with("{\"certificate\":%s}", ca, NULL);
	struct result r = call(cf_api_certinfo, api, "POST", body);
	CHECK(r.status == 200, "certinfo status %d %s", r.status, r.body);
	CHECK(starts(r.body,
		     "{\"success\":true,\"result\":{\"subject\":{\"common_name\":\"Test CA\","
		     "\"names\":[\"Test CA\"]},\"issuer\":{\"common_name\":\"Test CA\""),
	      "certinfo compact: %.200s", r.body);
	CHECK(strstr(r.body, "\"not_before\":\"") &&
		      strstr(r.body, "\",\"sigalg\":\"ECDSAWithSHA256\","
				     "\"authority_key_id\":\""),
	      "certinfo members");
	CHECK(strchr(r.body, '\n') == r.body + strlen(r.body) - 1, "certinfo on one line");
	result_free(&r);
	free(body);

	const char *none = "{\"code\":400,\"message\":\"no valid parameter sets found\"}";
	expect_error("certinfo {}", cf_api_certinfo, api, "{}", 400, none);
	expect_error("certinfo null", cf_api_certinfo, api, "null", 400, none);
	expect_error("certinfo serial alone", cf_api_certinfo, api, "{\"serial\":\"1\"}", 400,
		     none);
	expect_error("certinfo case", cf_api_certinfo, api, "{\"Certificate\":\"x\"}", 400, none);
	expect_error("certinfo number", cf_api_certinfo, api, "{\"certificate\":5}", 500,
		     "{\"code\":0,\"message\":\"json: cannot unmarshal number into Go value of "
		     "type string\"}");
	expect_error("certinfo array", cf_api_certinfo, api, "[]", 500,
		     "{\"code\":0,\"message\":\"json: cannot unmarshal array into Go value of "
		     "type map[string]string\"}");
	expect_error("certinfo syntax", cf_api_certinfo, api, "{", 500,
		     "{\"code\":0,\"message\":\"unexpected end of JSON input\"}");
	expect_error("certinfo bad pem", cf_api_certinfo, api, "{\"certificate\":\"garbage\"}", 400,
		     "{\"code\":1002,\"message\":\"Failed to decode certificate\"}");
	r = call(cf_api_certinfo, api, "POST", "{\"serial\":\"1\",\"authority_key_id\":\"AB:CD\"}");
	CHECK(r.status == 500, "certinfo serial without db");
	check_str("certinfo serial without db",
		  "{\"success\":false,\"result\":null,\"errors\":[{\"code\":0,\"message\":\"cannot "
		  "lookup certificate from serial without db access\"}],\"messages\":[]}\n",
		  r.body);
	CHECK(strstr(r.log, "[WARNING] could not find certificates with db access\n") != NULL,
	      "certinfo serial log");
	result_free(&r);
	expect_error("certinfo domain refused", cf_api_certinfo, api,
		     "{\"domain\":\"127.0.0.1:1\"}", 500,
		     "{\"code\":0,\"message\":\"dial tcp 127.0.0.1:1: connect: connection "
		     "refused\"}");
}

static gnutls_x509_crt_t parse_crt(const char *pem)
{
	gnutls_x509_crt_t c;
	gnutls_x509_crt_init(&c);
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)strlen(pem)};
	if (gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_PEM) < 0)
		abort();
	return c;
}

static void test_gencrl(const struct cf_api *api, const char *ca, const char *cakey,
			const char *otherkey)
{
	char *body = body_with("{\"certificate\":%s,\"serialNumber\":[\"10\",\"20\",\"abc\"],"
			       "\"issuingKey\":%s,\"expireTime\":\" 3600 \"}",
			       ca, cakey);
	struct result r = call(cf_api_gencrl, api, "POST", body);
	free(body);
	CHECK(r.status == 200, "gencrl status %d %s", r.status, r.body);
	char *b64 = result_string(r.body, NULL);
	struct cf_buf der = CF_BUF_INIT;
	size_t bad;
	CHECK(b64 && cf_base64_decode((const unsigned char *)b64, strlen(b64), &der, &bad) == 0,
	      "gencrl result is base64");
	gnutls_x509_crl_t crl;
	gnutls_x509_crl_init(&crl);
	gnutls_datum_t d = {der.data, (unsigned)der.len};
	gnutls_x509_crt_t issuer = parse_crt(ca);
	unsigned verify = 1;
	CHECK(gnutls_x509_crl_import(crl, &d, GNUTLS_X509_FMT_DER) == 0 &&
		      gnutls_x509_crl_verify(crl, &issuer, 1, 0, &verify) == 0 && verify == 0,
	      "gencrl CRL verifies with the CA");
	CHECK(gnutls_x509_crl_get_crt_count(crl) == 3, "gencrl 3 entries");
	time_t next = gnutls_x509_crl_get_next_update(crl),
	       this = gnutls_x509_crl_get_this_update(crl);
	CHECK(next - this == 3600, "gencrl expireTime");
	gnutls_x509_crl_deinit(crl);
	gnutls_x509_crt_deinit(issuer);
	cf_buf_release(&der);
	free(b64);
	result_free(&r);

	/* deviation 21 */
	body = body_with("{\"certificate\":%s,\"issuingKey\":%s}", ca, otherkey);
	expect_error("gencrl foreign key", cf_api_gencrl, api, body, 400,
		     "{\"code\":400,\"message\":\"the private key does not match the "
		     "certificate's public key\"}");
	free(body);
	body = body_with("{\"certificate\":%s,\"issuingKey\":%s}", "garbage", cakey);
	expect_error("gencrl bad cert", cf_api_gencrl, api, body, 400,
		     "{\"code\":400,\"message\":\"malformed certificate\"}");
	free(body);
	body = body_with("{\"certificate\":%s,\"issuingKey\":%s}", ca, "garbage");
	expect_error("gencrl bad key", cf_api_gencrl, api, body, 400,
		     "{\"code\":400,\"message\":\"malformed Private Key\"}");
	free(body);
	expect_error("gencrl expiry", cf_api_gencrl, api, "{\"expireTime\":\"x\"}", 500,
		     "{\"code\":0,\"message\":\"strconv.ParseInt: parsing \\\"x\\\": invalid "
		     "syntax\"}");
	r = call(cf_api_gencrl, api, "POST", "garbage");
	check_str(
		"gencrl garbage",
		"{\"success\":false,\"result\":null,\"errors\":[{\"code\":0,\"message\":\"invalid "
		"character 'g' looking for beginning of value\"}],\"messages\":[]}\n",
		r.body);
	CHECK(strstr(r.log, "[ERROR] invalid character 'g' looking for beginning of value\n") !=
		      NULL,
	      "gencrl garbage log");
	result_free(&r);
}

/* The OCSP response of /ocspsign for @cert, checked against the issuer; returns the reply. */
static void ocsp_ok(const struct cf_api *api, const char *body, const char *ca,
		    gnutls_digest_algorithm_t want_hash, unsigned want_status)
{
	struct result r = call(cf_api_ocspsign, api, "POST", body);
	CHECK(r.status == 200, "ocspsign status %d %s", r.status, r.body);
	CHECK(starts(r.body, "{\"success\":true,\"result\":{\"ocspResponse\":\""),
	      "ocspsign result member");
	char *b64 = result_string(r.body, "ocspResponse");
	struct cf_buf der = CF_BUF_INIT;
	size_t bad;
	CHECK(b64 && cf_base64_decode((const unsigned char *)b64, strlen(b64), &der, &bad) == 0,
	      "ocspResponse is base64");
	gnutls_ocsp_resp_t resp;
	gnutls_ocsp_resp_init(&resp);
	gnutls_datum_t d = {der.data, (unsigned)der.len};
	gnutls_x509_crt_t issuer = parse_crt(ca);
	unsigned verify = 1;
	CHECK(gnutls_ocsp_resp_import(resp, &d) == 0 &&
		      gnutls_ocsp_resp_verify_direct(resp, issuer, &verify, 0) == 0 && verify == 0,
	      "ocsp response verifies");
	gnutls_digest_algorithm_t dig = 0;
	unsigned status = 99;
	CHECK(gnutls_ocsp_resp_get_single(resp, 0, &dig, NULL, NULL, NULL, &status, NULL, NULL,
					  NULL, NULL) == 0 &&
		      dig == want_hash && status == want_status,
	      "ocsp single response hash %d status %u", (int)dig, status);
	gnutls_ocsp_resp_deinit(resp);
	gnutls_x509_crt_deinit(issuer);
	cf_buf_release(&der);
	free(b64);
	result_free(&r);
}

static void test_ocspsign(const struct cf_api *api, const char *ca, const char *leaf,
			  const char *foreign)
{
	char *q = json_quoted(leaf);
	char buf[8192];
	snprintf(buf, sizeof buf, "{\"certificate\":%s}", q);
	ocsp_ok(api, buf, ca, GNUTLS_DIG_SHA1, GNUTLS_OCSP_CERT_GOOD);
	snprintf(buf, sizeof buf,
		 "{\"CERTIFICATE\":%s,\"status\":\"revoked\",\"reason\":1,\"revoked_at\":"
		 "\"2024-01-02\",\"issuer_hash\":\"SHA256\"}",
		 q);
	ocsp_ok(api, buf, ca, GNUTLS_DIG_SHA256, GNUTLS_OCSP_CERT_REVOKED);

	snprintf(buf, sizeof buf,
		 "{\"certificate\":%s,\"status\":\"revoked\",\"revoked_at\":\"x\"}", q);
	expect_error("ocspsign revoked_at", cf_api_ocspsign, api, buf, 400,
		     "{\"code\":400,\"message\":\"Malformed revocation time\"}");
	snprintf(buf, sizeof buf, "{\"certificate\":%s,\"issuer_hash\":\"MD4\"}", q);
	expect_error("ocspsign MD4", cf_api_ocspsign, api, buf, 400,
		     "{\"code\":400,\"message\":\"Unsupported hash algorithm in request\"}");
	snprintf(buf, sizeof buf, "{\"certificate\":%s,\"issuer_hash\":\"MD5\"}", q);
	expect_error("ocspsign MD5", cf_api_ocspsign, api, buf, 500,
		     "{\"code\":0,\"message\":\"unsupported issuer hash algorithm\"}");
	snprintf(buf, sizeof buf, "{\"certificate\":%s,\"status\":\"bogus\"}", q);
	expect_error("ocspsign status", cf_api_ocspsign, api, buf, 400,
		     "{\"code\":8200,\"message\":\"Invalid revocation status\"}");
	snprintf(buf, sizeof buf, "{\"certificate\":%s,\"reason\":\"1\"}", q);
	expect_error("ocspsign type", cf_api_ocspsign, api, buf, 400,
		     "{\"code\":400,\"message\":\"Unable to parse sign request\"}");
	free(q);
	expect_error("ocspsign notjson", cf_api_ocspsign, api, "notjson", 400,
		     "{\"code\":400,\"message\":\"Unable to parse sign request\"}");
	struct result r = call(cf_api_ocspsign, api, "POST", "{\"certificate\":\"x\"}");
	check_str("ocspsign bad pem",
		  "{\"success\":false,\"result\":null,\"errors\":[{\"code\":400,\"message\":"
		  "\"Malformed certificate\"}],\"messages\":[]}\n",
		  r.body);
	CHECK(strstr(r.log, "[ERROR] Error from ParseCertificatePEM{\"code\":1002,") != NULL,
	      "ocspsign bad pem log: %s", r.log);
	result_free(&r);
	q = json_quoted(foreign);
	snprintf(buf, sizeof buf, "{\"certificate\":%s}", q);
	free(q);
	expect_error("ocspsign foreign", cf_api_ocspsign, api, buf, 400,
		     "{\"code\":8100,\"message\":\"Certificate not issued by this issuer\"}");
}

static void test_bundle(const struct cf_api *api, const char *leaf, const char *leafkey)
{
	char *body = body_with("{\"certificate\":%s,\"domain\":%s}", leaf, "leaf.example");
	struct result r = call(cf_api_bundle, api, "POST", body);
	free(body);
	CHECK(r.status == 200, "bundle status %d %s", r.status, r.body);
	CHECK(starts(r.body, "{\"success\":true,\"result\":{\"bundle\":\"-----BEGIN CERTIFICATE"),
	      "bundle result: %.100s", r.body);
	CHECK(strstr(r.body, "\"status\":{\"rebundled\":false,\"expiring_SKIs\":") != NULL,
	      "bundle status member order");
	CHECK(strstr(r.log, "[INFO] request for flavor ubiquitous\n") &&
		      strstr(r.log, "[INFO] wrote response\n"),
	      "bundle log: %s", r.log);
	result_free(&r);

	body = body_with("{\"certificate\":%s,\"private_key\":%s}", leaf, leafkey);
	r = call(cf_api_bundle, api, "POST", body);
	free(body);
	CHECK(r.status == 200 && strstr(r.body, "\"key\":\"-----BEGIN EC PRIVATE KEY-----"),
	      "bundle with key: %.200s", r.body);
	result_free(&r);

	body = body_with("{\"certificate\":%s,\"domain\":%s}", leaf, "other.example");
	expect_error("bundle hostname", cf_api_bundle, api, body, 400,
		     "{\"code\":1200,\"message\":\"x509: certificate is valid for leaf.example, "
		     "not other.example\"}");
	free(body);
	body = body_with("{\"certificate\":%s,\"ip\":%s}", leaf, "127.0.0.1");
	expect_error("bundle ip", cf_api_bundle, api, body, 400,
		     "{\"code\":1200,\"message\":\"x509: cannot validate certificate for "
		     "127.0.0.1 because it doesn't contain any IP SANs\"}");
	free(body);
	expect_error("bundle {}", cf_api_bundle, api, "{\"Certificate\":\"x\"}", 400,
		     "{\"code\":400,\"message\":\"no valid parameter sets found\"}");
	expect_error("bundle garbage", cf_api_bundle, api, "{\"certificate\":\"garbage\"}", 400,
		     "{\"code\":1002,\"message\":\"Failed to decode certificate\"}");
}

static void test_db(const struct cf_api *api, const char *leaf)
{
	const char *db = "{\"code\":11000,\"message\":\"unknown db object, please check SetDB "
			 "method\"}";
	expect_error("certadd notjson", cf_api_certadd, api, "x", 400,
		     "{\"code\":400,\"message\":\"Unable to parse certificate addition request\"}");
	expect_error("certadd serial", cf_api_certadd, api, "{}", 400,
		     "{\"code\":400,\"message\":\"Serial number is required but not provided\"}");
	expect_error("certadd aki", cf_api_certadd, api, "{\"serial_number\":\"1\"}", 400,
		     "{\"code\":400,\"message\":\"Authority key identifier is required but not "
		     "provided\"}");
	expect_error(
		"certadd status", cf_api_certadd, api,
		"{\"serial_number\":\"1\",\"authority_key_identifier\":\"ab\",\"status\":\"x\"}",
		400, "{\"code\":400,\"message\":\"Invalid certificate status\"}");
	expect_error("certadd revoked_at", cf_api_certadd, api,
		     "{\"serial_number\":\"1\",\"authority_key_identifier\":\"ab\",\"status\":"
		     "\"revoked\"}",
		     400,
		     "{\"code\":400,\"message\":\"Revoked certificate should specify when it was "
		     "revoked\"}");
	expect_error("certadd reason", cf_api_certadd, api,
		     "{\"serial_number\":\"1\",\"authority_key_identifier\":\"ab\",\"status\":"
		     "\"revoked\",\"revoked_at\":\"2024-01-01T00:00:00Z\",\"reason\":7}",
		     400, "{\"code\":400,\"message\":\"Invalid certificate status reason code\"}");
	expect_error("certadd pem", cf_api_certadd, api,
		     "{\"serial_number\":\"1\",\"authority_key_identifier\":\"ab\",\"status\":"
		     "\"good\"}",
		     400, "{\"code\":400,\"message\":\"The provided certificate is empty\"}");

	/* the checks against the certificate, then the missing database */
	gnutls_x509_crt_t crt = parse_crt(leaf);
	unsigned char serial[64], aki[64];
	size_t slen = sizeof serial, alen = sizeof aki;
	unsigned crit;
	gnutls_x509_crt_get_serial(crt, serial, &slen);
	gnutls_x509_crt_get_authority_key_id(crt, aki, &alen, &crit);
	struct cf_buf dec = CF_BUF_INIT;
	cf_bigint_dec_unsigned(serial, slen, &dec);
	char akihex[129] = "", akiupper[129] = "", expiry[32];
	for (size_t i = 0; i < alen; i++) {
		sprintf(akihex + 2 * i, "%02x", aki[i]);
		sprintf(akiupper + 2 * i, "%02X", aki[i]);
	}
	time_t na = gnutls_x509_crt_get_expiration_time(crt);
	struct tm tm;
	gmtime_r(&na, &tm);
	strftime(expiry, sizeof expiry, "%Y-%m-%dT%H:%M:%SZ", &tm);
	gnutls_x509_crt_deinit(crt);
	char *pem = json_quoted(leaf), body[8192];
	const char *sn = (const char *)dec.data;
	struct {
		const char *what, *serial, *aki, *expiry, *pem, *msg;
	} cases[] = {
		{"certadd no expiry", sn, akihex, NULL, pem, "Expiry is required but not provided"},
		{"certadd zero expiry", sn, akihex, "0001-01-01T00:00:00Z", pem,
		 "Expiry is required but not provided"},
		{"certadd bad pem", sn, akihex, expiry, "\"garbage\"",
		 "Unable to parse PEM encoded certificates"},
		{"certadd bad serial", "12x", akihex, expiry, pem,
		 "Unable to parse serial key of request"},
		{"certadd other serial", "12", akihex, expiry, pem,
		 "Serial key of request and certificate do not match"},
		{"certadd bad aki", sn, "abc", expiry, pem,
		 "Unable to decode authority key identifier"},
		{"certadd other aki", sn, "abcd", expiry, pem,
		 "Authority key identifier of request and certificate do not match"},
		{"certadd other expiry", sn, akihex, "2001-01-01T00:00:00Z", pem,
		 "Expiry of request and certificate do not match"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char exp[64] = "";
		if (cases[i].expiry)
			snprintf(exp, sizeof exp, ",\"expiry\":\"%s\"", cases[i].expiry);
		snprintf(body, sizeof body,
			 "{\"serial_number\":\"%s\",\"authority_key_identifier\":\"%s\","
			 "\"status\":\"good\",\"pem\":%s%s}",
			 cases[i].serial, cases[i].aki, cases[i].pem, exp);
		char want[256];
		snprintf(want, sizeof want, "{\"code\":400,\"message\":\"%s\"}", cases[i].msg);
		expect_error(cases[i].what, cf_api_certadd, api, body, 400, want);
	}
	/* upper-case hex passes (bytes compared), metadata and sans take any JSON */
	snprintf(body, sizeof body,
		 "{\"Serial_Number\":\"%s\",\"authority_key_identifier\":\"%s\",\"status\":"
		 "\"revoked\",\"reason\":10,\"revoked_at\":\"2024-01-01T00:00:00+01:00\","
		 "\"pem\":%s,\"expiry\":\"%s\",\"metadata\":{\"a\":[1]},\"sans\":5,"
		 "\"not_before\":null}",
		 sn, akiupper, pem, expiry);
	expect_error("certadd without db", cf_api_certadd, api, body, 400, db);
	free(pem);
	cf_buf_release(&dec);
}

/* certinfo of a stored certificate (serial + authority_key_id) with a SQLite database. */
static void test_certinfo_db(struct cf_api *api, const char *leaf)
{
	char dir[] = "/tmp/test_api_gen_db.XXXXXX";
	if (!mkdtemp(dir))
		abort();
	char path[128], conf[128], json[256];
	snprintf(path, sizeof path, "%s/certs.db", dir);
	snprintf(conf, sizeof conf, "%s/db.json", dir);
	sqlite3 *sq;
	sqlite3_open(path, &sq);
	const char *files[] = {"001_CreateCertificates.sql", "002_AddMetadataToCertificates.sql"};
	for (int i = 0; i < 2; i++) {
		char p[1024];
		snprintf(p, sizeof p, "%s/db/sqlite3/%s", getenv("SRCDIR"), files[i]);
		struct cf_buf b = CF_BUF_INIT;
		struct cf_error e = {0};
		cf_read_file(p, &b, &e);
		CHECK(b.data && sqlite3_exec(sq, (char *)b.data, NULL, NULL, NULL) == SQLITE_OK,
		      "schema %s", files[i]);
		cf_buf_release(&b);
	}
	sqlite3_close(sq);
	FILE *f = fopen(conf, "w");
	fprintf(f, "{\"driver\":\"sqlite3\",\"data_source\":\"%s\"}", path);
	fclose(f);
	struct cf_error err = {0};
	struct cf_certdb *db = cf_certdb_open_file(conf, &err);
	struct cf_certdb_cert rec = {0};
	CHECK(db &&
		      cf_certdb_cert_from_pem((const unsigned char *)leaf, strlen(leaf), NULL, &rec,
					      &err) == 0 &&
		      cf_certdb_insert_cert(db, &rec, &err) == 0,
	      "record the leaf: %s", err.msg);
	/* cfssl lower-cases the AKI and drops colons */
	struct cf_buf aki = CF_BUF_INIT;
	for (size_t i = 0; rec.aki && rec.aki[i]; i++) {
		if (i && i % 2 == 0)
			cf_buf_addc(&aki, ':');
		cf_buf_addc(&aki,
			    (unsigned char)(rec.aki[i] >= 'a' ? rec.aki[i] - 32 : rec.aki[i]));
	}
	api->db = db;
	snprintf(json, sizeof json, "{\"serial\":\"%s\",\"authority_key_id\":\"%s\"}", rec.serial,
		 (const char *)aki.data);
	struct result r = call(cf_api_certinfo, api, "POST", json);
	CHECK(r.status == 200 && strstr(r.body, "\"common_name\":\"leaf.example\""),
	      "certinfo from the database: %s", r.body);
	result_free(&r);
	expect_error("certinfo not in the database", cf_api_certinfo, api,
		     "{\"serial\":\"12\",\"authority_key_id\":\"ab\"}", 500,
		     "{\"code\":0,\"message\":\"no certificate found\"}");
	api->db = NULL;
	cf_buf_release(&aki);
	cf_certdb_cert_release(&rec);
	cf_certdb_close(db);
	unlink(path);
	unlink(conf);
	rmdir(dir);
}

int main(void)
{
	logf = open_memstream(&logbuf, &loglen);
	cf_log_init(logf, 1);
	struct cf_api api = {0};

	test_health_scaninfo(&api);
	test_newkey(&api);
	test_init_ca(&api);

	char *ca, *cakey, *other, *otherkey;
	init_ca_ok(&api, "Test CA", &ca, &cakey);
	init_ca_ok(&api, "Other CA", &other, &otherkey);
	test_certinfo(&api, ca);
	test_gencrl(&api, ca, cakey, otherkey);

	/* a leaf signed by the CA, for ocspsign and bundle */
	char dir[] = "/tmp/test_api_gen.XXXXXX";
	if (!mkdtemp(dir))
		abort();
	char cafile[64], keyfile[64];
	snprintf(cafile, sizeof cafile, "%s/ca.pem", dir);
	snprintf(keyfile, sizeof keyfile, "%s/ca-key.pem", dir);
	FILE *f = fopen(cafile, "w");
	fputs(ca, f);
	fclose(f);
	f = fopen(keyfile, "w");
	fputs(cakey, f);
	fclose(f);
	struct cf_ca signer = {0};
	struct cf_error err = {0};
	CHECK(cf_ca_load(cafile, keyfile, &signer, &err) == 0, "load CA: %s", err.msg);
	unlink(cafile);
	unlink(keyfile);
	rmdir(dir);
	char *leafkey;
	char *csr =
		newkey_ok(&api, "{\"CN\":\"leaf.example\",\"hosts\":[\"leaf.example\"]}", &leafkey);
	struct cf_config *config = cf_config_default();
	struct cf_sign_request sr = {
		.csr = (const unsigned char *)csr, .csr_len = strlen(csr), .profile = &config->def};
	struct cf_buf leaf = CF_BUF_INIT;
	CHECK(cf_op_sign(&signer, &sr, &leaf, &err) == 0, "sign the leaf: %s", err.msg);

	gnutls_x509_crt_t issuer = parse_crt(ca);
	gnutls_x509_privkey_t xkey;
	CHECK(cf_parse_key_pem((const unsigned char *)cakey, strlen(cakey), NULL, &xkey, &err) == 0,
	      "CA key");
	struct cf_key key;
	cf_key_from_x509(xkey, &key, &err);
	api.ocsp_issuer = issuer;
	api.ocsp_responder = issuer;
	api.ocsp_key = &key;
	api.ocsp_interval = 96 * 3600;
	test_ocspsign(&api, ca, (const char *)leaf.data, other);

	struct cf_bundler bundler = {0};
	struct cf_bundle_pool tmp = {0};
	cf_bundle_parse_pem((const unsigned char *)ca, strlen(ca), &tmp, &err);
	for (size_t i = 0; i < tmp.n; i++)
		cf_bundle_pool_add_der(&bundler.roots, tmp.v[i]->der, tmp.v[i]->len, 1);
	cf_bundle_pool_release(&tmp);
	api.bundler = &bundler;
	test_bundle(&api, (const char *)leaf.data, leafkey);
	CHECK(bundler.roots.n == 1 && bundler.ints.n == 0, "the shared stores are unchanged");

	test_db(&api, (const char *)leaf.data);
	test_certinfo_db(&api, (const char *)leaf.data);

	cf_bundler_release(&bundler);
	cf_key_release(&key);
	gnutls_x509_crt_deinit(issuer);
	cf_config_free(config);
	cf_ca_release(&signer);
	cf_buf_release(&leaf);
	free(csr);
	free(leafkey);
	free(ca);
	free(cakey);
	free(other);
	free(otherkey);
	cf_log_init(NULL, 1);
	fclose(logf);
	free(logbuf);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
