/* cfssl certinfo. The certificate is read with our own DER reader rather
 * than GnuTLS's getters so that every value is the one Go's crypto/x509
 * (go1.19, which both reference binaries use) hands to cfssl: attribute
 * values in DN order and as stored, key identifiers as raw bytes, times as
 * written. */
#include "certinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <gnutls/gnutls.h>

#include "base64.h"
#include "bigint.h"
#include "der.h"
#include "gojson.h"
#include "pem.h"
#include "signer.h"

/* ---- Go's json.MarshalIndent(v, "", "  ") ---- */

#define JW_MAX_DEPTH 16

struct jw {
	struct cf_buf *b;
	int depth;
	int has[JW_MAX_DEPTH]; /* the open container at each depth has members */
};

static void jw_newline(struct jw *w)
{
	cf_buf_addc(w->b, '\n');
	for (int i = 0; i < w->depth; i++)
		cf_buf_adds(w->b, "  ");
}

/* Starts a member (@key non-NULL) or an array element. */
static void jw_begin(struct jw *w, const char *key)
{
	if (w->depth > 0) {
		if (w->has[w->depth])
			cf_buf_addc(w->b, ',');
		w->has[w->depth] = 1;
		jw_newline(w);
	}
	if (key) {
		cf_gojson_quote(w->b, key, strlen(key));
		cf_buf_adds(w->b, ": ");
	}
}

static void jw_open(struct jw *w, const char *key, char c)
{
	jw_begin(w, key);
	cf_buf_addc(w->b, (unsigned char)c);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->has[w->depth] = 0;
}

static void jw_close(struct jw *w, char c)
{
	int had = w->has[w->depth];
	w->depth--;
	if (had)
		jw_newline(w);
	cf_buf_addc(w->b, (unsigned char)c);
}

static void jw_str(struct jw *w, const char *key, const char *s, size_t n)
{
	jw_begin(w, key);
	cf_gojson_quote(w->b, s, n);
}

static void jw_cstr(struct jw *w, const char *key, const char *s)
{
	jw_str(w, key, s, strlen(s));
}

static void jw_raw(struct jw *w, const char *key, const char *text)
{
	jw_begin(w, key);
	cf_buf_adds(w->b, text);
}

static void jw_bytes(struct jw *w, const char *key, const unsigned char *p, size_t n)
{
	struct cf_buf t = CF_BUF_INIT;
	cf_base64_encode(&t, p, n);
	jw_str(w, key, t.data ? (const char *)t.data : "", t.len);
	cf_buf_release(&t);
}

/* ---- numbers ---- */

/* cryptobyte's rule for a valid (minimal) INTEGER encoding. */
static int int_minimal(const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (n > 1 && ((p[0] == 0 && !(p[1] & 0x80)) || (p[0] == 0xff && (p[1] & 0x80))))
		return 0;
	return 1;
}

static int small_int(const struct cf_der_tlv *t, long long *v)
{
	if (t->tag != CF_DER_INTEGER || !int_minimal(t->content, t->len) || t->len > 8)
		return -1;
	long long x = (t->content[0] & 0x80) ? -1 : 0;
	for (size_t i = 0; i < t->len; i++)
		x = (long long)(((unsigned long long)x << 8) | t->content[i]);
	*v = x;
	return 0;
}

/* ---- OIDs ---- */

#define OID_MAX_ARCS 32

struct oid {
	unsigned long long arcs[OID_MAX_ARCS];
	int n;
	char dotted[OID_MAX_ARCS * 21];
};

static int oid_parse(const struct cf_der_tlv *t, struct oid *o)
{
	if (t->tag != CF_DER_OID || t->len == 0)
		return -1;
	o->n = 0;
	unsigned long long v = 0;
	int first = 1;
	for (size_t i = 0; i < t->len; i++) {
		if (v > (~0ULL >> 7))
			return -1;
		v = (v << 7) | (t->content[i] & 0x7f);
		if (t->content[i] & 0x80) {
			if (i + 1 == t->len)
				return -1;
			continue;
		}
		if (o->n + 2 > OID_MAX_ARCS)
			return -1;
		if (first) {
			o->arcs[o->n++] = v < 80 ? v / 40 : 2;
			o->arcs[o->n++] = v < 80 ? v % 40 : v - 80;
			first = 0;
		} else {
			o->arcs[o->n++] = v;
		}
		v = 0;
	}
	size_t off = 0;
	for (int i = 0; i < o->n; i++)
		off += (size_t)snprintf(o->dotted + off, sizeof o->dotted - off,
					i ? ".%llu" : "%llu", o->arcs[i]);
	return 0;
}

static void jw_oid(struct jw *w, const char *key, const struct oid *o)
{
	char num[24];
	jw_open(w, key, '[');
	for (int i = 0; i < o->n; i++) {
		snprintf(num, sizeof num, "%llu", o->arcs[i]);
		jw_raw(w, NULL, num);
	}
	jw_close(w, ']');
}

/* ---- strings ---- */

static int ia5_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return 0;
	return 1;
}

enum val_kind { VAL_STRING, VAL_INT, VAL_BYTES, VAL_NULL };

struct value {
	enum val_kind kind;
	struct cf_buf s; /* VAL_STRING text, VAL_BYTES bytes */
	long long i;
};

/* Decodes an attribute value as Go does into an empty interface. Returns
 * -1 for a malformed string; 1 for a type Go leaves nil (VAL_NULL). */
static int value_parse(const struct cf_der_tlv *t, struct value *v)
{
	memset(v, 0, sizeof *v);
	int r = cf_der_string_utf8(t, &v->s);
	if (r < 0)
		return -1;
	if (r > 0) {
		v->kind = VAL_STRING;
		return 0;
	}
	switch (t->tag) {
	case CF_DER_INTEGER:
		if (small_int(t, &v->i) < 0)
			return -1;
		v->kind = VAL_INT;
		return 0;
	case CF_DER_OCTET_STRING:
		v->kind = VAL_BYTES;
		cf_buf_add(&v->s, t->content, t->len);
		return 0;
	default: v->kind = VAL_NULL; return 1;
	}
}

static void jw_value(struct jw *w, const char *key, const struct value *v)
{
	char num[24];
	switch (v->kind) {
	case VAL_STRING: jw_str(w, key, (const char *)v->s.data, v->s.len); break;
	case VAL_INT:
		snprintf(num, sizeof num, "%lld", v->i);
		jw_raw(w, key, num);
		break;
	case VAL_BYTES: jw_bytes(w, key, v->s.data, v->s.len); break;
	default: jw_raw(w, key, "null");
	}
}

/* ---- distinguished names ---- */

struct atv {
	struct oid type;
	struct value val;
};

struct name {
	struct atv *v;
	size_t n;
};

static void name_release(struct name *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		cf_buf_release(&nm->v[i].val.s);
	free(nm->v);
	memset(nm, 0, sizeof *nm);
}

/* @strict: crypto/x509's certificate parser, which refuses non-string values. */
static int name_parse(const struct cf_der_tlv *seq, int strict, struct name *nm)
{
	struct cf_der_reader r = {seq->content, seq->len};
	struct cf_der_tlv set, atv, ot, vt;
	int k;
	memset(nm, 0, sizeof *nm);
	if (seq->tag != CF_DER_SEQUENCE)
		return -1;
	while ((k = cf_der_next(&r, &set)) == 1) {
		if (set.tag != CF_DER_SET)
			return -1;
		struct cf_der_reader sr = {set.content, set.len};
		while ((k = cf_der_next(&sr, &atv)) == 1) {
			struct cf_der_reader ar = {atv.content, atv.len};
			if (atv.tag != CF_DER_SEQUENCE || cf_der_next(&ar, &ot) != 1 ||
			    cf_der_next(&ar, &vt) != 1)
				return -1;
			nm->v = cf_xrealloc(nm->v, (nm->n + 1) * sizeof *nm->v);
			struct atv *a = &nm->v[nm->n];
			memset(a, 0, sizeof *a);
			nm->n++;
			if (oid_parse(&ot, &a->type) < 0)
				return -1;
			int pr = value_parse(&vt, &a->val);
			if (pr < 0 || (strict && (pr > 0 || a->val.kind != VAL_STRING)))
				return -1;
		}
		if (k < 0)
			return -1;
	}
	return k;
}

