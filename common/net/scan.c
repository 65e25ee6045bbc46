/* cfssl's scan package on GnuTLS (see scan.h). */
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "bundle.h"
#include "cfregex.h"
#include "gojson.h"
#include "log.h"
#include "pem.h"
#include "tlshello.h"

/* clang-format off */
const char cf_scan_catalogue[] =
	"{\"Broad\":{\"description\":\"Large scale scans of TLS hosts\",\"scanners\":{"
	"\"IntermediateCAs\":{\"description\":\"Scans a CIDR IP range for unknown Intermediate "
	"CAs\"}}},"
	"\"Connectivity\":{\"description\":\"Scans for basic connectivity with the host through "
	"DNS and TCP/TLS dials\",\"scanners\":{"
	"\"CloudFlareStatus\":{\"description\":\"Host is on CloudFlare\"},"
	"\"DNSLookup\":{\"description\":\"Host can be resolved through DNS\"},"
	"\"TCPDial\":{\"description\":\"Host accepts TCP connection\"},"
	"\"TLSDial\":{\"description\":\"Host can perform TLS handshake\"}}},"
	"\"PKI\":{\"description\":\"Scans for the Public Key Infrastructure\",\"scanners\":{"
	"\"ChainExpiration\":{\"description\":\"Host's chain hasn't expired and won't expire in "
	"the next 30 days\"},"
	"\"ChainValidation\":{\"description\":\"All certificates in host's chain are valid\"},"
	"\"MultipleCerts\":{\"description\":\"Host serves same certificate chain across all "
	"IPs\"}}},"
	"\"TLSHandshake\":{\"description\":\"Scans for host's SSL/TLS version and cipher suite "
	"negotiation\",\"scanners\":{"
	"\"CertsByCiphers\":{\"description\":\"Determines host's certificate signature algorithm "
	"matching client's accepted ciphers\"},"
	"\"CertsBySigAlgs\":{\"description\":\"Determines host's certificate signature algorithm "
	"matching client's accepted signature and hash algorithms\"},"
	"\"CipherSuite\":{\"description\":\"Determines host's cipher suites accepted and "
	"preferred order\"},"
	"\"ECCurves\":{\"description\":\"Determines the host's ec curve support for TLS 1.2\"},"
	"\"SigAlgs\":{\"description\":\"Determines host's accepted signature and hash "
	"algorithms\"}}},"
	"\"TLSSession\":{\"description\":\"Scans host's implementation of TLS session resumption "
	"using session tickets/session IDs\",\"scanners\":{"
	"\"SessionResume\":{\"description\":\"Host is able to resume sessions across all "
	"addresses\"}}}}";
/* clang-format on */

enum grade { BAD, WARNING, GOOD, SKIPPED };
static const char *const grade_names[] = {"Bad", "Warning", "Good", "Skipped"};

/* cfssl's Dialer: net.Dialer{Timeout: time.Second}. */
#define DIAL_MS 1000
/* cfssl's own TLS stack stops at TLS 1.2. */
#define PRIORITY "NORMAL:-VERS-TLS1.3"

struct scan_ctx {
	const char *addr;     /* "host:port" dialled */
	const char *hostname; /* the name checked and sent as SNI */
	const char *ca_bundle;
	int64_t now;
	long long deadline; /* now_ms() when the scan's time is up */
};

struct result {
	enum grade grade;
	struct cf_buf out; /* JSON, or empty: omitted */
	struct cf_buf err; /* text, or empty: omitted */
	int timed_out;     /* still running when the scan's time was up: left out, as cfssl */
};

/* ---- addresses and dials ---- */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* net.SplitHostPort; 0 when @s has no port. @host/@port are new. */
static int split_host_port(const char *s, char **host, char **port)
{
	const char *colon = strrchr(s, ':');
	if (!colon)
		return 0;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close + 1 != colon)
			return 0;
		*host = strndup(s + 1, (size_t)(close - s - 1));
	} else {
		if (strchr(s, ':') != colon)
			return 0;
		*host = strndup(s, (size_t)(colon - s));
	}
	*port = strdup(colon + 1);
	return 1;
}

/* net.JoinHostPort */
static void join_host_port(struct cf_buf *b, const char *host, const char *port)
{
	cf_buf_printf(b, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
}

static void errno_text(int e, char *buf, size_t n)
{
	snprintf(buf, n, "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
}

/* net.LookupHost: the addresses of @host as text, appended as a JSON array of strings to
 * @json (when non-NULL) and as NUL-separated strings to @list. Number of addresses, or -1
 * with Go's text in @err. */
static int lookup_host(const char *host, struct cf_buf *list, struct cf_buf *err)
{
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int g = getaddrinfo(host, NULL, &hints, &res);
	if (g != 0) {
		if (g == EAI_NONAME || g == EAI_NODATA)
			cf_buf_printf(err, "lookup %s: no such host", host);
		else
			cf_buf_printf(err, "lookup %s: %s", host, gai_strerror(g));
		return -1;
	}
	int n = 0;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		char h[INET6_ADDRSTRLEN];
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, h, sizeof h, NULL, 0, NI_NUMERICHOST))
			continue;
		/* skip duplicates */
		int dup = 0;
		for (size_t off = 0; list->data && off < list->len;
		     off += strlen((char *)list->data + off) + 1)
			dup |= strcmp((char *)list->data + off, h) == 0;
		if (dup)
			continue;
		cf_buf_add(list, h, strlen(h) + 1);
		n++;
	}
	freeaddrinfo(res);
	return n;
}

/* Dialer.Dial("tcp", @addr) with cfssl's 1 s timeout: the fd, or -1 with Go's text. */
static int dial_tcp(const char *addr, struct cf_buf *err)
{
	char *host = NULL, *port = NULL;
	int fd = -1;
	if (!split_host_port(addr, &host, &port)) {
		cf_buf_printf(err, "dial tcp %s: address %s: missing port in address", addr, addr);
		return -1;
	}
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int g = getaddrinfo(host, port, &hints, &res);
	if (g != 0) {
		if (g == EAI_NONAME || g == EAI_NODATA)
			cf_buf_printf(err, "dial tcp: lookup %s: no such host", host);
		else
			cf_buf_printf(err, "dial tcp: lookup %s: %s", host, gai_strerror(g));
		goto out;
	}
	long long deadline = now_ms() + DIAL_MS;
	int first_e = 0;
	char first_addr[INET6_ADDRSTRLEN + 16] = ""; /* Go names the address it dialled */
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (s < 0)
			continue;
		int fl = fcntl(s, F_GETFL);
		fcntl(s, F_SETFL, fl | O_NONBLOCK);
		int e = 0;
		if (connect(s, ai->ai_addr, ai->ai_addrlen) < 0) {
			e = errno;
			if (e == EINPROGRESS) {
				struct pollfd pfd = {s, POLLOUT, 0};
				long long left = deadline - now_ms();
				int pr = left > 0 ? poll(&pfd, 1, (int)left) : 0;
				socklen_t sl = sizeof e;
				if (pr <= 0)
					e = ETIMEDOUT;
				else if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &sl) < 0)
					e = errno;
			}
		}
		if (e) {
			if (!first_e) {
				first_e = e;
				char ip[INET6_ADDRSTRLEN] = "";
				unsigned pn = 0;
				if (ai->ai_family == AF_INET6) {
					const struct sockaddr_in6 *a6 = (const void *)ai->ai_addr;
					inet_ntop(AF_INET6, &a6->sin6_addr, ip, sizeof ip);
					pn = ntohs(a6->sin6_port);
					snprintf(first_addr, sizeof first_addr, "[%s]:%u", ip, pn);
				} else {
					const struct sockaddr_in *a4 = (const void *)ai->ai_addr;
					inet_ntop(AF_INET, &a4->sin_addr, ip, sizeof ip);
					pn = ntohs(a4->sin_port);
					snprintf(first_addr, sizeof first_addr, "%s:%u", ip, pn);
				}
			}
			close(s);
			continue;
		}
		fcntl(s, F_SETFL, fl);
		fd = s;
	}
	if (fd < 0) {
		char et[128];
		const char *a = first_addr[0] ? first_addr : addr;
		if (first_e == ETIMEDOUT) {
			cf_buf_printf(err, "dial tcp %s: i/o timeout", a);
		} else {
			errno_text(first_e, et, sizeof et);
			cf_buf_printf(err, "dial tcp %s: connect: %s", a, et);
		}
	}
