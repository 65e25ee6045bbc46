#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cfregex.h"
#include "duration.h"
#include "fileio.h"
#include "gojson.h"
#include "log.h"

#define ONE_YEAR_NS  (8760LL * 3600 * 1000000000)
#define PATH_MAX_LEN 256

/*
 * Decoding mirrors Go's encoding/json into cfssl's config structs: the whole
 * document is decoded before anything is validated; a type error is kept
 * (the first one wins) while decoding goes on; an error returned by a
 * json.Unmarshaler (time.Time, config.OID, lint.LintStatus) ends decoding at
 * once and wins over an earlier type error.
 */
struct dec {
	struct cf_error terr;
	struct cf_error fatal;
};

struct prof {
	struct cf_profile p;
	char *backdate_str;
	int64_t backdate_num; /* the untagged Go field "Backdate" (ns) */
	int bad_qualifier;    /* a policy qualifier type cfssl rejects */
	/* names that must resolve in "remotes" / "auth_keys" (cfssl's populate) */
	char *remote, *auth_key, *prev_auth_key, *auth_remote, *auth_remote_key;
	int usages_set; /* "usages" present and not null, even [] (a non-nil Go slice) */
	int ct_logs;    /* "ct_log_servers" has an entry */
};

struct authkey {
	char *name, *type, *key;
};

struct named {
	char *name;
	struct prof *pp; /* NULL: the member was null */
};

struct raw {
	int has_signing;
	int has_default;
	struct prof def;
	struct named *profs;
	size_t nprofs;
	char **remote_names, **remote_addrs;
	size_t nremotes;
	struct authkey *keys;
	size_t nkeys;
};

/* ---- small helpers ---- */

static char *xstrndup0(const char *s, size_t len)
{
	return cf_xmemdup(s, len);
}

static void free_list(char ***list, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*list)[i]);
	free(*list);
	*list = NULL;
	*n = 0;
}

static void policies_release(struct cf_profile *p)
{
	for (size_t i = 0; i < p->npolicies; i++) {
		struct cf_policy *pol = &p->policies[i];
		for (size_t j = 0; j < pol->nqualifiers; j++) {
			free(pol->qualifiers[j].type);
			free(pol->qualifiers[j].value);
		}
		free(pol->qualifiers);
		free(pol->id);
	}
	free(p->policies);
	p->policies = NULL;
	p->npolicies = 0;
}

static void profile_release(struct cf_profile *p)
{
	policies_release(p);
	free(p->name_whitelist);
	free_list(&p->usages, &p->nusages);
	free_list(&p->issuer_urls, &p->nissuer_urls);
	free(p->expiry_str);
	free(p->ocsp_url);
	free(p->crl_url);
	cf_auth_key_release(&p->auth_key);
	cf_auth_key_release(&p->prev_auth_key);
	cf_auth_key_release(&p->auth_remote_key);
	free(p->remote_server);
	memset(p, 0, sizeof *p);
}

static void prof_release(struct prof *pp)
{
	profile_release(&pp->p);
	free(pp->backdate_str);
	free(pp->remote);
	free(pp->auth_key);
	free(pp->prev_auth_key);
	free(pp->auth_remote);
	free(pp->auth_remote_key);
	memset(pp, 0, sizeof *pp);
}

static void raw_clear_profiles(struct raw *r)
{
	for (size_t i = 0; i < r->nprofs; i++) {
		free(r->profs[i].name);
		if (r->profs[i].pp) {
			prof_release(r->profs[i].pp);
			free(r->profs[i].pp);
		}
	}
	free(r->profs);
	r->profs = NULL;
	r->nprofs = 0;
}

static void raw_clear_signing(struct raw *r)
{
	prof_release(&r->def);
	r->has_default = 0;
	raw_clear_profiles(r);
	r->has_signing = 0;
}

/* Go's struct field lookup: an exact name first, else the first field in
 * struct order that matches case-insensitively. */
static int field_index(const char *key, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(key, names[i]))
			return (int)i;
	for (size_t i = 0; i < n; i++)
		if (cf_gojson_key_eq(key, names[i]))
			return (int)i;
	return -1;
}

/* Deviation 10: an unknown member is still ignored, but named in a warning. */
static void warn_unknown(const char *key, const char *where)
{
	struct cf_buf q = CF_BUF_INIT;
	cf_gojson_quote(&q, key, strlen(key));
	cf_log(CF_LOG_WARNING, "unknown member %s in %s ignored", (const char *)q.data, where);
	cf_buf_release(&q);
}

static void type_error(struct dec *d, const json_t *v, const char *st, const char *path,
		       const char *type)
{
	cf_gojson_type_error(&d->terr, v, st, path, type);
}

static void join(char *out, const char *prefix, const char *name)
{
	/* Paths are short member names; cut rather than overflow. */
	size_t pl = strnlen(prefix, PATH_MAX_LEN - 1);
	memmove(out, prefix, pl);
	size_t room = PATH_MAX_LEN - 1 - pl;
	size_t nl = strnlen(name, room ? room - 1 : 0);
	if (room) {
		out[pl] = '.';
		memcpy(out + pl + 1, name, nl);
		out[pl + 1 + nl] = '\0';
	} else {
		out[pl] = '\0';
	}
}

/* The JSON text of @v as Go hands it to an UnmarshalJSON method (strings
 * re-quoted minimally, so the text is what a person most likely wrote). */
static void raw_text(const json_t *v, struct cf_buf *b)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		cf_buf_addc(b, '"');
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == '"' || c == '\\') {
				cf_buf_addc(b, '\\');
				cf_buf_addc(b, c);
			} else if (c < 0x20) {
				cf_buf_printf(b, "\\u%04x", c);
			} else {
				cf_buf_addc(b, c);
			}
		}
		cf_buf_addc(b, '"');
		return;
	}
	char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	cf_buf_adds(b, t ? t : "null");
	/* Jansson allocated it with whatever allocator the program installed. */
	json_free_t jfree;
	json_get_alloc_funcs(NULL, &jfree);
	jfree(t);
}

/* ---- simple members ---- */

static void get_string(struct dec *d, const json_t *v, const char *st, const char *path, char **out)
{
	const char *s = NULL;
	size_t len = 0;
	if (cf_gojson_get_string(v, &s, &len, &d->terr, st, path) == 0 && s) {
		free(*out);
		*out = xstrndup0(s, len);
	}
}

static void check_string(struct dec *d, const json_t *v, const char *st, const char *path)
{
	char *s = NULL;
	get_string(d, v, st, path, &s);
	free(s);
}

static void get_bool(struct dec *d, const json_t *v, const char *st, const char *path, int *out)
{
	int b = *out;
	if (cf_gojson_get_bool(v, &b, &d->terr, st, path) == 0)
		*out = b;
}

