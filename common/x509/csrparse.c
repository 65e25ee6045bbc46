#include "csrparse.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>

#include "der.h"
#include "keygen.h"
#include "gojson.h"
#include "log.h"
#include "pem.h"
#include "signer.h"

#define OID_SAN         "2.5.29.17"
#define OID_BC          "2.5.29.19"
#define OID_DELEGATION  "1.3.6.1.4.1.44363.44"
#define OID_EXT_REQUEST "1.2.840.113549.1.9.14"
#define OID_CN          "2.5.4.3"
#define OID_SERIAL      "2.5.4.5"

static const char parse_failed[] = "CSR Parsing failed";

/* ---- small DER helpers ---- */

static int next_tag(struct cf_der_reader *r, struct cf_der_tlv *t, unsigned tag)
{
	return cf_der_next(r, t) == 1 && t->tag == tag ? 0 : -1;
}

/* ".<decimal>" (one OID arc); called for every arc of every name, so no printf */
static void add_arc(struct cf_buf *out, unsigned long long v)
{
	char d[24];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	cf_buf_addc(out, '.');
	while (n)
		cf_buf_addc(out, (unsigned char)d[--n]);
}

/* Dotted text of OBJECT IDENTIFIER contents, as Go's parseObjectIdentifier
 * reads them (minimal base-128 arcs that fit 31 bits). */
static int oid_text(const unsigned char *p, size_t n, struct cf_buf *out)
{
	if (n == 0)
		return -1;
	int first = 1;
	size_t i = 0;
	while (i < n) {
		unsigned long long v = 0;
		int nb = 0;
		if (p[i] == 0x80)
			return -1; /* not minimal */
		for (;;) {
			if (i >= n || nb == 5)
				return -1;
			v = (v << 7) | (p[i] & 0x7f);
			nb++;
			if (!(p[i++] & 0x80))
				break;
		}
		if (v > 0x7fffffffULL)
			return -1;
		if (first) {
			unsigned long long a = v < 80 ? v / 40 : 2, b = v < 80 ? v % 40 : v - 80;
			cf_buf_addc(out, (unsigned char)('0' + a));
			add_arc(out, b);
			first = 0;
		} else {
			add_arc(out, v);
		}
	}
	return 0;
}

/* ---- names ---- */

void cf_name_attrs_free(struct cf_name_attr *attrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(attrs[i].oid);
		free(attrs[i].value);
	}
	free(attrs);
}

static struct cf_name_attr *attrs_grow(struct cf_name_attr **attrs, size_t *n)
{
	*attrs = cf_xrealloc(*attrs, (*n + 1) * sizeof **attrs);
	struct cf_name_attr *a = &(*attrs)[(*n)++];
	memset(a, 0, sizeof *a);
	return a;
}

void cf_name_attrs_add(struct cf_name_attr **attrs, size_t *n, const char *oid, const char *value)
{
	struct cf_name_attr *a = attrs_grow(attrs, n);
	a->oid = cf_xstrdup(oid);
	a->len = strlen(value);
	a->value = (unsigned char *)cf_xmemdup(value, a->len);
	a->is_string = 1;
}

int cf_csrparse_name(const unsigned char *der, size_t len, struct cf_name_attr **out, size_t *nout,
		     struct cf_error *err)
{
	struct cf_name_attr *attrs = NULL;
	size_t n = 0;
	struct cf_der_reader top = {der, len}, rdns;
	struct cf_der_tlv name, set, atv, oid, val;
	if (next_tag(&top, &name, CF_DER_SEQUENCE) < 0 || top.len)
		goto bad;
	rdns = (struct cf_der_reader){name.content, name.len};
	int r;
	while ((r = cf_der_next(&rdns, &set)) == 1) {
		if (set.tag != CF_DER_SET)
			goto bad;
		struct cf_der_reader members = {set.content, set.len};
		int m;
		while ((m = cf_der_next(&members, &atv)) == 1) {
			if (atv.tag != CF_DER_SEQUENCE)
				goto bad;
			struct cf_der_reader f = {atv.content, atv.len};
			if (next_tag(&f, &oid, CF_DER_OID) < 0 || cf_der_next(&f, &val) != 1)
				goto bad;
			struct cf_buf text = CF_BUF_INIT, v = CF_BUF_INIT;
			if (oid_text(oid.content, oid.len, &text) < 0) {
				cf_buf_release(&text);
				goto bad;
			}
			int s = cf_der_string_utf8(&val, &v);
			if (s < 0) {
				cf_buf_release(&text);
				cf_buf_release(&v);
				goto bad;
			}
			struct cf_name_attr *a = attrs_grow(&attrs, &n);
			a->oid = (char *)cf_buf_detach(&text, NULL);
			a->is_string = s;
			if (!s)
				cf_buf_add(&v, val.raw, val.rawlen);
			cf_buf_add(&v, "", 0); /* a NUL-terminated value even when empty */
			a->value = cf_buf_detach(&v, &a->len);
		}
		if (m < 0)
			goto bad;
	}
	if (r < 0)
		goto bad;
	*out = attrs;
	*nout = n;
	return 0;
bad:
	cf_name_attrs_free(attrs, n);
	*out = NULL;
	*nout = 0;
	return cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
}

const char *cf_name_attrs_last_len(const struct cf_name_attr *attrs, size_t n, const char *oid,
				   size_t *len)
{
	const char *v = NULL;
	*len = 0;
	for (size_t i = 0; i < n; i++)
		if (attrs[i].is_string && strcmp(attrs[i].oid, oid) == 0) {
			v = (const char *)attrs[i].value;
			*len = attrs[i].len;
		}
	return v;
}

