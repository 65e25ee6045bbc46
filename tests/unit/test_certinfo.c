/* cfssl certinfo rendering (spec §12.5). The fixed certificate is a copy of
 * testdata/certinfo/leaf.pem (made once with `openssl ca`); the expected
 * values come from `openssl x509 -text` of it (testdata/certinfo/leaf.txt):
 * serial f1:e2:d3:c4:b5:a6:97:88:12:34:56:78:9a in decimal, the dates in
 * RFC 3339, ecdsa-with-SHA384, the key identifiers as printed (upper-case,
 * zero-padded), the subject in DN order, and the SANs (DNS names, then the
 * IPs as Go prints them; e-mail and URI left out). */
#include <stdio.h>
#include <string.h>

#include "certinfo.h"
#include "pem.h"

static int passed, failed;

static void check(int cond, const char *what, const char *detail)
{
	if (cond) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s%s%s\n", what, detail ? ":\n" : "", detail ? detail : "");
	}
}

static const char leaf_pem[] = "-----BEGIN CERTIFICATE-----\n"
			       "MIIDIDCCAqegAwIBAgIOAPHi08S1ppeIEjRWeJowCgYIKoZIzj0EAwMwMzEZMBcG\n"
			       "A1UEAwwQQ2VydGluZm8gVGVzdCBDQTEWMBQGA1UECgwNY2Zzc2wtYyB0ZXN0czAg\n"
			       "Fw0yNDAxMDIwMzA0MDVaGA8yMDU1MDYwNzA4MDkxMFowgdgxCzAJBgNVBAYTAkNI\n"
			       "MRAwDgYDVQQIDAdaw7xyaWNoMRAwDgYDVQQHDAdaw7xyaWNoMRkwFwYDVQQJDBBC\n"
			       "YWhuaG9mc3RyYXNzZSAxMQ0wCwYDVQQRDAQ4MDAxMRYwFAYDVQQKDA1BY21lICYg\n"
			       "PFNvbnM+MQwwCgYDVQQLDANXZWIxDDAKBgNVBAsMA09wczEYMBYGA1UEAwwPd3d3\n"
			       "LmV4YW1wbGUuY29tMQ0wCwYDVQQFEwQ0NzExMR4wHAYJKoZIhvcNAQkBFg9vcHNA\n"
			       "ZXhhbXBsZS5jb20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAR4Y7MCrmf4Ty+l\n"
			       "18/clnEZLXx8DRscbFK2rA4DPjr3KNBhDT7lk7WWRJP316K346te0IFuSu9FQ5CQ\n"
			       "ymeDkfSbo4H2MIHzMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgeAMBMGA1Ud\n"
			       "JQQMMAoGCCsGAQUFBwMBMB0GA1UdDgQWBBQAAQIKsMDerb7vABEiM0RVZneImTAf\n"
			       "BgNVHSMEGDAWgBQFCgsA/xABAgMEBQYHCAkKCwwNDjB+BgNVHREEdzB1gg93d3cu\n"
			       "ZXhhbXBsZS5jb22CDSouZXhhbXBsZS5vcmeHBMAAAgGHECABDbgAAAAAAAEAAAAA\n"
			       "AAGHEAAAAAAAAAAAAAD//8YzZAeBD29wc0BleGFtcGxlLmNvbYYYc3BpZmZlOi8v\n"
			       "ZXhhbXBsZS5vcmcvc3ZjMAoGCCqGSM49BAMDA2cAMGQCMAbOfkN6/K/BhQYrG5zn\n"
			       "y9lSohqQnDoXh7EUpHtxAUCsy0Q0tMATmcJOkBexJftzgwIwK0r5kij9A9xVLmC6\n"
			       "quG7MVCu1vGW6lo4KHa9vK9vkw/keY2t2I9MQhFFcBwpPZPZ\n"
			       "-----END CERTIFICATE-----\n";

