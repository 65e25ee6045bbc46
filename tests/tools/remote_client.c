/* A test driver for common/net/remote.c until the CLI uses it: calls the module from the command
 * line.
 *
 *   remote_client normalize ADDR                 the normalised URL, or the error
 *   remote_client signjson CSR [PROFILE [LABEL [HOSTS]]]
 *                                                the inner sign request R
 *   remote_client authjson HEXKEY CSR [PROFILE]  the /authsign body for that R (timestamp 0)
 *   remote_client [OPTS] sign ADDRS CSR [PROFILE [LABEL [HOSTS]]]
 *   remote_client [OPTS] info ADDRS [LABEL [PROFILE]]
 *
 * OPTS: -ca FILE, -cert FILE, -key FILE, -authkey HEX (sign through /authsign),
 * -timeout MS, -connect-timeout MS. HOSTS is comma-separated ("-" for an empty list).
 * Results go to stdout; failures print the error as cfssl does on stderr and exit 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "error.h"
#include "fileio.h"
#include "log.h"
#include "remote.h"

static int fail(const struct cf_error *err)
{
	char out[CF_ERROR_MSG_MAX + 64];
	cf_error_render(err, out, sizeof out);
	fprintf(stderr, "%s\n", out);
	return 1;
}

static char **split_hosts(const char *s, size_t *n)
{
	char **v = cf_xcalloc(strlen(s) + 1, sizeof *v);
	*n = 0;
	if (!strcmp(s, "-"))
		return v;
	char *dup = cf_xstrdup(s), *save = NULL;
	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save))
		v[(*n)++] = cf_xstrdup(t);
	free(dup);
	return v;
}

/* Fills @req from argv: CSR [PROFILE [LABEL [HOSTS]]]. */
static int sign_req(int argc, char **argv, struct cf_remote_sign_req *req, struct cf_buf *csr,
		    char ***hosts, struct cf_error *err)
{
	if (argc < 1)
		return cf_error_set(err, CF_ERR_PLAIN, "missing CSR file");
	if (cf_read_file(argv[0], csr, err))
		return -1;
	req->csr = (const char *)csr->data;
	req->profile = argc > 1 ? argv[1] : "";
	req->label = argc > 2 ? argv[2] : "";
	if (argc > 3) {
		*hosts = split_hosts(argv[3], &req->nhosts);
		req->hosts = (const char *const *)*hosts;
		req->hosts_set = 1;
	}
	return 0;
}

static void free_hosts(char **h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(h[i]);
	free(h);
}

int main(int argc, char **argv)
{
	struct cf_remote_opts opts = {0};
	struct cf_error err = {0};
	struct cf_auth_key key = {0};
	int have_key = 0, ret = 1;
	cf_log_init(stderr, 1);

	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		const char *o = argv[i], *v = argv[i + 1];
		if (!strcmp(o, "-ca"))
			opts.ca_file = v;
		else if (!strcmp(o, "-cert"))
			opts.cert_file = v;
		else if (!strcmp(o, "-key"))
			opts.key_file = v;
		else if (!strcmp(o, "-timeout"))
			opts.timeout_ms = atol(v);
		else if (!strcmp(o, "-connect-timeout"))
			opts.connect_timeout_ms = atol(v);
		else if (!strcmp(o, "-authkey")) {
			if (cf_auth_key_decode("authkey", v, &key, &err))
				return fail(&err);
			have_key = 1;
		} else {
			fprintf(stderr, "unknown option %s\n", o);
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: see tests/tools/remote_client.c\n");
		return 2;
	}
	const char *cmd = argv[i++];
	struct cf_buf out = CF_BUF_INIT, csr = CF_BUF_INIT;
	struct cf_remote_sign_req req = {0};
	char **hosts = NULL;
	struct cf_remote *r = NULL;

	if (!strcmp(cmd, "normalize") && i < argc) {
		char *url = NULL;
		if (cf_remote_normalize(argv[i], &url, &err))
			goto err;
		printf("%s\n", url);
		free(url);
	} else if (!strcmp(cmd, "signjson")) {
		if (sign_req(argc - i, argv + i, &req, &csr, &hosts, &err))
			goto err;
		cf_remote_sign_json(&req, &out);
		fwrite(out.data, 1, out.len, stdout);
	} else if (!strcmp(cmd, "authjson") && i + 1 < argc) {
		if (cf_auth_key_decode("authkey", argv[i], &key, &err))
			goto err;
		if (sign_req(argc - i - 1, argv + i + 1, &req, &csr, &hosts, &err))
			goto err;
		struct cf_buf rb = CF_BUF_INIT;
		cf_remote_sign_json(&req, &rb);
		int rc = cf_remote_authsign_json(&key, rb.data, rb.len, 0, &out, &err);
		cf_buf_release(&rb);
		if (rc)
			goto err;
		fwrite(out.data, 1, out.len, stdout);
	} else if (!strcmp(cmd, "sign") && i + 1 < argc) {
		if (cf_remote_new(argv[i], &opts, &r, &err))
			goto err;
		if (sign_req(argc - i - 1, argv + i + 1, &req, &csr, &hosts, &err))
			goto err;
		char *cert = NULL;
		if (cf_remote_sign(r, &req, have_key ? &key : NULL, &cert, &err))
			goto err;
		fputs(cert, stdout);
		free(cert);
	} else if (!strcmp(cmd, "info") && i < argc) {
		struct cf_remote_info info;
		if (cf_remote_new(argv[i], &opts, &r, &err))
			goto err;
		if (cf_remote_info(r, i + 1 < argc ? argv[i + 1] : "",
				   i + 2 < argc ? argv[i + 2] : "", &info, &err))
			goto err;
		cf_remote_info_json(&info, &out);
		cf_remote_info_release(&info);
		fwrite(out.data, 1, out.len, stdout);
	} else {
		fprintf(stderr, "usage: see tests/tools/remote_client.c\n");
		ret = 2;
		goto out;
	}
	ret = fflush(stdout) ? 1 : 0;
	goto out;
err:
	ret = fail(&err);
out:
	cf_remote_free(r);
	if (hosts)
		free_hosts(hosts, req.nhosts);
	cf_buf_release(&out);
	cf_buf_release(&csr);
	cf_auth_key_release(&key);
	return ret;
}
