#include "httpd.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cfregex.h"
#include "crypto.h"
#include "fileio.h"
#include "gojson.h"
#include "log.h"

struct cf_httpd {
	struct cf_httpd_config cfg;
	struct MHD_Daemon *daemon;
	int listen_fd;
	unsigned port;
	int mutual_tls;
	struct cf_regex *cn_re;
	char *cn_pattern;
	atomic_int stopping;
	int stopped;
	/* requests whose request line has arrived and whose reply is not yet sent */
	pthread_mutex_t lock;
	pthread_cond_t idle;
	unsigned long inflight;
	/* the open connections, for the read deadline's watchdog thread */
	pthread_mutex_t conn_lock;
	struct conn_state *conns;
	pthread_cond_t watch_cond;
	pthread_t watchdog;
	int watching, watch_stop;
	/* libmicrohttpd's last message while starting, for the start-up error */
	char start_msg[256];
	atomic_int starting;
};

/* Per connection (libmicrohttpd's socket context). */
struct conn_state {
	struct conn_state *prev, *next; /* in cf_httpd.conns, under conn_lock */
	int fd;
	/* CLOCK_MONOTONIC second since which a request is awaited or being read; 0 while a
	 * handler runs */
	atomic_llong reading_since;
	int cut;
	char remote[INET6_ADDRSTRLEN + 16];
	int cn_done;
	int has_cert;
	char *cn;
	/* TLS: the first bytes, held back until they show whether the client speaks TLS or
	 * sends a plain HTTP request (tls_pull) */
	unsigned char head[5];
	unsigned head_len, head_off;
	enum { HEAD_SNIFFING, HEAD_TLS, HEAD_REFUSED } head_state;
};

/* Per request (libmicrohttpd's request context, made by the URI callback). */
struct req_state {
	struct cf_httpd *srv;
	char *uri;
	int headers_done;
	int answered;
	int too_large;
	struct cf_buf body;
	size_t drained;
};

/* Seconds on CLOCK_MONOTONIC, never 0 (0 marks a connection between requests). */
static long long mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec + 1;
}

/* The read deadline: once a second, shut down the sockets of connections whose request has
 * been arriving for read_deadline seconds or more. libmicrohttpd then sees the connection
 * fail and closes it itself, through on_connection. */
static void *watchdog(void *arg)
{
	struct cf_httpd *srv = arg;
	pthread_mutex_lock(&srv->conn_lock);
	while (!srv->watch_stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&srv->watch_cond, &srv->conn_lock, &until);
		long long now = mono_now();
		for (struct conn_state *cs = srv->conns; cs; cs = cs->next) {
			long long since = atomic_load(&cs->reading_since);
			if (cs->cut || !since || now - since < (long long)srv->cfg.read_deadline ||
			    cs->fd < 0)
				continue;
			cs->cut = 1;
			shutdown(cs->fd, SHUT_RDWR);
			cf_info("%s: request not received within %u s: connection closed",
				cs->remote, srv->cfg.read_deadline);
		}
	}
	pthread_mutex_unlock(&srv->conn_lock);
	return NULL;
}

/* --- envelopes --- */

static void add_messages(struct cf_buf *out, const struct cf_httpd_message *msgs, size_t n)
{
	cf_buf_addc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			cf_buf_addc(out, ',');
		cf_buf_printf(out, "{\"code\":%d,\"message\":", msgs[i].code);
		const char *m = msgs[i].message ? msgs[i].message : "";
		cf_gojson_quote(out, m, strlen(m));
		cf_buf_addc(out, '}');
	}
	cf_buf_addc(out, ']');
}

void cf_httpd_envelope_success(struct cf_buf *out, const char *result, size_t len,
			       const struct cf_httpd_message *msgs, size_t nmsgs)
{
	cf_buf_adds(out, "{\"success\":true,\"result\":");
	if (result)
		cf_buf_add(out, result, len);
	else
		cf_buf_adds(out, "null");
	cf_buf_adds(out, ",\"errors\":[],\"messages\":");
	add_messages(out, msgs, nmsgs);
	cf_buf_adds(out, "}\n");
}

void cf_httpd_envelope_error(struct cf_buf *out, int code, const char *message)
{
	struct cf_httpd_message m = {code, message};
	cf_buf_adds(out, "{\"success\":false,\"result\":null,\"errors\":");
	add_messages(out, &m, 1);
	cf_buf_adds(out, ",\"messages\":[]}\n");
}

int cf_httpd_error_status(const struct cf_error *e, int *code)
{
	int c = e && e->set ? e->code : CF_ERR_PLAIN;
	*code = c;
	if (c == CF_ERR_PLAIN)
		return 500;
	if (c >= 100 && c <= 599)
		return c;
	return 400;
}

/* --- replies --- */

void cf_httpd_reply_header(struct cf_httpd_reply *rep, const char *name, const char *value)
{
	rep->headers = cf_xgrow(rep->headers, rep->nheaders, sizeof *rep->headers);
	rep->headers[rep->nheaders].name = cf_xstrdup(name);
	rep->headers[rep->nheaders].value = cf_xstrdup(value);
	rep->nheaders++;
}

