/* Process-wide protections: those that must be in place before any secret is read, and the
 * confinement of serve's processes once they run. */
#ifndef CF_PROCESS_H
#define CF_PROCESS_H

#include "error.h"

/* Keeps key material out of core dumps, as ssh-agent and gpg-agent do: the process becomes
 * non-dumpable (PR_SET_DUMPABLE 0, which also keeps other processes of the same user from
 * ptrace-attaching or reading /proc/PID/mem) and its core file size limit, soft and hard, is 0.
 * Call first in main. On failure sets @err (plain) and returns -1; the process is then not
 * protected and should stop. */
int cf_process_harden(struct cf_error *err);

/* What the server process still opens once it serves. Paths that do not exist when
 * cf_process_restrict runs get no access (create them first). */
struct cf_restrict {
	const char *const *read; /* files or folders read at run time, NULL-terminated, or NULL */
	const char *const
		*write; /* folders whose files are created, written, renamed and removed
			 * at run time (the bundler's -int-dir), NULL-terminated, or NULL */
};

/* Confines the calling process, which has read what it reads at start, bound its socket and
 * forked its key process (keyproc.h), for the rest of its life:
 *   - no new privileges (PR_SET_NO_NEW_PRIVS): no set-user-ID program gains anything;
 *   - Landlock: it opens nothing but @r's paths and the system files a TLS client, name
 *     resolution and libraries loaded late need, read-only (/etc's resolver, TLS and time
 *     zone files, /usr/share/ca-certificates, /usr/share/zoneinfo, the library folders,
 *     /dev/null, /dev/urandom, /sys/devices/system/cpu); no TCP port can be bound; no signal
 *     reaches a process outside it, no abstract Unix socket outside it is reached, and no
 *     process outside it (the key process) can be ptrace'd. A kernel without Landlock gets
 *     one [WARNING] line and the rest;
 *   - seccomp (libseccomp): system calls a signing server never makes fail with EPERM:
 *     execve, execveat, ptrace, process_vm_readv/writev, mount and the new mount API,
 *     pivot_root, chroot, unshare, setns, namespaces in clone, kexec, bpf, perf_event_open,
 *     userfaultfd, io_uring, keyctl/add_key/request_key, modules, reboot, swap, clock and
 *     host name setting, the set*id calls, ... (clone3 reports ENOSYS, so that threads are
 *     made with clone, whose flags can be checked).
 * Landlock binds only the calling thread and the threads and processes it starts later:
 * call it while the process has one thread (cf_httpd_config.ready); with more it fails.
 * Returns 0, or -1 with @err set (plain); the process is then partly confined. */
int cf_process_restrict(const struct cf_restrict *r, struct cf_error *err);

/* The key process's confinement, once it holds its key: no new privileges, no file at all
 * (Landlock, where the kernel has it), and a seccomp allow-list of what signing over an open
 * socket needs (read, write, memory, futex, getrandom, clocks, exit); any other system call
 * kills it. Returns 0, or -1 with @err set. */
int cf_process_restrict_keyproc(struct cf_error *err);

#endif
