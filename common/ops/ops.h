/* The operations layer: each cfssl operation as one call, a request in and a
 * result or a cf_error out. The command files of cfssl-c, the HTTP handlers
 * and the remote client only translate flags or JSON into these requests and
 * the results into output. The calls keep no state of their own: with a CA
 * loaded once they may run on several threads at the same time.
 *
 * Here: sign, newkey, newcert, certinfo of a certificate or a server, bundle,
 * gencrl, ocspsign. Already library calls of their own modules: init_ca
 * (cf_initca_new, _from_key, _renew in initca.h), certinfo of a CSR
 * (certinfo.h). */
#ifndef CF_OPS_H
#define CF_OPS_H

#include <stdint.h>

#include <gnutls/x509.h>

#include "buf.h"
#include "bundle.h"
#include "config.h"
#include "csr.h"
#include "error.h"
#include "ocsp.h"
#include "signer.h"

/* sign: a certificate for an existing CSR (cfssl sign, /sign, /authsign). */
struct cf_sign_request {
	const unsigned char *csr; /* the PEM certificate request */
	size_t csr_len;
	/* comma-separated names that replace the request's SANs; NULL or "": the request's */
	const char *hostname;
	/* with hosts_set (and no @hostname): these names replace the request's SANs, none at
	 * all when @nhosts is 0 (the API's "hosts":[]) */
	const char *const *hosts;
	size_t nhosts;
	int hosts_set;
	/* subject fields that replace the request's (sign's SUBJECT file); NULL: none */
	const struct cf_csr_request *subject;
	const struct cf_profile *profile; /* chosen by the caller (cf_config_select) */
	/* the API request's "serial" (a JSON integer's text); NULL: none (see
	 * cf_cert_template.client_serial) */
	const char *serial;
};

/* Parses and checks the request as cfssl's local signer does (a CA request
 * against the profile and the CA's path length, §8.6), builds the SANs and the
 * subject, signs, and appends the PEM certificate to @cert. Logs cfssl's
 * "signed certificate with serial number N". */
int cf_op_sign(const struct cf_ca *ca, const struct cf_sign_request *r, struct cf_buf *cert,
	       struct cf_error *err);

/* newkey: a new key and its CSR (cfssl genkey, /newkey). The caller logs
 * cfssl's "generate received request" lines first. */
struct cf_newkey_result {
	struct cf_key key;          /* the new key, for a caller that signs with it (selfsign) */
	struct cf_buf csr, key_pem; /* PEM each; the key wiped on release */
};
int cf_op_newkey(const struct cf_csr_request *req, struct cf_newkey_result *out,
		 struct cf_error *err);
/* cfssl's "generate received request", "received CSR" and "generating key: A-S" records
 * (the generator's, before cf_op_newkey or cf_op_newcert). */
void cf_op_newkey_log(const struct cf_csr_request *req);
void cf_newkey_result_release(struct cf_newkey_result *res);

/* newcert: a new key, its CSR and a certificate signed by the CA
 * (cfssl gencert -ca, /newcert). */
struct cf_newcert_request {
	const struct cf_csr_request *csr; /* its hosts are the SANs */
	const struct cf_config *config;   /* for the profile's lint check */
	const struct cf_profile *profile;
	const char *crl_override; /* -crl; NULL: the profile's */
};

struct cf_newcert_result {
	struct cf_buf cert, csr, key; /* PEM each; the key wiped on release */
	/* on failure: 1 when the key and CSR were made and signing failed (cfssl's server logs
	 * "failed to sign request" then, "failed to process CSR" before) */
	int signing;
};

/* The key of the request's algorithm and size, the CSR, and the certificate,
 * with cfssl's log lines ("encoded CSR", "signed certificate ...") and its
 * "[ERROR] failed to generate a CSR: ..." before a CSR error. */
int cf_op_newcert(const struct cf_ca *ca, const struct cf_newcert_request *r,
		  struct cf_newcert_result *out, struct cf_error *err);
