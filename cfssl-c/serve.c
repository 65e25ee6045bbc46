/* cfssl serve: cfssl's HTTP API on common/net/httpd (cfssl-serve.md §1).
 *
 * The start-up follows cfssl's serverMain line by line: -metadata, -db-config, the signer
 * (a failure is only a warning: the endpoints that need it are left out), the OCSP signer
 * (the same), the endpoint table (common/net/api.c), then the listener. What differs:
 * - the CA key is read and kept by a key process of its own (cf_ca_load_isolated): this
 *   process, which parses HTTP, never holds it;
 * - -db-config is read and checked as cfssl does (its errors abort start-up; the database
 *   is not contacted until the first request needs it, §1.2);
 * - -metadata is read and must be a JSON list; it is not used otherwise (as in bundle);
 * - TLS as deviation 18 (common/net/httpd.h); SIGTERM and SIGINT finish the requests in flight
 *   and exit 0, SIGHUP is ignored;
 * - once every file is read and the socket bound, before the worker threads start, the
 *   process is confined (cf_process_restrict): it can read only the system files a TLS
 *   client and the resolver need and the remote TLS files libcurl reads per connection,
 *   write only into -int-dir and, for an SQLite database, the folder of its file (SQLite
 *   creates its journal there), read libpq's password, service and certificate files
 *   for a PostgreSQL database, and never exec. */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "api.h"
#include "bundle.h"
#include "cli.h"
#include "certdb.h"
#include "fileio.h"
#include "gojson.h"
#include "httpd.h"
#include "keyproc.h"
#include "log.h"
#include "ocsp.h"
#include "process.h"
#include "remote.h"
#include "signer.h"

#define SECOND_NS 1000000000LL

/* Everything the server holds; api borrows the rest. */
struct serve {
	struct cf_api api;
	struct cf_config *defconf;
	struct cf_ca ca;
	int have_ca;
	struct cf_keyproc *kp;
	struct cf_remote *remote;
	struct cf_remote_opts remote_opts; /* also for the remotes of remote profiles */
	struct cf_bundler bundler;
	char bundler_err[CF_ERROR_MSG_MAX + 64];
	char scan_err[CF_ERROR_MSG_MAX + 64];
	gnutls_x509_crt_t ocsp_issuer, ocsp_responder;
	struct cf_key ocsp_key;
	struct cf_certdb *db;
	/* what the database client opens at run time (certdb.h) */
	struct cf_dbconf_paths db_paths;
};

/* ubiquity.LoadPlatforms: the file must read and be a JSON list (or null). */
static int load_metadata(const char *path, struct cf_error *err)
{
	struct cf_buf b = CF_BUF_INIT;
	struct cf_error e = {0};
	int ret = -1;
	if (cf_read_file(path, &b, &e) < 0) {
		cf_error_set(err, CF_ERR_PLAIN, "platform metadata failed to load: %s", e.msg);
		goto out;
	}
	json_t *j = cf_gojson_parse((const char *)b.data, b.len, &e);
	if (!j) {
		cf_error_set(err, CF_ERR_PLAIN, "platform metadata failed to parse: %s", e.msg);
		goto out;
	}
	if (!json_is_array(j) && !json_is_null(j))
		cf_error_set(err, CF_ERR_PLAIN,
			     "platform metadata failed to parse: json: cannot unmarshal %s into Go "
			     "value of type []ubiquity.Platform",
			     cf_gojson_kind(j));
	else
		ret = 0;
	json_decref(j);
out:
	cf_buf_release(&b);
	return ret;
}

/* The TLS files of @o checked as cfssl loads them into its policy (a client made for a
 * placeholder address reads them now). */
static int check_remote_files(const struct cf_remote_opts *o, struct cf_error *err)
{
	struct cf_remote *r = NULL;
	if (cf_remote_new("127.0.0.1", o, &r, err) < 0)
		return -1;
	cf_remote_free(r);
	return 0;
}

