/* CRLs as Go 1.19's Certificate.CreateCRL encodes them. */
#include "crl.h"

#include <stdlib.h>
#include <string.h>

#include "bigint.h"
#include "der.h"
#include "goquote.h"

/* Appends the INTEGER contents of the value big.Int.SetString(s, 10) leaves
 * in a fresh Int, failed or not: sign, then decimal digits up to the first
 * other byte. */
static void serial_contents(const char *s, size_t n, struct cf_buf *out)
{
	size_t i = 0;
	int neg = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	size_t start = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	cf_bigint_der_from_decimal(s + start, i - start, neg, out);
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_space(c))
			continue;
		/* U+0085 and U+00A0, which Go's TrimSpace also removes */
		if (c == 0xc2 && i + 1 < n &&
		    ((unsigned char)s[i + 1] == 0x85 || (unsigned char)s[i + 1] == 0xa0)) {
			i++;
			continue;
		}
		return 0;
	}
	return 1;
}

size_t cf_crl_parse_serials(const char *data, size_t len, int64_t revoked_at,
			    struct cf_crl_entry **entries)
{
	struct cf_crl_entry *e = NULL;
	size_t n = 0, cap = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && data[i] != '\n')
			continue;
		const char *line = data + start;
		size_t ll = i - start;
		start = i + 1;
		if (blank(line, ll))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			e = cf_xrealloc(e, cap * sizeof *e);
		}
		struct cf_buf c = CF_BUF_INIT;
		serial_contents(line, ll, &c);
		e[n].serial = cf_buf_detach(&c, &e[n].serial_len);
		e[n].revoked_at = revoked_at;
		n++;
	}
	*entries = e;
	return n;
}

void cf_crl_entries_free(struct cf_crl_entry *entries, size_t n)
{
	if (!entries)
		return;
	for (size_t i = 0; i < n; i++)
		free(entries[i].serial);
	free(entries);
}

static int lower(int c)
{
	return c | 0x20;
}