out:
	if (res)
		freeaddrinfo(res);
	free(host);
	free(port);
	return fd;
}

static int is_ip(const char *h)
{
	unsigned char b[16];
	return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/* A TLS connection as cfssl's scanners open it: no verification (InsecureSkipVerify). */
struct tls_conn {
	int fd;
	gnutls_session_t s;
	gnutls_certificate_credentials_t cred;
};

static void tls_close(struct tls_conn *c)
{
	if (c->s) {
		gnutls_bye(c->s, GNUTLS_SHUT_WR);
		gnutls_deinit(c->s);
	}
	if (c->cred)
		gnutls_certificate_free_credentials(c->cred);
	if (c->fd >= 0)
		close(c->fd);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}

/* tls.DialWithDialer to @addr with SNI @sni, resuming @resume when non-NULL. */
static int tls_dial(const char *addr, const char *sni, const gnutls_datum_t *resume,
		    struct tls_conn *c, struct cf_buf *err)
{
	memset(c, 0, sizeof *c);
	/* the dialer's timeout covers the connection and the handshake as a whole */
	long long start = now_ms();
	c->fd = dial_tcp(addr, err);
	if (c->fd < 0)
		return -1;
	long long left = DIAL_MS - (now_ms() - start);
	if (left < 1)
		left = 1;
	struct timeval tv = {left / 1000, (left % 1000) * 1000};
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	int r;
	if ((r = gnutls_certificate_allocate_credentials(&c->cred)) < 0 ||
	    (r = gnutls_init(&c->s, GNUTLS_CLIENT)) < 0 ||
	    (r = gnutls_priority_set_direct(c->s, PRIORITY, NULL)) < 0 ||
	    (r = gnutls_credentials_set(c->s, GNUTLS_CRD_CERTIFICATE, c->cred)) < 0 ||
	    (*sni && !is_ip(sni) &&
	     (r = gnutls_server_name_set(c->s, GNUTLS_NAME_DNS, sni, strlen(sni))) < 0) ||
	    (resume && (r = gnutls_session_set_data(c->s, resume->data, resume->size)) < 0)) {
		cf_buf_printf(err, "tls: %s", gnutls_strerror(r));
		tls_close(c);
		return -1;
	}
	gnutls_transport_set_int(c->s, c->fd);
	gnutls_handshake_set_timeout(c->s, (unsigned)left);
	do {
		r = gnutls_handshake(c->s);
	} while (r < 0 && !gnutls_error_is_fatal(r));
	if (r < 0) {
		if (r == GNUTLS_E_PREMATURE_TERMINATION)
			cf_buf_printf(err, "EOF");
		else if (r == GNUTLS_E_TIMEDOUT || (r == GNUTLS_E_PULL_ERROR && errno == EAGAIN))
			cf_buf_printf(err, "tls: DialWithDialer timed out");
		else if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
			cf_buf_printf(err, "remote error: tls: %s",
				      gnutls_alert_get_name(gnutls_alert_get(c->s)));
		else
			cf_buf_printf(err, "tls: %s", gnutls_strerror(r));
		tls_close(c);
		return -1;
	}
	return 0;
}

/* The server's certificates (ConnectionState().PeerCertificates) into @pool. */
static int peer_chain(struct tls_conn *c, const char *addr, struct cf_bundle_pool *pool,
		      struct cf_buf *err)
{
	unsigned n = 0;
	const gnutls_datum_t *peers = gnutls_certificate_get_peers(c->s, &n);
	for (unsigned i = 0; peers && i < n; i++)
		if (cf_bundle_pool_add_der(pool, peers[i].data, peers[i].size, 0) < 0) {
			cf_buf_printf(err, "x509: malformed certificate");
			return -1;
		}
	if (pool->n == 0) {
		cf_buf_printf(err, "%s returned empty certificate chain", addr);
		return -1;
	}
	return 0;
}

static int get_chain(const struct scan_ctx *x, const char *addr, struct cf_bundle_pool *pool,
		     struct cf_buf *err)
{
	struct tls_conn c;
	if (tls_dial(addr, x->hostname, NULL, &c, err) < 0)
		return -1;
	int r = peer_chain(&c, addr, pool, err);
	tls_close(&c);
	return r;
}

/* multiscan: @fn for every address of @addr's host, at @addr's port; the worst grade, the
 * outputs by address as a JSON object in @out (when non-NULL). */
typedef int (*addr_fn)(const struct scan_ctx *x, const char *addrport, void *arg, enum grade *g,
		       struct cf_buf *out, struct cf_buf *err);
static enum grade multiscan(const struct scan_ctx *x, addr_fn fn, void *arg, struct cf_buf *out,
			    struct cf_buf *err)
{
	char *host = NULL, *port = NULL;
	struct cf_buf list = CF_BUF_INIT, obj = CF_BUF_INIT;
	enum grade grade = BAD;
	if (!split_host_port(x->addr, &host, &port)) {
		host = strdup(x->addr);
		port = strdup("");
	}
	if (lookup_host(host, &list, err) < 0)
		goto out;
	grade = GOOD;
	cf_buf_addc(&obj, '{');
	int first = 1;
	/* Go's map: members sorted */
	size_t n = 0;
	for (size_t off = 0; off < list.len; off += strlen((char *)list.data + off) + 1)
		n++;
	const char **v = calloc(n, sizeof *v);
	n = 0;
	for (size_t off = 0; off < list.len; off += strlen((char *)list.data + off) + 1)
		v[n++] = (const char *)list.data + off;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		struct cf_buf ap = CF_BUF_INIT, o = CF_BUF_INIT;
		join_host_port(&ap, v[i], port);
		enum grade g = BAD;
		int r = fn(x, (const char *)ap.data, arg, &g, &o, err);
		cf_buf_release(&ap);
		if (r < 0) {
			grade = BAD;
			cf_buf_release(&o);
			free(v);
			goto out;
		}
		if (g < grade)
			grade = g;
		if (!first)
			cf_buf_addc(&obj, ',');
		first = 0;
		cf_gojson_quote(&obj, v[i], strlen(v[i]));
		cf_buf_addc(&obj, ':');
		if (o.len)
			cf_buf_add(&obj, o.data, o.len);
		else
			cf_buf_printf(&obj, "null");
		cf_buf_release(&o);
	}
	free(v);
	cf_buf_addc(&obj, '}');
	if (out)
		cf_buf_add(out, obj.data, obj.len);
out:
	cf_buf_release(&list);
	cf_buf_release(&obj);
	free(host);
	free(port);
	return grade;
}

/* ---- Connectivity ---- */

static void scan_dns(const struct scan_ctx *x, struct result *r)
{
	struct cf_buf list = CF_BUF_INIT;
	int n = lookup_host(x->hostname, &list, &r->err);
	if (n > 0) {
		cf_buf_addc(&r->out, '[');
		int first = 1;
		for (size_t off = 0; off < list.len; off += strlen((char *)list.data + off) + 1) {
			if (!first)
				cf_buf_addc(&r->out, ',');
			first = 0;
			cf_gojson_quote(&r->out, (char *)list.data + off,
					strlen((char *)list.data + off));
		}
		cf_buf_addc(&r->out, ']');
		r->grade = GOOD;
	}
	cf_buf_release(&list);
}

