/* multirootca's roots and endpoints (multiroot.h). */
#include "multiroot.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/x509.h>

#include "auth.h"
#include "bigint.h"
#include "certdb.h"
#include "config.h"
#include "fileio.h"
#include "gojson.h"
#include "keyproc.h"
#include "log.h"
#include "pem.h"
#include "signer.h"

#define AUTHSIGN_PATH "/api/v1/cfssl/authsign"
#define INFO_PATH     "/api/v1/cfssl/info"
#define METRICS_PATH  "/metrics"

/* --- the INI file --- */

static char *xstrndup(const char *s, size_t n)
{
	char *d = cf_xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v';
}

static int is_word(int c)
{
	return isalnum(c) || c == '_';
}

static const char *skip_space(const char *p)
{
	while (*p && is_space((unsigned char)*p))
		p++;
	return p;
}

/* "^\s*(\w+)": the word's bounds, or 0 */
static int word(const char *p, const char **b, const char **e)
{
	p = skip_space(p);
	*b = p;
	while (is_word((unsigned char)*p))
		p++;
	*e = p;
	return *e > *b;
}

static void section_set(struct cf_ini_section *s, const char *k, size_t kl, const char *v,
			size_t vl)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->keys[i]) == kl && !memcmp(s->keys[i], k, kl)) {
			free(s->vals[i]);
			s->vals[i] = xstrndup(v, vl);
			return;
		}
	s->keys = cf_xrealloc(s->keys, (s->n + 1) * sizeof *s->keys);
	s->vals = cf_xrealloc(s->vals, (s->n + 1) * sizeof *s->vals);
	s->keys[s->n] = xstrndup(k, kl);
	s->vals[s->n] = xstrndup(v, vl);
	s->n++;
}

static struct cf_ini_section *section_get(struct cf_ini_section **all, size_t *n, const char *name,
					  size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen((*all)[i].name) == len && !memcmp((*all)[i].name, name, len))
			return &(*all)[i];
	*all = cf_xrealloc(*all, (*n + 1) * sizeof **all);
	struct cf_ini_section *s = &(*all)[(*n)++];
	memset(s, 0, sizeof *s);
	s->name = xstrndup(name, len);
	return s;
}

/* One line as ParseToRawMap's regular expressions read it; -1 for none of them. */
static int ini_line(const char *line, struct cf_ini_section **all, size_t *n, size_t *cur)
{
	const char *p = skip_space(line), *b, *e;
	if (line[0] == '#' || !*p)
		return 0;
	if (*p == '[') {
		/* ^\s*\[\s*(\w+)\s*\]\s*$ */
		if (word(p + 1, &b, &e)) {
			const char *q = skip_space(e);
			if (*q == ']' && !*skip_space(q + 1)) {
				struct cf_ini_section *s = section_get(all, n, b, (size_t)(e - b));
				*cur = (size_t)(s - *all);
				return 0;
			}
		}
	}
	/* ^\s*(\w+)\s*=\s*(.*)\s*$, or with ["'](.*)["']\s*$ around the value */
	if (!word(line, &b, &e))
		return -1;
	const char *q = skip_space(e);
	if (*q != '=')
		return -1;
	const char *v = skip_space(q + 1);
	size_t vl = strlen(v);
	if (*v == '"' || *v == '\'') {
		size_t end = vl;
		while (end > 1 && is_space((unsigned char)v[end - 1]))
			end--;
		if (end >= 2 && (v[end - 1] == '"' || v[end - 1] == '\'')) {
			v++;
			vl = end - 2;
		}
	}
	if (*cur == (size_t)-1) {
		struct cf_ini_section *s = section_get(all, n, "default", 7);
		*cur = (size_t)(s - *all);
	}
	section_set(&(*all)[*cur], b, (size_t)(e - b), v, vl);
	return 0;
}