const char *cf_name_attrs_last(const struct cf_name_attr *attrs, size_t n, const char *oid)
{
	size_t len;
	return cf_name_attrs_last_len(attrs, n, oid, &len);
}

/* Go's isCommonAttr: the types pkix.Name keeps in its own fields. */
static int is_common(const char *oid)
{
	static const char *const common[] = {"2.5.4.3",  "2.5.4.5",  "2.5.4.6",
					     "2.5.4.7",  "2.5.4.8",  "2.5.4.9",
					     "2.5.4.10", "2.5.4.11", "2.5.4.17"};
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
		if (strcmp(oid, common[i]) == 0)
			return 1;
	return 0;
}

static int atv_der(struct cf_buf *out, const char *oid, const struct cf_name_attr *a,
		   struct cf_error *err)
{
	struct cf_buf c = CF_BUF_INIT;
	if (cf_der_oid(&c, oid) < 0) {
		cf_buf_release(&c);
		return cf_error_set(err, CF_ERR_CERT_UNKNOWN, "asn1: invalid object identifier");
	}
	if (a->is_string) {
		if (!cf_utf8_valid(a->value, a->len)) {
			cf_buf_release(&c);
			return cf_error_set(err, CF_ERR_CERT_UNKNOWN,
					    "asn1: string not valid UTF-8");
		}
		cf_der_go_string(&c, (const char *)a->value, a->len);
	} else {
		cf_buf_add(&c, a->value, a->len);
	}
	cf_der_wrap(out, CF_DER_SEQUENCE, &c);
	return 0;
}

int cf_name_der(const struct cf_name_attr *attrs, size_t n, struct cf_buf *out,
		struct cf_error *err)
{
	/* pkix.Name.ToRDNSequence's order of the multi-valued types */
	static const char *const multi[] = {"2.5.4.6",  "2.5.4.8",  "2.5.4.7", "2.5.4.9",
					    "2.5.4.17", "2.5.4.10", "2.5.4.11"};
	struct cf_buf seq = CF_BUF_INIT;
	struct cf_buf *enc = cf_xcalloc(n ? n : 1, sizeof *enc);
	int ret = -1;
	for (size_t t = 0; t < sizeof multi / sizeof multi[0]; t++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (!attrs[i].is_string || strcmp(attrs[i].oid, multi[t]) != 0)
				continue;
			if (atv_der(&enc[k++], multi[t], &attrs[i], err) < 0)
				goto out;
		}
		if (!k)
			continue;
		/* a SET OF is DER-sorted by the encodings of its members */
		qsort(enc, k, sizeof *enc, cf_der_cmp);
		struct cf_buf set = CF_BUF_INIT;
		for (size_t i = 0; i < k; i++) {
			cf_buf_add(&set, enc[i].data, enc[i].len);
			cf_buf_release(&enc[i]);
		}
		cf_der_wrap(&seq, CF_DER_SET, &set);
	}
	static const char *const single[] = {OID_CN, OID_SERIAL};
	for (size_t t = 0; t < 2; t++) {
		const struct cf_name_attr *last = NULL;
		for (size_t i = 0; i < n; i++)
			if (attrs[i].is_string && strcmp(attrs[i].oid, single[t]) == 0)
				last = &attrs[i];
		if (!last || !last->len)
			continue;
		struct cf_buf a = CF_BUF_INIT;
		if (atv_der(&a, single[t], last, err) < 0)
			goto out;
		cf_der_wrap(&seq, CF_DER_SET, &a);
	}
	for (size_t i = 0; i < n; i++) {
		if (is_common(attrs[i].oid))
			continue;
		struct cf_buf a = CF_BUF_INIT;
		if (atv_der(&a, attrs[i].oid, &attrs[i], err) < 0)
			goto out;
		cf_der_wrap(&seq, CF_DER_SET, &a);
	}
	cf_der_wrap(out, CF_DER_SEQUENCE, &seq);
	ret = 0;
out:
	for (size_t i = 0; i < n; i++)
		cf_buf_release(&enc[i]);
	free(enc);
	cf_buf_release(&seq);
	return ret;
}

/* ---- subject alternative names ---- */

static void hosts_add(struct cf_host **hosts, size_t *n, enum cf_host_kind kind,
		      const unsigned char *p, size_t len)
{
	*hosts = cf_xgrow(*hosts, *n, sizeof **hosts);
	struct cf_host *h = &(*hosts)[(*n)++];
	memset(h, 0, sizeof *h);
	h->kind = kind;
	if (kind != CF_HOST_IP) {
		h->value = cf_xmemdup(p, len);
		h->len = len;
		return;
	}
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	/* Go marshals an IPv4-mapped address in its 4-byte form */
	if (len == 16 && memcmp(p, mapped, 12) == 0) {
		p += 12;
		len = 4;
	}
	memcpy(h->ip, p, len);
	h->iplen = (int)len;
	char text[INET6_ADDRSTRLEN];
	inet_ntop(len == 4 ? AF_INET : AF_INET6, h->ip, text, sizeof text);
	h->value = cf_xstrdup(text);
}

/* GeneralNames as Go 1.19's parseSANExtension reads them; other name forms
 * are skipped. */
