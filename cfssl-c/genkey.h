/* What genkey, gencert and selfsign share on the command line: the request's
 * log lines and cfssl's PrintCert output. */
#ifndef CFSSL_GENKEY_H
#define CFSSL_GENKEY_H

#include "buf.h"
#include "csr.h"
#include "error.h"
#include "keygen.h"

/* Logs cfssl's "generate received request", "received CSR" and
 * "generating key: A-S" (then cf_op_newkey or cf_op_newcert does the work). */
void genkey_log_request(const struct cf_csr_request *req);

/* Appends cfssl's PrintCert JSON: {"cert","csr","key"} in that order, NULL
 * members omitted, Go string escaping, then LF. */
void genkey_put_output(struct cf_buf *out, const struct cf_buf *cert, const struct cf_buf *csr,
		       const struct cf_buf *key);

#endif
