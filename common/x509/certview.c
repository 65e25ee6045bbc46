#include "certview.h"

#include <string.h>

#include "buf.h"
#include "der.h"
#include "duration.h"

/* cf_der_next, and the length in its minimal form (DER) */
static int next(struct cf_der_reader *r, struct cf_der_tlv *t, unsigned tag)
{
	if (cf_der_next(r, t) != 1 || t->tag != tag)
		return -1;
	size_t hdr = t->rawlen - t->len;
	if (hdr > 2 && (t->len < 0x80 || t->raw[2] == 0))
		return -1;
	return 0;
}

static int digits(const unsigned char *p, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

static int read_time(struct cf_der_reader *r, int64_t *out)
{
	struct cf_der_tlv t;
	if (cf_der_next(r, &t) != 1 || t.rawlen != t.len + 2)
		return -1;
	const unsigned char *p = t.content;
	int year, mon, day, h, m, s;
	if (t.tag == CF_DER_UTCTIME && t.len == 13 && p[12] == 'Z') {
		if (digits(p, 2, &year) < 0)
			return -1;
		year += year < 50 ? 2000 : 1900;
		p += 2;
	} else if (t.tag == CF_DER_GENERALIZEDTIME && t.len == 15 && p[14] == 'Z') {
		if (digits(p, 4, &year) < 0)
			return -1;
		p += 4;
	} else {
		return -1;
	}
	if (digits(p, 2, &mon) < 0 || digits(p + 2, 2, &day) < 0 || digits(p + 4, 2, &h) < 0 ||
	    digits(p + 6, 2, &m) < 0 || digits(p + 8, 2, &s) < 0)
		return -1;
	if (mon < 1 || mon > 12 || day < 1 || day > cf_days_in_month(mon, year) || h > 23 ||
	    m > 59 || s > 59)
		return -1;
	*out = cf_days_from_civil(year, mon, day) * 86400 + h * 3600 + m * 60 + s;
	return 0;
}

/* OBJECT IDENTIFIER contents: at least one arc, each in minimal base-128 */
static int oid_ok(const struct cf_der_tlv *t)
{
	if (t->len == 0 || (t->content[t->len - 1] & 0x80))
		return -1;
	for (size_t i = 0; i < t->len; i++)
		if (t->content[i] == 0x80 && (i == 0 || !(t->content[i - 1] & 0x80)))
			return -1;
	return 0;
}

/* AlgorithmIdentifier: an OID and at most one parameter element */
static int algid_ok(const struct cf_der_tlv *seq)
{
	struct cf_der_reader r = {seq->content, seq->len};
	struct cf_der_tlv oid, param;
	if (next(&r, &oid, CF_DER_OID) < 0 || oid_ok(&oid) < 0)
		return -1;
	if (r.len && (cf_der_next(&r, &param) != 1 || r.len))
		return -1;
	return 0;
}

/* the string types a name may use here, with their contents checked as Go checks them;
 * anything else goes to the full parser */
static int name_value_ok(const struct cf_der_tlv *t)
{
	if (t->rawlen - t->len > 2 && (t->len < 0x80 || t->raw[2] == 0))
		return -1;
	switch (t->tag) {
	case CF_DER_UTF8STRING: return cf_utf8_valid(t->content, t->len) ? 0 : -1;
	case CF_DER_PRINTABLESTRING:
		for (size_t i = 0; i < t->len; i++) {
			unsigned char c = t->content[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || strchr(" '()+,-./:=?*&", c)) ||
			    c == 0)
				return -1;
		}
		return 0;
	case CF_DER_IA5STRING:
		for (size_t i = 0; i < t->len; i++)
			if (t->content[i] >= 0x80)
				return -1;
		return 0;
	default: return -1;
	}
}

/* Name: SEQUENCE OF non-empty SET OF SEQUENCE { OID, string } */
static int name_ok(const struct cf_der_tlv *name)
{
	struct cf_der_reader r = {name->content, name->len}, set, atv;
	struct cf_der_tlv rdn, seq, oid, value;
	while (r.len) {
		if (next(&r, &rdn, CF_DER_SET) < 0 || rdn.len == 0)
			return -1;
		set = (struct cf_der_reader){rdn.content, rdn.len};
		while (set.len) {
			if (next(&set, &seq, CF_DER_SEQUENCE) < 0)
				return -1;
			atv = (struct cf_der_reader){seq.content, seq.len};
			if (next(&atv, &oid, CF_DER_OID) < 0 || oid_ok(&oid) < 0 ||
			    cf_der_next(&atv, &value) != 1 || atv.len || name_value_ok(&value) < 0)
				return -1;
		}
	}
	return 0;
}

