/* Base64 as Go's encoding/base64 StdEncoding: padded, CR and LF skipped
 * anywhere while decoding, errors at Go's byte offsets. */
#ifndef CF_BASE64_H
#define CF_BASE64_H

#include <stddef.h>

#include "buf.h"

/* Appends the encoding of @n bytes at @p. */
void cf_base64_encode(struct cf_buf *out, const unsigned char *p, size_t n);
/* Appends the decoded bytes of @src. -1 on corrupt input, with *@bad the
 * offset Go's CorruptInputError reports ("illegal base64 data at input byte N"). */
int cf_base64_decode(const unsigned char *src, size_t len, struct cf_buf *out, size_t *bad);

/* The value of one hex digit (either case), -1 for any other character. */
static inline int cf_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
