/* Go time.ParseDuration and Duration.String(), cases from the spec (§5.8,
 * §3.2 defaults) and from Go's own time package test tables. */
#include <stdio.h>
#include <string.h>

#include "duration.h"

#define NS   1LL
#define US   (1000 * NS)
#define MS   (1000 * US)
#define SEC  (1000 * MS)
#define MIN  (60 * SEC)
#define HOUR (60 * MIN)

static int passed, failed;

static const struct {
	const char *in;
	int64_t want;
} parse_ok[] = {
	{"0", 0},
	{"-0", 0},
	{"+0", 0},
	{"5s", 5 * SEC},
	{"30s", 30 * SEC},
	{"1478s", 1478 * SEC},
	{"-5s", -5 * SEC},
	{"+5s", 5 * SEC},
	{"-0s", 0},
	{"5.0s", 5 * SEC},
	{"5.6s", 5 * SEC + 600 * MS},
	{"5.s", 5 * SEC},
	{".5s", 500 * MS},
	{"1.0s", SEC},
	{"1.00s", SEC},
	{"1.004s", SEC + 4 * MS},
	{"1.0040s", SEC + 4 * MS},
	{"100.00100s", 100 * SEC + 1 * MS},
	{"10ns", 10 * NS},
	{"11us", 11 * US},
	{"12\xc2\xb5s", 12 * US}, /* U+00B5 */
	{"12\xce\xbcs", 12 * US}, /* U+03BC */
	{"13ms", 13 * MS},
	{"14s", 14 * SEC},
	{"15m", 15 * MIN},
	{"16h", 16 * HOUR},
	{"3h30m", 3 * HOUR + 30 * MIN},
	{"10.5s4m", 4 * MIN + 10 * SEC + 500 * MS},
	{"-2m3.4s", -(2 * MIN + 3 * SEC + 400 * MS)},
	{"1h2m3s4ms5us6ns", 1 * HOUR + 2 * MIN + 3 * SEC + 4 * MS + 5 * US + 6 * NS},
	{"39h9m14.425s", 39 * HOUR + 9 * MIN + 14 * SEC + 425 * MS},
	{"52763797000ns", 52763797000 * NS},
	{"0.3333333333333333333h", 20 * MIN},
	{"9007199254740993ns", (1LL << 53) + 1},
	{"9223372036854775807ns", INT64_MAX},
	{"9223372036854775.807us", INT64_MAX},
	{"9223372036s854ms775us807ns", INT64_MAX},
	{"-9223372036854775808ns", INT64_MIN},
	{"-9223372036854775.808us", INT64_MIN},
	{"-9223372036s854ms775us808ns", INT64_MIN},
	{"-2562047h47m16.854775808s", INT64_MIN},
	{"0.100000000000000000000h", 6 * MIN},
	{"0.830103483285477580700h", 49 * MIN + 48 * SEC + 372539827 * NS},
	{"8760h", 8760 * HOUR},
	{"1.5h", 90 * MIN},
	{"-1h", -HOUR},
	{"90m30s", 90 * MIN + 30 * SEC},
	{"96h", 96 * HOUR},
	{"168h", 168 * HOUR},
};

