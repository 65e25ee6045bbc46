/* Incoming requests and re-encoded subjects (cfssl-compat.md §8.4, §12.1,
 * §12.3). Expected DER is written out by hand from the spec's examples. */
#include <stdio.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "csr.h"
#include "csrparse.h"
#include "der.h"
#include "error.h"
#include "pem.h"

#include "check.h"

static void hex(const unsigned char *p, size_t n, char *out, size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < n && 2 * i + 3 <= cap; i++)
		sprintf(out + 2 * i, "%02X", p[i]);
}

static void check_hex(const char *what, const char *want, const struct cf_buf *b)
{
	char got[4096];
	hex(b->data, b->len, got, sizeof got);
	check_str(what, want, got);
}

static size_t unhex(const char *s, unsigned char *out)
{
	size_t n = 0;
	for (; s[0] && s[1]; s += 2) {
		unsigned v;
		sscanf(s, "%2x", &v);
		out[n++] = (unsigned char)v;
	}
	return n;
}

static void check_err(const char *what, const struct cf_error *e, int code, const char *msg)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s: error code %d", what, code);
	check(e->set && e->code == code, buf);
	snprintf(buf, sizeof buf, "%s: error message", what);
	check_str(buf, msg, e->set ? e->msg : NULL);
}

/* openssl req -subj /C=US/CN=unit, SAN DNS:u.example, IP:::ffff:10.9.8.7,
 * email:m@n.o, URI:urn:x, basicConstraints critical CA:TRUE, pathlen:2 */
static const char unit_csr[] = "-----BEGIN CERTIFICATE REQUEST-----\n"
			       "MIIBMTCB2QIBADAcMQswCQYDVQQGEwJVUzENMAsGA1UEAwwEdW5pdDBZMBMGByqG\n"
			       "SM49AgEGCCqGSM49AwEHA0IABNeXv4+zP+BmO7iw0x+TPPwxUDwlgLBDirmtG2gN\n"
			       "jCPkG1RffVuGZmYYs79w8D34eUvCQhcNAT0uyIkbGm2756mgWzBZBgkqhkiG9w0B\n"
			       "CQ4xTDBKMDQGA1UdEQQtMCuCCXUuZXhhbXBsZYcQAAAAAAAAAAAAAP//CgkIB4EF\n"
			       "bUBuLm+GBXVybjp4MBIGA1UdEwEB/wQIMAYBAf8CAQIwCgYIKoZIzj0EAwIDRwAw\n"
			       "RAIgIVVVB+tNe9psKVe0eImYTNA+PB5dy5y1dnM7+pOw8hkCIEHcfYOtZTO3f/zI\n"
			       "/xAd73/jqqXV1e5NzVBRA62cma7S\n"
			       "-----END CERTIFICATE REQUEST-----\n";

/* openssl req -x509, subject /C=DE/C=AT/ST=Bavaria/O=One/O=Two/OU=Unit/
 * CN=cert cn/serialNumber=77/emailAddress=e@f.g, SAN DNS:c.example,
 * IP:192.0.2.1, email:q@r.s, URI:https://x/, CA:TRUE, pathlen:0 */
static const char unit_cert[] = "-----BEGIN CERTIFICATE-----\n"
				"MIICozCCAkmgAwIBAgIUC2l4+FONqSz+Jbbz1W7KNHKyYfQwCgYIKoZIzj0EAwIw\n"
				"gYwxCzAJBgNVBAYTAkRFMQswCQYDVQQGEwJBVDEQMA4GA1UECAwHQmF2YXJpYTEM\n"
				"MAoGA1UECgwDT25lMQwwCgYDVQQKDANUd28xDTALBgNVBAsMBFVuaXQxEDAOBgNV\n"
				"BAMMB2NlcnQgY24xCzAJBgNVBAUTAjc3MRQwEgYJKoZIhvcNAQkBFgVlQGYuZzAe\n"
				"Fw0yNjExMjgxNjAxMzRaFw0yNjExMjkxNjAxMzRaMIGMMQswCQYDVQQGEwJERTEL\n"
				"MAkGA1UEBhMCQVQxEDAOBgNVBAgMB0JhdmFyaWExDDAKBgNVBAoMA09uZTEMMAoG\n"
				"A1UECgwDVHdvMQ0wCwYDVQQLDARVbml0MRAwDgYDVQQDDAdjZXJ0IGNuMQswCQYD\n"
				"VQQFEwI3NzEUMBIGCSqGSIb3DQEJARYFZUBmLmcwWTATBgcqhkjOPQIBBggqhkjO\n"
				"PQMBBwNCAATXl7+Psz/gZju4sNMfkzz8MVA8JYCwQ4q5rRtoDYwj5BtUX31bhmZm\n"
				"GLO/cPA9+HlLwkIXDQE9LsiJGxptu+epo4GGMIGDMB0GA1UdDgQWBBTXXDVjql+8\n"
				"jTiHfBFJAc6Rw//RRzAfBgNVHSMEGDAWgBTXXDVjql+8jTiHfBFJAc6Rw//RRzAt\n"
				"BgNVHREEJjAkggljLmV4YW1wbGWHBMAAAgGBBXFAci5zhgpodHRwczovL3gvMBIG\n"
				"A1UdEwEB/wQIMAYBAf8CAQAwCgYIKoZIzj0EAwIDSAAwRQIgb4xeGX3Zf4JVuRfC\n"
				"a4c/Ia4oSZM+a+YG6iaxpgkPUbECIQCFFRISjo9WQHIgndK5d7k7Tg/aisMHstVy\n"
				"ZYTHcZ0wGg==\n"
				"-----END CERTIFICATE-----\n";

