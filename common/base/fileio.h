/* Safe file I/O. */
#ifndef CF_FILEIO_H
#define CF_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "error.h"

/* Reads all of @path ("-" = stdin) into @out. On failure sets @err (plain)
 * to Go's os.ReadFile wording: "open x: no such file or directory",
 * "read x: is a directory". */
int cf_read_file(const char *path, struct cf_buf *out, struct cf_error *err);

/* The same as Go's os.ReadFile, where "-" is a file name and not stdin (the
 * error names "-"). */
int cf_read_file_plain(const char *path, struct cf_buf *out, struct cf_error *err);

/* Writes @len bytes to @path atomically: a temporary file in the same
 * folder, created O_EXCL|O_NOFOLLOW with @mode from the first byte (the
 * umask still applies, as with Go's os.WriteFile), written fully, fsync'd,
 * then renamed over @path. On failure nothing at @path changes and @err
 * says why in Go's wording ("open dir/x.pem: no such file or directory"). */
int cf_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
			 struct cf_error *err);

/* Makes the temporaries of cf_write_file_atomic go with the process: on SIGINT, SIGTERM or
 * SIGHUP (each unless ignored at start, as under nohup) the temporaries being written are
 * unlinked and the process dies of the same signal. SIGXFSZ is ignored, so that a write beyond
 * the file size limit (ulimit -f) fails with EFBIG and is handled as any failed write. SIGKILL
 * cannot be handled: a temporary killed by it stays (mode 0600 for a key). Call once at start. */
void cf_fileio_guard_signals(void);

/* Writes all of @data to @fd, looping over partial writes. 0 / -1 (errno). */
int cf_write_all(int fd, const void *data, size_t len);

#endif
