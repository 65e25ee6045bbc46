#include "flags.h"

#include <string.h>

#include "duration.h"
#include "goquote.h"

enum { PARSE_OK = 0, PARSE_SYNTAX = -1, PARSE_RANGE = -2 };

int cf_parse_bool(const char *s, int *out)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcmp(s, t[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(s, f[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static unsigned char lower(unsigned char c)
{
	return c | 0x20;
}

/* strconv's underscoreOK: underscores only between digits (a base prefix
 * counts as a digit). */
static int underscore_ok(const char *s)
{
	char saw = '^';
	int hex = 0;
	size_t i = 0, n;

	if (*s == '-' || *s == '+')
		s++;
	n = strlen(s);
	if (n >= 2 && s[0] == '0' &&
	    (lower((unsigned char)s[1]) == 'b' || lower((unsigned char)s[1]) == 'o' ||
	     lower((unsigned char)s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower((unsigned char)s[1]) == 'x';
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
			saw = '0';
			continue;
		}
		if (c == '_') {
			if (saw != '0')
				return 0;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return 0;
		saw = '!';
	}
	return saw != '_';
}

/* strconv.ParseUint(s, 0, 64), reporting syntax and range errors apart
 * because the flag package words them differently. */
static int parse_uint0(const char *s0, uint64_t *out)
{
	const char *s = s0;
	unsigned base = 10;
	int underscores = 0;
	uint64_t n = 0, cutoff;

	if (*s == '\0')
		return PARSE_SYNTAX;
	if (s[0] == '0') {
		size_t len = strlen(s);

		if (len >= 3 && lower((unsigned char)s[1]) == 'b') {
			base = 2;
			s += 2;
		} else if (len >= 3 && lower((unsigned char)s[1]) == 'o') {
			base = 8;
			s += 2;
		} else if (len >= 3 && lower((unsigned char)s[1]) == 'x') {
			base = 16;
			s += 2;
		} else {
			base = 8;
			s += 1;
		}
	}
	cutoff = UINT64_MAX / base + 1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		unsigned d;
		uint64_t n1;

		if (c == '_') {
			underscores = 1;
			continue;
		} else if (c >= '0' && c <= '9') {
			d = c - '0';
		} else if (lower(c) >= 'a' && lower(c) <= 'z') {
			d = (unsigned)(lower(c) - 'a') + 10;
		} else {
			return PARSE_SYNTAX;
		}
		if (d >= base)
			return PARSE_SYNTAX;
		if (n >= cutoff)
			return PARSE_RANGE;
		n *= base;
		n1 = n + d;
		if (n1 < n)
			return PARSE_RANGE;
		n = n1;
	}
	if (underscores && !underscore_ok(s0))
		return PARSE_SYNTAX;
	*out = n;
	return PARSE_OK;
}

static int parse_int0(const char *s, long long *out)
{
	uint64_t un = 0;
	int neg = 0, r;

	if (*s == '\0')
		return PARSE_SYNTAX;
	if (*s == '+') {
		s++;
	} else if (*s == '-') {
		neg = 1;
		s++;
	}
	r = parse_uint0(s, &un);
	if (r != PARSE_OK)
		return r;
	if (!neg && un >= (1ULL << 63))
		return PARSE_RANGE;
	if (neg && un > (1ULL << 63))
		return PARSE_RANGE;
	if (neg)
		*out = un == (1ULL << 63) ? INT64_MIN : -(long long)un;
	else
		*out = (long long)un;
	return PARSE_OK;
}

int cf_parse_int(const char *s, long long *out)
{
	return parse_int0(s, out) == PARSE_OK ? 0 : -1;
}

int cf_flags_find(const struct cf_flag_def *defs, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(defs[i].name, name) == 0)
			return i;
	return -1;
}

static enum cf_flags_result fail_value(struct cf_error *err, const char *fmt, const char *value,
				       const char *name, const char *why)
{
	struct cf_buf q = CF_BUF_INIT;

	cf_go_quote(&q, value, strlen(value));
	cf_error_set(err, CF_ERR_PLAIN, fmt, (const char *)q.data, name, why);
	cf_buf_release(&q);
	return CF_FLAGS_ERROR;
}

static void set_default(const struct cf_flag_def *def, struct cf_flag_value *v)
{
	memset(v, 0, sizeof(*v));
	v->str = def->def ? def->def : "";
	switch (def->type) {
	case CF_FLAG_STRING: break;
	case CF_FLAG_BOOL: cf_parse_bool(v->str, &v->b); break;
	case CF_FLAG_INT: cf_parse_int(v->str, &v->i); break;
	case CF_FLAG_DURATION: {
		struct cf_error e = {0};

		cf_duration_parse(v->str, &v->dur, &e);
		break;
	}
	}
}

enum cf_flags_result cf_flags_parse(const struct cf_flag_def *defs, int n,
				    struct cf_flag_value *vals, int argc, char **argv, int *npos,
				    char ***pos, struct cf_error *err)
{
	int i = 0;

	for (int k = 0; k < n; k++)
		set_default(&defs[k], &vals[k]);

	while (i < argc) {
		char *s = argv[i];
		char *name, *eq, *value = NULL;
		char namebuf[256];
		size_t nlen;
		int dashes = 1, idx;
		struct cf_flag_value *v;

		if (strlen(s) < 2 || s[0] != '-')
			break;
		if (s[1] == '-') {
			dashes = 2;
			if (s[2] == '\0') {
				i++; /* "--" ends the flags and is consumed */
				break;
			}
		}
		name = s + dashes;
		if (name[0] == '-' || name[0] == '=') {
			cf_error_set(err, CF_ERR_PLAIN, "bad flag syntax: %s", s);
			return CF_FLAGS_ERROR;
		}
		i++;
		/* '=' cannot be the first byte of the name (rejected above) */
		eq = strchr(name + 1, '=');
		nlen = eq ? (size_t)(eq - name) : strlen(name);
		if (eq)
			value = eq + 1;
		if (nlen >= sizeof(namebuf))
			nlen = sizeof(namebuf) -
			       1; /* longer than any defined flag: still unknown */
		memcpy(namebuf, name, nlen);
		namebuf[nlen] = '\0';

		idx = cf_flags_find(defs, n, namebuf);
		if (idx < 0) {
			if (strcmp(namebuf, "help") == 0 || strcmp(namebuf, "h") == 0)
				return CF_FLAGS_HELP;
			cf_error_set(err, CF_ERR_PLAIN, "flag provided but not defined: -%.*s",
				     (int)(eq ? (size_t)(eq - name) : strlen(name)), name);
			return CF_FLAGS_ERROR;
		}
		v = &vals[idx];

		if (defs[idx].type == CF_FLAG_BOOL) {
			int b;

			if (!value) {
				b = 1;
			} else if (cf_parse_bool(value, &b) < 0) {
				return fail_value(err, "invalid boolean value %s for -%s: %s",
						  value, namebuf, "parse error");
			}
			v->b = b;
			v->str = value ? value : "true";
			v->set = 1;
			continue;
		}

		if (!value && i < argc)
			value = argv[i++];
		if (!value) {
			cf_error_set(err, CF_ERR_PLAIN, "flag needs an argument: -%s", namebuf);
			return CF_FLAGS_ERROR;
		}
		switch (defs[idx].type) {
		case CF_FLAG_INT: {
			long long x = 0;
			int r = parse_int0(value, &x);

			if (r != PARSE_OK)
				return fail_value(
					err, "invalid value %s for flag -%s: %s", value, namebuf,
					r == PARSE_RANGE ? "value out of range" : "parse error");
			v->i = x;
			break;
		}
		case CF_FLAG_DURATION: {
			struct cf_error e = {0};
			int64_t d;

			if (cf_duration_parse(value, &d, &e) < 0)
				return fail_value(err, "invalid value %s for flag -%s: %s", value,
						  namebuf, "parse error");
			v->dur = d;
			break;
		}
		case CF_FLAG_STRING:
		case CF_FLAG_BOOL: break;
		}
		v->str = value;
		v->set = 1;
	}
	*npos = argc - i;
	*pos = argv + i;
	return CF_FLAGS_OK;
}

void cf_flags_usage_line(struct cf_buf *b, const struct cf_flag_def *def)
{
	const char *d = def->def ? def->def : "";

	if (*d == '\0')
		cf_buf_printf(b, "  -%s=\"\": %s\n", def->name, def->help);
	else
		cf_buf_printf(b, "  -%s=%s: %s\n", def->name, d, def->help);
}

static int go_zero_default(const struct cf_flag_def *def)
{
	const char *d = def->def ? def->def : "";
	switch (def->type) {
	case CF_FLAG_STRING: return *d == '\0';
	case CF_FLAG_BOOL: return !*d || !strcmp(d, "false");
	case CF_FLAG_INT: return !*d || !strcmp(d, "0");
	case CF_FLAG_DURATION: return !*d || !strcmp(d, "0s");
	}
	return 0;
}

void cf_flags_go_defaults(struct cf_buf *b, const struct cf_flag_def *defs, int n)
{
	static const char *const type_names[] = {
		[CF_FLAG_STRING] = "string",
		[CF_FLAG_BOOL] = "",
		[CF_FLAG_INT] = "int",
		[CF_FLAG_DURATION] = "duration",
	};
	const struct cf_flag_def *sorted[64];
	int m = 0;
	for (int i = 0; i < n && m < 64; i++) {
		if (!defs[i].name || !*defs[i].name)
			continue;
		int j = m++;
		while (j > 0 && strcmp(sorted[j - 1]->name, defs[i].name) > 0) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = &defs[i];
	}
	for (int i = 0; i < m; i++) {
		const struct cf_flag_def *d = sorted[i];
		const char *type = type_names[d->type];
		size_t start = b->len;
		cf_buf_printf(b, "  -%s%s%s", d->name, *type ? " " : "", type);
		cf_buf_printf(b, b->len - start <= 4 ? "\t" : "\n    \t");
		for (const char *h = d->help; *h; h++)
			cf_buf_printf(b, *h == '\n' ? "\n    \t" : "%c", *h);
		if (!go_zero_default(d)) {
			if (d->type == CF_FLAG_STRING)
				cf_buf_printf(b, " (default \"%s\")", d->def);
			else
				cf_buf_printf(b, " (default %s)", d->def);
		}
		cf_buf_printf(b, "\n");
	}
}