/* pkix.Name's fields, filled as FillFromRDNSequence does. */
enum { N_C, N_O, N_OU, N_L, N_ST, N_STREET, N_PC, N_MULTI };

struct name_fields {
	const struct value *cn, *serial;
	struct cf_buf multi[N_MULTI]; /* values joined with ',' */
	int count[N_MULTI];
	const struct value **list[N_MULTI];
};

static int attr_index(const struct oid *o)
{
	if (o->n != 4 || o->arcs[0] != 2 || o->arcs[1] != 5 || o->arcs[2] != 4)
		return -1;
	switch (o->arcs[3]) {
	case 3: return 100;
	case 5: return 101;
	case 6: return N_C;
	case 7: return N_L;
	case 8: return N_ST;
	case 9: return N_STREET;
	case 10: return N_O;
	case 11: return N_OU;
	case 17: return N_PC;
	}
	return -1;
}

static void fields_fill(const struct name *nm, struct name_fields *f)
{
	memset(f, 0, sizeof *f);
	for (int k = 0; k < N_MULTI; k++)
		f->list[k] = cf_xcalloc(nm->n + 1, sizeof *f->list[k]);
	for (size_t i = 0; i < nm->n; i++) {
		const struct value *v = &nm->v[i].val;
		if (v->kind != VAL_STRING)
			continue;
		int k = attr_index(&nm->v[i].type);
		if (k == 100) {
			f->cn = v;
		} else if (k == 101) {
			f->serial = v;
		} else if (k >= 0) {
			if (f->count[k])
				cf_buf_addc(&f->multi[k], ',');
			cf_buf_add(&f->multi[k], v->s.data, v->s.len);
			f->list[k][f->count[k]++] = v;
		}
	}
}

static void fields_release(struct name_fields *f)
{
	for (int k = 0; k < N_MULTI; k++) {
		cf_buf_release(&f->multi[k]);
		free(f->list[k]);
	}
}

/* certinfo.Name: each member omitted when empty. */
static void jw_certinfo_name(struct jw *w, const char *key, const struct name *nm)
{
	static const struct {
		int idx;
		const char *json;
	} order[] = {{N_C, "country"},     {N_O, "organization"}, {N_OU, "organizational_unit"},
		     {N_L, "locality"},    {N_ST, "province"},    {N_STREET, "street_address"},
		     {N_PC, "postal_code"}};
	struct name_fields f;
	fields_fill(nm, &f);
	jw_open(w, key, '{');
	if (f.cn && f.cn->s.len)
		jw_str(w, "common_name", (const char *)f.cn->s.data, f.cn->s.len);
	if (f.serial && f.serial->s.len)
		jw_str(w, "serial_number", (const char *)f.serial->s.data, f.serial->s.len);
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const struct cf_buf *m = &f.multi[order[i].idx];
		if (m->len)
			jw_str(w, order[i].json, (const char *)m->data, m->len);
	}
	if (nm->n) {
		jw_open(w, "names", '[');
		for (size_t i = 0; i < nm->n; i++)
			jw_value(w, NULL, &nm->v[i].val);
		jw_close(w, ']');
	}
	jw_close(w, '}');
	fields_release(&f);
}

/* pkix.Name as encoding/json writes the struct. */
static void jw_pkix_name(struct jw *w, const char *key, const struct name *nm)
{
	static const struct {
		int idx;
		const char *json;
	} order[] = {{N_C, "Country"},    {N_O, "Organization"}, {N_OU, "OrganizationalUnit"},
		     {N_L, "Locality"},   {N_ST, "Province"},    {N_STREET, "StreetAddress"},
		     {N_PC, "PostalCode"}};
	struct name_fields f;
	fields_fill(nm, &f);
	jw_open(w, key, '{');
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		int k = order[i].idx;
		if (!f.count[k]) {
			jw_raw(w, order[i].json, "null");
			continue;
		}
		jw_open(w, order[i].json, '[');
		for (int j = 0; j < f.count[k]; j++)
			jw_value(w, NULL, f.list[k][j]);
		jw_close(w, ']');
	}
	if (f.serial)
		jw_value(w, "SerialNumber", f.serial);
	else
		jw_cstr(w, "SerialNumber", "");
	if (f.cn)
		jw_value(w, "CommonName", f.cn);
	else
		jw_cstr(w, "CommonName", "");
	if (nm->n) {
		jw_open(w, "Names", '[');
		for (size_t i = 0; i < nm->n; i++) {
			jw_open(w, NULL, '{');
			jw_oid(w, "Type", &nm->v[i].type);
			jw_value(w, "Value", &nm->v[i].val);
			jw_close(w, '}');
		}
		jw_close(w, ']');
	} else {
		jw_raw(w, "Names", "null");
	}
	jw_raw(w, "ExtraNames", "null");
	jw_close(w, '}');
	fields_release(&f);
}

/* ---- times ---- */

static int digits(const unsigned char *p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* A UTCTime or GeneralizedTime as cryptobyte accepts it (seconds present, or
 * minutes only for UTCTime; "Z" or a +hhmm/-hhmm offset, re-serialising to
 * the same text), written the way Go's time.Time marshals: RFC 3339 in the
 * zone it was parsed in. */
static int time_rfc3339(const struct cf_der_tlv *t, char *out, size_t outlen)
{
	const unsigned char *p = t->content;
	int n = (int)t->len, y, mo, d, h, mi, s = 0, pos;
	if (t->tag == CF_DER_UTCTIME) {
		if (n < 11 || digits(p, 2, &y) < 0)
			return -1;
		y += y < 50 ? 2000 : 1900;
		pos = 2;
	} else if (t->tag == CF_DER_GENERALIZEDTIME) {
		if (n < 13 || digits(p, 4, &y) < 0)
			return -1;
		pos = 4;
	} else {
		return -1;
	}
	if (digits(p + pos, 2, &mo) < 0 || digits(p + pos + 2, 2, &d) < 0 ||
	    digits(p + pos + 4, 2, &h) < 0 || digits(p + pos + 6, 2, &mi) < 0)
		return -1;
	pos += 8;
	int has_sec = pos + 2 <= n && p[pos] >= '0' && p[pos] <= '9';
	if (has_sec) {
		if (digits(p + pos, 2, &s) < 0)
			return -1;
		pos += 2;
	} else if (t->tag != CF_DER_UTCTIME) {
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59)
		return -1;
	char zone[8];
	if (pos + 1 == n && p[pos] == 'Z') {
		strcpy(zone, "Z");
	} else if (pos + 5 == n && (p[pos] == '+' || p[pos] == '-')) {
		int oh, om;
		if (digits(p + pos + 1, 2, &oh) < 0 || digits(p + pos + 3, 2, &om) < 0 || om > 59 ||
		    (oh == 0 && om == 0))
			return -1;
		snprintf(zone, sizeof zone, "%c%02d:%02d", p[pos], oh, om);
	} else {
		return -1;
	}
	snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, s, zone);
	return 0;
}

/* ---- IP addresses ---- */

