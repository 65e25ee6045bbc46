/* JSON as Go's encoding/json (Go 1.19) reads and writes it. */
#include "gojson.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "error.h"

/* Go's scanner.maxNestingDepth */
#define MAX_DEPTH 10000

static const char lowerhex[] = "0123456789abcdef";

/* Jansson only fails on out-of-memory here; die like cf_xmalloc does. */
static json_t *must(json_t *v)
{
	if (!v)
		abort();
	return v;
}

/* Length of the valid UTF-8 sequence at @s (utf8.DecodeRune's rules: no
 * overlongs, no surrogates, nothing above U+10FFFF), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (n < need || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < need; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return need;
}

static void put_utf8(struct cf_buf *b, uint32_t r)
{
	unsigned char u[4];
	size_t n;

	if (r < 0x80) {
		u[0] = (unsigned char)r;
		n = 1;
	} else if (r < 0x800) {
		u[0] = (unsigned char)(0xc0 | (r >> 6));
		u[1] = (unsigned char)(0x80 | (r & 0x3f));
		n = 2;
	} else if (r < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (r >> 12));
		u[1] = (unsigned char)(0x80 | ((r >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (r & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | (r >> 18));
		u[1] = (unsigned char)(0x80 | ((r >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((r >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (r & 0x3f));
		n = 4;
	}
	cf_buf_add(b, u, n);
}

/* ---- Side table of number literals ----
 *
 * Go prints the source literal in "cannot unmarshal number 2048.0 into ..."
 * and Jansson keeps only the double, so every number that becomes a
 * json_real remembers its literal here, keyed by the node. The table
 * belongs to the most recent cf_gojson_parse call: it is emptied when the
 * next parse starts (the tools parse and decode one document at a time).
 * The stored double guards against a recycled node address. */
struct numlit {
	const json_t *v;
	double d;
	char *lit;
};

static _Thread_local struct {
	struct numlit *e;
	size_t n, cap;
} lits;

static void lits_clear(void)
{
	size_t i;

	for (i = 0; i < lits.n; i++)
		free(lits.e[i].lit);
	free(lits.e);
	lits.e = NULL;
	lits.n = lits.cap = 0;
}

static void lits_add(const json_t *v, double d, const char *lit, size_t len)
{
	if (lits.n == lits.cap) {
		lits.cap = lits.cap ? lits.cap * 2 : 16;
		lits.e = cf_xrealloc(lits.e, lits.cap * sizeof(*lits.e));
	}
	lits.e[lits.n].v = v;
	lits.e[lits.n].d = d;
	lits.e[lits.n].lit = cf_xmemdup(lit, len);
	lits.n++;
}

static const char *lits_find(const json_t *v)
{
	size_t i;

	for (i = lits.n; i-- > 0;)
		if (lits.e[i].v == v && lits.e[i].d == json_real_value(v))
			return lits.e[i].lit;
	return NULL;
}

int cf_gojson_number_text(const json_t *v, struct cf_buf *out)
{
	char num[64];
	const char *lit = NULL;

	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		lit = num;
	} else if (json_is_real(v)) {
		lit = lits_find(v);
		if (!lit) {
			snprintf(num, sizeof(num), "%.17g", json_real_value(v));
			lit = num;
		}
	} else {
		return -1;
	}
	cf_buf_add(out, lit, strlen(lit));
	return 0;
}

/* ---- Validation: a port of encoding/json's scanner ---- */

enum { PARSE_OBJECT_KEY, PARSE_OBJECT_VALUE, PARSE_ARRAY_VALUE };

struct scanner {
	int (*step)(struct scanner *s, unsigned char c);
	unsigned char *stack; /* parse states, at most MAX_DEPTH + 1 */
	size_t depth;
	int end_top;
	int failed;
	char msg[96];
};

/* Go's quoteChar: the byte as a rune, quoted by strconv.Quote between
 * single quotes. */
