/* Unit tests for common/policy/config.c: signing configuration loading (spec §7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

#define H (3600LL * 1000000000)

static char dir[64];
static int passed, failed;
static FILE *logf;

static void fail(const char *name, const char *fmt, const char *a, const char *b)
{
	printf("FAIL %s: ", name);
	printf(fmt, a, b);
	printf("\n");
	failed++;
}

static void check(const char *name, int ok, const char *what)
{
	if (ok) {
		passed++;
		return;
	}
	printf("FAIL %s: %s\n", name, what);
	failed++;
}

static const char *write_cfg(const char *text)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/cfg.json", dir);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

/* Loads @text and returns the config (NULL on failure, with *err). */
static struct cf_config *load(const char *text, struct cf_error *err)
{
	struct cf_config *c = NULL;
	cf_error_clear(err);
	cf_config_load(write_cfg(text), &c, err);
	return c;
}

static void log_reset(void)
{
	fflush(logf);
	if (ftruncate(fileno(logf), 0) != 0)
		perror("ftruncate");
	rewind(logf);
}

static char *log_text(void)
{
	static char buf[4096];
	fflush(logf);
	rewind(logf);
	size_t n = fread(buf, 1, sizeof buf - 1, logf);
	buf[n] = 0;
	fseek(logf, 0, SEEK_END);
	return buf;
}

/* ---- error cases ---- */

struct err_case {
	const char *name;
	const char *json;
	int code;
	const char *msg;
};

