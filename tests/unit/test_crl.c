/* The CRL module: cfssl gencrl's serial list and TIME parsing (§12.8, Go's
 * big.Int SetString and strconv.ParseInt), Go's pkix.Name round trip, and a
 * signed CRL checked with GnuTLS's own CRL parser and verifier. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "crl.h"
#include "der.h"
#include "keygen.h"

#include "check.h"

static void hex(const unsigned char *p, size_t n, char *out, size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < n && 2 * i + 3 <= cap; i++)
		sprintf(out + 2 * i, "%02X", p[i]);
}

static void test_serials(void)
{
	/* observed with cfssl (§12.8): "12 " -> 12, "34\r" -> 34, "0x10" -> 0,
	 * "abc" -> 0, blank lines skipped; big.Int keeps a sign and stops at the
	 * first non-digit; a leading space leaves 0. */
	const char list[] = "12 \n34\r\n\n   \n\t\r\n0x10\nabc\n-5\n+7\n 8\n"
			    "128\n-128\n-129\n-\n123456789012345678901234567890";
	static const char *const want[] = {
		"0C",
		"22",
		"00",
		"00",
		"FB",
		"07",
		"00",
		"0080",
		"80",
		"FF7F",
		"00",
		/* 123456789012345678901234567890 = 0x018EE90FF6C373E0EE4E3F0AD2 */
		"018EE90FF6C373E0EE4E3F0AD2",
	};
	struct cf_crl_entry *e = NULL;
	size_t n = cf_crl_parse_serials(list, strlen(list), 1234, &e);
	size_t nwant = sizeof want / sizeof want[0];
	check(n == nwant, "serial list: entry count");
	for (size_t i = 0; i < n && i < nwant; i++) {
		char got[128], what[160];
		hex(e[i].serial, e[i].serial_len, got, sizeof got);
		snprintf(what, sizeof what, "serial %zu: got %s want %s", i, got, want[i]);
		check(strcmp(got, want[i]) == 0, what);
		check(e[i].revoked_at == 1234, "serial revocation time");
	}
	cf_crl_entries_free(e, n);

	n = cf_crl_parse_serials("", 0, 0, &e);
	check(n == 0 && e == NULL, "empty serial list");
	n = cf_crl_parse_serials("\n \n", 3, 0, &e);
	check(n == 0, "blank serial list");
	cf_crl_entries_free(e, n);
}

