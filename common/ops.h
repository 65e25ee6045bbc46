/* The operations layer: each cfssl operation as one call, a request in and a
 * result or a cf_error out. The command files of cfssl-c, the HTTP handlers
 * and the remote client only translate flags or JSON into these requests and
 * the results into output. The calls keep no state of their own: with a CA
 * loaded once they may run on several threads at the same time.
 *
 * Here: sign, newkey, newcert, certinfo of a certificate, gencrl. Already
 * library calls of their own modules: init_ca (cf_initca_new, _from_key,
 * _renew in initca.h), certinfo of a CSR and of a server (certinfo.h),
 * bundle (bundle.h; its store loading still lives in cfssl-c/bundle.c). */
#ifndef CF_OPS_H
#define CF_OPS_H

#include "buf.h"
#include "config.h"
#include "csr.h"
#include "error.h"
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
};

/* Appends the CRL's DER to @der, thisUpdate now, with a CRL Number (deviation 11). */
int cf_op_gencrl(const struct cf_gencrl_request *r, struct cf_buf *der, struct cf_error *err);

#endif