static const char leaf_csr[] = "-----BEGIN CERTIFICATE REQUEST-----\n"
			       "MIIBlTCCATsCAQAwgdgxCzAJBgNVBAYTAkNIMRAwDgYDVQQIDAdaw7xyaWNoMRAw\n"
			       "DgYDVQQHDAdaw7xyaWNoMRkwFwYDVQQJDBBCYWhuaG9mc3RyYXNzZSAxMQ0wCwYD\n"
			       "VQQRDAQ4MDAxMRYwFAYDVQQKDA1BY21lICYgPFNvbnM+MQwwCgYDVQQLDANXZWIx\n"
			       "DDAKBgNVBAsMA09wczEYMBYGA1UEAwwPd3d3LmV4YW1wbGUuY29tMQ0wCwYDVQQF\n"
			       "EwQ0NzExMR4wHAYJKoZIhvcNAQkBFg9vcHNAZXhhbXBsZS5jb20wWTATBgcqhkjO\n"
			       "PQIBBggqhkjOPQMBBwNCAAR4Y7MCrmf4Ty+l18/clnEZLXx8DRscbFK2rA4DPjr3\n"
			       "KNBhDT7lk7WWRJP316K346te0IFuSu9FQ5CQymeDkfSboAAwCgYIKoZIzj0EAwID\n"
			       "SAAwRQIgTK6wJT4pyQK48Y75COqP1PcQIepuHPXVsoZPL4hAC9sCIQD6Xk/IKTPC\n"
			       "9S2ELSCy8dXXqbVMRRFOnhvn460BJd6Knw==\n"
			       "-----END CERTIFICATE REQUEST-----\n";

/* The document with the "pem" member filled in from leaf_pem below. */
static const char expected_head[] =
	"{\n"
	"  \"subject\": {\n"
	"    \"common_name\": \"www.example.com\",\n"
	"    \"serial_number\": \"4711\",\n"
	"    \"country\": \"CH\",\n"
	"    \"organization\": \"Acme \\u0026 \\u003cSons\\u003e\",\n"
	"    \"organizational_unit\": \"Web,Ops\",\n"
	"    \"locality\": \"Z\xc3\xbcrich\",\n"
	"    \"province\": \"Z\xc3\xbcrich\",\n"
	"    \"street_address\": \"Bahnhofstrasse 1\",\n"
	"    \"postal_code\": \"8001\",\n"
	"    \"names\": [\n"
	"      \"CH\",\n"
	"      \"Z\xc3\xbcrich\",\n"
	"      \"Z\xc3\xbcrich\",\n"
	"      \"Bahnhofstrasse 1\",\n"
	"      \"8001\",\n"
	"      \"Acme \\u0026 \\u003cSons\\u003e\",\n"
	"      \"Web\",\n"
	"      \"Ops\",\n"
	"      \"www.example.com\",\n"
	"      \"4711\",\n"
	"      \"ops@example.com\"\n"
	"    ]\n"
	"  },\n"
	"  \"issuer\": {\n"
	"    \"common_name\": \"Certinfo Test CA\",\n"
	"    \"organization\": \"cfssl-c tests\",\n"
	"    \"names\": [\n"
	"      \"Certinfo Test CA\",\n"
	"      \"cfssl-c tests\"\n"
	"    ]\n"
	"  },\n"
	"  \"serial_number\": \"19164186790439963565067194497178\",\n"
	"  \"sans\": [\n"
	"    \"www.example.com\",\n"
	"    \"*.example.org\",\n"
	"    \"192.0.2.1\",\n"
	"    \"2001:db8::1:0:0:1\",\n"
	"    \"198.51.100.7\"\n"
	"  ],\n"
	"  \"not_before\": \"2024-01-02T03:04:05Z\",\n"
	"  \"not_after\": \"2055-06-07T08:09:10Z\",\n"
	"  \"sigalg\": \"ECDSAWithSHA384\",\n"
	"  \"authority_key_id\": "
	"\"05:0A:0B:00:FF:10:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E\",\n"
	"  \"subject_key_id\": \"00:01:02:0A:B0:C0:DE:AD:BE:EF:00:11:22:33:44:55:66:77:88:99\",\n"
	"  \"pem\": \"";

static void show_diff(const char *want, const char *got, char *out, size_t n)
{
	size_t i = 0;
	while (want[i] && want[i] == got[i])
		i++;
	snprintf(out, n, "  first difference at byte %zu\n  want ...%.60s\n  got  ...%.60s", i,
		 want + i, got + i);
}