static const struct err_case err_cases[] = {
	{"empty file", "", 5200, "failed to unmarshal configuration: unexpected end of JSON input"},
	{"trailing comma", "{\"signing\":{},}", 5200,
	 "failed to unmarshal configuration: invalid character '}' looking for beginning of object "
	 "key string"},
	{"syntax wins over type", "{\"signing\":5", 5200,
	 "failed to unmarshal configuration: unexpected end of JSON input"},
	{"null document (deviation 9)", "null", 0, "No \"signing\" field present"},
	{"empty object", "{}", 0, "No \"signing\" field present"},
	{"signing null", "{\"signing\":null}", 0, "No \"signing\" field present"},
	{"signing then SIGNING null",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\"}},\"SIGNING\":null}", 0,
	 "No \"signing\" field present"},
	{"top-level array", "[1]", 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal array into Go value of type "
	 "config.Config"},
	{"top-level string", "\"x\"", 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal string into Go value of type "
	 "config.Config"},
	{"signing number", "{\"signing\":5}", 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
	 "Config.signing of type config.Signing"},
	{"default without expiry", "{\"signing\":{\"default\":{}}}", 5200, "empty expiry string"},
	{"default empty expiry", "{\"signing\":{\"default\":{\"expiry\":\"\"}}}", 5200,
	 "empty expiry string"},
	{"profile without expiry",
	 "{\"signing\":{\"profiles\":{\"p\":{\"usages\":[\"signing\"]}}}}", 5200,
	 "empty expiry string"},
	{"bad expiry unit", "{\"signing\":{\"default\":{\"expiry\":\"1y\"}}}", 5200,
	 "time: unknown unit \"y\" in duration \"1y\""},
	{"bad backdate", "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"backdate\":\"5\"}}}", 5200,
	 "time: missing unit in duration \"5\""},
	{"default zero expiry", "{\"signing\":{\"default\":{\"expiry\":\"0s\"}}}", 5200,
	 "invalid configuration"},
	{"profile without usages",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\"},\"profiles\":{\"p\":{\"expiry\":\"1h\"}}}}",
	 5200, "invalid configuration"},
	{"profile with only unknown usages",
	 "{\"signing\":{\"profiles\":{\"p\":{\"expiry\":\"1h\",\"usages\":[\"Signing\",\"content "
	 "committment\"]}}}}",
	 5200, "invalid configuration"},
	{"nil profile", "{\"signing\":{\"profiles\":{\"p\":null}}}", 5200,
	 "can't parse nil profile"},
	{"Expiry quirk (default)", "{\"signing\":{\"default\":{\"Expiry\":\"1h\"}}}", 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field "
	 "SigningProfile.signing.default.Expiry of type time.Duration"},
	{"Expiry quirk (profile)",
	 "{\"signing\":{\"profiles\":{\"kubernetes\":{\"usages\":[\"signing\"],\"Expiry\":"
	 "\"8760h\"}}}}",
	 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field "
	 "SigningProfile.signing.profiles.Expiry of type time.Duration"},
	{"expiry number", "{\"signing\":{\"default\":{\"expiry\":8760}}}", 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
	 "SigningProfile.signing.default.expiry of type string"},
	{"type error named by field, not spelling", "{\"signing\":{\"default\":{\"EXPIRY\":true}}}",
	 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal bool into Go struct field "
	 "SigningProfile.signing.default.expiry of type string"},
	{"usages string", "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"usages\":\"signing\"}}}",
	 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field "
	 "SigningProfile.signing.default.usages of type []string"},
	{"usages element number", "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"usages\":[1]}}}",
	 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
	 "SigningProfile.signing.default.usages of type string"},
	{"is_ca string",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"ca_constraint\":{\"is_ca\":\"yes\"}}}}",
	 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field "
	 "CAConstraint.signing.default.ca_constraint.is_ca of type bool"},
	{"max_path_len string",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"ca_constraint\":{\"max_path_len\":\"1\"}}}"
	 "}",
	 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field "
	 "CAConstraint.signing.default.ca_constraint.max_path_len of type int"},
	{"profile entry number", "{\"signing\":{\"profiles\":{\"a\":5}}}", 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
	 "Signing.signing.profiles of type config.SigningProfile"},
	{"type error wins over validation",
	 "{\"signing\":{\"default\":{\"expiry\":\"\"},\"profiles\":{\"a\":{\"expiry\":5}}}}", 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
	 "SigningProfile.signing.profiles.expiry of type string"},
	{"first type error wins", "{\"signing\":{\"default\":{\"expiry\":5,\"ocsp_url\":6}}}", 5200,
	 "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
	 "SigningProfile.signing.default.expiry of type string"},
	{"not_before not RFC 3339",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"not_before\":\"2020-01-01\"}}}", 5200,
	 "failed to unmarshal configuration: parsing time \"\\\"2020-01-01\\\"\" as "
	 "\"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse \"\\\"\" as \"T\""},
	{"not_after month out of range",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"not_after\":\"2020-13-01T00:00:00Z\"}}}",
	 5200,
	 "failed to unmarshal configuration: parsing time \"\\\"2020-13-01T00:00:00Z\\\"\": month "
	 "out of range"},
	{"unmarshaler error wins over earlier type error",
	 "{\"signing\":{\"default\":{\"expiry\":5,\"not_before\":\"x\"}}}", 5200,
	 "failed to unmarshal configuration: parsing time \"\\\"x\\\"\" as "
	 "\"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse \"x\\\"\" as \"2006\""},
	{"not_after before not_before (deviation 9)",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"not_before\":\"2030-01-01T00:00:00Z\","
	 "\"not_after\":\"2029-01-01T00:00:00Z\"}}}",
	 5200, "invalid configuration: not_after is before not_before"},
	{"bad lint level", "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"lint_error_level\":9}}}",
	 5200, "failed to unmarshal configuration: bad LintStatus JSON value: 9"},
	{"bad policy qualifier",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"policies\":[{\"ID\":\"1.2.3\","
	 "\"Qualifiers\":[{\"type\":\"id-qt-bogus\",\"value\":\"x\"}]}]}}}",
	 5200, "invalid policy qualifier type"},
	{"policy ID number",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"policies\":[{\"ID\":1}]}}}", 5200,
	 "failed to unmarshal configuration: OID JSON string not wrapped in quotes.1"},
	{"policy ID without digits",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"policies\":[{\"id\":\"abc\"}]}}}", 5200,
	 "failed to unmarshal configuration: Invalid OID"},
	{"policy ID bad arc",
	 "{\"signing\":{\"default\":{\"expiry\":\"1h\",\"policies\":[{\"ID\":\"1.abc\"}]}}}", 5200,
	 "failed to unmarshal configuration: strconv.Atoi: parsing \"abc\": invalid syntax"},
};

static void run_err_cases(void)
{
	for (size_t i = 0; i < sizeof err_cases / sizeof *err_cases; i++) {
		const struct err_case *t = &err_cases[i];
		struct cf_error err;
		struct cf_config *c = load(t->json, &err);
		if (c) {
			fail(t->name, "loaded, expected error %s%s", t->msg, "");
			cf_config_free(c);
			continue;
		}
		if (!err.set || err.code != t->code || strcmp(err.msg, t->msg)) {
			char got[64];
			snprintf(got, sizeof got, " (code %d)", err.code);
			fail(t->name, "got %s%s", err.msg, got);
			printf("     want %s (code %d)\n", t->msg, t->code);
			continue;
		}
		passed++;
	}
}

