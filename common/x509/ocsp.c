/* OCSP responses as golang.org/x/crypto/ocsp CreateResponse encodes them. */
#include "ocsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "crl.h"
#include "der.h"
#include "duration.h"
#include "fileio.h"
#include "goquote.h"
#include "pem.h"

int cf_ocsp_status_code(const char *status)
{
	static const char *const names[] = {"good", "revoked", "unknown"};
	for (int i = 0; i < 3; i++)
		if (!strcmp(status, names[i]))
			return i;
	return -1;
}

int cf_ocsp_reason_code(const char *reason, int *code, struct cf_error *err)
{
	static const char *const names[] = {
		"unspecified",   "keycompromise",        "cacompromise",    "affiliationchanged",
		"superseded",    "cessationofoperation", "certificatehold", NULL /* 7 unused */,
		"removefromcrl", "privilegewithdrawn",   "aacompromise",
	};
	*code = 0;
	if (!*reason)
		return 0;
	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (names[i] && !strcasecmp(reason, names[i])) {
			*code = i;
			return 0;
		}
	/* strconv.Atoi */
	const char *s = reason;
	int neg = 0, range = 0;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	unsigned long long n = 0;
	const char *what = NULL;
	if (!*s)
		what = "invalid syntax";
	for (; *s && !what; s++) {
		if (*s < '0' || *s > '9') {
			what = "invalid syntax";
			break;
		}
		if (!range) {
			unsigned d = (unsigned)(*s - '0');
			if (n > (UINT64_MAX - d) / 10)
				range = 1;
			else
				n = n * 10 + d;
		}
	}
	if (!what && (range || (!neg && n > (unsigned long long)INT64_MAX) ||
		      (neg && n > (unsigned long long)INT64_MAX + 1)))
		what = "value out of range";
	if (what) {
		struct cf_buf q = CF_BUF_INIT;
		cf_go_quote(&q, reason, strlen(reason));
		cf_error_set(err, CF_ERR_PLAIN, "strconv.Atoi: parsing %s: %s",
			     (const char *)q.data, what);
		cf_buf_release(&q);
		return -1;
	}
	if (neg || n < 1 || n > 9)
		return cf_error_set(err, CF_ERR_OCSP_INVALID_STATUS, "Invalid revocation status");
	*code = (int)n;
	return 0;
}

/* Go's time.quote: non-ASCII and control bytes as \xNN. */
static void time_quote(struct cf_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	cf_buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80 || c < ' ') {
			cf_buf_adds(b, "\\x");
			cf_buf_addc(b, (unsigned char)hex[c >> 4]);
			cf_buf_addc(b, (unsigned char)hex[c & 15]);
		} else {
			if (c == '"' || c == '\\')
				cf_buf_addc(b, '\\');
			cf_buf_addc(b, c);
		}
	}
	cf_buf_addc(b, '"');
}

static int date_error(struct cf_error *err, const char *value, const char *elem,
		      const char *layout_elem, const char *message)
{
	struct cf_buf m = CF_BUF_INIT;
	cf_buf_adds(&m, "parsing time ");
	time_quote(&m, value);
	if (message) {
		cf_buf_adds(&m, message);
	} else {
		cf_buf_adds(&m, " as \"2006-01-02\": cannot parse ");
		time_quote(&m, elem);
		cf_buf_printf(&m, " as \"%s\"", layout_elem ? layout_elem : "");
	}
	cf_error_set(err, CF_ERR_PLAIN, "%s", m.data ? (const char *)m.data : "");
	cf_buf_release(&m);
	return -1;
}

static int is_digit(const char *s, size_t i)
{
	return strlen(s) > i && s[i] >= '0' && s[i] <= '9';
}

/* Go's getnum(s, fixed=true): exactly two digits. */
static int getnum2(const char **s, int *v)
{
	if (!is_digit(*s, 0) || !is_digit(*s, 1))
		return -1;
	*v = ((*s)[0] - '0') * 10 + ((*s)[1] - '0');
	*s += 2;
	return 0;
}

