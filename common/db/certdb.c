/* The certificate database: -db-config, the connection pool and cfssl's
 * Accessor calls on top of the drivers (certdb.h). */
#include "certdb.h"

#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "bigint.h"
#include "der.h"
#include "fileio.h"
#include "gojson.h"
#include "pem.h"

/* ---- -db-config ---- */

static int dbconf_error(struct cf_error *err, const char *what, const struct cf_error *inner)
{
	return cf_error_set(err, CF_ERR_POLICY_INVALID, "%s%s", what, inner ? inner->msg : "");
}

int cf_dbconf_load(const char *path, struct cf_dbconf *conf, struct cf_error *err)
{
	memset(conf, 0, sizeof *conf);
	if (!*path)
		return dbconf_error(err, "invalid path", NULL);
	struct cf_buf body = CF_BUF_INIT;
	struct cf_error e = {0};
	if (cf_read_file(path, &body, &e) < 0) {
		cf_buf_release(&body);
		return dbconf_error(err, "could not read configuration file", NULL);
	}
	json_t *root = cf_gojson_parse((const char *)body.data, body.len, &e);
	cf_buf_release(&body);
	if (!root)
		return dbconf_error(err, "failed to unmarshal configuration: ", &e);
	const char *driver = NULL, *source = NULL;
	size_t dlen = 0, slen = 0;
	int ret = 0;
	if (json_is_object(root)) {
		const char *k;
		json_t *v;
		/* document order, last spelling wins */
		json_object_foreach(root, k, v) {
			if (cf_gojson_key_eq(k, "driver")) {
				if (cf_gojson_get_string(v, &driver, &dlen, &e, "DBConfig",
							 "driver") < 0)
					ret = -1;
			} else if (cf_gojson_key_eq(k, "data_source")) {
				if (cf_gojson_get_string(v, &source, &slen, &e, "DBConfig",
							 "data_source") < 0)
					ret = -1;
			}
			if (ret < 0)
				break;
		}
	} else if (!json_is_null(root)) {
		cf_gojson_type_error(&e, root, NULL, NULL, "dbconf.DBConfig");
		ret = -1;
	}
	if (ret < 0) {
		dbconf_error(err, "failed to unmarshal configuration: ", &e);
	} else if (!driver || !dlen || !source || !slen) {
		ret = dbconf_error(err, "invalid db configuration", NULL);
	} else {
		conf->driver = cf_xmemdup(driver, dlen);
		conf->data_source = cf_xmemdup(source, slen);
	}
	json_decref(root);
	return ret;
}

void cf_dbconf_release(struct cf_dbconf *conf)
{
	free(conf->driver);
	/* a data source may carry a password */
	if (conf->data_source)
		cf_wipe_free(conf->data_source, strlen(conf->data_source));
	memset(conf, 0, sizeof *conf);
}

/* The folder of an SQLite data_source (a path, or a "file:" URI), absolute, into @out ("" for
 * an in-memory database or a folder that does not exist: SQLite will then fail per request as
 * it would unconfined). */
void cf_dbconf_sqlite_dir(const char *source, char *out, size_t n)
{
	*out = 0;
	char *path = cf_xstrdup(source);
	if (!strncmp(path, "file:", 5)) {
		memmove(path, path + 5, strlen(path + 5) + 1);
		/* file://host/path: an empty or "localhost" authority */
		if (!strncmp(path, "//", 2)) {
			char *slash = strchr(path + 2, '/');
			if (slash)
				memmove(path, slash, strlen(slash) + 1);
		}
	}
	char *q = strchr(path, '?');
	if (q)
		*q = 0;
	if (*path && strcmp(path, ":memory:") != 0) {
		char *slash = strrchr(path, '/');
		const char *dir = ".";
		if (slash == path)
			dir = "/";
		else if (slash) {
			*slash = 0;
			dir = path;
		}
		char abs[PATH_MAX];
		if (realpath(dir, abs))
			snprintf(out, n, "%s", abs);
	}
	free(path);
}

