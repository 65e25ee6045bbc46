/* cfssl selfsign: a new key, CSR and a certificate signed by that key
 * (§12.4), built as cfssl's selfsign package fills Go's x509 template. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "cli.h"
#include "config.h"
#include "der.h"
#include "genkey.h"
#include "log.h"
#include "ops.h"
#include "pem.h"
#include "signer.h"

#define NS_PER_SEC  1000000000LL
#define NS_PER_HOUR (3600 * NS_PER_SEC)

static const char banner[] = "*** WARNING ***\n"
			     "\n"
			     "Self-signed certificates are dangerous. Use this self-signed\n"
			     "certificate at your own risk.\n"
			     "\n"
			     "It is strongly recommended that these certificates NOT be used\n"
			     "in production.\n"
			     "\n"
			     "*** WARNING ***\n"
			     "\n";

/* A uniform random integer in [0, 2^63 - 1) as Go's rand.Int(MaxInt64),
 * big-endian without leading zero bytes (at least one byte). */
static int random_serial(unsigned char s[8], size_t *len)
{
	static const unsigned char max[8] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	do {
		if (gnutls_rnd(GNUTLS_RND_NONCE, s, 8) < 0)
			return -1;
		s[0] &= 0x7f;
	} while (memcmp(s, max, 8) == 0);
	size_t skip = 0;
	while (skip < 7 && s[skip] == 0)
		skip++;
	memmove(s, s + skip, 8 - skip);
	*len = 8 - skip;
	return 0;
}

/* The TLVs of the content of the next element of @r, which must have @tag. */
static int enter(struct cf_der_reader *r, unsigned tag, struct cf_der_reader *in,
		 struct cf_der_tlv *t)
{
	if (cf_der_next(r, t) != 1 || t->tag != tag)
		return -1;
	in->p = t->content;
	in->len = t->len;
	return 0;
}

/* The raw subject Name and the requested extensions (the Extension
 * elements of its extensionRequest attributes, concatenated, as Go's
 * CertificateRequest.Extensions) of the PKCS#10 request @der. */
static int csr_parts(const unsigned char *der, size_t len, struct cf_der_tlv *subject,
		     struct cf_buf *exts)
{
	static const unsigned char ext_req[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
						0xf7, 0x0d, 0x01, 0x09, 0x0e};
	struct cf_der_reader top = {der, len}, csr, info, attrs;
	struct cf_der_tlv t;
	if (enter(&top, CF_DER_SEQUENCE, &csr, &t) < 0 ||
	    enter(&csr, CF_DER_SEQUENCE, &info, &t) < 0 || cf_der_next(&info, &t) != 1 ||
	    cf_der_next(&info, subject) != 1 || subject->tag != CF_DER_SEQUENCE ||
	    cf_der_next(&info, &t) != 1 || enter(&info, 0xa0, &attrs, &t) < 0)
		return -1;
	struct cf_der_reader attr, set, list;
	while (enter(&attrs, CF_DER_SEQUENCE, &attr, &t) == 0) {
		struct cf_der_tlv oid;
		if (cf_der_next(&attr, &oid) != 1)
			return -1;
		if (oid.rawlen != sizeof ext_req || memcmp(oid.raw, ext_req, sizeof ext_req) != 0)
			continue;
		if (enter(&attr, CF_DER_SET, &set, &t) < 0 ||
		    enter(&set, CF_DER_SEQUENCE, &list, &t) < 0)
			return -1;
		cf_buf_add(exts, list.p, list.len);
	}
	return 0;
}

/* The attribute types Go's pkix.Name keeps, in the order it writes them;
 * the last two hold one value (the last one read), the others a list. */
static const unsigned char name_types[] = {6, 8, 7, 9, 17, 10, 11, 3, 5};
#define NTYPES  (sizeof name_types)
#define NLISTED 7

struct name_value {
	const unsigned char *p;
	size_t len;
};

