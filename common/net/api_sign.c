/* The endpoints that sign with the server's CA: info, sign, authsign, newcert (cfssl-serve.md
 * §3.2-3.4, §3.6, §4). The work is the operations layer's (ops.h) or, in proxy mode and for
 * remote profiles, the remote client's (remote.h); here JSON goes in and out. */
#include "api.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "auth.h"
#include "csr.h"
#include "csrparse.h"
#include "gojson.h"
#include "log.h"
#include "ops.h"
#include "pem.h"

/* cfssl's api.HandleError: an HTTP error of the handler keeps its status as code */
#define BAD_REQUEST 400

static const char no_bundler_message[] =
	"This request requires a bundler, but one is not initialized for the API server.";

/* --- the sign request (signhandler.jsonSignRequest) --- */

struct sign_req {
	json_t *tree;
	const char *hostname, *csr, *profile, *label;
	size_t csr_len;
	const json_t *hosts, *subject, *serial;
	char *serial_text; /* the serial's digits, NULL when absent or null */
	int bundle;
	/* the subject override, decoded */
	struct cf_csr_request subj;
	int has_subj;
	/* the hosts that replace the CSR's: SplitHosts(hostname), else hosts (borrowed) */
	const char **names;
	size_t nnames;
	int names_set;
};

static void sign_req_release(struct sign_req *r)
{
	json_decref(r->tree);
	cf_csr_request_release(&r->subj);
	free(r->names);
	free(r->serial_text);
	memset(r, 0, sizeof *r);
}

/* @v as compact JSON text, NUL-terminated (new, caller frees). json_dumps would allocate
 * with Jansson's allocator, which the binaries replace. */
static char *dump_json(const json_t *v)
{
	size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
	size_t n = json_dumpb(v, NULL, 0, flags);
	char *b = cf_xmalloc(n + 1);
	json_dumpb(v, b, n, flags);
	b[n] = '\0';
	return b;
}

/* math/big's UnmarshalJSON: a JSON integer, any size, into *@text (new); null leaves it
 * NULL. */
static int decode_serial(const json_t *v, char **text_out, struct cf_error *err)
{
	if (!v || json_is_null(v))
		return 0;
	struct cf_buf num = CF_BUF_INIT;
	if (cf_gojson_number_text(v, &num) == 0) {
		cf_buf_addc(&num, 0);
		char *t = (char *)num.data;
		char *d = t + (t[0] == '-');
		if (strspn(d, "0123456789") == strlen(d)) {
			/* as big.Int prints it: no leading zeros, no "-0" */
			size_t z = strspn(d, "0");
			if (z && !d[z])
				z--;
			memmove(d, d + z, strlen(d + z) + 1);
			if (!strcmp(t, "-0"))
				memmove(t, t + 1, 2);
			*text_out = t;
			return 0;
		}
	}
	/* Go quotes the value's JSON text with %q */
	char *text = num.len ? cf_xstrdup((const char *)num.data) : dump_json(v);
	cf_buf_release(&num);
	struct cf_buf q = CF_BUF_INIT;
	cf_buf_addc(&q, '"');
	for (const char *c = text; *c; c++) {
		if (*c == '"' || *c == '\\')
			cf_buf_addc(&q, '\\');
		cf_buf_addc(&q, *c);
	}
	cf_buf_addc(&q, '"');
	cf_buf_addc(&q, 0);
	cf_error_set(err, CF_ERR_PLAIN, "math/big: cannot unmarshal %s into a *big.Int",
		     (const char *)q.data);
	cf_buf_release(&q);
	free(text);
	return -1;
}

