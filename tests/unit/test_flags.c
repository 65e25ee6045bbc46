/* Go flag.FlagSet.Parse semantics (§2.1), the cfssl flag table (§3.2) and
 * the per-command usage texts (§2.2, Appendix A). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "duration.h"
#include "flags.h"

static int passed, failed;

static void fail(const char *what, const char *ctx, const char *got, const char *want)
{
	failed++;
	printf("FAIL %s [%s]:\n  got  [%s]\n  want [%s]\n", what, ctx, got, want);
}

static void check_str(const char *what, const char *ctx, const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		passed++;
	else
		fail(what, ctx, got, want);
}

#define MAX_ARGS 8

/* One parse case: the expectation @want is the rendering of each listed
 * flag's value (string verbatim, bool true/false, int decimal, duration in
 * Go's String form). */
struct flag_check {
	int flag;
	const char *want;
};

struct parse_case {
	const char *args[MAX_ARGS]; /* NULL-terminated */
	enum cf_flags_result rc;
	const char *err;  /* for CF_FLAGS_ERROR */
	int npos;         /* for CF_FLAGS_OK */
	const char *pos0; /* first positional, for CF_FLAGS_OK with npos > 0 */
	struct flag_check checks[3];
};

#define OK   CF_FLAGS_OK
#define ERR  CF_FLAGS_ERROR
#define HELP CF_FLAGS_HELP
#define END                   \
	{                     \
		F_COUNT, NULL \
	}