int cf_ocsp_parse_date(const char *value, int64_t *out, struct cf_error *err)
{
	const char *s = value;
	int year = 0, month, day;
	/* stdLongYear: four bytes, the first a digit, atoi of all four */
	int ok = strlen(s) >= 4 && is_digit(s, 0);
	for (int i = 1; ok && i < 4; i++)
		ok = s[i] >= '0' && s[i] <= '9';
	if (!ok)
		return date_error(err, value, s, "2006", NULL);
	for (int i = 0; i < 4; i++)
		year = year * 10 + (s[i] - '0');
	s += 4;
	if (*s != '-')
		return date_error(err, value, s, "-", NULL);
	s++;
	const char *hold = s;
	if (getnum2(&s, &month) < 0)
		return date_error(err, value, hold, "01", NULL);
	if (month < 1 || month > 12)
		return date_error(err, value, NULL, NULL, ": month out of range");
	if (*s != '-')
		return date_error(err, value, s, "-", NULL);
	s++;
	hold = s;
	if (getnum2(&s, &day) < 0)
		return date_error(err, value, hold, "02", NULL);
	if (*s) {
		struct cf_buf m = CF_BUF_INIT;
		cf_buf_adds(&m, ": extra text: ");
		time_quote(&m, s);
		date_error(err, value, NULL, NULL, (const char *)m.data);
		cf_buf_release(&m);
		return -1;
	}
	int dim = cf_days_in_month(month, year);
	if (day < 1 || day > dim)
		return date_error(err, value, NULL, NULL, ": day out of range");
	*out = cf_days_from_civil(year, month, day) * 86400;
	return 0;
}

static void generalized_time(struct cf_buf *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char s[40];
	int n = snprintf(s, sizeof s, "%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	cf_der_tlv(out, CF_DER_GENERALIZEDTIME, s, (size_t)n);
}

/* The parts of a certificate's DER that Go keeps raw. */
struct cert_parts {
	gnutls_datum_t der; /* gnutls_free */
	struct cf_der_tlv tbs, serial, issuer, subject, spki, sig;
};

static int cert_parts(gnutls_x509_crt_t crt, struct cert_parts *c)
{
	memset(c, 0, sizeof *c);
	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &c->der) < 0)
		return -1;
	struct cf_der_reader r = {c->der.data, c->der.size}, cr, tr;
	struct cf_der_tlv cert, t;
	if (cf_der_next(&r, &cert) != 1 || cert.tag != CF_DER_SEQUENCE)
		return -1;
	cr = (struct cf_der_reader){cert.content, cert.len};
	if (cf_der_next(&cr, &c->tbs) != 1 || cf_der_next(&cr, &t) != 1 ||
	    cf_der_next(&cr, &c->sig) != 1 || c->sig.tag != CF_DER_BIT_STRING || c->sig.len < 1)
		return -1;
	tr = (struct cf_der_reader){c->tbs.content, c->tbs.len};
	if (cf_der_next(&tr, &t) != 1)
		return -1;
	if (t.tag == 0xa0 && cf_der_next(&tr, &t) != 1)
		return -1;
	c->serial = t;
	if (c->serial.tag != CF_DER_INTEGER || cf_der_next(&tr, &t) != 1 ||
	    cf_der_next(&tr, &c->issuer) != 1 || cf_der_next(&tr, &t) != 1 ||
	    cf_der_next(&tr, &c->subject) != 1 || cf_der_next(&tr, &c->spki) != 1)
		return -1;
	return 0;
}

static const char *go_pk_name(int pk)
{
	switch (pk) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS: return "RSA";
	case GNUTLS_PK_ECDSA: return "ECDSA";
	case GNUTLS_PK_EDDSA_ED25519: return "Ed25519";
	case GNUTLS_PK_DSA: return "DSA";
	default: return "unknown";
	}
}

static const char *go_pk_type(int pk)
{
	switch (pk) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS: return "*rsa.PublicKey";
	case GNUTLS_PK_ECDSA: return "*ecdsa.PublicKey";
	case GNUTLS_PK_EDDSA_ED25519: return "ed25519.PublicKey";
	default: return "*dsa.PublicKey";
	}
}

