#include "hosts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "goquote.h"

/* The three parsers below follow Go 1.19 (net.ParseIP, net/mail.ParseAddress,
 * url.ParseRequestURI) step by step, because cfssl's classification is
 * defined by what those functions accept, corner cases included. */

#define RUNE_ERROR 0xFFFDu

/* utf8.DecodeRune: invalid or truncated sequences give (RUNE_ERROR, 1). */
static size_t utf8_decode(const unsigned char *s, const unsigned char *e, uint32_t *r)
{
	if (s >= e) {
		*r = RUNE_ERROR;
		return 0;
	}
	unsigned char b0 = s[0];
	if (b0 < 0x80) {
		*r = b0;
		return 1;
	}
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF;
	if (b0 >= 0xC2 && b0 <= 0xDF) {
		n = 2;
	} else if (b0 >= 0xE0 && b0 <= 0xEF) {
		n = 3;
		if (b0 == 0xE0)
			lo = 0xA0;
		else if (b0 == 0xED)
			hi = 0x9F;
	} else if (b0 >= 0xF0 && b0 <= 0xF4) {
		n = 4;
		if (b0 == 0xF0)
			lo = 0x90;
		else if (b0 == 0xF4)
			hi = 0x8F;
	} else {
		*r = RUNE_ERROR;
		return 1;
	}
	if ((size_t)(e - s) < n || s[1] < lo || s[1] > hi) {
		*r = RUNE_ERROR;
		return 1;
	}
	for (size_t i = 2; i < n; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF) {
			*r = RUNE_ERROR;
			return 1;
		}
	}
	uint32_t v = b0 & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
	for (size_t i = 1; i < n; i++)
		v = (v << 6) | (s[i] & 0x3F);
	*r = v;
	return n;
}

/* ---- net.ParseIP (Go 1.19 net/ip.go, not netip) ---- */

/* parseIPv4 of Go 1.19: dtoi per part, leading zeros rejected. */
static int parse_ipv4(const char *s, size_t n, unsigned char out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (i >= n)
			return -1;
		if (part > 0) {
			if (s[i] != '.')
				return -1;
			i++;
		}
		size_t start = i;
		unsigned long v = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (unsigned long)(s[i] - '0');
			if (v >= 0xFFFFFF)
				return -1;
			i++;
		}
		if (i == start || v > 0xFF)
			return -1;
		if (i - start > 1 && s[start] == '0')
			return -1;
		out[part] = (unsigned char)v;
	}
	return i == n ? 0 : -1;
}

/* parseIPv6 of Go 1.19: xtoi allows any number of leading zeros as long as
 * the group value fits in 16 bits. */
static int parse_ipv6(const char *s, size_t n, unsigned char ip[16])
{
	int ellipsis = -1;
	size_t p = 0;

	memset(ip, 0, 16);
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		ellipsis = 0;
		p = 2;
		if (p == n)
			return 0;
	}
	int i = 0;
	while (i < 16) {
		size_t c = p;
		unsigned long v = 0;
		while (c < n && cf_hexval((unsigned char)s[c]) >= 0) {
			v = v * 16 + (unsigned long)cf_hexval((unsigned char)s[c]);
			if (v >= 0xFFFFFF)
				return -1;
			c++;
		}
		if (c == p || v > 0xFFFF)
			return -1;
		if (c < n && s[c] == '.') {
			if (ellipsis < 0 && i != 12)
				return -1;
			if (i + 4 > 16)
				return -1;
			if (parse_ipv4(s + p, n - p, ip + i) < 0)
				return -1;
			p = n;
			i += 4;
			break;
		}
		ip[i] = (unsigned char)(v >> 8);
		ip[i + 1] = (unsigned char)v;
		i += 2;
		p = c;
		if (p == n)
			break;
		if (s[p] != ':' || p + 1 == n)
			return -1;
		p++;
		if (s[p] == ':') {
			if (ellipsis >= 0)
				return -1;
			ellipsis = i;
			p++;
			if (p == n)
				break;
		}
	}
	if (p != n)
		return -1;
	if (i < 16) {
		if (ellipsis < 0)
			return -1;
		int k = 16 - i;
		for (int j = i - 1; j >= ellipsis; j--)
			ip[j + k] = ip[j];
		for (int j = ellipsis + k - 1; j >= ellipsis; j--)
			ip[j] = 0;
	} else if (ellipsis >= 0) {
		return -1;
	}
	return 0;
}