/* []string: null empties it (*set = 0), an array replaces it. */
static void get_strlist(struct dec *d, const json_t *v, const char *st, const char *path,
			char ***list, size_t *n, int *set)
{
	if (json_is_null(v)) {
		free_list(list, n);
		if (set)
			*set = 0;
		return;
	}
	if (!json_is_array(v)) {
		type_error(d, v, st, path, "[]string");
		return;
	}
	free_list(list, n);
	size_t cnt = json_array_size(v);
	*list = cf_xcalloc(cnt ? cnt : 1, sizeof **list);
	for (size_t i = 0; i < cnt; i++) {
		char *s = NULL;
		get_string(d, json_array_get(v, i), st, path, &s);
		(*list)[i] = s ? s : cf_xstrdup("");
	}
	*n = cnt;
	if (set)
		*set = 1;
}

static void check_strlist(struct dec *d, const json_t *v, const char *st, const char *path)
{
	char **l = NULL;
	size_t n = 0;
	get_strlist(d, v, st, path, &l, &n, NULL);
	free_list(&l, &n);
}

/* A struct member made only of string/bool/int fields. */
enum fkind { FK_STRING, FK_BOOL, FK_INT };

struct sfield {
	const char *name;
	enum fkind kind;
	void *out; /* char **, int *, long long *; NULL: type-check only */
};

static void get_struct(struct dec *d, json_t *v, const char *gotype, const char *outer_st,
		       const char *path, const char *st, const struct sfield *f, size_t nf,
		       const char *where)
{
	if (json_is_null(v))
		return;
	if (!json_is_object(v)) {
		type_error(d, v, outer_st, path, gotype);
		return;
	}
	const char *names[16];
	for (size_t i = 0; i < nf; i++)
		names[i] = f[i].name;
	const char *k;
	json_t *m;
	json_object_foreach(v, k, m) {
		int i = field_index(k, names, nf);
		if (i < 0) {
			if (where)
				warn_unknown(k, where);
			continue;
		}
		char p[PATH_MAX_LEN];
		join(p, path, f[i].name);
		switch (f[i].kind) {
		case FK_STRING:
			if (f[i].out)
				get_string(d, m, st, p, f[i].out);
			else
				check_string(d, m, st, p);
			break;
		case FK_BOOL: {
			int b = 0;
			get_bool(d, m, st, p, f[i].out ? f[i].out : &b);
			break;
		}
		case FK_INT: {
			long long x = 0;
			cf_gojson_get_int(m, f[i].out ? f[i].out : &x, &d->terr, st, p);
			break;
		}
		}
	}
}

/* ---- Go library behaviour cfssl's Unmarshalers rely on ---- */

/* time's quote(): printable ASCII as is (with \" and \\), other bytes \xNN. */
static void go_time_quote(struct cf_buf *b, const char *s, size_t n)
{
	cf_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x80) {
			cf_buf_printf(b, "\\x%02x", c);
		} else {
			if (c == '"' || c == '\\')
				cf_buf_addc(b, '\\');
			cf_buf_addc(b, c);
		}
	}
	cf_buf_addc(b, '"');
}

/* strconv.Quote for the ASCII-ish segments of an OID. */
static void go_strconv_quote(struct cf_buf *b, const char *s, size_t n)
{
	cf_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			cf_buf_addc(b, '\\');
			cf_buf_addc(b, c);
		} else if (c < 0x20 || c == 0x7f) {
			cf_buf_printf(b, "\\x%02x", c);
		} else {
			cf_buf_addc(b, c);
		}
	}
	cf_buf_addc(b, '"');
}

static const char RFC3339_Q[] = "\"2006-01-02T15:04:05Z07:00\"";