static void test_subject_reencoding(void)
{
	/* §8.4: /CN=test/O=Org/C=US/emailAddress=a@b.c/street=Main St/
	 * postalCode=12345/O=Second/title=Boss/CN=second cn */
	struct cf_name_attr *a = NULL;
	size_t n = 0;
	cf_name_attrs_add(&a, &n, "2.5.4.3", "test");
	cf_name_attrs_add(&a, &n, "2.5.4.10", "Org");
	cf_name_attrs_add(&a, &n, "2.5.4.6", "US");
	cf_name_attrs_add(&a, &n, "1.2.840.113549.1.9.1", "a@b.c");
	cf_name_attrs_add(&a, &n, "2.5.4.9", "Main St");
	cf_name_attrs_add(&a, &n, "2.5.4.17", "12345");
	cf_name_attrs_add(&a, &n, "2.5.4.10", "Second");
	cf_name_attrs_add(&a, &n, "2.5.4.12", "Boss");
	cf_name_attrs_add(&a, &n, "2.5.4.3", "second cn");
	struct cf_buf der = CF_BUF_INIT;
	struct cf_error e = {0};
	check(cf_name_der(a, n, &der, &e) == 0, "§8.4 example encodes");
	check_hex("§8.4: C, street, postalCode, O=Org+O=Second, CN=second cn, emailAddress "
		  "(UTF8String), title",
		  "308185"
		  "310B3009060355040613025553"
		  "3110300E06035504091307"
		  "4D61696E205374"
		  "310E300C060355041113053132333435"
		  "311B300A060355040A13034F7267300D060355040A13065365636F6E64"
		  "3112301006035504031309"
		  "7365636F6E6420636E"
		  "3114301206092A864886F70D0109010C056140622E63"
		  "310D300B060355040C1304426F7373",
		  &der);
	cf_buf_release(&der);

	/* §12.1: SUBJECT {"CN":"override","names":[{"O":"NewOrg"}],"SerialNumber":"42"}
	 * on a CSR CN=Intermediate → O=NewOrg, CN=override, serialNumber=42; the
	 * request's other attributes do not survive an override */
	cf_name_attrs_free(a, n);
	a = NULL;
	n = 0;
	cf_name_attrs_add(&a, &n, "2.5.4.3", "Intermediate");
	cf_name_attrs_add(&a, &n, "2.5.4.9", "Street");
	cf_name_attrs_add(&a, &n, "1.2.840.113549.1.9.1", "x@y.z");
	static const char subj[] =
		"{\"CN\":\"override\",\"names\":[{\"O\":\"NewOrg\"}],\"SerialNumber\":\"42\"}";
	struct cf_csr_request s;
	check(cf_csrparse_subject_json(subj, strlen(subj), &s, &e) == 0, "§12.1 SUBJECT parses");
	struct cf_name_attr *o = NULL;
	size_t no = 0;
	cf_csrparse_override_subject(&s, a, n, &o, &no);
	check(cf_name_der(o, no, &der, &e) == 0, "§12.1 override encodes");
	check_hex("§12.1 override: O=NewOrg, CN=override, serialNumber=42",
		  "3031"
		  "310F300D060355040A13064E65774F7267"
		  "3111300F060355040313086F76657272696465"
		  "310B3009060355040513023432",
		  &der);
	cf_buf_release(&der);
	cf_name_attrs_free(o, no);
	cf_csr_request_release(&s);

	/* fields the SUBJECT leaves empty come from the request */
	static const char subj2[] = "{\"names\":[{\"C\":\"\",\"O\":\"New\"}]}";
	check(cf_csrparse_subject_json(subj2, strlen(subj2), &s, &e) == 0, "SUBJECT 2 parses");
	cf_csrparse_override_subject(&s, a, n, &o, &no);
	check(cf_name_der(o, no, &der, &e) == 0, "override 2 encodes");
	/* O=New, CN=Intermediate */
	check_hex("override keeps the request's CN",
		  "3025310C300A060355040A13034E6577311530130603550403130C496E7465726D656469617465",
		  &der);
	cf_buf_release(&der);
	cf_name_attrs_free(o, no);
	cf_csr_request_release(&s);
	cf_name_attrs_free(a, n);
}

