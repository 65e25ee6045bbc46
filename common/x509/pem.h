/* PEM text and the loading of CA certificates and private keys as cfssl
 * reads them (-ca, -ca-key, with the file: and env: prefixes). */
#ifndef CF_PEM_H
#define CF_PEM_H

#include <stddef.h>

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "buf.h"
#include "certview.h"
#include "error.h"

/* Appends "-----BEGIN @label-----\n", base64 in 64-column lines, "-----END @label-----\n". */
void cf_pem_encode(struct cf_buf *out, const char *label, const unsigned char *der, size_t len);

struct cf_pem_block {
	char *type;         /* new */
	unsigned char *der; /* new; wiped on release */
	size_t len;
	int encrypted;  /* a Proc-Type header containing ENCRYPTED */
	char *dek_info; /* new, or NULL */
};

/* Finds the first PEM block in @data as Go's pem.Decode does (text before
 * it skipped). Returns 1 and fills @blk, setting *@rest to what follows the
 * block; 0 when there is none. */
int cf_pem_decode(const char *data, size_t len, struct cf_pem_block *blk, const char **rest,
		  size_t *restlen);
void cf_pem_block_release(struct cf_pem_block *blk);

/* Reads the value of -ca/-ca-key: "file:PATH", "env:NAME" or a plain path.
 * Errors: plain "unknown prefix: X" or Go's os.ReadFile text. */
int cf_read_prefixed(const char *spec, struct cf_buf *out, struct cf_error *err);

/* Imports one DER certificate; every certificate cfssl-c reads comes through here. GnuTLS
 * refuses an empty dNSName, rfc822Name or URI, which Go reads and cfssl itself writes for
 * "hosts": [""]: such a certificate is imported with those entries dropped from its
 * subjectAltName (its signature then no longer matches the object: callers that need the
 * exact DER keep their own copy; *@altered, when @altered is non-NULL, says whether that
 * happened). *@crt is new. 0 / -1. */
int cf_crt_import_der(const unsigned char *der, size_t len, gnutls_x509_crt_t *crt, int *altered);

/* Parses a CA certificate file's content (§4.3): whitespace trimmed, first
 * PEM block, nothing after it. 1002 / 1003 errors as cfssl. *@crt is new. */
int cf_parse_cert_pem(const unsigned char *data, size_t len, gnutls_x509_crt_t *crt,
		      struct cf_error *err);

/* cf_parse_cert_pem that also appends to @der (when non-NULL) the certificate's DER: the
 * file's bytes, or the certificate inside a PKCS #7 SignedData, which cfssl reads in a
 * certificate's place (one certificate only). */
int cf_parse_cert_pem_der(const unsigned char *data, size_t len, gnutls_x509_crt_t *crt,
			  struct cf_buf *der, struct cf_error *err);

/* The certificates of a DER PKCS #7 SignedData as cfssl's parser reads them (it needs all six
 * SignedData elements: `openssl crl2pkcs7 -nocrl` output is refused): each certificate's DER
 * TLV appended to @out. Their number, or -1 when @der is not such an object or holds none. */
int cf_pkcs7_certs(const unsigned char *der, size_t len, struct cf_buf *out);

/* The same file read without GnuTLS when it is plain: one PEM block, nothing after it, and DER
 * that cf_cert_view_parse reads (@v points into @blk->der; release @blk after use). -1 with
 * nothing to release otherwise: then cf_parse_cert_pem gives the certificate or cfssl's
 * error. */
int cf_cert_pem_view(const unsigned char *data, size_t len, struct cf_pem_block *blk,
		     struct cf_cert_view *v);

/* Appends the DER SubjectPublicKeyInfo of @crt. 0 / -1. */
int cf_crt_spki(gnutls_x509_crt_t crt, struct cf_buf *out);

/* Parses a private key file's content (§4.4): EC PARAMETERS blocks skipped,
 * label ignored, PKCS#8, PKCS#1, SEC1 tried; legacy-encrypted PEM decrypted
 * with @password when non-NULL and non-empty, else 2100. A key Go's parsers refuse (DSA,
 * X25519, Ed448, RSA-PSS, an unsupported curve; see cf_key_go_parses) is 2003 "Failed to parse
 * private key", as cfssl says it. *@key is new. */
int cf_parse_key_pem(const unsigned char *data, size_t len, const char *password,
		     gnutls_x509_privkey_t *key, struct cf_error *err);
/* derhelpers.ParsePrivateKeyDER: @der as PKCS#8, PKCS#1 or SEC1, keys Go parses only; else
 * 2003 "Failed to parse private key". *@key is new. */
int cf_parse_key_der(const unsigned char *der, size_t len, gnutls_x509_privkey_t *key,
		     struct cf_error *err);

/* Go's Certificate.VerifyHostname of @host (a DNS name or an IP literal) against @crt's SANs
 * (DNS names case-insensitive, "*." as the leftmost label only): 0 when it matches, else 1
 * with Go's x509.HostnameError text appended to @msg. */
int cf_crt_hostname_error(gnutls_x509_crt_t crt, const char *host, struct cf_buf *msg);

#endif
