/* Key generation and export as cfssl does them (spec §5.5, §8.2, §8.8). */
#include <stdio.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "der.h"
#include "keygen.h"
#include "pem.h"

#include "check.h"

static void check_request(const char *algo, long long size, const char *want)
{
	struct cf_error err = {0};
	int r = cf_key_check_request(algo, size, &err);
	if (!want) {
		CHECK(r == 0, "%s-%lld accepted", algo, size);
		return;
	}
	char msg[256];
	cf_error_render(&err, msg, sizeof msg);
	CHECK(r < 0 && strcmp(msg, want) == 0, "%s-%lld: got %s, want %s", algo, size, msg, want);
}

/* The DER of the first PEM block of @pem, with its label. */
static int pem_der(const struct cf_buf *pem, struct cf_pem_block *blk)
{
	return cf_pem_decode((const char *)pem->data, pem->len, blk, NULL, NULL);
}

static void check_ec_scalar_length(long long size, size_t want, int rounds)
{
	int bad = 0;
	for (int i = 0; i < rounds; i++) {
		struct cf_key key;
		struct cf_error err = {0};
		struct cf_buf pem = CF_BUF_INIT;
		struct cf_pem_block blk;
		if (cf_key_generate("ecdsa", size, &key, &err) < 0 ||
		    cf_key_export_pem(&key, &pem, &err) < 0 || !pem_der(&pem, &blk)) {
			bad++;
			continue;
		}
		/* SEC1: SEQUENCE { INTEGER 1, OCTET STRING scalar, [0] oid, [1] point } */
		struct cf_der_reader r = {blk.der, blk.len}, in;
		struct cf_der_tlv seq, ver, scalar, params, pub;
		int ok = cf_der_next(&r, &seq) == 1;
		in.p = seq.content;
		in.len = seq.len;
		ok = ok && cf_der_next(&in, &ver) == 1 && ver.len == 1 && ver.content[0] == 1 &&
		     cf_der_next(&in, &scalar) == 1 && scalar.tag == CF_DER_OCTET_STRING &&
		     scalar.len == want && cf_der_next(&in, &params) == 1 && params.tag == 0xa0 &&
		     cf_der_next(&in, &pub) == 1 && pub.tag == 0xa1;
		ok = ok && strcmp(blk.type, "EC PRIVATE KEY") == 0;
		if (!ok)
			bad++;
		cf_pem_block_release(&blk);
		cf_buf_release(&pem);
		cf_key_release(&key);
	}
	CHECK(bad == 0, "ecdsa-%lld: %d of %d keys not SEC1 with a %zu-byte scalar", size, bad,
	      rounds, want);
}

static void check_sig_algid(const char *algo, long long size, const char *want_hex)
{
	struct cf_key key;
	struct cf_error err = {0};
	if (cf_key_generate(algo, size, &key, &err) < 0) {
		CHECK(0, "generate %s-%lld: %s", algo, size, err.msg);
		return;
	}
	struct cf_buf b = CF_BUF_INIT;
	cf_key_sig_algid(&key, &b);
	char hex[128] = "";
	for (size_t i = 0; i < b.len && 2 * i + 2 < sizeof hex; i++)
		sprintf(hex + 2 * i, "%02X", b.data[i]);
	CHECK(strcmp(hex, want_hex) == 0, "%s-%lld algid %s, want %s", algo, size, hex, want_hex);
	cf_buf_release(&b);
	cf_key_release(&key);
}

/* cf_key_spki builds EC and Ed25519 SPKIs itself: the bytes must be GnuTLS's own export (and
 * Go's), also when a coordinate has leading zero bytes (1 key in 128 on P-256). */
static void check_spki(const char *algo, long long size, int rounds, int canonical)
{
	int bad = 0, shape = 0;
	for (int i = 0; i < rounds; i++) {
		struct cf_key key;
		struct cf_error err = {0};
		struct cf_buf ours = CF_BUF_INIT;
		gnutls_pubkey_t pub = NULL;
		gnutls_datum_t d = {NULL, 0};
		if (cf_key_generate(algo, size, &key, &err) < 0) {
			CHECK(0, "%s %lld: generate: %s", algo, size, err.msg);
			return;
		}
		if (cf_key_spki(&key, &ours, &err) < 0 || gnutls_pubkey_init(&pub) < 0 ||
		    gnutls_pubkey_import_privkey(pub, key.priv, 0, 0) < 0 ||
		    gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &d) < 0 || ours.len != d.size ||
		    memcmp(ours.data, d.data, d.size) != 0)
			bad++;
		if (cf_spki_is_canonical(ours.data, ours.len) != canonical)
			shape++;
		gnutls_free(d.data);
		if (pub)
			gnutls_pubkey_deinit(pub);
		cf_buf_release(&ours);
		cf_key_release(&key);
	}
	CHECK(bad == 0, "%s %lld: %d of %d SPKIs differ from GnuTLS's export", algo, size, bad,
	      rounds);
	CHECK(shape == 0, "%s %lld: canonical form %s expected", algo, size,
	      canonical ? "" : "not");
}

