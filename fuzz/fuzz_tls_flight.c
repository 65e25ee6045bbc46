/* A TLS server's first flight as the TLSHandshake scanners read it: any prefix of the input
 * gives an answer no later than the whole, a complete flight keeps its answer when more bytes
 * follow, and a leaf it returns lies within the handshake bytes kept. */
#include <stdint.h>

#include "fuzz.h"
#include "tlshello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_tls_flight f = {0};
	int whole = cf_tls_flight_parse(data, size, &f);
	if (whole > 0) {
		if (!f.leaf || f.leaf < f.hs.data || f.leaf + f.leaf_len > f.hs.data + f.hs.len)
			abort();
		fuzz_touch(f.leaf, f.leaf_len);
	}
	struct cf_tls_flight g = {0};
	for (size_t n = 0; n < size; n += 1 + n / 4) {
		int part = cf_tls_flight_parse(data, n, &g);
		/* a prefix that already decided must agree with the whole */
		if (part != 0 && part != whole)
			abort();
	}
	cf_tls_flight_release(&g);
	cf_tls_flight_release(&f);
	return 0;
}
