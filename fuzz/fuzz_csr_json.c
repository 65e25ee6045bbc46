/* The CSR JSON document (gencert, genkey, gencsr, -initca): decoding, host
 * classification, the subject and SAN DER built from it, the key request
 * check (without generating a key) and the CA duration fields. */
#include <stdint.h>

#include "csr.h"
#include "duration.h"
#include "fuzz.h"
#include "keygen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_csr_request req;
	struct cf_error err = {0};

	if (cf_csr_request_parse((const char *)data, size, &req, &err) < 0) {
		cf_csr_request_release(&req);
		return 0;
	}

	struct cf_error e = {0};
	struct cf_host *hosts = NULL;
	size_t n = 0;
	if (cf_csr_hosts(&req, &hosts, &n, &e) == 0) {
		struct cf_buf san = CF_BUF_INIT;
		cf_san_der(hosts, n, 0, &san);
		cf_san_der(hosts, n, 1, &san);
		fuzz_touch(san.data, san.len);
		cf_buf_release(&san);
		cf_hosts_free(hosts, n);
	}

	(void)cf_csr_request_has_subject(&req);
	struct cf_buf subject = CF_BUF_INIT;
	cf_error_clear(&e);
	if (cf_csr_subject_der(&req, &subject, &e) == 0)
		fuzz_touch(subject.data, subject.len);
	cf_buf_release(&subject);

	cf_error_clear(&e);
	(void)cf_key_check_request(req.algo, req.size, &e);

	int64_t ns;
	if (req.ca_expiry) {
		cf_error_clear(&e);
		(void)cf_duration_parse(req.ca_expiry, &ns, &e);
	}
	if (req.ca_backdate) {
		cf_error_clear(&e);
		(void)cf_duration_parse(req.ca_backdate, &ns, &e);
	}

	/* -hostname replaces the hosts; the document's own bytes make a list. */
	char *list = fuzz_cstr(data, size > 256 ? 256 : size);
	cf_csr_request_set_hostname(&req, list);
	free(list);
	cf_error_clear(&e);
	if (cf_csr_hosts(&req, &hosts, &n, &e) == 0)
		cf_hosts_free(hosts, n);

	cf_csr_request_release(&req);
	return 0;
}
