#include "csr.h"

#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <jansson.h>

#include "base64.h"
#include "csrparse.h"
#include "der.h"
#include "fileio.h"
#include "gojson.h"
#include "log.h"
#include "pem.h"
#include "signer.h"

static char *dup_json_string(const json_t *v)
{
	return cf_xmemdup(json_string_value(v), json_string_length(v));
}

static void warn_unknown(const char *where, const char *member)
{
	cf_warning("unknown member \"%s\" in %s ignored", member, where);
}

int cf_csr_name_decode(const json_t *obj, struct cf_name *n, const char *outer,
		       struct cf_error *err)
{
	if (json_is_null(obj))
		return 0;
	if (!json_is_object(obj))
		return cf_gojson_type_error(err, obj, outer, "names", "csr.Name");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		int r = 0;
		if (cf_gojson_key_eq(k, "C"))
			r = cf_gojson_dup_string(v, &n->c, err, "Name", "names.C");
		else if (cf_gojson_key_eq(k, "ST"))
			r = cf_gojson_dup_string(v, &n->st, err, "Name", "names.ST");
		else if (cf_gojson_key_eq(k, "L"))
			r = cf_gojson_dup_string(v, &n->l, err, "Name", "names.L");
		else if (cf_gojson_key_eq(k, "O"))
			r = cf_gojson_dup_string(v, &n->o, err, "Name", "names.O");
		else if (cf_gojson_key_eq(k, "OU"))
			r = cf_gojson_dup_string(v, &n->ou, err, "Name", "names.OU");
		else if (cf_gojson_key_eq(k, "E"))
			r = cf_gojson_dup_string(v, &n->e, err, "Name", "names.E");
		else if (cf_gojson_key_eq(k, "SerialNumber"))
			r = cf_gojson_dup_string(v, &n->serialnumber, err, "Name",
						 "names.SerialNumber");
		else if (cf_gojson_key_eq(k, "OID")) {
			if (json_is_null(v))
				continue;
			if (!json_is_object(v))
				return cf_gojson_type_error(err, v, "Name", "names.OID",
							    "map[string]string");
			const char *ok;
			json_t *ov;
			json_object_foreach(v, ok, ov) {
				if (json_is_null(ov))
					continue;
				if (!json_is_string(ov))
					return cf_gojson_type_error(err, ov, "Name", "names.OID",
								    "string");
				n->oids = cf_xrealloc(n->oids, (n->noids + 1) * sizeof *n->oids);
				n->oids[n->noids].oid = cf_xstrdup(ok);
				n->oids[n->noids].value = dup_json_string(ov);
				n->noids++;
			}
		} else
			warn_unknown("names", k);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int parse_key(const json_t *obj, struct cf_csr_request *req, struct cf_error *err)
{
	if (json_is_null(obj))
		return 0;
	if (!json_is_object(obj))
		return cf_gojson_type_error(err, obj, "CertificateRequest", "key",
					    "csr.KeyRequest");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		int r = 0;
		if (cf_gojson_key_eq(k, "algo"))
			r = cf_gojson_dup_string(v, &req->algo, err, "KeyRequest", "key.algo");
		else if (cf_gojson_key_eq(k, "size")) {
			long long sz = req->size;
			r = cf_gojson_get_int(v, &sz, err, "KeyRequest", "key.size");
			if (!json_is_null(v) && r == 0) {
				req->size = sz;
				req->size_given = 1;
			}
		} else
			warn_unknown("key", k);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int parse_ca(const json_t *obj, struct cf_csr_request *req, struct cf_error *err)
{
	if (json_is_null(obj))
		return 0;
	if (!json_is_object(obj))
		return cf_gojson_type_error(err, obj, "CertificateRequest", "ca", "csr.CAConfig");
	req->has_ca = 1;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		int r = 0;
		if (cf_gojson_key_eq(k, "pathlen"))
			r = cf_gojson_get_int(v, &req->ca_pathlen, err, "CAConfig", "ca.pathlen");
		else if (cf_gojson_key_eq(k, "pathlenzero"))
			r = cf_gojson_get_bool(v, &req->ca_pathlenzero, err, "CAConfig",
					       "ca.pathlenzero");
		else if (cf_gojson_key_eq(k, "expiry"))
			r = cf_gojson_dup_string(v, &req->ca_expiry, err, "CAConfig", "ca.expiry");
		else if (cf_gojson_key_eq(k, "backdate"))
			r = cf_gojson_dup_string(v, &req->ca_backdate, err, "CAConfig",
						 "ca.backdate");
		else
			warn_unknown("ca", k);
		if (r < 0)
			return -1;
	}
	return 0;
}

static void free_extensions(struct cf_csr_request *req)
{
	for (size_t i = 0; i < req->nextensions; i++) {
		free(req->extensions[i].oid);
		free(req->extensions[i].value);
	}
	free(req->extensions);
	req->extensions = NULL;
	req->nextensions = 0;
}

/* pkix.Extension: {"id":[1,2,3],"critical":bool,"value":"<base64>"} */
static int parse_extension(const json_t *obj, struct cf_csr_extension *x, struct cf_error *err)
{
	if (json_is_null(obj))
		return 0;
	if (!json_is_object(obj))
		return cf_gojson_type_error(err, obj, "CertificateRequest", "extensions",
					    "pkix.Extension");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		if (cf_gojson_key_eq(k, "id")) {
			if (json_is_null(v))
				continue;
			if (!json_is_array(v))
				return cf_gojson_type_error(err, v, "Extension", "extensions.id",
							    "asn1.ObjectIdentifier");
			struct cf_buf oid = CF_BUF_INIT;
			size_t i;
			json_t *arc;
			json_array_foreach(v, i, arc) {
				long long n = 0;
				if (!json_is_integer(arc)) {
					cf_buf_release(&oid);
					return cf_gojson_type_error(err, arc, "Extension",
								    "extensions.id", "int");
				}
				cf_gojson_get_int(arc, &n, err, "Extension", "extensions.id");
				cf_buf_printf(&oid, "%s%lld", i ? "." : "", n);
			}
			free(x->oid);
			x->oid = (char *)cf_buf_detach(&oid, NULL);
		} else if (cf_gojson_key_eq(k, "critical")) {
			if (cf_gojson_get_bool(v, &x->critical, err, "Extension",
					       "extensions.critical") < 0)
				return -1;
		} else if (cf_gojson_key_eq(k, "value")) {
			const char *b64 = NULL;
			size_t len = 0, bad = 0;
			if (cf_gojson_get_string(v, &b64, &len, err, "Extension",
						 "extensions.value") < 0)
				return -1;
			if (!b64)
				continue;
			struct cf_buf val = CF_BUF_INIT;
			if (cf_base64_decode((const unsigned char *)b64, len, &val, &bad) < 0) {
				cf_buf_release(&val);
				return cf_error_set(err, CF_ERR_PLAIN,
						    "illegal base64 data at input byte %zu", bad);
			}
			free(x->value);
			x->value = cf_buf_detach(&val, &x->len);
		} else {
			warn_unknown("extensions", k);
		}
	}
	return 0;
}