void cf_httpd_reply_reset(struct cf_httpd_reply *rep)
{
	for (size_t i = 0; i < rep->nheaders; i++) {
		free(rep->headers[i].name);
		free(rep->headers[i].value);
	}
	free(rep->headers);
	cf_buf_release(&rep->body);
	memset(rep, 0, sizeof *rep);
	rep->status = 200;
}

void cf_httpd_reply_success(struct cf_httpd_reply *rep, const char *result, size_t len,
			    const struct cf_httpd_message *msgs, size_t nmsgs)
{
	cf_httpd_reply_reset(rep);
	rep->content_type = "application/json";
	cf_httpd_envelope_success(&rep->body, result, len, msgs, nmsgs);
	rep->log = 1;
	rep->log_code = 200;
}

int cf_httpd_reply_error(struct cf_httpd_reply *rep, const struct cf_error *e)
{
	int code;
	cf_httpd_reply_reset(rep);
	rep->status = cf_httpd_error_status(e, &code);
	rep->content_type = "application/json";
	cf_httpd_reply_header(rep, "X-Content-Type-Options", "nosniff");
	cf_httpd_envelope_error(&rep->body, code, e && e->set ? e->msg : "unknown error");
	rep->log = 1;
	rep->log_code = code;
	return code;
}

void cf_httpd_reply_method_not_allowed(struct cf_httpd_reply *rep, const char *method)
{
	struct cf_error e = {0};
	cf_error_set(&e, 405, "Method is not allowed:\"%s\"", method);
	cf_httpd_reply_error(rep, &e);
}

static void reply_text(struct cf_httpd_reply *rep, int status, const char *text)
{
	cf_httpd_reply_reset(rep);
	rep->status = status;
	rep->content_type = "text/plain; charset=utf-8";
	cf_httpd_reply_header(rep, "X-Content-Type-Options", "nosniff");
	cf_buf_adds(&rep->body, text);
}

void cf_httpd_reply_not_found(struct cf_httpd_reply *rep)
{
	reply_text(rep, 404, "404 page not found\n");
}

/* path.Clean's lexical rules on a rooted path, as ServeMux's cleanPath applies them. */
char *cf_httpd_clean_path(const char *path)
{
	size_t n = strlen(path);
	char *out = cf_xmalloc(n + 3);
	size_t w = 1, r = 0;
	out[0] = '/';
	while (r < n) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && path[r + 1] == '.' &&
			   (r + 2 == n || path[r + 2] == '/')) {
			r += 2;
			while (w > 1 && out[--w] != '/')
				;
		} else {
			if (w != 1)
				out[w++] = '/';
			while (r < n && path[r] != '/')
				out[w++] = path[r++];
		}
	}
	if (n && path[n - 1] == '/' && w != 1)
		out[w++] = '/';
	out[w] = '\0';
	return out;
}

/* Go's htmlEscape for the redirect body. */
static void html_escape(struct cf_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': cf_buf_adds(b, "&lt;"); break;
		case '>': cf_buf_adds(b, "&gt;"); break;
		case '&': cf_buf_adds(b, "&amp;"); break;
		case '"': cf_buf_adds(b, "&#34;"); break;
		case '\'': cf_buf_adds(b, "&#39;"); break;
		default: cf_buf_addc(b, (unsigned char)*s);
		}
	}
}

void cf_httpd_reply_redirect(struct cf_httpd_reply *rep, const char *method, const char *location)
{
	cf_httpd_reply_reset(rep);
	rep->status = 301;
	cf_httpd_reply_header(rep, "Location", location);
	if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
		rep->content_type = "text/html; charset=utf-8";
	if (!strcmp(method, "GET")) {
		cf_buf_adds(&rep->body, "<a href=\"");
		html_escape(&rep->body, location);
		cf_buf_adds(&rep->body, "\">Moved Permanently</a>.\n\n");
	}
}

/* --- requests --- */

const char *cf_httpd_request_header(const struct cf_httpd_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *cf_httpd_query_arg(const struct cf_httpd_request *req, const char *name)
{
	if (!req->conn) /* a request built by a unit test */
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct body_hold {
	unsigned char *data;
	size_t len;
};

static void free_body(void *cls)
{
	struct body_hold *h = cls;
	cf_wipe_free(h->data, h->len + 1);
	free(h);
}

/* Queues @rep; its body moves into the response. */
static enum MHD_Result send_reply(struct cf_httpd *srv, struct MHD_Connection *conn,
				  struct cf_httpd_reply *rep)
{
	struct MHD_Response *resp;
	if (rep->body.len) {
		struct body_hold *h = cf_xmalloc(sizeof *h);
		h->data = cf_buf_detach(&rep->body, &h->len);
		resp = MHD_create_response_from_buffer_with_free_callback_cls(h->len, h->data,
									      free_body, h);
		if (!resp)
			free_body(h);
	} else {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	if (rep->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rep->content_type);
	for (size_t i = 0; i < rep->nheaders; i++) {
		if (MHD_add_response_header(resp, rep->headers[i].name, rep->headers[i].value) !=
		    MHD_YES)
			cf_debug("reply header %s refused", rep->headers[i].name);
	}
	if (atomic_load(&srv->stopping))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	int status = rep->status;
	if (status < 100 || status > 999)
		status = 500;
	enum MHD_Result r = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return r;
}

static void log_request(const struct cf_httpd_request *req, int code)
{
	cf_info("%s - \"%s %s\" %d", req->remote, req->method, req->uri, code);
}

/* The client certificate's subject CN: Go's pkix.Name keeps the last CN attribute. */
static void load_peer_cn(struct conn_state *cs, struct MHD_Connection *conn)
{
	cs->cn_done = 1;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return;
	unsigned n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(ci->tls_session, &n);
	if (!certs || !n)
		return;
	gnutls_x509_crt_t crt;
	if (gnutls_x509_crt_init(&crt) < 0)
		return;
	if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) >= 0) {
		cs->has_cert = 1;
		for (unsigned i = 0;; i++) {
			size_t size = 0;
			int ret = gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, i,
								0, NULL, &size);
			if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
				break;
			char *cn = cf_xmalloc(size + 1);
			if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, i, 0,
							  cn, &size) < 0) {
				free(cn);
				break;
			}
			cn[size] = '\0';
			free(cs->cn);
			cs->cn = cn;
		}
		if (!cs->cn)
			cs->cn = cf_xstrdup("");
	}
	gnutls_x509_crt_deinit(crt);
}

