/* The certificate database layer (common/db/certdb.h) driven from the shell, for the tests of
 * the server drivers (test_db_pg.sh, test_db_mysql.sh) on a database the test started:
 *
 *   certdb_tool CONF accessor            every Accessor call on the empty tables, with checks
 *                                        ("N passed, N failed"; exit 1 on a failure)
 *   certdb_tool CONF probe               one query; prints the error as cfssl renders it
 *   certdb_tool CONF list                unexpired rows: "serial aki status reason label"
 *   certdb_tool CONF revoke SERIAL AKI REASON
 *   certdb_tool CONF threads N M [P]     N threads on one handle insert M rows each (serials
 *                                        start with the digits P, so that processes differ)
 *   certdb_tool CONF loop SECONDS        one query a second; prints "ok" or the error each time,
 *                                        and stops at the first "ok" after an error
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/check.h"
#include "buf.h"
#include "certdb.h"

static struct cf_certdb *db;

static int fail(const struct cf_error *e)
{
	char out[CF_ERROR_MSG_MAX + 64];
	cf_error_render(e, out, sizeof out);
	printf("%s\n", out);
	return 1;
}

static int accessor(const char *driver)
{
	int mysql = !strcmp(driver, "mysql");
	/* MySQL's timestamp ends in 2038 (so does cfssl's schema there) */
	const int64_t far = mysql ? 2145916800 /* 2038-01-01 */ : 4102444800; /* 2100-01-01 */
	struct cf_error e = {0};
	struct cf_certdb_cert *rows = NULL;
	size_t n = 0;
	struct cf_certdb_cert c = {
		.serial = "661343175308595544116445677032619995530932964936",
		.aki = "85e1262bcff46bac50acd1e3b95b075e53f06f0f",
		.ca_label = "",
		.status = "good",
		.expiry = {far, 0},
		.revoked_at = {CF_DBTIME_ZERO_SEC, 0},
		.pem = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n",
		.has_issued_at = 1,
		.issued_at = {1796324400, 574224264},
		.has_not_before = 1,
		.not_before = {1796320000, 0},
		.metadata = "null",
		.sans = "[\"a.example\", \"b.example\"]",
		.common_name = "a.example",
	};
	CHECK(cf_certdb_insert_cert(db, &c, &e) == 0, "insert: %s", e.msg);
	cf_error_clear(&e);
	CHECK(cf_certdb_insert_cert(db, &c, &e) < 0 && e.code == 11000 &&
		      strstr(e.msg, mysql ? "Error 1062 (23000): Duplicate entry"
					  : "pq: duplicate key value violates unique constraint"),
	      "duplicate insert fails: %s", e.msg);
	cf_error_clear(&e);
	/* NULLs where the columns allow them (certadd without the optional members) */
	struct cf_certdb_cert c2 = c;
	c2.serial = "42";
	c2.ca_label = "it's a \"label\" \\ with quotes";
	c2.has_issued_at = c2.has_not_before = 0;
	c2.metadata = "{}";
	c2.sans = "{}";
	c2.common_name = NULL;
	CHECK(cf_certdb_insert_cert(db, &c2, &e) == 0, "insert with NULLs: %s", e.msg);
	cf_error_clear(&e);
	struct cf_certdb_cert c3 = c;
	c3.serial = "7";
	c3.expiry = (struct cf_dbtime){946684800, 0}; /* 2000: expired */
	CHECK(cf_certdb_insert_cert(db, &c3, &e) == 0, "insert expired: %s", e.msg);
	cf_error_clear(&e);

	CHECK(cf_certdb_get_cert(db, c.serial, c.aki, &rows, &n, &e) == 0 && n == 1, "get: %s",
	      e.msg);
	if (n == 1) {
		struct cf_certdb_cert *r = &rows[0];
		check_str("serial", c.serial, r->serial);
		check_str("aki", c.aki, r->aki);
		check_str("ca_label", "", r->ca_label);
		check_str("status", "good", r->status);
		check_str("pem", c.pem, r->pem);
		check_str("common_name", "a.example", r->common_name);
		/* jsonb prints its own spacing; MySQL's JSON keeps the text */
		check_str("sans", "[\"a.example\", \"b.example\"]", r->sans);
		check_str("metadata", "null", r->metadata);
		CHECK(r->expiry.sec == far && !r->expiry.nsec, "expiry %lld",
		      (long long)r->expiry.sec);
		CHECK(r->revoked_at.sec == CF_DBTIME_ZERO_SEC && !r->revoked_at.nsec,
		      "revoked_at is Go's zero time: %lld", (long long)r->revoked_at.sec);
		/* postgres keeps microseconds; MySQL's timestamp whole seconds */
		CHECK(r->has_issued_at && r->issued_at.sec == 1796324400 &&
			      r->issued_at.nsec == (mysql ? 0 : 574224000),
		      "issued_at %lld.%09d", (long long)r->issued_at.sec, r->issued_at.nsec);
		CHECK(r->has_not_before && r->not_before.sec == 1796320000, "not_before");
	}
	cf_certdb_certs_free(rows, n);
	CHECK(cf_certdb_get_cert(db, "42", c.aki, &rows, &n, &e) == 0 && n == 1, "get 42: %s",
	      e.msg);
	if (n == 1) {
		check_str("label with quotes", c2.ca_label, rows[0].ca_label);
		check(!rows[0].has_issued_at && !rows[0].has_not_before && !rows[0].common_name,
		      "NULL columns read as NULL");
		check_str("metadata {}", "{}", rows[0].metadata);
	}
	cf_certdb_certs_free(rows, n);
	CHECK(cf_certdb_get_cert(db, "1", c.aki, &rows, &n, &e) == 0 && n == 0, "get unknown: %s",
	      e.msg);
	cf_certdb_certs_free(rows, n);

	CHECK(cf_certdb_get_unexpired(db, &rows, &n, &e) == 0 && n == 2, "unexpired: two (%zu)", n);
	cf_certdb_certs_free(rows, n);
	CHECK(cf_certdb_get_unexpired_by_aki(db, "ffff", &rows, &n, &e) == 0 && n == 0,
	      "unexpired of another CA: none");
	cf_certdb_certs_free(rows, n);

	CHECK(cf_certdb_revoke(db, c.serial, "85E1262B", 1, &e) < 0 && e.code == 11200,
	      "revoke unknown: %s", e.msg);
	cf_error_clear(&e);
	struct cf_dbtime before = cf_dbtime_now();
	CHECK(cf_certdb_revoke(db, c.serial, c.aki, 4, &e) == 0, "revoke: %s", e.msg);
	cf_error_clear(&e);
	CHECK(cf_certdb_get_revoked(db, NULL, &rows, &n, &e) == 0 && n == 1, "revoked: one");
	if (n == 1) {
		check_str("revoked status", "revoked", rows[0].status);
		CHECK(rows[0].reason == 4, "reason %lld", rows[0].reason);
		CHECK(rows[0].revoked_at.sec >= before.sec - 5 &&
			      rows[0].revoked_at.sec <= before.sec + 5,
		      "revoked_at is now (UTC): %lld vs %lld", (long long)rows[0].revoked_at.sec,
		      (long long)before.sec);
	}
	cf_certdb_certs_free(rows, n);
	CHECK(cf_certdb_get_revoked(db, c.aki, &rows, &n, &e) == 0 && n == 1, "revoked by aki");
	cf_certdb_certs_free(rows, n);

	unsigned char body[600];
	for (size_t i = 0; i < sizeof body; i++)
		body[i] = (unsigned char)(i * 7); /* NULs and high bytes */
	struct cf_certdb_ocsp o = {c.serial, c.aki, body, sizeof body, {far, 0}};
	CHECK(cf_certdb_upsert_ocsp(db, &o, &e) == 0, "upsert (insert): %s", e.msg);
	cf_error_clear(&e);
	body[0] = 0xff;
	o.expiry.sec = far + 1;
	CHECK(cf_certdb_upsert_ocsp(db, &o, &e) == 0, "upsert (update): %s", e.msg);
	cf_error_clear(&e);
	struct cf_certdb_ocsp *ors = NULL;
	CHECK(cf_certdb_get_unexpired_ocsp(db, &ors, &n, &e) == 0 && n == 1, "ocsp rows: %zu", n);
	if (n == 1)
		check(ors[0].body_len == sizeof body && !memcmp(ors[0].body, body, sizeof body) &&
			      ors[0].expiry.sec == far + 1,
		      "body and expiry round trip");
	cf_certdb_ocsps_free(ors, n);
	CHECK(cf_certdb_get_ocsp(db, c.serial, c.aki, &ors, &n, &e) == 0 && n == 1, "get ocsp");
	cf_certdb_ocsps_free(ors, n);
	o.serial = "999";
	int r = cf_certdb_update_ocsp(db, &o, &e);
	CHECK(r < 0 && e.code == 11200, "update of no row: %s", e.msg);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

