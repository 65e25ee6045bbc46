/* Base64 decoding as Go 1.19's StdEncoding.DecodeString, whose CorruptInputError offsets cfssljson
 * prints ("illegal base64 data at input byte N"), and encoding. The decoder has a fast path for
 * whole quanta; the cases below cross it with newlines, padding and bad bytes. */
#include <stdio.h>
#include <string.h>

#include "base64.h"
#include "buf.h"

static int passed, failed;

static void dec(const char *in, const char *want, long want_bad)
{
	struct cf_buf out = CF_BUF_INIT;
	size_t bad = 0;
	int r = cf_base64_decode((const unsigned char *)in, strlen(in), &out, &bad);
	int ok = want ? r == 0 && out.len == strlen(want) &&
				 (!out.len || !memcmp(out.data, want, out.len))
		      : r < 0 && (long)bad == want_bad;
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL decode \"%s\": r=%d bad=%zu out=\"%.*s\"\n", in, r, bad, (int)out.len,
		       out.data ? (const char *)out.data : "");
	}
	cf_buf_release(&out);
}

static void enc(const char *in, const char *want)
{
	struct cf_buf out = CF_BUF_INIT;
	cf_base64_encode(&out, (const unsigned char *)in, strlen(in));
	if (out.len == strlen(want) && (!out.len || !memcmp(out.data, want, out.len)) &&
	    (!out.data || out.data[out.len] == '\0')) {
		passed++;
	} else {
		failed++;
		printf("FAIL encode \"%s\": \"%.*s\"\n", in, (int)out.len,
		       out.data ? (const char *)out.data : "");
	}
	cf_buf_release(&out);
}

int main(void)
{
	dec("", "", 0);
	dec("QUJD", "ABC", 0);
	dec("QUJDRA==", "ABCD", 0);
	dec("QUJDREU=", "ABCDE", 0);
	dec("QUJDREVG", "ABCDEF", 0);
	dec("QU\nJD", "ABC", 0);
	dec("QUJD\r\nREVG\n", "ABCDEF", 0);
	dec("QUJDRA=\n=", "ABCD", 0);
	dec("+/+/", "\xfb\xff\xbf", 0);
	/* errors, with Go's offsets */
	dec("QUJ", NULL, 0);
	dec("QUJDR", NULL, 4);
	dec("QU!D", NULL, 2);
	dec("QUJD!UJD", NULL, 4);
	dec("QUJD=", NULL, 4);
	dec("Q===", NULL, 1);
	dec("QUJDRA=", NULL, 7);
	dec("QUJDRA=x", NULL, 6);
	dec("QQ==QQ==", NULL, 4);
	dec("QUJD QUJD", NULL, 4);
	enc("", "");
	enc("A", "QQ==");
	enc("AB", "QUI=");
	enc("ABC", "QUJD");
	enc("ABCDEFG", "QUJDREVGRw==");
	printf("test_base64: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
