/* Unit tests for common/encoding/gojson.c: expected texts come from the spec
 * (§5.1, §6.9, §10.1) and Go 1.19 encoding/json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "gojson.h"

static int passed, failed;

static void check(int ok, const char *what, const char *detail)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

struct syntax_case {
	const char *in;
	size_t len; /* 0: strlen */
	const char *msg;
};

static const struct syntax_case syntax_cases[] = {
	{"", 0, "unexpected end of JSON input"},
	{"  \n\t ", 0, "unexpected end of JSON input"},
	{"{\"CN\":\"x\"", 0, "unexpected end of JSON input"},
	{"{\"CN\":\"x", 0, "unexpected end of JSON input"},
	{"[1, 2", 0, "unexpected end of JSON input"},
	{"{\"CN\":\"x\",}", 0, "invalid character '}' looking for beginning of object key string"},
	{"{'CN':'x'}", 0, "invalid character '\\'' looking for beginning of object key string"},
	{"{\"CN\" \"x\"}", 0, "invalid character '\"' after object key"},
	{"{\"hosts\":[\"a\"]]", 0, "invalid character ']' after object key:value pair"},
	{"[1}", 0, "invalid character '}' after array element"},
	{"{\"ca\":tru}", 0, "invalid character '}' in literal true (expecting 'e')"},
	{"not json", 0, "invalid character 'o' in literal null (expecting 'u')"},
	{"fals", 0, "invalid character ' ' in literal false (expecting 'e')"},
	{"{\"CN\":\"a\\qb\"}", 0, "invalid character 'q' in string escape code"},
	{"{\"CN\":\"\\u12\"}", 0, "invalid character '\"' in \\u hexadecimal character escape"},
	{"{\"CN\":\"x\"} trailing", 0, "invalid character 't' after top-level value"},
	{"{}{}", 0, "invalid character '{' after top-level value"},
	{"01", 0, "invalid character '1' after top-level value"},
	{"garbage", 0, "invalid character 'g' looking for beginning of value"},
	{"[1,]", 0, "invalid character ']' looking for beginning of value"},
	{"\xef\xbb\xbf{}", 0, "invalid character '\xc3\xaf' looking for beginning of value"},
	{"\x01", 0, "invalid character '\\x01' looking for beginning of value"},
	{"\x80", 0, "invalid character '\\u0080' looking for beginning of value"},
	{"\\", 0, "invalid character '\\\\' looking for beginning of value"},
	{"\"", 0, "unexpected end of JSON input"},
	{"{\"CN\":\"a\nb\"}", 0, "invalid character '\\n' in string literal"},
	{"\"a\tb\"", 0, "invalid character '\\t' in string literal"},
	{"\"\0\"", 3, "invalid character '\\x00' in string literal"},
	{"-x", 0, "invalid character 'x' in numeric literal"},
	{"{\"F3\": -}", 0, "invalid character '}' in numeric literal"},
	{"1.x", 0, "invalid character 'x' after decimal point in numeric literal"},
	{"1.", 0, "invalid character ' ' after decimal point in numeric literal"},
	{"1ex", 0, "invalid character 'x' in exponent of numeric literal"},
	{"1e+}", 0, "invalid character '}' in exponent of numeric literal"},
	{".5", 0, "invalid character '.' looking for beginning of value"},
};

static void test_syntax(void)
{
	size_t i;

	for (i = 0; i < sizeof(syntax_cases) / sizeof(syntax_cases[0]); i++) {
		const struct syntax_case *c = &syntax_cases[i];
		struct cf_error err = {0};
		size_t len = c->len ? c->len : strlen(c->in);
		json_t *v = cf_gojson_parse(c->in, len, &err);
		char what[160];

		snprintf(what, sizeof(what), "syntax case %zu (%s)", i, c->in);
		check(v == NULL, what, "parsed");
		check(err.set && err.code == CF_ERR_PLAIN && strcmp(err.msg, c->msg) == 0, what,
		      err.msg);
		json_decref(v);
	}
}

