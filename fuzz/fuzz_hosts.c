/* Host classification (-hostname, "hosts"): the three Go parsers one by one
 * and the classifier that chains them. */
#include <stdint.h>

#include "fuzz.h"
#include "hosts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	unsigned char ip[16];
	int iplen = 0;
	if (cf_parse_ip(s, ip, &iplen) == 0 && iplen != 4 && iplen != 16)
		abort();

	char *out = NULL;
	if (cf_parse_mail(s, &out) == 0) {
		fuzz_touch(out, strlen(out));
		free(out);
	}
	out = NULL;
	if (cf_parse_request_uri(s, &out) == 0) {
		fuzz_touch(out, strlen(out));
		free(out);
	}

	struct cf_host h;
	struct cf_error err = {0};
	if (cf_host_classify(s, &h, &err) == 0) {
		if (!h.value)
			abort();
		fuzz_touch(h.value, strlen(h.value));
		if (h.kind == CF_HOST_IP && h.iplen != 4 && h.iplen != 16)
			abort();
		cf_host_release(&h);
	} else if (!err.set || h.value) {
		abort();
	}
	free(s);
	return 0;
}
