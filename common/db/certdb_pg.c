/* The postgres certificate database driver, on libpq.
 *
 * data_source is a DSN of Go's lib/pq, which cfssl uses: the URL form
 * postgres://user:password@host:port/dbname?key=value&... (or postgresql://)
 * or the key=value form (values may be 'quoted' with backslash escapes).
 * lib/pq's defaults differ from libpq's and are applied here: host
 * "localhost" (not the unix socket), sslmode "require"; keys that are not
 * connection settings (search_path=..., any server setting) are sent to the
 * server as run-time settings, as lib/pq does.
 *
 * Values are sent as lib/pq sends cfssl's: Go strings as text parameters
 * (the bytea columns read them as bytea text input), []byte as binary,
 * times as text with nanoseconds and "+00:00" (postgres keeps
 * microseconds). The session runs in UTC. */
#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "certdb.h"

#define BYTEAOID   17
#define MAX_COLS   16
#define MAX_PARAMS 16

struct conn {
	PGconn *pg;
	int used; /* a statement succeeded on it: a failure may be a stale link */
	/* Each statement is prepared once per connection (as "cfN"), and its
	 * parameter types asked for, as lib/pq does: a Go string or []byte
	 * bound to a bytea column goes as bytes, anything else as text. */
	int prepared[CF_SQL_COUNT];
	Oid ptypes[CF_SQL_COUNT][MAX_PARAMS];
};

/* libpq is loaded when the first postgres connection is made, not linked: it
 * and the libraries under it (Kerberos, LDAP, a shared GnuTLS and OpenSSL)
 * would otherwise be mapped at every start of every command, and the static
 * build (-Dstatic_crypto=true) must not bind them to its own GnuTLS. */
/* clang-format off */
#define PQ_FUNCS(X) \
	X(PQclear) \
	X(PQdescribePrepared) \
	X(PQexecPrepared) \
	X(PQnparams) \
	X(PQparamtype) \
	X(PQprepare) \
	X(PQcmdTuples) \
	X(PQconnectdbParams) \
	X(PQerrorMessage) \
	X(PQfinish) \
	X(PQfname) \
	X(PQfreemem) \
	X(PQftype) \
	X(PQgetisnull) \
	X(PQgetlength) \
	X(PQgetvalue) \
	X(PQnfields) \
	X(PQntuples) \
	X(PQreset) \
	X(PQresultErrorField) \
	X(PQresultStatus) \
	X(PQstatus) \
	X(PQunescapeBytea)
/* clang-format on */
static struct {
#define X(f) __typeof__(f) *f;
	PQ_FUNCS(X)
#undef X
} pq;
static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_load_error[256];

static void pq_load(void)
{
	void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(pq_load_error, sizeof pq_load_error,
			 "the postgres driver needs libpq (Debian package libpq5): %s", dlerror());
		return;
	}
	void *fn;
	/* POSIX guarantees that object and function pointers convert through memcpy */
#define X(f)                                                                                   \
	if (!(fn = dlsym(h, #f))) {                                                            \
		snprintf(pq_load_error, sizeof pq_load_error, "cannot load libpq: no %s", #f); \
		return;                                                                        \
	}                                                                                      \
	memcpy(&pq.f, &fn, sizeof fn);
	PQ_FUNCS(X)
#undef X
}

/* ---- the data source ---- */

struct dsn {
	char **keys, **vals; /* owned */
	size_t n;
};

static void dsn_release(struct dsn *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->keys[i]);
		cf_wipe_free(d->vals[i], strlen(d->vals[i])); /* may be a password */
	}
	free(d->keys);
	free(d->vals);
	memset(d, 0, sizeof *d);
}

/* Sets @k (a later value replaces an earlier one, as lib/pq's map). */
static void dsn_set(struct dsn *d, const char *k, size_t kl, const char *v, size_t vl)
{
	for (size_t i = 0; i < d->n; i++)
		if (strlen(d->keys[i]) == kl && !memcmp(d->keys[i], k, kl)) {
			cf_wipe_free(d->vals[i], strlen(d->vals[i]));
			d->vals[i] = cf_xmemdup(v, vl);
			return;
		}
	d->keys = cf_xgrow(d->keys, d->n + 1, sizeof *d->keys);
	d->vals = cf_xgrow(d->vals, d->n + 1, sizeof *d->vals);
	d->keys[d->n] = cf_xmemdup(k, kl);
	d->vals[d->n] = cf_xmemdup(v, vl);
	d->n++;
}