void cf_certinfo_ip_string(struct cf_buf *out, const unsigned char *ip, size_t n)
{
	static const unsigned char v4prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (n == 0) {
		cf_buf_adds(out, "<nil>");
		return;
	}
	if (n == 16 && memcmp(ip, v4prefix, 12) == 0) {
		ip += 12;
		n = 4;
	}
	if (n == 4) {
		cf_buf_printf(out, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
		return;
	}
	if (n != 16) {
		cf_buf_addc(out, '?');
		for (size_t i = 0; i < n; i++)
			cf_buf_printf(out, "%02x", ip[i]);
		return;
	}
	int e0 = -1, e1 = -1;
	for (int i = 0; i < 16; i += 2) {
		int j = i;
		while (j < 16 && ip[j] == 0 && ip[j + 1] == 0)
			j += 2;
		if (j > i && j - i > e1 - e0) {
			e0 = i;
			e1 = j;
			i = j;
		}
	}
	if (e1 - e0 <= 2)
		e0 = e1 = -1;
	for (int i = 0; i < 16; i += 2) {
		if (i == e0) {
			cf_buf_adds(out, "::");
			i = e1;
			if (i >= 16)
				break;
		} else if (i > 0) {
			cf_buf_addc(out, ':');
		}
		cf_buf_printf(out, "%x", ((unsigned)ip[i] << 8) | ip[i + 1]);
	}
}

/* ---- subjectAltName ---- */

struct sans {
	struct cf_buf dns, email, ip,
		uri; /* entries, each a length byte prefix (a size_t; ip: 1 byte) and its bytes:
		      * a name may hold a NUL, and Go prints it as one string */
	int ndns, nemail, nip, nuri;
};

static void sans_release(struct sans *s)
{
	cf_buf_release(&s->dns);
	cf_buf_release(&s->email);
	cf_buf_release(&s->ip);
	cf_buf_release(&s->uri);
}

static int sans_parse(const unsigned char *p, size_t n, struct sans *s)
{
	struct cf_der_reader r = {p, n};
	struct cf_der_tlv seq, gn;
	int k;
	if (cf_der_next(&r, &seq) != 1 || seq.tag != CF_DER_SEQUENCE || r.len)
		return -1;
	struct cf_der_reader gr = {seq.content, seq.len};
	while ((k = cf_der_next(&gr, &gn)) == 1) {
		switch (gn.tag) {
		case 0x81:
		case 0x82:
		case 0x86:
			if (!ia5_ok(gn.content, gn.len))
				return -1;
			struct cf_buf *b = gn.tag == 0x81   ? &s->email
					   : gn.tag == 0x82 ? &s->dns
							    : &s->uri;
			cf_buf_add(b, &gn.len, sizeof gn.len);
			cf_buf_add(b, gn.content, gn.len);
			if (gn.tag == 0x81)
				s->nemail++;
			else if (gn.tag == 0x82)
				s->ndns++;
			else
				s->nuri++;
			break;
		case 0x87:
			if (gn.len != 4 && gn.len != 16)
				return -1;
			cf_buf_addc(&s->ip, (unsigned char)gn.len);
			cf_buf_add(&s->ip, gn.content, gn.len);
			s->nip++;
			break;
		default: break;
		}
	}
	return k;
}

/* Walks length-prefixed entries; *@n is the entry's length. */
static const char *next_entry(const struct cf_buf *b, size_t *off, size_t *n)
{
	if (*off >= b->len)
		return NULL;
	memcpy(n, b->data + *off, sizeof *n);
	const char *e = (const char *)b->data + *off + sizeof *n;
	*off += sizeof *n + *n;
	return e;
}

static const unsigned char *next_ip(const struct cf_buf *b, size_t *off, size_t *n)
{
	if (*off >= b->len)
		return NULL;
	*n = b->data[*off];
	const unsigned char *ip = b->data + *off + 1;
	*off += 1 + *n;
	return ip;
}

/* ---- signature algorithms ---- */

/* crypto/x509.SignatureAlgorithm numbering and cfssl's helpers.SignatureString. */
static const struct {
	const char *oid;
	int go;
	const char *name;
} sigalgs[] = {
	{"1.2.840.113549.1.1.2", 1, "MD2WithRSA"},
	{"1.2.840.113549.1.1.4", 2, "MD5WithRSA"},
	{"1.2.840.113549.1.1.5", 3, "SHA1WithRSA"},
	{"1.3.14.3.2.29", 3, "SHA1WithRSA"},
	{"1.2.840.113549.1.1.11", 4, "SHA256WithRSA"},
	{"1.2.840.113549.1.1.12", 5, "SHA384WithRSA"},
	{"1.2.840.113549.1.1.13", 6, "SHA512WithRSA"},
	{"1.2.840.10040.4.3", 7, "DSAWithSHA1"},
	{"2.16.840.1.101.3.4.3.2", 8, "DSAWithSHA256"},
	{"1.2.840.10045.4.1", 9, "ECDSAWithSHA1"},
	{"1.2.840.10045.4.3.2", 10, "ECDSAWithSHA256"},
	{"1.2.840.10045.4.3.3", 11, "ECDSAWithSHA384"},
	{"1.2.840.10045.4.3.4", 12, "ECDSAWithSHA512"},
	{"1.3.101.112", 16, "Ed25519"},
};

/* An AlgorithmIdentifier: its OID, and whether its parameters are absent
 * or NULL. */
static int alg_id(const struct cf_der_tlv *ai, struct oid *o, int *null_params)
{
	struct cf_der_reader r = {ai->content, ai->len};
	struct cf_der_tlv ot, pt;
	if (ai->tag != CF_DER_SEQUENCE || cf_der_next(&r, &ot) != 1 || oid_parse(&ot, o) < 0)
		return -1;
	int k = cf_der_next(&r, &pt);
	*null_params = k == 0 || (k == 1 && pt.tag == CF_DER_NULL && pt.len == 0 && !r.len);
	return 0;
}

/* The inner TLV of an [n] EXPLICIT wrapper. */
static int explicit_inner(const struct cf_der_tlv *t, struct cf_der_tlv *in)
{
	struct cf_der_reader r = {t->content, t->len};
	return cf_der_next(&r, in) == 1 && r.len == 0 ? 0 : -1;
}

/* Go's RSASSA-PSS buckets: MGF1 with the message hash, salt length equal
 * to the hash size, trailer field 1; anything else is unknown (0). */
static int pss_of(const struct cf_der_tlv *params)
{
	static const struct {
		const char *hash;
		long long salt;
		int go;
	} buckets[] = {{"2.16.840.1.101.3.4.2.1", 32, 13},
		       {"2.16.840.1.101.3.4.2.2", 48, 14},
		       {"2.16.840.1.101.3.4.2.3", 64, 15}};
	struct cf_der_reader r = {params->content, params->len};
	struct cf_der_tlv t, in, mgf_param;
	struct oid hash, mgf, mgf_hash;
	int hash_null = 0, mh_null = 0, have_hash = 0, have_mgf = 0, have_salt = 0;
	long long salt = 0, trailer = 1;
	if (params->tag != CF_DER_SEQUENCE)
		return 0;
	while (cf_der_next(&r, &t) == 1) {
		if (explicit_inner(&t, &in) < 0)
			return 0;
		if (t.tag == 0xa0) {
			if (alg_id(&in, &hash, &hash_null) < 0)
				return 0;
			have_hash = 1;
		} else if (t.tag == 0xa1) {
			struct cf_der_reader mr = {in.content, in.len};
			struct cf_der_tlv mo;
			if (in.tag != CF_DER_SEQUENCE || cf_der_next(&mr, &mo) != 1 ||
			    oid_parse(&mo, &mgf) < 0 || cf_der_next(&mr, &mgf_param) != 1 ||
			    alg_id(&mgf_param, &mgf_hash, &mh_null) < 0)
				return 0;
			have_mgf = 1;
		} else if (t.tag == 0xa2) {
			if (small_int(&in, &salt) < 0)
				return 0;
			have_salt = 1;
		} else if (t.tag == 0xa3) {
			if (small_int(&in, &trailer) < 0)
				return 0;
		} else {
			return 0;
		}
	}
	if (!have_hash || !have_mgf || !have_salt || !hash_null || !mh_null ||
	    strcmp(mgf.dotted, "1.2.840.113549.1.1.8") != 0 ||
	    strcmp(mgf_hash.dotted, hash.dotted) != 0 || trailer != 1)
		return 0;
	for (size_t i = 0; i < sizeof buckets / sizeof buckets[0]; i++)
		if (strcmp(hash.dotted, buckets[i].hash) == 0 && salt == buckets[i].salt)
			return buckets[i].go;
	return 0;
}

/* @ai: an AlgorithmIdentifier SEQUENCE. Returns Go's number (0 = unknown);
 * *@name gets cfssl's text (RSA-PSS has none there). */
static int sigalg_of(const struct cf_der_tlv *ai, const char **name)
{
	struct cf_der_reader r = {ai->content, ai->len};
	struct cf_der_tlv ot, params;
	struct oid o;
	*name = "Unknown Signature";
	if (ai->tag != CF_DER_SEQUENCE || cf_der_next(&r, &ot) != 1 || oid_parse(&ot, &o) < 0)
		return 0;
	int has_params = cf_der_next(&r, &params) == 1;
	if (strcmp(o.dotted, "1.2.840.113549.1.1.10") == 0)
		return has_params ? pss_of(&params) : 0;
	for (size_t i = 0; i < sizeof sigalgs / sizeof sigalgs[0]; i++) {
		if (strcmp(o.dotted, sigalgs[i].oid) != 0)
			continue;
		if (sigalgs[i].go == 16 && has_params)
			return 0;
		*name = sigalgs[i].name;
		return sigalgs[i].go;
	}
	return 0;
}

/* ---- certificates ---- */

static void key_id(struct cf_buf *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cf_buf_printf(out, i ? ":%02X" : "%02X", p[i]);
}

struct cert_view {
	struct cf_der_tlv serial, sigalg, issuer, subject, nb, na;
	struct name iss, sub;
	const unsigned char *aki, *ski;
	size_t aki_len, ski_len;
	int has_aki, has_ski;
	struct sans sans;
};

static int cert_extensions(const struct cf_der_tlv *ext3, struct cert_view *c)
{
	struct cf_der_reader r = {ext3->content, ext3->len};
	struct cf_der_tlv seq, ext, ot, t2, val;
	if (cf_der_next(&r, &seq) != 1 || seq.tag != CF_DER_SEQUENCE || r.len)
		return -1;
	struct cf_der_reader er = {seq.content, seq.len};
	int k;
	while ((k = cf_der_next(&er, &ext)) == 1) {
		struct cf_der_reader xr = {ext.content, ext.len};
		struct oid o;
		if (ext.tag != CF_DER_SEQUENCE || cf_der_next(&xr, &ot) != 1 ||
		    oid_parse(&ot, &o) < 0 || cf_der_next(&xr, &t2) != 1)
			return -1;
		if (t2.tag == CF_DER_BOOLEAN) {
			if (cf_der_next(&xr, &val) != 1)
				return -1;
		} else {
			val = t2;
		}
		if (val.tag != CF_DER_OCTET_STRING || xr.len)
			return -1;
		if (strcmp(o.dotted, "2.5.29.14") == 0) {
			struct cf_der_reader sr = {val.content, val.len};
			struct cf_der_tlv os;
			if (cf_der_next(&sr, &os) != 1 || os.tag != CF_DER_OCTET_STRING)
				return -1;
			c->ski = os.content;
			c->ski_len = os.len;
			c->has_ski = 1;
		} else if (strcmp(o.dotted, "2.5.29.35") == 0) {
			struct cf_der_reader ar = {val.content, val.len};
			struct cf_der_tlv seq2, kid;
			if (cf_der_next(&ar, &seq2) != 1 || seq2.tag != CF_DER_SEQUENCE)
				return -1;
			struct cf_der_reader kr = {seq2.content, seq2.len};
			int kk = cf_der_next(&kr, &kid);
			if (kk < 0)
				return -1;
			if (kk == 1 && kid.tag == 0x80) {
				c->aki = kid.content;
				c->aki_len = kid.len;
				c->has_aki = 1;
			}
		} else if (strcmp(o.dotted, "2.5.29.17") == 0) {
			if (sans_parse(val.content, val.len, &c->sans) < 0)
				return -1;
		}
	}
	return k;
}

static int cert_parse(const unsigned char *der, size_t len, struct cert_view *c)
{
	struct cf_der_reader r = {der, len};
	struct cf_der_tlv cert, tbs, t, validity;
	if (cf_der_next(&r, &cert) != 1 || cert.tag != CF_DER_SEQUENCE || r.len)
		return -1;
	struct cf_der_reader cr = {cert.content, cert.len};
	if (cf_der_next(&cr, &tbs) != 1 || tbs.tag != CF_DER_SEQUENCE)
		return -1;
	struct cf_der_reader tr = {tbs.content, tbs.len};
	if (cf_der_next(&tr, &t) != 1)
		return -1;
	if (t.tag == 0xa0 && cf_der_next(&tr, &t) != 1)
		return -1;
	if (t.tag != CF_DER_INTEGER || !int_minimal(t.content, t.len))
		return -1;
	c->serial = t;
	if (cf_der_next(&tr, &c->sigalg) != 1 || c->sigalg.tag != CF_DER_SEQUENCE ||
	    cf_der_next(&tr, &c->issuer) != 1 || name_parse(&c->issuer, 1, &c->iss) < 0 ||
	    cf_der_next(&tr, &validity) != 1 || validity.tag != CF_DER_SEQUENCE ||
	    cf_der_next(&tr, &c->subject) != 1 || name_parse(&c->subject, 1, &c->sub) < 0 ||
	    cf_der_next(&tr, &t) != 1 || t.tag != CF_DER_SEQUENCE)
		return -1;
	struct cf_der_reader vr = {validity.content, validity.len};
	if (cf_der_next(&vr, &c->nb) != 1 || cf_der_next(&vr, &c->na) != 1)
		return -1;
	int k;
	while ((k = cf_der_next(&tr, &t)) == 1) {
		if (t.tag == 0xa3 && cert_extensions(&t, c) < 0)
			return -1;
	}
	return k;
}

int cf_certinfo_cert(const unsigned char *der, size_t len, struct cf_buf *out, struct cf_error *err)
{
	struct cert_view c;
	struct cf_buf tmp = CF_BUF_INIT;
	char nb[40], na[40];
	const char *sigalg;
	int ret = -1;
	memset(&c, 0, sizeof c);
	if (cert_parse(der, len, &c) < 0 || time_rfc3339(&c.nb, nb, sizeof nb) < 0 ||
	    time_rfc3339(&c.na, na, sizeof na) < 0) {
		cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
		goto out;
	}
	sigalg_of(&c.sigalg, &sigalg);

	struct jw w = {.b = out};
	jw_open(&w, NULL, '{');
	jw_certinfo_name(&w, "subject", &c.sub);
	jw_certinfo_name(&w, "issuer", &c.iss);
	cf_bigint_dec_signed(c.serial.content, c.serial.len, &tmp);
	jw_str(&w, "serial_number", (const char *)tmp.data, tmp.len);
	cf_buf_release(&tmp);
	if (c.sans.ndns + c.sans.nip) {
		size_t off = 0, n;
		const char *e;
		const unsigned char *ip;
		jw_open(&w, "sans", '[');
		while ((e = next_entry(&c.sans.dns, &off, &n)))
			jw_str(&w, NULL, e, n);
		off = 0;
		while ((ip = next_ip(&c.sans.ip, &off, &n))) {
			cf_certinfo_ip_string(&tmp, ip, n);
			jw_str(&w, NULL, (const char *)tmp.data, tmp.len);
			cf_buf_release(&tmp);
		}
		jw_close(&w, ']');
	}
	jw_cstr(&w, "not_before", nb);
	jw_cstr(&w, "not_after", na);
	jw_cstr(&w, "sigalg", sigalg);
	key_id(&tmp, c.aki, c.aki_len);
	jw_str(&w, "authority_key_id", tmp.data ? (const char *)tmp.data : "", tmp.len);
	cf_buf_release(&tmp);
	key_id(&tmp, c.ski, c.ski_len);
	jw_str(&w, "subject_key_id", tmp.data ? (const char *)tmp.data : "", tmp.len);
	cf_buf_release(&tmp);
	cf_pem_encode(&tmp, "CERTIFICATE", der, len);
	jw_str(&w, "pem", (const char *)tmp.data, tmp.len);
	cf_buf_release(&tmp);
	jw_close(&w, '}');
	cf_buf_addc(out, '\n');
	ret = 0;
out:
	name_release(&c.iss);
	name_release(&c.sub);
	sans_release(&c.sans);
	return ret;
}

/* ---- certificate requests ---- */

struct csr_view {
	struct cf_der_tlv raw, tbs, spki, subject, sigalg, sig;
	long long version;
	struct name sub;
	const unsigned char *attrs; /* content of [0] */
	size_t attrs_len;
	int sig_go, pk_go;
	struct cf_der_tlv exts[64];
	int exts_crit[64];
	struct oid ext_oid[64];
	int nexts;
	struct sans sans;
};

static void csr_release(struct csr_view *c)
{
	name_release(&c->sub);
	sans_release(&c->sans);
}

/* The requested extensions (PKCS#9 extensionRequest), as Go collects them. */
static int csr_extensions(struct csr_view *c, struct cf_error *err)
{
	struct cf_der_reader r = {c->attrs, c->attrs_len};
	struct cf_der_tlv attr, ot, set, first, ext, eo, t2, val;
	while (cf_der_next(&r, &attr) == 1) {
		struct cf_der_reader ar = {attr.content, attr.len};
		struct oid o;
		if (attr.tag != CF_DER_SEQUENCE || cf_der_next(&ar, &ot) != 1 ||
		    oid_parse(&ot, &o) < 0 || cf_der_next(&ar, &set) != 1 ||
		    set.tag != CF_DER_SET || ar.len)
			continue;
		struct cf_der_reader sr = {set.content, set.len};
		if (cf_der_next(&sr, &first) != 1 || strcmp(o.dotted, "1.2.840.113549.1.9.14") != 0)
			continue;
		if (first.tag != CF_DER_SEQUENCE)
			return cf_error_set(err, CF_ERR_PLAIN,
					    "asn1: structure error: tags don't match");
		struct cf_der_reader xr = {first.content, first.len};
		while (cf_der_next(&xr, &ext) == 1) {
			struct cf_der_reader er = {ext.content, ext.len};
			struct oid eoid;
			int crit = 0;
			if (ext.tag != CF_DER_SEQUENCE || cf_der_next(&er, &eo) != 1 ||
			    oid_parse(&eo, &eoid) < 0 || cf_der_next(&er, &t2) != 1)
				return cf_error_set(err, CF_ERR_PLAIN,
						    "asn1: structure error: malformed extension");
			if (t2.tag == CF_DER_BOOLEAN) {
				crit = t2.len == 1 && t2.content[0];
				if (cf_der_next(&er, &val) != 1)
					return cf_error_set(
						err, CF_ERR_PLAIN,
						"asn1: structure error: malformed extension");
			} else {
				val = t2;
			}
			if (val.tag != CF_DER_OCTET_STRING)
				return cf_error_set(err, CF_ERR_PLAIN,
						    "asn1: structure error: malformed extension");
			for (int i = 0; i < c->nexts; i++)
				if (strcmp(c->ext_oid[i].dotted, eoid.dotted) == 0)
					return cf_error_set(err, CF_ERR_PLAIN,
							    "x509: certificate request contains "
							    "duplicate requested extensions");
			if (c->nexts == 64)
				return cf_error_set(err, CF_ERR_PLAIN,
						    "cfssl-c: too many requested extensions");
			c->exts[c->nexts] = val;
			c->exts_crit[c->nexts] = crit;
			c->ext_oid[c->nexts] = eoid;
			c->nexts++;
			if (strcmp(eoid.dotted, "2.5.29.17") == 0 &&
			    sans_parse(val.content, val.len, &c->sans) < 0)
				return cf_error_set(err, CF_ERR_PLAIN,
						    "x509: invalid subject alternative names");
		}
	}
	return 0;
}

/* Checks the public key as Go's parsePublicKey does and writes it as the
 * member @key of @wp. */
static int csr_public_key(struct csr_view *c, struct jw *wp, const char *key_name,
			  struct cf_error *err)
{
	struct cf_der_reader r = {c->spki.content, c->spki.len};
	struct cf_der_tlv alg, bits, ot, params;
	struct oid o;
	struct jw w = *wp;
	if (cf_der_next(&r, &alg) != 1 || alg.tag != CF_DER_SEQUENCE ||
	    cf_der_next(&r, &bits) != 1 || bits.tag != CF_DER_BIT_STRING || bits.len < 1)
		return cf_error_set(err, CF_ERR_PLAIN, "x509: malformed public key");
	struct cf_der_reader ar = {alg.content, alg.len};
	if (cf_der_next(&ar, &ot) != 1 || oid_parse(&ot, &o) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "x509: malformed public key algorithm");
	int has_params = cf_der_next(&ar, &params) == 1;
	const unsigned char *key = bits.content + 1;
	size_t klen = bits.len - 1;
	int ret = 0;
	if (strcmp(o.dotted, "1.2.840.113549.1.1.1") == 0) {
		struct cf_der_reader kr = {key, klen};
		struct cf_der_tlv seq, nn, ee;
		long long e;
		c->pk_go = 1;
		if (cf_der_next(&kr, &seq) != 1 || seq.tag != CF_DER_SEQUENCE)
			return cf_error_set(err, CF_ERR_PLAIN, "x509: invalid RSA public key");
		struct cf_der_reader sr = {seq.content, seq.len};
		if (cf_der_next(&sr, &nn) != 1 || nn.tag != CF_DER_INTEGER || nn.len == 0 ||
		    (nn.content[0] & 0x80) || cf_der_next(&sr, &ee) != 1 ||
		    small_int(&ee, &e) < 0 || e <= 0)
			return cf_error_set(err, CF_ERR_PLAIN, "x509: invalid RSA public key");
		struct cf_buf num = CF_BUF_INIT;
		jw_open(&w, key_name, '{');
		cf_bigint_dec_unsigned(nn.content, nn.len, &num);
		jw_raw(&w, "N", (const char *)num.data);
		cf_buf_release(&num);
		cf_buf_printf(&num, "%lld", e);
		jw_raw(&w, "E", (const char *)num.data);
		cf_buf_release(&num);
		jw_close(&w, '}');
	} else if (strcmp(o.dotted, "1.2.840.10045.2.1") == 0) {
		struct oid curve;
		size_t clen;
		c->pk_go = 3;
		if (!has_params || oid_parse(&params, &curve) < 0)
			return cf_error_set(err, CF_ERR_PLAIN, "x509: invalid ECDSA parameters");
		if (strcmp(curve.dotted, "1.3.132.0.33") == 0)
			clen = 28;
		else if (strcmp(curve.dotted, "1.2.840.10045.3.1.7") == 0)
			clen = 32;
		else if (strcmp(curve.dotted, "1.3.132.0.34") == 0)
			clen = 48;
		else if (strcmp(curve.dotted, "1.3.132.0.35") == 0)
			clen = 66;
		else
			return cf_error_set(err, CF_ERR_PLAIN, "x509: unsupported elliptic curve");
		if (klen != 1 + 2 * clen || key[0] != 4)
			return cf_error_set(err, CF_ERR_PLAIN,
					    "x509: failed to unmarshal elliptic curve point");
		struct cf_buf num = CF_BUF_INIT;
		jw_open(&w, key_name, '{');
		/* Go's nistec curves have no exported fields. */
		jw_raw(&w, "Curve", "{}");
		cf_bigint_dec_unsigned(key + 1, clen, &num);
		jw_raw(&w, "X", (const char *)num.data);
		cf_buf_release(&num);
		cf_bigint_dec_unsigned(key + 1 + clen, clen, &num);
		jw_raw(&w, "Y", (const char *)num.data);
		cf_buf_release(&num);
		jw_close(&w, '}');
	} else if (strcmp(o.dotted, "1.3.101.112") == 0) {
		c->pk_go = 4;
		if (has_params)
			return cf_error_set(err, CF_ERR_PLAIN,
					    "x509: Ed25519 key encoded with illegal parameters");
		if (klen != 32)
			return cf_error_set(err, CF_ERR_PLAIN,
					    "x509: wrong Ed25519 public key size");
		jw_bytes(&w, key_name, key, klen);
	} else {
		/* DSA and unknown algorithms: not rendered (see the header). */
		c->pk_go = strcmp(o.dotted, "1.2.840.10040.4.1") == 0 ? 2 : 0;
		jw_raw(&w, key_name, "null");
	}
	*wp = w;
	return ret;
}

/* encoding/asn1's message for an element whose tag is not the expected one;
 * Go reports the offset just after the element's header within its parent. */
static int asn1_mismatch(struct cf_error *err, unsigned expected, const struct cf_der_tlv *t,
			 const unsigned char *parent, const char *type)
{
	return cf_error_set(err, CF_ERR_PLAIN,
			    "asn1: structure error: tags don't match (%u vs {class:%u tag:%u "
			    "length:%zu isCompound:%s}) {optional:false explicit:false "
			    "application:false private:false defaultValue:<nil> tag:<nil> "
			    "stringType:0 timeType:0 set:false omitEmpty:false} %s @%zu",
			    expected, t->tag >> 6, t->tag & 0x1f, t->len,
			    (t->tag & 0x20) ? "true" : "false", type,
			    (size_t)(t->raw - parent) + (t->rawlen - t->len));
}

/* Reads the next element of a Go struct being decoded: -1 with Go's
 * wording when it is missing or malformed. */
static int asn1_field(struct cf_der_reader *r, struct cf_der_tlv *t, struct cf_error *err)
{
	int k = cf_der_next(r, t);
	if (k == 1)
		return 0;
	return cf_error_set(err, CF_ERR_PLAIN,
			    k == 0 ? "asn1: syntax error: sequence truncated"
				   : "asn1: syntax error: data truncated");
}

static int csr_parse(const unsigned char *der, size_t len, struct csr_view *c, struct cf_error *err)
{
	struct cf_der_reader r = {der, len};
	struct cf_der_tlv t;
	if (asn1_field(&r, &c->raw, err) < 0)
		return -1;
	if (c->raw.tag != CF_DER_SEQUENCE)
		return asn1_mismatch(err, 16, &c->raw, der, "certificateRequest");
	if (r.len)
		return cf_error_set(err, CF_ERR_PLAIN, "asn1: syntax error: trailing data");
	struct cf_der_reader cr = {c->raw.content, c->raw.len};
	if (asn1_field(&cr, &c->tbs, err) < 0)
		return -1;
	if (c->tbs.tag != CF_DER_SEQUENCE)
		return asn1_mismatch(err, 16, &c->tbs, c->raw.content, "tbsCertificateRequest");
	struct cf_der_reader tr = {c->tbs.content, c->tbs.len};
	if (asn1_field(&tr, &t, err) < 0)
		return -1;
	if (t.tag != CF_DER_INTEGER)
		return asn1_mismatch(err, 2, &t, c->tbs.content, "int");
	if (small_int(&t, &c->version) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "asn1: structure error: integer too large");
	if (asn1_field(&tr, &c->subject, err) < 0 || asn1_field(&tr, &c->spki, err) < 0)
		return -1;
	if (c->spki.tag != CF_DER_SEQUENCE)
		return asn1_mismatch(err, 16, &c->spki, c->tbs.content, "publicKeyInfo");
	if (cf_der_next(&tr, &t) == 1) {
		if (t.tag != 0xa0)
			return asn1_mismatch(err, 0, &t, c->tbs.content, "[]asn1.RawValue");
		c->attrs = t.content;
		c->attrs_len = t.len;
	}
	if (asn1_field(&cr, &c->sigalg, err) < 0)
		return -1;
	if (c->sigalg.tag != CF_DER_SEQUENCE)
		return asn1_mismatch(err, 16, &c->sigalg, c->raw.content, "AlgorithmIdentifier");
	if (asn1_field(&cr, &c->sig, err) < 0)
		return -1;
	if (c->sig.tag != CF_DER_BIT_STRING || c->sig.len < 1)
		return asn1_mismatch(err, 3, &c->sig, c->raw.content, "BitString");
	if (c->subject.tag != CF_DER_SEQUENCE)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "asn1: structure error: tags don't match (16 vs subject)");
	if (name_parse(&c->subject, 0, &c->sub) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "asn1: structure error: malformed subject");
	const char *dummy;
	c->sig_go = sigalg_of(&c->sigalg, &dummy);
	struct cf_buf scratch = CF_BUF_INIT;
	struct jw sw = {.b = &scratch};
	int pr = csr_public_key(c, &sw, NULL, err);
	cf_buf_release(&scratch);
	if (pr < 0)
		return -1;
	return csr_extensions(c, err);
}