int cf_parse_ip(const char *s, unsigned char ip[16], int *iplen)
{
	size_t n = strlen(s);
	unsigned char buf[16];

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (parse_ipv4(s, n, buf) < 0)
				return -1;
			memset(ip, 0, 16);
			memcpy(ip, buf, 4);
			*iplen = 4;
			return 0;
		}
		if (s[i] == ':') {
			if (parse_ipv6(s, n, buf) < 0)
				return -1;
			static const unsigned char v4prefix[12] = {0, 0, 0, 0, 0,    0,
								   0, 0, 0, 0, 0xff, 0xff};
			memset(ip, 0, 16);
			if (memcmp(buf, v4prefix, 12) == 0) {
				/* x509 marshals ip.To4() when it is non-nil */
				memcpy(ip, buf + 12, 4);
				*iplen = 4;
			} else {
				memcpy(ip, buf, 16);
				*iplen = 16;
			}
			return 0;
		}
	}
	return -1;
}

/* ---- net/mail.ParseAddress (Go 1.19) ---- */

struct mp {
	const unsigned char *s; /* unparsed rest */
	const unsigned char *e;
};

static int mp_empty(const struct mp *p)
{
	return p->s >= p->e;
}

static int mp_consume(struct mp *p, unsigned char c)
{
	if (mp_empty(p) || *p->s != c)
		return 0;
	p->s++;
	return 1;
}

static void mp_skip_space(struct mp *p)
{
	while (!mp_empty(p) && (*p->s == ' ' || *p->s == '\t'))
		p->s++;
}

static int is_vchar(uint32_t r)
{
	return (r >= '!' && r <= '~') || r >= 0x80;
}

static int is_wsp(uint32_t r)
{
	return r == ' ' || r == '\t';
}

static int is_atext(uint32_t r, int dot, int permissive)
{
	switch (r) {
	case '.': return dot;
	case '(':
	case ')':
	case '[':
	case ']':
	case ';':
	case '@':
	case '\\':
	case ',': return permissive;
	case '<':
	case '>':
	case '"':
	case ':': return 0;
	}
	return is_vchar(r);
}

/* consumeQuotedString; appends the unquoted content to @out. */
static int mp_quoted_string(struct mp *p, struct cf_buf *out)
{
	const unsigned char *q = p->s + 1;
	int escaped = 0;
	struct cf_buf tmp = CF_BUF_INIT;

	for (;;) {
		uint32_t r;
		size_t size = utf8_decode(q, p->e, &r);
		if (size == 0)
			goto fail;
		if (size == 1 && r == RUNE_ERROR)
			goto fail;
		if (escaped) {
			if (!is_vchar(r) && !is_wsp(r))
				goto fail;
			cf_buf_add(&tmp, q, size);
			escaped = 0;
		} else if ((is_vchar(r) && r != '\\' && r != '"') || is_wsp(r)) {
			cf_buf_add(&tmp, q, size);
		} else if (r == '"') {
			break;
		} else if (r == '\\') {
			escaped = 1;
		} else {
			goto fail;
		}
		q += size;
	}
	p->s = q + 1;
	if (tmp.len)
		cf_buf_add(out, tmp.data, tmp.len);
	cf_buf_release(&tmp);
	return 0;
fail:
	cf_buf_release(&tmp);
	return -1;
}

/* consumeAtom; the atom is [*a, *a + *alen). */
static int mp_atom(struct mp *p, int dot, int permissive, const unsigned char **a, size_t *alen)
{
	const unsigned char *q = p->s;
	for (;;) {
		uint32_t r;
		size_t size = utf8_decode(q, p->e, &r);
		if (size == 1 && r == RUNE_ERROR)
			return -1;
		if (size == 0 || !is_atext(r, dot, permissive))
			break;
		q += size;
	}
	if (q == p->s)
		return -1;
	const unsigned char *s = p->s;
	size_t n = (size_t)(q - s);
	p->s = q;
	if (!permissive) {
		if (s[0] == '.' || s[n - 1] == '.')
			return -1;
		for (size_t i = 0; i + 1 < n; i++)
			if (s[i] == '.' && s[i + 1] == '.')
				return -1;
	}
	*a = s;
	*alen = n;
	return 0;
}

