#include "crypto.h"

#include <gnutls/gnutls.h>

int cf_crypto_init(struct cf_error *err)
{
	static int done;
	if (done)
		return 0;
	/* Never paired with gnutls_global_deinit: the process ends soon after, and GnuTLS's own
	 * teardown would only free what exit returns anyway. */
	int r = gnutls_global_init();
	if (r < 0) {
		cf_error_set(err, CF_ERR_PLAIN, "GnuTLS initialisation failed: %s",
			     gnutls_strerror(r));
		return -1;
	}
	done = 1;
	return 0;
}