int cf_ini_parse(const char *path, struct cf_ini_section **out, size_t *n, struct cf_error *err)
{
	struct cf_buf data = CF_BUF_INIT;
	*out = NULL;
	*n = 0;
	if (cf_read_file(path, &data, err) < 0)
		return -1;
	cf_buf_addc(&data, 0);
	char *text = (char *)data.data;
	size_t cur = (size_t)-1;
	int ret = 0;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[l - 1] = '\0';
		if (ini_line(line, out, n, &cur) < 0) {
			ret = cf_error_set(err, CF_ERR_PLAIN, "invalid config file");
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	cf_buf_release(&data);
	if (ret < 0) {
		cf_ini_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return ret;
}

void cf_ini_free(struct cf_ini_section *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < s[i].n; j++) {
			free(s[i].keys[j]);
			free(s[i].vals[j]);
		}
		free(s[i].keys);
		free(s[i].vals);
		free(s[i].name);
	}
	free(s);
}

const char *cf_ini_get(const struct cf_ini_section *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->keys[i], key))
			return s->vals[i];
	return NULL;
}

/* --- nets --- */

int cf_mroot_parse_cidr(const char *s, struct cf_mroot_net *net, struct cf_error *err)
{
	const char *slash = strchr(s, '/');
	char host[64];
	memset(net, 0, sizeof *net);
	if (!slash || (size_t)(slash - s) >= sizeof host)
		goto bad;
	memcpy(host, s, (size_t)(slash - s));
	host[slash - s] = '\0';
	const char *bits = slash + 1;
	if (!*bits || strlen(bits) > 3)
		goto bad;
	for (const char *c = bits; *c; c++)
		if (!isdigit((unsigned char)*c))
			goto bad;
	net->bits = atoi(bits);
	if (inet_pton(AF_INET, host, net->addr) == 1) {
		if (net->bits > 32)
			goto bad;
	} else if (inet_pton(AF_INET6, host, net->addr) == 1) {
		net->v6 = 1;
		if (net->bits > 128)
			goto bad;
	} else {
		goto bad;
	}
	return 0;
bad:
	return cf_error_set(err, CF_ERR_PLAIN, "invalid CIDR address: %s", s);
}

static int prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int full = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)full))
		return 0;
	if (!rest)
		return 1;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

int cf_mroot_permitted(const struct cf_mroot *root, const char *remote)
{
	char host[64];
	const char *h = remote, *end;
	if (*h == '[') {
		h++;
		end = strchr(h, ']');
	} else {
		end = strrchr(h, ':');
	}
	if (!end || (size_t)(end - h) >= sizeof host)
		return 0;
	memcpy(host, h, (size_t)(end - h));
	host[end - h] = '\0';
	unsigned char a4[4], a6[16];
	int is4 = inet_pton(AF_INET, host, a4) == 1;
	int is6 = !is4 && inet_pton(AF_INET6, host, a6) == 1;
	/* Go's IPNet.Contains: an IPv4-mapped IPv6 address is its IPv4 address */
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (is6 && !memcmp(a6, mapped, 12)) {
		memcpy(a4, a6 + 12, 4);
		is4 = 1;
		is6 = 0;
	}
	for (size_t i = 0; i < root->nnets; i++) {
		const struct cf_mroot_net *n = &root->nets[i];
		if (!n->v6 && is4 && prefix_match(a4, n->addr, n->bits))
			return 1;
		if (n->v6 && is6 && prefix_match(a6, n->addr, n->bits))
			return 1;
	}
	return 0;
}

/* --- loading --- */

