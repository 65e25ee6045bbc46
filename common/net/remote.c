/* The client side of cfssl's API on libcurl (cfssl-serve.md §6). */
#include "remote.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "base64.h"
#include "fileio.h"
#include "gojson.h"
#include "goquote.h"
#include "log.h"
#include "pem.h"

struct server {
	char *url;
	char *host; /* the URL's host as Go's request sees it (escaped) */
};

struct cf_remote {
	struct server *srv;
	size_t nsrv;
	char *ca_file, *cert_file, *key_file;
	long connect_timeout_ms, timeout_ms;
};

/* ---- address normalisation: Go's url.Parse, url.String and cfssl's normalizeURL ---- */

struct gourl {
	struct cf_buf scheme, opaque, user, host, path, query, frag;
	int has_user, force_query, has_query, has_frag;
};

static void gourl_release(struct gourl *u)
{
	cf_buf_release(&u->scheme);
	cf_buf_release(&u->opaque);
	cf_buf_release(&u->user);
	cf_buf_release(&u->host);
	cf_buf_release(&u->path);
	cf_buf_release(&u->query);
	cf_buf_release(&u->frag);
}

static const char *bstr(const struct cf_buf *b)
{
	return b->data ? (const char *)b->data : "";
}

static void bset(struct cf_buf *b, const char *s, size_t n)
{
	b->len = 0;
	cf_buf_add(b, s, n);
}

static int ishex(int c)
{
	return isxdigit((unsigned char)c);
}

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (tolower(c) - 'a') + 10;
}

/* Go's shouldEscape for host names. */
static int host_should_escape(unsigned char c)
{
	if (isalnum(c))
		return 0;
	return !strchr("!$&'()*+,;=:[]<>\"-_.~", c) || c == '\0';
}

/* Go's unescape of a host: a %-escape it refuses, or a character a host may not hold. */
static int host_check(const char *s, size_t n, struct cf_error *err)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n || !ishex(s[i + 1]) || !ishex(s[i + 2])) {
				size_t m = n - i < 3 ? n - i : 3;
				return cf_error_set(err, CF_ERR_PLAIN,
						    "invalid URL escape \"%.*s\"", (int)m, s + i);
			}
			if (unhex(s[i + 1]) < 8 && strncmp(s + i, "%25", 3) != 0)
				return cf_error_set(err, CF_ERR_PLAIN,
						    "invalid URL escape \"%.3s\"", s + i);
			i += 2;
		} else if (c < 0x80 && host_should_escape(c)) {
			return cf_error_set(err, CF_ERR_PLAIN,
					    "invalid character \"%c\" in host name", c);
		}
	}
	return 0;
}

static int path_check(const char *s, size_t n, struct cf_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%')
			continue;
		if (i + 2 >= n || !ishex(s[i + 1]) || !ishex(s[i + 2])) {
			size_t m = n - i < 3 ? n - i : 3;
			return cf_error_set(err, CF_ERR_PLAIN, "invalid URL escape \"%.*s\"",
					    (int)m, s + i);
		}
		i += 2;
	}
	return 0;
}

/* parseHost's port check: ":digits" or nothing after the host (outside brackets). */
static int check_port(const char *host, size_t n, struct cf_error *err)
{
	const char *colon;
	if (n && host[0] == '[') {
		const char *end = memchr(host, ']', n);
		if (!end)
			return cf_error_set(err, CF_ERR_PLAIN, "missing ']' in host");
		colon = end + 1;
		if (colon == host + n)
			return 0;
		if (*colon != ':')
			goto bad;
	} else {
		colon = NULL;
		for (size_t i = n; i-- > 0;) {
			if (host[i] == ':') {
				colon = host + i;
				break;
			}
		}
		if (!colon)
			return 0;
	}
	for (const char *p = colon + 1; p < host + n; p++)
		if (!isdigit((unsigned char)*p))
			goto bad;
	return 0;
bad:;
	struct cf_buf q = CF_BUF_INIT;
	cf_go_quote(&q, colon, (size_t)(host + n - colon));
	cf_error_set(err, CF_ERR_PLAIN, "invalid port %s after host", bstr(&q));
	cf_buf_release(&q);
	return -1;
}

static int go_url_parse(const char *raw, size_t n, struct gourl *u, struct cf_error *err)
{
	const char *hash = memchr(raw, '#', n);
	if (hash) {
		u->has_frag = 1;
		bset(&u->frag, hash + 1, (size_t)(raw + n - hash - 1));
		n = (size_t)(hash - raw);
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)raw[i] < 0x20 || raw[i] == 0x7f)
			return cf_error_set(err, CF_ERR_PLAIN,
					    "net/url: invalid control character in URL");
	if (n == 1 && raw[0] == '*') {
		bset(&u->path, "*", 1);
		return 0;
	}
	const char *rest = raw;
	size_t rn = n;
	for (size_t i = 0; i < n; i++) {
		char c = raw[i];
		if (isalpha((unsigned char)c))
			continue;
		if (isdigit((unsigned char)c) || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				break;
			continue;
		}
		if (c == ':') {
			if (i == 0)
				return cf_error_set(err, CF_ERR_PLAIN, "missing protocol scheme");
			bset(&u->scheme, raw, i);
			for (size_t j = 0; j < i; j++)
				u->scheme.data[j] = (unsigned char)tolower(u->scheme.data[j]);
			rest = raw + i + 1;
			rn = n - i - 1;
		}
		break;
	}
	const char *q = memchr(rest, '?', rn);
	if (q) {
		if (q == rest + rn - 1) {
			u->force_query = 1;
		} else {
			u->has_query = 1;
			bset(&u->query, q + 1, (size_t)(rest + rn - q - 1));
		}
		rn = (size_t)(q - rest);
	}
	if (rn == 0 || rest[0] != '/') {
		if (u->scheme.len) {
			bset(&u->opaque, rest, rn);
			return 0;
		}
		const char *slash = memchr(rest, '/', rn);
		size_t seg = slash ? (size_t)(slash - rest) : rn;
		if (memchr(rest, ':', seg))
			return cf_error_set(err, CF_ERR_PLAIN,
					    "first path segment in URL cannot contain colon");
	}
	if ((u->scheme.len || !(rn >= 3 && !memcmp(rest, "///", 3))) && rn >= 2 &&
	    !memcmp(rest, "//", 2)) {
		const char *a = rest + 2;
		const char *slash = memchr(a, '/', rn - 2);
		size_t an = slash ? (size_t)(slash - a) : rn - 2;
		const char *at = NULL;
		for (size_t i = an; i-- > 0;) {
			if (a[i] == '@') {
				at = a + i;
				break;
			}
		}
		const char *h = a;
		if (at) {
			u->has_user = 1;
			bset(&u->user, a, (size_t)(at - a));
			h = at + 1;
		}
		size_t hn = (size_t)(a + an - h);
		if (check_port(h, hn, err) || host_check(h, hn, err))
			return -1;
		bset(&u->host, h, hn);
		rest = a + an;
		rn = slash ? rn - 2 - an : 0;
	}
	if (path_check(rest, rn, err))
		return -1;
	bset(&u->path, rest, rn);
	return 0;
}