static void test_int32(void)
{
	static const struct {
		const char *in;
		long long want;
		const char *err;
	} cases[] = {
		{"3600", 3600, NULL},
		{"0x10", 16, NULL},
		{"0X10", 16, NULL},
		{"017", 15, NULL},
		{"0o17", 15, NULL},
		{"0b101", 5, NULL},
		{"1_000", 1000, NULL},
		{"-5", -5, NULL},
		{"+5", 5, NULL},
		{"0", 0, NULL},
		{"2147483647", 2147483647, NULL},
		{"-2147483648", -2147483648LL, NULL},
		{"abc", 0, "strconv.ParseInt: parsing \"abc\": invalid syntax"},
		{"", 0, "strconv.ParseInt: parsing \"\": invalid syntax"},
		{"0b", 0, "strconv.ParseInt: parsing \"0b\": invalid syntax"},
		{"08", 0, "strconv.ParseInt: parsing \"08\": invalid syntax"},
		{"1__0", 0, "strconv.ParseInt: parsing \"1__0\": invalid syntax"},
		{"_1", 0, "strconv.ParseInt: parsing \"_1\": invalid syntax"},
		{"1 ", 0, "strconv.ParseInt: parsing \"1 \": invalid syntax"},
		{"2147483648", 0, "strconv.ParseInt: parsing \"2147483648\": value out of range"},
		{"-2147483649", 0, "strconv.ParseInt: parsing \"-2147483649\": value out of range"},
		{"99999999999x", 0,
		 "strconv.ParseInt: parsing \"99999999999x\": value out of range"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cf_error err = {0};
		long long v = -999;
		int r = cf_crl_parse_int32(cases[i].in, &v, &err);
		char what[CF_ERROR_MSG_MAX + 256];
		if (cases[i].err) {
			snprintf(what, sizeof what, "ParseInt(%s) error: got \"%s\"", cases[i].in,
				 err.msg);
			check(r < 0 && !strcmp(err.msg, cases[i].err), what);
		} else {
			snprintf(what, sizeof what, "ParseInt(%s) = %lld (got %lld, %s)",
				 cases[i].in, cases[i].want, v, err.msg);
			check(r == 0 && v == cases[i].want, what);
		}
	}
}

/* One RDN SET holding one attribute 2.5.4.@type with a value of @tag. */
static void rdn(struct cf_buf *out, unsigned char type, unsigned tag, const char *v)
{
	struct cf_buf atv = CF_BUF_INIT, seq = CF_BUF_INIT;
	unsigned char oid[] = {0x55, 0x04, type};
	cf_der_tlv(&atv, CF_DER_OID, oid, 3);
	cf_der_tlv(&atv, tag, v, strlen(v));
	cf_der_wrap(&seq, CF_DER_SEQUENCE, &atv);
	cf_der_wrap(out, CF_DER_SET, &seq);
}

static void test_go_name(void)
{
	/* CN=first, emailAddress=a@b.c (dropped), O=Zed, O=Alpha (merged and
	 * DER-sorted: shorter encoding first), C=DE as UTF8String (becomes
	 * PrintableString), CN=Ü (last CN wins, UTF8String). Go writes C, O, CN. */
	struct cf_buf rdns = CF_BUF_INIT, name = CF_BUF_INIT, out = CF_BUF_INIT;
	rdn(&rdns, 3, CF_DER_UTF8STRING, "first");
	{
		struct cf_buf atv = CF_BUF_INIT, seq = CF_BUF_INIT;
		cf_der_oid(&atv, "1.2.840.113549.1.9.1");
		cf_der_tlv(&atv, CF_DER_IA5STRING, "a@b.c", 5);
		cf_der_wrap(&seq, CF_DER_SEQUENCE, &atv);
		cf_der_wrap(&rdns, CF_DER_SET, &seq);
	}
	rdn(&rdns, 10, CF_DER_PRINTABLESTRING, "Alpha");
	rdn(&rdns, 10, CF_DER_PRINTABLESTRING, "Zed");
	rdn(&rdns, 6, CF_DER_UTF8STRING, "DE");
	rdn(&rdns, 3, CF_DER_UTF8STRING, "\xc3\x9c");
	cf_der_wrap(&name, CF_DER_SEQUENCE, &rdns);
	int r = cf_crl_go_name(name.data, name.len, &out);
	char got[512];
	hex(out.data, out.len, got, sizeof got);
	const char *want = "3036"
			   "310B300906035504061302"
			   "4445"
			   "311A"
			   "300A060355040A1303"
			   "5A6564"
			   "300C060355040A1305"
			   "416C706861"
			   "310B300906035504030C02"
			   "C39C";
	char what[1200];
	snprintf(what, sizeof what, "Go name round trip:\n  got  %s\n  want %s", got, want);
	check(r == 0 && !strcmp(got, want), what);
	cf_buf_release(&out);

	/* An empty Name stays empty; garbage is refused. */
	static const unsigned char empty[] = {0x30, 0x00};
	r = cf_crl_go_name(empty, 2, &out);
	check(r == 0 && out.len == 2 && !memcmp(out.data, empty, 2), "empty name");
	cf_buf_release(&out);
	static const unsigned char bad[] = {0x30, 0x03, 0x02, 0x01, 0x00};
	check(cf_crl_go_name(bad, sizeof bad, &out) < 0, "a Name must hold SETs");
	cf_buf_release(&out);
	cf_buf_release(&name);
}

/* A self-signed CA certificate for @key, made with GnuTLS. */
static gnutls_x509_crt_t make_ca(struct cf_key *key, int with_ski)
{
	gnutls_x509_crt_t crt;
	gnutls_x509_crt_init(&crt);
	gnutls_x509_crt_set_version(crt, 3);
	unsigned char serial[] = {1};
	gnutls_x509_crt_set_serial(crt, serial, 1);
	/* PrintableStrings, as Go would write them, so that the CRL's re-encoded
	 * issuer equals the subject */
	gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COUNTRY_NAME, 1, "\x13\x02US", 4);
	gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 1, "\x13\x03Org", 5);
	gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 1, "\x13\x07Unit CA", 9);
	gnutls_x509_crt_set_activation_time(crt, 1700000000);
	gnutls_x509_crt_set_expiration_time(crt, 1900000000);
	gnutls_x509_crt_set_key(crt, key->x509);
	gnutls_x509_crt_set_basic_constraints(crt, 1, -1);
	gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
	if (with_ski) {
		unsigned char id[4] = {0xde, 0xad, 0xbe, 0xef};
		gnutls_x509_crt_set_subject_key_id(crt, id, sizeof id);
	}
	gnutls_x509_crt_sign2(crt, crt, key->x509, GNUTLS_DIG_SHA256, 0);
	return crt;
}

