/* A small DER writer and reader: certificates and requests are assembled
 * here byte by byte, so that their encoding matches cfssl's (Go's
 * encoding/asn1) exactly, instead of relying on GnuTLS's setters. */
#ifndef CF_DER_H
#define CF_DER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"

enum {
	CF_DER_BOOLEAN = 0x01,
	CF_DER_INTEGER = 0x02,
	CF_DER_BIT_STRING = 0x03,
	CF_DER_OCTET_STRING = 0x04,
	CF_DER_NULL = 0x05,
	CF_DER_OID = 0x06,
	CF_DER_UTF8STRING = 0x0c,
	CF_DER_PRINTABLESTRING = 0x13,
	CF_DER_IA5STRING = 0x16,
	CF_DER_UTCTIME = 0x17,
	CF_DER_GENERALIZEDTIME = 0x18,
	CF_DER_SEQUENCE = 0x30,
	CF_DER_SET = 0x31,
};

/* Appends tag, length and @len content bytes. */
void cf_der_tlv(struct cf_buf *out, unsigned tag, const void *content, size_t len);
/* Appends a TLV whose content is @content, then releases @content. */
void cf_der_wrap(struct cf_buf *out, unsigned tag, struct cf_buf *content);
/* Appends an OBJECT IDENTIFIER from dotted text; -1 if @dotted is invalid. */
int cf_der_oid(struct cf_buf *out, const char *dotted);
/* INTEGER from an unsigned big-endian magnitude (minimal, 0x00 pad only
 * when the top bit is set, as Go's big.Int marshalling). */
void cf_der_uint_bytes(struct cf_buf *out, const unsigned char *be, size_t n);
void cf_der_int(struct cf_buf *out, long long v);
void cf_der_bool(struct cf_buf *out, int v);
void cf_der_null(struct cf_buf *out);
void cf_der_bit_string(struct cf_buf *out, const unsigned char *bits, size_t n, unsigned unused);
/* UTCTime for years 1950-2049, GeneralizedTime otherwise, as Go's x509. */
void cf_der_time(struct cf_buf *out, int64_t unix_seconds);
/* Go's asn1 string choice: PrintableString when every byte is in
 * A-Z a-z 0-9 space ' ( ) + , - . / : = ?, else UTF8String. */
void cf_der_go_string(struct cf_buf *out, const char *s, size_t len);

/* qsort comparator of struct cf_buf encodings in DER SET OF order
 * (bytes.Compare: byte order, a prefix first). */
int cf_der_cmp(const void *a, const void *b);

/* Reading. A reader walks the TLVs of one level. */
struct cf_der_reader {
	const unsigned char *p;
	size_t len;
};

struct cf_der_tlv {
	unsigned tag;
	const unsigned char *content;
	size_t len;
	const unsigned char *raw; /* the whole TLV */
	size_t rawlen;
};

/* Decodes a string value as Go's encoding/asn1 does when it unmarshals into
 * an interface{}: PrintableString (also '*' and '&'), IA5String,
 * NumericString and UTF8String validated, T61String taken as bytes,
 * BMPString from UTF-16 (a trailing NUL dropped, lone surrogates U+FFFD).
 * Returns 1 with the UTF-8 text appended to @out, 0 for a value of another
 * type, -1 for an invalid string. */
int cf_der_string_utf8(const struct cf_der_tlv *t, struct cf_buf *out);

/* Reads the next TLV (single-byte tags, definite lengths). 1 read, 0 at the
 * end, -1 malformed. */
int cf_der_next(struct cf_der_reader *r, struct cf_der_tlv *t);

#endif
