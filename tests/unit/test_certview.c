/* The strict certificate reader the CA loader uses before GnuTLS (common/x509/certview.c): what it
 * reads must be what GnuTLS reads from the same DER, and anything outside its shape must be
 * refused (the loader then takes GnuTLS's parser). Certificates are assembled here with the DER
 * writer, so that each test changes one element; the signature is not checked by either. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "buf.h"
#include "certview.h"
#include "der.h"
#include "keygen.h"
#include "pem.h"

#include "check.h"

static struct cf_buf spki; /* one P-256 key for every certificate */

struct parts {
	int version;         /* 0 = v1 (no [0]), 3 = v3 */
	const char *nb, *na; /* time TLVs as hex */
	const char *exts;    /* Extension SEQUENCEs as hex, concatenated; NULL = no [3] */
	int algid_mismatch;  /* inner and outer signature algorithms differ */
	const char *trailer; /* hex appended after the Certificate */
};

static void add_hex(struct cf_buf *b, const char *hex)
{
	for (; hex && hex[0] && hex[1]; hex += 2) {
		unsigned v;
		sscanf(hex, "%2x", &v);
		cf_buf_addc(b, (unsigned char)v);
	}
}

static const char algid_hex[] = "300a06082a8648ce3d040302"; /* ecdsa-with-SHA256 */
static const char name_hex[] = "3012311030"
			       "0e0603550403130756696577204341"; /* CN=View CA */

static void build(const struct parts *p, struct cf_buf *out)
{
	struct cf_buf tbs = CF_BUF_INIT, t = CF_BUF_INIT, cert = CF_BUF_INIT;
	if (p->version == 3) {
		struct cf_buf v = CF_BUF_INIT;
		cf_der_int(&v, 2);
		cf_der_wrap(&tbs, 0xa0, &v);
	}
	cf_der_int(&tbs, 4242);
	add_hex(&tbs, algid_hex);
	add_hex(&tbs, name_hex);
	add_hex(&t, p->nb ? p->nb : "170d3230303130313030303030305a");
	add_hex(&t, p->na ? p->na : "170d3439313233313233353935395a");
	cf_der_wrap(&tbs, CF_DER_SEQUENCE, &t);
	add_hex(&tbs, name_hex);
	cf_buf_add(&tbs, spki.data, spki.len);
	if (p->exts) {
		struct cf_buf e = CF_BUF_INIT, w = CF_BUF_INIT;
		add_hex(&e, p->exts);
		cf_der_wrap(&w, CF_DER_SEQUENCE, &e);
		cf_der_wrap(&tbs, 0xa3, &w);
	}
	cf_der_wrap(&cert, CF_DER_SEQUENCE, &tbs);
	add_hex(&cert, p->algid_mismatch ? "300a06082a8648ce3d040303" : algid_hex);
	/* a syntactically valid ECDSA signature value; nobody verifies it here */
	add_hex(&cert, "0309003006020101020101");
	cf_der_wrap(out, CF_DER_SEQUENCE, &cert);
	add_hex(out, p->trailer);
}

