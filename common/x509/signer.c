#include "signer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "bigint.h"
#include "cfregex.h"
#include "csr.h"
#include "der.h"
#include "keyproc.h"
#include "log.h"
#include "pem.h"

#define NS_PER_SEC 1000000000LL
#define NS_PER_MIN (60 * NS_PER_SEC)

void cf_ca_release(struct cf_ca *ca)
{
	if (!ca)
		return;
	cf_key_release(&ca->key);
	cf_buf_release(&ca->subject);
	cf_buf_release(&ca->cert_der);
	free(ca->cert_name);
	memset(ca, 0, sizeof *ca);
}

/* The CA certificate's parts the signer uses, and its public key and notAfter for the checks:
 * by the strict DER reader when the file is plain, else by GnuTLS, whose parser then also
 * decides the errors (§4.3). */
/* What deviation 6 warns about in a CA certificate. */
struct ca_facts {
	int version; /* 1 to 3 */
	int has_ku, ku_cert_sign;
};

static int ca_cert_fields(const struct cf_buf *certdata, struct cf_ca *ca, struct cf_buf *spki,
			  struct ca_facts *facts, struct cf_error *err)
{
	struct cf_pem_block blk;
	struct cf_cert_view v;
	if (cf_cert_pem_view(certdata->data, certdata->len, &blk, &v) == 0) {
		cf_buf_add(&ca->subject, v.subject, v.subject_len);
		cf_buf_add(&ca->cert_der, blk.der, blk.len);
		if (v.ski && v.ski_len <= sizeof ca->ski) {
			memcpy(ca->ski, v.ski, v.ski_len);
			ca->ski_len = v.ski_len;
		}
		ca->has_bc = v.has_bc;
		ca->bc_ca = v.bc_ca;
		ca->bc_pathlen = v.bc_pathlen;
		ca->not_before = v.not_before;
		ca->not_after = v.not_after;
		facts->version = v.version + 1;
		facts->has_ku = v.has_ku;
		facts->ku_cert_sign = v.ku_cert_sign;
		int r = 0;
		if (cf_spki_is_canonical(v.spki, v.spki_len))
			cf_buf_add(spki, v.spki, v.spki_len);
		else
			r = -2; /* GnuTLS re-encodes the key below */
		cf_pem_block_release(&blk);
		if (r == 0)
			return 0;
		cf_buf_release(&ca->subject);
		cf_buf_release(&ca->cert_der);
	}

	gnutls_x509_crt_t crt = NULL;
	if (cf_parse_cert_pem(certdata->data, certdata->len, &crt, err) < 0)
		return -1;
	int ret = -1;
	gnutls_datum_t dn = {NULL, 0};
	unsigned critical = 0, is_ca = 0;
	int pathlen = -1;
	if (gnutls_x509_crt_get_basic_constraints(crt, &critical, &is_ca, &pathlen) >= 0) {
		ca->has_bc = 1;
		ca->bc_ca = is_ca != 0;
		ca->bc_pathlen = pathlen;
	} else {
		ca->has_bc = ca->bc_ca = 0;
		ca->bc_pathlen = -1;
	}
	/* GnuTLS gives -1 for 99991231235959Z ("no well-defined expiration") */
	time_t na = gnutls_x509_crt_get_expiration_time(crt);
	ca->not_before = (int64_t)gnutls_x509_crt_get_activation_time(crt);
	ca->not_after = na == (time_t)-1 ? 253402300799LL : (int64_t)na;
	facts->version = gnutls_x509_crt_get_version(crt);
	unsigned ku = 0;
	facts->has_ku = gnutls_x509_crt_get_key_usage(crt, &ku, &critical) >= 0;
	facts->ku_cert_sign = (ku & GNUTLS_KEY_KEY_CERT_SIGN) != 0;
	if (gnutls_x509_crt_get_raw_dn(crt, &dn) < 0) {
		cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
		goto out;
	}
	cf_buf_add(&ca->subject, dn.data, dn.size);
	gnutls_datum_t der = {NULL, 0};
	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) >= 0)
		cf_buf_add(&ca->cert_der, der.data, der.size);
	gnutls_free(der.data);
	size_t sl = sizeof ca->ski;
	ca->ski_len = 0;
	if (gnutls_x509_crt_get_subject_key_id(crt, ca->ski, &sl, &critical) >= 0)
		ca->ski_len = sl;
	if (cf_crt_spki(crt, spki) < 0)
		spki->len = 0; /* cannot match any key */
	ret = 0;
