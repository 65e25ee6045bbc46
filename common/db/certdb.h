/* The certificate database (-db-config): cfssl's certdb.Accessor over one
 * small driver interface (§7 of cfssl-serve.md).
 *
 * Layers:
 *  - cf_dbconf_load reads the -db-config file with cfssl's errors.
 *  - struct cf_certdb is an open database: a driver plus a pool of its
 *    connections. It is thread-safe: each call borrows an idle connection
 *    (or opens one, up to CF_CERTDB_MAX_CONNS or the driver's max_conns;
 *    beyond that it waits), so serve's handler threads run queries side by
 *    side, each on its own connection, as Go's database/sql does (SQLite:
 *    one connection, see certdb_sqlite.c). Opening is lazy: nothing
 *    connects until the first query. A connection whose driver reports it
 *    broken is closed and replaced by the next call, so a database that went
 *    away and came back is used again.
 *  - The accessor calls (cf_certdb_insert_cert ...) are cfssl's Accessor
 *    methods. Their SQL lives in one table (certdb_sql.c) with `?`
 *    placeholders; a driver rebinds them as it needs (postgres: $1..$n,
 *    cf_certdb_rebind_dollar).
 *  - A driver (struct cf_certdb_driver) only connects and runs one statement
 *    with typed parameters, handing back typed rows. Drivers: sqlite3
 *    (certdb_sqlite.c), postgres (certdb_pg.c), mysql (certdb_mysql.c);
 *    a driver that is not built in gives cf_certdb_open's "not supported"
 *    error.
 *
 * Errors follow cfssl: database failures are code 11000 (CertStoreError,
 * message = the database's own text), "no row inserted" 11100, "no row
 * updated" / "not found" 11200. A missing table is 11000 naming the table
 * and how to apply the schema (cf_certdb_missing_table). */
#ifndef CF_CERTDB_H
#define CF_CERTDB_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <gnutls/x509.h>

#include "error.h"

enum {
	CF_ERR_CERTSTORE = 11000,
	CF_ERR_CERTSTORE_INSERT = 11100,
	CF_ERR_CERTSTORE_NOTFOUND = 11200,
};

/* ---- -db-config ---- */

struct cf_dbconf {
	char *driver;      /* new; "sqlite3", "postgres", "mysql", ... as given */
	char *data_source; /* new; in the driver's own syntax */
};

/* cfssl's dbconf.LoadFile: {"driver": "...", "data_source": "..."}, member
 * names case-insensitive. Errors are 5200 wrapping "invalid path" (empty
 * @path), "could not read configuration file", "failed to unmarshal
 * configuration: <Go JSON error>" or "invalid db configuration" (an empty
 * member; also a top-level null, where cfssl crashes). */
int cf_dbconf_load(const char *path, struct cf_dbconf *conf, struct cf_error *err);
void cf_dbconf_release(struct cf_dbconf *conf);
/* The folder of an SQLite data_source (a path, or a "file:" URI), absolute, into @out ("" for
 * an in-memory database or a folder that does not exist): what a confined server must keep
 * writable (SQLite creates its journal there). */
void cf_dbconf_sqlite_dir(const char *source, char *out, size_t n);

/* What the client of @conf's database opens after start-up, for a server that confines itself
 * once it listens (process.h):
 *   - sqlite3: the folder of the file, to stay writable (SQLite creates its journal there and
 *     rolls a hot one back, even to read);
 *   - postgres: the files libpq opens on each connection, those that exist now: the password
 *     file (PGPASSFILE, ~/.pgpass), the service files (PGSERVICEFILE, ~/.pg_service.conf,
 *     PGSYSCONFDIR's or Debian's pg_service.conf) and ~/.postgresql (client certificate, key,
 *     root.crt, root.crl), to stay readable;
 *   - mysql: nothing: its unix socket is reached with connect(2), which Landlock does not
 *     govern, and libmariadb reads no option file unless asked (the driver never asks). */
struct cf_dbconf_paths {
	char dir[PATH_MAX]; /* writable folder, or "" */
	char *read[5];      /* new; readable files and folders, NULL-terminated */
};
void cf_dbconf_paths(const struct cf_dbconf *conf, struct cf_dbconf_paths *out);
void cf_dbconf_paths_release(struct cf_dbconf_paths *p); /* the struct itself is the caller's */

