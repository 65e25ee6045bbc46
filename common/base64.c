#include "base64.h"

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
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
	while (si < len) {
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
		cf_buf_add(out, b, (size_t)(dlen - 1));
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
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		cf_buf_addc(b, (unsigned char)tab[v >> 18 & 63]);
		cf_buf_addc(b, (unsigned char)tab[v >> 12 & 63]);
		cf_buf_addc(b, i + 1 < n ? (unsigned char)tab[v >> 6 & 63] : '=');
		cf_buf_addc(b, i + 2 < n ? (unsigned char)tab[v & 63] : '=');
	}
}