out:
	gnutls_free(dn.data);
	gnutls_x509_crt_deinit(crt);
	return ret;
}

/* UTC "YYYY-MM-DDTHH:MM:SSZ" of Unix seconds @t. */
static void utc_text(int64_t t, char *out, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (!gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, n, "%lld (Unix time)", (long long)t);
}

/* Deviation 6: one line per reason the CA certificate cannot issue what verifies. */
static void warn_ca_problems(const struct cf_ca *ca, const struct ca_facts *f)
{
	const char *name = ca->cert_name;
	if (ca->has_bc && !ca->bc_ca)
		cf_warning("the CA certificate %s says CA:FALSE (basicConstraints): certificates "
			   "it signs will not verify",
			   name);
	else if (!ca->has_bc && f->version >= 3)
		cf_warning("the CA certificate %s has no basicConstraints, so it is no CA: "
			   "certificates it signs will not verify",
			   name);
	if (f->has_ku && !f->ku_cert_sign)
		cf_warning("the CA certificate %s has a keyUsage without certificate signing "
			   "(keyCertSign): certificates it signs will not verify",
			   name);
	int64_t now = (int64_t)time(NULL);
	char when[48];
	if (ca->not_after < now) {
		utc_text(ca->not_after, when, sizeof when);
		cf_warning("the CA certificate %s expired at %s: certificates it signs will not "
			   "verify",
			   name, when);
	}
	if (ca->not_before > now) {
		utc_text(ca->not_before, when, sizeof when);
		cf_warning("the CA certificate %s is not valid before %s: certificates it signs "
			   "will not verify until then",
			   name, when);
	}
}

/* cf_ca_load and cf_ca_load_isolated: with @kp the key is read, parsed and kept by a key
 * process; its errors are held back so that they come in cf_ca_load's order (a key read
 * failure before the certificate's parse errors, a key parse failure after them). */
static int ca_load(const char *cert_spec, const char *key_spec, enum cf_key_format fmt,
		   struct cf_ca *ca, struct cf_keyproc **kp, struct cf_error *err)
{
	memset(ca, 0, sizeof *ca);
	if (kp)
		*kp = NULL;
	struct cf_buf certdata = CF_BUF_INIT, keydata = CF_BUF_INIT;
	struct cf_buf a = CF_BUF_INIT, b = CF_BUF_INIT;
	gnutls_x509_privkey_t xkey = NULL;
	struct ca_facts facts = {0};
	struct cf_error kerr = {0};
	int kret = 0, ret = -1;

	/* cfssl asks for the key's name before it reads the certificate */
	if (!*key_spec) {
		cf_error_set(err, CF_ERR_KEY_UNKNOWN, "Unknown private key error");
		goto out;
	}
	if (cf_read_prefixed(cert_spec, &certdata, err) < 0)
		goto out;
	if (kp) {
		kret = cf_keyproc_start2(key_spec, fmt, kp, &ca->key, &a, &kerr);
		if (kret < 0 && kerr.code == CF_ERR_CERT_READ) {
			cf_error_set(err, kerr.code, "%s", kerr.msg);
			goto out;
		}
	} else if (cf_read_prefixed(key_spec, &keydata, &kerr) < 0) {
		/* cfssl files a key read failure under the certificate category */
		cf_error_set(err, CF_ERR_CERT_READ, "%s", kerr.msg);
		goto out;
	}
	if (ca_cert_fields(&certdata, ca, &b, &facts, err) < 0)
		goto out;
	if (kp) {
		if (kret < 0) {
			cf_error_set(err, kerr.code, "%s", kerr.msg);
			goto out;
		}
	} else if (cf_parse_key_pem(keydata.data, keydata.len, getenv("CFSSL_CA_PK_PASSWORD"),
				    &xkey, err) < 0 ||
		   cf_key_from_x509(xkey, &ca->key, err) < 0) {
		goto out;
	}

