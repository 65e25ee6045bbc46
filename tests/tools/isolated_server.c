/* A small server shaped like serve's process layout, for tests/test_keyproc_isolation.sh: it
 * loads a CA with cf_ca_load_isolated (the key stays in a key process), starts a common/net/httpd
 * server whose ready hook confines the process with cf_process_restrict, prints
 * "pid N keypid N port N" once listening and serves until SIGTERM. Its routes let the test
 * probe the confinement from inside the confined workers (a test tool, not the product):
 *   POST /sign          the body signed with the CA key (ECDSA-SHA256, DER), raw bytes
 *   GET  /open?path=P   "ok" when P opens for reading, else the error text
 *   GET  /write?path=P  "ok" when P can be created and written, else the error text
 *   GET  /exec          the error of execve("/bin/true"), "ran" should it run
 *   GET  /remote?url=U  cf_remote_post to U's info endpoint (libcurl is loaded here, after
 *                       the confinement): "ok", else the error text
 *   POST /api/v1/cfssl/info  an empty success envelope, for /remote
 * Arguments: CA-CERT CA-KEY [WRITABLE-FOLDER]. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/abstract.h>

#include "error.h"
#include "httpd.h"
#include "keyproc.h"
#include "log.h"
#include "process.h"
#include "remote.h"
#include "signer.h"

struct state {
	struct cf_ca ca;
	struct cf_restrict restrict_;
};

static void text(struct cf_httpd_reply *rep, const char *s)
{
	rep->content_type = "text/plain";
	cf_buf_adds(&rep->body, s);
}

static int handle(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep,
		  struct cf_error *err)
{
	struct state *st = arg;
	const char *path = cf_httpd_query_arg(req, "path");
	if (!strcmp(req->path, "/sign")) {
		gnutls_datum_t d = {(unsigned char *)req->body, (unsigned)req->body_len};
		gnutls_datum_t sig = {NULL, 0};
		int r = gnutls_privkey_sign_data2(st->ca.key.priv, GNUTLS_SIGN_ECDSA_SHA256, 0, &d,
						  &sig);
		if (r < 0)
			return cf_error_set(err, CF_ERR_PLAIN, "sign: %s", gnutls_strerror(r));
		rep->content_type = "application/octet-stream";
		cf_buf_add(&rep->body, sig.data, sig.size);
		gnutls_free(sig.data);
		return 0;
	}
	if (!strcmp(req->path, "/open") && path) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		text(rep, fd >= 0 ? "ok" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (!strcmp(req->path, "/write") && path) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		int ok = fd >= 0 && write(fd, "x\n", 2) == 2;
		text(rep, ok ? "ok" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (!strcmp(req->path, "/exec")) {
		char *const argv[] = {"true", NULL};
		execv("/bin/true", argv);
		text(rep, strerror(errno));
		return 0;
	}
	if (!strcmp(req->path, "/remote")) {
		const char *url = cf_httpd_query_arg(req, "url");
		struct cf_remote *r = NULL;
		json_t *result = NULL;
		struct cf_error e = {0};
		if (cf_remote_new(url ? url : "", NULL, &r, &e) == 0 &&
		    cf_remote_post(r, 0, "info", "{}", 2, &result, &e) == 0)
			text(rep, "ok");
		else
			text(rep, e.msg);
		json_decref(result);
		cf_remote_free(r);
		return 0;
	}
	if (!strcmp(req->path, "/api/v1/cfssl/info")) {
		cf_httpd_reply_success(rep, "{}", 2, NULL, 0);
		return 0;
	}
	cf_httpd_reply_not_found(rep);
	return 0;
}

static int ready(void *arg, struct cf_error *err)
{
	struct state *st = arg;
	return cf_process_restrict(&st->restrict_, err);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: isolated_server CA-CERT CA-KEY [WRITABLE-FOLDER]\n");
		return 2;
	}
	cf_log_init(stderr, 1);
	struct cf_error err = {0};
	if (cf_process_harden(&err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	static struct state st;
	const char *write[] = {argc > 3 ? argv[3] : NULL, NULL};
	st.restrict_.write = write;
	struct cf_keyproc *kp = NULL;
	if (cf_ca_load_isolated(argv[1], argv[2], &st.ca, &kp, &err) < 0) {
		fprintf(stderr, "%d %s\n", err.code, err.msg);
		return 1;
	}
	struct cf_httpd_config cfg = {
		.address = "127.0.0.1", .handler = handle, .arg = &st, .ready = ready};
	struct cf_httpd *srv = cf_httpd_start(&cfg, &err);
	if (!srv) {
		fprintf(stderr, "%s\n", err.msg);
		cf_ca_release(&st.ca);
		cf_keyproc_stop(kp);
		return 1;
	}
	printf("pid %ld keypid %ld port %u\n", (long)getpid(), (long)cf_keyproc_pid(kp),
	       cf_httpd_port(srv));
	if (fflush(stdout) != 0)
		return 1;
	cf_httpd_wait_signal(srv);
	cf_httpd_free(srv);
	cf_ca_release(&st.ca);
	return cf_keyproc_stop(kp) == 0 ? 0 : 1;
}