static int parse_extensions(const json_t *v, struct cf_csr_request *req, struct cf_error *err)
{
	free_extensions(req);
	if (json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return cf_gojson_type_error(err, v, "CertificateRequest", "extensions",
					    "[]pkix.Extension");
	size_t n = json_array_size(v);
	req->extensions = cf_xcalloc(n ? n : 1, sizeof *req->extensions);
	req->nextensions = n;
	for (size_t i = 0; i < n; i++)
		if (parse_extension(json_array_get(v, i), &req->extensions[i], err) < 0)
			return -1;
	return 0;
}

static void free_hosts_list(struct cf_csr_request *req)
{
	for (size_t i = 0; i < req->nhosts; i++)
		free(req->hosts[i]);
	free(req->hosts);
	req->hosts = NULL;
	req->nhosts = 0;
}

void cf_csr_names_free(struct cf_csr_request *req)
{
	for (size_t i = 0; i < req->nnames; i++) {
		struct cf_name *n = &req->names[i];
		free(n->c);
		free(n->st);
		free(n->l);
		free(n->o);
		free(n->ou);
		free(n->e);
		free(n->serialnumber);
		for (size_t j = 0; j < n->noids; j++) {
			free(n->oids[j].oid);
			free(n->oids[j].value);
		}
		free(n->oids);
	}
	free(req->names);
	req->names = NULL;
	req->nnames = 0;
}

static int parse_request(const json_t *root, struct cf_csr_request *req, struct cf_error *err)
{
	if (json_is_null(root))
		return 0;
	if (!json_is_object(root))
		return cf_error_set(err, CF_ERR_PLAIN,
				    "json: cannot unmarshal %s into Go value of type "
				    "csr.CertificateRequest",
				    cf_gojson_kind(root));
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)root, k, v) {
		int r = 0;
		if (cf_gojson_key_eq(k, "CN")) {
			r = cf_gojson_dup_string(v, &req->cn, err, "CertificateRequest", "CN");
			req->cn_len = json_is_string(v) ? json_string_length(v) : 0;
		} else if (cf_gojson_key_eq(k, "names")) {
			if (json_is_null(v)) {
				cf_csr_names_free(req);
				continue;
			}
			if (!json_is_array(v))
				return cf_gojson_type_error(err, v, "CertificateRequest", "names",
							    "[]csr.Name");
			cf_csr_names_free(req);
			size_t n = json_array_size(v);
			req->names = cf_xcalloc(n ? n : 1, sizeof *req->names);
			req->nnames = n;
			for (size_t i = 0; i < n; i++)
				if (cf_csr_name_decode(json_array_get(v, i), &req->names[i],
						       "CertificateRequest", err) < 0)
					return -1;
		} else if (cf_gojson_key_eq(k, "hosts")) {
			if (json_is_null(v)) {
				free_hosts_list(req);
				continue;
			}
			if (!json_is_array(v))
				return cf_gojson_type_error(err, v, "CertificateRequest", "hosts",
							    "[]string");
			free_hosts_list(req);
			size_t n = json_array_size(v);
			req->hosts = cf_xcalloc(n ? n : 1, sizeof *req->hosts);
			for (size_t i = 0; i < n; i++) {
				json_t *h = json_array_get(v, i);
				if (json_is_null(h)) {
					req->hosts[req->nhosts++] = cf_xstrdup("");
					continue;
				}
				if (!json_is_string(h))
					return cf_gojson_type_error(err, h, "CertificateRequest",
								    "hosts", "string");
				req->hosts[req->nhosts++] = dup_json_string(h);
			}
		} else if (cf_gojson_key_eq(k, "key")) {
			r = parse_key(v, req, err);
		} else if (cf_gojson_key_eq(k, "ca")) {
			r = parse_ca(v, req, err);
		} else if (cf_gojson_key_eq(k, "serialnumber")) {
			r = cf_gojson_dup_string(v, &req->serialnumber, err, "CertificateRequest",
						 "serialnumber");
		} else if (cf_gojson_key_eq(k, "delegation_enabled")) {
			r = cf_gojson_get_bool(v, &req->delegation_enabled, err,
					       "CertificateRequest", "delegation_enabled");
		} else if (cf_gojson_key_eq(k, "crl_url")) {
			r = cf_gojson_dup_string(v, &req->crl_url, err, "CertificateRequest",
						 "crl_url");
		} else if (cf_gojson_key_eq(k, "extensions")) {
			r = parse_extensions(v, req, err);
		} else {
			warn_unknown("the certificate request", k);
		}
		if (r < 0)
			return -1;
	}
	return 0;
}

