#ifndef CF_REGEX_H
#define CF_REGEX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* name_whitelist matching with RE2, the engine behind Go's regexp that cfssl
 * compiles the whitelist with: the same syntax, Perl classes and (?flags),
 * an unanchored search, `.` never matching a newline, and subjects taken
 * with their length, so a NUL inside a name is just another byte. */
struct cf_regex;

/* NULL when RE2 refuses @pattern or Go's regexp would: `\C` (any byte) is
 * RE2-only. Safe to use from several threads once compiled. */
struct cf_regex *cf_regex_compile(const char *pattern);
/* The same; on failure also writes Go's regexp.Compile error text into @why (@n bytes,
 * NUL-terminated), e.g. "error parsing regexp: missing closing ): `(`". */
struct cf_regex *cf_regex_compile_err(const char *pattern, char *why, size_t n);
/* 1 when @s[0..len) contains a match. */
int cf_regex_match(const struct cf_regex *re, const char *s, size_t len);
void cf_regex_free(struct cf_regex *re);

#ifdef __cplusplus
}
#endif

#endif