/* parsePrivateKeySpec's URL: file://HOST/PATH is filepath.Join(HOST, PATH). New string. */
static char *key_path(const char *spec, const struct cf_ini_section *s, struct cf_error *err)
{
	int ro = !strncmp(spec, "rofile:", 7);
	if (!ro && strncmp(spec, "file:", 5)) {
		cf_error_set(err, CF_ERR_PLAIN, "config: unsupported private key scheme");
		return NULL;
	}
	/* file://HOST/PATH: url.Parse splits it, filepath.Join puts it back together */
	const char *p = spec + (ro ? 7 : 5);
	if (!strncmp(p, "//", 2))
		p += 2;
	if (!ro)
		return cf_xstrdup(p);
	/* Red October: cfssl reads the file and checks the server settings before it asks the
	 * server to decrypt; cfssl-c does the same checks, then refuses */
	cf_warning("Red October support is currently experimental");
	struct cf_buf in = CF_BUF_INIT;
	int r = cf_read_file(p, &in, err);
	if (in.data)
		cf_wipe(in.data, in.len);
	cf_buf_release(&in);
	if (r < 0)
		return NULL;
	static const char *const need[][2] = {
		{"ro_server", "server"}, {"ro_user", "user"}, {"ro_pass", "passphrase"}};
	for (size_t i = 0; i < sizeof need / sizeof *need; i++) {
		const char *v = cf_ini_get(s, need[i][0]);
		if (!v || !*v) {
			cf_error_set(err, CF_ERR_PLAIN, "config: no RedOctober %s available",
				     need[i][1]);
			return NULL;
		}
	}
	cf_error_set(err, CF_ERR_PLAIN,
		     "config: Red October keys (rofile://) are not supported by cfssl-c");
	return NULL;
}

static int load_root(struct cf_mroot *r, const struct cf_ini_section *s, struct cf_error *err)
{
	const char *priv = cf_ini_get(s, "private"), *cert = cf_ini_get(s, "certificate");
	const char *conf = cf_ini_get(s, "config"), *nets = cf_ini_get(s, "nets");
	const char *db = cf_ini_get(s, "dbconfig");
	if (!priv)
		return cf_error_set(err, CF_ERR_PLAIN, "config: root is missing private key spec");
	if (!cert)
		return cf_error_set(err, CF_ERR_PLAIN, "config: root is missing certificate path");
	if (!conf)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "config: root is missing configuration file path");
	char *key = key_path(priv, s, err);
	if (!key)
		return -1;
	if (cf_config_load(conf, &r->config, err) < 0) {
		free(key);
		return -1;
	}
	r->api.config = r->config;
	if (nets && *nets) {
		char *copy = cf_xstrdup(nets);
		size_t cap = 1;
		for (const char *c = nets; *c; c++)
			cap += *c == ',';
		r->nets = cf_xcalloc(cap, sizeof *r->nets);
		int ret = 0;
		for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			while (is_space((unsigned char)*tok))
				tok++;
			size_t l = strlen(tok);
			while (l && is_space((unsigned char)tok[l - 1]))
				tok[--l] = '\0';
			if (cf_mroot_parse_cidr(tok, &r->nets[r->nnets], err) < 0) {
				ret = -1;
				break;
			}
			r->nnets++;
		}
		/* "a,,b" and a trailing comma are empty entries, which Go refuses */
		if (!ret && r->nnets != cap)
			ret = cf_error_set(err, CF_ERR_PLAIN, "invalid CIDR address: ");
		free(copy);
		if (ret < 0) {
			free(key);
			return -1;
		}
	}
	if (db && *db) {
		/* dbconf.DBFromConfig: read and opened, not contacted */
		struct cf_dbconf dc;
		if (cf_dbconf_load(db, &dc, err) < 0) {
			free(key);
			return -1;
		}
		r->db = cf_certdb_open(&dc, err);
		if (r->db)
			cf_dbconf_paths(&dc, &r->db_paths);
		cf_dbconf_release(&dc);
		if (!r->db) {
			free(key);
			return -1;
		}
		r->api.db = r->db;
		r->api.db_config = cf_xstrdup(db);
	}
	cf_config_begin_signing(r->config);
	int ret = cf_ca_load_isolated2(cert, key, CF_KEY_PEM_OR_DER, &r->ca, &r->kp, err);
	free(key);
	if (ret < 0)
		return -1;
	r->have_ca = 1;
	r->api.ca = &r->ca;
	return 0;
}