static const char *dsn_get(const struct dsn *d, const char *k)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->keys[i], k))
			return d->vals[i];
	return NULL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Go's URL unescaping of s[0..n) into @out; '+' is a space in a query. */
static int unescape(const char *s, size_t n, int query, struct cf_buf *out)
{
	out->len = 0;
	cf_buf_reserve(out, 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return -1;
			cf_buf_addc(out, (unsigned char)(hi << 4 | lo));
			i += 2;
		} else if (query && s[i] == '+') {
			cf_buf_addc(out, ' ');
		} else {
			cf_buf_addc(out, (unsigned char)s[i]);
		}
	}
	out->data[out->len] = 0;
	return 0;
}

static int set_unescaped(struct dsn *d, const char *k, const char *v, size_t vl, int query,
			 struct cf_error *err)
{
	struct cf_buf b = CF_BUF_INIT;
	if (unescape(v, vl, query, &b) < 0) {
		cf_buf_release(&b);
		return cf_error_set(err, CF_ERR_CERTSTORE, "invalid URL escape in data_source");
	}
	dsn_set(d, k, strlen(k), (const char *)b.data, b.len);
	cf_wipe_free(b.data, b.len);
	return 0;
}

/* lib/pq's ParseURL: postgres[ql]://[user[:password]@][host][:port][/dbname][?k=v&...]. */
static int parse_url(const char *s, struct dsn *d, struct cf_error *err)
{
	s = strstr(s, "://") + 3;
	const char *end = s + strcspn(s, "#");
	const char *auth_end = s + strcspn(s, "/?#");
	const char *at = NULL;
	for (const char *p = s; p < auth_end; p++)
		if (*p == '@')
			at = p;
	if (at) {
		const char *colon = memchr(s, ':', (size_t)(at - s));
		if (set_unescaped(d, "user", s, (size_t)((colon ? colon : at) - s), 0, err) < 0)
			return -1;
		if (colon &&
		    set_unescaped(d, "password", colon + 1, (size_t)(at - colon - 1), 0, err) < 0)
			return -1;
		s = at + 1;
	}
	if (s < auth_end) {
		const char *host_end = auth_end, *port = NULL;
		if (*s == '[') {
			const char *rb = memchr(s, ']', (size_t)(auth_end - s));
			if (!rb)
				return cf_error_set(err, CF_ERR_CERTSTORE,
						    "missing ']' in host of data_source");
			if (rb + 1 < auth_end && rb[1] == ':')
				port = rb + 2;
			dsn_set(d, "host", 4, s + 1, (size_t)(rb - s - 1));
		} else {
			for (const char *p = s; p < auth_end; p++)
				if (*p == ':')
					host_end = p;
			if (host_end < auth_end)
				port = host_end + 1;
			if (set_unescaped(d, "host", s, (size_t)(host_end - s), 0, err) < 0)
				return -1;
		}
		if (port && port < auth_end)
			dsn_set(d, "port", 4, port, (size_t)(auth_end - port));
	}
	s = auth_end;
	if (*s == '/') {
		const char *q = s + strcspn(s, "?#");
		if (q - s > 1 && set_unescaped(d, "dbname", s + 1, (size_t)(q - s - 1), 0, err) < 0)
			return -1;
		s = q;
	}
	if (*s == '?') {
		s++;
		while (s < end) {
			const char *amp = s + strcspn(s, "&#");
			const char *eq = memchr(s, '=', (size_t)(amp - s));
			if (amp > s) {
				struct cf_buf k = CF_BUF_INIT;
				int bad = unescape(s, (size_t)((eq ? eq : amp) - s), 1, &k) < 0;
				if (!bad && k.len && !dsn_get(d, (const char *)k.data))
					bad = eq ? set_unescaped(d, (const char *)k.data, eq + 1,
								 (size_t)(amp - eq - 1), 1, err)
						 : set_unescaped(d, (const char *)k.data, "", 0, 1,
								 err);
				cf_buf_release(&k);
				if (bad)
					return cf_error_set(err, CF_ERR_CERTSTORE,
							    "invalid URL escape in data_source");
			}
			s = *amp == '&' ? amp + 1 : end;
		}
	}
	return 0;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* lib/pq's parseOpts: key = value pairs; a value is 'quoted' or runs to the
 * next blank; a backslash escapes the next character. */
static int parse_kv(const char *s, struct dsn *d, struct cf_error *err)
{
	struct cf_buf v = CF_BUF_INIT;
	int ret = 0;
	for (;;) {
		while (is_space((unsigned char)*s))
			s++;
		if (!*s)
			break;
		const char *k = s;
		while (*s && *s != '=' && !is_space((unsigned char)*s))
			s++;
		size_t kl = (size_t)(s - k);
		while (is_space((unsigned char)*s))
			s++;
		if (*s != '=') {
			ret = cf_error_set(
				err, CF_ERR_CERTSTORE,
				"missing \"=\" after \"%.*s\" in connection info string\"", (int)kl,
				k);
			break;
		}
		s++;
		while (is_space((unsigned char)*s))
			s++;
		v.len = 0;
		cf_buf_reserve(&v, 1);
		if (*s == '\'') {
			s++;
			while (*s && *s != '\'') {
				if (*s == '\\' && s[1])
					s++;
				cf_buf_addc(&v, (unsigned char)*s++);
			}
			if (*s != '\'') {
				ret = cf_error_set(
					err, CF_ERR_CERTSTORE,
					"unterminated quoted string literal in connection "
					"string");
				break;
			}
			s++;
		} else {
			while (*s && !is_space((unsigned char)*s)) {
				if (*s == '\\' && s[1])
					s++;
				cf_buf_addc(&v, (unsigned char)*s++);
			}
		}
		dsn_set(d, k, kl, v.data ? (const char *)v.data : "", v.len);
	}
	cf_wipe_free(v.data, v.cap);
	return ret;
}

/* lib/pq's settings that are libpq connection keywords too. */
static const char *const pass_keys[] = {
	"host",
	"port",
	"user",
	"password",
	"dbname",
	"sslmode",
	"sslcert",
	"sslkey",
	"sslrootcert",
	"sslsni",
	"connect_timeout",
	"application_name",
	"krbsrvname",
	"fallback_application_name",
	"passfile",
	"service",
};
/* lib/pq's settings libpq has no use for. */
static const char *const ignored_keys[] = {"binary_parameters", "disable_prepared_binary_result",
					   "sslinline", "krbspn"};

static int in_list(const char *k, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(k, list[i]))
			return 1;
	return 0;
}

