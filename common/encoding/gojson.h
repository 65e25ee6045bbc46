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

/* Appends the source text of the number @v (a node of the most recent cf_gojson_parse on this
 * thread): an integer's digits, a real's literal as written. -1 when @v is not a number. */
int cf_gojson_number_text(const json_t *v, struct cf_buf *out);

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

/* --- decoding into a Go struct (json.Unmarshal(data, &s)) --- */

enum cf_gojson_ftype {
	CF_GOJSON_STRING,  /* string: *(const char **)out borrowed from the tree, *len its length */
	CF_GOJSON_BOOL,    /* bool: *(int *)out */
	CF_GOJSON_INT64,   /* int64: *(long long *)out */
	CF_GOJSON_STRINGS, /* []string: *(const json_t **)out, the array (borrowed; elements are
			      strings or null, which Go reads as ""); null sets it to NULL */
	CF_GOJSON_BYTES,   /* []byte: base64 text (Go's StdEncoding) or an array of 0-255, decoded
			      into *(struct cf_buf *)out (replaced); null empties it */
	CF_GOJSON_RAW,     /* any value: *(const json_t **)out borrowed, for the caller to decode
			      (null included) */
};

/* A field of a Go struct: its JSON name (the tag) and where its value goes. */
struct cf_gojson_field {
	const char *name;
	enum cf_gojson_ftype type;
	void *out;
	size_t *len;  /* STRING: the length (NULs included); may be NULL */
	int *present; /* may be NULL: 1 once the member was seen with a non-null value (STRINGS and
			 BYTES: reset by a later null) */
};

/* Decodes @root as json.Unmarshal decodes into a struct of Go type @go_type ("info.Req";
 * error texts name it by the part after the last dot, "Req.profile"): null leaves every field
 * untouched; another non-object is "json: cannot unmarshal array into Go value of type
 * info.Req"; members match field names case-insensitively, in document order (the last
 * spelling wins); unknown members are ignored; the first type error in document order is
 * returned (Go's message). Fields not in the document keep their values. */
int cf_gojson_decode_struct(const json_t *root, const char *go_type,
			    const struct cf_gojson_field *fields, size_t nfields,
			    struct cf_error *err);

/* cf_gojson_parse then cf_gojson_decode_struct: syntax errors (trailing data included) win
 * over type errors as in Go. *@tree (new, also on a type error; NULL on a syntax error) owns
 * the borrowed strings; the caller json_decref()s it. */
int cf_gojson_unmarshal(const char *data, size_t len, json_t **tree, const char *go_type,
			const struct cf_gojson_field *fields, size_t nfields, struct cf_error *err);

/* Go's error context for a value decoded as member @field of struct @go_struct: re-files a
 * plain type error of the nested decoder, "... into Go struct field Inner.path of type T"
 * becoming "... Inner.@field.path ..." and "... into Go value of type T" becoming "... into
 * Go struct field @go_struct.@field of type T". Other errors are left alone. */
void cf_gojson_nest_error(struct cf_error *err, const char *go_struct, const char *field);

/* The member of object @obj that Go's decoder stores into the struct field tagged @field: of
 * the members whose names match case-insensitively, the last in document order. Borrowed;
 * NULL when none (or @obj is not an object). */
json_t *cf_gojson_member(const json_t *obj, const char *field);

/* Decodes @data as Go's json.Unmarshal into a map[string]string: member names exact
 * (case-sensitive, the last duplicate wins), every value a string (null stores ""). Returns a
 * new object whose values are all strings (empty for a top-level null), or NULL with @err set
 * (plain): a syntax error in Go's words, "json: cannot unmarshal array into Go value of type
 * map[string]string", "json: cannot unmarshal number into Go value of type string". */
json_t *cf_gojson_string_map(const char *data, size_t len, struct cf_error *err);

/* Go's json.Compact: appends @len bytes of valid JSON at @data with the insignificant
 * whitespace removed (a trailing newline included). */
void cf_gojson_compact(struct cf_buf *out, const char *data, size_t len);

#endif
