/* The endpoints that need no CA of the server's (cfssl-serve.md §3.1, §3.5, §3.7-3.10, §3.12,
 * §3.15). Each handler decodes its body as cfssl does (§2.5), calls the operations layer and
 * writes the result members in cfssl's order. */
#include "api.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "base64.h"
#include "cfregex.h"
#include "crl.h"
#include "csr.h"
#include "duration.h"
#include "gojson.h"
#include "initca.h"
#include "log.h"
#include "ocsp.h"
#include "ops.h"
#include "pem.h"
#include "scan.h"

#define SECOND_NS 1000000000LL

static void reply_result(struct cf_httpd_reply *rep, const struct cf_buf *result)
{
	cf_httpd_reply_success(rep, (const char *)result->data, result->len, NULL, 0);
}

/* Logs @prefix and @err as Go's %v prints it. */
static void log_error(enum cf_log_level lvl, const char *prefix, const struct cf_error *err)
{
	char msg[CF_ERROR_MSG_MAX + 64];
	cf_error_render(err, msg, sizeof msg);
	cf_log(lvl, "%s%s", prefix, msg);
}

/* A bad request (status and code 400) carrying @err's text, as errors.NewBadRequest(err). */
static int bad_request(struct cf_error *err)
{
	char msg[CF_ERROR_MSG_MAX];
	memcpy(msg, err->msg, sizeof msg);
	cf_error_clear(err);
	return cf_error_set(err, 400, "%s", msg);
}

int cf_api_health(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)err;
	static const char result[] = "{\"healthy\":true}";
	cf_httpd_reply_success(rep, result, sizeof result - 1, NULL, 0);
	return 0;
}

/* --- newkey, init_ca --- */

/* A CSR JSON body as generator.Handle and initca decode it (failures are 400 with Go's text). */
static int decode_csr(const struct cf_httpd_request *req, struct cf_csr_request *csr,
		      struct cf_error *err)
{
	if (cf_csr_request_parse((const char *)req->body, req->body_len, csr, err) == 0)
		return 0;
	log_error(CF_LOG_WARNING, "failed to unmarshal request: ", err);
	return bad_request(err);
}

int cf_api_newkey(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	struct cf_csr_request csr;
	struct cf_newkey_result res = {0};
	struct cf_buf out = CF_BUF_INIT;
	int ret = -1;

	cf_info("request for CSR");
	if (decode_csr(req, &csr, err) < 0)
		goto out;
	if (csr.has_ca) {
		cf_warning("request received with CA section");
		cf_error_set(err, 400, "ca section only permitted in initca");
		goto out;
	}
	cf_op_newkey_log(&csr);
	if (cf_op_newkey(&csr, &res, err) < 0) {
		log_error(CF_LOG_WARNING, "failed to process CSR: ", err);
		goto out;
	}
	cf_buf_adds(&out, "{\"private_key\":");
	cf_gojson_quote(&out, (const char *)res.key_pem.data, res.key_pem.len);
	cf_buf_adds(&out, ",\"certificate_request\":");
	cf_gojson_quote(&out, (const char *)res.csr.data, res.csr.len);
	cf_buf_adds(&out, ",\"sums\":{\"certificate_request\":");
	if (cf_api_sums(&out, &res.csr, err) < 0)
		goto out;
	cf_buf_adds(&out, "}}");
	reply_result(rep, &out);
	ret = 0;
out:
	cf_csr_request_release(&csr);
	cf_newkey_result_release(&res);
	cf_buf_release(&out); /* wipes the key */
	return ret;
}