static int list(void)
{
	struct cf_error e = {0};
	struct cf_certdb_cert *rows;
	size_t n;
	if (cf_certdb_get_unexpired(db, &rows, &n, &e) < 0)
		return fail(&e);
	for (size_t i = 0; i < n; i++)
		printf("%s %s %s %lld %s\n", rows[i].serial, rows[i].aki, rows[i].status,
		       rows[i].reason, rows[i].ca_label ? rows[i].ca_label : "NULL");
	cf_certdb_certs_free(rows, n);
	return 0;
}

struct job {
	int id, m, errors;
	const char *prefix;
	char err[CF_ERROR_MSG_MAX];
};

static void *worker(void *p)
{
	struct job *j = p;
	for (int i = 0; i < j->m; i++) {
		char serial[64];
		snprintf(serial, sizeof serial, "%s%d%06d", j->prefix, j->id + 1, i);
		struct cf_certdb_cert c = {
			.serial = serial,
			.aki = "abcdef",
			.ca_label = "",
			.status = "good",
			.expiry = {2145916800, 0},
			.revoked_at = {CF_DBTIME_ZERO_SEC, 0},
			.pem = "PEM\n",
			.metadata = "null",
			.sans = "null",
			.common_name = serial,
		};
		struct cf_error e = {0};
		struct cf_certdb_cert *rows;
		size_t n;
		if (cf_certdb_insert_cert(db, &c, &e) < 0 ||
		    cf_certdb_get_cert(db, serial, "abcdef", &rows, &n, &e) < 0) {
			j->errors++;
			snprintf(j->err, sizeof j->err, "%s", e.msg);
			continue;
		}
		if (n != 1)
			j->errors++;
		cf_certdb_certs_free(rows, n);
	}
	return NULL;
}

