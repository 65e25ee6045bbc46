#include "pem.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/pkcs7.h>

#include "base64.h"
#include "der.h"
#include "fileio.h"
#include "keygen.h"

void cf_pem_encode(struct cf_buf *out, const char *label, const unsigned char *der, size_t len)
{
	struct cf_buf b = CF_BUF_INIT;
	cf_base64_encode(&b, der, len);
	cf_buf_printf(out, "-----BEGIN %s-----\n", label);
	for (size_t i = 0; i < b.len; i += 64) {
		size_t n = b.len - i < 64 ? b.len - i : 64;
		cf_buf_add(out, b.data + i, n);
		cf_buf_addc(out, '\n');
	}
	cf_buf_printf(out, "-----END %s-----\n", label);
	cf_buf_release(&b);
}

static const char *memfind(const char *h, size_t hl, const char *n)
{
	/* an empty input may come with no buffer at all, which memmem must not see */
	return hl ? memmem(h, hl, n, strlen(n)) : NULL;
}

void cf_pem_block_release(struct cf_pem_block *blk)
{
	if (!blk)
		return;
	free(blk->type);
	cf_wipe_free(blk->der, blk->len);
	free(blk->dek_info);
	memset(blk, 0, sizeof *blk);
}

/* One attempt at a block starting at @begin; returns 1 on success. */
static int decode_at(const char *begin, const char *end, struct cf_pem_block *blk,
		     const char **rest)
{
	const char *p = begin + strlen("-----BEGIN ");
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		return 0;
	const char *line_end = eol;
	if (line_end > p && line_end[-1] == '\r')
		line_end--;
	if (line_end - p < 5 || memcmp(line_end - 5, "-----", 5) != 0)
		return 0;
	size_t tlen = (size_t)(line_end - 5 - p);
	char *type = cf_xmemdup(p, tlen);
	p = eol + 1;

	/* Headers: "Key: value" lines up to a blank line. */
	int encrypted = 0;
	char *dek = NULL;
	const char *q = p;
	int saw_header = 0;
	for (;;) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		if (!nl)
			break;
		const char *le = nl;
		if (le > q && le[-1] == '\r')
			le--;
		const char *colon = memchr(q, ':', (size_t)(le - q));
		if (!colon)
			break;
		saw_header = 1;
		if ((size_t)(colon - q) == 9 && memcmp(q, "Proc-Type", 9) == 0 &&
		    memfind(colon, (size_t)(le - colon), "ENCRYPTED"))
			encrypted = 1;
		if ((size_t)(colon - q) == 8 && memcmp(q, "DEK-Info", 8) == 0) {
			const char *v = colon + 1;
			while (v < le && *v == ' ')
				v++;
			free(dek);
			dek = cf_xmemdup(v, (size_t)(le - v));
		}
		q = nl + 1;
	}
	if (saw_header) {
		/* skip the blank line after the headers */
		if (q < end && *q == '\r')
			q++;
		if (q < end && *q == '\n')
			q++;
		p = q;
	}

	struct cf_buf endmark = CF_BUF_INIT;
	cf_buf_printf(&endmark, "-----END %s-----", type);
	const char *e = memfind(p, (size_t)(end - p), (const char *)endmark.data);
	if (!e) {
		cf_buf_release(&endmark);
		free(type);
		free(dek);
		return 0;
	}
	/* Go's pem.Decode drops spaces and tabs; the decoder skips CR and LF. */
	struct cf_buf body = CF_BUF_INIT, der = CF_BUF_INIT;
	cf_buf_reserve(&body, (size_t)(e - p));
	for (const char *c = p; c < e; c++)
		if (*c != ' ' && *c != '\t')
			cf_buf_addc(&body, (unsigned char)*c);
	size_t bad;
	int dr = cf_base64_decode(body.data, body.len, &der, &bad);
	cf_buf_release(&body);
	if (dr < 0) {
		cf_buf_release(&der);
		cf_buf_release(&endmark);
		free(type);
		free(dek);
		return 0;
	}
	const char *after = e + endmark.len;
	cf_buf_release(&endmark);
	/* Go's pem.Decode: the rest of the END line (its getLine: up to LF, a CR before the LF
	 * dropped, then spaces and tabs trimmed) must be empty, else there is no block here. */
	const char *nl = memchr(after, '\n', (size_t)(end - after));
	const char *le = nl ? nl : end;
	if (nl && le > after && le[-1] == '\r')
		le--;
	while (le > after && (le[-1] == ' ' || le[-1] == '\t'))
		le--;
	if (le != after) {
		cf_buf_release(&der);
		free(type);
		free(dek);
		return 0;
	}
	after = nl ? nl + 1 : end;
	blk->type = type;
	blk->der = cf_buf_detach(&der, &blk->len);
	blk->encrypted = encrypted;
	blk->dek_info = dek;
	*rest = after;
	return 1;
}