int cf_multiroot_load(const char *path, struct cf_multiroot *mr, struct cf_error *err)
{
	struct cf_ini_section *secs;
	size_t n;
	memset(mr, 0, sizeof *mr);
	if (cf_ini_parse(path, &secs, &n, err) < 0)
		return -1;
	mr->roots = cf_xcalloc(n ? n : 1, sizeof *mr->roots);
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		struct cf_mroot *r = &mr->roots[mr->nroots++];
		r->label = cf_xstrdup(secs[i].name);
		if (load_root(r, &secs[i], err) < 0) {
			ret = -1;
			break;
		}
		cf_info("loaded signer %s", r->label);
	}
	cf_ini_free(secs, n);
	if (ret < 0)
		cf_multiroot_release(mr);
	return ret;
}

void cf_multiroot_release(struct cf_multiroot *mr)
{
	for (size_t i = 0; i < mr->nroots; i++) {
		struct cf_mroot *r = &mr->roots[i];
		if (r->have_ca)
			cf_ca_release(&r->ca);
		if (r->kp)
			cf_keyproc_stop(r->kp);
		cf_config_free(r->config);
		cf_certdb_close(r->db);
		free((char *)r->api.db_config);
		cf_dbconf_paths_release(&r->db_paths);
		free(r->nets);
		free(r->label);
	}
	free(mr->roots);
	memset(mr, 0, sizeof *mr);
}

static struct cf_mroot *find_root(const struct cf_multiroot *mr, const char *label)
{
	for (size_t i = 0; i < mr->nroots; i++)
		if (!strcmp(mr->roots[i].label, label))
			return &mr->roots[i];
	return NULL;
}

/* --- the endpoints --- */

/* multirootca's fail(): the error envelope with code 1 and @status, its log line; counted as
 * a bad input. */
static int fail(struct cf_multiroot *mr, struct cf_httpd_reply *rep, int status, const char *msg,
		const char *why)
{
	atomic_fetch_add(&mr->bad_inputs, 1);
	cf_errorlog("[HTTP %d] 1 - %s%s%s%s", status, msg, *why ? " (" : "", why, *why ? ")" : "");
	cf_httpd_reply_reset(rep);
	rep->status = status;
	rep->content_type = "application/json";
	cf_httpd_envelope_error(&rep->body, 1, msg);
	rep->log = 1;
	rep->log_code = status;
	return 0;
}

/* The serial of the certificate in the success envelope @body, in decimal, into @out. */
static void reply_serial(const struct cf_buf *body, struct cf_buf *out)
{
	json_error_t je;
	json_t *j = json_loadb((const char *)body->data, body->len, 0, &je);
	const char *pem =
		json_string_value(json_object_get(json_object_get(j, "result"), "certificate"));
	gnutls_x509_crt_t crt = NULL;
	struct cf_error e = {0};
	if (pem && cf_parse_cert_pem((const unsigned char *)pem, strlen(pem), &crt, &e) == 0) {
		unsigned char ser[64];
		size_t n = sizeof ser;
		if (gnutls_x509_crt_get_serial(crt, ser, &n) >= 0)
			cf_bigint_dec_unsigned(ser, n, out);
		gnutls_x509_crt_deinit(crt);
	}
	cf_buf_addc(out, 0);
	json_decref(j);
}

