/* Go's fmt %q / strconv.Quote, for the Go error texts cfssl prints. */
#ifndef CF_GOQUOTE_H
#define CF_GOQUOTE_H

#include <stddef.h>

#include "buf.h"

/* Appends "..." for @n bytes at @s: printable runes raw, \" \\ \a \b \f \n
 * \r \t \v, other runes \xNN / \uNNNN / \UNNNNNNNN, invalid UTF-8 bytes \xNN.
 * strconv.IsPrint beyond ASCII is approximated by the non-printing ranges
 * that matter in practice (C1 controls, spaces, format and private-use
 * characters, noncharacters); unassigned code points count as printable. */
void cf_go_quote(struct cf_buf *b, const char *s, size_t n);

#endif
