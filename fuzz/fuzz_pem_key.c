/* Private key loading (-ca-key, CFSSL_CA_PK_PASSWORD): PKCS#8, PKCS#1 and
 * SEC1 in PEM, legacy-encrypted PEM with and without a password, and the
 * key as the signer takes it (type, size, SubjectPublicKeyInfo). */
#include <stdint.h>

#include <gnutls/x509.h>

#include "fuzz.h"
#include "keygen.h"
#include "pem.h"

static void use_key(const unsigned char *data, size_t size, const char *password)
{
	struct cf_error err = {0};
	gnutls_x509_privkey_t xkey = NULL;
	if (cf_parse_key_pem(data, size, password, &xkey, &err) < 0) {
		if (!err.set)
			abort();
		return;
	}
	struct cf_key key;
	memset(&key, 0, sizeof key);
	/* takes @xkey whatever happens, as cf_ca_load relies on */
	if (cf_key_from_x509(xkey, &key, &err) == 0) {
		struct cf_buf spki = CF_BUF_INIT;
		if (cf_key_spki(&key, &spki, &err) == 0) {
			unsigned char id[20];
			(void)cf_spki_key_id(spki.data, spki.len, id);
		}
		cf_buf_release(&spki);
		struct cf_buf alg = CF_BUF_INIT;
		cf_key_sig_algid(&key, &alg);
		cf_buf_release(&alg);
	}
	cf_key_release(&key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	use_key(data, size, NULL);
	use_key(data, size, "password");
	return 0;
}