const char cf_csr_lacks_hosts[] =
	"This certificate lacks a \"hosts\" field. This makes it unsuitable for\n"
	"websites. For more information see the Baseline Requirements for the Issuance and "
	"Management\n"
	"of Publicly-Trusted Certificates, v.1.1.6, from the CA/Browser Forum "
	"(https://cabforum.org);\n"
	"specifically, section 10.2.3 (\"Information Requirements\").";

int cf_csr_request_decode(const json_t *root, struct cf_csr_request *req, struct cf_error *err)
{
	memset(req, 0, sizeof *req);
	req->algo = cf_xstrdup("ecdsa");
	req->size = 256;
	if (parse_request(root, req, err) < 0)
		return -1;
	/* Deviation 5: an omitted size follows the algorithm. */
	if (!req->size_given && strcmp(req->algo, "rsa") == 0)
		req->size = 2048;
	return 0;
}

int cf_csr_request_parse(const char *data, size_t len, struct cf_csr_request *req,
			 struct cf_error *err)
{
	json_t *root = cf_gojson_parse(data, len, err);
	if (!root) {
		memset(req, 0, sizeof *req);
		req->algo = cf_xstrdup("ecdsa");
		req->size = 256;
		return -1;
	}
	int r = cf_csr_request_decode(root, req, err);
	json_decref(root);
	return r;
}

