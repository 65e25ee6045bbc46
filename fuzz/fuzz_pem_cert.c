/* CA certificate loading (-ca): the PEM reader over every block of the
 * input, the certificate parser, and the DER reader walking both the
 * decoded blocks and the raw input as DER. */
#include <stdint.h>

#include <gnutls/x509.h>

#include "der.h"
#include "fuzz.h"
#include "pem.h"

/* Deep enough for any certificate; bounded so a crafted input cannot
 * exhaust the fuzzer's stack rather than the reader's. */
#define MAX_WALK_DEPTH 64

static void walk(const unsigned char *p, size_t len, int depth)
{
	struct cf_der_reader r = {p, len};
	struct cf_der_tlv t;
	int rc;
	while ((rc = cf_der_next(&r, &t)) == 1) {
		if (t.content < p || t.content + t.len > p + len || t.raw < p ||
		    t.raw + t.rawlen > p + len)
			abort(); /* a TLV outside the buffer it came from */
		fuzz_touch(t.content, t.len);
		if ((t.tag & 0x20) && depth < MAX_WALK_DEPTH)
			walk(t.content, t.len, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_error err = {0};
	gnutls_x509_crt_t crt = NULL;
	if (cf_parse_cert_pem(data, size, &crt, &err) == 0) {
		if (!crt)
			abort();
		gnutls_x509_crt_deinit(crt);
	} else if (!err.set) {
		abort();
	}

	const char *p = (const char *)data;
	size_t n = size;
	struct cf_pem_block blk;
	const char *rest;
	size_t restlen;
	while (cf_pem_decode(p, n, &blk, &rest, &restlen) == 1) {
		if (blk.type)
			fuzz_touch(blk.type, strlen(blk.type));
		walk(blk.der, blk.len, 0);
		cf_pem_block_release(&blk);
		if (rest < p || restlen >= n || rest + restlen != p + n)
			abort(); /* no progress, or a rest outside the input */
		p = rest;
		n = restlen;
	}

	walk(data, size, 0);
	return 0;
}