/* json.Unmarshal(data, &jsonSignRequest) and jsonReqToTrue; Go's error text on failure. */
static int sign_req_decode(const void *data, size_t len, struct sign_req *r, struct cf_error *err)
{
	memset(r, 0, sizeof *r);
	const struct cf_gojson_field fields[] = {
		{"hostname", CF_GOJSON_STRING, &r->hostname, NULL, NULL},
		{"hosts", CF_GOJSON_STRINGS, &r->hosts, NULL, NULL},
		{"certificate_request", CF_GOJSON_STRING, &r->csr, &r->csr_len, NULL},
		{"subject", CF_GOJSON_RAW, &r->subject, NULL, NULL},
		{"profile", CF_GOJSON_STRING, &r->profile, NULL, NULL},
		{"label", CF_GOJSON_STRING, &r->label, NULL, NULL},
		{"serial", CF_GOJSON_RAW, &r->serial, NULL, NULL},
		{"bundle", CF_GOJSON_BOOL, &r->bundle, NULL, NULL},
	};
	if (cf_gojson_unmarshal(data, len, &r->tree, "signhandler.jsonSignRequest", fields,
				sizeof fields / sizeof fields[0], err) < 0 ||
	    decode_serial(r->serial, &r->serial_text, err) < 0)
		return -1;
	if (r->subject && !json_is_null(r->subject)) {
		if (!json_is_object(r->subject))
			return cf_gojson_type_error(err, r->subject, "jsonSignRequest", "subject",
						    "signer.Subject");
		char *text = dump_json(r->subject);
		int ret = cf_csrparse_subject_json(text, strlen(text), &r->subj, err);
		free(text);
		if (ret < 0) {
			cf_gojson_nest_error(err, "jsonSignRequest", "subject");
			return -1;
		}
		r->has_subj = 1;
	}
	if (!r->hostname)
		r->hostname = "";
	if (!r->profile)
		r->profile = "";
	if (!r->label)
		r->label = "";
	if (*r->hostname) {
		r->names_set = 1;
	} else if (r->hosts) {
		size_t n = json_array_size(r->hosts);
		r->names = cf_xcalloc(n ? n : 1, sizeof *r->names);
		for (size_t i = 0; i < n; i++) {
			const char *s = json_string_value(json_array_get(r->hosts, i));
			r->names[r->nnames++] = s ? s : "";
		}
		r->names_set = 1;
	}
	return 0;
}

/* --- profiles and signers --- */

/* cfssl's signer.Profile, as the handlers look a profile up: an exact name, else the
 * default. */
static const struct cf_profile *handler_profile(const struct cf_api *api, const char *name,
						int *found)
{
	*found = 0;
	return cf_config_profile(api->config, name && *name ? name : NULL, found);
}

/* cfssl's universal signer serves a policy with local and remote profiles; it refuses a
 * profile name it does not know. */
static int mixed_policy(const struct cf_config *c)
{
	int local = !c->def.remote, remote = c->def.remote;
	for (size_t i = 0; i < c->nprofiles; i++) {
		local |= !c->profiles[i].p.remote;
		remote |= c->profiles[i].p.remote;
	}
	return local && remote;
}

/* The signer a request to profile @name goes to: 0 the local CA, 1 a remote (*@remote, to
 * free with cf_remote_free when *@owned), -1 with @err (5400 for an unknown name in a mixed
 * policy, as cfssl's universal signer). */
static int pick_signer(const struct cf_api *api, const char *name, const struct cf_profile *p,
		       int found, struct cf_remote **remote, int *owned, struct cf_error *err)
{
	*remote = NULL;
	*owned = 0;
	if (api->remote) {
		*remote = api->remote;
		return 1;
	}
	if (name && *name && !found && mixed_policy(api->config))
		return cf_error_set(err, CF_ERR_POLICY_PROFILE, "Unknown policy profile");
	if (p->remote) {
		if (cf_remote_new(p->remote_server, api->remote_opts, remote, err) < 0)
			return -1;
		*owned = 1;
		return 1;
	}
	if (!api->ca)
		return cf_error_set(err, CF_ERR_PLAIN, "signer not initialized");
	return 0;
}

