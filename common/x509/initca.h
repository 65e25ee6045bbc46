/* Certificate authorities as cfssl's initca package makes them: a new CA
 * from a request (§6.6), a CA certificate re-issued from an existing key
 * (§6.7) and a renewed CA certificate (§6.8). Each logs cfssl's records
 * from "generate received request" (or the re-generate line) on. */
#ifndef CF_INITCA_H
#define CF_INITCA_H

#include "buf.h"
#include "csr.h"
#include "error.h"

/* New key, CSR and self-signed CA certificate for @req. The PEM texts are
 * appended to @cert, @csr and @key (which may hold a private key: release
 * with cf_buf_release, which wipes). */
int cf_initca_new(const struct cf_csr_request *req, struct cf_buf *cert, struct cf_buf *csr,
		  struct cf_buf *key, struct cf_error *err);

/* CSR and self-signed CA certificate for @req with the key at @key_spec
 * (-ca-key, file:/env: prefixes; no password); ca.backdate and crl_url are
 * ignored, as in cfssl. */
int cf_initca_from_key(const struct cf_csr_request *req, const char *key_spec, struct cf_buf *cert,
		       struct cf_buf *csr, struct cf_error *err);

/* A new certificate for the CA at @cert_spec/@key_spec keeping its CN,
 * C/ST/L/O/OU, serialNumber, IP SANs, path length and lifetime (§6.8). */
int cf_initca_renew(const char *cert_spec, const char *key_spec, struct cf_buf *cert,
		    struct cf_error *err);

#endif