static int parse_san(const unsigned char *p, size_t len, struct cf_host **hosts, size_t *n,
		     struct cf_error *err)
{
	struct cf_der_reader top = {p, len}, r;
	struct cf_der_tlv seq, gn;
	if (next_tag(&top, &seq, CF_DER_SEQUENCE) < 0)
		return cf_error_set(err, CF_ERR_CSR_PARSE,
				    "x509: invalid subject alternative names");
	r = (struct cf_der_reader){seq.content, seq.len};
	int rc;
	while ((rc = cf_der_next(&r, &gn)) == 1) {
		const char *what = NULL;
		enum cf_host_kind kind;
		switch (gn.tag) {
		case 0x81: what = "rfc822Name", kind = CF_HOST_EMAIL; break;
		case 0x82: what = "dNSName", kind = CF_HOST_DNS; break;
		case 0x86: what = "uniformResourceIdentifier", kind = CF_HOST_URI; break;
		case 0x87:
			if (gn.len != 4 && gn.len != 16)
				return cf_error_set(err, CF_ERR_CSR_PARSE,
						    "x509: cannot parse IP address of length %zu",
						    gn.len);
			hosts_add(hosts, n, CF_HOST_IP, gn.content, gn.len);
			continue;
		default: continue;
		}
		for (size_t i = 0; i < gn.len; i++)
			if (gn.content[i] >= 0x80)
				return cf_error_set(err, CF_ERR_CSR_PARSE,
						    "x509: SAN %s is malformed", what);
		hosts_add(hosts, n, kind, gn.content, gn.len);
	}
	if (rc < 0)
		return cf_error_set(err, CF_ERR_CSR_PARSE,
				    "x509: invalid subject alternative names");
	return 0;
}

/* ---- requests ---- */

void cf_csrparse_release(struct cf_csr_info *info)
{
	if (!info)
		return;
	cf_name_attrs_free(info->attrs, info->nattrs);
	cf_buf_release(&info->spki);
	cf_buf_release(&info->copy_all);
	cf_buf_release(&info->copy_delegation);
	cf_hosts_free(info->hosts, info->nhosts);
	memset(info, 0, sizeof *info);
}

struct raw_ext {
	const unsigned char *value;
	size_t len;
};

/* One pkix.Extension {Id, Critical optional, Value}: its OID (dotted into
 * @text) and value. -1 when malformed. */
static int ext_fields(const struct cf_der_tlv *ext, struct cf_der_tlv *oid, struct cf_der_tlv *val,
		      struct cf_buf *text)
{
	struct cf_der_reader x = {ext->content, ext->len};
	if (ext->tag != CF_DER_SEQUENCE || next_tag(&x, oid, CF_DER_OID) < 0 ||
	    cf_der_next(&x, val) != 1)
		return -1;
	if (val->tag == CF_DER_BOOLEAN && cf_der_next(&x, val) != 1)
		return -1;
	if (val->tag != CF_DER_OCTET_STRING || x.len || oid_text(oid->content, oid->len, text) < 0)
		return -1;
	return 0;
}

/* The Extensions list of an attribute that is an extensionRequest; 0 when
 * @attr is another attribute or does not parse (Go ignores those). */
static int ext_request_list(const struct cf_der_tlv *attr, struct cf_der_tlv *exts)
{
	struct cf_der_reader a = {attr->content, attr->len};
	struct cf_der_tlv oid, set;
	struct cf_buf text = CF_BUF_INIT;
	int is_req = attr->tag == CF_DER_SEQUENCE && next_tag(&a, &oid, CF_DER_OID) == 0 &&
		     next_tag(&a, &set, CF_DER_SET) == 0 && !a.len && set.len &&
		     oid_text(oid.content, oid.len, &text) == 0 &&
		     strcmp((const char *)text.data, OID_EXT_REQUEST) == 0;
	cf_buf_release(&text);
	if (!is_req)
		return 0;
	struct cf_der_reader s = {set.content, set.len};
	if (cf_der_next(&s, exts) != 1)
		return -1;
	return 1;
}

/* A requested extension's OID, the extensionRequest attribute it came in
 * and its position, for finding duplicates by sorting. */
struct ext_id {
	const unsigned char *oid;
	size_t len, attr, pos;
};

static int ext_id_cmp(const void *a, const void *b)
{
	const struct ext_id *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	int c = memcmp(x->oid, y->oid, x->len);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Go's parseCSRExtensions reads each extensionRequest attribute's list whole,
 * then refuses an extension OID seen before. The first failure in that order:
 * 1 for a duplicate, -1 for a malformed list, 0 for none. Sorting keeps a
 * request with many extensions from costing quadratic time. */
static int ext_requests_check(const struct cf_der_tlv *attrs)
{
	struct cf_der_reader r = {attrs->content, attrs->len};
	struct cf_der_tlv attr, exts, ext, oid, f;
	struct ext_id *ids = NULL;
	size_t n = 0, cap = 0, nattr = 0;
	size_t malformed = (size_t)-1; /* the first attribute whose list does not parse */
	while (malformed == (size_t)-1 && cf_der_next(&r, &attr) == 1) {
		int k = ext_request_list(&attr, &exts);
		if (k == 0)
			continue;
		if (k < 0 || exts.tag != CF_DER_SEQUENCE) {
			malformed = nattr;
			break;
		}
		struct cf_der_reader e = {exts.content, exts.len};
		size_t first = n;
		int erc;
		while ((erc = cf_der_next(&e, &ext)) == 1) {
			struct cf_buf text = CF_BUF_INIT;
			int bad = ext_fields(&ext, &oid, &f, &text);
			cf_buf_release(&text);
			if (bad)
				break;
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				ids = cf_xrealloc(ids, cap * sizeof *ids);
			}
			ids[n] = (struct ext_id){oid.content, oid.len, nattr, n};
			n++;
		}
		if (erc != 0) {
			n = first; /* Go reads none of a list that does not parse */
			malformed = nattr;
		}
		nattr++;
	}
	/* the earliest attribute in which a duplicate shows */
	size_t dup = (size_t)-1;
	if (n > 1) {
		qsort(ids, n, sizeof *ids, ext_id_cmp);
		for (size_t i = 1; i < n; i++)
			if (ids[i].len == ids[i - 1].len &&
			    memcmp(ids[i].oid, ids[i - 1].oid, ids[i].len) == 0 &&
			    ids[i].attr < dup)
				dup = ids[i].attr;
	}
	free(ids);
	if (dup != (size_t)-1 && dup < malformed)
		return 1;
	return malformed != (size_t)-1 ? -1 : 0;
}

