/* Go's time.Duration text form. */
#ifndef CF_DURATION_H
#define CF_DURATION_H

#include <stdint.h>
#include <stddef.h>

#include "error.h"

/* Parses @s as Go's time.ParseDuration does ("8760h", "1h30m", "1.5h",
 * "-1h", "0", units ns us µs μs ms s m h). On failure sets @err (plain) to
 * Go's text: time: invalid duration "x" / time: unknown unit "y" in duration "1y" /
 * time: missing unit in duration "5", with the quoted input escaped as Go's %q
 * (non-ASCII bytes of invalid UTF-8 as \xNN). */
int cf_duration_parse(const char *s, int64_t *ns, struct cf_error *err);

/* Go's Duration.String(): "168h0m0s", "1.5s", "0s", "-1h0m0s", "1ms". */
void cf_duration_format(int64_t ns, char *out, size_t n);

/* A moment as Go's time.Time holds it (wall clock, UTC): Unix seconds and
 * nanoseconds in [0, 1e9). Unlike int64 nanoseconds since 1970 (which end in
 * 2262) it reaches every date a certificate can carry, as Go does. */
struct cf_time {
	int64_t sec;
	int32_t nsec;
};

/* Go's Time.Add: the seconds saturate at the int64 range as Go's addSec does. */
struct cf_time cf_time_add(struct cf_time t, int64_t d_ns);

/* Go's Time.Sub: @a - @b in ns, saturated at the Duration range
 * (2562047h47m16.854775807s either way). */
int64_t cf_time_sub(struct cf_time a, struct cf_time b);

/* Go's Time.Round(time.Minute) of a wall-clock time: halfway rounds up. */
struct cf_time cf_time_round_minute(struct cf_time t);

/* The proleptic Gregorian calendar, for the parsers of dates (config, OCSP, certificates): days
 * from 1970-01-01 to @y-@m-@d (negative before it), and the days of month @m (1-12) of @y. */
int64_t cf_days_from_civil(int64_t y, int m, int d);
int cf_days_in_month(int m, int64_t y);

#endif
