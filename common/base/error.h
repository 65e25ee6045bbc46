/* Errors as cfssl reports them.
 *
 * cfssl prints a failure either as compact JSON {"code":N,"message":"..."}
 * (its own error package) or as the plain text of a Go library error. A
 * struct cf_error carries either: code 0 means plain text. The first error
 * set wins; later cf_error_set calls on a set error are ignored, so callers
 * may wrap blindly. */
#ifndef CF_ERROR_H
#define CF_ERROR_H

#include <stddef.h>

/* cfssl's category + reason codes (errors/error.go) */
enum {
	CF_ERR_PLAIN = 0,
	CF_ERR_CERT_UNKNOWN = 1000,
	CF_ERR_CERT_READ = 1001,
	CF_ERR_CERT_DECODE = 1002,
	CF_ERR_CERT_PARSE = 1003,
	CF_ERR_CERT_MISSING_SERIAL = 1400,
	CF_ERR_KEY_UNKNOWN = 2000,
	CF_ERR_KEY_READ = 2001,
	CF_ERR_KEY_DECODE = 2002,
	CF_ERR_KEY_PARSE = 2003,
	CF_ERR_KEY_ENCRYPTED = 2100,
	CF_ERR_KEY_ALGO = 2200,
	CF_ERR_KEY_MISMATCH = 2300,
	CF_ERR_KEY_GENERATE = 2400,
	CF_ERR_KEY_UNAVAILABLE = 2500,
	CF_ERR_POLICY_NO_USAGE = 5100,
	CF_ERR_DIAL = 6000,
	CF_ERR_POLICY_INVALID = 5200,
	CF_ERR_POLICY_VIOLATION = 5300,
	CF_ERR_POLICY_PROFILE = 5400,
	CF_ERR_POLICY_WHITELIST = 5500,
	CF_ERR_CSR_DECODE = 9002,
	CF_ERR_CSR_PARSE = 9003,
	CF_ERR_CSR_BAD = 9300,
};

#define CF_ERROR_MSG_MAX 1024

struct cf_error {
	int set;  /* non-zero once an error was recorded */
	int code; /* cfssl code, or CF_ERR_PLAIN */
	/* Set when the message is shown without JSON although a code exists
	 * (e.g. "Failed to load config file: " prefixes are added by callers). */
	char msg[CF_ERROR_MSG_MAX];
};

/* Records the first error; returns -1 so callers can "return cf_error_set(...)". */
int cf_error_set(struct cf_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Renders the error as cfssl prints it (JSON for coded errors, else the
 * text), without a trailing newline, into @out (NUL-terminated, truncated to @n). */
void cf_error_render(const struct cf_error *e, char *out, size_t n);
void cf_error_clear(struct cf_error *e);

#endif