/* ---- values ---- */

/* A point in time as Go's time.Time in UTC. Go's zero time (what cfssl
 * writes into revoked_at until a revocation) is CF_DBTIME_ZERO_SEC. */
#define CF_DBTIME_ZERO_SEC (-62135596800LL) /* 0001-01-01 00:00:00 UTC */
struct cf_dbtime {
	int64_t sec;  /* Unix seconds */
	int32_t nsec; /* 0..999999999 */
};

enum cf_dbtype {
	CF_DBV_NULL, /* SQL NULL (as a parameter); in a row, the column was NULL */
	CF_DBV_TEXT, /* bytes, bound as text (Go string) */
	CF_DBV_BLOB, /* bytes, bound as binary (Go []byte) */
	CF_DBV_INT,
	CF_DBV_TIME,
};

/* One parameter or column. In a row the bytes are borrowed until the row
 * callback returns; they are followed by a NUL. */
struct cf_dbval {
	enum cf_dbtype type;
	const char *s; /* TEXT, BLOB */
	size_t len;
	long long i;        /* INT */
	struct cf_dbtime t; /* TIME */
};

/* Go's time text forms as the databases give them back, into @t:
 * "YYYY-MM-DD HH:MM:SS" or with 'T', optional fraction (up to 9 digits),
 * optional zone "Z", "+HH", "+HH:MM", "+HHMM" (postgres, sqlite as
 * go-sqlite3 writes it, MySQL). "0000-00-00 00:00:00" (MySQL's zero
 * date) reads as Go's zero time. -1 if @s is none of these. */
int cf_dbtime_parse(const char *s, size_t len, struct cf_dbtime *t);
/* "YYYY-MM-DD HH:MM:SS[.fffffffff]" in UTC, fraction without trailing zeros
 * (omitted when 0), then @zone (e.g. "+00:00" as go-sqlite3, "" for MySQL).
 * @frac_digits caps the fraction (9: Go's full precision, 6: microseconds,
 * 0: whole seconds, truncated). Writes at most 64 bytes with the NUL. */
void cf_dbtime_format(const struct cf_dbtime *t, int frac_digits, const char *zone, char out[64]);
struct cf_dbtime cf_dbtime_now(void);

/* ---- records (every column of §7.2, stored as §7.3) ---- */

/* A certificates row. Strings are NUL-terminated; NULL means SQL NULL
 * where the column allows it. In a record returned by this module every
 * pointer is owned by the record (cf_certdb_cert_release); in a record
 * given to cf_certdb_insert_cert they are borrowed. */
struct cf_certdb_cert {
	char *serial;   /* decimal, no leading zeros */
	char *aki;      /* lower-case hex, no separators */
	char *ca_label; /* "" when none */
	char *status;   /* "good", "revoked" */
	long long reason;
	struct cf_dbtime expiry;     /* notAfter */
	struct cf_dbtime revoked_at; /* CF_DBTIME_ZERO_SEC until revoked */
	char *pem;                   /* with final LF */
	/* migration 002 columns */
	int has_issued_at, has_not_before; /* 0: NULL */
	struct cf_dbtime issued_at, not_before;
	char *metadata;    /* JSON text ("null" as the signer writes), NULL: SQL NULL */
	char *sans;        /* JSON array of DNS names or "null"; NULL: SQL NULL */
	char *common_name; /* NULL: SQL NULL */
};
void cf_certdb_cert_release(struct cf_certdb_cert *c);
void cf_certdb_certs_free(struct cf_certdb_cert *c, size_t n);

/* An ocsp_responses row; ownership as above. */
struct cf_certdb_ocsp {
	char *serial, *aki;
	unsigned char *body; /* the DER OCSPResponse */
	size_t body_len;
	struct cf_dbtime expiry;
};
void cf_certdb_ocsp_release(struct cf_certdb_ocsp *o);
void cf_certdb_ocsps_free(struct cf_certdb_ocsp *o, size_t n);

/* The row cfssl's signer records for a certificate it just issued (§7.3):
 * serial (decimal), AKI (lower-case hex of the certificate's AKI), CN (the
 * last one; "" when none), notBefore/notAfter and the DNS SANs (JSON array,
 * "null" when none) from the certificate, status good, reason 0, revoked_at
 * zero, issued_at now, metadata "null", pem = @pem as given. @label may be
 * NULL (""). The record's strings are new: cf_certdb_cert_release. */