static int isdig(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

/* time.getnum */
static int getnum(const char **s, size_t *n, int fixed, int *out)
{
	if (!isdig(*s, *n, 0))
		return -1;
	if (!isdig(*s, *n, 1)) {
		if (fixed)
			return -1;
		*out = (*s)[0] - '0';
		(*s)++;
		(*n)--;
		return 0;
	}
	*out = ((*s)[0] - '0') * 10 + (*s)[1] - '0';
	*s += 2;
	*n -= 2;
	return 0;
}

enum { TP_OK, TP_BAD, TP_RANGE, TP_EXTRA, TP_DAY };

/* Go 1.19's Time.UnmarshalJSON: time.Parse(`"`+RFC3339+`"`, raw JSON text). */
static int parse_time_json(const char *raw, size_t rawlen, int64_t *sec, long *nsec,
			   struct cf_error *e)
{
	const char *v = raw;
	size_t n = rawlen;
	const char *hold = v, *elem = NULL, *range = NULL;
	size_t holdn = n;
	int year = 0, mon = 0, day = 0, hour = 0, min = 0, s = 0, off = 0, st = TP_OK;
	long ns = 0;

#define SKIP(c)                                            \
	do {                                               \
		if (!n || *v != (c)) {                     \
			static const char lit[2] = {c, 0}; \
			hold = v;                          \
			holdn = n;                         \
			elem = lit;                        \
			st = TP_BAD;                       \
			goto out;                          \
		}                                          \
		v++;                                       \
		n--;                                       \
	} while (0)
#define BAD(name)            \
	do {                 \
		elem = name; \
		st = TP_BAD; \
		goto out;    \
	} while (0)

	SKIP('"');
	hold = v;
	holdn = n;
	if (n < 4 || !isdig(v, n, 0))
		BAD("2006");
	for (int i = 0; i < 4; i++) {
		if (!isdig(v, n, (size_t)i))
			BAD("2006");
		year = year * 10 + v[i] - '0';
	}
	v += 4;
	n -= 4;
	SKIP('-');
	hold = v;
	holdn = n;
	if (getnum(&v, &n, 1, &mon))
		BAD("01");
	if (mon < 1 || mon > 12) {
		range = "month";
		goto out;
	}
	SKIP('-');
	hold = v;
	holdn = n;
	if (getnum(&v, &n, 1, &day))
		BAD("02");
	SKIP('T');
	hold = v;
	holdn = n;
	if (getnum(&v, &n, 0, &hour))
		BAD("15");
	if (hour >= 24) {
		range = "hour";
		goto out;
	}
	SKIP(':');
	hold = v;
	holdn = n;
	if (getnum(&v, &n, 1, &min))
		BAD("04");
	if (min >= 60) {
		range = "minute";
		goto out;
	}
	SKIP(':');
	hold = v;
	holdn = n;
	if (getnum(&v, &n, 1, &s))
		BAD("05");
	if (s >= 60) {
		range = "second";
		goto out;
	}
	if (n >= 2 && (v[0] == '.' || v[0] == ',') && isdig(v, n, 1)) {
		size_t k = 2;
		while (isdig(v, n, k))
			k++;
		size_t nb = k > 10 ? 10 : k;
		for (size_t i = 1; i < nb; i++)
			ns = ns * 10 + v[i] - '0';
		for (size_t i = nb; i < 10; i++)
			ns *= 10;
		v += k;
		n -= k;
	}
	hold = v;
	holdn = n;
	if (n >= 1 && v[0] == 'Z') {
		v++;
		n--;
	} else {
		int hh, mm;
		const char *t;
		size_t tn = 2;
		if (n < 6 || v[3] != ':')
			BAD("Z07:00");
		t = v + 1;
		if (getnum(&t, &tn, 1, &hh))
			BAD("Z07:00");
		t = v + 4;
		tn = 2;
		if (getnum(&t, &tn, 1, &mm))
			BAD("Z07:00");
		off = (hh * 60 + mm) * 60;
		if (v[0] == '-')
			off = -off;
		else if (v[0] != '+')
			BAD("Z07:00");
		v += 6;
		n -= 6;
	}
	SKIP('"');
	if (n) {
		st = TP_EXTRA;
		goto out;
	}
	if (day < 1 || day > cf_days_in_month(mon, year)) {
		st = TP_DAY;
		goto out;
	}
#undef SKIP
#undef BAD
out:;
	if (range)
		st = TP_RANGE;
	if (st == TP_OK) {
		*sec = cf_days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + s -
		       off;
		*nsec = ns;
		return 0;
	}
	struct cf_buf b = CF_BUF_INIT;
	cf_buf_adds(&b, "parsing time ");
	go_time_quote(&b, raw, rawlen);
	switch (st) {
	case TP_BAD:
		cf_buf_adds(&b, " as ");
		go_time_quote(&b, RFC3339_Q, strlen(RFC3339_Q));
		cf_buf_adds(&b, ": cannot parse ");
		go_time_quote(&b, hold, holdn);
		cf_buf_adds(&b, " as ");
		go_time_quote(&b, elem, strlen(elem));
		break;
	case TP_RANGE: cf_buf_printf(&b, ": %s out of range", range); break;
	case TP_EXTRA:
		cf_buf_adds(&b, ": extra text: ");
		go_time_quote(&b, v, n);
		break;
	default: cf_buf_adds(&b, ": day out of range"); break;
	}
	cf_error_set(e, CF_ERR_PLAIN, "%s", (const char *)b.data);
	cf_buf_release(&b);
	return -1;
}

/* time.Time member; sets *has unless the value is null or Go's zero time. */
static int get_time(struct dec *d, const json_t *v, int *has, time_t *t, long *nsec)
{
	if (json_is_null(v))
		return 0;
	struct cf_buf raw = CF_BUF_INIT;
	raw_text(v, &raw);
	int64_t sec;
	long ns;
	int rc = parse_time_json((const char *)raw.data, raw.len, &sec, &ns, &d->fatal);
	cf_buf_release(&raw);
	if (rc)
		return -1;
	*has = !(sec == cf_days_from_civil(1, 1, 1) * 86400 && ns == 0);
	*t = (time_t)sec;
	*nsec = ns;
	return 0;
}

/* strconv.Atoi's errors. */
static int go_atoi(const char *s, size_t n, struct cf_error *e)
{
	size_t i = 0;
	int bad = 0, range = 0;
	unsigned long long x = 0, lim = 9223372036854775807ULL;
	if (n && (s[0] == '+' || s[0] == '-')) {
		if (s[0] == '-')
			lim++;
		i = 1;
	}
	if (i == n)
		bad = 1;
	for (; i < n && !bad && !range; i++) {
		if (s[i] < '0' || s[i] > '9') {
			bad = 1;
			break;
		}
		if (x > (lim - (unsigned)(s[i] - '0')) / 10)
			range = 1;
		x = x * 10 + (unsigned)(s[i] - '0');
	}
	if (!bad && !range)
		return 0;
	struct cf_buf b = CF_BUF_INIT;
	cf_buf_adds(&b, "strconv.Atoi: parsing ");
	go_strconv_quote(&b, s, n);
	cf_buf_adds(&b, range ? ": value out of range" : ": invalid syntax");
	cf_error_set(e, CF_ERR_PLAIN, "%s", (const char *)b.data);
	cf_buf_release(&b);
	return -1;
}

/* config.OID's UnmarshalJSON. */
static int check_oid(struct dec *d, const json_t *v)
{
	if (!json_is_string(v)) {
		struct cf_buf raw = CF_BUF_INIT;
		raw_text(v, &raw);
		cf_error_set(&d->fatal, CF_ERR_PLAIN, "OID JSON string not wrapped in quotes.%s",
			     (const char *)raw.data);
		cf_buf_release(&raw);
		return -1;
	}
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	int digit = 0;
	for (size_t i = 0; i < n; i++)
		digit |= s[i] >= '0' && s[i] <= '9';
	if (!digit)
		return cf_error_set(&d->fatal, CF_ERR_PLAIN, "Invalid OID");
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (go_atoi(s + start, i - start, &d->fatal))
				return -1;
			start = i + 1;
		}
	}
	return 0;
}

static const char *const lint_labels[] = {"reserved", "NA",   "NE",    "pass",
					  "info",     "warn", "error", "fatal"};

/* lint.LintStatus's UnmarshalJSON: the JSON text with every '"' removed. */
static int get_lint(struct dec *d, const json_t *v, int *out)
{
	struct cf_buf raw = CF_BUF_INIT, key = CF_BUF_INIT;
	raw_text(v, &raw);
	for (size_t i = 0; i < raw.len; i++)
		if (raw.data[i] != '"')
			cf_buf_addc(&key, raw.data[i]);
	cf_buf_addc(&key, 0);
	int rc = -1;
	for (size_t i = 0; i < sizeof lint_labels / sizeof *lint_labels; i++) {
		if (!strcmp((const char *)key.data, lint_labels[i])) {
			*out = (int)i;
			rc = 0;
		}
	}
	if (rc)
		cf_error_set(&d->fatal, CF_ERR_PLAIN, "bad LintStatus JSON value: %s",
			     (const char *)raw.data);
	cf_buf_release(&raw);
	cf_buf_release(&key);
	return rc;
}

/* ---- the profile ---- */

enum {
	P_USAGES,
	P_ISSUER_URLS,
	P_OCSP_URL,
	P_CRL_URL,
	P_CA_CONSTRAINT,
	P_OCSP_NO_CHECK,
	P_EXPIRY,
	P_BACKDATE,
	P_AUTH_KEY,
	P_COPY_EXTENSIONS,
	P_PREV_AUTH_KEY,
	P_REMOTE,
	P_NOT_BEFORE,
	P_NOT_AFTER,
	P_NAME_WHITELIST,
	P_AUTH_REMOTE,
	P_CT_LOG_SERVERS,
	P_ALLOWED_EXTENSIONS,
	P_CERT_STORE,
	P_LINT_ERROR_LEVEL,
	P_IGNORED_LINTS,
	P_IGNORED_LINT_SOURCES,
	/* untagged Go fields: their Go names are their JSON names */
	P_POLICIES,
	P_EXPIRY_DUR,
	P_BACKDATE_DUR,
	P_PROVIDER,
	P_PREV_PROVIDER,
	P_REMOTE_PROVIDER,
	P_REMOTE_SERVER,
	P_REMOTE_CAS,
	P_CLIENT_CERT,
	P_CSR_WHITELIST,
	P_NAME_WHITELIST_RE,
	P_EXTENSION_WHITELIST,
	P_CLIENT_SERIALS,
	P_LINT_REGISTRY,
	P_COUNT
};