/* Both readers agree on @der; returns the view result. */
static int compare(const char *what, const struct cf_buf *der)
{
	struct cf_cert_view v;
	int r = cf_cert_view_parse(der->data, der->len, &v);
	if (r < 0)
		return r;
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = {der->data, (unsigned)der->len}, dn = {NULL, 0};
	gnutls_x509_crt_init(&crt);
	int g = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
	CHECK(g >= 0, "%s: GnuTLS takes what the view takes (%s)", what, gnutls_strerror(g));
	if (g < 0) {
		gnutls_x509_crt_deinit(crt);
		return r;
	}
	CHECK(gnutls_x509_crt_get_raw_dn(crt, &dn) >= 0 && dn.size == v.subject_len &&
		      memcmp(dn.data, v.subject, dn.size) == 0,
	      "%s: subject", what);
	gnutls_free(dn.data);
	CHECK((int64_t)gnutls_x509_crt_get_activation_time(crt) == v.not_before, "%s: notBefore",
	      what);
	CHECK((int64_t)gnutls_x509_crt_get_expiration_time(crt) == v.not_after,
	      "%s: notAfter %lld vs %lld", what,
	      (long long)gnutls_x509_crt_get_expiration_time(crt), (long long)v.not_after);
	unsigned crit = 0, ca = 0;
	int pathlen = -1;
	int bc = gnutls_x509_crt_get_basic_constraints(crt, &crit, &ca, &pathlen);
	CHECK((bc >= 0) == v.has_bc, "%s: basicConstraints presence", what);
	if (bc >= 0)
		CHECK((ca != 0) == v.bc_ca && pathlen == v.bc_pathlen,
		      "%s: basicConstraints ca %u/%d pathlen %d/%ld", what, ca, v.bc_ca, pathlen,
		      v.bc_pathlen);
	/* deviation 6's facts: the version and keyCertSign */
	CHECK(gnutls_x509_crt_get_version(crt) == v.version + 1, "%s: version", what);
	unsigned ku = 0;
	int k = gnutls_x509_crt_get_key_usage(crt, &ku, &crit);
	CHECK((k >= 0) == v.has_ku, "%s: keyUsage presence", what);
	if (k >= 0)
		CHECK(((ku & GNUTLS_KEY_KEY_CERT_SIGN) != 0) == v.ku_cert_sign, "%s: keyCertSign",
		      what);
	unsigned char ski[64];
	size_t sl = sizeof ski;
	int s = gnutls_x509_crt_get_subject_key_id(crt, ski, &sl, &crit);
	CHECK((s >= 0) == (v.ski != NULL), "%s: SKI presence", what);
	if (s >= 0 && v.ski)
		CHECK(sl == v.ski_len && memcmp(ski, v.ski, sl) == 0, "%s: SKI", what);
	struct cf_buf g_spki = CF_BUF_INIT;
	CHECK(cf_crt_spki(crt, &g_spki) == 0 && g_spki.len == v.spki_len &&
		      memcmp(g_spki.data, v.spki, v.spki_len) == 0,
	      "%s: SPKI", what);
	cf_buf_release(&g_spki);
	gnutls_x509_crt_deinit(crt);
	return r;
}

static void accept(const char *what, const struct parts *p)
{
	struct cf_buf der = CF_BUF_INIT;
	build(p, &der);
	CHECK(compare(what, &der) == 0, "%s: the view reads it", what);
	cf_buf_release(&der);
}

static void refuse(const char *what, const struct parts *p)
{
	struct cf_buf der = CF_BUF_INIT;
	struct cf_cert_view v;
	build(p, &der);
	CHECK(cf_cert_view_parse(der.data, der.len, &v) < 0, "%s: refused", what);
	cf_buf_release(&der);
}

#define BC_CA_2  "300f0603551d130101ff040530030101ff" /* critical, CA:TRUE, no pathlen */
#define BC_CA_P0 "30120603551d130101ff040830060101ff020100"
#define BC_CA_P5 "30120603551d130101ff040830060101ff020105"
#define BC_LEAF  "300c0603551d130101ff04023000"
#define SKI                      \
	"301d0603551d0e04160414" \
	"00112233445566778899aabbccddeeff00112233"
#define KU "300e0603551d0f0101ff040403020106"