static void go_url_string(const struct gourl *u, struct cf_buf *out)
{
	if (u->scheme.len) {
		cf_buf_add(out, u->scheme.data, u->scheme.len);
		cf_buf_addc(out, ':');
	}
	if (u->opaque.len) {
		cf_buf_add(out, u->opaque.data, u->opaque.len);
	} else {
		if (u->scheme.len || u->host.len || u->has_user) {
			if (u->host.len || u->path.len || u->has_user)
				cf_buf_adds(out, "//");
			if (u->has_user) {
				cf_buf_add(out, u->user.data, u->user.len);
				cf_buf_addc(out, '@');
			}
			for (size_t i = 0; i < u->host.len; i++) {
				unsigned char c = u->host.data[i];
				if (c != '%' && host_should_escape(c))
					cf_buf_printf(out, "%%%02X", c);
				else
					cf_buf_addc(out, c);
			}
		}
		if (u->path.len && u->path.data[0] != '/' && u->host.len)
			cf_buf_addc(out, '/');
		cf_buf_add(out, u->path.data, u->path.len);
	}
	if (u->force_query || u->has_query) {
		cf_buf_addc(out, '?');
		cf_buf_add(out, u->query.data, u->query.len);
	}
	if (u->has_frag) {
		cf_buf_addc(out, '#');
		cf_buf_add(out, u->frag.data, u->frag.len);
	}
}

static void join_host_port(struct cf_buf *out, const char *h, size_t hn, const char *p, size_t pn)
{
	struct cf_buf t = CF_BUF_INIT;
	if (memchr(h, ':', hn)) {
		cf_buf_addc(&t, '[');
		cf_buf_add(&t, h, hn);
		cf_buf_addc(&t, ']');
	} else {
		cf_buf_add(&t, h, hn);
	}
	cf_buf_addc(&t, ':');
	cf_buf_add(&t, p, pn);
	bset(out, bstr(&t), t.len);
	cf_buf_release(&t);
}

/* Go's net.SplitHostPort; *@port/@pn point into @hp. */
static int split_host_port(const char *hp, size_t n, const char **port, size_t *pn,
			   struct cf_error *err)
{
	const char *why;
	size_t j = 0, k = 0;
	const char *colon = NULL;
	for (size_t i = n; i-- > 0;) {
		if (hp[i] == ':') {
			colon = hp + i;
			break;
		}
	}
	if (!colon) {
		why = "missing port in address";
		goto bad;
	}
	if (n && hp[0] == '[') {
		const char *end = memchr(hp, ']', n);
		if (!end) {
			why = "missing ']' in address";
			goto bad;
		}
		if (end + 1 == hp + n) {
			why = "missing port in address";
			goto bad;
		}
		if (end + 1 != colon) {
			why = end[1] == ':' ? "too many colons in address"
					    : "missing port in address";
			goto bad;
		}
		j = 1;
		k = (size_t)(end - hp) + 1;
	} else if (memchr(hp, ':', (size_t)(colon - hp))) {
		why = "too many colons in address";
		goto bad;
	}
	if (memchr(hp + j, '[', n - j)) {
		why = "unexpected '[' in address";
		goto bad;
	}
	if (memchr(hp + k, ']', n - k)) {
		why = "unexpected ']' in address";
		goto bad;
	}
	*port = colon + 1;
	*pn = (size_t)(hp + n - colon - 1);
	return 0;
bad:
	return cf_error_set(err, CF_ERR_PLAIN, "address %.*s: %s", (int)n, hp, why);
}

/* Go's strconv.Atoi error for @p, or 0. */
static int go_atoi_check(const char *p, size_t n, struct cf_error *err)
{
	const char *why = NULL;
	size_t i = 0;
	if (n && (p[0] == '+' || p[0] == '-'))
		i = 1;
	if (i == n)
		why = "invalid syntax";
	for (size_t d = i; d < n && !why; d++)
		if (!isdigit((unsigned char)p[d]))
			why = "invalid syntax";
	if (!why) {
		/* int64: 9223372036854775807 (19 digits); -9223372036854775808 */
		while (i < n - 1 && p[i] == '0')
			i++;
		size_t digits = n - i;
		const char *lim = p[0] == '-' ? "9223372036854775808" : "9223372036854775807";
		if (digits > 19 || (digits == 19 && memcmp(p + i, lim, 19) > 0))
			why = "value out of range";
	}
	if (!why)
		return 0;
	struct cf_buf q = CF_BUF_INIT;
	cf_go_quote(&q, p, n);
	cf_error_set(err, CF_ERR_PLAIN, "strconv.Atoi: parsing %s: %s", bstr(&q), why);
	cf_buf_release(&q);
	return -1;
}