/* In SigningProfile's field order (Go's case-insensitive match takes the first). */
static const char *const profile_fields[P_COUNT] = {
	"usages",
	"issuer_urls",
	"ocsp_url",
	"crl_url",
	"ca_constraint",
	"ocsp_no_check",
	"expiry",
	"backdate",
	"auth_key",
	"copy_extensions",
	"prev_auth_key",
	"remote",
	"not_before",
	"not_after",
	"name_whitelist",
	"auth_remote",
	"ct_log_servers",
	"allowed_extensions",
	"cert_store",
	"lint_error_level",
	"ignored_lints",
	"ignored_lint_sources",
	"Policies",
	"Expiry",
	"Backdate",
	"Provider",
	"PrevProvider",
	"RemoteProvider",
	"RemoteServer",
	"RemoteCAs",
	"ClientCert",
	"CSRWhitelist",
	"NameWhitelist",
	"ExtensionWhitelist",
	"ClientProvidesSerialNumbers",
	"LintRegistry",
};

static void get_duration_field(struct dec *d, const json_t *v, const char *path, int64_t *out)
{
	if (json_is_null(v))
		return;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return;
	}
	type_error(d, v, "SigningProfile", path, "time.Duration");
}

static int decode_policies(struct dec *d, json_t *v, const char *path, struct prof *pp,
			   const char *where)
{
	policies_release(&pp->p);
	if (json_is_null(v)) {
		pp->bad_qualifier = 0;
		return 0;
	}
	if (!json_is_array(v)) {
		type_error(d, v, "SigningProfile", path, "[]config.CertificatePolicy");
		return 0;
	}
	static const char *const pol_fields[] = {"ID", "Qualifiers"};
	pp->bad_qualifier = 0;
	size_t i;
	json_t *pol;
	json_array_foreach(v, i, pol) {
		if (json_is_null(pol))
			continue;
		if (!json_is_object(pol)) {
			type_error(d, pol, "SigningProfile", path, "config.CertificatePolicy");
			continue;
		}
		struct cf_profile *pr = &pp->p;
		pr->policies =
			cf_xrealloc(pr->policies, (pr->npolicies + 1) * sizeof *pr->policies);
		struct cf_policy *cur = &pr->policies[pr->npolicies++];
		memset(cur, 0, sizeof *cur);
		const char *k;
		json_t *m;
		json_object_foreach(pol, k, m) {
			int f = field_index(k, pol_fields, 2);
			char p[PATH_MAX_LEN];
			if (f < 0) {
				warn_unknown(k, where);
				continue;
			}
			join(p, path, pol_fields[f]);
			if (f == 0) {
				if (check_oid(d, m))
					return -1;
				free(cur->id);
				cur->id = cf_xmemdup(json_string_value(m), json_string_length(m));
				continue;
			}
			if (json_is_null(m))
				continue;
			if (!json_is_array(m)) {
				type_error(d, m, "CertificatePolicy", p,
					   "[]config.CertificatePolicyQualifier");
				continue;
			}
			size_t j;
			json_t *q;
			json_array_foreach(m, j, q) {
				char *type = NULL, *value = NULL;
				struct sfield qf[] = {{"Type", FK_STRING, &type},
						      {"Value", FK_STRING, &value}};
				get_struct(d, q, "config.CertificatePolicyQualifier",
					   "CertificatePolicy", p, "CertificatePolicyQualifier", qf,
					   2, where);
				if (type && *type && strcmp(type, "id-qt-unotice") &&
				    strcmp(type, "id-qt-cps"))
					pp->bad_qualifier = 1;
				cur->qualifiers = cf_xrealloc(cur->qualifiers,
							      (cur->nqualifiers + 1) *
								      sizeof *cur->qualifiers);
				cur->qualifiers[cur->nqualifiers].type =
					type ? type : cf_xstrdup("");
				cur->qualifiers[cur->nqualifiers].value =
					value ? value : cf_xstrdup("");
				cur->nqualifiers++;
			}
		}
	}
	return 0;
}

/* Decodes a profile object into @pp (merging, as Go decodes into the
 * existing struct). Returns -1 only for an Unmarshaler error. */