static void fill_request(struct cf_httpd_request *req, struct req_state *rs, struct conn_state *cs,
			 struct MHD_Connection *conn, const char *url, const char *method)
{
	memset(req, 0, sizeof *req);
	req->method = method;
	req->path = url;
	req->uri = rs->uri;
	const char *q = strchr(rs->uri, '?');
	req->query = q ? q + 1 : "";
	req->remote = cs ? cs->remote : "";
	req->peer_cn = cs && cs->has_cert ? cs->cn : NULL;
	req->conn = conn;
}

/* The first call, headers in: the CN rule, the precheck, the announced length. Returns 1
 * when @rep holds the answer. */
static int on_headers(struct cf_httpd *srv, struct cf_httpd_request *req, struct conn_state *cs,
		      struct MHD_Connection *conn, struct cf_httpd_reply *rep)
{
	if (srv->mutual_tls) {
		if (cs && !cs->cn_done)
			load_peer_cn(cs, conn);
		if (!cs || !cs->has_cert) {
			reply_text(rep, 403, "Invalid CN\n");
			return 1;
		}
		req->peer_cn = cs->cn;
		if (srv->cn_re && !cf_regex_match(srv->cn_re, cs->cn, strlen(cs->cn))) {
			cf_warning("Rejected client cert CN \"%s\" does not match regex %s", cs->cn,
				   srv->cn_pattern);
			reply_text(rep, 403, "Invalid CN\n");
			return 1;
		}
	}
	if (srv->cfg.precheck && srv->cfg.precheck(srv->cfg.arg, req, rep))
		return 1;
	const char *cl =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		errno = 0;
		char *end;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno == ERANGE || n > srv->cfg.max_body) {
			struct cf_error e = {0};
			cf_error_set(&e, 413, "http: request body too large");
			cf_httpd_reply_error(rep, &e);
			return 1;
		}
	}
	return 0;
}