int cf_pem_decode(const char *data, size_t len, struct cf_pem_block *blk, const char **rest,
		  size_t *restlen)
{
	memset(blk, 0, sizeof *blk);
	const char *end = data + len;
	const char *p = data;
	for (;;) {
		const char *b = memfind(p, (size_t)(end - p), "-----BEGIN ");
		if (!b)
			return 0;
		/* Go requires BEGIN at the start of the input or of a line. */
		if (b == data || b[-1] == '\n') {
			const char *r;
			if (decode_at(b, end, blk, &r)) {
				if (rest)
					*rest = r;
				if (restlen)
					*restlen = (size_t)(end - r);
				return 1;
			}
		}
		p = b + 1;
	}
}

int cf_read_prefixed(const char *spec, struct cf_buf *out, struct cf_error *err)
{
	const char *colon = strchr(spec, ':');
	if (!colon)
		return cf_read_file(spec, out, err);
	size_t plen = (size_t)(colon - spec);
	if (plen == 4 && memcmp(spec, "file", 4) == 0)
		return cf_read_file(colon + 1, out, err);
	if (plen == 3 && memcmp(spec, "env", 3) == 0) {
		const char *v = getenv(colon + 1);
		if (v)
			cf_buf_adds(out, v);
		return 0;
	}
	return cf_error_set(err, CF_ERR_PLAIN, "unknown prefix: %.*s", (int)plen, spec);
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* cfssl's TrimSpace of a certificate file */
static const char *trim(const unsigned char *data, size_t *len)
{
	const char *s = (const char *)data;
	while (*len && is_space((unsigned char)*s)) {
		s++;
		(*len)--;
	}
	while (*len && is_space((unsigned char)s[*len - 1]))
		(*len)--;
	return s;
}

/* Go 1.19 refuses an RSA SubjectPublicKeyInfo whose AlgorithmIdentifier parameters are
 * not exactly NULL ("x509: RSA key missing NULL parameters"); GnuTLS accepts it. 0 when
 * @spki (the TLV) is such a key. */
static int go_spki_ok(const unsigned char *spki, size_t len)
{
	static const unsigned char rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
	struct cf_der_reader r = {spki, len}, in;
	struct cf_der_tlv seq, alg, oid, params;
	if (cf_der_next(&r, &seq) != 1 || seq.tag != CF_DER_SEQUENCE)
		return 1;
	in = (struct cf_der_reader){seq.content, seq.len};
	if (cf_der_next(&in, &alg) != 1 || alg.tag != CF_DER_SEQUENCE)
		return 1;
	in = (struct cf_der_reader){alg.content, alg.len};
	if (cf_der_next(&in, &oid) != 1 || oid.tag != CF_DER_OID || oid.len != sizeof rsa ||
	    memcmp(oid.content, rsa, sizeof rsa) != 0)
		return 1;
	return cf_der_next(&in, &params) == 1 && params.tag == CF_DER_NULL && params.len == 0 &&
	       in.len == 0;
}

/* go_spki_ok for the key of the certificate @der. */
static int go_crt_key_ok(const unsigned char *der, size_t len)
{
	struct cf_der_reader r = {der, len}, in;
	struct cf_der_tlv t;
	if (cf_der_next(&r, &t) != 1 || t.tag != CF_DER_SEQUENCE)
		return 1;
	in = (struct cf_der_reader){t.content, t.len};
	if (cf_der_next(&in, &t) != 1 || t.tag != CF_DER_SEQUENCE)
		return 1;
	in = (struct cf_der_reader){t.content, t.len};
	/* [0] version, serial, signature, issuer, validity, subject, then the key */
	if (cf_der_next(&in, &t) != 1)
		return 1;
	for (int i = t.tag == 0xa0 ? 0 : 1; i < 6; i++)
		if (cf_der_next(&in, &t) != 1)
			return 1;
	return go_spki_ok(t.raw, t.rawlen);
}

int cf_cert_pem_view(const unsigned char *data, size_t len, struct cf_pem_block *blk,
		     struct cf_cert_view *v)
{
	const char *s = trim(data, &len);
	const char *rest;
	size_t restlen;
	if (!cf_pem_decode(s, len, blk, &rest, &restlen))
		return -1;
	if (restlen > 0 || cf_cert_view_parse(blk->der, blk->len, v) < 0 ||
	    !go_spki_ok(v->spki, v->spki_len)) {
		cf_pem_block_release(blk);
		return -1;
	}
	return 0;
}

/* Appends to @out the subjectAltName value @val (the OCTET STRING's TLV) without its empty
 * rfc822Name, dNSName and URI entries. 0: nothing to drop (nothing appended); 1: appended;
 * 2: every entry was empty (nothing appended: the extension goes). */
static int san_without_empty(const struct cf_der_tlv *val, struct cf_buf *out)
{
	struct cf_der_reader r = {val->content, val->len}, gr;
	struct cf_der_tlv seq, gn;
	if (val->tag != CF_DER_OCTET_STRING || cf_der_next(&r, &seq) != 1 ||
	    seq.tag != CF_DER_SEQUENCE || r.len)
		return 0;
	gr = (struct cf_der_reader){seq.content, seq.len};
	struct cf_buf names = CF_BUF_INIT;
	int dropped = 0, k;
	while ((k = cf_der_next(&gr, &gn)) == 1) {
		if ((gn.tag == 0x81 || gn.tag == 0x82 || gn.tag == 0x86) && gn.len == 0)
			dropped = 1;
		else
			cf_buf_add(&names, gn.raw, gn.rawlen);
	}
	if (k < 0 || !dropped || !names.len) {
		cf_buf_release(&names);
		return k < 0 || !dropped ? 0 : 2;
	}
	struct cf_buf inner = CF_BUF_INIT;
	cf_der_wrap(&inner, CF_DER_SEQUENCE, &names);
	cf_der_wrap(out, CF_DER_OCTET_STRING, &inner);
	return 1;
}

/* Rewrites the extensions [3] TLV @w into @out with the empty names dropped. 1 when changed. */
static int exts_without_empty(const struct cf_der_tlv *w, struct cf_buf *out)
{
	static const unsigned char oid_san[] = {0x55, 0x1d, 0x11};
	struct cf_der_reader r = {w->content, w->len}, list;
	struct cf_der_tlv seq, ext, t;
	if (cf_der_next(&r, &seq) != 1 || seq.tag != CF_DER_SEQUENCE || r.len)
		return 0;
	list = (struct cf_der_reader){seq.content, seq.len};
	struct cf_buf exts = CF_BUF_INIT;
	int changed = 0;
	while (cf_der_next(&list, &ext) == 1) {
		struct cf_der_reader e = {ext.content, ext.len};
		struct cf_buf one = CF_BUF_INIT;
		int k = 0;
		if (cf_der_next(&e, &t) == 1 && t.tag == CF_DER_OID && t.len == 3 &&
		    memcmp(t.content, oid_san, 3) == 0) {
			cf_buf_add(&one, t.raw, t.rawlen);
			while (cf_der_next(&e, &t) == 1 && t.tag != CF_DER_OCTET_STRING)
				cf_buf_add(&one, t.raw, t.rawlen);
			if (!e.len)
				k = san_without_empty(&t, &one);
		}
		if (k == 1)
			cf_der_wrap(&exts, CF_DER_SEQUENCE, &one);
		else if (k == 0)
			cf_buf_add(&exts, ext.raw, ext.rawlen);
		cf_buf_release(&one);
		changed |= k != 0;
	}
	if (changed) {
		struct cf_buf inner = CF_BUF_INIT;
		cf_der_wrap(&inner, CF_DER_SEQUENCE, &exts);
		cf_der_wrap(out, w->tag, &inner);
	}
	cf_buf_release(&exts);
	return changed;
}

/* @der with the empty names of its subjectAltName dropped (the signature no longer matches).
 * 1 when changed, with @out filled. */
static int crt_without_empty_names(const unsigned char *der, size_t len, struct cf_buf *out)
{
	struct cf_der_reader top = {der, len}, c, tbs;
	struct cf_der_tlv cert, t, item;
	if (cf_der_next(&top, &cert) != 1 || cert.tag != CF_DER_SEQUENCE || top.len)
		return 0;
	c = (struct cf_der_reader){cert.content, cert.len};
	if (cf_der_next(&c, &t) != 1 || t.tag != CF_DER_SEQUENCE)
		return 0;
	tbs = (struct cf_der_reader){t.content, t.len};
	struct cf_buf nt = CF_BUF_INIT;
	int changed = 0;
	while (cf_der_next(&tbs, &item) == 1) {
		if (item.tag == 0xa3 && exts_without_empty(&item, &nt))
			changed = 1;
		else
			cf_buf_add(&nt, item.raw, item.rawlen);
	}
	if (!changed || tbs.len) {
		cf_buf_release(&nt);
		return 0;
	}
	struct cf_buf whole = CF_BUF_INIT;
	cf_der_wrap(&whole, CF_DER_SEQUENCE, &nt);
	cf_buf_add(&whole, c.p, c.len); /* signatureAlgorithm and signature as they are */
	cf_der_wrap(out, CF_DER_SEQUENCE, &whole);
	return 1;
}

int cf_crt_import_der(const unsigned char *der, size_t len, gnutls_x509_crt_t *crt, int *altered)
{
	if (!go_crt_key_ok(der, len))
		return -1;
	gnutls_x509_crt_t c;
	int alt_used = 0;
	if (len > UINT_MAX || gnutls_x509_crt_init(&c) < 0)
		return -1;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	int r = gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_DER);
	if (r < 0) {
		/* Go reads an empty name, GnuTLS refuses it: GnuTLS gets the rest */
		struct cf_buf alt = CF_BUF_INIT;
		if (crt_without_empty_names(der, len, &alt)) {
			gnutls_x509_crt_deinit(c);
			if (gnutls_x509_crt_init(&c) < 0) {
				cf_buf_release(&alt);
				return -1;
			}
			d = (gnutls_datum_t){alt.data, (unsigned)alt.len};
			r = gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_DER);
			alt_used = 1;
		}
		cf_buf_release(&alt);
	}
	if (r < 0) {
		gnutls_x509_crt_deinit(c);
		return -1;
	}
	*crt = c;
	if (altered)
		*altered = alt_used;
	return 0;
}

