/* Unit tests for common/process.c: after cf_process_harden the process is non-dumpable and its
 * core file size limit is 0, soft and hard (issue 11 item 16). */
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "check.h"
#include "error.h"
#include "process.h"

int main(void)
{
	struct rlimit rl;
	/* The starting state, so that the test can fail: a normal process is dumpable. */
	check(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1, "a fresh process is dumpable");

	struct cf_error err = {0};
	check(cf_process_harden(&err) == 0, "cf_process_harden succeeds");
	check(!err.set, "no error is set");
	check(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0, "the process is non-dumpable");
	check(getrlimit(RLIMIT_CORE, &rl) == 0, "getrlimit RLIMIT_CORE");
	CHECK(rl.rlim_cur == 0, "soft core limit is 0 (got %llu)", (unsigned long long)rl.rlim_cur);
	CHECK(rl.rlim_max == 0, "hard core limit is 0 (got %llu)", (unsigned long long)rl.rlim_max);

	/* The hard limit cannot be raised again (without CAP_SYS_RESOURCE). */
	struct rlimit up = {RLIM_INFINITY, RLIM_INFINITY};
	if (setrlimit(RLIMIT_CORE, &up) == 0)
		printf("note: the core limit could be raised again (CAP_SYS_RESOURCE)\n");

	/* Called twice: still fine (the binaries call it once, but it must be idempotent). */
	check(cf_process_harden(&err) == 0, "cf_process_harden twice succeeds");
	check(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0, "still non-dumpable");

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
