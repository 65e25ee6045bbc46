/* Process-wide protections (see process.h). */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "process.h"

int cf_process_harden(struct cf_error *err)
{
	/* An out-of-memory abort must not leave a core holding a CA private key. The hard limit
	 * goes to 0 as well, so that nothing in this process can raise it again. */
	const struct rlimit none = {0, 0};
	if (setrlimit(RLIMIT_CORE, &none) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "setrlimit RLIMIT_CORE: %s",
				    strerror(errno));
#ifdef __linux__
	/* Non-dumpable also covers cores a core_pattern pipe would take regardless of the limit. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "prctl PR_SET_DUMPABLE: %s",
				    strerror(errno));
#endif
	return 0;
}