/* ---- successful loads ---- */

static const char SEED[] =
	"{\n"
	"  \"signing\": {\n"
	"    \"default\": {\n"
	"      \"expiry\": \"8760h\"\n"
	"    },\n"
	"    \"profiles\": {\n"
	"      \"kubernetes\": {\n"
	"        \"usages\": [\"signing\", \"key encipherment\", \"server auth\", "
	"\"client auth\"],\n"
	"        \"expiry\": \"8760h\"\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n";

static void test_seed(void)
{
	const char *n = "seed ca-config.json";
	struct cf_error err;
	log_reset();
	struct cf_config *c = load(SEED, &err);
	check(n, c != NULL, err.msg);
	if (!c)
		return;
	check(n, c->def.expiry == 8760 * H, "default expiry 8760h");
	check(n, c->def.nusages == 0, "default has no usages");
	check(n, c->nprofiles == 1 && !strcmp(c->profiles[0].name, "kubernetes"), "one profile");
	int found = 0;
	const struct cf_profile *p = cf_config_profile(c, "kubernetes", &found);
	check(n, found && p == &c->profiles[0].p, "kubernetes found");
	check(n,
	      p->nusages == 4 && !strcmp(p->usages[0], "signing") &&
		      !strcmp(p->usages[1], "key encipherment") &&
		      !strcmp(p->usages[2], "server auth") && !strcmp(p->usages[3], "client auth"),
	      "4 usages in order");
	check(n, p->expiry == 8760 * H && !strcmp(p->expiry_str, "8760h"), "profile expiry");
	check(n, cf_profile_key_usage(p) == (CF_KU_DIGITAL_SIGNATURE | CF_KU_KEY_ENCIPHERMENT),
	      "KU digitalSignature|keyEncipherment");
	const char *oids[4];
	size_t k = cf_profile_ext_key_usage(p, oids, 4);
	check(n,
	      k == 2 && !strcmp(oids[0], "1.3.6.1.5.5.7.3.1") &&
		      !strcmp(oids[1], "1.3.6.1.5.5.7.3.2"),
	      "EKU serverAuth, clientAuth");
	check(n, p->backdate == 0 && !p->is_ca && !p->has_not_before && !p->has_not_after,
	      "no extras");
	p = cf_config_profile(c, "Kubernetes", &found);
	check(n, !found && p == &c->def, "profile names are case-sensitive");
	p = cf_config_profile(c, NULL, &found);
	check(n, !found && p == &c->def, "NULL name gives the default");
	check(n, strstr(log_text(), "WARNING") == NULL, "no warning for a clean config");
	cf_config_free(c);
}

static void test_builtin_default(void)
{
	const char *n = "built-in default";
	struct cf_config *c = cf_config_default();
	check(n, c->def.nusages == 4 && c->def.expiry == 8760 * H && c->nprofiles == 0,
	      "4 usages, 8760h");
	check(n, cf_profile_key_usage(&c->def) == 0x5, "KU bits 0 and 2");
	const char *oids[2];
	check(n, cf_profile_ext_key_usage(&c->def, oids, 2) == 2, "2 EKUs");
	int found = 1;
	check(n, cf_config_profile(c, "anything", &found) == &c->def && !found, "fallback");
	cf_config_free(c);
	cf_config_free(NULL);

	/* a file without "default" gets the built-in one */
	struct cf_error err;
	c = load("{\"signing\":{\"profiles\":{\"p\":{\"usages\":[\"any\"],\"expiry\":\"1h\"}}}}",
		 &err);
	check(n, c && c->def.nusages == 4 && c->def.expiry == 8760 * H, "file without default");
	cf_config_free(c);
}