static enum MHD_Result answer(struct cf_httpd *srv, struct MHD_Connection *conn,
			      struct cf_httpd_request *req, struct cf_httpd_reply *rep)
{
	enum MHD_Result r = send_reply(srv, conn, rep);
	if (rep->log)
		log_request(req, rep->log_code);
	cf_httpd_reply_reset(rep);
	return r;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *upload, size_t *upload_size,
			      void **con_cls)
{
	struct cf_httpd *srv = cls;
	struct req_state *rs = *con_cls;
	if (!rs)
		return MHD_NO; /* the URI callback always makes one */
	if (rs->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_state *cs = ci ? ci->socket_context : NULL;
	struct cf_httpd_request req;
	struct cf_httpd_reply rep = {.status = 200};
	fill_request(&req, rs, cs, conn, url, method);

	if (!rs->headers_done) {
		rs->headers_done = 1;
		if (on_headers(srv, &req, cs, conn, &rep)) {
			rs->answered = 1;
			if (cs)
				atomic_store(&cs->reading_since, 0);
			return answer(srv, conn, &req, &rep);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (rs->too_large) {
			rs->drained += n;
			/* libmicrohttpd cannot answer in mid-body: drop the connection */
			return rs->drained > srv->cfg.max_body ? MHD_NO : MHD_YES;
		}
		if (n > srv->cfg.max_body - rs->body.len) {
			rs->too_large = 1;
			rs->drained = rs->body.len + n - srv->cfg.max_body;
			cf_buf_release(&rs->body);
			return MHD_YES;
		}
		cf_buf_add(&rs->body, upload, n);
		return MHD_YES;
	}

	rs->answered = 1;
	if (cs)
		atomic_store(&cs->reading_since, 0); /* read whole: the handler's time is its own */
	if (rs->too_large) {
		struct cf_error e = {0};
		cf_error_set(&e, 413, "http: request body too large");
		cf_httpd_reply_error(&rep, &e);
		cf_httpd_reply_header(&rep, MHD_HTTP_HEADER_CONNECTION, "close");
		return answer(srv, conn, &req, &rep);
	}
	req.body = rs->body.data ? rs->body.data : (const unsigned char *)"";
	req.body_len = rs->body.len;
	struct cf_error err = {0};
	if (srv->cfg.handler(srv->cfg.arg, &req, &rep, &err) < 0) {
		if (!err.set)
			cf_error_set(&err, CF_ERR_PLAIN, "internal error");
		cf_httpd_reply_error(&rep, &err);
	}
	cf_buf_release(&rs->body);
	return answer(srv, conn, &req, &rep);
}

/* A request's log lines (the handler's and the access line) reach the log in one write. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	cf_log_hold();
	enum MHD_Result r = handle(cls, conn, url, method, upload, upload_size, con_cls);
	cf_log_flush();
	return r;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct cf_httpd *srv = cls;
	struct req_state *rs = cf_xcalloc(1, sizeof *rs);
	rs->srv = srv;
	rs->uri = cf_xstrdup(uri);
	pthread_mutex_lock(&srv->lock);
	srv->inflight++;
	pthread_mutex_unlock(&srv->lock);
	return rs;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct cf_httpd *srv = cls;
	struct req_state *rs = *con_cls;
	*con_cls = NULL;
	if (!rs)
		return;
	if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
		cf_debug("request %s closed: idle for %u s", rs->uri, srv->cfg.timeout);
	cf_buf_release(&rs->body);
	free(rs->uri);
	free(rs);
	/* a kept-alive connection's next request: its deadline counts from the reply */
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_state *cs = ci ? ci->socket_context : NULL;
	if (cs && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		atomic_store(&cs->reading_since, mono_now());
	pthread_mutex_lock(&srv->lock);
	if (srv->inflight && --srv->inflight == 0)
		pthread_cond_broadcast(&srv->idle);
	pthread_mutex_unlock(&srv->lock);
}

/* Go's RemoteAddr: host:port, IPv6 in brackets, IPv4-mapped IPv6 as IPv4. */
static void format_addr(const struct sockaddr *sa, char *out, size_t n)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
		port = ntohs(in->sin_port);
		snprintf(out, n, "%s:%u", host, port);
		return;
	}
	if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		port = ntohs(in6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], host, sizeof host);
			snprintf(out, n, "%s:%u", host, port);
			return;
		}
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
		snprintf(out, n, "[%s]:%u", host, port);
		return;
	}
	snprintf(out, n, "?");
}

/* --- a plain HTTP request to the TLS port ---
 *
 * Go's server answers it "400 Client sent an HTTP request to an HTTPS server." when the first
 * five bytes are those of an HTTP request (net/http's tlsRecordHeaderLooksLikeHTTP), so that a
 * client given http:// for an https:// server learns why; libmicrohttpd would only close the
 * connection. GnuTLS reads the connection through tls_pull, which holds the first bytes back
 * until they can no longer be the start of such a request (then GnuTLS gets them: a TLS
 * record starts with 0x16 and is passed on at once) or are (then the reply is written and the
 * handshake fails). Bytes are taken off the socket as they come, so a client that sends them
 * one at a time costs no busy wait; the idle timeout and the read deadline bound it. */

static const char plain_http_reply[] =
	"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";

static int head_could_be_http(const unsigned char *h, size_t n)
{
	static const char *const starts[] = {"GET /", "HEAD ", "POST ", "PUT /", "OPTIO"};
	for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
		if (!memcmp(h, starts[i], n))
			return 1;
	return 0;
}

/* After a last word to a refused client (a reply, an alert): a FIN, and what the client has
 * sent or sends within wait_ms read off (at most 64 KiB), so that closing with it unread does
 * not reset the connection before the client has read that word. A client that writes
 * before it reads would otherwise see the reset ("broken pipe") instead. */
static void close_after_last_word(int fd, int wait_ms)
{
	shutdown(fd, SHUT_WR);
	char sink[4096];
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	for (int i = 0; i < 16 && poll(&pfd, 1, wait_ms) > 0; i++)
		if (recv(fd, sink, sizeof sink, MSG_DONTWAIT) <= 0)
			break;
}

static void refuse_plain_http(struct conn_state *cs)
{
	cs->head_state = HEAD_REFUSED;
	if (send(cs->fd, plain_http_reply, sizeof plain_http_reply - 1, MSG_NOSIGNAL) < 0)
		return;
	close_after_last_word(cs->fd, 0); /* the rest of the request is here already */
}

static ssize_t tls_pull(gnutls_transport_ptr_t p, void *data, size_t size)
{
	struct conn_state *cs = p;
	while (cs->head_state == HEAD_SNIFFING) {
		ssize_t n =
			recv(cs->fd, cs->head + cs->head_len, sizeof cs->head - cs->head_len, 0);
		if (n <= 0)
			return n;
		cs->head_len += (unsigned)n;
		if (!head_could_be_http(cs->head, cs->head_len))
			cs->head_state = HEAD_TLS;
		else if (cs->head_len == sizeof cs->head)
			refuse_plain_http(cs);
	}
	if (cs->head_state == HEAD_REFUSED) {
		errno = ECONNRESET;
		return -1;
	}
	if (cs->head_off < cs->head_len) {
		size_t k = cs->head_len - cs->head_off;
		if (k > size)
			k = size;
		memcpy(data, cs->head + cs->head_off, k);
		cs->head_off += (unsigned)k;
		return (ssize_t)k;
	}
	return recv(cs->fd, data, size, 0);
}