static int decode_profile(struct dec *d, json_t *obj, const char *prefix, struct prof *pp,
			  const char *where)
{
	struct cf_profile *p = &pp->p;
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		int f = field_index(k, profile_fields, P_COUNT);
		if (f < 0) {
			warn_unknown(k, where);
			continue;
		}
		char path[PATH_MAX_LEN];
		join(path, prefix, profile_fields[f]);
		const char *S = "SigningProfile";
		switch (f) {
		case P_USAGES:
			get_strlist(d, v, S, path, &p->usages, &p->nusages, &pp->usages_set);
			break;
		case P_ISSUER_URLS:
			get_strlist(d, v, S, path, &p->issuer_urls, &p->nissuer_urls,
				    &p->issuer_urls_set);
			break;
		case P_OCSP_URL: get_string(d, v, S, path, &p->ocsp_url); break;
		case P_CRL_URL: get_string(d, v, S, path, &p->crl_url); break;
		case P_EXPIRY: get_string(d, v, S, path, &p->expiry_str); break;
		case P_BACKDATE: get_string(d, v, S, path, &pp->backdate_str); break;
		case P_NAME_WHITELIST: get_string(d, v, S, path, &p->name_whitelist); break;
		case P_AUTH_KEY: get_string(d, v, S, path, &pp->auth_key); break;
		case P_PREV_AUTH_KEY: get_string(d, v, S, path, &pp->prev_auth_key); break;
		case P_REMOTE: get_string(d, v, S, path, &pp->remote); break;
		case P_CERT_STORE:
		case P_REMOTE_SERVER: check_string(d, v, S, path); break;
		case P_OCSP_NO_CHECK: get_bool(d, v, S, path, &p->ocsp_no_check); break;
		case P_COPY_EXTENSIONS: get_bool(d, v, S, path, &p->copy_extensions); break;
		case P_CLIENT_SERIALS: get_bool(d, v, S, path, &p->client_provides_serial); break;
		case P_CT_LOG_SERVERS:
			check_strlist(d, v, S, path);
			pp->ct_logs = json_is_array(v) && json_array_size(v) > 0;
			break;
		case P_IGNORED_LINTS:
		case P_IGNORED_LINT_SOURCES: check_strlist(d, v, S, path); break;
		case P_CA_CONSTRAINT: {
			char w[PATH_MAX_LEN + 32];
			snprintf(w, sizeof w, "\"ca_constraint\" of %s", where);
			struct sfield cf[] = {
				{"is_ca", FK_BOOL, &p->is_ca},
				{"max_path_len", FK_INT, &p->max_path_len},
				{"max_path_len_zero", FK_BOOL, &p->max_path_len_zero}};
			get_struct(d, v, "config.CAConstraint", S, path, "CAConstraint", cf, 3, w);
			break;
		}
		case P_AUTH_REMOTE: {
			char w[PATH_MAX_LEN + 32];
			snprintf(w, sizeof w, "\"auth_remote\" of %s", where);
			struct sfield af[] = {{"remote", FK_STRING, &pp->auth_remote},
					      {"auth_key", FK_STRING, &pp->auth_remote_key}};
			get_struct(d, v, "config.AuthRemote", S, path, "AuthRemote", af, 2, w);
			break;
		}
		case P_CSR_WHITELIST: {
			struct sfield wf[] = {
				{"Subject", FK_BOOL, NULL},
				{"PublicKeyAlgorithm", FK_BOOL, NULL},
				{"PublicKey", FK_BOOL, NULL},
				{"SignatureAlgorithm", FK_BOOL, NULL},
				{"DNSNames", FK_BOOL, NULL},
				{"IPAddresses", FK_BOOL, NULL},
				{"EmailAddresses", FK_BOOL, NULL},
				{"URIs", FK_BOOL, NULL},
			};
			get_struct(d, v, "config.CSRWhitelist", S, path, "CSRWhitelist", wf, 8,
				   NULL);
			break;
		}
		case P_NOT_BEFORE:
			if (get_time(d, v, &p->has_not_before, &p->not_before, &p->not_before_nsec))
				return -1;
			break;
		case P_NOT_AFTER:
			if (get_time(d, v, &p->has_not_after, &p->not_after, &p->not_after_nsec))
				return -1;
			break;
		case P_LINT_ERROR_LEVEL:
			if (get_lint(d, v, &p->lint_error_level))
				return -1;
			break;
		case P_ALLOWED_EXTENSIONS:
			if (json_is_null(v))
				break;
			if (!json_is_array(v)) {
				type_error(d, v, S, path, "[]config.OID");
				break;
			}
			for (size_t i = 0; i < json_array_size(v); i++)
				if (check_oid(d, json_array_get(v, i)))
					return -1;
			break;
		case P_POLICIES:
			if (decode_policies(d, v, path, pp, where))
				return -1;
			break;
		case P_EXPIRY_DUR: {
			int64_t ignored = 0; /* populate() overwrites Expiry from "expiry" */
			get_duration_field(d, v, path, &ignored);
			break;
		}
		case P_BACKDATE_DUR: get_duration_field(d, v, path, &pp->backdate_num); break;
		case P_PROVIDER:
		case P_PREV_PROVIDER:
		case P_REMOTE_PROVIDER:
		case P_LINT_REGISTRY:
			if (!json_is_null(v))
				type_error(d, v, S, path,
					   f == P_LINT_REGISTRY ? "lint.Registry"
								: "auth.Provider");
			break;
		case P_REMOTE_CAS:
			if (!json_is_null(v) && !json_is_object(v))
				type_error(d, v, S, path, "x509.CertPool");
			break;
		case P_CLIENT_CERT:
			if (!json_is_null(v) && !json_is_object(v))
				type_error(d, v, S, path, "tls.Certificate");
			break;
		case P_NAME_WHITELIST_RE:
			if (!json_is_null(v) && !json_is_object(v))
				type_error(d, v, S, path, "regexp.Regexp");
			break;
		case P_EXTENSION_WHITELIST:
			if (json_is_null(v))
				break;
			if (!json_is_object(v)) {
				type_error(d, v, S, path, "map[string]bool");
				break;
			}
			{
				const char *ek;
				json_t *ev;
				json_object_foreach(v, ek, ev) {
					int b = 0;
					get_bool(d, ev, S, path, &b);
				}
			}
			break;
		}
	}
	return 0;
}

/* ---- the document ---- */

static int decode_profiles(struct dec *d, json_t *v, struct raw *r)
{
	if (json_is_null(v)) {
		raw_clear_profiles(r);
		return 0;
	}
	if (!json_is_object(v)) {
		type_error(d, v, "Signing", "signing.profiles",
			   "map[string]*config.SigningProfile");
		return 0;
	}
	const char *k;
	json_t *m;
	json_object_foreach(v, k, m) {
		struct named *e = NULL;
		for (size_t i = 0; i < r->nprofs; i++)
			if (!strcmp(r->profs[i].name, k))
				e = &r->profs[i];
		if (!e) {
			r->profs = cf_xrealloc(r->profs, (r->nprofs + 1) * sizeof *r->profs);
			e = &r->profs[r->nprofs++];
			e->name = cf_xstrdup(k);
			e->pp = NULL;
		}
		/* a map element starts from zero each time */
		if (e->pp) {
			prof_release(e->pp);
			free(e->pp);
			e->pp = NULL;
		}
		if (json_is_null(m))
			continue;
		if (!json_is_object(m)) {
			type_error(d, m, "Signing", "signing.profiles", "config.SigningProfile");
			continue;
		}
		e->pp = cf_xcalloc(1, sizeof *e->pp);
		struct cf_buf w = CF_BUF_INIT;
		cf_buf_adds(&w, "signing profile ");
		cf_gojson_quote(&w, k, strlen(k));
		int rc = decode_profile(d, m, "signing.profiles", e->pp, (const char *)w.data);
		cf_buf_release(&w);
		if (rc)
			return -1;
	}
	return 0;
}

static int decode_signing(struct dec *d, json_t *v, struct raw *r)
{
	static const char *const fields[] = {"profiles", "default"};
	if (json_is_null(v)) {
		raw_clear_signing(r);
		return 0;
	}
	if (!json_is_object(v)) {
		type_error(d, v, "Config", "signing", "config.Signing");
		return 0;
	}
	r->has_signing = 1;
	const char *k;
	json_t *m;
	json_object_foreach(v, k, m) {
		int f = field_index(k, fields, 2);
		if (f < 0) {
			warn_unknown(k, "\"signing\"");
		} else if (f == 0) {
			if (decode_profiles(d, m, r))
				return -1;
		} else if (json_is_null(m)) {
			prof_release(&r->def);
			r->has_default = 0;
		} else if (!json_is_object(m)) {
			type_error(d, m, "Signing", "signing.default", "config.SigningProfile");
		} else {
			r->has_default = 1;
			if (decode_profile(d, m, "signing.default", &r->def,
					   "the default signing profile"))
				return -1;
		}
	}
	return 0;
}

static void raw_clear_config(struct raw *r)
{
	for (size_t i = 0; i < r->nremotes; i++) {
		free(r->remote_names[i]);
		free(r->remote_addrs[i]);
	}
	free(r->remote_names);
	free(r->remote_addrs);
	for (size_t i = 0; i < r->nkeys; i++) {
		free(r->keys[i].name);
		free(r->keys[i].type);
		cf_wipe_free(r->keys[i].key, r->keys[i].key ? strlen(r->keys[i].key) : 0);
	}
	free(r->keys);
	r->remote_names = r->remote_addrs = NULL;
	r->keys = NULL;
	r->nremotes = r->nkeys = 0;
}

