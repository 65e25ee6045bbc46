/* cfssljson-c: splits cfssl's JSON output into files (cfssl-compat.md §10).
 *
 * Order of work, as in cfssljson: parse flags, read the whole input, decode
 * it (bare map or API envelope), pick the recognised keys and validate them
 * all, and only then write the files (or print them with -stdout). */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base64.h"
#include "buf.h"
#include "error.h"
#include "fileio.h"
#include "flags.h"
#include "gojson.h"
#include "process.h"

enum { F_BARE, F_F, F_STDOUT, F_VERSION, F_COUNT };

static const struct cf_flag_def flag_defs[F_COUNT] = {
	[F_BARE] = {"bare", CF_FLAG_BOOL, "false",
		    "the response from CFSSL is not wrapped in the API standard response"},
	[F_F] = {"f", CF_FLAG_STRING, "-", "JSON input"},
	[F_STDOUT] = {"stdout", CF_FLAG_BOOL, "false",
		      "output the response instead of saving to a file"},
	[F_VERSION] = {"version", CF_FLAG_BOOL, "false", "print version and exit"},
};

/* Go's flag.PrintDefaults layout, which differs from cfssl's own usage lines. */
static void usage(const char *argv0)
{
	fprintf(stderr, "Usage of %s:\n", argv0);
	for (int i = 0; i < F_COUNT; i++) {
		const struct cf_flag_def *d = &flag_defs[i];
		if (d->type == CF_FLAG_BOOL) {
			fprintf(stderr, "  -%s\n    \t%s\n", d->name, d->help);
		} else {
			fprintf(stderr, "  -%s string\n    \t%s (default \"%s\")\n", d->name,
				d->help, d->def);
		}
	}
}

/* cfssl puts private keys inside the JSON it prints: every block Jansson
 * frees is wiped first. The size lives in a header in front of the block. */
union alloc_hdr {
	size_t n;
	max_align_t align;
};

static void *wiping_malloc(size_t n)
{
	union alloc_hdr *h = malloc(sizeof *h + n);
	if (!h)
		return NULL;
	h->n = n;
	return h + 1;
}

static void wiping_free(void *p)
{
	if (!p)
		return;
	union alloc_hdr *h = (union alloc_hdr *)p - 1;
	cf_wipe(p, h->n);
	free(h);
}

/* ---- the API envelope (cmd/cfssljson Response / ResponseMessage) ---- */

struct message {
	const char *text; /* borrowed from the document; NULL = "" */
	size_t len;
};

struct envelope {
	int success;
	json_t *result; /* own reference; NULL = Go's nil map */
	struct message *errors;
	size_t nerrors, caperrors;
};

/* Decodes a []ResponseMessage member. Go reuses the elements already in the
 * slice when a member is repeated, so @msgs is updated in place. */
static void decode_messages(const json_t *v, const char *field, struct message **msgs, size_t *n,
			    size_t *cap, struct cf_error *err)
{
	if (json_is_null(v)) {
		*n = 0;
		return;
	}
	if (!json_is_array(v)) {
		cf_gojson_type_error(err, v, "Response", field, "[]main.ResponseMessage");
		return;
	}
	size_t count = json_array_size(v);
	if (count > *cap) {
		*msgs = cf_xrealloc(*msgs, count * sizeof **msgs);
		for (size_t i = *cap; i < count; i++)
			(*msgs)[i] = (struct message){NULL, 0};
		*cap = count;
	}
	/* Go does not zero a reused element, but one beyond the old length is fresh. */
	for (size_t i = *n; i < count; i++)
		(*msgs)[i] = (struct message){NULL, 0};
	*n = count;

	char path[32];
	for (size_t i = 0; i < count; i++) {
		const json_t *e = json_array_get(v, i);
		if (json_is_null(e))
			continue;
		if (!json_is_object(e)) {
			cf_gojson_type_error(err, e, "Response", field, "main.ResponseMessage");
			continue;
		}
		const char *k;
		const json_t *m;
		json_object_foreach((json_t *)e, k, m) {
			if (cf_gojson_key_eq(k, "message")) {
				snprintf(path, sizeof path, "%s.message", field);
				const char *s = NULL;
				size_t len = 0;
				int r = cf_gojson_get_string(m, &s, &len, err, "ResponseMessage",
							     path);
				if (r == 0 && s) {
					(*msgs)[i].text = s;
					(*msgs)[i].len = len;
				}
			} else if (cf_gojson_key_eq(k, "int")) {
				/* cfssljson tags Code as json:"int": "code" is ignored,
				 * "int" is not. */
				long long code;
				snprintf(path, sizeof path, "%s.int", field);
				cf_gojson_get_int(m, &code, err, "ResponseMessage", path);
			}
		}
	}
}

