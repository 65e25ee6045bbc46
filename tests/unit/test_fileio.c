/* Unit tests for common/base/fileio.c: Go's os.ReadFile / os.WriteFile error wording,
 * atomic replacement and file modes (cfssl-compat.md §10.3, deviation 7). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "fileio.h"

static int passed, failed;
static char dir[256];

#define CHECK(name, cond, ...)                     \
	do {                                       \
		if (cond) {                        \
			passed++;                  \
		} else {                           \
			failed++;                  \
			printf("FAIL %s: ", name); \
			printf(__VA_ARGS__);       \
			printf("\n");              \
		}                                  \
	} while (0)

static char *path_in(const char *d, const char *name)
{
	/* enough slots for the names one case holds at a time */
	static char buf[16][512];
	static int k;
	char *p = buf[k++ % 16];
	snprintf(p, sizeof buf[0], "%s/%s", d, name);
	return p;
}

static void put(const char *p, const char *s, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s)) {
		perror(p);
		exit(2);
	}
	close(fd);
	chmod(p, mode);
}

static int file_is(const char *p, const char *want)
{
	struct cf_buf b = CF_BUF_INIT;
	struct cf_error err = {0};
	int ok = cf_read_file(p, &b, &err) == 0 && b.len == strlen(want) &&
		 (b.len == 0 || memcmp(b.data, want, b.len) == 0);
	cf_buf_release(&b);
	return ok;
}

static unsigned mode_of(const char *p)
{
	struct stat st;
	if (lstat(p, &st) < 0)
		return 07777 + 1;
	return st.st_mode & 07777;
}

