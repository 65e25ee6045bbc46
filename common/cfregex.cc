// The one C++ file: a C interface to RE2 for name_whitelist (cfregex.h).
#include "cfregex.h"

#include <new>
#include <re2/re2.h>
#include <string>

struct cf_regex {
	explicit cf_regex(const std::string &p, const RE2::Options &o) : re(p, o) {}
	RE2 re;
};

// Go's regexp has no \C; RE2 does. A backslash escapes one character, so
// scanning pairs finds each escape once (a `\\C` is a backslash then C).
static bool has_any_byte_escape(const char *p)
{
	for (; *p; p++) {
		if (*p != '\\')
			continue;
		if (p[1] == 'C')
			return true;
		if (!p[1])
			break;
		p++;
	}
	return false;
}

extern "C" struct cf_regex *cf_regex_compile(const char *pattern)
{
	if (has_any_byte_escape(pattern))
		return nullptr;
	RE2::Options o;
	o.set_log_errors(false);
	o.set_encoding(RE2::Options::EncodingUTF8);
	// Go's limit on a repeat count is 1000, as RE2's; its program size
	// limit is larger than RE2's default, so give RE2 room.
	o.set_max_mem(64 << 20);
	cf_regex *re = new (std::nothrow) cf_regex(pattern, o);
	if (re && !re->re.ok()) {
		delete re;
		return nullptr;
	}
	return re;
}

extern "C" int cf_regex_match(const struct cf_regex *re, const char *s, size_t len)
{
	return RE2::PartialMatch(re2::StringPiece(s, len), re->re) ? 1 : 0;
}

extern "C" void cf_regex_free(struct cf_regex *re)
{
	delete re;
}