/* consumeAddrSpec; restores @p on failure. */
static int mp_addr_spec(struct mp *p, char **spec)
{
	struct mp orig = *p;
	struct cf_buf b = CF_BUF_INIT;
	const unsigned char *a;
	size_t alen;

	mp_skip_space(p);
	if (mp_empty(p))
		goto fail;
	if (*p->s == '"') {
		if (mp_quoted_string(p, &b) < 0 || b.len == 0)
			goto fail;
	} else {
		if (mp_atom(p, 1, 0, &a, &alen) < 0)
			goto fail;
		cf_buf_add(&b, a, alen);
	}
	if (!mp_consume(p, '@'))
		goto fail;
	mp_skip_space(p);
	if (mp_empty(p))
		goto fail;
	/* Go 1.19 has no domain-literal support: "[1.2.3.4]" fails here. */
	if (mp_atom(p, 1, 0, &a, &alen) < 0)
		goto fail;
	cf_buf_addc(&b, '@');
	cf_buf_add(&b, a, alen);
	*spec = (char *)cf_buf_detach(&b, NULL);
	return 0;
fail:
	cf_buf_release(&b);
	*p = orig;
	return -1;
}

/* base64.StdEncoding.DecodeString succeeds (atoms hold no CR/LF). */
static int b64_valid(const unsigned char *s, size_t n)
{
	struct cf_buf out = CF_BUF_INIT;
	size_t bad;
	int ok = cf_base64_decode(s, n, &out, &bad) == 0;
	cf_buf_release(&out);
	return ok;
}

/* mime qDecode succeeds. */
static int q_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == '=') {
			if (i + 2 >= n || cf_hexval(s[i + 1]) < 0 || cf_hexval(s[i + 2]) < 0)
				return 0;
			i += 2;
		} else if (!(c == '_' || (c >= ' ' && c <= '~') || c == '\n' || c == '\r' ||
			     c == '\t')) {
			return 0;
		}
	}
	return 1;
}

static int ascii_ieq(const unsigned char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	if (n != m)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)lit[i])
			return 0;
	}
	return 1;
}

/* decodeRFC2047Word: only a well-formed encoded word in a charset other than
 * utf-8, iso-8859-1 and us-ascii is an error (net/mail's charsetError); every
 * other word is accepted. The decoded text itself is never needed. */
static int mp_rfc2047_bad(const unsigned char *w, size_t n)
{
	if (n < 8 || w[0] != '=' || w[1] != '?' || w[n - 2] != '?' || w[n - 1] != '=')
		return 0;
	size_t q[4], nq = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '?') {
			if (nq == 4)
				return 0;
			q[nq++] = i;
		}
	}
	if (nq != 4)
		return 0;
	/* "=?" charset "?" enc "?" text "?=" */
	const unsigned char *cs = w + 2;
	size_t cslen = q[1] - 2;
	if (cslen == 0 || q[2] - q[1] - 1 != 1)
		return 0;
	unsigned char enc = w[q[1] + 1];
	const unsigned char *text = w + q[2] + 1;
	size_t tlen = q[3] - q[2] - 1;
	if (enc == 'B' || enc == 'b') {
		if (!b64_valid(text, tlen))
			return 0;
	} else if (enc == 'Q' || enc == 'q') {
		if (!q_valid(text, tlen))
			return 0;
	} else {
		return 0;
	}
	if (ascii_ieq(cs, cslen, "utf-8") || ascii_ieq(cs, cslen, "iso-8859-1") ||
	    ascii_ieq(cs, cslen, "us-ascii"))
		return 0;
	return 1;
}

/* consumePhrase: only success matters, the display name is dropped. */
static int mp_phrase(struct mp *p)
{
	int words = 0;
	for (;;) {
		mp_skip_space(p);
		if (mp_empty(p))
			break;
		if (*p->s == '"') {
			struct cf_buf tmp = CF_BUF_INIT;
			int rc = mp_quoted_string(p, &tmp);
			cf_buf_release(&tmp);
			if (rc < 0)
				break;
		} else {
			const unsigned char *a;
			size_t alen;
			if (mp_atom(p, 1, 1, &a, &alen) < 0)
				break;
			if (mp_rfc2047_bad(a, alen))
				break;
		}
		words++;
	}
	return words ? 0 : -1;
}

/* consumeComment, '(' already consumed; appends the comment text without
 * its quoting backslashes to @text when non-NULL. */