/* Names in @d other than "." and ".."; a temporary file left behind shows up here. */
static int entries(const char *d)
{
	DIR *dp = opendir(d);
	int n = 0;
	struct dirent *e;
	if (!dp)
		return -1;
	while ((e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(dp);
	return n;
}

static void test_write(void)
{
	struct cf_error err = {0};
	char sub[300];
	snprintf(sub, sizeof sub, "%s/w", dir);
	mkdir(sub, 0755);

	/* a new key file: 0600 under umask 022 */
	char *key = path_in(sub, "a-key.pem");
	int r = cf_write_file_atomic(key, "KEY\n", 4, 0600, &err);
	CHECK("new key", r == 0 && file_is(key, "KEY\n") && mode_of(key) == 0600, "r=%d mode=%o %s",
	      r, mode_of(key), err.msg);

	/* deviation 7: an existing 0644 key file ends up 0600 with the new content */
	char *old = path_in(sub, "b-key.pem");
	put(old, "old contents that are longer\n", 0644);
	cf_error_clear(&err);
	r = cf_write_file_atomic(old, "NEW\n", 4, 0600, &err);
	CHECK("replace 0644 key", r == 0 && file_is(old, "NEW\n") && mode_of(old) == 0600,
	      "r=%d mode=%o %s", r, mode_of(old), err.msg);

	/* cert 0664 before the umask: 0644 with umask 022, 0664 with umask 000 */
	char *cert = path_in(sub, "c.pem");
	cf_error_clear(&err);
	r = cf_write_file_atomic(cert, "CERT\n", 5, 0664, &err);
	CHECK("cert umask 022", r == 0 && mode_of(cert) == 0644, "mode=%o", mode_of(cert));
	umask(0);
	char *cert0 = path_in(sub, "d.pem");
	cf_error_clear(&err);
	r = cf_write_file_atomic(cert0, "CERT\n", 5, 0664, &err);
	umask(022);
	CHECK("cert umask 000", r == 0 && mode_of(cert0) == 0664, "mode=%o", mode_of(cert0));

	/* empty content still makes a file (encrypted_key / ocspResponse "") */
	char *empty = path_in(sub, "e-response.der");
	cf_error_clear(&err);
	r = cf_write_file_atomic(empty, "", 0, 0644, &err);
	CHECK("empty file", r == 0 && file_is(empty, "") && mode_of(empty) == 0644, "r=%d", r);

	CHECK("no temp files after success", entries(sub) == 5, "entries=%d", entries(sub));

	/* missing directory: Go's wording for the target path */
	cf_error_clear(&err);
	r = cf_write_file_atomic("/nonexistent/dir/z.pem", "X", 1, 0664, &err);
	CHECK("missing dir",
	      r == -1 && err.set && err.code == CF_ERR_PLAIN &&
		      !strcmp(err.msg, "open /nonexistent/dir/z.pem: no such file or directory"),
	      "r=%d msg=%s", r, err.msg);

	/* target is a directory: fails like Go's open, target and folder untouched */
	char *isdir = path_in(sub, "f.pem");
	mkdir(isdir, 0755);
	char want[600];
	snprintf(want, sizeof want, "open %s: is a directory", isdir);
	cf_error_clear(&err);
	r = cf_write_file_atomic(isdir, "X", 1, 0664, &err);
	CHECK("target is a directory", r == -1 && strcmp(err.msg, want) == 0, "r=%d msg=%s", r,
	      err.msg);
	CHECK("no temp files after failure", entries(sub) == 6, "entries=%d", entries(sub));

	/* read-only folder: root bypasses permissions, so only as a normal user */
	if (geteuid() != 0) {
		char *ro = path_in(dir, "ro");
		mkdir(ro, 0755);
		char *target = path_in(ro, "k-key.pem");
		put(target, "KEEP", 0644);
		chmod(ro, 0555);
		snprintf(want, sizeof want, "open %s: permission denied", target);
		cf_error_clear(&err);
		r = cf_write_file_atomic(target, "X", 1, 0600, &err);
		CHECK("read-only dir", r == -1 && strcmp(err.msg, want) == 0, "msg=%s", err.msg);
		CHECK("read-only dir untouched", file_is(target, "KEEP") && entries(ro) == 1,
		      "entries=%d", entries(ro));
		chmod(ro, 0755);
	}

	/* a relative name without a folder part */
	char cwd[512];
	if (getcwd(cwd, sizeof cwd) && chdir(sub) == 0) {
		cf_error_clear(&err);
		r = cf_write_file_atomic("g.csr", "CSR", 3, 0644, &err);
		CHECK("relative name",
		      r == 0 && file_is("g.csr", "CSR") && mode_of("g.csr") == 0644, "r=%d %s", r,
		      err.msg);
		if (chdir(cwd) != 0)
			exit(2);
	}
}

static void test_read(void)
{
	struct cf_error err = {0};
	struct cf_buf b = CF_BUF_INIT;

	char *p = path_in(dir, "r.json");
	put(p, "{\"a\":1}\n", 0644);
	int r = cf_read_file(p, &b, &err);
	CHECK("read ok", r == 0 && b.len == 8 && memcmp(b.data, "{\"a\":1}\n", 8) == 0,
	      "r=%d len=%zu", r, b.len);
	cf_buf_release(&b);

	/* larger than one read chunk */
	char *big = path_in(dir, "big");
	size_t n = 100000;
	char *data = cf_xmalloc(n);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	cf_error_clear(&err);
	r = cf_write_file_atomic(big, data, n, 0644, &err);
	cf_error_clear(&err);
	r |= cf_read_file(big, &b, &err);
	CHECK("read big", r == 0 && b.len == n && memcmp(b.data, data, n) == 0, "r=%d len=%zu", r,
	      b.len);
	cf_buf_release(&b);
	free(data);

	cf_error_clear(&err);
	r = cf_read_file("nonexist", &b, &err);
	CHECK("read missing",
	      r == -1 && !strcmp(err.msg, "open nonexist: no such file or directory"), "msg=%s",
	      err.msg);

	char want[600];
	snprintf(want, sizeof want, "read %s: is a directory", dir);
	cf_error_clear(&err);
	r = cf_read_file(dir, &b, &err);
	CHECK("read directory", r == -1 && strcmp(err.msg, want) == 0, "msg=%s", err.msg);
	CHECK("read directory leaves buffer empty", b.len == 0, "len=%zu", b.len);
	cf_buf_release(&b);

	if (geteuid() != 0) {
		char *secret = path_in(dir, "secret");
		put(secret, "x", 0000);
		snprintf(want, sizeof want, "open %s: permission denied", secret);
		cf_error_clear(&err);
		r = cf_read_file(secret, &b, &err);
		CHECK("read permission", r == -1 && strcmp(err.msg, want) == 0, "msg=%s", err.msg);
		cf_buf_release(&b);
	}

	/* "-" is stdin */
	int saved = dup(0);
	int fd = open(p, O_RDONLY);
	dup2(fd, 0);
	close(fd);
	cf_error_clear(&err);
	r = cf_read_file("-", &b, &err);
	CHECK("read stdin", r == 0 && b.len == 8 && memcmp(b.data, "{\"a\":1}\n", 8) == 0,
	      "r=%d len=%zu", r, b.len);
	cf_buf_release(&b);

	/* stdin that is a directory: Go names it /dev/stdin */
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	dup2(fd, 0);
	close(fd);
	cf_error_clear(&err);
	r = cf_read_file("-", &b, &err);
	CHECK("read stdin directory",
	      r == -1 && !strcmp(err.msg, "read /dev/stdin: is a directory"), "msg=%s", err.msg);
	cf_buf_release(&b);
	dup2(saved, 0);
	close(saved);
}

static void test_write_all(void)
{
	int fds[2];
	if (pipe(fds) < 0)
		exit(2);
	CHECK("write_all pipe", cf_write_all(fds[1], "abc", 3) == 0, "%s", "-");
	char got[4] = {0};
	CHECK("write_all data", read(fds[0], got, 3) == 3 && strcmp(got, "abc") == 0, "got=%s",
	      got);
	close(fds[0]);
	close(fds[1]);
	CHECK("write_all bad fd", cf_write_all(fds[1], "abc", 3) == -1, "%s", "-");
}

static void cleanup(const char *d)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", d, d);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", d);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/test_fileio.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	umask(022);
	test_write();
	test_read();
	test_write_all();
	cleanup(dir);
	printf("test_fileio: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
