/* GnuTLS's library initialisation, done once and on demand. The cfssl-c binary turns off
 * GnuTLS's implicit constructor (GNUTLS_SKIP_GLOBAL_INIT) so that commands which never touch a
 * key (version, print-defaults, argument errors) do not pay for it, and calls this before any
 * other GnuTLS function. Programs that keep the implicit initialisation may call it too. */
#ifndef CF_CRYPTO_H
#define CF_CRYPTO_H

#include "error.h"

/* 0, or -1 with a plain error naming GnuTLS's reason. Idempotent. */
int cf_crypto_init(struct cf_error *err);

#endif
