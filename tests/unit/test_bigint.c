/* Big integers in decimal (common/base/bigint.c): big.Int.String() of unsigned and two's complement
 * bytes, and the DER INTEGER content Go's asn1 writes for a decimal serial, at the byte
 * boundaries where a sign byte comes or goes. */
#include <stdio.h>
#include <string.h>

#include "bigint.h"
#include "buf.h"
#include "check.h"

/* The bytes of @hex (at most 64) into @b; their count. */
static size_t unhex(const char *hex, unsigned char b[64])
{
	size_t n = 0;
	for (const char *p = hex; p[0] && p[1] && n < 64; p += 2) {
		unsigned v;
		sscanf(p, "%2x", &v);
		b[n++] = (unsigned char)v;
	}
	return n;
}

static void dec_u(const char *what, const char *hex, const char *want)
{
	unsigned char b[64];
	size_t n = unhex(hex, b);
	struct cf_buf out = CF_BUF_INIT;
	cf_buf_adds(&out, "=");
	cf_bigint_dec_unsigned(b, n, &out);
	check(out.data[0] == '=', "decimal appended");
	check_str(what, want, (const char *)out.data + 1);
	cf_buf_release(&out);
}

static void dec_s(const char *what, const char *hex, const char *want)
{
	unsigned char b[64];
	size_t n = unhex(hex, b);
	struct cf_buf out = CF_BUF_INIT;
	cf_bigint_dec_signed(b, n, &out);
	check_str(what, want, (const char *)out.data);
	cf_buf_release(&out);
}

static void der(const char *digits, int neg, const char *want_hex)
{
	struct cf_buf out = CF_BUF_INIT, hex = CF_BUF_INIT;
	cf_buf_adds(&out, "x"); /* appends, never overwrites */
	cf_bigint_der_from_decimal(digits, strlen(digits), neg, &out);
	for (size_t i = 1; i < out.len; i++)
		cf_buf_printf(&hex, "%02x", out.data[i]);
	char what[96];
	snprintf(what, sizeof what, "DER of %s%s", neg ? "-" : "", digits);
	check_str(what, want_hex, hex.data ? (const char *)hex.data : "");
	check(out.data[0] == 'x' && out.data[out.len] == '\0', "DER appended, NUL-terminated");
	cf_buf_release(&out);
	cf_buf_release(&hex);
}

int main(void)
{
	dec_u("unsigned: empty", "", "0");
	dec_u("unsigned: zero", "00", "0");
	dec_u("unsigned: leading zeros", "000001", "1");
	dec_u("unsigned: 255", "ff", "255");
	dec_u("unsigned: 2^64", "010000000000000000", "18446744073709551616");
	dec_u("unsigned: 20-byte serial", "ffffffffffffffffffffffffffffffffffffffff",
	      "1461501637330902918203684832716283019655932542975");

	dec_s("signed: empty", "", "0");
	dec_s("signed: 127", "7f", "127");
	dec_s("signed: -128", "80", "-128");
	dec_s("signed: -1", "ff", "-1");
	dec_s("signed: 255 with a sign byte", "00ff", "255");
	dec_s("signed: -256", "ff00", "-256");
	dec_s("signed: -2^64", "ff0000000000000000", "-18446744073709551616");

	der("", 0, "00");
	der("0", 0, "00");
	der("000", 1, "00");
	der("1", 0, "01");
	der("127", 0, "7f");
	der("128", 0, "0080");
	der("255", 0, "00ff");
	der("256", 0, "0100");
	der("1", 1, "ff");
	der("128", 1, "80");
	der("129", 1, "ff7f");
	der("256", 1, "ff00");
	der("32768", 1, "8000");
	der("32769", 1, "ff7fff");
	der("18446744073709551616", 0, "010000000000000000");

	/* a long number round-trips: 10^3000 - 1 through DER and back */
	struct cf_buf nines = CF_BUF_INIT, d = CF_BUF_INIT, back = CF_BUF_INIT;
	for (int i = 0; i < 3000; i++)
		cf_buf_addc(&nines, '9');
	cf_bigint_der_from_decimal((const char *)nines.data, nines.len, 0, &d);
	cf_bigint_dec_signed(d.data, d.len, &back);
	check(back.len == nines.len && memcmp(back.data, nines.data, nines.len) == 0,
	      "10^3000-1 round-trips");
	cf_buf_release(&d);
	cf_buf_release(&back);
	cf_bigint_der_from_decimal((const char *)nines.data, nines.len, 1, &d);
	cf_bigint_dec_signed(d.data, d.len, &back);
	check(back.len == nines.len + 1 && back.data[0] == '-' &&
		      memcmp(back.data + 1, nines.data, nines.len) == 0,
	      "-(10^3000-1) round-trips");
	cf_buf_release(&d);
	cf_buf_release(&back);
	cf_buf_release(&nines);

	printf("test_bigint: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