	/* Deviation 6: check the pair before anything is generated (the key process sent its
	 * public key with its hello). */
	if ((!kp && cf_key_spki(&ca->key, &a, err) < 0) || b.len == 0 || a.len != b.len ||
	    memcmp(a.data, b.data, a.len) != 0) {
		cf_error_clear(err);
		cf_error_set(err, CF_ERR_CERT_UNKNOWN,
			     "x509: provided PrivateKey doesn't match parent's PublicKey");
		goto out;
	}
	ca->cert_name = cf_xstrdup(cert_spec);
	warn_ca_problems(ca, &facts);
	ret = 0;
out:
	cf_buf_release(&certdata);
	cf_buf_release(&keydata);
	cf_buf_release(&a);
	cf_buf_release(&b);
	if (ret < 0) {
		cf_ca_release(ca);
		if (kp) {
			cf_keyproc_stop(*kp);
			*kp = NULL;
		}
	}
	return ret;
}

int cf_ca_load(const char *cert_spec, const char *key_spec, struct cf_ca *ca, struct cf_error *err)
{
	return ca_load(cert_spec, key_spec, CF_KEY_CA, ca, NULL, err);
}

int cf_ca_load_isolated(const char *cert_spec, const char *key_spec, struct cf_ca *ca,
			struct cf_keyproc **kp, struct cf_error *err)
{
	return ca_load(cert_spec, key_spec, CF_KEY_CA, ca, kp, err);
}

int cf_ca_load_isolated2(const char *cert_spec, const char *key_spec, enum cf_key_format fmt,
			 struct cf_ca *ca, struct cf_keyproc **kp, struct cf_error *err)
{
	return ca_load(cert_spec, key_spec, fmt, ca, kp, err);
}

void cf_validity(const struct cf_profile *p, struct cf_time now, struct cf_time *nb,
		 struct cf_time *na)
{
	int64_t backdate = p->backdate ? p->backdate : 5 * NS_PER_MIN;
	/* Go's -1 * d: the most negative Duration stays itself */
	struct cf_time before = cf_time_add(cf_time_round_minute(now),
					    backdate == INT64_MIN ? INT64_MIN : -backdate);
	if (p->has_not_before)
		before = (struct cf_time){(int64_t)p->not_before, (int32_t)p->not_before_nsec};
	struct cf_time after = cf_time_add(before, p->expiry);
	if (p->has_not_after)
		after = (struct cf_time){(int64_t)p->not_after, (int32_t)p->not_after_nsec};
	*nb = before;
	*na = after;
}

/* Go's asn1 writes years 0 to 9999 (GeneralizedTime outside 1950-2049) and
 * refuses any other. */
static int encodable(struct cf_time t)
{
	static const int64_t first = -62167219200LL; /* 0000-01-01T00:00:00Z */
	static const int64_t end = 253402300800LL;   /* 10000-01-01T00:00:00Z */
	return t.sec >= first && t.sec < end;
}

/* Go leaves out a standard extension when the template's ExtraExtensions carry its OID. */
static int in_extras(const struct cf_cert_template *t, const char *oid)
{
	if (!t->extra_exts_len)
		return 0;
	struct cf_buf o = CF_BUF_INIT;
	cf_der_oid(&o, oid);
	struct cf_der_reader r = {t->extra_exts, t->extra_exts_len};
	struct cf_der_tlv ext, id;
	int found = 0;
	while (!found && cf_der_next(&r, &ext) == 1) {
		struct cf_der_reader in = {ext.content, ext.len};
		found = cf_der_next(&in, &id) == 1 && id.rawlen == o.len &&
			memcmp(id.raw, o.data, o.len) == 0;
	}
	cf_buf_release(&o);
	return found;
}

int cf_ext_ca_managed(const char *oid)
{
	static const char *const managed[] = {
		"2.5.29.19",         /* basicConstraints */
		"2.5.29.14",         /* subjectKeyIdentifier */
		"2.5.29.35",         /* authorityKeyIdentifier */
		"2.5.29.15",         /* keyUsage */
		"2.5.29.37",         /* extKeyUsage */
		"2.5.29.30",         /* nameConstraints */
		"2.5.29.31",         /* cRLDistributionPoints */
		"2.5.29.32",         /* certificatePolicies */
		"2.5.29.36",         /* policyConstraints */
		"1.3.6.1.5.5.7.1.1", /* authorityInfoAccess */
	};
	for (size_t i = 0; i < sizeof managed / sizeof managed[0]; i++)
		if (!strcmp(oid, managed[i]))
			return 1;
	return 0;
}