/* SubjectPublicKeyInfo: an AlgorithmIdentifier and a BIT STRING */
static int spki_ok(const struct cf_der_tlv *spki)
{
	struct cf_der_reader r = {spki->content, spki->len};
	struct cf_der_tlv alg, bits;
	if (next(&r, &alg, CF_DER_SEQUENCE) < 0 || algid_ok(&alg) < 0 ||
	    next(&r, &bits, CF_DER_BIT_STRING) < 0 || r.len || bits.len < 1 ||
	    bits.content[0] > 7 || (bits.len == 1 && bits.content[0] != 0))
		return -1;
	return 0;
}

static int parse_bc(const struct cf_der_tlv *value, struct cf_cert_view *v)
{
	struct cf_der_reader r = {value->content, value->len}, in;
	struct cf_der_tlv seq, t;
	if (next(&r, &seq, CF_DER_SEQUENCE) < 0 || r.len)
		return -1;
	in = (struct cf_der_reader){seq.content, seq.len};
	v->has_bc = 1;
	v->bc_ca = 0;
	v->bc_pathlen = -1;
	if (in.len && in.p[0] == CF_DER_BOOLEAN) {
		/* DER: TRUE is 0xff, and a FALSE (the default) is left out */
		if (next(&in, &t, CF_DER_BOOLEAN) < 0 || t.len != 1 || t.content[0] != 0xff)
			return -1;
		v->bc_ca = 1;
	}
	if (in.len) {
		if (next(&in, &t, CF_DER_INTEGER) < 0 || t.len < 1 || t.len > 3 ||
		    (t.content[0] & 0x80) ||
		    (t.len > 1 && t.content[0] == 0 && !(t.content[1] & 0x80)))
			return -1;
		long n = 0;
		for (size_t i = 0; i < t.len; i++)
			n = n << 8 | t.content[i];
		v->bc_pathlen = n;
	}
	return in.len ? -1 : 0;
}

static int parse_ski(const struct cf_der_tlv *value, struct cf_cert_view *v)
{
	struct cf_der_reader r = {value->content, value->len};
	struct cf_der_tlv t;
	if (next(&r, &t, CF_DER_OCTET_STRING) < 0 || r.len)
		return -1;
	v->ski = t.content;
	v->ski_len = t.len;
	return 0;
}

/* keyUsage: a BIT STRING whose bit 5 is keyCertSign */
static int parse_ku(const struct cf_der_tlv *value, struct cf_cert_view *v)
{
	struct cf_der_reader r = {value->content, value->len};
	struct cf_der_tlv t;
	if (next(&r, &t, CF_DER_BIT_STRING) < 0 || r.len || t.len < 1 || t.content[0] > 7)
		return -1;
	v->has_ku = 1;
	v->ku_cert_sign = t.len >= 2 && (t.content[1] & 0x04);
	return 0;
}

static int parse_extensions(const struct cf_der_tlv *wrapper, struct cf_cert_view *v)
{
	static const unsigned char oid_bc[] = {0x55, 0x1d, 0x13}, oid_ski[] = {0x55, 0x1d, 0x0e};
	static const unsigned char oid_ku[] = {0x55, 0x1d, 0x0f};
	static const unsigned char oid_san[] = {0x55, 0x1d, 0x11}, oid_ian[] = {0x55, 0x1d, 0x12};
	struct cf_der_reader r = {wrapper->content, wrapper->len}, list, e;
	struct cf_der_tlv seq, ext, oid, crit, value;
	if (next(&r, &seq, CF_DER_SEQUENCE) < 0 || r.len || seq.len == 0)
		return -1;
	list = (struct cf_der_reader){seq.content, seq.len};
	/* raw OIDs seen, to refuse duplicates as Go and GnuTLS do */
	const unsigned char *seen[64];
	size_t seen_len[64], nseen = 0;
	while (list.len) {
		if (next(&list, &ext, CF_DER_SEQUENCE) < 0)
			return -1;
		e = (struct cf_der_reader){ext.content, ext.len};
		if (next(&e, &oid, CF_DER_OID) < 0 || oid_ok(&oid) < 0)
			return -1;
		if (e.len && e.p[0] == CF_DER_BOOLEAN) {
			if (next(&e, &crit, CF_DER_BOOLEAN) < 0 || crit.len != 1 ||
			    crit.content[0] != 0xff)
				return -1;
		}
		if (next(&e, &value, CF_DER_OCTET_STRING) < 0 || e.len)
			return -1;
		if (nseen == sizeof seen / sizeof seen[0])
			return -1;
		for (size_t i = 0; i < nseen; i++)
			if (seen_len[i] == oid.len && memcmp(seen[i], oid.content, oid.len) == 0)
				return -1;
		seen[nseen] = oid.content;
		seen_len[nseen++] = oid.len;
		/* GnuTLS decodes the alternative names as it imports a certificate and refuses
		 * it when they do not decode: left to it */
		if (oid.len == 3 &&
		    (memcmp(oid.content, oid_san, 3) == 0 || memcmp(oid.content, oid_ian, 3) == 0))
			return -1;
		if (oid.len == 3 && memcmp(oid.content, oid_bc, 3) == 0) {
			if (parse_bc(&value, v) < 0)
				return -1;
		} else if (oid.len == 3 && memcmp(oid.content, oid_ski, 3) == 0) {
			if (parse_ski(&value, v) < 0)
				return -1;
		} else if (oid.len == 3 && memcmp(oid.content, oid_ku, 3) == 0) {
			if (parse_ku(&value, v) < 0)
				return -1;
		}
	}
	return 0;
}