static int go_isspace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int normalize(const char *addr, size_t n, char **url, char **host, struct cf_error *err)
{
	struct gourl u = {0};
	struct cf_error perr = {0};
	int ret = -1;
	while (n && go_isspace((unsigned char)addr[0])) {
		addr++;
		n--;
	}
	while (n && go_isspace((unsigned char)addr[n - 1]))
		n--;
	if (go_url_parse(addr, n, &u, &perr)) {
		struct cf_buf q = CF_BUF_INIT;
		const char *hash = memchr(addr, '#', n);
		cf_go_quote(&q, addr, hash ? (size_t)(hash - addr) : n);
		cf_error_set(err, CF_ERR_PLAIN, "parse %s: %s", bstr(&q), perr.msg);
		cf_buf_release(&q);
		goto out;
	}
	if (u.opaque.len) {
		join_host_port(&u.host, bstr(&u.scheme), u.scheme.len, bstr(&u.opaque),
			       u.opaque.len);
		u.opaque.len = 0;
	} else if (u.path.len && !memchr(u.path.data, ':', u.path.len)) {
		join_host_port(&u.host, bstr(&u.path), u.path.len, "8888", 4);
		u.path.len = 0;
	} else if (!u.scheme.len) {
		bset(&u.host, bstr(&u.path), u.path.len);
		u.path.len = 0;
	}
	if (strcmp(bstr(&u.scheme), "https") != 0)
		bset(&u.scheme, "http", 4);
	const char *port = NULL;
	size_t pn = 0;
	if (split_host_port(bstr(&u.host), u.host.len, &port, &pn, &perr)) {
		struct cf_buf t = CF_BUF_INIT;
		cf_buf_add(&t, bstr(&u.host), u.host.len);
		cf_buf_adds(&t, ":8888");
		cf_error_clear(&perr);
		if (split_host_port(bstr(&t), t.len, &port, &pn, &perr)) {
			cf_error_set(err, CF_ERR_PLAIN, "%s", perr.msg);
			cf_buf_release(&t);
			goto out;
		}
		port = NULL;
		cf_buf_release(&t);
	} else if (pn && go_atoi_check(port, pn, err)) {
		goto out;
	}
	struct cf_buf s = CF_BUF_INIT;
	go_url_string(&u, &s);
	*url = (char *)cf_buf_detach(&s, NULL);
	if (!*url)
		*url = cf_xstrdup("");
	if (host) {
		struct cf_buf h = CF_BUF_INIT;
		for (size_t i = 0; i < u.host.len; i++) {
			unsigned char c = u.host.data[i];
			if (c != '%' && host_should_escape(c))
				cf_buf_printf(&h, "%%%02X", c);
			else
				cf_buf_addc(&h, c);
		}
		*host = h.data ? (char *)cf_buf_detach(&h, NULL) : cf_xstrdup("");
	}
	ret = 0;
out:
	gourl_release(&u);
	return ret;
}

int cf_remote_normalize(const char *addr, char **url, struct cf_error *err)
{
	return normalize(addr, strlen(addr), url, NULL, err);
}

/* ---- the client ---- */

/* libcurl is loaded when the first remote client is made, not linked: it and the libraries
 * under it (a shared GnuTLS among them) would otherwise be mapped and relocated at every start
 * of every command, most of a short command's time in the static build (see bench/). */
static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} lc;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char curl_load_error[256];

static void curl_init(void)
{
	static const char *const sonames[] = {"libcurl-gnutls.so.4", "libcurl.so.4"};
	void *h = NULL;
	for (size_t i = 0; i < sizeof sonames / sizeof *sonames && !h; i++)
		h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(curl_load_error, sizeof curl_load_error, "cannot load libcurl: %s",
			 dlerror());
		return;
	}
	static const char *const names[] = {
		"curl_global_init",   "curl_easy_init",    "curl_easy_setopt",
		"curl_easy_perform",  "curl_easy_getinfo", "curl_easy_cleanup",
		"curl_easy_strerror", "curl_slist_append", "curl_slist_free_all"};
	void *fn[sizeof names / sizeof *names];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		fn[i] = dlsym(h, names[i]);
		if (!fn[i]) {
			snprintf(curl_load_error, sizeof curl_load_error,
				 "cannot load libcurl: no %s", names[i]);
			return;
		}
	}
	/* POSIX guarantees that object and function pointers convert through memcpy */
	memcpy(&lc.global_init, &fn[0], sizeof fn[0]);
	memcpy(&lc.easy_init, &fn[1], sizeof fn[1]);
	memcpy(&lc.easy_setopt, &fn[2], sizeof fn[2]);
	memcpy(&lc.easy_perform, &fn[3], sizeof fn[3]);
	memcpy(&lc.easy_getinfo, &fn[4], sizeof fn[4]);
	memcpy(&lc.easy_cleanup, &fn[5], sizeof fn[5]);
	memcpy(&lc.easy_strerror, &fn[6], sizeof fn[6]);
	memcpy(&lc.slist_append, &fn[7], sizeof fn[7]);
	memcpy(&lc.slist_free_all, &fn[8], sizeof fn[8]);
	CURLcode rc = lc.global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK)
		snprintf(curl_load_error, sizeof curl_load_error, "curl: %s", lc.easy_strerror(rc));
}

static int check_ca_file(const char *path, struct cf_error *err)
{
	struct cf_buf b = CF_BUF_INIT;
	if (cf_read_file(path, &b, err))
		return -1;
	int ret = 0;
	if (b.len && !strstr(bstr(&b), "-----BEGIN CERTIFICATE-----"))
		ret = cf_error_set(err, CF_ERR_PLAIN, "failed to load cert pool");
	cf_buf_release(&b);
	return ret;
}

/* Go's tls.LoadX509KeyPair, as cfssl loads the client certificate before any request. */
static int check_key_pair(const char *cert, const char *key, struct cf_error *err)
{
	struct cf_buf cb = CF_BUF_INIT, kb = CF_BUF_INIT;
	int ret = -1;
	if (cf_read_file(cert, &cb, err) || cf_read_file(key, &kb, err))
		goto out;
	if (!strstr(bstr(&cb), "-----BEGIN CERTIFICATE-----")) {
		cf_error_set(err, CF_ERR_PLAIN,
			     "tls: failed to find any PEM data in certificate input");
		goto out;
	}
	if (!strstr(bstr(&kb), "PRIVATE KEY-----")) {
		cf_error_set(err, CF_ERR_PLAIN, "tls: failed to find any PEM data in key input");
		goto out;
	}
	gnutls_certificate_credentials_t cred;
	if (gnutls_certificate_allocate_credentials(&cred) < 0) {
		cf_error_set(err, CF_ERR_PLAIN, "tls: out of memory");
		goto out;
	}
	gnutls_datum_t cd = {cb.data, (unsigned)cb.len}, kd = {kb.data, (unsigned)kb.len};
	int rc = gnutls_certificate_set_x509_key_mem(cred, &cd, &kd, GNUTLS_X509_FMT_PEM);
	gnutls_certificate_free_credentials(cred);
	if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
		cf_error_set(err, CF_ERR_PLAIN, "tls: private key does not match public key");
	else if (rc < 0)
		cf_error_set(err, CF_ERR_PLAIN, "tls: failed to parse private key");
	else
		ret = 0;
out:
	cf_buf_release(&cb);
	cf_buf_release(&kb);
	return ret;
}

int cf_remote_new(const char *addrs, const struct cf_remote_opts *opts, struct cf_remote **out,
		  struct cf_error *err)
{
	static const struct cf_remote_opts none = {0};
	if (!opts)
		opts = &none;
	pthread_once(&curl_once, curl_init);
	if (curl_load_error[0])
		return cf_error_set(err, CF_ERR_PLAIN, "%s", curl_load_error);
	if (opts->ca_file && *opts->ca_file && check_ca_file(opts->ca_file, err))
		return -1;
	int client_auth = opts->cert_file && *opts->cert_file && opts->key_file && *opts->key_file;
	if (client_auth && check_key_pair(opts->cert_file, opts->key_file, err))
		return -1;