static void decode_auth_keys(struct dec *d, json_t *v, struct raw *r)
{
	if (json_is_null(v))
		return;
	if (!json_is_object(v)) {
		type_error(d, v, "Config", "auth_keys", "map[string]config.AuthKey");
		return;
	}
	const char *k;
	json_t *m;
	json_object_foreach(v, k, m) {
		r->keys = cf_xrealloc(r->keys, (r->nkeys + 1) * sizeof *r->keys);
		struct authkey *ak = &r->keys[r->nkeys++];
		memset(ak, 0, sizeof *ak);
		ak->name = cf_xstrdup(k);
		struct sfield f[] = {{"type", FK_STRING, &ak->type}, {"key", FK_STRING, &ak->key}};
		struct cf_buf w = CF_BUF_INIT;
		cf_buf_adds(&w, "auth key ");
		cf_gojson_quote(&w, k, strlen(k));
		get_struct(d, m, "config.AuthKey", "Config", "auth_keys", "AuthKey", f, 2,
			   (const char *)w.data);
		cf_buf_release(&w);
	}
}

static int decode_config(struct dec *d, json_t *root, struct raw *r)
{
	static const char *const fields[] = {"signing", "ocsp", "auth_keys", "remotes"};
	if (json_is_null(root))
		return 0;
	if (!json_is_object(root)) {
		cf_gojson_type_error(&d->terr, root, NULL, NULL, "config.Config");
		return 0;
	}
	const char *k;
	json_t *m;
	json_object_foreach(root, k, m) {
		switch (field_index(k, fields, 4)) {
		case 0:
			if (decode_signing(d, m, r))
				return -1;
			break;
		case 1:
			if (!json_is_null(m) && !json_is_object(m))
				type_error(d, m, "Config", "ocsp", "config.Config");
			break;
		case 2: decode_auth_keys(d, m, r); break;
		case 3:
			if (json_is_null(m))
				break;
			if (!json_is_object(m)) {
				type_error(d, m, "Config", "remotes", "map[string]string");
				break;
			}
			{
				const char *rk;
				json_t *rv;
				json_object_foreach(m, rk, rv) {
					char *addr = NULL;
					get_string(d, rv, "Config", "remotes", &addr);
					r->remote_names = cf_xrealloc(
						r->remote_names,
						(r->nremotes + 1) * sizeof *r->remote_names);
					r->remote_addrs = cf_xrealloc(
						r->remote_addrs,
						(r->nremotes + 1) * sizeof *r->remote_addrs);
					r->remote_names[r->nremotes] = cf_xstrdup(rk);
					r->remote_addrs[r->nremotes++] =
						addr ? addr : cf_xstrdup("");
				}
			}
			break;
		default: warn_unknown(k, "the configuration"); break;
		}
	}
	return 0;
}

/* ---- validation (cfssl's populate() and Valid()) ---- */

static const char *remote_addr(const struct raw *r, const char *name)
{
	for (size_t i = 0; i < r->nremotes; i++)
		if (!strcmp(r->remote_names[i], name))
			return r->remote_addrs[i];
	return NULL;
}

/* cfssl's auth.New for the key @name refers to. */
static int resolve_auth_key(const struct raw *r, const char *name, struct cf_auth_key *out,
			    struct cf_error *err)
{
	for (size_t i = 0; i < r->nkeys; i++) {
		if (strcmp(r->keys[i].name, name))
			continue;
		if (!r->keys[i].type || strcmp(r->keys[i].type, "standard"))
			return cf_error_set(err, CF_ERR_POLICY_INVALID,
					    "unknown authentication type");
		cf_auth_key_release(out);
		return cf_auth_key_decode(name, r->keys[i].key ? r->keys[i].key : "", out, err);
	}
	return cf_error_set(err, CF_ERR_POLICY_INVALID,
			    "failed to find auth_key in auth_keys section");
}

static int is_remote(const struct prof *pp)
{
	return (pp->remote && *pp->remote) || (pp->auth_remote && *pp->auth_remote);
}

/* The checks of cfssl's populate() that concern remotes and keys. */
static int populate_remote(struct prof *pp, const struct raw *r, struct cf_error *err)
{
	if (pp->remote && *pp->remote) {
		if (pp->auth_remote && *pp->auth_remote)
			return cf_error_set(err, CF_ERR_POLICY_INVALID,
					    "Invalid or unknown policy");
		const char *a = remote_addr(r, pp->remote);
		if (!a || !*a)
			return cf_error_set(err, CF_ERR_POLICY_INVALID,
					    "failed to find remote in remotes section");
		free(pp->p.remote_server);
		pp->p.remote_server = cf_xstrdup(a);
	} else if (pp->auth_remote && *pp->auth_remote) {
		const char *a = remote_addr(r, pp->auth_remote);
		if (!a || !*a)
			return cf_error_set(err, CF_ERR_POLICY_INVALID,
					    "failed to find remote in remotes section");
		free(pp->p.remote_server);
		pp->p.remote_server = cf_xstrdup(a);
	}
	if (pp->auth_key && *pp->auth_key &&
	    resolve_auth_key(r, pp->auth_key, &pp->p.auth_key, err))
		return -1;
	if (pp->prev_auth_key && *pp->prev_auth_key &&
	    resolve_auth_key(r, pp->prev_auth_key, &pp->p.prev_auth_key, err))
		return -1;
	if (pp->auth_remote_key && *pp->auth_remote_key &&
	    resolve_auth_key(r, pp->auth_remote_key, &pp->p.auth_remote_key, err))
		return -1;
	pp->p.remote = is_remote(pp);
	return 0;
}

/* Go's zero time.Time, 0001-01-01T00:00:00Z, in seconds since 1970. */
#define GO_ZERO_TIME (-62135596800LL)

/* cfssl's hasLocalConfig: the settings only a local signer uses. (The warning text names
 * "crl_url" and "cert_store" too, but cfssl does not look at them here.) */
static int has_local_settings(const struct prof *pp)
{
	const struct cf_profile *p = &pp->p;
	return pp->usages_set || p->issuer_urls_set || (p->ocsp_url && *p->ocsp_url) ||
	       (p->expiry_str && *p->expiry_str) || (pp->backdate_str && *pp->backdate_str) ||
	       p->is_ca ||
	       (p->has_not_before &&
		((long long)p->not_before != GO_ZERO_TIME || p->not_before_nsec != 0)) ||
	       (p->has_not_after &&
		((long long)p->not_after != GO_ZERO_TIME || p->not_after_nsec != 0)) ||
	       (p->name_whitelist && *p->name_whitelist) || pp->ct_logs;
}

