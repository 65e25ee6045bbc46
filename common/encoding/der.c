#include "der.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_len(struct cf_buf *out, size_t len)
{
	if (len < 0x80) {
		cf_buf_addc(out, (unsigned char)len);
		return;
	}
	unsigned char tmp[sizeof(size_t)];
	int n = 0;
	while (len) {
		tmp[n++] = (unsigned char)(len & 0xff);
		len >>= 8;
	}
	cf_buf_addc(out, (unsigned char)(0x80 | n));
	while (n)
		cf_buf_addc(out, tmp[--n]);
}

void cf_der_tlv(struct cf_buf *out, unsigned tag, const void *content, size_t len)
{
	cf_buf_addc(out, (unsigned char)tag);
	put_len(out, len);
	cf_buf_add(out, content, len);
}

void cf_der_wrap(struct cf_buf *out, unsigned tag, struct cf_buf *content)
{
	cf_der_tlv(out, tag, content->data, content->len);
	cf_buf_release(content);
}

static void put_base128(struct cf_buf *b, unsigned long long v)
{
	unsigned char tmp[10];
	int n = 0;
	do {
		tmp[n++] = (unsigned char)(v & 0x7f);
		v >>= 7;
	} while (v);
	while (n > 1)
		cf_buf_addc(b, tmp[--n] | 0x80);
	cf_buf_addc(b, tmp[0]);
}

int cf_der_oid(struct cf_buf *out, const char *dotted)
{
	unsigned long long arcs[64];
	int n = 0;
	const char *p = dotted;
	for (;;) {
		if (*p < '0' || *p > '9' || n == 64)
			return -1;
		char *end;
		arcs[n++] = strtoull(p, &end, 10);
		p = end;
		if (!*p)
			break;
		if (*p != '.')
			return -1;
		p++;
	}
	if (n < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39))
		return -1;
	struct cf_buf c = CF_BUF_INIT;
	put_base128(&c, arcs[0] * 40 + arcs[1]);
	for (int i = 2; i < n; i++)
		put_base128(&c, arcs[i]);
	cf_der_wrap(out, CF_DER_OID, &c);
	return 0;
}

void cf_der_uint_bytes(struct cf_buf *out, const unsigned char *be, size_t n)
{
	while (n > 1 && be[0] == 0) {
		be++;
		n--;
	}
	struct cf_buf c = CF_BUF_INIT;
	if (n == 0 || (be[0] & 0x80))
		cf_buf_addc(&c, 0);
	cf_buf_add(&c, be, n);
	cf_der_wrap(out, CF_DER_INTEGER, &c);
}

void cf_der_int(struct cf_buf *out, long long v)
{
	unsigned char tmp[9];
	int n = 0;
	/* two's complement, minimal */
	for (;;) {
		tmp[n++] = (unsigned char)(v & 0xff);
		long long rest = v >> 8;
		if ((rest == 0 && !(tmp[n - 1] & 0x80)) || (rest == -1 && (tmp[n - 1] & 0x80)))
			break;
		v = rest;
	}
	cf_buf_addc(out, CF_DER_INTEGER);
	cf_buf_addc(out, (unsigned char)n);
	while (n)
		cf_buf_addc(out, tmp[--n]);
}

void cf_der_bool(struct cf_buf *out, int v)
{
	unsigned char c = v ? 0xff : 0x00;
	cf_der_tlv(out, CF_DER_BOOLEAN, &c, 1);
}

void cf_der_null(struct cf_buf *out)
{
	cf_der_tlv(out, CF_DER_NULL, "", 0);
}

void cf_der_bit_string(struct cf_buf *out, const unsigned char *bits, size_t n, unsigned unused)
{
	struct cf_buf c = CF_BUF_INIT;
	cf_buf_addc(&c, (unsigned char)unused);
	cf_buf_add(&c, bits, n);
	cf_der_wrap(out, CF_DER_BIT_STRING, &c);
}