int cf_policies_der(const struct cf_profile *p, struct cf_buf *out, struct cf_error *err)
{
	struct cf_buf seq = CF_BUF_INIT;
	for (size_t i = 0; i < p->npolicies; i++) {
		const struct cf_policy *pol = &p->policies[i];
		struct cf_buf info = CF_BUF_INIT, quals = CF_BUF_INIT;
		if (!pol->id || cf_der_oid(&info, pol->id) < 0) {
			cf_buf_release(&info);
			cf_buf_release(&seq);
			return cf_error_set(err, CF_ERR_POLICY_INVALID,
					    "Invalid or unknown policy");
		}
		for (size_t j = 0; j < pol->nqualifiers; j++) {
			const struct cf_policy_qualifier *q = &pol->qualifiers[j];
			struct cf_buf pq = CF_BUF_INIT;
			if (!strcmp(q->type, "id-qt-cps")) {
				cf_der_oid(&pq, "1.3.6.1.5.5.7.2.1");
				cf_der_tlv(&pq, CF_DER_IA5STRING, q->value, strlen(q->value));
			} else if (!strcmp(q->type, "id-qt-unotice")) {
				struct cf_buf notice = CF_BUF_INIT;
				cf_der_oid(&pq, "1.3.6.1.5.5.7.2.2");
				cf_der_tlv(&notice, CF_DER_UTF8STRING, q->value, strlen(q->value));
				cf_der_wrap(&pq, CF_DER_SEQUENCE, &notice);
			} else {
				cf_buf_release(&pq);
				cf_buf_release(&quals);
				cf_buf_release(&info);
				cf_buf_release(&seq);
				/* cfssl's text, trailing space included */
				return cf_error_set(err, CF_ERR_POLICY_INVALID,
						    "Invalid qualifier type in Policies ");
			}
			cf_der_wrap(&quals, CF_DER_SEQUENCE, &pq);
		}
		if (quals.len)
			cf_der_wrap(&info, CF_DER_SEQUENCE, &quals);
		else
			cf_buf_release(&quals);
		cf_der_wrap(&seq, CF_DER_SEQUENCE, &info);
	}
	cf_der_wrap(out, CF_DER_SEQUENCE, &seq);
	return 0;
}

/* The dNSName, rfc822Name and URI entries of the subjectAltName extensions
 * among @exts (DER Extension elements), each matched at its full length. */
static int copied_names_match(const struct cf_regex *re, const unsigned char *exts, size_t len)
{
	struct cf_buf o = CF_BUF_INIT;
	cf_der_oid(&o, "2.5.29.17");
	struct cf_der_reader r = {exts, len};
	struct cf_der_tlv ext, f;
	int ok = 1;
	while (ok && cf_der_next(&r, &ext) == 1) {
		struct cf_der_reader in = {ext.content, ext.len};
		if (cf_der_next(&in, &f) != 1 || f.rawlen != o.len || memcmp(f.raw, o.data, o.len))
			continue;
		int rc;
		while ((rc = cf_der_next(&in, &f)) == 1 && f.tag != CF_DER_OCTET_STRING)
			;
		if (rc != 1)
			continue;
		struct cf_der_reader v = {f.content, f.len};
		struct cf_der_tlv seq, gn;
		if (cf_der_next(&v, &seq) != 1 || seq.tag != CF_DER_SEQUENCE)
			continue;
		struct cf_der_reader names = {seq.content, seq.len};
		while (ok && cf_der_next(&names, &gn) == 1)
			if (gn.tag == 0x81 || gn.tag == 0x82 || gn.tag == 0x86)
				ok = cf_regex_match(re, (const char *)gn.content, gn.len);
	}
	cf_buf_release(&o);
	return ok;
}