static void test_create(const char *algo, long long size, const char *want_alg_oid)
{
	char what[CF_ERROR_MSG_MAX + 256];
	struct cf_key key;
	struct cf_error err = {0};
	if (cf_key_generate(algo, size, &key, &err) < 0) {
		snprintf(what, sizeof what, "%s key generation: %s", algo, err.msg);
		check(0, what);
		return;
	}
	/* now, so that GnuTLS's verifier sees a current CRL */
	int64_t t0 = (int64_t)time(NULL) - 60;
	for (int ski = 0; ski <= 1; ski++) {
		gnutls_x509_crt_t ca = make_ca(&key, ski);
		struct cf_crl_entry *e = NULL;
		size_t n = cf_crl_parse_serials("12\n-5\n", 6, t0, &e);
		struct cf_crl_params p = {
			.this_update = t0,
			.next_update = t0 + 604800,
			.entries = e,
			.nentries = n,
			.crl_number = 1,
		};
		struct cf_buf der = CF_BUF_INIT;
		int r = cf_crl_create(ca, &key, &p, &der, &err);
		snprintf(what, sizeof what, "%s CRL created (ski %d): %s", algo, ski, err.msg);
		check(r == 0, what);

		gnutls_x509_crl_t crl;
		gnutls_x509_crl_init(&crl);
		gnutls_datum_t d = {der.data, (unsigned)der.len};
		snprintf(what, sizeof what, "%s CRL parses with GnuTLS", algo);
		check(gnutls_x509_crl_import(crl, &d, GNUTLS_X509_FMT_DER) >= 0, what);
		check(gnutls_x509_crl_get_version(crl) == 2, "CRL version is v2");
		check(gnutls_x509_crl_get_this_update(crl) == t0, "thisUpdate");
		check(gnutls_x509_crl_get_next_update(crl) == t0 + 604800, "nextUpdate");
		check(gnutls_x509_crl_get_crt_count(crl) == 2, "two revoked entries");
		unsigned char num[16];
		size_t numlen = sizeof num;
		unsigned int crit = 1;
		r = gnutls_x509_crl_get_number(crl, num, &numlen, &crit);
		unsigned char want[4] = {(unsigned char)(t0 >> 24), (unsigned char)(t0 >> 16),
					 (unsigned char)(t0 >> 8), (unsigned char)t0};
		check(r >= 0 && numlen == 4 && !memcmp(num, want, 4) && !crit,
		      "CRL Number = thisUpdate, non-critical (deviation 11)");
		unsigned char aki[32];
		size_t akilen = sizeof aki;
		r = gnutls_x509_crl_get_authority_key_id(crl, aki, &akilen, &crit);
		if (ski)
			check(r >= 0 && akilen == 4 && !memcmp(aki, "\xde\xad\xbe\xef", 4),
			      "AKI = the CA's SKI");
		else
			check(r < 0, "no AKI when the CA has no SKI");
		char oid[128];
		size_t oidlen = sizeof oid;
		r = gnutls_x509_crl_get_signature_oid(crl, oid, &oidlen);
		snprintf(what, sizeof what, "%s CRL signature algorithm %s (got %s)", algo,
			 want_alg_oid, oid);
		check(r >= 0 && !strcmp(oid, want_alg_oid), what);
		/* the signature, checked with the key's public half over the TBS bytes */
		struct cf_der_reader rd = {der.data, der.len}, in;
		struct cf_der_tlv outer, tbs, alg_id, bits;
		int ok = cf_der_next(&rd, &outer) == 1;
		in = (struct cf_der_reader){outer.content, outer.len};
		ok = ok && cf_der_next(&in, &tbs) == 1 && cf_der_next(&in, &alg_id) == 1 &&
		     cf_der_next(&in, &bits) == 1 && bits.tag == CF_DER_BIT_STRING &&
		     bits.len > 1 && bits.content[0] == 0;
		gnutls_pubkey_t pub;
		gnutls_pubkey_init(&pub);
		if (ok) {
			gnutls_datum_t t = {(unsigned char *)tbs.raw, (unsigned)tbs.rawlen};
			gnutls_datum_t sd = {(unsigned char *)bits.content + 1,
					     (unsigned)bits.len - 1};
			int alg = gnutls_x509_crl_get_signature_algorithm(crl);
			ok = gnutls_pubkey_import_privkey(pub, key.priv, 0, 0) >= 0 &&
			     gnutls_pubkey_verify_data2(pub, (gnutls_sign_algorithm_t)alg, 0, &t,
							&sd) >= 0;
		}
		gnutls_pubkey_deinit(pub);
		snprintf(what, sizeof what, "%s CRL signature verifies", algo);
		check(ok, what);
		gnutls_x509_crl_deinit(crl);
		cf_buf_release(&der);
		cf_crl_entries_free(e, n);
		gnutls_x509_crt_deinit(ca);
	}
	cf_key_release(&key);
}

int main(void)
{
	test_serials();
	test_int32();
	test_go_name();
	/* CRLs: RSA always SHA-256 (§12.8), even for 4096-bit keys; ECDSA by curve. */
	test_create("rsa", 4096, "1.2.840.113549.1.1.11");
	test_create("ecdsa", 256, "1.2.840.10045.4.3.2");
	test_create("ecdsa", 384, "1.2.840.10045.4.3.3");
	test_create("ed25519", 0, "1.3.101.112");
	printf("test_crl: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