static int mp_comment(struct mp *p, struct cf_buf *text)
{
	int depth = 1;
	while (!mp_empty(p) && depth > 0) {
		if (*p->s == '\\' && p->e - p->s > 1)
			p->s++;
		else if (*p->s == '(')
			depth++;
		else if (*p->s == ')')
			depth--;
		if (depth > 0 && text)
			cf_buf_addc(text, *p->s);
		p->s++;
	}
	return depth == 0 ? 0 : -1;
}

static int mp_skip_cfws(struct mp *p)
{
	mp_skip_space(p);
	while (mp_consume(p, '(')) {
		if (mp_comment(p, NULL) < 0)
			return -1;
		mp_skip_space(p);
	}
	return 0;
}

/* consumeDisplayNameComment: fails for a bad comment or an encoded word in an
 * unsupported charset. */
static int mp_display_name_comment(struct mp *p)
{
	struct cf_buf c = CF_BUF_INIT;
	int rc = -1;

	if (!mp_consume(p, '('))
		goto out;
	if (mp_comment(p, &c) < 0)
		goto out;
	for (size_t i = 0; i < c.len;) {
		while (i < c.len && (c.data[i] == ' ' || c.data[i] == '\t'))
			i++;
		size_t j = i;
		while (j < c.len && c.data[j] != ' ' && c.data[j] != '\t')
			j++;
		if (j > i && mp_rfc2047_bad(c.data + i, j - i))
			goto out;
		i = j;
	}
	rc = 0;
out:
	cf_buf_release(&c);
	return rc;
}

struct addrs {
	int n;
	char *first;
};

static void addrs_add(struct addrs *l, char *a)
{
	if (l->n++ == 0)
		l->first = a;
	else
		free(a);
}

static int mp_parse_address(struct mp *p, int handle_group, struct addrs *l);

static int mp_group_list(struct mp *p, struct addrs *l)
{
	mp_skip_space(p);
	if (mp_consume(p, ';')) {
		mp_skip_cfws(p);
		return 0;
	}
	for (;;) {
		mp_skip_space(p);
		if (mp_parse_address(p, 0, l) < 0)
			return -1;
		if (mp_skip_cfws(p) < 0)
			return -1;
		if (mp_consume(p, ';')) {
			mp_skip_cfws(p);
			return 0;
		}
		if (!mp_consume(p, ','))
			return -1;
	}
}

static int mp_parse_address(struct mp *p, int handle_group, struct addrs *l)
{
	char *spec = NULL;

	mp_skip_space(p);
	if (mp_empty(p))
		return -1;
	if (mp_addr_spec(p, &spec) == 0) {
		mp_skip_space(p);
		if (!mp_empty(p) && *p->s == '(' && mp_display_name_comment(p) < 0) {
			free(spec);
			return -1;
		}
		addrs_add(l, spec);
		return 0;
	}
	if (*p->s != '<' && mp_phrase(p) < 0)
		return -1;
	mp_skip_space(p);
	if (handle_group && mp_consume(p, ':'))
		return mp_group_list(p, l);
	if (!mp_consume(p, '<'))
		return -1;
	if (mp_addr_spec(p, &spec) < 0)
		return -1;
	if (!mp_consume(p, '>')) {
		free(spec);
		return -1;
	}
	addrs_add(l, spec);
	return 0;
}

int cf_parse_mail(const char *s, char **addr)
{
	struct mp p = {(const unsigned char *)s, (const unsigned char *)s + strlen(s)};
	struct addrs l = {0, NULL};

	*addr = NULL;
	if (mp_parse_address(&p, 1, &l) < 0 || mp_skip_cfws(&p) < 0 || !mp_empty(&p) || l.n != 1) {
		free(l.first);
		return -1;
	}
	*addr = l.first;
	return 0;
}

/* ---- url.ParseRequestURI and URL.String (Go 1.19) ---- */

enum enc {
	ENC_PATH = 1,
	ENC_PATH_SEGMENT,
	ENC_HOST,
	ENC_ZONE,
	ENC_USER_PASSWORD,
	ENC_QUERY_COMPONENT,
	ENC_FRAGMENT
};