static int authsign(struct cf_multiroot *mr, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep)
{
	if (strcmp(req->method, "POST"))
		return fail(mr, rep, 405, "only POST is permitted", "");
	long long timestamp = 0;
	struct cf_buf remote_address = CF_BUF_INIT, token = CF_BUF_INIT, inner = CF_BUF_INIT;
	json_t *tree = NULL, *itree = NULL;
	struct cf_error e = {0};
	const struct cf_gojson_field fields[] = {
		{"timestamp", CF_GOJSON_INT64, &timestamp, NULL, NULL},
		{"remote_address", CF_GOJSON_BYTES, &remote_address, NULL, NULL},
		{"token", CF_GOJSON_BYTES, &token, NULL, NULL},
		{"request", CF_GOJSON_BYTES, &inner, NULL, NULL},
	};
	const char *label = NULL, *profile = NULL, *csr = NULL;
	const json_t *hosts = NULL;
	const struct cf_gojson_field ifields[] = {
		{"hosts", CF_GOJSON_STRINGS, &hosts, NULL, NULL},
		{"certificate_request", CF_GOJSON_STRING, &csr, NULL, NULL},
		{"profile", CF_GOJSON_STRING, &profile, NULL, NULL},
		{"label", CF_GOJSON_STRING, &label, NULL, NULL},
	};
	if (cf_gojson_unmarshal((const char *)req->body, req->body_len, &tree,
				"auth.AuthenticatedRequest", fields, 4, &e) < 0) {
		fail(mr, rep, 400, e.msg, "while unmarshaling request body");
		goto out;
	}
	if (cf_gojson_unmarshal(inner.data ? (const char *)inner.data : "", inner.len, &itree,
				"signer.SignRequest", ifields, 4, &e) < 0) {
		fail(mr, rep, 400, e.msg, "while unmarshalling authenticated request");
		goto out;
	}
	if (!label || !*label)
		label = mr->default_label ? mr->default_label : "";
	if (!profile)
		profile = "";
	struct cf_mroot *root = find_root(mr, label);
	if (root && root->nets && !cf_mroot_permitted(root, req->remote)) {
		fail(mr, rep, 403, "not authorised", "because IP is not whitelisted");
		goto out;
	}
	if (!root) {
		char why[512];
		snprintf(why, sizeof why, "request is for non-existent label %s", label);
		fail(mr, rep, 400, "bad request", why);
		goto out;
	}
	atomic_fetch_add(&root->requests, 1);
	int found = 0;
	const struct cf_profile *p =
		cf_config_profile(root->config, *profile ? profile : NULL, &found);
	if (*profile && !found && root->config->nprofiles) {
		char why[512];
		snprintf(why, sizeof why, "failed to look up profile with name: %s", profile);
		fail(mr, rep, 400, "invalid profile", why);
		goto out;
	}
	if (!p->auth_key.key) {
		fail(mr, rep, 401, "authorisation required", "received unauthenticated request");
		goto out;
	}
	int valid =
		token.len && inner.len &&
		(cf_auth_verify(&p->auth_key, inner.data, inner.len, token.data, token.len) ||
		 cf_auth_verify(&p->prev_auth_key, inner.data, inner.len, token.data, token.len));
	if (!valid) {
		fail(mr, rep, 400, "invalid token",
		     "received authenticated request with invalid token");
		goto out;
	}
	if (!csr || !*csr) {
		fail(mr, rep, 400, "invalid request", "empty request");
		goto out;
	}
	/* the signature as serve's /authsign makes it, with this root's CA and policy */
	if (cf_api_authsign(&root->api, req, rep, &e) < 0) {
		atomic_fetch_add(&root->errored, 1);
		char msg[CF_ERROR_MSG_MAX + 64], why[CF_ERROR_MSG_MAX + 96];
		cf_error_render(&e, msg, sizeof msg);
		snprintf(why, sizeof why, "signature failed: %s", msg);
		fail(mr, rep, 400, "bad request", why);
		goto out;
	}
	struct cf_buf serial = CF_BUF_INIT;
	reply_serial(&rep->body, &serial);
	cf_info("signature: requester=%s, label=%s, profile=%s, serialno=%s", req->remote, label,
		profile, (const char *)serial.data);
	cf_buf_release(&serial);
out:
	json_decref(itree);
	json_decref(tree);
	cf_buf_release(&remote_address);
	cf_buf_release(&token);
	cf_buf_release(&inner);
	return 0;
}