int cf_csr_request_load(const char *path, struct cf_csr_request *req, struct cf_error *err)
{
	memset(req, 0, sizeof *req);
	struct cf_buf data = CF_BUF_INIT;
	if (cf_read_file(path, &data, err) < 0)
		return -1;
	int r = cf_csr_request_parse((const char *)data.data, data.len, req, err);
	cf_buf_release(&data);
	return r;
}

void cf_csr_request_release(struct cf_csr_request *req)
{
	if (!req)
		return;
	free(req->cn);
	cf_csr_names_free(req);
	free_hosts_list(req);
	free(req->algo);
	free(req->ca_expiry);
	free(req->ca_backdate);
	free(req->serialnumber);
	free(req->crl_url);
	free_extensions(req);
	memset(req, 0, sizeof *req);
}

void cf_csr_request_set_hostname(struct cf_csr_request *req, const char *list)
{
	free_hosts_list(req);
	size_t n = 1;
	for (const char *p = list; *p; p++)
		n += *p == ',';
	req->hosts = cf_xcalloc(n, sizeof *req->hosts);
	const char *p = list;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		req->hosts[req->nhosts++] = cf_xmemdup(p, l);
		if (!c)
			break;
		p = c + 1;
	}
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Deviation 4: cfssl panics on a non-ASCII DNS name; a valid
 * internationalised name becomes its A-label form instead. */
static int idna_host(const char *name, struct cf_host *out, struct cf_error *err)
{
	char *alabel = NULL;
	int rc = idn2_to_ascii_8z(name, &alabel, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc != IDN2_OK) {
		cf_error_clear(err);
		return cf_error_set(
			err, CF_ERR_PLAIN,
			"host name \"%s\" is not a valid internationalised domain name: %s", name,
			idn2_strerror(rc));
	}
	cf_warning("host name \"%s\" converted to its IDNA form \"%s\"", name, alabel);
	memset(out, 0, sizeof *out);
	out->kind = CF_HOST_DNS;
	out->value = cf_xstrdup(alabel);
	idn2_free(alabel);
	return 0;
}

void cf_hosts_free(struct cf_host *hosts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cf_host_release(&hosts[i]);
	free(hosts);
}

int cf_csr_hosts(const struct cf_csr_request *req, struct cf_host **out, size_t *nout,
		 struct cf_error *err)
{
	struct cf_host *hosts = cf_xcalloc(req->nhosts ? req->nhosts : 1, sizeof *hosts);
	size_t n = 0, skipped = 0;
	for (size_t i = 0; i < req->nhosts; i++) {
		const char *s = req->hosts[i];
		size_t l = strlen(s);
		while (l && is_blank(*s)) {
			s++;
			l--;
		}
		while (l && is_blank(s[l - 1]))
			l--;
		if (!l) {
			skipped++;
			continue;
		}
		char *t = cf_xmemdup(s, l);
		struct cf_error cerr = {0};
		int r = cf_host_classify(t, &hosts[n], &cerr);
		if (r < 0 && hosts[n].kind == CF_HOST_DNS)
			r = idna_host(t, &hosts[n], &cerr);
		free(t);
		if (r < 0) {
			cf_error_set(err, cerr.code, "%s", cerr.msg);
			cf_hosts_free(hosts, n);
			return -1;
		}
		n++;
	}
	cf_csr_warn_empty_hosts(skipped);
	*out = hosts;
	*nout = n;
	return 0;
}

void cf_csr_warn_empty_hosts(size_t skipped)
{
	if (skipped)
		cf_warning("skipped %zu empty host name%s: an empty DNS name is not a valid "
			   "subject alternative name",
			   skipped, skipped == 1 ? "" : "s");
}

static int nonblank(const char *s)
{
	if (!s)
		return 0;
	for (; *s; s++)
		if (*s != ' ')
			return 1;
	return 0;
}

int cf_csr_request_has_subject(const struct cf_csr_request *req)
{
	if (req->cn && *req->cn)
		return 1;
	if (req->nnames == 0)
		return 0;
	for (size_t i = 0; i < req->nnames; i++) {
		const struct cf_name *n = &req->names[i];
		if (!nonblank(n->c) && !nonblank(n->st) && !nonblank(n->l) && !nonblank(n->o) &&
		    !nonblank(n->ou))
			return 0;
	}
	return 1;
}

