/* The mysql certificate database driver (MySQL, MariaDB), on libmariadb.
 *
 * data_source is a DSN of Go's go-sql-driver/mysql, which cfssl uses:
 * [user[:password]@][tcp(host:port)|unix(/path)]/dbname[?param=value&...].
 * Defaults as that driver's: tcp, 127.0.0.1:3306 (/tmp/mysql.sock for unix),
 * utf8mb4. Its parameters timeout, readTimeout, writeTimeout (Go
 * durations), tls (true, skip-verify, preferred, false), charset,
 * clientFoundRows and loc (UTC only) are honoured; parseTime and the other
 * client-side switches have nothing to do here (times are always read as
 * times); any other parameter is a server variable set on each new
 * connection (SET name=value), as that driver does.
 *
 * Statements go as text with their parameters quoted in, as the Go driver
 * does with interpolateParams: strings escaped by the server's rules
 * (mysql_real_escape_string), bytes as hex literals, times in UTC as
 * "YYYY-MM-DD HH:MM:SS": MySQL's timestamp keeps whole seconds, Go's zero
 * time is MySQL's zero date 0000-00-00, read back as Go's zero time. The
 * session time zone is left as the server's, as cfssl leaves it, so both
 * read each other's rows alike. */
#include <dlfcn.h>
#include <errmsg.h>
#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "certdb.h"
#include "duration.h"

#define MAX_COLS 16

struct cfg {
	char *user, *passwd, *net, *addr, *dbname;         /* owned */
	char *charset;                                     /* NULL: utf8mb4 */
	char *tls;                                         /* NULL: off */
	char *set;                                         /* "SET a=b,c=d" or NULL */
	unsigned int timeout, read_timeout, write_timeout; /* seconds, 0: none */
	int found_rows;
};

struct conn {
	MYSQL *m;
	struct cfg cfg;
	int used; /* a statement succeeded on it: a lost link may be a stale one */
};

static void cfg_release(struct cfg *c)
{
	free(c->user);
	if (c->passwd)
		cf_wipe_free(c->passwd, strlen(c->passwd));
	free(c->net);
	free(c->addr);
	free(c->dbname);
	free(c->charset);
	free(c->tls);
	free(c->set);
	memset(c, 0, sizeof *c);
}

/* libmariadb is loaded when the first mysql connection is made, not linked:
 * it and the libraries under it (OpenSSL) would otherwise be mapped at every
 * start of every command. */
/* clang-format off */
#define MY_FUNCS(X) \
	X(mysql_affected_rows) \
	X(mysql_close) \
	X(mysql_errno) \
	X(mysql_error) \
	X(mysql_fetch_fields) \
	X(mysql_fetch_lengths) \
	X(mysql_fetch_row) \
	X(mysql_field_count) \
	X(mysql_free_result) \
	X(mysql_init) \
	X(mysql_num_fields) \
	X(mysql_optionsv) \
	X(mysql_real_connect) \
	X(mysql_real_escape_string) \
	X(mysql_real_query) \
	X(mysql_server_init) \
	X(mysql_sqlstate) \
	X(mysql_store_result)
/* clang-format on */
static struct {
#define X(f) __typeof__(f) *f;
	MY_FUNCS(X)
#undef X
} my;
static char my_load_error[256];