/* Signs the request's CSR under @p: the signer's cfssl errors; the certificate PEM in @cert. */
static int sign_csr(const struct cf_api *api, const struct sign_req *r, const struct cf_profile *p,
		    int found, struct cf_buf *cert, struct cf_error *err)
{
	struct cf_remote *remote;
	int owned;
	int which = pick_signer(api, r->profile, p, found, &remote, &owned, err);
	if (which < 0)
		return -1;
	if (which == 0) {
		struct cf_sign_request sr = {
			.csr = (const unsigned char *)r->csr,
			.csr_len = r->csr_len,
			.hostname = r->hostname,
			.hosts = r->names,
			.nhosts = r->nnames,
			.hosts_set = r->names_set && !*r->hostname,
			.subject = r->has_subj ? &r->subj : NULL,
			.profile = p,
			.serial = r->serial_text,
		};
		/* as cfssl: a certificate that could not be recorded is not handed out */
		if (cf_op_sign(api->ca, &sr, cert, err) < 0 ||
		    (api->db && cf_op_record(api->db, cert->data, cert->len, r->label, err) < 0))
			return -1;
		return 0;
	}
	int ret = -1;
	struct cf_csr_request split = {0};
	const char *const *hosts = r->names;
	size_t nhosts = r->nnames;
	if (*r->hostname) {
		/* cfssl's SplitHosts: the pieces as they are */
		cf_csr_request_set_hostname(&split, r->hostname);
		hosts = (const char *const *)split.hosts;
		nhosts = split.nhosts;
	}
	struct cf_buf subj = CF_BUF_INIT;
	if (r->has_subj) {
		/* the subject as cfssl's client re-marshals it */
		cf_csrparse_subject_render(&r->subj, &subj);
		cf_buf_addc(&subj, 0);
	}
	struct cf_remote_sign_req rq = {
		.hosts = hosts,
		.nhosts = nhosts,
		.hosts_set = r->names_set,
		.csr = r->csr,
		.subject_json = r->has_subj ? (const char *)subj.data : NULL,
		.profile = r->profile,
		.label = r->label,
		.serial = r->serial_text,
	};
	char *text = NULL;
	if (cf_remote_sign(remote, &rq, p->auth_remote_key.key ? &p->auth_remote_key : NULL, &text,
			   err) < 0)
		goto out;
	cf_buf_adds(cert, text);
	free(text);
	ret = 0;
out:
	cf_buf_release(&subj);
	cf_csr_request_release(&split);
	if (owned)
		cf_remote_free(remote);
	return ret;
}

/* bundler.BundleFromPEMorDER(cert, nil, Optimal, ""): the chain of a certificate just issued,
 * as /bundle's object, appended to @out. */
static int bundle_json(const struct cf_api *api, const struct cf_buf *cert, struct cf_buf *out,
		       struct cf_error *err)
{
	struct cf_bundle_request br = {
		.cert = cert->data,
		.cert_len = cert->len,
		.flavor = CF_BUNDLE_OPTIMAL,
		.now = (int64_t)time(NULL),
	};
	return cf_op_bundle(api->bundler, &br, out, err);
}

/* The server bundles when both -ca-bundle and -int-bundle were given and loaded. */
static int can_bundle(const struct cf_api *api)
{
	return api->bundler && api->sign_bundler;
}

/* The certificate result of sign and authsign, with cfssl's bundle handling: members
 * sorted, as Go marshals the result map. */
static int reply_certificate(const struct cf_api *api, const struct sign_req *r,
			     const struct cf_buf *cert, struct cf_httpd_reply *rep,
			     struct cf_error *err)
{
	struct cf_buf res = CF_BUF_INIT;
	int ret = 0;
	cf_buf_addc(&res, '{');
	if (r->bundle && can_bundle(api)) {
		cf_buf_adds(&res, "\"bundle\":");
		if (bundle_json(api, cert, &res, err) < 0) {
			ret = -1;
			goto out;
		}
		cf_buf_addc(&res, ',');
	}
	cf_buf_adds(&res, "\"certificate\":");
	cf_gojson_quote(&res, (const char *)cert->data, cert->len);
	cf_buf_addc(&res, '}');
	if (r->bundle && !can_bundle(api)) {
		struct cf_httpd_message m = {CF_ERR_POLICY_VIOLATION, no_bundler_message};
		cf_httpd_reply_success(rep, (const char *)res.data, res.len, &m, 1);
	} else {
		cf_info("wrote response");
		cf_httpd_reply_success(rep, (const char *)res.data, res.len, NULL, 0);
	}
out:
	cf_buf_release(&res);
	return ret;
}

