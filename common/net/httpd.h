/* The HTTP server that `serve`, `ocspserve` and `multirootca` share, on libmicrohttpd.
 *
 * One listening socket (IPv4 or IPv6), a thread per connection (keep-alive; a handler that
 * waits holds up no other connection, as with Go's goroutine per connection), optional TLS through
 * libmicrohttpd's GnuTLS backend with optional mutual TLS, and one dispatch callback per server.
 * The module collects request bodies and enforces the limits of deviation 19 before the callback
 * sees a request:
 *   - a body over max_body (16 MiB) gets 413 without being read when Content-Length
 *     announces it; a chunked body is counted while it streams, dropped (wiped) once it
 *     passes the limit, drained up to max_body more bytes and answered 413 at its end (a
 *     longer one loses its connection: libmicrohttpd cannot answer in mid-body);
 *   - a connection idle for `timeout` seconds (no byte received or sent) is closed, also
 *     in mid-request;
 *   - a request must arrive whole (request line, headers and body) within read_deadline
 *     seconds, counted from the connection's start for its first request and from the
 *     end of the previous reply for the next ones on a kept-alive connection (as Go's
 *     ReadTimeout): a client that sends a byte now and then to stay under the idle
 *     timeout is cut there too (an INFO line says so). The handler's time is not counted;
 *     an idle kept-alive connection meets the idle timeout first;
 *   - at most max_connections connections are open at once: the server then stops
 *     accepting, so further clients wait in the listen backlog until a connection closes
 *     (idle ones do after `timeout`).
 * Error replies made here (413) use the JSON envelope of cfssl-serve.md §2.3 and log the
 * request line. A dispatch callback that fails becomes a 500 reply; nothing a client sends
 * ends the server.
 *
 * TLS (deviation 18): both tls_cert and tls_key, or neither; the minimum protocol version
 * is TLS 1.2 unless min_tls_version says "1.0", "1.1", "1.2" or "1.3" (any other value is a
 * start-up error, with or without TLS); mutual_tls_ca requires TLS, and then every client
 * must present a certificate that verifies against that PEM bundle, or its handshake
 * fails; mutual_tls_cn (RE2 syntax, unanchored, cfregex.h, needs mutual_tls_ca) is matched
 * against the client certificate's subject CN on every request: a mismatch gets 403
 * `Invalid CN` and the log line `[WARNING] Rejected client cert CN "X" does not match
 * regex R` (cfssl-serve.md §5), and the dispatch callback never sees the request.
 * A connection to the TLS port whose first five bytes begin an HTTP request ("GET /",
 * "POST ", ...: Go's tlsRecordHeaderLooksLikeHTTP) gets Go's reply `HTTP/1.0 400 Bad
 * Request` with the body `Client sent an HTTP request to an HTTPS server.` and is closed; the
 * rest of the request is read first (up to 64 KiB), so that the client is not reset before
 * it reads the reply (Go's server resets it when the request has a body).
 *
 * Signals: cf_httpd_start blocks SIGTERM, SIGINT, SIGHUP and SIGPIPE before the socket
 * listens, so that the threads it creates never receive them, and leaves SIGTERM,
 * SIGINT and SIGHUP blocked in the calling thread: a signal that arrives once the port is
 * open, before cf_httpd_wait_signal, stays pending instead of killing the process or being
 * lost. SIGPIPE is restored. Threads that the caller started before cf_httpd_start keep
 * their own mask.
 * cf_httpd_wait_signal, called from that thread, sleeps in sigwait until SIGTERM or
 * SIGINT and then stops the server gracefully. SIGHUP is ignored: nothing is reloaded
 * (configuration, certificates and keys are read once at start; restart to change them),
 * and an INFO line says so.
 *
 * The library never prints (log lines go to common/base/log.h's sink; libmicrohttpd's own
 * messages at DEBUG) and never exits. */
#ifndef CF_HTTPD_H
#define CF_HTTPD_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

#define CF_HTTPD_MAX_BODY        (16u * 1024 * 1024)
#define CF_HTTPD_TIMEOUT         30 /* seconds of inactivity */
#define CF_HTTPD_READ_DEADLINE   60 /* seconds to receive a whole request */
#define CF_HTTPD_MAX_CONNECTIONS 512
#define CF_HTTPD_GRACE           30 /* seconds cf_httpd_wait_signal waits for requests */