int main(void)
{
	check_request("rsa", 2048, NULL);
	check_request("rsa", 8192, NULL);
	check_request("rsa", 2049, NULL);
	check_request("rsa", 1024, "{\"code\":2400,\"message\":\"RSA key is too weak\"}");
	check_request("rsa", 256, "{\"code\":2400,\"message\":\"RSA key is too weak\"}");
	check_request("rsa", 8193, "{\"code\":2400,\"message\":\"RSA key size too large\"}");
	check_request("ecdsa", 256, NULL);
	check_request("ecdsa", 384, NULL);
	check_request("ecdsa", 521, NULL);
	check_request("ecdsa", 224, "{\"code\":2400,\"message\":\"invalid curve\"}");
	check_request("ecdsa", 512, "{\"code\":2400,\"message\":\"invalid curve\"}");
	check_request("ed25519", 0, NULL);
	check_request("RSA", 2048, "{\"code\":2400,\"message\":\"invalid algorithm\"}");
	check_request("", 2048, "{\"code\":2400,\"message\":\"invalid algorithm\"}");
	check_request("dsa", 2048, "{\"code\":2400,\"message\":\"invalid algorithm\"}");

	/* Go pads the private scalar to the curve size; 1 in 256 keys would show a
	 * shorter one if the export trimmed leading zeros. */
	check_ec_scalar_length(256, 32, 600);
	check_ec_scalar_length(384, 48, 50);
	check_ec_scalar_length(521, 66, 50);

	check_spki("ecdsa", 256, 600, 1);
	check_spki("ecdsa", 384, 50, 1);
	check_spki("ecdsa", 521, 50, 1);
	check_spki("ed25519", 0, 50, 1);
	check_spki("rsa", 2048, 1, 0);
	{
		/* a truncated or altered prefix is not the canonical form */
		struct cf_key key;
		struct cf_error err = {0};
		struct cf_buf b = CF_BUF_INIT;
		if (cf_key_generate("ecdsa", 256, &key, &err) == 0 &&
		    cf_key_spki(&key, &b, &err) == 0) {
			CHECK(cf_spki_is_canonical(b.data, b.len - 1) == 0,
			      "P-256 SPKI minus a byte");
			b.data[26] = 0x02; /* compressed point marker */
			CHECK(cf_spki_is_canonical(b.data, b.len) == 0, "P-256 SPKI, point not 04");
			cf_key_release(&key);
		} else {
			CHECK(0, "P-256 key");
		}
		cf_buf_release(&b);
	}

	check_sig_algid("ecdsa", 256, "300A06082A8648CE3D040302");
	check_sig_algid("ecdsa", 384, "300A06082A8648CE3D040303");
	check_sig_algid("ecdsa", 521, "300A06082A8648CE3D040304");
	check_sig_algid("ed25519", 0, "300506032B6570");
	check_sig_algid("rsa", 2048, "300D06092A864886F70D01010B0500");

	/* Ed25519: PKCS#8 under the standard label (deviation 8), the seed inside. */
	struct cf_key key;
	struct cf_error err = {0};
	struct cf_buf pem = CF_BUF_INIT;
	struct cf_pem_block blk;
	CHECK(cf_key_generate("ed25519", 256, &key, &err) == 0, "ed25519 generate");
	CHECK(cf_key_export_pem(&key, &pem, &err) == 0 && pem_der(&pem, &blk), "ed25519 export");
	CHECK(strcmp(blk.type, "PRIVATE KEY") == 0, "ed25519 label %s", blk.type);
	static const unsigned char prefix[] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
					       0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
	CHECK(blk.len == 48 && memcmp(blk.der, prefix, sizeof prefix) == 0,
	      "ed25519 PKCS#8 layout (len %zu)", blk.len);
	/* SKI: SHA-1 of the 32 raw public key bytes */
	struct cf_buf spki = CF_BUF_INIT;
	unsigned char id[20];
	CHECK(cf_key_spki(&key, &spki, &err) == 0 && spki.len == 44, "ed25519 SPKI is 44 bytes");
	CHECK(cf_spki_key_id(spki.data, spki.len, id) == 0, "key id computed");
	unsigned char want[20];
	gnutls_hash_fast(GNUTLS_DIG_SHA1, spki.data + 12, 32, want);
	CHECK(memcmp(id, want, 20) == 0, "key id is SHA-1 of the BIT STRING contents");
	cf_buf_release(&spki);
	cf_pem_block_release(&blk);
	cf_buf_release(&pem);
	cf_key_release(&key);

	printf("test_keygen: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