static void my_load(void)
{
	void *h = dlopen("libmariadb.so.3", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(my_load_error, sizeof my_load_error,
			 "the mysql driver needs libmariadb (Debian package libmariadb3): %s",
			 dlerror());
		return;
	}
	void *fn;
	/* POSIX guarantees that object and function pointers convert through memcpy */
#define X(f)                                                                                   \
	if (!(fn = dlsym(h, #f))) {                                                            \
		snprintf(my_load_error, sizeof my_load_error, "cannot load libmariadb: no %s", \
			 #f);                                                                  \
		return;                                                                        \
	}                                                                                      \
	memcpy(&my.f, &fn, sizeof fn);
	MY_FUNCS(X)
#undef X
	/* not thread-safe itself: once, before any connection */
	my.mysql_server_init(0, NULL, NULL);
}

/* ---- the data source ---- */

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

/* Go's url.QueryUnescape (query: '+' is a space) / url.PathUnescape; new. */
static char *unescape(const char *s, size_t n, int query)
{
	struct cf_buf b = CF_BUF_INIT;
	cf_buf_reserve(&b, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				cf_buf_release(&b);
				return NULL;
			}
			cf_buf_addc(&b, (unsigned char)(hi << 4 | lo));
			i += 2;
		} else {
			cf_buf_addc(&b, query && s[i] == '+' ? ' ' : (unsigned char)s[i]);
		}
	}
	b.data[b.len] = 0;
	return (char *)b.data;
}

static int duration_secs(const char *v, unsigned int *out, struct cf_error *err)
{
	int64_t ns;
	if (cf_duration_parse(v, &ns, err) < 0)
		return -1;
	*out = ns <= 0 ? 0 : (unsigned int)((ns + 999999999) / 1000000000);
	return 0;
}

static int parse_params(struct cfg *c, const char *s, struct cf_error *err)
{
	struct cf_buf set = CF_BUF_INIT;
	int ret = 0;
	while (*s && !ret) {
		size_t n = strcspn(s, "&");
		const char *eq = memchr(s, '=', n);
		if (!eq) {
			ret = cf_error_set(err, CF_ERR_CERTSTORE, "invalid DSN: %.*s", (int)n, s);
			break;
		}
		char *k = cf_xmemdup(s, (size_t)(eq - s));
		char *v = unescape(eq + 1, (size_t)(s + n - eq - 1), 1);
		if (!v) {
			ret = cf_error_set(err, CF_ERR_CERTSTORE,
					   "invalid DSN: invalid URL escape in %s", k);
		} else if (!strcmp(k, "timeout")) {
			ret = duration_secs(v, &c->timeout, err);
		} else if (!strcmp(k, "readTimeout")) {
			ret = duration_secs(v, &c->read_timeout, err);
		} else if (!strcmp(k, "writeTimeout")) {
			ret = duration_secs(v, &c->write_timeout, err);
		} else if (!strcmp(k, "tls")) {
			free(c->tls);
			c->tls = cf_xstrdup(v);
		} else if (!strcmp(k, "charset")) {
			/* a list: the Go driver tries each; the first is used here */
			free(c->charset);
			c->charset = cf_xmemdup(v, strcspn(v, ","));
		} else if (!strcmp(k, "clientFoundRows")) {
			c->found_rows = !strcmp(v, "true") || !strcmp(v, "1");
		} else if (!strcmp(k, "loc")) {
			if (strcmp(v, "UTC"))
				ret = cf_error_set(err, CF_ERR_CERTSTORE,
						   "invalid DSN: loc=%s: cfssl-c reads and writes "
						   "MySQL times in UTC only",
						   v);
		} else if (!strcmp(k, "parseTime") || !strcmp(k, "allowAllFiles") ||
			   !strcmp(k, "allowCleartextPasswords") ||
			   !strcmp(k, "allowFallbackToPlaintext") ||
			   !strcmp(k, "allowNativePasswords") || !strcmp(k, "allowOldPasswords") ||
			   !strcmp(k, "checkConnLiveness") || !strcmp(k, "collation") ||
			   !strcmp(k, "columnsWithAlias") || !strcmp(k, "interpolateParams") ||
			   !strcmp(k, "maxAllowedPacket") || !strcmp(k, "multiStatements") ||
			   !strcmp(k, "rejectReadOnly") || !strcmp(k, "serverPubKey") ||
			   !strcmp(k, "connectionAttributes") || !strcmp(k, "timeTruncate")) {
			/* the Go driver's client-side switches: nothing to do here */
		} else {
			cf_buf_adds(&set, set.len ? "," : "SET ");
			cf_buf_printf(&set, "%s=%s", k, v);
		}
		free(k);
		free(v);
		s += n;
		if (*s == '&')
			s++;
	}
	if (set.len && !ret)
		c->set = (char *)cf_buf_detach(&set, NULL);
	cf_buf_release(&set);
	return ret;
}

/* go-sql-driver's ParseDSN. */
static int parse_dsn(const char *dsn, struct cfg *c, struct cf_error *err)
{
	const char *slash = strrchr(dsn, '/');
	if (!slash)
		return cf_error_set(err, CF_ERR_CERTSTORE,
				    "invalid DSN: missing the slash separating the database name");
	const char *left = dsn, *at = NULL;
	for (const char *p = dsn; p < slash; p++)
		if (*p == '@')
			at = p;
	if (at) {
		const char *colon = memchr(dsn, ':', (size_t)(at - dsn));
		c->user = cf_xmemdup(dsn, (size_t)((colon ? colon : at) - dsn));
		if (colon)
			c->passwd = cf_xmemdup(colon + 1, (size_t)(at - colon - 1));
		left = at + 1;
	}
	const char *paren = memchr(left, '(', (size_t)(slash - left));
	if (paren) {
		if (slash[-1] != ')') {
			if (memchr(paren + 1, ')', (size_t)(slash - paren - 1)))
				return cf_error_set(err, CF_ERR_CERTSTORE,
						    "invalid DSN: did you forget to escape a param "
						    "value?");
			return cf_error_set(err, CF_ERR_CERTSTORE,
					    "invalid DSN: network address not terminated (missing "
					    "closing brace)");
		}
		c->addr = cf_xmemdup(paren + 1, (size_t)(slash - 1 - paren - 1));
	}
	c->net = cf_xmemdup(left, (size_t)((paren ? paren : slash) - left));
	const char *q = strchr(slash + 1, '?');
	size_t dbl = q ? (size_t)(q - slash - 1) : strlen(slash + 1);
	c->dbname = unescape(slash + 1, dbl, 0);
	if (!c->dbname)
		return cf_error_set(err, CF_ERR_CERTSTORE,
				    "invalid DSN: invalid URL escape in the database name");
	if (q && parse_params(c, q + 1, err) < 0)
		return -1;
	if (!*c->net) {
		free(c->net);
		c->net = cf_xstrdup("tcp");
	}
	if (strcmp(c->net, "tcp") && strcmp(c->net, "unix"))
		return cf_error_set(err, CF_ERR_CERTSTORE, "unknown network %s", c->net);
	if (!c->addr || !*c->addr) {
		free(c->addr);
		c->addr =
			cf_xstrdup(!strcmp(c->net, "unix") ? "/tmp/mysql.sock" : "127.0.0.1:3306");
	}
	return 0;
}

/* tcp "host:port" / "[v6]:port" / "host" into @host (new) and @port. */
static char *split_hostport(const char *addr, unsigned int *port)
{
	*port = 3306;
	const char *colon = strrchr(addr, ':');
	if (addr[0] == '[') {
		const char *rb = strchr(addr, ']');
		if (rb && rb[1] == ':')
			*port = (unsigned int)strtoul(rb + 2, NULL, 10);
		return cf_xmemdup(addr + 1, rb ? (size_t)(rb - addr - 1) : strlen(addr + 1));
	}
	if (colon && strchr(addr, ':') == colon) { /* one colon: host:port */
		*port = (unsigned int)strtoul(colon + 1, NULL, 10);
		return cf_xmemdup(addr, (size_t)(colon - addr));
	}
	return cf_xstrdup(addr);
}

/* ---- errors ---- */

/* The errno of a blocking connect to @addr (2 s at most), 0 if it connects. */
static int probe_tcp(const char *addr)
{
	unsigned int port;
	char *host = split_hostport(addr, &port);
	char ports[16];
	snprintf(ports, sizeof ports, "%u", port);
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
	int e = EINPROGRESS;
	if (!getaddrinfo(host, ports, &hints, &ai) && ai) {
		int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0) {
			struct timeval tv = {2, 0};
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
			e = connect(fd, ai->ai_addr, ai->ai_addrlen) ? errno : 0;
			close(fd);
		}
		freeaddrinfo(ai);
	}
	free(host);
	return e;
}

