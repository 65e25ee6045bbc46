/* The OCSP responder without a server (common/net/ocspserve.c): a -responses file source, the
 * replies and headers of cfssl's responder (cfssl-serve.md §9.2), the path handling and dates
 * of deviation 24. The request and response are fixed bytes made by openssl ocsp and
 * cfssl-c ocsprefresh (ECDSA CA "OCSP CA"; thisUpdate 2026-12-04 17:00, nextUpdate
 * 2026-12-08 17:00 UTC). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "base64.h"
#include "check.h"
#include "httpd.h"
#include "log.h"
#include "ocspserve.h"

/* SHA-1 CertID of serial 5A5715B4...1F8A, with a nonce */
static const char REQ_B64[] =
	"MHoweDBRME8wTTAJBgUrDgMCGgUABBQihhOXJ6lBVB/IVC0Eb82IEeu9FQQUJUWAnRtk4ky6Lwa+uTWBqADOEwMC"
	"FFpXFbR7Ro3seh1aYItCjYZxZR+KoiMwITAfBgkrBgEFBQcwAQIEEgQQb01lVjNL+iqzju7Yw7Buqg==";
static const char RESP_B64[] =
	"MIIBFgoBAKCCAQ8wggELBgkrBgEFBQcwAQEEgf0wgfowgaChFDASMRAwDgYDVQQDEwdPQ1NQIENBGA8yMDI2MTIw"
	"NDE3MzYwMFowdzB1ME0wCQYFKw4DAhoFAAQUIoYTlyepQVQfyFQtBG/NiBHrvRUEFCVFgJ0bZOJMui8Gvrk1gagA"
	"zhMDAhRaVxW0e0aN7HodWmCLQo2GcWUfioAAGA8yMDI2MTIwNDE3MDAwMFqgERgPMjAyNjEyMDgxNzAwMDBaMAoG"
	"CCqGSM49BAMCA0kAMEYCIQDW1/mr+KzCo4cLm0UMtUvW5MNq+RuviM/GtbNcHXMg+QIhAI9i0+9HGK9WdUQq6Pd4"
	"fOdTY4OY05rHA0LZnJi4PJoj";
static const char ETAG[] = "\"3FB958E4CBE78633A50D55D3541294A979946745253FF7550B8AFAD4F6528F79\"";
#define THIS_UPDATE 1796403600LL
#define NEXT_UPDATE 1796749200LL

static struct cf_buf req_der, resp_der;

static const char *header(const struct cf_httpd_reply *rep, const char *name)
{
	for (size_t i = 0; i < rep->nheaders; i++)
		if (!strcasecmp(rep->headers[i].name, name))
			return rep->headers[i].value;
	return NULL;
}

/* answer: METHOD PATH with @body; the reply in @rep (reset first) */
static void answer(const struct cf_ocspserve *r, const char *method, const char *path,
		   const struct cf_buf *body, const char *inm, int64_t now,
		   struct cf_httpd_reply *rep)
{
	cf_httpd_reply_reset(rep);
	struct cf_ocspserve_request q = {
		.method = method,
		.path = path,
		.body = body ? body->data : (const unsigned char *)"",
		.body_len = body ? body->len : 0,
		.if_none_match = inm,
		.now_sec = now,
		.now_nsec = 500000000,
	};
	cf_ocspserve_answer(r, &q, rep);
}

static int body_is(const struct cf_httpd_reply *rep, const void *p, size_t n)
{
	return rep->body.len == n && (!n || !memcmp(rep->body.data, p, n));
}

static const unsigned char MALFORMED[] = {0x30, 0x03, 0x0A, 0x01, 0x01};
static const unsigned char UNAUTHORIZED[] = {0x30, 0x03, 0x0A, 0x01, 0x06};