static int populate(struct prof *pp, const struct raw *r, struct cf_error *err)
{
	struct cf_profile *p = &pp->p;
	struct cf_error e = {0};
	p->local_settings = has_local_settings(pp);
	if (is_remote(pp))
		return populate_remote(pp, r, err);
	if (populate_remote(pp, r, err))
		return -1;
	if (!p->expiry_str || !*p->expiry_str)
		return cf_error_set(err, CF_ERR_POLICY_INVALID, "empty expiry string");
	if (cf_duration_parse(p->expiry_str, &p->expiry, &e))
		return cf_error_set(err, CF_ERR_POLICY_INVALID, "%s", e.msg);
	p->backdate = pp->backdate_num;
	if (pp->backdate_str && *pp->backdate_str &&
	    cf_duration_parse(pp->backdate_str, &p->backdate, &e))
		return cf_error_set(err, CF_ERR_POLICY_INVALID, "%s", e.msg);
	/* Deviation 9: cfssl panics here. */
	if (p->has_not_before && p->has_not_after &&
	    (p->not_after < p->not_before ||
	     (p->not_after == p->not_before && p->not_after_nsec < p->not_before_nsec)))
		return cf_error_set(err, CF_ERR_POLICY_INVALID,
				    "invalid configuration: not_after is before not_before");
	if (pp->bad_qualifier)
		return cf_error_set(err, CF_ERR_POLICY_INVALID, "invalid policy qualifier type");
	if (p->name_whitelist && *p->name_whitelist) {
		struct cf_regex *re = cf_regex_compile(p->name_whitelist);
		if (!re)
			return cf_error_set(err, CF_ERR_POLICY_INVALID,
					    "failed to compile name whitelist section");
		cf_regex_free(re);
	}
	return 0;
}

static int has_known_usage(const struct cf_profile *p)
{
	const char *oid;
	for (size_t i = 0; i < p->nusages; i++) {
		struct cf_profile one = {.usages = &p->usages[i], .nusages = 1};
		if (cf_profile_key_usage(&one) || cf_profile_ext_key_usage(&one, &oid, 1))
			return 1;
	}
	return 0;
}

static char **copy_list(char **l, size_t n)
{
	char **c = cf_xcalloc(n ? n : 1, sizeof *c);
	for (size_t i = 0; i < n; i++)
		c[i] = cf_xstrdup(l[i]);
	return c;
}

static void set_builtin_default(struct cf_profile *p)
{
	static const char *const u[] = {"signing", "key encipherment", "server auth",
					"client auth"};
	memset(p, 0, sizeof *p);
	p->usages = copy_list((char **)u, 4);
	p->nusages = 4;
	p->expiry_str = cf_xstrdup("8760h");
	p->expiry = ONE_YEAR_NS;
}

/* What cfssl's signer takes from the default when a profile leaves it empty. */
static void inherit(struct cf_profile *p, const struct cf_profile *def)
{
	if (!p->expiry)
		p->expiry = def->expiry;
	if ((!p->ocsp_url || !*p->ocsp_url) && def->ocsp_url) {
		free(p->ocsp_url);
		p->ocsp_url = cf_xstrdup(def->ocsp_url);
	}
	if ((!p->crl_url || !*p->crl_url) && def->crl_url) {
		free(p->crl_url);
		p->crl_url = cf_xstrdup(def->crl_url);
	}
	if (!p->issuer_urls_set && def->nissuer_urls) {
		free_list(&p->issuer_urls, &p->nissuer_urls);
		p->issuer_urls = copy_list(def->issuer_urls, def->nissuer_urls);
		p->nissuer_urls = def->nissuer_urls;
	}
}

static int validate(struct raw *r, struct cf_config *c, struct cf_error *err)
{
	if (!r->has_signing)
		return cf_error_set(err, CF_ERR_PLAIN, "No \"signing\" field present");
	if (!r->has_default)
		set_builtin_default(&r->def.p);
	else if (populate(&r->def, r, err))
		return -1;
	for (size_t i = 0; i < r->nprofs; i++) {
		if (!r->profs[i].pp)
			return cf_error_set(err, CF_ERR_POLICY_INVALID, "can't parse nil profile");
		if (populate(r->profs[i].pp, r, err))
			return -1;
	}
	/* cfssl's validProfile: local profiles need an expiry (default) or known usages */
	if (!is_remote(&r->def) && r->def.p.expiry == 0)
		return cf_error_set(err, CF_ERR_POLICY_INVALID, "invalid configuration");
	for (size_t i = 0; i < r->nprofs; i++) {
		const struct prof *pp = r->profs[i].pp;
		if (!is_remote(pp) && !has_known_usage(&pp->p))
			return cf_error_set(err, CF_ERR_POLICY_INVALID, "invalid configuration");
	}

	c->def = r->def.p;
	memset(&r->def.p, 0, sizeof r->def.p);
	c->profiles = cf_xcalloc(r->nprofs ? r->nprofs : 1, sizeof *c->profiles);
	for (size_t i = 0; i < r->nprofs; i++) {
		c->profiles[i].name = r->profs[i].name;
		r->profs[i].name = NULL;
		c->profiles[i].p = r->profs[i].pp->p;
		memset(&r->profs[i].pp->p, 0, sizeof r->profs[i].pp->p);
		inherit(&c->profiles[i].p, &c->def);
	}
	c->nprofiles = r->nprofs;
	return 0;
}

/* ---- exported ---- */

/* cfssl reads "-" here as a file name, not stdin. Inputs above cf_read_file's 16 MiB limit are
 * refused as unreadable. */
static int read_all(const char *path, struct cf_buf *b)
{
	struct cf_error e = {0};
	return cf_read_file(strcmp(path, "-") == 0 ? "./-" : path, b, &e) < 0 ? -1 : 0;
}

int cf_config_load(const char *path, struct cf_config **out, struct cf_error *err)
{
	*out = NULL;
	if (!path || !*path)
		return cf_error_set(err, CF_ERR_POLICY_INVALID, "invalid path");
	struct cf_buf body = CF_BUF_INIT;
	if (read_all(path, &body)) {
		cf_buf_release(&body);
		return cf_error_set(err, CF_ERR_POLICY_INVALID,
				    "could not read configuration file");
	}
	struct cf_error e = {0};
	json_t *root = cf_gojson_parse(body.data ? (const char *)body.data : "", body.len, &e);
	cf_buf_release(&body);
	if (!root)
		return cf_error_set(err, CF_ERR_POLICY_INVALID,
				    "failed to unmarshal configuration: %s", e.msg);

	struct dec d = {0};
	struct raw r = {0};
	int rc = -1;
	decode_config(&d, root, &r);
	json_decref(root);
	if (d.fatal.set || d.terr.set) {
		cf_error_set(err, CF_ERR_POLICY_INVALID, "failed to unmarshal configuration: %s",
			     d.fatal.set ? d.fatal.msg : d.terr.msg);
		goto done;
	}
	struct cf_config *c = cf_xcalloc(1, sizeof *c);
	if (validate(&r, c, err)) {
		cf_config_free(c);
		goto done;
	}
	cf_config_warn_remote(c); /* cfssl's LoadConfig validates once */
	*out = c;
	rc = 0;
done:
	raw_clear_signing(&r);
	raw_clear_config(&r);
	return rc;
}