/* The Go driver's texts: "Error 1146 (42S02): Table ... doesn't exist" for
 * the server's errors, Go's dial errors for a server that cannot be
 * reached. */
static int db_error(MYSQL *m, const struct cfg *cfg, struct cf_error *err)
{
	unsigned int no = my.mysql_errno(m);
	const char *msg = my.mysql_error(m);
	if (no == ER_NO_SUCH_TABLE) {
		/* Table 'certdb.certificates' doesn't exist */
		const char *q = strchr(msg, '\''), *e = q ? strchr(q + 1, '\'') : NULL;
		if (e) {
			const char *dot = memchr(q, '.', (size_t)(e - q));
			const char *t = dot ? dot + 1 : q + 1;
			char table[128];
			snprintf(table, sizeof table, "%.*s", (int)(e - t), t);
			return cf_certdb_missing_table(err, "mysql", table);
		}
	}
	if (no == ER_BAD_FIELD_ERROR) {
		/* Unknown column 'issued_at' in 'field list' */
		char text[512];
		snprintf(text, sizeof text, "Error %u (%s): %s", no, my.mysql_sqlstate(m), msg);
		return cf_certdb_missing_column(err, "mysql", text);
	}
	if (no == CR_CONNECTION_ERROR || no == CR_CONN_HOST_ERROR) {
		/* "... (111)": the system error; libmariadb's non-blocking TCP
		 * connect reports EINPROGRESS, so ask the address once more */
		const char *lp = strrchr(msg, '(');
		int e = lp ? atoi(lp + 1) : 0;
		if (e == EINPROGRESS && !strcmp(cfg->net, "tcp"))
			e = probe_tcp(cfg->addr);
		if (e > 0 && e != EINPROGRESS) {
			char tmp[128];
			char text[128];
			snprintf(text, sizeof text, "%s", strerror_r(e, tmp, sizeof tmp));
			if (text[0] >= 'A' && text[0] <= 'Z' && !(text[1] >= 'A' && text[1] <= 'Z'))
				text[0] = (char)(text[0] - 'A' + 'a');
			return cf_error_set(err, CF_ERR_CERTSTORE, "dial %s %s: connect: %s",
					    cfg->net, cfg->addr, text);
		}
	}
	if (no >= 2000 && no < 3000) /* the client library's own */
		return cf_error_set(err, CF_ERR_CERTSTORE, "%s", msg);
	const char *state = my.mysql_sqlstate(m);
	if (state && *state && strcmp(state, "00000"))
		return cf_error_set(err, CF_ERR_CERTSTORE, "Error %u (%s): %s", no, state, msg);
	return cf_error_set(err, CF_ERR_CERTSTORE, "Error %u: %s", no, msg);
}

