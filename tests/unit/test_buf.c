/* The byte buffer and the allocation helpers: cf_xgrow reallocates only when the element
 * index is a power of two (a 200,000-name SAN list costs 18 reallocations, not 200,000),
 * and what was stored survives each growth. */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "check.h"

static void test_xgrow(void)
{
	size_t *v = NULL;
	size_t grown = 0;
	int kept = 1;
	for (size_t n = 0; n < 200000; n++) {
		size_t *w = cf_xgrow(v, n, sizeof *v);
		if (w != v || n == 0)
			grown++;
		if ((n & (n - 1)) != 0 && w != v)
			kept = 0;
		v = w;
		v[n] = n * 7;
	}
	int same = 1;
	for (size_t n = 0; n < 200000; n++)
		same &= v[n] == n * 7;
	free(v);
	CHECK(kept, "cf_xgrow moved the array at an index that is not a power of two");
	CHECK(grown <= 19, "cf_xgrow grew %zu times for 200000 elements", grown);
	check(same, "cf_xgrow kept every element across growth");
}

static void test_buf(void)
{
	struct cf_buf b = CF_BUF_INIT;
	for (int i = 0; i < 1000; i++)
		cf_buf_addc(&b, (unsigned char)('a' + i % 26));
	check(b.len == 1000 && b.data[999] == (unsigned char)('a' + 999 % 26),
	      "cf_buf_addc appends 1000 bytes");
	cf_buf_release(&b);
	check(b.data == NULL && b.len == 0, "cf_buf_release empties the buffer");
}

int main(void)
{
	test_xgrow();
	test_buf();
	printf("test_buf: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