static const struct parse_case cases[] = {
	/* one or two dashes, both value forms */
	{{"-ca", "x", "f.json"}, OK, NULL, 1, "f.json", {{F_CA, "x"}, END}},
	{{"--ca", "x"}, OK, NULL, 0, NULL, {{F_CA, "x"}, END}},
	{{"--ca=x"}, OK, NULL, 0, NULL, {{F_CA, "x"}, END}},
	{{"-ca=a=b"}, OK, NULL, 0, NULL, {{F_CA, "a=b"}, END}},
	{{"-ca="}, OK, NULL, 0, NULL, {{F_CA, ""}, END}},
	{{"-cn", "-ca"}, OK, NULL, 0, NULL, {{F_CN, "-ca"}, {F_CA, ""}, END}},
	{{"-ca", ""}, OK, NULL, 0, NULL, {{F_CA, ""}, END}},
	/* three dashes and other bad syntax */
	{{"---initca"}, ERR, "bad flag syntax: ---initca", 0, NULL, {END}},
	{{"-=x"}, ERR, "bad flag syntax: -=x", 0, NULL, {END}},
	{{"--=x"}, ERR, "bad flag syntax: --=x", 0, NULL, {END}},
	/* booleans */
	{{"-initca"}, OK, NULL, 0, NULL, {{F_INITCA, "true"}, END}},
	{{"-initca", "false"}, OK, NULL, 1, "false", {{F_INITCA, "true"}, END}},
	{{"-initca=false", "-initca"}, OK, NULL, 0, NULL, {{F_INITCA, "true"}, END}},
	{{"-initca", "-initca=0"}, OK, NULL, 0, NULL, {{F_INITCA, "false"}, END}},
	{{"--initca=T", "x"}, OK, NULL, 1, "x", {{F_INITCA, "true"}, END}},
	{{"-initca=yes"},
	 ERR,
	 "invalid boolean value \"yes\" for -initca: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-initca="}, ERR, "invalid boolean value \"\" for -initca: parse error", 0, NULL, {END}},
	{{"-list=tRUE"},
	 ERR,
	 "invalid boolean value \"tRUE\" for -list: parse error",
	 0,
	 NULL,
	 {END}},
	/* last occurrence wins */
	{{"-cn", "a", "-cn", "b"}, OK, NULL, 0, NULL, {{F_CN, "b"}, END}},
	/* parsing stops at the first positional, at "-", after "--" */
	{{"ca-csr.json", "-initca"}, OK, NULL, 2, "ca-csr.json", {{F_INITCA, "false"}, END}},
	{{"-initca", "-", "-cn", "x"}, OK, NULL, 3, "-", {{F_INITCA, "true"}, {F_CN, ""}, END}},
	{{"--", "-initca"}, OK, NULL, 1, "-initca", {{F_INITCA, "false"}, END}},
	{{"-cn", "a", "--"}, OK, NULL, 0, NULL, {{F_CN, "a"}, END}},
	{{"-cn", "a", "--", "--"}, OK, NULL, 1, "--", {{F_CN, "a"}, END}},
	/* unknown flags, names printed without their dashes and value */
	{{"-foo"}, ERR, "flag provided but not defined: -foo", 0, NULL, {END}},
	{{"--foo"}, ERR, "flag provided but not defined: -foo", 0, NULL, {END}},
	{{"--foo=bar"}, ERR, "flag provided but not defined: -foo", 0, NULL, {END}},
	{{"-ca", "x", "-CA", "y"}, ERR, "flag provided but not defined: -CA", 0, NULL, {END}},
	{{"-loglevel=1", "-x=", "-y"}, ERR, "flag provided but not defined: -x", 0, NULL, {END}},
	/* missing argument */
	{{"-ca"}, ERR, "flag needs an argument: -ca", 0, NULL, {END}},
	{{"--port"}, ERR, "flag needs an argument: -port", 0, NULL, {END}},
	{{"-interval"}, ERR, "flag needs an argument: -interval", 0, NULL, {END}},
	/* help */
	{{"-h"}, HELP, NULL, 0, NULL, {END}},
	{{"-help"}, HELP, NULL, 0, NULL, {END}},
	{{"--help"}, HELP, NULL, 0, NULL, {END}},
	{{"--h"}, HELP, NULL, 0, NULL, {END}},
	{{"-h=1"}, HELP, NULL, 0, NULL, {END}},
	{{"-ca", "x", "-h", "-foo"}, HELP, NULL, 0, NULL, {END}},
	{{"-foo", "-h"}, ERR, "flag provided but not defined: -foo", 0, NULL, {END}},
	{{"x", "-h"}, OK, NULL, 2, "x", {END}},
	/* integers: strconv.ParseInt(s, 0, 64) */
	{{"-loglevel", "abc"},
	 ERR,
	 "invalid value \"abc\" for flag -loglevel: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-loglevel", "0"}, OK, NULL, 0, NULL, {{F_LOGLEVEL, "0"}, END}},
	{{"-loglevel=-3"}, OK, NULL, 0, NULL, {{F_LOGLEVEL, "-3"}, END}},
	{{"-loglevel=+7"}, OK, NULL, 0, NULL, {{F_LOGLEVEL, "7"}, END}},
	{{"-port", "0x10"}, OK, NULL, 0, NULL, {{F_PORT, "16"}, END}},
	{{"-port", "0X1f"}, OK, NULL, 0, NULL, {{F_PORT, "31"}, END}},
	{{"-port", "-0x10"}, OK, NULL, 0, NULL, {{F_PORT, "-16"}, END}},
	{{"-port", "017"}, OK, NULL, 0, NULL, {{F_PORT, "15"}, END}},
	{{"-port", "0o17"}, OK, NULL, 0, NULL, {{F_PORT, "15"}, END}},
	{{"-port", "0b101"}, OK, NULL, 0, NULL, {{F_PORT, "5"}, END}},
	{{"-port", "1_000"}, OK, NULL, 0, NULL, {{F_PORT, "1000"}, END}},
	{{"-port", "0x_1_0"}, OK, NULL, 0, NULL, {{F_PORT, "16"}, END}},
	{{"-port", "0_7"}, OK, NULL, 0, NULL, {{F_PORT, "7"}, END}},
	{{"-port", "9223372036854775807"},
	 OK,
	 NULL,
	 0,
	 NULL,
	 {{F_PORT, "9223372036854775807"}, END}},
	{{"-port", "-9223372036854775808"},
	 OK,
	 NULL,
	 0,
	 NULL,
	 {{F_PORT, "-9223372036854775808"}, END}},
	{{"-port", "_1"}, ERR, "invalid value \"_1\" for flag -port: parse error", 0, NULL, {END}},
	{{"-port", "1_"}, ERR, "invalid value \"1_\" for flag -port: parse error", 0, NULL, {END}},
	{{"-port", "1__0"},
	 ERR,
	 "invalid value \"1__0\" for flag -port: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-port", "08"}, ERR, "invalid value \"08\" for flag -port: parse error", 0, NULL, {END}},
	{{"-port", "0x"}, ERR, "invalid value \"0x\" for flag -port: parse error", 0, NULL, {END}},
	{{"-port", "0b2"},
	 ERR,
	 "invalid value \"0b2\" for flag -port: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-port", "1.5"},
	 ERR,
	 "invalid value \"1.5\" for flag -port: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-port", " 1"}, ERR, "invalid value \" 1\" for flag -port: parse error", 0, NULL, {END}},
	{{"-port", "+-1"},
	 ERR,
	 "invalid value \"+-1\" for flag -port: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-port", "-"}, ERR, "invalid value \"-\" for flag -port: parse error", 0, NULL, {END}},
	{{"-port="}, ERR, "invalid value \"\" for flag -port: parse error", 0, NULL, {END}},
	/* Go's flag package words strconv's ErrRange as "value out of range" */
	{{"-port", "9223372036854775808"},
	 ERR,
	 "invalid value \"9223372036854775808\" for flag -port: value out of range",
	 0,
	 NULL,
	 {END}},
	{{"-max-hosts", "-9223372036854775809"},
	 ERR,
	 "invalid value \"-9223372036854775809\" for flag -max-hosts: value out of range",
	 0,
	 NULL,
	 {END}},
	{{"-num-workers", "0x1ffffffffffffffff"},
	 ERR,
	 "invalid value \"0x1ffffffffffffffff\" for flag -num-workers: value out of range",
	 0,
	 NULL,
	 {END}},
	/* %q quoting of the rejected value */
	{{"-port", "a\"b\\"},
	 ERR,
	 "invalid value \"a\\\"b\\\\\" for flag -port: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-port", "\t\n\x01\x7f"},
	 ERR,
	 "invalid value \"\\t\\n\\x01\\x7f\" for flag -port: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-port", "\xc3\xa9\xe2\x82\xac"},
	 ERR,
	 "invalid value \"\xc3\xa9\xe2\x82\xac\" for flag -port: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-port", "\xff\xc3"},
	 ERR,
	 "invalid value \"\\xff\\xc3\" for flag -port: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-port", "\xc2\x85\xc2\xa0"},
	 ERR,
	 "invalid value \"\\u0085\\u00a0\" for flag -port: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-initca=\xe2\x80\x8b"},
	 ERR,
	 "invalid boolean value \"\\u200b\" for -initca: parse error",
	 0,
	 NULL,
	 {END}},
	/* durations */
	{{"-interval", "5"},
	 ERR,
	 "invalid value \"5\" for flag -interval: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-timeout=1d"},
	 ERR,
	 "invalid value \"1d\" for flag -timeout: parse error",
	 0,
	 NULL,
	 {END}},
	{{"-interval", "1h"}, OK, NULL, 0, NULL, {{F_INTERVAL, "1h0m0s"}, END}},
	{{"-expiry=1.5h", "-timeout", "-90s"},
	 OK,
	 NULL,
	 0,
	 NULL,
	 {{F_EXPIRY, "1h30m0s"}, {F_TIMEOUT, "-1m30s"}, END}},
	{{"-interval", "0"}, OK, NULL, 0, NULL, {{F_INTERVAL, "0s"}, END}},
	/* §2.2: every command accepts every flag */
	{{"-port", "0x10", "-db-config", "x", "-interval", "1h", "-list"},
	 OK,
	 NULL,
	 0,
	 NULL,
	 {{F_PORT, "16"}, {F_DB_CONFIG, "x"}, {F_LIST, "true"}}},
	/* defaults (§3.2) */
	{{NULL},
	 OK,
	 NULL,
	 0,
	 NULL,
	 {{F_ADDRESS, "127.0.0.1"}, {F_PORT, "8888"}, {F_LOGLEVEL, "1"}}},
	{{NULL},
	 OK,
	 NULL,
	 0,
	 NULL,
	 {{F_INTERVAL, "96h0m0s"}, {F_TIMEOUT, "5m0s"}, {F_EXPIRY, "168h0m0s"}}},
	{{NULL},
	 OK,
	 NULL,
	 0,
	 NULL,
	 {{F_FLAVOR, "ubiquitous"}, {F_STATUS, "good"}, {F_REASON, "0"}}},
	{{NULL}, OK, NULL, 0, NULL, {{F_REVOKED_AT, "now"}, {F_PATH, "/"}, {F_PASSWORD, "0"}}},
	{{NULL},
	 OK,
	 NULL,
	 0,
	 NULL,
	 {{F_NUM_WORKERS, "10"}, {F_MAX_HOSTS, "100"}, {F_INITCA, "false"}}},
	{{NULL}, OK, NULL, 0, NULL, {{F_RENEWCA, "false"}, {F_LIST, "false"}, {F_CA, ""}}},
	/* a lone "-" is a positional, also as the very first argument */
	{{"-"}, OK, NULL, 1, "-", {END}},
	{{""}, OK, NULL, 1, "", {END}},
};