/* cfssl's PKCS #7 parser maps SignedData onto a Go struct whose optional certificates and
 * crls fields take whatever comes next, so it accepts only a SignedData with at least six
 * elements (version, digestAlgorithms, contentInfo, certificates, crls, signerInfos). */
static int go_pkcs7_shape(const unsigned char *der, size_t len)
{
	struct cf_der_reader r = {der, len}, in;
	struct cf_der_tlv ci, oid, ctx, sd, t;
	if (cf_der_next(&r, &ci) != 1 || ci.tag != CF_DER_SEQUENCE)
		return 0;
	in = (struct cf_der_reader){ci.content, ci.len};
	if (cf_der_next(&in, &oid) != 1 || cf_der_next(&in, &ctx) != 1 || ctx.tag != 0xa0)
		return 0;
	in = (struct cf_der_reader){ctx.content, ctx.len};
	if (cf_der_next(&in, &sd) != 1 || sd.tag != CF_DER_SEQUENCE)
		return 0;
	in = (struct cf_der_reader){sd.content, sd.len};
	int n = 0;
	while (cf_der_next(&in, &t) == 1)
		n++;
	return n >= 6;
}

int cf_pkcs7_certs(const unsigned char *der, size_t len, struct cf_buf *out)
{
	if (len > UINT_MAX || !go_pkcs7_shape(der, len))
		return -1;
	gnutls_pkcs7_t p7;
	if (gnutls_pkcs7_init(&p7) < 0)
		return -1;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	int ret = -1;
	if (gnutls_pkcs7_import(p7, &d, GNUTLS_X509_FMT_DER) < 0)
		goto out;
	int n = gnutls_pkcs7_get_crt_count(p7);
	if (n <= 0)
		goto out;
	for (int i = 0; i < n; i++) {
		gnutls_datum_t c = {NULL, 0};
		if (gnutls_pkcs7_get_crt_raw2(p7, (unsigned)i, &c) < 0)
			goto out;
		cf_buf_add(out, c.data, c.size);
		gnutls_free(c.data);
	}
	ret = n;
out:
	gnutls_pkcs7_deinit(p7);
	return ret;
}