static int lost(MYSQL *m)
{
	unsigned int no = my.mysql_errno(m);
	return no == CR_SERVER_GONE_ERROR || no == CR_SERVER_LOST || no == CR_SERVER_LOST_EXTENDED;
}

/* ---- the driver ---- */

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

/* A new session on @cfg; NULL with @err set. */
static MYSQL *open_session(const struct cfg *cfg, struct cf_error *err)
{
	pthread_once(&lib_once, my_load);
	if (my_load_error[0]) {
		cf_error_set(err, CF_ERR_CERTSTORE, "%s", my_load_error);
		return NULL;
	}
	MYSQL *m = my.mysql_init(NULL);
	if (!m) {
		cf_error_set(err, CF_ERR_CERTSTORE, "mysql: out of memory");
		return NULL;
	}
	unsigned int proto = !strcmp(cfg->net, "unix") ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
	my.mysql_optionsv(m, MYSQL_OPT_PROTOCOL, &proto);
	my.mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, cfg->charset ? cfg->charset : "utf8mb4");
	if (cfg->timeout)
		my.mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &cfg->timeout);
	if (cfg->read_timeout)
		my.mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &cfg->read_timeout);
	if (cfg->write_timeout)
		my.mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &cfg->write_timeout);
	my_bool on = 1, off = 0;
	if (cfg->tls && (!strcmp(cfg->tls, "true") || !strcmp(cfg->tls, "skip-verify"))) {
		my.mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
		my.mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT,
				  !strcmp(cfg->tls, "true") ? &on : &off);
	}
	unsigned long flags = cfg->found_rows ? CLIENT_FOUND_ROWS : 0;
	const char *host = "localhost", *sock = NULL;
	char *h = NULL;
	unsigned int port = 0;
	if (proto == MYSQL_PROTOCOL_SOCKET)
		sock = cfg->addr;
	else
		host = h = split_hostport(cfg->addr, &port);
	MYSQL *ok = my.mysql_real_connect(m, host, cfg->user ? cfg->user : "", cfg->passwd,
					  *cfg->dbname ? cfg->dbname : NULL, port, sock, flags);
	free(h);
	if (!ok || (cfg->set && my.mysql_real_query(m, cfg->set, strlen(cfg->set)))) {
		db_error(m, cfg, err);
		my.mysql_close(m);
		return NULL;
	}
	return m;
}