static int decode_envelope(const json_t *doc, struct envelope *env, struct cf_error *err)
{
	if (json_is_null(doc))
		return 0;
	if (!json_is_object(doc))
		return cf_error_set(err, CF_ERR_PLAIN,
				    "json: cannot unmarshal %s into Go value of type main.Response",
				    cf_gojson_kind(doc));

	struct message *unused = NULL;
	size_t nunused = 0, capunused = 0;
	const char *k;
	const json_t *v;
	/* Go records the first type error and carries on decoding; so does cf_error. */
	json_object_foreach((json_t *)doc, k, v) {
		if (cf_gojson_key_eq(k, "success")) {
			cf_gojson_get_bool(v, &env->success, err, "Response", "success");
		} else if (cf_gojson_key_eq(k, "result")) {
			if (json_is_null(v)) {
				json_decref(env->result);
				env->result = NULL;
			} else if (!json_is_object(v)) {
				cf_gojson_type_error(err, v, "Response", "result",
						     "map[string]interface {}");
			} else {
				/* A repeated member adds to the map Go already made. */
				if (!env->result)
					env->result = json_object();
				json_object_update(env->result, (json_t *)v);
			}
		} else if (cf_gojson_key_eq(k, "errors")) {
			decode_messages(v, "errors", &env->errors, &env->nerrors, &env->caperrors,
					err);
		} else if (cf_gojson_key_eq(k, "messages")) {
			decode_messages(v, "messages", &unused, &nunused, &capunused, err);
		}
	}
	free(unused);
	return err->set ? -1 : 0;
}

/* ---- outputs ---- */

struct output {
	char *name;
	const unsigned char *data; /* borrowed from the document or from @own */
	size_t len;
	int binary; /* -stdout prints base64 */
	mode_t mode;
	struct cf_buf own;
};

struct plan {
	struct output out[7]; /* cert, key, encrypted key, csr, bundle, root, response */
	int n;
};

static struct output *plan_add(struct plan *p, const char *base, const char *suffix,
			       const void *data, size_t len, int binary, mode_t mode)
{
	struct output *o = &p->out[p->n++];
	size_t bl = strlen(base), sl = strlen(suffix);
	o->name = cf_xmalloc(bl + sl + 1);
	memcpy(o->name, base, bl);
	memcpy(o->name + bl, suffix, sl + 1);
	o->data = data;
	o->len = len;
	o->binary = binary;
	o->mode = mode;
	o->own = (struct cf_buf)CF_BUF_INIT;
	return o;
}

static void plan_release(struct plan *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->out[i].name);
		cf_buf_release(&p->out[i].own);
	}
	p->n = 0;
}

/* cfssljson's contents.(string): a present key must hold a string. cfssl
 * panics otherwise (exit 2); we refuse with a message (deviation 9).
 * Returns 1 when found, 0 when absent, -1 on a non-string. */
static int get_key(const json_t *map, const char *key, const char **s, size_t *len,
		   struct cf_error *err)
{
	const json_t *v = json_object_get(map, key);
	if (!v)
		return 0;
	if (!json_is_string(v)) {
		cf_error_set(err, CF_ERR_PLAIN,
			     "Failed to parse input: value of \"%s\" is not a string", key);
		return -1;
	}
	*s = json_string_value(v);
	*len = json_string_length(v);
	return 1;
}