static void jw_attributes(struct jw *w, const struct csr_view *c)
{
	/* Each attribute Go can read as AttributeTypeAndValueSET: a SET of
	 * SEQUENCEs of {OID, value}; others (challengePassword ...) are skipped. */
	struct cf_der_reader r = {c->attrs, c->attrs_len};
	struct cf_der_tlv attr, ot, set, seq, atv, at, av;
	int any = 0;
	while (cf_der_next(&r, &attr) == 1) {
		struct cf_der_reader ar = {attr.content, attr.len};
		struct oid o;
		if (attr.tag != CF_DER_SEQUENCE || cf_der_next(&ar, &ot) != 1 ||
		    oid_parse(&ot, &o) < 0 || cf_der_next(&ar, &set) != 1 || set.tag != CF_DER_SET)
			continue;
		/* Check first, write second. */
		int ok = 1;
		struct cf_der_reader sr = {set.content, set.len};
		int k = 0, kq = 0;
		while (ok && (k = cf_der_next(&sr, &seq)) == 1) {
			struct cf_der_reader qr = {seq.content, seq.len};
			if (seq.tag != CF_DER_SEQUENCE)
				ok = 0;
			while (ok && (kq = cf_der_next(&qr, &atv)) == 1) {
				struct cf_der_reader vr = {atv.content, atv.len};
				struct oid ao;
				struct value v;
				memset(&v, 0, sizeof v);
				if (atv.tag != CF_DER_SEQUENCE || cf_der_next(&vr, &at) != 1 ||
				    oid_parse(&at, &ao) < 0 || cf_der_next(&vr, &av) != 1 ||
				    value_parse(&av, &v) < 0)
					ok = 0;
				cf_buf_release(&v.s);
			}
			if (kq < 0)
				ok = 0;
		}
		if (k < 0)
			ok = 0;
		if (!ok)
			continue;
		if (!any)
			jw_open(w, "Attributes", '[');
		any = 1;
		jw_open(w, NULL, '{');
		jw_oid(w, "Type", &o);
		jw_open(w, "Value", '[');
		sr = (struct cf_der_reader){set.content, set.len};
		while (cf_der_next(&sr, &seq) == 1) {
			struct cf_der_reader qr = {seq.content, seq.len};
			jw_open(w, NULL, '[');
			while (cf_der_next(&qr, &atv) == 1) {
				struct cf_der_reader vr = {atv.content, atv.len};
				struct oid ao;
				struct value v;
				cf_der_next(&vr, &at);
				cf_der_next(&vr, &av);
				oid_parse(&at, &ao);
				value_parse(&av, &v);
				jw_open(w, NULL, '{');
				jw_oid(w, "Type", &ao);
				jw_value(w, "Value", &v);
				jw_close(w, '}');
				cf_buf_release(&v.s);
			}
			jw_close(w, ']');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	if (any)
		jw_close(w, ']');
	else
		jw_raw(w, "Attributes", "null");
}

/* Percent-decodes @s in place (invalid escapes are kept as they are). */
static char *unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '%' && cf_hexval(p[1]) >= 0 && cf_hexval(p[2]) >= 0) {
			*o++ = (char)(cf_hexval(p[1]) * 16 + cf_hexval(p[2]));
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return s;
}

/* A url.URL as encoding/json writes it, from a simplified url.Parse
 * (RawPath and RawFragment are left empty). */
static void jw_url(struct jw *w, const char *u)
{
	char *s = cf_xstrdup(u), *auth = NULL;
	char *frag = strchr(s, '#'), *query, *rest = s, *scheme = "", *opaque = "", *path;
	const char *host = "";
	int force_query = 0, user = 0;
	if (frag)
		*frag++ = '\0';
	size_t i = 0;
	if ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) {
		while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		       (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.')
			i++;
		if (s[i] == ':') {
			s[i] = '\0';
			for (char *p = s; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			scheme = s;
			rest = s + i + 1;
		}
	}
	query = strchr(rest, '?');
	if (query) {
		*query++ = '\0';
		force_query = *query == '\0';
	}
	path = rest;
	if (*scheme && rest[0] != '/') {
		opaque = rest;
		path = "";
	} else if (*scheme && rest[0] == '/' && rest[1] == '/') {
		size_t alen = strcspn(rest + 2, "/");
		auth = cf_xmemdup(rest + 2, alen);
		path = rest + 2 + alen;
		char *at = strrchr(auth, '@');
		user = at != NULL;
		host = at ? at + 1 : auth;
	}
	jw_open(w, NULL, '{');
	jw_cstr(w, "Scheme", scheme);
	jw_cstr(w, "Opaque", opaque);
	jw_raw(w, "User", user ? "{}" : "null");
	jw_cstr(w, "Host", host);
	path = unescape(cf_xstrdup(path));
	jw_cstr(w, "Path", path);
	free(path);
	jw_cstr(w, "RawPath", "");
	jw_raw(w, "OmitHost", "false");
	jw_raw(w, "ForceQuery", force_query ? "true" : "false");
	jw_cstr(w, "RawQuery", query ? query : "");
	jw_cstr(w, "Fragment", frag ? unescape(frag) : "");
	jw_cstr(w, "RawFragment", "");
	jw_close(w, '}');
	free(auth);
	free(s);
}

static void jw_strlist(struct jw *w, const char *key, const struct cf_buf *b, int n, int urls)
{
	size_t off = 0, len;
	const char *e;
	if (!n) {
		jw_raw(w, key, "null");
		return;
	}
	jw_open(w, key, '[');
	while ((e = next_entry(b, &off, &len))) {
		if (urls) {
			char *u = cf_xmemdup(e, len);
			jw_url(w, u);
			free(u);
		} else {
			jw_str(w, NULL, e, len);
		}
	}
	jw_close(w, ']');
}

int cf_certinfo_csr_pem(const unsigned char *data, size_t len, struct cf_buf *out,
			struct cf_error *err)
{
	struct cf_pem_block blk;
	const char *rest;
	size_t restlen;
	struct csr_view c;
	char num[24];
	int ret = -1;
	memset(&c, 0, sizeof c);
	if (!cf_pem_decode((const char *)data, len, &blk, &rest, &restlen))
		return cf_error_set(err, CF_ERR_CSR_DECODE, "CSR Decode failed");
	if (csr_parse(blk.der, blk.len, &c, err) < 0)
		goto out;

	struct jw w = {.b = out};
	jw_open(&w, NULL, '{');
	jw_bytes(&w, "Raw", c.raw.raw, c.raw.rawlen);
	jw_bytes(&w, "RawTBSCertificateRequest", c.tbs.raw, c.tbs.rawlen);
	jw_bytes(&w, "RawSubjectPublicKeyInfo", c.spki.raw, c.spki.rawlen);
	jw_bytes(&w, "RawSubject", c.subject.raw, c.subject.rawlen);
	snprintf(num, sizeof num, "%lld", c.version);
	jw_raw(&w, "Version", num);
	jw_bytes(&w, "Signature", c.sig.content + 1, c.sig.len - 1);
	snprintf(num, sizeof num, "%d", c.sig_go);
	jw_raw(&w, "SignatureAlgorithm", num);
	snprintf(num, sizeof num, "%d", c.pk_go);
	jw_raw(&w, "PublicKeyAlgorithm", num);
	csr_public_key(&c, &w, "PublicKey", err);
	jw_pkix_name(&w, "Subject", &c.sub);
	jw_attributes(&w, &c);
	if (c.nexts) {
		jw_open(&w, "Extensions", '[');
		for (int i = 0; i < c.nexts; i++) {
			jw_open(&w, NULL, '{');
			jw_oid(&w, "Id", &c.ext_oid[i]);
			jw_raw(&w, "Critical", c.exts_crit[i] ? "true" : "false");
			jw_bytes(&w, "Value", c.exts[i].content, c.exts[i].len);
			jw_close(&w, '}');
		}
		jw_close(&w, ']');
	} else {
		jw_raw(&w, "Extensions", "null");
	}
	jw_raw(&w, "ExtraExtensions", "null");
	jw_strlist(&w, "DNSNames", &c.sans.dns, c.sans.ndns, 0);
	jw_strlist(&w, "EmailAddresses", &c.sans.email, c.sans.nemail, 0);
	if (c.sans.nip) {
		size_t off = 0, n;
		const unsigned char *ip;
		struct cf_buf t = CF_BUF_INIT;
		jw_open(&w, "IPAddresses", '[');
		while ((ip = next_ip(&c.sans.ip, &off, &n))) {
			cf_certinfo_ip_string(&t, ip, n);
			jw_str(&w, NULL, (const char *)t.data, t.len);
			cf_buf_release(&t);
		}
		jw_close(&w, ']');
	} else {
		jw_raw(&w, "IPAddresses", "null");
	}
	jw_strlist(&w, "URIs", &c.sans.uri, c.sans.nuri, 1);
	jw_close(&w, '}');
	cf_buf_addc(out, '\n');
	ret = 0;
out:
	csr_release(&c);
	cf_pem_block_release(&blk);
	return ret;
}

/* ---- -domain ---- */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Go prints errno texts in lower case ("connection refused"). */
static void errno_text(int e, char *buf, size_t n)
{
	snprintf(buf, n, "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
}

static void addr_text(const struct addrinfo *ai, char *buf, size_t n)
{
	char h[INET6_ADDRSTRLEN] = "?", p[8] = "?";
	getnameinfo(ai->ai_addr, ai->ai_addrlen, h, sizeof h, p, sizeof p,
		    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(buf, n, ai->ai_family == AF_INET6 ? "[%s]:%s" : "%s:%s", h, p);
}

/* One connect attempt bounded by @deadline. Returns the fd or -1 with
 * *@timed_out / *@e set. */
static int connect_one(const struct addrinfo *ai, long long deadline, int *timed_out, int *e)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		*e = errno;
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			*e = errno;
			close(fd);
			return -1;
		}
		struct pollfd pfd = {fd, POLLOUT, 0};
		long long left = deadline - now_ms();
		int pr = left > 0 ? poll(&pfd, 1, (int)left) : 0;
		if (pr <= 0) {
			*timed_out = pr == 0;
			*e = pr < 0 ? errno : ETIMEDOUT;
			close(fd);
			return -1;
		}
		int soerr = 0;
		socklen_t sl = sizeof soerr;
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
		if (soerr) {
			*e = soerr;
			close(fd);
			return -1;
		}
	}
	fcntl(fd, F_SETFL, fl);
	return fd;
}

static int is_ip_literal(const char *h)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, h, buf) == 1 || inet_pton(AF_INET6, h, buf) == 1;
}