int main(void)
{
	struct cf_key key;
	struct cf_error err = {0};
	if (cf_key_generate("ecdsa", 256, &key, &err) < 0 || cf_key_spki(&key, &spki, &err) < 0) {
		printf("FAIL key: %s\n", err.msg);
		return 1;
	}
	cf_key_release(&key);

	accept("v3 CA, KU + BC + SKI", &(struct parts){3, NULL, NULL, KU BC_CA_2 SKI, 0, NULL});
	/* keyUsage as deviation 6 reads it: digitalSignature alone, keyCertSign alone, and a
	 * two-byte value (decipherOnly) */
	accept("KU digitalSignature",
	       &(struct parts){3, NULL, NULL, "300e0603551d0f0101ff040403020780" BC_CA_2, 0, NULL});
	accept("KU keyCertSign",
	       &(struct parts){3, NULL, NULL, "300e0603551d0f0101ff040403020204" BC_CA_2, 0, NULL});
	accept("KU two bytes",
	       &(struct parts){3, NULL, NULL, "300f0603551d0f0101ff0405030307a080" BC_CA_2, 0,
			       NULL});
	{
		struct cf_buf der = CF_BUF_INIT;
		struct cf_cert_view v;
		build(&(struct parts){3, NULL, NULL, "300e0603551d0f0101ff040403020780", 0, NULL},
		      &der);
		CHECK(cf_cert_view_parse(der.data, der.len, &v) == 0 && v.has_ku &&
			      !v.ku_cert_sign && v.version == 2,
		      "KU without keyCertSign is seen");
		cf_buf_release(&der);
	}
	accept("CA pathlen 0", &(struct parts){3, NULL, NULL, BC_CA_P0, 0, NULL});
	accept("CA pathlen 5", &(struct parts){3, NULL, NULL, BC_CA_P5 SKI, 0, NULL});
	accept("leaf BC CA:FALSE", &(struct parts){3, NULL, NULL, BC_LEAF, 0, NULL});
	accept("v3 without extensions", &(struct parts){3, NULL, NULL, NULL, 0, NULL});
	accept("v1", &(struct parts){0, NULL, NULL, NULL, 0, NULL});
	/* GeneralizedTime from 2050, UTCTime 1950 and 2049 boundaries, leap day */
	accept("GeneralizedTime 2050",
	       &(struct parts){3, NULL, "180f32303530303130313030303030305a", BC_CA_2, 0, NULL});
	accept("UTCTime 1970",
	       &(struct parts){3, "170d3730303130313030303030305a", NULL, NULL, 0, NULL});
	{
		/* UTCTime 50 is 1950 (RFC 5280); GnuTLS has no time before 1970 to compare with */
		struct cf_buf der = CF_BUF_INIT;
		struct cf_cert_view v;
		build(&(struct parts){3, "170d3530303130313030303030305a", NULL, NULL, 0, NULL},
		      &der);
		CHECK(cf_cert_view_parse(der.data, der.len, &v) == 0 && v.not_before == -631152000,
		      "UTCTime 50 is 1950-01-01");
		cf_buf_release(&der);
	}
	accept("leap day 2024",
	       &(struct parts){3, "170d3234303232393132333435365a", NULL, NULL, 0, NULL});

	refuse("subjectAltName (GnuTLS decodes it on import)",
	       &(struct parts){3, NULL, NULL,
			       "30130603551d11040c300a82086361"
			       "2e6578616d70",
			       0, NULL});
	refuse("trailing byte", &(struct parts){3, NULL, NULL, BC_CA_2, 0, "00"});
	refuse("inner and outer algorithms differ", &(struct parts){3, NULL, NULL, NULL, 1, NULL});
	refuse("extensions in a v1 certificate", &(struct parts){0, NULL, NULL, BC_CA_2, 0, NULL});
	refuse("duplicate extension", &(struct parts){3, NULL, NULL, BC_CA_2 BC_CA_2, 0, NULL});
	refuse("BC with cA FALSE spelt out",
	       &(struct parts){3, NULL, NULL, "300f0603551d130101ff04053003010100", 0, NULL});
	refuse("BC with a negative pathlen",
	       &(struct parts){3, NULL, NULL, "30120603551d130101ff040830060101ff0201ff", 0, NULL});
	refuse("BC with trailing data",
	       &(struct parts){3, NULL, NULL, "30110603551d130101ff040730030101ff0500", 0, NULL});
	refuse("SKI not an OCTET STRING",
	       &(struct parts){3, NULL, NULL, "300d0603551d0e0406030400112233", 0, NULL});
	refuse("critical FALSE spelt out",
	       &(struct parts){3, NULL, NULL, "300f0603551d13010100040530030101ff", 0, NULL});
	refuse("UTCTime with seconds missing",
	       &(struct parts){3, "170b323030313031303030305a", NULL, NULL, 0, NULL});
	refuse("UTCTime with an offset", &(struct parts){3,
							 "1711323030313031303030303030"
							 "2b30313030",
							 NULL, NULL, 0, NULL});
	refuse("GeneralizedTime with fractions",
	       &(struct parts){3, NULL, "181132303530303130313030303030302e315a", NULL, 0, NULL});
	refuse("February 30th",
	       &(struct parts){3, "170d3230303233303030303030305a", NULL, NULL, 0, NULL});
	refuse("29 February 2023",
	       &(struct parts){3, "170d3233303232393030303030305a", NULL, NULL, 0, NULL});
	refuse("hour 24",
	       &(struct parts){3, "170d3230303130313234303030305a", NULL, NULL, 0, NULL});

	/* the issuer's CN value retagged: a constructed string (GnuTLS refuses it), a BMPString
	 * and a UTF8String with invalid UTF-8 (left to the full parser) */
	{
		static const struct {
			unsigned char tag, byte0;
			const char *what;
		} bad[] = {{0x32, 'V', "constructed string"},
			   {0x1e, 'V', "BMPString"},
			   {0x0c, 0xff, "UTF8String, invalid UTF-8"},
			   {0x13, '@', "PrintableString with @"}};
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			struct cf_buf der = CF_BUF_INIT;
			struct cf_cert_view v;
			build(&(struct parts){3, NULL, NULL, NULL, 0, NULL}, &der);
			unsigned char *p = memmem(der.data, der.len, "\x13\x07View CA", 9);
			CHECK(p != NULL, "issuer CN found");
			if (p) {
				p[0] = bad[i].tag;
				p[2] = bad[i].byte0;
				CHECK(cf_cert_view_parse(der.data, der.len, &v) < 0,
				      "issuer %s refused", bad[i].what);
			}
			cf_buf_release(&der);
		}
	}

	/* a non-minimal length: the signature BIT STRING's 03 09 spelt 03 81 09 */
	{
		struct cf_buf der = CF_BUF_INIT, alt = CF_BUF_INIT;
		struct cf_cert_view v;
		build(&(struct parts){3, NULL, NULL, BC_CA_2, 0, NULL}, &der);
		/* the outer length: 30 81 ll or 30 82 hh ll */
		size_t hl = der.len > 4 && (der.data[1] & 0x80) ? 2 + (der.data[1] & 0x7f) : 2;
		CHECK(der.len > 11 && (hl == 3 || hl == 4) && der.data[der.len - 11] == 0x03,
		      "long-form outer length, signature last");
		if (der.len > 11 && (hl == 3 || hl == 4)) {
			cf_buf_add(&alt, der.data, der.len - 11);
			cf_buf_add(&alt, "\x03\x81", 2);
			cf_buf_add(&alt, der.data + der.len - 10, 10);
			size_t outer = 0;
			for (size_t i = 2; i < hl; i++)
				outer = outer << 8 | alt.data[i];
			outer++;
			CHECK(outer < (hl == 3 ? 256u : 65536u), "outer length still fits");
			for (size_t i = hl; i-- > 2; outer >>= 8)
				alt.data[i] = (unsigned char)outer;
			CHECK(cf_cert_view_parse(alt.data, alt.len, &v) < 0,
			      "non-minimal length refused");
			/* the same with the signature's length minimal again reads */
			struct cf_buf back = CF_BUF_INIT;
			cf_buf_add(&back, der.data, der.len);
			CHECK(cf_cert_view_parse(back.data, back.len, &v) == 0,
			      "original still reads");
			cf_buf_release(&back);
		}
		/* every truncation */
		int took = 0;
		for (size_t n = 0; n < der.len; n++)
			took += cf_cert_view_parse(der.data, n, &v) == 0;
		CHECK(took == 0, "%d truncations read", took);
		cf_buf_release(&alt);
		cf_buf_release(&der);
	}

	/* the suite's fixtures, made by cfssl 1.2 and openssl */
	/* the CA is read; the leaf has subjectAltNames, which are GnuTLS's to decode */
	static const char *files[] = {"testdata/certinfo/ca.pem", "testdata/certinfo/leaf.pem"};
	static const int want[] = {0, -1};
	const char *src = getenv("SRCDIR");
	for (size_t i = 0; src && i < sizeof files / sizeof files[0]; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", src, files[i]);
		FILE *f = fopen(path, "rb");
		CHECK(f != NULL, "open %s", path);
		if (!f)
			continue;
		struct cf_buf pem = CF_BUF_INIT;
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			cf_buf_add(&pem, chunk, n);
		fclose(f);
		struct cf_pem_block blk;
		struct cf_cert_view v;
		int r = cf_cert_pem_view(pem.data, pem.len, &blk, &v);
		CHECK(r == want[i], "%s: %s by the view", files[i], want[i] ? "left" : "read");
		if (r == 0) {
			struct cf_buf der = CF_BUF_INIT;
			cf_buf_add(&der, blk.der, blk.len);
			CHECK(compare(files[i], &der) == 0, "%s: agrees with GnuTLS", files[i]);
			cf_buf_release(&der);
			cf_pem_block_release(&blk);
		}
		cf_buf_release(&pem);
	}
	CHECK(src != NULL, "SRCDIR set");

	cf_buf_release(&spki);
	printf("test_certview: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
