/* The OCSP responder of `cfssl ocspserve` (RFC 6960 over HTTP, cfssl-serve.md §9): a
 * request in, the reply (status, headers, body) out, on common/net/httpd.h.
 *
 * Sources, as cfssl's:
 *  - a -responses file: base64 DER OCSPResponses separated by whitespace, indexed by the
 *    serial number of their (first) SingleResponse only; a later duplicate replaces an
 *    earlier one; undecodable tokens are logged and skipped;
 *  - the certificate database: the ocsp_responses row of (decimal serial, hex of the
 *    request's issuerKeyHash), the row with the latest expiry when there are several.
 *    Deviation 24: a CertID hashed with SHA-256/384/512 matches too: the rows of that serial
 *    whose certificate's issuer name hashes (with the request's algorithm) to the request's
 *    issuerNameHash (the issuer key itself is not in the database); and so does a SHA-1
 *    CertID for rows stored with an empty AKI (Debian's cfssl 1.2 writes them). The stored
 *    response keeps its own (SHA-1) CertID: clients that match CertIDs by hash algorithm
 *    too (openssl ocsp) find no status in it; those that match the serial (Go's) do.
 *
 * Replies, as cfssl's responder: the stored response (200, application/ocsp-response,
 * Last-Modified thisUpdate, Expires nextUpdate, Cache-Control max-age = whole seconds to
 * nextUpdate, Etag = "SHA-256 of the body in upper-case hex"; 304 without body and
 * Content-Type when If-None-Match equals the Etag); `unauthorized` (200) for an unknown
 * certificate; `malformedRequest` (400) for a body that is no OCSPRequest; `internalError`
 * (500) when the database fails, (200) when the stored response does not parse; an empty
 * 400 for a GET path that is not base64; an empty 405 for other methods. Every reply but
 * the stored response carries `Cache-Control: max-age=0, no-cache`. No request log lines.
 * Deviation 24: HTTP dates in RFC 7231's form (GMT); GETs work under any -path and with `//`
 * in the base64 (no path cleaning, no redirect).
 *
 * Everything here is thread-safe once the responder is made: the file source is read-only
 * and the database (certdb.h) is. The module never prints; log lines go to log.h. */
#ifndef CF_OCSPSERVE_H
#define CF_OCSPSERVE_H

#include <stddef.h>
#include <stdint.h>

#include "certdb.h"
#include "error.h"
#include "httpd.h"

struct cf_ocspserve;

/* A responder on the -responses file @path. Logs `Read N OCSP responses` and one ERROR line
 * per token that is skipped. NULL with @err set when the file cannot be read. */
struct cf_ocspserve *cf_ocspserve_from_file(const char *path, const char *prefix,
					    struct cf_error *err);
/* A responder on @db (borrowed: it must outlive the responder). */
struct cf_ocspserve *cf_ocspserve_from_db(struct cf_certdb *db, const char *prefix);
/* @prefix in both is the -path the responder answers under ("/" for everything; "/ocsp" and
 * "/ocsp/" both mean /ocsp and what lies below it). */
void cf_ocspserve_free(struct cf_ocspserve *r); /* accepts NULL */

/* The number of responses a file source holds (0 for a database). */
size_t cf_ocspserve_count(const struct cf_ocspserve *r);

/* One request. @path is the request path as sent (not percent-decoded, no query). */
struct cf_ocspserve_request {
	const char *method;
	const char *path;
	const unsigned char *body;
	size_t body_len;
	const char *if_none_match; /* or NULL */
	int64_t now_sec;           /* the current time, for max-age */
	int32_t now_nsec;
};

/* Fills @rep (which must be in its initial state) with the reply to @req. Never fails: every
 * problem has its OCSP or HTTP answer. A path outside the prefix gets Go's 404. */
void cf_ocspserve_answer(const struct cf_ocspserve *r, const struct cf_ocspserve_request *req,
			 struct cf_httpd_reply *rep);

/* common/net/httpd callbacks, @arg a struct cf_ocspserve: the precheck answers 404 and 405
 * before the body is read; the handler calls cf_ocspserve_answer with the current time. */
int cf_ocspserve_precheck(void *arg, const struct cf_httpd_request *req,
			  struct cf_httpd_reply *rep);
int cf_ocspserve_dispatch(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep,
			  struct cf_error *err);

/* RFC 7231's IMF-fixdate of @t: "Thu, 03 Dec 2026 19:00:00 GMT". @out holds 40 bytes. */
void cf_ocspserve_http_date(int64_t t, char out[40]);

#endif