static void quote_char(char *out, size_t n, unsigned char c)
{
	if (c == '\'') {
		snprintf(out, n, "'\\''");
		return;
	}
	if (c == '"') {
		snprintf(out, n, "'\"'");
		return;
	}
	switch (c) {
	case '\a': snprintf(out, n, "'\\a'"); return;
	case '\b': snprintf(out, n, "'\\b'"); return;
	case '\f': snprintf(out, n, "'\\f'"); return;
	case '\n': snprintf(out, n, "'\\n'"); return;
	case '\r': snprintf(out, n, "'\\r'"); return;
	case '\t': snprintf(out, n, "'\\t'"); return;
	case '\v': snprintf(out, n, "'\\v'"); return;
	case '\\': snprintf(out, n, "'\\\\'"); return;
	default: break;
	}
	if (c < 0x20 || c == 0x7f)
		snprintf(out, n, "'\\x%c%c'", lowerhex[c >> 4], lowerhex[c & 0xf]);
	else if (c < 0x80)
		snprintf(out, n, "'%c'", c);
	/* U+0080..U+00A0 and U+00AD are not printable for strconv */
	else if (c <= 0xa0 || c == 0xad)
		snprintf(out, n, "'\\u00%c%c'", lowerhex[c >> 4], lowerhex[c & 0xf]);
	else
		snprintf(out, n, "'%c%c'", 0xc0 | (c >> 6), 0x80 | (c & 0x3f));
}