	struct cf_remote *r = cf_xcalloc(1, sizeof *r);
	size_t n = 1;
	for (const char *p = addrs; *p; p++)
		n += *p == ',';
	r->srv = cf_xcalloc(n, sizeof *r->srv);
	const char *p = addrs;
	for (size_t i = 0; i < n; i++) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		struct cf_error nerr = {0};
		if (normalize(p, len, &r->srv[i].url, &r->srv[i].host, &nerr)) {
			if (n == 1)
				cf_errorlog("bad url: %s", nerr.msg);
			cf_remote_free(r);
			return cf_error_set(err, CF_ERR_POLICY_VIOLATION,
					    "failed to connect to remote");
		}
		r->nsrv++;
		p += len + (comma != NULL);
	}
	if (opts->ca_file && *opts->ca_file)
		r->ca_file = cf_xstrdup(opts->ca_file);
	if (client_auth) {
		r->cert_file = cf_xstrdup(opts->cert_file);
		r->key_file = cf_xstrdup(opts->key_file);
	}
	r->connect_timeout_ms = opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms
							     : CF_REMOTE_CONNECT_TIMEOUT_MS;
	r->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : CF_REMOTE_TIMEOUT_MS;
	*out = r;
	return 0;
}

void cf_remote_free(struct cf_remote *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nsrv; i++) {
		free(r->srv[i].url);
		free(r->srv[i].host);
	}
	free(r->srv);
	free(r->ca_file);
	free(r->cert_file);
	free(r->key_file);
	free(r);
}

size_t cf_remote_count(const struct cf_remote *r)
{
	return r->nsrv;
}

const char *cf_remote_url(const struct cf_remote *r, size_t i)
{
	return i < r->nsrv ? r->srv[i].url : NULL;
}

/* ---- request bodies ---- */

static void quote(struct cf_buf *b, const char *s)
{
	s = s ? s : "";
	cf_gojson_quote(b, s, strlen(s));
}

void cf_remote_sign_json(const struct cf_remote_sign_req *req, struct cf_buf *out)
{
	cf_buf_adds(out, "{\"hosts\":");
	if (!req->hosts_set) {
		cf_buf_adds(out, "null");
	} else {
		cf_buf_addc(out, '[');
		for (size_t i = 0; i < req->nhosts; i++) {
			if (i)
				cf_buf_addc(out, ',');
			quote(out, req->hosts[i]);
		}
		cf_buf_addc(out, ']');
	}
	cf_buf_adds(out, ",\"certificate_request\":");
	quote(out, req->csr);
	if (req->subject_json) {
		cf_buf_adds(out, ",\"subject\":");
		cf_buf_adds(out, req->subject_json);
	}
	cf_buf_adds(out, ",\"profile\":");
	quote(out, req->profile);
	cf_buf_adds(out, ",\"crl_override\":");
	quote(out, req->crl_override);
	cf_buf_adds(out, ",\"label\":");
	quote(out, req->label);
	if (req->serial) {
		cf_buf_adds(out, ",\"serial\":");
		cf_buf_adds(out, req->serial);
	}
	cf_buf_adds(out,
		    ",\"NotBefore\":\"0001-01-01T00:00:00Z\",\"NotAfter\":\"0001-01-01T00:00:00Z\","
		    "\"ReturnPrecert\":false,\"metadata\":null}");
}

int cf_remote_authsign_json(const struct cf_auth_key *k, const void *r, size_t len,
			    long long timestamp, struct cf_buf *out, struct cf_error *err)
{
	unsigned char mac[CF_AUTH_MAC_LEN];
	if (cf_auth_mac(k, r, len, mac, err))
		return -1;
	cf_buf_printf(out, "{\"timestamp\":%lld,\"token\":\"", timestamp);
	cf_base64_encode(out, mac, sizeof mac);
	cf_buf_adds(out, "\",\"request\":\"");
	cf_base64_encode(out, r, len);
	cf_buf_adds(out, "\"}");
	cf_wipe(mac, sizeof mac);
	return 0;
}

/* ---- replies ---- */

static json_t *member(json_t *obj, const char *name)
{
	const char *k;
	json_t *v, *found = NULL;
	json_object_foreach(obj, k, v)
		if (cf_gojson_key_eq(k, name))
			found = v;
	return found;
}

static int json_error(struct cf_error *err, const struct cf_error *jerr)
{
	return cf_error_set(err, 7200, "%s", jerr->msg);
}

int cf_remote_envelope(const char *body, size_t len, json_t **result, struct cf_error *err)
{
	struct cf_error jerr = {0};
	json_t *doc = cf_gojson_parse(body, len, &jerr);
	if (!doc)
		return json_error(err, &jerr);
	int success = 0;
	json_t *res = NULL, *errors = NULL;
	if (json_is_object(doc)) {
		cf_gojson_get_bool(member(doc, "success"), &success, &jerr, "Response", "success");
		res = member(doc, "result");
		errors = member(doc, "errors");
		if (errors && !json_is_null(errors) && !json_is_array(errors)) {
			cf_gojson_type_error(&jerr, errors, "Response", "errors",
					     "[]api.ResponseMessage");
			errors = NULL;
		}
		size_t i;
		json_t *e;
		json_array_foreach(errors, i, e) {
			if (json_is_null(e))
				continue;
			if (!json_is_object(e)) {
				cf_gojson_type_error(&jerr, e, "Response", "errors",
						     "api.ResponseMessage");
				continue;
			}
			long long code;
			const char *m;
			cf_gojson_get_int(member(e, "code"), &code, &jerr, "ResponseMessage",
					  "errors.code");
			cf_gojson_get_string(member(e, "message"), &m, NULL, &jerr,
					     "ResponseMessage", "errors.message");
		}
		json_t *msgs = member(doc, "messages");
		if (msgs && !json_is_null(msgs) && !json_is_array(msgs))
			cf_gojson_type_error(&jerr, msgs, "Response", "messages",
					     "[]api.ResponseMessage");
	} else if (!json_is_null(doc)) {
		cf_gojson_type_error(&jerr, doc, NULL, NULL, "api.Response");
	}
	if (jerr.set) {
		json_decref(doc);
		return json_error(err, &jerr);
	}
	if (!success || !res || json_is_null(res)) {
		const char *m = NULL;
		if (errors && json_array_size(errors) > 0) {
			json_t *e = json_array_get(errors, 0);
			m = "";
			if (json_is_object(e) && json_is_string(member(e, "message")))
				m = json_string_value(member(e, "message"));
		}
		if (m)
			cf_error_set(err, 7500, "%s", m);
		else
			cf_error_set(err, 7500, "API client error: Server request failed");
		json_decref(doc);
		return -1;
	}
	*result = json_incref(res);
	json_decref(doc);
	return 0;
}