int cf_profile_check_names(const struct cf_profile *p, const char *cn, size_t cn_len,
			   const struct cf_host *hosts, size_t nhosts, const unsigned char *exts,
			   size_t exts_len, struct cf_error *err)
{
	if (!p->name_whitelist || !*p->name_whitelist)
		return 0;
	struct cf_regex *re = cf_regex_compile(p->name_whitelist);
	if (!re)
		return cf_error_set(err, CF_ERR_POLICY_INVALID,
				    "failed to compile name whitelist section");
	if (cn && !cn_len)
		cn_len = strlen(cn);
	int ok = !cn_len || cf_regex_match(re, cn, cn_len);
	for (size_t i = 0; ok && i < nhosts; i++)
		if (hosts[i].kind != CF_HOST_IP)
			ok = cf_regex_match(re, hosts[i].value, cf_host_len(&hosts[i]));
	if (ok && exts_len)
		ok = copied_names_match(re, exts, exts_len);
	cf_regex_free(re);
	if (!ok)
		return cf_error_set(err, CF_ERR_POLICY_WHITELIST,
				    "Request does not match policy whitelist");
	return 0;
}

int cf_sign_certificate(const struct cf_cert_template *t, const struct cf_ca *ca,
			struct cf_buf *der, struct cf_buf *serial_dec, struct cf_error *err)
{
	const struct cf_profile *p = t->profile;
	unsigned ku = cf_profile_key_usage(p);
	const char *eku[64];
	size_t neku = cf_profile_ext_key_usage(p, eku, 64);
	if (!ku && !neku)
		return cf_error_set(err, CF_ERR_POLICY_NO_USAGE,
				    "Invalid policy: no key usage available");
	if (cf_profile_check_names(p, t->cn, t->cn_len, t->hosts, t->nhosts, t->extra_exts,
				   t->extra_exts_len, err) < 0)
		return -1;

	int ret = -1;
	struct cf_buf tbs = CF_BUF_INIT, exts = CF_BUF_INIT, v = CF_BUF_INIT, tmp = CF_BUF_INIT;
	struct cf_buf sig = CF_BUF_INIT, cert = CF_BUF_INIT;

	unsigned char rnd[20];
	const unsigned char *serial = t->serial;
	size_t serial_len = t->serial_len;
	struct cf_buf given = CF_BUF_INIT;
	if (p->client_provides_serial) {
		/* cfssl's order: after the whitelist, before the template is filled */
		const char *s = t->client_serial;
		if (!s) {
			cf_error_set(err, CF_ERR_CERT_MISSING_SERIAL,
				     "Missing serial number in request");
			goto out;
		}
		int neg = *s == '-';
		s += neg;
		while (*s == '0' && s[1])
			s++;
		if (neg && strcmp(s, "0") != 0) {
			/* Go's x509.CreateCertificate (RFC 5280 4.1.2.2) */
			cf_error_set(err, CF_ERR_CERT_UNKNOWN,
				     "x509: serial number must be positive");
			goto out;
		}
		if (strcmp(s, "0") != 0)
			cf_bigint_der_from_decimal(s, strlen(s), 0, &given);
		serial = given.data ? given.data : (const unsigned char *)"";
		serial_len = given.len;
	}
	if (!serial) {
		if (gnutls_rnd(GNUTLS_RND_NONCE, rnd, sizeof rnd) < 0) {
			cf_error_set(err, CF_ERR_CERT_UNKNOWN,
				     "failed to generate a serial number");
			goto out;
		}
		rnd[0] &= 0x7f;
		serial = rnd;
		serial_len = sizeof rnd;
	}