static int scan_error(struct scanner *s, unsigned char c, const char *context)
{
	char q[16];

	quote_char(q, sizeof(q), c);
	snprintf(s->msg, sizeof(s->msg), "invalid character %s %s", q, context);
	s->failed = 1;
	return -1;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int st_begin_value(struct scanner *s, unsigned char c);
static int st_begin_string(struct scanner *s, unsigned char c);
static int st_end_value(struct scanner *s, unsigned char c);
static int st_in_string(struct scanner *s, unsigned char c);
static int st_0(struct scanner *s, unsigned char c);
static int st_1(struct scanner *s, unsigned char c);

static int push_state(struct scanner *s, unsigned char c, unsigned char ps)
{
	s->stack[s->depth++] = ps;
	if (s->depth <= MAX_DEPTH)
		return 0;
	return scan_error(s, c, "exceeded max depth");
}

static int st_end_top(struct scanner *s, unsigned char c)
{
	if (!is_space(c))
		return scan_error(s, c, "after top-level value");
	return 0;
}

static void pop_state(struct scanner *s)
{
	s->depth--;
	if (s->depth == 0) {
		s->step = st_end_top;
		s->end_top = 1;
	} else {
		s->step = st_end_value;
	}
}

static int st_begin_value_or_empty(struct scanner *s, unsigned char c)
{
	if (is_space(c))
		return 0;
	if (c == ']')
		return st_end_value(s, c);
	return st_begin_value(s, c);
}

static int st_begin_string_or_empty(struct scanner *s, unsigned char c)
{
	if (is_space(c))
		return 0;
	if (c == '}') {
		s->stack[s->depth - 1] = PARSE_OBJECT_VALUE;
		return st_end_value(s, c);
	}
	return st_begin_string(s, c);
}

#define LITERAL_STATE(name, want, wants, next, what)                                    \
	static int name(struct scanner *s, unsigned char c)                             \
	{                                                                               \
		if (c == (want)) {                                                      \
			s->step = (next);                                               \
			return 0;                                                       \
		}                                                                       \
		return scan_error(s, c, "in literal " what " (expecting '" wants "')"); \
	}

LITERAL_STATE(st_tru, 'e', "e", st_end_value, "true")
LITERAL_STATE(st_tr, 'u', "u", st_tru, "true")
LITERAL_STATE(st_t, 'r', "r", st_tr, "true")
LITERAL_STATE(st_fals, 'e', "e", st_end_value, "false")
LITERAL_STATE(st_fal, 's', "s", st_fals, "false")
LITERAL_STATE(st_fa, 'l', "l", st_fal, "false")
LITERAL_STATE(st_f, 'a', "a", st_fa, "false")
LITERAL_STATE(st_nul, 'l', "l", st_end_value, "null")
LITERAL_STATE(st_nu, 'l', "l", st_nul, "null")
LITERAL_STATE(st_n, 'u', "u", st_nu, "null")

static int st_neg(struct scanner *s, unsigned char c)
{
	if (c == '0') {
		s->step = st_0;
		return 0;
	}
	if (c >= '1' && c <= '9') {
		s->step = st_1;
		return 0;
	}
	return scan_error(s, c, "in numeric literal");
}

static int st_e0(struct scanner *s, unsigned char c)
{
	if (c >= '0' && c <= '9')
		return 0;
	return st_end_value(s, c);
}

static int st_esign(struct scanner *s, unsigned char c)
{
	if (c >= '0' && c <= '9') {
		s->step = st_e0;
		return 0;
	}
	return scan_error(s, c, "in exponent of numeric literal");
}

static int st_e(struct scanner *s, unsigned char c)
{
	if (c == '+' || c == '-') {
		s->step = st_esign;
		return 0;
	}
	return st_esign(s, c);
}

static int st_dot0(struct scanner *s, unsigned char c)
{
	if (c >= '0' && c <= '9')
		return 0;
	if (c == 'e' || c == 'E') {
		s->step = st_e;
		return 0;
	}
	return st_end_value(s, c);
}

static int st_dot(struct scanner *s, unsigned char c)
{
	if (c >= '0' && c <= '9') {
		s->step = st_dot0;
		return 0;
	}
	return scan_error(s, c, "after decimal point in numeric literal");
}

static int st_0(struct scanner *s, unsigned char c)
{
	if (c == '.') {
		s->step = st_dot;
		return 0;
	}
	if (c == 'e' || c == 'E') {
		s->step = st_e;
		return 0;
	}
	return st_end_value(s, c);
}

static int st_1(struct scanner *s, unsigned char c)
{
	if (c >= '0' && c <= '9')
		return 0;
	return st_0(s, c);
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

#define HEX_STATE(name, next)                                                   \
	static int name(struct scanner *s, unsigned char c)                     \
	{                                                                       \
		if (is_hex(c)) {                                                \
			s->step = (next);                                       \
			return 0;                                               \
		}                                                               \
		return scan_error(s, c, "in \\u hexadecimal character escape"); \
	}

HEX_STATE(st_esc_u123, st_in_string)
HEX_STATE(st_esc_u12, st_esc_u123)
HEX_STATE(st_esc_u1, st_esc_u12)
HEX_STATE(st_esc_u, st_esc_u1)

static int st_in_string_esc(struct scanner *s, unsigned char c)
{
	switch (c) {
	case 'b':
	case 'f':
	case 'n':
	case 'r':
	case 't':
	case '\\':
	case '/':
	case '"': s->step = st_in_string; return 0;
	case 'u': s->step = st_esc_u; return 0;
	default: return scan_error(s, c, "in string escape code");
	}
}

static int st_in_string(struct scanner *s, unsigned char c)
{
	if (c == '"') {
		s->step = st_end_value;
		return 0;
	}
	if (c == '\\') {
		s->step = st_in_string_esc;
		return 0;
	}
	if (c < 0x20)
		return scan_error(s, c, "in string literal");
	return 0;
}

static int st_begin_value(struct scanner *s, unsigned char c)
{
	if (is_space(c))
		return 0;
	switch (c) {
	case '{': s->step = st_begin_string_or_empty; return push_state(s, c, PARSE_OBJECT_KEY);
	case '[': s->step = st_begin_value_or_empty; return push_state(s, c, PARSE_ARRAY_VALUE);
	case '"': s->step = st_in_string; return 0;
	case '-': s->step = st_neg; return 0;
	case '0': s->step = st_0; return 0;
	case 't': s->step = st_t; return 0;
	case 'f': s->step = st_f; return 0;
	case 'n': s->step = st_n; return 0;
	default: break;
	}
	if (c >= '1' && c <= '9') {
		s->step = st_1;
		return 0;
	}
	return scan_error(s, c, "looking for beginning of value");
}

static int st_begin_string(struct scanner *s, unsigned char c)
{
	if (is_space(c))
		return 0;
	if (c == '"') {
		s->step = st_in_string;
		return 0;
	}
	return scan_error(s, c, "looking for beginning of object key string");
}

static int st_end_value(struct scanner *s, unsigned char c)
{
	if (s->depth == 0) {
		s->step = st_end_top;
		s->end_top = 1;
		return st_end_top(s, c);
	}
	if (is_space(c)) {
		s->step = st_end_value;
		return 0;
	}
	switch (s->stack[s->depth - 1]) {
	case PARSE_OBJECT_KEY:
		if (c == ':') {
			s->stack[s->depth - 1] = PARSE_OBJECT_VALUE;
			s->step = st_begin_value;
			return 0;
		}
		return scan_error(s, c, "after object key");
	case PARSE_OBJECT_VALUE:
		if (c == ',') {
			s->stack[s->depth - 1] = PARSE_OBJECT_KEY;
			s->step = st_begin_string;
			return 0;
		}
		if (c == '}') {
			pop_state(s);
			return 0;
		}
		return scan_error(s, c, "after object key:value pair");
	default:
		if (c == ',') {
			s->step = st_begin_value;
			return 0;
		}
		if (c == ']') {
			pop_state(s);
			return 0;
		}
		return scan_error(s, c, "after array element");
	}
}

/* checkValid + scanner.eof: 0 when @data is one valid JSON value. */
static int check_valid(const unsigned char *data, size_t len, struct cf_error *err)
{
	struct scanner s;
	size_t i;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.step = st_begin_value;
	s.stack = cf_xmalloc(MAX_DEPTH + 1);
	for (i = 0; i < len; i++)
		if (s.step(&s, data[i]) < 0)
			break;
	if (!s.failed && !s.end_top) {
		/* Go feeds a space at the end: numbers and "true" complete,
		 * while a half literal still reports its own error. */
		s.step(&s, ' ');
		if (!s.end_top && !s.failed)
			snprintf(s.msg, sizeof(s.msg), "unexpected end of JSON input");
		if (!s.end_top)
			s.failed = 1;
	}
	if (s.failed)
		rc = cf_error_set(err, CF_ERR_PLAIN, "%s", s.msg);
	free(s.stack);
	return rc;
}

/* ---- Building the tree from validated text ---- */

struct builder {
	const unsigned char *p, *end;
};

static void skip_space(struct builder *b)
{
	while (b->p < b->end && is_space(*b->p))
		b->p++;
}

static int hex4(const unsigned char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		unsigned char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else
			v |= c - 'A' + 10;
	}
	return v;
}

/* Unquotes the string at b->p (at the opening quote) as Go's unquote does. */
static void read_string(struct builder *b, struct cf_buf *out)
{
	const unsigned char *p = b->p + 1;

	while (*p != '"') {
		if (*p == '\\') {
			uint32_t r, r2;

			p++;
			switch (*p) {
			case 'b':
				cf_buf_addc(out, '\b');
				p++;
				continue;
			case 'f':
				cf_buf_addc(out, '\f');
				p++;
				continue;
			case 'n':
				cf_buf_addc(out, '\n');
				p++;
				continue;
			case 'r':
				cf_buf_addc(out, '\r');
				p++;
				continue;
			case 't':
				cf_buf_addc(out, '\t');
				p++;
				continue;
			case 'u': break;
			default:
				cf_buf_addc(out, *p);
				p++;
				continue;
			}
			r = (uint32_t)hex4(p + 1);
			p += 5;
			if (r >= 0xd800 && r < 0xe000) {
				/* utf16.DecodeRune: only a high+low pair decodes; the
				 * second escape is consumed only then. */
				if (r < 0xdc00 && p + 6 <= b->end && p[0] == '\\' && p[1] == 'u') {
					r2 = (uint32_t)hex4(p + 2);
					if (r2 >= 0xdc00 && r2 < 0xe000) {
						put_utf8(out, 0x10000 + ((r - 0xd800) << 10) +
								      (r2 - 0xdc00));
						p += 6;
						continue;
					}
				}
				r = 0xfffd;
			}
			put_utf8(out, r);
			continue;
		}
		if (*p < 0x80) {
			cf_buf_addc(out, *p++);
			continue;
		}
		{
			size_t n = utf8_seq(p, (size_t)(b->end - p));

			if (n == 0) {
				put_utf8(out, 0xfffd);
				p++;
			} else {
				cf_buf_add(out, p, n);
				p += n;
			}
		}
	}
	b->p = p + 1;
}

static json_t *read_number(struct builder *b)
{
	const unsigned char *start = b->p, *p = b->p;
	int integral = 1;
	char small[64], *lit;
	size_t len;
	json_t *v;
	double d;

	if (*p == '-')
		p++;
	while (p < b->end && *p >= '0' && *p <= '9')
		p++;
	if (p < b->end && *p == '.') {
		integral = 0;
		p++;
		while (p < b->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < b->end && (*p == 'e' || *p == 'E')) {
		integral = 0;
		p++;
		if (*p == '+' || *p == '-')
			p++;
		while (p < b->end && *p >= '0' && *p <= '9')
			p++;
	}
	b->p = p;
	len = (size_t)(p - start);
	lit = len < sizeof(small) ? small : cf_xmalloc(len + 1);
	memcpy(lit, start, len);
	lit[len] = '\0';
	if (integral) {
		long long ll;

		errno = 0;
		ll = strtoll(lit, NULL, 10);
		if (errno == 0) {
			if (lit != small)
				free(lit);
			return must(json_integer(ll));
		}
	}
	d = strtod(lit, NULL);
	/* Jansson refuses infinities; the literal keeps the truth. */
	if (isinf(d))
		d = d < 0 ? -DBL_MAX : DBL_MAX;
	v = must(json_real(d));
	lits_add(v, d, lit, len);
	if (lit != small)
		free(lit);
	return v;
}

static json_t *build_value(struct builder *b)
{
	struct cf_buf s = CF_BUF_INIT;
	json_t *v;

	skip_space(b);
	switch (*b->p) {
	case '{':
		v = must(json_object());
		b->p++;
		skip_space(b);
		if (*b->p == '}') {
			b->p++;
			return v;
		}
		for (;;) {
			json_t *m;
			const char *key;

			skip_space(b);
			read_string(b, &s);
			skip_space(b);
			b->p++; /* ':' */
			m = build_value(b);
			key = s.data ? (const char *)s.data : "";
			/* Last one wins, and takes the later position, so that
			 * case-insensitive decoders that walk in order see the
			 * members in Go's order. */
			json_object_deln(v, key, s.len);
			if (json_object_setn_new_nocheck(v, key, s.len, m) < 0)
				abort();
			cf_buf_release(&s);
			skip_space(b);
			if (*b->p++ == '}')
				return v;
		}
	case '[':
		v = must(json_array());
		b->p++;
		skip_space(b);
		if (*b->p == ']') {
			b->p++;
			return v;
		}
		for (;;) {
			if (json_array_append_new(v, build_value(b)) < 0)
				abort();
			skip_space(b);
			if (*b->p++ == ']')
				return v;
		}
	case '"':
		read_string(b, &s);
		v = must(json_stringn_nocheck(s.data ? (const char *)s.data : "", s.len));
		cf_buf_release(&s);
		return v;
	case 't': b->p += 4; return json_true();
	case 'f': b->p += 5; return json_false();
	case 'n': b->p += 4; return json_null();
	default: return read_number(b);
	}
}

json_t *cf_gojson_parse(const char *data, size_t len, struct cf_error *err)
{
	struct builder b;

	lits_clear();
	if (check_valid((const unsigned char *)data, len, err) < 0)
		return NULL;
	b.p = (const unsigned char *)data;
	b.end = b.p + len;
	return build_value(&b);
}

/* ---- Output ---- */

void cf_gojson_quote(struct cf_buf *b, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0;

	cf_buf_addc(b, '"');
	while (i < len) {
		unsigned char c = s[i];
		size_t n;

		if (c < 0x80) {
			if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' &&
			    c != '&') {
				i++;
				continue;
			}
			cf_buf_add(b, s + start, i - start);
			cf_buf_addc(b, '\\');
			switch (c) {
			case '"':
			case '\\': cf_buf_addc(b, c); break;
			case '\n': cf_buf_addc(b, 'n'); break;
			case '\r': cf_buf_addc(b, 'r'); break;
			case '\t': cf_buf_addc(b, 't'); break;
			default:
				cf_buf_adds(b, "u00");
				cf_buf_addc(b, (unsigned char)lowerhex[c >> 4]);
				cf_buf_addc(b, (unsigned char)lowerhex[c & 0xf]);
				break;
			}
			start = ++i;
			continue;
		}
		n = utf8_seq(s + i, len - i);
		if (n == 0) {
			cf_buf_add(b, s + start, i - start);
			cf_buf_adds(b, "\\ufffd");
			start = ++i;
			continue;
		}
		/* U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR */
		if (n == 3 && c == 0xe2 && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
			cf_buf_add(b, s + start, i - start);
			cf_buf_adds(b, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			i += n;
			start = i;
			continue;
		}
		i += n;
	}
	cf_buf_add(b, s + start, len - start);
	cf_buf_addc(b, '"');
}

/* ---- Decoding helpers ---- */

const char *cf_gojson_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER:
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "bool";
	default: return "null";
	}
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int cf_gojson_key_eq(const char *member, const char *field)
{
	const unsigned char *m = (const unsigned char *)member;
	const unsigned char *f = (const unsigned char *)field;

	for (; *f; f++) {
		int fl = lower(*f);

		if (*m && lower(*m) == fl) {
			m++;
			continue;
		}
		/* Go folds KELVIN SIGN to k and LATIN SMALL LETTER LONG S to s */
		if (fl == 'k' && m[0] == 0xe2 && m[1] == 0x84 && m[2] == 0xaa) {
			m += 3;
			continue;
		}
		if (fl == 's' && m[0] == 0xc5 && m[1] == 0xbf) {
			m += 2;
			continue;
		}
		return 0;
	}
	return *m == '\0';
}

/* Go puts the literal in the message only for numeric targets. */
static int numeric_type(const char *t)
{
	static const char *const names[] = {
		"int",    "int8",   "int16",  "int32",   "int64",   "uint",    "uint8",
		"uint16", "uint32", "uint64", "uintptr", "float32", "float64", "time.Duration",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(t, names[i]) == 0)
			return 1;
	return 0;
}

/* Shortest %g form that reads back as @d, for reals not from the parser. */
static void format_real(char *out, size_t n, double d)
{
	int prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(out, n, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			return;
	}
	snprintf(out, n, "%.17g", d);
}

int cf_gojson_type_error(struct cf_error *err, const json_t *v, const char *go_struct,
			 const char *path, const char *go_type)
{
	char num[64];
	const char *kind = cf_gojson_kind(v);
	const char *lit = NULL;

	if (json_is_number(v) && numeric_type(go_type)) {
		if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			lit = num;
		} else {
			lit = lits_find(v);
			if (!lit) {
				format_real(num, sizeof(num), json_real_value(v));
				lit = num;
			}
		}
	}
	if (!go_struct)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "json: cannot unmarshal %s%s%s into Go value of type %s", kind,
				    lit ? " " : "", lit ? lit : "", go_type);
	return cf_error_set(err, CF_ERR_PLAIN,
			    "json: cannot unmarshal %s%s%s into Go struct field %s.%s of type %s",
			    kind, lit ? " " : "", lit ? lit : "", go_struct, path, go_type);
}