static void test_depth(void)
{
	size_t n = 10001, i;
	char *s = malloc(2 * n);
	struct cf_error err = {0};
	json_t *v;

	memset(s, '[', n);
	v = cf_gojson_parse(s, n, &err);
	check(!v && strcmp(err.msg, "invalid character '[' exceeded max depth") == 0, "depth 10001",
	      err.msg);
	/* 10000 levels are fine */
	for (i = 0; i < 10000; i++)
		s[10000 + i] = ']';
	cf_error_clear(&err);
	memset(&err, 0, sizeof(err));
	v = cf_gojson_parse(s, 20000, &err);
	check(v && json_is_array(v), "depth 10000", err.msg);
	json_decref(v);
	free(s);
}

static json_t *parse_ok(const char *s, size_t len, const char *what)
{
	struct cf_error err = {0};
	json_t *v = cf_gojson_parse(s, len ? len : strlen(s), &err);

	check(v != NULL && !err.set, what, err.msg);
	return v;
}

static void test_values(void)
{
	json_t *v, *m;
	const char *key;
	const char *order[3];
	size_t i;

	v = parse_ok(" null ", 0, "top-level null");
	check(v && json_is_null(v), "top-level null is json null", NULL);
	json_decref(v);

	v = parse_ok("{\"b\":1,\"a\":2,\"c\":{\"z\":1,\"y\":2}}", 0, "member order");
	i = 0;
	json_object_foreach(v, key, m)
		if (i < 3)
			order[i++] = key;
	check(i == 3 && !strcmp(order[0], "b") && !strcmp(order[1], "a") && !strcmp(order[2], "c"),
	      "member order kept", NULL);
	json_decref(v);

	/* exact duplicates: last wins and moves to the later position */
	v = parse_ok("{\"CN\":\"x\",\"cn\":\"y\",\"CN\":\"z\"}", 0, "duplicates");
	i = 0;
	json_object_foreach(v, key, m)
		if (i < 3)
			order[i++] = key;
	check(json_object_size(v) == 2 && !strcmp(json_string_value(json_object_get(v, "CN")), "z"),
	      "duplicate last value wins", NULL);
	check(i == 2 && !strcmp(order[0], "cn") && !strcmp(order[1], "CN"),
	      "duplicate takes the later position", NULL);
	json_decref(v);

	v = parse_ok("\"bad\xffutf\"", 0, "invalid utf-8");
	check(v && !strcmp(json_string_value(v), "bad\xef\xbf\xbdutf"), "invalid byte -> U+FFFD",
	      v ? json_string_value(v) : NULL);
	json_decref(v);

	/* a truncated 3-byte sequence: each byte becomes its own U+FFFD */
	v = parse_ok("\"a\xe2\x82z\xed\xa0\x80\"", 0, "truncated utf-8");
	check(v && !strcmp(json_string_value(v), "a\xef\xbf\xbd\xef\xbf\xbdz"
						 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"),
	      "truncated sequence and encoded surrogate -> U+FFFD per byte", NULL);
	json_decref(v);

	v = parse_ok("{\"CN\":\"a\\u0000b\"}", 0, "\\u0000");
	m = json_object_get(v, "CN");
	check(m && json_string_length(m) == 3 && !memcmp(json_string_value(m), "a\0b", 3),
	      "\\u0000 survives", NULL);
	json_decref(v);

	v = parse_ok("\"\\ud83d\\ude00|\\ud800x|\\udc00\\u0041|\\u00e9\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
		     0, "escapes");
	check(v && !strcmp(json_string_value(v), "\xf0\x9f\x98\x80|\xef\xbf\xbdx|\xef\xbf\xbd"
						 "A|\xc3\xa9/\b\f\n\r\t\"\\"),
	      "escape decoding and surrogates", v ? json_string_value(v) : NULL);
	json_decref(v);

	v = parse_ok("[2048, -0, 2048.0, 1e100, 99999999999999999999, 1e400, true, false, null]", 0,
		     "numbers");
	check(json_is_integer(json_array_get(v, 0)) &&
		      json_integer_value(json_array_get(v, 0)) == 2048,
	      "2048 is an integer", NULL);
	check(json_is_integer(json_array_get(v, 1)), "-0 is an integer", NULL);
	check(json_is_real(json_array_get(v, 2)) && json_real_value(json_array_get(v, 2)) == 2048.0,
	      "2048.0 is a real", NULL);
	check(json_is_real(json_array_get(v, 3)), "1e100 is a real", NULL);
	check(json_is_real(json_array_get(v, 4)), "20-digit integer is a real", NULL);
	check(json_is_real(json_array_get(v, 5)), "1e400 is a real", NULL);
	check(json_is_true(json_array_get(v, 6)) && json_is_false(json_array_get(v, 7)) &&
		      json_is_null(json_array_get(v, 8)),
	      "literals", NULL);
	json_decref(v);

	v = parse_ok("\"\\u0000\"", 0, "\\u0000 alone");
	check(v && json_string_length(v) == 1, "\\u0000 alone has length 1", NULL);
	json_decref(v);

	v = parse_ok("{\"a\\u0000b\":1, \"\":2}", 0, "NUL in key");
	check(v && json_object_size(v) == 2 && json_object_getn(v, "a\0b", 3) &&
		      json_object_get(v, ""),
	      "key with NUL and empty key", NULL);
	json_decref(v);
}

static void expect_err(int rc, struct cf_error *err, const char *want, const char *what)
{
	check(rc == -1 && err->set && err->code == CF_ERR_PLAIN && !strcmp(err->msg, want), what,
	      err->msg);
	memset(err, 0, sizeof(*err));
}

static void test_types(void)
{
	struct cf_error err = {0};
	json_t *v;
	long long n = 7;
	const char *s = "keep";
	size_t len = 0;
	int b = 5, rc;

	v = parse_ok(
		"{\"size\":2048.0,\"big\":1e100,\"huge\":99999999999999999999,\"str\":\"2048\","
		"\"ok\":4096,\"nul\":null,\"arr\":[],\"obj\":{},\"t\":true,\"num\":1}",
		0, "type doc");

	rc = cf_gojson_get_int(json_object_get(v, "size"), &n, &err, "KeyRequest", "key.size");
	expect_err(rc, &err,
		   "json: cannot unmarshal number 2048.0 into Go struct field KeyRequest.key.size "
		   "of type int",
		   "int from 2048.0");
	rc = cf_gojson_get_int(json_object_get(v, "big"), &n, &err, "KeyRequest", "key.size");
	expect_err(rc, &err,
		   "json: cannot unmarshal number 1e100 into Go struct field KeyRequest.key.size "
		   "of type int",
		   "int from 1e100");
	rc = cf_gojson_get_int(json_object_get(v, "huge"), &n, &err, "KeyRequest", "key.size");
	expect_err(rc, &err,
		   "json: cannot unmarshal number 99999999999999999999 into Go struct field "
		   "KeyRequest.key.size of type int",
		   "int from out-of-range integer");
	rc = cf_gojson_get_int(json_object_get(v, "str"), &n, &err, "KeyRequest", "key.size");
	expect_err(rc, &err,
		   "json: cannot unmarshal string into Go struct field KeyRequest.key.size of type "
		   "int",
		   "int from string");
	rc = cf_gojson_get_int(json_object_get(v, "t"), &n, &err, "CAConfig", "ca.pathlen");
	expect_err(
		rc, &err,
		"json: cannot unmarshal bool into Go struct field CAConfig.ca.pathlen of type int",
		"int from bool");
	check(n == 7, "failed get_int leaves value", NULL);
	rc = cf_gojson_get_int(json_object_get(v, "nul"), &n, &err, "KeyRequest", "key.size");
	check(rc == 0 && n == 7 && !err.set, "int from null untouched", NULL);
	rc = cf_gojson_get_int(json_object_get(v, "ok"), &n, &err, "KeyRequest", "key.size");
	check(rc == 0 && n == 4096, "int from 4096", NULL);

	rc = cf_gojson_get_string(json_object_get(v, "num"), &s, &len, &err, "CertificateRequest",
				  "CN");
	expect_err(
		rc, &err,
		"json: cannot unmarshal number into Go struct field CertificateRequest.CN of type "
		"string",
		"string from number");
	rc = cf_gojson_get_string(json_object_get(v, "size"), &s, &len, &err, "Name", "names.C");
	expect_err(rc, &err,
		   "json: cannot unmarshal number into Go struct field Name.names.C of type string",
		   "string from real: no literal");
	rc = cf_gojson_get_string(json_object_get(v, "nul"), &s, &len, &err, "CertificateRequest",
				  "CN");
	check(rc == 0 && !strcmp(s, "keep"), "string from null untouched", NULL);
	rc = cf_gojson_get_string(json_object_get(v, "str"), &s, &len, &err, "CertificateRequest",
				  "CN");
	check(rc == 0 && !strcmp(s, "2048") && len == 4, "string from string", NULL);

	rc = cf_gojson_get_bool(json_object_get(v, "str"), &b, &err, "CAConfig", "ca.pathlenzero");
	expect_err(rc, &err,
		   "json: cannot unmarshal string into Go struct field CAConfig.ca.pathlenzero of "
		   "type bool",
		   "bool from string");
	rc = cf_gojson_get_bool(json_object_get(v, "nul"), &b, &err, "CAConfig", "ca.pathlenzero");
	check(rc == 0 && b == 5, "bool from null untouched", NULL);
	rc = cf_gojson_get_bool(json_object_get(v, "t"), &b, &err, "CAConfig", "ca.pathlenzero");
	check(rc == 0 && b == 1, "bool from true", NULL);

	rc = cf_gojson_type_error(&err, json_object_get(v, "obj"), "CertificateRequest", "names",
				  "[]csr.Name");
	expect_err(rc, &err,
		   "json: cannot unmarshal object into Go struct field CertificateRequest.names of "
		   "type []csr.Name",
		   "object into slice");
	rc = cf_gojson_type_error(&err, json_object_get(v, "str"), "CertificateRequest", "hosts",
				  "[]string");
	expect_err(rc, &err,
		   "json: cannot unmarshal string into Go struct field CertificateRequest.hosts of "
		   "type []string",
		   "string into slice");
	rc = cf_gojson_type_error(&err, json_object_get(v, "arr"), NULL, NULL,
				  "csr.CertificateRequest");
	expect_err(rc, &err,
		   "json: cannot unmarshal array into Go value of type csr.CertificateRequest",
		   "top-level Go value form");
	rc = cf_gojson_type_error(&err, json_object_get(v, "arr"), NULL, NULL,
				  "map[string]interface {}");
	expect_err(rc, &err,
		   "json: cannot unmarshal array into Go value of type map[string]interface {}",
		   "cfssljson -bare array");

	check(!strcmp(cf_gojson_kind(json_object_get(v, "obj")), "object") &&
		      !strcmp(cf_gojson_kind(json_object_get(v, "arr")), "array") &&
		      !strcmp(cf_gojson_kind(json_object_get(v, "t")), "bool") &&
		      !strcmp(cf_gojson_kind(json_object_get(v, "size")), "number") &&
		      !strcmp(cf_gojson_kind(json_object_get(v, "num")), "number") &&
		      !strcmp(cf_gojson_kind(json_object_get(v, "str")), "string"),
	      "kinds", NULL);
	json_decref(v);
}

struct quote_case {
	const char *in;
	size_t len;
	const char *out;
};

static const struct quote_case quote_cases[] = {
	{"<a> & \"q\" \t tab\b", 0, "\"\\u003ca\\u003e \\u0026 \\\"q\\\" \\t tab\\u0008\""},
	{"a/b\\c", 0, "\"a/b\\\\c\""},
	{"l1\nl2\r\f\x01\x1f\x7f", 0, "\"l1\\nl2\\r\\u000c\\u0001\\u001f\x7f\""},
	{"x\xe2\x80\xa8y\xe2\x80\xa9z", 0, "\"x\\u2028y\\u2029z\""},
	{"bad\xffutf", 0, "\"bad\\ufffdutf\""},
	{"\xe2\x82", 0, "\"\\ufffd\\ufffd\""},
	{"caf\xc3\xa9 \xef\xbf\xbd \xf0\x9f\x98\x80", 0,
	 "\"caf\xc3\xa9 \xef\xbf\xbd \xf0\x9f\x98\x80\""},
	{"a\0b", 3, "\"a\\u0000b\""},
	{"", 0, "\"\""},
	{"-----BEGIN CERTIFICATE-----\nMIIB+w==\n-----END CERTIFICATE-----\n", 0,
	 "\"-----BEGIN CERTIFICATE-----\\nMIIB+w==\\n-----END CERTIFICATE-----\\n\""},
};

static void test_quote(void)
{
	size_t i;

	for (i = 0; i < sizeof(quote_cases) / sizeof(quote_cases[0]); i++) {
		const struct quote_case *c = &quote_cases[i];
		struct cf_buf b = CF_BUF_INIT;
		char what[64];

		cf_buf_adds(&b, "x");
		cf_gojson_quote(&b, c->in, c->len ? c->len : strlen(c->in));
		snprintf(what, sizeof(what), "quote case %zu", i);
		check(b.len == strlen(c->out) + 1 && !memcmp(b.data + 1, c->out, b.len - 1), what,
		      (const char *)b.data);
		cf_buf_release(&b);
	}
}

static void test_key_eq(void)
{
	check(cf_gojson_key_eq("cn", "CN"), "cn ~ CN", NULL);
	check(cf_gojson_key_eq("NAMES", "names"), "NAMES ~ names", NULL);
	check(cf_gojson_key_eq("Delegation_Enabled", "delegation_enabled"), "underscore names",
	      NULL);
	check(!cf_gojson_key_eq("C", "CN"), "C !~ CN", NULL);
	check(!cf_gojson_key_eq("CNx", "CN"), "CNx !~ CN", NULL);
	check(!cf_gojson_key_eq("delegation-enabled", "delegation_enabled"), "- !~ _", NULL);
	check(cf_gojson_key_eq("\xe2\x84\xaa"
			       "ey",
			       "key"),
	      "KELVIN SIGN ~ k", NULL);
	check(cf_gojson_key_eq("\xc5\xbf"
			       "erialnumber",
			       "serialnumber"),
	      "LONG S ~ s", NULL);
	check(!cf_gojson_key_eq("\xc5\xbf", "k"), "LONG S !~ k", NULL);
}

/* cf_gojson_decode_struct / cf_gojson_unmarshal: json.Unmarshal into a struct */
static void test_struct(void)
{
	struct cf_error err = {0};
	const char *name = NULL, *other = "untouched";
	size_t name_len = 0;
	long long ts = 0;
	int flag = 0, hosts_set = 0, bytes_set = 0;
	const json_t *hosts = NULL, *raw = NULL;
	struct cf_buf bytes = CF_BUF_INIT;
	json_t *tree = NULL;
	const struct cf_gojson_field f[] = {
		{"name", CF_GOJSON_STRING, &name, &name_len, NULL},
		{"Name", CF_GOJSON_STRING, &other, NULL, NULL},
		{"ts", CF_GOJSON_INT64, &ts, NULL, NULL},
		{"flag", CF_GOJSON_BOOL, &flag, NULL, NULL},
		{"hosts", CF_GOJSON_STRINGS, &hosts, NULL, &hosts_set},
		{"raw", CF_GOJSON_RAW, &raw, NULL, NULL},
		{"bytes", CF_GOJSON_BYTES, &bytes, NULL, &bytes_set},
	};
	size_t nf = sizeof f / sizeof f[0];
	/* exact names first, then case-insensitive ones; the last spelling wins; unknown members
	 * are ignored; null leaves strings alone and empties slices */
	const char *doc = "{\"NAME\":\"a\",\"name\":\"b\",\"Name\":\"c\",\"TS\":12,\"flag\":true,"
			  "\"hosts\":[\"x\",null],\"raw\":{\"k\":1},\"bytes\":\"AQID\","
			  "\"nosuch\":[1],\"FLAG\":null,\"hosts\":null}";
	int rc = cf_gojson_unmarshal(doc, strlen(doc), &tree, "pkg.T", f, nf, &err);
	check(rc == 0, "struct: decodes", err.msg);
	check(name && !strcmp(name, "b") && name_len == 1, "struct: exact name wins", name);
	check(other && !strcmp(other, "c"), "struct: exact name of the other field", other);
	{
		char d[64];
		snprintf(d, sizeof d, "ts %lld flag %d", ts, flag);
		check(ts == 12 && flag == 1, "struct: int64 and bool (null keeps the bool)", d);
	}
	check(hosts == NULL && hosts_set == 0, "struct: null empties a slice", NULL);
	check(json_is_object(raw), "struct: raw value", NULL);
	check(bytes_set && bytes.len == 3 && bytes.data[2] == 3, "struct: base64 bytes", NULL);
	json_decref(tree);
	cf_buf_release(&bytes);
	/* []byte from an array of numbers, as Go */
	rc = cf_gojson_unmarshal("{\"bytes\":[1,255]}", strlen("{\"bytes\":[1,255]}"), &tree,
				 "pkg.T", f, nf, &err);
	check(rc == 0 && bytes.len == 2 && bytes.data[1] == 255, "struct: bytes from an array",
	      err.msg);
	json_decref(tree);
	cf_buf_release(&bytes);
	rc = cf_gojson_unmarshal("{\"bytes\":[256]}", strlen("{\"bytes\":[256]}"), &tree, "pkg.T",
				 f, nf, &err);
	expect_err(rc, &err,
		   "json: cannot unmarshal number 256 into Go struct field T.bytes of type uint8",
		   "struct: byte out of range");
	json_decref(tree);
	rc = cf_gojson_unmarshal("{\"bytes\":\"A\"}", strlen("{\"bytes\":\"A\"}"), &tree, "pkg.T",
				 f, nf, &err);
	expect_err(rc, &err, "illegal base64 data at input byte 0", "struct: bad base64");
	json_decref(tree);
	rc = cf_gojson_unmarshal("{\"ts\":1.5}", strlen("{\"ts\":1.5}"), &tree, "pkg.T", f, nf,
				 &err);
	expect_err(rc, &err,
		   "json: cannot unmarshal number 1.5 into Go struct field T.ts of type int64",
		   "struct: int64 type error");
	json_decref(tree);
	rc = cf_gojson_unmarshal("{\"hosts\":[\"a\",1]}", strlen("{\"hosts\":[\"a\",1]}"), &tree,
				 "pkg.T", f, nf, &err);
	expect_err(rc, &err,
		   "json: cannot unmarshal number into Go struct field T.hosts of type string",
		   "struct: slice element type error");
	json_decref(tree);
	/* the first type error in document order */
	rc = cf_gojson_unmarshal("{\"flag\":1,\"ts\":\"x\"}", strlen("{\"flag\":1,\"ts\":\"x\"}"),
				 &tree, "pkg.T", f, nf, &err);
	expect_err(rc, &err,
		   "json: cannot unmarshal number into Go struct field T.flag of type bool",
		   "struct: first type error");
	json_decref(tree);
	rc = cf_gojson_unmarshal("[1]", strlen("[1]"), &tree, "pkg.T", f, nf, &err);
	expect_err(rc, &err, "json: cannot unmarshal array into Go value of type pkg.T",
		   "struct: not an object");
	json_decref(tree);
	/* syntax errors, trailing data included, before type errors */
	rc = cf_gojson_unmarshal("{\"ts\":\"x\"} x", strlen("{\"ts\":\"x\"} x"), &tree, "pkg.T", f,
				 nf, &err);
	expect_err(rc, &err, "invalid character 'x' after top-level value",
		   "struct: trailing data");
	check(tree == NULL, "struct: no tree after a syntax error", NULL);

	/* nested decoders' errors in Go's context */
	cf_error_set(
		&err, CF_ERR_PLAIN,
		"json: cannot unmarshal number into Go struct field Name.names.C of type string");
	cf_gojson_nest_error(&err, "genSignRequest", "request");
	check(!strcmp(err.msg, "json: cannot unmarshal number into Go struct field "
			       "Name.request.names.C of type string"),
	      "nest: struct field", err.msg);
	memset(&err, 0, sizeof err);
	cf_error_set(&err, CF_ERR_PLAIN,
		     "json: cannot unmarshal array into Go value of type csr.CertificateRequest");
	cf_gojson_nest_error(&err, "genSignRequest", "request");
	check(!strcmp(err.msg, "json: cannot unmarshal array into Go struct field "
			       "genSignRequest.request of type csr.CertificateRequest"),
	      "nest: value", err.msg);
	memset(&err, 0, sizeof err);
	cf_error_set(&err, CF_ERR_PLAIN, "invalid character");
	cf_gojson_nest_error(&err, "genSignRequest", "request");
	check(!strcmp(err.msg, "invalid character"), "nest: other errors untouched", err.msg);
}

int main(void)
{
	test_syntax();
	test_depth();
	test_values();
	test_types();
	test_quote();
	test_key_eq();
	test_struct();
	printf("test_gojson: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