/* libpq's "options" quoting: a blank or backslash is escaped by a backslash. */
static void add_option(struct cf_buf *o, const char *k, const char *v)
{
	if (o->len)
		cf_buf_addc(o, ' ');
	cf_buf_adds(o, "-c ");
	for (const char *p = k; *p; p++) {
		if (is_space((unsigned char)*p) || *p == '\\')
			cf_buf_addc(o, '\\');
		cf_buf_addc(o, (unsigned char)*p);
	}
	cf_buf_addc(o, '=');
	for (const char *p = v; *p; p++) {
		if (is_space((unsigned char)*p) || *p == '\\')
			cf_buf_addc(o, '\\');
		cf_buf_addc(o, (unsigned char)*p);
	}
}

/* ---- errors ---- */

/* Go's text for a system error is the C library's with a lower-case start.
 * 0 when @msg is a system error's text, -1 (nothing added) otherwise. */
static int add_syserr(struct cf_buf *b, const char *msg, size_t n)
{
	char tmp[128];
	for (int e = 1; e < 134; e++) {
		const char *s = strerror_r(e, tmp, sizeof tmp);
		if (strlen(s) != n || memcmp(s, msg, n))
			continue;
		if (msg[0] >= 'A' && msg[0] <= 'Z' && !(n > 1 && msg[1] >= 'A' && msg[1] <= 'Z')) {
			cf_buf_addc(b, (unsigned char)(msg[0] - 'A' + 'a'));
			cf_buf_add(b, msg + 1, n - 1);
		} else {
			cf_buf_add(b, msg, n);
		}
		return 0;
	}
	return -1;
}

/* libpq's connection failure as lib/pq and Go's net package word it:
 * "dial tcp 127.0.0.1:1: connect: connection refused", "dial unix
 * /run/x/.s.PGSQL.5432: connect: no such file or directory", or "pq: "
 * and the server's message (a FATAL at start-up). */
