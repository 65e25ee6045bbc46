/* -remote on the command line: sign and gencert send their CSR to a cfssl
 * server through common/net/remote (cfssl-serve.md §6.2, §6.5). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "remote.h"

/* signer.SplitHosts: "" is no list at all, otherwise every comma-separated part as it is. */
static char **split_hosts(const char *list, size_t *n)
{
	*n = 0;
	if (!*list)
		return NULL;
	size_t cap = 1;
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	char **v = cf_xcalloc(cap, sizeof *v);
	const char *s = list;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t l = comma ? (size_t)(comma - s) : strlen(s);
		v[(*n)++] = cf_xmemdup(s, l);
		if (!comma)
			break;
		s = comma + 1;
	}
	return v;
}

int cli_remote_open(struct cfssl_ctx *ctx, const char *addrs, struct cf_remote **r)
{
	const struct cf_flag_value *f = ctx->flags;
	struct cf_remote_opts opts = {0};
	if (*f[F_TLS_REMOTE_CA].str) {
		opts.ca_file = f[F_TLS_REMOTE_CA].str;
		cf_info("Using trusted CA from tls-remote-ca: %s", opts.ca_file);
	}
	if (*f[F_MUTUAL_TLS_CLIENT_CERT].str && *f[F_MUTUAL_TLS_CLIENT_KEY].str) {
		opts.cert_file = f[F_MUTUAL_TLS_CLIENT_CERT].str;
		opts.key_file = f[F_MUTUAL_TLS_CLIENT_KEY].str;
		cf_info("Using client auth with mutual-tls-cert: %s and mutual-tls-key: %s",
			opts.cert_file, opts.key_file);
	}
	*r = NULL;
	return cf_remote_new(addrs, &opts, r, ctx->err);
}

int cli_remote_sign(struct cfssl_ctx *ctx, const char *addrs, const struct cf_auth_key *key,
		    const unsigned char *csr, size_t csr_len, const char *subject_json, char **cert)
{
	const struct cf_flag_value *f = ctx->flags;
	struct cf_remote *r = NULL;
	if (cli_remote_open(ctx, addrs, &r) < 0)
		return -1;
	size_t nhosts;
	char **hosts = split_hosts(f[F_HOSTNAME].str, &nhosts);
	char *pem = cf_xmemdup(csr, csr_len);
	struct cf_remote_sign_req req = {
		.hosts = (const char *const *)hosts,
		.nhosts = nhosts,
		.hosts_set = hosts != NULL,
		.csr = pem,
		.subject_json = subject_json,
		.profile = f[F_PROFILE].str,
		.crl_override = f[F_CRL].str,
		.label = f[F_LABEL].str,
	};
	int ret = cf_remote_sign(r, &req, key, cert, ctx->err);
	for (size_t i = 0; i < nhosts; i++)
		free(hosts[i]);
	free(hosts);
	free(pem);
	cf_remote_free(r);
	return ret;
}