static void drv_disconnect(void *p)
{
	struct conn *c = p;
	if (!c)
		return;
	if (c->m)
		my.mysql_close(c->m);
	cfg_release(&c->cfg);
	free(c);
}

static void *drv_connect(const char *source, struct cf_error *err)
{
	struct conn *c = cf_xcalloc(1, sizeof *c);
	if (parse_dsn(source, &c->cfg, err) < 0 || !(c->m = open_session(&c->cfg, err))) {
		drv_disconnect(c);
		return NULL;
	}
	return c;
}

/* One parameter as an SQL literal. */
static void literal(MYSQL *m, struct cf_buf *q, const struct cf_dbval *v)
{
	switch (v->type) {
	case CF_DBV_NULL: cf_buf_adds(q, "NULL"); break;
	case CF_DBV_INT: cf_buf_printf(q, "%lld", v->i); break;
	case CF_DBV_TIME:
		if (v->t.sec == CF_DBTIME_ZERO_SEC && !v->t.nsec) {
			cf_buf_adds(q, "'0000-00-00'");
		} else {
			char t[64];
			cf_dbtime_format(&v->t, 0, "", t);
			cf_buf_printf(q, "'%s'", t);
		}
		break;
	case CF_DBV_BLOB:
		if (!v->len) {
			cf_buf_adds(q, "''");
			break;
		}
		cf_buf_adds(q, "X'");
		for (size_t i = 0; i < v->len; i++)
			cf_buf_printf(q, "%02x", (unsigned char)v->s[i]);
		cf_buf_addc(q, '\'');
		break;
	case CF_DBV_TEXT: {
		cf_buf_reserve(q, 2 * v->len + 3);
		q->data[q->len++] = '\'';
		q->len += my.mysql_real_escape_string(m, (char *)q->data + q->len, v->s ? v->s : "",
						      (unsigned long)v->len);
		q->data[q->len++] = '\'';
		q->data[q->len] = 0;
		break;
	}
	}
}

/* @st's text with its `?` replaced by the parameters. */
static void build(MYSQL *m, const struct cf_certdb_stmt *st, const struct cf_dbval *params,
		  struct cf_buf *q)
{
	int n = 0;
	char quote = 0;
	for (const char *p = st->sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"' || *p == '`') {
			quote = *p;
		} else if (*p == '?' && n < st->nparams) {
			literal(m, q, &params[n++]);
			continue;
		}
		cf_buf_addc(q, (unsigned char)*p);
	}
}

