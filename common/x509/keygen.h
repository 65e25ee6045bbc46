/* Private keys: generation as cfssl's key request describes it, export in
 * cfssl's PEM forms, and signing with cfssl's choice of algorithm. */
#ifndef CF_KEYGEN_H
#define CF_KEYGEN_H

#include <stddef.h>

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "buf.h"
#include "error.h"

struct cf_key {
	gnutls_x509_privkey_t x509; /* owned */
	gnutls_privkey_t priv;      /* owned; signs */
	int pk;                     /* GNUTLS_PK_RSA, GNUTLS_PK_ECDSA, GNUTLS_PK_EDDSA_ED25519 */
	unsigned bits;              /* RSA modulus bits, EC curve bits */
	int curve;                  /* gnutls_ecc_curve_t for ECDSA */
};

/* Checks @algo/@size as cfssl does (2400 errors: "invalid algorithm",
 * "RSA key is too weak", "RSA key size too large", "invalid curve") without
 * generating anything. */
int cf_key_check_request(const char *algo, long long size, struct cf_error *err);
/* Generates a key for @algo/@size ("rsa" 2048-8192, "ecdsa" 256/384/521,
 * "ed25519"). @key is filled; release with cf_key_release. */
int cf_key_generate(const char *algo, long long size, struct cf_key *key, struct cf_error *err);
/* 1 when @x509 is a key cfssl's Go parsers return (RSA, ECDSA on P-224, P-256, P-384 or
 * P-521, Ed25519), 0 otherwise. */
int cf_key_go_parses(gnutls_x509_privkey_t x509);
/* Takes @x509 (even on failure). A key cf_key_go_parses refuses is 2003. */
int cf_key_from_x509(gnutls_x509_privkey_t x509, struct cf_key *key, struct cf_error *err);
void cf_key_release(struct cf_key *key);

/* cfssl's key PEM: "RSA PRIVATE KEY" (PKCS#1), "EC PRIVATE KEY" (SEC1) or,
 * for Ed25519, a PKCS#8 "PRIVATE KEY" (deviation 8). Appended to @out. */
int cf_key_export_pem(const struct cf_key *key, struct cf_buf *out, struct cf_error *err);

/* DER SubjectPublicKeyInfo of @key, appended to @out. */
int cf_key_spki(const struct cf_key *key, struct cf_buf *out, struct cf_error *err);
/* 1 when @spki is an EC key on P-256, P-384 or P-521 with an uncompressed point, or an Ed25519
 * key, in the one DER form such keys have (the form Go marshals and GnuTLS exports): such an
 * SPKI can be used as it is, without a round trip through GnuTLS. */
int cf_spki_is_canonical(const unsigned char *spki, size_t len);
/* For such an SPKI: its curve (gnutls_ecc_curve_t) and the coordinates' bytes in @spki (@y NULL
 * for Ed25519), each @coord bytes long. 0, or -1 when @spki is not of that form. */
int cf_spki_canonical_point(const unsigned char *spki, size_t len, int *curve,
			    const unsigned char **x, const unsigned char **y, size_t *coord);
/* SHA-1 over the subjectPublicKey BIT STRING contents of @spki (RFC 5280
 * method 1, as cfssl computes SubjectKeyId). */
int cf_spki_key_id(const unsigned char *spki, size_t len, unsigned char id[20]);

/* Appends the AlgorithmIdentifier DER for signatures by @key (§8.2). */
void cf_key_sig_algid(const struct cf_key *key, struct cf_buf *out);
/* Signs @data with @key using the §8.2 algorithm; appends the signature. */
int cf_key_sign(const struct cf_key *key, const unsigned char *data, size_t len, struct cf_buf *sig,
		struct cf_error *err);

#endif