/* Walks the extensionRequest attributes: duplicates and malformed lists
 * refused first as Go does, then the SAN is decoded, the basicConstraints
 * value kept for later (cfssl checks it after the signature), the others
 * kept raw for copying. */
static int parse_attributes(const struct cf_der_tlv *attrs, struct cf_csr_info *info,
			    struct raw_ext *bc, struct cf_error *err)
{
	/* Go reads the attribute list itself before any attribute */
	struct cf_der_reader r = {attrs->content, attrs->len};
	struct cf_der_tlv attr, exts, ext, oid, f;
	int rc;
	while ((rc = cf_der_next(&r, &attr)) == 1)
		;
	if (rc < 0)
		return cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
	int c = ext_requests_check(attrs);
	if (c > 0)
		return cf_error_set(err, CF_ERR_CSR_PARSE,
				    "x509: certificate request contains duplicate requested "
				    "extensions");
	if (c < 0)
		return cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
	struct raw_ext san = {NULL, 0};
	r = (struct cf_der_reader){attrs->content, attrs->len};
	while (cf_der_next(&r, &attr) == 1) {
		if (ext_request_list(&attr, &exts) != 1)
			continue;
		struct cf_der_reader e = {exts.content, exts.len};
		while (cf_der_next(&e, &ext) == 1) {
			struct cf_buf text = CF_BUF_INIT;
			ext_fields(&ext, &oid, &f, &text);
			const char *id = (const char *)text.data;
			if (strcmp(id, OID_SAN) == 0) {
				san.value = f.content;
				san.len = f.len;
			} else if (strcmp(id, OID_BC) == 0) {
				bc->value = f.content;
				bc->len = f.len;
			} else if (strcmp(id, OID_DELEGATION) == 0) {
				info->delegation = 1;
				cf_buf_add(&info->copy_delegation, ext.raw, ext.rawlen);
			}
			if (!cf_ext_ca_managed(id))
				cf_buf_add(&info->copy_all, ext.raw, ext.rawlen);
			else if (strcmp(id, OID_BC) != 0)
				info->withheld++;
			cf_buf_release(&text);
		}
	}
	/* at most one SAN now; Go decodes it after reading every extension */
	if (san.value && parse_san(san.value, san.len, &info->hosts, &info->nhosts, err) < 0)
		return -1;
	return 0;
}

/* csr.BasicConstraints{IsCA bool optional; MaxPathLen int optional default:-1} */
static int parse_bc(const struct raw_ext *bc, struct cf_csr_info *info, struct cf_error *err)
{
	struct cf_der_reader top = {bc->value, bc->len}, r;
	struct cf_der_tlv seq, f;
	if (next_tag(&top, &seq, CF_DER_SEQUENCE) < 0)
		return cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
	if (top.len)
		return cf_error_set(err, CF_ERR_CSR_PARSE,
				    "x509: trailing data after X.509 BasicConstraints");
	info->has_bc = 1;
	info->is_ca = 0;
	info->pathlen = -1;
	r = (struct cf_der_reader){seq.content, seq.len};
	int rc = cf_der_next(&r, &f);
	if (rc == 1 && f.tag == CF_DER_BOOLEAN) {
		if (f.len != 1 || (f.content[0] != 0 && f.content[0] != 0xff))
			return cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
		info->is_ca = f.content[0] == 0xff;
		rc = cf_der_next(&r, &f);
	}
	if (rc == 1 && f.tag == CF_DER_INTEGER) {
		if (f.len == 0 || f.len > 8 ||
		    (f.len > 1 && ((f.content[0] == 0 && !(f.content[1] & 0x80)) ||
				   (f.content[0] == 0xff && (f.content[1] & 0x80)))))
			return cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
		unsigned long long u = f.content[0] & 0x80 ? ~0ULL : 0;
		for (size_t i = 0; i < f.len; i++)
			u = (u << 8) | f.content[i];
		info->pathlen = (long long)u;
	} else if (rc < 0) {
		return cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
	}
	return 0;
}

static int verify_error(gnutls_x509_crq_t crq, struct cf_error *err)
{
	char oid[128];
	size_t oid_size = sizeof oid;
	/* Go refuses MD5 before it looks at the key or the signature */
	if (gnutls_x509_crq_get_signature_oid(crq, oid, &oid_size) == 0 &&
	    strcmp(oid, "1.2.840.113549.1.1.4") == 0)
		return cf_error_set(err, CF_ERR_CSR_BAD,
				    "x509: cannot verify signature: insecure algorithm MD5-RSA");
	unsigned bits = 0;
	switch (gnutls_x509_crq_get_pk_algorithm(crq, &bits)) {
	case GNUTLS_PK_RSA:
		return cf_error_set(err, CF_ERR_CSR_BAD, "crypto/rsa: verification error");
	case GNUTLS_PK_ECDSA:
		return cf_error_set(err, CF_ERR_CSR_BAD, "x509: ECDSA verification failure");
	case GNUTLS_PK_EDDSA_ED25519:
		return cf_error_set(err, CF_ERR_CSR_BAD, "x509: Ed25519 verification failure");
	default:
		return cf_error_set(err, CF_ERR_CSR_BAD,
				    "x509: cannot verify signature: algorithm unimplemented");
	}
}