static void scan_cloudflare(const struct scan_ctx *x, struct result *r)
{
	(void)x;
	r->grade = SKIPPED;
	cf_buf_printf(&r->err, "Couldn't download CloudFlare IPs: cfssl-c does not contact "
			       "CloudFlare");
}

static void scan_tcp(const struct scan_ctx *x, struct result *r)
{
	int fd = dial_tcp(x->addr, &r->err);
	if (fd >= 0) {
		close(fd);
		r->grade = GOOD;
	}
}

static void go_time(struct cf_buf *out, int64_t t);

/* Go's CertificateInvalidError (Expired) for the first certificate out of its validity. */
static void expired_text(const struct scan_ctx *x, const gnutls_datum_t *peers, unsigned n,
			 struct cf_buf *err)
{
	struct cf_buf a = CF_BUF_INIT, b = CF_BUF_INIT;
	for (unsigned i = 0; peers && i < n; i++) {
		gnutls_x509_crt_t c = NULL;
		if (cf_crt_import_der(peers[i].data, peers[i].size, &c, NULL) < 0)
			continue;
		int64_t nb = gnutls_x509_crt_get_activation_time(c);
		int64_t na = gnutls_x509_crt_get_expiration_time(c);
		gnutls_x509_crt_deinit(c);
		if (x->now < nb || x->now > na) {
			go_time(&a, x->now);
			go_time(&b, x->now < nb ? nb : na);
			/* go_time quotes: strip them */
			cf_buf_printf(err,
				      "x509: certificate has expired or is not yet valid: current "
				      "time %.*s is %s %.*s",
				      (int)a.len - 2, (const char *)a.data + 1,
				      x->now < nb ? "before" : "after", (int)b.len - 2,
				      (const char *)b.data + 1);
			break;
		}
	}
	if (!err->len)
		cf_buf_printf(err, "x509: certificate has expired or is not yet valid");
	cf_buf_release(&a);
	cf_buf_release(&b);
}

/* Go's x509 verification of the server's chain against the roots, for the host name. */
static int verify_peer(const struct scan_ctx *x, struct tls_conn *c, struct cf_buf *err)
{
	int n;
	if (*x->ca_bundle)
		n = gnutls_certificate_set_x509_trust_file(c->cred, x->ca_bundle,
							   GNUTLS_X509_FMT_PEM);
	else
		n = gnutls_certificate_set_x509_system_trust(c->cred);
	if (n < 0) {
		cf_buf_printf(err, "x509: certificate signed by unknown authority");
		return -1;
	}
	unsigned status = 0;
	int r = gnutls_certificate_verify_peers3(c->s, *x->hostname ? x->hostname : NULL, &status);
	if (r < 0 || status) {
		unsigned nn = 0;
		const gnutls_datum_t *peers = gnutls_certificate_get_peers(c->s, &nn);
		gnutls_x509_crt_t leaf = NULL;
		if (r >= 0 && (status & GNUTLS_CERT_UNEXPECTED_OWNER) && peers && nn &&
		    cf_crt_import_der(peers[0].data, peers[0].size, &leaf, NULL) == 0 &&
		    cf_crt_hostname_error(leaf, x->hostname, err)) {
			/* Go's HostnameError text */
		} else if (r >= 0 && (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED))) {
			expired_text(x, peers, nn, err);
		} else {
			cf_buf_printf(err, "x509: certificate signed by unknown authority");
		}
		if (leaf)
			gnutls_x509_crt_deinit(leaf);
		return -1;
	}
	return 0;
}

static void scan_tls(const struct scan_ctx *x, struct result *r)
{
	struct tls_conn c;
	if (tls_dial(x->addr, x->hostname, NULL, &c, &r->err) < 0)
		return;
	r->grade = verify_peer(x, &c, &r->err) < 0 ? WARNING : GOOD;
	tls_close(&c);
}

/* ---- PKI ---- */

static void go_time(struct cf_buf *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char b[40];
	strftime(b, sizeof b, "\"%Y-%m-%dT%H:%M:%SZ\"", &tm);
	cf_buf_printf(out, "%s", b);
}

static void scan_expiration(const struct scan_ctx *x, struct result *r)
{
	struct cf_bundle_pool chain = {0};
	if (get_chain(x, x->addr, &chain, &r->err) == 0) {
		int64_t exp = chain.v[0]->not_after;
		for (size_t i = 0; i < chain.n; i++)
			if (chain.v[i]->not_after < exp)
				exp = chain.v[i]->not_after;
		go_time(&r->out, exp);
		if (x->now > exp)
			r->grade = BAD;
		else if (x->now + 30 * 86400 > exp)
			r->grade = WARNING;
		else
			r->grade = GOOD;
	}
	cf_bundle_pool_release(&chain);
}

static void cn_of(const struct cf_bundle_cert *c, char *buf, size_t n)
{
	size_t len = n;
	buf[0] = 0;
	if (gnutls_x509_crt_get_dn_by_oid(c->crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &len) < 0)
		buf[0] = 0;
}

/* helpers.MonthsValid / ValidExpiry */
static int valid_expiry(const struct cf_bundle_cert *c)
{
	time_t nb = (time_t)c->not_before, na = (time_t)c->not_after;
	struct tm i, e;
	gmtime_r(&nb, &i);
	gmtime_r(&na, &e);
	int months = (e.tm_year - i.tm_year) * 12 + e.tm_mon - i.tm_mon;
	if (e.tm_mday > i.tm_mday)
		months++;
	int max;
	if (c->not_before > 1427846400) /* 2015-04-01 */
		max = 39;
	else if (c->not_before > 1341100800) /* 2012-07-01 */
		max = 60;
	else
		max = 120;
	return months <= max;
}

