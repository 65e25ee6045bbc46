/* common/policy/auth.c: cfssl's standard HMAC-SHA256 provider. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check.h"

static int decode(const char *spec, struct cf_auth_key *k, struct cf_error *err)
{
	cf_error_clear(err);
	return cf_auth_key_decode("k", spec, k, err);
}

int main(void)
{
	struct cf_auth_key k = {0};
	struct cf_error err = {0};
	unsigned char mac[CF_AUTH_MAC_LEN];

	/* RFC 4231 test case 2: key "Jefe" */
	CHECK(decode("4a656665", &k, &err) == 0 && k.len == 4 && !memcmp(k.key, "Jefe", 4),
	      "hex key");
	static const char msg[] = "what do ya want for nothing?";
	static const unsigned char want[CF_AUTH_MAC_LEN] = {
		0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24,
		0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27,
		0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
	CHECK(cf_auth_mac(&k, msg, strlen(msg), mac, &err) == 0 && !memcmp(mac, want, sizeof mac),
	      "RFC 4231 case 2");
	CHECK(cf_auth_verify(&k, msg, strlen(msg), want, sizeof want) == 1,
	      "a good token verifies");
	unsigned char bad[CF_AUTH_MAC_LEN];
	memcpy(bad, want, sizeof bad);
	bad[31] ^= 1;
	CHECK(cf_auth_verify(&k, msg, strlen(msg), bad, sizeof bad) == 0, "one bit off");
	CHECK(cf_auth_verify(&k, msg, strlen(msg), want, 31) == 0, "a short token");
	CHECK(cf_auth_verify(&k, msg, strlen(msg) - 1, want, sizeof want) == 0, "another message");
	cf_auth_key_release(&k);
	CHECK(k.key == NULL && k.len == 0, "released");
	CHECK(cf_auth_verify(&k, msg, strlen(msg), want, sizeof want) == 0, "no key, no match");

	CHECK(decode("4A656665", &k, &err) == 0 && !memcmp(k.key, "Jefe", 4), "upper-case hex");
	cf_auth_key_release(&k);

	setenv("CFSSL_C_TEST_KEY", "00ff10", 1);
	CHECK(decode("env:CFSSL_C_TEST_KEY", &k, &err) == 0 && k.len == 3 && k.key[1] == 0xff,
	      "env: key");
	cf_auth_key_release(&k);

	char path[] = "/tmp/cfssl-c-test-auth-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f) {
		fputs("  0a0b\n\n", f);
		fclose(f);
	}
	char spec[64];
	snprintf(spec, sizeof spec, "file:%s", path);
	CHECK(decode(spec, &k, &err) == 0 && k.len == 2 && k.key[0] == 0x0a && k.key[1] == 0x0b,
	      "file: key, white space trimmed");
	cf_auth_key_release(&k);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	CHECK(decode(spec, &k, &err) < 0 && err.code == 5200 &&
		      strstr(err.msg, "auth key \"k\" is empty") && !k.key,
	      "an empty file (deviation 17)");
	remove(path);

	static const char *const bad_specs[] = {"abc", "zz", "vault:00", "file:/nonexistent/k",
						"0g",  "env"};
	for (size_t i = 0; i < sizeof bad_specs / sizeof bad_specs[0]; i++)
		CHECK(decode(bad_specs[i], &k, &err) < 0 && err.code == 5200 &&
			      strstr(err.msg, "failed to create new standard auth provider") &&
			      !k.key,
		      "refused: %s", bad_specs[i]);
	unsetenv("CFSSL_C_TEST_UNSET");
	static const char *const empty[] = {"", "env:CFSSL_C_TEST_UNSET"};
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
		CHECK(decode(empty[i], &k, &err) < 0 && err.code == 5200 &&
			      strstr(err.msg, "is empty") && !k.key,
		      "empty key refused (deviation 17): '%s'", empty[i]);

	printf("test_auth: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