static void render(const struct cf_flag_def *def, const struct cf_flag_value *v, char *out,
		   size_t n)
{
	switch (def->type) {
	case CF_FLAG_STRING: snprintf(out, n, "%s", v->str); break;
	case CF_FLAG_BOOL: snprintf(out, n, "%s", v->b ? "true" : "false"); break;
	case CF_FLAG_INT: snprintf(out, n, "%lld", v->i); break;
	case CF_FLAG_DURATION: cf_duration_format(v->dur, out, n); break;
	}
}

static void run_parse_case(const struct parse_case *c)
{
	char *argv[MAX_ARGS + 1];
	char ctx[512] = "", got[1200], want[1200];
	struct cf_flag_value vals[F_COUNT];
	struct cf_error err = {0};
	int argc = 0, npos = -1;
	char **pos = NULL;
	enum cf_flags_result rc;

	for (; argc < MAX_ARGS && c->args[argc]; argc++) {
		argv[argc] = (char *)c->args[argc];
		strncat(ctx, c->args[argc], sizeof(ctx) - strlen(ctx) - 2);
		strcat(ctx, " ");
	}
	argv[argc] = NULL;
	rc = cf_flags_parse(cfssl_flags, F_COUNT, vals, argc, argv, &npos, &pos, &err);

	snprintf(got, sizeof(got), "rc=%d err=%s", (int)rc, rc == ERR ? err.msg : "");
	snprintf(want, sizeof(want), "rc=%d err=%s", (int)c->rc, c->err ? c->err : "");
	if (strcmp(got, want) != 0 || (rc == ERR && (!err.set || err.code != 0))) {
		fail("parse", ctx, got, want);
		return;
	}
	if (rc != OK) {
		passed++;
		return;
	}
	if (npos != c->npos || (npos > 0 && strcmp(pos[0], c->pos0) != 0) ||
	    (npos > 0 && pos != argv + (argc - npos))) {
		snprintf(got, sizeof(got), "npos=%d pos0=%s", npos, npos > 0 ? pos[0] : "");
		snprintf(want, sizeof(want), "npos=%d pos0=%s", c->npos, c->pos0 ? c->pos0 : "");
		fail("positionals", ctx, got, want);
		return;
	}
	for (int k = 0; k < 3 && c->checks[k].want; k++) {
		int f = c->checks[k].flag;

		render(&cfssl_flags[f], &vals[f], got, sizeof(got));
		if (strcmp(got, c->checks[k].want) != 0) {
			char w[300];

			snprintf(w, sizeof(w), "-%s=%s", cfssl_flags[f].name, c->checks[k].want);
			fail("value", ctx, got, w);
			return;
		}
	}
	passed++;
}

/* "set" marks flags given on the command line, defaults stay unset */
static void test_set_marks(void)
{
	char *argv[] = {"-cn", "a", "-initca", "x", NULL};
	struct cf_flag_value vals[F_COUNT];
	struct cf_error err = {0};
	int npos = 0;
	char **pos = NULL;

	cf_flags_parse(cfssl_flags, F_COUNT, vals, 4, argv, &npos, &pos, &err);
	if (vals[F_CN].set && vals[F_INITCA].set && !vals[F_CA].set && !vals[F_PORT].set &&
	    vals[F_CN].str == argv[1])
		passed++;
	else
		fail("set marks", "-cn a -initca x", "",
		     "cn, initca set; ca, port unset; str borrowed");
}

