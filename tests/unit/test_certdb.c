/* Unit tests for common/db/certdb.c and the sqlite3 driver: -db-config errors,
 * Go time text, the statement table, and the Accessor calls on a fresh
 * SQLite file made with db/sqlite3's schema (cfssl-serve.md §7). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "certdb.h"
#include "check.h"
#include "fileio.h"

static char dir[] = "/tmp/test_certdb.XXXXXX";

static char *write_tmp(const char *name, const char *text)
{
	char *p = cf_xmalloc(strlen(dir) + strlen(name) + 2);
	sprintf(p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

static void dbconf_case(const char *body, const char *want)
{
	char *p = body ? write_tmp("dbconf.json", body) : cf_xstrdup("/nonexistent/db.json");
	struct cf_dbconf c;
	struct cf_error e = {0};
	char got[CF_ERROR_MSG_MAX + 64] = "";
	if (cf_dbconf_load(p, &c, &e) < 0)
		cf_error_render(&e, got, sizeof got);
	else
		snprintf(got, sizeof got, "%s|%s", c.driver, c.data_source);
	check_str(body ? body : "missing file", want, got);
	cf_dbconf_release(&c);
	free(p);
}

static void test_dbconf(void)
{
	dbconf_case(NULL, "{\"code\":5200,\"message\":\"could not read configuration file\"}");
	dbconf_case("{bad", "{\"code\":5200,\"message\":\"failed to unmarshal configuration: "
			    "invalid character 'b' looking for beginning of object key string\"}");
	dbconf_case("{\"driver\":\"sqlite3\"}",
		    "{\"code\":5200,\"message\":\"invalid db configuration\"}");
	dbconf_case("null", "{\"code\":5200,\"message\":\"invalid db configuration\"}");
	dbconf_case("{\"DRIVER\":\"sqlite3\",\"Data_Source\":\"a.db\"}", "sqlite3|a.db");

	struct cf_dbconf c = {"nosuch", "x"};
	struct cf_error e = {0};
	check(!cf_certdb_open(&c, &e), "unknown driver fails");
	check_str("unknown driver", "sql: unknown driver \"nosuch\" (forgotten import?)", e.msg);
}

static void time_case(const char *in, const char *want9)
{
	struct cf_dbtime t;
	char out[64] = "(parse error)";
	if (cf_dbtime_parse(in, strlen(in), &t) == 0)
		cf_dbtime_format(&t, 9, "+00:00", out);
	check_str(in, want9, out);
}

static void test_time(void)
{
	time_case("2026-12-03 19:01:26", "2026-12-03 19:01:26+00:00");
	time_case("2026-12-03 19:01:26.574224264+00:00", "2026-12-03 19:01:26.574224264+00:00");
	time_case("2026-12-03 18:55:45.708695+00", "2026-12-03 18:55:45.708695+00:00");
	time_case("2026-12-03T20:01:26.5+01:00", "2026-12-03 19:01:26.5+00:00");
	time_case("2026-12-03T19:01:26Z", "2026-12-03 19:01:26+00:00");
	time_case("0001-01-01 00:00:00+00:00", "0001-01-01 00:00:00+00:00");
	time_case("0000-00-00 00:00:00", "0001-01-01 00:00:00+00:00");
	time_case("1969-12-31 23:59:59.25", "1969-12-31 23:59:59.25+00:00");
	time_case("2026-13-03 19:01:26", "(parse error)");
	time_case("2026-12-03", "(parse error)");
	struct cf_dbtime t = {CF_DBTIME_ZERO_SEC, 0};
	char out[64];
	cf_dbtime_format(&t, 0, "", out);
	check_str("zero time", "0001-01-01 00:00:00", out);
	t = (struct cf_dbtime){1796324400, 123456789};
	cf_dbtime_format(&t, 6, "", out);
	check_str("microseconds", "2026-12-03 19:00:00.123456", out);
	cf_dbtime_format(&t, 0, "Z", out);
	check_str("whole seconds", "2026-12-03 19:00:00Z", out);
}

static void test_sql(void)
{
	char *s = cf_certdb_rebind_dollar(cf_certdb_stmts[CF_SQL_REVOKE].sql);
	check_str("rebind",
		  "UPDATE certificates SET status='revoked', revoked_at=CURRENT_TIMESTAMP, "
		  "reason=$1 WHERE (serial_number = $2 AND authority_key_identifier = $3);",
		  s);
	free(s);
	for (int i = 0; i < CF_SQL_COUNT; i++) {
		int n = 0;
		for (const char *p = cf_certdb_stmts[i].sql; *p; p++)
			n += *p == '?';
		CHECK((int)cf_certdb_stmts[i].id == i && n == cf_certdb_stmts[i].nparams,
		      "statement %d: id and parameter count", i);
	}
	char *a = cf_certdb_norm_aki("85:E1:26:BC");
	check_str("norm aki", "85e126bc", a);
	free(a);
}

static void apply_schema(const char *path)
{
	sqlite3 *db;
	sqlite3_open(path, &db);
	const char *files[] = {"001_CreateCertificates.sql", "002_AddMetadataToCertificates.sql"};
	for (int i = 0; i < 2; i++) {
		char p[1024];
		snprintf(p, sizeof p, "%s/db/sqlite3/%s", getenv("SRCDIR"), files[i]);
		struct cf_buf b = CF_BUF_INIT;
		struct cf_error e = {0};
		cf_read_file(p, &b, &e);
		CHECK(b.data && sqlite3_exec(db, (char *)b.data, NULL, NULL, NULL) == SQLITE_OK,
		      "schema %s", files[i]);
		cf_buf_release(&b);
	}
	sqlite3_close(db);
}

static void test_sqlite(void)
{
	char *conf = write_tmp("db.json", "{\"driver\":\"sqlite3\",\"data_source\":\"");
	char path[300];
	snprintf(path, sizeof path, "%s/certs.db", dir);
	FILE *f = fopen(conf, "a");
	fprintf(f, "%s\"}", path);
	fclose(f);

	/* no schema: the missing table is named */
	struct cf_error e = {0};
	struct cf_certdb *db = cf_certdb_open_file(conf, &e);
	check(db != NULL, "open sqlite3");
	struct cf_certdb_cert *rows;
	size_t n;
	check(cf_certdb_get_unexpired(db, &rows, &n, &e) < 0, "no schema fails");
	CHECK(e.code == 11000 && strstr(e.msg, "no such table: certificates") &&
		      strstr(e.msg, "db/apply.sh sqlite3"),
	      "missing table message: %s", e.msg);
	cf_certdb_close(db);

	apply_schema(path);
	memset(&e, 0, sizeof e);
	db = cf_certdb_open_file(conf, &e);
	struct cf_certdb_cert c = {
		.serial = "1234",
		.aki = "abcd",
		.ca_label = "",
		.status = "good",
		.expiry = {4102444800, 0}, /* 2100 */
		.revoked_at = {CF_DBTIME_ZERO_SEC, 0},
		.pem = "PEM\n",
		.has_issued_at = 1,
		.issued_at = {1796324400, 574224264},
		.metadata = "null",
		.sans = "[\"a.example\"]",
		.common_name = "a.example",
	};
	check(cf_certdb_insert_cert(db, &c, &e) == 0, "insert");
	check(cf_certdb_insert_cert(db, &c, &e) < 0 && e.code == 11000 &&
		      strstr(e.msg, "UNIQUE constraint failed"),
	      "duplicate insert fails");
	cf_error_clear(&e);
	c.serial = "99";
	c.expiry = (struct cf_dbtime){946684800, 0}; /* 2000: expired */
	check(cf_certdb_insert_cert(db, &c, &e) == 0, "insert expired");

	check(cf_certdb_get_cert(db, "1234", "abcd", &rows, &n, &e) == 0 && n == 1, "get");
	if (n == 1) {
		check_str("serial", "1234", rows[0].serial);
		check_str("common_name", "a.example", rows[0].common_name);
		check_str("sans", "[\"a.example\"]", rows[0].sans);
		check(rows[0].has_issued_at && rows[0].issued_at.nsec == 574224264, "issued_at");
		check(!rows[0].has_not_before, "not_before NULL");
		check(rows[0].revoked_at.sec == CF_DBTIME_ZERO_SEC, "revoked_at zero");
	}
	cf_certdb_certs_free(rows, n);
	check(cf_certdb_get_unexpired(db, &rows, &n, &e) == 0 && n == 1, "unexpired: one");
	cf_certdb_certs_free(rows, n);

	check(cf_certdb_revoke(db, "1234", "ABCD", 1, &e) < 0 && e.code == 11200 &&
		      !strcmp(e.msg, "failed to revoke the certificate: certificate not found"),
	      "revoke unknown");
	cf_error_clear(&e);
	check(cf_certdb_revoke(db, "1234", "abcd", 4, &e) == 0, "revoke");
	check(cf_certdb_get_revoked(db, "abcd", &rows, &n, &e) == 0 && n == 1, "revoked by aki");
	if (n == 1)
		check(rows[0].reason == 4 && rows[0].revoked_at.sec > 1700000000 &&
			      !strcmp(rows[0].status, "revoked"),
		      "revoked row");
	cf_certdb_certs_free(rows, n);
	check(cf_certdb_get_revoked(db, "ffff", &rows, &n, &e) == 0 && n == 0, "other aki: none");

	unsigned char body[] = {0x30, 0x00, 0x01, 0x02};
	struct cf_certdb_ocsp o = {"1234", "abcd", body, sizeof body, {4102444800, 0}};
	check(cf_certdb_upsert_ocsp(db, &o, &e) == 0, "upsert insert");
	body[3] = 9;
	check(cf_certdb_upsert_ocsp(db, &o, &e) == 0, "upsert update");
	struct cf_certdb_ocsp *ors;
	check(cf_certdb_get_unexpired_ocsp(db, &ors, &n, &e) == 0 && n == 1, "ocsp rows");
	if (n == 1)
		check(ors[0].body_len == 4 && !memcmp(ors[0].body, body, 4), "body round trip");
	cf_certdb_ocsps_free(ors, n);
	cf_certdb_close(db);
	free(conf);
}