/* The signature algorithms of the fast path, with the parameters Go and GnuTLS both expect:
 * none for ECDSA and Ed25519, NULL for RSA PKCS#1 v1.5. */
static gnutls_sign_algorithm_t fast_sign_algorithm(const struct cf_der_tlv *algid)
{
	struct cf_der_reader r = {algid->content, algid->len};
	struct cf_der_tlv oid, param;
	if (next_tag(&r, &oid, CF_DER_OID) < 0)
		return GNUTLS_SIGN_UNKNOWN;
	int has_null = 0;
	if (r.len) {
		if (next_tag(&r, &param, 0x05) < 0 || param.len || r.len)
			return GNUTLS_SIGN_UNKNOWN;
		has_null = 1;
	}
	struct cf_buf text = CF_BUF_INIT;
	gnutls_sign_algorithm_t a = GNUTLS_SIGN_UNKNOWN;
	if (oid_text(oid.content, oid.len, &text) == 0)
		a = gnutls_oid_to_sign((const char *)text.data);
	cf_buf_release(&text);
	switch (gnutls_sign_get_pk_algorithm(a)) {
	case GNUTLS_PK_RSA: return has_null ? a : GNUTLS_SIGN_UNKNOWN;
	case GNUTLS_PK_ECDSA:
	case GNUTLS_PK_EDDSA_ED25519: return has_null ? GNUTLS_SIGN_UNKNOWN : a;
	default: return GNUTLS_SIGN_UNKNOWN;
	}
}

/* Verifies the request's self-signature with GnuTLS from the parts read by our own DER reader,
 * and sets info->spki. 0 when it verified; -1 when this path does not apply or anything failed,
 * and the caller takes the full path through GnuTLS's PKCS#10 parser, which then gives the
 * error. */
static int fast_verify(const struct cf_der_tlv *tbs, const struct cf_der_tlv *spki,
		       const struct cf_der_tlv *algid, const struct cf_der_tlv *sig,
		       struct cf_buf *spki_out)
{
	gnutls_sign_algorithm_t algo = fast_sign_algorithm(algid);
	if (algo == GNUTLS_SIGN_UNKNOWN || sig->len < 1 || sig->content[0] != 0 ||
	    sig->len > 0xffffffffu || tbs->rawlen > 0xffffffffu || spki->rawlen > 0xffffffffu)
		return -1;
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t key = {(unsigned char *)spki->raw, (unsigned)spki->rawlen};
	gnutls_datum_t data = {(unsigned char *)tbs->raw, (unsigned)tbs->rawlen};
	gnutls_datum_t signature = {(unsigned char *)sig->content + 1, (unsigned)sig->len - 1};
	int ret = -1;
	int curve;
	const unsigned char *px, *py;
	size_t coord;
	int canonical =
		cf_spki_canonical_point(spki->raw, spki->rawlen, &curve, &px, &py, &coord) == 0;
	if (gnutls_pubkey_init(&pub) < 0)
		goto out;
	if (canonical) {
		/* the point as it is (Nettle checks that it is on the curve when it verifies),
		 * without GnuTLS's ASN.1 decoder */
		gnutls_datum_t x = {(unsigned char *)px, (unsigned)coord};
		gnutls_datum_t y = {(unsigned char *)py, py ? (unsigned)coord : 0};
		if (gnutls_pubkey_import_ecc_raw(pub, (gnutls_ecc_curve_t)curve, &x,
						 py ? &y : NULL) < 0)
			goto out;
	} else if (gnutls_pubkey_import(pub, &key, GNUTLS_X509_FMT_DER) < 0) {
		goto out;
	}
	/* Go accepts SHA-1 signatures on requests */
	if (gnutls_pubkey_verify_data2(pub, algo, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &data,
				       &signature) < 0)
		goto out;
	if (canonical) {
		cf_buf_add(spki_out, spki->raw, spki->rawlen);
	} else {
		gnutls_datum_t exp = {NULL, 0};
		if (gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &exp) < 0)
			goto out;
		cf_buf_add(spki_out, exp.data, exp.size);
		gnutls_free(exp.data);
	}
	ret = 0;
out:
	if (pub)
		gnutls_pubkey_deinit(pub);
	return ret;
}

/* Go's asn1.Unmarshal of a certificateRequest, as far as the outer SEQUENCE:
 * the error text it gives for @der (tag and length as parseTagAndLength reads
 * them, then the tag, then the length against the data), or NULL when the
 * outer element is sound; *@outer_len is then its full length (less than
 * @len: trailing data). @buf holds a formatted message. */