int cf_gojson_get_int(const json_t *v, long long *out, struct cf_error *err, const char *go_struct,
		      const char *path)
{
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return cf_gojson_type_error(err, v, go_struct, path, "int");
	*out = (long long)json_integer_value(v);
	return 0;
}

int cf_gojson_get_string(const json_t *v, const char **out, size_t *len, struct cf_error *err,
			 const char *go_struct, const char *path)
{
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return cf_gojson_type_error(err, v, go_struct, path, "string");
	*out = json_string_value(v);
	if (len)
		*len = json_string_length(v);
	return 0;
}

int cf_gojson_get_bool(const json_t *v, int *out, struct cf_error *err, const char *go_struct,
		       const char *path)
{
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return cf_gojson_type_error(err, v, go_struct, path, "bool");
	*out = json_is_true(v);
	return 0;
}

int cf_gojson_dup_string(const json_t *v, char **dst, struct cf_error *err, const char *go_struct,
			 const char *path)
{
	const char *s = NULL;
	size_t len = 0;
	if (cf_gojson_get_string(v, &s, &len, err, go_struct, path) < 0)
		return -1;
	if (s) {
		free(*dst);
		*dst = cf_xmemdup(s, len);
	}
	return 0;
}

/* ---- Decoding into a Go struct ---- */