static void test_names(void)
{
	unsigned char d[256];
	size_t len;
	struct cf_name_attr *a = NULL;
	size_t n = 0;
	struct cf_error e = {0};
	struct cf_buf der = CF_BUF_INIT;

	/* CN as BMPString "ÄB" → UTF-8, re-encoded as UTF8String */
	len = unhex("300F310D300B06035504031E0400C40042", d);
	check(cf_csrparse_name(d, len, &a, &n, &e) == 0 && n == 1, "BMPString name parses");
	if (n == 1) {
		check_str("BMPString decoded",
			  "\xc3\x84"
			  "B",
			  (const char *)a[0].value);
		check_str("BMPString oid", "2.5.4.3", a[0].oid);
		check(cf_name_der(a, n, &der, &e) == 0, "BMPString name encodes");
		check_hex("BMPString becomes UTF8String", "300E310C300A06035504030C03C38442", &der);
		cf_buf_release(&der);
	}
	cf_name_attrs_free(a, n);

	/* a non-string value of another attribute is copied */
	len = unhex("300C310A300806032A0304020105", d);
	check(cf_csrparse_name(d, len, &a, &n, &e) == 0 && n == 1 && !a[0].is_string,
	      "INTEGER attribute parses as a non-string");
	check(cf_name_der(a, n, &der, &e) == 0, "INTEGER attribute encodes");
	check_hex("INTEGER attribute copied", "300C310A300806032A0304020105", &der);
	cf_buf_release(&der);
	cf_name_attrs_free(a, n);

	/* '@' is not allowed in a PrintableString (Go's parser) */
	len = unhex("300C310A30080603550403130140", d);
	check(cf_csrparse_name(d, len, &a, &n, &e) < 0, "PrintableString with @ fails");
	check_err("PrintableString with @", &e, 9003, "CSR Parsing failed");

	/* CN: last occurrence wins, even when empty */
	cf_error_clear(&e);
	a = NULL;
	n = 0;
	cf_name_attrs_add(&a, &n, "2.5.4.3", "first");
	cf_name_attrs_add(&a, &n, "2.5.4.3", "");
	check(cf_name_der(a, n, &der, &e) == 0, "empty last CN encodes");
	check_hex("empty last CN: empty subject", "3000", &der);
	cf_buf_release(&der);
	cf_name_attrs_free(a, n);
}