static int atv_cmp(const void *a, const void *b)
{
	const struct cf_buf *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->data, y->data, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* One RDN: the AttributeTypeAndValues of type 2.5.4.@type, DER-sorted. */
static void put_rdn(struct cf_buf *name, unsigned char type, const struct name_value *v, size_t n)
{
	struct cf_buf *atvs = cf_xcalloc(n, sizeof *atvs);
	for (size_t i = 0; i < n; i++) {
		struct cf_buf c = CF_BUF_INIT;
		const unsigned char oid[] = {0x55, 0x04, type};
		cf_der_tlv(&c, CF_DER_OID, oid, sizeof oid);
		cf_der_go_string(&c, (const char *)v[i].p, v[i].len);
		cf_der_wrap(&atvs[i], CF_DER_SEQUENCE, &c);
	}
	qsort(atvs, n, sizeof *atvs, atv_cmp);
	struct cf_buf set = CF_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		cf_buf_add(&set, atvs[i].data, atvs[i].len);
		cf_buf_release(&atvs[i]);
	}
	free(atvs);
	cf_der_wrap(name, CF_DER_SET, &set);
}

/* The subject as Go writes the parsed request's pkix.Name: the standard
 * string attributes collected by type and written in pkix.Name's order;
 * every other attribute is not kept (no ExtraNames on this path). */
static int reencode_subject(const struct cf_der_tlv *subject, struct cf_buf *out)
{
	struct name_value *vals[NTYPES] = {0};
	size_t nvals[NTYPES] = {0};
	struct cf_der_reader rdns = {subject->content, subject->len}, rdn, atv;
	struct cf_der_tlv t, oid, value;
	int ret = -1;
	while (enter(&rdns, CF_DER_SET, &rdn, &t) == 0) {
		while (enter(&rdn, CF_DER_SEQUENCE, &atv, &t) == 0) {
			if (cf_der_next(&atv, &oid) != 1 || cf_der_next(&atv, &value) != 1)
				goto out;
			int is_string = value.tag == CF_DER_UTF8STRING ||
					value.tag == CF_DER_PRINTABLESTRING ||
					value.tag == CF_DER_IA5STRING;
			if (!is_string || oid.tag != CF_DER_OID || oid.len != 3 ||
			    oid.content[0] != 0x55 || oid.content[1] != 0x04)
				continue;
			for (size_t i = 0; i < NTYPES; i++) {
				if (oid.content[2] != name_types[i])
					continue;
				size_t k = i < NLISTED ? nvals[i]++ : (nvals[i] = 1) - 1;
				vals[i] = cf_xrealloc(vals[i], (k + 1) * sizeof *vals[i]);
				vals[i][k] = (struct name_value){value.content, value.len};
			}
		}
	}
	struct cf_buf name = CF_BUF_INIT;
	for (size_t i = 0; i < NTYPES; i++) {
		/* Go omits an empty CN or serialNumber, but not an empty list member */
		if (nvals[i] && (i < NLISTED || vals[i][0].len))
			put_rdn(&name, name_types[i], vals[i], nvals[i]);
	}
	cf_der_wrap(out, CF_DER_SEQUENCE, &name);
	ret = 0;
out:
	for (size_t i = 0; i < NTYPES; i++)
		free(vals[i]);
	return ret;
}

/* The profile cfssl's selfsign reads: usages, expiry (0 = 2190h), the CA
 * flag (no path length) and issuer URLs; nothing else of it is used. */
static void selfsign_profile(const struct cf_profile *src, struct cf_profile *p)
{
	memset(p, 0, sizeof *p);
	p->usages = src->usages;
	p->nusages = src->nusages;
	p->expiry = src->expiry ? src->expiry : 2190 * NS_PER_HOUR;
	p->is_ca = src->is_ca;
	p->issuer_urls = src->issuer_urls;
	p->nissuer_urls = src->nissuer_urls;
}

static int self_sign(struct cfssl_ctx *ctx, const struct cf_key *key, const struct cf_buf *csr_pem,
		     struct cf_buf *cert_pem)
{
	struct cf_error *err = ctx->err;
	const char *profile_name = ctx->flags[F_PROFILE].str;
	struct cf_config *defconf = NULL;
	const struct cf_profile *src;
	int found;
	if (ctx->config) {
		src = cf_config_profile(ctx->config, profile_name, &found);
	} else {
		/* without -config cfssl takes its built-in default whatever -profile says */
		defconf = cf_config_default();
		defconf->def.expiry = 2190 * NS_PER_HOUR;
		src = cf_config_profile(defconf, profile_name, &found);
	}
	if (*profile_name && !found)
		cf_warning("profile \"%s\" not found, using the default profile", profile_name);
	struct cf_profile p;
	selfsign_profile(src, &p);

