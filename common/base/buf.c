#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	/* The one place the library stops the process: nothing sensible can follow. */
	static const char msg[] = "out of memory\n";
	fwrite(msg, 1, sizeof msg - 1, stderr);
	abort();
}

void *cf_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *cf_xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		oom();
	return p;
}

void *cf_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *cf_xgrow(void *v, size_t n, size_t size)
{
	if (n & (n - 1))
		return v;
	size_t cap = n ? 2 * n : 1;
	if (cap < n || (size && cap > SIZE_MAX / size))
		oom();
	return cf_xrealloc(v, cap * size);
}

char *cf_xmemdup(const void *p, size_t n)
{
	char *d = cf_xmalloc(n + 1);
	if (n)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

char *cf_xstrdup(const char *s)
{
	return cf_xmemdup(s, strlen(s));
}

void cf_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

void cf_wipe_free(void *p, size_t n)
{
	if (!p)
		return;
	cf_wipe(p, n);
	free(p);
}

static void grow(struct cf_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	/* Never realloc: the old block may hold secrets and must be wiped. */
	unsigned char *d = cf_xmalloc(cap);
	if (b->len)
		memcpy(d, b->data, b->len);
	cf_wipe_free(b->data, b->cap);
	b->data = d;
	b->cap = cap;
}

void cf_buf_add(struct cf_buf *b, const void *p, size_t n)
{
	grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void cf_buf_reserve(struct cf_buf *b, size_t n)
{
	grow(b, n);
}

void cf_buf_adds(struct cf_buf *b, const char *s)
{
	cf_buf_add(b, s, strlen(s));
}

void cf_buf_vprintf(struct cf_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	grow(b, (size_t)n);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void cf_buf_printf(struct cf_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cf_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void cf_buf_release(struct cf_buf *b)
{
	if (!b)
		return;
	cf_wipe_free(b->data, b->cap);
	b->data = NULL;
	b->len = b->cap = 0;
}

unsigned char *cf_buf_detach(struct cf_buf *b, size_t *len)
{
	unsigned char *d = b->data;
	if (len)
		*len = b->len;
	if (!d)
		d = (unsigned char *)cf_xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}

void cf_buf_add_utf8(struct cf_buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		cf_buf_addc(b, (unsigned char)cp);
	} else if (cp < 0x800) {
		cf_buf_addc(b, (unsigned char)(0xc0 | (cp >> 6)));
		cf_buf_addc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		cf_buf_addc(b, (unsigned char)(0xe0 | (cp >> 12)));
		cf_buf_addc(b, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		cf_buf_addc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	} else {
		cf_buf_addc(b, (unsigned char)(0xf0 | (cp >> 18)));
		cf_buf_addc(b, (unsigned char)(0x80 | ((cp >> 12) & 0x3f)));
		cf_buf_addc(b, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		cf_buf_addc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	}
}

int cf_utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned long cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}
