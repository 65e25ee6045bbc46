/* PKCS#10 requests for sign: the PEM and the DER parser (self-signature,
 * extensions, SANs), the subject re-encoded as the signer writes it, the
 * subject name reader on the raw input, and the parser's fast pass held to
 * the results of its full pass through GnuTLS. */
#include <stdint.h>

#include "csrparse.h"
#include "fuzz.h"

static void use_info(const struct cf_csr_info *info)
{
	struct cf_buf name = CF_BUF_INIT;
	struct cf_error err = {0};
	(void)cf_name_der(info->attrs, info->nattrs, &name, &err);
	cf_buf_release(&name);
	for (size_t i = 0; i < info->nattrs; i++)
		fuzz_touch(info->attrs[i].value, info->attrs[i].len);
	for (size_t i = 0; i < info->nhosts; i++)
		fuzz_touch(info->hosts[i].value, strlen(info->hosts[i].value));
	fuzz_touch(info->spki.data, info->spki.len);
	fuzz_touch(info->copy_all.data, info->copy_all.len);
	fuzz_touch(info->copy_delegation.data, info->copy_delegation.len);
	(void)cf_name_attrs_last(info->attrs, info->nattrs, "2.5.4.3");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_csr_info info;
	struct cf_error err = {0};

	memset(&info, 0, sizeof info);
	if (cf_csrparse_pem(data, size, &info, &err) == 0)
		use_info(&info);
	else if (!err.set)
		abort();
	cf_csrparse_release(&info);

	memset(&info, 0, sizeof info);
	cf_error_clear(&err);
	int fast = cf_csrparse_der(data, size, &info, &err);
	if (fast == 0)
		use_info(&info);
	else if (!err.set)
		abort();
	struct cf_csr_info full;
	struct cf_error ferr = {0};
	int slow = cf_csrparse_der_full(data, size, &full, &ferr);
	if (fast != slow || (fast < 0 && (err.code != ferr.code || strcmp(err.msg, ferr.msg))))
		abort(); /* the two passes disagree */
	if (fast == 0 &&
	    (info.spki.len != full.spki.len ||
	     memcmp(info.spki.data, full.spki.data, info.spki.len) || info.nattrs != full.nattrs ||
	     info.nhosts != full.nhosts || info.has_bc != full.has_bc || info.is_ca != full.is_ca ||
	     info.pathlen != full.pathlen || info.delegation != full.delegation ||
	     info.withheld != full.withheld || info.copy_all.len != full.copy_all.len ||
	     (info.copy_all.len &&
	      memcmp(info.copy_all.data, full.copy_all.data, info.copy_all.len))))
		abort();
	cf_csrparse_release(&full);
	cf_csrparse_release(&info);

	struct cf_name_attr *attrs = NULL;
	size_t n = 0;
	cf_error_clear(&err);
	if (cf_csrparse_name(data, size, &attrs, &n, &err) == 0) {
		struct cf_buf name = CF_BUF_INIT;
		(void)cf_name_der(attrs, n, &name, &err);
		cf_buf_release(&name);
		cf_name_attrs_free(attrs, n);
	}
	return 0;
}