/* Go's strconv underscoreOK. */
static int underscore_ok(const char *s)
{
	char saw = '^';
	size_t i = 0;
	int hex = 0;
	if (*s == '-' || *s == '+')
		s++;
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '0' &&
	    (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; i < n; i++) {
		if ((s[i] >= '0' && s[i] <= '9') ||
		    (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
			saw = '0';
			continue;
		}
		if (s[i] == '_') {
			if (saw != '0')
				return 0;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return 0;
		saw = '!';
	}
	return saw != '_';
}

static int num_error(struct cf_error *err, const char *s0, const char *what)
{
	struct cf_buf q = CF_BUF_INIT;
	cf_go_quote(&q, s0, strlen(s0));
	cf_error_set(err, CF_ERR_PLAIN, "strconv.ParseInt: parsing %s: %s", (const char *)q.data,
		     what);
	cf_buf_release(&q);
	return -1;
}

int cf_crl_parse_int32(const char *s0, long long *out, struct cf_error *err)
{
	const char *s = s0;
	int neg = 0;
	if (*s == '\0')
		return num_error(err, s0, "invalid syntax");
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	/* ParseUint(s, 0, 32) */
	const char *u0 = s;
	if (*s == '\0')
		return num_error(err, s0, "invalid syntax");
	unsigned base = 10;
	if (s[0] == '0') {
		size_t n = strlen(s);
		if (n >= 3 && lower(s[1]) == 'b') {
			base = 2;
			s += 2;
		} else if (n >= 3 && lower(s[1]) == 'o') {
			base = 8;
			s += 2;
		} else if (n >= 3 && lower(s[1]) == 'x') {
			base = 16;
			s += 2;
		} else {
			base = 8;
			s += 1;
		}
	}
	const unsigned long long maxval = 0xffffffffULL;
	const unsigned long long cutoff = UINT64_MAX / base + 1;
	unsigned long long n = 0;
	int underscores = 0, range = 0;
	for (; *s; s++) {
		unsigned c = (unsigned char)*s, d;
		if (c == '_') {
			underscores = 1;
			continue;
		}
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (lower((int)c) >= 'a' && lower((int)c) <= 'z')
			d = (unsigned)lower((int)c) - 'a' + 10;
		else
			return num_error(err, s0, "invalid syntax");
		if (d >= base)
			return num_error(err, s0, "invalid syntax");
		if (n >= cutoff) {
			range = 1;
			break;
		}
		n *= base;
		unsigned long long n1 = n + d;
		if (n1 < n || n1 > maxval) {
			range = 1;
			break;
		}
		n = n1;
	}
	if (!range && underscores && !underscore_ok(u0))
		return num_error(err, s0, "invalid syntax");
	const unsigned long long lim = 1ULL << 31;
	if (range || (!neg && n >= lim) || (neg && n > lim))
		return num_error(err, s0, "value out of range");
	*out = neg ? -(long long)n : (long long)n;
	return 0;
}

/* Standard attribute types of Go's pkix.Name: 2.5.4.N, in ToRDNSequence order. */
static const unsigned char name_order[] = {6, 8, 7, 9, 17, 10, 11, 3, 5};
#define NTYPES (sizeof name_order)

struct name_values {
	struct cf_buf *v; /* decoded UTF-8 strings */
	size_t n;
};

int cf_crl_go_name(const unsigned char *der, size_t len, struct cf_buf *out)
{
	struct name_values vals[NTYPES];
	memset(vals, 0, sizeof vals);
	int ret = -1;
	struct cf_der_reader top = {der, len}, rdns;
	struct cf_der_tlv name, rdn, atv, f;
	if (cf_der_next(&top, &name) != 1 || name.tag != CF_DER_SEQUENCE)
		goto out;
	rdns = (struct cf_der_reader){name.content, name.len};
	int r;
	while ((r = cf_der_next(&rdns, &rdn)) == 1) {
		if (rdn.tag != CF_DER_SET)
			goto out;
		struct cf_der_reader atvs = {rdn.content, rdn.len};
		while ((r = cf_der_next(&atvs, &atv)) == 1) {
			struct cf_der_reader fr = {atv.content, atv.len};
			if (atv.tag != CF_DER_SEQUENCE || cf_der_next(&fr, &f) != 1 ||
			    f.tag != CF_DER_OID)
				goto out;
			int std = f.len == 3 && f.content[0] == 0x55 && f.content[1] == 0x04;
			unsigned type = std ? f.content[2] : 0;
			if (cf_der_next(&fr, &f) != 1)
				goto out;
			size_t k;
			for (k = 0; k < NTYPES && name_order[k] != type; k++)
				;
			if (!std || k == NTYPES)
				continue;
			struct cf_buf s = CF_BUF_INIT;
			if (cf_der_string_utf8(&f, &s) <= 0) {
				cf_buf_release(&s);
				continue;
			}
			struct name_values *nv = &vals[k];
			if (type == 3 || type == 5) { /* CommonName, SerialNumber: last wins */
				for (size_t i = 0; i < nv->n; i++)
					cf_buf_release(&nv->v[i]);
				nv->n = 0;
			}
			nv->v = cf_xrealloc(nv->v, (nv->n + 1) * sizeof *nv->v);
			nv->v[nv->n++] = s;
		}
		if (r < 0)
			goto out;
	}
	if (r < 0)
		goto out;

	struct cf_buf seq = CF_BUF_INIT;
	for (size_t k = 0; k < NTYPES; k++) {
		struct name_values *nv = &vals[k];
		if (nv->n == 0 || ((name_order[k] == 3 || name_order[k] == 5) && nv->v[0].len == 0))
			continue;
		struct cf_buf *enc = cf_xcalloc(nv->n, sizeof *enc);
		for (size_t i = 0; i < nv->n; i++) {
			struct cf_buf a = CF_BUF_INIT;
			unsigned char oid[] = {0x55, 0x04, name_order[k]};
			cf_der_tlv(&a, CF_DER_OID, oid, sizeof oid);
			cf_der_go_string(&a, (const char *)nv->v[i].data, nv->v[i].len);
			cf_der_wrap(&enc[i], CF_DER_SEQUENCE, &a);
		}
		qsort(enc, nv->n, sizeof *enc, cf_der_cmp);
		struct cf_buf set = CF_BUF_INIT;
		for (size_t i = 0; i < nv->n; i++) {
			cf_buf_add(&set, enc[i].data, enc[i].len);
			cf_buf_release(&enc[i]);
		}
		free(enc);
		cf_der_wrap(&seq, CF_DER_SET, &set);
	}
	cf_der_wrap(out, CF_DER_SEQUENCE, &seq);
	ret = 0;
out:
	for (size_t k = 0; k < NTYPES; k++) {
		for (size_t i = 0; i < vals[k].n; i++)
			cf_buf_release(&vals[k].v[i]);
		free(vals[k].v);
	}
	return ret;
}

static gnutls_sign_algorithm_t sig_algo(const struct cf_key *key, const char **oid, int *null)
{
	*null = 0;
	if (key->pk == GNUTLS_PK_RSA) {
		*oid = "1.2.840.113549.1.1.11";
		*null = 1;
		return GNUTLS_SIGN_RSA_SHA256;
	}
	if (key->pk == GNUTLS_PK_ECDSA) {
		if (key->curve == GNUTLS_ECC_CURVE_SECP384R1) {
			*oid = "1.2.840.10045.4.3.3";
			return GNUTLS_SIGN_ECDSA_SHA384;
		}
		if (key->curve == GNUTLS_ECC_CURVE_SECP521R1) {
			*oid = "1.2.840.10045.4.3.4";
			return GNUTLS_SIGN_ECDSA_SHA512;
		}
		*oid = "1.2.840.10045.4.3.2";
		return GNUTLS_SIGN_ECDSA_SHA256;
	}
	if (key->pk == GNUTLS_PK_EDDSA_ED25519) {
		*oid = "1.3.101.112";
		return GNUTLS_SIGN_EDDSA_ED25519;
	}
	return GNUTLS_SIGN_UNKNOWN;
}

int cf_crl_sig_algid(const struct cf_key *key, struct cf_buf *out, struct cf_error *err)
{
	const char *oid;
	int null;
	if (sig_algo(key, &oid, &null) == GNUTLS_SIGN_UNKNOWN)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "x509: only RSA, ECDSA and Ed25519 keys supported");
	struct cf_buf a = CF_BUF_INIT;
	cf_der_oid(&a, oid);
	if (null)
		cf_der_null(&a);
	cf_der_wrap(out, CF_DER_SEQUENCE, &a);
	return 0;
}

int cf_crl_sign(const struct cf_key *key, const unsigned char *tbs, size_t len, struct cf_buf *sig,
		struct cf_error *err)
{
	const char *oid;
	int null;
	gnutls_sign_algorithm_t alg = sig_algo(key, &oid, &null);
	if (alg == GNUTLS_SIGN_UNKNOWN)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "x509: only RSA, ECDSA and Ed25519 keys supported");
	gnutls_datum_t in = {(unsigned char *)tbs, (unsigned)len}, s = {NULL, 0};
	int r = gnutls_privkey_sign_data2(key->priv, alg, 0, &in, &s);
	if (r < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "%s", gnutls_strerror(r));
	cf_buf_add(sig, s.data, s.size);
	gnutls_free(s.data);
	return 0;
}

