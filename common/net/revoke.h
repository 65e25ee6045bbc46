/* Revocation checking as cfssl's revoke.VerifyCertificateError does it: the validity window
 * first, then each CRL distribution point (ldap URLs skipped; the CRL fetched over HTTP(S),
 * its signature checked against the issuer when the certificate's caIssuers URL yields one,
 * kept per URL until its nextUpdate), then OCSP (the issuer fetched from caIssuers, a SHA-1
 * CertID request sent by GET when it is at most 256 bytes, else POST; the first responder
 * that answers decides). A CRL that cannot be fetched or verified stops the check at once;
 * OCSP responders that fail are skipped unless hard_fail is set. The module logs cfssl's
 * revoke lines ("[WARNING] failed to fetch CRL: ...", "[INFO] certificate is revoked via
 * CRL", ...) and never writes elsewhere. Fetches are bounded in time (cfssl waits forever).
 * Thread-safe; a cache may be shared by threads. */
#ifndef CF_REVOKE_H
#define CF_REVOKE_H

#include <stdint.h>

#include <gnutls/x509.h>

#include "error.h"

/* The connection and whole-exchange limits of each fetch. */
#define CF_REVOKE_CONNECT_TIMEOUT_MS 10000L
#define CF_REVOKE_TIMEOUT_MS         30000L

/* cfssl's CRLSet: verified CRLs by URL. */
struct cf_revoke_cache;
/* New, free with cf_revoke_cache_free (NULL accepted). */
struct cf_revoke_cache *cf_revoke_cache_new(void);
void cf_revoke_cache_free(struct cf_revoke_cache *c);

struct cf_revoke_req {
	gnutls_x509_crt_t crt;         /* borrowed */
	struct cf_revoke_cache *cache; /* NULL: every CRL is fetched */
	int hard_fail;                 /* cfssl's revoke.HardFail (default false) */
	long connect_timeout_ms;       /* 0: CF_REVOKE_CONNECT_TIMEOUT_MS */
	long timeout_ms;               /* 0: CF_REVOKE_TIMEOUT_MS */
};

struct cf_revoke_result {
	int revoked; /* expired, not yet valid, on a CRL or not "good" per OCSP */
	int ok;      /* the status was established (cfssl's "ok") */
};

/* Checks @req->crt. @res is always filled. Returns 0 when res->ok, else -1; @err holds the
 * reason cfssl's VerifyCertificateError returns, when it has one (plain Go text, e.g.
 * `Get "http://...": dial tcp ...: connect: connection refused`, or "Certificate expired
 * ..."); @err stays empty when cfssl's error is nil (OCSP without a known issuer). */
int cf_revoke_verify(const struct cf_revoke_req *req, struct cf_revoke_result *res,
		     struct cf_error *err);

#endif
