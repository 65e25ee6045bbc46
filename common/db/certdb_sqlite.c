/* The sqlite3 certificate database driver, on libsqlite3. Values are stored
 * as go-sqlite3 stores them for cfssl (§7.3): Go strings as TEXT, []byte as
 * BLOB, times as TEXT "2006-01-02 15:04:05.999999999+00:00". */
#include <dlfcn.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "certdb.h"

/* libsqlite3 is loaded when the first connection is made, as the other drivers' libraries
 * are: a command or server without -db-config neither maps it nor the libm it needs. */
/* clang-format off */
#define SQ_FUNCS(X) \
	X(sqlite3_bind_blob64) \
	X(sqlite3_bind_int64) \
	X(sqlite3_bind_null) \
	X(sqlite3_bind_text) \
	X(sqlite3_bind_text64) \
	X(sqlite3_busy_timeout) \
	X(sqlite3_changes64) \
	X(sqlite3_clear_bindings) \
	X(sqlite3_close) \
	X(sqlite3_column_blob) \
	X(sqlite3_column_bytes) \
	X(sqlite3_column_int64) \
	X(sqlite3_column_name) \
	X(sqlite3_column_text) \
	X(sqlite3_column_type) \
	X(sqlite3_errmsg) \
	X(sqlite3_errstr) \
	X(sqlite3_exec) \
	X(sqlite3_extended_errcode) \
	X(sqlite3_finalize) \
	X(sqlite3_get_autocommit) \
	X(sqlite3_open_v2) \
	X(sqlite3_prepare_v2) \
	X(sqlite3_reset) \
	X(sqlite3_step)
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

static int db_error(struct conn *c, struct cf_error *err)
{
	if (conn_broken(c)) {
		cf_error_set(err, CF_ERR_CERTSTORE, "%s", sq.sqlite3_errmsg(c->db));
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
	if (strncmp(path, "file:", 5)) {
		char *q = strchr(path, '?');
		if (q)
			*q = 0;
	}
	struct conn *c = cf_xcalloc(1, sizeof *c);
	int rc = sq.sqlite3_open_v2(path, &c->db,
				    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
					    SQLITE_OPEN_NOMUTEX,
				    NULL);
	free(path);
	if (rc != SQLITE_OK) {
		cf_error_set(err, CF_ERR_CERTSTORE, "%s",
			     c->db ? sq.sqlite3_errmsg(c->db) : sq.sqlite3_errstr(rc));
		disconnect(c);
		return NULL;
	}
	/* go-sqlite3's default: wait up to 5 s for another writer */
	sq.sqlite3_busy_timeout(c->db, 5000);
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
	int write = s->ncols == 0;
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

/* One connection per process: SQLite takes one writer at a time anyway, and writers of one
 * process on connections of their own wait for each other in the busy handler's sleeps
 * (1, 2, 5, 10 ms...), which a few requests pay in full (cfssl 1.2 on SQLite: p99 ~100 ms
 * at 4 clients), and drop each other's page cache at every commit. Handed from thread to
 * thread by the pool in turn, the one connection keeps its cache and its prepared
 * statements; other processes on the same file still meet the busy timeout. */
const struct cf_certdb_driver cf_certdb_sqlite3 = {
	.name = "sqlite3",
	.max_conns = 1,
	.connect = connect,
	.disconnect = disconnect,
	.exec = exec,
};
