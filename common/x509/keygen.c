#include "keygen.h"

#include <string.h>

#include <gnutls/crypto.h>

#include "der.h"
#include "pem.h"

int cf_key_check_request(const char *algo, long long size, struct cf_error *err)
{
	if (strcmp(algo, "rsa") == 0) {
		if (size < 2048)
			return cf_error_set(err, CF_ERR_KEY_GENERATE, "RSA key is too weak");
		if (size > 8192)
			return cf_error_set(err, CF_ERR_KEY_GENERATE, "RSA key size too large");
		return 0;
	}
	if (strcmp(algo, "ecdsa") == 0) {
		if (size != 256 && size != 384 && size != 521)
			return cf_error_set(err, CF_ERR_KEY_GENERATE, "invalid curve");
		return 0;
	}
	if (strcmp(algo, "ed25519") == 0)
		return 0;
	return cf_error_set(err, CF_ERR_KEY_GENERATE, "invalid algorithm");
}

void cf_key_release(struct cf_key *key)
{
	if (!key)
		return;
	if (key->priv)
		gnutls_privkey_deinit(key->priv); /* also releases x509 (AUTO_RELEASE) */
	else if (key->x509)
		gnutls_x509_privkey_deinit(key->x509);
	memset(key, 0, sizeof *key);
}

/* The curve of an ECDSA key, or -1. */
static int ec_curve(gnutls_x509_privkey_t x509)
{
	gnutls_ecc_curve_t curve;
	if (gnutls_x509_privkey_export_ecc_raw(x509, &curve, NULL, NULL, NULL) < 0)
		return -1;
	return (int)curve;
}

int cf_key_go_parses(gnutls_x509_privkey_t x509)
{
	/* Go's PKCS#8 parser knows no DSA, Ed448 or RSA-PSS key, returns X25519 keys that cfssl
	 * then refuses, and its SEC1 parser knows only the NIST curves. */
	switch (gnutls_x509_privkey_get_pk_algorithm2(x509, NULL)) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_EDDSA_ED25519: return 1;
	case GNUTLS_PK_ECDSA:
		switch (ec_curve(x509)) {
		case GNUTLS_ECC_CURVE_SECP224R1:
		case GNUTLS_ECC_CURVE_SECP256R1:
		case GNUTLS_ECC_CURVE_SECP384R1:
		case GNUTLS_ECC_CURVE_SECP521R1: return 1;
		}
		return 0;
	}
	return 0;
}

int cf_key_from_x509(gnutls_x509_privkey_t x509, struct cf_key *key, struct cf_error *err)
{
	memset(key, 0, sizeof *key);
	key->x509 = x509;
	if (!cf_key_go_parses(x509)) {
		cf_key_release(key);
		return cf_error_set(err, CF_ERR_KEY_PARSE, "Failed to parse private key");
	}
	key->pk = gnutls_x509_privkey_get_pk_algorithm2(x509, &key->bits);
	if (key->pk == GNUTLS_PK_ECDSA)
		key->curve = ec_curve(x509);
	if (gnutls_privkey_init(&key->priv) < 0 ||
	    gnutls_privkey_import_x509(key->priv, x509, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE) < 0) {
		if (key->priv) {
			gnutls_privkey_deinit(key->priv);
			key->priv = NULL;
		}
		cf_key_release(key);
		return cf_error_set(err, CF_ERR_KEY_PARSE, "Failed to parse private key");
	}
	return 0;
}

int cf_key_generate(const char *algo, long long size, struct cf_key *key, struct cf_error *err)
{
	memset(key, 0, sizeof *key);
	if (cf_key_check_request(algo, size, err) < 0)
		return -1;
	gnutls_pk_algorithm_t pk;
	unsigned bits;
	if (strcmp(algo, "rsa") == 0) {
		pk = GNUTLS_PK_RSA;
		bits = (unsigned)size;
	} else if (strcmp(algo, "ecdsa") == 0) {
		pk = GNUTLS_PK_ECDSA;
		gnutls_ecc_curve_t c = size == 256   ? GNUTLS_ECC_CURVE_SECP256R1
				       : size == 384 ? GNUTLS_ECC_CURVE_SECP384R1
						     : GNUTLS_ECC_CURVE_SECP521R1;
		bits = GNUTLS_CURVE_TO_BITS(c);
	} else {
		pk = GNUTLS_PK_EDDSA_ED25519;
		bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519);
	}
	gnutls_x509_privkey_t x = NULL;
	int r = gnutls_x509_privkey_init(&x);
	if (r >= 0)
		r = gnutls_x509_privkey_generate2(x, pk, bits, 0, NULL, 0);
	if (r < 0) {
		if (x)
			gnutls_x509_privkey_deinit(x);
		return cf_error_set(err, CF_ERR_KEY_GENERATE, "%s", gnutls_strerror(r));
	}
	return cf_key_from_x509(x, key, err);
}