	/* version [0] EXPLICIT v3 */
	cf_der_int(&tmp, 2);
	cf_der_wrap(&tbs, 0xa0, &tmp);
	cf_der_uint_bytes(&tbs, serial, serial_len);
	cf_key_sig_algid(&ca->key, &tbs);
	cf_buf_add(&tbs, ca->subject.data, ca->subject.len);

	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct cf_time nb, na;
	if (t->fixed_validity) {
		nb = t->not_before;
		na = t->not_after;
	} else {
		cf_validity(p, (struct cf_time){(int64_t)now.tv_sec, (int32_t)now.tv_nsec}, &nb,
			    &na);
	}
	int times_ok = encodable(nb) && encodable(na);
	if (ca->cert_name && times_ok && p->is_ca && ca->has_bc && ca->bc_ca && ca->bc_pathlen == 0)
		cf_warning("the CA certificate %s has path length 0: the CA certificate it signs "
			   "now will not verify as the issuer of anything",
			   ca->cert_name);
	if (ca->cert_name && times_ok && na.sec > ca->not_after) {
		char a[48], b[48];
		utc_text(na.sec, a, sizeof a);
		utc_text(ca->not_after, b, sizeof b);
		cf_warning("the certificate's notAfter %s is after the notAfter %s of the CA "
			   "certificate %s: it will not verify after %s",
			   a, b, ca->cert_name, b);
	}
	if (times_ok) {
		/* Go's x509 writes whole seconds */
		cf_der_time(&tmp, nb.sec);
		cf_der_time(&tmp, na.sec);
	}
	cf_der_wrap(&tbs, CF_DER_SEQUENCE, &tmp);
	cf_buf_add(&tbs, t->subject, t->subject_len);
	cf_buf_add(&tbs, t->spki, t->spki_len);