static int tls_pull_timeout(gnutls_transport_ptr_t p, unsigned ms)
{
	struct conn_state *cs = p;
	if (cs->head_state == HEAD_TLS && cs->head_off < cs->head_len)
		return 1;
	struct pollfd pfd = {.fd = cs->fd, .events = POLLIN};
	return poll(&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int)ms);
}

/* Client certificates must chain to the mutual TLS CAs and allow client authentication. */
static const gnutls_typed_vdata_st client_purpose[] = {
	{GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0},
};

/* A client certificate that is missing or does not verify: the bad_certificate alert before
 * the handshake fails, as Go's server sends it (its clients then say "remote error: tls: bad
 * certificate"; GnuTLS alone would only close, which they report as "EOF"), and Go's log
 * line. */
static void refuse_client_cert(gnutls_session_t tls, const char *why)
{
	gnutls_transport_ptr_t rp, sp;
	gnutls_transport_get_ptr2(tls, &rp, &sp);
	const struct conn_state *cs = rp;
	gnutls_alert_send(tls, GNUTLS_AL_FATAL, GNUTLS_A_BAD_CERTIFICATE);
	cf_info("http: TLS handshake error from %s: %s", cs->remote, why);
	/* the rest of the client's flight and its request may still be on their way */
	close_after_last_word(cs->fd, 50);
}

/* The client's Certificate message, before GnuTLS reads it: an empty list is Go's "client
 * didn't provide a certificate" (GnuTLS then fails the handshake itself). */
static int on_client_certificate(gnutls_session_t tls, unsigned htype, unsigned when,
				 unsigned incoming, const gnutls_datum_t *msg)
{
	if (!incoming || htype != GNUTLS_HANDSHAKE_CERTIFICATE_PKT || when != GNUTLS_HOOK_PRE)
		return 0;
	size_t off = 0; /* TLS 1.3 puts a request context first, its length in a byte */
	if (gnutls_protocol_get_version(tls) == GNUTLS_TLS1_3)
		off = msg->size ? 1u + msg->data[0] : 1;
	if (msg->size >= off + 3 && !(msg->data[off] | msg->data[off + 1] | msg->data[off + 2]))
		refuse_client_cert(tls, "tls: client didn't provide a certificate");
	return 0;
}

/* The client's certificate chain, as Go's RequireAndVerifyClientCert checks it. */
static int verify_client_certificate(gnutls_session_t tls)
{
	unsigned status = 0;
	int ret = gnutls_certificate_verify_peers(tls, (gnutls_typed_vdata_st *)client_purpose, 1,
						  &status);
	if (ret >= 0 && !status)
		return 0;
	const char *x509 = "certificate signed by unknown authority";
	if (ret < 0)
		x509 = gnutls_strerror(ret);
	else if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED))
		x509 = "certificate has expired or is not yet valid";
	else if (status & GNUTLS_CERT_PURPOSE_MISMATCH)
		x509 = "certificate specifies an incompatible key usage";
	char why[160];
	snprintf(why, sizeof why, "tls: failed to verify client certificate: x509: %s", x509);
	refuse_client_cert(tls, why);
	return -1;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct cf_httpd *srv = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn_state *cs = cf_xcalloc(1, sizeof *cs);
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		format_addr(ci ? ci->client_addr : NULL, cs->remote, sizeof cs->remote);
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		cs->fd = ci ? ci->connect_fd : -1;
		atomic_init(&cs->reading_since, mono_now());
		pthread_mutex_lock(&srv->conn_lock);
		cs->next = srv->conns;
		if (srv->conns)
			srv->conns->prev = cs;
		srv->conns = cs;
		pthread_mutex_unlock(&srv->conn_lock);
		ci = srv->cfg.tls_cert && cs->fd >= 0
			     ? MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION)
			     : NULL;
		gnutls_session_t tls = ci ? ci->tls_session : NULL;
		if (tls) {
			/* GnuTLS reads through tls_pull and writes to the socket as before */
			gnutls_transport_set_ptr2(tls, cs,
						  (gnutls_transport_ptr_t)(intptr_t)cs->fd);
			gnutls_transport_set_pull_function(tls, tls_pull);
			gnutls_transport_set_pull_timeout_function(tls, tls_pull_timeout);
		}
		if (tls && srv->mutual_tls) {
			gnutls_certificate_server_set_request(tls, GNUTLS_CERT_REQUIRE);
			gnutls_session_set_verify_function(tls, verify_client_certificate);
			gnutls_handshake_set_hook_function(tls, GNUTLS_HANDSHAKE_CERTIFICATE_PKT,
							   GNUTLS_HOOK_PRE, on_client_certificate);
		}
		*socket_context = cs;
		return;
	}
	struct conn_state *cs = *socket_context;
	*socket_context = NULL;
	if (cs) {
		/* libmicrohttpd closes the socket after this call: the watchdog, which takes the
		 * same lock, never shuts down a descriptor that another connection reuses */
		pthread_mutex_lock(&srv->conn_lock);
		if (cs->prev)
			cs->prev->next = cs->next;
		else
			srv->conns = cs->next;
		if (cs->next)
			cs->next->prev = cs->prev;
		pthread_mutex_unlock(&srv->conn_lock);
		free(cs->cn);
		free(cs);
	}
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct cf_httpd *srv = cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	if (atomic_load(&srv->starting))
		snprintf(srv->start_msg, sizeof srv->start_msg, "%s", msg);
	cf_debug("libmicrohttpd: %s", msg);
}