/* One AttributeTypeAndValue. */
static int atv(struct cf_buf *out, const char *oid, const char *value, size_t len)
{
	struct cf_buf c = CF_BUF_INIT;
	if (cf_der_oid(&c, oid) < 0) {
		cf_buf_release(&c);
		return -1;
	}
	cf_der_go_string(&c, value, len);
	cf_der_wrap(out, CF_DER_SEQUENCE, &c);
	return 0;
}

/* One RDN holding every value of one attribute type, DER-sorted as a SET OF. */
static void rdn_multi(struct cf_buf *out, const char *oid, const char **vals, size_t n)
{
	if (!n)
		return;
	struct cf_buf *enc = cf_xcalloc(n, sizeof *enc);
	for (size_t i = 0; i < n; i++)
		atv(&enc[i], oid, vals[i], strlen(vals[i]));
	qsort(enc, n, sizeof *enc, cf_der_cmp);
	struct cf_buf set = CF_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		cf_buf_add(&set, enc[i].data, enc[i].len);
		cf_buf_release(&enc[i]);
	}
	free(enc);
	cf_der_wrap(out, CF_DER_SET, &set);
}

size_t cf_csr_cn_len(const struct cf_csr_request *req)
{
	return req->cn_len ? req->cn_len : strlen(req->cn);
}

static void rdn_single(struct cf_buf *out, const char *oid, const char *val)
{
	rdn_multi(out, oid, &val, 1);
}

/* Every oid-valued part must parse as an integer, as cfssl's OID parser demands. */
static int check_oid(const char *oid, struct cf_error *err)
{
	const char *p = oid;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		int ok = l > 0;
		for (size_t i = 0; i < l; i++)
			if ((p[i] < '0' || p[i] > '9') && !(i == 0 && (p[i] == '-' || p[i] == '+')))
				ok = 0;
		if (!ok)
			return cf_error_set(err, CF_ERR_CSR_BAD, "invalid OID part %.*s", (int)l,
					    p);
		if (!dot)
			return 0;
		p = dot + 1;
	}
}

/* Go's pkix.Name leaves a standard attribute out of its usual place when
 * ExtraNames (cfssl's "OID" entries) carry the same type. */
static int oid_overridden(const struct cf_csr_request *req, const char *oid)
{
	for (size_t i = 0; i < req->nnames; i++)
		for (size_t j = 0; j < req->names[i].noids; j++)
			if (!strcmp(req->names[i].oids[j].oid, oid))
				return 1;
	return 0;
}

int cf_csr_cert_subject_der(const struct cf_csr_request *req, struct cf_buf *out,
			    struct cf_error *err)
{
	struct cf_buf csr_subject = CF_BUF_INIT;
	struct cf_name_attr *attrs = NULL;
	size_t n = 0;
	int r = -1;
	if (cf_csr_subject_der(req, &csr_subject, err) == 0 &&
	    cf_csrparse_name(csr_subject.data, csr_subject.len, &attrs, &n, err) == 0)
		r = cf_name_der(attrs, n, out, err);
	cf_name_attrs_free(attrs, n);
	cf_buf_release(&csr_subject);
	return r;
}

const struct cf_name_part cf_name_parts[CF_NAME_PARTS] = {
	{"2.5.4.6", offsetof(struct cf_name, c)},   {"2.5.4.8", offsetof(struct cf_name, st)},
	{"2.5.4.7", offsetof(struct cf_name, l)},   {"2.5.4.10", offsetof(struct cf_name, o)},
	{"2.5.4.11", offsetof(struct cf_name, ou)},
};