static int rows(const struct cf_certdb_stmt *st, MYSQL_RES *res, cf_certdb_row_fn row, void *ctx,
		struct cf_error *err)
{
	int ncols = st->ncols;
	if (ncols > MAX_COLS || (unsigned int)ncols > my.mysql_num_fields(res))
		return cf_error_set(err, CF_ERR_CERTSTORE, "mysql: unexpected result columns");
	MYSQL_FIELD *fields = my.mysql_fetch_fields(res);
	struct cf_dbval cols[MAX_COLS];
	char *copy[MAX_COLS];
	MYSQL_ROW r;
	int ret = 0;
	while (!ret && (r = my.mysql_fetch_row(res))) {
		unsigned long *lens = my.mysql_fetch_lengths(res);
		memset(copy, 0, sizeof copy);
		for (int j = 0; j < ncols && !ret; j++) {
			struct cf_dbval *v = &cols[j];
			memset(v, 0, sizeof *v);
			if (!r[j])
				continue;
			switch (st->coltypes[j]) {
			case CF_DBV_INT:
				v->type = CF_DBV_INT;
				v->i = strtoll(r[j], NULL, 10);
				break;
			case CF_DBV_TIME:
				v->type = CF_DBV_TIME;
				if (cf_dbtime_parse(r[j], lens[j], &v->t) < 0)
					ret = cf_error_set(
						err, CF_ERR_CERTSTORE,
						"sql: Scan error on column index %d, name "
						"\"%s\": unsupported time value \"%.*s\"",
						j, fields[j].name, (int)lens[j], r[j]);
				break;
			default:
				/* the bytes, NUL-terminated as the interface promises */
				v->type = st->coltypes[j];
				v->s = copy[j] = cf_xmemdup(r[j], lens[j]);
				v->len = lens[j];
				break;
			}
		}
		if (!ret && row)
			ret = row(ctx, cols, err);
		for (int j = 0; j < ncols; j++)
			free(copy[j]);
	}
	return ret < 0 ? -1 : 0;
}

static int drv_exec(void *p, const struct cf_certdb_stmt *st, const struct cf_dbval *params,
		    cf_certdb_row_fn row, void *ctx, long long *affected, struct cf_error *err)
{
	struct conn *c = p;
	for (int attempt = 0;; attempt++) {
		struct cf_buf q = CF_BUF_INIT;
		build(c->m, st, params, &q);
		int rc = my.mysql_real_query(c->m, (const char *)q.data, (unsigned long)q.len);
		cf_buf_release(&q);
		if (!rc) {
			c->used = 1;
			if (!my.mysql_field_count(c->m)) {
				if (affected)
					*affected = (long long)my.mysql_affected_rows(c->m);
				return 0;
			}
			MYSQL_RES *res = my.mysql_store_result(c->m);
			if (!res) {
				db_error(c->m, &c->cfg, err);
				return lost(c->m) ? CF_CERTDB_BROKEN : -1;
			}
			int ret = rows(st, res, row, ctx, err);
			my.mysql_free_result(res);
			if (!ret && affected)
				*affected = 0;
			return ret;
		}
		if (!lost(c->m)) {
			db_error(c->m, &c->cfg, err);
			return -1;
		}
		/* A connection that worked before and is now gone: the server
		 * restarted or dropped it. As Go's database/sql retries on a new
		 * connection, try once more on a fresh one. */
		if (attempt == 0 && c->used) {
			struct cf_error e2 = {0};
			MYSQL *m = open_session(&c->cfg, &e2);
			if (m) {
				my.mysql_close(c->m);
				c->m = m;
				continue;
			}
			cf_error_set(err, e2.code, "%s", e2.msg);
			return CF_CERTDB_BROKEN;
		}
		db_error(c->m, &c->cfg, err);
		return CF_CERTDB_BROKEN;
	}
}

const struct cf_certdb_driver cf_certdb_mysql = {
	.name = "mysql",
	.connect = drv_connect,
	.disconnect = drv_disconnect,
	.exec = drv_exec,
};