static int threads(int n, int m, const char *prefix)
{
	pthread_t t[32];
	struct job jobs[32];
	if (n > 32)
		n = 32;
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){.id = i, .m = m, .prefix = prefix};
		pthread_create(&t[i], NULL, worker, &jobs[i]);
	}
	int errors = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		errors += jobs[i].errors;
		if (jobs[i].errors)
			printf("thread %d: %s\n", i, jobs[i].err);
	}
	printf("%d errors\n", errors);
	return errors ? 1 : 0;
}

static int loop(int secs)
{
	int down = 0;
	for (int i = 0; i < secs; i++) {
		struct cf_error e = {0};
		struct cf_certdb_cert *rows;
		size_t n;
		if (cf_certdb_get_unexpired(db, &rows, &n, &e) < 0) {
			fail(&e);
			down = 1;
		} else {
			printf("ok\n");
			cf_certdb_certs_free(rows, n);
			if (down)
				break; /* recovered */
		}
		fflush(stdout);
		sleep(1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	struct cf_error e = {0};
	struct cf_dbconf conf;
	if (cf_dbconf_load(argv[1], &conf, &e) < 0)
		return fail(&e);
	db = cf_certdb_open(&conf, &e);
	if (!db) {
		cf_dbconf_release(&conf);
		return fail(&e);
	}
	const char *cmd = argv[2];
	int ret = 2;
	if (!strcmp(cmd, "accessor")) {
		ret = accessor(conf.driver);
	} else if (!strcmp(cmd, "probe")) {
		struct cf_certdb_cert *rows;
		size_t n;
		ret = cf_certdb_get_unexpired(db, &rows, &n, &e) < 0 ? fail(&e) : 0;
		if (!ret)
			cf_certdb_certs_free(rows, n);
	} else if (!strcmp(cmd, "list")) {
		ret = list();
	} else if (!strcmp(cmd, "revoke") && argc == 6) {
		ret = cf_certdb_revoke(db, argv[3], argv[4], atoi(argv[5]), &e) < 0 ? fail(&e) : 0;
	} else if (!strcmp(cmd, "threads") && (argc == 5 || argc == 6)) {
		ret = threads(atoi(argv[3]), atoi(argv[4]), argc == 6 ? argv[5] : "");
	} else if (!strcmp(cmd, "loop") && argc == 4) {
		ret = loop(atoi(argv[3]));
	}
	cf_certdb_close(db);
	cf_dbconf_release(&conf);
	return ret;
}