/* libpq's files, as it finds them (certdb.h), those that exist. */
static void pg_files(char *out[5])
{
	const char *home = getenv("HOME"), *v;
	const char *sysconf = getenv("PGSYSCONFDIR");
	char path[PATH_MAX];
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		*path = 0;
		if (i == 0 && (v = getenv("PGPASSFILE")) && *v)
			snprintf(path, sizeof path, "%s", v);
		else if (i == 0 && home)
			snprintf(path, sizeof path, "%s/.pgpass", home);
		else if (i == 1 && (v = getenv("PGSERVICEFILE")) && *v)
			snprintf(path, sizeof path, "%s", v);
		else if (i == 1 && home)
			snprintf(path, sizeof path, "%s/.pg_service.conf", home);
		else if (i == 2)
			snprintf(path, sizeof path, "%s/pg_service.conf",
				 sysconf && *sysconf ? sysconf : "/etc/postgresql-common");
		else if (i == 3 && home)
			snprintf(path, sizeof path, "%s/.postgresql", home);
		if (*path && access(path, F_OK) == 0)
			out[n++] = cf_xstrdup(path);
	}
}

void cf_dbconf_paths(const struct cf_dbconf *conf, struct cf_dbconf_paths *out)
{
	memset(out, 0, sizeof *out);
	if (!strcmp(conf->driver, "sqlite3"))
		cf_dbconf_sqlite_dir(conf->data_source, out->dir, sizeof out->dir);
	else if (!strcmp(conf->driver, "postgres"))
		pg_files(out->read);
}

void cf_dbconf_paths_release(struct cf_dbconf_paths *p)
{
	for (size_t i = 0; i < sizeof p->read / sizeof *p->read; i++)
		free(p->read[i]);
	memset(p, 0, sizeof *p);
}

/* ---- times ---- */

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm) */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, size_t len, size_t *pos, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (*pos >= len || !isdigit((unsigned char)s[*pos]))
			return -1;
		v = v * 10 + (s[(*pos)++] - '0');
	}
	*out = v;
	return 0;
}

