/* The sqlite3 certificate database driver, on libsqlite3. Values are stored
 * as go-sqlite3 stores them for cfssl (§7.3): Go strings as TEXT, []byte as
 * BLOB, times as TEXT "2006-01-02 15:04:05.999999999+00:00". */
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "certdb.h"
#include "goquote.h"

/* libsqlite3 is loaded when the first connection is made, as the other drivers' libraries
 * are: a command or server without -db-config neither maps it nor the libm it needs. */
/* clang-format off */
#define SQ_FUNCS(X) \
	X(sqlite3_bind_blob64) \
	X(sqlite3_bind_int64) \
	X(sqlite3_bind_null) \
	X(sqlite3_bind_text) \
	X(sqlite3_bind_text64) \
	X(sqlite3_changes64) \
	X(sqlite3_clear_bindings) \
	X(sqlite3_close) \
	X(sqlite3_column_blob) \
	X(sqlite3_column_bytes) \
	X(sqlite3_column_int64) \
	X(sqlite3_column_name) \
	X(sqlite3_column_text) \
	X(sqlite3_column_type) \
	X(sqlite3_errcode) \
	X(sqlite3_errmsg) \
	X(sqlite3_errstr) \
	X(sqlite3_exec) \
	X(sqlite3_extended_errcode) \
	X(sqlite3_finalize) \
	X(sqlite3_get_autocommit) \
	X(sqlite3_open_v2) \
	X(sqlite3_prepare_v2) \
	X(sqlite3_reset) \
	X(sqlite3_step) \
	X(sqlite3_system_errno)
/* clang-format on */
static struct {
#define X(f) __typeof__(f) *f;
	SQ_FUNCS(X)
#undef X
} sq;
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;
static char sq_load_error[256];

static void sq_load(void)
{
	void *h = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(sq_load_error, sizeof sq_load_error,
			 "the sqlite3 driver needs libsqlite3 (Debian package libsqlite3-0): %s",
			 dlerror());
		return;
	}
	void *fn;
	/* POSIX guarantees that object and function pointers convert through memcpy */