/* ---- HTTP ---- */

struct reply {
	struct cf_buf body;
	int too_big;
	char peer[INET6_ADDRSTRLEN + 8]; /* the last address a socket was opened for: IP:PORT */
};

/* Records the address for Go's "dial tcp IP:PORT" (curl forgets it when connect fails). */
static curl_socket_t on_open(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct reply *rp = arg;
	char ip[INET6_ADDRSTRLEN] = "";
	(void)purpose;
	/* Go reports the first address of the family tried first; its resolver keeps /etc/hosts
	 * order (127.0.0.1 before ::1 for localhost) where getaddrinfo puts IPv6 first. An IPv4
	 * address therefore wins over IPv6, and the first of a family over later ones. */
	if (a->family == AF_INET && rp->peer[0] != '\0' && rp->peer[0] != '[')
		goto open;
	if (a->family == AF_INET6 && rp->peer[0] != '\0')
		goto open;
	if (a->family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&a->addr;
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
		snprintf(rp->peer, sizeof rp->peer, "%s:%u", ip, ntohs(in->sin_port));
	} else if (a->family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->addr;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
		snprintf(rp->peer, sizeof rp->peer, "[%s]:%u", ip, ntohs(in6->sin6_port));
	}
open:
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct reply *rp = arg;
	size_t len = n * size; /* size is 1 */
	if (len > CF_REMOTE_MAX_BODY - rp->body.len) {
		rp->too_big = 1;
		return 0;
	}
	cf_buf_add(&rp->body, p, len);
	return len;
}

static void lower_first(char *s)
{
	if (s[0] && isupper((unsigned char)s[0]) && !isupper((unsigned char)s[1]))
		s[0] = (char)tolower((unsigned char)s[0]);
}

/* The host part of @host ("h:p", "[v6]:p", "h"), into @out. */
static void host_only(const char *host, struct cf_buf *out)
{
	const char *h = host, *colon = strrchr(host, ':');
	size_t n = strlen(h);
	if (h[0] == '[') {
		h++;
		const char *end = strchr(h, ']');
		n = end ? (size_t)(end - h) : strlen(h);
	} else if (colon) {
		n = (size_t)(colon - h);
	}
	cf_buf_add(out, h, n);
}

/* When the leaf certificate of a failed verification does not name @host, Go's
 * x509.HostnameError text (Go checks the name before the chain); 0 when it does. */
static int go_hostname_error(CURL *c, const char *hostport, struct cf_buf *m)
{
	struct curl_certinfo *ci = NULL;
	if (lc.easy_getinfo(c, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
		return 0;
	const char *pem = NULL;
	for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next)
		if (!strncmp(l->data, "Cert:", 5))
			pem = l->data + 5;
	if (!pem)
		return 0;
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)strlen(pem)};
	if (gnutls_x509_crt_init(&crt) < 0)
		return 0;
	if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) < 0) {
		gnutls_x509_crt_deinit(crt);
		return 0;
	}
	struct cf_buf host = CF_BUF_INIT;
	host_only(hostport, &host);
	int r = cf_crt_hostname_error(crt, bstr(&host), m);
	cf_buf_release(&host);
	gnutls_x509_crt_deinit(crt);
	return r;
}