static void test_request(void)
{
	struct cf_csr_info info;
	struct cf_error e = {0};
	int r = cf_csrparse_pem((const unsigned char *)unit_csr, strlen(unit_csr), &info, &e);
	check(r == 0, "openssl CSR parses");
	if (r == 0) {
		check(info.nattrs == 2, "two subject attributes");
		if (info.nattrs == 2) {
			check_str("C oid", "2.5.4.6", info.attrs[0].oid);
			check_str("C value", "US", (const char *)info.attrs[0].value);
			check_str("CN value (UTF8String)", "unit",
				  (const char *)info.attrs[1].value);
		}
		check(info.nhosts == 4, "four SANs");
		if (info.nhosts == 4) {
			check(info.hosts[0].kind == CF_HOST_DNS, "SAN 1 DNS");
			check_str("SAN 1 value", "u.example", info.hosts[0].value);
			check(info.hosts[1].kind == CF_HOST_IP && info.hosts[1].iplen == 4 &&
				      memcmp(info.hosts[1].ip, "\x0a\x09\x08\x07", 4) == 0,
			      "IPv4-mapped SAN stored as 4 bytes");
			check(info.hosts[2].kind == CF_HOST_EMAIL, "SAN 3 e-mail");
			check_str("SAN 3 value", "m@n.o", info.hosts[2].value);
			check(info.hosts[3].kind == CF_HOST_URI, "SAN 4 URI");
			check_str("SAN 4 value", "urn:x", info.hosts[3].value);
		}
		check(info.has_bc && info.is_ca && info.pathlen == 2,
		      "basicConstraints CA:TRUE pathlen 2");
		check(!info.delegation && info.copy_delegation.len == 0, "no delegation extension");
		/* copy_extensions would copy the SAN extension (TLV of 0x34+2 bytes) */
		check(info.copy_all.len == 54 && info.copy_all.data[0] == 0x30,
		      "SAN kept for copying");
		check(info.spki.len == 91 &&
			      memcmp(info.spki.data,
				     "\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01",
				     13) == 0,
		      "P-256 SPKI");
	}
	cf_csrparse_release(&info);

	/* leading junk is skipped */
	char junk[2048];
	snprintf(junk, sizeof junk, "some text\n%s", unit_csr);
	cf_error_clear(&e);
	check(cf_csrparse_pem((const unsigned char *)junk, strlen(junk), &info, &e) == 0,
	      "text before the PEM block is skipped");
	cf_csrparse_release(&info);

	/* a corrupted signature */
	struct cf_pem_block blk;
	const char *rest;
	size_t restlen;
	if (cf_pem_decode(unit_csr, strlen(unit_csr), &blk, &rest, &restlen)) {
		blk.der[blk.len - 1] ^= 0x01;
		cf_error_clear(&e);
		check(cf_csrparse_der(blk.der, blk.len, &info, &e) < 0, "bad signature fails");
		check_err("bad signature", &e, 9300, "x509: ECDSA verification failure");
		cf_csrparse_release(&info);
		cf_pem_block_release(&blk);
	} else {
		check(0, "PEM decode of the fixture");
	}

	static const struct {
		const char *in, *msg;
		int code;
	} bad[] = {
		{"no pem here", "CSR Decode failed", 9002},
		{"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", "not a csr",
		 9300},
		{"-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE "
		 "REQUEST-----\n",
		 "CSR Parsing failed", 9003},
		{"-----BEGIN NEW CERTIFICATE REQUEST-----\nMAMCAQA=\n"
		 "-----END NEW CERTIFICATE REQUEST-----\n",
		 "CSR Parsing failed", 9003},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cf_error_clear(&e);
		check(cf_csrparse_pem((const unsigned char *)bad[i].in, strlen(bad[i].in), &info,
				      &e) < 0,
		      bad[i].msg);
		check_err(bad[i].msg, &e, bad[i].code, bad[i].msg);
		cf_csrparse_release(&info);
	}
}