int cf_parse_cert_pem_der(const unsigned char *data, size_t len, gnutls_x509_crt_t *crt,
			  struct cf_buf *der, struct cf_error *err)
{
	const char *s = trim(data, &len);
	struct cf_pem_block blk;
	const char *rest;
	size_t restlen;
	if (!cf_pem_decode(s, len, &blk, &rest, &restlen))
		return cf_error_set(err, CF_ERR_CERT_DECODE, "Failed to decode certificate");
	int ret = -1, ncerts = 1;
	gnutls_x509_crt_t c = NULL;
	const unsigned char *cder = blk.der;
	size_t clen = blk.len;
	struct cf_buf p7 = CF_BUF_INIT;
	if (cf_crt_import_der(blk.der, blk.len, &c, NULL) < 0) {
		/* cfssl reads the certificates of a PKCS #7 SignedData in its place */
		struct cf_der_reader r;
		struct cf_der_tlv first;
		ncerts = cf_pkcs7_certs(blk.der, blk.len, &p7);
		r = (struct cf_der_reader){p7.data, p7.len};
		if (ncerts <= 0 || cf_der_next(&r, &first) != 1 ||
		    cf_crt_import_der(first.raw, first.rawlen, &c, NULL) < 0) {
			cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
			goto out;
		}
		for (struct cf_der_tlv t; cf_der_next(&r, &t) == 1;) {
			gnutls_x509_crt_t other;
			if (cf_crt_import_der(t.raw, t.rawlen, &other, NULL) < 0) {
				cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
				goto out;
			}
			gnutls_x509_crt_deinit(other);
		}
		cder = first.raw;
		clen = first.rawlen;
	}
	if (restlen > 0) {
		cf_error_set(err, CF_ERR_CERT_PARSE, "the PEM file should contain only one object");
		goto out;
	}
	if (ncerts > 1) {
		cf_error_set(
			err, CF_ERR_CERT_PARSE,
			"the PKCS7 object in the PEM file should contain only one certificate");
		goto out;
	}
	if (der)
		cf_buf_add(der, cder, clen);
	*crt = c;
	c = NULL;
	ret = 0;
out:
	if (c)
		gnutls_x509_crt_deinit(c);
	cf_buf_release(&p7);
	cf_pem_block_release(&blk);
	return ret;
}