int cf_csr_subject_der(const struct cf_csr_request *req, struct cf_buf *out, struct cf_error *err)
{
	struct cf_buf seq = CF_BUF_INIT;
	const char **vals = cf_xcalloc(req->nnames ? req->nnames : 1, sizeof *vals);
	for (size_t t = 0; t < CF_NAME_PARTS; t++) {
		if (oid_overridden(req, cf_name_parts[t].oid))
			continue;
		size_t n = 0;
		for (size_t i = 0; i < req->nnames; i++) {
			const char *v = *(char *const *)((const char *)&req->names[i] +
							 cf_name_parts[t].off);
			if (v && *v)
				vals[n++] = v;
		}
		rdn_multi(&seq, cf_name_parts[t].oid, vals, n);
	}
	free(vals);
	if (req->cn && *req->cn && !oid_overridden(req, "2.5.4.3")) {
		/* the CN's own length: a NUL in it is kept, as Go keeps it */
		struct cf_buf one = CF_BUF_INIT;
		atv(&one, "2.5.4.3", req->cn, cf_csr_cn_len(req));
		cf_der_wrap(&seq, CF_DER_SET, &one);
	}
	if (req->serialnumber && *req->serialnumber && !oid_overridden(req, "2.5.4.5"))
		rdn_single(&seq, "2.5.4.5", req->serialnumber);
	for (size_t i = 0; i < req->nnames; i++) {
		const struct cf_name *n = &req->names[i];
		for (size_t j = 0; j < n->noids; j++) {
			struct cf_buf probe = CF_BUF_INIT;
			int bad = check_oid(n->oids[j].oid, err) < 0 ||
				  cf_der_oid(&probe, n->oids[j].oid) < 0;
			cf_buf_release(&probe);
			if (bad) {
				cf_error_set(err, CF_ERR_CSR_BAD, "invalid OID %s", n->oids[j].oid);
				cf_buf_release(&seq);
				return -1;
			}
			rdn_single(&seq, n->oids[j].oid, n->oids[j].value);
		}
		if (n->e && *n->e)
			rdn_single(&seq, "1.2.840.113549.1.9.1", n->e);
	}
	cf_der_wrap(out, CF_DER_SEQUENCE, &seq);
	return 0;
}

size_t cf_san_der(const struct cf_host *hosts, size_t n, int ca_only_ip, struct cf_buf *out)
{
	static const struct {
		enum cf_host_kind kind;
		unsigned tag;
	} order[] = {{CF_HOST_DNS, 0x82},
		     {CF_HOST_EMAIL, 0x81},
		     {CF_HOST_IP, 0x87},
		     {CF_HOST_URI, 0x86}};
	struct cf_buf c = CF_BUF_INIT;
	size_t count = 0;
	for (size_t k = 0; k < 4; k++) {
		if (ca_only_ip && order[k].kind != CF_HOST_IP)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (hosts[i].kind != order[k].kind)
				continue;
			if (hosts[i].kind == CF_HOST_IP)
				cf_der_tlv(&c, order[k].tag, hosts[i].ip, (size_t)hosts[i].iplen);
			else
				cf_der_tlv(&c, order[k].tag, hosts[i].value,
					   cf_host_len(&hosts[i]));
			count++;
		}
	}
	if (count)
		cf_der_wrap(out, CF_DER_SEQUENCE, &c);
	else
		cf_buf_release(&c);
	return count;
}

void cf_extension_der(struct cf_buf *out, const char *oid, int critical, const unsigned char *value,
		      size_t len)
{
	struct cf_buf c = CF_BUF_INIT;
	cf_der_oid(&c, oid);
	if (critical)
		cf_der_bool(&c, 1);
	cf_der_tlv(&c, CF_DER_OCTET_STRING, value, len);
	cf_der_wrap(out, CF_DER_SEQUENCE, &c);
}

void cf_basic_constraints_der(struct cf_buf *out, int is_ca, long long pathlen)
{
	struct cf_buf c = CF_BUF_INIT;
	if (is_ca)
		cf_der_bool(&c, 1);
	if (pathlen != -1)
		cf_der_int(&c, pathlen);
	cf_der_wrap(out, CF_DER_SEQUENCE, &c);
}

static int user_extensions(const struct cf_csr_request *req, struct cf_buf *out,
			   struct cf_error *err)
{
	for (size_t i = 0; i < req->nextensions; i++) {
		const struct cf_csr_extension *x = &req->extensions[i];
		struct cf_buf probe = CF_BUF_INIT;
		int ok = x->oid && cf_der_oid(&probe, x->oid) == 0;
		cf_buf_release(&probe);
		if (!ok)
			return cf_error_set(err, CF_ERR_CSR_BAD, "invalid extension OID %s",
					    x->oid ? x->oid : "(none)");
		cf_extension_der(out, x->oid, x->critical, x->value, x->len);
	}
	return 0;
}