static const char *short_name(const char *go_type)
{
	const char *dot = strrchr(go_type, '.');
	return dot ? dot + 1 : go_type;
}

static int decode_bytes(const json_t *v, struct cf_buf *out, struct cf_error *err, const char *st,
			const char *path)
{
	if (json_is_string(v)) {
		size_t bad = 0;
		struct cf_buf b = CF_BUF_INIT;
		if (cf_base64_decode((const unsigned char *)json_string_value(v),
				     json_string_length(v), &b, &bad) < 0) {
			cf_buf_release(&b);
			return cf_error_set(err, CF_ERR_PLAIN,
					    "illegal base64 data at input byte %zu", bad);
		}
		cf_buf_release(out);
		*out = b;
		return 0;
	}
	if (!json_is_array(v))
		return cf_gojson_type_error(err, v, st, path, "[]uint8");
	struct cf_buf b = CF_BUF_INIT;
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		if (json_is_null(e)) {
			cf_buf_addc(&b, 0);
			continue;
		}
		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    json_integer_value(e) > 255) {
			cf_buf_release(&b);
			return cf_gojson_type_error(err, e, st, path, "uint8");
		}
		cf_buf_addc(&b, (unsigned char)json_integer_value(e));
	}
	cf_buf_release(out);
	*out = b;
	return 0;
}

