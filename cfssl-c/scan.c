/* cfssl scan (cli/scan): each HOST scanned with cfssl's scanner families (common/net/scan.h),
 * "Scanning HOST..." then "=== HOST ===" and the results as Go's json.MarshalIndent, a blank
 * line after. -list prints the catalogue. Hosts are scanned one after the other (cfssl runs
 * -num-workers goroutines, whose output interleaves; the flag is accepted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "log.h"
#include "scan.h"

/* parseCSV: the last field of each record, up to @max hosts in all. */
static int read_csv(const char *path, char ***hosts, int *n, long long max, struct cf_error *err)
{
	struct cf_buf data = CF_BUF_INIT;
	if (cf_read_file(path, &data, err) < 0)
		return -1;
	char *p = (char *)data.data;
	while (p && *p && *n < max) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		size_t l = strlen(p);
		if (l && p[l - 1] == '\r')
			p[--l] = 0;
		if (l) {
			char *last = strrchr(p, ',');
			*hosts = realloc(*hosts, (size_t)(*n + 1) * sizeof **hosts);
			(*hosts)[(*n)++] = strdup(last ? last + 1 : p);
		}
		p = nl ? nl + 1 : NULL;
	}
	cf_buf_release(&data);
	return 0;
}

int cmd_scan(struct cfssl_ctx *ctx)
{
	struct cf_buf out = CF_BUF_INIT;
	if (ctx->flags[F_LIST].b) {
		cf_scan_indent(&out, cf_scan_catalogue, strlen(cf_scan_catalogue));
		cf_buf_printf(ctx->out, "%.*s\n\n", (int)out.len, (const char *)out.data);
		cf_buf_release(&out);
		return 0;
	}
	long long max = ctx->flags[F_MAX_HOSTS].i;
	int n = 0, ret = -1;
	char **hosts = NULL;
	for (int i = 0; i < ctx->npos; i++) {
		hosts = realloc(hosts, (size_t)(n + 1) * sizeof *hosts);
		hosts[n++] = strdup(ctx->pos[i]);
	}
	if (n >= max) {
		cf_warning("Only scanning max-hosts=%lld out of %d args given", max, n);
		while (n > max)
			free(hosts[--n]);
	} else if (*ctx->flags[F_CSV].str &&
		   read_csv(ctx->flags[F_CSV].str, &hosts, &n, max, ctx->err) < 0) {
		goto out;
	}
	struct cf_scan_options o = {
		.family = ctx->flags[F_FAMILY].str,
		.scanner = ctx->flags[F_SCANNER].str,
		.ip = ctx->flags[F_IP].str,
		.timeout_ns = ctx->flags[F_TIMEOUT].dur,
		.ca_bundle = ctx->flags[F_CA_BUNDLE].str,
	};
	for (int i = 0; i < n; i++) {
		struct cf_buf res = CF_BUF_INIT;
		struct cf_error e = {0};
		cf_buf_printf(ctx->out, "Scanning %s...\n", hosts[i]);
		int r = cf_scan_run(hosts[i], &o, &res, &e);
		cf_buf_printf(ctx->out, "=== %s ===\n", hosts[i]);
		if (r < 0) {
			cf_errorlog("%s", e.msg);
		} else {
			out.len = 0;
			cf_scan_indent(&out, (const char *)res.data, res.len);
			cf_buf_printf(ctx->out, "%.*s\n\n", (int)out.len, (const char *)out.data);
		}
		cf_buf_release(&res);
	}
	ret = 0;
out:
	for (int i = 0; i < n; i++)
		free(hosts[i]);
	free(hosts);
	cf_buf_release(&out);
	return ret;
}
