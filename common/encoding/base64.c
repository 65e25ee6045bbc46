#include "base64.h"

/* -1 for bytes outside the standard alphabet */
static const signed char b64_tab[256] = {
	['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,  ['G'] = 7,
	['H'] = 8,  ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14,
	['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21,
	['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28,
	['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35,
	['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49,
	['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
	['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63,
	['/'] = 64,
};

/* The table holds value + 1 so that its zero filling means "not base64". */
static int b64_value(unsigned char c)
{
	return b64_tab[c] - 1;
}

static int is_nl(unsigned char c)
{
	return c == '\n' || c == '\r';
}

/* Mirrors Go 1.19's decodeQuantum so that *@bad (the CorruptInputError
 * offset) matches: CR and LF are skipped anywhere, padding is mandatory,
 * trailing bits are not checked. */
int cf_base64_decode(const unsigned char *src, size_t len, struct cf_buf *out, size_t *bad)
{
	size_t si = 0;
	cf_buf_reserve(out, len / 4 * 3 + 3);
	while (si < len) {
		/* the common case first: four alphabet characters, no padding */
		if (len - si >= 4) {
			int a = b64_value(src[si]), b = b64_value(src[si + 1]);
			int c = b64_value(src[si + 2]), d = b64_value(src[si + 3]);
			if ((a | b | c | d) >= 0) {
				unsigned long v = (unsigned long)a << 18 | (unsigned long)b << 12 |
						  (unsigned long)c << 6 | (unsigned long)d;
				unsigned char *o = out->data + out->len;
				o[0] = (unsigned char)(v >> 16);
				o[1] = (unsigned char)(v >> 8);
				o[2] = (unsigned char)v;
				out->len += 3;
				out->data[out->len] = '\0';
				si += 4;
				continue;
			}
		}
		unsigned char dbuf[4] = {0, 0, 0, 0};
		int dlen = 4;
		int garbage = 0;
		size_t garbage_at = 0;
		for (int j = 0; j < 4; j++) {
			if (si == len) {
				if (j == 0)
					return 0;
				*bad = si - (size_t)j;
				return -1;
			}
			unsigned char in = src[si++];
			int val = b64_value(in);
			if (val >= 0) {
				dbuf[j] = (unsigned char)val;
				continue;
			}
			if (is_nl(in)) {
				j--;
				continue;
			}
			if (in != '=' || j < 2) {
				*bad = si - 1;
				return -1;
			}
			if (j == 2) {
				while (si < len && is_nl(src[si]))
					si++;
				if (si == len) {
					*bad = len;
					return -1;
				}
				if (src[si] != '=') {
					*bad = si - 1;
					return -1;
				}
				si++;
			}
			while (si < len && is_nl(src[si]))
				si++;
			if (si < len) {
				garbage = 1;
				garbage_at = si;
			}
			dlen = j;
			break;
		}
		unsigned long v = (unsigned long)dbuf[0] << 18 | (unsigned long)dbuf[1] << 12 |
				  (unsigned long)dbuf[2] << 6 | dbuf[3];
		unsigned char b[3] = {(unsigned char)(v >> 16), (unsigned char)(v >> 8),
				      (unsigned char)v};
		for (int k = 0; k < dlen - 1; k++)
			cf_buf_addc(out, b[k]);
		if (garbage) {
			*bad = garbage_at;
			return -1;
		}
	}
	return 0;
}

void cf_base64_encode(struct cf_buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	cf_buf_reserve(b, (n + 2) / 3 * 4);
	unsigned char *o = b->data + b->len;
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = (unsigned char)tab[v >> 18 & 63];
		*o++ = (unsigned char)tab[v >> 12 & 63];
		*o++ = i + 1 < n ? (unsigned char)tab[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? (unsigned char)tab[v & 63] : '=';
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}