static int decode_field(const struct cf_gojson_field *f, const json_t *v, const char *st,
			struct cf_error *err)
{
	switch (f->type) {
	case CF_GOJSON_STRING: {
		const char *s = NULL;
		size_t len = 0;
		if (cf_gojson_get_string(v, &s, &len, err, st, f->name) < 0)
			return -1;
		if (!s)
			return 0;
		*(const char **)f->out = s;
		if (f->len)
			*f->len = len;
		break;
	}
	case CF_GOJSON_BOOL:
		if (json_is_null(v))
			return 0;
		if (cf_gojson_get_bool(v, (int *)f->out, err, st, f->name) < 0)
			return -1;
		break;
	case CF_GOJSON_INT64:
		if (json_is_null(v))
			return 0;
		if (!json_is_integer(v))
			return cf_gojson_type_error(err, v, st, f->name, "int64");
		*(long long *)f->out = (long long)json_integer_value(v);
		break;
	case CF_GOJSON_STRINGS: {
		if (json_is_null(v)) {
			*(const json_t **)f->out = NULL;
			if (f->present)
				*f->present = 0;
			return 0;
		}
		if (!json_is_array(v))
			return cf_gojson_type_error(err, v, st, f->name, "[]string");
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			if (!json_is_null(e) && !json_is_string(e))
				return cf_gojson_type_error(err, e, st, f->name, "string");
		}
		*(const json_t **)f->out = v;
		break;
	}
	case CF_GOJSON_BYTES:
		if (json_is_null(v)) {
			cf_buf_release((struct cf_buf *)f->out);
			if (f->present)
				*f->present = 0;
			return 0;
		}
		if (decode_bytes(v, (struct cf_buf *)f->out, err, st, f->name) < 0)
			return -1;
		break;
	case CF_GOJSON_RAW:
		*(const json_t **)f->out = v;
		if (json_is_null(v))
			return 0;
		break;
	}
	if (f->present)
		*f->present = 1;
	return 0;
}

