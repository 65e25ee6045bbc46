/* Process-wide protections (see process.h). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "log.h"
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

#ifdef __linux__
/* ---- Landlock, by its system calls: Debian's headers stop at ABI 2, the kernel may be newer */

#define LL_FS_EXECUTE          (1ULL << 0)
#define LL_FS_WRITE_FILE       (1ULL << 1)
#define LL_FS_READ_FILE        (1ULL << 2)
#define LL_FS_READ_DIR         (1ULL << 3)
#define LL_FS_REMOVE_DIR       (1ULL << 4)
#define LL_FS_REMOVE_FILE      (1ULL << 5)
#define LL_FS_MAKE_REG         (1ULL << 8)
#define LL_FS_ABI1             ((1ULL << 13) - 1) /* EXECUTE to MAKE_SYM */
#define LL_FS_REFER            (1ULL << 13)       /* ABI 2 */
#define LL_FS_TRUNCATE         (1ULL << 14)       /* ABI 3 */
#define LL_FS_IOCTL_DEV        (1ULL << 15)       /* ABI 5 */
#define LL_NET_BIND_TCP        (1ULL << 0)        /* ABI 4 */
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0)        /* ABI 6 */
#define LL_SCOPE_SIGNAL        (1ULL << 1)        /* ABI 6 */
#define LL_RULE_PATH_BENEATH   1
#define LL_CREATE_VERSION      (1U << 0)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;             /* ABI 6 */
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule       445
#define SYS_landlock_restrict_self  446
#endif

#define LL_READ (LL_FS_READ_FILE | LL_FS_READ_DIR)
#define LL_WRITE                                                                            \
	(LL_READ | LL_FS_WRITE_FILE | LL_FS_REMOVE_FILE | LL_FS_MAKE_REG | LL_FS_TRUNCATE | \
	 LL_FS_REFER)

/* The sanitizers' leak check stops the world with ptrace and reads /proc/self at exit. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CF_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CF_SANITIZED 1
#endif
#endif

/* What a TLS client, the resolver and late-loaded libraries read (see process.h). */
static const char *const system_read[] = {"/etc/resolv.conf",
					  "/etc/hosts",
					  "/etc/nsswitch.conf",
					  "/etc/host.conf",
					  "/etc/gai.conf",
					  "/etc/services",
					  "/etc/protocols",
					  "/etc/ld.so.cache",
					  "/etc/localtime",
					  "/etc/ssl",
					  "/etc/ca-certificates",
					  "/etc/pki",
					  "/etc/gnutls",
					  "/etc/crypto-policies",
					  "/usr/share/ca-certificates",
					  "/usr/share/zoneinfo",
					  "/usr/lib",
					  "/usr/lib64",
					  "/lib",
					  "/lib64",
					  "/usr/local/lib",
					  "/dev/null",
					  "/dev/urandom",
					  "/dev/random",
					  "/sys/devices/system/cpu",
#ifdef CF_SANITIZED
					  "/proc", /* the leak check reads /proc/self at exit */
#endif
					  NULL};

