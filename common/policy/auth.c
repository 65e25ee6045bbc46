#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "base64.h"
#include "buf.h"
#include "crypto.h"

static const char provider_failed[] = "failed to create new standard auth provider";

/* A key file is a few dozen bytes; more than this is not a key. */
#define KEY_FILE_MAX 65536

static int read_key_file(const char *path, struct cf_buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[512];
	size_t n;
	int ok = 1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->len + n > KEY_FILE_MAX) {
			ok = 0;
			break;
		}
		cf_buf_add(out, chunk, n);
	}
	cf_wipe(chunk, sizeof chunk);
	if (ferror(f))
		ok = 0;
	fclose(f);
	return ok ? 0 : -1;
}

int cf_auth_key_decode(const char *name, const char *spec, struct cf_auth_key *out,
		       struct cf_error *err)
{
	memset(out, 0, sizeof *out);
	struct cf_buf text = CF_BUF_INIT;
	const char *colon = strchr(spec, ':');
	const char *s = spec;
	size_t n = strlen(spec);
	if (colon) {
		size_t pl = (size_t)(colon - spec);
		if (pl == 3 && !strncmp(spec, "env", 3)) {
			s = getenv(colon + 1);
			if (!s)
				s = "";
			n = strlen(s);
		} else if (pl == 4 && !strncmp(spec, "file", 4)) {
			if (read_key_file(colon + 1, &text) < 0) {
				if (text.data)
					cf_wipe(text.data, text.len);
				cf_buf_release(&text);
				return cf_error_set(err, CF_ERR_POLICY_INVALID, provider_failed);
			}
			/* strings.TrimSpace */
			size_t start = 0, end = text.len;
			while (start < end && strchr(" \t\r\n\v\f", text.data[start]))
				start++;
			while (end > start && strchr(" \t\r\n\v\f", text.data[end - 1]))
				end--;
			s = text.data ? (const char *)text.data + start : "";
			n = end - start;
		} else {
			return cf_error_set(err, CF_ERR_POLICY_INVALID, provider_failed);
		}
	}
	int rc = 0;
	if (n % 2) {
		rc = cf_error_set(err, CF_ERR_POLICY_INVALID, provider_failed);
	} else if (!n) {
		rc = cf_error_set(err, CF_ERR_POLICY_INVALID, "auth key \"%s\" is empty", name);
	} else {
		out->key = cf_xmalloc(n / 2);
		out->len = n / 2;
		for (size_t i = 0; i < n; i += 2) {
			int hi = cf_hexval((unsigned char)s[i]),
			    lo = cf_hexval((unsigned char)s[i + 1]);
			if (hi < 0 || lo < 0) {
				cf_auth_key_release(out);
				rc = cf_error_set(err, CF_ERR_POLICY_INVALID, provider_failed);
				break;
			}
			out->key[i / 2] = (unsigned char)(hi << 4 | lo);
		}
	}
	if (text.data)
		cf_wipe(text.data, text.len);
	cf_buf_release(&text);
	return rc;
}

void cf_auth_key_release(struct cf_auth_key *k)
{
	if (k->key)
		cf_wipe_free(k->key, k->len);
	k->key = NULL;
	k->len = 0;
}

int cf_auth_mac(const struct cf_auth_key *k, const void *msg, size_t len,
		unsigned char mac[CF_AUTH_MAC_LEN], struct cf_error *err)
{
	if (cf_crypto_init(err) < 0)
		return -1;
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, k->key, k->len, msg, len, mac) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "HMAC-SHA256 failed");
	return 0;
}

int cf_auth_verify(const struct cf_auth_key *k, const void *msg, size_t len,
		   const unsigned char *token, size_t token_len)
{
	if (!k->key || token_len != CF_AUTH_MAC_LEN)
		return 0;
	unsigned char mac[CF_AUTH_MAC_LEN];
	struct cf_error err = {0};
	if (cf_auth_mac(k, msg, len, mac, &err) < 0) {
		cf_error_clear(&err);
		return 0;
	}
	unsigned diff = 0;
	for (size_t i = 0; i < CF_AUTH_MAC_LEN; i++)
		diff |= (unsigned)(mac[i] ^ token[i]);
	cf_wipe(mac, sizeof mac);
	return diff == 0;
}