static void test_case_insensitive(void)
{
	const char *n = "case-insensitive members";
	struct cf_error err;
	log_reset();
	struct cf_config *c =
		load("{\"SIGNING\":{\"Default\":{\"EXPIRY\":\"3h\"},"
		     "\"PROFILES\":{\"x\":{\"USAGES\":[\"cert sign\"],\"expiry\":\"1h\","
		     "\"Ca_Constraint\":{\"IS_CA\":true,\"Max_Path_Len\":2}}}}}",
		     &err);
	check(n, c != NULL, err.msg);
	if (!c)
		return;
	check(n, c->def.expiry == 3 * H, "EXPIRY works");
	const struct cf_profile *p = cf_config_profile(c, "x", NULL);
	check(n, p->nusages == 1 && cf_profile_key_usage(p) == CF_KU_CERT_SIGN, "USAGES works");
	check(n, p->is_ca && p->max_path_len == 2 && !p->max_path_len_zero, "ca_constraint");
	check(n, strstr(log_text(), "WARNING") == NULL, "no warnings");
	cf_config_free(c);

	c = load("{\"signing\":{\"default\":{\"expiry\":\"1h\",\"EXPIRY\":\"2h\"}}}", &err);
	check("last spelling wins", c && c->def.expiry == 2 * H, "expiry 2h");
	cf_config_free(c);
	c = load("{\"signing\":{\"default\":{\"EXPIRY\":\"2h\",\"expiry\":\"1h\"}}}", &err);
	check("last spelling wins (2)", c && c->def.expiry == 1 * H, "expiry 1h");
	cf_config_free(c);
	/* two spellings of "default" decode into the same struct */
	c = load("{\"signing\":{\"default\":{\"expiry\":\"1h\"},\"DEFAULT\":{\"usages\":[\"any\"]}}"
		 "}",
		 &err);
	check("duplicate struct members merge", c && c->def.expiry == H && c->def.nusages == 1,
	      "expiry kept, usages added");
	cf_config_free(c);
}

static void test_backdate(void)
{
	struct cf_error err;
	struct cf_config *c = load(
		"{\"signing\":{\"default\":{\"expiry\":\"1h\",\"Backdate\":7200000000000}}}", &err);
	check("Backdate number (ns)", c && c->def.backdate == 2 * H, err.msg);
	cf_config_free(c);
	c = load("{\"signing\":{\"default\":{\"expiry\":\"1h\",\"backdate\":\"90m30s\"}}}", &err);
	check("backdate string", c && c->def.backdate == 90 * 60000000000LL + 30000000000LL,
	      err.msg);
	cf_config_free(c);
}

static void test_times(void)
{
	const char *n = "not_before/not_after";
	struct cf_error err;
	struct cf_config *c = load("{\"signing\":{\"default\":{\"expiry\":\"1h\","
				   "\"not_before\":\"2030-06-07T08:09:10+02:00\","
				   "\"not_after\":\"2031-01-01T00:00:00Z\"}}}",
				   &err);
	check(n, c != NULL, err.msg);
	if (!c)
		return;
	check(n, c->def.has_not_before && c->def.not_before == (time_t)1907042950,
	      "not_before converted to UTC");
	check(n, c->def.has_not_after && c->def.not_after == (time_t)1924992000, "not_after");
	cf_config_free(c);
	c = load("{\"signing\":{\"default\":{\"expiry\":\"1h\",\"not_before\":null}}}", &err);
	check(n, c && !c->def.has_not_before, "null leaves it unset");
	cf_config_free(c);
}

static void test_inheritance(void)
{
	const char *n = "inheritance from default";
	struct cf_error err;
	struct cf_config *c =
		load("{\"signing\":{\"default\":{\"expiry\":\"3h\",\"ocsp_url\":\"http://o\","
		     "\"crl_url\":\"http://c\",\"issuer_urls\":[\"http://i\"]},"
		     "\"profiles\":{\"a\":{\"usages\":[\"signing\"],\"expiry\":\"0s\"},"
		     "\"b\":{\"usages\":[\"signing\"],\"expiry\":\"1h\",\"issuer_urls\":[],"
		     "\"ocsp_url\":\"\",\"crl_url\":\"http://own\"}}}}",
		     &err);
	check(n, c != NULL, err.msg);
	if (!c)
		return;
	const struct cf_profile *a = cf_config_profile(c, "a", NULL);
	const struct cf_profile *b = cf_config_profile(c, "b", NULL);
	check(n, a->expiry == 3 * H, "expiry 0s inherits the default's");
	check(n, a->ocsp_url && !strcmp(a->ocsp_url, "http://o"), "ocsp_url inherited");
	check(n, a->crl_url && !strcmp(a->crl_url, "http://c"), "crl_url inherited");
	check(n, a->nissuer_urls == 1 && !strcmp(a->issuer_urls[0], "http://i"),
	      "absent issuer_urls inherited");
	check(n, b->issuer_urls_set && b->nissuer_urls == 0, "explicit [] not inherited");
	check(n, b->ocsp_url && !strcmp(b->ocsp_url, "http://o"), "empty ocsp_url inherited");
	check(n, !strcmp(b->crl_url, "http://own"), "own crl_url kept");
	check(n, b->expiry == H, "own expiry kept");
	cf_config_free(c);
}

