/* Certificate bundles as cfssl's bundler builds them (bundler/bundler.go,
 * bundler/bundle.go, cfssl master): a leaf, the shortest verified chain to a
 * root of a store, the status warnings, and the JSON that `cfssl bundle`
 * prints.
 *
 * Chain building follows Go 1.19's x509.Certificate.Verify (parents found
 * by raw issuer name, key identifiers ordering the candidates, signatures
 * checked with GnuTLS, validity, CA and path length rules), so that the same
 * chains are found and the same error wins. Intermediates are never fetched
 * from the network (no AIA chasing): only the -int-bundle store and the
 * certificates given after the leaf are used. */
#ifndef CF_BUNDLE_H
#define CF_BUNDLE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <gnutls/x509.h>

#include "buf.h"
#include "error.h"

/* One parsed certificate with the fields chain building looks at. */
struct cf_bundle_cert {
	gnutls_x509_crt_t crt; /* owned */
	int crt_altered;       /* @crt lacks @der's empty names (cf_crt_import_der) */
	unsigned char *der;    /* owned */
	size_t len;
	/* Borrowed from @der. */
	const unsigned char *tbs, *sig, *issuer, *subject;
	size_t tbs_len, sig_len, issuer_len, subject_len;
	unsigned char ski[64], aki[64];
	size_t ski_len, aki_len;
	int version;      /* 1..3 */
	int bc_valid;     /* basicConstraints present */
	int is_ca;        /* basicConstraints cA */
	int max_path_len; /* -1 = no limit */
	unsigned key_usage;
	int64_t not_before, not_after; /* Unix seconds */
	int pk;                        /* gnutls_pk_algorithm_t */
	unsigned bits;
	int curve;     /* gnutls_ecc_curve_t for ECDSA */
	int sign_algo; /* gnutls_sign_algorithm_t of the certificate's signature */
};

/* An ordered set of certificates (Go's CertPool: a certificate already
 * present, byte for byte, is not added twice when @dedup is set). */
struct cf_bundle_pool {
	struct cf_bundle_cert **v; /* owned */
	size_t n, cap;
};

void cf_bundle_pool_release(struct cf_bundle_pool *p);

/* Parses one DER certificate and appends it to @p (unless @dedup and an
 * equal certificate is present). Returns 0, or -1 when the DER does not
 * parse (no error text: callers choose cfssl's). */
int cf_bundle_pool_add_der(struct cf_bundle_pool *p, const unsigned char *der, size_t len,
			   int dedup);

/* helpers.ParseCertificatesPEM: whitespace trimmed, every PEM block parsed
 * as a certificate (or PKCS #7 signed data), whatever its label. Errors:
 * 1003 "Failed to parse certificate" for a block that is neither, 1002
 * "Failed to decode certificate" for text left after the last block. Empty
 * input gives no certificate and no error. Appends to @out (no dedup). */
int cf_bundle_parse_pem(const unsigned char *data, size_t len, struct cf_bundle_pool *out,
			struct cf_error *err);

/* The certificate input of `cfssl bundle -cert` (BundleFromPEMorDER): PEM as
 * above, else DER (PKCS #7 signed data, or one or more concatenated X.509
 * certificates); when neither parses, the PEM error. PKCS #12 input is
 * recognised and refused with a plain "... not supported by cfssl-c yet".
 * No certificate at all: 1002. */
int cf_bundle_parse_input(const unsigned char *data, size_t len, struct cf_bundle_pool *out,
			  struct cf_error *err);

/* Go's system root store on Linux: $SSL_CERT_FILE or the first readable
 * file of Go's list (/etc/ssl/certs/ca-certificates.crt first), plus every
 * file in $SSL_CERT_DIR (colon separated) or /etc/ssl/certs,
 * /etc/pki/tls/certs, /system/etc/security/cacerts, read leniently (blocks
 * that are not certificates skipped, as x509.CertPool.AppendCertsFromPEM). */
void cf_bundle_load_system_roots(struct cf_bundle_pool *roots);

enum cf_bundle_flavor {
	CF_BUNDLE_UBIQUITOUS, /* cfssl's default */
	CF_BUNDLE_OPTIMAL,
	CF_BUNDLE_FORCE,
	CF_BUNDLE_OTHER, /* any other -flavor value: ubiquitous, without its warning */
};

/* Maps the -flavor string. */
enum cf_bundle_flavor cf_bundle_flavor_parse(const char *s);

