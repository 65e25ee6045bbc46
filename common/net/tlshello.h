/* A TLS ClientHello made by hand and the server's first flight read back, without completing
 * a handshake: how cfssl's TLSHandshake scanners learn which cipher suite, curve and
 * certificate a server picks for a given offer (cfssl's scan/crypto/tls SayHello). No I/O
 * here: the caller sends the bytes and feeds back what it reads. Thread-safe: no state. */
#ifndef CF_TLSHELLO_H
#define CF_TLSHELLO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct cf_tls_suite {
	uint16_t id;
	const char *name;       /* IANA name */
	const char *short_name; /* OpenSSL's name, or NULL */
	int ec;                 /* the server's key exchange message names a curve */
};

/* The cipher suites cfssl's scanners know, sorted by id: every one they offer when they offer
 * "all" (the IANA registry of 2016 and three ChaCha20 drafts). */
extern const struct cf_tls_suite cf_tls_suites[];
extern const size_t cf_tls_suites_len;
/* The suite @id, or NULL. */
const struct cf_tls_suite *cf_tls_suite_find(uint16_t id);
/* CipherSuite.String(): the short name when there is one, else the IANA name; "" unknown. */
const char *cf_tls_suite_string(uint16_t id);
/* The name of named curve @id (RFC 4492 registry, 0-28 and the two explicit ones); "" for
 * others. */
const char *cf_tls_curve_name(uint16_t id);
/* "SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2"; "" for others. */
const char *cf_tls_version_name(uint16_t v);

struct cf_tls_hello {
	uint16_t version; /* client_version */
	const uint16_t *ciphers;
	size_t n_ciphers;
	const uint16_t *curves; /* supported_groups, in this order */
	size_t n_curves;
	const uint8_t *sigalgs; /* signature_algorithms as (hash, signature) pairs; none: the
				   extension is left out */
	size_t n_sigalgs;
	const char *server_name; /* SNI sent as given (an address too); "" leaves it out */
};

/* Appends the record carrying the ClientHello of @h, as cfssl writes it: record version TLS
 * 1.0, a zero random, no session id, null compression, then the extensions server_name,
 * status_request, supported_groups, ec_point_formats (uncompressed), signature_algorithms and
 * renegotiation_info, each only when it has content. */
void cf_tls_hello_build(const struct cf_tls_hello *h, struct cf_buf *out);

struct cf_tls_flight {
	uint16_t version, cipher; /* from the ServerHello */
	uint16_t curve_type;      /* from the ServerKeyExchange of an ec suite, else 0 */
	uint16_t curve;           /* its named curve when curve_type is 3, else 0 */
	const uint8_t *leaf;      /* the first certificate, inside @hs */
	size_t leaf_len;
	struct cf_buf hs; /* the handshake messages read, owned */
};

/* Reads the server's answer from the bytes received so far (@data, @len): ServerHello,
 * Certificate (at least one), CertificateStatus when the ServerHello acknowledged
 * status_request, and ServerKeyExchange when the suite is an ec one; records and messages
 * checked as cfssl's reader checks them (warning alerts skipped, any other alert, record or
 * message out of place a failure). Returns 1 with @f filled when that much has arrived (bytes
 * after it are not looked at), 0 when more bytes are needed, -1 when the answer is not such a
 * flight. @f starts zeroed or as a previous call left it. */
int cf_tls_flight_parse(const uint8_t *data, size_t len, struct cf_tls_flight *f);
/* Frees what cf_tls_flight_parse kept in @f. Accepts a zeroed flight. */
void cf_tls_flight_release(struct cf_tls_flight *f);

#endif
