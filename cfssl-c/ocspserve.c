/* cfssl ocspserve: an OCSP responder over HTTP answering from a -responses file or the
 * certificate database (cfssl-serve.md §9; the responder is common/net/ocspserve.c). Start-up
 * lines and errors as cfssl's ocspServerMain; plain HTTP on common/net/httpd (limits of
 * deviation 19); SIGTERM and SIGINT finish the requests in flight and exit 0, SIGHUP is
 * ignored. Once the socket is bound, before the worker threads start, the process is confined
 * as serve's (cf_process_restrict): it never execs and opens no file but what its database
 * client needs (cf_dbconf_paths: an SQLite database's folder, libpq's files); with
 * -responses, read at start, none. */
#include <stdio.h>
#include <string.h>

#include "certdb.h"
#include "cli.h"
#include "httpd.h"
#include "log.h"
#include "ocspserve.h"
#include "process.h"

/* common/net/httpd's ready hook (@arg the database client's paths): what the workers may
 * still open. */
static int confine(void *arg, struct cf_error *err)
{
	const struct cf_dbconf_paths *p = arg;
	const char *writable[2] = {*p->dir ? p->dir : NULL, NULL};
	struct cf_restrict r = {(const char *const *)p->read, writable};
	return cf_process_restrict(&r, err);
}

int cmd_ocspserve(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	if (ctx->npos > 0)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "argument is provided but not defined; please refer to the "
				    "usage by flag -h");
	struct cf_ocspserve *r = NULL;
	struct cf_certdb *db = NULL;
	struct cf_httpd *srv = NULL;
	struct cf_dbconf_paths paths = {0};
	struct cf_error e = {0};
	int ret = -1;
	if (*f[F_RESPONSES].str) {
		r = cf_ocspserve_from_file(f[F_RESPONSES].str, f[F_PATH].str, &e);
		if (!r)
			return cf_error_set(err, CF_ERR_PLAIN, "unable to read response file");
	} else if (*f[F_DB_CONFIG].str) {
		struct cf_dbconf conf;
		if (cf_dbconf_load(f[F_DB_CONFIG].str, &conf, &e) == 0) {
			db = cf_certdb_open(&conf, &e);
			if (db)
				cf_dbconf_paths(&conf, &paths);
			cf_dbconf_release(&conf);
		}
		if (!db)
			return cf_error_set(err, CF_ERR_PLAIN, "unable to read configuration file");
		r = cf_ocspserve_from_db(db, f[F_PATH].str);
	} else {
		return cf_error_set(err, CF_ERR_PLAIN,
				    "no response file or db-config provided, please set the one "
				    "of these using either -responses or -db-config flags");
	}

	cf_info("Registering OCSP responder handler");
	long long port = f[F_PORT].i;
	const char *host = f[F_ADDRESS].str;
	if (strchr(host, ':'))
		cf_info("Now listening on [%s]:%lld", host, port);
	else
		cf_info("Now listening on %s:%lld", host, port);
	if (port < 0 || port > 65535) {
		cf_error_set(err, CF_ERR_PLAIN, "listen tcp: address %lld: invalid port", port);
		goto out;
	}
	struct cf_httpd_config hc = {
		.address = host,
		.port = (unsigned)port,
		.handler = cf_ocspserve_dispatch,
		.precheck = cf_ocspserve_precheck,
		.arg = r,
		.ready = confine,
		.ready_arg = &paths,
	};
	srv = cf_httpd_start(&hc, err);
	if (!srv)
		goto out;
	cf_httpd_wait_signal(srv);
	ret = 0;
out:
	cf_httpd_free(srv);
	cf_ocspserve_free(r);
	cf_certdb_close(db);
	cf_dbconf_paths_release(&paths);
	return ret;
}