/* --- start-up --- */

/* Go's syscall error texts are strerror's with a lower-case first letter. */
static void go_errno(char *out, size_t n, int e)
{
	snprintf(out, n, "%s", strerror(e));
	if (out[0])
		out[0] = (char)tolower((unsigned char)out[0]);
}

static void join_host_port(char *out, size_t n, const char *host, unsigned port)
{
	if (strchr(host, ':'))
		snprintf(out, n, "[%s]:%u", host, port);
	else
		snprintf(out, n, "%s:%u", host, port);
}

static int try_listen(const struct sockaddr *sa, socklen_t len, int *fd_out, int *err_out,
		      const char **op)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*err_out = errno;
		*op = "socket";
		return -1;
	}
	int one = 1, zero = 0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		/* the unspecified address serves IPv4 too, as Go's ":port" does */
		int v6only = !IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, v6only ? &one : &zero, sizeof one);
	}
	if (bind(fd, sa, len) < 0) {
		*err_out = errno;
		*op = "bind";
		close(fd);
		return -1;
	}
	if (listen(fd, SOMAXCONN) < 0) {
		*err_out = errno;
		*op = "listen";
		close(fd);
		return -1;
	}
	*fd_out = fd;
	return 0;
}

static int open_listener(struct cf_httpd *srv, struct cf_error *err)
{
	const char *host = srv->cfg.address ? srv->cfg.address : "";
	char hostport[300];
	join_host_port(hostport, sizeof hostport, host, srv->cfg.port);
	if (srv->cfg.port > 65535)
		return cf_error_set(err, CF_ERR_PLAIN, "listen tcp: address %u: invalid port",
				    srv->cfg.port);
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%u", srv->cfg.port);
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
	struct addrinfo *res = NULL;
	if (!*host) {
		/* all interfaces: dual-stack when IPv6 is there */
		struct sockaddr_in6 any6 = {.sin6_family = AF_INET6,
					    .sin6_port = htons((uint16_t)srv->cfg.port)};
		struct sockaddr_in any4 = {.sin_family = AF_INET,
					   .sin_port = htons((uint16_t)srv->cfg.port)};
		int e;
		const char *op;
		int *fd = &srv->listen_fd;
		if (!try_listen((struct sockaddr *)&any6, sizeof any6, fd, &e, &op) ||
		    !try_listen((struct sockaddr *)&any4, sizeof any4, fd, &e, &op))
			return 0;
		char es[128];
		go_errno(es, sizeof es, e);
		return cf_error_set(err, CF_ERR_PLAIN, "listen tcp %s: %s: %s", hostport, op, es);
	}
	int gai = getaddrinfo(host, portstr, &hints, &res);
	if (gai != 0) {
		if (gai == EAI_NONAME || gai == EAI_NODATA || gai == EAI_FAIL)
			return cf_error_set(err, CF_ERR_PLAIN,
					    "listen tcp: lookup %s: no such host", host);
		return cf_error_set(err, CF_ERR_PLAIN, "listen tcp: lookup %s: %s", host,
				    gai_strerror(gai));
	}
	/* Go listens on the first address, IPv4 preferred */
	const struct addrinfo *pick = NULL;
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			pick = ai;
			break;
		}
		if (!pick && ai->ai_family == AF_INET6)
			pick = ai;
	}
	int rc = -1, e = EAFNOSUPPORT;
	const char *op = "socket";
	if (pick)
		rc = try_listen(pick->ai_addr, pick->ai_addrlen, &srv->listen_fd, &e, &op);
	freeaddrinfo(res);
	if (rc == 0)
		return 0;
	char es[128];
	go_errno(es, sizeof es, e);
	return cf_error_set(err, CF_ERR_PLAIN, "listen tcp %s: %s: %s", hostport, op, es);
}

static const char *tls_priorities(const char *min)
{
	if (!min || !strcmp(min, "1.2"))
		return "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
	if (!strcmp(min, "1.3"))
		return "NORMAL:-VERS-ALL:+VERS-TLS1.3";
	if (!strcmp(min, "1.1"))
		return "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1";
	if (!strcmp(min, "1.0"))
		return "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0";
	return NULL;
}

