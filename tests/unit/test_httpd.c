/* common/net/httpd.c: cfssl's JSON envelopes, the status mapping and the reply helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfregex.h"
#include "check.h"
#include "httpd.h"

static const char *header(const struct cf_httpd_reply *rep, const char *name)
{
	for (size_t i = 0; i < rep->nheaders; i++) {
		if (!strcmp(rep->headers[i].name, name))
			return rep->headers[i].value;
	}
	return NULL;
}

int main(void)
{
	struct cf_buf b = CF_BUF_INIT;
	const char *health = "{\"healthy\":true}";

	/* §3.1: the observed health reply, 69 bytes */
	cf_httpd_envelope_success(&b, health, strlen(health), NULL, 0);
	check_str(
		"success envelope",
		"{\"success\":true,\"result\":{\"healthy\":true},\"errors\":[],\"messages\":[]}\n",
		(const char *)b.data);
	CHECK(b.len == 69, "health reply is 69 bytes, got %zu", b.len);
	cf_buf_release(&b);

	cf_httpd_envelope_success(&b, NULL, 0, NULL, 0);
	check_str("null result",
		  "{\"success\":true,\"result\":null,\"errors\":[],\"messages\":[]}\n",
		  (const char *)b.data);
	cf_buf_release(&b);

	/* §2.2: a message of code 5300 beside the result; Go's HTML-safe escapes */
	struct cf_httpd_message m = {5300, "No hosts <a&b>"};
	cf_httpd_envelope_success(&b, "{}", 2, &m, 1);
	check_str("success with a message",
		  "{\"success\":true,\"result\":{},\"errors\":[],\"messages\":[{\"code\":5300,"
		  "\"message\":\"No hosts \\u003ca\\u0026b\\u003e\"}]}\n",
		  (const char *)b.data);
	cf_buf_release(&b);

	/* §2.3: the error envelope */
	cf_httpd_envelope_error(&b, 9002, "CSR Decode failed");
	check_str("error envelope",
		  "{\"success\":false,\"result\":null,\"errors\":[{\"code\":9002,\"message\":\"CSR "
		  "Decode failed\"}],\"messages\":[]}\n",
		  (const char *)b.data);
	cf_buf_release(&b);

	/* §2.1: the 405 reply */
	struct cf_httpd_reply rep = {.status = 200};
	cf_httpd_reply_method_not_allowed(&rep, "GET");
	check_str(
		"405 body",
		"{\"success\":false,\"result\":null,\"errors\":[{\"code\":405,\"message\":\"Method "
		"is not allowed:\\\"GET\\\"\"}],\"messages\":[]}\n",
		(const char *)rep.body.data);
	CHECK(rep.body.len == 112, "405 body is 112 bytes, got %zu", rep.body.len);
	cf_httpd_reply_method_not_allowed(&rep, "HEAD");
	CHECK(rep.body.len == 113, "HEAD's 405 is 113 bytes as observed, got %zu", rep.body.len);
	CHECK(rep.status == 405 && rep.log && rep.log_code == 405, "405 status and log code");
	/* deviation 24: JSON, not text/plain */
	check_str("error content type", "application/json", rep.content_type);
	check_str("nosniff", "nosniff", header(&rep, "X-Content-Type-Options"));

	/* the status mapping of api.HandleError */
	struct cf_error e = {0};
	int code = -1;
	cf_error_set(&e, CF_ERR_PLAIN, "time: invalid duration \"bad\"");
	CHECK(cf_httpd_error_status(&e, &code) == 500 && code == 0, "plain error: 500, code 0");
	CHECK(cf_httpd_reply_error(&rep, &e) == 0 && rep.status == 500, "plain error reply");
	check_str("plain error body",
		  "{\"success\":false,\"result\":null,\"errors\":[{\"code\":0,\"message\":\"time: "
		  "invalid duration \\\"bad\\\"\"}],\"messages\":[]}\n",
		  (const char *)rep.body.data);
	cf_error_clear(&e);
	cf_error_set(&e, CF_ERR_CSR_DECODE, "CSR Decode failed");
	CHECK(cf_httpd_error_status(&e, &code) == 400 && code == 9002, "cfssl error: 400, code");
	CHECK(cf_httpd_reply_error(&rep, &e) == 9002 && rep.status == 400 && rep.log_code == 9002,
	      "cfssl error reply");
	cf_error_clear(&e);
	cf_error_set(&e, 11000, "database");
	CHECK(cf_httpd_error_status(&e, &code) == 400 && code == 11000, "5-digit code: 400");
	cf_error_clear(&e);
	cf_error_set(&e, 400, "unexpected end of JSON input");
	CHECK(cf_httpd_error_status(&e, &code) == 400 && code == 400, "HTTP error 400");
	cf_error_clear(&e);
	cf_error_set(&e, 413, "http: request body too large");
	CHECK(cf_httpd_error_status(&e, &code) == 413 && code == 413, "HTTP error 413");
	cf_error_clear(&e);
	CHECK(cf_httpd_error_status(&e, &code) == 500 && code == 0, "no error set: 500");

	/* success resets what an earlier error left */
	cf_httpd_reply_success(&rep, health, strlen(health), NULL, 0);
	CHECK(rep.status == 200 && rep.nheaders == 0 && rep.log_code == 200, "success reply");
	check_str("success content type", "application/json", rep.content_type);

	cf_httpd_reply_not_found(&rep);
	check_str("404 body", "404 page not found\n", (const char *)rep.body.data);
	check_str("404 type", "text/plain; charset=utf-8", rep.content_type);
	CHECK(rep.status == 404 && !rep.log, "404 has no request line");
	cf_httpd_reply_reset(&rep);
	CHECK(rep.status == 200 && !rep.body.data && !rep.headers, "reset");

	/* ServeMux's cleanPath */
	static const char *const clean[][2] = {
		{"/api/v1/cfssl//sign", "/api/v1/cfssl/sign"},
		{"/api/v1/cfssl/./sign", "/api/v1/cfssl/sign"},
		{"/api/v1/cfssl/sign", "/api/v1/cfssl/sign"},
		{"/api/v1/cfssl/sign/", "/api/v1/cfssl/sign/"},
		{"/a/./b/../c/", "/a/c/"},
		{"/a/b/..", "/a"},
		{"/../../x", "/x"},
		{"/..", "/"},
		{"//", "/"},
		{"/", "/"},
		{"", "/"},
		{"a/b", "/a/b"},
		{"/a//", "/a/"},
		{"/.../x", "/.../x"},
		{"/a/..b", "/a/..b"},
	};
	for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
		char *c = cf_httpd_clean_path(clean[i][0]);
		CHECK(c && !strcmp(c, clean[i][1]), "clean %s: want %s, got %s", clean[i][0],
		      clean[i][1], c);
		free(c);
	}
	cf_httpd_reply_redirect(&rep, "GET", "/api/v1/cfssl/sign?a=1&b=2");
	CHECK(rep.status == 301 && !rep.log, "redirect: 301, no log line");
	check_str("redirect location", "/api/v1/cfssl/sign?a=1&b=2", header(&rep, "Location"));
	check_str("redirect body",
		  "<a href=\"/api/v1/cfssl/sign?a=1&amp;b=2\">Moved Permanently</a>.\n\n",
		  (const char *)rep.body.data);
	check_str("redirect type", "text/html; charset=utf-8", rep.content_type);
	cf_httpd_reply_redirect(&rep, "POST", "/x");
	CHECK(rep.status == 301 && !rep.content_type && rep.body.len == 0,
	      "POST redirect: no body");
	cf_httpd_reply_reset(&rep);

	/* -mutual-tls-cn errors in Go's words */
	char why[256] = "";
	CHECK(cf_regex_compile_err("(", why, sizeof why) == NULL, "( refused");
	check_str("regex error", "error parsing regexp: missing closing ): `(`", why);
	CHECK(cf_regex_compile_err("a\\C", why, sizeof why) == NULL, "\\C refused");
	check_str("\\C error", "error parsing regexp: invalid escape sequence: `\\C`", why);
	struct cf_regex *re = cf_regex_compile_err("^client[0-9]+$", why, sizeof why);
	CHECK(re && cf_regex_match(re, "client12", 8) && !cf_regex_match(re, "other", 5),
	      "CN regex");
	cf_regex_free(re);

	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
