/* Host classification cases from cfssl-compat.md §5.4, §9 and §16, plus
 * corner cases of the Go 1.19 parsers (net.ParseIP, net/mail, net/url). */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "hosts.h"

struct tc {
	const char *in;
	enum cf_host_kind kind;
	const char *value; /* expected value (NULL: same as input) */
	const char *ip;    /* hex of the IP bytes, for CF_HOST_IP */
	const char *err;   /* expected error text; kind is still checked */
};

#define DNS(s)                                   \
	{                                        \
		s, CF_HOST_DNS, NULL, NULL, NULL \
	}
#define MAIL(s, v)                              \
	{                                       \
		s, CF_HOST_EMAIL, v, NULL, NULL \
	}
#define URI(s, v)                             \
	{                                     \
		s, CF_HOST_URI, v, NULL, NULL \
	}
#define IP(s, hex)                             \
	{                                      \
		s, CF_HOST_IP, NULL, hex, NULL \
	}
#define ERR(s, kind, msg)                \
	{                                \
		s, kind, NULL, NULL, msg \
	}

static const struct tc cases[] = {
	/* §5.4 rule 1 and §9: IP addresses */
	IP("10.32.0.1", "0a200001"),
	IP("127.0.0.1", "7f000001"),
	IP("0.0.0.0", "00000000"),
	IP("255.255.255.255", "ffffffff"),
	IP("::1", "00000000000000000000000000000001"),
	IP("::", "00000000000000000000000000000000"),
	IP("::ffff:1.2.3.4", "01020304"),
	IP("64:ff9b::1.2.3.4", "0064ff9b000000000000000001020304"),
	IP("2001:db8::68", "20010db8000000000000000000000068"),
	IP("1:2:3:4:5:6:7:8", "00010002000300040005000600070008"),
	IP("FE80::ABCD", "fe80000000000000000000000000abcd"),
	IP("::ffff:c000:0280", "c0000280"),
	IP("1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304"),
	/* §5.4 rule 4: not IPs, and nothing else either */
	DNS("010.1.1.1"),
	DNS("1.2.3"),
	DNS("1.2.3.256"),
	DNS("1.2.3.4.5"),
	DNS("[::1]"),
	DNS("1::2::3"),
	DNS(":::"),
	DNS("12345::"),
	DNS("1:2:3:4:5:6:7:8:9"),
	DNS("1:2:3:4:5:6:7::8"),
	DNS("::1.2.3"),
	DNS(" 1.2.3.4"),
	DNS("1.2.3.4 "),
	DNS("1.2.3.4:80"),
	DNS("*.example.com"),
	DNS("foo bar"),
	DNS(" sp "),
	DNS(""),
	DNS("node1"),
	DNS("example.com"),
	DNS("Mixed.Case.Example"),
	/* §5.4 rule 2: e-mail */
	MAIL("Bob <bob@example.com>", "bob@example.com"),
	MAIL("<a@b.c>", "a@b.c"),
	MAIL("c@d (comment)", "c@d"),
	MAIL("\"q\"@x.y", "q@x.y"),
	MAIL("\"a b\"@c.d", "a b@c.d"),
	MAIL("a@b", "a@b"),
	MAIL("bob@example.com", "bob@example.com"),
	MAIL("Alice Smith <alice@example.org>", "alice@example.org"),
	MAIL("\"Smith, Alice\" <alice@example.org>", "alice@example.org"),
	MAIL(" x@y.z", "x@y.z"),
	MAIL("x@y.z (a) (b)", "x@y.z"),
	MAIL("=?utf-8?q?J=C3=B6rg?= <j@example.com>", "j@example.com"),
	MAIL("team: a@b.c;", "a@b.c"),
	MAIL("\"a\\\"b\"@c.d", "a\"b@c.d"),
	MAIL("first.last+tag@sub.example.com", "first.last+tag@sub.example.com"),
	/* §5.4 rule 2: not e-mails, fall through */
	DNS("user@[1.2.3.4]"),
	DNS("foo.@bar"),
	DNS("x@y.z."),
	DNS("a@b@c"),
	DNS("@nouser"),
	DNS("user@"),
	DNS("a..b@c.d"),
	DNS("<a@b.c"),
	DNS("x@y.z (unclosed"),
	DNS("=?x-unknown?q?abc?= <j@example.com>"),
	/* §5.4 rule 3 and §16.5: URIs */
	URI("localhost:8080", "localhost:8080"),
	URI("node1:6443", "node1:6443"),
	URI("fe80::1%eth0", "fe80::1%eth0"),
	URI("/just/a/path", "/just/a/path"),
	URI("/path", "/path"),
	URI("mailto:q@r.s", "mailto:q@r.s"),
	URI("urn:uuid:1234", "urn:uuid:1234"),
	URI("spiffe://cluster.local/ns/default/sa/x", "spiffe://cluster.local/ns/default/sa/x"),
	URI("http://x/a b", "http://x/a%20b"),
	URI("https://example.com", "https://example.com"),
	URI("HTTPS://Example.COM/A", "https://Example.COM/A"),
	URI("http://user:pw@host:8080/p?q=1&r=2", "http://user:pw@host:8080/p?q=1&r=2"),
	URI("http://x/a%2fb", "http://x/a%2fb"),
	URI("http://x/a%41", "http://x/a%41"),
	URI("http://x/a%20b", "http://x/a%20b"),
	URI("team: a@b.c, d@e.f;", "team: a@b.c, d@e.f;"),
	URI("http://x/a#b", "http://x/a%23b"),
	URI("http://x/a!b", "http://x/a!b"),
	URI("http://x/p?", "http://x/p?"),
	URI("http://[::1]:443/", "http://[::1]:443/"),
	URI("http://[fe80::1%25en0]/", "http://[fe80::1%25en0]/"),
	URI("http://ü.example/", "http://%C3%BC.example/"),
	URI("example.com:", "example.com:"),
	URI("*", "*"),
	URI("//x/y", "//x/y"),
	URI("file:///etc/hosts", "file:///etc/hosts"),
	/* not URIs */
	DNS("http://[::1"),
	DNS("http://x:abc/"),
	DNS("http://a b/"),
	DNS("http://x/%zz"),
	DNS(":8080"),
	DNS("1http://x"),
	DNS("http://x/\x7f"),
	/* non-ASCII cannot be an IA5String (§5.4) */
	ERR("ü.example", CF_HOST_DNS, "x509: \"ü.example\" cannot be encoded as an IA5String"),
	ERR("ü@x.y", CF_HOST_EMAIL, "x509: \"ü@x.y\" cannot be encoded as an IA5String"),
	ERR("urn:ü", CF_HOST_URI, "x509: \"urn:ü\" cannot be encoded as an IA5String"),
	ERR("a\"ü\\", CF_HOST_DNS, "x509: \"a\\\"ü\\\\\" cannot be encoded as an IA5String"),
	ERR("\xff.example", CF_HOST_DNS,
	    "x509: \"\\xff.example\" cannot be encoded as an IA5String"),
	ERR("a\xc2\xa0"
	    "b",
	    CF_HOST_DNS, "x509: \"a\\u00a0b\" cannot be encoded as an IA5String"),
};