static const char *go_outer_error(const unsigned char *der, size_t len, size_t *outer_len,
				  char *buf, size_t cap)
{
	if (len == 0)
		return "asn1: syntax error: sequence truncated";
	size_t off = 1;
	unsigned cls = der[0] >> 6, compound = (der[0] & 0x20) != 0;
	long long tag = der[0] & 0x1f;
	if (tag == 0x1f) {
		long long v = 0;
		int shifted = 0;
		for (;; shifted++) {
			if (off >= len)
				return "asn1: syntax error: truncated base 128 integer";
			if (shifted == 5)
				return "asn1: structure error: base 128 integer too large";
			unsigned char b = der[off];
			if (shifted == 0 && b == 0x80)
				return "asn1: syntax error: integer is not minimally encoded";
			v = (v << 7) | (b & 0x7f);
			off++;
			if (!(b & 0x80))
				break;
		}
		if (v > 0x7fffffff)
			return "asn1: structure error: base 128 integer too large";
		if (v < 0x1f)
			return "asn1: syntax error: non-minimal tag";
		tag = v;
	}
	if (off >= len)
		return "asn1: syntax error: truncated tag or length";
	unsigned char b = der[off++];
	size_t length = b & 0x7f;
	if (b & 0x80) {
		int nb = b & 0x7f;
		if (nb == 0)
			return "asn1: syntax error: indefinite length found (not DER)";
		length = 0;
		for (int i = 0; i < nb; i++) {
			if (off >= len)
				return "asn1: syntax error: truncated tag or length";
			if (length >= 1u << 23)
				return "asn1: structure error: length too large";
			length = (length << 8) | der[off++];
			if (length == 0)
				return "asn1: structure error: superfluous leading zeros in length";
		}
		if (length < 0x80)
			return "asn1: structure error: non-minimal length";
	}
	if (cls != 0 || tag != CF_DER_SEQUENCE - 0x20 || !compound) {
		snprintf(buf, cap,
			 "asn1: structure error: tags don't match (16 vs {class:%u tag:%lld "
			 "length:%zu isCompound:%s}) {optional:false explicit:false "
			 "application:false private:false defaultValue:<nil> tag:<nil> "
			 "stringType:0 timeType:0 set:false omitEmpty:false} certificateRequest "
			 "@%zu",
			 cls, tag, length, compound ? "true" : "false", off);
		return buf;
	}
	if (length > len - off)
		return "asn1: syntax error: data truncated";
	/* the first member of the request (its body) is required */
	if (length == 0)
		return "asn1: syntax error: sequence truncated";
	*outer_len = off + length;
	return NULL;
}

/* One pass over a request. With @fast, GnuTLS's PKCS#10 parser is not used: the request must
 * be plain DER of the usual shape, and any failure returns -1 with nothing reported, for the
 * caller to run the full pass (fast = 0) that reports cfssl's error. */
static int parse_der(const unsigned char *der, size_t len, struct cf_csr_info *info,
		     struct cf_error *err, int fast)
{
	memset(info, 0, sizeof *info);
	info->pathlen = -1;
	int ret = -1;
	gnutls_x509_crq_t crq = NULL;
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	gnutls_datum_t spki = {NULL, 0};
	struct raw_ext bc = {NULL, 0};
	struct cf_error quiet = {0};
	if (fast)
		err = &quiet;

	if (!fast) {
		char msg[CF_ERROR_MSG_MAX];
		size_t outer_len = 0;
		const char *go = go_outer_error(der, len, &outer_len, msg, sizeof msg);
		if (go) {
			cf_error_set(err, CF_ERR_CSR_PARSE, "%s", go);
			goto out;
		}
		if (outer_len < len) {
			/* Go reads the request before it looks past it */
			ret = parse_der(der, outer_len, info, err, 0);
			if (ret == 0 || err->code != CF_ERR_CSR_PARSE) {
				cf_error_clear(err);
				cf_error_set(err, CF_ERR_CSR_PARSE,
					     "asn1: syntax error: trailing data");
			}
			cf_csrparse_release(info);
			return -1;
		}
	}
	if (!fast && (len > 0xffffffffu || gnutls_x509_crq_init(&crq) < 0 ||
		      gnutls_x509_crq_import(crq, &d, GNUTLS_X509_FMT_DER) < 0)) {
		cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
		goto out;
	}
	struct cf_der_reader top = {der, len}, r, ri;
	struct cf_der_tlv outer, info_tlv, f, subject, key, attrs, algid, sig;
	if (next_tag(&top, &outer, CF_DER_SEQUENCE) < 0 || top.len) {
		cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
		goto out;
	}
	r = (struct cf_der_reader){outer.content, outer.len};
	if (next_tag(&r, &info_tlv, CF_DER_SEQUENCE) < 0) {
		cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
		goto out;
	}
	ri = (struct cf_der_reader){info_tlv.content, info_tlv.len};
	if (next_tag(&ri, &f, CF_DER_INTEGER) < 0 || next_tag(&ri, &subject, CF_DER_SEQUENCE) < 0 ||
	    next_tag(&ri, &key, CF_DER_SEQUENCE) < 0 || next_tag(&ri, &attrs, 0xa0) < 0) {
		cf_error_set(err, CF_ERR_CSR_PARSE, parse_failed);
		goto out;
	}
	/* the fast path's shape: version 0, nothing after the attributes, then exactly the
	 * signature algorithm and the signature */
	if (fast && (f.len != 1 || f.content[0] != 0 || ri.len ||
		     next_tag(&r, &algid, CF_DER_SEQUENCE) < 0 ||
		     next_tag(&r, &sig, CF_DER_BIT_STRING) < 0 || r.len))
		goto out;
	if (parse_attributes(&attrs, info, &bc, err) < 0)
		goto out;
	if (cf_csrparse_name(subject.raw, subject.rawlen, &info->attrs, &info->nattrs, err) < 0)
		goto out;
	if (fast) {
		if (fast_verify(&info_tlv, &key, &algid, &sig, &info->spki) < 0)
			goto out;
		if (bc.value && parse_bc(&bc, info, err) < 0)
			goto out;
		ret = 0;
		goto out;
	}
	/* Go accepts SHA-1 signatures on requests */
	if (gnutls_x509_crq_verify(crq, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1) < 0) {
		verify_error(crq, err);
		goto out;
	}
	if (bc.value && parse_bc(&bc, info, err) < 0)
		goto out;
	if (gnutls_pubkey_init(&pub) < 0 || gnutls_pubkey_import_x509_crq(pub, crq, 0) < 0 ||
	    gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki) < 0) {
		cf_error_set(err, CF_ERR_CSR_BAD,
			     "x509: cannot verify signature: algorithm unimplemented");
		goto out;
	}
	cf_buf_add(&info->spki, spki.data, spki.size);
	ret = 0;