	/* Extensions in Go's order: KU, EKU, BC, SKI, AKI, AIA, SAN, CRL DP, extras. */
	if (ku && !in_extras(t, "2.5.29.15")) {
		unsigned char bits[2] = {0, 0};
		for (int i = 0; i < 9; i++)
			if (ku & (1u << i))
				bits[i / 8] |= (unsigned char)(0x80 >> (i % 8));
		size_t nbytes = bits[1] ? 2 : 1;
		unsigned unused = 0;
		unsigned char last = bits[nbytes - 1];
		while (unused < 8 && !(last & (1u << unused)))
			unused++;
		cf_der_bit_string(&v, bits, nbytes, unused);
		cf_extension_der(&exts, "2.5.29.15", 1, v.data, v.len);
		cf_buf_release(&v);
	}
	if (neku && !in_extras(t, "2.5.29.37")) {
		for (size_t i = 0; i < neku; i++)
			cf_der_oid(&tmp, eku[i]);
		cf_der_wrap(&v, CF_DER_SEQUENCE, &tmp);
		cf_extension_der(&exts, "2.5.29.37", 0, v.data, v.len);
		cf_buf_release(&v);
	}
	if (!in_extras(t, "2.5.29.19")) {
		long long pathlen = -1;
		if (p->is_ca) {
			pathlen = p->max_path_len;
			if (pathlen == 0 && !p->max_path_len_zero)
				pathlen = -1;
		}
		cf_basic_constraints_der(&v, p->is_ca, pathlen);
		cf_extension_der(&exts, "2.5.29.19", 1, v.data, v.len);
		cf_buf_release(&v);
	}
	unsigned char ski[20];
	if (cf_spki_key_id(t->spki, t->spki_len, ski) < 0) {
		cf_error_set(err, CF_ERR_CERT_UNKNOWN,
			     "failed to compute the subject key identifier");
		goto out;
	}
	if (!in_extras(t, "2.5.29.14")) {
		cf_der_tlv(&v, CF_DER_OCTET_STRING, ski, sizeof ski);
		cf_extension_der(&exts, "2.5.29.14", 0, v.data, v.len);
		cf_buf_release(&v);
	}
	int same_name = t->subject_len == ca->subject.len &&
			memcmp(t->subject, ca->subject.data, t->subject_len) == 0;
	if (!same_name && ca->ski_len && !t->no_aki && !in_extras(t, "2.5.29.35")) {
		cf_der_tlv(&tmp, 0x80, ca->ski, ca->ski_len);
		cf_der_wrap(&v, CF_DER_SEQUENCE, &tmp);
		cf_extension_der(&exts, "2.5.29.35", 0, v.data, v.len);
		cf_buf_release(&v);
	}
	if (((p->ocsp_url && *p->ocsp_url) || p->nissuer_urls) &&
	    !in_extras(t, "1.3.6.1.5.5.7.1.1")) {
		if (p->ocsp_url && *p->ocsp_url) {
			struct cf_buf ad = CF_BUF_INIT;
			cf_der_oid(&ad, "1.3.6.1.5.5.7.48.1");
			cf_der_tlv(&ad, 0x86, p->ocsp_url, strlen(p->ocsp_url));
			cf_der_wrap(&tmp, CF_DER_SEQUENCE, &ad);
		}
		for (size_t i = 0; i < p->nissuer_urls; i++) {
			struct cf_buf ad = CF_BUF_INIT;
			cf_der_oid(&ad, "1.3.6.1.5.5.7.48.2");
			cf_der_tlv(&ad, 0x86, p->issuer_urls[i], strlen(p->issuer_urls[i]));
			cf_der_wrap(&tmp, CF_DER_SEQUENCE, &ad);
		}
		cf_der_wrap(&v, CF_DER_SEQUENCE, &tmp);
		cf_extension_der(&exts, "1.3.6.1.5.5.7.1.1", 0, v.data, v.len);
		cf_buf_release(&v);
	}
	/* CA certificates keep only IP addresses among their SANs. */
	if (!in_extras(t, "2.5.29.17") && cf_san_der(t->hosts, t->nhosts, p->is_ca, &v)) {
		/* an empty subject makes the SAN critical (RFC 5280, as Go) */
		int empty_subject = t->subject_len == 2;
		cf_extension_der(&exts, "2.5.29.17", empty_subject, v.data, v.len);
		cf_buf_release(&v);
	}
	const char *crl = t->crl_override ? t->crl_override : p->crl_url;
	if (crl && *crl && !in_extras(t, "2.5.29.31")) {
		/* CRLDistributionPoints: one DistributionPoint, fullName = one URI */
		struct cf_buf gn = CF_BUF_INIT, dpn = CF_BUF_INIT, dp = CF_BUF_INIT;
		cf_der_tlv(&gn, 0x86, crl, strlen(crl));
		cf_der_wrap(&dpn, 0xa0, &gn);
		cf_der_wrap(&dp, 0xa0, &dpn);
		cf_der_wrap(&tmp, CF_DER_SEQUENCE, &dp);
		cf_der_wrap(&v, CF_DER_SEQUENCE, &tmp);
		cf_extension_der(&exts, "2.5.29.31", 0, v.data, v.len);
		cf_buf_release(&v);
	}
	cf_buf_add(&exts, t->extra_exts, t->extra_exts_len);
	if (t->delegation) {
		static const unsigned char null_der[] = {0x05, 0x00};
		cf_extension_der(&exts, "1.3.6.1.4.1.44363.44", 0, null_der, sizeof null_der);
	}
	if (p->npolicies) {
		if (cf_policies_der(p, &v, err) < 0)
			goto out;
		cf_extension_der(&exts, "2.5.29.32", 0, v.data, v.len);
		cf_buf_release(&v);
	}
	if (p->ocsp_no_check) {
		static const unsigned char null_der[] = {0x05, 0x00};
		cf_extension_der(&exts, "1.3.6.1.5.5.7.48.1.5", 0, null_der, sizeof null_der);
	}
	/* x509.CreateCertificate fails when it marshals the validity */
	if (!times_ok) {
		cf_error_set(err, CF_ERR_CERT_UNKNOWN,
			     "asn1: structure error: cannot represent time as GeneralizedTime");
		goto out;
	}
	cf_der_wrap(&tmp, CF_DER_SEQUENCE, &exts);
	cf_der_wrap(&tbs, 0xa3, &tmp);
	cf_der_wrap(&v, CF_DER_SEQUENCE, &tbs);

	if (cf_key_sign(&ca->key, v.data, v.len, &sig, err) < 0)
		goto out;
	cf_buf_add(&cert, v.data, v.len);
	cf_key_sig_algid(&ca->key, &cert);
	cf_der_bit_string(&cert, sig.data, sig.len, 0);
	cf_der_wrap(der, CF_DER_SEQUENCE, &cert);
	cf_bigint_dec_unsigned(serial, serial_len, serial_dec);
	ret = 0;
out:
	cf_buf_release(&tbs);
	cf_buf_release(&exts);
	cf_buf_release(&v);
	cf_buf_release(&tmp);
	cf_buf_release(&sig);
	cf_buf_release(&cert);
	cf_buf_release(&given);
	return ret;
}