/* The TLS files, checked here so that the errors are precise (libmicrohttpd only fails). */
static int load_tls(const struct cf_httpd_config *cfg, struct cf_buf *cert, struct cf_buf *key,
		    struct cf_buf *ca, struct cf_error *err)
{
	if (cf_read_file(cfg->tls_cert, cert, err) < 0 || cf_read_file(cfg->tls_key, key, err) < 0)
		return -1;
	gnutls_certificate_credentials_t cred;
	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "tls: out of memory");
	gnutls_datum_t c = {cert->data, (unsigned)cert->len};
	gnutls_datum_t k = {key->data, (unsigned)key->len};
	int ret = gnutls_certificate_set_x509_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM);
	gnutls_certificate_free_credentials(cred);
	if (ret == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "tls: private key does not match public key");
	if (ret < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "tls: failed to load %s and %s: %s",
				    cfg->tls_cert, cfg->tls_key, gnutls_strerror(ret));
	if (!cfg->mutual_tls_ca)
		return 0;
	struct cf_error e = {0};
	if (cf_read_file(cfg->mutual_tls_ca, ca, &e) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "failed to load mutual TLS CA file: %s",
				    e.msg);
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	gnutls_datum_t d = {ca->data, (unsigned)ca->len};
	ret = gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM, 0);
	for (unsigned i = 0; ret >= 0 && i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	if (ret < 0 || n == 0)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "failed to load mutual TLS CA file: no certificates in %s",
				    cfg->mutual_tls_ca);
	return 0;
}

static int check_config(struct cf_httpd *srv, struct cf_error *err)
{
	const struct cf_httpd_config *c = &srv->cfg;
	if (!c->handler)
		return cf_error_set(err, CF_ERR_PLAIN, "no request handler");
	if (!tls_priorities(c->min_tls_version))
		return cf_error_set(err, CF_ERR_PLAIN,
				    "invalid minimum TLS version \"%s\": use 1.0, 1.1, 1.2 or 1.3",
				    c->min_tls_version);
	if (!c->tls_cert != !c->tls_key)
		return cf_error_set(
			err, CF_ERR_PLAIN,
			"TLS needs both a certificate and a key (-tls-cert and -tls-key)");
	if (c->mutual_tls_ca && !c->tls_cert)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "mutual TLS (-mutual-tls-ca) needs a server certificate "
				    "(-tls-cert and -tls-key)");
	if (c->mutual_tls_cn && !c->mutual_tls_ca)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "a client CN rule (-mutual-tls-cn) needs mutual TLS "
				    "(-mutual-tls-ca)");
	if (c->mutual_tls_cn) {
		char why[256];
		srv->cn_re = cf_regex_compile_err(c->mutual_tls_cn, why, sizeof why);
		if (!srv->cn_re)
			return cf_error_set(err, CF_ERR_PLAIN, "malformed CN regex: %s", why);
		srv->cn_pattern = cf_xstrdup(c->mutual_tls_cn);
	}
	return 0;
}

#define SERVER_SIGNALS(set)              \
	do {                             \
		sigemptyset(set);        \
		sigaddset(set, SIGTERM); \
		sigaddset(set, SIGINT);  \
		sigaddset(set, SIGHUP);  \
	} while (0)