#define X(f)                                                                                   \
	if (!(fn = dlsym(h, #f))) {                                                            \
		snprintf(sq_load_error, sizeof sq_load_error, "cannot load libsqlite3: no %s", \
			 #f);                                                                  \
		return;                                                                        \
	}                                                                                      \
	memcpy(&sq.f, &fn, sizeof fn);
	SQ_FUNCS(X)
#undef X
}

struct conn {
	sqlite3 *db;
	sqlite3_stmt *stmts[CF_SQL_COUNT];
};

/* The connection is of no further use: its file was removed or replaced under it (SQLite then
 * answers "attempt to write a readonly database" for ever), or it cannot be read. A new one
 * opens the file that is there now. */
static int conn_broken(struct conn *c)
{
	int x = sq.sqlite3_extended_errcode(c->db);
	return x == SQLITE_READONLY_DBMOVED || (x & 0xff) == SQLITE_IOERR ||
	       (x & 0xff) == SQLITE_CANTOPEN || (x & 0xff) == SQLITE_NOTADB;
}

/* go-sqlite3's error text: SQLite's message, and the system's error where SQLite says it
 * means something (a file that cannot be opened or read), in Go's words. */
static void sq_errtext(sqlite3 *db, char *out, size_t n)
{
	int rc = sq.sqlite3_errcode(db), x = sq.sqlite3_extended_errcode(db);
	int e = 0;
	if (rc == SQLITE_CANTOPEN || (rc == SQLITE_IOERR && x != SQLITE_IOERR_NOMEM))
		e = sq.sqlite3_system_errno(db);
	int len = snprintf(out, n, "%s", sq.sqlite3_errmsg(db));
	if (e && len >= 0 && (size_t)len + 2 < n) {
		snprintf(out + len, n - (size_t)len, ": %s", strerror(e));
		out[len + 2] = (char)tolower((unsigned char)out[len + 2]);
	}
}

static int db_error(struct conn *c, struct cf_error *err)
{
	if (conn_broken(c)) {
		char msg[512];
		sq_errtext(c->db, msg, sizeof msg);
		cf_error_set(err, CF_ERR_CERTSTORE, "%s", msg);
		return CF_CERTDB_BROKEN;
	}
	const char *msg = sq.sqlite3_errmsg(c->db);
	static const char prefix[] = "no such table: ";
	if (!strncmp(msg, prefix, sizeof prefix - 1))
		return cf_certdb_missing_table(err, "sqlite3", msg + sizeof prefix - 1);
	if (!strncmp(msg, "no such column: ", 16) || strstr(msg, " has no column named "))
		return cf_certdb_missing_column(err, "sqlite3", msg);
	return cf_error_set(err, CF_ERR_CERTSTORE, "%s", msg);
}

static void disconnect(void *p)
{
	struct conn *c = p;
	if (!c)
		return;
	for (int i = 0; i < CF_SQL_COUNT; i++)
		sq.sqlite3_finalize(c->stmts[i]);
	sq.sqlite3_close(c->db);
	free(c);
}

/* ---- go-sqlite3's data source options ----
 * cfssl opens SQLite through go-sqlite3, which reads "_option=value" parameters after the
 * first "?" of data_source (Go's url.ParseQuery), drops them from a plain path and keeps
 * them in a "file:" URI (SQLite ignores what it does not know), and sets the connection up
 * with PRAGMAs in this order. Same names, aliases, accepted values and error texts here,
 * so that a data_source written for cfssl ("certs.db?_journal_mode=WAL") does the same. */

struct dsn_param {
	char *key, *val;
};
struct dsn {
	struct dsn_param *p;
	size_t n;
};

static void dsn_free(struct dsn *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->p[i].key);
		free(d->p[i].val);
	}
	free(d->p);
	d->p = NULL;
	d->n = 0;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* url.QueryUnescape: "+" is a space, %XX a byte; else Go's EscapeError text in @err. */
static char *query_unescape(const char *s, size_t n, struct cf_error *err)
{
	char *out = cf_xmalloc(n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n || hexval((unsigned char)s[i + 1]) < 0 ||
			    hexval((unsigned char)s[i + 2]) < 0) {
				size_t k = n - i > 3 ? 3 : n - i;
				struct cf_buf q = CF_BUF_INIT;
				cf_go_quote(&q, s + i, k);
				cf_error_set(err, CF_ERR_CERTSTORE, "invalid URL escape %.*s",
					     (int)q.len, (const char *)q.data);
				cf_buf_release(&q);
				free(out);
				return NULL;
			}
			*o++ = (char)(hexval((unsigned char)s[i + 1]) * 16 +
				      hexval((unsigned char)s[i + 2]));
			i += 2;
		} else {
			*o++ = s[i] == '+' ? ' ' : s[i];
		}
	}
	*o = 0;
	return out;
}

/* url.ParseQuery, errors as Go's: the first bad escape, unless a ";" comes later. */
static int dsn_parse(const char *q, struct dsn *d, struct cf_error *err)
{
	int failed = 0;
	while (*q) {
		size_t len = strcspn(q, "&");
		const char *part = q;
		q += len + (q[len] == '&');
		if (memchr(part, ';', len)) {
			/* Go overwrites an earlier error with this one */
			failed++;
			cf_error_clear(err);
			cf_error_set(err, CF_ERR_CERTSTORE, "invalid semicolon separator in query");
			continue;
		}
		if (!len)
			continue;
		const char *eq = memchr(part, '=', len);
		size_t klen = eq ? (size_t)(eq - part) : len;
		struct cf_error e = {0};
		char *k = query_unescape(part, klen, &e);
		char *v = k && eq ? query_unescape(eq + 1, len - klen - 1, &e)
			  : k     ? cf_xstrdup("")
				  : NULL;
		if (!k || !v) {
			free(k);
			if (!failed++)
				cf_error_set(err, e.code, "%s", e.msg);
			continue;
		}
		d->p = cf_xrealloc(d->p, (d->n + 1) * sizeof *d->p);
		d->p[d->n].key = k;
		d->p[d->n].val = v;
		d->n++;
	}
	return failed ? -1 : 0;
}