/* " on NS:53" for Go's lookup errors: the first nameserver of /etc/resolv.conf, or "". */
static const char *nameserver(char *out, size_t n)
{
	char line[256], ip[INET6_ADDRSTRLEN];
	const char *ret = "";
	FILE *f = fopen("/etc/resolv.conf", "re");
	if (!f)
		return ret;
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, " nameserver %45s", ip) == 1) {
			snprintf(out, n, strchr(ip, ':') ? " on [%s]:53" : " on %s:53", ip);
			ret = out;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* Go's net.OpError for a connection the peer reset while curl sent or received (rc), as
 * "read tcp 127.0.0.1:P->127.0.0.1:Q: read: connection reset by peer"; 0 when the failure
 * was no reset. */
static int go_reset_error(CURL *c, CURLcode rc, struct cf_buf *m)
{
	long oserr = 0;
	lc.easy_getinfo(c, CURLINFO_OS_ERRNO, &oserr);
	if (oserr != ECONNRESET || (rc != CURLE_SEND_ERROR && rc != CURLE_RECV_ERROR))
		return 0;
	char *lip = NULL, *rip = NULL;
	long lport = 0, rport = 0;
	lc.easy_getinfo(c, CURLINFO_LOCAL_IP, &lip);
	lc.easy_getinfo(c, CURLINFO_LOCAL_PORT, &lport);
	lc.easy_getinfo(c, CURLINFO_PRIMARY_IP, &rip);
	lc.easy_getinfo(c, CURLINFO_PRIMARY_PORT, &rport);
	const char *op = rc == CURLE_SEND_ERROR ? "write" : "read";
	cf_buf_printf(m, "%s tcp %s:%ld->%s:%ld: %s: connection reset by peer", op, lip ? lip : "",
		      lport, rip ? rip : "", rport, op);
	return 1;
}

/* Go's "remote error: tls: ..." for the alert a server sent, when curl's message names it:
 * during the handshake curl's GnuTLS backend reports gnutls_alert_get_name's text ("...
 * failed: Certificate is bad"). An alert after the handshake (TLS 1.3: a refused client
 * certificate) is reported without its kind; refusing a client certificate is what servers
 * do then, Go's and ours with the bad_certificate alert, so that is taken. */
static void go_alert_error(const char *errbuf, struct cf_buf *m)
{
	static const struct {
		unsigned char code;
		const char *go;
	} alerts[] = {
		{0, "close notify"},
		{10, "unexpected message"},
		{20, "bad record MAC"},
		{21, "decryption failed"},
		{22, "record overflow"},
		{30, "decompression failure"},
		{40, "handshake failure"},
		{42, "bad certificate"},
		{43, "unsupported certificate"},
		{44, "revoked certificate"},
		{45, "expired certificate"},
		{46, "unknown certificate"},
		{47, "illegal parameter"},
		{48, "unknown certificate authority"},
		{49, "access denied"},
		{50, "error decoding message"},
		{51, "error decrypting message"},
		{60, "export restriction"},
		{70, "protocol version not supported"},
		{71, "insufficient security level"},
		{80, "internal error"},
		{86, "inappropriate fallback"},
		{90, "user canceled"},
		{100, "no renegotiation"},
		{109, "missing extension"},
		{110, "unsupported extension"},
		{111, "certificate unobtainable"},
		{112, "unrecognized name"},
		{113, "bad certificate status response"},
		{114, "bad certificate hash value"},
		{115, "unknown PSK identity"},
		{116, "certificate required"},
		{120, "no application protocol"},
	};
	const char *colon = strrchr(errbuf, ':');
	const char *name = colon ? colon + 1 : errbuf;
	while (*name == ' ')
		name++;
	for (unsigned code = 0; code < 256; code++) {
		const char *g = gnutls_alert_get_name((gnutls_alert_description_t)code);
		if (!g || strcmp(g, name))
			continue;
		for (size_t i = 0; i < sizeof alerts / sizeof *alerts; i++)
			if (alerts[i].code == code) {
				cf_buf_printf(m, "remote error: tls: %s", alerts[i].go);
				return;
			}
		cf_buf_printf(m, "remote error: tls: alert(%u)", code);
		return;
	}
	cf_buf_adds(m, "remote error: tls: bad certificate");
}

/* The text Go's http.Client.Do gives for a curl failure (after "Post \"URL\": "). */
static void go_transport_error(CURL *c, CURLcode rc, const char *errbuf, const char *host,
			       const char *peer, int https, struct cf_buf *m)
{
	long oserr = 0;
	lc.easy_getinfo(c, CURLINFO_OS_ERRNO, &oserr);
	char why[256];
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		snprintf(why, sizeof why, "connect: %s",
			 strerror(oserr ? (int)oserr : ECONNREFUSED));
		lower_first(why + 9);
		cf_buf_printf(m, "dial tcp %s: %s", peer, why);
		return;
	case CURLE_COULDNT_RESOLVE_HOST: {
		struct cf_buf h = CF_BUF_INIT;
		char ns[INET6_ADDRSTRLEN + 8];
		host_only(host, &h);
		cf_buf_printf(m, "dial tcp: lookup %s%s: no such host", bstr(&h),
			      nameserver(ns, sizeof ns));
		cf_buf_release(&h);
		return;
	}
	case CURLE_OPERATION_TIMEDOUT:
		cf_buf_adds(m, "context deadline exceeded (Client.Timeout exceeded while awaiting "
			       "headers)");
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
		if (!go_hostname_error(c, host, m))
			cf_buf_adds(m, "x509: certificate signed by unknown authority");
		return;
	case CURLE_SSL_CONNECT_ERROR:
		if (strstr(errbuf, "unexpected TLS packet") ||
		    strstr(errbuf, "unsupported version"))
			cf_buf_adds(m, "http: server gave HTTP response to HTTPS client");
		/* A send failure: GnuTLS writes our last flight in several sends, and a server
		 * that refuses the certificate in the first sends its alert and closes, so a
		 * later send meets the reset while the alert waits unread. Go writes the flight
		 * at once and reads that alert. */
		else if (strstr(errbuf, "gnutls_handshake() failed: ") || strstr(errbuf, "alert") ||
			 !strncmp(errbuf, "Send failure: ", 14))
			go_alert_error(errbuf, m);
		else
			cf_buf_printf(m, "tls: %s", *errbuf ? errbuf : lc.easy_strerror(rc));
		return;
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		cf_buf_printf(m, "tls: %s", *errbuf ? errbuf : lc.easy_strerror(rc));
		return;
	case CURLE_GOT_NOTHING: cf_buf_adds(m, "EOF"); return;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		/* TLS 1.3: a server that refuses the client certificate does so after the
		 * handshake, with an alert, and closes. Go reads the alert while it writes; curl
		 * sees it, or only the closed connection when it writes first. */
		if (strstr(errbuf, "alert") || (https && rc == CURLE_SEND_ERROR)) {
			go_alert_error(errbuf, m);
			return;
		}
		if (!go_reset_error(c, rc, m))
			cf_buf_adds(m, "EOF");
		return;
	default: cf_buf_adds(m, *errbuf ? errbuf : lc.easy_strerror(rc)); return;
	}
}

static struct curl_slist *headers(void)
{
	struct curl_slist *h = NULL, *t;
	static const char *const lines[] = {"User-Agent: Go-http-client/1.1", "Connection: close",
					    "Content-Type: application/json", "Expect:"};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		t = lc.slist_append(h, lines[i]);
		if (!t) {
			lc.slist_free_all(h);
			return NULL;
		}
		h = t;
	}
	return h;
}

/* Go's ProxyFromEnvironment never proxies loopback addresses; curl would. */
static char *noproxy(void)
{
	const char *env = getenv("NO_PROXY");
	if (!env || !*env)
		env = getenv("no_proxy");
	struct cf_buf b = CF_BUF_INIT;
	if (env && *env) {
		cf_buf_adds(&b, env);
		cf_buf_addc(&b, ',');
	}
	cf_buf_adds(&b, "localhost,127.0.0.0/8,::1");
	return (char *)cf_buf_detach(&b, NULL);
}