/* Several threads on one database (serve's handlers): each insert lands once. */
#define THREADS    6
#define PER_THREAD 25
static struct cf_certdb *shared_db;
static int thread_failures;
static pthread_mutex_t fail_mu = PTHREAD_MUTEX_INITIALIZER;

static void *insert_many(void *arg)
{
	long t = (long)arg;
	for (int i = 0; i < PER_THREAD; i++) {
		char serial[32];
		snprintf(serial, sizeof serial, "%ld%04d", t + 1, i);
		struct cf_certdb_cert c = {
			.serial = serial,
			.aki = "cafe",
			.status = "good",
			.expiry = {4102444800, 0},
			.revoked_at = {CF_DBTIME_ZERO_SEC, 0},
			.pem = "PEM\n",
		};
		struct cf_error e = {0};
		if (cf_certdb_insert_cert(shared_db, &c, &e) < 0) {
			pthread_mutex_lock(&fail_mu);
			if (!thread_failures++)
				printf("thread insert: %s\n", e.msg);
			pthread_mutex_unlock(&fail_mu);
		}
	}
	return NULL;
}

static void test_threads(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/threads.db", dir);
	apply_schema(path);
	struct cf_dbconf conf = {"sqlite3", path};
	struct cf_error e = {0};
	shared_db = cf_certdb_open(&conf, &e);
	pthread_t th[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, insert_many, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	check(thread_failures == 0, "concurrent inserts all succeed");
	struct cf_certdb_cert *rows;
	size_t n = 0;
	check(cf_certdb_get_unexpired_by_aki(shared_db, "cafe", &rows, &n, &e) == 0 &&
		      n == THREADS * PER_THREAD,
	      "concurrent inserts: one row each");
	cf_certdb_certs_free(rows, n);
	cf_certdb_close(shared_db);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_dbconf();
	test_time();
	test_sql();
	test_sqlite();
	test_threads();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	printf("test_certdb: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
