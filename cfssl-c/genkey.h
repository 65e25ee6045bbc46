/* The key and request generation that genkey and selfsign share (cfssl's
 * csr.Generator.ProcessRequest with genkey's validator, which accepts all). */
#ifndef CFSSL_GENKEY_H
#define CFSSL_GENKEY_H

#include "buf.h"
#include "csr.h"
#include "error.h"
#include "keygen.h"

/* Logs "generate received request", "received CSR", "generating key: A-S",
 * generates the key (filling @key; release with cf_key_release, also after a
 * failure), appends the PEM request to @csr and the key PEM to @keypem
 * (release with cf_buf_release, which wipes), then logs "encoded CSR".
 * Errors: 2400 for the key, the hosts and 9300 request errors (logged first
 * as "failed to generate a CSR: ...", as cfssl does). */
int genkey_process_request(const struct cf_csr_request *req, struct cf_key *key, struct cf_buf *csr,
			   struct cf_buf *keypem, struct cf_error *err);

/* Appends cfssl's PrintCert JSON: {"cert","csr","key"} in that order, NULL
 * members omitted, Go string escaping, then LF. */
void genkey_put_output(struct cf_buf *out, const struct cf_buf *cert, const struct cf_buf *csr,
		       const struct cf_buf *key);

#endif