int cf_gojson_decode_struct(const json_t *root, const char *go_type,
			    const struct cf_gojson_field *fields, size_t nfields,
			    struct cf_error *err)
{
	if (json_is_null(root))
		return 0;
	if (!json_is_object(root))
		return cf_gojson_type_error(err, root, NULL, NULL, go_type);
	const char *st = short_name(go_type);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)root, k, v) {
		/* Go prefers an exact match, then a case-insensitive one */
		const struct cf_gojson_field *f = NULL;
		for (size_t i = 0; i < nfields && !f; i++)
			if (strcmp(k, fields[i].name) == 0)
				f = &fields[i];
		for (size_t i = 0; i < nfields && !f; i++)
			if (cf_gojson_key_eq(k, fields[i].name))
				f = &fields[i];
		if (f && decode_field(f, v, st, err) < 0)
			return -1;
	}
	return 0;
}

int cf_gojson_unmarshal(const char *data, size_t len, json_t **tree, const char *go_type,
			const struct cf_gojson_field *fields, size_t nfields, struct cf_error *err)
{
	*tree = cf_gojson_parse(data, len, err);
	if (!*tree)
		return -1;
	return cf_gojson_decode_struct(*tree, go_type, fields, nfields, err);
}

void cf_gojson_nest_error(struct cf_error *err, const char *go_struct, const char *field)
{
	static const char sf[] = " into Go struct field ", gv[] = " into Go value of type ";
	if (!err->set || err->code != CF_ERR_PLAIN || strncmp(err->msg, "json: ", 6) != 0)
		return;
	char msg[CF_ERROR_MSG_MAX];
	char *p = strstr(err->msg, sf);
	if (p) {
		char *dot = strchr(p + sizeof sf - 1, '.');
		if (!dot)
			return;
		snprintf(msg, sizeof msg, "%.*s.%s.%s", (int)(dot - err->msg), err->msg, field,
			 dot + 1);
	} else if ((p = strstr(err->msg, gv)) != NULL) {
		snprintf(msg, sizeof msg, "%.*s%s%s.%s of type %s", (int)(p - err->msg), err->msg,
			 sf, go_struct, field, p + sizeof gv - 1);
	} else {
		return;
	}
	cf_error_clear(err);
	cf_error_set(err, CF_ERR_PLAIN, "%s", msg);
}