static void test_subject_json(void)
{
	static const struct {
		const char *in, *err;
	} cases[] = {
		{"{\"CN\":5}",
		 "json: cannot unmarshal number into Go struct field Subject.CN of type string"},
		{"[1]", "json: cannot unmarshal array into Go value of type signer.Subject"},
		{"{\"names\":{}}",
		 "json: cannot unmarshal object into Go struct field Subject.names "
		 "of type []csr.Name"},
		{"{\"names\":[5]}", "json: cannot unmarshal number into Go struct field "
				    "Subject.names of type csr.Name"},
		{"{\"names\":[{\"C\":1}]}",
		 "json: cannot unmarshal number into Go struct field Name.names.C of type string"},
		{"{\"SerialNumber\":true}", "json: cannot unmarshal bool into Go struct field "
					    "Subject.SerialNumber of type string"},
		{"{", "unexpected end of JSON input"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cf_csr_request s;
		struct cf_error e = {0};
		check(cf_csrparse_subject_json(cases[i].in, strlen(cases[i].in), &s, &e) < 0,
		      cases[i].in);
		check_err(cases[i].in, &e, 0, cases[i].err);
		cf_csr_request_release(&s);
	}
	/* member names are case-insensitive */
	static const char ci[] = "{\"cn\":\"a\",\"serialnumber\":\"b\",\"NAMES\":[{\"o\":\"x\"}]}";
	struct cf_csr_request s;
	struct cf_error e = {0};
	check(cf_csrparse_subject_json(ci, strlen(ci), &s, &e) == 0, "case-insensitive members");
	check_str("cn", "a", s.cn);
	check_str("serialnumber", "b", s.serialnumber);
	check(s.nnames == 1 && s.names[0].o && strcmp(s.names[0].o, "x") == 0, "names[0].O");
	cf_csr_request_release(&s);

	/* rendered again as Go marshals signer.Subject (what sign -remote sends) */
	static const struct {
		const char *in, *out;
	} render[] = {
		{"{}", "{\"CN\":\"\",\"names\":null,\"SerialNumber\":\"\"}"},
		{"{\"names\":[]}", "{\"CN\":\"\",\"names\":[],\"SerialNumber\":\"\"}"},
		{"{\"serialnumber\":\"7\",\"CN\":\"a<b\",\"names\":[{\"OID\":{\"2.5.4.9\":\"x\","
		 "\"1.2.3\":\"y\",\"2.5.4.9\":\"z\"},\"OU\":\"\",\"E\":\"e\",\"C\":\"DE\"},{}]}",
		 "{\"CN\":\"a\\u003cb\",\"names\":[{\"C\":\"DE\",\"E\":\"e\",\"OID\":{\"1.2.3\":"
		 "\"y\","
		 "\"2.5.4.9\":\"z\"}},{}],\"SerialNumber\":\"7\"}"},
	};
	for (size_t i = 0; i < sizeof render / sizeof render[0]; i++) {
		struct cf_buf b = CF_BUF_INIT;
		check(cf_csrparse_subject_json(render[i].in, strlen(render[i].in), &s, &e) == 0,
		      render[i].in);
		cf_csrparse_subject_render(&s, &b);
		cf_buf_addc(&b, 0);
		check_str(render[i].in, render[i].out, (const char *)b.data);
		cf_buf_release(&b);
		cf_csr_request_release(&s);
	}
}

static void test_from_cert(void)
{
	gnutls_x509_crt_t crt;
	struct cf_error e = {0};
	if (cf_parse_cert_pem((const unsigned char *)unit_cert, strlen(unit_cert), &crt, &e) < 0) {
		check(0, "fixture certificate parses");
		return;
	}
	struct cf_csr_request req;
	check(cf_csrparse_request_from_cert(crt, &req, &e) == 0, "request from certificate");
	check_str("CN", "cert cn", req.cn);
	check_str("serialNumber", "77", req.serialnumber);
	check(req.nnames == 2, "two names entries (C=DE, C=AT)");
	if (req.nnames == 2) {
		check_str("names[0].C", "DE", req.names[0].c);
		check_str("names[0].ST", "Bavaria", req.names[0].st);
		check_str("names[0].O", "One", req.names[0].o);
		check_str("names[0].OU", "Unit", req.names[0].ou);
		check_str("names[1].C", "AT", req.names[1].c);
		check_str("names[1].O", "Two", req.names[1].o);
		check(!req.names[1].st && !req.names[1].ou, "names[1] has no ST/OU");
	}
	check(req.nhosts == 4, "four hosts");
	if (req.nhosts == 4) {
		/* cfssl's getHosts order: IPs, DNS names, e-mails, URIs */
		check_str("host 1", "192.0.2.1", req.hosts[0]);
		check_str("host 2", "c.example", req.hosts[1]);
		check_str("host 3", "q@r.s", req.hosts[2]);
		check_str("host 4", "https://x/", req.hosts[3]);
	}
	check(req.has_ca && req.ca_pathlen == 0 && req.ca_pathlenzero, "CA with pathlen 0");
	cf_csr_request_release(&req);
	gnutls_x509_crt_deinit(crt);
}

/* A request made by GnuTLS: a fresh key, CN @name, a DNS SAN when @san, the PKCS#10 @version
 * (1 is the usual INTEGER 0), signed with @dig. */
struct req {
	gnutls_privkey_t key;
	gnutls_pubkey_t pub;
	gnutls_x509_crq_t crq;
	gnutls_datum_t der, spki;
};

static int make_req(struct req *q, gnutls_pk_algorithm_t pk, unsigned bits,
		    gnutls_digest_algorithm_t dig, const char *name, int version, int san)
{
	memset(q, 0, sizeof *q);
	if (gnutls_privkey_init(&q->key) < 0 ||
	    gnutls_privkey_generate2(q->key, pk, bits, 0, NULL, 0) < 0 ||
	    gnutls_pubkey_init(&q->pub) < 0 ||
	    gnutls_pubkey_import_privkey(q->pub, q->key, 0, 0) < 0 ||
	    gnutls_pubkey_export2(q->pub, GNUTLS_X509_FMT_DER, &q->spki) < 0)
		return -1;
	if (gnutls_x509_crq_init(&q->crq) < 0 || gnutls_x509_crq_set_version(q->crq, version) < 0 ||
	    gnutls_x509_crq_set_dn_by_oid(q->crq, GNUTLS_OID_X520_COMMON_NAME, 0, name,
					  strlen(name)) < 0)
		return -1;
	if (san && gnutls_x509_crq_set_subject_alt_name(q->crq, GNUTLS_SAN_DNSNAME, "v.example", 9,
							GNUTLS_FSAN_SET) < 0)
		return -1;
	if (gnutls_x509_crq_set_pubkey(q->crq, q->pub) < 0 ||
	    gnutls_x509_crq_privkey_sign(q->crq, q->key, dig, 0) < 0 ||
	    gnutls_x509_crq_export2(q->crq, GNUTLS_X509_FMT_DER, &q->der) < 0)
		return -1;
	return 0;
}

static void free_req(struct req *q)
{
	gnutls_free(q->der.data);
	gnutls_free(q->spki.data);
	if (q->crq)
		gnutls_x509_crq_deinit(q->crq);
	if (q->pub)
		gnutls_pubkey_deinit(q->pub);
	if (q->key)
		gnutls_privkey_deinit(q->key);
}

/* cf_csrparse_der on @q's request gives @verr (9300), or succeeds when @verr is NULL */
static void expect(const char *what, const struct req *q, const char *verr)
{
	struct cf_csr_info info;
	struct cf_error e = {0};
	int r = cf_csrparse_der(q->der.data, q->der.size, &info, &e);
	if (verr) {
		check_err(what, &e, 9300, verr);
		check(r < 0, what);
	} else {
		check(r == 0 && info.spki.len == q->spki.size &&
			      memcmp(info.spki.data, q->spki.data, q->spki.size) == 0,
		      what);
	}
	cf_csrparse_release(&info);
}

/* Requests made by GnuTLS for each key type: they verify, the SPKI handed to the signer is the
 * one GnuTLS exports for the key (taken as it is for EC and Ed25519 keys, re-encoded for RSA),
 * and a broken signature, a signature over other data and a key that is not the signer's all
 * give Go's verification error, whichever pass handles them. */
static void test_verify(gnutls_pk_algorithm_t pk, unsigned bits, gnutls_digest_algorithm_t dig,
			const char *name, const char *verr)
{
	char what[160];
	struct req q, other;
	if (make_req(&q, pk, bits, dig, name, 1, 1) < 0 ||
	    make_req(&other, pk, bits, dig, name, 1, 1) < 0) {
		snprintf(what, sizeof what, "%s: GnuTLS makes the requests", name);
		check(0, what);
		goto out;
	}
	struct cf_csr_info info;
	struct cf_error e = {0};
	int r = cf_csrparse_der(q.der.data, q.der.size, &info, &e);
	snprintf(what, sizeof what, "%s: request verifies (%.80s)", name, e.msg);
	check(r == 0, what);
	if (r == 0) {
		snprintf(what, sizeof what, "%s: SPKI as GnuTLS exports it", name);
		check(info.spki.len == q.spki.size &&
			      memcmp(info.spki.data, q.spki.data, q.spki.size) == 0,
		      what);
		struct cf_csr_info full;
		struct cf_error fe = {0};
		snprintf(what, sizeof what, "%s: the full pass agrees", name);
		check(cf_csrparse_der_full(q.der.data, q.der.size, &full, &fe) == 0 &&
			      full.spki.len == info.spki.len &&
			      memcmp(full.spki.data, info.spki.data, info.spki.len) == 0 &&
			      full.nattrs == info.nattrs && full.nhosts == info.nhosts,
		      what);
		cf_csrparse_release(&full);
		snprintf(what, sizeof what, "%s: CN", name);
		check(info.nattrs == 1 && info.attrs[0].value &&
			      strcmp((const char *)info.attrs[0].value, name) == 0,
		      what);
		snprintf(what, sizeof what, "%s: SAN", name);
		check(info.nhosts == 1 && strcmp(info.hosts[0].value, "v.example") == 0, what);
	}
	cf_csrparse_release(&info);

	/* the last byte of the signature */
	q.der.data[q.der.size - 1] ^= 0x01;
	snprintf(what, sizeof what, "%s: broken signature", name);
	expect(what, &q, verr);
	q.der.data[q.der.size - 1] ^= 0x01;

	/* the CN's first letter in upper case: the signature no longer covers the data */
	unsigned char *cn = memmem(q.der.data, q.der.size, name, strlen(name));
	if (cn) {
		cn[0] ^= 0x20; /* p256 -> P256 */
		snprintf(what, sizeof what, "%s: altered subject", name);
		expect(what, &q, verr);
		cn[0] ^= 0x20;
	}

	/* the request's body under another key's signature */
	gnutls_free(q.der.data);
	q.der.data = NULL;
	if (gnutls_x509_crq_privkey_sign(q.crq, other.key, dig, 0) < 0 ||
	    gnutls_x509_crq_export2(q.crq, GNUTLS_X509_FMT_DER, &q.der) < 0) {
		check(0, "re-sign");
		goto out;
	}
	snprintf(what, sizeof what, "%s: signed by another key", name);
	expect(what, &q, verr);
out:
	free_req(&q);
	free_req(&other);
}

/* A request whose version is not 0 is not the fast pass's shape: the full pass still takes it
 * as GnuTLS and Go do (neither checks the version), with the same result. */
static void test_odd_version(void)
{
	struct req q;
	if (make_req(&q, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
		     GNUTLS_DIG_SHA256, "v2", 2, 0) < 0) {
		check(0, "GnuTLS makes a version-2 request");
		free_req(&q);
		return;
	}
	/* SEQUENCE, SEQUENCE, then INTEGER 1 */
	unsigned char *v = memmem(q.der.data, q.der.size, "\x02\x01\x01", 3);
	check(v != NULL && v - q.der.data < 10, "the request says version 2 (INTEGER 1)");
	expect("version-2 request verifies (full pass), same SPKI", &q, NULL);
	free_req(&q);
}

/* ---- duplicate requested extensions (issue 11 item 13) ----
 * Requests built by hand: the checks come before the signature, so the
 * signature is a stub. Expected results are cfssl master's (Go 1.19). */

/* Extension {oid, value}; a NULL @value leaves the value out (malformed). */
static void add_ext(struct cf_buf *list, const char *oid, const unsigned char *value, size_t len)
{
	struct cf_buf e = CF_BUF_INIT;
	cf_der_oid(&e, oid);
	if (value)
		cf_der_tlv(&e, CF_DER_OCTET_STRING, value, len);
	cf_der_wrap(list, CF_DER_SEQUENCE, &e);
}

/* Attribute {extensionRequest, SET {@list wrapped as SEQUENCE, or as an
 * OCTET STRING when @not_seq}}; takes @list. */
static void add_ext_request(struct cf_buf *attrs, struct cf_buf *list, int not_seq)
{
	struct cf_buf a = CF_BUF_INIT, set = CF_BUF_INIT;
	cf_der_oid(&a, "1.2.840.113549.1.9.14");
	cf_der_wrap(&set, not_seq ? CF_DER_OCTET_STRING : CF_DER_SEQUENCE, list);
	cf_der_wrap(&a, CF_DER_SET, &set);
	cf_der_wrap(attrs, CF_DER_SEQUENCE, &a);
}

/* A CertificationRequest around @attrs (taken) with a stub ECDSA signature. */
static void build_csr(struct cf_buf *attrs, struct cf_buf *out)
{
	static const char spki_hex[] =
		"3059301306072A8648CE3D020106082A8648CE3D03010703420004D797BF8FB33FE0663BB8B0D31F93"
		"3CFC31503C2580B0438AB9AD1B680D8C23E41B545F7D5B86666618B3BF70F03DF8794BC242170D01"
		"3D2EC8891B1A6DBBE7A9";
	unsigned char spki[128];
	size_t spki_len = unhex(spki_hex, spki);
	struct cf_buf info = CF_BUF_INIT, body = CF_BUF_INIT, tmp = CF_BUF_INIT;
	cf_der_int(&info, 0);
	cf_der_oid(&tmp, "2.5.4.3");
	cf_der_tlv(&tmp, 0x0c, "d", 1);
	struct cf_buf rdn = CF_BUF_INIT, name = CF_BUF_INIT;
	cf_der_wrap(&rdn, CF_DER_SEQUENCE, &tmp);
	cf_der_wrap(&name, CF_DER_SET, &rdn);
	cf_der_wrap(&info, CF_DER_SEQUENCE, &name);
	cf_buf_add(&info, spki, spki_len);
	cf_der_wrap(&info, 0xa0, attrs);
	cf_der_wrap(&body, CF_DER_SEQUENCE, &info);
	cf_der_oid(&tmp, "1.2.840.10045.4.3.2");
	cf_der_wrap(&body, CF_DER_SEQUENCE, &tmp);
	static const unsigned char sig[] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};
	cf_der_bit_string(&body, sig, sizeof sig, 0);
	cf_der_wrap(out, CF_DER_SEQUENCE, &body);
}