static void log_error_json(enum cf_log_level lvl, const char *what, const struct cf_error *err)
{
	char msg[CF_ERROR_MSG_MAX + 64];
	cf_error_render(err, msg, sizeof msg);
	cf_log(lvl, "%s: %s", what, msg);
}

/* Replaces @err by a 400 of the handler with @msg. */
static int bad_request(struct cf_error *err, const char *msg)
{
	cf_error_clear(err);
	return cf_error_set(err, BAD_REQUEST, "%s", msg);
}

/* Go's errors.NewBadRequest(err): code and status 400, the error's text. */
static int bad_request_err(struct cf_error *err)
{
	char msg[CF_ERROR_MSG_MAX];
	memcpy(msg, err->msg, sizeof msg);
	return bad_request(err, msg);
}

/* --- /info --- */

int cf_api_info(const struct cf_api *api, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err)
{
	const char *label = NULL, *profile = NULL;
	json_t *tree = NULL;
	const struct cf_gojson_field fields[] = {
		{"label", CF_GOJSON_STRING, &label, NULL, NULL},
		{"profile", CF_GOJSON_STRING, &profile, NULL, NULL},
	};
	int ret = -1;
	if (cf_gojson_unmarshal((const char *)req->body, req->body_len, &tree, "info.Req", fields,
				2, err) < 0) {
		cf_warning("failed to unmarshal request: %s", err->msg);
		bad_request_err(err);
		goto out;
	}
	int found;
	const struct cf_profile *p = handler_profile(api, profile, &found);
	struct cf_remote *remote;
	int owned;
	int which = pick_signer(api, profile, p, found, &remote, &owned, err);
	if (which < 0)
		goto out;
	struct cf_buf res = CF_BUF_INIT;
	if (which == 0) {
		cf_op_info(api->ca, p, &res);
	} else {
		struct cf_remote_info info = {0};
		int r = cf_remote_info(remote, label ? label : "", profile ? profile : "", &info,
				       err);
		if (r == 0)
			cf_remote_info_json(&info, &res);
		cf_remote_info_release(&info);
		if (owned)
			cf_remote_free(remote);
		if (r < 0)
			goto out;
	}
	cf_httpd_reply_success(rep, (const char *)res.data, res.len, NULL, 0);
	cf_buf_release(&res);
	ret = 0;
out:
	json_decref(tree);
	return ret;
}

/* --- /sign --- */

int cf_api_sign(const struct cf_api *api, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err)
{
	cf_info("signature request received");
	struct sign_req r;
	struct cf_buf cert = CF_BUF_INIT;
	int ret = -1;
	if (sign_req_decode(req->body, req->body_len, &r, err) < 0) {
		bad_request(err, "Unable to parse sign request");
		goto out;
	}
	if (!r.csr || !r.csr_len) {
		bad_request(err, "missing parameter 'certificate_request'");
		goto out;
	}
	int found;
	const struct cf_profile *p = handler_profile(api, r.profile, &found);
	if (p->auth_key.key) {
		cf_errorlog("profile requires authentication");
		bad_request(err, "authentication required");
		goto out;
	}
	if (sign_csr(api, &r, p, found, &cert, err) < 0) {
		log_error_json(CF_LOG_WARNING, "failed to sign request", err);
		goto out;
	}
	ret = reply_certificate(api, &r, &cert, rep, err);
out:
	cf_buf_release(&cert);
	sign_req_release(&r);
	return ret;
}