int cf_parse_cert_pem(const unsigned char *data, size_t len, gnutls_x509_crt_t *crt,
		      struct cf_error *err)
{
	return cf_parse_cert_pem_der(data, len, crt, NULL, err);
}

int cf_crt_spki(gnutls_x509_crt_t crt, struct cf_buf *out)
{
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t d = {NULL, 0};
	int r = gnutls_pubkey_init(&pub);
	if (r >= 0)
		r = gnutls_pubkey_import_x509(pub, crt, 0);
	if (r >= 0)
		r = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &d);
	if (pub)
		gnutls_pubkey_deinit(pub);
	if (r < 0)
		return -1;
	cf_buf_add(out, d.data, d.size);
	gnutls_free(d.data);
	return 0;
}

/* 0 when @der is a SEQUENCE whose first element is an INTEGER and whose second is not a
 * SEQUENCE: not a PrivateKeyInfo. 1 otherwise (try it). */
static int maybe_pkcs8(const unsigned char *der, size_t len)
{
	struct cf_der_reader r = {der, len}, in;
	struct cf_der_tlv seq, version, second;
	if (cf_der_next(&r, &seq) != 1 || seq.tag != CF_DER_SEQUENCE)
		return 1;
	in = (struct cf_der_reader){seq.content, seq.len};
	if (cf_der_next(&in, &version) != 1 || version.tag != CF_DER_INTEGER ||
	    cf_der_next(&in, &second) != 1)
		return 1;
	return second.tag == CF_DER_SEQUENCE;
}

