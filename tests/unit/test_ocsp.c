/* The OCSP module's argument parsing: cfssl's status names and
 * ReasonStringToCode (§12.9, §12.10, strconv.Atoi), and Go's
 * time.Parse("2006-01-02") with its error texts. The responses themselves
 * are checked end to end with openssl (tests/test_ocspsign.sh). */
#include <stdio.h>
#include <string.h>

#include "ocsp.h"

#include "check.h"

static void test_status(void)
{
	check(cf_ocsp_status_code("good") == 0, "good = 0");
	check(cf_ocsp_status_code("revoked") == 1, "revoked = 1");
	check(cf_ocsp_status_code("unknown") == 2, "unknown = 2");
	check(cf_ocsp_status_code("Good") == -1, "status names are case-sensitive");
	check(cf_ocsp_status_code("") == -1, "empty status");
}

static void test_reason(void)
{
	static const struct {
		const char *in;
		int want;
		int code; /* expected error code, -1 = none */
		const char *msg;
	} cases[] = {
		{"", 0, -1, NULL},
		{"unspecified", 0, -1, NULL},
		{"keyCompromise", 1, -1, NULL},
		{"CACOMPROMISE", 2, -1, NULL},
		{"affiliationchanged", 3, -1, NULL},
		{"superseded", 4, -1, NULL},
		{"cessationofoperation", 5, -1, NULL},
		{"certificatehold", 6, -1, NULL},
		{"removefromcrl", 8, -1, NULL},
		{"privilegewithdrawn", 9, -1, NULL},
		{"aacompromise", 10, -1, NULL},
		{"1", 1, -1, NULL},
		{"9", 9, -1, NULL},
		{"+5", 5, -1, NULL},
		{"007", 7, -1, NULL},
		{"0", 0, 8200, "Invalid revocation status"},
		{"10", 0, 8200, "Invalid revocation status"},
		{"-1", 0, 8200, "Invalid revocation status"},
		{"abc", 0, 0, "strconv.Atoi: parsing \"abc\": invalid syntax"},
		{"1.5", 0, 0, "strconv.Atoi: parsing \"1.5\": invalid syntax"},
		{"-", 0, 0, "strconv.Atoi: parsing \"-\": invalid syntax"},
		{"0x1", 0, 0, "strconv.Atoi: parsing \"0x1\": invalid syntax"},
		{"1_0", 0, 0, "strconv.Atoi: parsing \"1_0\": invalid syntax"},
		{"99999999999999999999", 0, 0,
		 "strconv.Atoi: parsing \"99999999999999999999\": value out of range"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cf_error err = {0};
		int v = -1;
		int r = cf_ocsp_reason_code(cases[i].in, &v, &err);
		char what[CF_ERROR_MSG_MAX + 128];
		if (cases[i].code < 0) {
			snprintf(what, sizeof what, "reason \"%s\" = %d (got %d, %s)", cases[i].in,
				 cases[i].want, v, err.msg);
			check(r == 0 && v == cases[i].want, what);
		} else {
			snprintf(what, sizeof what, "reason \"%s\": got %d \"%s\"", cases[i].in,
				 err.code, err.msg);
			check(r < 0 && err.code == cases[i].code && !strcmp(err.msg, cases[i].msg),
			      what);
		}
	}
}

static void test_date(void)
{
	static const struct {
		const char *in;
		long long want;
		const char *err;
	} cases[] = {
		{"2024-01-01", 1704067200, NULL},
		{"1970-01-01", 0, NULL},
		{"2024-02-29", 1709164800, NULL},
		{"2000-02-29", 951782400, NULL},
		{"1969-12-31", -86400, NULL},
		{"2024-13-01", 0, "parsing time \"2024-13-01\": month out of range"},
		{"2024-00-10", 0, "parsing time \"2024-00-10\": month out of range"},
		{"2023-02-29", 0, "parsing time \"2023-02-29\": day out of range"},
		{"1900-02-29", 0, "parsing time \"1900-02-29\": day out of range"},
		{"2024-04-31", 0, "parsing time \"2024-04-31\": day out of range"},
		{"2024-04-00", 0, "parsing time \"2024-04-00\": day out of range"},
		{"", 0, "parsing time \"\" as \"2006-01-02\": cannot parse \"\" as \"2006\""},
		{"now!", 0,
		 "parsing time \"now!\" as \"2006-01-02\": cannot parse \"now!\" as \"2006\""},
		{"2a24-01-01", 0,
		 "parsing time \"2a24-01-01\" as \"2006-01-02\": cannot parse \"2a24-01-01\" as "
		 "\"2006\""},
		{"2024/01/01", 0,
		 "parsing time \"2024/01/01\" as \"2006-01-02\": cannot parse \"/01/01\" as \"-\""},
		{"2024-1-01", 0,
		 "parsing time \"2024-1-01\" as \"2006-01-02\": cannot parse \"1-01\" as \"01\""},
		{"2024-01-1", 0,
		 "parsing time \"2024-01-1\" as \"2006-01-02\": cannot parse \"1\" as \"02\""},
		{"2024-01-01T00", 0, "parsing time \"2024-01-01T00\": extra text: \"T00\""},
		{"2024-01-0\xc3\xa9", 0,
		 "parsing time \"2024-01-0\\xc3\\xa9\" as \"2006-01-02\": cannot parse "
		 "\"0\\xc3\\xa9\" as \"02\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cf_error err = {0};
		int64_t v = 12345;
		int r = cf_ocsp_parse_date(cases[i].in, &v, &err);
		char what[CF_ERROR_MSG_MAX + 128];
		if (cases[i].err) {
			snprintf(what, sizeof what, "date \"%s\": got \"%s\"", cases[i].in,
				 err.msg);
			check(r < 0 && !strcmp(err.msg, cases[i].err), what);
		} else {
			snprintf(what, sizeof what, "date \"%s\" = %lld (got %lld, %s)",
				 cases[i].in, cases[i].want, (long long)v, err.msg);
			check(r == 0 && v == cases[i].want, what);
		}
	}
}

int main(void)
{
	test_status();
	test_reason();
	test_date();
	printf("test_ocsp: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