/* The CA of the local signer. The key goes to a key process of its own: this process,
 * which parses HTTP, never reads it. */
static int load_ca(struct serve *s, const char *cert, const char *key, struct cf_error *err)
{
	if (cf_ca_load_isolated(cert, key, &s->ca, &s->kp, err) < 0)
		return -1;
	s->have_ca = 1;
	return 0;
}

/* sign.SignerFromConfigAndDB: the client TLS files for remotes, then a remote signer
 * (-remote, or a policy whose profiles are all remote) or the local one. */
static int build_signer(struct cfssl_ctx *ctx, struct serve *s, struct cf_error *err)
{
	const struct cf_flag_value *f = ctx->flags;
	struct cf_remote_opts opts = {0};
	const char *cc = f[F_MUTUAL_TLS_CLIENT_CERT].str, *ck = f[F_MUTUAL_TLS_CLIENT_KEY].str;
	if (*cc && *ck) {
		struct cf_remote_opts o = {.cert_file = cc, .key_file = ck};
		if (check_remote_files(&o, err) < 0) {
			cf_log(CF_LOG_CRITICAL,
			       "Unable to read client certificate from file: %s or key from "
			       "file: %s",
			       cc, ck);
			cf_info("Invalid mutual-tls-cert: %s or mutual-tls-key: %s, defaulting to "
				"no "
				"client auth",
				cc, ck);
			return -1;
		}
		cf_info("Using client auth with mutual-tls-cert: %s and mutual-tls-key: %s", cc,
			ck);
		opts.cert_file = cc;
		opts.key_file = ck;
	}
	const char *rca = f[F_TLS_REMOTE_CA].str;
	if (*rca) {
		struct cf_remote_opts o = {.ca_file = rca};
		if (check_remote_files(&o, err) < 0) {
			cf_info("Invalid tls-remote-ca: %s, defaulting to system trust store", rca);
			return -1;
		}
		cf_info("Using trusted CA from tls-remote-ca: %s", rca);
		opts.ca_file = rca;
	}
	s->remote_opts = opts;
	s->api.remote_opts = &s->remote_opts;
	if (*f[F_REMOTE].str)
		return cf_remote_new(f[F_REMOTE].str, &opts, &s->remote, err);
	cf_config_begin_signing(s->api.config);
	if (cf_config_needs_local_signer(s->api.config) &&
	    load_ca(s, f[F_CA].str, f[F_CA_KEY].str, err) < 0)
		return -1;
	cf_config_warn_signers(s->api.config);
	return 0;
}

/* scan.LoadRootCAs: helpers.LoadPEMCertPool of -ca-bundle. */
static void check_scan_roots(const char *path, char *why, size_t n)
{
	struct cf_buf b = CF_BUF_INIT;
	struct cf_error e = {0};
	if (cf_read_file(path, &b, &e) < 0)
		snprintf(why, n, "%s", e.msg);
	else if (b.len && !strstr((const char *)b.data, "-----BEGIN CERTIFICATE-----"))
		snprintf(why, n, "failed to load cert pool");
	cf_buf_release(&b);
}

/* net.JoinHostPort */
static void join_host_port(char *out, size_t n, const char *host, long long port)
{
	if (strchr(host, ':'))
		snprintf(out, n, "[%s]:%lld", host, port);
	else
		snprintf(out, n, "%s:%lld", host, port);
}

