#include "bigint.h"

#include <stdlib.h>
#include <string.h>

#include <gmp.h>

/* Appends the decimal text of @v. */
static void put_decimal(const mpz_t v, struct cf_buf *out)
{
	/* mpz_sizeinbase may overstate by one digit; the sign and the NUL take two more */
	size_t room = mpz_sizeinbase(v, 10) + 2;
	cf_buf_reserve(out, room);
	char *s = (char *)out->data + out->len;
	mpz_get_str(s, 10, v);
	out->len += strlen(s);
}

void cf_bigint_dec_unsigned(const unsigned char *be, size_t n, struct cf_buf *out)
{
	mpz_t v;
	mpz_init(v);
	if (n)
		mpz_import(v, n, 1, 1, 0, 0, be);
	put_decimal(v, out);
	mpz_clear(v);
}

void cf_bigint_dec_signed(const unsigned char *be, size_t n, struct cf_buf *out)
{
	mpz_t v;
	mpz_init(v);
	if (n) {
		mpz_import(v, n, 1, 1, 0, 0, be);
		if (be[0] & 0x80) {
			/* two's complement: v - 2^(8n) */
			mpz_t m;
			mpz_init(m);
			mpz_setbit(m, (mp_bitcnt_t)n * 8);
			mpz_sub(v, v, m);
			mpz_clear(m);
		}
	}
	put_decimal(v, out);
	mpz_clear(v);
}

/* Appends the big-endian bytes of @v (> 0), inverted when @invert. */
static void put_bytes(const mpz_t v, int invert, struct cf_buf *out)
{
	size_t n = (mpz_sizeinbase(v, 2) + 7) / 8;
	cf_buf_reserve(out, n);
	unsigned char *p = out->data + out->len;
	size_t got = 0;
	mpz_export(p, &got, 1, 1, 0, 0, v);
	if (invert)
		for (size_t i = 0; i < got; i++)
			p[i] = (unsigned char)~p[i];
	out->len += got;
	out->data[out->len] = '\0';
}

void cf_bigint_der_from_decimal(const char *digits, size_t n, int neg, struct cf_buf *out)
{
	mpz_t v;
	mpz_init(v);
	if (n) {
		/* mpz_set_str wants a C string, and would skip white space in it */
		char *s = cf_xmemdup(digits, n);
		mpz_set_str(v, s, 10);
		free(s);
	}
	if (mpz_sgn(v) == 0) {
		cf_buf_addc(out, 0);
	} else if (!neg) {
		if (mpz_sizeinbase(v, 2) % 8 == 0)
			cf_buf_addc(out, 0); /* the top bit is set: a sign byte keeps it positive */
		put_bytes(v, 0, out);
	} else {
		/* Go: the bytes of |v|-1 inverted, with a 0xff sign byte unless the top bit is set
		 */
		mpz_sub_ui(v, v, 1);
		if (mpz_sgn(v) == 0 || mpz_sizeinbase(v, 2) % 8 == 0)
			cf_buf_addc(out, 0xff);
		if (mpz_sgn(v) != 0)
			put_bytes(v, 1, out);
	}
	mpz_clear(v);
}