static int should_escape(unsigned char c, enum enc mode)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 0;
	if (mode == ENC_HOST || mode == ENC_ZONE) {
		switch (c) {
		case '!':
		case '$':
		case '&':
		case '\'':
		case '(':
		case ')':
		case '*':
		case '+':
		case ',':
		case ';':
		case '=':
		case ':':
		case '[':
		case ']':
		case '<':
		case '>':
		case '"': return 0;
		}
	}
	switch (c) {
	case '-':
	case '_':
	case '.':
	case '~': return 0;
	case '$':
	case '&':
	case '+':
	case ',':
	case '/':
	case ':':
	case ';':
	case '=':
	case '?':
	case '@':
		switch (mode) {
		case ENC_PATH: return c == '?';
		case ENC_PATH_SEGMENT: return c == '/' || c == ';' || c == ',' || c == '?';
		case ENC_USER_PASSWORD: return c == '@' || c == '/' || c == '?' || c == ':';
		case ENC_QUERY_COMPONENT: return 1;
		case ENC_FRAGMENT: return 0;
		default: break;
		}
	}
	if (mode == ENC_FRAGMENT) {
		switch (c) {
		case '!':
		case '(':
		case ')':
		case '*': return 0;
		}
	}
	return 1;
}

static int url_unescape(const char *s, size_t n, enum enc mode, struct cf_buf *out)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n || cf_hexval((unsigned char)s[i + 1]) < 0 ||
			    cf_hexval((unsigned char)s[i + 2]) < 0)
				return -1;
			if (mode == ENC_HOST && cf_hexval((unsigned char)s[i + 1]) < 8 &&
			    memcmp(s + i, "%25", 3) != 0)
				return -1;
			if (mode == ENC_ZONE) {
				unsigned char v =
					(unsigned char)(cf_hexval((unsigned char)s[i + 1]) << 4 |
							cf_hexval((unsigned char)s[i + 2]));
				if (memcmp(s + i, "%25", 3) != 0 && v != ' ' &&
				    should_escape(v, ENC_HOST))
					return -1;
			}
			i += 3;
		} else {
			if ((mode == ENC_HOST || mode == ENC_ZONE) && c < 0x80 &&
			    should_escape(c, mode))
				return -1;
			i++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			cf_buf_addc(out, (unsigned char)(cf_hexval((unsigned char)s[i + 1]) << 4 |
							 cf_hexval((unsigned char)s[i + 2])));
			i += 2;
		} else if (s[i] == '+' && mode == ENC_QUERY_COMPONENT) {
			cf_buf_addc(out, ' ');
		} else {
			cf_buf_addc(out, (unsigned char)s[i]);
		}
	}
	return 0;
}

static void url_escape(struct cf_buf *out, const char *s, size_t n, enum enc mode)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' && mode == ENC_QUERY_COMPONENT) {
			cf_buf_addc(out, '+');
		} else if (should_escape(c, mode)) {
			cf_buf_addc(out, '%');
			cf_buf_addc(out, (unsigned char)hex[c >> 4]);
			cf_buf_addc(out, (unsigned char)hex[c & 15]);
		} else {
			cf_buf_addc(out, c);
		}
	}
}

static int valid_encoded(const char *s, size_t n, enum enc mode)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '!':
		case '$':
		case '&':
		case '\'':
		case '(':
		case ')':
		case '*':
		case '+':
		case ',':
		case ';':
		case '=':
		case ':':
		case '@':
		case '[':
		case ']':
		case '%': break;
		default:
			if (should_escape((unsigned char)s[i], mode))
				return 0;
		}
	}
	return 1;
}

static int valid_optional_port(const char *s, size_t n)
{
	if (n == 0)
		return 1;
	if (s[0] != ':')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int valid_userinfo(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (c && strchr("-._:~!$&'()*+,;=%@", c))
			continue;
		return 0;
	}
	return 1;
}

static const char *memrchr_c(const char *s, size_t n, char c)
{
	while (n--)
		if (s[n] == c)
			return s + n;
	return NULL;
}

static const char *memstr(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(s + i, lit, m) == 0)
			return s + i;
	return NULL;
}

