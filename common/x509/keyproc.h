/* The CA key in a process of its own. The server that parses HTTP never
 * holds the CA's private key: cf_keyproc_start forks a small key process that
 * reads the key, locks its memory, and answers only "sign these bytes with
 * this algorithm" over a socketpair, as OpenBSD's relayd keeps TLS keys in
 * its "ca" process. The caller gets a GnuTLS external private key whose
 * signatures come from that process, so the signing code stays the library's. */
#ifndef CF_KEYPROC_H
#define CF_KEYPROC_H

#include <sys/types.h>

#include "buf.h"
#include "error.h"
#include "keygen.h"

struct cf_keyproc;

/* Forks the key process, which reads @key_spec as -ca-key is read (file:,
 * env:, a path; CFSSL_CA_PK_PASSWORD for a legacy-encrypted key) with the
 * errors cf_ca_load gives. On success *@kp is the handle, @key signs through
 * it (@key->x509 is NULL; pk, bits and curve are the real key's) and @spki
 * receives the key's DER SubjectPublicKeyInfo. Signing through @key is safe
 * from several threads. The caller's process never reads the key file. */
int cf_keyproc_start(const char *key_spec, struct cf_keyproc **kp, struct cf_key *key,
		     struct cf_buf *spki, struct cf_error *err);

/* How a key file is read (cf_keyproc_start2, cf_ca_load_isolated2). */
enum cf_key_format {
	CF_KEY_CA = 0, /* -ca-key: PEM, CFSSL_CA_PK_PASSWORD for a legacy-encrypted key */
	/* multirootca's file:// keys (parsePrivateKeySpec): PEM without a password, else DER
	 * (PKCS#8, PKCS#1, SEC1); a file that is neither is the DER parser's 2003 */
	CF_KEY_PEM_OR_DER = 1,
};
/* cf_keyproc_start with the key read as @fmt says. */
int cf_keyproc_start2(const char *key_spec, enum cf_key_format fmt, struct cf_keyproc **kp,
		      struct cf_key *key, struct cf_buf *spki, struct cf_error *err);

/* The key process's id, for tests and logs. */
pid_t cf_keyproc_pid(const struct cf_keyproc *kp);

/* Ends the key process (it wipes the key and exits) and waits for it.
 * Release the cf_key from cf_keyproc_start first. 0 when it exited cleanly. */
int cf_keyproc_stop(struct cf_keyproc *kp);

#endif
