#include "goquote.h"

#include <stdint.h>

/* One UTF-8 sequence as Go's utf8.DecodeRune accepts it; 0 if invalid. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *r)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*r = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*r = v;
	return len;
}

static int printable(uint32_t r)
{
	static const uint32_t np[][2] = {
		{0x80, 0xA0},     {0xAD, 0xAD},       {0x600, 0x605},      {0x61C, 0x61C},
		{0x6DD, 0x6DD},   {0x70F, 0x70F},     {0x1680, 0x1680},    {0x180E, 0x180E},
		{0x2000, 0x200F}, {0x2028, 0x202F},   {0x205F, 0x206F},    {0x3000, 0x3000},
		{0xD800, 0xF8FF}, {0xFDD0, 0xFDEF},   {0xFEFF, 0xFEFF},    {0xFFF0, 0xFFFB},
		{0xFFFE, 0xFFFF}, {0xE0000, 0xE00FF}, {0xF0000, 0x10FFFF},
	};
	if (r < 0x80)
		return r >= ' ' && r < 0x7f;
	for (size_t i = 0; i < sizeof np / sizeof np[0]; i++)
		if (r >= np[i][0] && r <= np[i][1])
			return 0;
	return (r & 0xFFFE) != 0xFFFE;
}

void cf_go_quote(struct cf_buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	cf_buf_addc(b, '"');
	while (i < n) {
		uint32_t r;
		size_t w = decode(s + i, n - i, &r);
		if (w == 0) {
			cf_buf_printf(b, "\\x%02x", s[i]);
			i++;
			continue;
		}
		if (r == '"' || r == '\\') {
			cf_buf_addc(b, '\\');
			cf_buf_addc(b, (unsigned char)r);
		} else if (printable(r)) {
			cf_buf_add(b, s + i, w);
		} else {
			switch (r) {
			case '\a': cf_buf_adds(b, "\\a"); break;
			case '\b': cf_buf_adds(b, "\\b"); break;
			case '\f': cf_buf_adds(b, "\\f"); break;
			case '\n': cf_buf_adds(b, "\\n"); break;
			case '\r': cf_buf_adds(b, "\\r"); break;
			case '\t': cf_buf_adds(b, "\\t"); break;
			case '\v': cf_buf_adds(b, "\\v"); break;
			default:
				if (r < ' ' || r == 0x7f)
					cf_buf_printf(b, "\\x%02x", (unsigned)r);
				else if (r < 0x10000)
					cf_buf_printf(b, "\\u%04x", (unsigned)r);
				else
					cf_buf_printf(b, "\\U%08x", (unsigned)r);
			}
		}
		i += w;
	}
	cf_buf_addc(b, '"');
}