int cf_api_init_ca(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	struct cf_csr_request csr;
	struct cf_buf cert = CF_BUF_INIT, csrpem = CF_BUF_INIT, key = CF_BUF_INIT,
		      out = CF_BUF_INIT;
	int ret = -1;

	cf_info("setting up initial CA handler");
	if (decode_csr(req, &csr, err) < 0)
		goto out;
	if (cf_initca_new(&csr, &cert, &csrpem, &key, err) < 0) {
		log_error(CF_LOG_WARNING, "failed to initialise new CA: ", err);
		goto out;
	}
	cf_buf_adds(&out, "{\"private_key\":");
	cf_gojson_quote(&out, (const char *)key.data, key.len);
	cf_buf_adds(&out, ",\"certificate\":");
	cf_gojson_quote(&out, (const char *)cert.data, cert.len);
	cf_buf_addc(&out, '}');
	reply_result(rep, &out);
	ret = 0;
out:
	cf_csr_request_release(&csr);
	cf_buf_release(&cert);
	cf_buf_release(&csrpem);
	cf_buf_release(&key);
	cf_buf_release(&out);
	return ret;
}

/* --- bundle, certinfo: a map of strings and the first parameter set that matches --- */

/* api.ProcessRequestFirstMatchOf: the body as a map of strings and the index of the first of
 * @sets (NULL-separated, NULL-NULL-terminated name lists) whose names are all present. */
static json_t *first_match(const struct cf_httpd_request *req, const char *const *sets,
			   int *matched, struct cf_error *err)
{
	json_t *blob = cf_gojson_string_map((const char *)req->body, req->body_len, err);
	if (!blob) {
		log_error(CF_LOG_WARNING, "invalid request: ", err);
		return NULL;
	}
	for (int i = 0; *sets; i++) {
		int all = 1;
		for (; *sets; sets++)
			all &= json_object_get(blob, *sets) != NULL;
		sets++;
		if (all) {
			*matched = i;
			return blob;
		}
	}
	json_decref(blob);
	cf_error_set(err, 400, "no valid parameter sets found");
	log_error(CF_LOG_WARNING, "invalid request: ", err);
	return NULL;
}

static const char *member(const json_t *blob, const char *name, size_t *len)
{
	const json_t *v = json_object_get(blob, name);
	if (len)
		*len = v ? json_string_length(v) : 0;
	return v ? json_string_value(v) : "";
}

int cf_api_bundle(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	static const char *const sets[] = {"certificate", NULL, "domain", NULL, NULL};
	int matched = -1, ret = -1;
	struct cf_buf out = CF_BUF_INIT;
	json_t *blob = first_match(req, sets, &matched, err);
	if (!blob)
		return -1;
	const char *flavor = member(blob, "flavor", NULL);
	cf_info("request for flavor %s", *flavor ? flavor : "ubiquitous");
	if (matched == 1) {
		if (cf_op_bundle_remote(api->bundler, member(blob, "domain", NULL),
					member(blob, "ip", NULL),
					cf_bundle_flavor_parse(*flavor ? flavor : "ubiquitous"),
					(int64_t)time(NULL), &out, err) < 0) {
			log_error(CF_LOG_WARNING, "couldn't bundle from remote: ", err);
			goto out;
		}
		cf_info("wrote response");
		reply_result(rep, &out);
		ret = 0;
		goto out;
	}
	struct cf_bundle_request br = {
		.cert = (const unsigned char *)member(blob, "certificate", &br.cert_len),
		.key = (const unsigned char *)member(blob, "private_key", &br.key_len),
		.flavor = cf_bundle_flavor_parse(*flavor ? flavor : "ubiquitous"),
		.domain = member(blob, "domain", NULL),
		.ip = member(blob, "ip", NULL),
		.now = (int64_t)time(NULL),
	};
	if (cf_op_bundle(api->bundler, &br, &out, err) < 0) {
		/* cfssl says this for every failure, hostname checks excepted */
		if (err->code != CF_ERR_CERT_UNKNOWN + 200)
			cf_warning("bad PEM certificate or private key");
		goto out;
	}
	cf_info("wrote response");
	reply_result(rep, &out);
	ret = 0;
out:
	json_decref(blob); /* may hold a private key: Jansson's allocator zeroes */
	cf_buf_release(&out);
	return ret;
}

