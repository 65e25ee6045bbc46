/* cfssl ocspserve: an OCSP responder over HTTP answering from a -responses file or the
 * certificate database (cfssl-serve.md §9; the responder is common/net/ocspserve.c). Start-up
 * lines and errors as cfssl's ocspServerMain; plain HTTP on common/net/httpd (limits of
 * deviation 19); SIGTERM and SIGINT finish the requests in flight and exit 0, SIGHUP is
 * ignored. */
#include <stdio.h>
#include <string.h>

#include "certdb.h"
#include "cli.h"
#include "httpd.h"
#include "log.h"
#include "ocspserve.h"

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
	struct cf_error e = {0};
	int ret = -1;
	if (*f[F_RESPONSES].str) {
		r = cf_ocspserve_from_file(f[F_RESPONSES].str, f[F_PATH].str, &e);
		if (!r)
			return cf_error_set(err, CF_ERR_PLAIN, "unable to read response file");
	} else if (*f[F_DB_CONFIG].str) {
		db = cf_certdb_open_file(f[F_DB_CONFIG].str, &e);
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
	return ret;
}