/* PKCS#8 first, unless the DER cannot be PKCS#8: its version INTEGER is followed by an
 * AlgorithmIdentifier SEQUENCE, PKCS#1's and SEC1's by an INTEGER and an OCTET STRING (a
 * failed attempt costs a libtasn1 decode). */
static int import_der(gnutls_x509_privkey_t k, const unsigned char *der, size_t len)
{
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	if ((!maybe_pkcs8(der, len) ||
	     gnutls_x509_privkey_import_pkcs8(k, &d, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN) <
		     0) &&
	    gnutls_x509_privkey_import(k, &d, GNUTLS_X509_FMT_DER) < 0)
		return -1;
	return 0;
}

int cf_parse_key_der(const unsigned char *der, size_t len, gnutls_x509_privkey_t *key,
		     struct cf_error *err)
{
	gnutls_x509_privkey_t k = NULL;
	if (gnutls_x509_privkey_init(&k) < 0 || import_der(k, der, len) < 0 ||
	    !cf_key_go_parses(k)) {
		if (k)
			gnutls_x509_privkey_deinit(k);
		return cf_error_set(err, CF_ERR_KEY_PARSE, "Failed to parse private key");
	}
	*key = k;
	return 0;
}

int cf_parse_key_pem(const unsigned char *data, size_t len, const char *password,
		     gnutls_x509_privkey_t *key, struct cf_error *err)
{
	const char *s = (const char *)data;
	struct cf_pem_block blk;
	const char *rest;
	size_t restlen;
	for (;;) {
		if (!cf_pem_decode(s, len, &blk, &rest, &restlen))
			return cf_error_set(err, CF_ERR_KEY_DECODE, "Failed to decode private key");
		if (strcmp(blk.type, "EC PARAMETERS") != 0)
			break;
		cf_pem_block_release(&blk);
		s = rest;
		len = restlen;
	}
	int ret = -1;
	gnutls_x509_privkey_t k = NULL;
	if (gnutls_x509_privkey_init(&k) < 0)
		goto parse_err;
	if (blk.encrypted) {
		if (!password || !*password) {
			cf_error_set(err, CF_ERR_KEY_ENCRYPTED, "Private key is encrypted.");
			goto out;
		}
		/* GnuTLS decrypts legacy OpenSSL PEM encryption from the text form. */
		struct cf_buf pem = CF_BUF_INIT;
		cf_buf_printf(&pem, "-----BEGIN %s-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: %s\n\n",
			      blk.type, blk.dek_info ? blk.dek_info : "");
		struct cf_buf b64 = CF_BUF_INIT;
		cf_base64_encode(&b64, blk.der, blk.len);
		cf_buf_add(&pem, b64.data, b64.len);
		cf_buf_printf(&pem, "\n-----END %s-----\n", blk.type);
		cf_buf_release(&b64);
		gnutls_datum_t d = {pem.data, (unsigned)pem.len};
		int r = gnutls_x509_privkey_import_openssl(k, &d, password);
		cf_buf_release(&pem);
		if (r < 0)
			goto parse_err;
	} else if (import_der(k, blk.der, blk.len) < 0) {
		goto parse_err;
	}
	if (!cf_key_go_parses(k))
		goto parse_err;
	*key = k;
	k = NULL;
	ret = 0;
	goto out;
parse_err:
	cf_error_set(err, CF_ERR_KEY_PARSE, "Failed to parse private key");
out:
	if (k)
		gnutls_x509_privkey_deinit(k);
	cf_pem_block_release(&blk);
	return ret;
}