void cf_newcert_result_release(struct cf_newcert_result *res);

/* info: what a CA issues under a profile (cfssl info -config, /info). Appends cfssl's
 * info.Resp {"certificate":<the CA certificate PEM without its final LF>,"usages":<the
 * profile's usages as written, null when absent>,"expiry":<its expiry text>} (no LF). */
void cf_op_info(const struct cf_ca *ca, const struct cf_profile *profile, struct cf_buf *out);

/* certinfo: cfssl's JSON for a certificate given as PEM, DER or PKCS#7 (cfssl certinfo -cert,
 * /certinfo), appended to @out. The JSON shows the input's own DER. */
int cf_op_certinfo_cert(const unsigned char *data, size_t len, struct cf_buf *out,
			struct cf_error *err);
/* certinfo of a TLS server's leaf certificate (cfssl certinfo -domain, /certinfo "domain"):
 * @domain is "host:port" or a host (port 443); dial and handshake bounded by 10 s as cfssl;
 * Go's dial errors (plain). */
int cf_op_certinfo_domain(const char *domain, struct cf_buf *out, struct cf_error *err);

/* bundle: a certificate (PEM or DER, with the certificates after it) and its chain (cfssl
 * bundle -cert, /bundle). */
struct cf_bundle_request {
	const unsigned char *cert;
	size_t cert_len;
	const unsigned char *key; /* PEM private key of the leaf, or NULL/empty */
	size_t key_len;
	enum cf_bundle_flavor flavor;
	/* non-empty: the leaf must be valid for this DNS name / this IP (Go's VerifyHostname,
	 * 1200 with Go's text), as /bundle checks "domain" and "ip" */
	const char *domain, *ip;
	int64_t now;
};

/* Builds the bundle and appends `cfssl bundle`'s JSON to @json. @b is not changed: the
 * intermediates a request brings are used for that request only (cfssl's API keeps them
 * for later requests; the stores stay read-only here so that threads may share them). */
int cf_op_bundle(const struct cf_bundler *b, const struct cf_bundle_request *r, struct cf_buf *json,
		 struct cf_error *err);

/* bundle -domain: the chain a TLS server at @domain ("host", or "host:port" as a deviation: cfssl
 * always dials port 443) sends, fetched without verification (dialling @ip instead when
 * non-empty; 5 s), then bundled as cf_op_bundle does. As cfssl (Go's VerifyHostname on an
 * unverified connection), a chain that does not verify by itself against the roots for the
 * host name (expired, unknown root, incomplete, wrong host) fails with 1200 "tls: handshake did
 * not verify certificate chain" (the reason logged at DEBUG). Dial and handshake errors: 6000
 * with Go's text. */
int cf_op_bundle_remote(const struct cf_bundler *b, const char *domain, const char *ip,
			enum cf_bundle_flavor flavor, int64_t now, struct cf_buf *json,
			struct cf_error *err);

/* ocspsign: an OCSP response (cfssl ocspsign, /ocspsign). */
struct cf_ocsp_signer {
	gnutls_x509_crt_t issuer, responder; /* borrowed */
	const struct cf_key *key;            /* the responder's key */
	int64_t interval;                    /* seconds from thisUpdate to nextUpdate */
};
/* Fills @r's times from @now as cfssl's signer (thisUpdate truncated to the hour, producedAt
 * to the minute, nextUpdate = thisUpdate + interval), signs with cf_ocsp_sign and appends the
 * response's base64 DER to @b64. */
int cf_op_ocspsign(const struct cf_ocsp_signer *s, gnutls_x509_crt_t cert,
		   struct cf_ocsp_request *r, int64_t now, struct cf_buf *b64,
		   struct cf_error *err);