/* A file rule may carry only a file's rights. */
#define LL_FILE_RIGHTS \
	(LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

static int ll_add(int ruleset, const char *path, uint64_t access, uint64_t handled)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return 0; /* absent: no access */
	struct stat st;
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		access &= LL_FILE_RIGHTS;
	struct ll_path_beneath_attr pb = {access & handled, fd};
	int r = (int)syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

/* 1 when restricted, 0 when the kernel has no Landlock, -1 on error. @r NULL: no file. */
static int landlock(const struct cf_restrict *r, struct cf_error *err)
{
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_VERSION);
	if (abi < 0) {
		if (errno == ENOSYS || errno == EOPNOTSUPP)
			return 0;
		return cf_error_set(err, CF_ERR_PLAIN, "landlock: %s", strerror(errno));
	}
	struct ll_ruleset_attr attr = {LL_FS_ABI1, 0, 0};
	size_t size = sizeof attr.handled_access_fs;
	if (abi >= 2)
		attr.handled_access_fs |= LL_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= LL_FS_TRUNCATE;
	if (abi >= 4) {
		attr.handled_access_net = LL_NET_BIND_TCP;
		size = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (abi >= 5)
		attr.handled_access_fs |= LL_FS_IOCTL_DEV;
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		size = sizeof attr;
	}
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (rs < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "landlock: %s", strerror(errno));
	const char *bad = NULL;
	for (const char *const *p = system_read; r && *p && !bad; p++)
		if (ll_add(rs, *p, LL_READ, attr.handled_access_fs) < 0)
			bad = *p;
	for (const char *const *p = r ? r->read : NULL; p && *p && !bad; p++)
		if (ll_add(rs, *p, LL_READ, attr.handled_access_fs) < 0)
			bad = *p;
	for (const char *const *p = r ? r->write : NULL; p && *p && !bad; p++)
		if (ll_add(rs, *p, LL_WRITE, attr.handled_access_fs) < 0)
			bad = *p;
	if (bad) {
		cf_error_set(err, CF_ERR_PLAIN, "landlock: %s: %s", bad, strerror(errno));
		close(rs);
		return -1;
	}
	int ret = (int)syscall(SYS_landlock_restrict_self, rs, 0);
	int e = errno;
	close(rs);
	if (ret < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "landlock: %s", strerror(e));
	return 1;
}

/* The number of threads of this process, or 0 when /proc does not say. */
static int thread_count(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return 0;
	char line[256];
	int n = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* ---- seccomp */

static const int denied[] = {
	SCMP_SYS(execve),
	SCMP_SYS(execveat),
#ifndef CF_SANITIZED
	SCMP_SYS(ptrace),
#endif
	SCMP_SYS(process_vm_readv),
	SCMP_SYS(process_vm_writev),
	SCMP_SYS(pidfd_getfd),
	SCMP_SYS(kcmp),
	SCMP_SYS(mount),
	SCMP_SYS(umount2),
	SCMP_SYS(mount_setattr),
	SCMP_SYS(fsopen),
	SCMP_SYS(fsconfig),
	SCMP_SYS(fsmount),
	SCMP_SYS(fspick),
	SCMP_SYS(move_mount),
	SCMP_SYS(open_tree),
	SCMP_SYS(pivot_root),
	SCMP_SYS(chroot),
	SCMP_SYS(unshare),
	SCMP_SYS(setns),
	SCMP_SYS(kexec_load),
	SCMP_SYS(kexec_file_load),
	SCMP_SYS(bpf),
	SCMP_SYS(perf_event_open),
	SCMP_SYS(userfaultfd),
	SCMP_SYS(io_uring_setup),
	SCMP_SYS(io_uring_enter),
	SCMP_SYS(io_uring_register),
	SCMP_SYS(keyctl),
	SCMP_SYS(add_key),
	SCMP_SYS(request_key),
	SCMP_SYS(init_module),
	SCMP_SYS(finit_module),
	SCMP_SYS(delete_module),
	SCMP_SYS(reboot),
	SCMP_SYS(swapon),
	SCMP_SYS(swapoff),
	SCMP_SYS(acct),
	SCMP_SYS(quotactl),
	SCMP_SYS(syslog),
	SCMP_SYS(settimeofday),
	SCMP_SYS(clock_settime),
	SCMP_SYS(clock_adjtime),
	SCMP_SYS(adjtimex),
	SCMP_SYS(sethostname),
	SCMP_SYS(setdomainname),
	SCMP_SYS(iopl),
	SCMP_SYS(ioperm),
	SCMP_SYS(open_by_handle_at),
	SCMP_SYS(name_to_handle_at),
	SCMP_SYS(fanotify_init),
	SCMP_SYS(lookup_dcookie),
	SCMP_SYS(vhangup),
	SCMP_SYS(uselib),
	SCMP_SYS(personality),
	SCMP_SYS(setuid),
	SCMP_SYS(setgid),
	SCMP_SYS(setreuid),
	SCMP_SYS(setregid),
	SCMP_SYS(setresuid),
	SCMP_SYS(setresgid),
	SCMP_SYS(setfsuid),
	SCMP_SYS(setfsgid),
	SCMP_SYS(setgroups),
	SCMP_SYS(capset),
};

static int seccomp_server(struct cf_error *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return cf_error_set(err, CF_ERR_PLAIN, "seccomp: cannot make a filter");
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0; r == 0 && i < sizeof denied / sizeof denied[0]; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	static const unsigned long ns[] = {CLONE_NEWNS,    CLONE_NEWUTS, CLONE_NEWIPC,
					   CLONE_NEWUSER,  CLONE_NEWPID, CLONE_NEWNET,
					   CLONE_NEWCGROUP};
	for (size_t i = 0; r == 0 && i < sizeof ns / sizeof ns[0]; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ns[i], ns[i]));
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "seccomp: %s", strerror(-r));
	return 0;
}
/* What the key process does once it holds its key: read a request, sign, write the reply. */
static const int keyproc_allowed[] = {
	SCMP_SYS(read),
	SCMP_SYS(write),
	SCMP_SYS(writev),
	SCMP_SYS(recvfrom),
	SCMP_SYS(sendto),
	SCMP_SYS(close),
	SCMP_SYS(brk),
	SCMP_SYS(munmap),
	SCMP_SYS(mremap),
	SCMP_SYS(madvise),
	SCMP_SYS(futex),
	SCMP_SYS(getrandom),
	SCMP_SYS(getpid),
	SCMP_SYS(gettid),
	SCMP_SYS(clock_gettime),
	SCMP_SYS(gettimeofday),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	SCMP_SYS(sched_yield),
	SCMP_SYS(newfstatat),
	SCMP_SYS(fstat),
	SCMP_SYS(tgkill),
#ifdef CF_SANITIZED
	SCMP_SYS(sigaltstack),
	SCMP_SYS(prctl),
	SCMP_SYS(sched_getaffinity),
	SCMP_SYS(getrusage),
	SCMP_SYS(openat),
	SCMP_SYS(readlink),
	SCMP_SYS(getppid),
	SCMP_SYS(rt_sigaction),
#endif
};