int cf_certdb_cert_from_pem(const unsigned char *pem, size_t len, const char *label,
			    struct cf_certdb_cert *out, struct cf_error *err);

/* The lower-case hex of @crt's authorityKeyIdentifier keyIdentifier ("" when
 * it has none) / of its subjectKeyIdentifier. New, caller frees. */
char *cf_certdb_crt_aki(gnutls_x509_crt_t crt);
char *cf_certdb_crt_ski(gnutls_x509_crt_t crt);

/* ---- the driver interface ---- */

/* The statements (certdb_sql.c): one text each, `?` placeholders. */
enum cf_certdb_stmt_id {
	CF_SQL_INSERT_CERT,
	CF_SQL_SELECT_CERT,             /* serial, aki */
	CF_SQL_SELECT_UNEXPIRED,        /* */
	CF_SQL_SELECT_REVOKED,          /* unexpired and revoked */
	CF_SQL_SELECT_REVOKED_BY_AKI,   /* aki (deviation 22) */
	CF_SQL_SELECT_UNEXPIRED_BY_AKI, /* aki (deviation 22) */
	CF_SQL_REVOKE,                  /* reason, serial, aki */
	CF_SQL_INSERT_OCSP,             /* serial, aki, body, expiry */
	CF_SQL_UPDATE_OCSP,             /* body, expiry, serial, aki */
	CF_SQL_SELECT_UNEXPIRED_OCSP,   /* */
	CF_SQL_SELECT_OCSP,             /* serial, aki */
	CF_SQL_SELECT_OCSP_BY_SERIAL,   /* serial (ocspserve, deviation 24) */
	CF_SQL_COUNT
};

struct cf_certdb_stmt {
	enum cf_certdb_stmt_id id; /* index for a driver's prepared-statement cache */
	const char *sql;           /* `?` placeholders */
	int nparams;
	int ncols;                      /* result columns (0: not a query) */
	const enum cf_dbtype *coltypes; /* what each result column is read as */
};

/* The statement table, indexed by id. */
extern const struct cf_certdb_stmt cf_certdb_stmts[CF_SQL_COUNT];

/* Called once per result row with ncols values converted to the statement's
 * coltypes (or CF_DBV_NULL). Returns 0, or -1 (with @err set) to stop. */
typedef int (*cf_certdb_row_fn)(void *ctx, const struct cf_dbval *cols, struct cf_error *err);

#define CF_CERTDB_BROKEN (-2) /* exec/connect result: the connection is unusable */

struct cf_certdb_driver {
	const char *name; /* the -db-config driver name */
	/* Connections a pool opens at most (0: CF_CERTDB_MAX_CONNS). */
	int max_conns;
	/* Group commit (with exec_sql): writes that arrive while another is being
	 * committed are run by one thread in one transaction, each under a savepoint of
	 * its own, so one disk sync serves several requests and a failing write fails
	 * alone. Each caller still returns only once its write is committed. For a
	 * database that takes one writer at a time (SQLite). */
	int group_commit;
	/* Runs @sql, a statement without parameters or rows (BEGIN, SAVEPOINT...); as
	 * exec's result. NULL without group commit. */
	int (*exec_sql)(void *conn, const char *sql, struct cf_error *err);
	/* A new connection. NULL with @err set (code 11000, the database's text). */
	void *(*connect)(const char *data_source, struct cf_error *err);
	void (*disconnect)(void *conn); /* accepts NULL */
	/* Runs @st with @params (nparams of them; TIME values formatted as the
	 * database stores Go times, §7.3), calling @row for each result row of a
	 * query, and storing the affected row count of a statement in
	 * *@affected (may be NULL). Returns 0; -1 with @err set (code 11000, or
	 * cf_certdb_missing_table); CF_CERTDB_BROKEN when the connection must be
	 * dropped (server gone). The connection is used by one thread at a time. */
	/* A write inside a transaction the caller began (group commit) is run as is;
	 * otherwise a write is a transaction of its own. */
	int (*exec)(void *conn, const struct cf_certdb_stmt *st, const struct cf_dbval *params,
		    cf_certdb_row_fn row, void *ctx, long long *affected, struct cf_error *err);
};

