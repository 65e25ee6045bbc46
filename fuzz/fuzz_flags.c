/* Command-line parsing with cfssl's own 58-flag table: the input is split
 * at NUL bytes into arguments. Also Go's strconv.ParseBool/ParseInt on each
 * argument and the usage line of every flag. */
#include <stdint.h>

#include "cli.h"
#include "flags.h"
#include "fuzz.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_cstr(data, size);
	char *argv[MAX_ARGS + 1];
	int argc = 0;
	for (size_t i = 0; i <= size && argc < MAX_ARGS;) {
		argv[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	argv[argc] = NULL;

	struct cf_flag_value vals[F_COUNT];
	struct cf_error err = {0};
	int npos = 0;
	char **pos = NULL;
	enum cf_flags_result r =
		cf_flags_parse(cfssl_flags, F_COUNT, vals, argc, argv, &npos, &pos, &err);
	if (r == CF_FLAGS_OK) {
		/* the positionals are the tail of argv */
		if (npos < 0 || npos > argc || (npos > 0 && pos != argv + argc - npos))
			abort();
		for (int i = 0; i < F_COUNT; i++) {
			if (cfssl_flags[i].type == CF_FLAG_STRING && !vals[i].str)
				abort();
			if (vals[i].str)
				fuzz_touch(vals[i].str, strlen(vals[i].str));
		}
	} else if (r == CF_FLAGS_ERROR && !err.set) {
		abort();
	}

	for (int i = 0; i < argc; i++) {
		int b;
		long long v;
		(void)cf_parse_bool(argv[i], &b);
		(void)cf_parse_int(argv[i], &v);
		(void)cf_flags_find(cfssl_flags, F_COUNT, argv[i]);
	}

	struct cf_buf usage = CF_BUF_INIT;
	cf_flags_usage_line(&usage, &cfssl_flags[size % F_COUNT]);
	cf_buf_release(&usage);
	free(copy);
	return 0;
}
