/* The client side of cfssl's API (cfssl-serve.md §6): requests to one remote
 * or an ordered list of remotes over HTTP(S), on libcurl.
 *
 * Every failure comes back as cfssl's client reports it: 7400 "failed POST to
 * URL: Post \"URL\": <Go's error text>" for transport errors, 7400 with the
 * whole body for a status other than 200, 7200 for a reply that is not JSON,
 * 7500 for an error envelope, 5300 "failed to connect to remote" for an
 * address cfssl cannot parse. Beyond cfssl, a request gives up after a bounded
 * time (deviation 19) and a reply without a certificate is an error, never a
 * crash (deviation 20). The module logs only cfssl's "[ERROR] bad url" and
 * "[ERROR] http error with URL" lines; it is safe to use from several threads
 * (one struct cf_remote per thread, or shared read-only). */
#ifndef CF_REMOTE_H
#define CF_REMOTE_H

#include <jansson.h>
#include <stddef.h>

#include "auth.h"
#include "buf.h"
#include "error.h"

/* Go's dial timeout, as cfssl's transport. */
#define CF_REMOTE_CONNECT_TIMEOUT_MS 30000L
/* The whole request, connection to last byte (deviation 19; cfssl waits forever). */
#define CF_REMOTE_TIMEOUT_MS 60000L
/* A reply body larger than this is refused (7300). */
#define CF_REMOTE_MAX_BODY (16UL << 20)

struct cf_remote_opts {
	const char *ca_file;   /* -tls-remote-ca: PEM roots for https remotes; NULL: the system's */
	const char *cert_file; /* -mutual-tls-client-cert (PEM), used only with key_file */
	const char *key_file;  /* -mutual-tls-client-key (PEM) */
	long connect_timeout_ms; /* 0: CF_REMOTE_CONNECT_TIMEOUT_MS */
	long timeout_ms;         /* 0: CF_REMOTE_TIMEOUT_MS */
};

struct cf_remote;

/* cfssl's normalizeURL for one address (spaces trimmed; "host" gets http:// and port 8888,
 * "host:port" is http://host:port, schemes other than https become http, see §6.1). *@url is
 * new (caller frees). On failure @err holds Go's text (plain), e.g. "parse \"127.0.0.1:1\":
 * first path segment in URL cannot contain colon", which cfssl logs as "bad url: <text>". */
int cf_remote_normalize(const char *addr, char **url, struct cf_error *err);

/* A client for @addrs, one address or a comma-separated ordered list (§6.4), with the TLS
 * files of @opts (NULL: none) checked now. A bad single address logs "[ERROR] bad url: ..."
 * and fails with 5300 "failed to connect to remote"; a bad address in a list fails the same
 * way without the log line, as cfssl. Unreadable TLS files: Go's open error (plain);
 * a CA file without certificates: "failed to load cert pool". *@out is new. */
int cf_remote_new(const char *addrs, const struct cf_remote_opts *opts, struct cf_remote **out,
		  struct cf_error *err);
void cf_remote_free(struct cf_remote *r);
/* The number of servers and the normalised URL of server @i (borrowed). */
size_t cf_remote_count(const struct cf_remote *r);
const char *cf_remote_url(const struct cf_remote *r, size_t i);

/* cfssl's SignRequest as its client marshals it. All strings borrowed, NUL-terminated. */
struct cf_remote_sign_req {
	const char *const *hosts; /* with hosts_set: the hosts (nhosts may be 0: "[]") */
	size_t nhosts;
	int hosts_set;            /* 0: "hosts":null */
	const char *csr;          /* PEM */
	const char *subject_json; /* cfssl's Subject {"CN":..,"names":[..],"SerialNumber":..}
				     rendered by the caller; NULL: omitted */
	const char *profile, *crl_override, *label; /* NULL as "" */
	const char *serial; /* big.Int's text ("-12", no leading zeros); NULL: omitted */
};