/* The request's base64 with + / = percent-escaped. */
static char *escaped(const char *b64)
{
	struct cf_buf b = CF_BUF_INIT;
	for (const char *p = b64; *p; p++) {
		if (*p == '+')
			cf_buf_adds(&b, "%2B");
		else if (*p == '/')
			cf_buf_adds(&b, "%2F");
		else if (*p == '=')
			cf_buf_adds(&b, "%3D");
		else
			cf_buf_addc(&b, (unsigned char)*p);
	}
	cf_buf_addc(&b, 0);
	return (char *)cf_buf_detach(&b, NULL);
}

int main(void)
{
	gnutls_global_init();
	cf_log_init(stderr, 5);
	size_t bad;
	cf_base64_decode((const unsigned char *)REQ_B64, strlen(REQ_B64), &req_der, &bad);
	cf_base64_decode((const unsigned char *)RESP_B64, strlen(RESP_B64), &resp_der, &bad);

	char date[40];
	cf_ocspserve_http_date(THIS_UPDATE, date);
	check_str("http date: RFC 7231 (deviation 24)", "Fri, 04 Dec 2026 17:00:00 GMT", date);
	cf_ocspserve_http_date(0, date);
	check_str("http date: the epoch", "Thu, 01 Jan 1970 00:00:00 GMT", date);

	char tmpl[] = "/tmp/test_ocspserve.XXXXXX";
	int fd = mkstemp(tmpl);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "garbage\n%s \t AAAA\r\n%s\n", RESP_B64, RESP_B64);
	fclose(f);
	struct cf_error err = {0};
	struct cf_ocspserve *r = cf_ocspserve_from_file(tmpl, "/", &err);
	CHECK(r && cf_ocspserve_count(r) == 1, "file: one response (a duplicate, two bad tokens)");
	struct cf_ocspserve *rp = cf_ocspserve_from_file(tmpl, "/ocsp/", &err);
	unlink(tmpl);
	CHECK(!cf_ocspserve_from_file("/nonexistent/responses", "/", &err), "missing file: NULL");
	if (!r || !rp)
		return 1;

	struct cf_httpd_reply rep = {0};
	int64_t now = NEXT_UPDATE - 1000;
	answer(r, "POST", "/", &req_der, NULL, now, &rep);
	CHECK(rep.status == 200 && body_is(&rep, resp_der.data, resp_der.len),
	      "POST: the response");
	check_str("POST: Content-Type", "application/ocsp-response",
		  rep.content_type ? rep.content_type : "");
	check_str("POST: Cache-Control", "max-age=999, public, no-transform, must-revalidate",
		  header(&rep, "Cache-Control"));
	check_str("POST: Last-Modified", "Fri, 04 Dec 2026 17:00:00 GMT",
		  header(&rep, "Last-Modified"));
	check_str("POST: Expires", "Tue, 08 Dec 2026 17:00:00 GMT", header(&rep, "Expires"));
	check_str("POST: Etag", ETAG, header(&rep, "Etag"));
	CHECK(rep.log == 0, "no request log line");

	answer(r, "POST", "/", &req_der, NULL, NEXT_UPDATE + 5, &rep);
	check_str("after nextUpdate: max-age=0", "max-age=0, public, no-transform, must-revalidate",
		  header(&rep, "Cache-Control"));

	answer(r, "POST", "/", &req_der, ETAG, now, &rep);
	CHECK(rep.status == 304 && rep.body.len == 0 && !rep.content_type,
	      "If-None-Match: 304, no body, no Content-Type");
	check_str("304: Etag", ETAG, header(&rep, "Etag"));
	answer(r, "POST", "/", &req_der, "\"X\"", now, &rep);
	CHECK(rep.status == 200, "another If-None-Match: 200");

	/* GET: escaped, raw, '+' as space, under a prefix, not under it */
	char *esc = escaped(REQ_B64), path[1024];
	snprintf(path, sizeof path, "/%s", esc);
	answer(r, "GET", path, NULL, NULL, now, &rep);
	CHECK(rep.status == 200 && body_is(&rep, resp_der.data, resp_der.len), "GET escaped");
	snprintf(path, sizeof path, "/%s", REQ_B64);
	answer(r, "GET", path, NULL, NULL, now, &rep);
	CHECK(rep.status == 200 && body_is(&rep, resp_der.data, resp_der.len), "GET raw");
	for (char *p = path; *p; p++)
		if (*p == '+')
			*p = ' ';
	answer(r, "GET", path, NULL, NULL, now, &rep);
	CHECK(rep.status == 200, "GET with + sent as a space");
	snprintf(path, sizeof path, "/ocsp/%s", esc);
	answer(rp, "GET", path, NULL, NULL, now, &rep);
	CHECK(rep.status == 200 && body_is(&rep, resp_der.data, resp_der.len),
	      "GET under -path /ocsp/ (deviation 24)");
	answer(rp, "POST", "/ocsp", &req_der, NULL, now, &rep);
	CHECK(rep.status == 200, "POST to /ocsp with -path /ocsp/");
	snprintf(path, sizeof path, "/%s", esc);
	answer(rp, "GET", path, NULL, NULL, now, &rep);
	CHECK(rep.status == 404, "outside -path: 404");
	answer(rp, "POST", "/ocspx", &req_der, NULL, now, &rep);
	CHECK(rep.status == 404, "/ocspx is not under /ocsp: 404");
	free(esc);

	/* errors */
	answer(r, "GET", "/", NULL, NULL, now, &rep);
	CHECK(rep.status == 400 && body_is(&rep, MALFORMED, sizeof MALFORMED),
	      "GET /: 400 malformedRequest");
	check_str("malformed: Cache-Control", "max-age=0, no-cache", header(&rep, "Cache-Control"));
	answer(r, "GET", "/not-base64!", NULL, NULL, now, &rep);
	CHECK(rep.status == 400 && rep.body.len == 0 && !rep.content_type,
	      "GET of no base64: empty 400");
	answer(r, "GET", "/%zz", NULL, NULL, now, &rep);
	CHECK(rep.status == 400 && rep.body.len == 0, "bad escape: empty 400");
	answer(r, "PUT", "/", &req_der, NULL, now, &rep);
	CHECK(rep.status == 405 && rep.body.len == 0, "PUT: 405");
	check_str("405: Cache-Control", "max-age=0, no-cache", header(&rep, "Cache-Control"));
	struct cf_buf junk = CF_BUF_INIT;
	cf_buf_adds(&junk, "junk");
	answer(r, "POST", "/", &junk, NULL, now, &rep);
	CHECK(rep.status == 400 && body_is(&rep, MALFORMED, sizeof MALFORMED), "POST junk");
	cf_buf_release(&junk);
	cf_buf_add(&junk, req_der.data, req_der.len);
	cf_buf_addc(&junk, 0);
	answer(r, "POST", "/", &junk, NULL, now, &rep);
	CHECK(rep.status == 400, "trailing data: malformed");
	cf_buf_release(&junk);
	/* another serial: the last byte of the serial changed */
	cf_buf_add(&junk, req_der.data, req_der.len);
	const unsigned char sn_tail[] = {0x1f, 0x8a};
	for (size_t i = 0; i + 1 < junk.len; i++)
		if (!memcmp(junk.data + i, sn_tail, 2))
			junk.data[i + 1] ^= 1;
	answer(r, "POST", "/", &junk, NULL, now, &rep);
	CHECK(rep.status == 200 && body_is(&rep, UNAUTHORIZED, sizeof UNAUTHORIZED) &&
		      rep.content_type &&
		      !strcmp(header(&rep, "Cache-Control"), "max-age=0, no-cache"),
	      "unknown serial: 200 unauthorized");
	cf_buf_release(&junk);

	cf_httpd_reply_reset(&rep);
	cf_ocspserve_free(r);
	cf_ocspserve_free(rp);
	cf_buf_release(&req_der);
	cf_buf_release(&resp_der);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