void cf_csr_copied_extensions(const struct cf_csr_request *req, const struct cf_host *hosts,
			      size_t nhosts, int copy_all, struct cf_buf *out)
{
	static const unsigned char null_der[] = {0x05, 0x00};
	if (copy_all) {
		struct cf_buf san = CF_BUF_INIT;
		if (cf_san_der(hosts, nhosts, 0, &san))
			cf_extension_der(out, "2.5.29.17", 0, san.data, san.len);
		cf_buf_release(&san);
	}
	if (req->delegation_enabled)
		cf_extension_der(out, "1.3.6.1.4.1.44363.44", 0, null_der, sizeof null_der);
	if (copy_all) {
		struct cf_csr_request user = *req;
		struct cf_csr_extension *kept =
			cf_xcalloc(req->nextensions ? req->nextensions : 1, sizeof *kept);
		size_t n = 0;
		for (size_t i = 0; i < req->nextensions; i++) {
			if (req->extensions[i].oid && cf_ext_ca_managed(req->extensions[i].oid))
				cf_warning("extension %s of the request not copied: the CA sets it",
					   req->extensions[i].oid);
			else
				kept[n++] = req->extensions[i];
		}
		user.extensions = kept;
		user.nextensions = n;
		struct cf_error ignored = {0};
		user_extensions(&user, out, &ignored);
		free(kept);
	}
}

int cf_csr_generate(const struct cf_csr_request *req, const struct cf_host *hosts, size_t nhosts,
		    const struct cf_key *key, struct cf_buf *pem, struct cf_error *err)
{
	int ret = -1;
	struct cf_buf info = CF_BUF_INIT, exts = CF_BUF_INIT, tmp = CF_BUF_INIT;
	struct cf_buf der = CF_BUF_INIT, sig = CF_BUF_INIT;

	cf_der_int(&info, 0);
	if (cf_csr_subject_der(req, &info, err) < 0)
		goto out;
	if (cf_key_spki(key, &info, err) < 0)
		goto out;

	if (cf_san_der(hosts, nhosts, 0, &tmp)) {
		cf_extension_der(&exts, "2.5.29.17", 0, tmp.data, tmp.len);
		cf_buf_release(&tmp);
	}
	/* cfssl's quirk (§5.7): with delegation enabled the CA request's
	 * basicConstraints is lost from the CSR. */
	if (req->has_ca && !req->delegation_enabled) {
		long long pathlen = req->ca_pathlen;
		if (pathlen == 0 && !req->ca_pathlenzero)
			pathlen = -1;
		cf_basic_constraints_der(&tmp, 1, pathlen);
		cf_extension_der(&exts, "2.5.29.19", 1, tmp.data, tmp.len);
		cf_buf_release(&tmp);
	}
	if (req->delegation_enabled) {
		static const unsigned char null_der[] = {0x05, 0x00};
		cf_extension_der(&exts, "1.3.6.1.4.1.44363.44", 0, null_der, sizeof null_der);
	}
	if (user_extensions(req, &exts, err) < 0)
		goto out;
	struct cf_buf attrs = CF_BUF_INIT;
	if (exts.len) {
		struct cf_buf attr = CF_BUF_INIT, set = CF_BUF_INIT;
		cf_der_oid(&attr, "1.2.840.113549.1.9.14");
		cf_der_wrap(&set, CF_DER_SEQUENCE, &exts);
		cf_der_wrap(&attr, CF_DER_SET, &set);
		cf_der_wrap(&attrs, CF_DER_SEQUENCE, &attr);
	}
	cf_der_wrap(&info, 0xa0, &attrs);
	cf_der_wrap(&tmp, CF_DER_SEQUENCE, &info);

	if (cf_key_sign(key, tmp.data, tmp.len, &sig, err) < 0)
		goto out;
	struct cf_buf body = CF_BUF_INIT;
	cf_buf_add(&body, tmp.data, tmp.len);
	cf_key_sig_algid(key, &body);
	cf_der_bit_string(&body, sig.data, sig.len, 0);
	cf_der_wrap(&der, CF_DER_SEQUENCE, &body);
	cf_pem_encode(pem, "CERTIFICATE REQUEST", der.data, der.len);
	ret = 0;
out:
	cf_buf_release(&info);
	cf_buf_release(&exts);
	cf_buf_release(&tmp);
	cf_buf_release(&der);
	cf_buf_release(&sig);
	return ret;
}