/* Go's Certificate.CheckSignatureFrom(@issuer) for @cert. */
static int check_signature_from(gnutls_x509_crt_t cert, const struct cert_parts *cp,
				gnutls_x509_crt_t issuer, struct cf_error *err)
{
	unsigned int critical = 0, ca = 0, ku = 0;
	int pathlen;
	int bc = gnutls_x509_crt_get_basic_constraints(issuer, &critical, &ca, &pathlen);
	int bc_valid = bc >= 0;
	if ((gnutls_x509_crt_get_version(issuer) == 3 && !bc_valid) || (bc_valid && !ca) ||
	    (gnutls_x509_crt_get_key_usage(issuer, &ku, &critical) >= 0 && ku != 0 &&
	     !(ku & GNUTLS_KEY_KEY_CERT_SIGN)))
		return cf_error_set(err, CF_ERR_OCSP_INVALID_STATUS,
				    "x509: invalid signature: parent certificate cannot sign this "
				    "kind of certificate");
	int algo = gnutls_x509_crt_get_signature_algorithm(cert);
	const char *insecure = NULL;
	switch (algo) {
	case GNUTLS_SIGN_RSA_MD5: insecure = "MD5-RSA"; break;
	case GNUTLS_SIGN_RSA_SHA1:
		insecure = "SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)";
		break;
	case GNUTLS_SIGN_ECDSA_SHA1:
		insecure = "ECDSA-SHA1 (temporarily override with GODEBUG=x509sha1=1)";
		break;
	case GNUTLS_SIGN_DSA_SHA1: insecure = "DSA-SHA1"; break;
	default: break;
	}
	if (insecure)
		return cf_error_set(err, CF_ERR_OCSP_INVALID_STATUS,
				    "x509: cannot verify signature: insecure algorithm %s",
				    insecure);
	int want = algo > 0 ? (int)gnutls_sign_get_pk_algorithm((gnutls_sign_algorithm_t)algo)
			    : GNUTLS_PK_UNKNOWN;
	if (want == GNUTLS_PK_UNKNOWN)
		return cf_error_set(err, CF_ERR_OCSP_INVALID_STATUS,
				    "x509: cannot verify signature: algorithm unimplemented");
	int have = gnutls_x509_crt_get_pk_algorithm(issuer, NULL);
	if (strcmp(go_pk_name(want), go_pk_name(have)) != 0)
		return cf_error_set(
			err, CF_ERR_OCSP_INVALID_STATUS,
			"x509: signature algorithm specifies an %s public key, but have "
			"public key of type %s",
			go_pk_name(want), go_pk_type(have));
	gnutls_pubkey_t pub = NULL;
	int r = gnutls_pubkey_init(&pub);
	if (r >= 0)
		r = gnutls_pubkey_import_x509(pub, issuer, 0);
	if (r >= 0) {
		gnutls_datum_t tbs = {(unsigned char *)cp->tbs.raw, (unsigned)cp->tbs.rawlen};
		gnutls_datum_t sig = {(unsigned char *)cp->sig.content + 1,
				      (unsigned)(cp->sig.len - 1)};
		r = gnutls_pubkey_verify_data2(pub, (gnutls_sign_algorithm_t)algo, 0, &tbs, &sig);
	}
	gnutls_pubkey_deinit(pub);
	if (r < 0) {
		const char *msg = "x509: cannot verify signature: algorithm unimplemented";
		if (have == GNUTLS_PK_RSA || have == GNUTLS_PK_RSA_PSS)
			msg = "crypto/rsa: verification error";
		else if (have == GNUTLS_PK_ECDSA)
			msg = "x509: ECDSA verification failure";
		else if (have == GNUTLS_PK_EDDSA_ED25519)
			msg = "x509: Ed25519 verification failure";
		return cf_error_set(err, CF_ERR_OCSP_INVALID_STATUS, "%s", msg);
	}
	return 0;
}

/* The hash of the subjectPublicKey bits of @spki (without the unused-bits octet), as
 * x/crypto/ocsp's CertID. */
static int spki_key_hash(gnutls_digest_algorithm_t dig, const unsigned char *spki, size_t len,
			 unsigned char *out)
{
	struct cf_der_reader r = {spki, len}, in;
	struct cf_der_tlv seq, alg, bits;
	if (cf_der_next(&r, &seq) != 1 || seq.tag != CF_DER_SEQUENCE)
		return -1;
	in.p = seq.content;
	in.len = seq.len;
	if (cf_der_next(&in, &alg) != 1 || cf_der_next(&in, &bits) != 1 ||
	    bits.tag != CF_DER_BIT_STRING || bits.len < 1)
		return -1;
	return gnutls_hash_fast(dig, bits.content + 1, bits.len - 1, out) < 0 ? -1 : 0;
}

