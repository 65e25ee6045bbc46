/* cfssl certinfo: certificates and certificate requests rendered as the JSON
 * cfssl prints (spec §12.5), and the fetching of a TLS server's certificate. */
#ifndef CF_CERTINFO_H
#define CF_CERTINFO_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

/* Appends cfssl's certinfo JSON of the DER certificate @der (Go's
 * json.MarshalIndent with a two-space indent, plus a final LF): subject,
 * issuer, serial_number, sans, not_before, not_after, sigalg,
 * authority_key_id, subject_key_id, pem. A certificate Go's crypto/x509
 * would refuse gives {"code":1003,"message":"Failed to parse certificate"}. */
int cf_certinfo_cert(const unsigned char *der, size_t len, struct cf_buf *out,
		     struct cf_error *err);

/* Appends the JSON of a PKCS#10 request read from PEM text @data as cfssl
 * prints it: Go's json.MarshalIndent of crypto/x509.CertificateRequest (go1.19
 * field set and order), plus a final LF. As in cfssl, the PEM type and the
 * signature are not checked. No PEM block gives
 * {"code":9002,"message":"CSR Decode failed"}; a request that does not parse
 * gives a plain error in encoding/asn1's or crypto/x509's wording (exact for
 * the common mistakes: a certificate or a key given as a request).
 * Approximations: attribute values other than strings and integers, DSA keys
 * and the RawPath/RawFragment members of URIs are simplified. */
int cf_certinfo_csr_pem(const unsigned char *data, size_t len, struct cf_buf *out,
			struct cf_error *err);

/* Connects to @domain ("host:port", or a host alone for port 443; an IPv6
 * literal may be bracketed) over TCP, performs a TLS handshake without
 * verifying anything (SNI carries the host unless it is an IP literal) and
 * appends the DER of the server's leaf certificate to @der. The connection
 * and the handshake together are bounded by @timeout_ms. Errors are plain,
 * worded like Go's ("dial tcp 127.0.0.1:1: connect: connection refused"). */
int cf_certinfo_fetch(const char *domain, int timeout_ms, struct cf_buf *der, struct cf_error *err);

/* As cf_certinfo_fetch, but connects to @addr ("host:port") with @sni as the
 * server name (SNI unless an IP literal; NULL: @addr's host) and appends every
 * certificate the server sent, in its order, as PEM blocks to @pem. */
int cf_certinfo_fetch_chain(const char *addr, const char *sni, int timeout_ms, struct cf_buf *pem,
			    struct cf_error *err);

/* Appends an IP address as Go's net.IP.String() writes it: 4 bytes and
 * IPv4-mapped IPv6 addresses dotted, other 16-byte addresses in RFC 5952
 * form (longest run of two or more zero groups compressed, first one on a
 * tie), any other length as "?" followed by lower-case hex. */
void cf_certinfo_ip_string(struct cf_buf *out, const unsigned char *ip, size_t n);

#endif
