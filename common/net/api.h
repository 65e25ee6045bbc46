/* The HTTP API of `cfssl serve` (cfssl-serve.md §1-3): the state a server builds once at
 * start, the endpoint table with the conditions under which each endpoint is served,
 * routing as Go's ServeMux, and one handler per endpoint. cfssl-c/serve.c translates flags
 * into a struct cf_api, calls cf_api_setup and hands cf_api_precheck/cf_api_dispatch to
 * common/net/httpd. The handlers only translate JSON into the operations layer's requests
 * (ops.h) and its results into replies.
 *
 * Everything in a struct cf_api is read-only once cf_api_setup returns: the handlers run
 * on all worker threads at once. */
#ifndef CF_API_H
#define CF_API_H

#include <stdint.h>

#include <gnutls/x509.h>

#include "bundle.h"
#include "config.h"
#include "error.h"
#include "httpd.h"
#include "keygen.h"
#include "remote.h"
#include "signer.h"

struct cf_certdb;

struct cf_api {
	/* --- filled by the caller before cf_api_setup; borrowed --- */
	/* The signing policy: -config, or cfssl's default policy (never NULL). */
	const struct cf_config *config;
	/* The local signer (-ca/-ca-key, its key in the key process), or NULL when it could
	 * not be built ("signer not initialized"). */
	const struct cf_ca *ca;
	/* Proxy mode (-remote, §6.7): sign, info and newcert go there; counts as a signer. */
	struct cf_remote *remote;
	/* -tls-remote-ca and the mutual TLS client files, for the remotes of remote profiles
	 * (a policy that mixes local and remote profiles); NULL: none */
	const struct cf_remote_opts *remote_opts;
	/* The bundler from -ca-bundle/-int-bundle (NULL when it failed to load: `bundle` is
	 * then disabled); sign_bundler: both flags were given, so sign/authsign/newcert may
	 * bundle (§3.3). */
	struct cf_bundler *bundler;
	int sign_bundler;
	/* Why bundler is NULL (cfssl's error text, for the start-up line), NULL when it is not. */
	const char *bundler_err;
	/* Why `scan` is not served: -ca-bundle cannot be loaded as its root pool; or NULL. */
	const char *scan_err;
	/* -ca-bundle as given ("" or NULL: the system's roots), TLSDial's roots for `scan`. */
	const char *scan_ca_bundle;
	/* The OCSP signer for ocspsign (-ca, -responder, -responder-key, -interval), or
	 * ocsp_responder NULL when it could not be built. */
	gnutls_x509_crt_t ocsp_issuer, ocsp_responder;
	const struct cf_key *ocsp_key;
	int64_t ocsp_interval; /* seconds */
	const char *db_config; /* -db-config path, or NULL */
	/* The open certificate database of -db-config, or NULL: sign, authsign and newcert
	 * record what the local signer issues there (§7.4) */
	struct cf_certdb *db;
	int mutual_tls; /* clients are authenticated (-mutual-tls-ca) */

	/* --- set by cf_api_setup --- */
	unsigned enabled; /* bit i: endpoint i of the table is served */
};

/* A handler: fills @rep for @req (a request whose method the table allows). Returns 0,
 * or -1 with @err set: the reply is then cf_httpd_reply_error(@err). Log lines of the
 * handler go before the request line, which the reply helpers arrange. */
typedef int (*cf_api_fn)(const struct cf_api *api, const struct cf_httpd_request *req,
			 struct cf_httpd_reply *rep, struct cf_error *err);

/* Decides which endpoints are served (§1.3, deviation 25), logging cfssl's start-up lines
 * for each in the table's order (cfssl's is random): "endpoint 'X' is explicitly disabled"
 * for the names in @disable (split at ',' without trimming, unknown names ignored, §1.4),
 * "[WARNING] endpoint 'X' is disabled: <reason>", or the constructor's own line and
 * "endpoint '/api/v1/cfssl/X' is enabled". `/` (cfssl's web UI) is never served: its line
 * says so, and its paths get 404. Then one [WARNING] for each enabled endpoint that lets
 * any client change state or sign (ocspsign; revoke and certadd with a database) when
 * clients are not authenticated (deviation 25); then "Handler set up complete.". */
void cf_api_setup(struct cf_api *api, const char *disable);

/* The httpd callbacks (arg = the struct cf_api): routing (404 for unknown or disabled
 * paths, 301 for unclean ones, §1.5), the method check (405, §2.1), then the endpoint's
 * handler. */
int cf_api_precheck(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep);
int cf_api_dispatch(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep,
		    struct cf_error *err);

/* generator.computeSum for newkey and newcert: appends {"md5":..,"sha-1":..,"sha-256":..}, the
 * upper-case hex digests of the DER in @pem (a CSR or a certificate); anything else is a bad
 * request (400 "not a CSR or certificate", or the certificate's parse error). */
int cf_api_sums(struct cf_buf *out, const struct cf_buf *pem, struct cf_error *err);

/* --- the handlers, one a endpoint (§3) --- */
/* api_sign.c: the endpoints that sign with the server's CA */
int cf_api_info(const struct cf_api *api, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_sign(const struct cf_api *api, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_authsign(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_newcert(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err);
/* api_gen.c: the endpoints that need no CA of the server's */
int cf_api_health(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_newkey(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_init_ca(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_bundle(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_certinfo(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_scan(const struct cf_api *api, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_scaninfo(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_gencrl(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_ocspsign(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err);
/* api_db.c: the endpoints of the certificate database (issue 13) */
int cf_api_crl(const struct cf_api *api, const struct cf_httpd_request *req,
	       struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_revoke(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err);
int cf_api_certadd(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err);

#endif
