/* DER encodings that must equal Go's encoding/asn1 and crypto/x509 output
 * (spec §5.3, §8.3, §8.5, §9.1), and the validity arithmetic. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "csr.h"
#include "der.h"
#include "signer.h"

#include "check.h"

static void hex(const struct cf_buf *b, char *out, size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; i < b->len && 2 * i + 3 <= n; i++)
		sprintf(out + 2 * i, "%02X", b->data[i]);
}

static void expect(const char *what, struct cf_buf *b, const char *want)
{
	char got[2048];
	hex(b, got, sizeof got);
	if (strcmp(got, want) == 0) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s:\n  got  %s\n  want %s\n", what, got, want);
	}
	cf_buf_release(b);
}

int main(void)
{
	struct cf_buf b = CF_BUF_INIT;

	cf_der_int(&b, 0);
	expect("int 0", &b, "020100");
	cf_der_int(&b, 127);
	expect("int 127", &b, "02017F");
	cf_der_int(&b, 128);
	expect("int 128", &b, "02020080");
	cf_der_int(&b, -1);
	expect("int -1", &b, "0201FF");
	cf_der_int(&b, -5);
	expect("int -5 (cfssl encodes negative pathlens literally)", &b, "0201FB");
	cf_der_int(&b, 256);
	expect("int 256", &b, "02020100");

	static const unsigned char serial[] = {0x00, 0x00, 0x7f, 0x01};
	cf_der_uint_bytes(&b, serial, sizeof serial);
	expect("serial: leading zero bytes dropped", &b, "02027F01");
	static const unsigned char high[] = {0x80};
	cf_der_uint_bytes(&b, high, 1);
	expect("unsigned with top bit: 0x00 pad", &b, "02020080");

	check(cf_der_oid(&b, "2.5.29.17") == 0, "oid parses");
	expect("oid SAN", &b, "0603551D11");
	cf_der_oid(&b, "1.2.840.113549.1.9.14");
	expect("oid extensionRequest", &b, "06092A864886F70D01090E");
	check(cf_der_oid(&b, "1.x") < 0 && cf_der_oid(&b, "3.1") < 0 && cf_der_oid(&b, "1") < 0,
	      "invalid OIDs refused");
	cf_buf_release(&b);

	cf_der_go_string(&b, "Riga", 4);
	expect("printable", &b, "130452696761");
	cf_der_go_string(&b, "*.x", 3);
	expect("asterisk forces UTF8String", &b, "0C032A2E78");
	cf_der_go_string(&b, "A&B", 3);
	expect("ampersand forces UTF8String", &b, "0C03412642");
	cf_der_go_string(&b, "system:masters", 14);
	expect("colon is printable", &b, "130E73797374656D3A6D617374657273");

	cf_der_time(&b, 1795877820); /* 2026-11-28 14:57:00 UTC */
	expect("UTCTime", &b, "170D3236313132383134353730305A");
	cf_der_time(&b, 2524608000LL); /* 2050-01-01 */
	expect("GeneralizedTime from 2050", &b, "180F32303530303130313030303030305A");
	cf_der_time(&b, -631152000LL); /* 1950-01-01 */
	expect("UTCTime for 1950", &b, "170D3530303130313030303030305A");

	/* basicConstraints as Go marshals them */
	cf_basic_constraints_der(&b, 0, -1);
	expect("CA:FALSE", &b, "3000");
	cf_basic_constraints_der(&b, 1, -1);
	expect("CA:TRUE", &b, "30030101FF");
	cf_basic_constraints_der(&b, 1, 0);
	expect("CA:TRUE pathlen 0", &b, "30060101FF020100");
	cf_basic_constraints_der(&b, 1, -5);
	expect("CA:TRUE pathlen -5", &b, "30060101FF0201FB");

	/* Subject: fixed RDN order, multi-valued RDNs sorted as DER SET OF (§5.3 example) */
	struct cf_csr_request req;
	struct cf_error err = {0};
	const char *doc = "{\"CN\":\"x\",\"names\":[{\"C\":\"DE\",\"O\":\"A&B\",\"OU\":"
			  "\"\xc3\x90ontainerum\"},"
			  "{\"C\":\"US\",\"O\":\"Second Org\",\"OU\":\"plain\"}]}";
	check(cf_csr_request_parse(doc, strlen(doc), &req, &err) == 0, "request parses");
	check(cf_csr_subject_der(&req, &b, &err) == 0, "subject encodes");
	/* expected bytes: Debian's cfssl 1.2 request for the same document */
	expect("multi-valued subject", &b,
	       "306A311630090603550406130244453009060355040613025553311F300A060355040A0C03412642301"
	       "1"
	       "060355040A130A5365636F6E64204F72673123300C060355040B1305706C61696E3013060355040B0C0"
	       "C"
	       "C3906F6E7461696E6572756D310A30080603550403130178");
	cf_csr_request_release(&req);

	/* SANs grouped DNS, e-mail, IP, URI; empty entries skipped (deviation 1) */
	doc = "{\"hosts\":[\"10.32.0.1\",\"\",\" \",\"spiffe://x/y\",\"a@b.c\",\" "
	      "node1\",\"127.0.0.1\"]}";
	check(cf_csr_request_parse(doc, strlen(doc), &req, &err) == 0, "hosts parse");
	struct cf_host *hosts;
	size_t n;
	check(cf_csr_hosts(&req, &hosts, &n, &err) == 0 && n == 5, "5 hosts kept of 7");
	check(cf_san_der(hosts, n, 0, &b) == 5, "5 SAN entries");
	/* cfssl 1.2's bytes for these entries, with the URI moved to its master position */
	expect("SAN order", &b,
	       "302882056E6F64653181056140622E6387040A20000187047F000001860C7370696666653A2F2F782F7"
	       "9");
	check(cf_san_der(hosts, n, 1, &b) == 2, "CA keeps only IPs");
	expect("CA SAN", &b, "300C87040A20000187047F000001");
	cf_hosts_free(hosts, n);
	cf_csr_request_release(&req);

	/* -hostname split: no trimming in the split itself, trimming in cf_csr_hosts */
	doc = "{}";
	cf_csr_request_parse(doc, 2, &req, &err);
	cf_csr_request_set_hostname(&req, "worker-0,,");
	check(req.nhosts == 3, "-hostname=worker-0,, splits into 3 items");
	check(cf_csr_hosts(&req, &hosts, &n, &err) == 0 && n == 1 && hosts[0].kind == CF_HOST_DNS &&
		      strcmp(hosts[0].value, "worker-0") == 0,
	      "only worker-0 remains");
	cf_hosts_free(hosts, n);
	cf_csr_request_release(&req);

	/* deviation 5: a missing size follows the algorithm */
	doc = "{\"key\":{\"algo\":\"rsa\"}}";
	cf_csr_request_parse(doc, strlen(doc), &req, &err);
	check(req.size == 2048, "rsa without size means 2048");
	cf_csr_request_release(&req);
	doc = "{\"key\":{\"size\":384}}";
	cf_csr_request_parse(doc, strlen(doc), &req, &err);
	check(strcmp(req.algo, "ecdsa") == 0 && req.size == 384, "size alone keeps ecdsa");
	cf_csr_request_release(&req);
	doc = "{\"key\":null,\"ca\":null}";
	cf_csr_request_parse(doc, strlen(doc), &req, &err);
	check(strcmp(req.algo, "ecdsa") == 0 && req.size == 256 && !req.has_ca, "null key and ca");
	cf_csr_request_release(&req);

	/* Validity: now rounded to the minute (half up), minus 5 minutes backdate */
	struct cf_profile p = {0};
	p.expiry = 8760LL * 3600 * 1000000000LL;
	const long long s = 1000000000LL;
	struct cf_time nb, na;
	cf_validity(&p, (struct cf_time){1795878104LL, 0}, &nb, &na); /* 15:01:44 */
	check(nb.sec == 1795877820LL && nb.nsec == 0, "15:01:44 -> notBefore 14:57:00");
	check(cf_time_sub(na, nb) == p.expiry, "notAfter = notBefore + expiry");
	cf_validity(&p, (struct cf_time){1795878090LL, 0}, &nb,
		    &na); /* 15:01:30 exactly rounds up */
	check(nb.sec == 1795877820LL, "hh:mm:30 rounds up");
	cf_validity(&p, (struct cf_time){1795878089LL, 999999999}, &nb, &na);
	check(nb.sec == 1795877760LL && nb.nsec == 0, "hh:mm:29.999 rounds down");
	p.backdate = 3600 * s;
	cf_validity(&p, (struct cf_time){1795878104LL, 0}, &nb, &na);
	check(nb.sec == 1795878120LL - 3600, "backdate 1h");

	/* issue 11 item 11: Go's time arithmetic past 2262 (int64 ns since 1970 ends there);
	 * expected dates are cfssl master's */
	p.backdate = 0;
	p.expiry = INT64_MAX;                                         /* 2562047h47m16.854775807s */
	cf_validity(&p, (struct cf_time){1796400000LL, 0}, &nb, &na); /* 2026-12-04 14:40:00 */
	check(nb.sec == 1796399700LL, "longest expiry: notBefore");
	/* 14:35:00 + 106751d 23h47m16.854775807s = 2319-03-16 14:22:16.854775807 */
	check(na.sec == 1796399700LL + 9223372036LL && na.nsec == 854775807,
	      "longest expiry: notAfter 2319");
	p.expiry = 2562047LL * 3600 * s;
	cf_validity(&p, (struct cf_time){1796400000LL, 0}, &nb, &na);
	check(na.sec == 1796399700LL + 2562047LL * 3600 && na.nsec == 0, "expiry 2562047h");
	p.expiry = -p.expiry;
	cf_validity(&p, (struct cf_time){1796400000LL, 0}, &nb, &na);
	check(na.sec == 1796399700LL - 2562047LL * 3600, "expiry -2562047h: 1734");
	p.expiry = 3600 * s;
	p.backdate = INT64_MIN; /* Go's -1 * d leaves it negative: notBefore moves back */
	cf_validity(&p, (struct cf_time){1796400000LL, 0}, &nb, &na);
	check(nb.sec == 1796400000LL - 9223372037LL && nb.nsec == 145224192,
	      "backdate of the most negative Duration");
	p.backdate = 0;
	p.has_not_after = 1;
	p.not_after = 253370764800LL; /* 9999-01-01 */
	cf_validity(&p, (struct cf_time){1796400000LL, 0}, &nb, &na);
	check(na.sec == 253370764800LL, "not_after 9999-01-01 as it is");
	p.has_not_after = 0;
	p.has_not_before = 1;
	p.not_before = 253370764800LL;
	p.not_before_nsec = 999999999;
	p.expiry = 1;
	cf_validity(&p, (struct cf_time){1796400000LL, 0}, &nb, &na);
	check(nb.sec == 253370764800LL && na.sec == 253370764801LL && na.nsec == 0,
	      "not_before's nanoseconds carry into notAfter");

	/* Time.Sub saturates at the Duration range */
	struct cf_time t2300 = {10413792000LL, 0}, t9999 = {253402300799LL, 0};
	struct cf_time t2026 = {1796399700LL, 0};
	check(cf_time_sub(t2300, t2026) == (10413792000LL - 1796399700LL) * s, "Sub 2300 - 2026");
	check(cf_time_sub(t9999, t2026) == INT64_MAX, "Sub 9999 - 2026 saturates");
	check(cf_time_sub(t2026, t9999) == INT64_MIN, "Sub 2026 - 9999 saturates");
	check(cf_time_add((struct cf_time){INT64_MAX - 1, 0}, 5 * s).sec == INT64_MAX,
	      "Add saturates the seconds");
	check(cf_time_add((struct cf_time){10, 0}, -1).sec == 9 &&
		      cf_time_add((struct cf_time){10, 0}, -1).nsec == 999999999,
	      "Add borrows a second");

	/* certificatePolicies: the bytes §7.6 observed from cfssl */
	struct cf_policy_qualifier q1[] = {{"id-qt-cps", "http://cps/"},
					   {"id-qt-unotice", "Notice text"}};
	struct cf_policy pols[] = {{"1.2.3.4", q1, 2}, {"2.23.140.1.2.1", NULL, 0}};
	struct cf_profile pp = {0};
	pp.policies = pols;
	pp.npolicies = 2;
	check(cf_policies_der(&pp, &b, &err) == 0, "policies encode");
	expect("certificatePolicies", &b,
	       "3047303B06032A03043034301706082B06010505070201160B687474703A2F2F6370732F301906082B"
	       "06010505070202300D0C0B4E6F7469636520746578743008060667810C010201");
	struct cf_policy_qualifier q2[] = {{"", "x"}};
	struct cf_policy bad[] = {{"1.2.3", q2, 1}};
	pp.policies = bad;
	pp.npolicies = 1;
	struct cf_error perr = {0};
	char msg[256];
	check(cf_policies_der(&pp, &b, &perr) < 0, "empty qualifier type refused when signing");
	cf_error_render(&perr, msg, sizeof msg);
	check(strcmp(msg, "{\"code\":5200,\"message\":\"Invalid qualifier type in Policies \"}") ==
		      0,
	      "cfssl's message, trailing space included");
	cf_buf_release(&b);

	/* name_whitelist: CN and every non-IP SAN must contain a match */
	struct cf_profile wl = {0};
	wl.name_whitelist = "\\.example\\.com$";
	struct cf_host hs[2] = {{CF_HOST_DNS, "a.example.com", {0}, 0, 0},
				{CF_HOST_IP, NULL, {10, 0, 0, 1}, 4, 0}};
	struct cf_error werr = {0};
	check(cf_profile_check_names(&wl, "www.example.com", 0, hs, 2, NULL, 0, &werr) == 0,
	      "whitelist match");
	hs[0].value = "a.example.org";
	check(cf_profile_check_names(&wl, "www.example.com", 0, hs, 2, NULL, 0, &werr) < 0 &&
		      werr.code == 5500,
	      "whitelist mismatch of a SAN: 5500");
	hs[0].value = "a.example.com";
	cf_error_clear(&werr);
	check(cf_profile_check_names(&wl, "evil.org", 0, hs, 1, NULL, 0, &werr) < 0,
	      "whitelist mismatch of CN");
	cf_error_clear(&werr);
	check(cf_profile_check_names(&wl, "", 0, hs, 1, NULL, 0, &werr) == 0,
	      "an empty CN is not checked");

	/* RE2's rules, as Go's regexp: a NUL is part of the name, '.' is not a newline */
	static const char nul_cn[] = "a.example.com\0.evil.org";
	cf_error_clear(&werr);
	check(cf_profile_check_names(&wl, nul_cn, sizeof nul_cn - 1, hs, 1, NULL, 0, &werr) < 0 &&
		      werr.code == 5500,
	      "a CN with a NUL before .evil.org does not end in .example.com");
	cf_error_clear(&werr);
	wl.name_whitelist = "^a.b$";
	check(cf_profile_check_names(&wl, "a\nb", 0, NULL, 0, NULL, 0, &werr) < 0,
	      "'.' does not match a newline");
	cf_error_clear(&werr);
	check(cf_profile_check_names(&wl, "a-b", 0, NULL, 0, NULL, 0, &werr) == 0,
	      "'.' matches '-'");
	wl.name_whitelist = "^h\\d+\\.\\w+$";
	check(cf_profile_check_names(&wl, "h12.ab_c", 0, NULL, 0, NULL, 0, &werr) == 0,
	      "Perl classes \\d and \\w");
	check(cf_profile_check_names(&wl, "hd.ab_c", 0, NULL, 0, NULL, 0, &werr) < 0,
	      "\\d needs a digit");
	cf_error_clear(&werr);
	wl.name_whitelist = "(?i)^WWW\\.";
	check(cf_profile_check_names(&wl, "www.example.com", 0, NULL, 0, NULL, 0, &werr) == 0,
	      "(?i) flag");
	static const char *const bad_re[] = {"(", "a{1001}", "\\C", "x**", "(?<n>a)"};
	for (size_t i = 0; i < sizeof bad_re / sizeof bad_re[0]; i++) {
		wl.name_whitelist = (char *)bad_re[i];
		cf_error_clear(&werr);
		check(cf_profile_check_names(&wl, "x", 0, NULL, 0, NULL, 0, &werr) < 0 &&
			      werr.code == 5200,
		      "a pattern Go's regexp refuses is a policy error");
	}
	/* a copied subjectAltName: Extension{2.5.29.17, OCTET STRING{SEQUENCE{[2] name}}} */
	static const unsigned char san[] = {0x30, 0x1b, 0x06, 0x03, 0x55, 0x1d, 0x11, 0x04,
					    0x14, 0x30, 0x12, 0x82, 0x10, 'x',  '.',  'e',
					    'x',  'a',  'm',  'p',  'l',  'e',  '.',  'c',
					    'o',  'm',  0,    'z',  'z'};
	wl.name_whitelist = "\\.example\\.com$";
	cf_error_clear(&werr);
	check(cf_profile_check_names(&wl, "", 0, NULL, 0, san, sizeof san, &werr) < 0 &&
		      werr.code == 5500,
	      "a copied SAN is checked at its full length");
	wl.name_whitelist = "\\.example\\.com";
	cf_error_clear(&werr);
	check(cf_profile_check_names(&wl, "", 0, NULL, 0, san, sizeof san, &werr) == 0,
	      "a copied SAN that contains a match passes, as a CN would");

	printf("test_der: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
