/* CA certificate loading (-ca): the PEM reader over every block of the
 * input, the certificate parser, the DER reader walking both the decoded
 * blocks and the raw input as DER, and the strict certificate reader the CA
 * loader tries first, checked against GnuTLS on every input it accepts. */
#include <stdint.h>

#include <gnutls/x509.h>

#include "certview.h"
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

/* Whatever cf_cert_view_parse accepts, GnuTLS must parse to the same subject, validity and
 * basicConstraints: the CA loader trusts the view in place of GnuTLS. */
static void view_vs_gnutls(const unsigned char *der, size_t len)
{
	struct cf_cert_view v;
	if (cf_cert_view_parse(der, len, &v) < 0)
		return;
	if (v.subject < der || v.subject + v.subject_len > der + len || v.spki < der ||
	    v.spki + v.spki_len > der + len ||
	    (v.ski && (v.ski < der || v.ski + v.ski_len > der + len)))
		abort();
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len}, dn = {NULL, 0};
	if (len > 0xffffffffu || gnutls_x509_crt_init(&crt) < 0)
		return;
	if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0)
		abort(); /* the view took what GnuTLS refuses */
	if (gnutls_x509_crt_get_raw_dn(crt, &dn) < 0 || dn.size != v.subject_len ||
	    memcmp(dn.data, v.subject, dn.size) != 0)
		abort();
	gnutls_free(dn.data);
	time_t na = gnutls_x509_crt_get_expiration_time(crt);
	if (na != (time_t)-1 && (int64_t)na != v.not_after)
		abort();
	unsigned crit = 0, ca = 0;
	int pathlen = -1;
	int bc = gnutls_x509_crt_get_basic_constraints(crt, &crit, &ca, &pathlen);
	if ((bc >= 0) != v.has_bc || (bc >= 0 && ((ca != 0) != v.bc_ca || pathlen != v.bc_pathlen)))
		abort();
	unsigned char ski[64];
	size_t sl = sizeof ski;
	int s = gnutls_x509_crt_get_subject_key_id(crt, ski, &sl, &crit);
	if (v.ski && v.ski_len <= sizeof ski &&
	    (s < 0 || sl != v.ski_len || memcmp(ski, v.ski, sl) != 0))
		abort();
	if (!v.ski && s >= 0)
		abort();
	gnutls_x509_crt_deinit(crt);
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
		view_vs_gnutls(blk.der, blk.len);
		cf_pem_block_release(&blk);
		if (rest < p || restlen >= n || rest + restlen != p + n)
			abort(); /* no progress, or a rest outside the input */
		p = rest;
		n = restlen;
	}

	walk(data, size, 0);
	view_vs_gnutls(data, size);
	return 0;
}