/* --- /authsign --- */

int cf_api_authsign(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err)
{
	cf_info("signature request received");
	long long timestamp = 0;
	struct cf_buf remote_address = CF_BUF_INIT, token = CF_BUF_INIT, inner = CF_BUF_INIT;
	struct cf_buf cert = CF_BUF_INIT;
	json_t *tree = NULL;
	struct sign_req r = {0};
	int ret = -1;
	const struct cf_gojson_field fields[] = {
		{"timestamp", CF_GOJSON_INT64, &timestamp, NULL, NULL},
		{"remote_address", CF_GOJSON_BYTES, &remote_address, NULL, NULL},
		{"token", CF_GOJSON_BYTES, &token, NULL, NULL},
		{"request", CF_GOJSON_BYTES, &inner, NULL, NULL},
	};
	if (cf_gojson_unmarshal((const char *)req->body, req->body_len, &tree,
				"auth.AuthenticatedRequest", fields, 4, err) < 0) {
		cf_errorlog("failed to unmarshal authenticated request: %s", err->msg);
		bad_request_err(err);
		goto out;
	}
	if (sign_req_decode(inner.data ? (const char *)inner.data : "", inner.len, &r, err) < 0) {
		cf_errorlog("failed to unmarshal request from authenticated request: %s", err->msg);
		bad_request(err, "Unable to parse authenticated sign request");
		goto out;
	}
	int found;
	const struct cf_profile *p = handler_profile(api, r.profile, &found);
	if (!p->auth_key.key) {
		cf_errorlog("profile has no authentication provider");
		bad_request(err, "no authentication provider");
		goto out;
	}
	/* cfssl's Standard.Verify: a token and a request, the MAC under auth_key or, during a
	 * rotation, prev_auth_key */
	int valid =
		token.len && inner.len &&
		(cf_auth_verify(&p->auth_key, inner.data, inner.len, token.data, token.len) ||
		 cf_auth_verify(&p->prev_auth_key, inner.data, inner.len, token.data, token.len));
	if (!valid) {
		cf_warning("received authenticated request with invalid token");
		bad_request(err, "invalid token");
		goto out;
	}
	if (!r.csr || !r.csr_len) {
		bad_request(err, "missing parameter 'certificate_request'");
		goto out;
	}
	if (sign_csr(api, &r, p, found, &cert, err) < 0) {
		log_error_json(CF_LOG_ERROR, "signature failed", err);
		goto out;
	}
	ret = reply_certificate(api, &r, &cert, rep, err);
out:
	json_decref(tree);
	sign_req_release(&r);
	cf_buf_release(&remote_address);
	cf_buf_release(&token);
	cf_buf_release(&inner);
	cf_buf_release(&cert);
	return ret;
}

/* --- /newcert --- */

static const char *const hexdigits = "0123456789ABCDEF";

static void put_digest(struct cf_buf *out, const char *name, gnutls_digest_algorithm_t alg,
		       const unsigned char *der, size_t len)
{
	unsigned char d[64];
	unsigned n = gnutls_hash_get_len(alg);
	if (gnutls_hash_fast(alg, der, len, d) < 0)
		n = 0;
	cf_buf_printf(out, "\"%s\":\"", name);
	for (unsigned i = 0; i < n; i++) {
		cf_buf_addc(out, hexdigits[d[i] >> 4]);
		cf_buf_addc(out, hexdigits[d[i] & 15]);
	}
	cf_buf_addc(out, '"');
}