static int leaf_der(struct cf_pem_block *blk)
{
	const char *rest;
	size_t restlen;
	return cf_pem_decode(leaf_pem, strlen(leaf_pem), blk, &rest, &restlen);
}

static void test_document(void)
{
	struct cf_pem_block blk;
	struct cf_buf want = CF_BUF_INIT, got = CF_BUF_INIT;
	struct cf_error err = {0};
	char detail[512];
	if (!leaf_der(&blk)) {
		check(0, "decode the embedded certificate", NULL);
		return;
	}
	cf_buf_adds(&want, expected_head);
	for (const char *p = leaf_pem; *p; p++) {
		if (*p == '\n')
			cf_buf_adds(&want, "\\n");
		else
			cf_buf_addc(&want, (unsigned char)*p);
	}
	cf_buf_adds(&want, "\"\n}\n");
	int r = cf_certinfo_cert(blk.der, blk.len, &got, &err);
	check(r == 0, "certificate renders", err.msg);
	if (r == 0) {
		show_diff((const char *)want.data, (const char *)got.data, detail, sizeof detail);
		check(strcmp((const char *)want.data, (const char *)got.data) == 0,
		      "certificate JSON document", detail);
	}
	cf_buf_release(&want);
	cf_buf_release(&got);
	cf_pem_block_release(&blk);
}

/* Patched copies of the certificate: the serial INTEGER starts 02 0e 00 f1. */
static void test_serial_patches(void)
{
	struct cf_pem_block blk;
	if (!leaf_der(&blk)) {
		check(0, "decode the embedded certificate", NULL);
		return;
	}
	unsigned char *p = NULL;
	for (size_t i = 0; i + 4 < blk.len; i++) {
		if (memcmp(blk.der + i, "\x02\x0e\x00\xf1", 4) == 0) {
			p = blk.der + i + 2;
			break;
		}
	}
	check(p != NULL, "serial found in the DER", NULL);
	if (p) {
		struct cf_buf got = CF_BUF_INIT;
		struct cf_error err = {0};
		/* 0x80f1e2d3c4b5a69788123456789a as a 14-byte two's complement number */
		p[0] = 0x80;
		int r = cf_certinfo_cert(blk.der, blk.len, &got, &err);
		check(r == 0 &&
			      strstr((const char *)got.data,
				     "\"serial_number\": \"-2576984242476973850700180970112870\""),
		      "negative serial in decimal", (const char *)got.data);
		cf_buf_release(&got);
		/* ff f1 ...: not minimal, which Go's parser refuses */
		p[0] = 0xff;
		r = cf_certinfo_cert(blk.der, blk.len, &got, &err);
		check(r == -1 && err.code == 1003 &&
			      strcmp(err.msg, "Failed to parse certificate") == 0,
		      "non-minimal serial -> 1003", err.msg);
		cf_buf_release(&got);
	}
	cf_pem_block_release(&blk);

	struct cf_buf got = CF_BUF_INIT;
	struct cf_error err = {0};
	int r = cf_certinfo_cert((const unsigned char *)"\x30\x03\x02\x01\x01", 5, &got, &err);
	check(r == -1 && err.code == 1003, "garbage DER -> 1003", err.msg);
	check(got.len == 0, "nothing written on failure", NULL);
	cf_buf_release(&got);
}