/* common/net/httpd's ready hook (@arg is &serve.api): what the workers may still open. */
static int confine(void *arg, struct cf_error *err)
{
	struct serve *s = (struct serve *)((char *)arg - offsetof(struct serve, api));
	const char *readable[9] = {NULL}, *writable[3] = {NULL};
	size_t n = 0, w = 0;
	if (s->remote_opts.ca_file)
		readable[n++] = s->remote_opts.ca_file;
	if (s->remote_opts.cert_file)
		readable[n++] = s->remote_opts.cert_file;
	if (s->remote_opts.key_file)
		readable[n++] = s->remote_opts.key_file;
	for (size_t i = 0; s->db_paths.read[i]; i++)
		readable[n++] = s->db_paths.read[i];
	/* scan's TLSDial reads -ca-bundle's roots for each request */
	if (s->api.scan_ca_bundle && *s->api.scan_ca_bundle && !s->api.scan_err)
		readable[n++] = s->api.scan_ca_bundle;
	if (s->api.bundler && s->bundler.stash_dir && *s->bundler.stash_dir)
		writable[w++] = s->bundler.stash_dir;
	if (*s->db_paths.dir)
		writable[w++] = s->db_paths.dir;
	struct cf_restrict r = {readable, writable};
	return cf_process_restrict(&r, err);
}

/* SSL_CERT_FILE or SSL_CERT_DIR (NULL: unset) within the places the confined server may
 * still read (process.c's system paths), or unset */
static int system_store_path(const char *p)
{
	return !p || !*p || !strncmp(p, "/etc/ssl/", 9) || !strcmp(p, "/etc/ssl/certs") ||
	       !strncmp(p, "/etc/pki/", 9);
}

static void serve_release(struct serve *s)
{
	cf_remote_free(s->remote);
	cf_bundler_release(&s->bundler);
	if (s->ocsp_issuer)
		gnutls_x509_crt_deinit(s->ocsp_issuer);
	if (s->ocsp_responder)
		gnutls_x509_crt_deinit(s->ocsp_responder);
	cf_key_release(&s->ocsp_key);
	if (s->have_ca)
		cf_ca_release(&s->ca);
	if (s->kp)
		cf_keyproc_stop(s->kp);
	cf_config_free(s->defconf);
	cf_certdb_close(s->db);
	cf_dbconf_paths_release(&s->db_paths);
}

