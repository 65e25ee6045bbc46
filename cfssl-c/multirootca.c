/* multirootca: cfssl's signing server for several CAs chosen by label (cfssl-serve.md §10,
 * cfssl's cmd/multirootca), on common/net/httpd with common/net/multiroot.c; this file only reads
 * the flags, starts and stops. Where it differs from cfssl's (README, deviations):
 * - -a defaults to 127.0.0.1:8888, not :8888 (every interface): a signing server is not
 *   offered to the network unless asked (-a :8888 does as cfssl);
 * - a refused request is logged, not dumped raw (headers, tokens and body) to stdout;
 * - a root's dbconfig is opened at start-up but contacted only when a certificate is recorded;
 * - each root's key is kept by a key process of its own (cf_ca_load_isolated), and once
 *   everything is read and the socket bound the process is confined as serve's
 *   (cf_process_restrict): it opens no file and never execs;
 * - SIGTERM and SIGINT finish the requests in flight and exit 0, SIGHUP is ignored; TLS as
 *   serve's (deviation 18). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto.h"
#include "flags.h"
#include "httpd.h"
#include "log.h"
#include "multiroot.h"
#include "process.h"

enum { MR_A, MR_L, MR_LOGLEVEL, MR_ROOTS, MR_TLS_CERT, MR_TLS_KEY, MR_COUNT };

static const struct cf_flag_def mr_flags[MR_COUNT] = {
	[MR_A] = {"a", CF_FLAG_STRING, "127.0.0.1:8888", "listening address"},
	[MR_L] = {"l", CF_FLAG_STRING, "", "specify a default label"},
	[MR_LOGLEVEL] = {"loglevel", CF_FLAG_INT, "1", "Log level (0 = DEBUG, 5 = FATAL)"},
	[MR_ROOTS] = {"roots", CF_FLAG_STRING, "", "configuration file specifying root keys"},
	[MR_TLS_CERT] = {"tls-cert", CF_FLAG_STRING, "", "server certificate"},
	[MR_TLS_KEY] = {"tls-key", CF_FLAG_STRING, "", "server private key"},
};

/* common/net/httpd's ready hook: everything is read; the workers open no file but what the
 * roots' database clients open (cf_dbconf_paths): the SQLite databases' folders, for the
 * journals, and libpq's password, service and certificate files, read-only. */
static int confine(void *arg, struct cf_error *err)
{
	const struct cf_multiroot *mr = arg;
	size_t nread = sizeof mr->roots[0].db_paths.read / sizeof *mr->roots[0].db_paths.read;
	const char **dirs = cf_xcalloc(mr->nroots + 1, sizeof *dirs);
	const char **read = cf_xcalloc(mr->nroots * nread + 1, sizeof *read);
	size_t nd = 0, nr = 0;
	for (size_t i = 0; i < mr->nroots; i++) {
		const struct cf_dbconf_paths *p = &mr->roots[i].db_paths;
		if (*p->dir)
			dirs[nd++] = p->dir;
		for (size_t j = 0; j < nread && p->read[j]; j++)
			read[nr++] = p->read[j];
	}
	struct cf_restrict r = {read, dirs};
	int ret = cf_process_restrict(&r, err);
	free(read);
	free(dirs);
	return ret;
}

static int fatal(const struct cf_error *err)
{
	char msg[CF_ERROR_MSG_MAX + 64];
	cf_error_render(err, msg, sizeof msg);
	cf_log(CF_LOG_FATAL, "%s", msg);
	return 1;
}

/* Go's net.SplitHostPort for the -a value, numeric ports only. */
static int split_addr(const char *a, char *host, size_t n, unsigned *port, struct cf_error *err)
{
	const char *colon = strrchr(a, ':');
	if (!colon)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "listen tcp: address %s: missing port in address", a);
	const char *h = a, *he = colon;
	if (*h == '[' && he > h && he[-1] == ']') {
		h++;
		he--;
	}
	if ((size_t)(he - h) >= n)
		return cf_error_set(err, CF_ERR_PLAIN, "listen tcp: address %s: too long", a);
	memcpy(host, h, (size_t)(he - h));
	host[he - h] = '\0';
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || p < 0 || p > 65535)
		return cf_error_set(err, CF_ERR_PLAIN, "listen tcp: address %s: invalid port",
				    colon + 1);
	*port = (unsigned)p;
	return 0;
}

int prog_multirootca(int argc, char **argv)
{
	struct cf_flag_value fv[MR_COUNT];
	struct cf_error err = {0};
	int npos = 0;
	char **pos = NULL;
	enum cf_flags_result fr =
		cf_flags_parse(mr_flags, MR_COUNT, fv, argc - 1, argv + 1, &npos, &pos, &err);
	if (fr != CF_FLAGS_OK) {
		struct cf_buf b = CF_BUF_INIT;
		if (fr == CF_FLAGS_ERROR)
			cf_buf_printf(&b, "%s\n", err.msg);
		cf_buf_printf(&b, "Usage of %s:\n", argv[0]);
		cf_flags_go_defaults(&b, mr_flags, MR_COUNT);
		fwrite(b.data, 1, b.len, stderr);
		cf_buf_release(&b);
		return fr == CF_FLAGS_HELP ? 0 : 2;
	}
	cf_log_init(stderr, fv[MR_LOGLEVEL].i);
	if (!*fv[MR_ROOTS].str) {
		cf_log(CF_LOG_FATAL, "no root file specified");
		return 1;
	}
	if (cf_crypto_init(&err) < 0)
		return fatal(&err);
	char host[256];
	unsigned port = 0;
	if (split_addr(fv[MR_A].str, host, sizeof host, &port, &err) < 0)
		return fatal(&err);
	struct cf_multiroot mr;
	if (cf_multiroot_load(fv[MR_ROOTS].str, &mr, &err) < 0)
		return fatal(&err);
	mr.default_label = fv[MR_L].str;

	const char *tc = fv[MR_TLS_CERT].str, *tk = fv[MR_TLS_KEY].str;
	if (!*tc && !*tk)
		cf_info("Now listening on %s", fv[MR_A].str);
	else
		cf_info("Now listening on https:// %s", fv[MR_A].str);
	struct cf_httpd_config hc = {
		.address = host,
		.port = port,
		.tls_cert = *tc ? tc : NULL,
		.tls_key = *tk ? tk : NULL,
		.handler = cf_multiroot_dispatch,
		.precheck = cf_multiroot_precheck,
		.arg = &mr,
		.ready = confine,
	};
	struct cf_httpd *srv = cf_httpd_start(&hc, &err);
	int status = 0;
	if (!srv)
		status = fatal(&err);
	else
		cf_httpd_wait_signal(srv);
	cf_httpd_free(srv);
	cf_multiroot_release(&mr);
	return status;
}
