/* A strict, allocation-free reading of the parts of an X.509 certificate that the signer needs
 * from its CA (subject, public key, validity, basicConstraints, subjectKeyIdentifier, keyUsage),
 * straight from the DER. GnuTLS's parser builds a libtasn1 tree of the whole certificate, which
 * costs more than everything else a short gencert or sign does besides its signatures; this reads
 * only the common shape, and a caller falls back to GnuTLS for anything else. */
#ifndef CF_CERTVIEW_H
#define CF_CERTVIEW_H

#include <stddef.h>
#include <stdint.h>

struct cf_cert_view {
	const unsigned char *subject; /* the subject Name TLV */
	size_t subject_len;
	const unsigned char *spki; /* the SubjectPublicKeyInfo TLV */
	size_t spki_len;
	int64_t not_before, not_after; /* Unix seconds */
	int has_bc;                    /* a basicConstraints extension is present */
	int bc_ca;                     /* its cA */
	long bc_pathlen;               /* its pathLenConstraint, -1 when absent */
	const unsigned char *ski;      /* the subjectKeyIdentifier's key identifier, or NULL */
	size_t ski_len;
	int version;      /* as encoded: 0 = v1, 2 = v3 */
	int has_ku;       /* a keyUsage extension is present */
	int ku_cert_sign; /* it has keyCertSign */
};

/* Fills @v with pointers into @der. 0 when @der is one v3 (or v1) certificate in DER that this
 * reader fully understands: minimal lengths, nothing after any element, well-formed algorithm
 * identifiers and key, names of UTF8String, PrintableString and IA5String values only, times in
 * the canonical "YYMMDDHHMMSSZ" / "YYYYMMDDHHMMSSZ" forms, well-formed extensions each present
 * at most once and no alternative names (GnuTLS decodes those on import), and basicConstraints
 * and subjectKeyIdentifier values that decode. -1 otherwise,
 * which does not mean the certificate is invalid, only that it needs the full parser. */
int cf_cert_view_parse(const unsigned char *der, size_t len, struct cf_cert_view *v);

#endif