static int conn_error(PGconn *pg, struct cf_error *err)
{
	const char *m = pg ? pq.PQerrorMessage(pg) : "out of memory";
	size_t n = strcspn(m, "\n");
	const char *f = NULL;
	struct cf_buf b = CF_BUF_INIT;
	for (const char *p = m; p + 9 <= m + n; p++)
		if (!memcmp(p, " failed: ", 9)) {
			f = p;
			break;
		}
	if (f) {
		const char *what = f + 9;
		size_t wn = (size_t)(m + n - what);
		static const char nossl[] = "server does not support SSL, but SSL was required";
		if (!strncmp(what, "FATAL:  ", 8) || !strncmp(what, "ERROR:  ", 8)) {
			cf_buf_printf(&b, "pq: %.*s", (int)(wn - 8), what + 8);
		} else if (wn == sizeof nossl - 1 && !memcmp(what, nossl, wn)) {
			cf_buf_adds(&b, "pq: SSL is not enabled on the server");
		} else if (!strncmp(m, "connection to server on socket \"", 32)) {
			const char *path = m + 32, *q = memchr(path, '"', (size_t)(f - path));
			cf_buf_printf(&b, "dial unix %.*s: connect: ", (int)(q ? q - path : 0),
				      path);
			add_syserr(&b, what, wn);
		} else if (!strncmp(m, "connection to server at \"", 25)) {
			/* at "HOST" (ADDR), port P  or  at "HOST", port P */
			const char *h = m + 25, *hq = memchr(h, '"', (size_t)(f - h));
			const char *addr = h, *ae = hq, *port = NULL;
			if (hq && hq[1] == ' ' && hq[2] == '(') {
				addr = hq + 3;
				ae = memchr(addr, ')', (size_t)(f - addr));
			}
			if (ae)
				port = strstr(ae, "port ");
			if (ae && port && port < f) {
				int v6 = memchr(addr, ':', (size_t)(ae - addr)) != NULL;
				cf_buf_printf(&b,
					      "dial tcp %s%.*s%s:%.*s: connect: ", v6 ? "[" : "",
					      (int)(ae - addr), addr, v6 ? "]" : "",
					      (int)(f - port - 5), port + 5);
				if (add_syserr(&b, what, wn) < 0)
					b.len = 0;
			}
		}
	}
	if (!b.len) {
		if (!strncmp(m, "FATAL:  ", 8))
			cf_buf_printf(&b, "pq: %.*s", (int)(n - 8), m + 8);
		else
			cf_buf_add(&b, m, n);
	}
	cf_error_set(err, CF_ERR_CERTSTORE, "%s",
		     b.len ? (const char *)b.data : "pq: connection failed");
	cf_buf_release(&b);
	return -1;
}

/* A failed statement: lib/pq's "pq: " and the server's message, or the
 * missing table named. */
static int result_error(const PGresult *res, PGconn *pg, struct cf_error *err)
{
	const char *state = res ? pq.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? pq.PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (state && msg && !strcmp(state, "42P01")) {
		/* relation "certificates" does not exist */
		const char *q = strchr(msg, '"'), *e = q ? strchr(q + 1, '"') : NULL;
		if (e) {
			char table[128];
			snprintf(table, sizeof table, "%.*s", (int)(e - q - 1), q + 1);
			return cf_certdb_missing_table(err, "postgres", table);
		}
	}
	if (state && msg && !strcmp(state, "42703")) {
		/* column "issued_at" of relation "certificates" does not exist */
		char text[512];
		snprintf(text, sizeof text, "pq: %s", msg);
		return cf_certdb_missing_column(err, "postgres", text);
	}
	if (msg)
		return cf_error_set(err, CF_ERR_CERTSTORE, "pq: %s", msg);
	const char *m = pq.PQerrorMessage(pg);
	return cf_error_set(err, CF_ERR_CERTSTORE, "pq: %.*s", (int)strcspn(m, "\n"), m);
}

/* ---- the driver ---- */

static void disconnect(void *p)
{
	struct conn *c = p;
	if (!c)
		return;
	pq.PQfinish(c->pg);
	free(c);
}