/* One request, borrowed by the callbacks for the duration of the call. */
struct cf_httpd_request {
	const char *method;        /* as sent: "POST", "GET", ... */
	const char *path;          /* percent-decoded by libmicrohttpd, without the query */
	const char *uri;           /* the request target as sent: path and query, not decoded */
	const char *query;         /* what follows '?' in @uri, not decoded; "" when none */
	const unsigned char *body; /* NUL-terminated; NULL in the precheck callback */
	size_t body_len;
	const char *remote;  /* Go's RemoteAddr: "127.0.0.1:42220", "[::1]:42220" */
	const char *peer_cn; /* the client certificate's subject CN under mutual TLS, else NULL */
	void *conn;          /* private */
};

struct cf_httpd_header {
	char *name;
	char *value;
};

/* The reply a callback fills. It starts as status 200, no content type, empty body. */
struct cf_httpd_reply {
	int status;
	/* Content-Type, or NULL for none; must outlive the call (a string literal). */
	const char *content_type;
	struct cf_buf body;              /* wiped when sent (replies may carry private keys) */
	struct cf_httpd_header *headers; /* use cf_httpd_reply_header */
	size_t nheaders;
	/* When @log is set, the module logs cfssl's request line after the callback,
	 * `[INFO] <remote> - "<METHOD> <uri>" <log_code>` (§2.4). The reply helpers below set
	 * both. */
	int log;
	int log_code;
};

/* Fills @rep for @req. Called from the connections' threads, several at once. Returns 0, or -1
 * with @err set to have the module answer cf_httpd_reply_error(@err) (status and code as
 * cf_httpd_error_status maps them) whatever @rep holds. */
typedef int (*cf_httpd_handler_fn)(void *arg, const struct cf_httpd_request *req,
				   struct cf_httpd_reply *rep, struct cf_error *err);
/* Optional: called once the request headers are in, before any body byte is read.
 * Returns 1 to answer now with @rep (for example 404 or 405; the body is never read and the
 * connection is closed after the reply), 0 to go on. */
typedef int (*cf_httpd_precheck_fn)(void *arg, const struct cf_httpd_request *req,
				    struct cf_httpd_reply *rep);

struct cf_httpd_config {
	const char *address;  /* a literal IPv4/IPv6 address or a name; "" or NULL: all */
	unsigned port;        /* 0: an ephemeral port, see cf_httpd_port */
	const char *tls_cert; /* PEM files */
	const char *tls_key;
	const char *min_tls_version; /* NULL: "1.2" */
	const char *mutual_tls_ca;   /* PEM bundle of the CAs client certificates must chain to */
	const char *mutual_tls_cn;   /* regex, or NULL */
	unsigned timeout;            /* 0: CF_HTTPD_TIMEOUT */
	unsigned read_deadline;      /* 0: CF_HTTPD_READ_DEADLINE */
	unsigned max_connections;    /* 0: CF_HTTPD_MAX_CONNECTIONS */
	size_t max_body;             /* 0: CF_HTTPD_MAX_BODY */
	cf_httpd_handler_fn handler;
	cf_httpd_precheck_fn precheck; /* or NULL */
	void *arg;                     /* passed to the callbacks */
	/* Optional: called once by cf_httpd_start after the TLS files are read and the socket
	 * is bound, before any worker thread starts, so that what it does to the process
	 * (serve confines it there, process.h) holds for the workers too. -1 (with @err set)
	 * fails the start. */
	int (*ready)(void *arg, struct cf_error *err);
	void *ready_arg; /* passed to ready instead of arg, or NULL */
};

struct cf_httpd;

/* Reads the TLS files, binds, listens and starts the server's thread. Returns the server,
 * or NULL with @err set in Go's words where cfssl has them ("listen tcp 127.0.0.1:8888:
 * bind: address already in use", "open x.pem: no such file or directory", "failed to load
 * mutual TLS CA file: ...", "malformed CN regex: ..."). @cfg is copied. */
struct cf_httpd *cf_httpd_start(const struct cf_httpd_config *cfg, struct cf_error *err);

/* The bound port (the ephemeral one when the configured port was 0). */
unsigned cf_httpd_port(const struct cf_httpd *srv);