static void test_misc_members(void)
{
	const char *n = "other members";
	struct cf_error err;
	log_reset();
	struct cf_config *c = load(
		"{\"signing\":{\"default\":{\"expiry\":\"1h\",\"ocsp_no_check\":true,"
		"\"copy_extensions\":true,\"lint_error_level\":\"warn\",\"name_whitelist\":\".*\","
		"\"auth_key\":\"k\",\"remote\":\"\",\"cert_store\":\"x\",\"ct_log_servers\":[],"
		"\"allowed_extensions\":[\"1.2.3\"],\"ignored_lints\":[\"a\"],"
		"\"policies\":[{\"ID\":\"1.2.3.4\",\"Qualifiers\":[{\"type\":\"id-qt-cps\","
		"\"value\":\"http://cps/\"}]}],\"csrwhitelist\":{\"subject\":true},"
		"\"clientprovidesserialnumbers\":false,\"auth_remote\":{\"remote\":\"\"},"
		"\"ca_constraint\":{\"is_ca\":true,\"max_path_len\":0,\"max_path_len_zero\":true}}}"
		","
		"\"auth_keys\":{\"k\":{\"type\":\"standard\",\"key\":\"00\"}},\"remotes\":{},"
		"\"ocsp\":{}}",
		&err);
	check(n, c != NULL, err.msg);
	if (!c)
		return;
	check(n, c->def.ocsp_no_check && c->def.copy_extensions, "bools");
	check(n, c->def.lint_error_level == 5, "lint_error_level warn = 5");
	check(n, c->def.is_ca && c->def.max_path_len == 0 && c->def.max_path_len_zero,
	      "ca_constraint");
	check(n, strstr(log_text(), "WARNING") == NULL, "known members are not warned about");
	cf_config_free(c);
}

/* The remote client needs each remote profile's address (cfssl's RemoteServer). */
static void test_remote_server(void)
{
	const char *n = "remote_server";
	struct cf_error err;
	log_reset();
	struct cf_config *c =
		load("{\"signing\":{\"default\":{\"remote\":\"r1\"},\"profiles\":{"
		     "\"a\":{\"auth_remote\":{\"remote\":\"r2\",\"auth_key\":\"k\"}},"
		     "\"l\":{\"expiry\":\"1h\",\"usages\":[\"signing\"]}}},"
		     "\"auth_keys\":{\"k\":{\"type\":\"standard\",\"key\":\"0011\"}},"
		     "\"remotes\":{\"r1\":\"127.0.0.1:1\",\"r2\":\"http://a:1,http://b:2\"}}",
		     &err);
	check(n, c != NULL, err.msg);
	if (!c)
		return;
	int found;
	const struct cf_profile *a = cf_config_profile(c, "a", &found),
				*l = cf_config_profile(c, "l", &found);
	check(n, c->def.remote_server && !strcmp(c->def.remote_server, "127.0.0.1:1"),
	      "remote: the address as written");
	check(n,
	      a->remote && a->remote_server && !strcmp(a->remote_server, "http://a:1,http://b:2"),
	      "auth_remote: its remote's address list");
	check(n, a->auth_remote_key.len == 2, "auth_remote: its key");
	check(n, !l->remote && l->remote_server == NULL, "a local profile has none");
	cf_config_free(c);
}

static void test_unknown_warning(void)
{
	const char *n = "unknown member warning (deviation 10)";
	struct cf_error err;
	log_reset();
	struct cf_config *c = load("{\"signing\":{\"default\":{\"expiry\":\"1h\"},"
				   "\"profiles\":{\"kubernetes\":{\"usages\":[\"signing\"],"
				   "\"expiry\":\"1h\",\"expire\":\"2h\"}}}}",
				   &err);
	check(n, c != NULL, err.msg);
	cf_config_free(c);
	const char *t = log_text();
	const char *w = strstr(
		t,
		"[WARNING] unknown member \"expire\" in signing profile \"kubernetes\" ignored\n");
	check(n, w != NULL, t);
	check(n, w && !strstr(w + 10, "WARNING") && strstr(t, "WARNING") == w + 1, "logged once");
}