static void *connect(const char *source, struct cf_error *err)
{
	pthread_once(&pq_once, pq_load);
	if (pq_load_error[0]) {
		cf_error_set(err, CF_ERR_CERTSTORE, "%s", pq_load_error);
		return NULL;
	}
	struct dsn d = {0};
	int r = !strncmp(source, "postgres://", 11) || !strncmp(source, "postgresql://", 13)
			? parse_url(source, &d, err)
			: parse_kv(source, &d, err);
	if (r < 0) {
		dsn_release(&d);
		return NULL;
	}
	/* lib/pq's defaults where libpq's differ */
	if (!dsn_get(&d, "host") && !getenv("PGHOST"))
		dsn_set(&d, "host", 4, "localhost", 9);
	if (!dsn_get(&d, "sslmode") && !getenv("PGSSLMODE"))
		dsn_set(&d, "sslmode", 7, "require", 7);

	/* UTC and ISO dates in, whatever the server's defaults; then lib/pq's
	 * run-time settings */
	struct cf_buf opts = CF_BUF_INIT;
	add_option(&opts, "TimeZone", "UTC");
	add_option(&opts, "DateStyle", "ISO");
	add_option(&opts, "bytea_output", "hex");
	const char *keys[64], *vals[64];
	size_t n = 0;
	for (size_t i = 0; i < d.n && n < 60; i++) {
		if (in_list(d.keys[i], ignored_keys, sizeof ignored_keys / sizeof *ignored_keys))
			continue;
		if (!strcmp(d.keys[i], "options")) {
			if (opts.len)
				cf_buf_addc(&opts, ' ');
			cf_buf_adds(&opts, d.vals[i]);
		} else if (in_list(d.keys[i], pass_keys, sizeof pass_keys / sizeof *pass_keys)) {
			keys[n] = d.keys[i];
			vals[n++] = d.vals[i];
		} else {
			add_option(&opts, d.keys[i], d.vals[i]);
		}
	}
	keys[n] = "options";
	vals[n++] = (const char *)opts.data;
	keys[n] = "client_encoding";
	vals[n++] = "UTF8";
	keys[n] = NULL;
	vals[n] = NULL;

	struct conn *c = cf_xcalloc(1, sizeof *c);
	c->pg = pq.PQconnectdbParams(keys, vals, 0);
	cf_buf_release(&opts);
	dsn_release(&d);
	if (pq.PQstatus(c->pg) != CONNECTION_OK) {
		conn_error(c->pg, err);
		disconnect(c);
		return NULL;
	}
	return c;
}

/* Hands the rows of @res to @row, the columns as @st says. */
static int rows(const struct cf_certdb_stmt *st, PGresult *res, cf_certdb_row_fn row, void *ctx,
		struct cf_error *err)
{
	int nrows = pq.PQntuples(res), ncols = st->ncols;
	if (ncols > MAX_COLS || ncols > pq.PQnfields(res))
		return cf_error_set(err, CF_ERR_CERTSTORE, "pq: unexpected result columns");
	struct cf_dbval cols[MAX_COLS];
	unsigned char *bytes[MAX_COLS];
	int ret = 0;
	for (int r = 0; r < nrows && !ret; r++) {
		memset(bytes, 0, sizeof bytes);
		for (int j = 0; j < ncols && !ret; j++) {
			struct cf_dbval *v = &cols[j];
			memset(v, 0, sizeof *v);
			if (pq.PQgetisnull(res, r, j))
				continue;
			const char *s = pq.PQgetvalue(res, r, j);
			size_t len = (size_t)pq.PQgetlength(res, r, j);
			if (pq.PQftype(res, j) == BYTEAOID) {
				size_t bl = 0;
				unsigned char *raw =
					pq.PQunescapeBytea((const unsigned char *)s, &bl);
				if (!raw) {
					ret = cf_error_set(err, CF_ERR_CERTSTORE,
							   "pq: out of memory");
					break;
				}
				bytes[j] = (unsigned char *)cf_xmemdup(raw, bl);
				pq.PQfreemem(raw);
				s = (const char *)bytes[j];
				len = bl;
			}
			switch (st->coltypes[j]) {
			case CF_DBV_INT:
				v->type = CF_DBV_INT;
				v->i = strtoll(s, NULL, 10);
				break;
			case CF_DBV_TIME:
				v->type = CF_DBV_TIME;
				if (cf_dbtime_parse(s, len, &v->t) < 0)
					ret = cf_error_set(
						err, CF_ERR_CERTSTORE,
						"sql: Scan error on column index %d, name "
						"\"%s\": unsupported time value \"%s\"",
						j, pq.PQfname(res, j), s);
				break;
			default:
				v->type = st->coltypes[j];
				v->s = s;
				v->len = len;
				break;
			}
		}
		if (!ret && row)
			ret = row(ctx, cols, err);
		for (int j = 0; j < ncols; j++)
			free(bytes[j]);
	}
	return ret < 0 ? -1 : 0;
}

