/* Issuing certificates as cfssl's local signer does (§8): the CA, the
 * certificate template filled from a profile, and the signed DER. */
#ifndef CF_SIGNER_H
#define CF_SIGNER_H

#include <stddef.h>
#include <stdint.h>

#include <gnutls/x509.h>

#include "buf.h"
#include "config.h"
#include "duration.h"
#include "error.h"
#include "hosts.h"
#include "keygen.h"
#include "keyproc.h"

struct cf_keyproc;

/* An issuer: its key, its subject DER (copied into the issuer field) and
 * its subject key identifier (for the AKI; may be empty). */
struct cf_ca {
	struct cf_key key;
	struct cf_buf subject;
	unsigned char ski[64];
	size_t ski_len;
	/* the CA certificate's basicConstraints (none for a self-signed issue) */
	int has_bc, bc_ca;
	long bc_pathlen; /* -1 when absent */
	/* Deviation 6: the CA certificate, for the warnings about what it signs.
	 * cert_name NULL = no CA certificate (a self-signed issue). */
	char *cert_name;               /* new: the -ca argument */
	int64_t not_before, not_after; /* Unix seconds */
	struct cf_buf cert_der;        /* the CA certificate (info); empty without one */
};

/* Loads -ca and -ca-key in cfssl's order (an empty key name first, then read cert, read key,
 * parse cert, parse key; §4.5) and, deviation 6, refuses a key that does not match the
 * certificate. A certificate that should not issue is used as cfssl uses it,
 * with one [WARNING] per problem (CA:FALSE, a v3 certificate without
 * basicConstraints, keyUsage without keyCertSign, expired, not yet valid).
 * The key's password comes from CFSSL_CA_PK_PASSWORD. */
int cf_ca_load(const char *cert_spec, const char *key_spec, struct cf_ca *ca, struct cf_error *err);
/* As cf_ca_load, with the same checks, order, warnings and errors, but the key is read,
 * parsed and kept only by a key process (keyproc.h) that this call forks: @ca->key signs
 * through it (@ca->key.x509 is NULL) and this process never reads the key file. On success
 * *@kp is the key process; end it with cf_keyproc_stop after cf_ca_release(@ca). On
 * failure *@kp is NULL and no key process is left. Call before any thread is started. */
int cf_ca_load_isolated(const char *cert_spec, const char *key_spec, struct cf_ca *ca,
			struct cf_keyproc **kp, struct cf_error *err);
/* cf_ca_load_isolated with the key read as @fmt says (keyproc.h). */
int cf_ca_load_isolated2(const char *cert_spec, const char *key_spec, enum cf_key_format fmt,
			 struct cf_ca *ca, struct cf_keyproc **kp, struct cf_error *err);
/* Releases @ca (NULL is fine); for an isolated CA the key process lives on until
 * cf_keyproc_stop. */
void cf_ca_release(struct cf_ca *ca);

struct cf_cert_template {
	const unsigned char *subject; /* DER Name */
	size_t subject_len;
	const unsigned char *spki; /* DER SubjectPublicKeyInfo */
	size_t spki_len;
	const struct cf_host *hosts;
	size_t nhosts;
	const struct cf_profile *profile; /* usages, expiry, backdate, CA constraint, URLs */
	const char *crl_override;         /* -crl, or the CA request's crl_url; NULL = profile's */
	int delegation;                   /* copy the delegation-usage extension */
	/* Optional overrides (selfsign and later callers); zero values = cfssl's signer. */
	/* serial: big-endian magnitude; NULL = 20 random bytes, top bit clear */
	const unsigned char *serial;
	size_t serial_len;
	/* The serial an API request gave (a JSON integer's text, maybe negative); NULL: none.
	 * Used, and required (1400 "Missing serial number in request"), when the profile has
	 * clientprovidesserialnumbers; ignored otherwise, as cfssl's signer does. */
	const char *client_serial;
	int fixed_validity; /* use not_before/not_after below, not cf_validity */
	struct cf_time not_before, not_after;
	int no_aki; /* never add an authorityKeyIdentifier */
	/* DER Extension elements placed after the CRL distribution points, as
	 * Go's ExtraExtensions (§8.5 "extras" (a)); a standard extension whose
	 * OID is among them is not generated. Borrowed; NULL/0 = none. */
	const unsigned char *extra_exts;
	size_t extra_exts_len;
	const char *cn; /* the subject's CN, for the profile's name_whitelist (NULL: none) */
	size_t cn_len;  /* its length, NULs included (0: up to the first NUL) */
};

/* Validity per §8.3, in Go's time arithmetic: now rounded to the minute,
 * minus the backdate (0 = 5 minutes), plus the expiry; the profile's fixed
 * not_before/not_after win. */
void cf_validity(const struct cf_profile *p, struct cf_time now, struct cf_time *not_before,
		 struct cf_time *not_after);

/* Signs @t with @ca; @ca->subject becomes the issuer. Deviation 6: warns
 * when the certificate outlives @ca's certificate, and when it is a CA
 * certificate under a CA certificate of path length 0. @self_signed: the
 * subject key is the CA key (no AKI either way when subject == issuer).
 * Appends the certificate DER to @der and the serial's decimal text to @serial_dec. */
int cf_sign_certificate(const struct cf_cert_template *t, const struct cf_ca *ca,
			struct cf_buf *der, struct cf_buf *serial_dec, struct cf_error *err);

/* Appends the certificatePolicies extension value for @p's policies (§7.6).
 * -1 (5200 "Invalid qualifier type in Policies ") for an empty qualifier type. */
int cf_policies_der(const struct cf_profile *p, struct cf_buf *out, struct cf_error *err);

/* cfssl's name_whitelist rule: a non-empty CN and every DNS, e-mail and URI
 * SAN must contain a match of the profile's expression (5500 otherwise),
 * matched as Go's regexp matches (RE2). Beyond cfssl (deviation 13), so must
 * the names of any subjectAltName extension among @exts, the request
 * extensions copied into the certificate. @cn_len 0: up to the first NUL. */
int cf_profile_check_names(const struct cf_profile *p, const char *cn, size_t cn_len,
			   const struct cf_host *hosts, size_t nhosts, const unsigned char *exts,
			   size_t exts_len, struct cf_error *err);

/* Extensions the CA and the profile decide, never taken from a request even
 * under copy_extensions: basicConstraints (as cfssl), and beyond cfssl the
 * key identifiers, key usages, name constraints, CRL/AIA locations and
 * policies, so that a CSR cannot widen what the profile allows. */
int cf_ext_ca_managed(const char *oid);

#endif
