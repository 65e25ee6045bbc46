#include "fileio.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Go's syscall.Errno strings are glibc's with a lower-case first letter. */
static const char *errno_text(int e, char *tmp, size_t n)
{
	const char *s = strerror_r(e, tmp, n);
	if (s != tmp)
		snprintf(tmp, n, "%s", s);
	if (tmp[0] >= 'A' && tmp[0] <= 'Z' && !(tmp[1] >= 'A' && tmp[1] <= 'Z'))
		tmp[0] = (char)(tmp[0] - 'A' + 'a');
	return tmp;
}

/* Go's *os.PathError: "<op> <path>: <errno text>". */
static int path_error(struct cf_error *err, const char *op, const char *path, int e)
{
	char tmp[128];
	return cf_error_set(err, CF_ERR_PLAIN, "%s %s: %s", op, path,
			    errno_text(e, tmp, sizeof tmp));
}

/* ---- temporaries removed on a fatal signal ----
 * The table holds the names of the temporaries that exist now. It changes only while the
 * guarded signals are blocked, so the handler sees it whole; the names are the writer's
 * buffers, which stay put while registered. One file is written at a time; the spare slots
 * cost nothing. */
#define NTEMPS 4
static const char *volatile temps[NTEMPS];
static const int guarded[] = {SIGHUP, SIGINT, SIGTERM};

static void on_fatal_signal(int sig)
{
	int e = errno;
	for (int i = 0; i < NTEMPS; i++)
		if (temps[i])
			(void)unlink(temps[i]);
	/* SA_RESETHAND restored the default action: die of the same signal once this returns
	 * (the signal is blocked while the handler runs). */
	(void)raise(sig);
	errno = e;
}

void cf_fileio_guard_signals(void)
{
	(void)signal(SIGXFSZ, SIG_IGN);
	for (size_t i = 0; i < sizeof guarded / sizeof guarded[0]; i++) {
		struct sigaction old, sa = {0};
		if (sigaction(guarded[i], NULL, &old) < 0 || old.sa_handler == SIG_IGN)
			continue;
		sa.sa_handler = on_fatal_signal;
		sa.sa_flags = SA_RESETHAND;
		sigfillset(&sa.sa_mask);
		(void)sigaction(guarded[i], &sa, NULL);
	}
}

static void block_guarded(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof guarded / sizeof guarded[0]; i++)
		sigaddset(&set, guarded[i]);
	(void)sigprocmask(SIG_BLOCK, &set, old);
}

static void restore_mask(const sigset_t *old)
{
	(void)sigprocmask(SIG_SETMASK, old, NULL);
}

/* With the guarded signals blocked. */
static void temp_register(const char *name)
{
	for (int i = 0; i < NTEMPS; i++) {
		if (!temps[i]) {
			temps[i] = name;
			return;
		}
	}
}

/* With the guarded signals blocked. */
static void temp_forget(const char *name)
{
	for (int i = 0; i < NTEMPS; i++)
		if (temps[i] == name)
			temps[i] = NULL;
}

int cf_write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Inputs are CSR and config JSON, PEM certificates and keys, and cfssl's JSON
 * output: kilobytes. A larger input is refused with "read FILE: input larger
 * than 16 MiB" rather than held in memory and parsed, so that a stray
 * device or a hostile pipe cannot exhaust memory or time. */
#define READ_MAX ((size_t)16 << 20)

int cf_read_file(const char *path, struct cf_buf *out, struct cf_error *err)
{
	/* Go reads "-" with io.ReadAll(os.Stdin), whose name is /dev/stdin. */
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "/dev/stdin" : path;
	int fd = 0;
	if (!is_stdin) {
		do
			fd = open(path, O_RDONLY | O_CLOEXEC);
		while (fd < 0 && errno == EINTR);
		if (fd < 0)
			return path_error(err, "open", path, errno);
	}

	size_t start = out->len;
	int ret = 0;
	/* Read straight into @out (which wipes what it leaves behind as it grows), so that no
	 * other copy of a key file is made; one read for a regular file of known size. */
	struct stat st;
	size_t want = 4096;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < READ_MAX)
		want = (size_t)st.st_size + 1; /* + 1: the end of file in the same call */
	cf_buf_reserve(out, want);
	for (;;) {
		if (out->len + 1 >= out->cap)
			cf_buf_reserve(out, 16384);
		size_t room = out->cap - out->len - 1;
		if (room > READ_MAX + 1 - (out->len - start))
			room = READ_MAX + 1 - (out->len - start);
		ssize_t r = read(fd, out->data + out->len, room);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = path_error(err, "read", name, errno);
			break;
		}
		if (r == 0)
			break;
		out->len += (size_t)r;
		out->data[out->len] = '\0';
		if (out->len - start > READ_MAX) {
			ret = cf_error_set(err, CF_ERR_PLAIN, "read %s: input larger than 16 MiB",
					   name);
			break;
		}
	}
	if (!is_stdin)
		close(fd);
	if (ret < 0 && out->data) {
		/* Callers return at once on failure: leave nothing for them to free. */
		if (start == 0) {
			cf_buf_release(out);
		} else {
			cf_wipe(out->data + start, out->len - start);
			out->len = start;
			out->data[start] = '\0';
		}
	}
	return ret;
}