static int same_tlv(const struct cf_der_tlv *a, const struct cf_der_tlv *b)
{
	return a->rawlen == b->rawlen && !memcmp(a->raw, b->raw, a->rawlen);
}

int cf_ocsp_sign(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, gnutls_x509_crt_t responder,
		 const struct cf_key *key, const struct cf_ocsp_request *req, struct cf_buf *der,
		 struct cf_error *err)
{
	int ret = -1;
	struct cert_parts c, is, rs;
	int pc = cert_parts(cert, &c), pi = cert_parts(issuer, &is),
	    pr = cert_parts(responder, &rs);
	struct cf_buf tbs = CF_BUF_INIT, algid = CF_BUF_INIT, sig = CF_BUF_INIT;
	if (pc < 0 || pi < 0 || pr < 0) {
		cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
		goto out;
	}
	if (!same_tlv(&c.issuer, &is.subject)) {
		cf_error_set(err, CF_ERR_OCSP_ISSUER_MISMATCH,
			     "Certificate not issued by this issuer");
		goto out;
	}
	if (check_signature_from(cert, &c, issuer, err) < 0)
		goto out;
	int status = cf_ocsp_status_code(req->status);
	if (status < 0) {
		cf_error_set(err, CF_ERR_OCSP_INVALID_STATUS, "Invalid revocation status");
		goto out;
	}

	const char *hash_oid = NULL;
	gnutls_digest_algorithm_t dig =
		req->issuer_hash ? (gnutls_digest_algorithm_t)req->issuer_hash : GNUTLS_DIG_SHA1;
	switch (dig) {
	case GNUTLS_DIG_SHA1: hash_oid = "1.3.14.3.2.26"; break;
	case GNUTLS_DIG_SHA256: hash_oid = "2.16.840.1.101.3.4.2.1"; break;
	case GNUTLS_DIG_SHA384: hash_oid = "2.16.840.1.101.3.4.2.2"; break;
	case GNUTLS_DIG_SHA512: hash_oid = "2.16.840.1.101.3.4.2.3"; break;
	default: cf_error_set(err, CF_ERR_PLAIN, "unsupported issuer hash algorithm"); goto out;
	}
	unsigned char name_hash[64], key_hash[64];
	unsigned hlen = gnutls_hash_get_len(dig);
	if (gnutls_hash_fast(dig, is.subject.raw, is.subject.rawlen, name_hash) < 0 ||
	    spki_key_hash(dig, is.spki.raw, is.spki.rawlen, key_hash) < 0) {
		cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
		goto out;
	}
	struct cf_buf certid = CF_BUF_INIT, alg = CF_BUF_INIT;
	cf_der_oid(&alg, hash_oid);
	cf_der_null(&alg);
	cf_der_wrap(&certid, CF_DER_SEQUENCE, &alg);
	cf_der_tlv(&certid, CF_DER_OCTET_STRING, name_hash, hlen);
	cf_der_tlv(&certid, CF_DER_OCTET_STRING, key_hash, hlen);
	cf_buf_add(&certid, c.serial.raw, c.serial.rawlen);

	struct cf_buf single = CF_BUF_INIT;
	cf_der_wrap(&single, CF_DER_SEQUENCE, &certid);
	if (status == 0) {
		cf_der_tlv(&single, 0x80, NULL, 0);
	} else if (status == 2) {
		cf_der_tlv(&single, 0x82, NULL, 0);
	} else {
		struct cf_buf info = CF_BUF_INIT;
		generalized_time(&info, req->revoked_at);
		if (req->reason) {
			struct cf_buf e = CF_BUF_INIT;
			unsigned char v = (unsigned char)req->reason;
			cf_der_tlv(&e, 0x0a, &v, 1);
			cf_der_wrap(&info, 0xa0, &e);
		}
		cf_der_wrap(&single, 0xa1, &info);
	}
	generalized_time(&single, req->this_update);
	struct cf_buf next = CF_BUF_INIT;
	generalized_time(&next, req->next_update);
	cf_der_wrap(&single, 0xa0, &next);

	struct cf_buf body = CF_BUF_INIT, responses = CF_BUF_INIT;
	cf_der_tlv(&body, 0xa1, rs.subject.raw, rs.subject.rawlen);
	generalized_time(&body, req->produced_at);
	cf_der_wrap(&responses, CF_DER_SEQUENCE, &single);
	cf_der_wrap(&body, CF_DER_SEQUENCE, &responses);
	cf_der_wrap(&tbs, CF_DER_SEQUENCE, &body);