out:
	gnutls_free(spki.data);
	if (pub)
		gnutls_pubkey_deinit(pub);
	if (crq)
		gnutls_x509_crq_deinit(crq);
	return ret;
}

int cf_csrparse_der(const unsigned char *der, size_t len, struct cf_csr_info *info,
		    struct cf_error *err)
{
	/* Most requests take the fast pass: GnuTLS's PKCS#10 parser (libtasn1) costs more than
	 * the rest of parsing together. Anything unusual, and every failure, takes the full
	 * pass, which decides the outcome and the error exactly as before. */
	if (parse_der(der, len, info, err, 1) == 0)
		return 0;
	cf_csrparse_release(info);
	return parse_der(der, len, info, err, 0);
}

int cf_csrparse_der_full(const unsigned char *der, size_t len, struct cf_csr_info *info,
			 struct cf_error *err)
{
	return parse_der(der, len, info, err, 0);
}

int cf_csrparse_pem(const unsigned char *data, size_t len, struct cf_csr_info *info,
		    struct cf_error *err)
{
	memset(info, 0, sizeof *info);
	info->pathlen = -1;
	struct cf_pem_block blk;
	const char *rest;
	size_t restlen;
	if (!cf_pem_decode((const char *)data, len, &blk, &rest, &restlen))
		return cf_error_set(err, CF_ERR_CSR_DECODE, "CSR Decode failed");
	int r;
	if (strcmp(blk.type, "CERTIFICATE REQUEST") != 0 &&
	    strcmp(blk.type, "NEW CERTIFICATE REQUEST") != 0)
		r = cf_error_set(err, CF_ERR_CSR_BAD, "not a csr");
	else
		r = cf_csrparse_der(blk.der, blk.len, info, err);
	cf_pem_block_release(&blk);
	return r;
}

/* ---- cfssl sign's SUBJECT ---- */

int cf_csrparse_subject_json(const char *data, size_t len, struct cf_csr_request *req,
			     struct cf_error *err)
{
	memset(req, 0, sizeof *req);
	json_t *root = cf_gojson_parse(data, len, err);
	if (!root)
		return -1;
	int ret = -1;
	if (json_is_null(root)) {
		ret = 0;
		goto out;
	}
	if (!json_is_object(root)) {
		cf_error_set(err, CF_ERR_PLAIN,
			     "json: cannot unmarshal %s into Go value of type signer.Subject",
			     cf_gojson_kind(root));
		goto out;
	}
	const char *k;
	json_t *v;
	json_object_foreach(root, k, v) {
		if (cf_gojson_key_eq(k, "CN")) {
			if (cf_gojson_dup_string(v, &req->cn, err, "Subject", "CN") < 0)
				goto out;
		} else if (cf_gojson_key_eq(k, "SerialNumber")) {
			if (cf_gojson_dup_string(v, &req->serialnumber, err, "Subject",
						 "SerialNumber") < 0)
				goto out;
		} else if (cf_gojson_key_eq(k, "names")) {
			if (json_is_null(v)) {
				cf_csr_names_free(req);
				continue;
			}
			if (!json_is_array(v)) {
				cf_gojson_type_error(err, v, "Subject", "names", "[]csr.Name");
				goto out;
			}
			cf_csr_names_free(req);
			size_t n = json_array_size(v);
			req->names = cf_xcalloc(n ? n : 1, sizeof *req->names);
			req->nnames = n;
			for (size_t i = 0; i < n; i++)
				if (cf_csr_name_decode(json_array_get(v, i), &req->names[i],
						       "Subject", err) < 0)
					goto out;
		} else {
			cf_warning("unknown member \"%s\" in the subject ignored", k);
		}
	}
	ret = 0;
out:
	json_decref(root);
	return ret;
}

static void render_member(struct cf_buf *out, int *first, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	if (!*first)
		cf_buf_addc(out, ',');
	*first = 0;
	cf_gojson_quote(out, name, strlen(name));
	cf_buf_addc(out, ':');
	cf_gojson_quote(out, v, strlen(v));
}

static int oid_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cf_name_oid *)a)->oid, ((const struct cf_name_oid *)b)->oid);
}

void cf_csrparse_subject_render(const struct cf_csr_request *req, struct cf_buf *out)
{
	cf_buf_adds(out, "{\"CN\":");
	cf_gojson_quote(out, req->cn ? req->cn : "", req->cn ? strlen(req->cn) : 0);
	cf_buf_adds(out, ",\"names\":");
	if (!req->names) {
		cf_buf_adds(out, "null");
	} else {
		cf_buf_addc(out, '[');
		for (size_t i = 0; i < req->nnames; i++) {
			const struct cf_name *nm = &req->names[i];
			int first = 1;
			if (i)
				cf_buf_addc(out, ',');
			cf_buf_addc(out, '{');
			render_member(out, &first, "C", nm->c);
			render_member(out, &first, "ST", nm->st);
			render_member(out, &first, "L", nm->l);
			render_member(out, &first, "O", nm->o);
			render_member(out, &first, "OU", nm->ou);
			render_member(out, &first, "E", nm->e);
			render_member(out, &first, "SerialNumber", nm->serialnumber);
			if (nm->noids) {
				/* a Go map: sorted keys, the last of duplicates wins */
				struct cf_name_oid *o = cf_xcalloc(nm->noids, sizeof *o);
				size_t n = 0;
				for (size_t j = nm->noids; j-- > 0;) {
					size_t k;
					for (k = 0; k < n && strcmp(o[k].oid, nm->oids[j].oid); k++)
						;
					if (k == n)
						o[n++] = nm->oids[j];
				}
				qsort(o, n, sizeof *o, oid_cmp);
				if (!first)
					cf_buf_addc(out, ',');
				first = 0;
				cf_buf_adds(out, "\"OID\":{");
				for (size_t k = 0; k < n; k++) {
					if (k)
						cf_buf_addc(out, ',');
					cf_gojson_quote(out, o[k].oid, strlen(o[k].oid));
					cf_buf_addc(out, ':');
					cf_gojson_quote(out, o[k].value ? o[k].value : "",
							o[k].value ? strlen(o[k].value) : 0);
				}
				cf_buf_addc(out, '}');
				free(o);
			}
			cf_buf_addc(out, '}');
		}
		cf_buf_addc(out, ']');
	}
	cf_buf_adds(out, ",\"SerialNumber\":");
	cf_gojson_quote(out, req->serialnumber ? req->serialnumber : "",
			req->serialnumber ? strlen(req->serialnumber) : 0);
	cf_buf_addc(out, '}');
}