static int dsn_has(const struct dsn *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->p[i].key, key))
			return 1;
	return 0;
}

/* params.Get: the first value, "" when absent */
static const char *dsn_get(const struct dsn *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->p[i].key, key))
			return d->p[i].val;
	return "";
}

/* go-sqlite3's "pkey": the last of the names present wins */
static const char *dsn_get2(const struct dsn *d, const char *name, const char *alias)
{
	return dsn_get(d, dsn_has(d, alias) ? alias : dsn_has(d, name) ? name : "");
}

static const char *const go_bools[] = {"0", "no", "false", "off", "1", "yes", "true", "on"};

/* -1 when @v is empty, else 0 or 1; -2 when it is not one of Go's booleans */
static int dsn_bool(const char *v)
{
	if (!*v)
		return -1;
	for (int i = 0; i < 8; i++)
		if (!strcasecmp(v, go_bools[i]))
			return i >= 4;
	return -2;
}

/* strconv.ParseInt(v, 10, 64) with Go's error text in @msg */
static int go_parse_int(const char *fn, const char *v, long long *out, char *msg, size_t n)
{
	const char *p = v;
	if (*p == '+' || *p == '-')
		p++;
	int digits = *p != 0;
	for (const char *c = p; *c; c++)
		if (!isdigit((unsigned char)*c))
			digits = 0;
	if (!digits) {
		snprintf(msg, n, "%s: parsing \"%s\": invalid syntax", fn, v);
		return -1;
	}
	errno = 0;
	*out = strtoll(v, NULL, 10);
	if (errno == ERANGE) {
		snprintf(msg, n, "%s: parsing \"%s\": value out of range", fn, v);
		return -1;
	}
	return 0;
}

/* What the options ask for, checked before the file is opened, as go-sqlite3 checks them. */
struct sq_opts {
	long long busy_timeout;
	int auto_vacuum, cslike, defer_fk, fk, ignore_check, query_only, rtriggers, wschema;
	const char *journal, *locking, *secure_delete, *synchronous, *vfs;
	long long cache_size;
	int have_cache_size, auth;
	const char *auth_user, *auth_pass, *auth_crypt, *auth_salt;
};

#define BOOL_OPT(field, name, alias, label)                                                       \
	do {                                                                                      \
		int b_ = dsn_bool(alias ? dsn_get2(d, name, alias) : dsn_get(d, name));           \
		if (b_ == -2)                                                                     \
			return cf_error_set(err, CF_ERR_CERTSTORE,                                \
					    "Invalid " label ": %s, expecting boolean value "     \
					    "of '0 1 false true no yes off on'",                  \
					    alias ? dsn_get2(d, name, alias) : dsn_get(d, name)); \
		o->field = b_;                                                                    \
	} while (0)