/* Stops accepting connections, lets the requests in flight finish (at most @grace
 * seconds; replies made meanwhile close their connections), then closes every connection
 * and joins the threads. Idempotent. Must not be called from a callback. */
void cf_httpd_stop(struct cf_httpd *srv, unsigned grace);

/* Sleeps until SIGTERM or SIGINT (SIGHUP is logged and ignored), then
 * cf_httpd_stop(@srv, CF_HTTPD_GRACE). Returns the signal number. Call from the thread that
 * called cf_httpd_start. */
int cf_httpd_wait_signal(struct cf_httpd *srv);

/* Stops the server if needed and frees it. Accepts NULL. */
void cf_httpd_free(struct cf_httpd *srv);

/* A request header (case-insensitive name) or query argument (decoded), NULL when absent.
 * Valid in the callbacks only. */
const char *cf_httpd_request_header(const struct cf_httpd_request *req, const char *name);
const char *cf_httpd_query_arg(const struct cf_httpd_request *req, const char *name);

/* Adds a header to @rep (copied). */
void cf_httpd_reply_header(struct cf_httpd_reply *rep, const char *name, const char *value);
/* Frees what @rep owns and resets it to the initial state. */
void cf_httpd_reply_reset(struct cf_httpd_reply *rep);

/* --- cfssl's JSON envelopes (cfssl-serve.md §2.2, §2.3); pure functions --- */

struct cf_httpd_message {
	int code;
	const char *message;
};

/* Appends {"success":true,"result":<result>,"errors":[],"messages":[...]} and LF.
 * @result is @len bytes of JSON as Go writes it (copied as is); NULL means null. */
void cf_httpd_envelope_success(struct cf_buf *out, const char *result, size_t len,
			       const struct cf_httpd_message *msgs, size_t nmsgs);
/* Appends {"success":false,"result":null,"errors":[{"code":N,"message":"M"}],"messages":[]}
 * and LF, @message quoted as Go's json.Marshal does. */
void cf_httpd_envelope_error(struct cf_buf *out, int code, const char *message);

/* cfssl's mapping from an error to the reply status (api.HandleError): an HTTP error made by
 * a handler (cf_error code 100-599, e.g. 400, 405, 413) keeps its number as status and code;
 * a cfssl error (any other non-zero code) is status 400 with its code; a plain error (code
 * 0) is status 500 with code 0. Returns the status; *@code gets the code for the envelope
 * and the request log line. */
int cf_httpd_error_status(const struct cf_error *e, int *code);

/* Fill @rep (resetting it first) and set its request log line: */
/* 200, Content-Type: application/json, the success envelope; log code 200. */
void cf_httpd_reply_success(struct cf_httpd_reply *rep, const char *result, size_t len,
			    const struct cf_httpd_message *msgs, size_t nmsgs);
/* The error envelope with cf_httpd_error_status's status and code, Content-Type:
 * application/json (deviation 24; cfssl says text/plain), X-Content-Type-Options: nosniff.
 * Returns the code. */
int cf_httpd_reply_error(struct cf_httpd_reply *rep, const struct cf_error *e);
/* 405 with code 405 and the message `Method is not allowed:"<method>"`. */
void cf_httpd_reply_method_not_allowed(struct cf_httpd_reply *rep, const char *method);
/* Go's NotFound: 404, text/plain; charset=utf-8, nosniff, `404 page not found` LF; no log
 * line. */
void cf_httpd_reply_not_found(struct cf_httpd_reply *rep);

/* --- routing as Go's ServeMux (cfssl-serve.md §1.5) --- */

/* New string, caller frees: the mux's cleanPath of @path (path.Clean, rooted, a trailing
 * slash kept): "/api/v1/cfssl//sign" -> "/api/v1/cfssl/sign", "/a/./b/../c/" -> "/a/c/".
 * A request whose path differs from its clean form gets a 301 to it. */
char *cf_httpd_clean_path(const char *path);
/* Go's http.Redirect with 301: Location @location (the clean path, plus "?" and the query
 * when there is one); for GET and HEAD Content-Type text/html; charset=utf-8, and for GET the
 * body `<a href="LOCATION">Moved Permanently</a>.` and two LFs; no log line. */
void cf_httpd_reply_redirect(struct cf_httpd_reply *rep, const char *method, const char *location);

#endif