int cf_api_certinfo(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err)
{
	static const char *const sets[] = {"certificate",      NULL, "domain", NULL, "serial",
					   "authority_key_id", NULL, NULL};
	int matched = -1, ret = -1;
	struct cf_buf json = CF_BUF_INIT, out = CF_BUF_INIT;
	json_t *blob = first_match(req, sets, &matched, err);
	if (!blob)
		return -1;
	if (matched == 0) {
		size_t len;
		const char *pem = member(blob, "certificate", &len);
		if (cf_op_certinfo_cert((const unsigned char *)pem, len, &json, err) < 0) {
			log_error(CF_LOG_WARNING, "bad PEM certificate: ", err);
			goto out;
		}
	} else if (matched == 1) {
		if (cf_op_certinfo_domain(member(blob, "domain", NULL), &json, err) < 0) {
			log_error(CF_LOG_WARNING, "couldn't parse remote certificate: ", err);
			goto out;
		}
	} else if (!api->db) {
		cf_warning("could not find certificates with db access");
		cf_error_set(err, CF_ERR_PLAIN,
			     "cannot lookup certificate from serial without db access");
		goto out;
	} else if (cf_op_certinfo_serial(api->db, member(blob, "serial", NULL),
					 member(blob, "authority_key_id", NULL), &json, err) < 0) {
		log_error(CF_LOG_WARNING, "couldn't find certificate: ", err);
		goto out;
	}
	/* the JSON of `cfssl certinfo`, as the API's encoder writes it: compact */
	cf_gojson_compact(&out, (const char *)json.data, json.len);
	reply_result(rep, &out);
	ret = 0;
out:
	json_decref(blob);
	cf_buf_release(&json);
	cf_buf_release(&out);
	return ret;
}

/* --- scan, scaninfo --- */

int cf_api_scan(const struct cf_api *api, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err)
{
	const char *timeout = cf_httpd_query_arg(req, "timeout");
	int64_t ns = 60 * SECOND_NS; /* cfssl's default: one minute */
	if (timeout && *timeout) {
		if (cf_duration_parse(timeout, &ns, err) < 0)
			return bad_request(err);
		if (ns < SECOND_NS || ns > 300 * SECOND_NS)
			return cf_error_set(err, 400, "invalid timeout given");
	}
	const char *host = cf_httpd_query_arg(req, "host");
	if (!host || !*host) {
		cf_warning("no host given");
		return cf_error_set(err, 400, "no host given");
	}
	const char *family = cf_httpd_query_arg(req, "family");
	const char *scanner = cf_httpd_query_arg(req, "scanner");
	const char *ip = cf_httpd_query_arg(req, "ip");
	struct cf_scan_options o = {
		.family = family ? family : "",
		.scanner = scanner ? scanner : "",
		.ip = ip ? ip : "",
		.timeout_ns = ns,
		.ca_bundle = api->scan_ca_bundle ? api->scan_ca_bundle : "",
	};
	struct cf_buf out = CF_BUF_INIT;
	if (cf_scan_run(host, &o, &out, err) < 0) {
		cf_buf_release(&out);
		err->code = 400;
		return -1;
	}
	reply_result(rep, &out);
	cf_buf_release(&out);
	return 0;
}

/* scan.Default's catalogue as Go marshals it (maps: members sorted). */
int cf_api_scaninfo(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)err;
	cf_info("setting up scaninfo handler");
	cf_httpd_reply_success(rep, cf_scan_catalogue, strlen(cf_scan_catalogue), NULL, 0);
	return 0;
}

/* --- gencrl --- */

struct gencrl_req {
	const char *cert, *key, *expiry;
	size_t cert_len, key_len;
	struct cf_buf serials; /* one a line, as cf_op_gencrl reads them */
};

/* json.Unmarshal into gencrl's jsonCRLRequest: a type error leaves the other members decoded
 * and is returned after them. */