	if (key->pk != GNUTLS_PK_RSA && key->pk != GNUTLS_PK_ECDSA) {
		cf_error_set(err, CF_ERR_PLAIN, "x509: only RSA and ECDSA keys supported");
		goto out;
	}
	if (cf_crl_sig_algid(key, &algid, err) < 0 ||
	    cf_crl_sign(key, tbs.data, tbs.len, &sig, err) < 0)
		goto out;

	struct cf_buf basic = CF_BUF_INIT, bits = CF_BUF_INIT;
	cf_buf_add(&basic, tbs.data, tbs.len);
	cf_buf_add(&basic, algid.data, algid.len);
	cf_buf_addc(&bits, 0);
	cf_buf_add(&bits, sig.data, sig.len);
	cf_der_wrap(&basic, CF_DER_BIT_STRING, &bits);
	if (!(is.der.size == rs.der.size && !memcmp(is.der.data, rs.der.data, is.der.size))) {
		struct cf_buf certs = CF_BUF_INIT, list = CF_BUF_INIT;
		cf_buf_add(&list, rs.der.data, rs.der.size);
		cf_der_wrap(&certs, CF_DER_SEQUENCE, &list);
		cf_der_wrap(&basic, 0xa0, &certs);
	}
	struct cf_buf basic_seq = CF_BUF_INIT, rb = CF_BUF_INIT, resp = CF_BUF_INIT;
	cf_der_wrap(&basic_seq, CF_DER_SEQUENCE, &basic);
	cf_der_oid(&rb, "1.3.6.1.5.5.7.48.1.1");
	cf_der_wrap(&rb, CF_DER_OCTET_STRING, &basic_seq);
	struct cf_buf rbs = CF_BUF_INIT;
	cf_der_wrap(&rbs, CF_DER_SEQUENCE, &rb);
	unsigned char success = 0;
	cf_der_tlv(&resp, 0x0a, &success, 1);
	cf_der_wrap(&resp, 0xa0, &rbs);
	cf_der_wrap(der, CF_DER_SEQUENCE, &resp);
	ret = 0;
out:
	gnutls_free(c.der.data);
	gnutls_free(is.der.data);
	gnutls_free(rs.der.data);
	cf_buf_release(&tbs);
	cf_buf_release(&algid);
	cf_buf_release(&sig);
	return ret;
}

/* ---- the signer's files ---- */

static int load_key(const struct cf_buf *data, struct cf_key *key, struct cf_error *err)
{
	gnutls_x509_privkey_t x = NULL;
	if (cf_parse_key_pem(data->data, data->len, NULL, &x, err) < 0)
		return -1;
	return cf_key_from_x509(x, key, err);
}

int cf_ocsp_signer_load(const char *ca_spec, const char *responder_file, const char *key_file,
			gnutls_x509_crt_t *issuer, gnutls_x509_crt_t *responder, struct cf_key *key,
			struct cf_error *err)
{
	struct cf_buf cadata = CF_BUF_INIT, rdata = CF_BUF_INIT, kdata = CF_BUF_INIT;
	struct cf_error kerr = {0};
	gnutls_x509_crt_t ca = NULL, resp = NULL;
	int ret = -1;
	if (cf_read_prefixed(ca_spec, &cadata, err) < 0 ||
	    cf_read_file_plain(responder_file, &rdata, err) < 0 ||
	    (cf_read_file_plain(key_file, &kdata, &kerr) < 0 &&
	     cf_error_set(err, CF_ERR_CERT_READ, "%s", kerr.msg) < 0) ||
	    cf_parse_cert_pem(cadata.data, cadata.len, &ca, err) < 0 ||
	    cf_parse_cert_pem(rdata.data, rdata.len, &resp, err) < 0 ||
	    load_key(&kdata, key, err) < 0)
		goto out;
	*issuer = ca;
	*responder = resp;
	ca = resp = NULL;
	ret = 0;
out:
	if (ca)
		gnutls_x509_crt_deinit(ca);
	if (resp)
		gnutls_x509_crt_deinit(resp);
	cf_buf_release(&cadata);
	cf_buf_release(&rdata);
	cf_buf_release(&kdata);
	return ret;
}