static int has_revocation_source(const struct cf_bundle_cert *c)
{
	char buf[8];
	size_t n = sizeof buf;
	unsigned reasons;
	int r = gnutls_x509_crt_get_crl_dist_points(c->crt, 0, buf, &n, &reasons, NULL);
	if (r != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 1;
	gnutls_datum_t d;
	r = gnutls_x509_crt_get_authority_info_access(c->crt, 0, GNUTLS_IA_OCSP_URI, &d, NULL);
	if (r >= 0) {
		gnutls_free(d.data);
		return 1;
	}
	return 0;
}

static void scan_validation(const struct scan_ctx *x, struct result *r)
{
	struct cf_bundle_pool chain = {0};
	struct cf_buf warn = CF_BUF_INIT;
	int nwarn = 0;
	if (get_chain(x, x->addr, &chain, &r->err) < 0)
		goto out;
	for (size_t i = 0; i + 1 < chain.n; i++) {
		const struct cf_bundle_cert *cert = chain.v[i], *parent = chain.v[i + 1];
		char cn[256], pcn[256];
		struct cf_buf m = CF_BUF_INIT;
		cn_of(cert, cn, sizeof cn);
		cn_of(parent, pcn, sizeof pcn);
#define WARN(...)                                                    \
	do {                                                         \
		cf_buf_printf(&m, __VA_ARGS__);                      \
		cf_buf_addc(&warn, nwarn++ ? ',' : '[');             \
		cf_gojson_quote(&warn, (const char *)m.data, m.len); \
		m.len = 0;                                           \
	} while (0)
		if (!valid_expiry(cert))
			WARN("Certificate for %s is valid for too long", cn);
		/* revoke.VerifyCertificate: outside its validity a certificate counts as revoked.
		 * Go compares the clock with its fraction of a second: a certificate whose
		 * notBefore is the current whole second is already valid. */
		if (x->now >= cert->not_after || x->now < cert->not_before) {
			cf_buf_printf(&r->err, "%s is revoked", cn);
			cf_buf_release(&m);
			goto out;
		}
		if (has_revocation_source(cert))
			WARN("couldn't check if %s is revoked", cn);
		if (!parent->is_ca) {
			cf_buf_printf(&r->err, "%s is not a CA", pcn);
			cf_buf_release(&m);
			goto out;
		}
		if (cert->aki_len != parent->ski_len ||
		    memcmp(cert->aki, parent->ski, cert->aki_len) != 0) {
			cf_buf_printf(&r->err, "%s AuthorityKeyId differs from %s SubjectKeyId", cn,
				      pcn);
			cf_buf_release(&m);
			goto out;
		}
		unsigned vs = 0;
		if (gnutls_x509_crt_verify(cert->crt, &parent->crt, 1,
					   GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
						   GNUTLS_VERIFY_ALLOW_X509_V1_CA_CRT |
						   GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
					   &vs) < 0 ||
		    (vs & GNUTLS_CERT_SIGNATURE_FAILURE)) {
			cf_buf_printf(&r->err, "crypto/ecdsa: verification error");
			cf_buf_release(&m);
			goto out;
		}
		int alg = gnutls_x509_crt_get_signature_algorithm(cert->crt);
		if (alg == GNUTLS_SIGN_ECDSA_SHA1)
			WARN("%s is signed by ECDSAWithSHA1", cn);
		else if (alg == GNUTLS_SIGN_RSA_SHA1)
			WARN("%s is signed by RSAWithSHA1", cn);
		cf_buf_release(&m);
#undef WARN
	}
	if (nwarn) {
		cf_buf_addc(&warn, ']');
		cf_buf_add(&r->out, warn.data, warn.len);
		r->grade = WARNING;
	} else {
		r->grade = GOOD;
	}
out:
	cf_buf_release(&warn);
	cf_bundle_pool_release(&chain);
}

static int same_leaf(const struct scan_ctx *x, const char *addrport, void *arg, enum grade *g,
		     struct cf_buf *out, struct cf_buf *err)
{
	(void)out;
	const struct cf_bundle_pool *first = arg;
	struct cf_bundle_pool chain = {0};
	struct cf_buf e = CF_BUF_INIT;
	*g = GOOD;
	int ret = 0;
	/* as cfssl: a failed dial here counts as Good */
	if (get_chain(x, addrport, &chain, &e) == 0 &&
	    (chain.v[0]->len != first->v[0]->len ||
	     memcmp(chain.v[0]->der, first->v[0]->der, first->v[0]->len) != 0)) {
		char a[256], b[256];
		cn_of(chain.v[0], a, sizeof a);
		cn_of(first->v[0], b, sizeof b);
		cf_buf_printf(err, "%s not equal to %s", a, b);
		*g = BAD;
		ret = -1;
	}
	cf_buf_release(&e);
	cf_bundle_pool_release(&chain);
	return ret;
}

static void scan_multiple(const struct scan_ctx *x, struct result *r)
{
	struct cf_bundle_pool first = {0};
	if (get_chain(x, x->addr, &first, &r->err) == 0)
		r->grade = multiscan(x, same_leaf, &first, NULL, &r->err);
	cf_bundle_pool_release(&first);
}

/* ---- TLSSession ---- */

static int resumes(const struct scan_ctx *x, const char *addrport, void *arg, enum grade *g,
		   struct cf_buf *out, struct cf_buf *err)
{
	const gnutls_datum_t *data = arg;
	struct tls_conn c;
	if (tls_dial(addrport, x->hostname, data, &c, err) < 0)
		return -1;
	int yes = gnutls_session_is_resumed(c.s) != 0;
	tls_close(&c);
	*g = yes ? GOOD : BAD;
	cf_buf_printf(out, yes ? "true" : "false");
	return 0;
}

static void scan_resume(const struct scan_ctx *x, struct result *r)
{
	struct tls_conn c;
	gnutls_datum_t data = {NULL, 0};
	if (tls_dial(x->addr, x->hostname, NULL, &c, &r->err) < 0)
		return;
	int e = gnutls_session_get_data2(c.s, &data);
	tls_close(&c);
	if (e < 0) {
		cf_buf_printf(&r->err, "tls: %s", gnutls_strerror(e));
		return;
	}
	r->grade = multiscan(x, resumes, &data, &r->out, &r->err);
	if (r->err.len)
		r->out.len = 0;
	gnutls_free(data.data);
}

/* ---- TLSHandshake ---- */

/* Every signature and hash pair cfssl offers, as (hash, signature), in its order. */
static const uint8_t all_sigalgs[][2] = {{4, 1}, {4, 3}, {5, 1}, {5, 3}, {2, 1}, {2, 3}};
static const char *const hash_names[] = {"None",   "MD5",    "SHA1",  "SHA224",
					 "SHA256", "SHA384", "SHA512"};
static const char *const sig_names[] = {"Anon", "RSA", "DSA", "ECDSA"};
#define N_SIGALGS (sizeof all_sigalgs / sizeof all_sigalgs[0])

/* The curves cfssl offers: every named one of its table but the unassigned 0 (no explicit
 * curves, RFC 4492 §5.4). */
#define N_CURVES 28

/* The suites the ECCurves scanner offers (cfssl's allECDHECiphersIDs). */
static const uint16_t ecdhe_ciphers[] = {
	0xC006, 0xC007, 0xC008, 0xC009, 0xC00A, 0xC010, 0xC011, 0xC012, 0xC013, 0xC014,
	0xC023, 0xC024, 0xC027, 0xC028, 0xC02B, 0xC02C, 0xC02F, 0xC030, 0xC048, 0xC049,
	0xC04C, 0xC04D, 0xC05D, 0xC060, 0xC061, 0xC072, 0xC073, 0xC076, 0xC077, 0xC086,
	0xC087, 0xC08A, 0xC08B, 0xC08C, 0xC0AC, 0xC0AD, 0xC0AE, 0xC0AF, 0xCC13, 0xCC14,
};

#define TLS12 0x0303
#define SSL30 0x0300

static void all_curves(uint16_t *v)
{
	for (int i = 0; i < N_CURVES; i++)
		v[i] = (uint16_t)(i + 1);
}

static uint16_t *all_ciphers(void)
{
	uint16_t *v = cf_xcalloc(cf_tls_suites_len, sizeof *v);
	for (size_t i = 0; i < cf_tls_suites_len; i++)
		v[i] = cf_tls_suites[i].id;
	return v;
}

enum hello { HELLO_OK, HELLO_FAILED, HELLO_ERROR, HELLO_TIMEOUT };

/* Sends one ClientHello and reads the server's flight up to its key exchange. */
static enum hello hello_exchange(const struct scan_ctx *x, const struct cf_tls_hello *h,
				 struct cf_tls_flight *f, struct cf_buf *err)
{
	if (now_ms() >= x->deadline)
		return HELLO_TIMEOUT;
	int fd = dial_tcp(x->addr, err);
	if (fd < 0)
		return HELLO_ERROR;
	struct cf_buf msg = CF_BUF_INIT, in = CF_BUF_INIT;
	enum hello rc = HELLO_FAILED;
	cf_tls_hello_build(h, &msg);
	for (size_t off = 0; off < msg.len;) {
		ssize_t n = send(fd, msg.data + off, msg.len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* as cfssl: the read below tells */
		off += (size_t)n;
	}
	for (;;) {
		long long left = x->deadline - now_ms();
		if (left <= 0) {
			rc = HELLO_TIMEOUT;
			break;
		}
		struct pollfd pfd = {fd, POLLIN, 0};
		int pr = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			break;
		if (pr == 0)
			continue;
		unsigned char chunk[4096];
		ssize_t n = recv(fd, chunk, sizeof chunk, 0);
		if (n < 0 && errno == EINTR)
			continue;
		/* a flight is three messages of at most 64 KiB: far more is no TLS server */
		if (n <= 0 || in.len > 1024 * 1024)
			break;
		cf_buf_add(&in, chunk, (size_t)n);
		int p = cf_tls_flight_parse(in.data, in.len, f);
		if (p < 0)
			break;
		if (p > 0) {
			rc = HELLO_OK;
			break;
		}
	}
	close(fd);
	cf_buf_release(&msg);
	cf_buf_release(&in);
	return rc;
}

/* cfssl's sayHello: offers @ciphers, @curves (none: all), version @vers and @sigalgs (NULL:
 * all; an empty list leaves the extension out). HELLO_OK with the index in @ciphers of the
 * suite chosen and, for an ec suite, the index in the curves of the curve chosen, and the
 * leaf into @leaf when non-NULL; HELLO_FAILED for cfssl's "Handshake failed"; HELLO_ERROR
 * with cfssl's text in @err (a failed dial, a version, suite or curve not offered); or
 * HELLO_TIMEOUT. */
static enum hello say_hello(const struct scan_ctx *x, const uint16_t *ciphers, size_t nc,
			    const uint16_t *curves, size_t ncv, uint16_t vers,
			    const uint8_t (*sigalgs)[2], size_t ns, size_t *ci, size_t *cvi,
			    struct cf_buf *leaf, struct cf_buf *err)
{
	uint16_t every[N_CURVES];
	if (!curves) {
		all_curves(every);
		curves = every;
		ncv = N_CURVES;
	}
	if (!sigalgs) {
		sigalgs = all_sigalgs;
		ns = N_SIGALGS;
	}
	/* an empty curve list offers Go's default preferences */
	static const uint16_t default_curves[] = {23, 24, 25};
	struct cf_tls_hello h = {vers,
				 ciphers,
				 nc,
				 ncv ? curves : default_curves,
				 ncv ? ncv : 3,
				 (const uint8_t *)sigalgs,
				 ns,
				 x->hostname};
	struct cf_tls_flight f = {0};
	enum hello rc = hello_exchange(x, &h, &f, err);
	if (rc != HELLO_OK)
		goto out;
	if (leaf)
		cf_buf_add(leaf, f.leaf, f.leaf_len);
	if (f.version != vers) {
		cf_buf_printf(err, "server negotiated protocol version we didn't send: %s",
			      cf_tls_version_name(f.version));
		rc = HELLO_ERROR;
		goto out;
	}
	/* as cfssl: an index not found is the last one, and an ec suite's curve check replaces
	 * the suite's */
	*ci = nc ? nc - 1 : 0;
	int found = 0;
	for (size_t i = 0; i < nc && !found; i++)
		if (ciphers[i] == f.cipher) {
			*ci = i;
			found = 1;
		}
	const struct cf_tls_suite *s = cf_tls_suite_find(f.cipher);
	if (s && s->ec) {
		*cvi = ncv ? ncv - 1 : 0;
		found = 0;
		for (size_t i = 0; i < ncv && !found; i++)
			if (curves[i] == f.curve) {
				*cvi = i;
				found = 1;
			}
		if (!found)
			cf_buf_printf(err, "server negotiated elliptic curve we didn't send: %s",
				      cf_tls_curve_name(f.curve));
	} else {
		*cvi = 0;
		if (!found)
			cf_buf_printf(err, "server negotiated ciphersuite we didn't send: %s",
				      cf_tls_suite_string(f.cipher));
	}
	if (!found)
		rc = HELLO_ERROR;
out:
	cf_tls_flight_release(&f);
	return rc;
}

/* Whether @p ends in a rune Go's unicode.IsSpace accepts: bytes.TrimSpace would cut it. */
static int ends_in_go_space(const uint8_t *p, size_t n)
{
	if (n >= 1 && (p[n - 1] == ' ' || (p[n - 1] >= '\t' && p[n - 1] <= '\r')))
		return 1;
	/* U+0085, U+00A0 */
	if (n >= 2 && p[n - 2] == 0xC2 && (p[n - 1] == 0x85 || p[n - 1] == 0xA0))
		return 1;
	if (n < 3)
		return 0;
	const uint8_t *t = p + n - 3;
	/* U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 */
	return (t[0] == 0xE1 && t[1] == 0x9A && t[2] == 0x80) ||
	       (t[0] == 0xE2 && t[1] == 0x80 &&
		(t[2] <= 0x8A || t[2] == 0xA8 || t[2] == 0xA9 || t[2] == 0xAF) && t[2] >= 0x80) ||
	       (t[0] == 0xE2 && t[1] == 0x81 && t[2] == 0x9F) ||
	       (t[0] == 0xE3 && t[1] == 0x80 && t[2] == 0x80);
}

/* helpers.SignatureString of the certificate's algorithm. As cfssl, whose
 * ParseCertificatesDER trims white space first, a DER certificate whose last bytes read as a
 * space character fails to decode. */
static const char *leaf_signature(const struct cf_buf *der, struct cf_buf *err)
{
	gnutls_x509_crt_t c = NULL;
	if (ends_in_go_space(der->data, der->len) ||
	    cf_crt_import_der(der->data, der->len, &c, NULL) < 0) {
		cf_buf_printf(err, "{\"code\":1002,\"message\":\"Failed to decode certificate\"}");
		return NULL;
	}
	int algo = gnutls_x509_crt_get_signature_algorithm(c);
	gnutls_x509_crt_deinit(c);
	switch (algo) {
	case GNUTLS_SIGN_RSA_MD2: return "MD2WithRSA";
	case GNUTLS_SIGN_RSA_MD5: return "MD5WithRSA";
	case GNUTLS_SIGN_RSA_SHA1: return "SHA1WithRSA";
	case GNUTLS_SIGN_RSA_SHA256: return "SHA256WithRSA";
	case GNUTLS_SIGN_RSA_SHA384: return "SHA384WithRSA";
	case GNUTLS_SIGN_RSA_SHA512: return "SHA512WithRSA";
	case GNUTLS_SIGN_DSA_SHA1: return "DSAWithSHA1";
	case GNUTLS_SIGN_DSA_SHA256: return "DSAWithSHA256";
	case GNUTLS_SIGN_ECDSA_SHA1: return "ECDSAWithSHA1";
	case GNUTLS_SIGN_ECDSA_SHA256: return "ECDSAWithSHA256";
	case GNUTLS_SIGN_ECDSA_SHA384: return "ECDSAWithSHA384";
	case GNUTLS_SIGN_ECDSA_SHA512: return "ECDSAWithSHA512";
	}
	return "Unknown Signature";
}

/* A Go map[string]string as encoding/json writes it: members sorted by key. */
struct str_pair {
	char *key;
	const char *value;
};

static int pair_cmp(const void *a, const void *b)
{
	return strcmp(((const struct str_pair *)a)->key, ((const struct str_pair *)b)->key);
}

static void string_map_json(struct cf_buf *out, struct str_pair *v, size_t n)
{
	qsort(v, n, sizeof *v, pair_cmp);
	cf_buf_addc(out, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			cf_buf_addc(out, ',');
		cf_gojson_quote(out, v[i].key, strlen(v[i].key));
		cf_buf_addc(out, ':');
		cf_gojson_quote(out, v[i].value, strlen(v[i].value));
	}
	cf_buf_addc(out, '}');
}

static void scan_sigalgs(const struct scan_ctx *x, struct result *r)
{
	uint16_t *ciphers = all_ciphers();
	int n = 0;
	for (size_t i = 0; i < N_SIGALGS; i++) {
		size_t ci, cvi;
		struct cf_buf e = CF_BUF_INIT;
		enum hello rc = say_hello(x, ciphers, cf_tls_suites_len, NULL, 0, TLS12,
					  &all_sigalgs[i], 1, &ci, &cvi, NULL, &e);
		cf_buf_release(&e);
		if (rc == HELLO_TIMEOUT) {
			r->timed_out = 1;
			goto out;
		}
		if (rc != HELLO_OK)
			continue;
		cf_buf_addc(&r->out, n++ ? ',' : '[');
		cf_buf_printf(&r->out, "{\"signature\":\"%s\",\"hash\":\"%s\"}",
			      sig_names[all_sigalgs[i][1]], hash_names[all_sigalgs[i][0]]);
	}
	if (n) {
		cf_buf_addc(&r->out, ']');
		r->grade = GOOD;
	} else {
		cf_buf_printf(&r->err, "no SigAlgs supported");
	}
out:
	free(ciphers);
}

/* CertsBySigAlgs (@by_cipher 0) and CertsByCiphers (1): the leaf's signature algorithm for
 * each offer the server takes. */
static void certs_by(const struct scan_ctx *x, struct result *r, int by_cipher)
{
	uint16_t *ciphers = all_ciphers();
	size_t tries = by_cipher ? cf_tls_suites_len : N_SIGALGS;
	struct str_pair *found = cf_xcalloc(tries, sizeof *found);
	size_t n = 0;
	for (size_t i = 0; i < tries; i++) {
		size_t ci, cvi;
		struct cf_buf e = CF_BUF_INIT, leaf = CF_BUF_INIT;
		enum hello rc = by_cipher ? say_hello(x, &ciphers[i], 1, NULL, 0, TLS12,
						      all_sigalgs, 0, &ci, &cvi, &leaf, &e)
					  : say_hello(x, ciphers, cf_tls_suites_len, NULL, 0, TLS12,
						      &all_sigalgs[i], 1, &ci, &cvi, &leaf, &e);
		cf_buf_release(&e);
		if (rc == HELLO_TIMEOUT) {
			r->timed_out = 1;
			cf_buf_release(&leaf);
			goto out;
		}
		if (rc != HELLO_OK) {
			cf_buf_release(&leaf);
			continue;
		}
		const char *sig = leaf_signature(&leaf, &r->err);
		cf_buf_release(&leaf);
		if (!sig)
			goto out; /* Bad, the parse error */
		struct cf_buf key = CF_BUF_INIT;
		if (by_cipher)
			cf_buf_adds(&key, cf_tls_suites[i].name);
		else
			cf_buf_printf(&key, "{%s,%s}", sig_names[all_sigalgs[i][1]],
				      hash_names[all_sigalgs[i][0]]);
		found[n].key = (char *)cf_buf_detach(&key, NULL);
		found[n++].value = sig;
	}
	if (n) {
		string_map_json(&r->out, found, n);
		r->grade = GOOD;
	} else {
		cf_buf_printf(&r->err, by_cipher ? "no cipher supported" : "no SigAlgs supported");
	}
out:
	for (size_t i = 0; i < n; i++)
		free(found[i].key);
	free(found);
	free(ciphers);
}

static void scan_certs_by_sigalgs(const struct scan_ctx *x, struct result *r)
{
	certs_by(x, r, 0);
}

static void scan_certs_by_ciphers(const struct scan_ctx *x, struct result *r)
{
	certs_by(x, r, 1);
}

static void remove_at(uint16_t *v, size_t *n, size_t i)
{
	memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
	(*n)--;
}

static void scan_eccurves(const struct scan_ctx *x, struct result *r)
{
	uint16_t curves[N_CURVES];
	size_t n = N_CURVES, found = 0;
	all_curves(curves);
	struct cf_buf list = CF_BUF_INIT;
	while (n > 0) {
		size_t ci, cvi;
		struct cf_buf e = CF_BUF_INIT;
		enum hello rc =
			say_hello(x, ecdhe_ciphers, sizeof ecdhe_ciphers / sizeof ecdhe_ciphers[0],
				  curves, n, TLS12, NULL, 0, &ci, &cvi, NULL, &e);
		if (rc == HELLO_FAILED) {
			cf_buf_release(&e);
			break; /* expected: in the end only curves the server lacks are left */
		}
		if (rc != HELLO_OK) {
			/* Bad, no output */
			r->timed_out = rc == HELLO_TIMEOUT;
			cf_buf_add(&r->err, e.data, e.len);
			cf_buf_release(&e);
			cf_buf_release(&list);
			return;
		}
		cf_buf_release(&e);
		const char *name = cf_tls_curve_name(curves[cvi]);
		cf_buf_addc(&list, found++ ? ',' : '[');
		cf_gojson_quote(&list, name, strlen(name));
		remove_at(curves, &n, cvi);
	}
	if (found) {
		cf_buf_addc(&list, ']');
		cf_buf_add(&r->out, list.data, list.len);
	} else {
		cf_buf_adds(&r->out, "null"); /* a nil slice, as cfssl */
	}
	cf_buf_release(&list);
	r->grade = GOOD;
}

/* cfssl's doCurveScan: the curves the server takes with suite @cipher at version @vers, in the
 * order it picks them. HELLO_OK (the scan ended with a refusal), HELLO_ERROR with @err, or
 * HELLO_TIMEOUT. */
static enum hello curve_scan(const struct scan_ctx *x, uint16_t vers, uint16_t cipher,
			     uint16_t *out, size_t *nout, struct cf_buf *err)
{
	uint16_t curves[N_CURVES];
	size_t n = N_CURVES;
	all_curves(curves);
	*nout = 0;
	while (n > 0) {
		size_t ci, cvi;
		enum hello rc =
			say_hello(x, &cipher, 1, curves, n, vers, NULL, 0, &ci, &cvi, NULL, err);
		if (rc == HELLO_FAILED)
			break;
		if (rc != HELLO_OK)
			return rc;
		out[(*nout)++] = curves[cvi];
		remove_at(curves, &n, cvi);
	}
	return HELLO_OK;
}

/* What CipherSuite found of one suite: the versions, each with its curves. */
struct suite_found {
	uint16_t cipher;
	size_t nv;
	struct {
		uint16_t vers;
		size_t ncurves;
		uint16_t curves[N_CURVES];
	} v[4];
};

static void suites_json(struct cf_buf *out, const struct suite_found *s, size_t n)
{
	cf_buf_addc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			cf_buf_addc(out, ',');
		const char *name = cf_tls_suite_string(s[i].cipher);
		cf_buf_addc(out, '{');
		cf_gojson_quote(out, name, strlen(name));
		cf_buf_printf(out, ":[");
		for (size_t j = 0; j < s[i].nv; j++) {
			if (j)
				cf_buf_addc(out, ',');
			const char *vers = cf_tls_version_name(s[i].v[j].vers);
			if (!s[i].v[j].ncurves) {
				cf_gojson_quote(out, vers, strlen(vers));
				continue;
			}
			cf_buf_addc(out, '{');
			cf_gojson_quote(out, vers, strlen(vers));
			cf_buf_printf(out, ":[");
			for (size_t k = 0; k < s[i].v[j].ncurves; k++) {
				const char *c = cf_tls_curve_name(s[i].v[j].curves[k]);
				if (k)
					cf_buf_addc(out, ',');
				cf_gojson_quote(out, c, strlen(c));
			}
			cf_buf_printf(out, "]}");
		}
		cf_buf_printf(out, "]}");
	}
	cf_buf_addc(out, ']');
}

static void scan_ciphersuite(const struct scan_ctx *x, struct result *r)
{
	struct suite_found *found = cf_xcalloc(cf_tls_suites_len, sizeof *found);
	size_t nfound = 0;
	enum grade grade = BAD;
	/* cfssl's err: what the last step left, reported with the output */
	struct cf_buf err = CF_BUF_INIT;
	for (uint16_t vers = TLS12; vers >= SSL30; vers--) {
		uint16_t *ciphers = all_ciphers();
		size_t n = cf_tls_suites_len;
		while (n > 0) {
			size_t ci, cvi;
			err.len = 0;
			enum hello rc = say_hello(x, ciphers, n, NULL, 0, vers, NULL, 0, &ci, &cvi,
						  NULL, &err);
			if (rc == HELLO_FAILED) {
				err.len = 0;
				break;
			}
			if (rc != HELLO_OK) {
				r->timed_out = rc == HELLO_TIMEOUT;
				r->grade = grade;
				cf_buf_add(&r->err, err.data, err.len);
				free(ciphers);
				goto out;
			}
			if (vers == SSL30)
				grade = WARNING;
			uint16_t cipher = ciphers[ci];
			uint16_t curves[N_CURVES];
			size_t ncurves = 0;
			const struct cf_tls_suite *s = cf_tls_suite_find(cipher);
			if (s && s->ec) {
				err.len = 0;
				enum hello c = curve_scan(x, vers, cipher, curves, &ncurves, &err);
				if (c == HELLO_TIMEOUT) {
					r->timed_out = 1;
					free(ciphers);
					goto out;
				}
				if (ncurves == 0) {
					err.len = 0;
					cf_buf_printf(&err, "couldn't negotiate any curves");
				}
			}
			size_t k = 0;
			while (k < nfound && found[k].cipher != cipher)
				k++;
			if (k == nfound)
				found[nfound++].cipher = cipher;
			struct suite_found *f = &found[k];
			f->v[f->nv].vers = vers;
			f->v[f->nv].ncurves = ncurves;
			memcpy(f->v[f->nv].curves, curves, ncurves * sizeof curves[0]);
			f->nv++;
			remove_at(ciphers, &n, ci);
		}
		free(ciphers);
	}
	if (nfound == 0) {
		r->grade = BAD;
		cf_buf_printf(&r->err, "couldn't negotiate any cipher suites");
		goto out;
	}
	r->grade = grade == WARNING ? WARNING : GOOD;
	suites_json(&r->out, found, nfound);
	if (err.len)
		cf_buf_add(&r->err, err.data, err.len);
out:
	cf_buf_release(&err);
	free(found);
}

/* ---- Broad ---- */

/* cfssl's bundler stores, fixed paths in its scanner. */
#define BROAD_CA_BUNDLE  "/etc/cfssl/ca-bundle.crt"
#define BROAD_INT_BUNDLE "/etc/cfssl/int-bundle.crt"

/* net.ParseCIDR: the network's first address in @ip (4 or 16 bytes, @len), its prefix length
 * in @bits; 0 if @s is no CIDR. */
static int parse_cidr(const char *s, unsigned char ip[16], size_t *len, int *bits)
{
	const char *slash = strchr(s, '/');
	if (!slash || slash == s || !slash[1])
		return 0;
	char addr[INET6_ADDRSTRLEN + 1];
	if ((size_t)(slash - s) >= sizeof addr)
		return 0;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (inet_pton(AF_INET, addr, ip) == 1)
		*len = 4;
	else if (inet_pton(AF_INET6, addr, ip) == 1)
		*len = 16;
	else
		return 0;
	int n = 0;
	const char *p = slash + 1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((n = n * 10 + (*p - '0')) > 128)
			return 0;
	if (*p || n > (int)(8 * *len))
		return 0;
	*bits = n;
	for (size_t i = 0; i < *len; i++) {
		int keep = n >= 8 ? 8 : n > 0 ? n : 0;
		ip[i] &= (unsigned char)(0xff00 >> keep);
		n -= 8;
	}
	return 1;
}

static int in_net(const unsigned char *ip, const unsigned char *net, size_t len, int bits)
{
	for (size_t i = 0; i < len && bits > 0; i++, bits -= 8) {
		unsigned char mask = (unsigned char)(0xff00 >> (bits >= 8 ? 8 : bits));
		if ((ip[i] & mask) != net[i])
			return 0;
	}
	return 1;
}

/* IntermediateCAs: for a host given as a CIDR range, cfssl dials every address of the range
 * and feeds the chains to a bundler that keeps nothing: its result is Good and nothing else
 * once its stores load. A host that is no range is Skipped. */
static void scan_intermediates(const struct scan_ctx *x, struct result *r)
{
	char *host = NULL, *port = NULL;
	unsigned char ip[16];
	size_t len = 0;
	int bits = 0;
	if (!split_host_port(x->addr, &host, &port) || !parse_cidr(host, ip, &len, &bits)) {
		r->grade = SKIPPED;
		goto out;
	}
	struct cf_bundler b = {0};
	struct cf_error e = {0};
	if (cf_bundler_load(BROAD_CA_BUNDLE, BROAD_INT_BUNDLE, "", &b, &e) < 0) {
		char msg[CF_ERROR_MSG_MAX];
		cf_error_render(&e, msg, sizeof msg);
		cf_buf_adds(&r->err, msg);
		cf_bundler_release(&b);
		goto out;
	}
	cf_bundler_release(&b);
	unsigned char net[16];
	memcpy(net, ip, len);
	for (;;) {
		if (now_ms() >= x->deadline) {
			r->timed_out = 1;
			goto out;
		}
		char text[INET6_ADDRSTRLEN];
		inet_ntop(len == 4 ? AF_INET : AF_INET6, ip, text, sizeof text);
		struct cf_buf a = CF_BUF_INIT, derr = CF_BUF_INIT;
		join_host_port(&a, text, port);
		struct tls_conn c;
		if (tls_dial((const char *)a.data, "", NULL, &c, &derr) == 0)
			tls_close(&c);
		cf_buf_release(&a);
		cf_buf_release(&derr);
		/* the next address, while it stays in the range */
		size_t i = len;
		while (i > 0 && ++ip[i - 1] == 0)
			i--;
		if (i == 0 || !in_net(ip, net, len, bits))
			break;
	}
	r->grade = GOOD;
out:
	free(host);
	free(port);
}

static const struct scanner {
	const char *family, *name;
	void (*fn)(const struct scan_ctx *x, struct result *r);
} scanners[] = {
	/* sorted by family, then name: the order Go's encoding/json writes the maps in */
	{"Broad", "IntermediateCAs", scan_intermediates},
	{"Connectivity", "CloudFlareStatus", scan_cloudflare},
	{"Connectivity", "DNSLookup", scan_dns},
	{"Connectivity", "TCPDial", scan_tcp},
	{"Connectivity", "TLSDial", scan_tls},
	{"PKI", "ChainExpiration", scan_expiration},
	{"PKI", "ChainValidation", scan_validation},
	{"PKI", "MultipleCerts", scan_multiple},
	{"TLSHandshake", "CertsByCiphers", scan_certs_by_ciphers},
	{"TLSHandshake", "CertsBySigAlgs", scan_certs_by_sigalgs},
	{"TLSHandshake", "CipherSuite", scan_ciphersuite},
	{"TLSHandshake", "ECCurves", scan_eccurves},
	{"TLSHandshake", "SigAlgs", scan_sigalgs},
	{"TLSSession", "SessionResume", scan_resume},
};

static void go_duration(struct cf_buf *out, int64_t ns)
{
	/* the common cases of Go's Duration.String: whole seconds, minutes, hours */
	int64_t s = ns / 1000000000LL;
	if (ns % 1000000000LL || s == 0) {
		cf_buf_printf(out, "%lldms", (long long)(ns / 1000000));
		return;
	}
	if (s >= 3600)
		cf_buf_printf(out, "%lldh", (long long)(s / 3600));
	if (s >= 60)
		cf_buf_printf(out, "%lldm", (long long)(s % 3600 / 60));
	cf_buf_printf(out, "%llds", (long long)(s % 60));
}

/* One scan of one host: its scanners run side by side, each in a thread of its own (cfssl's
 * goroutine per scanner), and hand their results to the caller, which stops waiting once no
 * result came for the timeout (cfssl's copyResults re-arms time.After for each result). A
 * scanner still running then finishes on its own: the last of the caller and the scanners
 * to leave frees the run. */
#define NSCANNERS (sizeof scanners / sizeof scanners[0])
struct scan_run {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs, ndone;
	char *addr, *hostname, *ca_bundle;
	struct scan_ctx x;
	struct scan_slot {
		const struct scanner *s;
		struct result r;
		int selected, done;
		struct scan_run *run;
	} slot[NSCANNERS];
};

static void run_release(struct scan_run *run)
{
	pthread_mutex_lock(&run->mu);
	int last = --run->refs == 0;
	pthread_mutex_unlock(&run->mu);
	if (!last)
		return;
	for (size_t i = 0; i < NSCANNERS; i++) {
		cf_buf_release(&run->slot[i].r.out);
		cf_buf_release(&run->slot[i].r.err);
	}
	pthread_mutex_destroy(&run->mu);
	pthread_cond_destroy(&run->cv);
	free(run->addr);
	free(run->hostname);
	free(run->ca_bundle);
	free(run);
}

/* @t: CLOCK_MONOTONIC now plus @ms */
static void mono_after(struct timespec *t, long long ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static void *run_scanner(void *arg)
{
	struct scan_slot *sl = arg;
	struct scan_run *run = sl->run;
	struct result r = {BAD, CF_BUF_INIT, CF_BUF_INIT, 0};
	sl->s->fn(&run->x, &r);
	pthread_mutex_lock(&run->mu);
	sl->r = r;
	sl->done = 1;
	run->ndone++;
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	run_release(run);
	return NULL;
}

int cf_scan_run(const char *host, const struct cf_scan_options *o, struct cf_buf *json,
		struct cf_error *err)
{
	char why[256];
	struct cf_regex *fre = cf_regex_compile_err(o->family ? o->family : "", why, sizeof why);
	if (!fre)
		return cf_error_set(err, CF_ERR_PLAIN, "%s", why);
	struct cf_regex *sre = cf_regex_compile_err(o->scanner ? o->scanner : "", why, sizeof why);
	if (!sre) {
		cf_regex_free(fre);
		return cf_error_set(err, CF_ERR_PLAIN, "%s", why);
	}
	char *hostname = NULL, *port = NULL;
	if (!split_host_port(host, &hostname, &port)) {
		hostname = strdup(host);
		port = strdup("443");
	}
	struct cf_buf addr = CF_BUF_INIT;
	join_host_port(&addr, o->ip && is_ip(o->ip) ? o->ip : hostname, port);
	long long timeout_ms = o->timeout_ns > 0 ? o->timeout_ns / 1000000 : 300000;

	struct scan_run *run = cf_xcalloc(1, sizeof *run);
	pthread_mutex_init(&run->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&run->cv, &ca);
	pthread_condattr_destroy(&ca);
	run->addr = cf_xstrdup((const char *)addr.data);
	run->hostname = cf_xstrdup(hostname);
	run->ca_bundle = cf_xstrdup(o->ca_bundle ? o->ca_bundle : "");
	run->x = (struct scan_ctx){run->addr, run->hostname, run->ca_bundle, (int64_t)time(NULL),
				   now_ms() + timeout_ms};
	run->refs = 1;
	int nsel = 0;
	for (size_t i = 0; i < NSCANNERS; i++) {
		struct scan_slot *sl = &run->slot[i];
		sl->s = &scanners[i];
		sl->run = run;
		sl->selected = cf_regex_match(fre, sl->s->family, strlen(sl->s->family)) &&
			       cf_regex_match(sre, sl->s->name, strlen(sl->s->name));
		if (!sl->selected)
			continue;
		pthread_t t;
		pthread_attr_t at;
		pthread_attr_init(&at);
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		pthread_mutex_lock(&run->mu);
		run->refs++;
		pthread_mutex_unlock(&run->mu);
		if (pthread_create(&t, &at, run_scanner, sl) != 0)
			run_scanner(sl); /* no thread: here (it drops the reference taken for it) */
		pthread_attr_destroy(&at);
		nsel++;
	}

	/* wait for the results, each within the timeout of the one before */
	int timed_out = 0;
	pthread_mutex_lock(&run->mu);
	int seen = run->ndone;
	struct timespec until;
	mono_after(&until, timeout_ms);
	while (run->ndone < nsel) {
		int rc = pthread_cond_timedwait(&run->cv, &run->mu, &until);
		if (run->ndone > seen) {
			seen = run->ndone;
			mono_after(&until, timeout_ms);
		} else if (rc == ETIMEDOUT) {
			timed_out = 1;
			break;
		}
	}
	const char *open_family = NULL;
	cf_buf_addc(json, '{');
	for (size_t i = 0; i < NSCANNERS; i++) {
		const struct scan_slot *sl = &run->slot[i];
		if (!sl->selected || !sl->done)
			continue;
		const struct result *r = &sl->r;
		if (r->timed_out) { /* it saw the scan's time run out: no result in time */
			timed_out = 1;
			continue;
		}
		if (r->err.len)
			cf_debug("scan: %s", (const char *)r->err.data);
		if (!open_family || strcmp(open_family, sl->s->family) != 0) {
			if (open_family)
				cf_buf_printf(json, "},");
			cf_gojson_quote(json, sl->s->family, strlen(sl->s->family));
			cf_buf_printf(json, ":{");
			open_family = sl->s->family;
		} else {
			cf_buf_addc(json, ',');
		}
		cf_gojson_quote(json, sl->s->name, strlen(sl->s->name));
		cf_buf_printf(json, ":{\"grade\":\"%s\"", grade_names[r->grade]);
		if (r->out.len) {
			cf_buf_printf(json, ",\"output\":");
			cf_buf_add(json, r->out.data, r->out.len);
		}
		if (r->err.len) {
			cf_buf_printf(json, ",\"error\":");
			cf_gojson_quote(json, (const char *)r->err.data, r->err.len);
		}
		cf_buf_addc(json, '}');
	}
	pthread_mutex_unlock(&run->mu);
	if (timed_out) {
		struct cf_buf d = CF_BUF_INIT;
		go_duration(&d, o->timeout_ns);
		cf_warning("Scan timed out after %s", (const char *)d.data);
		cf_buf_release(&d);
	}
	run_release(run);
	if (open_family)
		cf_buf_addc(json, '}');
	cf_buf_addc(json, '}');
	cf_buf_release(&addr);
	free(hostname);
	free(port);
	cf_regex_free(fre);
	cf_regex_free(sre);
	return 0;
}

void cf_scan_indent(struct cf_buf *out, const char *d, size_t len)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = d[i];
		if (in_str) {
			cf_buf_addc(out, ch);
			if (ch == '\\' && i + 1 < len)
				cf_buf_addc(out, d[++i]);
			else if (ch == '"')
				in_str = 0;
			continue;
		}
		switch (ch) {
		case '"':
			in_str = 1;
			cf_buf_addc(out, ch);
			break;
		case '{':
		case '[':
			cf_buf_addc(out, ch);
			if (i + 1 < len && (d[i + 1] == '}' || d[i + 1] == ']')) {
				cf_buf_addc(out, d[++i]);
				break;
			}
			depth++;
			cf_buf_addc(out, '\n');
			for (int k = 0; k < depth; k++)
				cf_buf_printf(out, "  ");
			break;
		case '}':
		case ']':
			depth--;
			cf_buf_addc(out, '\n');
			for (int k = 0; k < depth; k++)
				cf_buf_printf(out, "  ");
			cf_buf_addc(out, ch);
			break;
		case ',':
			cf_buf_addc(out, ch);
			cf_buf_addc(out, '\n');
			for (int k = 0; k < depth; k++)
				cf_buf_printf(out, "  ");
			break;
		case ':': cf_buf_printf(out, ": "); break;
		default: cf_buf_addc(out, ch);
		}
	}
}
