/* Certificate revocation lists as cfssl builds them: Go 1.19's deprecated
 * Certificate.CreateCRL (§12.8), plus the CRL Number extension of
 * deviation 11. Also the signature rule CRLs and OCSP responses share. */
#ifndef CF_CRL_H
#define CF_CRL_H

#include <stddef.h>
#include <stdint.h>

#include <gnutls/x509.h>

#include "buf.h"
#include "error.h"
#include "keygen.h"

/* One revoked certificate. */
struct cf_crl_entry {
	unsigned char *serial; /* new; INTEGER contents (two's complement, minimal) */
	size_t serial_len;
	int64_t revoked_at; /* Unix seconds */
};

/* Splits @data at LF as `cfssl gencrl` reads its serial list: lines that
 * are blank after trimming are skipped; every other line gives one entry
 * whose serial is what Go's big.Int SetString(line, 10) leaves behind: an
 * optional sign and the leading decimal digits ("12 " -> 12, "34\r" -> 34,
 * "-5" -> -5, "0x10", "abc" and " 8" -> 0). Every entry is revoked at
 * @revoked_at. Returns the number of entries; *@entries is new (NULL when
 * there are none), release with cf_crl_entries_free. */
size_t cf_crl_parse_serials(const char *data, size_t len, int64_t revoked_at,
			    struct cf_crl_entry **entries);
void cf_crl_entries_free(struct cf_crl_entry *entries, size_t n);

/* Go's strconv.ParseInt(@s, 0, 32): sign, 0x/0o/0b/0 prefixes, underscores
 * between digits. Errors (plain) as Go words them:
 * `strconv.ParseInt: parsing "abc": invalid syntax`, `... value out of range`. */
int cf_crl_parse_int32(const char *s, long long *out, struct cf_error *err);

/* Go's pkix.Name round trip of a DER Name (parse, then ToRDNSequence): the
 * string values of C, ST, L, street, postalCode, O, OU, CN, serialNumber
 * (only the last CN and serialNumber, only when non-empty) re-encoded in that
 * order, one RDN per type with DER-sorted values, PrintableString or
 * UTF8String by content; every other attribute is dropped. Appends the new
 * Name to @out; -1 if @der is not a Name. */
int cf_crl_go_name(const unsigned char *der, size_t len, struct cf_buf *out);

/* The signature rule Go's x509 applies without a requested algorithm to
 * CRLs (and x/crypto/ocsp to responses, which refuses Ed25519 beforehand):
 * sha256WithRSAEncryption for RSA keys of any size, ECDSA with
 * SHA-256/384/512 by curve, pure Ed25519. cf_crl_sig_algid appends the
 * AlgorithmIdentifier, cf_crl_sign the raw signature of @tbs. */
int cf_crl_sig_algid(const struct cf_key *key, struct cf_buf *out, struct cf_error *err);
int cf_crl_sign(const struct cf_key *key, const unsigned char *tbs, size_t len, struct cf_buf *sig,
		struct cf_error *err);

struct cf_crl_params {
	int64_t this_update, next_update; /* Unix seconds */
	const struct cf_crl_entry *entries;
	size_t nentries;
	int crl_number; /* add a CRL Number extension = this_update (deviation 11) */
};

/* Builds and signs a v2 CRL as CreateCRL does: the issuer Name re-encoded
 * from @issuer's subject (cf_crl_go_name), thisUpdate/nextUpdate, the
 * revokedCertificates SEQUENCE (present even when empty), no entry
 * extensions, the CRL extensions AKI (keyIdentifier = @issuer's SKI, only
 * when it has one) and, with @p->crl_number, the CRL Number. @key is not
 * checked against @issuer. Appends the DER CertificateList to @der. */
int cf_crl_create(gnutls_x509_crt_t issuer, const struct cf_key *key, const struct cf_crl_params *p,
		  struct cf_buf *der, struct cf_error *err);

#endif