int cf_api_sums(struct cf_buf *out, const struct cf_buf *pem, struct cf_error *err)
{
	struct cf_pem_block blk;
	const char *rest;
	size_t restlen;
	if (cf_pem_decode((const char *)pem->data, pem->len, &blk, &rest, &restlen) != 1)
		return cf_error_set(err, BAD_REQUEST, "not a CSR or certificate");
	int ret = 0;
	if (strcmp(blk.type, "CERTIFICATE") == 0) {
		gnutls_x509_crt_t crt = NULL;
		if (cf_parse_cert_pem(pem->data, pem->len, &crt, err) < 0) {
			ret = bad_request_err(err);
			goto out;
		}
		gnutls_x509_crt_deinit(crt);
	} else if (strcmp(blk.type, "CERTIFICATE REQUEST") != 0) {
		ret = cf_error_set(err, BAD_REQUEST, "not a CSR or certificate");
		goto out;
	}
	cf_buf_addc(out, '{');
	put_digest(out, "md5", GNUTLS_DIG_MD5, blk.der, blk.len);
	cf_buf_addc(out, ',');
	put_digest(out, "sha-1", GNUTLS_DIG_SHA1, blk.der, blk.len);
	cf_buf_addc(out, ',');
	put_digest(out, "sha-256", GNUTLS_DIG_SHA256, blk.der, blk.len);
	cf_buf_addc(out, '}');
out:
	cf_pem_block_release(&blk);
	return ret;
}

/* The key, CSR and certificate through a remote signer (proxy mode, remote profiles): the
 * key and CSR made here, the CSR signed there (§6.7). */
static int remote_newcert(struct cf_remote *remote, const struct cf_csr_request *csr,
			  const struct cf_profile *p, const char *profile, const char *label,
			  struct cf_newcert_result *out, struct cf_error *err)
{
	struct cf_newkey_result nk;
	memset(out, 0, sizeof *out);
	if (cf_op_newkey(csr, &nk, err) < 0)
		return -1;
	out->signing = 1;
	struct cf_remote_sign_req rq = {
		.csr = (const char *)nk.csr.data,
		.profile = profile,
		.label = label,
	};
	char *text = NULL;
	int ret = cf_remote_sign(remote, &rq, p->auth_remote_key.key ? &p->auth_remote_key : NULL,
				 &text, err);
	if (ret == 0) {
		cf_buf_adds(&out->cert, text);
		cf_buf_add(&out->csr, nk.csr.data, nk.csr.len);
		cf_buf_add(&out->key, nk.key_pem.data, nk.key_pem.len);
	}
	free(text);
	cf_newkey_result_release(&nk);
	return ret;
}