int cf_dbtime_parse(const char *s, size_t len, struct cf_dbtime *t)
{
	size_t p = 0;
	int y, mo, d, h, mi, sec;
	if (digits(s, len, &p, 4, &y) < 0 || p >= len || s[p++] != '-' ||
	    digits(s, len, &p, 2, &mo) < 0 || p >= len || s[p++] != '-' ||
	    digits(s, len, &p, 2, &d) < 0 || p >= len || (s[p] != ' ' && s[p] != 'T'))
		return -1;
	p++;
	if (digits(s, len, &p, 2, &h) < 0 || p >= len || s[p++] != ':' ||
	    digits(s, len, &p, 2, &mi) < 0 || p >= len || s[p++] != ':' ||
	    digits(s, len, &p, 2, &sec) < 0)
		return -1;
	int32_t nsec = 0;
	if (p < len && s[p] == '.') {
		p++;
		int n = 0;
		while (p < len && isdigit((unsigned char)s[p])) {
			if (n < 9) {
				nsec = nsec * 10 + (s[p] - '0');
				n++;
			}
			p++;
		}
		if (!n)
			return -1;
		for (; n < 9; n++)
			nsec *= 10;
	}
	int off = 0;
	if (p < len && s[p] == ' ')
		p++;
	if (p < len && s[p] == 'Z') {
		p++;
	} else if (p < len && (s[p] == '+' || s[p] == '-')) {
		int sign = s[p++] == '-' ? -1 : 1, oh, om = 0;
		if (digits(s, len, &p, 2, &oh) < 0)
			return -1;
		if (p < len && s[p] == ':')
			p++;
		if (p < len && digits(s, len, &p, 2, &om) < 0)
			return -1;
		off = sign * (oh * 3600 + om * 60);
	}
	if (p != len)
		return -1;
	if (!y && !mo && !d && !h && !mi && !sec && !nsec) {
		t->sec = CF_DBTIME_ZERO_SEC;
		t->nsec = 0;
		return 0;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	t->sec = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec -
		 off;
	t->nsec = nsec;
	return 0;
}

void cf_dbtime_format(const struct cf_dbtime *t, int frac_digits, const char *zone, char out[64])
{
	int64_t days = t->sec / 86400, rem = t->sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	int n = snprintf(out, 64, "%04lld-%02u-%02u %02d:%02d:%02d", (long long)y, m, d,
			 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	if (frac_digits > 9)
		frac_digits = 9;
	if (frac_digits > 0 && t->nsec) {
		char f[10];
		snprintf(f, sizeof f, "%09d", (int)t->nsec);
		int k = frac_digits;
		while (k > 0 && f[k - 1] == '0')
			k--;
		if (k)
			n += snprintf(out + n, (size_t)(64 - n), ".%.*s", k, f);
	}
	snprintf(out + n, (size_t)(64 - n), "%s", zone ? zone : "");
}

struct cf_dbtime cf_dbtime_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (struct cf_dbtime){ts.tv_sec, (int32_t)ts.tv_nsec};
}

/* ---- records ---- */

void cf_certdb_cert_release(struct cf_certdb_cert *c)
{
	if (!c)
		return;
	free(c->serial);
	free(c->aki);
	free(c->ca_label);
	free(c->status);
	free(c->pem);
	free(c->metadata);
	free(c->sans);
	free(c->common_name);
	memset(c, 0, sizeof *c);
}

void cf_certdb_certs_free(struct cf_certdb_cert *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		cf_certdb_cert_release(&c[i]);
	free(c);
}

void cf_certdb_ocsp_release(struct cf_certdb_ocsp *o)
{
	if (!o)
		return;
	free(o->serial);
	free(o->aki);
	free(o->body);
	memset(o, 0, sizeof *o);
}

void cf_certdb_ocsps_free(struct cf_certdb_ocsp *o, size_t n)
{
	for (size_t i = 0; o && i < n; i++)
		cf_certdb_ocsp_release(&o[i]);
	free(o);
}

char *cf_certdb_norm_aki(const char *in)
{
	char *out = cf_xmalloc(strlen(in) + 1), *p = out;
	for (; *in; in++)
		if (*in != ':')
			*p++ = (char)tolower((unsigned char)*in);
	*p = 0;
	return out;
}

/* ---- drivers ---- */

char *cf_certdb_rebind_dollar(const char *sql)
{
	struct cf_buf b = CF_BUF_INIT;
	int n = 0;
	for (; *sql; sql++) {
		if (*sql == '?')
			cf_buf_printf(&b, "$%d", ++n);
		else
			cf_buf_addc(&b, (unsigned char)*sql);
	}
	return (char *)cf_buf_detach(&b, NULL);
}

int cf_certdb_missing_table(struct cf_error *err, const char *driver, const char *table)
{
	return cf_error_set(err, CF_ERR_CERTSTORE,
			    "no such table: %s (the certificate database has no schema: apply "
			    "cfssl-c's db/%s migrations, e.g. with db/apply.sh %s DATA_SOURCE)",
			    table, driver, driver);
}

int cf_certdb_missing_column(struct cf_error *err, const char *driver, const char *msg)
{
	return cf_error_set(
		err, CF_ERR_CERTSTORE,
		"%s (the certificate database schema is not up to date: apply cfssl-c's "
		"db/%s migrations, e.g. with db/apply.sh %s DATA_SOURCE)",
		msg, driver, driver);
}

extern const struct cf_certdb_driver cf_certdb_sqlite3;
extern const struct cf_certdb_driver cf_certdb_postgres;
extern const struct cf_certdb_driver cf_certdb_mysql;

/* The drivers built in. A driver's file defines its struct; add it here. */
const struct cf_certdb_driver *const cf_certdb_drivers[] = {
	&cf_certdb_sqlite3,
#ifdef CF_CERTDB_POSTGRES
	&cf_certdb_postgres,
#endif
#ifdef CF_CERTDB_MYSQL
	&cf_certdb_mysql,
#endif
	NULL,
};

/* every driver name cfssl knows */
static const char *const known_drivers[] = {"sqlite3", "postgres", "mysql"};

/* ---- the pool ---- */

struct cf_certdb {
	const struct cf_certdb_driver *drv;
	char *data_source;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void *idle[CF_CERTDB_MAX_CONNS];
	int nidle, nopen;
	/* group commit (driver's group_commit): the writes waiting for a leader */
	pthread_mutex_t gc_mu;
	pthread_cond_t gc_cv;
	struct gc_item *gc_head, **gc_tail;
	int gc_leader;
};

struct gc_item {
	const struct cf_certdb_stmt *st;
	const struct cf_dbval *params;
	long long affected;
	int ret, done;
	struct cf_error err;
	struct gc_item *next;
};

struct cf_certdb *cf_certdb_open(const struct cf_dbconf *conf, struct cf_error *err)
{
	const struct cf_certdb_driver *drv = NULL;
	for (size_t i = 0; cf_certdb_drivers[i]; i++)
		if (!strcmp(cf_certdb_drivers[i]->name, conf->driver))
			drv = cf_certdb_drivers[i];
	if (!drv) {
		for (size_t i = 0; i < sizeof known_drivers / sizeof *known_drivers; i++)
			if (!strcmp(known_drivers[i], conf->driver)) {
				cf_error_set(err, CF_ERR_CERTSTORE,
					     "certificate database driver \"%s\" is not supported "
					     "by this build of cfssl-c",
					     conf->driver);
				return NULL;
			}
		cf_error_set(err, CF_ERR_PLAIN, "sql: unknown driver \"%s\" (forgotten import?)",
			     conf->driver);
		return NULL;
	}
	struct cf_certdb *db = cf_xcalloc(1, sizeof *db);
	db->drv = drv;
	db->data_source = cf_xstrdup(conf->data_source);
	pthread_mutex_init(&db->mu, NULL);
	pthread_cond_init(&db->cv, NULL);
	pthread_mutex_init(&db->gc_mu, NULL);
	pthread_cond_init(&db->gc_cv, NULL);
	db->gc_tail = &db->gc_head;
	return db;
}

struct cf_certdb *cf_certdb_open_file(const char *path, struct cf_error *err)
{
	struct cf_dbconf conf;
	if (cf_dbconf_load(path, &conf, err) < 0)
		return NULL;
	struct cf_certdb *db = cf_certdb_open(&conf, err);
	cf_dbconf_release(&conf);
	return db;
}

void cf_certdb_close(struct cf_certdb *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->nidle; i++)
		db->drv->disconnect(db->idle[i]);
	pthread_mutex_destroy(&db->mu);
	pthread_cond_destroy(&db->cv);
	pthread_mutex_destroy(&db->gc_mu);
	pthread_cond_destroy(&db->gc_cv);
	cf_wipe_free(db->data_source, strlen(db->data_source));
	free(db);
}