static void decode_gencrl(const json_t *doc, struct gencrl_req *r, struct cf_error *err)
{
	static const char *st = "jsonCRLRequest";
	size_t n = 0;
	if (!json_is_object(doc)) {
		if (!json_is_null(doc))
			cf_gojson_type_error(err, doc, NULL, NULL, "gencrl.jsonCRLRequest");
		return;
	}
	cf_gojson_get_string(cf_gojson_member(doc, "certificate"), &r->cert, &r->cert_len, err, st,
			     "certificate");
	cf_gojson_get_string(cf_gojson_member(doc, "issuingKey"), &r->key, &r->key_len, err, st,
			     "issuingKey");
	cf_gojson_get_string(cf_gojson_member(doc, "expireTime"), &r->expiry, &n, err, st,
			     "expireTime");
	const json_t *serials = cf_gojson_member(doc, "serialNumber");
	if (serials && !json_is_null(serials) && !json_is_array(serials)) {
		cf_gojson_type_error(err, serials, st, "serialNumber", "[]string");
		return;
	}
	size_t i;
	const json_t *v;
	json_array_foreach((json_t *)serials, i, v) {
		const char *s = "";
		size_t len = 0;
		cf_gojson_get_string(v, &s, &len, err, st, "serialNumber");
		/* a line break would split one serial into two lines: cut it there, the
		 * digits before it are what SetString would have read anyway */
		size_t cut = strcspn(s, "\r\n");
		cf_buf_add(&r->serials, s, cut < len ? cut : len);
		/* an empty one still counts as serial 0 */
		if (!len || cut == 0)
			cf_buf_adds(&r->serials, "x");
		cf_buf_addc(&r->serials, '\n');
	}
}

int cf_api_gencrl(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	struct gencrl_req r = {.cert = "", .key = "", .expiry = ""};
	struct cf_error jerr = {0};
	struct cf_buf der = CF_BUF_INIT, out = CF_BUF_INIT;
	int ret = -1;
	long long secs = 0;

	json_t *doc = cf_gojson_parse((const char *)req->body, req->body_len, &jerr);
	if (doc)
		decode_gencrl(doc, &r, &jerr);
	if (jerr.set)
		cf_errorlog("%s", jerr.msg);
	if (*r.expiry) {
		size_t len = strlen(r.expiry);
		const char *t = r.expiry;
		while (len && strchr(" \t\n\v\f\r", t[len - 1]))
			len--;
		while (len && strchr(" \t\n\v\f\r", *t)) {
			t++;
			len--;
		}
		char *trimmed = cf_xmemdup(t, len);
		int e = cf_crl_parse_int32(trimmed, &secs, err);
		free(trimmed);
		if (e < 0)
			goto out;
	}
	if (jerr.set) {
		cf_error_set(err, CF_ERR_PLAIN, "%s", jerr.msg);
		goto out;
	}
	struct cf_gencrl_request g = {
		.serials = r.serials.data,
		.serials_len = r.serials.len,
		.cert = (const unsigned char *)r.cert,
		.cert_len = r.cert_len,
		.key = (const unsigned char *)r.key,
		.key_len = r.key_len,
		.expiry = secs,
		.check_key = 1, /* deviation 21 */
		.no_password = 1,
	};
	if (cf_op_gencrl(&g, &der, err) < 0) {
		int code = err->code;
		if (code / 1000 == 1) {
			log_error(CF_LOG_ERROR, "error from ParseCertificatePEM", err);
			cf_error_clear(err);
			cf_error_set(err, 400, "malformed certificate");
		} else if (code / 1000 == 2 && code != CF_ERR_KEY_MISMATCH) {
			log_error(CF_LOG_DEBUG, "malformed private key ", err);
			cf_error_clear(err);
			cf_error_set(err, 400, "malformed Private Key");
		} else if (code == CF_ERR_KEY_MISMATCH) {
			/* deviation 21: cfssl would sign a CRL that does not verify */
			cf_error_clear(err);
			cf_error_set(err, 400,
				     "the private key does not match the certificate's public key");
		}
		goto out;
	}
	cf_buf_addc(&out, '"');
	cf_base64_encode(&out, der.data, der.len);
	cf_buf_addc(&out, '"');
	reply_result(rep, &out);
	ret = 0;
out:
	if (doc)
		json_decref(doc);
	cf_buf_release(&r.serials);
	cf_buf_release(&der);
	cf_buf_release(&out);
	return ret;
}