static void expect_parse_error(const char *what, struct cf_buf *attrs, const char *msg)
{
	struct cf_buf der = CF_BUF_INIT;
	build_csr(attrs, &der);
	struct cf_csr_info info;
	struct cf_error e = {0};
	check(cf_csrparse_der(der.data, der.len, &info, &e) < 0, what);
	check_err(what, &e, 9003, msg);
	cf_csrparse_release(&info);
	cf_buf_release(&der);
}

static void test_duplicate_extensions(void)
{
	static const char dup[] =
		"x509: certificate request contains duplicate requested extensions";
	static const unsigned char null_der[] = {0x05, 0x00};
	static const unsigned char san[] = {0x30, 0x0b, 0x82, 0x09, 'a', '.', 'e',
					    'x',  'a',  'm',  'p',  'l', 'e'};
	static const unsigned char bad_san[] = {0x30, 0x06, 0x82, 0x04, 0xff, 'b', 'a', 'd'};
	struct cf_buf attrs = CF_BUF_INIT, l = CF_BUF_INIT;

	add_ext(&l, "2.5.29.17", san, sizeof san);
	add_ext(&l, "2.5.29.17", san, sizeof san);
	add_ext_request(&attrs, &l, 0);
	expect_parse_error("two SAN extensions", &attrs, dup);

	add_ext(&l, "2.5.29.17", san, sizeof san);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext(&l, "2.5.29.19", san, sizeof san);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext_request(&attrs, &l, 0);
	expect_parse_error("any extension twice", &attrs, dup);

	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext_request(&attrs, &l, 0);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext_request(&attrs, &l, 0);
	expect_parse_error("the same extension in two extensionRequest attributes", &attrs, dup);

	/* a duplicate shows before a later attribute fails to parse */
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext_request(&attrs, &l, 0);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext_request(&attrs, &l, 1);
	expect_parse_error("duplicate, then a malformed attribute", &attrs, dup);

	/* Go reads an attribute's whole list before it looks for duplicates */
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext(&l, "1.2.3.5", NULL, 0);
	add_ext_request(&attrs, &l, 0);
	expect_parse_error("malformed extension after a duplicate in one list", &attrs,
			   "CSR Parsing failed");

	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext_request(&attrs, &l, 0);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext(&l, "1.2.3.5", NULL, 0);
	add_ext_request(&attrs, &l, 0);
	expect_parse_error("malformed list holding the duplicate", &attrs, "CSR Parsing failed");

	/* the SAN is decoded only once every extension was read */
	add_ext(&l, "2.5.29.17", bad_san, sizeof bad_san);
	add_ext_request(&attrs, &l, 0);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext_request(&attrs, &l, 0);
	expect_parse_error("malformed SAN, then a duplicate", &attrs, dup);

	add_ext(&l, "2.5.29.17", bad_san, sizeof bad_san);
	add_ext(&l, "1.2.3.4", null_der, 2);
	add_ext_request(&attrs, &l, 0);
	expect_parse_error("malformed SAN alone", &attrs, "x509: SAN dNSName is malformed");

	/* many distinct extensions are no duplicate (and cost linear time) */
	for (int i = 0; i < 20000; i++) {
		char oid[32];
		snprintf(oid, sizeof oid, "1.2.3.%d", i);
		add_ext(&l, oid, null_der, 2);
	}
	add_ext_request(&attrs, &l, 0);
	struct cf_buf der = CF_BUF_INIT;
	build_csr(&attrs, &der);
	struct cf_csr_info info;
	struct cf_error e = {0};
	check(cf_csrparse_der(der.data, der.len, &info, &e) < 0,
	      "20000 extensions: stub signature");
	check_err("20000 distinct extensions are no duplicate", &e, 9300,
		  "x509: ECDSA verification failure");
	cf_csrparse_release(&info);
	cf_buf_release(&der);
}

int main(void)
{
	test_subject_reencoding();
	test_names();
	test_request();
	test_subject_json();
	test_from_cert();
	test_duplicate_extensions();
	test_verify(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
		    GNUTLS_DIG_SHA256, "p256", "x509: ECDSA verification failure");
	test_verify(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1),
		    GNUTLS_DIG_SHA384, "p384", "x509: ECDSA verification failure");
	test_verify(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP521R1),
		    GNUTLS_DIG_SHA512, "p521", "x509: ECDSA verification failure");
	test_verify(GNUTLS_PK_EDDSA_ED25519, 0, GNUTLS_DIG_UNKNOWN, "ed25519",
		    "x509: Ed25519 verification failure");
	test_verify(GNUTLS_PK_RSA, 2048, GNUTLS_DIG_SHA256, "rsa",
		    "crypto/rsa: verification error");
	test_odd_version();
	printf("test_csrparse: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