const char *cf_certdb_driver_name(const struct cf_certdb *db)
{
	return db->drv->name;
}

/* An idle connection, or a new one while fewer than the maximum are open;
 * else waits for one to come back. */
static void *acquire(struct cf_certdb *db, struct cf_error *err)
{
	pthread_mutex_lock(&db->mu);
	int max = db->drv->max_conns ? db->drv->max_conns : CF_CERTDB_MAX_CONNS;
	while (!db->nidle && db->nopen >= max)
		pthread_cond_wait(&db->cv, &db->mu);
	if (db->nidle) {
		void *c = db->idle[--db->nidle];
		pthread_mutex_unlock(&db->mu);
		return c;
	}
	db->nopen++;
	pthread_mutex_unlock(&db->mu);
	void *c = db->drv->connect(db->data_source, err);
	if (!c) {
		pthread_mutex_lock(&db->mu);
		db->nopen--;
		pthread_cond_signal(&db->cv);
		pthread_mutex_unlock(&db->mu);
	}
	return c;
}

static void release(struct cf_certdb *db, void *c, int broken)
{
	if (broken)
		db->drv->disconnect(c);
	pthread_mutex_lock(&db->mu);
	if (broken)
		db->nopen--;
	else
		db->idle[db->nidle++] = c;
	pthread_cond_signal(&db->cv);
	pthread_mutex_unlock(&db->mu);
}

/* Fails every item of @list that has no result yet with @e. */
static void gc_fail(struct gc_item *list, const struct cf_error *e)
{
	for (struct gc_item *it = list; it; it = it->next)
		if (!it->ret) {
			it->ret = -1;
			it->err = *e;
		}
}

/* One group: BEGIN IMMEDIATE, each write under its savepoint, COMMIT. */
static void gc_run(struct cf_certdb *db, struct gc_item *list)
{
	struct cf_error e = {0};
	int broken = 0;
	void *c = acquire(db, &e);
	if (!c) {
		gc_fail(list, &e);
		return;
	}
	int r = db->drv->exec_sql(c, "BEGIN IMMEDIATE", &e);
	if (r < 0) {
		broken = r == CF_CERTDB_BROKEN;
		gc_fail(list, &e);
		goto out;
	}
	for (struct gc_item *it = list; it; it = it->next) {
		if ((r = db->drv->exec_sql(c, "SAVEPOINT cf_write", &it->err)) == 0) {
			r = db->drv->exec(c, it->st, it->params, NULL, NULL, &it->affected,
					  &it->err);
			if (r < 0)
				db->drv->exec_sql(c, "ROLLBACK TO cf_write", &e);
			db->drv->exec_sql(c, "RELEASE cf_write", &e);
		}
		if (r < 0) {
			it->ret = r;
			if (r == CF_CERTDB_BROKEN) {
				broken = 1;
				gc_fail(list, &it->err);
				break;
			}
		}
	}
	cf_error_clear(&e);
	if (!broken && (r = db->drv->exec_sql(c, "COMMIT", &e)) < 0) {
		broken = r == CF_CERTDB_BROKEN;
		gc_fail(list, &e);
		struct cf_error ignored = {0};
		if (!broken)
			db->drv->exec_sql(c, "ROLLBACK", &ignored);
	}
out:
	release(db, c, broken);
}

