/* Go's "flag" package, as cfssl and cfssljson use it.
 *
 * A flag set is a table of definitions plus one value slot each. Parsing
 * follows Go: one or two dashes, -name=value or -name value (not for
 * booleans), parsing stops at the first non-flag argument, at a lone "-"
 * (kept as a positional) or after "--" (consumed); the last occurrence of a
 * flag wins; -h/-help/--help ask for usage when no such flag is defined. */
#ifndef CF_FLAGS_H
#define CF_FLAGS_H

#include <stdint.h>

#include "buf.h"
#include "error.h"

enum cf_flag_type { CF_FLAG_STRING, CF_FLAG_BOOL, CF_FLAG_INT, CF_FLAG_DURATION };

struct cf_flag_def {
	const char *name;
	enum cf_flag_type type;
	const char *def;  /* default, in the text form Go accepts for the type */
	const char *help; /* usage line text */
};

struct cf_flag_value {
	int set;         /* given on the command line */
	const char *str; /* CF_FLAG_STRING: borrowed from argv or the default */
	int b;           /* CF_FLAG_BOOL */
	long long i;     /* CF_FLAG_INT (Go strconv.ParseInt(s, 0, 64)) */
	int64_t dur;     /* CF_FLAG_DURATION, nanoseconds */
};

enum cf_flags_result {
	CF_FLAGS_OK = 0,
	CF_FLAGS_ERROR =
		-1,        /* @err holds Go's message, e.g. "flag provided but not defined: -foo" */
	CF_FLAGS_HELP = 1, /* -h, -help or --help */
};

/* Initialises @vals[0..n) from the defaults, then parses @argv[0..argc).
 * On success *@npos and *@pos describe the positional arguments left
 * (pointing into @argv). */
enum cf_flags_result cf_flags_parse(const struct cf_flag_def *defs, int n,
				    struct cf_flag_value *vals, int argc, char **argv, int *npos,
				    char ***pos, struct cf_error *err);

/* Index of flag @name in @defs, or -1. */
int cf_flags_find(const struct cf_flag_def *defs, int n, const char *name);

/* Appends cfssl's usage line for one flag: "  -name=default: help\n",
 * the default quoted ("") when empty. */
void cf_flags_usage_line(struct cf_buf *b, const struct cf_flag_def *def);

/* Appends Go's flag.PrintDefaults for @defs[0..n) (at most 64; unnamed rows skipped): sorted by
 * name, "  -name type\n    \thelp (default value)\n", as Go programs print after "Usage of X:". */
void cf_flags_go_defaults(struct cf_buf *b, const struct cf_flag_def *defs, int n);

/* Go's strconv.ParseBool and strconv.ParseInt(s, 0, 64). Return 0 / -1. */
int cf_parse_bool(const char *s, int *out);
int cf_parse_int(const char *s, long long *out);

#endif