/* parseHost: host[:port], "[v6%25zone]:port" */
static int url_parse_host(const char *h, size_t n, struct cf_buf *host)
{
	if (n > 0 && h[0] == '[') {
		const char *rb = memrchr_c(h, n, ']');
		if (!rb)
			return -1;
		size_t i = (size_t)(rb - h);
		if (!valid_optional_port(rb + 1, n - i - 1))
			return -1;
		const char *z = memstr(h, i, "%25");
		if (z) {
			size_t zi = (size_t)(z - h);
			if (url_unescape(h, zi, ENC_HOST, host) < 0 ||
			    url_unescape(z, i - zi, ENC_ZONE, host) < 0 ||
			    url_unescape(rb, n - i, ENC_HOST, host) < 0)
				return -1;
			return 0;
		}
	} else {
		const char *colon = memrchr_c(h, n, ':');
		if (colon && !valid_optional_port(colon, n - (size_t)(colon - h)))
			return -1;
	}
	return url_unescape(h, n, ENC_HOST, host);
}

struct url {
	struct cf_buf scheme, opaque, user, pass, host, path, raw_path, raw_query;
	int has_user, pass_set, force_query;
};

static void url_release(struct url *u)
{
	cf_buf_release(&u->scheme);
	cf_buf_release(&u->opaque);
	cf_buf_release(&u->user);
	cf_buf_release(&u->pass);
	cf_buf_release(&u->host);
	cf_buf_release(&u->path);
	cf_buf_release(&u->raw_path);
	cf_buf_release(&u->raw_query);
}

static int url_parse_authority(struct url *u, const char *a, size_t n)
{
	const char *at = memrchr_c(a, n, '@');
	if (!at)
		return url_parse_host(a, n, &u->host);
	size_t i = (size_t)(at - a);
	if (url_parse_host(at + 1, n - i - 1, &u->host) < 0)
		return -1;
	if (!valid_userinfo(a, i))
		return -1;
	u->has_user = 1;
	const char *colon = memchr(a, ':', i);
	if (!colon)
		return url_unescape(a, i, ENC_USER_PASSWORD, &u->user);
	size_t ci = (size_t)(colon - a);
	u->pass_set = 1;
	if (url_unescape(a, ci, ENC_USER_PASSWORD, &u->user) < 0 ||
	    url_unescape(colon + 1, i - ci - 1, ENC_USER_PASSWORD, &u->pass) < 0)
		return -1;
	return 0;
}

static int url_set_path(struct url *u, const char *p, size_t n)
{
	struct cf_buf esc = CF_BUF_INIT;

	if (url_unescape(p, n, ENC_PATH, &u->path) < 0)
		return -1;
	url_escape(&esc, (const char *)u->path.data, u->path.len, ENC_PATH);
	if (esc.len != n || (n && memcmp(esc.data, p, n) != 0))
		cf_buf_add(&u->raw_path, p, n);
	cf_buf_release(&esc);
	return 0;
}

static void url_escaped_path(const struct url *u, struct cf_buf *out)
{
	const char *path = u->path.len ? (const char *)u->path.data : "";
	/* RawPath always unescapes to Path here (both come from setPath), so
	 * only its validity decides. */
	if (u->raw_path.len &&
	    valid_encoded((const char *)u->raw_path.data, u->raw_path.len, ENC_PATH)) {
		cf_buf_add(out, u->raw_path.data, u->raw_path.len);
		return;
	}
	if (u->path.len == 1 && path[0] == '*') {
		cf_buf_addc(out, '*');
		return;
	}
	url_escape(out, path, u->path.len, ENC_PATH);
}

static char *url_string(const struct url *u)
{
	struct cf_buf b = CF_BUF_INIT;

	if (u->scheme.len) {
		cf_buf_add(&b, u->scheme.data, u->scheme.len);
		cf_buf_addc(&b, ':');
	}
	if (u->opaque.len) {
		cf_buf_add(&b, u->opaque.data, u->opaque.len);
	} else {
		if (u->scheme.len || u->host.len || u->has_user) {
			if (u->host.len || u->path.len || u->has_user)
				cf_buf_adds(&b, "//");
			if (u->has_user) {
				url_escape(&b, (const char *)u->user.data, u->user.len,
					   ENC_USER_PASSWORD);
				if (u->pass_set) {
					cf_buf_addc(&b, ':');
					url_escape(&b, (const char *)u->pass.data, u->pass.len,
						   ENC_USER_PASSWORD);
				}
				cf_buf_addc(&b, '@');
			}
			if (u->host.len)
				url_escape(&b, (const char *)u->host.data, u->host.len, ENC_HOST);
		}
		struct cf_buf path = CF_BUF_INIT;
		url_escaped_path(u, &path);
		if (path.len && path.data[0] != '/' && u->host.len)
			cf_buf_addc(&b, '/');
		if (b.len == 0 && path.len) {
			const char *slash = memchr(path.data, '/', path.len);
			size_t seg = slash ? (size_t)(slash - (const char *)path.data) : path.len;
			if (memchr(path.data, ':', seg))
				cf_buf_adds(&b, "./");
		}
		if (path.len)
			cf_buf_add(&b, path.data, path.len);
		cf_buf_release(&path);
	}
	if (u->force_query || u->raw_query.len) {
		cf_buf_addc(&b, '?');
		if (u->raw_query.len)
			cf_buf_add(&b, u->raw_query.data, u->raw_query.len);
	}
	return (char *)cf_buf_detach(&b, NULL);
}

