/* The endpoint table of cfssl serve, its start-up lines, and routing (cfssl-serve.md §1.3-1.5,
 * §2.1). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "log.h"

#define API_PREFIX "/api/v1/cfssl/"

/* Why an endpoint cannot be served, in cfssl's words; NULL: it can. */
typedef const char *(*cf_api_cond)(const struct cf_api *api);

enum {
	M_GET = 1,
	M_POST = 2,
};

static const char *const bad_signer = "signer not initialized";
static const char *const no_db = "cert db not configured (missing -db-config)";
static const char *const bad_policy = "{\"code\":5200,\"message\":\"Invalid or unknown policy\"}";

/* cfssl's "signer built": the local signer loaded, the proxy's remote, or a policy whose
 * profiles are all remote (cfssl then builds a remote signer only, and needs no CA). */
static int have_signer(const struct cf_api *api)
{
	return api->ca || api->remote || !cf_config_needs_local_signer(api->config);
}

/* signhandler.SetBundler: with both -ca-bundle and -int-bundle the signing endpoints bundle,
 * and a bundler that failed to load disables them. */
static const char *signer_bundler(const struct cf_api *api)
{
	if (api->sign_bundler && !api->bundler)
		return api->bundler_err ? api->bundler_err : "bundler not initialized";
	return NULL;
}

static const char *need_signer(const struct cf_api *api)
{
	return have_signer(api) ? NULL : bad_signer;
}

static const char *need_signer_bundler(const struct cf_api *api)
{
	return have_signer(api) ? signer_bundler(api) : bad_signer;
}

/* The policy has a profile (the default counts) with an auth_key (@auth) or without one. */
static int have_profile(const struct cf_config *c, int auth)
{
	if ((c->def.auth_key.key != NULL) == auth)
		return 1;
	for (size_t i = 0; i < c->nprofiles; i++)
		if ((c->profiles[i].p.auth_key.key != NULL) == auth)
			return 1;
	return 0;
}

static const char *cond_sign(const struct cf_api *api)
{
	if (!have_signer(api))
		return bad_signer;
	if (!have_profile(api->config, 0))
		return bad_policy;
	return signer_bundler(api);
}

static const char *cond_authsign(const struct cf_api *api)
{
	if (!have_signer(api))
		return bad_signer;
	if (!have_profile(api->config, 1))
		return bad_policy;
	return signer_bundler(api);
}

static const char *cond_bundle(const struct cf_api *api)
{
	if (api->bundler)
		return NULL;
	return api->bundler_err ? api->bundler_err : "bundler not initialized";
}

static const char *cond_scan(const struct cf_api *api)
{
	return api->scan_err;
}

static const char *cond_db(const struct cf_api *api)
{
	return api->db_config ? NULL : no_db;
}

/* cfssl reads -ca and -ca-key again; cfssl-c signs CRLs with the local signer's CA, whose key
 * only its key process holds. */
static const char *cond_crl(const struct cf_api *api)
{
	if (!have_signer(api))
		return bad_signer;
	if (!api->db_config)
		return no_db;
	if (!api->ca || !api->ca->cert_der.len)
		return "no local CA (-ca, -ca-key) to sign CRLs with";
	return NULL;
}

static const char *cond_ocsp(const struct cf_api *api)
{
	return api->ocsp_responder ? NULL : bad_signer;
}

/* cfssl-c has no web UI: `/` is listed so that -disable accepts it, and never served. */
static const char *const no_ui = "cfssl-c has no web UI";

static const struct endpoint {
	const char *name;
	unsigned methods;
	cf_api_cond cond; /* NULL: always */
	cf_api_fn fn;
	const char *setup_line; /* the constructor's own log line, before "enabled" */
	/* Deviation 25: what a client can do here when nothing authenticates it (NULL: nothing
	 * that changes state); dbonly: only with a certificate database. */
	const char *open_risk;
	int dbonly;
} endpoints[] = {
	/* clang-format off */
	{"health",   M_GET,  NULL,                cf_api_health,   NULL, NULL, 0},
	{"info",     M_POST, need_signer,         cf_api_info,     NULL, NULL, 0},
	{"sign",     M_POST, cond_sign,           cf_api_sign,     NULL, NULL, 0},
	{"authsign", M_POST, cond_authsign,       cf_api_authsign, NULL, NULL, 0},
	{"newcert",  M_POST, need_signer_bundler, cf_api_newcert,  NULL, NULL, 0},
	{"newkey",   M_POST, NULL,                cf_api_newkey,   "setting up key / CSR generator", NULL, 0},
	{"init_ca",  M_POST, NULL,                cf_api_init_ca,  NULL, NULL, 0},
	{"bundle",   M_POST, cond_bundle,         cf_api_bundle,   "bundler API ready", NULL, 0},
	{"certinfo", M_POST, NULL,                cf_api_certinfo, NULL, NULL, 0},
	{"scan",     M_GET,  cond_scan,           cf_api_scan,     NULL, NULL, 0},
	{"scaninfo", M_GET,  NULL,                cf_api_scaninfo, NULL, NULL, 0},
	{"crl",      M_GET,  cond_crl,            cf_api_crl,      NULL, NULL, 0},
	{"gencrl",   M_POST, need_signer,         cf_api_gencrl,   NULL, NULL, 0},
	{"revoke",   M_POST, cond_db,             cf_api_revoke,   NULL,
	 "anyone who can connect can revoke any certificate in the database", 1},
	{"certadd",  M_POST, NULL,                cf_api_certadd,  NULL,
	 "anyone who can connect can add certificate records to the database", 1},
	{"ocspsign", M_POST, cond_ocsp,           cf_api_ocspsign, NULL,
	 "anyone who can connect can have any OCSP status signed with the responder's key", 0},
	{"/",        M_GET | M_POST, NULL,        NULL,            NULL, NULL, 0},
	/* clang-format on */
};