/* First present of @k1, @k2; an empty string means no file. */
static int pick(struct plan *p, const json_t *map, const char *k1, const char *k2, const char *base,
		const char *suffix, mode_t mode, struct cf_error *err)
{
	const char *s = NULL;
	size_t len = 0;
	int r = get_key(map, k1, &s, &len, err);
	if (r == 0 && k2)
		r = get_key(map, k2, &s, &len, err);
	if (r < 0)
		return -1;
	if (r > 0 && len > 0)
		plan_add(p, base, suffix, s, len, 0, mode);
	return 0;
}

/* Builds the list of outputs from @map in cfssljson's order, checking
 * everything before anything is written. */
static int make_plan(struct plan *p, const json_t *map, const char *base, struct cf_error *err)
{
	const char *s;
	size_t len;
	int r;

	if (!map)
		return 0;
	if (pick(p, map, "cert", "certificate", base, ".pem", 0664, err) < 0 ||
	    pick(p, map, "key", "private_key", base, "-key.pem", 0600, err) < 0)
		return -1;
	r = get_key(map, "encrypted_key", &s, &len, err);
	if (r < 0)
		return -1;
	if (r > 0)
		plan_add(p, base, "-key.enc", s, len, 1, 0600);
	if (pick(p, map, "csr", "certificate_request", base, ".csr", 0644, err) < 0)
		return -1;

	const json_t *result = json_object_get(map, "result");
	const json_t *bundle = json_is_object(result) ? json_object_get(result, "bundle") : NULL;
	if (json_is_object(bundle)) {
		const json_t *b = json_object_get(bundle, "bundle");
		const json_t *root = json_object_get(bundle, "root");
		if (!json_is_string(b))
			return cf_error_set(err, CF_ERR_PLAIN, "inner bundle parsing failed!");
		if (!json_is_string(root))
			return cf_error_set(err, CF_ERR_PLAIN, "root parsing failed!");
		struct output *o = plan_add(p, base, "-bundle.pem", NULL, 0, 0, 0644);
		cf_buf_add(&o->own, json_string_value(b), json_string_length(b));
		cf_buf_addc(&o->own, '\n');
		cf_buf_add(&o->own, json_string_value(root), json_string_length(root));
		o->data = o->own.data;
		o->len = o->own.len;
		plan_add(p, base, "-root.pem", json_string_value(root), json_string_length(root), 0,
			 0644);
	}

	r = get_key(map, "ocspResponse", &s, &len, err);
	if (r < 0)
		return -1;
	if (r > 0) {
		struct cf_buf der = CF_BUF_INIT;
		size_t bad = 0;
		if (cf_base64_decode((const unsigned char *)s, len, &der, &bad) < 0) {
			cf_buf_release(&der);
			return cf_error_set(err, CF_ERR_PLAIN,
					    "Failed to parse ocspResponse: "
					    "illegal base64 data at input byte %zu",
					    bad);
		}
		struct output *o = plan_add(p, base, "-response.der", NULL, 0, 1, 0644);
		o->own = der;
		o->data = der.data;
		o->len = der.len;
	}
	return 0;
}

static void print_err(const struct cf_error *err)
{
	fprintf(stderr, "%s\n", err->msg);
}