static void test_bool_values(void)
{
	static const struct {
		const char *s;
		int rc, v;
	} t[] = {
		{"1", 0, 1},    {"t", 0, 1},      {"T", 0, 1},      {"TRUE", 0, 1},
		{"true", 0, 1}, {"True", 0, 1},   {"0", 0, 0},      {"f", 0, 0},
		{"F", 0, 0},    {"FALSE", 0, 0},  {"false", 0, 0},  {"False", 0, 0},
		{"yes", -1, 0}, {"", -1, 0},      {"tRUE", -1, 0},  {"no", -1, 0},
		{"2", -1, 0},   {" true", -1, 0}, {"fALSE", -1, 0}, {"on", -1, 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int v = -7, rc = cf_parse_bool(t[i].s, &v);

		if (rc == t[i].rc && (rc < 0 || v == t[i].v))
			passed++;
		else
			fail("cf_parse_bool", t[i].s, rc ? "error" : (v ? "true" : "false"),
			     t[i].rc ? "error" : (t[i].v ? "true" : "false"));
	}
}

static void test_parse_int(void)
{
	static const struct {
		const char *s;
		int rc;
		long long v;
	} t[] = {
		{"0", 0, 0},    {"-0", 0, 0},   {"10", 0, 10},    {"0x10", 0, 16},
		{"0o10", 0, 8}, {"010", 0, 8},  {"0b11", 0, 3},   {"1_0", 0, 10},
		{"0b", -1, 0},  {"0o", -1, 0},  {"0_x10", -1, 0}, {"", -1, 0},
		{"+", -1, 0},   {"abc", -1, 0}, {"0x1g", -1, 0},  {"99999999999999999999", -1, 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		long long v = -7;
		int rc = cf_parse_int(t[i].s, &v);
		char g[64], w[64];

		snprintf(g, sizeof(g), "rc=%d v=%lld", rc, rc ? 0 : v);
		snprintf(w, sizeof(w), "rc=%d v=%lld", t[i].rc, t[i].v);
		check_str("cf_parse_int", t[i].s, g, w);
	}
}

static void test_usage_line(void)
{
	static const struct cf_flag_def d1 = {"ca", CF_FLAG_STRING, "", "CA used"};
	static const struct cf_flag_def d2 = {"port", CF_FLAG_INT, "8888", "Port to bind"};
	static const struct cf_flag_def d3 = {"x", CF_FLAG_STRING, NULL, "h"};
	struct cf_buf b = CF_BUF_INIT;

	cf_flags_usage_line(&b, &d1);
	cf_flags_usage_line(&b, &d2);
	cf_flags_usage_line(&b, &d3);
	check_str("usage line", "ca/port/x", (const char *)b.data,
		  "  -ca=\"\": CA used\n  -port=8888: Port to bind\n  -x=\"\": h\n");
	cf_buf_release(&b);
}

static void test_flag_table(void)
{
	/* §3.2: 58 flags, unique names, the enum order is the registration order */
	static const char *const names[F_COUNT] = {
		"hostname",
		"cert",
		"csr",
		"ca",
		"ca-key",
		"tls-cert",
		"tls-key",
		"mutual-tls-ca",
		"mutual-tls-cn",
		"tls-remote-ca",
		"mutual-tls-client-cert",
		"mutual-tls-client-key",
		"key",
		"intermediates",
		"ca-bundle",
		"int-bundle",
		"address",
		"port",
		"min-tls-version",
		"config",
		"profile",
		"initca",
		"renewca",
		"int-dir",
		"flavor",
		"metadata",
		"domain",
		"ip",
		"remote",
		"label",
		"authkey",
		"responder",
		"responder-key",
		"status",
		"reason",
		"revoked-at",
		"interval",
		"list",
		"family",
		"scanner",
		"timeout",
		"csv",
		"num-workers",
		"max-hosts",
		"responses",
		"path",
		"crl",
		"password",
		"usage",
		"pgp-private",
		"pgp-name",
		"serial",
		"cn",
		"aki",
		"db-config",
		"expiry",
		"loglevel",
		"disable",
	};

	for (int i = 0; i < F_COUNT; i++) {
		char idx[16];

		snprintf(idx, sizeof(idx), "%d", i);
		check_str("flag table name", idx,
			  cfssl_flags[i].name ? cfssl_flags[i].name : "(null)", names[i]);
		if (cf_flags_find(cfssl_flags, F_COUNT, names[i]) != i)
			fail("cf_flags_find", names[i], "other index", idx);
		if (!cfssl_flags[i].help || !cfssl_flags[i].help[0] || !cfssl_flags[i].def)
			fail("flag table help/default", names[i], "missing", "present");
	}
	if (cf_flags_find(cfssl_flags, F_COUNT, "mutual-tls-cert") == -1 &&
	    cf_flags_find(cfssl_flags, F_COUNT, "h") == -1 &&
	    cf_flags_find(cfssl_flags, F_COUNT, "help") == -1)
		passed++;
	else
		fail("cf_flags_find", "undefined names", "found", "-1");
	/* §3.2 remarks on two help texts no usage text shows verbatim */
	check_str("pgp-name help", "pgp-name", cfssl_flags[F_PGP_NAME].help,
		  "PGP public key name, can be a comma-separated  key name list");
	check_str("mutual-tls-ca help", "mutual-tls-ca", cfssl_flags[F_MUTUAL_TLS_CA].help,
		  "Mutual TLS - require clients be signed by this CA ");
	if (cfssl_flags[F_PORT].type == CF_FLAG_INT &&
	    cfssl_flags[F_LOGLEVEL].type == CF_FLAG_INT &&
	    cfssl_flags[F_NUM_WORKERS].type == CF_FLAG_INT &&
	    cfssl_flags[F_MAX_HOSTS].type == CF_FLAG_INT &&
	    cfssl_flags[F_INTERVAL].type == CF_FLAG_DURATION &&
	    cfssl_flags[F_TIMEOUT].type == CF_FLAG_DURATION &&
	    cfssl_flags[F_EXPIRY].type == CF_FLAG_DURATION &&
	    cfssl_flags[F_INITCA].type == CF_FLAG_BOOL &&
	    cfssl_flags[F_RENEWCA].type == CF_FLAG_BOOL &&
	    cfssl_flags[F_LIST].type == CF_FLAG_BOOL &&
	    cfssl_flags[F_REASON].type == CF_FLAG_STRING &&
	    cfssl_flags[F_PASSWORD].type == CF_FLAG_STRING)
		passed++;
	else
		fail("flag types", "§3.2", "mismatch", "int/duration/bool/string as in §3.2");
}

/* Appendix A, verbatim (TABs as \t). */
static const struct {
	const char *cmd;
	const char *text;
} appendix_a[] = {
	{"bundle",
	 "\tcfssl bundle -- create a certificate bundle that contains the client cert\n"
	 "\n"
	 "Usage of bundle:\n"
	 "\t- Bundle local certificate files\n"
	 "        cfssl bundle -cert file [-ca-bundle file] [-int-bundle file] [-int-dir "
	 "dir] [-metadata file] [-key keyfile] [-flavor optimal|ubiquitous|force] "
	 "[-password password]\n"
	 "\t- Bundle certificate from remote server.\n"
	 "        cfssl bundle -domain domain_name [-ip ip_address] [-ca-bundle file] "
	 "[-int-bundle file] [-int-dir dir] [-metadata file]\n"
	 "\n"
	 "Flags:\n"
	 "  -cert=\"\": Client certificate that contains the public key\n"
	 "  -key=\"\": private key for the certificate\n"
	 "  -ca-bundle=\"\": path to root certificate store\n"
	 "  -int-bundle=\"\": path to intermediate certificate store\n"
	 "  -flavor=ubiquitous: Bundle Flavor: ubiquitous, optimal and force.\n"
	 "  -int-dir=\"\": specify intermediates directory\n"
	 "  -metadata=\"\": Metadata file for root certificate presence. The content of the "
	 "file is a json dictionary (k,v): each key k is SHA-1 digest of a root "
	 "certificate while value v is a list of key store filenames.\n"
	 "  -domain=\"\": remote server domain name\n"
	 "  -ip=\"\": remote server ip\n"
	 "  -password=0: Password for accessing PKCS #12 data passed to bundler\n"
	 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"certinfo", "\tcfssl certinfo -- output certinfo about the given cert\n"
		     "\n"
		     "Usage of certinfo:\n"
		     "\t- Data from local certificate files\n"
		     "        cfssl certinfo -cert file\n"
		     "\t- Data from local CSR file\n"
		     "        cfssl certinfo -csr file\n"
		     "\t- Data from certificate from remote server.\n"
		     "        cfssl certinfo -domain domain_name\n"
		     "\t- Data from CA storage\n"
		     "        cfssl certinfo -sn serial (requires -db-config and -aki)\n"
		     "\n"
		     "Flags:\n"
		     "  -aki=\"\": certificate issuer (authority) key identifier\n"
		     "  -cert=\"\": Client certificate that contains the public key\n"
		     "  -csr=\"\": Certificate signature request file for new public key\n"
		     "  -db-config=\"\": certificate db configuration file\n"
		     "  -domain=\"\": remote server domain name\n"
		     "  -serial=\"\": certificate serial number\n"
		     "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"crl", "\tcfssl crl -- generate a new Certificate Revocation List from Database\n"
		"\n"
		"Usage of crl:\n"
		"        cfssl crl\n"
		"\n"
		"Flags:\n"
		"  -db-config=\"\": certificate db configuration file\n"
		"  -ca=\"\": CA used to sign the new certificate -- accepts '[file:]fname' or "
		"'env:varname'\n"
		"  -ca-key=\"\": CA private key -- accepts '[file:]fname' or 'env:varname'\n"
		"  -expiry=168h0m0s: time from now after which the CRL will expire (default: one "
		"week)\n"
		"  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"gencert",
	 "\tcfssl gencert -- generate a new key and signed certificate\n"
	 "\n"
	 "Usage of gencert:\n"
	 "    Generate a new key and cert from CSR:\n"
	 "        cfssl gencert -initca CSRJSON\n"
	 "        cfssl gencert -ca cert -ca-key key [-config config] [-profile profile] "
	 "[-hostname hostname] CSRJSON\n"
	 "        cfssl gencert -remote remote_host [-config config] [-profile profile] "
	 "[-label label] [-hostname hostname] CSRJSON\n"
	 "\n"
	 "    Re-generate a CA cert with the CA key and CSR:\n"
	 "        cfssl gencert -initca -ca-key key CSRJSON\n"
	 "\n"
	 "    Re-generate a CA cert with the CA key and certificate:\n"
	 "        cfssl gencert -renewca -ca cert -ca-key key\n"
	 "\n"
	 "Arguments:\n"
	 "        CSRJSON:    JSON file containing the request, use '-' for reading JSON "
	 "from stdin\n"
	 "\n"
	 "Flags:\n"
	 "  -initca=false: initialise new CA\n"
	 "  -remote=\"\": remote CFSSL server\n"
	 "  -ca=\"\": CA used to sign the new certificate -- accepts '[file:]fname' or "
	 "'env:varname'\n"
	 "  -ca-key=\"\": CA private key -- accepts '[file:]fname' or 'env:varname'\n"
	 "  -config=\"\": path to configuration file\n"
	 "  -cn=\"\": certificate common name (CN)\n"
	 "  -hostname=\"\": Hostname for the cert, could be a comma-separated hostname list\n"
	 "  -profile=\"\": signing profile to use\n"
	 "  -label=\"\": key label to use in remote CFSSL server\n"
	 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"gencrl",
	 "\tcfssl gencrl -- generate a new Certificate Revocation List\n"
	 "\n"
	 "Usage of gencrl:\n"
	 "        cfssl gencrl INPUTFILE CERT KEY TIME\n"
	 "\n"
	 "Arguments:\n"
	 "        INPUTFILE:               Text file with one serial number per line, use "
	 "'-' for reading text from stdin\n"
	 "        CERT:                    The certificate that is signing this CRL, use "
	 "'-' for reading text from stdin\n"
	 "        KEY:                     The private key of the certificate that is "
	 "signing the CRL, use '-' for reading text from stdin\n"
	 "        TIME (OPTIONAL):         The desired expiration from now, in seconds\n"
	 "\n"
	 "Flags:\n"
	 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"gencsr", "\tcfssl gencsr -- generate a csr from a private key with existing CSR json "
		   "specification or certificate\n"
		   "\n"
		   "Usage of gencsr:\n"
		   "        cfssl gencsr -key private_key_file [-host hostname_override] CSRJSON\n"
		   "        cfssl gencsr -key private_key_file [-host hostname_override] -cert "
		   "certificate_file\n"
		   "\n"
		   "Arguments:\n"
		   "        CSRJSON:    JSON file containing the request, use '-' for reading JSON "
		   "from stdin\n"
		   "\n"
		   "Flags:\n"
		   "  -key=\"\": private key for the certificate\n"
		   "  -cert=\"\": Client certificate that contains the public key\n"
		   "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"genkey", "\tcfssl genkey -- generate a new key and CSR\n"
		   "\n"
		   "Usage of genkey:\n"
		   "        cfssl genkey CSRJSON\n"
		   "\n"
		   "Arguments:\n"
		   "        CSRJSON:    JSON file containing the request, use '-' for reading JSON "
		   "from stdin\n"
		   "\n"
		   "Flags:\n"
		   "  -initca=false: initialise new CA\n"
		   "  -config=\"\": path to configuration file\n"
		   "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"info", "\tcfssl info -- get info about a remote signer\n"
		 "\n"
		 "Usage:\n"
		 "\n"
		 "Get info about a remote signer:\n"
		 "cfssl info -remote remote_host [-label label] [-profile profile] [-label label] "
		 "\n"
		 "\n"
		 "Flags:\n"
		 "  -remote=\"\": remote CFSSL server\n"
		 "  -label=\"\": key label to use in remote CFSSL server\n"
		 "  -profile=\"\": signing profile to use\n"
		 "  -config=\"\": path to configuration file\n"
		 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"ocspdump", "\tcfssl ocspdump -- generates a series of concatenated OCSP responses\n"
		     "for use with ocspserve from all OCSP responses in the cert db\n"
		     "\n"
		     "Usage of ocspdump:\n"
		     "        cfssl ocspdump -db-config db-config\n"
		     "\n"
		     "Flags:\n"
		     "  -db-config=\"\": certificate db configuration file\n"
		     "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"ocsprefresh",
	 "\tcfssl ocsprefresh -- refreshes the ocsp_responses table\n"
	 "with new OCSP responses for all known unexpired certificates\n"
	 "\n"
	 "Usage of ocsprefresh:\n"
	 "        cfssl ocsprefresh -db-config db-config -ca cert -responder cert "
	 "-responder-key key [-interval 96h]\n"
	 "\n"
	 "Flags:\n"
	 "  -ca=\"\": CA used to sign the new certificate -- accepts '[file:]fname' or "
	 "'env:varname'\n"
	 "  -responder=\"\": Certificate for OCSP responder\n"
	 "  -responder-key=\"\": private key for OCSP responder certificate\n"
	 "  -db-config=\"\": certificate db configuration file\n"
	 "  -interval=96h0m0s: Interval between OCSP updates (default: 96h)\n"
	 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"ocspserve", "\tcfssl ocspserve -- set up an HTTP server that handles OCSP requests from "
		      "either a file or directly from a database (see RFC 5019)\n"
		      "\n"
		      "  Usage of ocspserve:\n"
		      "          cfssl ocspserve [-address address] [-port port] [-responses file] "
		      "[-db-config db-config]\n"
		      "\n"
		      "  Flags:\n"
		      "    -address=127.0.0.1: Address to bind\n"
		      "  -port=8888: Port to bind\n"
		      "  -responses=\"\": file to load OCSP responses from\n"
		      "  -db-config=\"\": certificate db configuration file\n"
		      "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"ocspsign",
	 "\tcfssl ocspsign -- signs an OCSP response for a given CA, cert, and status.\n"
	 "Returns a base64-encoded OCSP response.\n"
	 "\n"
	 "Usage of ocspsign:\n"
	 "        cfssl ocspsign -ca cert -responder cert -responder-key key -cert cert "
	 "[-status status] [-reason code] [-revoked-at YYYY-MM-DD] [-interval 96h]\n"
	 "\n"
	 "Flags:\n"
	 "  -ca=\"\": CA used to sign the new certificate -- accepts '[file:]fname' or "
	 "'env:varname'\n"
	 "  -responder=\"\": Certificate for OCSP responder\n"
	 "  -responder-key=\"\": private key for OCSP responder certificate\n"
	 "  -reason=0: Reason code for revocation\n"
	 "  -status=good: Status of the certificate: good, revoked, unknown\n"
	 "  -revoked-at=now: Date of revocation (YYYY-MM-DD)\n"
	 "  -interval=96h0m0s: Interval between OCSP updates (default: 96h)\n"
	 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"print-defaults",
	 "\tcfssl print-defaults -- print default configurations that can be used as a "
	 "template\n"
	 "\n"
	 "Usage of print-defaults:\n"
	 "        cfssl print-defaults TYPE\n"
	 "\n"
	 "If \"list\" is used as the TYPE, the list of supported types will be printed.\n"
	 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"revoke", "\tcfssl revoke -- revoke a certificate in the certificate store\n"
		   "\n"
		   "Usage:\n"
		   "\n"
		   "Revoke a certificate:\n"
		   "\t   cfssl revoke -db-config config_file -serial serial -aki authority_key_id "
		   "[-reason reason]\n"
		   "\n"
		   "Reason can be an integer code or a string in ReasonFlags in RFC 5280\n"
		   "\n"
		   "Flags:\n"
		   "  -serial=\"\": certificate serial number\n"
		   "  -reason=0: Reason code for revocation\n"
		   "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"scan", "\tcfssl scan -- scan a host for issues\n"
		 "Usage of scan:\n"
		 "        cfssl scan [-family regexp] [-scanner regexp] [-timeout duration] [-ip "
		 "IPAddr] [-num-workers num] [-max-hosts num] [-csv hosts.csv] HOST+\n"
		 "        cfssl scan -list\n"
		 "\n"
		 "Arguments:\n"
		 "        HOST:    Host(s) to scan (including port)\n"
		 "Flags:\n"
		 "  -list=false: list possible scanners\n"
		 "  -family=\"\": scanner family regular expression\n"
		 "  -scanner=\"\": scanner regular expression\n"
		 "  -timeout=5m0s: duration (ns, us, ms, s, m, h) to scan each host before timing "
		 "out\n"
		 "  -ip=\"\": remote server ip\n"
		 "  -ca-bundle=\"\": path to root certificate store\n"
		 "  -num-workers=10: number of workers to use for scan\n"
		 "  -csv=\"\": file containing CSV of hosts\n"
		 "  -max-hosts=100: maximum number of hosts to scan\n"
		 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"selfsign",
	 "\tcfssl selfsign -- generate a new self-signed key and signed certificate\n"
	 "\n"
	 "Usage of gencert:\n"
	 "        cfssl selfsign HOSTNAME CSRJSON\n"
	 "\n"
	 "WARNING: this should ONLY be used for testing. This should never be\n"
	 "used in production.\n"
	 "\n"
	 "WARNING: self-signed certificates are insecure; they do not provide\n"
	 "the authentication required for secure systems. Use these at your own\n"
	 "risk.\n"
	 "\n"
	 "Arguments:\n"
	 "        HOSTNAME:   Hostname for the cert\n"
	 "        CSRJSON:    JSON file containing the request, use '-' for reading JSON "
	 "from stdin\n"
	 "\n"
	 "Flags:\n"
	 "  -config=\"\": path to configuration file\n"
	 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"serve",
	 "\tcfssl serve -- set up a HTTP server handles CF SSL requests\n"
	 "\n"
	 "Usage of serve:\n"
	 "        cfssl serve [-address address] [-min-tls-version version] [-ca cert] "
	 "[-ca-bundle bundle] \\\n"
	 "                    [-ca-key key] [-int-bundle bundle] [-int-dir dir] [-port "
	 "port] \\\n"
	 "                    [-metadata file] [-remote remote_host] [-config config] \\\n"
	 "                    [-responder cert] [-responder-key key] \\\n"
	 "                    [-tls-cert cert] [-tls-key key] [-mutual-tls-ca ca] "
	 "[-mutual-tls-cn regex] \\\n"
	 "                    [-tls-remote-ca ca] [-mutual-tls-client-cert cert] "
	 "[-mutual-tls-client-key key] \\\n"
	 "                    [-db-config db-config] [-disable endpoint[,endpoint]]\n"
	 "\n"
	 "Flags:\n"
	 "  -address=127.0.0.1: Address to bind\n"
	 "  -port=8888: Port to bind\n"
	 "  -min-tls-version=\"\": Minimum version of TLS to use, defaults to 1.0\n"
	 "  -ca=\"\": CA used to sign the new certificate -- accepts '[file:]fname' or "
	 "'env:varname'\n"
	 "  -ca-key=\"\": CA private key -- accepts '[file:]fname' or 'env:varname'\n"
	 "  -ca-bundle=\"\": path to root certificate store\n"
	 "  -int-bundle=\"\": path to intermediate certificate store\n"
	 "  -int-dir=\"\": specify intermediates directory\n"
	 "  -metadata=\"\": Metadata file for root certificate presence. The content of the "
	 "file is a json dictionary (k,v): each key k is SHA-1 digest of a root "
	 "certificate while value v is a list of key store filenames.\n"
	 "  -remote=\"\": remote CFSSL server\n"
	 "  -config=\"\": path to configuration file\n"
	 "  -responder=\"\": Certificate for OCSP responder\n"
	 "  -responder-key=\"\": private key for OCSP responder certificate\n"
	 "  -tls-key=\"\": Other endpoint CA private key\n"
	 "  -tls-cert=\"\": Other endpoint CA to set up TLS protocol\n"
	 "  -mutual-tls-ca=\"\": Mutual TLS - require clients be signed by this CA \n"
	 "  -mutual-tls-cn=\"\": Mutual TLS - regex for whitelist of allowed client CNs\n"
	 "  -tls-remote-ca=\"\": CAs to trust for remote TLS requests\n"
	 "  -mutual-tls-client-cert=\"\": Mutual TLS - client certificate to call remote "
	 "instance requiring client certs\n"
	 "  -mutual-tls-client-key=\"\": Mutual TLS - client key to call remote instance "
	 "requiring client certs\n"
	 "  -db-config=\"\": certificate db configuration file\n"
	 "  -disable=\"\": endpoints to disable\n"
	 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"sign",
	 "\tcfssl sign -- signs a client cert with a host name by a given CA and CA key\n"
	 "\n"
	 "Usage of sign:\n"
	 "        cfssl sign -ca cert -ca-key key [mutual-tls-cert cert] [mutual-tls-key "
	 "key] [-config config] [-profile profile] [-hostname hostname] [-db-config "
	 "db-config] CSR [SUBJECT]\n"
	 "        cfssl sign -remote remote_host [mutual-tls-cert cert] [mutual-tls-key "
	 "key] [-config config] [-profile profile] [-label label] [-hostname hostname] "
	 "CSR [SUBJECT]\n"
	 "\n"
	 "Arguments:\n"
	 "        CSR:        PEM file for certificate request, use '-' for reading PEM "
	 "from stdin.\n"
	 "\n"
	 "Note: CSR can also be supplied via flag values; flag value will take precedence "
	 "over the argument.\n"
	 "\n"
	 "SUBJECT is an optional file containing subject information to use for the "
	 "certificate instead of the subject information in the CSR.\n"
	 "\n"
	 "Flags:\n"
	 "  -hostname=\"\": Hostname for the cert, could be a comma-separated hostname list\n"
	 "  -csr=\"\": Certificate signature request file for new public key\n"
	 "  -ca=\"\": CA used to sign the new certificate -- accepts '[file:]fname' or "
	 "'env:varname'\n"
	 "  -ca-key=\"\": CA private key -- accepts '[file:]fname' or 'env:varname'\n"
	 "  -config=\"\": path to configuration file\n"
	 "  -profile=\"\": signing profile to use\n"
	 "  -label=\"\": key label to use in remote CFSSL server\n"
	 "  -remote=\"\": remote CFSSL server\n"
	 "  -db-config=\"\": certificate db configuration file\n"
	 "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
	{"version", "\tcfssl version -- print out the version of CF SSL\n"
		    "\n"
		    "Usage of version:\n"
		    "\tcfssl version\n"
		    "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)\n"},
};

static void test_usage_texts(void)
{
	struct cf_buf b = CF_BUF_INIT;

	for (size_t i = 0; i < sizeof(appendix_a) / sizeof(appendix_a[0]); i++) {
		b.len = 0;
		if (cfssl_usage(&b, appendix_a[i].cmd) != 0) {
			fail("cfssl_usage", appendix_a[i].cmd, "-1", "0");
			continue;
		}
		check_str("usage text", appendix_a[i].cmd, (const char *)b.data,
			  appendix_a[i].text);
	}
	b.len = 0;
	if (cfssl_usage(&b, "foo") == -1 && b.len == 0 && cfssl_usage(&b, "") == -1 &&
	    cfssl_usage(&b, "Version") == -1)
		passed++;
	else
		fail("cfssl_usage", "unknown command", "accepted", "-1");
	cf_buf_release(&b);
}

static void test_top_usage(void)
{
	/* A.0, in the order that capture happened to print */
	static const char *const cmds[] = {
		"crl",      "ocspdump", "ocsprefresh", "selfsign",       "bundle",
		"certinfo", "sign",     "ocspsign",    "ocspserve",      "serve",
		"version",  "genkey",   "gencsr",      "print-defaults", "revoke",
		"gencert",  "gencrl",   "scan",        "info",
	};
	struct cf_buf b = CF_BUF_INIT;

	cfssl_top_usage(&b, cmds, 19);
	check_str("top usage", "A.0", (const char *)b.data,
		  "Usage:\nAvailable commands:\n\tcrl\n\tocspdump\n\tocsprefresh\n\tselfsign\n"
		  "\tbundle\n\tcertinfo\n\tsign\n\tocspsign\n\tocspserve\n\tserve\n\tversion\n"
		  "\tgenkey\n\tgencsr\n\tprint-defaults\n\trevoke\n\tgencert\n\tgencrl\n\tscan\n"
		  "\tinfo\nTop-level flags:\n");
	cf_buf_release(&b);
	cfssl_top_usage(&b, cmds, 0);
	check_str("top usage", "no commands", (const char *)b.data,
		  "Usage:\nAvailable commands:\nTop-level flags:\n");
	cf_buf_release(&b);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_parse_case(&cases[i]);
	test_set_marks();
	test_bool_values();
	test_parse_int();
	test_usage_line();
	test_flag_table();
	test_usage_texts();
	test_top_usage();

	printf("test_flags: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
