#include "duration.h"

#include <string.h>

#include "buf.h"

/* time's own quote(): unlike strconv.Quote it escapes every byte >= 0x80 or
 * < 0x20 as \xNN, so "µs" prints as "\xc2\xb5s". */
static void quote(struct cf_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	cf_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || c < ' ') {
			cf_buf_add(b, "\\x", 2);
			cf_buf_addc(b, (unsigned char)hex[c >> 4]);
			cf_buf_addc(b, (unsigned char)hex[c & 0xf]);
			continue;
		}
		if (c == '"' || c == '\\')
			cf_buf_addc(b, '\\');
		cf_buf_addc(b, c);
	}
	cf_buf_addc(b, '"');
}

static int fail_invalid(const char *orig, struct cf_error *err)
{
	struct cf_buf b = CF_BUF_INIT;

	quote(&b, orig, strlen(orig));
	cf_error_set(err, CF_ERR_PLAIN, "time: invalid duration %s", (const char *)b.data);
	cf_buf_release(&b);
	return -1;
}

static const struct {
	const char *name;
	uint64_t ns;
} units[] = {
	{"ns", 1},
	{"us", 1000},
	{"\xc2\xb5s", 1000}, /* U+00B5 micro sign */
	{"\xce\xbcs", 1000}, /* U+03BC Greek mu */
	{"ms", 1000000},
	{"s", 1000000000ULL},
	{"m", 60ULL * 1000000000ULL},
	{"h", 3600ULL * 1000000000ULL},
};

#define POW63 (1ULL << 63)

/* Go's leadingInt: -1 on overflow past 1<<63. */
static int leading_int(const char **sp, uint64_t *x)
{
	const char *s = *sp;
	uint64_t v = 0;

	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > POW63 / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > POW63)
			return -1;
	}
	*x = v;
	*sp = s;
	return 0;
}

/* Go's leadingFraction: stops accumulating precision on overflow. */
static void leading_fraction(const char **sp, uint64_t *x, double *scale)
{
	const char *s = *sp;
	uint64_t v = 0;
	double sc = 1;
	int overflow = 0;

	for (; *s >= '0' && *s <= '9'; s++) {
		uint64_t y;

		if (overflow)
			continue;
		if (v > (POW63 - 1) / 10) {
			overflow = 1;
			continue;
		}
		y = v * 10 + (uint64_t)(*s - '0');
		if (y > POW63) {
			overflow = 1;
			continue;
		}
		v = y;
		sc *= 10;
	}
	*x = v;
	*scale = sc;
	*sp = s;
}

int cf_duration_parse(const char *orig, int64_t *ns, struct cf_error *err)
{
	const char *s = orig;
	uint64_t d = 0;
	int neg = 0;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (strcmp(s, "0") == 0) {
		*ns = 0;
		return 0;
	}
	if (*s == '\0')
		return fail_invalid(orig, err);
	while (*s) {
		uint64_t v = 0, f = 0, unit = 0;
		double scale = 1;
		const char *start, *u;
		size_t ulen, i;
		int pre, post = 0;

		if (!(*s == '.' || (*s >= '0' && *s <= '9')))
			return fail_invalid(orig, err);
		start = s;
		if (leading_int(&s, &v) < 0)
			return fail_invalid(orig, err);
		pre = s != start;
		if (*s == '.') {
			s++;
			start = s;
			leading_fraction(&s, &f, &scale);
			post = s != start;
		}
		if (!pre && !post)
			return fail_invalid(orig, err);

		u = s;
		while (*s && *s != '.' && !(*s >= '0' && *s <= '9'))
			s++;
		ulen = (size_t)(s - u);
		if (ulen == 0) {
			struct cf_buf b = CF_BUF_INIT;

			quote(&b, orig, strlen(orig));
			cf_error_set(err, CF_ERR_PLAIN, "time: missing unit in duration %s",
				     (const char *)b.data);
			cf_buf_release(&b);
			return -1;
		}
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			if (strlen(units[i].name) == ulen && memcmp(units[i].name, u, ulen) == 0) {
				unit = units[i].ns;
				break;
			}
		}
		if (unit == 0) {
			struct cf_buf b = CF_BUF_INIT;
			size_t split;

			quote(&b, u, ulen);
			split = b.len;
			cf_buf_addc(&b, 0);
			quote(&b, orig, strlen(orig));
			cf_error_set(err, CF_ERR_PLAIN, "time: unknown unit %s in duration %s",
				     (const char *)b.data, (const char *)b.data + split + 1);
			cf_buf_release(&b);
			return -1;
		}
		if (v > POW63 / unit)
			return fail_invalid(orig, err);
		v *= unit;
		if (f > 0) {
			/* float64 as Go does, to stay nanosecond-identical for fractional hours */
			v += (uint64_t)((double)f * ((double)unit / scale));
			if (v > POW63)
				return fail_invalid(orig, err);
		}
		d += v;
		if (d > POW63)
			return fail_invalid(orig, err);
	}
	if (neg) {
		*ns = d == POW63 ? INT64_MIN : -(int64_t)d;
		return 0;
	}
	if (d > POW63 - 1)
		return fail_invalid(orig, err);
	*ns = (int64_t)d;
	return 0;
}