/* Appends @d as exactly @n big-endian bytes (GnuTLS may add a sign byte or
 * drop leading zeros). */
static void put_fixed(struct cf_buf *b, const gnutls_datum_t *d, size_t n)
{
	size_t len = d->size;
	const unsigned char *p = d->data;
	while (len > n && *p == 0) {
		p++;
		len--;
	}
	for (size_t i = len; i < n; i++)
		cf_buf_addc(b, 0);
	cf_buf_add(b, p, len);
}

/* SEC1 ECPrivateKey exactly as Go's x509.MarshalECPrivateKey writes it:
 * version 1, the scalar padded to the curve size, the named curve, the
 * uncompressed point. */
static int ec_sec1(const struct cf_key *key, struct cf_buf *der)
{
	gnutls_ecc_curve_t curve;
	gnutls_datum_t x = {NULL, 0}, y = {NULL, 0}, k = {NULL, 0};
	if (gnutls_x509_privkey_export_ecc_raw(key->x509, &curve, &x, &y, &k) < 0)
		return -1;
	size_t n = 32;
	const char *oid = "1.2.840.10045.3.1.7";
	switch (curve) {
	case GNUTLS_ECC_CURVE_SECP224R1:
		n = 28;
		oid = "1.3.132.0.33";
		break;
	case GNUTLS_ECC_CURVE_SECP384R1:
		n = 48;
		oid = "1.3.132.0.34";
		break;
	case GNUTLS_ECC_CURVE_SECP521R1:
		n = 66;
		oid = "1.3.132.0.35";
		break;
	default: break;
	}
	struct cf_buf seq = CF_BUF_INIT, tmp = CF_BUF_INIT, ctx = CF_BUF_INIT;
	cf_der_int(&seq, 1);
	put_fixed(&tmp, &k, n);
	cf_der_tlv(&seq, CF_DER_OCTET_STRING, tmp.data, tmp.len);
	cf_buf_release(&tmp);
	cf_der_oid(&ctx, oid);
	cf_der_wrap(&seq, 0xa0, &ctx);
	cf_buf_addc(&tmp, 0x04);
	put_fixed(&tmp, &x, n);
	put_fixed(&tmp, &y, n);
	cf_der_bit_string(&ctx, tmp.data, tmp.len, 0);
	cf_buf_release(&tmp);
	cf_der_wrap(&seq, 0xa1, &ctx);
	cf_der_wrap(der, CF_DER_SEQUENCE, &seq);
	gnutls_memset(k.data, 0, k.size);
	gnutls_free(k.data);
	gnutls_free(x.data);
	gnutls_free(y.data);
	return 0;
}

int cf_key_export_pem(const struct cf_key *key, struct cf_buf *out, struct cf_error *err)
{
	if (key->pk == GNUTLS_PK_ECDSA) {
		struct cf_buf der = CF_BUF_INIT;
		if (ec_sec1(key, &der) < 0)
			return cf_error_set(err, CF_ERR_KEY_UNKNOWN, "Unknown private key error");
		cf_pem_encode(out, "EC PRIVATE KEY", der.data, der.len);
		cf_buf_release(&der);
		return 0;
	}

	gnutls_datum_t d = {NULL, 0};
	int r;
	const char *label;
	if (key->pk == GNUTLS_PK_EDDSA_ED25519) {
		r = gnutls_x509_privkey_export2_pkcs8(key->x509, GNUTLS_X509_FMT_DER, NULL,
						      GNUTLS_PKCS_PLAIN, &d);
		label = "PRIVATE KEY";
	} else {
		r = gnutls_x509_privkey_export2(key->x509, GNUTLS_X509_FMT_DER, &d);
		label = key->pk == GNUTLS_PK_RSA ? "RSA PRIVATE KEY" : "EC PRIVATE KEY";
	}
	if (r < 0)
		return cf_error_set(err, CF_ERR_KEY_UNKNOWN, "Unknown private key error");
	cf_pem_encode(out, label, d.data, d.size);
	gnutls_memset(d.data, 0, d.size);
	gnutls_free(d.data);
	return 0;
}