/* stdout is checked before exit: a failed write must not look like success. */
static int finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno ? errno : EIO;
		char tmp[128];
		snprintf(tmp, sizeof tmp, "%s", strerror(e));
		if (tmp[0] >= 'A' && tmp[0] <= 'Z')
			tmp[0] = (char)(tmp[0] - 'A' + 'a');
		fprintf(stderr, "write /dev/stdout: %s\n", tmp);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cf_error herr = {0};
	/* Before any key is read: no core dump, no ptrace by the same user. */
	if (cf_process_harden(&herr) < 0) {
		print_err(&herr);
		return 1;
	}
	/* A reader that went away is a failed write (exit 1), not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	/* No temporary key file outlives a SIGINT, SIGTERM or SIGHUP; beyond ulimit -f a write
	 * fails (exit 1) instead of killing the process. */
	cf_fileio_guard_signals();
	struct cf_flag_value vals[F_COUNT];
	struct cf_error err = {0};
	struct cf_buf in = CF_BUF_INIT;
	struct envelope env = {0};
	struct plan plan = {.n = 0};
	json_t *doc = NULL;
	const json_t *map = NULL;
	int npos = 0;
	char **pos = NULL;
	int ret = 1;

	json_set_alloc_funcs(wiping_malloc, wiping_free);

	const char *argv0 = argc > 0 ? argv[0] : "cfssljson";
	switch (cf_flags_parse(flag_defs, F_COUNT, vals, argc > 0 ? argc - 1 : 0,
			       argc > 0 ? argv + 1 : argv, &npos, &pos, &err)) {
	case CF_FLAGS_OK: break;
	case CF_FLAGS_HELP: usage(argv0); return 0;
	case CF_FLAGS_ERROR:
	default:
		print_err(&err);
		usage(argv0);
		return 2;
	}

	if (vals[F_VERSION].b) {
		fputs("Version: dev\nRuntime: cfssl-c\n", stdout);
		return finish_stdout();
	}
	const char *base = npos > 0 ? pos[0] : "cert";

	if (cf_read_file(vals[F_F].str, &in, &err) < 0) {
		fprintf(stderr, "Failed to read input: %s\n", err.msg);
		goto out;
	}
	doc = cf_gojson_parse((const char *)(in.data ? in.data : (const unsigned char *)""), in.len,
			      &err);
	if (!doc) {
		fprintf(stderr, "Failed to parse input: %s\n", err.msg);
		goto out;
	}

	if (vals[F_BARE].b) {
		if (!json_is_null(doc) && !json_is_object(doc)) {
			fprintf(stderr,
				"Failed to parse input: json: cannot unmarshal %s into Go value "
				"of type map[string]interface {}\n",
				cf_gojson_kind(doc));
			goto out;
		}
		map = json_is_object(doc) ? doc : NULL;
	} else {
		if (decode_envelope(doc, &env, &err) < 0) {
			fprintf(stderr, "Failed to parse input: %s\n", err.msg);
			goto out;
		}
		if (!env.success) {
			fputs("Request failed:\n", stderr);
			for (size_t i = 0; i < env.nerrors; i++) {
				fputc('\t', stderr);
				if (env.errors[i].len)
					fwrite(env.errors[i].text, 1, env.errors[i].len, stderr);
				fputc('\n', stderr);
			}
			goto out;
		}
		map = env.result;
	}

	if (make_plan(&plan, map, base, &err) < 0) {
		print_err(&err);
		goto out;
	}

	if (vals[F_STDOUT].b) {
		for (int i = 0; i < plan.n; i++) {
			const struct output *o = &plan.out[i];
			if (o->binary) {
				struct cf_buf enc = CF_BUF_INIT;
				cf_base64_encode(&enc, o->data, o->len);
				if (enc.len)
					fwrite(enc.data, 1, enc.len, stdout);
				cf_buf_release(&enc);
			} else if (o->len) {
				fwrite(o->data, 1, o->len, stdout);
			}
			fputc('\n', stdout);
		}
		ret = finish_stdout();
		goto out;
	}

	for (int i = 0; i < plan.n; i++) {
		const struct output *o = &plan.out[i];
		if (cf_write_file_atomic(o->name, o->data, o->len, o->mode, &err) < 0) {
			print_err(&err);
			goto out;
		}
	}
	ret = 0;
out:
	plan_release(&plan);
	free(env.errors);
	json_decref(env.result);
	json_decref(doc);
	cf_buf_release(&in);
	return ret;
}
