/* multirootca's roots file (cfssl's multiroot/config.ParseToRawMap), its nets (net.ParseCIDR,
 * IPNet.Contains) and its Prometheus counters, without a server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "error.h"
#include "multiroot.h"

static int write_tmp(char *path, const char *text)
{
	strcpy(path, "/tmp/test_multiroot_XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	size_t n = strlen(text);
	int ok = write(fd, text, n) == (ssize_t)n;
	close(fd);
	return ok ? 0 : -1;
}

/* Parses @text; 0 with *@s, *@n or -1 with @err. */
static int parse(const char *text, struct cf_ini_section **s, size_t *n, struct cf_error *err)
{
	char path[64];
	if (write_tmp(path, text) < 0)
		return -1;
	int r = cf_ini_parse(path, s, n, err);
	unlink(path);
	return r;
}

static void test_ini(void)
{
	struct cf_ini_section *s;
	size_t n;
	struct cf_error err = {0};
	int r = parse("# a comment\n"
		      "early = before any section\n"
		      "\n"
		      "  [ primary ]  \n"
		      "private = file://testdata/server.key\n"
		      "certificate=\"quoted.pem\"   \n"
		      "config = 'single.json'\r\n"
		      "nets = 10.0.0.0/8, 127.0.0.1/32  \n"
		      "mixed = \"a'\n"
		      "[second]\n"
		      "x=1\n"
		      "[primary]\n"
		      "config = replaced.json\n"
		      "empty =\n",
		      &s, &n, &err);
	CHECK(r == 0, "a valid file parses: %s", err.msg);
	if (r < 0)
		return;
	CHECK(n == 3, "three sections (default, primary, second): %zu", n);
	check_str("keys before a section: [default]", "default", s[0].name);
	check_str("[default] early", "before any section", cf_ini_get(&s[0], "early"));
	check_str("section name trimmed", "primary", s[1].name);
	check_str("private", "file://testdata/server.key", cf_ini_get(&s[1], "private"));
	check_str("double quotes removed", "quoted.pem", cf_ini_get(&s[1], "certificate"));
	check_str("a section again: a later key replaces", "replaced.json",
		  cf_ini_get(&s[1], "config"));
	check_str("an unquoted value keeps its trailing spaces (Go's greedy .*)",
		  "10.0.0.0/8, 127.0.0.1/32  ", cf_ini_get(&s[1], "nets"));
	check_str("mixed quotes are removed too", "a", cf_ini_get(&s[1], "mixed"));
	check_str("an empty value", "", cf_ini_get(&s[1], "empty"));
	check(cf_ini_get(&s[1], "missing") == NULL, "a missing key: NULL");
	check_str("second section", "1", cf_ini_get(&s[2], "x"));
	cf_ini_free(s, n);

	const char *bad[] = {"[primary]\nno equals sign\n", "[a-b]\n", " # indented comment\n",
			     "[]\n", "key-with-dash = 1\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cf_error e = {0};
		CHECK(parse(bad[i], &s, &n, &e) < 0 && !strcmp(e.msg, "invalid config file"),
		      "invalid config file: %s (%s)", bad[i], e.msg);
	}
	struct cf_error e = {0};
	CHECK(cf_ini_parse("/nonexistent/roots.ini", &s, &n, &e) < 0 &&
		      !strcmp(e.msg, "open /nonexistent/roots.ini: no such file or directory"),
	      "a missing file: Go's error (%s)", e.msg);
}

static void test_nets(void)
{
	struct cf_mroot root = {0};
	struct cf_mroot_net nets[3];
	struct cf_error err = {0};
	CHECK(cf_mroot_parse_cidr("10.0.0.0/8", &nets[0], &err) == 0, "10.0.0.0/8");
	CHECK(cf_mroot_parse_cidr("192.168.1.128/25", &nets[1], &err) == 0, "192.168.1.128/25");
	CHECK(cf_mroot_parse_cidr("fd00::/8", &nets[2], &err) == 0, "fd00::/8");
	root.nets = nets;
	root.nnets = 3;
	check(cf_mroot_permitted(&root, "10.1.2.3:4000"), "10.1.2.3 in 10/8");
	check(!cf_mroot_permitted(&root, "11.1.2.3:4000"), "11.1.2.3 not in the nets");
	check(cf_mroot_permitted(&root, "192.168.1.200:1"), "192.168.1.200 in .128/25");
	check(!cf_mroot_permitted(&root, "192.168.1.127:1"), "192.168.1.127 not in .128/25");
	check(cf_mroot_permitted(&root, "[fd12::1]:443"), "fd12::1 in fd00::/8");
	check(!cf_mroot_permitted(&root, "[::1]:443"), "::1 not in the nets");
	check(cf_mroot_permitted(&root, "[::ffff:10.0.0.1]:443"),
	      "an IPv4-mapped address is its IPv4 address");
	check(!cf_mroot_permitted(&root, "garbage"), "no address: refused");

	const char *bad[] = {"10.0.0.0", "10.0.0.0/33", "10.0.0/8",    "::1/129",
			     "x/8",      "10.0.0.0/",   "10.0.0.0/-1", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cf_mroot_net net;
		struct cf_error e = {0};
		char want[128];
		snprintf(want, sizeof want, "invalid CIDR address: %s", bad[i]);
		CHECK(cf_mroot_parse_cidr(bad[i], &net, &e) < 0 && !strcmp(e.msg, want),
		      "%s refused as Go: %s", bad[i], e.msg);
	}
}

static void test_metrics(void)
{
	struct cf_mroot roots[2] = {{.label = "one"}, {.label = "two"}};
	struct cf_multiroot mr = {.roots = roots, .nroots = 2};
	struct cf_buf out = CF_BUF_INIT;
	cf_multiroot_metrics(&mr, &out);
	check(out.len == 0, "no counter yet: nothing (client_golang's vectors without children)");
	atomic_store(&mr.bad_inputs, 2);
	atomic_store(&roots[1].requests, 3);
	atomic_store(&roots[0].requests, 1);
	atomic_store(&roots[0].errored, 1);
	cf_multiroot_metrics(&mr, &out);
	cf_buf_addc(&out, 0);
	check_str("the families in name order",
		  "# HELP bad_inputs_total How many times the input was malformed or not allowed.\n"
		  "# TYPE bad_inputs_total counter\n"
		  "bad_inputs_total{operation=\"sign\"} 2\n"
		  "# HELP requests_errored_total How many requests for each operation type "
		  "resulted in an error.\n"
		  "# TYPE requests_errored_total counter\n"
		  "requests_errored_total{operation=\"sign\",signer=\"one\"} 1\n"
		  "# HELP requests_total How many requests for each operation type and signer were "
		  "succesfully processed.\n"
		  "# TYPE requests_total counter\n"
		  "requests_total{operation=\"sign\",signer=\"one\"} 1\n"
		  "requests_total{operation=\"sign\",signer=\"two\"} 3\n",
		  (const char *)out.data);
	cf_buf_release(&out);
}

int main(void)
{
	test_ini();
	test_nets();
	test_metrics();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
