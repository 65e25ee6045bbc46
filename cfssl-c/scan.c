/* cfssl scan (cli/scan): each HOST scanned with cfssl's scanner families (common/net/scan.h),
 * "Scanning HOST..." then "=== HOST ===" and the results as Go's json.MarshalIndent, a blank
 * line after. -list prints the catalogue. As cfssl, -num-workers threads take the hosts in
 * turn, so the lines of different hosts interleave in the order things happen; each host's
 * "=== HOST ===" block stays whole. */
#include <pthread.h>
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

struct scan_pool {
	struct cfssl_ctx *ctx;
	const struct cf_scan_options *o;
	char **hosts;
	int n, next;
	pthread_mutex_t mu; /* next, and ctx->out */
};

static void scan_host(struct scan_pool *p, const char *host)
{
	struct cf_buf res = CF_BUF_INIT, out = CF_BUF_INIT;
	struct cf_error e = {0};
	pthread_mutex_lock(&p->mu);
	cf_buf_printf(p->ctx->out, "Scanning %s...\n", host);
	pthread_mutex_unlock(&p->mu);
	int r = cf_scan_run(host, p->o, &res, &e);
	if (r == 0)
		cf_scan_indent(&out, (const char *)res.data, res.len);
	pthread_mutex_lock(&p->mu);
	cf_buf_printf(p->ctx->out, "=== %s ===\n", host);
	if (r < 0)
		cf_errorlog("%s", e.msg);
	else
		cf_buf_printf(p->ctx->out, "%.*s\n\n", (int)out.len, (const char *)out.data);
	pthread_mutex_unlock(&p->mu);
	cf_buf_release(&res);
	cf_buf_release(&out);
}

static void *scan_worker(void *arg)
{
	struct scan_pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		int i = p->next < p->n ? p->next++ : -1;
		pthread_mutex_unlock(&p->mu);
		if (i < 0)
			return NULL;
		scan_host(p, p->hosts[i]);
	}
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
	/* cfssl's workers; fewer than one would leave its hosts unscanned (cfssl then stops
	 * in a deadlock panic): one */
	struct scan_pool p = {.ctx = ctx, .o = &o, .hosts = hosts, .n = n};
	pthread_mutex_init(&p.mu, NULL);
	long long want = ctx->flags[F_NUM_WORKERS].i;
	int nw = want < 1 ? 1 : want > n ? n : (int)want;
	pthread_t *tid = cf_xcalloc((size_t)(nw > 0 ? nw : 1), sizeof *tid);
	int started = 0;
	for (int i = 1; i < nw; i++) /* this thread is the first worker */
		if (pthread_create(&tid[started], NULL, scan_worker, &p) == 0)
			started++;
	scan_worker(&p);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	pthread_mutex_destroy(&p.mu);
	ret = 0;
out:
	for (int i = 0; i < n; i++)
		free(hosts[i]);
	free(hosts);
	cf_buf_release(&out);
	return ret;
}