int cmd_serve(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	if (ctx->npos > 0)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "argument is provided but not defined; please refer to the "
				    "usage by flag -h");
	if (*f[F_METADATA].str && load_metadata(f[F_METADATA].str, err) < 0)
		return -1;
	struct cf_certdb *db = NULL;
	struct cf_dbconf_paths db_paths = {0};
	if (*f[F_DB_CONFIG].str) {
		/* dbconf.DBFromConfig: read and opened, not contacted (§1.2) */
		struct cf_dbconf conf;
		if (cf_dbconf_load(f[F_DB_CONFIG].str, &conf, err) < 0)
			return -1;
		db = cf_certdb_open(&conf, err);
		if (db)
			cf_dbconf_paths(&conf, &db_paths);
		cf_dbconf_release(&conf);
		if (!db)
			return -1;
	}

	int ret = -1;
	struct serve *s = cf_xcalloc(1, sizeof *s);
	struct cf_httpd *srv = NULL;
	s->db = db;
	s->api.db = db;
	s->api.db_config = db ? f[F_DB_CONFIG].str : NULL;
	s->db_paths = db_paths;
	s->api.config = ctx->config;
	if (!s->api.config)
		s->api.config = s->defconf = cf_config_default();

	cf_info("Initializing signer");
	struct cf_error serr = {0};
	if (build_signer(ctx, s, &serr) < 0) {
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(&serr, msg, sizeof msg);
		cf_warning("couldn't initialize signer: %s", msg);
		if (s->have_ca)
			cf_ca_release(&s->ca);
		s->have_ca = 0;
		if (s->kp)
			cf_keyproc_stop(s->kp);
		s->kp = NULL;
	}
	s->api.ca = s->have_ca ? &s->ca : NULL;
	s->api.remote = s->remote;

	/* ocspsign.SignerFromConfig: the responder key falls back to -key */
	const char *rkey = *f[F_RESPONDER_KEY].str ? f[F_RESPONDER_KEY].str : f[F_KEY].str;
	struct cf_error oerr = {0};
	if (cf_ocsp_signer_load(f[F_CA].str, f[F_RESPONDER].str, rkey, &s->ocsp_issuer,
				&s->ocsp_responder, &s->ocsp_key, &oerr) < 0) {
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(&oerr, msg, sizeof msg);
		cf_warning("couldn't initialize ocsp signer: %s", msg);
		cf_key_release(&s->ocsp_key);
	} else {
		s->api.ocsp_issuer = s->ocsp_issuer;
		s->api.ocsp_responder = s->ocsp_responder;
		s->api.ocsp_key = &s->ocsp_key;
	}
	int64_t iv = f[F_INTERVAL].dur;
	s->api.ocsp_interval = iv / SECOND_NS - (iv % SECOND_NS < 0);

	/* one bundler for bundle, sign, authsign and newcert (cfssl loads one each) */
	const char *cab = f[F_CA_BUNDLE].str, *intb = f[F_INT_BUNDLE].str;
	struct cf_error berr = {0};
	s->bundler.stash_dir = f[F_INT_DIR].str;
	/* the system store on the first /bundle; the default paths stay readable after the
	 * process is confined, the ones SSL_CERT_FILE/SSL_CERT_DIR name may not */
	s->bundler.lazy_system = system_store_path(getenv("SSL_CERT_FILE")) &&
				 system_store_path(getenv("SSL_CERT_DIR"));
	if (cf_bundler_load(cab, intb, f[F_INT_DIR].str, &s->bundler, &berr) == 0) {
		s->api.bundler = &s->bundler;
	} else {
		cf_error_render(&berr, s->bundler_err, sizeof s->bundler_err);
		s->api.bundler_err = s->bundler_err;
	}
	s->api.sign_bundler = *cab && *intb;
	s->api.scan_ca_bundle = cab;
	if (*cab) {
		check_scan_roots(cab, s->scan_err, sizeof s->scan_err);
		if (*s->scan_err)
			s->api.scan_err = s->scan_err;
	}

	const char *mtls_ca = f[F_MUTUAL_TLS_CA].str;
	int tls = *f[F_TLS_CERT].str && *f[F_TLS_KEY].str;
	s->api.mutual_tls = tls && *mtls_ca;
	cf_api_setup(&s->api, f[F_DISABLE].str);

	long long port = f[F_PORT].i;
	char addr[512];
	join_host_port(addr, sizeof addr, f[F_ADDRESS].str, port);
	if (!tls)
		cf_info("Now listening on %s", addr);
	else if (*mtls_ca)
		cf_info("Now listening with mutual TLS on https://%s", addr);
	else
		cf_info("Now listening on https://%s", addr);
	if (port < 0 || port > 65535) {
		cf_error_set(err, CF_ERR_PLAIN, "listen tcp: address %lld: invalid port", port);
		goto out;
	}
	struct cf_httpd_config hc = {
		.address = f[F_ADDRESS].str,
		.port = (unsigned)port,
		.tls_cert = *f[F_TLS_CERT].str ? f[F_TLS_CERT].str : NULL,
		.tls_key = *f[F_TLS_KEY].str ? f[F_TLS_KEY].str : NULL,
		.min_tls_version = *f[F_MIN_TLS_VERSION].str ? f[F_MIN_TLS_VERSION].str : NULL,
		.mutual_tls_ca = *mtls_ca ? mtls_ca : NULL,
		.mutual_tls_cn = *f[F_MUTUAL_TLS_CN].str ? f[F_MUTUAL_TLS_CN].str : NULL,
		.handler = cf_api_dispatch,
		.precheck = cf_api_precheck,
		.arg = &s->api,
		.ready = confine,
	};
	srv = cf_httpd_start(&hc, err);
	if (!srv)
		goto out;
	cf_httpd_wait_signal(srv);
	ret = 0;
out:
	cf_httpd_free(srv);
	serve_release(s);
	free(s);
	return ret;
}
