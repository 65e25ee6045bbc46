/* Big integers in decimal, as Go's math/big prints and parses them. GMP does the conversions in
 * sub-quadratic time: serials and moduli from hostile inputs run to megabytes. */
#ifndef CF_BIGINT_H
#define CF_BIGINT_H

#include <stddef.h>

#include "buf.h"

/* Appends the decimal text of the unsigned big-endian integer @be/@n ("0" when @n is 0). */
void cf_bigint_dec_unsigned(const unsigned char *be, size_t n, struct cf_buf *out);
/* Appends big.Int.String() of the two's complement big-endian integer @be/@n (a DER INTEGER's
 * content; "0" when @n is 0). */
void cf_bigint_dec_signed(const unsigned char *be, size_t n, struct cf_buf *out);
/* Appends the DER INTEGER content (minimal two's complement, as Go's asn1 marshals a big.Int)
 * of the number whose decimal digits are @digits/@n ('0'-'9' only; none is 0), negated when
 * @neg. */
void cf_bigint_der_from_decimal(const char *digits, size_t n, int neg, struct cf_buf *out);

#endif