json_t *cf_gojson_member(const json_t *obj, const char *field)
{
	const char *k;
	json_t *v, *found = NULL;

	if (!json_is_object(obj))
		return NULL;
	json_object_foreach((json_t *)obj, k, v)
		if (cf_gojson_key_eq(k, field))
			found = v;
	return found;
}

json_t *cf_gojson_string_map(const char *data, size_t len, struct cf_error *err)
{
	json_t *doc = cf_gojson_parse(data, len, err);
	const char *k;
	json_t *v;

	if (!doc)
		return NULL;
	if (json_is_null(doc)) {
		json_decref(doc);
		return must(json_object());
	}
	if (!json_is_object(doc)) {
		cf_gojson_type_error(err, doc, NULL, NULL, "map[string]string");
		json_decref(doc);
		return NULL;
	}
	json_object_foreach(doc, k, v) {
		if (json_is_null(v)) {
			json_object_set_new(doc, k, must(json_string("")));
		} else if (!json_is_string(v)) {
			cf_gojson_type_error(err, v, NULL, NULL, "string");
			json_decref(doc);
			return NULL;
		}
	}
	return doc;
}

void cf_gojson_compact(struct cf_buf *out, const char *data, size_t len)
{
	int in_string = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if (in_string) {
			cf_buf_addc(out, c);
			if (c == '\\' && i + 1 < len)
				cf_buf_addc(out, (unsigned char)data[++i]);
			else if (c == '"')
				in_string = 0;
		} else if (!is_space(c)) {
			cf_buf_addc(out, c);
			in_string = c == '"';
		}
	}
}