/* --- ocspsign --- */

int cf_api_ocspsign(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err)
{
	static const struct {
		const char *name;
		int alg; /* gnutls_digest_algorithm_t */
	} hashes[] = {{"MD5", GNUTLS_DIG_MD5},
		      {"SHA1", GNUTLS_DIG_SHA1},
		      {"SHA256", GNUTLS_DIG_SHA256},
		      {"SHA384", GNUTLS_DIG_SHA384},
		      {"SHA512", GNUTLS_DIG_SHA512}};
	const char *pem = "", *status = "good", *revoked_at = "", *hash = "";
	size_t pem_len = 0;
	long long reason = 0;
	struct cf_error jerr = {0};
	gnutls_x509_crt_t cert = NULL;
	struct cf_buf out = CF_BUF_INIT;
	int ret = -1;

	json_t *doc = NULL;
	const struct cf_gojson_field fields[] = {
		{"certificate", CF_GOJSON_STRING, &pem, &pem_len, NULL},
		{"status", CF_GOJSON_STRING, &status, NULL, NULL},
		{"reason", CF_GOJSON_INT64, &reason, NULL, NULL},
		{"revoked_at", CF_GOJSON_STRING, &revoked_at, NULL, NULL},
		{"issuer_hash", CF_GOJSON_STRING, &hash, NULL, NULL},
	};
	cf_gojson_unmarshal((const char *)req->body, req->body_len, &doc, "ocsp.jsonSignRequest",
			    fields, sizeof fields / sizeof fields[0], &jerr);
	if (jerr.set) {
		cf_error_set(err, 400, "Unable to parse sign request");
		goto out;
	}
	if (cf_parse_cert_pem((const unsigned char *)pem, pem_len, &cert, err) < 0) {
		log_error(CF_LOG_ERROR, "Error from ParseCertificatePEM", err);
		cf_error_clear(err);
		cf_error_set(err, 400, "Malformed certificate");
		goto out;
	}
	int64_t now = (int64_t)time(NULL);
	struct cf_ocsp_request r = {
		.status = status,
		.issuer_hash = GNUTLS_DIG_SHA1,
	};
	if (!strcmp(status, "revoked")) {
		r.reason = (int)reason;
		r.revoked_at = now;
		if (*revoked_at && strcmp(revoked_at, "now") != 0) {
			struct cf_error e = {0};
			if (cf_ocsp_parse_date(revoked_at, &r.revoked_at, &e) < 0) {
				cf_error_set(err, 400, "Malformed revocation time");
				goto out;
			}
		}
	}
	if (*hash) {
		size_t i, n = sizeof hashes / sizeof hashes[0];
		for (i = 0; i < n && strcmp(hash, hashes[i].name) != 0; i++)
			;
		if (i == n) {
			cf_error_set(err, 400, "Unsupported hash algorithm in request");
			goto out;
		}
		r.issuer_hash = hashes[i].alg;
	}
	if (!api->ocsp_responder) {
		cf_error_set(err, CF_ERR_PLAIN, "signer not initialized");
		goto out;
	}
	struct cf_ocsp_signer s = {
		.issuer = api->ocsp_issuer,
		.responder = api->ocsp_responder,
		.key = api->ocsp_key,
		.interval = api->ocsp_interval,
	};
	cf_buf_adds(&out, "{\"ocspResponse\":\"");
	if (cf_op_ocspsign(&s, cert, &r, now, &out, err) < 0)
		goto out;
	cf_buf_adds(&out, "\"}");
	reply_result(rep, &out);
	ret = 0;
out:
	if (doc)
		json_decref(doc);
	if (cert)
		gnutls_x509_crt_deinit(cert);
	cf_buf_release(&out);
	return ret;
}
