// The one C++ file: a C interface to RE2 for name_whitelist (cfregex.h).
#include "cfregex.h"

#include <cstdio>
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

// Go's regexp/syntax texts for RE2's error codes (the two parsers share their design).
static const char *go_error_text(RE2::ErrorCode c)
{
	switch (c) {
	case RE2::ErrorBadEscape: return "invalid escape sequence";
	case RE2::ErrorBadCharClass: return "invalid character class";
	case RE2::ErrorBadCharRange: return "invalid character class range";
	case RE2::ErrorMissingBracket: return "missing closing ]";
	case RE2::ErrorMissingParen: return "missing closing )";
	case RE2::ErrorUnexpectedParen: return "unexpected )";
	case RE2::ErrorTrailingBackslash: return "trailing backslash at end of expression";
	case RE2::ErrorRepeatArgument: return "missing argument to repetition operator";
	case RE2::ErrorRepeatSize: return "invalid repeat count";
	case RE2::ErrorRepeatOp: return "invalid nested repetition operator";
	case RE2::ErrorBadPerlOp: return "invalid or unsupported Perl syntax";
	case RE2::ErrorBadUTF8: return "invalid UTF-8";
	case RE2::ErrorBadNamedCapture: return "invalid named capture";
	case RE2::ErrorPatternTooLarge: return "expression too large";
	default: return "internal error";
	}
}

static void set_why(char *why, size_t n, const char *text, const std::string &arg)
{
	if (why && n)
		snprintf(why, n, "error parsing regexp: %s: `%s`", text, arg.c_str());
}

extern "C" struct cf_regex *cf_regex_compile(const char *pattern)
{
	return cf_regex_compile_err(pattern, nullptr, 0);
}

extern "C" struct cf_regex *cf_regex_compile_err(const char *pattern, char *why, size_t n)
{
	if (has_any_byte_escape(pattern)) {
		set_why(why, n, "invalid escape sequence", "\\C");
		return nullptr;
	}
	RE2::Options o;
	o.set_log_errors(false);
	o.set_encoding(RE2::Options::EncodingUTF8);
	// Go's limit on a repeat count is 1000, as RE2's; its program size
	// limit is larger than RE2's default, so give RE2 room.
	o.set_max_mem(64 << 20);
	cf_regex *re = new (std::nothrow) cf_regex(pattern, o);
	if (!re) {
		set_why(why, n, "out of memory", pattern);
		return nullptr;
	}
	if (!re->re.ok()) {
		set_why(why, n, go_error_text(re->re.error_code()), re->re.error_arg());
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