static int sq_opts_read(const struct dsn *d, struct sq_opts *o, struct cf_error *err)
{
	char msg[256];
	memset(o, 0, sizeof *o);
	o->busy_timeout = 5000;
	o->auto_vacuum = -1;
	o->locking = "NORMAL";
	/* SQLite's own default, FULL, where go-sqlite3 sets NORMAL: a certificate handed out
	 * must not lose its row to a power cut (README, deviations). An explicit
	 * _synchronous is honoured. */
	o->synchronous = NULL;
	o->auth = dsn_has(d, "_auth");
	o->auth_user = dsn_get(d, "_auth_user");
	o->auth_pass = dsn_get(d, "_auth_pass");
	o->auth_crypt = dsn_get(d, "_auth_crypt");
	o->auth_salt = dsn_get(d, "_auth_salt");
	const char *v = dsn_get(d, "_loc");
	if (*v && strcasecmp(v, "auto") && strcmp(v, "UTC") && strcmp(v, "Local")) {
		/* time.LoadLocation: a name in the system's zone database */
		char path[512];
		const char *zi = getenv("ZONEINFO");
		if (strstr(v, "..") || *v == '/' || *v == '\\')
			return cf_error_set(err, CF_ERR_CERTSTORE,
					    "Invalid _loc: %s: time: invalid location name", v);
		int found = 0;
		const char *dirs[] = {zi && *zi ? zi : NULL, "/usr/share/zoneinfo",
				      "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ",
				      "/etc/zoneinfo"};
		for (int i = 0; i < 5 && !found; i++)
			if (dirs[i]) {
				snprintf(path, sizeof path, "%s/%s", dirs[i], v);
				FILE *f = fopen(path, "rb");
				char magic[4] = {0};
				if (f) {
					found = fread(magic, 1, 4, f) == 4 &&
						!memcmp(magic, "TZif", 4);
					fclose(f);
				}
			}
		if (!found)
			return cf_error_set(err, CF_ERR_CERTSTORE,
					    "Invalid _loc: %s: unknown time zone %s", v, v);
	}
	v = dsn_get(d, "_mutex");
	if (*v && strcasecmp(v, "no") && strcasecmp(v, "full"))
		return cf_error_set(err, CF_ERR_CERTSTORE, "Invalid _mutex: %s", v);
	v = dsn_get(d, "_txlock"); /* cfssl's writes are single statements: nothing to lock */
	if (*v && strcasecmp(v, "immediate") && strcasecmp(v, "exclusive") &&
	    strcasecmp(v, "deferred"))
		return cf_error_set(err, CF_ERR_CERTSTORE, "Invalid _txlock: %s", v);
	v = dsn_get2(d, "_auto_vacuum", "_vacuum");
	if (*v) {
		if (!strcasecmp(v, "0") || !strcasecmp(v, "none"))
			o->auto_vacuum = 0;
		else if (!strcasecmp(v, "1") || !strcasecmp(v, "full"))
			o->auto_vacuum = 1;
		else if (!strcasecmp(v, "2") || !strcasecmp(v, "incremental"))
			o->auto_vacuum = 2;
		else
			return cf_error_set(err, CF_ERR_CERTSTORE,
					    "Invalid _auto_vacuum: %s, expecting value of "
					    "'0 NONE 1 FULL 2 INCREMENTAL'",
					    v);
	}
	v = dsn_get2(d, "_busy_timeout", "_timeout");
	if (*v && go_parse_int("strconv.ParseInt", v, &o->busy_timeout, msg, sizeof msg) < 0)
		return cf_error_set(err, CF_ERR_CERTSTORE, "Invalid _busy_timeout: %s: %s", v, msg);
	BOOL_OPT(cslike, "_case_sensitive_like", "_cslike", "_case_sensitive_like");
	BOOL_OPT(defer_fk, "_defer_foreign_keys", "_defer_fk", "_defer_foreign_keys");
	BOOL_OPT(fk, "_foreign_keys", "_fk", "_foreign_keys");
	BOOL_OPT(ignore_check, "_ignore_check_constraints", NULL, "_ignore_check_constraints");
	static const char *const journals[] = {"DELETE", "TRUNCATE", "PERSIST",
					       "MEMORY", "WAL",      "OFF"};
	v = dsn_get2(d, "_journal_mode", "_journal");
	if (*v) {
		for (int i = 0; i < 6 && !o->journal; i++)
			if (!strcasecmp(v, journals[i]))
				o->journal = journals[i];
		if (!o->journal)
			return cf_error_set(err, CF_ERR_CERTSTORE,
					    "Invalid _journal: %s, expecting value of "
					    "'DELETE TRUNCATE PERSIST MEMORY WAL OFF'",
					    v);
	}
	v = dsn_get2(d, "_locking_mode", "_locking");
	if (*v) {
		if (!strcasecmp(v, "NORMAL"))
			o->locking = "NORMAL";
		else if (!strcasecmp(v, "EXCLUSIVE"))
			o->locking = "EXCLUSIVE";
		else
			return cf_error_set(err, CF_ERR_CERTSTORE,
					    "Invalid _locking_mode: %s, expecting value of "
					    "'NORMAL EXCLUSIVE",
					    v);
	}
	BOOL_OPT(query_only, "_query_only", NULL, "_query_only");
	BOOL_OPT(rtriggers, "_recursive_triggers", "_rt", "_recursive_triggers");
	v = dsn_get(d, "_secure_delete");
	if (*v) {
		int b = dsn_bool(v);
		if (b >= 0)
			o->secure_delete = b ? "ON" : "OFF";
		else if (!strcasecmp(v, "fast"))
			o->secure_delete = "FAST";
		else
			return cf_error_set(err, CF_ERR_CERTSTORE,
					    "Invalid _secure_delete: %s, expecting boolean value "
					    "of '0 1 false true no yes off on fast'",
					    v);
	}
	static const char *const syncs[] = {"0", "OFF", "1", "NORMAL", "2", "FULL", "3", "EXTRA"};
	v = dsn_get2(d, "_synchronous", "_sync");
	if (*v) {
		for (int i = 0; i < 8 && !o->synchronous; i++)
			if (!strcasecmp(v, syncs[i]))
				o->synchronous = syncs[i];
		if (!o->synchronous)
			return cf_error_set(err, CF_ERR_CERTSTORE,
					    "Invalid _synchronous: %s, expecting value of "
					    "'0 OFF 1 NORMAL 2 FULL 3 EXTRA'",
					    v);
	}
	BOOL_OPT(wschema, "_writable_schema", NULL, "_writable_schema");
	v = dsn_get(d, "_cache_size");
	if (*v) {
		if (go_parse_int("strconv.ParseInt", v, &o->cache_size, msg, sizeof msg) < 0)
			return cf_error_set(err, CF_ERR_CERTSTORE, "Invalid _cache_size: %s: %s", v,
					    msg);
		o->have_cache_size = 1;
	}
	v = dsn_get(d, "vfs");
	o->vfs = *v ? v : NULL;
	return 0;
}
#undef BOOL_OPT