/* Go's fmtFrac: writes v/10**prec's fraction without trailing zeros into
 * buf ending at *w; returns the integer part. */
static uint64_t fmt_frac(char *buf, int *w, uint64_t v, int prec)
{
	int print = 0;

	for (int i = 0; i < prec; i++) {
		unsigned digit = (unsigned)(v % 10);

		print = print || digit != 0;
		if (print)
			buf[--*w] = (char)('0' + digit);
		v /= 10;
	}
	if (print)
		buf[--*w] = '.';
	return v;
}

static void fmt_int(char *buf, int *w, uint64_t v)
{
	if (v == 0) {
		buf[--*w] = '0';
		return;
	}
	while (v > 0) {
		buf[--*w] = (char)('0' + v % 10);
		v /= 10;
	}
}

void cf_duration_format(int64_t d, char *out, size_t n)
{
	char buf[32];
	int w = (int)sizeof(buf);
	uint64_t u = (uint64_t)d;
	int neg = d < 0;
	size_t len;

	if (neg)
		u = -u;
	if (u < 1000000000ULL) {
		int prec;

		buf[--w] = 's';
		if (u == 0) {
			buf[--w] = '0';
			goto out;
		} else if (u < 1000) {
			prec = 0;
			buf[--w] = 'n';
		} else if (u < 1000000) {
			prec = 3;
			buf[--w] = '\xb5';
			buf[--w] = '\xc2';
		} else {
			prec = 6;
			buf[--w] = 'm';
		}
		u = fmt_frac(buf, &w, u, prec);
		fmt_int(buf, &w, u);
	} else {
		buf[--w] = 's';
		u = fmt_frac(buf, &w, u, 9);
		fmt_int(buf, &w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			fmt_int(buf, &w, u % 60);
			u /= 60;
			if (u > 0) {
				buf[--w] = 'h';
				fmt_int(buf, &w, u);
			}
		}
	}
	if (neg)
		buf[--w] = '-';
out:
	if (n == 0)
		return;
	len = sizeof(buf) - (size_t)w;
	if (len > n - 1)
		len = n - 1;
	memcpy(out, buf + w, len);
	out[len] = '\0';
}

/* H. Hinnant's days_from_civil */
int64_t cf_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int cf_days_in_month(int m, int64_t y)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

#define NS_PER_SEC 1000000000LL

static int64_t add_sec_sat(int64_t a, int64_t b)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : -INT64_MAX;
	return r;
}

struct cf_time cf_time_add(struct cf_time t, int64_t d)
{
	int64_t dsec = d / NS_PER_SEC;
	int64_t nsec = t.nsec + d % NS_PER_SEC;
	if (nsec >= NS_PER_SEC) {
		dsec++;
		nsec -= NS_PER_SEC;
	} else if (nsec < 0) {
		dsec--;
		nsec += NS_PER_SEC;
	}
	t.nsec = (int32_t)nsec;
	t.sec = add_sec_sat(t.sec, dsec);
	return t;
}

int64_t cf_time_sub(struct cf_time a, struct cf_time b)
{
	int64_t ds, d;
	if (__builtin_sub_overflow(a.sec, b.sec, &ds) ||
	    __builtin_mul_overflow(ds, NS_PER_SEC, &d) ||
	    __builtin_add_overflow(d, (int64_t)a.nsec - b.nsec, &d)) {
		int before = a.sec < b.sec || (a.sec == b.sec && a.nsec < b.nsec);
		return before ? INT64_MIN : INT64_MAX;
	}
	return d;
}

struct cf_time cf_time_round_minute(struct cf_time t)
{
	/* the remainder since year 1 equals the one since 1970 (a whole number of days apart) */
	int64_t r = t.sec % 60;
	if (r < 0)
		r += 60;
	int64_t rem = r * NS_PER_SEC + t.nsec;
	if (rem < 30 * NS_PER_SEC)
		return cf_time_add(t, -rem);
	return cf_time_add(t, 60 * NS_PER_SEC - rem);
}