/* A write through group commit: queued, then run by whichever waiting thread leads. */
static int exec_grouped(struct cf_certdb *db, const struct cf_certdb_stmt *st,
			const struct cf_dbval *params, long long *affected, struct cf_error *err)
{
	struct gc_item it = {.st = st, .params = params};
	pthread_mutex_lock(&db->gc_mu);
	*db->gc_tail = &it;
	db->gc_tail = &it.next;
	while (!it.done) {
		if (db->gc_leader) {
			pthread_cond_wait(&db->gc_cv, &db->gc_mu);
			continue;
		}
		/* lead: take every write queued now (this one among them) */
		struct gc_item *list = db->gc_head;
		db->gc_head = NULL;
		db->gc_tail = &db->gc_head;
		db->gc_leader = 1;
		pthread_mutex_unlock(&db->gc_mu);
		gc_run(db, list);
		pthread_mutex_lock(&db->gc_mu);
		for (struct gc_item *i = list, *next; i; i = next) {
			next = i->next; /* i belongs to its thread once done */
			i->done = 1;
		}
		db->gc_leader = 0;
		pthread_cond_broadcast(&db->gc_cv);
	}
	pthread_mutex_unlock(&db->gc_mu);
	if (affected)
		*affected = it.affected;
	if (it.ret < 0)
		*err = it.err;
	return it.ret;
}

static int exec(struct cf_certdb *db, enum cf_certdb_stmt_id id, const struct cf_dbval *params,
		cf_certdb_row_fn row, void *ctx, long long *affected, struct cf_error *err)
{
	if (db->drv->group_commit && cf_certdb_stmts[id].ncols == 0) {
		int ret = exec_grouped(db, &cf_certdb_stmts[id], params, affected, err);
		if (ret < 0 && !err->set)
			cf_error_set(err, CF_ERR_CERTSTORE, "certificate database error");
		return ret < 0 ? -1 : 0;
	}
	void *c = acquire(db, err);
	if (!c)
		return -1;
	int ret = db->drv->exec(c, &cf_certdb_stmts[id], params, row, ctx, affected, err);
	release(db, c, ret == CF_CERTDB_BROKEN);
	if (ret < 0 && !err->set)
		cf_error_set(err, CF_ERR_CERTSTORE, "certificate database error");
	return ret < 0 ? -1 : 0;
}

/* ---- the Accessor ---- */

static struct cf_dbval text(const char *s)
{
	if (!s)
		return (struct cf_dbval){.type = CF_DBV_NULL};
	return (struct cf_dbval){.type = CF_DBV_TEXT, .s = s, .len = strlen(s)};
}

static struct cf_dbval blob(const char *s)
{
	if (!s)
		return (struct cf_dbval){.type = CF_DBV_NULL};
	return (struct cf_dbval){.type = CF_DBV_BLOB, .s = s, .len = strlen(s)};
}

static struct cf_dbval timev(struct cf_dbtime t)
{
	return (struct cf_dbval){.type = CF_DBV_TIME, .t = t};
}

static char *dupval(const struct cf_dbval *v)
{
	return v->type == CF_DBV_NULL ? NULL : cf_xmemdup(v->s, v->len);
}

static char *dupval_empty(const struct cf_dbval *v)
{
	return v->type == CF_DBV_NULL ? cf_xstrdup("") : cf_xmemdup(v->s, v->len);
}

struct certs {
	struct cf_certdb_cert *v;
	size_t n;
};