/* The handshake on @fd; appends the leaf's DER to @der, or with @all every
 * certificate the server sent, as PEM. */
static int tls_peers(int fd, const char *host, long long deadline, int all, struct cf_buf *der,
		     struct cf_error *err)
{
	gnutls_session_t s = NULL;
	gnutls_certificate_credentials_t cred = NULL;
	int r, ret = -1;
	long long left = deadline - now_ms();
	if (left < 1)
		left = 1;
	struct timeval tv = {(time_t)(left / 1000), (suseconds_t)(left % 1000) * 1000};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

	if ((r = gnutls_certificate_allocate_credentials(&cred)) < 0 ||
	    (r = gnutls_init(&s, GNUTLS_CLIENT)) < 0 || (r = gnutls_set_default_priority(s)) < 0 ||
	    (r = gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred)) < 0 ||
	    (!is_ip_literal(host) &&
	     (r = gnutls_server_name_set(s, GNUTLS_NAME_DNS, host, strlen(host))) < 0)) {
		cf_error_set(err, CF_ERR_PLAIN, "tls: %s", gnutls_strerror(r));
		goto out;
	}
	gnutls_transport_set_int(s, fd);
	gnutls_handshake_set_timeout(s, (unsigned)left);
	do {
		r = gnutls_handshake(s);
	} while (r < 0 && !gnutls_error_is_fatal(r));
	if (r < 0) {
		if (r == GNUTLS_E_TIMEDOUT || now_ms() >= deadline)
			cf_error_set(err, CF_ERR_PLAIN, "tls: DialWithDialer timed out");
		else if (r == GNUTLS_E_PREMATURE_TERMINATION)
			cf_error_set(err, CF_ERR_PLAIN, "EOF");
		else if (r == GNUTLS_E_UNEXPECTED_PACKET_LENGTH ||
			 r == GNUTLS_E_UNSUPPORTED_VERSION_PACKET)
			cf_error_set(err, CF_ERR_PLAIN,
				     "tls: first record does not look like a TLS handshake");
		else
			cf_error_set(err, CF_ERR_PLAIN, "tls: %s", gnutls_strerror(r));
		goto out;
	}
	unsigned n = 0;
	const gnutls_datum_t *peers = gnutls_certificate_get_peers(s, &n);
	if (!peers || n == 0) {
		cf_error_set(err, CF_ERR_PLAIN, "received no server certificates");
		goto out;
	}
	if (!all)
		cf_buf_add(der, peers[0].data, peers[0].size);
	for (unsigned i = 0; all && i < n; i++)
		cf_pem_encode(der, "CERTIFICATE", peers[i].data, peers[i].size);
	gnutls_bye(s, GNUTLS_SHUT_WR);
	ret = 0;