struct cf_httpd *cf_httpd_start(const struct cf_httpd_config *cfg, struct cf_error *err)
{
	/* libmicrohttpd's own call at start-up is held (crypto.c): GnuTLS is made ready here */
	if (cf_crypto_init(err) < 0)
		return NULL;
	struct cf_httpd *srv = cf_xcalloc(1, sizeof *srv);
	srv->cfg = *cfg;
	srv->listen_fd = -1;
	srv->stopped = 1;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->idle, NULL);
	pthread_mutex_init(&srv->conn_lock, NULL);
	pthread_condattr_t ca_mono;
	pthread_condattr_init(&ca_mono);
	pthread_condattr_setclock(&ca_mono, CLOCK_MONOTONIC);
	pthread_cond_init(&srv->watch_cond, &ca_mono);
	pthread_condattr_destroy(&ca_mono);
	if (!srv->cfg.timeout)
		srv->cfg.timeout = CF_HTTPD_TIMEOUT;
	if (!srv->cfg.read_deadline)
		srv->cfg.read_deadline = CF_HTTPD_READ_DEADLINE;
	if (!srv->cfg.max_connections)
		srv->cfg.max_connections = CF_HTTPD_MAX_CONNECTIONS;
	if (!srv->cfg.max_body)
		srv->cfg.max_body = CF_HTTPD_MAX_BODY;
	srv->mutual_tls = cfg->mutual_tls_ca != NULL;

	struct cf_buf cert = CF_BUF_INIT, key = CF_BUF_INIT, ca = CF_BUF_INIT;
	sigset_t block, old;
	/* From before the socket listens, as a client may take an open port for a server that
	 * can be stopped: a SIGTERM or SIGINT from then on stays pending for
	 * cf_httpd_wait_signal, instead of killing the process (SIGTERM) or being lost (a SIGINT
	 * that the shell's `&` set to ignored). The server's threads inherit this mask: they never
	 * take the server's signals. */
	SERVER_SIGNALS(&block);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int masked = 1;
	if (check_config(srv, err) < 0)
		goto fail;
	if (cfg->tls_cert && load_tls(cfg, &cert, &key, &ca, err) < 0)
		goto fail;
	if (open_listener(srv, err) < 0)
		goto fail;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	if (getsockname(srv->listen_fd, (struct sockaddr *)&ss, &sl) == 0)
		srv->port = ss.ss_family == AF_INET6
				    ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
				    : ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (cfg->ready && cfg->ready(cfg->ready_arg ? cfg->ready_arg : cfg->arg, err) < 0)
		goto fail;

	/* A thread per connection, as Go's server has a goroutine per connection: a handler
	 * that waits (a database commit, an RSA signature in a key process, a remote signer)
	 * holds up no other client. With a pool of epoll workers, each worker accepts up to 10
	 * connections in a row, so the connections a client opens together (a load balancer,
	 * a connection pool) land on one worker and are served one at a time while it waits,
	 * whatever the other workers do. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG;
	struct MHD_OptionItem tls[5];
	size_t nt = 0;
	if (cfg->tls_cert) {
		flags |= MHD_USE_TLS;
		tls[nt++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, cert.data};
		tls[nt++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, key.data};
		tls[nt++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
						    (void *)tls_priorities(cfg->min_tls_version)};
		if (cfg->mutual_tls_ca)
			tls[nt++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_TRUST, 0, ca.data};
	}
	tls[nt] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

	atomic_store(&srv->starting, 1);
	srv->daemon = MHD_start_daemon(
		flags, (uint16_t)srv->port, NULL, NULL, on_request, srv, MHD_OPTION_LISTEN_SOCKET,
		srv->listen_fd, MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.timeout,
		MHD_OPTION_CONNECTION_LIMIT, srv->cfg.max_connections, MHD_OPTION_EXTERNAL_LOGGER,
		on_mhd_log, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
		on_connection, srv, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
	atomic_store(&srv->starting, 0);
	if (!srv->daemon) {
		/* libmicrohttpd closes the socket on some failure paths, not on others */
		if (fcntl(srv->listen_fd, F_GETFD) < 0)
			srv->listen_fd = -1;
		char hostport[300];
		join_host_port(hostport, sizeof hostport, cfg->address ? cfg->address : "",
			       srv->port);
		cf_error_set(err, CF_ERR_PLAIN, "listen tcp %s: %s", hostport,
			     srv->start_msg[0] ? srv->start_msg : "could not start the server");
		goto fail;
	}
	srv->stopped = 0;
	/* with the server's signals still blocked, so that the watchdog never takes them */
	if (pthread_create(&srv->watchdog, NULL, watchdog, srv) != 0) {
		cf_error_set(err, CF_ERR_PLAIN, "could not start the server: %s", strerror(errno));
		goto fail;
	}
	srv->watching = 1;
	/* libmicrohttpd loaded the TLS files into its credentials at start */
	cf_buf_release(&key);
	cf_buf_release(&cert);
	cf_buf_release(&ca);
	sigdelset(&block, SIGTERM);
	sigdelset(&block, SIGINT);
	sigdelset(&block, SIGHUP);
	if (!sigismember(&old, SIGPIPE))
		pthread_sigmask(SIG_UNBLOCK, &block, NULL);
	return srv;

fail:
	if (masked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	cf_buf_release(&key);
	cf_buf_release(&cert);
	cf_buf_release(&ca);
	cf_httpd_free(srv);
	return NULL;
}

unsigned cf_httpd_port(const struct cf_httpd *srv)
{
	return srv->port;
}

void cf_httpd_stop(struct cf_httpd *srv, unsigned grace)
{
	if (!srv || srv->stopped)
		return;
	srv->stopped = 1;
	atomic_store(&srv->stopping, 1);
	MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		srv->listen_fd = fd;
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		srv->listen_fd = -1;
	}
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += grace;
	pthread_mutex_lock(&srv->lock);
	while (srv->inflight) {
		if (pthread_cond_timedwait(&srv->idle, &srv->lock, &until) == ETIMEDOUT)
			break;
	}
	unsigned long left = srv->inflight;
	pthread_mutex_unlock(&srv->lock);
	if (left)
		cf_warning("stopping with %lu request(s) unfinished after %u s", left, grace);
	MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	if (srv->watching) {
		pthread_mutex_lock(&srv->conn_lock);
		srv->watch_stop = 1;
		pthread_cond_signal(&srv->watch_cond);
		pthread_mutex_unlock(&srv->conn_lock);
		pthread_join(srv->watchdog, NULL);
		srv->watching = 0;
	}
}

int cf_httpd_wait_signal(struct cf_httpd *srv)
{
	sigset_t set;
	SERVER_SIGNALS(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	int sig = 0;
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		cf_info("SIGHUP ignored: nothing is reloaded");
	}
	cf_info("%s received: finishing the requests in flight",
		sig == SIGTERM ? "SIGTERM" : "SIGINT");
	cf_httpd_stop(srv, CF_HTTPD_GRACE);
	return sig;
}

void cf_httpd_free(struct cf_httpd *srv)
{
	if (!srv)
		return;
	cf_httpd_stop(srv, 0);
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	cf_regex_free(srv->cn_re);
	free(srv->cn_pattern);
	pthread_cond_destroy(&srv->idle);
	pthread_mutex_destroy(&srv->lock);
	pthread_cond_destroy(&srv->watch_cond);
	pthread_mutex_destroy(&srv->conn_lock);
	free(srv);
}