static int seccomp_keyproc(struct cf_error *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return cf_error_set(err, CF_ERR_PLAIN, "seccomp: cannot make a filter");
	int r = 0;
	for (size_t i = 0; r == 0 && i < sizeof keyproc_allowed / sizeof keyproc_allowed[0]; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, keyproc_allowed[i], 0);
	/* memory, never executable */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "seccomp: %s", strerror(-r));
	return 0;
}
#endif

int cf_process_restrict(const struct cf_restrict *r, struct cf_error *err)
{
#ifdef __linux__
	static const struct cf_restrict none = {NULL, NULL};
	int n = thread_count();
	if (n > 1)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "cannot confine the process: %d threads already run", n);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "prctl PR_SET_NO_NEW_PRIVS: %s",
				    strerror(errno));
	int ll = landlock(r ? r : &none, err);
	if (ll < 0)
		return -1;
	if (ll == 0)
		cf_warning("this kernel has no Landlock: the server can still open every file its "
			   "user can (the CA key stays in the key process)");
	return seccomp_server(err);
#else
	cf_warning("no confinement on this system: the server can still open every file its "
		   "user can (the CA key stays in the key process)");
	return 0;
#endif
}

int cf_process_restrict_keyproc(struct cf_error *err)
{
#ifdef __linux__
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "prctl PR_SET_NO_NEW_PRIVS: %s",
				    strerror(errno));
	if (landlock(NULL, err) < 0)
		return -1;
	return seccomp_keyproc(err);
#else
	return 0;
#endif
}
