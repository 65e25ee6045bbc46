/* Shared by the libFuzzer targets: the entry point libFuzzer calls and a
 * helper for parsers that take a C string. */
#ifndef CF_FUZZ_H
#define CF_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of @data (a C-string parser sees the prefix before
 * the first NUL byte, as it would from argv or a JSON string). New. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = cf_xmalloc(size + 1);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Reads every byte of @p so that ASan checks the claimed length. */
static inline void fuzz_touch(const void *p, size_t n)
{
	volatile unsigned char sink = 0;
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		sink ^= b[i];
	(void)sink;
}

#endif
