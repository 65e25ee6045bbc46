/* cfssljson's input handling: the JSON document, the API envelope and the
 * plan of output files, as cfssljson-c/main.c does them. The binary's
 * source is compiled in (its main renamed) so that the fuzzer exercises the
 * very static functions the binary runs, without writing any file. */
#define main cfssljson_main
#include "../cfssljson-c/main.c"
#undef main

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* as cfssljson-c's main installs it */
	json_set_alloc_funcs(wiping_malloc, wiping_free);
	return 0;
}

/* What -stdout would print, without printing it. */
static void run_plan(const json_t *map)
{
	struct plan plan = {.n = 0};
	struct cf_error err = {0};
	if (make_plan(&plan, map, "out", &err) == 0) {
		for (int i = 0; i < plan.n; i++) {
			const struct output *o = &plan.out[i];
			fuzz_touch(o->name, strlen(o->name));
			fuzz_touch(o->data, o->len);
			if (o->binary) {
				struct cf_buf enc = CF_BUF_INIT;
				cf_base64_encode(&enc, o->data, o->len);
				cf_buf_release(&enc);
			}
		}
	} else if (!err.set) {
		abort();
	}
	plan_release(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_error err = {0};
	json_t *doc = cf_gojson_parse((const char *)data, size, &err);
	if (!doc) {
		if (!err.set)
			abort();
		return 0;
	}

	/* -bare */
	if (json_is_object(doc))
		run_plan(doc);

	/* the API envelope */
	struct envelope env = {0};
	cf_error_clear(&err);
	if (decode_envelope(doc, &env, &err) == 0) {
		for (size_t i = 0; i < env.nerrors; i++)
			fuzz_touch(env.errors[i].text, env.errors[i].len);
		if (env.success)
			run_plan(env.result);
	}
	free(env.errors);
	json_decref(env.result);
	json_decref(doc);
	return 0;
}