int cf_cert_view_parse(const unsigned char *der, size_t len, struct cf_cert_view *v)
{
	memset(v, 0, sizeof *v);
	v->bc_pathlen = -1;
	struct cf_der_reader top = {der, len}, c, tbs, val;
	struct cf_der_tlv cert, t, algid, sig, serial, sigalg, issuer, validity, subject, spki;
	if (next(&top, &cert, CF_DER_SEQUENCE) < 0 || top.len)
		return -1;
	c = (struct cf_der_reader){cert.content, cert.len};
	if (next(&c, &t, CF_DER_SEQUENCE) < 0 || next(&c, &algid, CF_DER_SEQUENCE) < 0 ||
	    next(&c, &sig, CF_DER_BIT_STRING) < 0 || c.len || sig.len < 1 || sig.content[0] != 0)
		return -1;
	tbs = (struct cf_der_reader){t.content, t.len};
	int version = 0;
	if (tbs.len && tbs.p[0] == 0xa0) {
		struct cf_der_tlv vw, vi;
		if (next(&tbs, &vw, 0xa0) < 0)
			return -1;
		struct cf_der_reader vr = {vw.content, vw.len};
		/* v2 or v3 (v1 is left out in DER) */
		if (next(&vr, &vi, CF_DER_INTEGER) < 0 || vr.len || vi.len != 1 ||
		    (vi.content[0] != 1 && vi.content[0] != 2))
			return -1;
		version = vi.content[0];
	}
	if (next(&tbs, &serial, CF_DER_INTEGER) < 0 || serial.len == 0 ||
	    next(&tbs, &sigalg, CF_DER_SEQUENCE) < 0 || next(&tbs, &issuer, CF_DER_SEQUENCE) < 0 ||
	    next(&tbs, &validity, CF_DER_SEQUENCE) < 0 ||
	    next(&tbs, &subject, CF_DER_SEQUENCE) < 0 || next(&tbs, &spki, CF_DER_SEQUENCE) < 0)
		return -1;
	/* the signature algorithm inside and outside the signed part agree */
	if (sigalg.rawlen != algid.rawlen || memcmp(sigalg.raw, algid.raw, algid.rawlen) != 0 ||
	    algid_ok(&algid) < 0)
		return -1;
	if (name_ok(&issuer) < 0 || name_ok(&subject) < 0 || spki_ok(&spki) < 0)
		return -1;
	val = (struct cf_der_reader){validity.content, validity.len};
	if (read_time(&val, &v->not_before) < 0 || read_time(&val, &v->not_after) < 0 || val.len)
		return -1;
	/* no issuer or subject unique identifiers ([1], [2]): rare enough for the full parser */
	if (tbs.len) {
		struct cf_der_tlv exts;
		if (version != 2 || next(&tbs, &exts, 0xa3) < 0 || tbs.len ||
		    parse_extensions(&exts, v) < 0)
			return -1;
	}
	v->version = version;
	v->subject = subject.raw;
	v->subject_len = subject.rawlen;
	v->spki = spki.raw;
	v->spki_len = spki.rawlen;
	return 0;
}