/* The PRAGMAs go-sqlite3 runs after opening, in its order. */
static int sq_setup(struct conn *c, const struct sq_opts *o, struct cf_error *err)
{
	char sql[128];
	struct {
		int on;
		const char *fmt;
		long long n;
		const char *s;
	} pr[] = {
		{1, "PRAGMA busy_timeout = %lld;", o->busy_timeout, NULL},
		{-1, NULL, 0, NULL}, /* the auth checks come here */
		{o->auto_vacuum >= 0, "PRAGMA auto_vacuum = %lld;", o->auto_vacuum, NULL},
		{-2, NULL, 0, NULL}, /* and the _auth user checks here */
		{o->cslike >= 0, "PRAGMA case_sensitive_like = %lld;", o->cslike, NULL},
		{o->defer_fk >= 0, "PRAGMA defer_foreign_keys = %lld;", o->defer_fk, NULL},
		{o->fk >= 0, "PRAGMA foreign_keys = %lld;", o->fk, NULL},
		{o->ignore_check >= 0, "PRAGMA ignore_check_constraints = %lld;", o->ignore_check,
		 NULL},
		{o->journal != NULL, "PRAGMA journal_mode = %s;", 0, o->journal},
		{1, "PRAGMA locking_mode = %s;", 0, o->locking},
		{o->query_only >= 0, "PRAGMA query_only = %lld;", o->query_only, NULL},
		{o->rtriggers >= 0, "PRAGMA recursive_triggers = %lld;", o->rtriggers, NULL},
		{o->secure_delete != NULL, "PRAGMA secure_delete = %s;", 0, o->secure_delete},
		{o->synchronous != NULL, "PRAGMA synchronous = %s;", 0, o->synchronous},
		{o->wschema >= 0, "PRAGMA writable_schema = %lld;", o->wschema, NULL},
		{o->have_cache_size, "PRAGMA cache_size = %lld;", o->cache_size, NULL},
	};
	for (size_t i = 0; i < sizeof pr / sizeof pr[0]; i++) {
		if (pr[i].on == -1) {
			const char *cr = o->auth_crypt;
			if (*o->auth_salt == 0 &&
			    (!strcasecmp(cr, "SSHA1") || !strcasecmp(cr, "SSHA256") ||
			     !strcasecmp(cr, "SSHA384") || !strcasecmp(cr, "SSHA512"))) {
				char low[16];
				size_t k = 0;
				for (; cr[k] && k < sizeof low - 1; k++)
					low[k] = (char)tolower((unsigned char)cr[k]);
				low[k] = 0;
				return cf_error_set(err, CF_ERR_CERTSTORE,
						    "_auth_crypt=%s, requires _auth_salt", low);
			}
			continue;
		}
		if (pr[i].on == -2) {
			if (o->auth && !*o->auth_user)
				return cf_error_set(
					err, CF_ERR_CERTSTORE,
					"Missing '_auth_user' while user authentication "
					"was requested with '_auth'");
			if (o->auth && !*o->auth_pass)
				return cf_error_set(
					err, CF_ERR_CERTSTORE,
					"Missing '_auth_pass' while user authentication "
					"was requested with '_auth'");
			continue;
		}
		if (!pr[i].on)
			continue;
		if (pr[i].s)
			snprintf(sql, sizeof sql, pr[i].fmt, pr[i].s);
		else
			snprintf(sql, sizeof sql, pr[i].fmt, pr[i].n);
		if (sq.sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			char msg[512];
			sq_errtext(c->db, msg, sizeof msg);
			return cf_error_set(err, CF_ERR_CERTSTORE, "%s", msg);
		}
	}
	return 0;
}