int cf_parse_request_uri(const char *s, char **serialised)
{
	struct url u;
	size_t n = strlen(s);
	int rc = -1;

	memset(&u, 0, sizeof u);
	*serialised = NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return -1;
	if (n == 0)
		return -1;
	if (n == 1 && s[0] == '*') {
		*serialised = cf_xstrdup("*");
		return 0;
	}

	/* getScheme */
	const char *rest = s;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				break;
			continue;
		}
		if (c == ':') {
			if (i == 0)
				return -1;
			for (size_t j = 0; j < i; j++) {
				char d = s[j];
				cf_buf_addc(
					&u.scheme,
					(unsigned char)(d >= 'A' && d <= 'Z' ? d - 'A' + 'a' : d));
			}
			rest = s + i + 1;
		}
		break;
	}
	size_t rlen = n - (size_t)(rest - s);

	const char *qm = memchr(rest, '?', rlen);
	if (qm && qm == rest + rlen - 1) {
		u.force_query = 1;
		rlen--;
	} else if (qm) {
		size_t qi = (size_t)(qm - rest);
		cf_buf_add(&u.raw_query, qm + 1, rlen - qi - 1);
		rlen = qi;
	}

	if (rlen == 0 || rest[0] != '/') {
		if (!u.scheme.len)
			goto out;
		/* rootless paths are opaque; Go does not validate them */
		cf_buf_add(&u.opaque, rest, rlen);
		goto done;
	}
	if (u.scheme.len && rlen >= 2 && rest[1] == '/') {
		const char *a = rest + 2;
		size_t alen = rlen - 2;
		const char *slash = memchr(a, '/', alen);
		size_t auth = slash ? (size_t)(slash - a) : alen;
		if (url_parse_authority(&u, a, auth) < 0)
			goto out;
		rest = a + auth;
		rlen = alen - auth;
	}
	if (url_set_path(&u, rest, rlen) < 0)
		goto out;
done:
	*serialised = url_string(&u);
	rc = 0;
out:
	url_release(&u);
	return rc;
}

/* ---- classification ---- */

int cf_host_classify(const char *s, struct cf_host *out, struct cf_error *err)
{
	memset(out, 0, sizeof *out);
	if (cf_parse_ip(s, out->ip, &out->iplen) == 0) {
		out->kind = CF_HOST_IP;
		out->value = cf_xstrdup(s);
		return 0;
	}
	if (cf_parse_mail(s, &out->value) == 0)
		out->kind = CF_HOST_EMAIL;
	else if (cf_parse_request_uri(s, &out->value) == 0)
		out->kind = CF_HOST_URI;
	else {
		out->kind = CF_HOST_DNS;
		out->value = cf_xstrdup(s);
	}

	/* x509.isIA5String ranges over runes: any byte >= 0x80 fails. */
	for (const unsigned char *p = (const unsigned char *)out->value; *p; p++) {
		if (*p >= 0x80) {
			struct cf_buf q = CF_BUF_INIT;
			cf_go_quote(&q, out->value, strlen(out->value));
			cf_error_set(err, CF_ERR_PLAIN,
				     "x509: %s cannot be encoded as an IA5String",
				     (const char *)q.data);
			cf_buf_release(&q);
			enum cf_host_kind kind = out->kind;
			cf_host_release(out);
			out->kind = kind;
			return -1;
		}
	}
	return 0;
}

void cf_host_release(struct cf_host *h)
{
	if (!h)
		return;
	free(h->value);
	memset(h, 0, sizeof *h);
}
