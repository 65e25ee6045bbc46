/* Incoming PKCS#10 requests as cfssl's signer reads them (cfssl sign), and
 * the certificate subject it re-encodes from them (§8.4, §12.1). */
#ifndef CF_CSRPARSE_H
#define CF_CSRPARSE_H

#include <stddef.h>

#include <gnutls/x509.h>

#include "buf.h"
#include "csr.h"
#include "error.h"
#include "hosts.h"

/* One AttributeTypeAndValue of a subject, in document order. */
struct cf_name_attr {
	char *oid;            /* new; dotted text */
	unsigned char *value; /* new; the UTF-8 text of a string value (NUL-terminated),
			       * or the raw TLV of any other value */
	size_t len;
	int is_string; /* a string type Go decodes to a Go string */
};

/* What the signer takes from a request. */
struct cf_csr_info {
	struct cf_name_attr *attrs; /* the subject, every attribute in order */
	size_t nattrs;
	struct cf_buf spki;    /* SubjectPublicKeyInfo, re-encoded as Go marshals it */
	struct cf_host *hosts; /* SANs of the last subjectAltName extension, in order */
	size_t nhosts;         /* (IPv4-mapped IPv6 addresses stored as 4 bytes) */
	int has_bc;            /* a basicConstraints extension was requested */
	int is_ca;             /* its cA flag */
	long long pathlen;     /* its pathLenConstraint, -1 when absent */
	int delegation;        /* the delegation-usage extension was requested */
	/* Raw DER Extension elements, in request order, as cfssl's signer copies
	 * them into the certificate (cf_cert_template.extra_exts): */
	struct cf_buf copy_all;        /* every extension but basicConstraints (copy_extensions) */
	struct cf_buf copy_delegation; /* only the delegation-usage extension (always copied) */
	/* CA-managed extensions of the request not copied (cf_ext_ca_managed) */
	size_t withheld;
};

/* Parses a request file's content as cfssl's signer does: the first PEM block
 * (text before it skipped) must be "CERTIFICATE REQUEST" or "NEW CERTIFICATE
 * REQUEST". Errors: no PEM block → 9002 "CSR Decode failed"; another type →
 * 9300 "not a csr"; then as cf_csrparse_der. @info is filled (release with
 * cf_csrparse_release, also after a failure). */
int cf_csrparse_pem(const unsigned char *data, size_t len, struct cf_csr_info *info,
		    struct cf_error *err);

/* Parses and verifies a DER CertificationRequest. Malformed DER → 9003 (Go's
 * text where cfssl's is known, e.g. "x509: SAN dNSName is malformed", else
 * "CSR Parsing failed"); a self-signature that does not verify → 9300 with
 * Go's text ("x509: ECDSA verification failure", "crypto/rsa: verification
 * error", "x509: Ed25519 verification failure"); a malformed basicConstraints
 * (checked after the signature, as cfssl) → 9003. */
int cf_csrparse_der(const unsigned char *der, size_t len, struct cf_csr_info *info,
		    struct cf_error *err);
void cf_csrparse_release(struct cf_csr_info *info);
/* cf_csrparse_der without its fast pass: GnuTLS's PKCS#10 parser always. For tests and fuzzers
 * that hold the two to the same results. */
int cf_csrparse_der_full(const unsigned char *der, size_t len, struct cf_csr_info *info,
			 struct cf_error *err);

/* Splits a DER Name into its attributes (every RDN, every member, in
 * order). String values (PrintableString, UTF8String, IA5String,
 * NumericString, T61String, BMPString) are decoded to UTF-8; Go's
 * validity rules apply (an invalid string is a 9003 error). *@attrs new. */
int cf_csrparse_name(const unsigned char *der, size_t len, struct cf_name_attr **attrs, size_t *n,
		     struct cf_error *err);
void cf_name_attrs_free(struct cf_name_attr *attrs, size_t n);

/* Appends a copy of a string attribute to *@attrs (grows the array). */
void cf_name_attrs_add(struct cf_name_attr **attrs, size_t *n, const char *oid, const char *value);

/* Appends the DER Name Go's x509 writes for a subject holding @attrs (§8.4):
 * C, ST, L, street, postalCode, O, OU values collected by type in order, each
 * type one RDN (several values DER-sorted in one SET); then CN and
 * serialNumber (last occurrence, omitted when empty); then every other
 * attribute as its own RDN in order. Strings are re-typed by Go's rule
 * (cf_der_go_string); other values are copied. A string that is not valid
 * UTF-8 fails with 1000 "asn1: string not valid UTF-8". */
int cf_name_der(const struct cf_name_attr *attrs, size_t n, struct cf_buf *out,
		struct cf_error *err);

/* The value of the last string attribute @oid in @attrs, or NULL. Borrowed. */
const char *cf_name_attrs_last(const struct cf_name_attr *attrs, size_t n, const char *oid);
/* The same, with the value's length (NULs included) in @len. */
const char *cf_name_attrs_last_len(const struct cf_name_attr *attrs, size_t n, const char *oid,
				   size_t *len);

/* cfssl sign's SUBJECT file (signer.Subject: CN, names[] with C/ST/L/O/OU,
 * SerialNumber; member names case-insensitive, unknown ones warned about as
 * deviation 10). Fills @req's cn, names and serialnumber only. Go's JSON
 * errors (plain). Release @req with cf_csr_request_release. */
int cf_csrparse_subject_json(const char *data, size_t len, struct cf_csr_request *req,
			     struct cf_error *err);

/* Appends the subject of @req (cn, names, serialnumber) as Go's json.Marshal writes a
 * signer.Subject: {"CN":..,"names":[{"C":..,"ST":..,"L":..,"O":..,"OU":..,"E":..,
 * "SerialNumber":..,"OID":{..}}],"SerialNumber":..}, the name members omitted when empty,
 * OID keys sorted, names null when @req has none (what sign -remote sends, §6.2). */
void cf_csrparse_subject_render(const struct cf_csr_request *req, struct cf_buf *out);

/* cfssl's PopulateSubjectFromCSR: the subject of @subject (CN, C/ST/L/O/OU
 * lists of its names, serialNumber) with every empty field taken from the
 * request's @attrs. Other attributes of the request (street, postalCode,
 * emailAddress, ...) are not kept. *@out new. */
void cf_csrparse_override_subject(const struct cf_csr_request *subject,
				  const struct cf_name_attr *attrs, size_t n,
				  struct cf_name_attr **out, size_t *nout);

/* Fills @req (zeroed first; release with cf_csr_request_release) from a
 * certificate as cfssl's ExtractCertificateRequest does: CN, the C/ST/L/O/OU
 * values, serialNumber, the SANs as host strings (IPs, then DNS names, e-mail
 * addresses, URIs) and, for a CA, a "ca" block with its path length. The
 * key request is ecdsa-256 (unused by gencsr). */
int cf_csrparse_request_from_cert(gnutls_x509_crt_t crt, struct cf_csr_request *req,
				  struct cf_error *err);

#endif
