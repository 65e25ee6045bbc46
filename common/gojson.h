/* JSON as Go's encoding/json reads and writes it.
 *
 * Input: cf_gojson_parse checks the whole document with Go's scanner rules
 * first (so syntax errors carry Go's exact wording and win over type
 * errors), replaces invalid UTF-8 inside strings by U+FFFD as Go does, and
 * then builds a Jansson tree from the cleaned text. Object members keep
 * document order; decoders match member names case-insensitively
 * (cf_gojson_key_eq) and let the last spelling win.
 *
 * Output: cf_gojson_quote appends a string escaped exactly as Go's
 * json.Marshal does (HTML-safe escapes, \u00xx for other control bytes,
 * U+2028/2029 escaped, invalid UTF-8 as \ufffd, "/" not escaped). */
#ifndef CF_GOJSON_H
#define CF_GOJSON_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"

/* New reference, caller json_decref()s. Accepts any top-level value,
 * including null (returned as json_null()). On a syntax error returns NULL
 * and sets @err (plain text, e.g. "unexpected end of JSON input",
 * "invalid character '}' looking for beginning of object key string"). */
json_t *cf_gojson_parse(const char *data, size_t len, struct cf_error *err);

/* Appends "..." (with the quotes) for @len bytes at @s. */
void cf_gojson_quote(struct cf_buf *b, const char *s, size_t len);

/* Go's name of the JSON kind of @v in unmarshal errors: "string", "number",
 * "object", "array", "bool" (null never produces an error). */
const char *cf_gojson_kind(const json_t *v);

/* Go's case-insensitive member name match (ASCII and Unicode simple folding
 * as encoding/json's foldName does for the ASCII names cfssl uses). */
int cf_gojson_key_eq(const char *member, const char *field);

/* Type errors in Go's wording:
 * "json: cannot unmarshal <kind> into Go struct field <Struct>.<path> of type <type>"
 * For a number that does not fit an int field the kind reads "number <literal>"
 * (the source literal is known for nodes of the most recent cf_gojson_parse).
 * With @go_struct NULL: "json: cannot unmarshal <kind> into Go value of type <type>". */
int cf_gojson_type_error(struct cf_error *err, const json_t *v, const char *go_struct,
			 const char *path, const char *go_type);

/* Decodes an int member as Go would into a Go int (64-bit). Returns 0 on
 * success (null leaves *out untouched), -1 with the type error set. */
int cf_gojson_get_int(const json_t *v, long long *out, struct cf_error *err, const char *go_struct,
		      const char *path);
/* Same for string (null leaves *out untouched; *out borrowed from @v) and bool. */
int cf_gojson_get_string(const json_t *v, const char **out, size_t *len, struct cf_error *err,
			 const char *go_struct, const char *path);
/* Like cf_gojson_get_string, but replaces *@dst (freed) with a new copy;
 * null leaves it untouched. */
int cf_gojson_dup_string(const json_t *v, char **dst, struct cf_error *err, const char *go_struct,
			 const char *path);
int cf_gojson_get_bool(const json_t *v, int *out, struct cf_error *err, const char *go_struct,
		       const char *path);

#endif