int cf_api_newcert(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err)
{
	cf_info("request for CSR");
	const json_t *request = NULL;
	const char *profile = NULL, *label = NULL;
	int bundle = 0;
	json_t *tree = NULL;
	struct cf_csr_request csr = {0};
	struct cf_newcert_result res = {0};
	struct cf_buf out = CF_BUF_INIT;
	int ret = -1;
	const struct cf_gojson_field fields[] = {
		{"request", CF_GOJSON_RAW, &request, NULL, NULL},
		{"profile", CF_GOJSON_STRING, &profile, NULL, NULL},
		{"label", CF_GOJSON_STRING, &label, NULL, NULL},
		{"bundle", CF_GOJSON_BOOL, &bundle, NULL, NULL},
	};
	int r = cf_gojson_unmarshal((const char *)req->body, req->body_len, &tree,
				    "generator.genSignRequest", fields, 4, err);
	/* "request" defaults to csr.New(): an empty request with the default key */
	if (r == 0 && request && !json_is_null(request)) {
		r = cf_csr_request_decode(request, &csr, err);
		if (r < 0)
			cf_gojson_nest_error(err, "genSignRequest", "request");
	} else if (r == 0) {
		r = cf_csr_request_decode(json_null(), &csr, err);
	}
	if (r < 0) {
		cf_warning("failed to unmarshal request: %s", err->msg);
		bad_request_err(err);
		goto out;
	}
	if (request && json_is_null(request)) {
		cf_warning("empty request received");
		bad_request(err, "missing request section");
		goto out;
	}
	if (csr.has_ca) {
		cf_warning("request received with CA section");
		bad_request(err, "ca section only permitted in initca");
		goto out;
	}
	if (!profile)
		profile = "";
	if (!label)
		label = "";
	int found;
	const struct cf_profile *p = handler_profile(api, profile, &found);
	/* Deviation 16: cfssl signs with an auth_key profile here without a token. */
	if (p->auth_key.key) {
		cf_errorlog("profile requires authentication (cfssl-c's /newcert, as /sign, leaves "
			    "auth_key profiles to /authsign)");
		bad_request(err, "authentication required");
		goto out;
	}

	cf_info("generate received request");
	cf_info("received CSR");
	cf_info("generating key: %s-%lld", csr.algo, csr.size);
	struct cf_remote *remote;
	int owned;
	int which = pick_signer(api, profile, p, found, &remote, &owned, err);
	if (which < 0) {
		/* cfssl makes the key and CSR before its signer refuses the profile */
		struct cf_newkey_result nk;
		struct cf_error kerr = {0};
		if (cf_op_newkey(&csr, &nk, &kerr) == 0) {
			cf_newkey_result_release(&nk);
			log_error_json(CF_LOG_WARNING, "failed to sign request", err);
		} else {
			cf_error_clear(err);
			*err = kerr;
			log_error_json(CF_LOG_WARNING, "failed to process CSR", err);
		}
		goto out;
	}
	if (which == 0) {
		struct cf_newcert_request nr = {.csr = &csr, .config = api->config, .profile = p};
		r = cf_op_newcert(api->ca, &nr, &res, err);
		if (r == 0 && api->db &&
		    cf_op_record(api->db, res.cert.data, res.cert.len, label, err) < 0) {
			cf_newcert_result_release(&res);
			res.signing = 1;
			r = -1;
		}
	} else {
		r = remote_newcert(remote, &csr, p, profile, label, &res, err);
		if (owned)
			cf_remote_free(remote);
	}
	if (r < 0) {
		log_error_json(CF_LOG_WARNING,
			       res.signing ? "failed to sign request" : "failed to process CSR",
			       err);
		goto out;
	}

	/* a Go map: members sorted */
	struct cf_buf sums = CF_BUF_INIT;
	cf_buf_adds(&sums, "{\"certificate\":");
	if (cf_api_sums(&sums, &res.cert, err) < 0) {
		cf_buf_release(&sums);
		goto out;
	}
	cf_buf_adds(&sums, ",\"certificate_request\":");
	if (cf_api_sums(&sums, &res.csr, err) < 0) {
		cf_buf_release(&sums);
		goto out;
	}
	cf_buf_addc(&sums, '}');
	cf_buf_addc(&out, '{');
	if (bundle && can_bundle(api)) {
		cf_buf_adds(&out, "\"bundle\":");
		if (bundle_json(api, &res.cert, &out, err) < 0) {
			cf_buf_release(&sums);
			goto out;
		}
		cf_buf_addc(&out, ',');
	}
	cf_buf_adds(&out, "\"certificate\":");
	cf_gojson_quote(&out, (const char *)res.cert.data, res.cert.len);
	cf_buf_adds(&out, ",\"certificate_request\":");
	cf_gojson_quote(&out, (const char *)res.csr.data, res.csr.len);
	cf_buf_adds(&out, ",\"private_key\":");
	cf_gojson_quote(&out, (const char *)res.key.data, res.key.len);
	cf_buf_adds(&out, ",\"sums\":");
	cf_buf_add(&out, sums.data, sums.len);
	cf_buf_addc(&out, '}');
	cf_buf_release(&sums);

	struct cf_httpd_message m = {CF_ERR_POLICY_VIOLATION, NULL};
	if (bundle && !can_bundle(api))
		m.message = no_bundler_message;
	else if (csr.nhosts == 0)
		m.message = cf_csr_lacks_hosts;
	cf_httpd_reply_success(rep, (const char *)out.data, out.len, &m, m.message ? 1 : 0);
	ret = 0;
out:
	json_decref(tree);
	cf_csr_request_release(&csr);
	cf_newcert_result_release(&res);
	cf_buf_release(&out); /* holds the private key: wiped */
	return ret;
}