int cf_remote_post(struct cf_remote *r, size_t i, const char *endpoint, const void *body,
		   size_t len, json_t **result, struct cf_error *err)
{
	const struct server *s = &r->srv[i];
	struct cf_buf url = CF_BUF_INIT;
	cf_buf_printf(&url, "%s/api/v1/cfssl/%s", s->url, endpoint);
	const char *u = bstr(&url);
	struct cf_buf q = CF_BUF_INIT;
	cf_go_quote(&q, u, url.len);
	int ret = -1;

	/* what Go's NewRequest and Do refuse before dialling */
	struct cf_error herr = {0};
	if (host_check(s->host, strlen(s->host), &herr)) {
		cf_error_set(err, 7400, "failed POST to %s: parse %s: %s", u, bstr(&q), herr.msg);
		goto out_early;
	}
	if (!*s->host) {
		cf_error_set(err, 7400, "failed POST to %s: Post %s: http: no Host in request URL",
			     u, bstr(&q));
		goto out_early;
	}

	CURL *c = lc.easy_init();
	struct curl_slist *h = headers();
	char *np = noproxy();
	struct reply rp = {CF_BUF_INIT, 0, ""};
	char errbuf[CURL_ERROR_SIZE] = "";
	if (!c || !h) {
		cf_error_set(err, 7400, "failed POST to %s: out of memory", u);
		goto out;
	}
	lc.easy_setopt(c, CURLOPT_URL, u);
	lc.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	lc.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	/* cfssl's transport with a TLS configuration speaks HTTP/1.1 only */
	lc.easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	lc.easy_setopt(c, CURLOPT_POST, 1L);
	lc.easy_setopt(c, CURLOPT_POSTFIELDS, body);
	lc.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	lc.easy_setopt(c, CURLOPT_HTTPHEADER, h);
	lc.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
	lc.easy_setopt(c, CURLOPT_NOPROXY, np);
	lc.easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
	lc.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, r->connect_timeout_ms);
	lc.easy_setopt(c, CURLOPT_TIMEOUT_MS, r->timeout_ms);
	lc.easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	lc.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	lc.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (r->ca_file)
		lc.easy_setopt(c, CURLOPT_CAINFO, r->ca_file);
	if (r->cert_file) {
		lc.easy_setopt(c, CURLOPT_SSLCERT, r->cert_file);
		lc.easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
		lc.easy_setopt(c, CURLOPT_SSLKEY, r->key_file);
		lc.easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
	}
	lc.easy_setopt(c, CURLOPT_CERTINFO, 1L); /* for Go's host name error */
	lc.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	lc.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	lc.easy_setopt(c, CURLOPT_WRITEDATA, &rp);
	lc.easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open);
	lc.easy_setopt(c, CURLOPT_OPENSOCKETDATA, &rp);

	CURLcode rc = lc.easy_perform(c);
	long status = 0;
	lc.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_WRITE_ERROR && rp.too_big) {
		cf_error_set(err, 7300, "http: response body too large");
		goto out;
	}
	if (rc != CURLE_OK && status > 0) {
		/* the headers came: Go's error is io.ReadAll's (7300) */
		struct cf_buf m = CF_BUF_INIT;
		if (rc == CURLE_OPERATION_TIMEDOUT)
			cf_buf_adds(&m, "context deadline exceeded (Client.Timeout or "
					"context cancellation while reading body)");
		else if (!go_reset_error(c, rc, &m))
			cf_buf_adds(&m, "unexpected EOF");
		cf_error_set(err, 7300, "%s", bstr(&m));
		cf_buf_release(&m);
		goto out;
	}
	if (rc != CURLE_OK) {
		struct cf_buf m = CF_BUF_INIT;
		go_transport_error(c, rc, errbuf, s->host, rp.peer, !strncmp(s->url, "https:", 6),
				   &m);
		cf_error_set(err, 7400, "failed POST to %s: Post %s: %s", u, bstr(&q), bstr(&m));
		cf_buf_release(&m);
		goto out;
	}
	if (status != 200) {
		cf_errorlog("http error with %s", u);
		cf_error_set(err, 7400, "%.*s", (int)rp.body.len, bstr(&rp.body));
		goto out;
	}
	ret = cf_remote_envelope(bstr(&rp.body), rp.body.len, result, err);
out:
	cf_buf_release(&rp.body);
	free(np);
	lc.slist_free_all(h);
	if (c)
		lc.easy_cleanup(c);
out_early:
	cf_buf_release(&q);
	cf_buf_release(&url);
	return ret;
}

int cf_remote_fetch(const char *url, const void *body, size_t len, const char *ctype,
		    long connect_timeout_ms, long timeout_ms, long *status, struct cf_buf *body_out,
		    struct cf_error *err)
{
	const char *verb = body ? "Post" : "Get";
	struct cf_buf q = CF_BUF_INIT;
	cf_go_quote(&q, url, strlen(url));
	pthread_once(&curl_once, curl_init);
	if (curl_load_error[0]) {
		cf_error_set(err, CF_ERR_PLAIN, "%s %s: %s", verb, bstr(&q), curl_load_error);
		cf_buf_release(&q);
		return -1;
	}
	const char *colon = strchr(url, ':');
	size_t slen = colon ? (size_t)(colon - url) : 0;
	if (!colon || strncmp(colon, "://", 3) ||
	    !((slen == 4 && !strncasecmp(url, "http", 4)) ||
	      (slen == 5 && !strncasecmp(url, "https", 5)))) {
		/* Go's parse lower-cases the scheme; an empty one is "" */
		struct cf_buf sch = CF_BUF_INIT;
		for (size_t i = 0; colon && i < slen; i++)
			cf_buf_addc(&sch, (char)tolower((unsigned char)url[i]));
		cf_error_set(err, CF_ERR_PLAIN, "%s %s: unsupported protocol scheme \"%s\"", verb,
			     bstr(&q), bstr(&sch));
		cf_buf_release(&sch);
		cf_buf_release(&q);
		return -1;
	}
	int ret = -1;
	CURL *c = lc.easy_init();
	struct curl_slist *h = NULL;
	char *np = noproxy();
	struct reply rp = {CF_BUF_INIT, 0, ""};
	char errbuf[CURL_ERROR_SIZE] = "";
	struct cf_buf ct = CF_BUF_INIT;
	if (!c) {
		cf_error_set(err, CF_ERR_PLAIN, "%s %s: out of memory", verb, bstr(&q));
		goto out;
	}
	h = lc.slist_append(NULL, "User-Agent: Go-http-client/1.1");
	if (h && body) {
		cf_buf_printf(&ct, "Content-Type: %s", ctype);
		struct curl_slist *t = lc.slist_append(h, bstr(&ct));
		if (t)
			t = lc.slist_append(t, "Expect:");
		if (!t) {
			lc.slist_free_all(h);
			h = NULL;
		}
	}
	if (!h) {
		cf_error_set(err, CF_ERR_PLAIN, "%s %s: out of memory", verb, bstr(&q));
		goto out;
	}
	lc.easy_setopt(c, CURLOPT_URL, url);
	lc.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	lc.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	lc.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	lc.easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	lc.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (body) {
		lc.easy_setopt(c, CURLOPT_POST, 1L);
		lc.easy_setopt(c, CURLOPT_POSTFIELDS, body);
		lc.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	lc.easy_setopt(c, CURLOPT_HTTPHEADER, h);
	lc.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
	lc.easy_setopt(c, CURLOPT_NOPROXY, np);
	lc.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
	lc.easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	lc.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	lc.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	lc.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	lc.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	lc.easy_setopt(c, CURLOPT_WRITEDATA, &rp);
	lc.easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open);
	lc.easy_setopt(c, CURLOPT_OPENSOCKETDATA, &rp);