/* The drivers built in (NULL-terminated; certdb.c). */
extern const struct cf_certdb_driver *const cf_certdb_drivers[];

/* @sql with each `?` replaced by $1, $2, ... (postgres). New, caller frees. */
char *cf_certdb_rebind_dollar(const char *sql);

/* Sets @err to code 11000 naming @table as missing, and how to apply the
 * schema of @driver. Returns -1. */
int cf_certdb_missing_table(struct cf_error *err, const char *driver, const char *table);
/* Sets @err to code 11000: the database's own @msg about a missing column
 * (a schema without migration 002), and how to bring the schema up to date.
 * Returns -1. */
int cf_certdb_missing_column(struct cf_error *err, const char *driver, const char *msg);

/* ---- the database ---- */

#define CF_CERTDB_MAX_CONNS 8

struct cf_certdb;

/* Opens (lazily) the database of @conf. An unknown driver gives cfssl's
 * plain `sql: unknown driver "X" (forgotten import?)`; a known one not built
 * in gives `certificate database driver "X" is not supported by this
 * build of cfssl-c`. New; cf_certdb_close. */
struct cf_certdb *cf_certdb_open(const struct cf_dbconf *conf, struct cf_error *err);
/* cf_dbconf_load + cf_certdb_open. */
struct cf_certdb *cf_certdb_open_file(const char *path, struct cf_error *err);
void cf_certdb_close(struct cf_certdb *db); /* accepts NULL; no call may be running */
const char *cf_certdb_driver_name(const struct cf_certdb *db);

/* The Accessor methods. Lists are new arrays (NULL when empty), released
 * with cf_certdb_certs_free / cf_certdb_ocsps_free. */
int cf_certdb_insert_cert(struct cf_certdb *db, const struct cf_certdb_cert *c,
			  struct cf_error *err);
int cf_certdb_get_cert(struct cf_certdb *db, const char *serial, const char *aki,
		       struct cf_certdb_cert **out, size_t *n, struct cf_error *err);
int cf_certdb_get_unexpired(struct cf_certdb *db, struct cf_certdb_cert **out, size_t *n,
			    struct cf_error *err);
/* @aki NULL: every CA's (cfssl); else the CA whose SKI is @aki (deviation 22). */
int cf_certdb_get_unexpired_by_aki(struct cf_certdb *db, const char *aki,
				   struct cf_certdb_cert **out, size_t *n, struct cf_error *err);
int cf_certdb_get_revoked(struct cf_certdb *db, const char *aki, struct cf_certdb_cert **out,
			  size_t *n, struct cf_error *err);
/* "failed to revoke the certificate: certificate not found" (11200) when no row matches. */
int cf_certdb_revoke(struct cf_certdb *db, const char *serial, const char *aki, int reason,
		     struct cf_error *err);
int cf_certdb_insert_ocsp(struct cf_certdb *db, const struct cf_certdb_ocsp *o,
			  struct cf_error *err);
/* "failed to update the OCSP record" (11200) when no row matches. */
int cf_certdb_update_ocsp(struct cf_certdb *db, const struct cf_certdb_ocsp *o,
			  struct cf_error *err);
/* UPDATE, then INSERT when no row was updated (not atomic, as cfssl). */
int cf_certdb_upsert_ocsp(struct cf_certdb *db, const struct cf_certdb_ocsp *o,
			  struct cf_error *err);
int cf_certdb_get_ocsp(struct cf_certdb *db, const char *serial, const char *aki,
		       struct cf_certdb_ocsp **out, size_t *n, struct cf_error *err);
/* The OCSP rows of @serial under any AKI: ocspserve's lookup for a CertID whose key hash
 * is not SHA-1 (deviation 24). */
int cf_certdb_get_ocsp_by_serial(struct cf_certdb *db, const char *serial,
				 struct cf_certdb_ocsp **out, size_t *n, struct cf_error *err);
int cf_certdb_get_unexpired_ocsp(struct cf_certdb *db, struct cf_certdb_ocsp **out, size_t *n,
				 struct cf_error *err);

/* Deviation 23, one spelling for each key: @in as lower-case hex without
 * colons (AKI, as cfssl's certinfo -aki), a serial without surrounding blanks
 * and, when decimal, without leading zeros. New, caller frees. */
char *cf_certdb_norm_aki(const char *in);
char *cf_certdb_norm_serial(const char *in);

#endif