/* gencrl: a CRL listing serial numbers, signed by a CA (cfssl gencrl, /gencrl). */
struct cf_gencrl_request {
	const unsigned char *serials; /* one decimal serial a line, as cfssl reads them */
	size_t serials_len;
	const unsigned char *cert; /* the CA certificate, PEM */
	size_t cert_len;
	const unsigned char
		*key; /* its key, PEM (CFSSL_CA_PK_PASSWORD for a legacy-encrypted one) */
	size_t key_len;
	long long expiry; /* seconds to nextUpdate; 0: one week */
	/* deviation 21 (/gencrl): a key that does not match the certificate is refused, 2300
	 * "Private key does not match public key" */
	int check_key;
	int no_password; /* ignore CFSSL_CA_PK_PASSWORD (/gencrl as cfssl) */
};

/* Appends the CRL's DER to @der, thisUpdate now, with a CRL Number (deviation 11). */
int cf_op_gencrl(const struct cf_gencrl_request *r, struct cf_buf *der, struct cf_error *err);

/* ---- the certificate database (certdb.h; ops_db.c) ----
 * Each call takes an open database (cf_certdb_open_file); the database is
 * thread-safe, so serve's handlers share one. */
struct cf_certdb;
struct cf_certdb_cert;

/* record: inserts the row cfssl's signer writes for a certificate it has just
 * issued (@pem as returned to the caller; @label the request's label or NULL),
 * §7.3. On failure the caller must not hand out the certificate (cfssl). */
int cf_op_record(struct cf_certdb *db, const unsigned char *pem, size_t len, const char *label,
		 struct cf_error *err);

/* certadd: inserts the record @c a client supplied (serve's /certadd), as given. */
int cf_op_certadd(struct cf_certdb *db, const struct cf_certdb_cert *c, struct cf_error *err);

/* revoke: marks (@serial, @aki) revoked with @reason (already a code: the CLI
 * and the endpoint word reason errors differently). Both are normalised
 * first (deviation 23: serial without blanks and leading zeros, AKI
 * lower-case hex without colons). No row: 11200 "failed to revoke the
 * certificate: certificate not found". */
int cf_op_revoke(struct cf_certdb *db, const char *serial, const char *aki, int reason,
		 struct cf_error *err);

/* crl: a CRL of the revoked, unexpired certificates of the CA @issuer
 * (deviation 22: rows whose AKI is @issuer's SKI, and rows with an empty AKI,
 * as Debian's cfssl 1.2 writes them, whose certificate names @issuer as its
 * issuer), signed by @key: thisUpdate now, nextUpdate now + @expiry seconds
 * (0: 168h), entries serial + revoked_at, no CRL Number (as cfssl's crl).
 * Appends the DER to @der. */
int cf_op_crl(struct cf_certdb *db, gnutls_x509_crt_t issuer, const struct cf_key *key,
	      long long expiry, struct cf_buf *der, struct cf_error *err);

/* ocsprefresh: signs an OCSP response for every unexpired certificate of the
 * CA @ca (deviation 22, chosen as cf_op_crl) and upserts it under (its serial,
 * hex of its AKI) with expiry = now + @interval. Stops at the first failure
 * (rows already written stay), logged at CRITICAL as cfssl's command does
 * ("Unable to parse certificate: ", "Unable to sign OCSP response: ",
 * "Unable to save OCSP response: " + the error). */
struct cf_ocsprefresh_request {
	gnutls_x509_crt_t ca, responder;
	const struct cf_key *key; /* the responder's */
	long long interval;       /* seconds */
};
int cf_op_ocsprefresh(struct cf_certdb *db, const struct cf_ocsprefresh_request *r,
		      struct cf_error *err);

/* ocspdump: base64 of every unexpired stored OCSP response, one a line. */
int cf_op_ocspdump(struct cf_certdb *db, struct cf_buf *out, struct cf_error *err);

/* certinfo -serial -aki: the certinfo JSON of the stored certificate (AKI
 * and serial normalised as cf_op_revoke). Errors (plain): "no certificate
 * found", "more than one certificate found". */
int cf_op_certinfo_serial(struct cf_certdb *db, const char *serial, const char *aki,
			  struct cf_buf *out, struct cf_error *err);

#endif