static int cert_row(void *ctx, const struct cf_dbval *c, struct cf_error *err)
{
	struct certs *l = ctx;
	l->v = cf_xgrow(l->v, l->n, sizeof *l->v);
	struct cf_certdb_cert *r = &l->v[l->n++];
	memset(r, 0, sizeof *r);
	r->serial = dupval_empty(&c[0]);
	r->aki = dupval_empty(&c[1]);
	r->ca_label = dupval_empty(&c[2]);
	r->status = dupval_empty(&c[3]);
	r->reason = c[4].type == CF_DBV_INT ? c[4].i : 0;
	r->expiry = c[5].type == CF_DBV_TIME ? c[5].t : (struct cf_dbtime){CF_DBTIME_ZERO_SEC, 0};
	r->revoked_at =
		c[6].type == CF_DBV_TIME ? c[6].t : (struct cf_dbtime){CF_DBTIME_ZERO_SEC, 0};
	r->pem = dupval_empty(&c[7]);
	r->has_issued_at = c[8].type == CF_DBV_TIME;
	r->issued_at = c[8].t;
	r->has_not_before = c[9].type == CF_DBV_TIME;
	r->not_before = c[9].t;
	r->metadata = dupval(&c[10]);
	r->sans = dupval(&c[11]);
	r->common_name = dupval(&c[12]);
	return 0;
}

