/* The unit tests' assertions: each counts a pass, or counts a failure and prints "FAIL" with
 * what failed. Each test program prints its totals. CHECK(cond, printf-style description) adds
 * the file and line; check(cond, what) and check_str(what, want, got) are the plain forms. */
#ifndef CF_TEST_CHECK_H
#define CF_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...)                                            \
	do {                                                        \
		if (cond) {                                         \
			passed++;                                   \
		} else {                                            \
			failed++;                                   \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                        \
			printf("\n");                               \
		}                                                   \
	} while (0)

static inline void check(int cond, const char *what)
{
	if (cond) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s\n", what);
	}
}

static inline void check_str(const char *what, const char *want, const char *got)
{
	if (got && strcmp(want, got) == 0) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s:\n  got  %s\n  want %s\n", what, got ? got : "(null)", want);
	}
}

#endif