static void disconnect(void *p);

static void *connect(const char *source, struct cf_error *err)
{
	/* go-sqlite3 drops its own "?_option" parameters from a plain path;
	 * a "file:" URI keeps them for SQLite. */
	pthread_once(&sq_once, sq_load);
	if (sq_load_error[0]) {
		cf_error_set(err, CF_ERR_CERTSTORE, "%s", sq_load_error);
		return NULL;
	}
	char *path = cf_xstrdup(source);
	struct dsn d = {0};
	struct sq_opts o;
	char *q = strchr(path, '?');
	if (q && q > path) {
		if (dsn_parse(q + 1, &d, err) < 0 || sq_opts_read(&d, &o, err) < 0) {
			dsn_free(&d);
			free(path);
			return NULL;
		}
		if (strncmp(path, "file:", 5))
			*q = 0;
	} else {
		sq_opts_read(&d, &o, err);
	}
	struct conn *c = cf_xcalloc(1, sizeof *c);
	int rc = sq.sqlite3_open_v2(path, &c->db,
				    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
					    SQLITE_OPEN_NOMUTEX,
				    o.vfs);
	free(path);
	if (rc != SQLITE_OK) {
		if (c->db) {
			char msg[512];
			sq_errtext(c->db, msg, sizeof msg);
			cf_error_set(err, CF_ERR_CERTSTORE, "%s", msg);
		} else {
			cf_error_set(err, CF_ERR_CERTSTORE, "%s", sq.sqlite3_errstr(rc));
		}
		dsn_free(&d);
		disconnect(c);
		return NULL;
	}
	rc = sq_setup(c, &o, err);
	dsn_free(&d);
	if (rc < 0) {
		disconnect(c);
		return NULL;
	}
	return c;
}

static int bind(struct conn *c, sqlite3_stmt *st, int i, const struct cf_dbval *v)
{
	switch (v->type) {
	case CF_DBV_NULL: return sq.sqlite3_bind_null(st, i);
	case CF_DBV_TEXT:
		return sq.sqlite3_bind_text64(st, i, v->s, v->len, SQLITE_TRANSIENT, SQLITE_UTF8);
	case CF_DBV_BLOB: return sq.sqlite3_bind_blob64(st, i, v->s, v->len, SQLITE_TRANSIENT);
	case CF_DBV_INT: return sq.sqlite3_bind_int64(st, i, v->i);
	case CF_DBV_TIME: {
		char buf[64];
		cf_dbtime_format(&v->t, 9, "+00:00", buf);
		return sq.sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
	}
	}
	return SQLITE_MISUSE;
}