static const struct {
	const char *in;
	const char *msg;
} parse_err[] = {
	{"", "time: invalid duration \"\""},
	{"3", "time: missing unit in duration \"3\""},
	{"5", "time: missing unit in duration \"5\""},
	{"1.5", "time: missing unit in duration \"1.5\""},
	{"1h5", "time: missing unit in duration \"1h5\""},
	{"-", "time: invalid duration \"-\""},
	{"+", "time: invalid duration \"+\""},
	{"s", "time: invalid duration \"s\""},
	{"x", "time: invalid duration \"x\""},
	{".", "time: invalid duration \".\""},
	{"-.", "time: invalid duration \"-.\""},
	{".s", "time: invalid duration \".s\""},
	{"+.s", "time: invalid duration \"+.s\""},
	{"--1s", "time: invalid duration \"--1s\""},
	{"1d", "time: unknown unit \"d\" in duration \"1d\""},
	{"1y", "time: unknown unit \"y\" in duration \"1y\""},
	{"1H", "time: unknown unit \"H\" in duration \"1H\""},
	{"1h 2m", "time: unknown unit \"h \" in duration \"1h 2m\""},
	{"1\xc2\xb5", "time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\""},
	{"\xc2\xb5s", "time: invalid duration \"\\xc2\\xb5s\""},
	{"\x85\x85", "time: invalid duration \"\\x85\\x85\""},
	{"\xff"
	 "ff",
	 "time: invalid duration \"\\xffff\""},
	{"hello \xff"
	 "ff world",
	 "time: invalid duration \"hello \\xffff world\""},
	{"\xef\xbf\xbd", "time: invalid duration \"\\xef\\xbf\\xbd\""},
	{"1\"s", "time: unknown unit \"\\\"s\" in duration \"1\\\"s\""},
	{"a\\b", "time: invalid duration \"a\\\\b\""},
	{"\t1s", "time: invalid duration \"\\x091s\""},
	{"9223372036854775810ns", "time: invalid duration \"9223372036854775810ns\""},
	{"9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""},
	{"-9223372036854775809ns", "time: invalid duration \"-9223372036854775809ns\""},
	{"9223372036854776us", "time: invalid duration \"9223372036854776us\""},
	{"3000000h", "time: invalid duration \"3000000h\""},
	{"9223372036854775.808us", "time: invalid duration \"9223372036854775.808us\""},
	{"9223372036854ms775us808ns", "time: invalid duration \"9223372036854ms775us808ns\""},
	{"99999999999999999999h", "time: invalid duration \"99999999999999999999h\""},
};

static const struct {
	int64_t in;
	const char *want;
} format[] = {
	{0, "0s"},
	{1 * NS, "1ns"},
	{1100 * NS, "1.1\xc2\xb5s"},
	{2 * US, "2\xc2\xb5s"},
	{2200 * US, "2.2ms"},
	{1 * MS, "1ms"},
	{3300 * MS, "3.3s"},
	{1500 * MS, "1.5s"},
	{4 * MIN + 5 * SEC, "4m5s"},
	{4 * MIN + 5001 * MS, "4m5.001s"},
	{5 * HOUR + 6 * MIN + 7001 * MS, "5h6m7.001s"},
	{8 * MIN + 1 * NS, "8m0.000000001s"},
	{INT64_MAX, "2562047h47m16.854775807s"},
	{INT64_MIN, "-2562047h47m16.854775808s"},
	{168 * HOUR, "168h0m0s"},
	{96 * HOUR, "96h0m0s"},
	{5 * MIN, "5m0s"},
	{-HOUR, "-1h0m0s"},
	{-1500 * MS, "-1.5s"},
	{-1 * NS, "-1ns"},
	{HOUR, "1h0m0s"},
	{60 * SEC, "1m0s"},
	{SEC, "1s"},
	{8760 * HOUR, "8760h0m0s"},
	{999999999 * NS, "999.999999ms"},
};

static void check(int ok, const char *what, const char *in, const char *got, const char *want)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s [%s]: got [%s], want [%s]\n", what, in, got, want);
}

int main(void)
{
	char buf[64], got[1200], want[64];

	for (size_t i = 0; i < sizeof(parse_ok) / sizeof(parse_ok[0]); i++) {
		struct cf_error err = {0};
		int64_t d = 12345;
		int rc = cf_duration_parse(parse_ok[i].in, &d, &err);

		snprintf(got, sizeof(got), "rc=%d %lld %s", rc, (long long)d, err.msg);
		snprintf(want, sizeof(want), "rc=0 %lld ", (long long)parse_ok[i].want);
		check(rc == 0 && d == parse_ok[i].want && !err.set, "parse", parse_ok[i].in, got,
		      want);
	}
	for (size_t i = 0; i < sizeof(parse_err) / sizeof(parse_err[0]); i++) {
		struct cf_error err = {0};
		int64_t d = 0;
		int rc = cf_duration_parse(parse_err[i].in, &d, &err);

		check(rc == -1 && err.set && err.code == 0 &&
			      strcmp(err.msg, parse_err[i].msg) == 0,
		      "parse error", parse_err[i].in, err.msg, parse_err[i].msg);
	}
	for (size_t i = 0; i < sizeof(format) / sizeof(format[0]); i++) {
		snprintf(got, sizeof(got), "%lld", (long long)format[i].in);
		cf_duration_format(format[i].in, buf, sizeof(buf));
		check(strcmp(buf, format[i].want) == 0, "format", got, buf, format[i].want);
	}
	/* truncation keeps a NUL-terminated prefix */
	cf_duration_format(168 * HOUR, buf, 4);
	check(strcmp(buf, "168") == 0, "format truncated", "168h/4", buf, "168");
	/* round trip of the flag defaults */
	{
		static const char *const defs[] = {"96h0m0s", "5m0s", "168h0m0s"};

		for (size_t i = 0; i < 3; i++) {
			struct cf_error err = {0};
			int64_t d = 0;

			cf_duration_parse(defs[i], &d, &err);
			cf_duration_format(d, buf, sizeof(buf));
			check(strcmp(buf, defs[i]) == 0, "round trip", defs[i], buf, defs[i]);
		}
	}

	printf("test_duration: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
