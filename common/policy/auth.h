/* cfssl's "standard" authentication provider: HMAC-SHA256 tokens over the
 * exact bytes of an inner request, with keys given as hex, env:NAME or
 * file:PATH (cfssl-serve.md §4). */
#ifndef CF_AUTH_H
#define CF_AUTH_H

#include <stddef.h>

#include "error.h"

#define CF_AUTH_MAC_LEN 32

/* A decoded HMAC key; wiped when released. */
struct cf_auth_key {
	unsigned char *key; /* NULL: no key */
	size_t len;
};

/* Decodes @spec as cfssl's auth.New reads a key: "env:NAME" is the variable's
 * value, "file:PATH" the file's content with white space trimmed, anything
 * else the text itself; the result must be hex. Any other "xxx:" prefix,
 * non-hex text or an unreadable file: 5200 "failed to create new standard
 * auth provider". Beyond cfssl (deviation 17), a key that comes out empty
 * (an empty string, an unset variable, an empty file) would make every token
 * forgeable: 5200 "auth key \"NAME\" is empty" with @name. */
int cf_auth_key_decode(const char *name, const char *spec, struct cf_auth_key *out,
		       struct cf_error *err);
void cf_auth_key_release(struct cf_auth_key *k);

/* The token for @msg: HMAC-SHA256 under @k. -1 only when GnuTLS fails. */
int cf_auth_mac(const struct cf_auth_key *k, const void *msg, size_t len,
		unsigned char mac[CF_AUTH_MAC_LEN], struct cf_error *err);

/* 1 when @token (the decoded token, any length) is @msg's MAC under @k,
 * compared in constant time; 0 otherwise. */
int cf_auth_verify(const struct cf_auth_key *k, const void *msg, size_t len,
		   const unsigned char *token, size_t token_len);

#endif
