/* Unit tests for common/base/process.c: after cf_process_harden the process is non-dumpable and its
 * core file size limit is 0, soft and hard (issue 11 item 16). cf_process_restrict (in a child)
 * leaves only the allowed files open-able, refuses exec, and refuses a process with threads;
 * without Landlock (as seccomp fakes it) one [WARNING] line and the rest; and
 * cf_process_restrict_keyproc kills a key process that makes a call it does not need (issue 12). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "check.h"
#include "error.h"
#include "log.h"
#include "process.h"

static char dir[] = "/tmp/cfssl-c-test-process-XXXXXX";

/* Runs @fn in a child; its exit status, or 128 + the signal that ended it. */
static int in_child(int (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn());
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int opens(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : errno;
}

/* Exit codes: 0 all as expected, else the number of the first surprise. */
static int restricted(void)
{
	char secret[128], inside[128], writable[128];
	snprintf(secret, sizeof secret, "%s/secret", dir);
	snprintf(writable, sizeof writable, "%s/w", dir);
	snprintf(inside, sizeof inside, "%s/w/new", dir);
	const char *write[] = {writable, NULL};
	struct cf_restrict r = {NULL, write};
	struct cf_error err = {0};
	if (opens(secret, O_RDONLY) != 0)
		return 10;
	if (cf_process_restrict(&r, &err) < 0) {
		printf("cf_process_restrict: %s\n", err.msg);
		return 11;
	}
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return 12;
	if (opens(secret, O_RDONLY) != EACCES)
		return 13;
	if (opens("/etc/hosts", O_RDONLY) != 0 && access("/etc/hosts", F_OK) == 0)
		return 14;
	if (opens(inside, O_WRONLY | O_CREAT) != 0)
		return 15;
	char *const argv[] = {"true", NULL};
	execv("/bin/true", argv);
	if (errno != EPERM)
		return 16;
	return 0;
}

static void *idle(void *arg)
{
	pause();
	return NULL;
}

static int threaded(void)
{
	pthread_t th;
	struct cf_error err = {0};
	pthread_create(&th, NULL, idle, NULL);
	if (cf_process_restrict(NULL, &err) == 0)
		return 1;
	return strstr(err.msg, "threads already run") ? 0 : 2;
}

static int keyproc(void)
{
	struct cf_error err = {0};
	if (cf_process_restrict_keyproc(&err) < 0)
		return 1;
	char *p = malloc(1 << 20); /* memory still comes */
	if (!p)
		return 2;
	free(p);
	socket(AF_INET, SOCK_STREAM, 0); /* any other system call ends it (SIGSYS) */
	return 3;
}

/* A kernel without Landlock, as seccomp makes it look: one warning, the rest still applies. */
static int no_landlock(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(landlock_create_ruleset), 0) <
		    0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_load(ctx) < 0)
		return 20;
	seccomp_release(ctx);
	char *log = NULL;
	size_t len = 0;
	FILE *sink = open_memstream(&log, &len);
	cf_log_init(sink, 0);
	struct cf_error err = {0};
	int r = cf_process_restrict(NULL, &err);
	cf_log_init(NULL, 0);
	fclose(sink);
	int lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += log[i] == '\n';
	int ret = r < 0                                                   ? 21
		  : !strstr(log, "[WARNING] this kernel has no Landlock") ? 22
		  : lines != 1                                            ? 23
									  : 0;
	if (!ret) {
		char *const argv[] = {"true", NULL};
		execv("/bin/true", argv);
		ret = errno == EPERM ? 0 : 24;
	}
	free(log);
	return ret;
}

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

	/* issue 12 */
	char path[128];
	snprintf(path, sizeof path, "%s/secret", mkdtemp(dir) ? dir : "/nonexistent");
	FILE *f = fopen(path, "w");
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "%s/w", dir);
	mkdir(path, 0700);
	int st = in_child(restricted);
	CHECK(st == 0, "confined: only the allowed files open, exec refused (step %d)", st);
	st = in_child(threaded);
	CHECK(st == 0, "a process with two threads is refused (%d)", st);
	st = in_child(no_landlock);
	CHECK(st == 0, "without Landlock: one [WARNING] line, exec still refused (step %d)", st);
	st = in_child(keyproc);
	CHECK(st == 128 + SIGSYS, "the key process dies on a system call it does not need (%d)",
	      st);
	snprintf(path, sizeof path, "%s/w/new", dir);
	remove(path);
	snprintf(path, sizeof path, "%s/w", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/secret", dir);
	remove(path);
	rmdir(dir);

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