static const char *kind_name(enum cf_host_kind k)
{
	switch (k) {
	case CF_HOST_DNS: return "DNS";
	case CF_HOST_EMAIL: return "EMAIL";
	case CF_HOST_IP: return "IP";
	case CF_HOST_URI: return "URI";
	}
	return "?";
}

static int run(const struct tc *t)
{
	struct cf_host h;
	struct cf_error err = {0};
	int rc = cf_host_classify(t->in, &h, &err);
	int ok = 1;

	if (t->err) {
		if (rc != -1 || !err.set || strcmp(err.msg, t->err) != 0) {
			printf("FAIL %s: want error [%s], got rc=%d err=[%s]\n", t->in, t->err, rc,
			       err.set ? err.msg : "");
			ok = 0;
		}
		if (h.kind != t->kind) {
			printf("FAIL %s: kind %s after error, want %s\n", t->in, kind_name(h.kind),
			       kind_name(t->kind));
			ok = 0;
		}
		if (h.value) {
			printf("FAIL %s: value left set after error\n", t->in);
			ok = 0;
		}
		cf_host_release(&h);
		return ok;
	}
	if (rc != 0 || err.set) {
		printf("FAIL %s: unexpected error [%s]\n", t->in, err.msg);
		cf_host_release(&h);
		return 0;
	}
	if (h.kind != t->kind) {
		printf("FAIL [%s]: kind %s, want %s\n", t->in, kind_name(h.kind),
		       kind_name(t->kind));
		ok = 0;
	}
	if (t->kind == CF_HOST_IP) {
		char hex[33] = "";
		for (int i = 0; i < h.iplen && i < 16; i++)
			snprintf(hex + 2 * i, 3, "%02x", h.ip[i]);
		if (h.iplen != (int)strlen(t->ip) / 2 || strcmp(hex, t->ip) != 0) {
			printf("FAIL [%s]: ip %s (len %d), want %s\n", t->in, hex, h.iplen, t->ip);
			ok = 0;
		}
	} else {
		const char *want = t->value ? t->value : t->in;
		if (!h.value || strcmp(h.value, want) != 0) {
			printf("FAIL [%s]: value [%s], want [%s]\n", t->in,
			       h.value ? h.value : "(null)", want);
			ok = 0;
		}
	}
	cf_host_release(&h);
	if (h.value || h.kind != 0 || h.iplen != 0) {
		printf("FAIL [%s]: release did not zero\n", t->in);
		ok = 0;
	}
	return ok;
}

/* The individual parsers agree with the classification for a few inputs. */
static int run_parsers(void)
{
	int ok = 1;
	unsigned char ip[16];
	int iplen = 0;
	char *s = NULL;

	if (cf_parse_ip("1.2.3.4", ip, &iplen) != 0 || iplen != 4 || ip[3] != 4) {
		printf("FAIL cf_parse_ip(1.2.3.4)\n");
		ok = 0;
	}
	if (cf_parse_ip("fe80::1%eth0", ip, &iplen) == 0) {
		printf("FAIL cf_parse_ip accepted a zone\n");
		ok = 0;
	}
	if (cf_parse_mail("Bob <bob@example.com>", &s) != 0 || strcmp(s, "bob@example.com") != 0) {
		printf("FAIL cf_parse_mail(Bob <bob@example.com>)\n");
		ok = 0;
	}
	cf_host_release(&(struct cf_host){.value = s});
	s = NULL;
	if (cf_parse_mail("localhost:8080", &s) == 0 || s) {
		printf("FAIL cf_parse_mail accepted localhost:8080\n");
		ok = 0;
	}
	if (cf_parse_request_uri("a@b.c", &s) == 0 || s) {
		printf("FAIL cf_parse_request_uri accepted a@b.c\n");
		ok = 0;
	}
	if (cf_parse_request_uri("http://x/a b", &s) != 0 || strcmp(s, "http://x/a%20b") != 0) {
		printf("FAIL cf_parse_request_uri(http://x/a b)\n");
		ok = 0;
	}
	cf_host_release(&(struct cf_host){.value = s});
	return ok;
}

int main(void)
{
	int pass = 0, fail = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (run(&cases[i]))
			pass++;
		else
			fail++;
	}
	if (run_parsers())
		pass++;
	else
		fail++;
	printf("test_hosts: %d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