/* Go's VerifyHostname (DNS names case-insensitive, "*." as the leftmost label only). */
static int dns_match(const char *pat, const char *host)
{
	if (!strncmp(pat, "*.", 2)) {
		const char *dot = strchr(host, '.');
		return dot && dot != host && !strcasecmp(pat + 1, dot);
	}
	size_t n = strlen(pat);
	if (n && pat[n - 1] == '.')
		n--;
	size_t hn = strlen(host);
	if (hn && host[hn - 1] == '.')
		hn--;
	return n == hn && !strncasecmp(pat, host, n);
}

int cf_crt_hostname_error(gnutls_x509_crt_t crt, const char *h, struct cf_buf *m)
{
	struct cf_buf dns = CF_BUF_INIT, ips = CF_BUF_INIT;
	unsigned char want[16];
	int want_len = inet_pton(AF_INET, h, want) == 1    ? 4
		       : inet_pton(AF_INET6, h, want) == 1 ? 16
							   : 0;
	int matched = 0, has_san = 0;
	for (unsigned i = 0;; i++) {
		char buf[1024];
		size_t len = sizeof buf - 1;
		int type = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &len, NULL);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		has_san = 1;
		if (type == GNUTLS_E_SHORT_MEMORY_BUFFER || type < 0)
			continue;
		buf[len] = '\0';
		if (type == GNUTLS_SAN_DNSNAME) {
			cf_buf_adds(&dns, dns.len ? ", " : "");
			cf_buf_adds(&dns, buf);
			matched |= !want_len && dns_match(buf, h);
		} else if (type == GNUTLS_SAN_IPADDRESS && (len == 4 || len == 16)) {
			char txt[INET6_ADDRSTRLEN];
			inet_ntop(len == 4 ? AF_INET : AF_INET6, buf, txt, sizeof txt);
			cf_buf_adds(&ips, ips.len ? ", " : "");
			cf_buf_adds(&ips, txt);
			matched |= want_len == (int)len && !memcmp(buf, want, len);
		}
	}
	char cn[256];
	size_t cnl = sizeof cn;
	if (!matched) {
		if (!has_san &&
		    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn,
						  &cnl) == 0 &&
		    dns_match(cn, h))
			cf_buf_adds(
				m, "x509: certificate relies on legacy Common Name field, use SANs "
				   "instead");
		else if (want_len && !ips.len)
			cf_buf_printf(m,
				      "x509: cannot validate certificate for %s because it doesn't "
				      "contain any IP SANs",
				      h);
		else if (!(want_len ? ips.len : dns.len))
			cf_buf_printf(m,
				      "x509: certificate is not valid for any names, but wanted to "
				      "match %s",
				      h);
		else
			cf_buf_printf(m, "x509: certificate is valid for %s, not %s",
				      (const char *)(want_len ? &ips : &dns)->data, h);
	}
	cf_buf_release(&dns);
	cf_buf_release(&ips);
	return !matched;
}