/* Appends R, the inner request: {"hosts":..,"certificate_request":..,["subject":..,]"profile":..,
 * "crl_override":..,"label":..,["serial":N,]"NotBefore":"0001-01-01T00:00:00Z","NotAfter":..,
 * "ReturnPrecert":false,"metadata":null}, byte for byte as cfssl (tokens are over these bytes). */
void cf_remote_sign_json(const struct cf_remote_sign_req *req, struct cf_buf *out);

/* Appends the /authsign body for R (@r, @len bytes): {"timestamp":@timestamp,"token":
 * base64(HMAC-SHA256_k(R)),"request":base64(R)}. -1 only when GnuTLS fails. */
int cf_remote_authsign_json(const struct cf_auth_key *k, const void *r, size_t len,
			    long long timestamp, struct cf_buf *out, struct cf_error *err);

/* Reads a reply envelope (§2.2/2.3) of a 200 reply as cfssl's client: *@result is the
 * "result" member (new reference). 7200 with Go's JSON error text, 7500 with errors[0]'s
 * message when success is false or result null ("API client error: Server request failed"
 * without errors). */
int cf_remote_envelope(const char *body, size_t len, json_t **result, struct cf_error *err);

/* POSTs @body to endpoint @endpoint ("sign", "info", ...) of server @i and reads the envelope
 * (the building block of the calls below, and of serve's proxy mode). */
int cf_remote_post(struct cf_remote *r, size_t i, const char *endpoint, const void *body,
		   size_t len, json_t **result, struct cf_error *err);

/* One plain HTTP(S) exchange as Go's http.Client.Get / Post does it: GET @url, or POST @body
 * (@len bytes, Content-Type @ctype) when @body is non-NULL; no proxy for loopback, redirects
 * followed (up to 10, as Go), the system's roots for https. Only http and https URLs are
 * fetched: another scheme fails as Go's "unsupported protocol scheme". The whole exchange is
 * bounded by @connect_timeout_ms and @timeout_ms. On success *@status is the reply's status
 * and its body is appended to @body_out (at most CF_REMOTE_MAX_BODY bytes); on failure @err
 * (plain) holds Go's error text: `Get "URL": dial tcp 127.0.0.1:1: connect: connection
 * refused`. Logs nothing; thread-safe. */
int cf_remote_fetch(const char *url, const void *body, size_t len, const char *ctype,
		    long connect_timeout_ms, long timeout_ms, long *status, struct cf_buf *body_out,
		    struct cf_error *err);

/* Signs through the remote: /sign, or /authsign with token key @k when @k is non-NULL (the
 * profile's auth_remote_key), on each server in order until one succeeds; otherwise the last
 * server's error. *@cert is the certificate text as the remote sent it (new, not validated,
 * as cfssl). A reply without a certificate: /sign 7400 "response doesn't contain
 * certificate." (cfssl panics when the member is missing: deviation 20), /authsign
 * 7200 "API client JSON config error". */
int cf_remote_sign(struct cf_remote *r, const struct cf_remote_sign_req *req,
		   const struct cf_auth_key *k, char **cert, struct cf_error *err);

/* What info -remote prints. */
struct cf_remote_info {
	char *certificate;
	char **usages;
	size_t nusages;
	char *expiry;
};

/* POSTs {"label":@label,"profile":@profile} to /info (servers in order, first envelope
 * success wins), then checks that the certificate parses (1002, 1003) as cfssl's info.
 * Members of the wrong type: 7200 "API client JSON config error" (cfssl panics). */
int cf_remote_info(struct cf_remote *r, const char *label, const char *profile,
		   struct cf_remote_info *out, struct cf_error *err);
/* Appends {"certificate":..,"usages":[..],"expiry":..} as cfssl prints it (no LF). */
void cf_remote_info_json(const struct cf_remote_info *info, struct cf_buf *out);
void cf_remote_info_release(struct cf_remote_info *info);

#endif