/* The fixed part of the SubjectPublicKeyInfo of the keys whose DER has one form; the point (or
 * the Ed25519 key) follows. */
static const struct {
	int curve; /* gnutls_ecc_curve_t */
	const char *prefix;
	size_t prefix_len;
	size_t coord; /* bytes of one coordinate (Ed25519: of the key) */
} spki_forms[] = {
	{GNUTLS_ECC_CURVE_SECP256R1,
	 "\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d"
	 "\x03\x01\x07\x03\x42\x00\x04",
	 27, 32},
	{GNUTLS_ECC_CURVE_SECP384R1,
	 "\x30\x76\x30\x10\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x05\x2b\x81\x04\x00\x22"
	 "\x03\x62\x00\x04",
	 24, 48},
	{GNUTLS_ECC_CURVE_SECP521R1,
	 "\x30\x81\x9b\x30\x10\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x05\x2b\x81\x04\x00"
	 "\x23\x03\x81\x86\x00\x04",
	 26, 66},
	{GNUTLS_ECC_CURVE_ED25519, "\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12, 32},
};
#define NFORMS (sizeof spki_forms / sizeof spki_forms[0])

static size_t form_len(size_t i)
{
	size_t points = spki_forms[i].curve == GNUTLS_ECC_CURVE_ED25519 ? 1 : 2;
	return spki_forms[i].prefix_len + points * spki_forms[i].coord;
}

static int canonical_form(const unsigned char *spki, size_t len)
{
	for (size_t i = 0; i < NFORMS; i++)
		if (len == form_len(i) &&
		    memcmp(spki, spki_forms[i].prefix, spki_forms[i].prefix_len) == 0)
			return (int)i;
	return -1;
}

int cf_spki_is_canonical(const unsigned char *spki, size_t len)
{
	return canonical_form(spki, len) >= 0;
}

int cf_spki_canonical_point(const unsigned char *spki, size_t len, int *curve,
			    const unsigned char **x, const unsigned char **y, size_t *coord)
{
	int i = canonical_form(spki, len);
	if (i < 0)
		return -1;
	*curve = spki_forms[i].curve;
	*coord = spki_forms[i].coord;
	*x = spki + spki_forms[i].prefix_len;
	*y = *curve == GNUTLS_ECC_CURVE_ED25519 ? NULL : *x + *coord;
	return 0;
}

/* Appends @d as an unsigned big-endian number of exactly @n bytes; -1 if it does not fit. */
static int add_fixed(struct cf_buf *out, const gnutls_datum_t *d, size_t n)
{
	size_t skip = 0;
	while (skip < d->size && d->data[skip] == 0)
		skip++;
	size_t len = d->size - skip;
	if (len > n)
		return -1;
	for (size_t i = len; i < n; i++)
		cf_buf_addc(out, 0);
	cf_buf_add(out, d->data + skip, len);
	return 0;
}

/* EC and Ed25519 keys: the SPKI from the public coordinates, without GnuTLS's ASN.1 encoder.
 * 0, or -1 for any other key (the caller takes the general path). */
static int spki_from_raw(const struct cf_key *key, struct cf_buf *out)
{
	gnutls_ecc_curve_t curve;
	gnutls_datum_t x = {NULL, 0}, y = {NULL, 0};
	if (key->pk != GNUTLS_PK_ECDSA && key->pk != GNUTLS_PK_EDDSA_ED25519)
		return -1;
	if (gnutls_privkey_export_ecc_raw2(key->priv, &curve, &x,
					   key->pk == GNUTLS_PK_ECDSA ? &y : NULL, NULL, 0) < 0)
		return -1;
	int ret = -1;
	size_t start = out->len;
	for (size_t i = 0; i < NFORMS; i++) {
		if ((int)curve != spki_forms[i].curve)
			continue;
		cf_buf_add(out, spki_forms[i].prefix, spki_forms[i].prefix_len);
		if (add_fixed(out, &x, spki_forms[i].coord) == 0 &&
		    (curve == GNUTLS_ECC_CURVE_ED25519 ||
		     add_fixed(out, &y, spki_forms[i].coord) == 0))
			ret = 0;
		break;
	}
	if (ret < 0 && out->len > start) {
		out->len = start;
		out->data[start] = '\0';
	}
	gnutls_free(x.data);
	gnutls_free(y.data);
	return ret;
}

int cf_key_spki(const struct cf_key *key, struct cf_buf *out, struct cf_error *err)
{
	if (spki_from_raw(key, out) == 0)
		return 0;
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t d = {NULL, 0};
	int r = gnutls_pubkey_init(&pub);
	if (r >= 0)
		r = gnutls_pubkey_import_privkey(pub, key->priv, 0, 0);
	if (r >= 0)
		r = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &d);
	if (pub)
		gnutls_pubkey_deinit(pub);
	if (r < 0)
		return cf_error_set(err, CF_ERR_KEY_UNKNOWN, "Unknown private key error");
	cf_buf_add(out, d.data, d.size);
	gnutls_free(d.data);
	return 0;
}