void cf_der_time(struct cf_buf *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	int year = tm.tm_year + 1900;
	char s[32];
	if (year >= 1950 && year < 2050) {
		snprintf(s, sizeof s, "%02d%02d%02d%02d%02d%02dZ", year % 100, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		cf_der_tlv(out, CF_DER_UTCTIME, s, strlen(s));
	} else {
		snprintf(s, sizeof s, "%04d%02d%02d%02d%02d%02dZ", year, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
		cf_der_tlv(out, CF_DER_GENERALIZEDTIME, s, strlen(s));
	}
}

static int printable(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return strchr(" '()+,-./:=?", c) != NULL && c != '\0';
}

void cf_der_go_string(struct cf_buf *out, const char *s, size_t len)
{
	unsigned tag = CF_DER_PRINTABLESTRING;
	for (size_t i = 0; i < len; i++)
		if (!printable((unsigned char)s[i])) {
			tag = CF_DER_UTF8STRING;
			break;
		}
	cf_der_tlv(out, tag, s, len);
}

int cf_der_next(struct cf_der_reader *r, struct cf_der_tlv *t)
{
	if (r->len == 0)
		return 0;
	const unsigned char *p = r->p;
	size_t left = r->len;
	if (left < 2)
		return -1;
	unsigned tag = p[0];
	if ((tag & 0x1f) == 0x1f)
		return -1;
	size_t len = p[1];
	size_t hdr = 2;
	if (len & 0x80) {
		size_t nb = len & 0x7f;
		if (nb == 0 || nb > sizeof(size_t) || left < 2 + nb)
			return -1;
		len = 0;
		for (size_t i = 0; i < nb; i++)
			len = (len << 8) | p[2 + i];
		hdr += nb;
	}
	if (len > left - hdr)
		return -1;
	t->tag = tag;
	t->content = p + hdr;
	t->len = len;
	t->raw = p;
	t->rawlen = hdr + len;
	r->p += hdr + len;
	r->len -= hdr + len;
	return 1;
}

int cf_der_cmp(const void *a, const void *b)
{
	const struct cf_buf *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n ? memcmp(x->data, y->data, n) : 0;
	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static int printable_parse(unsigned char c)
{
	return c && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     strchr(" '()+,-./:=?*&", c) != NULL);
}

int cf_der_string_utf8(const struct cf_der_tlv *t, struct cf_buf *out)
{
	const unsigned char *p = t->content;
	size_t n = t->len;
	switch (t->tag) {
	case CF_DER_PRINTABLESTRING:
		for (size_t i = 0; i < n; i++)
			if (!printable_parse(p[i]))
				return -1;
		break;
	case CF_DER_IA5STRING:
		for (size_t i = 0; i < n; i++)
			if (p[i] >= 0x80)
				return -1;
		break;
	case 0x12: /* NumericString */
		for (size_t i = 0; i < n; i++)
			if (p[i] != ' ' && (p[i] < '0' || p[i] > '9'))
				return -1;
		break;
	case CF_DER_UTF8STRING:
		if (!cf_utf8_valid(p, n))
			return -1;
		break;
	case 0x14: /* T61String: Go takes the bytes as they are */ break;
	case 0x1e: { /* BMPString */
		if (n % 2)
			return -1;
		if (n >= 2 && p[n - 2] == 0 && p[n - 1] == 0)
			n -= 2;
		for (size_t i = 0; i < n; i += 2) {
			unsigned long u = (unsigned long)p[i] << 8 | p[i + 1];
			if (u >= 0xd800 && u < 0xdc00 && i + 3 < n) {
				unsigned long l = (unsigned long)p[i + 2] << 8 | p[i + 3];
				if (l >= 0xdc00 && l < 0xe000) {
					cf_buf_add_utf8(out, 0x10000 + ((u - 0xd800) << 10) +
								     (l - 0xdc00));
					i += 2;
					continue;
				}
			}
			cf_buf_add_utf8(out, u >= 0xd800 && u < 0xe000 ? 0xfffd : u);
		}
		cf_buf_add(out, "", 0);
		return 1;
	}
	default: return 0;
	}
	cf_buf_add(out, p, n);
	return 1;
}