out:
	if (s)
		gnutls_deinit(s);
	if (cred)
		gnutls_certificate_free_credentials(cred);
	return ret;
}

static int fetch(const char *domain, const char *sni, int timeout_ms, int all, struct cf_buf *der,
		 struct cf_error *err)
{
	/* net.SplitHostPort, falling back to the whole text and port 443. */
	char *host, *port;
	char *copy = cf_xstrdup(domain);
	char *colon = strrchr(copy, ':');
	if (copy[0] == '[') {
		char *close = strchr(copy, ']');
		if (close && close[1] == ':' && !strchr(close + 2, ':')) {
			*close = '\0';
			host = copy + 1;
			port = close + 2;
		} else if (close && close[1] == '\0') {
			*close = '\0';
			host = copy + 1;
			port = "443";
		} else {
			host = copy;
			port = "443";
		}
	} else if (colon && strchr(copy, ':') == colon) {
		*colon = '\0';
		host = copy;
		port = colon + 1;
	} else {
		host = copy;
		port = "443";
	}

	long long deadline = now_ms() + timeout_ms;
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int g = getaddrinfo(*host ? host : NULL, port, &hints, &res);
	int ret = -1;
	if (g != 0) {
		if (g == EAI_SERVICE)
			cf_error_set(err, CF_ERR_PLAIN, "dial tcp: lookup tcp/%s: unknown port",
				     port);
		else if (g == EAI_NONAME || g == EAI_NODATA)
			cf_error_set(err, CF_ERR_PLAIN, "dial tcp: lookup %s: no such host", host);
		else
			cf_error_set(err, CF_ERR_PLAIN, "dial tcp: lookup %s: %s", host,
				     gai_strerror(g));
		goto out;
	}
	int fd = -1, first_e = 0, first_to = 0;
	char first_addr[80] = "";
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		int to = 0, e = 0;
		fd = connect_one(ai, deadline, &to, &e);
		if (fd < 0 && !first_addr[0]) {
			addr_text(ai, first_addr, sizeof first_addr);
			first_e = e;
			first_to = to;
		}
		if (now_ms() >= deadline)
			break;
	}
	if (fd < 0) {
		char et[128];
		if (first_to) {
			cf_error_set(err, CF_ERR_PLAIN, "dial tcp %s: i/o timeout", first_addr);
		} else {
			errno_text(first_e, et, sizeof et);
			cf_error_set(err, CF_ERR_PLAIN, "dial tcp %s: connect: %s", first_addr, et);
		}
		goto out;
	}
	ret = tls_peers(fd, sni ? sni : host, deadline, all, der, err);
	close(fd);
out:
	if (res)
		freeaddrinfo(res);
	free(copy);
	return ret;
}

int cf_certinfo_fetch(const char *domain, int timeout_ms, struct cf_buf *der, struct cf_error *err)
{
	return fetch(domain, NULL, timeout_ms, 0, der, err);
}

int cf_certinfo_fetch_chain(const char *addr, const char *sni, int timeout_ms, struct cf_buf *pem,
			    struct cf_error *err)
{
	return fetch(addr, sni, timeout_ms, 1, pem, err);
}