	CURLcode rc = lc.easy_perform(c);
	lc.easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (rc == CURLE_WRITE_ERROR && rp.too_big) {
		cf_error_set(err, CF_ERR_PLAIN, "http: response body too large");
		goto out;
	}
	if (rc != CURLE_OK && *status > 0) {
		cf_error_set(err, CF_ERR_PLAIN, "%s",
			     rc == CURLE_OPERATION_TIMEDOUT
				     ? "context deadline exceeded (Client.Timeout or context "
				       "cancellation while reading body)"
				     : "unexpected EOF");
		goto out;
	}
	if (rc != CURLE_OK) {
		struct cf_buf m = CF_BUF_INIT;
		char *host = NULL;
		const char *hs = strstr(url, "://") + 3;
		size_t hn = strcspn(hs, "/?#");
		host = strndup(hs, hn);
		if (!host)
			abort();
		go_transport_error(c, rc, errbuf, host, rp.peer, slen == 5, &m);
		cf_error_set(err, CF_ERR_PLAIN, "%s %s: %s", verb, bstr(&q), bstr(&m));
		free(host);
		cf_buf_release(&m);
		goto out;
	}
	cf_buf_add(body_out, rp.body.data, rp.body.len);
	ret = 0;
out:
	cf_buf_release(&ct);
	cf_buf_release(&rp.body);
	free(np);
	if (h)
		lc.slist_free_all(h);
	if (c)
		lc.easy_cleanup(c);
	cf_buf_release(&q);
	return ret;
}

/* ---- operations ---- */

static int sign_one(struct cf_remote *r, size_t i, const struct cf_buf *req,
		    const struct cf_auth_key *k, char **cert, struct cf_error *err)
{
	json_t *res = NULL;
	int ret;
	if (k) {
		struct cf_buf body = CF_BUF_INIT;
		if (cf_remote_authsign_json(k, req->data, req->len, (long long)time(NULL), &body,
					    err))
			return -1;
		ret = cf_remote_post(r, i, "authsign", body.data, body.len, &res, err);
		cf_buf_release(&body);
	} else {
		ret = cf_remote_post(r, i, "sign", req->data, req->len, &res, err);
	}
	if (ret)
		return -1;
	json_t *cv = json_is_object(res) ? member(res, "certificate") : NULL;
	if (k) {
		if (!json_is_string(cv))
			ret = cf_error_set(err, 7200, "API client JSON config error");
	} else if (!json_is_object(res)) {
		ret = cf_error_set(err, 7400, "response is formatted improperly");
	} else if (!json_is_string(cv) || json_string_length(cv) == 0) {
		ret = cf_error_set(err, 7400, "response doesn't contain certificate.");
	}
	if (!ret)
		*cert = cf_xmemdup(json_string_value(cv), json_string_length(cv));
	json_decref(res);
	return ret;
}

int cf_remote_sign(struct cf_remote *r, const struct cf_remote_sign_req *req,
		   const struct cf_auth_key *k, char **cert, struct cf_error *err)
{
	struct cf_buf body = CF_BUF_INIT;
	cf_remote_sign_json(req, &body);
	int ret = -1;
	for (size_t i = 0; i < r->nsrv && ret; i++) {
		struct cf_error e = {0};
		ret = sign_one(r, i, &body, k, cert, &e);
		if (ret && i + 1 == r->nsrv)
			cf_error_set(err, e.code, "%s", e.msg);
	}
	cf_buf_release(&body);
	return ret;
}

static int info_one(struct cf_remote *r, size_t i, const struct cf_buf *req,
		    struct cf_remote_info *out, struct cf_error *err)
{
	json_t *res = NULL;
	if (cf_remote_post(r, i, "info", req->data, req->len, &res, err))
		return -1;
	int ret = 0;
	if (!json_is_object(res)) {
		ret = cf_error_set(err, 7400, "response is formatted improperly");
		goto out;
	}
	json_t *cv = member(res, "certificate"), *uv = member(res, "usages"),
	       *ev = member(res, "expiry");
	/* cfssl's type assertions panic on other types (deviation 20) */
	if ((cv && !json_is_string(cv)) || (uv && !json_is_null(uv) && !json_is_array(uv)) ||
	    (ev && !json_is_null(ev) && !json_is_string(ev))) {
		ret = cf_error_set(err, 7200, "API client JSON config error");
		goto out;
	}
	size_t n = json_array_size(uv), k;
	json_t *x;
	json_array_foreach(uv, k, x) {
		if (!json_is_string(x)) {
			ret = cf_error_set(err, 7200, "API client JSON config error");
			goto out;
		}
	}
	out->certificate =
		cv ? cf_xmemdup(json_string_value(cv), json_string_length(cv)) : cf_xstrdup("");
	out->expiry = ev && json_is_string(ev)
			      ? cf_xmemdup(json_string_value(ev), json_string_length(ev))
			      : cf_xstrdup("");
	out->usages = cf_xcalloc(n ? n : 1, sizeof *out->usages);
	out->nusages = n;
	json_array_foreach(uv, k, x)
		out->usages[k] = cf_xmemdup(json_string_value(x), json_string_length(x));
out:
	json_decref(res);
	return ret;
}

int cf_remote_info(struct cf_remote *r, const char *label, const char *profile,
		   struct cf_remote_info *out, struct cf_error *err)
{
	struct cf_buf body = CF_BUF_INIT;
	cf_buf_adds(&body, "{\"label\":");
	quote(&body, label);
	cf_buf_adds(&body, ",\"profile\":");
	quote(&body, profile);
	cf_buf_addc(&body, '}');
	int ret = -1;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < r->nsrv && ret; i++) {
		struct cf_error e = {0};
		ret = info_one(r, i, &body, out, &e);
		if (ret && i + 1 == r->nsrv)
			cf_error_set(err, e.code, "%s", e.msg);
	}
	cf_buf_release(&body);
	if (ret)
		return -1;
	gnutls_x509_crt_t crt = NULL;
	if (cf_parse_cert_pem((const unsigned char *)out->certificate, strlen(out->certificate),
			      &crt, err)) {
		cf_remote_info_release(out);
		return -1;
	}
	gnutls_x509_crt_deinit(crt);
	return 0;
}

void cf_remote_info_json(const struct cf_remote_info *info, struct cf_buf *out)
{
	cf_buf_adds(out, "{\"certificate\":");
	quote(out, info->certificate);
	cf_buf_adds(out, ",\"usages\":[");
	for (size_t i = 0; i < info->nusages; i++) {
		if (i)
			cf_buf_addc(out, ',');
		quote(out, info->usages[i]);
	}
	cf_buf_adds(out, "],\"expiry\":");
	quote(out, info->expiry);
	cf_buf_addc(out, '}');
}

void cf_remote_info_release(struct cf_remote_info *info)
{
	if (!info)
		return;
	free(info->certificate);
	for (size_t i = 0; i < info->nusages; i++)
		free(info->usages[i]);
	free(info->usages);
	free(info->expiry);
	memset(info, 0, sizeof *info);
}
