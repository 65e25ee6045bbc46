/* common/net/remote.c: address normalisation (§6.1, observed with cfssl master), request bytes,
 * the authsign token and reply envelopes. The network half is tests/test_remote_client.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "remote.h"

static void norm_ok(const char *addr, const char *want)
{
	struct cf_error err = {0};
	char *url = NULL;
	int rc = cf_remote_normalize(addr, &url, &err);
	CHECK(rc == 0 && url && !strcmp(url, want), "normalize [%s]: want %s, got %s (%s)", addr,
	      want, url ? url : "-", err.msg);
	free(url);
}

static void norm_bad(const char *addr, const char *want)
{
	struct cf_error err = {0};
	char *url = NULL;
	int rc = cf_remote_normalize(addr, &url, &err);
	CHECK(rc == -1 && err.code == 0 && !strcmp(err.msg, want),
	      "normalize [%s]: want error %s, got %s / %s", addr, want, url ? url : "-", err.msg);
	free(url);
}

static void env_err(const char *body, int code, const char *msg)
{
	struct cf_error err = {0};
	json_t *res = NULL;
	int rc = cf_remote_envelope(body, strlen(body), &res, &err);
	CHECK(rc == -1 && err.code == code && !strcmp(err.msg, msg),
	      "envelope %s: want %d %s, got %d %d %s", body, code, msg, rc, err.code, err.msg);
	json_decref(res);
}

int main(void)
{
	/* §6.1's table and what cfssl master's error lines show for more */
	norm_ok("localhost", "http://localhost:8888");
	norm_ok("ca.example", "http://ca.example:8888");
	norm_ok("localhost:18888", "http://localhost:18888");
	norm_ok("http://127.0.0.1:18888", "http://127.0.0.1:18888");
	norm_ok("http://localhost", "http://localhost");
	norm_ok("https://h:8443", "https://h:8443");
	norm_ok("HTTPS://h:8443", "https://h:8443");
	norm_ok("ftp://127.0.0.1:1", "http://127.0.0.1:1");
	norm_ok("127.0.0.1", "http://127.0.0.1:8888");
	norm_ok("  http://127.0.0.1:1  ", "http://127.0.0.1:1");
	norm_ok("http://127.0.0.1:1/a:b", "http://127.0.0.1:1/a:b");
	norm_ok("http://127.0.0.1:1/foo", "http://%2Ffoo:8888");
	norm_ok("HTTP://127.0.0.1:1/x", "http://%2Fx:8888");
	norm_ok("http://127.0.0.1:1?q=1", "http://127.0.0.1:1?q=1");
	norm_ok("localhost:", "http:");
	norm_ok("//127.0.0.1:1", "http:");
	norm_ok("http://[::1]:1", "http://[::1]:1");
	norm_bad("127.0.0.1:18888",
		 "parse \"127.0.0.1:18888\": first path segment in URL cannot contain colon");
	norm_bad("localhost:abc", "strconv.Atoi: parsing \"abc\": invalid syntax");
	norm_bad("localhost:1/x", "strconv.Atoi: parsing \"1/x\": invalid syntax");
	norm_bad("http://h:abc", "parse \"http://h:abc\": invalid port \":abc\" after host");
	norm_bad("http://a b", "parse \"http://a b\": invalid character \" \" in host name");
	norm_bad(":8888", "parse \":8888\": missing protocol scheme");
	norm_bad("http://h\x01",
		 "parse \"http://h\\x01\": net/url: invalid control character in URL");

	/* cf_remote_new: a bad address anywhere is 5300 */
	struct cf_remote *r = NULL;
	struct cf_error err = {0};
	CHECK(cf_remote_new("http://127.0.0.1:1, localhost:2", NULL, &r, &err) == 0 &&
		      cf_remote_count(r) == 2 &&
		      !strcmp(cf_remote_url(r, 0), "http://127.0.0.1:1") &&
		      !strcmp(cf_remote_url(r, 1), "http://localhost:2"),
	      "a list of two");
	cf_remote_free(r);
	r = NULL;
	CHECK(cf_remote_new("http://127.0.0.1:1,127.0.0.1:2", NULL, &r, &err) == -1 &&
		      err.code == 5300 && !strcmp(err.msg, "failed to connect to remote"),
	      "one bad address in a list: %d %s", err.code, err.msg);
	cf_error_clear(&err);
	struct cf_remote_opts opts = {.ca_file = "/nonexistent/ca.pem"};
	CHECK(cf_remote_new("localhost", &opts, &r, &err) == -1 &&
		      !strcmp(err.msg, "open /nonexistent/ca.pem: no such file or directory"),
	      "missing CA file: %s", err.msg);

	/* R, byte for byte as cfssl's client marshals it (cfssl-serve.md §4.2, §6.2) */
	const char *csr = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE "
			  "REQUEST-----\n";
	struct cf_remote_sign_req req = {.csr = csr, .profile = "client"};
	struct cf_buf b = CF_BUF_INIT;
	cf_remote_sign_json(&req, &b);
	const char *want_r =
		"{\"hosts\":null,\"certificate_request\":\"-----BEGIN CERTIFICATE "
		"REQUEST-----\\nAAAA\\n-----END CERTIFICATE "
		"REQUEST-----\\n\",\"profile\":\"client\","
		"\"crl_override\":\"\",\"label\":\"\",\"NotBefore\":\"0001-01-01T00:00:00Z\","
		"\"NotAfter\":\"0001-01-01T00:00:00Z\",\"ReturnPrecert\":false,\"metadata\":null}";
	CHECK(!strcmp((char *)b.data, want_r), "R: %s", b.data);

	const char *hosts[] = {"h1.example", "a<b"};
	struct cf_remote_sign_req req2 = {
		.csr = "x",
		.hosts = hosts,
		.nhosts = 2,
		.hosts_set = 1,
		.subject_json = "{\"CN\":\"c\",\"names\":null,\"SerialNumber\":\"\"}",
		.profile = "server",
		.crl_override = "http://crl",
		.label = "L1"};
	struct cf_buf b2 = CF_BUF_INIT;
	cf_remote_sign_json(&req2, &b2);
	CHECK(!strcmp((char *)b2.data,
		      "{\"hosts\":[\"h1.example\",\"a\\u003cb\"],\"certificate_request\":\"x\","
		      "\"subject\":{\"CN\":\"c\",\"names\":null,\"SerialNumber\":\"\"},"
		      "\"profile\":\"server\",\"crl_override\":\"http://crl\",\"label\":\"L1\","
		      "\"NotBefore\":\"0001-01-01T00:00:00Z\",\"NotAfter\":\"0001-01-01T00:00:"
		      "00Z\","
		      "\"ReturnPrecert\":false,\"metadata\":null}"),
	      "R with hosts, subject, label: %s", b2.data);
	struct cf_remote_sign_req req3 = {.csr = "x", .hosts_set = 1};
	struct cf_buf b3 = CF_BUF_INIT;
	cf_remote_sign_json(&req3, &b3);
	CHECK(!strncmp((char *)b3.data, "{\"hosts\":[],", 12), "empty hosts: %s", b3.data);

	/* the token: printf '%s' "$R" | openssl dgst -sha256 -mac HMAC
	 *   -macopt hexkey:0123456789abcdef0123456789abcdef -binary | base64 */
	struct cf_auth_key k = {0};
	CHECK(cf_auth_key_decode("k", "0123456789abcdef0123456789abcdef", &k, &err) == 0, "key");
	struct cf_buf a = CF_BUF_INIT;
	CHECK(cf_remote_authsign_json(&k, b.data, b.len, 1796324329, &a, &err) == 0, "authsign");
	CHECK(!strcmp((char *)a.data,
		      "{\"timestamp\":1796324329,\"token\":\"dfpcgZ9Et/"
		      "IGTJWZ7VDFwDaldaJJNZBgElM2SMjyShk=\","
		      "\"request\":"
		      "\"eyJob3N0cyI6bnVsbCwiY2VydGlmaWNhdGVfcmVxdWVzdCI6Ii0tLS0tQkVHSU4gQ0VS"
		      "VElGSUNBVEUgUkVRVUVTVC0tLS0tXG5BQUFBXG4tLS0tLUVORCBDRVJUSUZJQ0FURSBSRVFVRVNU"
		      "LS0tLS1"
		      "cbiIsInByb2ZpbGUiOiJjbGllbnQiLCJjcmxfb3ZlcnJpZGUiOiIiLCJsYWJlbCI6IiIsIk5vdEJ"
		      "lZm9yZSI"
		      "6IjAwMDEtMDEtMDFUMDA6MDA6MDBaIiwiTm90QWZ0ZXIiOiIwMDAxLTAxLTAxVDAwOjAwOjAwWiI"
		      "sIlJldHV"
		      "yblByZWNlcnQiOmZhbHNlLCJtZXRhZGF0YSI6bnVsbH0=\"}"),
	      "authsign body: %s", a.data);
	cf_auth_key_release(&k);

	/* envelopes */
	json_t *res = NULL;
	const char *ok = "{\"success\":true,\"result\":{\"certificate\":\"C\"},\"errors\":[],"
			 "\"messages\":[]}\n";
	CHECK(cf_remote_envelope(ok, strlen(ok), &res, &err) == 0 && json_is_object(res) &&
		      !strcmp(json_string_value(json_object_get(res, "certificate")), "C"),
	      "success envelope");
	json_decref(res);
	res = NULL;
	const char *ci = "{\"SUCCESS\":true,\"Result\":{\"x\":1}}";
	CHECK(cf_remote_envelope(ci, strlen(ci), &res, &err) == 0 && res, "member names fold");
	json_decref(res);
	env_err("{\"success\":false,\"result\":null,\"errors\":[{\"code\":400,\"message\":\"boom\"}"
		"],"
		"\"messages\":[]}",
		7500, "boom");
	env_err("{\"success\":true,\"result\":null,\"errors\":[],\"messages\":[]}", 7500,
		"API client error: Server request failed");
	env_err("{\"success\":false}", 7500, "API client error: Server request failed");
	env_err("null", 7500, "API client error: Server request failed");
	env_err("notjson", 7200, "invalid character 'o' in literal null (expecting 'u')");
	env_err("", 7200, "unexpected end of JSON input");
	env_err("{\"success\":\"yes\",\"result\":{}}", 7200,
		"json: cannot unmarshal string into Go struct field Response.success of type bool");
	env_err("[1]", 7200, "json: cannot unmarshal array into Go value of type api.Response");

	cf_buf_release(&a);
	cf_buf_release(&b);
	cf_buf_release(&b2);
	cf_buf_release(&b3);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
