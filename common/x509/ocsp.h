/* OCSP responses as cfssl's StandardSigner builds them with
 * golang.org/x/crypto/ocsp CreateResponse (§12.10), and the parsing of the
 * -status, -reason and -revoked-at values. */
#ifndef CF_OCSP_H
#define CF_OCSP_H

#include <stddef.h>
#include <stdint.h>

#include <gnutls/x509.h>

#include "buf.h"
#include "error.h"
#include "keygen.h"

enum {
	CF_ERR_OCSP_ISSUER_MISMATCH = 8100, /* Certificate not issued by this issuer */
	CF_ERR_OCSP_INVALID_STATUS = 8200,  /* Invalid revocation status; wrapped: verify errors */
};

/* "good" 0, "revoked" 1, "unknown" 2 (case-sensitive); -1 otherwise. */
int cf_ocsp_status_code(const char *status);

/* cfssl's ReasonStringToCode: "" is 0; an RFC 5280 reason name in any case
 * (unspecified 0 ... aacompromise 10); otherwise a decimal number that must
 * lie in 1..9. Errors: Go's `strconv.Atoi: parsing "x": invalid syntax` /
 * `value out of range` (plain), or 8200 for a number outside 1..9. */
int cf_ocsp_reason_code(const char *reason, int *code, struct cf_error *err);

/* Go's time.Parse("2006-01-02", @s): midnight UTC of that day as Unix
 * seconds. Errors (plain) in Go's words, e.g.
 * `parsing time "2024-13-01": month out of range`,
 * `parsing time "x" as "2006-01-02": cannot parse "x" as "2006"`. */
int cf_ocsp_parse_date(const char *s, int64_t *out, struct cf_error *err);

struct cf_ocsp_request {
	const char *status; /* checked after the issuer (8200 when unknown) */
	int reason;         /* revoked only; 0 leaves the reasonCode out */
	int64_t revoked_at; /* revoked only; Unix seconds */
	int64_t this_update, next_update, produced_at; /* Unix seconds */
	/* gnutls_digest_algorithm_t of the CertID's hashes: 0 or SHA1 (cfssl's default),
	 * SHA256, SHA384, SHA512; anything else (MD5) is x/crypto/ocsp's plain
	 * "unsupported issuer hash algorithm", after the status check */
	int issuer_hash;
};

/* Signs the status of @cert as cfssl's StandardSigner.Sign does: @cert's
 * issuer DN must equal @issuer's subject DN (8100) and its signature must
 * verify with @issuer as Go's CheckSignatureFrom demands (8200 wrapping the
 * Go message); then the status is looked up (8200). The response: status
 * successful, id-pkix-ocsp-basic, responderID byName (@responder's subject),
 * producedAt, one SingleResponse (CertID with @req's hash (SHA-1) of @issuer's
 * subject and key, @cert's serial; good / revoked with time and optional
 * reason / unknown; thisUpdate; nextUpdate), signed by @key (SHA-256 for
 * RSA, by curve for ECDSA; Ed25519 is refused as x/crypto/ocsp does), and
 * @responder's certificate unless it is @issuer's. @key is not checked
 * against @responder. Appends the DER OCSPResponse to @der. */
int cf_ocsp_sign(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, gnutls_x509_crt_t responder,
		 const struct cf_key *key, const struct cf_ocsp_request *req, struct cf_buf *der,
		 struct cf_error *err);

/* ocsp.NewSignerFromFile, the OCSP signer of ocspsign and serve: reads the issuer @ca_spec
 * (as -ca: file:/env: accepted), the responder certificate and its key (plain paths, "-"
 * is a file name: Go's os.ReadFile; a key read failure is 1001 wrapping Go's text), then
 * parses them, in that order. *@issuer, *@responder and @key are new on success; on failure
 * nothing is left to release. */
int cf_ocsp_signer_load(const char *ca_spec, const char *responder_file, const char *key_file,
			gnutls_x509_crt_t *issuer, gnutls_x509_crt_t *responder, struct cf_key *key,
			struct cf_error *err);

#endif