/* Prepares @st on @c once; NULL, or the failed result. */
static PGresult *prepare(struct conn *c, const struct cf_certdb_stmt *st)
{
	if (c->prepared[st->id])
		return NULL;
	char name[16];
	snprintf(name, sizeof name, "cf%d", (int)st->id);
	char *sql = cf_certdb_rebind_dollar(st->sql);
	PGresult *res = pq.PQprepare(c->pg, name, sql, 0, NULL);
	free(sql);
	if (pq.PQresultStatus(res) != PGRES_COMMAND_OK)
		return res;
	pq.PQclear(res);
	res = pq.PQdescribePrepared(c->pg, name);
	if (pq.PQresultStatus(res) != PGRES_COMMAND_OK)
		return res;
	for (int i = 0; i < st->nparams && i < pq.PQnparams(res); i++)
		c->ptypes[st->id][i] = pq.PQparamtype(res, i);
	pq.PQclear(res);
	c->prepared[st->id] = 1;
	return NULL;
}

static PGresult *run(struct conn *c, const struct cf_certdb_stmt *st, const struct cf_dbval *params)
{
	PGresult *res = prepare(c, st);
	if (res)
		return res;
	const char *values[MAX_PARAMS] = {0};
	int lengths[MAX_PARAMS] = {0}, formats[MAX_PARAMS] = {0};
	char *owned[MAX_PARAMS] = {0};
	int np = st->nparams;
	for (int i = 0; i < np; i++) {
		const struct cf_dbval *v = &params[i];
		int bytea = c->ptypes[st->id][i] == BYTEAOID;
		switch (v->type) {
		case CF_DBV_NULL: break;
		case CF_DBV_TEXT:
		case CF_DBV_BLOB:
			if (bytea) {
				values[i] = v->s ? v->s : "";
				lengths[i] = (int)v->len;
				formats[i] = 1;
			} else {
				values[i] = owned[i] = cf_xmemdup(v->s ? v->s : "", v->len);
			}
			break;
		case CF_DBV_INT:
			owned[i] = cf_xmalloc(24);
			snprintf(owned[i], 24, "%lld", v->i);
			values[i] = owned[i];
			break;
		case CF_DBV_TIME:
			owned[i] = cf_xmalloc(64);
			cf_dbtime_format(&v->t, 9, "+00:00", owned[i]);
			values[i] = owned[i];
			break;
		}
	}
	char name[16];
	snprintf(name, sizeof name, "cf%d", (int)st->id);
	res = pq.PQexecPrepared(c->pg, name, np, values, lengths, formats, 0);
	for (int i = 0; i < np; i++)
		free(owned[i]);
	return res;
}

static int exec(void *p, const struct cf_certdb_stmt *st, const struct cf_dbval *params,
		cf_certdb_row_fn row, void *ctx, long long *affected, struct cf_error *err)
{
	struct conn *c = p;
	if (st->nparams > MAX_PARAMS)
		return cf_error_set(err, CF_ERR_CERTSTORE, "pq: too many parameters");
	for (int attempt = 0;; attempt++) {
		PGresult *res = run(c, st, params);
		ExecStatusType s = pq.PQresultStatus(res);
		if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
			c->used = 1;
			int ret = rows(st, res, row, ctx, err);
			if (!ret && affected) {
				const char *t = pq.PQcmdTuples(res);
				*affected = *t ? strtoll(t, NULL, 10) : 0;
			}
			pq.PQclear(res);
			return ret;
		}
		if (pq.PQstatus(c->pg) != CONNECTION_BAD) {
			result_error(res, c->pg, err);
			pq.PQclear(res);
			return -1;
		}
		pq.PQclear(res);
		/* A connection that worked before and is now gone: the server
		 * restarted or dropped it. As Go's database/sql retries on a new
		 * connection, try once more on a fresh one. */
		if (attempt == 0 && c->used) {
			pq.PQreset(c->pg);
			memset(c->prepared, 0, sizeof c->prepared);
			if (pq.PQstatus(c->pg) == CONNECTION_OK)
				continue;
		}
		conn_error(c->pg, err);
		return CF_CERTDB_BROKEN;
	}
}

const struct cf_certdb_driver cf_certdb_postgres = {
	.name = "postgres",
	.connect = connect,
	.disconnect = disconnect,
	.exec = exec,
};