struct cf_config *cf_config_default(void)
{
	struct cf_config *c = cf_xcalloc(1, sizeof *c);
	set_builtin_default(&c->def);
	return c;
}

void cf_config_free(struct cf_config *c)
{
	if (!c)
		return;
	profile_release(&c->def);
	for (size_t i = 0; i < c->nprofiles; i++) {
		free(c->profiles[i].name);
		profile_release(&c->profiles[i].p);
	}
	free(c->profiles);
	free(c);
}

const struct cf_profile *cf_config_profile(const struct cf_config *c, const char *name, int *found)
{
	if (name)
		for (size_t i = 0; i < c->nprofiles; i++)
			if (!strcmp(c->profiles[i].name, name)) {
				if (found)
					*found = 1;
				return &c->profiles[i].p;
			}
	if (found)
		*found = 0;
	return &c->def;
}

static const struct {
	const char *name;
	unsigned bit;
} ku_table[] = {
	{"signing", CF_KU_DIGITAL_SIGNATURE},
	{"digital signature", CF_KU_DIGITAL_SIGNATURE},
	{"content commitment", CF_KU_CONTENT_COMMITMENT},
	{"key encipherment", CF_KU_KEY_ENCIPHERMENT},
	{"data encipherment", CF_KU_DATA_ENCIPHERMENT},
	{"key agreement", CF_KU_KEY_AGREEMENT},
	{"cert sign", CF_KU_CERT_SIGN},
	{"crl sign", CF_KU_CRL_SIGN},
	{"encipher only", CF_KU_ENCIPHER_ONLY},
	{"decipher only", CF_KU_DECIPHER_ONLY},
};

static const struct {
	const char *name;
	const char *oid;
} eku_table[] = {
	{"any", "2.5.29.37.0"},
	{"server auth", "1.3.6.1.5.5.7.3.1"},
	{"client auth", "1.3.6.1.5.5.7.3.2"},
	{"code signing", "1.3.6.1.5.5.7.3.3"},
	{"email protection", "1.3.6.1.5.5.7.3.4"},
	{"s/mime", "1.3.6.1.5.5.7.3.4"},
	{"ipsec end system", "1.3.6.1.5.5.7.3.5"},
	{"ipsec tunnel", "1.3.6.1.5.5.7.3.6"},
	{"ipsec user", "1.3.6.1.5.5.7.3.7"},
	{"timestamping", "1.3.6.1.5.5.7.3.8"},
	{"ocsp signing", "1.3.6.1.5.5.7.3.9"},
	{"microsoft sgc", "1.3.6.1.4.1.311.10.3.3"},
	{"netscape sgc", "2.16.840.1.113730.4.1"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

unsigned cf_profile_key_usage(const struct cf_profile *p)
{
	unsigned ku = 0;
	for (size_t i = 0; i < p->nusages; i++)
		for (size_t j = 0; j < NELEM(ku_table); j++)
			if (!strcmp(p->usages[i], ku_table[j].name))
				ku |= ku_table[j].bit;
	return ku;
}

size_t cf_profile_ext_key_usage(const struct cf_profile *p, const char **oids, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nusages; i++)
		for (size_t j = 0; j < NELEM(eku_table); j++)
			if (!strcmp(p->usages[i], eku_table[j].name)) {
				if (n < max)
					oids[n] = eku_table[j].oid;
				n++;
			}
	return n;
}

int cf_config_lint_check(const struct cf_config *c, const struct cf_profile *p,
			 struct cf_error *err)
{
	if (!p->lint_error_level)
		return 0;
	if (c->nprofiles == 0 && p == &c->def)
		return cf_error_set(err, CF_ERR_KEY_UNAVAILABLE, "Private key is unavailable");
	return cf_error_set(err, CF_ERR_CERT_UNKNOWN,
			    "x509: provided PrivateKey doesn't match parent's PublicKey");
}

void cf_config_warn_remote(const struct cf_config *c)
{
	static const char skipped[] =
		"The configuration value by \"usages\", \"issuer_urls\", \"ocsp_url\", "
		"\"crl_url\", \"ca_constraint\", \"expiry\", \"backdate\", \"not_before\", "
		"\"not_after\", \"cert_store\" and \"ct_log_servers\" are skipped";
	if (c->def.remote && c->def.local_settings)
		cf_warning("default profile points to a remote signer: %s", skipped);
	for (size_t i = 0; i < c->nprofiles; i++)
		if (c->profiles[i].p.remote && c->profiles[i].p.local_settings)
			cf_warning("Profiles[%s] points to a remote signer: %s",
				   c->profiles[i].name, skipped);
}

/* cfssl's NeedsLocalSigner and NeedsRemoteSigner. */
static int needs_signer(const struct cf_config *c, int remote)
{
	if (!c->def.remote == !remote)
		return 1;
	for (size_t i = 0; i < c->nprofiles; i++)
		if (!c->profiles[i].p.remote == !remote)
			return 1;
	return 0;
}

/* cfssl validates the policy again in each signer it builds, local and remote. */
static void warn_signers(const struct cf_config *c)
{
	if (needs_signer(c, 0))
		cf_config_warn_remote(c);
	if (needs_signer(c, 1))
		cf_config_warn_remote(c);
}

/* The profile cfssl's signer signs with: an exact match; otherwise the default, except that a
 * configuration mixing local and remote profiles refuses an unknown name (NULL). */
static const struct cf_profile *signing_profile(const struct cf_config *c, const char *name,
						int *found)
{
	const struct cf_profile *p = cf_config_profile(c, name, found);
	if (*name && !*found && needs_signer(c, 0) && needs_signer(c, 1))
		return NULL;
	return p;
}

const struct cf_profile *cf_config_remote_profile(const struct cf_config *c, const char *name)
{
	int found;
	const struct cf_profile *p = signing_profile(c, name, &found);
	return p && p->remote ? p : NULL;
}

void cf_config_begin_signing(const struct cf_config *c)
{
	cf_config_warn_remote(c);
}

void cf_config_warn_signers(const struct cf_config *c)
{
	warn_signers(c);
}

int cf_config_needs_local_signer(const struct cf_config *c)
{
	return needs_signer(c, 0);
}

const struct cf_profile *cf_config_select(const struct cf_config *c, const char *name,
					  struct cf_error *err)
{
	int found;
	warn_signers(c);
	const struct cf_profile *p = signing_profile(c, name, &found);
	if (!p) {
		cf_error_set(err, CF_ERR_POLICY_PROFILE, "Unknown policy profile");
		return NULL;
	}
	if (*name && !found)
		cf_warning("profile \"%s\" not found, using the default profile", name);
	if (p->remote) { /* the commands take cf_config_remote_profile's path first */
		cf_error_set(err, CF_ERR_POLICY_VIOLATION,
			     "the profile is served by a remote signer, not locally");
		return NULL;
	}
	return p;
}