int cf_read_file_plain(const char *path, struct cf_buf *out, struct cf_error *err)
{
	if (strcmp(path, "-") != 0)
		return cf_read_file(path, out, err);
	struct cf_error e = {0};
	if (cf_read_file("./-", out, &e) == 0)
		return 0;
	/* "open ./-: ..." -> "open -: ..." */
	const char *m = e.msg, *at = strstr(m, "./-");
	if (!at)
		return cf_error_set(err, e.code, "%s", m);
	return cf_error_set(err, e.code, "%.*s-%s", (int)(at - m), m, at + 3);
}

/* A fresh, unpredictable temporary name next to the target. */
static void temp_name(struct cf_buf *t, const char *dir, size_t dirlen, const char *base)
{
	static const char alnum[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[8];
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
		/* Uniqueness, not secrecy, is what O_EXCL needs; fall back to pid+clock. */
		unsigned long v = (unsigned long)getpid() * 2654435761UL ^ (unsigned long)clock();
		for (size_t i = 0; i < sizeof rnd; i++, v >>= 5)
			rnd[i] = (unsigned char)(v ^ (unsigned long)rand());
	}
	t->len = 0;
	if (dirlen)
		cf_buf_add(t, dir, dirlen);
	cf_buf_addc(t, '.');
	/* Leave room for ".XXXXXXXX" within NAME_MAX (255). */
	size_t bl = strlen(base);
	cf_buf_add(t, base, bl > 200 ? 200 : bl);
	cf_buf_addc(t, '.');
	for (size_t i = 0; i < sizeof rnd; i++)
		cf_buf_addc(t, (unsigned char)alnum[rnd[i] % (sizeof alnum - 1)]);
}

static void sync_dir(const char *dir, size_t dirlen)
{
	char *d = dirlen ? cf_xmemdup(dir, dirlen) : cf_xstrdup(".");
	int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Best effort: the file is already in place; some file systems refuse
	 * fsync on directories and that must not turn a success into a failure. */
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(d);
}

int cf_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
			 struct cf_error *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;

	struct cf_buf tmp = CF_BUF_INIT;
	int fd = -1;
	sigset_t mask;
	/* Created and registered with no fatal signal in between: the handler removes only a
	 * file this process made. */
	block_guarded(&mask);
	for (int tries = 0; tries < 100; tries++) {
		temp_name(&tmp, path, dirlen, base);
		fd = open((const char *)tmp.data,
			  O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, mode & 07777);
		if (fd >= 0 || (errno != EEXIST && errno != EINTR))
			break;
	}
	if (fd < 0) {
		int e = errno;
		restore_mask(&mask);
		cf_buf_release(&tmp);
		return path_error(err, "open", path, e);
	}
	temp_register((const char *)tmp.data);
	restore_mask(&mask);

	int ret = -1;
	if (cf_write_all(fd, data, len) < 0) {
		path_error(err, "write", path, errno);
		close(fd);
		goto out;
	}
	if (fsync(fd) < 0) {
		path_error(err, "sync", path, errno);
		close(fd);
		goto out;
	}
	if (close(fd) < 0) {
		path_error(err, "close", path, errno);
		goto out;
	}
	/* os.WriteFile would fail with "open x: is a directory" and the like;
	 * rename fails with the same errno in those cases. */
	block_guarded(&mask);
	if (rename((const char *)tmp.data, path) < 0) {
		path_error(err, "open", path, errno);
		restore_mask(&mask);
		goto out;
	}
	temp_forget((const char *)tmp.data);
	restore_mask(&mask);
	sync_dir(path, dirlen);
	ret = 0;
out:
	if (ret < 0) {
		block_guarded(&mask);
		unlink((const char *)tmp.data);
		temp_forget((const char *)tmp.data);
		restore_mask(&mask);
	}
	cf_buf_release(&tmp);
	return ret;
}
