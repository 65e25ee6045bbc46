/* Go duration text (-expiry, -interval, profile expiry, CA expiry): every
 * accepted value formats back to text that parses to the same value, as Go's
 * Duration.String and ParseDuration agree. */
#include <stdint.h>

#include "duration.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct cf_error err = {0};
	int64_t ns = 0;
	if (cf_duration_parse(s, &ns, &err) == 0) {
		char text[64], again[64];
		cf_duration_format(ns, text, sizeof text);
		int64_t back = 0;
		cf_error_clear(&err);
		/* Go cannot parse its own text for the most negative duration. */
		if (ns != INT64_MIN && (cf_duration_parse(text, &back, &err) < 0 || back != ns))
			abort();
		cf_duration_format(back, again, sizeof again);
		if (ns != INT64_MIN && strcmp(text, again) != 0)
			abort();
	} else if (!err.set) {
		abort();
	}
	/* a short buffer truncates, never overruns */
	char small[4];
	cf_duration_format(ns, small, sizeof small);
	free(s);
	return 0;
}