int cf_spki_key_id(const unsigned char *spki, size_t len, unsigned char id[20])
{
	struct cf_der_reader r = {spki, len}, in;
	struct cf_der_tlv seq, alg, bits;
	if (cf_der_next(&r, &seq) != 1 || seq.tag != CF_DER_SEQUENCE)
		return -1;
	in.p = seq.content;
	in.len = seq.len;
	if (cf_der_next(&in, &alg) != 1 || cf_der_next(&in, &bits) != 1 ||
	    bits.tag != CF_DER_BIT_STRING || bits.len < 1)
		return -1;
	/* Go hashes the key bytes of the BIT STRING, without the unused-bits octet. */
	if (gnutls_hash_fast(GNUTLS_DIG_SHA1, bits.content + 1, bits.len - 1, id) < 0)
		return -1;
	return 0;
}

static void algid(struct cf_buf *out, const char *oid, int null_params)
{
	struct cf_buf c = CF_BUF_INIT;
	cf_der_oid(&c, oid);
	if (null_params)
		cf_der_null(&c);
	cf_der_wrap(out, CF_DER_SEQUENCE, &c);
}

static gnutls_sign_algorithm_t sign_algo(const struct cf_key *key, const char **oid, int *null)
{
	*null = 0;
	if (key->pk == GNUTLS_PK_RSA) {
		*null = 1;
		if (key->bits >= 4096) {
			*oid = "1.2.840.113549.1.1.13";
			return GNUTLS_SIGN_RSA_SHA512;
		}
		if (key->bits >= 3072) {
			*oid = "1.2.840.113549.1.1.12";
			return GNUTLS_SIGN_RSA_SHA384;
		}
		if (key->bits >= 2048) {
			*oid = "1.2.840.113549.1.1.11";
			return GNUTLS_SIGN_RSA_SHA256;
		}
		*oid = "1.2.840.113549.1.1.5";
		return GNUTLS_SIGN_RSA_SHA1;
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
		if (key->curve == GNUTLS_ECC_CURVE_SECP256R1) {
			*oid = "1.2.840.10045.4.3.2";
			return GNUTLS_SIGN_ECDSA_SHA256;
		}
		/* Go's default for a curve it has no rule for (P-224) */
		*oid = "1.2.840.10045.4.1";
		return GNUTLS_SIGN_ECDSA_SHA1;
	}
	*oid = "1.3.101.112";
	return GNUTLS_SIGN_EDDSA_ED25519;
}

void cf_key_sig_algid(const struct cf_key *key, struct cf_buf *out)
{
	const char *oid;
	int null;
	sign_algo(key, &oid, &null);
	algid(out, oid, null);
}

int cf_key_sign(const struct cf_key *key, const unsigned char *data, size_t len, struct cf_buf *sig,
		struct cf_error *err)
{
	const char *oid;
	int null;
	gnutls_sign_algorithm_t alg = sign_algo(key, &oid, &null);
	gnutls_datum_t in = {(unsigned char *)data, (unsigned)len}, s = {NULL, 0};
	int r = gnutls_privkey_sign_data2(key->priv, alg, 0, &in, &s);
	if (r < 0)
		return cf_error_set(err, CF_ERR_CERT_UNKNOWN, "%s", gnutls_strerror(r));
	cf_buf_add(sig, s.data, s.size);
	gnutls_free(s.data);
	return 0;
}