static void test_csr(void)
{
	struct cf_buf got = CF_BUF_INIT;
	struct cf_error err = {0};
	int r = cf_certinfo_csr_pem((const unsigned char *)leaf_csr, strlen(leaf_csr), &got, &err);
	check(r == 0, "CSR renders", err.msg);
	static const char *const want[] = {
		"{\n  \"Raw\": \"MIIBlTCCATsCAQAwgdgxCzAJBgNVBAYTAkNI",
		"\n  \"Version\": 0,\n  \"Signature\": \"MEUCIEyusCU+",
		"\n  \"SignatureAlgorithm\": 10,\n  \"PublicKeyAlgorithm\": 3,\n",
		"  \"PublicKey\": {\n    \"Curve\": {},\n    \"X\": "
		"54453695174288105009021182204025343978265923142834387208383937460395262539560,\n"
		"    \"Y\": "
		"94252548088999392585903858039493677890517265534995279880262169208642920903835\n"
		"  },\n",
		"    \"Country\": [\n      \"CH\"\n    ],\n",
		"    \"OrganizationalUnit\": [\n      \"Web\",\n      \"Ops\"\n    ],\n",
		"    \"SerialNumber\": \"4711\",\n    \"CommonName\": \"www.example.com\",\n",
		"      {\n        \"Type\": [\n          1,\n          2,\n          840,\n"
		"          113549,\n          1,\n          9,\n          1\n        ],\n"
		"        \"Value\": \"ops@example.com\"\n      }\n    ],\n"
		"    \"ExtraNames\": null\n  },\n",
		"  \"Attributes\": null,\n  \"Extensions\": null,\n  \"ExtraExtensions\": null,\n"
		"  \"DNSNames\": null,\n  \"EmailAddresses\": null,\n  \"IPAddresses\": null,\n"
		"  \"URIs\": null\n}\n",
	};
	for (size_t i = 0; r == 0 && i < sizeof want / sizeof want[0]; i++)
		check(strstr((const char *)got.data, want[i]) != NULL, want[i],
		      (const char *)got.data);
	cf_buf_release(&got);

	cf_error_clear(&err);
	r = cf_certinfo_csr_pem((const unsigned char *)"not pem\n", 8, &got, &err);
	check(r == -1 && err.code == 9002 && strcmp(err.msg, "CSR Decode failed") == 0,
	      "no PEM block -> 9002", err.msg);
	cf_buf_release(&got);

	/* A certificate given as a request: Go's encoding/asn1 message (observed). */
	cf_error_clear(&err);
	r = cf_certinfo_csr_pem((const unsigned char *)leaf_pem, strlen(leaf_pem), &got, &err);
	check(r == -1 && err.code == 0 &&
		      strcmp(err.msg,
			     "asn1: structure error: tags don't match (2 vs {class:2 tag:0 "
			     "length:3 isCompound:true}) {optional:false explicit:false "
			     "application:false private:false defaultValue:<nil> tag:<nil> "
			     "stringType:0 timeType:0 set:false omitEmpty:false} int @2") == 0,
	      "certificate as CSR -> Go's asn1 error", err.msg);
	cf_buf_release(&got);
}

static void test_ip_strings(void)
{
	static const struct {
		unsigned char ip[16];
		size_t n;
		const char *want;
	} cases[] = {
		{{192, 0, 2, 1}, 4, "192.0.2.1"},
		{{0}, 4, "0.0.0.0"},
		{{0}, 16, "::"},
		{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 16, "::1"},
		{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 16, "2001:db8::1"},
		/* two runs of two: the first one is compressed */
		{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1},
		 16,
		 "2001:db8::1:0:0:1"},
		/* the longer run wins */
		{{0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, 16, "2001:0:0:1::1"},
		/* a single zero group is never compressed */
		{{0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 0, 0, 8}, 16, "1:2:3:4:5:6:0:8"},
		{{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 16, "fe80::"},
		{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 51, 100, 7}, 16, "198.51.100.7"},
		{{0xab, 0xcd, 0x0e, 0xf0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x0a},
		 16,
		 "abcd:ef0::a"},
		{{1, 2, 3}, 3, "?010203"},
		{{0}, 0, "<nil>"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cf_buf b = CF_BUF_INIT;
		char detail[128];
		cf_certinfo_ip_string(&b, cases[i].ip, cases[i].n);
		snprintf(detail, sizeof detail, "  want %s\n  got  %s", cases[i].want,
			 b.data ? (const char *)b.data : "");
		check(b.data && strcmp((const char *)b.data, cases[i].want) == 0, "IP string",
		      detail);
		cf_buf_release(&b);
	}
}

static void test_fetch_refused(void)
{
	/* Port 1 on the loopback: nothing listens there on a test machine. */
	struct cf_buf der = CF_BUF_INIT;
	struct cf_error err = {0};
	int r = cf_certinfo_fetch("127.0.0.1:1", 2000, &der, &err);
	check(r == -1 && strcmp(err.msg, "dial tcp 127.0.0.1:1: connect: connection refused") == 0,
	      "connection refused wording", err.msg);
	cf_buf_release(&der);
}

int main(void)
{
	test_document();
	test_serial_patches();
	test_csr();
	test_ip_strings();
	test_fetch_refused();
	printf("test_certinfo: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