/* info.MultiHandler: the root by label (or -l), then the local signer's info. */
static int info(struct cf_multiroot *mr, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err)
{
	const char *label = NULL, *profile = NULL;
	json_t *tree = NULL;
	const struct cf_gojson_field fields[] = {
		{"label", CF_GOJSON_STRING, &label, NULL, NULL},
		{"profile", CF_GOJSON_STRING, &profile, NULL, NULL},
	};
	if (cf_gojson_unmarshal((const char *)req->body, req->body_len, &tree, "info.Req", fields,
				2, err) < 0) {
		cf_warning("failed to unmarshal request: %s", err->msg);
		char msg[CF_ERROR_MSG_MAX];
		memcpy(msg, err->msg, sizeof msg);
		cf_error_clear(err);
		return cf_error_set(err, 400, "%s", msg);
	}
	if (!label || !*label)
		label = mr->default_label ? mr->default_label : "";
	struct cf_mroot *root = find_root(mr, label);
	json_decref(tree);
	if (!root) {
		cf_warning("request for invalid endpoint");
		return cf_error_set(err, 400, "bad label");
	}
	return cf_api_info(&root->api, req, rep, err);
}

static void counter_family(struct cf_buf *out, const char *name, const char *help)
{
	cf_buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
}

void cf_multiroot_metrics(const struct cf_multiroot *mr, struct cf_buf *out)
{
	/* families in name order, as client_golang writes them; a series once it exists */
	unsigned long long bad = atomic_load(&mr->bad_inputs);
	if (bad) {
		counter_family(out, "bad_inputs_total",
			       "How many times the input was malformed or not allowed.");
		cf_buf_printf(out, "bad_inputs_total{operation=\"sign\"} %llu\n", bad);
	}
	const char *names[2] = {"requests_errored_total", "requests_total"};
	const char *helps[2] = {
		"How many requests for each operation type resulted in an error.",
		"How many requests for each operation type and signer were succesfully "
		"processed.",
	};
	for (int f = 0; f < 2; f++) {
		int head = 0;
		for (size_t i = 0; i < mr->nroots; i++) {
			const struct cf_mroot *r = &mr->roots[i];
			unsigned long long v =
				atomic_load(f == 0 ? &((struct cf_mroot *)r)->errored
						   : &((struct cf_mroot *)r)->requests);
			if (!v)
				continue;
			if (!head++)
				counter_family(out, names[f], helps[f]);
			cf_buf_printf(out, "%s{operation=\"sign\",signer=\"", names[f]);
			for (const char *c = r->label; *c; c++)
				cf_buf_addc(out, *c);
			cf_buf_printf(out, "\"} %llu\n", v);
		}
	}
}

int cf_multiroot_precheck(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep)
{
	(void)arg;
	char *clean = cf_httpd_clean_path(req->path);
	int done = 1;
	if (strcmp(clean, req->path)) {
		struct cf_buf loc = CF_BUF_INIT;
		cf_buf_adds(&loc, clean);
		if (*req->query) {
			cf_buf_addc(&loc, '?');
			cf_buf_adds(&loc, req->query);
		}
		cf_buf_addc(&loc, 0);
		cf_httpd_reply_redirect(rep, req->method, (const char *)loc.data);
		cf_buf_release(&loc);
	} else if (strcmp(clean, AUTHSIGN_PATH) && strcmp(clean, INFO_PATH) &&
		   strcmp(clean, METRICS_PATH)) {
		cf_httpd_reply_not_found(rep);
	} else if (!strcmp(clean, INFO_PATH) && strcmp(req->method, "POST")) {
		cf_httpd_reply_method_not_allowed(rep, req->method);
	} else {
		done = 0;
	}
	free(clean);
	return done;
}

int cf_multiroot_dispatch(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep,
			  struct cf_error *err)
{
	struct cf_multiroot *mr = arg;
	if (!strcmp(req->path, AUTHSIGN_PATH))
		return authsign(mr, req, rep);
	if (!strcmp(req->path, INFO_PATH))
		return info(mr, req, rep, err);
	cf_multiroot_metrics(mr, &rep->body);
	rep->status = 200;
	rep->content_type = "text/plain; version=0.0.4; charset=utf-8";
	return 0;
}