/* The stores: roots (-ca-bundle or the system store) and intermediates
 * (-int-bundle), both deduplicated. Intermediates given after the leaf that
 * verify are added to @ints while bundling, as cfssl does. */
struct cf_bundler {
	struct cf_bundle_pool roots, ints;
	/* -int-dir, borrowed, or NULL: where cfssl stashes the intermediates that
	 * came with the leaf and completed its chain, as
	 * "<CN without dots and spaces>_<ski hex>_<serial hex>.crt" (PEM, 0644,
	 * logged "stashed new intermediate <name>"). */
	const char *stash_dir;
	/* Set by the caller before cf_bundler_load (serve): without -ca-bundle, the system
	 * store (about 140 roots, 4 MiB of heap) is read on the first cf_bundler_view, under
	 * system_lock, instead of at load: a server that never bundles never holds it. */
	int lazy_system;
	_Atomic int system_pending;
	pthread_mutex_t system_lock;
};

void cf_bundler_release(struct cf_bundler *b);

/* bundler.NewBundler, as bundle and serve load the stores: reads -ca-bundle @ca (""
 * and the system store is used) and -int-bundle @in (may be ""), creates the -int-dir
 * stash directory @int_dir if missing (may be ""), then parses both. Logs cfssl's [ERROR]
 * line for each failure; errors 4001/3001 (Go's read error), 4003/3003 (parse). @b starts
 * zeroed; its stash_dir is the caller's to set. */
int cf_bundler_load(const char *ca, const char *in, const char *int_dir, struct cf_bundler *b,
		    struct cf_error *err);

/* A bundler for one call that shares @shared's certificates: what cf_bundle_build adds to
 * @view stays in @view, so threads may bundle with one set of stores at once. Release with
 * cf_bundler_view_release (frees only what @view added). */
void cf_bundler_view(const struct cf_bundler *shared, struct cf_bundler *view);
void cf_bundler_view_release(struct cf_bundler *view, const struct cf_bundler *shared);

struct cf_bundle {
	struct cf_bundle_cert **chain; /* leaf first; borrowed from the pools */
	size_t n;
	struct cf_bundle_cert *root; /* anchoring root; NULL for force */
	struct cf_bundle_cert *leaf;
	int rebundled;
	int force;
	int code;        /* status bits: 1 expiring, 2 not ubiquitous */
	char **messages; /* owned */
	size_t nmessages;
	char **expiring_skis; /* owned, uppercase hex */
	size_t nexpiring;
	int64_t expires, leaf_expires;
};

void cf_bundle_release(struct cf_bundle *b);

/* Builds the bundle for @certs (leaf first, or the reverse order, which is
 * detected as cfssl does) at Unix time @now. @key, when non-NULL, must match
 * the leaf (2300 "Private key does not match public key"); a leaf that is
 * not RSA, ECDSA or Ed25519 gives 2200. Force: the given chain must verify
 * link by link (1200 "Unable to verify the certificate chain"). Otherwise: a
 * self-signed leaf gives 1100, and a chain is built to a root of @b->roots
 * (1220 "x509: certificate signed by unknown authority", 1211 "x509:
 * certificate has expired or is not yet valid: ...", 1210/1213 ...), the
 * best one picked per @flavor, checked once more with GnuTLS's trust list,
 * and the root dropped from it. Logs "bundling certificate for <subject>"
 * and "the anchoring root is <subject>" (INFO), and the ubiquitous-flavor
 * WARNING, as cfssl. @out is filled; it borrows from @b and @certs. */
int cf_bundle_build(struct cf_bundler *b, struct cf_bundle_pool *certs, gnutls_x509_privkey_t key,
		    enum cf_bundle_flavor flavor, int64_t now, struct cf_bundle *out,
		    struct cf_error *err);

/* Appends the JSON object `cfssl bundle` prints (no trailing newline). @key_pem
 * is the private key PEM (without trailing newline) or NULL for "". */
void cf_bundle_json(const struct cf_bundle *b, const char *key_pem, struct cf_buf *out);

/* Go's pkix.Name.String() of a raw DER Name ("CN=x,O=y,C=US"), as cfssl's
 * log lines print it. Appended to @out. */
void cf_bundle_name_string(const unsigned char *dn, size_t len, struct cf_buf *out);

/* cfssl's bundle JSON form of a raw DER Name: "/Country=US/.../CommonName=x". */
void cf_bundle_name_slashed(const unsigned char *dn, size_t len, struct cf_buf *out);

#endif