void cf_csrparse_override_subject(const struct cf_csr_request *subject,
				  const struct cf_name_attr *attrs, size_t n,
				  struct cf_name_attr **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	for (size_t t = 0; t < CF_NAME_PARTS; t++) {
		size_t before = *nout;
		for (size_t i = 0; i < subject->nnames; i++) {
			const char *v = *(char *const *)((const char *)&subject->names[i] +
							 cf_name_parts[t].off);
			if (v && *v)
				cf_name_attrs_add(out, nout, cf_name_parts[t].oid, v);
		}
		if (*nout > before)
			continue;
		for (size_t i = 0; i < n; i++)
			if (attrs[i].is_string && strcmp(attrs[i].oid, cf_name_parts[t].oid) == 0)
				cf_name_attrs_add(out, nout, cf_name_parts[t].oid,
						  (const char *)attrs[i].value);
	}
	const char *cn =
		subject->cn && *subject->cn ? subject->cn : cf_name_attrs_last(attrs, n, OID_CN);
	if (cn && *cn)
		cf_name_attrs_add(out, nout, OID_CN, cn);
	const char *sn = subject->serialnumber && *subject->serialnumber
				 ? subject->serialnumber
				 : cf_name_attrs_last(attrs, n, OID_SERIAL);
	if (sn && *sn)
		cf_name_attrs_add(out, nout, OID_SERIAL, sn);
}

/* ---- gencsr -cert ---- */

static void add_host(struct cf_csr_request *req, const char *s)
{
	req->hosts = cf_xgrow(req->hosts, req->nhosts, sizeof *req->hosts);
	req->hosts[req->nhosts++] = cf_xstrdup(s);
}

int cf_csrparse_request_from_cert(gnutls_x509_crt_t crt, struct cf_csr_request *req,
				  struct cf_error *err)
{
	memset(req, 0, sizeof *req);
	req->algo = cf_xstrdup("ecdsa");
	req->size = 256;
	struct cf_name_attr *attrs = NULL;
	size_t nattrs = 0;
	struct cf_host *hosts = NULL;
	size_t nhosts = 0;
	gnutls_datum_t dn = {NULL, 0}, san = {NULL, 0};
	int ret = -1;

	if (gnutls_x509_crt_get_raw_dn(crt, &dn) < 0) {
		cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
		goto out;
	}
	if (cf_csrparse_name(dn.data, dn.size, &attrs, &nattrs, err) < 0) {
		cf_error_clear(err);
		cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
		goto out;
	}
	const char *cn = cf_name_attrs_last(attrs, nattrs, OID_CN);
	const char *sn = cf_name_attrs_last(attrs, nattrs, OID_SERIAL);
	if (cn && *cn)
		req->cn = cf_xstrdup(cn);
	if (sn && *sn)
		req->serialnumber = cf_xstrdup(sn);
	/* cfssl's getNames: the i-th values of C, ST, L, O, OU form names[i] */
	req->names = cf_xcalloc(nattrs ? nattrs : 1, sizeof *req->names);
	for (size_t t = 0; t < CF_NAME_PARTS; t++) {
		size_t k = 0;
		for (size_t i = 0; i < nattrs; i++) {
			if (!attrs[i].is_string || strcmp(attrs[i].oid, cf_name_parts[t].oid) != 0)
				continue;
			char **dst = (char **)((char *)&req->names[k++] + cf_name_parts[t].off);
			*dst = cf_xstrdup((const char *)attrs[i].value);
		}
		if (k > req->nnames)
			req->nnames = k;
	}

	unsigned critical = 0;
	int r = gnutls_x509_crt_get_extension_by_oid2(crt, OID_SAN, 0, &san, &critical);
	if (r >= 0 && parse_san(san.data, san.size, &hosts, &nhosts, err) < 0) {
		cf_error_clear(err);
		cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
		goto out;
	}
	/* getHosts: IP addresses, DNS names, e-mail addresses, URIs */
	static const enum cf_host_kind order[] = {CF_HOST_IP, CF_HOST_DNS, CF_HOST_EMAIL,
						  CF_HOST_URI};
	for (size_t k = 0; k < 4; k++)
		for (size_t i = 0; i < nhosts; i++)
			if (hosts[i].kind == order[k])
				add_host(req, hosts[i].value);

	unsigned is_ca = 0;
	int pathlen = -1;
	if (gnutls_x509_crt_get_basic_constraints(crt, &critical, &is_ca, &pathlen) >= 0 && is_ca) {
		req->has_ca = 1;
		req->ca_pathlen = pathlen;
		req->ca_pathlenzero = pathlen == 0;
	}
	ret = 0;
out:
	gnutls_free(dn.data);
	gnutls_free(san.data);
	cf_name_attrs_free(attrs, nattrs);
	cf_hosts_free(hosts, nhosts);
	return ret;
}