static void extension(struct cf_buf *out, const char *oid, struct cf_buf *value)
{
	struct cf_buf e = CF_BUF_INIT;
	cf_der_oid(&e, oid);
	cf_der_wrap(&e, CF_DER_OCTET_STRING, value);
	cf_der_wrap(out, CF_DER_SEQUENCE, &e);
}

int cf_crl_create(gnutls_x509_crt_t issuer, const struct cf_key *key, const struct cf_crl_params *p,
		  struct cf_buf *der, struct cf_error *err)
{
	int ret = -1;
	struct cf_buf tbs = CF_BUF_INIT, body = CF_BUF_INIT, algid = CF_BUF_INIT, sig = CF_BUF_INIT,
		      crl = CF_BUF_INIT, name = CF_BUF_INIT;
	gnutls_datum_t dn = {NULL, 0};
	if (gnutls_x509_crt_get_raw_dn(issuer, &dn) < 0 ||
	    cf_crl_go_name(dn.data, dn.size, &name) < 0) {
		cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
		goto out;
	}

	if (cf_crl_sig_algid(key, &algid, err) < 0)
		goto out;

	cf_der_int(&body, 1);
	cf_buf_add(&body, algid.data, algid.len);
	cf_buf_add(&body, name.data, name.len);
	cf_der_time(&body, p->this_update);
	cf_der_time(&body, p->next_update);
	struct cf_buf revoked = CF_BUF_INIT;
	for (size_t i = 0; i < p->nentries; i++) {
		struct cf_buf e = CF_BUF_INIT;
		cf_der_tlv(&e, CF_DER_INTEGER, p->entries[i].serial, p->entries[i].serial_len);
		cf_der_time(&e, p->entries[i].revoked_at);
		cf_der_wrap(&revoked, CF_DER_SEQUENCE, &e);
	}
	/* CreateCRL hands asn1.Marshal a non-nil slice: an empty list stays. */
	cf_der_wrap(&body, CF_DER_SEQUENCE, &revoked);

	struct cf_buf exts = CF_BUF_INIT;
	unsigned char ski[64];
	size_t skilen = sizeof ski;
	unsigned int critical;
	if (gnutls_x509_crt_get_subject_key_id(issuer, ski, &skilen, &critical) >= 0 &&
	    skilen > 0) {
		struct cf_buf kid = CF_BUF_INIT, v = CF_BUF_INIT;
		cf_der_tlv(&kid, 0x80, ski, skilen);
		cf_der_wrap(&v, CF_DER_SEQUENCE, &kid);
		extension(&exts, "2.5.29.35", &v);
	}
	if (p->crl_number) {
		struct cf_buf v = CF_BUF_INIT;
		cf_der_int(&v, p->this_update);
		extension(&exts, "2.5.29.20", &v);
	}
	if (exts.len) {
		struct cf_buf seq = CF_BUF_INIT;
		cf_der_wrap(&seq, CF_DER_SEQUENCE, &exts);
		cf_der_wrap(&body, 0xa0, &seq);
	}
	cf_buf_release(&exts);
	cf_der_wrap(&tbs, CF_DER_SEQUENCE, &body);

	if (cf_crl_sign(key, tbs.data, tbs.len, &sig, err) < 0)
		goto out;
	cf_buf_add(&crl, tbs.data, tbs.len);
	cf_buf_add(&crl, algid.data, algid.len);
	struct cf_buf bits = CF_BUF_INIT;
	cf_buf_addc(&bits, 0);
	cf_buf_add(&bits, sig.data, sig.len);
	cf_der_wrap(&crl, CF_DER_BIT_STRING, &bits);
	cf_der_wrap(der, CF_DER_SEQUENCE, &crl);
	ret = 0;
out:
	gnutls_free(dn.data);
	cf_buf_release(&tbs);
	cf_buf_release(&body);
	cf_buf_release(&algid);
	cf_buf_release(&sig);
	cf_buf_release(&crl);
	cf_buf_release(&name);
	return ret;
}
