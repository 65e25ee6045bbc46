/* Process-wide protections that must be in place before any secret is read. */
#ifndef CF_PROCESS_H
#define CF_PROCESS_H

#include "error.h"

/* Keeps key material out of core dumps, as ssh-agent and gpg-agent do: the process becomes
 * non-dumpable (PR_SET_DUMPABLE 0, which also keeps other processes of the same user from
 * ptrace-attaching or reading /proc/PID/mem) and its core file size limit, soft and hard, is 0.
 * Call first in main. On failure sets @err (plain) and returns -1; the process is then not
 * protected and should stop. */
int cf_process_harden(struct cf_error *err);

#endif