#define NENDPOINTS (sizeof endpoints / sizeof endpoints[0])

_Static_assert(NENDPOINTS <= sizeof(unsigned) * 8, "one bit an endpoint in cf_api.enabled");

/* -disable names @name: split at ',' without trimming, exact matches only (§1.4). */
static int named(const char *disable, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = disable; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && !memcmp(p, name, n))
			return 1;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

void cf_api_setup(struct cf_api *api, const char *disable)
{
	api->enabled = 0;
	for (size_t i = 0; i < NENDPOINTS; i++) {
		const struct endpoint *e = &endpoints[i];
		const char *why = e->cond ? e->cond(api) : NULL;
		if (named(disable, e->name)) {
			cf_info("endpoint '%s' is explicitly disabled", e->name);
		} else if (!e->fn) {
			cf_info("endpoint '%s' is not served: %s (requests get 404)", e->name,
				no_ui);
		} else if (why) {
			cf_warning("endpoint '%s' is disabled: %s", e->name, why);
		} else {
			if (e->setup_line)
				cf_info("%s", e->setup_line);
			cf_info("endpoint '" API_PREFIX "%s' is enabled", e->name);
			api->enabled |= 1u << i;
		}
	}
	/* Deviation 25: cfssl serves these to anyone; say so where it matters. */
	if (!api->mutual_tls) {
		for (size_t i = 0; i < NENDPOINTS; i++) {
			const struct endpoint *e = &endpoints[i];
			if (!e->open_risk || !(api->enabled & (1u << i)) ||
			    (e->dbonly && !api->db_config))
				continue;
			cf_warning("endpoint '" API_PREFIX "%s' is open to every client (no "
				   "-mutual-tls-ca): %s; require client certificates with "
				   "-mutual-tls-ca or turn it off with -disable %s",
				   e->name, e->open_risk, e->name);
		}
	}
	cf_info("Handler set up complete.");
}

static unsigned method_bit(const char *method)
{
	if (!strcmp(method, "GET"))
		return M_GET;
	if (!strcmp(method, "POST"))
		return M_POST;
	return 0;
}

/* The enabled endpoint @path names exactly, or NULL. */
static const struct endpoint *route(const struct cf_api *api, const char *path)
{
	if (strncmp(path, API_PREFIX, strlen(API_PREFIX)) != 0)
		return NULL;
	const char *name = path + strlen(API_PREFIX);
	for (size_t i = 0; i < NENDPOINTS; i++)
		if (endpoints[i].fn && (api->enabled & (1u << i)) &&
		    !strcmp(endpoints[i].name, name))
			return &endpoints[i];
	return NULL;
}

/* Everything decided before the body: 301 for an unclean path, 404, 405. Returns the
 * endpoint to run, or NULL with @rep filled. */
static const struct endpoint *route_request(const struct cf_api *api,
					    const struct cf_httpd_request *req,
					    struct cf_httpd_reply *rep)
{
	/* Go's ServeMux cleans every path except a CONNECT request's. */
	if (strcmp(req->method, "CONNECT") != 0) {
		char *clean = cf_httpd_clean_path(req->path);
		if (strcmp(clean, req->path) != 0) {
			struct cf_buf loc = CF_BUF_INIT;
			cf_buf_adds(&loc, clean);
			if (*req->query) {
				cf_buf_addc(&loc, '?');
				cf_buf_adds(&loc, req->query);
			}
			cf_httpd_reply_redirect(rep, req->method, (const char *)loc.data);
			cf_buf_release(&loc);
			free(clean);
			return NULL;
		}
		free(clean);
	}
	const struct endpoint *e = route(api, req->path);
	if (!e) {
		cf_httpd_reply_not_found(rep);
		return NULL;
	}
	if (!(method_bit(req->method) & e->methods)) {
		cf_httpd_reply_method_not_allowed(rep, req->method);
		return NULL;
	}
	return e;
}

int cf_api_precheck(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep)
{
	return route_request(arg, req, rep) == NULL;
}

int cf_api_dispatch(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep,
		    struct cf_error *err)
{
	const struct cf_api *api = arg;
	const struct endpoint *e = route_request(api, req, rep);
	if (!e)
		return 0;
	return e->fn(api, req, rep, err);
}