static int column(sqlite3_stmt *st, int i, enum cf_dbtype want, struct cf_dbval *v,
		  struct cf_error *err)
{
	memset(v, 0, sizeof *v);
	int t = sq.sqlite3_column_type(st, i);
	if (t == SQLITE_NULL)
		return 0;
	switch (want) {
	case CF_DBV_INT:
		v->type = CF_DBV_INT;
		v->i = sq.sqlite3_column_int64(st, i);
		return 0;
	case CF_DBV_TIME:
		v->type = CF_DBV_TIME;
		if (t == SQLITE_INTEGER) {
			v->t.sec = sq.sqlite3_column_int64(st, i);
			return 0;
		}
		const char *s = (const char *)sq.sqlite3_column_text(st, i);
		size_t n = (size_t)sq.sqlite3_column_bytes(st, i);
		if (!s || cf_dbtime_parse(s, n, &v->t) < 0)
			return cf_error_set(err, CF_ERR_CERTSTORE,
					    "sql: Scan error on column index %d, name \"%s\": "
					    "unsupported time value \"%.*s\"",
					    i, sq.sqlite3_column_name(st, i), s ? (int)n : 0,
					    s ? s : "");
		return 0;
	default:
		v->type = want;
		/* the bytes as stored, NULs included; _text/_blob both add the NUL */
		v->s = t == SQLITE_BLOB ? sq.sqlite3_column_blob(st, i)
					: (const char *)sq.sqlite3_column_text(st, i);
		v->len = (size_t)sq.sqlite3_column_bytes(st, i);
		if (!v->s)
			v->s = "";
		return 0;
	}
}

static int exec(void *p, const struct cf_certdb_stmt *s, const struct cf_dbval *params,
		cf_certdb_row_fn row, void *ctx, long long *affected, struct cf_error *err)
{
	struct conn *c = p;
	sqlite3_stmt *st = c->stmts[s->id];
	if (!st) {
		if (sq.sqlite3_prepare_v2(c->db, s->sql, -1, &st, NULL) != SQLITE_OK)
			return db_error(c, err);
		c->stmts[s->id] = st;
	}
	/* A write takes the write lock first (BEGIN IMMEDIATE waits with the busy
	 * timeout): an autocommit write that already holds a read lock gets
	 * "database is locked" at once when another connection commits. */
	/* (inside a group commit's transaction: a savepoint of it) */
	int write = s->ncols == 0 && sq.sqlite3_get_autocommit(c->db);
	if (write && sq.sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(c, err);
	int ret = 0;
	for (int i = 0; i < s->nparams; i++)
		if (bind(c, st, i + 1, &params[i]) != SQLITE_OK) {
			ret = db_error(c, err);
			goto out;
		}
	int rc;
	struct cf_dbval cols[16];
	while ((rc = sq.sqlite3_step(st)) == SQLITE_ROW) {
		if (!row)
			continue;
		for (int i = 0; i < s->ncols && i < 16; i++)
			if (column(st, i, s->coltypes[i], &cols[i], err) < 0) {
				ret = -1;
				goto out;
			}
		if (row(ctx, cols, err) < 0) {
			ret = -1;
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		ret = db_error(c, err);
		goto out;
	}
	if (affected)
		*affected = sq.sqlite3_changes64(c->db);
out:
	sq.sqlite3_reset(st);
	sq.sqlite3_clear_bindings(st);
	if (write && ret == 0 && sq.sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		ret = db_error(c, err);
	if (write && !sq.sqlite3_get_autocommit(c->db))
		sq.sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
}

static int exec_sql(void *p, const char *sql, struct cf_error *err)
{
	struct conn *c = p;
	if (sq.sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(c, err);
	return 0;
}

/* One connection per process: SQLite takes one writer at a time anyway, and writers of one
 * process on connections of their own wait for each other in the busy handler's sleeps
 * (1, 2, 5, 10 ms...) and drop each other's page cache at every commit. Handed from thread to
 * thread by the pool, the one connection keeps its cache and its prepared statements; other
 * processes on the same file still meet the busy timeout. Writes that queue meanwhile are
 * committed together (group commit, certdb.h): with SQLite's journal, each commit waits for
 * the disk twice or more, which one commit of several rows pays once. */
const struct cf_certdb_driver cf_certdb_sqlite3 = {
	.name = "sqlite3",
	.max_conns = 1,
	.group_commit = 1,
	.exec_sql = exec_sql,
	.connect = connect,
	.disconnect = disconnect,
	.exec = exec,
};