static void test_usages(void)
{
	const char *n = "usage table";
	static char *all[] = {
		"signing",
		"digital signature",
		"content commitment",
		"key encipherment",
		"data encipherment",
		"key agreement",
		"cert sign",
		"crl sign",
		"encipher only",
		"decipher only",
		"any",
		"server auth",
		"client auth",
		"code signing",
		"email protection",
		"s/mime",
		"ipsec end system",
		"ipsec tunnel",
		"ipsec user",
		"timestamping",
		"ocsp signing",
		"microsoft sgc",
		"netscape sgc",
	};
	struct cf_profile p = {.usages = all, .nusages = 23};
	check(n, cf_profile_key_usage(&p) == 0x1ff, "all 9 KU bits");
	const char *oids[16];
	size_t k = cf_profile_ext_key_usage(&p, oids, 16);
	check(n, k == 13, "13 EKUs");
	check(n,
	      k == 13 && !strcmp(oids[0], "2.5.29.37.0") && !strcmp(oids[4], "1.3.6.1.5.5.7.3.4") &&
		      !strcmp(oids[5], "1.3.6.1.5.5.7.3.4") &&
		      !strcmp(oids[11], "1.3.6.1.4.1.311.10.3.3") &&
		      !strcmp(oids[12], "2.16.840.1.113730.4.1"),
	      "EKU OIDs in list order");

	static char *some[] = {"client auth", "server auth", "bogus", "client auth", "Signing"};
	struct cf_profile q = {.usages = some, .nusages = 5};
	k = cf_profile_ext_key_usage(&q, oids, 16);
	check(n,
	      k == 3 && !strcmp(oids[0], "1.3.6.1.5.5.7.3.2") &&
		      !strcmp(oids[1], "1.3.6.1.5.5.7.3.1") &&
		      !strcmp(oids[2], "1.3.6.1.5.5.7.3.2"),
	      "order and duplicates kept, unknown dropped");
	check(n, cf_profile_key_usage(&q) == 0, "usage strings are case-sensitive");
	check(n, cf_profile_ext_key_usage(&q, oids, 1) == 3, "count beyond max");

	static char *ku[] = {"signing", "key encipherment"};
	struct cf_profile r = {.usages = ku, .nusages = 2};
	check(n, cf_profile_key_usage(&r) == ((1u << 0) | (1u << 2)), "signing+key encipherment");
	static char *old[] = {"content committment"};
	struct cf_profile o = {.usages = old, .nusages = 1};
	check(n, cf_profile_key_usage(&o) == 0, "1.2.0 spelling is not master's");
}

static void test_read_errors(void)
{
	const char *n = "unreadable file";
	struct cf_error err = {0};
	struct cf_config *c = NULL;
	char path[128];
	snprintf(path, sizeof path, "%s/missing.json", dir);
	int rc = cf_config_load(path, &c, &err);
	check(n,
	      rc == -1 && !c && err.code == 5200 &&
		      !strcmp(err.msg, "could not read configuration file"),
	      err.msg);
	char out[256];
	cf_error_render(&err, out, sizeof out);
	check(n, !strcmp(out, "{\"code\":5200,\"message\":\"could not read configuration file\"}"),
	      out);
	cf_error_clear(&err);
	rc = cf_config_load(dir, &c, &err);
	check("directory", rc == -1 && !strcmp(err.msg, "could not read configuration file"),
	      err.msg);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_config.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	logf = tmpfile();
	if (!logf) {
		perror("tmpfile");
		return 2;
	}
	cf_log_init(logf, CF_LOG_DEBUG);

	run_err_cases();
	test_seed();
	test_builtin_default();
	test_case_insensitive();
	test_backdate();
	test_times();
	test_inheritance();
	test_misc_members();
	test_remote_server();
	test_unknown_warning();
	test_usages();
	test_read_errors();

	char path[128];
	snprintf(path, sizeof path, "%s/cfg.json", dir);
	unlink(path);
	rmdir(dir);
	fclose(logf);
	printf("test_config: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
