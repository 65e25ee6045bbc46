/* A tiny server on common/net/httpd for tests/test_httpd.sh: prints "port N" once listening,
 * serves until SIGTERM or SIGINT, exits 0 after a graceful stop (1 when it cannot start).
 *
 * Routes: POST /echo returns the body; /info returns the request as the success envelope's
 * result; /slow?ms=N sleeps N ms first; /error?code=N&msg=M fails with that cf_error;
 * anything else is 404. The precheck answers 405 to a non-POST /echo before any body byte
 * is read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "gojson.h"
#include "httpd.h"
#include "log.h"

static void member(struct cf_buf *b, const char *name, const char *value)
{
	if (b->len > 1)
		cf_buf_addc(b, ',');
	cf_gojson_quote(b, name, strlen(name));
	cf_buf_addc(b, ':');
	if (value)
		cf_gojson_quote(b, value, strlen(value));
	else
		cf_buf_adds(b, "null");
}

static int precheck(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep)
{
	if (!strcmp(req->path, "/echo") && strcmp(req->method, "POST")) {
		cf_httpd_reply_method_not_allowed(rep, req->method);
		return 1;
	}
	return 0;
}

static int handle(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep,
		  struct cf_error *err)
{
	if (!strcmp(req->path, "/echo")) {
		rep->content_type = "application/octet-stream";
		cf_buf_add(&rep->body, req->body, req->body_len);
		rep->log = 1;
		rep->log_code = 200;
		return 0;
	}
	if (!strcmp(req->path, "/slow")) {
		const char *ms = cf_httpd_query_arg(req, "ms");
		long n = ms ? atol(ms) : 1000;
		struct timespec ts = {n / 1000, (n % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		char result[96];
		/* which worker thread served it */
		snprintf(result, sizeof result, "{\"slept\":%ld,\"thread\":%ld}", n,
			 (long)syscall(SYS_gettid));
		cf_httpd_reply_success(rep, result, strlen(result), NULL, 0);
		return 0;
	}
	if (!strcmp(req->path, "/info")) {
		struct cf_buf b = CF_BUF_INIT;
		char len[32];
		snprintf(len, sizeof len, "%zu", req->body_len);
		cf_buf_addc(&b, '{');
		member(&b, "method", req->method);
		member(&b, "path", req->path);
		member(&b, "uri", req->uri);
		member(&b, "query", req->query);
		member(&b, "x", cf_httpd_query_arg(req, "x"));
		member(&b, "remote", req->remote);
		member(&b, "cn", req->peer_cn);
		member(&b, "user_agent", cf_httpd_request_header(req, "user-agent"));
		member(&b, "body_len", len);
		cf_buf_addc(&b, '}');
		struct cf_httpd_message m = {5300, "a <message> & more"};
		cf_httpd_reply_success(rep, (const char *)b.data, b.len, &m,
				       cf_httpd_query_arg(req, "msg") ? 1 : 0);
		cf_buf_release(&b);
		return 0;
	}
	if (!strcmp(req->path, "/error")) {
		const char *code = cf_httpd_query_arg(req, "code");
		const char *msg = cf_httpd_query_arg(req, "msg");
		return cf_error_set(err, code ? atoi(code) : 0, "%s", msg ? msg : "failed");
	}
	cf_httpd_reply_not_found(rep);
	return 0;
}

int main(int argc, char **argv)
{
	struct cf_httpd_config cfg = {
		.address = "127.0.0.1", .handler = handle, .precheck = precheck};
	long long level = 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (!strcmp(k, "--address"))
			cfg.address = v;
		else if (!strcmp(k, "--port"))
			cfg.port = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(k, "--timeout"))
			cfg.timeout = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(k, "--read-deadline"))
			cfg.read_deadline = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(k, "--max-conn"))
			cfg.max_connections = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(k, "--max-body"))
			cfg.max_body = (size_t)strtoull(v, NULL, 10);
		else if (!strcmp(k, "--tls-cert"))
			cfg.tls_cert = v;
		else if (!strcmp(k, "--tls-key"))
			cfg.tls_key = v;
		else if (!strcmp(k, "--min-tls"))
			cfg.min_tls_version = v;
		else if (!strcmp(k, "--mtls-ca"))
			cfg.mutual_tls_ca = v;
		else if (!strcmp(k, "--mtls-cn"))
			cfg.mutual_tls_cn = v;
		else if (!strcmp(k, "--loglevel"))
			level = atoll(v);
		else {
			fprintf(stderr, "unknown option %s\n", k);
			return 2;
		}
	}
	cf_log_init(stderr, level);
	struct cf_error err = {0};
	struct cf_httpd *srv = cf_httpd_start(&cfg, &err);
	if (!srv) {
		char msg[CF_ERROR_MSG_MAX + 64];
		cf_error_render(&err, msg, sizeof msg);
		fprintf(stderr, "%s\n", msg);
		return 1;
	}
	printf("port %u\n", cf_httpd_port(srv));
	if (fflush(stdout) != 0)
		return 1;
	cf_httpd_wait_signal(srv);
	cf_httpd_free(srv);
	return 0;
}
