/* Growable byte buffers. Buffers that may hold secrets are wiped on release. */
#ifndef CF_BUF_H
#define CF_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct cf_buf {
	unsigned char *data; /* owned; NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
};

#define CF_BUF_INIT        \
	{                  \
		NULL, 0, 0 \
	}

/* Append bytes; aborts on out-of-memory (the only place the library dies). */
void cf_buf_add(struct cf_buf *b, const void *p, size_t n);
/* Reserves room for @n more bytes (and the NUL) so that appends up to that size do not move
 * the data. */
void cf_buf_reserve(struct cf_buf *b, size_t n);
/* One byte; inline because encoders call it per byte. */
static inline void cf_buf_addc(struct cf_buf *b, unsigned char c)
{
	if (b->len + 2 <= b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
	} else {
		cf_buf_add(b, &c, 1);
	}
}
void cf_buf_adds(struct cf_buf *b, const char *s);
void cf_buf_printf(struct cf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cf_buf_vprintf(struct cf_buf *b, const char *fmt, va_list ap);
/* Appends code point @cp as UTF-8. */
void cf_buf_add_utf8(struct cf_buf *b, unsigned long cp);
/* Go's utf8.Valid. */
int cf_utf8_valid(const unsigned char *s, size_t n);
/* Wipes the contents, then frees. Accepts a zeroed buffer. */
void cf_buf_release(struct cf_buf *b);
/* Takes the data out of @b (caller frees); @b is left empty. */
unsigned char *cf_buf_detach(struct cf_buf *b, size_t *len);

/* Allocation helpers that abort on out-of-memory. */
void *cf_xmalloc(size_t n);
void *cf_xcalloc(size_t n, size_t m);
void *cf_xrealloc(void *p, size_t n);
/* Makes room for element @n (0-based) of an array of @size-byte elements that only ever grew
 * through this call, doubling its length when @n is a power of two: appending n elements costs
 * O(log n) reallocations. Returns the array (@v when no growth was needed). */
void *cf_xgrow(void *v, size_t n, size_t size);
char *cf_xstrdup(const char *s);
char *cf_xmemdup(const void *p, size_t n); /* adds a NUL */
/* Wipes @n bytes at @p (not optimised away), then frees @p. Accepts NULL. */
void cf_wipe_free(void *p, size_t n);
void cf_wipe(void *p, size_t n);

#endif