	int ret = -1;
	struct cf_pem_block blk = {0};
	struct cf_buf exts = CF_BUF_INIT, spki = CF_BUF_INIT, der = CF_BUF_INIT;
	struct cf_buf serial_dec = CF_BUF_INIT;
	struct cf_ca self = {0};
	struct cf_der_tlv subject;
	if (cf_pem_decode((const char *)csr_pem->data, csr_pem->len, &blk, NULL, NULL) != 1 ||
	    csr_parts(blk.der, blk.len, &subject, &exts) < 0 ||
	    reencode_subject(&subject, &self.subject) < 0) {
		cf_error_set(err, CF_ERR_CSR_PARSE, "CSR Parsing failed");
		goto out;
	}
	if (cf_key_spki(key, &spki, err) < 0)
		goto out;
	unsigned char serial[8];
	size_t serial_len;
	if (random_serial(serial, &serial_len) < 0) {
		cf_error_set(err, CF_ERR_CERT_UNKNOWN, "failed to generate a serial number");
		goto out;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct cf_time now = {(int64_t)ts.tv_sec, (int32_t)ts.tv_nsec};
	self.key = *key; /* borrowed: self is not released with cf_ca_release */
	struct cf_cert_template t = {
		.subject = self.subject.data,
		.subject_len = self.subject.len,
		.spki = spki.data,
		.spki_len = spki.len,
		.profile = &p,
		.serial = serial,
		.serial_len = serial_len,
		.fixed_validity = 1,
		.not_before = cf_time_add(now, -5 * 60 * NS_PER_SEC),
		.not_after = cf_time_add(now, p.expiry),
		.no_aki = 1,
		/* the request's SAN, basicConstraints and other extensions, as they are */
		.extra_exts = exts.data,
		.extra_exts_len = exts.len,
	};
	if (cf_sign_certificate(&t, &self, &der, &serial_dec, err) < 0)
		goto out;
	cf_pem_encode(cert_pem, "CERTIFICATE", der.data, der.len);
	ret = 0;
out:
	cf_config_free(defconf);
	cf_pem_block_release(&blk);
	cf_buf_release(&self.subject);
	cf_buf_release(&exts);
	cf_buf_release(&spki);
	cf_buf_release(&der);
	cf_buf_release(&serial_dec);
	return ret;
}

int cmd_selfsign(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	int i = 0;
	/* HOSTNAME is taken off the arguments but never used; with -hostname
	 * or -initca it is not expected (and neither flag does anything else). */
	if (!*f[F_HOSTNAME].str && !f[F_INITCA].b)
		i++;
	if (ctx->npos < i + 1)
		return cf_error_set(
			err, CF_ERR_PLAIN,
			"not enough arguments are supplied --- please refer to the usage");
	if (ctx->npos > i + 1)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "too many arguments are provided, please check with usage");

	struct cf_csr_request req;
	int r = cf_csr_request_load(ctx->pos[i], &req, err);
	if (r < 0) {
		cf_csr_request_release(&req);
		return -1;
	}
	/* a "ca" block is allowed: its basicConstraints travels in the CSR */
	struct cf_newkey_result res;
	struct cf_buf cert = CF_BUF_INIT;
	genkey_log_request(&req);
	r = cf_op_newkey(&req, &res, err);
	if (r == 0)
		r = self_sign(ctx, &res.key, &res.csr, &cert);
	if (r == 0) {
		/* plain text on stderr, not a log record: -loglevel does not hide it */
		fputs(banner, stderr);
		fflush(stderr);
		genkey_put_output(ctx->out, &cert, &res.csr, &res.key_pem);
	}
	cf_newkey_result_release(&res);
	cf_buf_release(&cert);
	cf_csr_request_release(&req);
	return r;
}