static int query_certs(struct cf_certdb *db, enum cf_certdb_stmt_id id,
		       const struct cf_dbval *params, struct cf_certdb_cert **out, size_t *n,
		       struct cf_error *err)
{
	struct certs l = {0};
	*out = NULL;
	*n = 0;
	if (exec(db, id, params, cert_row, &l, NULL, err) < 0) {
		cf_certdb_certs_free(l.v, l.n);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

static int affected_one(long long n, int code, const char *none, struct cf_error *err)
{
	if (n == 0)
		return cf_error_set(err, code, "%s", none);
	if (n != 1)
		return cf_error_set(err, CF_ERR_CERTSTORE,
				    "%lld rows are affected, should be 1 row", n);
	return 0;
}

int cf_certdb_insert_cert(struct cf_certdb *db, const struct cf_certdb_cert *c,
			  struct cf_error *err)
{
	struct cf_dbval p[13] = {
		text(c->serial),
		text(c->aki),
		text(c->ca_label ? c->ca_label : ""),
		text(c->status),
		{.type = CF_DBV_INT, .i = c->reason},
		timev(c->expiry),
		timev(c->revoked_at),
		text(c->pem),
		c->has_issued_at ? timev(c->issued_at) : (struct cf_dbval){.type = CF_DBV_NULL},
		c->has_not_before ? timev(c->not_before) : (struct cf_dbval){.type = CF_DBV_NULL},
		blob(c->metadata),
		blob(c->sans),
		text(c->common_name),
	};
	long long n = 0;
	if (exec(db, CF_SQL_INSERT_CERT, p, NULL, NULL, &n, err) < 0)
		return -1;
	return affected_one(n, CF_ERR_CERTSTORE_INSERT, "failed to insert the certificate record",
			    err);
}

int cf_certdb_get_cert(struct cf_certdb *db, const char *serial, const char *aki,
		       struct cf_certdb_cert **out, size_t *n, struct cf_error *err)
{
	struct cf_dbval p[2] = {text(serial), text(aki)};
	return query_certs(db, CF_SQL_SELECT_CERT, p, out, n, err);
}

int cf_certdb_get_unexpired(struct cf_certdb *db, struct cf_certdb_cert **out, size_t *n,
			    struct cf_error *err)
{
	return query_certs(db, CF_SQL_SELECT_UNEXPIRED, NULL, out, n, err);
}

int cf_certdb_get_unexpired_by_aki(struct cf_certdb *db, const char *aki,
				   struct cf_certdb_cert **out, size_t *n, struct cf_error *err)
{
	if (!aki)
		return cf_certdb_get_unexpired(db, out, n, err);
	struct cf_dbval p[1] = {text(aki)};
	return query_certs(db, CF_SQL_SELECT_UNEXPIRED_BY_AKI, p, out, n, err);
}

int cf_certdb_get_revoked(struct cf_certdb *db, const char *aki, struct cf_certdb_cert **out,
			  size_t *n, struct cf_error *err)
{
	if (!aki)
		return query_certs(db, CF_SQL_SELECT_REVOKED, NULL, out, n, err);
	struct cf_dbval p[1] = {text(aki)};
	return query_certs(db, CF_SQL_SELECT_REVOKED_BY_AKI, p, out, n, err);
}

int cf_certdb_revoke(struct cf_certdb *db, const char *serial, const char *aki, int reason,
		     struct cf_error *err)
{
	struct cf_dbval p[3] = {{.type = CF_DBV_INT, .i = reason}, text(serial), text(aki)};
	long long n = 0;
	if (exec(db, CF_SQL_REVOKE, p, NULL, NULL, &n, err) < 0)
		return -1;
	return affected_one(n, CF_ERR_CERTSTORE_NOTFOUND,
			    "failed to revoke the certificate: certificate not found", err);
}

static struct cf_dbval body(const struct cf_certdb_ocsp *o)
{
	/* a Go string: text, all bytes */
	return (struct cf_dbval){
		.type = CF_DBV_TEXT, .s = (const char *)o->body, .len = o->body_len};
}

int cf_certdb_insert_ocsp(struct cf_certdb *db, const struct cf_certdb_ocsp *o,
			  struct cf_error *err)
{
	struct cf_dbval p[4] = {text(o->serial), text(o->aki), body(o), timev(o->expiry)};
	long long n = 0;
	if (exec(db, CF_SQL_INSERT_OCSP, p, NULL, NULL, &n, err) < 0)
		return -1;
	return affected_one(n, CF_ERR_CERTSTORE_INSERT, "failed to insert the OCSP record", err);
}

static int update_ocsp(struct cf_certdb *db, const struct cf_certdb_ocsp *o, long long *n,
		       struct cf_error *err)
{
	struct cf_dbval p[4] = {body(o), timev(o->expiry), text(o->serial), text(o->aki)};
	return exec(db, CF_SQL_UPDATE_OCSP, p, NULL, NULL, n, err);
}

int cf_certdb_update_ocsp(struct cf_certdb *db, const struct cf_certdb_ocsp *o,
			  struct cf_error *err)
{
	long long n = 0;
	if (update_ocsp(db, o, &n, err) < 0)
		return -1;
	return affected_one(n, CF_ERR_CERTSTORE_NOTFOUND, "failed to update the OCSP record", err);
}

int cf_certdb_upsert_ocsp(struct cf_certdb *db, const struct cf_certdb_ocsp *o,
			  struct cf_error *err)
{
	long long n = 0;
	if (update_ocsp(db, o, &n, err) < 0)
		return -1;
	if (n == 0)
		return cf_certdb_insert_ocsp(db, o, err);
	return affected_one(n, CF_ERR_CERTSTORE, "", err);
}

struct ocsps {
	struct cf_certdb_ocsp *v;
	size_t n;
};

static int ocsp_row(void *ctx, const struct cf_dbval *c, struct cf_error *err)
{
	struct ocsps *l = ctx;
	l->v = cf_xgrow(l->v, l->n, sizeof *l->v);
	struct cf_certdb_ocsp *r = &l->v[l->n++];
	memset(r, 0, sizeof *r);
	r->serial = dupval_empty(&c[0]);
	r->aki = dupval_empty(&c[1]);
	r->body = (unsigned char *)dupval_empty(&c[2]);
	r->body_len = c[2].type == CF_DBV_NULL ? 0 : c[2].len;
	r->expiry = c[3].type == CF_DBV_TIME ? c[3].t : (struct cf_dbtime){CF_DBTIME_ZERO_SEC, 0};
	return 0;
}

static int query_ocsps(struct cf_certdb *db, enum cf_certdb_stmt_id id,
		       const struct cf_dbval *params, struct cf_certdb_ocsp **out, size_t *n,
		       struct cf_error *err)
{
	struct ocsps l = {0};
	*out = NULL;
	*n = 0;
	if (exec(db, id, params, ocsp_row, &l, NULL, err) < 0) {
		cf_certdb_ocsps_free(l.v, l.n);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

int cf_certdb_get_ocsp(struct cf_certdb *db, const char *serial, const char *aki,
		       struct cf_certdb_ocsp **out, size_t *n, struct cf_error *err)
{
	struct cf_dbval p[2] = {text(serial), text(aki)};
	return query_ocsps(db, CF_SQL_SELECT_OCSP, p, out, n, err);
}

int cf_certdb_get_ocsp_by_serial(struct cf_certdb *db, const char *serial,
				 struct cf_certdb_ocsp **out, size_t *n, struct cf_error *err)
{
	struct cf_dbval p[1] = {text(serial)};
	return query_ocsps(db, CF_SQL_SELECT_OCSP_BY_SERIAL, p, out, n, err);
}

int cf_certdb_get_unexpired_ocsp(struct cf_certdb *db, struct cf_certdb_ocsp **out, size_t *n,
				 struct cf_error *err)
{
	return query_ocsps(db, CF_SQL_SELECT_UNEXPIRED_OCSP, NULL, out, n, err);
}

/* ---- the signer's row ---- */

static char *hex_of(const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = cf_xmalloc(2 * n + 1);
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = 0;
	return s;
}

char *cf_certdb_crt_aki(gnutls_x509_crt_t crt)
{
	unsigned char id[128];
	size_t n = sizeof id;
	unsigned int crit;
	if (gnutls_x509_crt_get_authority_key_id(crt, id, &n, &crit) < 0)
		n = 0;
	return hex_of(id, n);
}

char *cf_certdb_crt_ski(gnutls_x509_crt_t crt)
{
	unsigned char id[128];
	size_t n = sizeof id;
	unsigned int crit;
	if (gnutls_x509_crt_get_subject_key_id(crt, id, &n, &crit) < 0)
		n = 0;
	return hex_of(id, n);
}

int cf_certdb_cert_from_pem(const unsigned char *pem, size_t len, const char *label,
			    struct cf_certdb_cert *out, struct cf_error *err)
{
	memset(out, 0, sizeof *out);
	gnutls_x509_crt_t crt;
	if (cf_parse_cert_pem(pem, len, &crt, err) < 0)
		return -1;
	unsigned char serial[64];
	size_t sn = sizeof serial;
	struct cf_buf b = CF_BUF_INIT;
	if (gnutls_x509_crt_get_serial(crt, serial, &sn) < 0)
		sn = 0;
	cf_bigint_dec_signed(serial, sn, &b);
	out->serial = (char *)cf_buf_detach(&b, NULL);
	out->aki = cf_certdb_crt_aki(crt);
	out->ca_label = cf_xstrdup(label ? label : "");
	out->status = cf_xstrdup("good");
	out->expiry = (struct cf_dbtime){gnutls_x509_crt_get_expiration_time(crt), 0};
	out->revoked_at = (struct cf_dbtime){CF_DBTIME_ZERO_SEC, 0};
	out->pem = cf_xmemdup(pem, len);
	out->has_issued_at = 1;
	out->issued_at = cf_dbtime_now();
	out->has_not_before = 1;
	out->not_before = (struct cf_dbtime){gnutls_x509_crt_get_activation_time(crt), 0};
	out->metadata = cf_xstrdup("null");
	/* Go's Subject.CommonName: the last CN, its string value decoded as Go does */
	char *cn = NULL;
	for (unsigned i = 0;; i++) {
		unsigned char raw[1024];
		size_t n = sizeof raw;
		if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, i, 1, raw, &n) <
		    0)
			break;
		struct cf_der_reader r = {raw, n};
		struct cf_der_tlv tlv;
		struct cf_buf v = CF_BUF_INIT;
		if (cf_der_next(&r, &tlv) == 1 && cf_der_string_utf8(&tlv, &v) == 1) {
			free(cn);
			cn = (char *)cf_buf_detach(&v, NULL);
		}
		cf_buf_release(&v);
	}
	out->common_name = cn ? cn : cf_xstrdup("");
	/* the DNS names only, as Go's DNSNames */
	int nd = 0;
	for (unsigned i = 0;; i++) {
		char buf[1024];
		size_t n = sizeof buf;
		int t = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &n, NULL);
		if (t == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (t != GNUTLS_SAN_DNSNAME)
			continue;
		cf_buf_addc(&b, nd++ ? ',' : '[');
		cf_gojson_quote(&b, buf, n);
	}
	if (nd)
		cf_buf_addc(&b, ']');
	else
		cf_buf_adds(&b, "null");
	out->sans = (char *)cf_buf_detach(&b, NULL);
	gnutls_x509_crt_deinit(crt);
	return 0;
}

char *cf_certdb_norm_serial(const char *in)
{
	while (isspace((unsigned char)*in))
		in++;
	size_t n = strlen(in);
	while (n && isspace((unsigned char)in[n - 1]))
		n--;
	size_t i = 0;
	while (i < n && isdigit((unsigned char)in[i]))
		i++;
	if (i == n && n > 1)
		while (n > 1 && *in == '0') {
			in++;
			n--;
		}
	return cf_xmemdup(in, n);
}
