/* mkbundle: cfssl's program that bundles the certificates found in files and directories into
 * one PEM file (cfssl's cmd/mkbundle). Each argument is walked as Go's filepath.Walk does
 * (lexical order, symbolic links not followed, regular files only); every CERTIFICATE block of
 * every file is parsed and checked with cfssl's revoke.VerifyCertificate (the validity window,
 * then the CRLs and OCSP responders the certificate names, see revoke.h): a revoked one is
 * skipped, and so is one whose status could not be established ("Failed to verify
 * certificate.", as cfssl); the others are written to -f. The files are read in order by one
 * thread, so the bundle's order is the walk's (cfssl's -nw workers write in whatever order
 * they finish); -nw is accepted and, as in cfssl, a value below 1 writes an empty bundle. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/x509.h>

#include "cli.h"
#include "crypto.h"
#include "fileio.h"
#include "flags.h"
#include "log.h"
#include "pem.h"
#include "revoke.h"

enum { MF_F, MF_NW, MF_COUNT };

static const struct cf_flag_def mk_flags[MF_COUNT] = {
	[MF_F] = {"f", CF_FLAG_STRING, "cert-bundle.crt", "path to store certificate bundle"},
	[MF_NW] = {"nw", CF_FLAG_INT, "4", "number of workers"},
};

/* Go's text for errno @e ("no such file or directory"). */
static const char *errtext(int e, char *tmp, size_t n)
{
	snprintf(tmp, n, "%s", strerror(e));
	tmp[0] = (char)tolower((unsigned char)tmp[0]);
	return tmp;
}
#define GO_ERRNO(e) errtext((e), (char[128]){0}, 128)

struct mk_state {
	struct cf_buf out;
	int total;
	struct cf_revoke_cache *crls;
};

static void load_file(struct mk_state *st, const char *path)
{
	cf_log(CF_LOG_INFO, "Loading %s", path);
	struct cf_buf data = CF_BUF_INIT;
	struct cf_error err = {0};
	if (cf_read_file(path, &data, &err) < 0) {
		cf_log(CF_LOG_WARNING, "%s", err.msg);
		return;
	}
	const char *p = (const char *)data.data;
	size_t left = data.len;
	while (left > 0) {
		struct cf_pem_block blk = {0};
		if (!cf_pem_decode(p, left, &blk, &p, &left)) {
			cf_log(CF_LOG_WARNING, "%s: no PEM data found", path);
			break;
		}
		if (strcmp(blk.type, "CERTIFICATE")) {
			cf_log(CF_LOG_INFO, "Skipping non-certificate");
			cf_pem_block_release(&blk);
			continue;
		}
		gnutls_x509_crt_t crt;
		if (cf_crt_import_der(blk.der, blk.len, &crt, NULL) < 0) {
			cf_log(CF_LOG_WARNING, "Invalid certificate: x509: malformed certificate");
			cf_pem_block_release(&blk);
			continue;
		}
		gnutls_datum_t dn = {0};
		if (gnutls_x509_crt_get_dn3(crt, &dn, 0) >= 0) {
			cf_log(CF_LOG_INFO, "Validating %s", (const char *)dn.data);
			gnutls_free(dn.data);
		}
		struct cf_revoke_req rq = {.crt = crt, .cache = st->crls};
		struct cf_revoke_result res;
		struct cf_error rerr = {0};
		cf_revoke_verify(&rq, &res, &rerr);
		if (!res.ok) {
			cf_log(CF_LOG_WARNING, "Failed to verify certificate.");
		} else if (!res.revoked) {
			cf_pem_encode(&st->out, "CERTIFICATE", blk.der, blk.len);
			st->total++;
		} else {
			cf_log(CF_LOG_INFO, "Skipping revoked certificate");
		}
		gnutls_x509_crt_deinit(crt);
		cf_pem_block_release(&blk);
	}
	cf_buf_release(&data);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* filepath.Walk with cfssl's walker: logs each path, bundles regular files; -1 (after the
 * log line of Go's error) stops the whole walk. */
static int walk(struct mk_state *st, const char *path)
{
	cf_log(CF_LOG_INFO, "Found %s", path);
	struct stat sb;
	if (lstat(path, &sb) < 0) {
		cf_log(CF_LOG_ERROR, "Walk failed: lstat %s: %s", path, GO_ERRNO(errno));
		return -1;
	}
	if (S_ISREG(sb.st_mode)) {
		load_file(st, path);
		return 0;
	}
	if (!S_ISDIR(sb.st_mode))
		return 0;
	struct dirent **names;
	int n = scandir(path, &names, NULL, by_name);
	if (n < 0) {
		cf_log(CF_LOG_INFO, "Found %s", path);
		cf_log(CF_LOG_ERROR, "Walk failed: open %s: %s", path, GO_ERRNO(errno));
		return -1;
	}
	int r = 0;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (r == 0 && strcmp(name, ".") && strcmp(name, "..")) {
			struct cf_buf sub = CF_BUF_INIT;
			cf_buf_printf(&sub, "%s%s%s", path,
				      path[strlen(path) - 1] == '/' ? "" : "/", name);
			r = walk(st, (const char *)sub.data);
			cf_buf_release(&sub);
		}
		free(names[i]);
	}
	free(names);
	return r;
}

static void go_usage(const char *argv0)
{
	struct cf_buf b = CF_BUF_INIT;
	cf_buf_printf(&b, "Usage of %s:\n", argv0);
	cf_flags_go_defaults(&b, mk_flags, MF_COUNT);
	fwrite(b.data, 1, b.len, stderr);
	cf_buf_release(&b);
}

int prog_mkbundle(int argc, char **argv)
{
	struct cf_flag_value fv[MF_COUNT];
	struct cf_error err = {0};
	int npos = 0;
	char **pos = NULL;
	enum cf_flags_result fr =
		cf_flags_parse(mk_flags, MF_COUNT, fv, argc - 1, argv + 1, &npos, &pos, &err);
	if (fr != CF_FLAGS_OK) {
		if (fr == CF_FLAGS_ERROR)
			fprintf(stderr, "%s\n", err.msg);
		go_usage(argv[0]);
		return fr == CF_FLAGS_HELP ? 0 : 2;
	}
	cf_log_init(stderr, CF_LOG_INFO);
	if (cf_crypto_init(&err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	const char *file = fv[MF_F].str;
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		cf_log(CF_LOG_ERROR, "open %s: %s", file, GO_ERRNO(errno));
		return 1;
	}
	struct mk_state st = {.out = CF_BUF_INIT, .crls = cf_revoke_cache_new()};
	if (fv[MF_NW].i > 0)
		for (int i = 0; i < npos; i++)
			walk(&st, pos[i]);
	int status = 0;
	if (st.out.len && cf_write_all(fd, st.out.data, st.out.len) < 0) {
		cf_log(CF_LOG_ERROR, "Failed to write PEM block: write %s: %s", file,
		       GO_ERRNO(errno));
		status = 1;
	}
	if (close(fd) < 0 && !status) {
		cf_log(CF_LOG_ERROR, "close %s: %s", file, GO_ERRNO(errno));
		status = 1;
	}
	if (!status)
		cf_log(CF_LOG_INFO, "Wrote %d certificates.", st.total);
	cf_buf_release(&st.out);
	cf_revoke_cache_free(st.crls);
	return status;
}
