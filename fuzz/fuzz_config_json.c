/* The signing configuration (-config): cf_config_load reads a path, so the
 * input goes into a memory file named by /proc/self/fd. Every profile found
 * is then queried as the signer does. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

static int memfd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	memfd = memfd_create("config", MFD_CLOEXEC);
	if (memfd < 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
	return 0;
}

static void query(const struct cf_profile *p)
{
	const char *oids[16];
	(void)cf_profile_key_usage(p);
	size_t total = cf_profile_ext_key_usage(p, oids, 16);
	for (size_t i = 0; i < total && i < 16; i++)
		fuzz_touch(oids[i], strlen(oids[i]));
	if (p->expiry_str)
		fuzz_touch(p->expiry_str, strlen(p->expiry_str));
	for (size_t i = 0; i < p->nusages; i++)
		fuzz_touch(p->usages[i], strlen(p->usages[i]));
	for (size_t i = 0; i < p->nissuer_urls; i++)
		fuzz_touch(p->issuer_urls[i], strlen(p->issuer_urls[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(memfd, 0) < 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
		abort();

	struct cf_config *c = NULL;
	struct cf_error err = {0};
	if (cf_config_load(path, &c, &err) < 0) {
		if (!err.set)
			abort(); /* a failure must say why */
		return 0;
	}
	query(&c->def);
	for (size_t i = 0; i < c->nprofiles; i++) {
		int found = 0;
		const struct cf_profile *p = cf_config_profile(c, c->profiles[i].name, &found);
		if (!found)
			abort();
		query(p);
	}
	cf_config_free(c);
	return 0;
}
