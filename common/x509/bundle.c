#include "bundle.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/pkcs12.h>
#include <gnutls/pkcs7.h>

#include "bigint.h"
#include "der.h"
#include "fileio.h"
#include "gojson.h"
#include "goquote.h"
#include "log.h"
#include "pem.h"

static size_t ocsp_list(const struct cf_bundle_cert *c, char ***out);
static void free_list(char **v, size_t n);

/* ---- certificates and pools ---- */

static void cert_free(struct cf_bundle_cert *c)
{
	if (!c)
		return;
	if (c->crt)
		gnutls_x509_crt_deinit(c->crt);
	free(c->der);
	free(c);
}

void cf_bundle_pool_release(struct cf_bundle_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		cert_free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof *p);
}

static void pool_push(struct cf_bundle_pool *p, struct cf_bundle_cert *c)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		p->v = cf_xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n++] = c;
}

static int cert_equal(const struct cf_bundle_cert *a, const struct cf_bundle_cert *b)
{
	return a->len == b->len && memcmp(a->der, b->der, a->len) == 0;
}

static int pool_contains(const struct cf_bundle_pool *p, const struct cf_bundle_cert *c)
{
	for (size_t i = 0; i < p->n; i++)
		if (cert_equal(p->v[i], c))
			return 1;
	return 0;
}

/* Locates tbsCertificate, issuer, subject and the signature bits in the DER,
 * which GnuTLS does not hand out raw. */
static int split_der(struct cf_bundle_cert *c)
{
	struct cf_der_reader r = {c->der, c->len}, in;
	struct cf_der_tlv cert, tbs, alg, sig, t;
	if (cf_der_next(&r, &cert) != 1 || cert.tag != CF_DER_SEQUENCE)
		return -1;
	in.p = cert.content;
	in.len = cert.len;
	if (cf_der_next(&in, &tbs) != 1 || cf_der_next(&in, &alg) != 1 ||
	    cf_der_next(&in, &sig) != 1 || sig.tag != CF_DER_BIT_STRING || sig.len < 1)
		return -1;
	c->tbs = tbs.raw;
	c->tbs_len = tbs.rawlen;
	c->sig = sig.content + 1;
	c->sig_len = sig.len - 1;
	struct cf_der_reader f = {tbs.content, tbs.len};
	if (cf_der_next(&f, &t) != 1)
		return -1;
	if (t.tag == 0xa0 && cf_der_next(&f, &t) != 1) /* version, then serial */
		return -1;
	if (cf_der_next(&f, &t) != 1) /* signature algorithm */
		return -1;
	if (cf_der_next(&f, &t) != 1 || t.tag != CF_DER_SEQUENCE)
		return -1;
	c->issuer = t.raw;
	c->issuer_len = t.rawlen;
	if (cf_der_next(&f, &t) != 1) /* validity */
		return -1;
	if (cf_der_next(&f, &t) != 1 || t.tag != CF_DER_SEQUENCE)
		return -1;
	c->subject = t.raw;
	c->subject_len = t.rawlen;
	return 0;
}

/* The value (OCTET STRING content) of the extension 2.5.29.@arc of @c, from its DER. 1 when
 * found. */
static int find_extension(const struct cf_bundle_cert *c, unsigned char arc, struct cf_der_tlv *val)
{
	struct cf_der_reader r = {c->tbs, c->tbs_len}, f, list;
	struct cf_der_tlv tbs, t, seq, ext;
	if (cf_der_next(&r, &tbs) != 1)
		return 0;
	f = (struct cf_der_reader){tbs.content, tbs.len};
	while (cf_der_next(&f, &t) == 1) {
		if (t.tag != 0xa3)
			continue;
		struct cf_der_reader w = {t.content, t.len};
		if (cf_der_next(&w, &seq) != 1 || seq.tag != CF_DER_SEQUENCE)
			return 0;
		list = (struct cf_der_reader){seq.content, seq.len};
		while (cf_der_next(&list, &ext) == 1) {
			struct cf_der_reader e = {ext.content, ext.len};
			struct cf_der_tlv oid;
			if (cf_der_next(&e, &oid) != 1 || oid.tag != CF_DER_OID || oid.len != 3 ||
			    oid.content[0] != 0x55 || oid.content[1] != 0x1d ||
			    oid.content[2] != arc)
				continue;
			while (cf_der_next(&e, val) == 1)
				if (val->tag == CF_DER_OCTET_STRING)
					return 1;
			return 0;
		}
	}
	return 0;
}

static struct cf_bundle_cert *cert_parse(const unsigned char *der, size_t len)
{
	struct cf_bundle_cert *c = cf_xcalloc(1, sizeof *c);
	c->der = cf_xmalloc(len ? len : 1);
	memcpy(c->der, der, len);
	c->len = len;
	if (cf_crt_import_der(c->der, len, &c->crt, &c->crt_altered) < 0 || split_der(c) < 0) {
		cert_free(c);
		return NULL;
	}
	/* The DER must be exactly one certificate. */
	if (c->tbs < c->der || (size_t)(c->sig + c->sig_len - c->der) != len) {
		cert_free(c);
		return NULL;
	}
	c->version = gnutls_x509_crt_get_version(c->crt);
	size_t n = sizeof c->ski;
	unsigned crit;
	if (gnutls_x509_crt_get_subject_key_id(c->crt, c->ski, &n, &crit) >= 0)
		c->ski_len = n;
	n = sizeof c->aki;
	if (gnutls_x509_crt_get_authority_key_id(c->crt, c->aki, &n, &crit) >= 0)
		c->aki_len = n;
	unsigned ca = 0;
	int pathlen = -1;
	if (gnutls_x509_crt_get_basic_constraints(c->crt, &crit, &ca, &pathlen) >= 0) {
		c->bc_valid = 1;
		c->is_ca = ca != 0;
		c->max_path_len = pathlen < 0 ? -1 : pathlen;
	} else {
		c->max_path_len = -1;
	}
	unsigned ku = 0;
	if (gnutls_x509_crt_get_key_usage(c->crt, &ku, &crit) >= 0)
		c->key_usage = ku;
	c->not_before = (int64_t)gnutls_x509_crt_get_activation_time(c->crt);
	c->not_after = (int64_t)gnutls_x509_crt_get_expiration_time(c->crt);
	unsigned bits = 0;
	c->pk = gnutls_x509_crt_get_pk_algorithm(c->crt, &bits);
	c->bits = bits;
	if (c->pk == GNUTLS_PK_ECDSA) {
		gnutls_ecc_curve_t curve;
		gnutls_datum_t x = {NULL, 0}, y = {NULL, 0};
		if (gnutls_x509_crt_get_pk_ecc_raw(c->crt, &curve, &x, &y) >= 0) {
			c->curve = curve;
			gnutls_free(x.data);
			gnutls_free(y.data);
		}
	}
	c->sign_algo = gnutls_x509_crt_get_signature_algorithm(c->crt);
	return c;
}

int cf_bundle_pool_add_der(struct cf_bundle_pool *p, const unsigned char *der, size_t len,
			   int dedup)
{
	struct cf_bundle_cert *c = cert_parse(der, len);
	if (!c)
		return -1;
	if (dedup && pool_contains(p, c)) {
		cert_free(c);
		return 0;
	}
	pool_push(p, c);
	return 0;
}

/* Certificates of a DER PKCS #7 SignedData; -1 when @der is not one. */
static int add_pkcs7(struct cf_bundle_pool *p, const unsigned char *der, size_t len, int dedup)
{
	struct cf_buf certs = CF_BUF_INIT;
	int ret = -1;
	if (cf_pkcs7_certs(der, len, &certs) < 0)
		goto out;
	struct cf_der_reader r = {certs.data, certs.len};
	struct cf_der_tlv t;
	while (cf_der_next(&r, &t) == 1)
		if (cf_bundle_pool_add_der(p, t.raw, t.rawlen, dedup) < 0)
			goto out;
	ret = 0;
out:
	cf_buf_release(&certs);
	return ret;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(const unsigned char **data, size_t *len)
{
	while (*len && is_space(**data)) {
		(*data)++;
		(*len)--;
	}
	while (*len && is_space((*data)[*len - 1]))
		(*len)--;
}

int cf_bundle_parse_pem(const unsigned char *data, size_t len, struct cf_bundle_pool *out,
			struct cf_error *err)
{
	trim(&data, &len);
	const char *s = (const char *)data;
	while (len > 0) {
		struct cf_pem_block blk;
		const char *rest;
		size_t restlen;
		if (!cf_pem_decode(s, len, &blk, &rest, &restlen))
			break;
		size_t before = out->n;
		int r = cf_bundle_pool_add_der(out, blk.der, blk.len, 0);
		if (r < 0) {
			while (out->n > before)
				cert_free(out->v[--out->n]);
			r = add_pkcs7(out, blk.der, blk.len, 0);
		}
		cf_pem_block_release(&blk);
		if (r < 0)
			return cf_error_set(err, CF_ERR_CERT_PARSE, "Failed to parse certificate");
		s = rest;
		len = restlen;
	}
	if (len > 0)
		return cf_error_set(err, CF_ERR_CERT_DECODE, "Failed to decode certificate");
	return 0;
}

/* One or more concatenated DER certificates (x509.ParseCertificates). */
static int add_der_list(struct cf_bundle_pool *p, const unsigned char *der, size_t len)
{
	struct cf_der_reader r = {der, len};
	struct cf_der_tlv t;
	int k, any = 0;
	while ((k = cf_der_next(&r, &t)) == 1) {
		if (cf_bundle_pool_add_der(p, t.raw, t.rawlen, 0) < 0)
			return -1;
		any = 1;
	}
	return k < 0 || !any ? -1 : 0;
}

static int looks_pkcs12(const unsigned char *der, size_t len)
{
	gnutls_pkcs12_t p12;
	if (gnutls_pkcs12_init(&p12) < 0)
		return 0;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
	int ok = gnutls_pkcs12_import(p12, &d, GNUTLS_X509_FMT_DER, 0) >= 0;
	gnutls_pkcs12_deinit(p12);
	return ok;
}

int cf_bundle_parse_input(const unsigned char *data, size_t len, struct cf_bundle_pool *out,
			  struct cf_error *err)
{
	struct cf_error pem_err = {0};
	if (cf_bundle_parse_pem(data, len, out, &pem_err) < 0) {
		cf_bundle_pool_release(out);
		const unsigned char *d = data;
		size_t n = len;
		trim(&d, &n);
		if (add_pkcs7(out, d, n, 0) < 0) {
			cf_bundle_pool_release(out);
			if (add_der_list(out, d, n) < 0) {
				cf_bundle_pool_release(out);
				if (looks_pkcs12(d, n))
					return cf_error_set(err, CF_ERR_PLAIN,
							    "PKCS #12 input (-password) is not "
							    "supported by cfssl-c yet");
				*err = pem_err;
				return -1;
			}
		}
	}
	if (out->n == 0)
		return cf_error_set(err, CF_ERR_CERT_DECODE, "Failed to decode certificate");
	return 0;
}

/* x509.CertPool.AppendCertsFromPEM: CERTIFICATE blocks that parse, the rest skipped. */
static void append_lenient(struct cf_bundle_pool *p, const struct cf_buf *b)
{
	const char *s = (const char *)b->data;
	size_t len = b->len;
	struct cf_pem_block blk;
	const char *rest;
	size_t restlen;
	while (len && cf_pem_decode(s, len, &blk, &rest, &restlen)) {
		if (strcmp(blk.type, "CERTIFICATE") == 0 && blk.der)
			(void)cf_bundle_pool_add_der(p, blk.der, blk.len, 1);
		cf_pem_block_release(&blk);
		s = rest;
		len = restlen;
	}
}

static int read_quiet(const char *path, struct cf_buf *b)
{
	struct cf_error e = {0};
	return cf_read_file(path, b, &e);
}

/* Go skips a symlink whose target lies in the same directory (the hashed
 * names in /etc/ssl/certs), so every certificate is read once. */
static int same_dir_link(const char *dir, const char *name)
{
	char path[PATH_MAX], target[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	ssize_t n = readlink(path, target, sizeof target - 1);
	if (n < 0)
		return 0;
	target[n] = 0;
	return strchr(target, '/') == NULL;
}

void cf_bundle_load_system_roots(struct cf_bundle_pool *roots)
{
	static const char *const files[] = {
		"/etc/ssl/certs/ca-certificates.crt",
		"/etc/pki/tls/certs/ca-bundle.crt",
		"/etc/ssl/ca-bundle.pem",
		"/etc/pki/tls/cacert.pem",
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
		"/etc/ssl/cert.pem",
	};
	const char *env = getenv("SSL_CERT_FILE");
	size_t nfiles = sizeof files / sizeof files[0];
	for (size_t i = 0; i < (env && *env ? 1 : nfiles); i++) {
		struct cf_buf b = CF_BUF_INIT;
		if (read_quiet(env && *env ? env : files[i], &b) == 0) {
			append_lenient(roots, &b);
			cf_buf_release(&b);
			break;
		}
		cf_buf_release(&b);
	}
	const char *denv = getenv("SSL_CERT_DIR");
	char *dirs = cf_xstrdup(denv && *denv ? denv
					      : "/etc/ssl/certs:/etc/pki/tls/certs:"
						"/system/etc/security/cacerts");
	for (char *save = NULL, *dir = strtok_r(dirs, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.' || same_dir_link(dir, e->d_name))
				continue;
			char path[PATH_MAX];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			struct stat st;
			if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			struct cf_buf b = CF_BUF_INIT;
			if (read_quiet(path, &b) == 0)
				append_lenient(roots, &b);
			cf_buf_release(&b);
		}
		closedir(d);
	}
	free(dirs);
}

enum cf_bundle_flavor cf_bundle_flavor_parse(const char *s)
{
	if (strcmp(s, "ubiquitous") == 0)
		return CF_BUNDLE_UBIQUITOUS;
	if (strcmp(s, "optimal") == 0)
		return CF_BUNDLE_OPTIMAL;
	if (strcmp(s, "force") == 0)
		return CF_BUNDLE_FORCE;
	return CF_BUNDLE_OTHER;
}

void cf_bundler_release(struct cf_bundler *b)
{
	if (!b)
		return;
	cf_bundle_pool_release(&b->roots);
	cf_bundle_pool_release(&b->ints);
	if (b->lazy_system == 2)
		pthread_mutex_destroy(&b->system_lock);
	b->lazy_system = 0;
}

static void pool_view(const struct cf_bundle_pool *shared, struct cf_bundle_pool *view)
{
	view->n = view->cap = shared->n;
	view->v = cf_xcalloc(shared->n ? shared->n : 1, sizeof *view->v);
	if (shared->n)
		memcpy(view->v, shared->v, shared->n * sizeof *view->v);
}

static void pool_view_release(struct cf_bundle_pool *view, const struct cf_bundle_pool *shared)
{
	for (size_t i = shared->n; i < view->n; i++)
		cert_free(view->v[i]);
	free(view->v);
	memset(view, 0, sizeof *view);
}

void cf_bundler_view(const struct cf_bundler *shared, struct cf_bundler *view)
{
	static const struct cf_bundler none = {0};
	if (!shared)
		shared = &none;
	if (atomic_load_explicit(&shared->system_pending, memory_order_acquire)) {
		/* the one write to @shared: the deferred system store, once, before any view
		 * copies the roots (every view passes here first) */
		struct cf_bundler *w = (struct cf_bundler *)shared;
		pthread_mutex_lock(&w->system_lock);
		if (atomic_load_explicit(&w->system_pending, memory_order_relaxed)) {
			cf_bundle_load_system_roots(&w->roots);
			atomic_store_explicit(&w->system_pending, 0, memory_order_release);
		}
		pthread_mutex_unlock(&w->system_lock);
	}
	view->lazy_system = 0;
	atomic_init(&view->system_pending, 0);
	pool_view(&shared->roots, &view->roots);
	pool_view(&shared->ints, &view->ints);
	view->stash_dir = shared->stash_dir;
}

void cf_bundler_view_release(struct cf_bundler *view, const struct cf_bundler *shared)
{
	static const struct cf_bundler none = {0};
	if (!shared)
		shared = &none;
	pool_view_release(&view->roots, &shared->roots);
	pool_view_release(&view->ints, &shared->ints);
}

void cf_bundle_release(struct cf_bundle *b)
{
	if (!b)
		return;
	free(b->chain);
	for (size_t i = 0; i < b->nmessages; i++)
		free(b->messages[i]);
	free(b->messages);
	for (size_t i = 0; i < b->nexpiring; i++)
		free(b->expiring_skis[i]);
	free(b->expiring_skis);
	memset(b, 0, sizeof *b);
}

/* ---- names ---- */

struct atv {
	char oid[128];
	int arc3; /* the fourth arc, which cfssl's typeToName looks at; -1 if none */
	int std;  /* 2.5.4.x with x one of pkix.Name's fields */
	int is_string;
	struct cf_buf value; /* UTF-8 */
	const unsigned char *raw_value;
	size_t raw_value_len;
	size_t rdn; /* index of its RDN */
};

static void oid_text(const unsigned char *p, size_t n, char *out, size_t outn, int *arc3)
{
	unsigned long long v = 0;
	int arc = 0;
	size_t o = 0;
	*arc3 = -1;
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		v = (v << 7) | (p[i] & 0x7f);
		if (p[i] & 0x80)
			continue;
		if (arc == 0) {
			unsigned long long first = v < 80 ? v / 40 : 2;
			o += (size_t)snprintf(out + o, outn > o ? outn - o : 0, "%llu.%llu", first,
					      v - first * 40);
			arc = 2;
		} else {
			if (arc == 3)
				*arc3 = v > INT_MAX ? -1 : (int)v;
			o += (size_t)snprintf(out + o, outn > o ? outn - o : 0, ".%llu", v);
			arc++;
		}
		if (o >= outn)
			o = outn - 1;
		v = 0;
	}
}

/* Flattens a DER Name into its attributes, in document order (pkix.Name.Names). */
static size_t parse_name(const unsigned char *dn, size_t len, struct atv **out)
{
	struct cf_der_reader r = {dn, len}, rs, rset, ratv;
	struct cf_der_tlv seq, set, atv, oid, val;
	size_t n = 0, cap = 0, rdn = 0;
	*out = NULL;
	if (cf_der_next(&r, &seq) != 1)
		return 0;
	rs.p = seq.content;
	rs.len = seq.len;
	while (cf_der_next(&rs, &set) == 1) {
		rset.p = set.content;
		rset.len = set.len;
		while (cf_der_next(&rset, &atv) == 1) {
			ratv.p = atv.content;
			ratv.len = atv.len;
			if (cf_der_next(&ratv, &oid) != 1 || oid.tag != CF_DER_OID ||
			    cf_der_next(&ratv, &val) != 1)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 8;
				*out = cf_xrealloc(*out, cap * sizeof **out);
			}
			struct atv *a = &(*out)[n++];
			memset(a, 0, sizeof *a);
			oid_text(oid.content, oid.len, a->oid, sizeof a->oid, &a->arc3);
			a->rdn = rdn;
			a->raw_value = val.raw;
			a->raw_value_len = val.rawlen;
			if (cf_der_string_utf8(&val, &a->value) > 0) {
				a->is_string = 1;
			} else {
				cf_buf_release(&a->value);
				cf_buf_add(&a->value, val.content, val.len);
			}
			if (!a->value.data)
				cf_buf_add(&a->value, "", 0);
			a->std = strncmp(a->oid, "2.5.4.", 6) == 0 && a->arc3 >= 0 &&
				 strchr(a->oid + 6, '.') == NULL &&
				 (a->arc3 == 3 || a->arc3 == 5 || a->arc3 == 6 || a->arc3 == 7 ||
				  a->arc3 == 8 || a->arc3 == 9 || a->arc3 == 10 || a->arc3 == 11 ||
				  a->arc3 == 17);
		}
		rdn++;
	}
	return n;
}

static void free_atvs(struct atv *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cf_buf_release(&a[i].value);
	free(a);
}

void cf_bundle_name_slashed(const unsigned char *dn, size_t len, struct cf_buf *out)
{
	struct atv *a;
	size_t n = parse_name(dn, len, &a);
	for (size_t i = 0; i < n; i++) {
		const char *name = "";
		switch (a[i].arc3) {
		case 3: name = "CommonName"; break;
		case 5: name = "SerialNumber"; break;
		case 6: name = "Country"; break;
		case 7: name = "Locality"; break;
		case 8: name = "Province"; break;
		case 9: name = "StreetAddress"; break;
		case 10: name = "Organization"; break;
		case 11: name = "OrganizationalUnit"; break;
		case 17: name = "PostalCode"; break;
		}
		cf_buf_printf(out, "/%s=", name);
		cf_buf_add(out, a[i].value.data, a[i].value.len);
	}
	free_atvs(a, n);
}

static void escape_value(struct cf_buf *out, const struct cf_buf *v)
{
	for (size_t k = 0; k < v->len; k++) {
		unsigned char c = v->data[k];
		int esc = 0;
		switch (c) {
		case ',':
		case '+':
		case '"':
		case '\\':
		case '<':
		case '>':
		case ';': esc = 1; break;
		case ' ': esc = k == 0 || k == v->len - 1; break;
		case '#': esc = k == 0; break;
		}
		if (esc)
			cf_buf_addc(out, '\\');
		cf_buf_addc(out, c);
	}
}

struct rdn_item {
	const char *type; /* NULL: non-standard, printed as oid=#hex */
	const struct atv *a;
};

void cf_bundle_name_string(const unsigned char *dn, size_t len, struct cf_buf *out)
{
	struct atv *a;
	size_t n = parse_name(dn, len, &a);
	/* pkix.Name.String: the non-standard attributes first (one RDN each),
	 * then ToRDNSequence's fixed order with multi-valued RDNs; printed in
	 * reverse RDN order. The last CommonName / SerialNumber wins. */
	static const struct {
		int arc;
		const char *type;
	} order[] = {{6, "C"},  {8, "ST"},  {7, "L"},  {9, "STREET"},      {17, "POSTALCODE"},
		     {10, "O"}, {11, "OU"}, {3, "CN"}, {5, "SERIALNUMBER"}};
	struct rdn_item *items = cf_xcalloc(n + 1, sizeof *items);
	size_t *rdn_start = cf_xcalloc(n + 10, sizeof *rdn_start);
	size_t ni = 0, nr = 0;
	for (size_t i = 0; i < n; i++) {
		if (a[i].std)
			continue;
		rdn_start[nr++] = ni;
		items[ni].type = NULL;
		items[ni++].a = &a[i];
	}
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
		int single = order[k].arc == 3 || order[k].arc == 5;
		const struct atv *last = NULL;
		size_t start = ni;
		for (size_t i = 0; i < n; i++) {
			if (!a[i].std || a[i].arc3 != order[k].arc || !a[i].is_string)
				continue;
			if (single) {
				last = &a[i];
				continue;
			}
			items[ni].type = order[k].type;
			items[ni++].a = &a[i];
		}
		if (single && last && last->value.len) {
			items[ni].type = order[k].type;
			items[ni++].a = last;
		}
		if (ni > start)
			rdn_start[nr++] = start;
	}
	rdn_start[nr] = ni;
	for (size_t r = nr; r-- > 0;) {
		if (r != nr - 1)
			cf_buf_addc(out, ',');
		for (size_t j = rdn_start[r]; j < rdn_start[r + 1]; j++) {
			if (j > rdn_start[r])
				cf_buf_addc(out, '+');
			const struct atv *x = items[j].a;
			if (!items[j].type) {
				struct cf_buf der = CF_BUF_INIT;
				if (x->is_string)
					cf_der_go_string(&der, (const char *)x->value.data,
							 x->value.len);
				else
					cf_buf_add(&der, x->raw_value, x->raw_value_len);
				cf_buf_printf(out, "%s=#", x->oid);
				for (size_t i = 0; i < der.len; i++)
					cf_buf_printf(out, "%02x", der.data[i]);
				cf_buf_release(&der);
				continue;
			}
			cf_buf_printf(out, "%s=", items[j].type);
			escape_value(out, &x->value);
		}
	}
	free(items);
	free(rdn_start);
	free_atvs(a, n);
}

static void log_subject(const char *prefix, const struct cf_bundle_cert *c)
{
	struct cf_buf s = CF_BUF_INIT;
	cf_bundle_name_string(c->subject, c->subject_len, &s);
	cf_buf_add(&s, "", 0);
	cf_info("%s%s", prefix, (const char *)s.data);
	cf_buf_release(&s);
}

/* ---- Go's x509 verification ---- */

enum verr_kind {
	VE_NONE,
	VE_UNKNOWN_AUTHORITY,
	VE_NOT_AUTHORIZED = 10, /* CertificateInvalidError reasons: 1210 + reason */
	VE_EXPIRED = 11,
	VE_TOO_MANY_INTERMEDIATES = 13,
	VE_OTHER = 100,
};

struct verr {
	enum verr_kind kind;
	char msg[CF_ERROR_MSG_MAX];
};

static int is_sha1_or_md(int algo)
{
	switch (algo) {
	case GNUTLS_SIGN_RSA_SHA1:
	case GNUTLS_SIGN_DSA_SHA1:
	case GNUTLS_SIGN_ECDSA_SHA1:
	case GNUTLS_SIGN_RSA_MD5:
	case GNUTLS_SIGN_RSA_MD2: return 1;
	}
	return 0;
}

static const char *go_sig_name(int algo)
{
	switch (algo) {
	case GNUTLS_SIGN_RSA_MD2: return "MD2WithRSA";
	case GNUTLS_SIGN_RSA_MD5: return "MD5WithRSA";
	case GNUTLS_SIGN_RSA_SHA1: return "SHA1WithRSA";
	case GNUTLS_SIGN_RSA_SHA256: return "SHA256WithRSA";
	case GNUTLS_SIGN_RSA_SHA384: return "SHA384WithRSA";
	case GNUTLS_SIGN_RSA_SHA512: return "SHA512WithRSA";
	case GNUTLS_SIGN_DSA_SHA1: return "DSAWithSHA1";
	case GNUTLS_SIGN_DSA_SHA256: return "DSAWithSHA256";
	case GNUTLS_SIGN_ECDSA_SHA1: return "ECDSAWithSHA1";
	case GNUTLS_SIGN_ECDSA_SHA256: return "ECDSAWithSHA256";
	case GNUTLS_SIGN_ECDSA_SHA384: return "ECDSAWithSHA384";
	case GNUTLS_SIGN_ECDSA_SHA512: return "ECDSAWithSHA512";
	case GNUTLS_SIGN_EDDSA_ED25519: return "Ed25519";
	}
	return "Unknown Signature";
}

/* Go's x509 SignatureAlgorithm.String() for the insecure ones. */
static const char *go_sig_string(int algo)
{
	switch (algo) {
	case GNUTLS_SIGN_RSA_MD2: return "MD2-RSA";
	case GNUTLS_SIGN_RSA_MD5: return "MD5-RSA";
	case GNUTLS_SIGN_RSA_SHA1: return "SHA1-RSA";
	case GNUTLS_SIGN_DSA_SHA1: return "DSA-SHA1";
	case GNUTLS_SIGN_ECDSA_SHA1: return "ECDSA-SHA1";
	}
	return "0";
}

/* x509.Certificate.CheckSignatureFrom(parent): 0, or -1 with Go's text in @why. */
static int check_signature_from(const struct cf_bundle_cert *c, const struct cf_bundle_cert *parent,
				char *why, size_t whyn)
{
	if ((parent->version == 3 && !parent->bc_valid) || (parent->bc_valid && !parent->is_ca) ||
	    (parent->key_usage && !(parent->key_usage & GNUTLS_KEY_KEY_CERT_SIGN))) {
		snprintf(why, whyn,
			 "x509: invalid signature: parent certificate cannot sign this kind of "
			 "certificate");
		return -1;
	}
	if (parent->pk != GNUTLS_PK_RSA && parent->pk != GNUTLS_PK_ECDSA &&
	    parent->pk != GNUTLS_PK_EDDSA_ED25519 && parent->pk != GNUTLS_PK_RSA_PSS) {
		snprintf(why, whyn, "x509: cannot verify signature: algorithm unimplemented");
		return -1;
	}
	if (is_sha1_or_md(c->sign_algo)) {
		int sha1 = c->sign_algo == GNUTLS_SIGN_RSA_SHA1 ||
			   c->sign_algo == GNUTLS_SIGN_ECDSA_SHA1;
		snprintf(why, whyn, "x509: cannot verify signature: insecure algorithm %s%s",
			 go_sig_string(c->sign_algo),
			 sha1 ? " (temporarily override with GODEBUG=x509sha1=1)" : "");
		return -1;
	}
	gnutls_pubkey_t pub;
	if (gnutls_pubkey_init(&pub) < 0) {
		snprintf(why, whyn, "x509: cannot verify signature: out of memory");
		return -1;
	}
	int ret = -1;
	if (gnutls_pubkey_import_x509(pub, parent->crt, 0) >= 0) {
		gnutls_datum_t tbs = {(unsigned char *)c->tbs, (unsigned)c->tbs_len};
		gnutls_datum_t sig = {(unsigned char *)c->sig, (unsigned)c->sig_len};
		if (gnutls_pubkey_verify_data2(pub, (gnutls_sign_algorithm_t)c->sign_algo, 0, &tbs,
					       &sig) >= 0)
			ret = 0;
	}
	gnutls_pubkey_deinit(pub);
	if (ret < 0) {
		if (parent->pk == GNUTLS_PK_ECDSA)
			snprintf(why, whyn, "x509: ECDSA verification failure");
		else if (parent->pk == GNUTLS_PK_EDDSA_ED25519)
			snprintf(why, whyn, "x509: Ed25519 verification failure");
		else
			snprintf(why, whyn, "crypto/rsa: verification error");
	}
	return ret;
}

static void rfc3339(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum cert_type { LEAF, INTERMEDIATE, ROOT };

struct chainset {
	struct cf_bundle_cert ***v; /* each chain: NULL-free array of n[i] */
	size_t *len;
	size_t n, cap;
};

static void chainset_add(struct chainset *s, struct cf_bundle_cert **c, size_t n)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4;
		s->v = cf_xrealloc(s->v, s->cap * sizeof *s->v);
		s->len = cf_xrealloc(s->len, s->cap * sizeof *s->len);
	}
	s->v[s->n] = cf_xmalloc(n * sizeof **s->v);
	memcpy(s->v[s->n], c, n * sizeof *c);
	s->len[s->n++] = n;
}

static void chainset_release(struct chainset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s->len);
	memset(s, 0, sizeof *s);
}

/* x509.Certificate.isValid without name constraints and critical-extension checks. */
static int is_valid(const struct cf_bundle_cert *c, enum cert_type type, size_t chain_len,
		    int64_t now, struct verr *e)
{
	char a[40], b[40];
	if (now < c->not_before || now > c->not_after) {
		int before = now < c->not_before;
		rfc3339(now, a, sizeof a);
		rfc3339(before ? c->not_before : c->not_after, b, sizeof b);
		e->kind = VE_EXPIRED;
		snprintf(e->msg, sizeof e->msg,
			 "x509: certificate has expired or is not yet valid: current time %s is "
			 "%s %s",
			 a, before ? "before" : "after", b);
		return -1;
	}
	if (type == INTERMEDIATE && (!c->bc_valid || !c->is_ca)) {
		e->kind = VE_NOT_AUTHORIZED;
		snprintf(e->msg, sizeof e->msg,
			 "x509: certificate is not authorized to sign other certificates");
		return -1;
	}
	if (c->bc_valid && c->max_path_len >= 0 && (long long)chain_len - 1 > c->max_path_len) {
		e->kind = VE_TOO_MANY_INTERMEDIATES;
		snprintf(e->msg, sizeof e->msg,
			 "x509: too many intermediates for path length constraint");
		return -1;
	}
	return 0;
}

/* Go's CertPool.findPotentialParents: same raw issuer name; matching key
 * identifiers first, then one side without, then mismatching ones. */
static size_t potential_parents(const struct cf_bundle_pool *p, const struct cf_bundle_cert *c,
				struct cf_bundle_cert **out)
{
	size_t n = 0;
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < p->n; i++) {
			const struct cf_bundle_cert *k = p->v[i];
			if (k->subject_len != c->issuer_len ||
			    memcmp(k->subject, c->issuer, c->issuer_len) != 0)
				continue;
			int match =
				k->ski_len == c->aki_len && memcmp(k->ski, c->aki, c->aki_len) == 0;
			int one = (!k->ski_len && c->aki_len) || (k->ski_len && !c->aki_len);
			int cls = match ? 0 : one ? 1 : 2;
			if (cls == pass)
				out[n++] = p->v[i];
		}
	}
	return n;
}

struct builder {
	const struct cf_bundle_pool *roots, *ints;
	int64_t now;
	int sig_checks;
};

static void unknown_authority(struct verr *e, const char *hint, const struct cf_bundle_cert *hc)
{
	e->kind = VE_UNKNOWN_AUTHORITY;
	struct cf_buf b = CF_BUF_INIT;
	cf_buf_adds(&b, "x509: certificate signed by unknown authority");
	if (hint) {
		/* Go names the candidate by CN, else first O, else its serial. */
		struct atv *a;
		size_t n = parse_name(hc->subject, hc->subject_len, &a);
		const struct atv *cn = NULL, *o = NULL;
		for (size_t i = 0; i < n; i++) {
			if (a[i].std && a[i].arc3 == 3 && a[i].is_string)
				cn = &a[i];
			if (a[i].std && a[i].arc3 == 10 && a[i].is_string && !o)
				o = &a[i];
		}
		struct cf_buf name = CF_BUF_INIT;
		if (cn && cn->value.len) {
			cf_buf_add(&name, cn->value.data, cn->value.len);
		} else if (o) {
			cf_buf_add(&name, o->value.data, o->value.len);
		} else {
			unsigned char serial[64];
			size_t sn = sizeof serial;
			cf_buf_adds(&name, "serial:");
			if (gnutls_x509_crt_get_serial(hc->crt, serial, &sn) >= 0 && sn <= 64)
				cf_bigint_dec_unsigned(serial, sn, &name);
		}
		cf_buf_adds(&b, " (possibly because of ");
		cf_go_quote(&b, hint, strlen(hint));
		cf_buf_adds(&b, " while trying to verify candidate authority certificate ");
		cf_go_quote(&b, (const char *)name.data, name.len);
		cf_buf_adds(&b, ")");
		cf_buf_release(&name);
		free_atvs(a, n);
	}
	cf_buf_add(&b, "", 0);
	snprintf(e->msg, sizeof e->msg, "%s", (const char *)b.data);
	cf_buf_release(&b);
}

/* x509.Certificate.buildChains. @cur holds the chain so far (leaf first). */
static void build_chains(struct builder *bd, struct cf_bundle_cert **cur, size_t ncur,
			 struct chainset *out, struct verr *err)
{
	const struct cf_bundle_cert *c = cur[ncur - 1];
	char hint[256];
	int have_hint = 0;
	const struct cf_bundle_cert *hint_cert = NULL;
	size_t found_before = out->n;
	err->kind = VE_NONE;
	for (int type = ROOT; type >= INTERMEDIATE; type--) {
		const struct cf_bundle_pool *p = type == ROOT ? bd->roots : bd->ints;
		struct cf_bundle_cert **cands = cf_xcalloc(p->n + 1, sizeof *cands);
		size_t nc = potential_parents(p, c, cands);
		for (size_t i = 0; i < nc; i++) {
			struct cf_bundle_cert *k = cands[i];
			int seen = 0;
			for (size_t j = 0; j < ncur; j++)
				if (cert_equal(cur[j], k))
					seen = 1;
			if (seen)
				continue;
			if (++bd->sig_checks > 100) {
				err->kind = VE_OTHER;
				snprintf(err->msg, sizeof err->msg,
					 "x509: signature check attempts limit reached while "
					 "verifying certificate chain");
				continue;
			}
			char why[256];
			if (check_signature_from(c, k, why, sizeof why) < 0) {
				if (!have_hint) {
					have_hint = 1;
					snprintf(hint, sizeof hint, "%s", why);
					hint_cert = k;
				}
				continue;
			}
			if (is_valid(k, (enum cert_type)type, ncur, bd->now, err) < 0)
				continue;
			cur[ncur] = k;
			if (type == ROOT) {
				chainset_add(out, cur, ncur + 1);
			} else {
				build_chains(bd, cur, ncur + 1, out, err);
			}
		}
		free(cands);
	}
	if (out->n > found_before)
		err->kind = VE_NONE;
	if (out->n == found_before && err->kind == VE_NONE)
		unknown_authority(err, have_hint ? hint : NULL, hint_cert);
}

/* x509.Certificate.Verify with ExtKeyUsageAny. */
static int go_verify(const struct cf_bundle_pool *roots, const struct cf_bundle_pool *ints,
		     struct cf_bundle_cert *leaf, int64_t now, struct chainset *out, struct verr *e)
{
	e->kind = VE_NONE;
	if (is_valid(leaf, LEAF, 0, now, e) < 0)
		return -1;
	if (pool_contains(roots, leaf)) {
		chainset_add(out, &leaf, 1);
		return 0;
	}
	struct builder bd = {roots, ints, now, 0};
	/* Chains cannot be longer than every stored certificate plus the leaf. */
	struct cf_bundle_cert **cur = cf_xcalloc(roots->n + ints->n + 2, sizeof *cur);
	cur[0] = leaf;
	build_chains(&bd, cur, 1, out, e);
	free(cur);
	if (out->n == 0)
		return -1;
	e->kind = VE_NONE;
	return 0;
}

static int verr_to_error(const struct verr *e, struct cf_error *err)
{
	int code = 1200;
	if (e->kind == VE_UNKNOWN_AUTHORITY)
		code = 1220;
	else if (e->kind == VE_NOT_AUTHORIZED || e->kind == VE_EXPIRED ||
		 e->kind == VE_TOO_MANY_INTERMEDIATES)
		code = 1200 + (int)e->kind;
	return cf_error_set(err, code, "%s", e->msg);
}

/* ---- cfssl's chain ranking (ubiquity package), without platform metadata ---- */

static int hash_ubiquity(const struct cf_bundle_cert *c)
{
	switch (c->sign_algo) {
	case GNUTLS_SIGN_ECDSA_SHA1:
	case GNUTLS_SIGN_DSA_SHA1:
	case GNUTLS_SIGN_RSA_SHA1: return 100;
	case GNUTLS_SIGN_ECDSA_SHA256:
	case GNUTLS_SIGN_ECDSA_SHA384:
	case GNUTLS_SIGN_ECDSA_SHA512:
	case GNUTLS_SIGN_DSA_SHA256:
	case GNUTLS_SIGN_RSA_SHA256:
	case GNUTLS_SIGN_RSA_SHA384:
	case GNUTLS_SIGN_RSA_SHA512: return 70;
	}
	return 0;
}

static int hash_priority(const struct cf_bundle_cert *c)
{
	int u = hash_ubiquity(c);
	return u == 100 ? 10 : u == 70 ? 100 : 0;
}

/* The curve's size as Go's elliptic.CurveParams.BitSize gives it: GnuTLS counts P-521 in whole
 * bytes (528). */
static unsigned curve_bits(int curve)
{
	switch (curve) {
	case GNUTLS_ECC_CURVE_SECP224R1: return 224;
	case GNUTLS_ECC_CURVE_SECP256R1: return 256;
	case GNUTLS_ECC_CURVE_SECP384R1: return 384;
	case GNUTLS_ECC_CURVE_SECP521R1: return 521;
	}
	return 0;
}

static int key_algo_ubiquity(const struct cf_bundle_cert *c)
{
	switch (c->pk) {
	case GNUTLS_PK_ECDSA:
		switch (c->curve) {
		case GNUTLS_ECC_CURVE_SECP256R1:
		case GNUTLS_ECC_CURVE_SECP384R1: return 70;
		case GNUTLS_ECC_CURVE_SECP521R1: return 30;
		}
		return 0;
	case GNUTLS_PK_RSA: return c->bits >= 1024 ? 100 : 0;
	case GNUTLS_PK_DSA: return 100;
	}
	return 0;
}

static int key_algo_priority(const struct cf_bundle_cert *c)
{
	switch (c->pk) {
	case GNUTLS_PK_ECDSA:
		switch (c->curve) {
		case GNUTLS_ECC_CURVE_SECP384R1: return 120;
		case GNUTLS_ECC_CURVE_SECP521R1: return 140;
		}
		return 100;
	case GNUTLS_PK_RSA:
		return c->bits == 4096 ? 70 : c->bits == 3072 ? 50 : c->bits == 2048 ? 30 : 0;
	}
	return 0;
}

static int chain_min(struct cf_bundle_cert **ch, size_t n, int (*f)(const struct cf_bundle_cert *))
{
	int m = INT_MAX;
	for (size_t i = 0; i < n; i++)
		if (f(ch[i]) < m)
			m = f(ch[i]);
	return m;
}

static int chain_priority(struct cf_bundle_cert **ch, size_t n,
			  int (*f)(const struct cf_bundle_cert *))
{
	double r = 0;
	for (size_t i = 0; i < n; i++) {
		double f1 = 1.0 / ((double)i + 1.0);
		r = (double)f(ch[i]) * f1 + r * (1.0 - f1);
	}
	return (int)r;
}

static int64_t chain_expiry(struct cf_bundle_cert **ch, size_t n)
{
	int64_t t = n ? ch[0]->not_after : 0;
	for (size_t i = 0; i < n; i++)
		if (ch[i]->not_after < t)
			t = ch[i]->not_after;
	return t;
}

static int cmp64(int64_t a, int64_t b)
{
	return a > b ? 1 : a < b ? -1 : 0;
}

/* helpers.ValidExpiry: CA/Browser Forum maximum validity by issue date. */
static int valid_expiry(const struct cf_bundle_cert *c)
{
	time_t nb = (time_t)c->not_before, na = (time_t)c->not_after;
	struct tm a, b;
	gmtime_r(&nb, &a);
	gmtime_r(&na, &b);
	int months = (b.tm_year - a.tm_year) * 12 + b.tm_mon - a.tm_mon;
	if (b.tm_mday > a.tm_mday)
		months++;
	const int64_t jul2012 = 1341100800, apr2015 = 1427846400; /* minus 1 ns in Go */
	int max = c->not_before >= apr2015 ? 39 : c->not_before >= jul2012 ? 60 : 120;
	return months <= max;
}

enum rank {
	R_SHA2_HOMOGENEITY,
	R_LENGTH,
	R_HASH_UBIQUITY,
	R_KEYALGO_UBIQUITY,
	R_EXPIRY_UBIQUITY,
	R_EXPIRY,
	R_CRYPTO_SUITE,
};

static int sha2_homogeneity(struct cf_bundle_cert **ch, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (hash_ubiquity(ch[i]) != 70)
			return 0;
	return 1;
}

static int compare(enum rank r, struct cf_bundle_cert **a, size_t na, struct cf_bundle_cert **b,
		   size_t nb)
{
	switch (r) {
	case R_SHA2_HOMOGENEITY: return sha2_homogeneity(a, na) - sha2_homogeneity(b, nb);
	case R_LENGTH: return (int)nb - (int)na;
	case R_HASH_UBIQUITY:
		return chain_min(a, na, hash_ubiquity) - chain_min(b, nb, hash_ubiquity);
	case R_KEYALGO_UBIQUITY:
		return chain_min(a, na, key_algo_ubiquity) - chain_min(b, nb, key_algo_ubiquity);
	case R_EXPIRY_UBIQUITY:
		for (size_t i = 0; i < na && i < nb; i++) {
			const struct cf_bundle_cert *x = a[na - 1 - i], *y = b[nb - 1 - i];
			int vx = valid_expiry(x), vy = valid_expiry(y);
			if (vx && !vy)
				return 1;
			if (!vx && vy)
				return -1;
			int c = cmp64(x->not_after, y->not_after);
			if (c)
				return c;
		}
		return 0;
	case R_EXPIRY: return cmp64(chain_expiry(a, na), chain_expiry(b, nb));
	case R_CRYPTO_SUITE:
		return chain_priority(a, na, hash_priority) +
		       chain_priority(a, na, key_algo_priority) -
		       chain_priority(b, nb, hash_priority) -
		       chain_priority(b, nb, key_algo_priority);
	}
	return 0;
}

/* ubiquity.Filter: keeps the chains ranked equal to the best one, in order. */
static void filter(struct chainset *s, enum rank r)
{
	if (s->n <= 1)
		return;
	size_t best = 0, k = 0;
	size_t *keep = cf_xcalloc(s->n, sizeof *keep);
	for (size_t i = 0; i < s->n; i++) {
		int c = compare(r, s->v[best], s->len[best], s->v[i], s->len[i]);
		if (c < 0) {
			best = i;
			k = 0;
			keep[k++] = i;
		} else if (c == 0) {
			keep[k++] = i;
		}
	}
	struct chainset t = {0};
	for (size_t i = 0; i < k; i++)
		chainset_add(&t, s->v[keep[i]], s->len[keep[i]]);
	free(keep);
	chainset_release(s);
	*s = t;
}

/* ---- the bundle ---- */

static void add_message(struct cf_bundle *b, const char *m)
{
	b->messages = cf_xrealloc(b->messages, (b->nmessages + 1) * sizeof *b->messages);
	b->messages[b->nmessages++] = cf_xstrdup(m);
}

static int partial_verify(struct cf_bundle_cert **c, size_t n)
{
	char why[256];
	if (n == 0)
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (check_signature_from(c[i], c[i + 1], why, sizeof why) < 0)
			return 0;
	return 1;
}

static int self_signed(const struct cf_bundle_cert *c)
{
	char why[256];
	return check_signature_from(c, c, why, sizeof why) == 0;
}

static int key_matches(const struct cf_bundle_cert *c, gnutls_x509_privkey_t key)
{
	unsigned char a[64], b[64];
	size_t na = sizeof a, nb = sizeof b;
	if (gnutls_x509_crt_get_key_id(c->crt, GNUTLS_KEYID_USE_SHA256, a, &na) < 0 ||
	    gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA256, b, &nb) < 0)
		return 0;
	return na == nb && memcmp(a, b, na) == 0;
}

/* cfssl's constructCertFileName: CN without dots and spaces, then the SKI and
 * the serial number in lowercase hex. */
static void stash(const char *dir, const struct cf_bundle_cert *c)
{
	struct cf_buf path = CF_BUF_INIT, name = CF_BUF_INIT, pem = CF_BUF_INIT;
	struct atv *a;
	size_t n = parse_name(c->subject, c->subject_len, &a);
	const struct atv *cn = NULL;
	for (size_t i = 0; i < n; i++)
		if (a[i].std && a[i].arc3 == 3 && a[i].is_string)
			cn = &a[i];
	for (size_t i = 0; cn && i < cn->value.len; i++)
		if (cn->value.data[i] != '.' && cn->value.data[i] != ' ')
			cf_buf_addc(&name, cn->value.data[i]);
	free_atvs(a, n);
	cf_buf_addc(&name, '_');
	for (size_t i = 0; i < c->ski_len; i++)
		cf_buf_printf(&name, "%02x", c->ski[i]);
	cf_buf_addc(&name, '_');
	unsigned char serial[64];
	size_t sn = sizeof serial, k = 0;
	if (gnutls_x509_crt_get_serial(c->crt, serial, &sn) >= 0) {
		while (k < sn && serial[k] == 0)
			k++;
		for (; k < sn; k++)
			cf_buf_printf(&name, "%02x", serial[k]);
	}
	cf_buf_adds(&name, ".crt");
	cf_buf_printf(&path, "%s/", dir);
	cf_buf_add(&path, name.data, name.len);
	struct cf_error e = {0};
	if (memchr(name.data, '\0', name.len)) {
		/* Go refuses a path holding a NUL (cfssl's record, the NUL as it is) */
		struct cf_buf msg = CF_BUF_INIT;
		cf_buf_adds(&msg, "failed to write new intermediate: open ");
		cf_buf_add(&msg, path.data, path.len);
		cf_buf_adds(&msg, ": invalid argument");
		cf_log_bytes(CF_LOG_ERROR, msg.data, msg.len);
		cf_buf_release(&msg);
		goto out;
	}
	if (strchr((const char *)name.data, '/')) {
		/* cfssl would write into a subfolder named by the CN: the stash stays flat */
		cf_errorlog(
			"failed to write new intermediate: open %s: the CN puts a / in the name",
			(const char *)path.data);
		goto out;
	}
	cf_pem_encode(&pem, "CERTIFICATE", c->der, c->len);
	if (cf_write_file_atomic((const char *)path.data, pem.data, pem.len, 0644, &e) < 0)
		cf_errorlog("failed to write new intermediate: %s", e.msg);
	else
		cf_info("stashed new intermediate %s", (const char *)name.data);
out:
	cf_buf_release(&path);
	cf_buf_release(&name);
	cf_buf_release(&pem);
}

/* Chain building with the certificates that came with the leaf: cfssl's
 * fetchIntermediates without the network. Walking from the root end, each
 * given certificate that verifies against the stores joins the
 * intermediates. Returns whether any step verified (cfssl's foundChains). */
static int use_given_intermediates(struct cf_bundler *b, struct cf_bundle_pool *certs, int64_t now)
{
	int found = 0;
	size_t n = certs->n;
	for (size_t top = n; top > 0; top--) {
		/* chain = certs[top-1 .. 0], closest to the root first */
		int ok = 1;
		for (size_t k = top; k-- > 0;) {
			struct cf_bundle_cert *c = certs->v[k];
			if (pool_contains(&b->roots, c) || pool_contains(&b->ints, c))
				continue;
			struct chainset cs = {0};
			struct verr e;
			int r = go_verify(&b->roots, &b->ints, c, now, &cs, &e);
			chainset_release(&cs);
			if (r < 0) {
				ok = 0;
				break;
			}
			if (k == top - 1 && self_signed(c))
				continue;
			if (k == 0)
				continue;
			(void)cf_bundle_pool_add_der(&b->ints, c->der, c->len, 1);
			if (b->stash_dir && *b->stash_dir)
				stash(b->stash_dir, c);
		}
		if (ok)
			found++;
	}
	return found > 0;
}

/* The last word: GnuTLS verifies the picked chain against its root. */
static int gnutls_check(struct cf_bundle_cert **ch, size_t n, struct cf_error *err)
{
	gnutls_x509_trust_list_t tl;
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return cf_error_set(err, 1200, "Unable to verify certificate");
	gnutls_x509_crt_t root = NULL;
	int ret = -1;
	if (cf_crt_import_der(ch[n - 1]->der, ch[n - 1]->len, &root, NULL) < 0) {
		cf_error_set(err, 1200, "Unable to verify certificate");
		goto out;
	}
	if (gnutls_x509_trust_list_add_cas(tl, &root, 1, 0) < 0) {
		gnutls_x509_crt_deinit(root);
		cf_error_set(err, 1200, "Unable to verify certificate");
		goto out;
	}
	gnutls_x509_crt_t *list = cf_xcalloc(n, sizeof *list);
	size_t m = n - 1;
	for (size_t i = 0; i < m; i++)
		list[i] = ch[i]->crt;
	unsigned status = 0;
	int r = gnutls_x509_trust_list_verify_crt2(
		tl, list, (unsigned)m, NULL, 0, GNUTLS_VERIFY_ALLOW_X509_V1_CA_CRT, &status, NULL);
	free(list);
	/* A certificate GnuTLS holds without its empty names cannot match its signature: the
	 * chain's signatures were checked on the exact DER (check_signature_from) */
	int altered = 0;
	for (size_t i = 0; i < m; i++)
		altered |= ch[i]->crt_altered;
	if (altered) {
		status &= ~(unsigned)GNUTLS_CERT_SIGNATURE_FAILURE;
		if (status == GNUTLS_CERT_INVALID)
			status = 0;
	}
	if (r < 0 || status) {
		gnutls_datum_t txt = {NULL, 0};
		if (r >= 0 && gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509,
									   &txt, 0) >= 0) {
			cf_error_set(err, 1200, "%s", (const char *)txt.data);
			gnutls_free(txt.data);
		} else {
			cf_error_set(err, 1200, "Unable to verify certificate");
		}
		goto out;
	}
	ret = 0;
out:
	gnutls_x509_trust_list_deinit(tl, 1);
	return ret;
}

static const char sha2_warning[] =
	"The bundle contains certificates signed with advanced hash functions such as SHA2, "
	"which are problematic for certain operating systems, e.g. Windows XP SP2.";
static const char ecdsa_warning[] =
	"The bundle contains ECDSA signatures, which are problematic for certain operating "
	"systems, e.g. Windows XP, Android 2.2 and Android 2.3.";
static const char ubiquity_warning[] =
	"Unable to measure bundle ubiquity: No platform metadata present.";

int cf_bundle_build(struct cf_bundler *b, struct cf_bundle_pool *certs, gnutls_x509_privkey_t key,
		    enum cf_bundle_flavor flavor, int64_t now, struct cf_bundle *out,
		    struct cf_error *err)
{
	memset(out, 0, sizeof *out);
	if (certs->n == 0)
		return cf_error_set(err, CF_ERR_CERT_DECODE, "Failed to decode certificate");
	log_subject("bundling certificate for ", certs->v[0]);

	/* A chain given root first is turned around. */
	if (certs->n > 1 && !partial_verify(certs->v, certs->n)) {
		struct cf_bundle_cert **r = cf_xmalloc(certs->n * sizeof *r);
		for (size_t i = 0; i < certs->n; i++)
			r[i] = certs->v[certs->n - 1 - i];
		if (partial_verify(r, certs->n))
			memcpy(certs->v, r, certs->n * sizeof *r);
		free(r);
	}
	struct cf_bundle_cert *leaf = certs->v[0];
	if (leaf->pk != GNUTLS_PK_RSA && leaf->pk != GNUTLS_PK_ECDSA &&
	    leaf->pk != GNUTLS_PK_EDDSA_ED25519)
		return cf_error_set(err, CF_ERR_KEY_ALGO,
				    "Private key algorithm is not RSA or ECC or Ed25519");
	if (key && !key_matches(leaf, key))
		return cf_error_set(err, CF_ERR_KEY_MISMATCH,
				    "Private key does not match public key");
	out->leaf = leaf;
	out->force = flavor == CF_BUNDLE_FORCE;

	struct chainset cs = {0};
	if (flavor == CF_BUNDLE_FORCE) {
		if (!partial_verify(certs->v, certs->n))
			return cf_error_set(err, 1200, "Unable to verify the certificate chain");
		chainset_add(&cs, certs->v, certs->n);
	} else {
		if (self_signed(leaf))
			return cf_error_set(err, 1100, "Certificate is self signed");
		struct verr e;
		if (go_verify(&b->roots, &b->ints, leaf, now, &cs, &e) < 0) {
			chainset_release(&cs);
			if (e.kind != VE_UNKNOWN_AUTHORITY || certs->n < 2 ||
			    !use_given_intermediates(b, certs, now))
				return verr_to_error(&e, err);
			if (go_verify(&b->roots, &b->ints, leaf, now, &cs, &e) < 0) {
				chainset_release(&cs);
				return verr_to_error(&e, err);
			}
		}
		if (flavor != CF_BUNDLE_OPTIMAL) {
			if (flavor == CF_BUNDLE_UBIQUITOUS)
				cf_warning("No metadata, Ubiquitous falls back to Optimal.");
			/* Cross-platform ubiquity: every chain scores 0 without metadata. */
			filter(&cs, R_SHA2_HOMOGENEITY);
			filter(&cs, R_LENGTH);
			filter(&cs, R_HASH_UBIQUITY);
			filter(&cs, R_KEYALGO_UBIQUITY);
			filter(&cs, R_EXPIRY_UBIQUITY);
		}
		filter(&cs, R_LENGTH);
		filter(&cs, R_EXPIRY);
		filter(&cs, R_CRYPTO_SUITE);
		if (cs.len[0] > 1 && gnutls_check(cs.v[0], cs.len[0], err) < 0) {
			chainset_release(&cs);
			return -1;
		}
	}
	out->n = cs.len[0];
	out->chain = cf_xmalloc(out->n * sizeof *out->chain);
	memcpy(out->chain, cs.v[0], out->n * sizeof *out->chain);
	chainset_release(&cs);

	for (size_t i = 0; i < out->n; i++) {
		if (out->chain[i]->not_after - now < 720 * 3600) {
			struct cf_buf s = CF_BUF_INIT;
			for (size_t k = 0; k < out->chain[i]->ski_len; k++)
				cf_buf_printf(&s, "%02X", out->chain[i]->ski[k]);
			cf_buf_add(&s, "", 0);
			out->expiring_skis = cf_xrealloc(out->expiring_skis,
							 (out->nexpiring + 1) * sizeof(char *));
			out->expiring_skis[out->nexpiring++] = (char *)cf_buf_detach(&s, NULL);
		}
	}
	if (out->nexpiring) {
		struct cf_buf m = CF_BUF_INIT;
		cf_buf_adds(&m, "The bundle is expiring within 30 days.");
		cf_buf_adds(&m,
			    out->nexpiring > 1 ? "The expiring certs are" : "The expiring cert is");
		for (size_t i = 0; i < out->n; i++)
			if (out->chain[i]->not_after - now < 720 * 3600)
				cf_buf_printf(&m, " #%zu", i + 1);
		cf_buf_adds(&m, " in the chain.");
		out->code |= 1;
		add_message(out, (const char *)m.data);
		cf_buf_release(&m);
	}
	if (chain_min(out->chain, out->n, hash_ubiquity) <= 70) {
		out->code |= 2;
		add_message(out, sha2_warning);
	}
	if (chain_min(out->chain, out->n, key_algo_ubiquity) <= 70) {
		out->code |= 2;
		add_message(out, ecdsa_warning);
	}
	if (!out->force) {
		out->root = out->chain[out->n - 1];
		log_subject("the anchoring root is ", out->root);
		out->code |= 2;
		add_message(out, ubiquity_warning);
		/* SHA-1 deprecation messages cannot arise: Go 1.19 refuses SHA-1
		 * signatures while verifying, so no such chain gets this far. */
		char **urls;
		size_t ocsp = ocsp_list(leaf, &urls);
		free_list(urls, ocsp);
		/* A non-CA leaf with OCSP keeps one intermediate; the root goes
		 * otherwise. cfssl crashes on a chain of the leaf alone (a leaf found in
		 * the root store); cfssl-c keeps the leaf. */
		int is_ca = leaf->bc_valid && leaf->is_ca;
		if (!(ocsp && !is_ca && out->n <= 2) && out->n > 1)
			out->n--;
	}
	out->rebundled = out->n != certs->n;
	for (size_t i = 0; !out->rebundled && i < out->n; i++)
		out->rebundled =
			out->chain[i]->sig_len != certs->v[i]->sig_len ||
			memcmp(out->chain[i]->sig, certs->v[i]->sig, out->chain[i]->sig_len);
	out->expires = chain_expiry(out->chain, out->n);
	out->leaf_expires = out->chain[0]->not_after;
	return 0;
}

/* ---- JSON ---- */

static void json_pem(struct cf_buf *out, const struct cf_bundle_cert *const *c, size_t n)
{
	struct cf_buf p = CF_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		cf_pem_encode(&p, "CERTIFICATE", c[i]->der, c[i]->len);
	const unsigned char *d = p.data ? p.data : (const unsigned char *)"";
	size_t len = p.len;
	trim(&d, &len);
	cf_gojson_quote(out, (const char *)d, len);
	cf_buf_release(&p);
}

static void json_time(struct cf_buf *out, int64_t t)
{
	char s[40];
	rfc3339(t, s, sizeof s);
	cf_buf_printf(out, "\"%s\"", s);
}

static void json_str_list(struct cf_buf *out, char *const *v, size_t n, int null_if_empty)
{
	if (!n && null_if_empty) {
		cf_buf_adds(out, "null");
		return;
	}
	cf_buf_addc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			cf_buf_addc(out, ',');
		cf_gojson_quote(out, v[i], strlen(v[i]));
	}
	cf_buf_addc(out, ']');
}

/* cfssl's hostnames come from a Go map, so their order is random there;
 * cfssl-c lists the subject CN first, then the DNS names in certificate
 * order, without duplicates. */
static void hostnames(const struct cf_bundle_cert *c, struct cf_buf *out)
{
	char **v = NULL;
	size_t n = 0;
	struct atv *a;
	size_t na = parse_name(c->subject, c->subject_len, &a);
	const struct atv *cn = NULL;
	for (size_t i = 0; i < na; i++)
		if (a[i].std && a[i].arc3 == 3 && a[i].is_string)
			cn = &a[i];
	if (cn && cn->value.len) {
		v = cf_xgrow(v, n, sizeof *v);
		v[n++] = cf_xmemdup(cn->value.data, cn->value.len);
	}
	free_atvs(a, na);
	/* from the DER: GnuTLS's object may lack the empty names Go lists */
	struct cf_der_tlv san;
	if (find_extension(c, 0x11, &san)) {
		struct cf_der_reader r = {san.content, san.len}, gr;
		struct cf_der_tlv seq, gn;
		if (cf_der_next(&r, &seq) == 1 && seq.tag == CF_DER_SEQUENCE) {
			gr = (struct cf_der_reader){seq.content, seq.len};
			while (cf_der_next(&gr, &gn) == 1) {
				if (gn.tag != 0x82)
					continue;
				int dup = 0;
				for (size_t i = 0; i < n; i++)
					if (strlen(v[i]) == gn.len &&
					    (!gn.len || memcmp(v[i], gn.content, gn.len) == 0))
						dup = 1;
				if (dup)
					continue;
				v = cf_xgrow(v, n, sizeof *v);
				v[n++] = cf_xmemdup(gn.content, gn.len);
			}
		}
	}
	json_str_list(out, v, n, 0);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* x509.Certificate.OCSPServer: the URIs of OCSP access descriptions. */
static size_t ocsp_list(const struct cf_bundle_cert *c, char ***out)
{
	char **v = NULL;
	size_t n = 0;
	gnutls_datum_t d;
	for (unsigned seq = 0;; seq++) {
		if (gnutls_x509_crt_get_authority_info_access(
			    c->crt, seq, GNUTLS_IA_ACCESSMETHOD_OID, &d, NULL) < 0)
			break;
		int ocsp = strcmp((const char *)d.data, GNUTLS_OID_AD_OCSP) == 0;
		gnutls_free(d.data);
		if (!ocsp || gnutls_x509_crt_get_authority_info_access(c->crt, seq, GNUTLS_IA_URI,
								       &d, NULL) < 0)
			continue;
		v = cf_xrealloc(v, (n + 1) * sizeof *v);
		v[n++] = cf_xmemdup(d.data, d.size);
		gnutls_free(d.data);
	}
	*out = v;
	return n;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int crl_support(const struct cf_bundle_cert *c)
{
	for (unsigned seq = 0;; seq++) {
		char buf[1024];
		size_t sz = sizeof buf;
		unsigned reasons, crit;
		int t = gnutls_x509_crt_get_crl_dist_points(c->crt, seq, buf, &sz, &reasons, &crit);
		if (t == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return 0;
		if (t == GNUTLS_SAN_URI)
			return 1;
		if (t < 0 && t != GNUTLS_E_SHORT_MEMORY_BUFFER)
			return 0;
	}
}

void cf_bundle_json(const struct cf_bundle *b, const char *key_pem, struct cf_buf *out)
{
	const struct cf_bundle_cert *leaf = b->leaf;
	/* Members in Go's sorted map order; "status" is a Go struct, so its
	 * members keep BundleStatus's declaration order. */
	cf_buf_adds(out, "{\"bundle\":");
	json_pem(out, (const struct cf_bundle_cert *const *)b->chain, b->n);
	cf_buf_printf(out, ",\"crl_support\":%s", crl_support(leaf) ? "true" : "false");
	cf_buf_adds(out, ",\"crt\":");
	json_pem(out, &leaf, 1);
	cf_buf_adds(out, ",\"expires\":");
	json_time(out, b->expires);
	cf_buf_adds(out, ",\"hostnames\":");
	hostnames(leaf, out);
	struct cf_buf s = CF_BUF_INIT;
	cf_bundle_name_slashed(leaf->issuer, leaf->issuer_len, &s);
	cf_buf_adds(out, ",\"issuer\":");
	cf_gojson_quote(out, s.data ? (const char *)s.data : "", s.len);
	cf_buf_release(&s);
	cf_buf_adds(out, ",\"key\":");
	cf_gojson_quote(out, key_pem ? key_pem : "", key_pem ? strlen(key_pem) : 0);
	unsigned size = leaf->pk == GNUTLS_PK_EDDSA_ED25519 ? 32
			: leaf->pk == GNUTLS_PK_DSA         ? 0
			: leaf->pk == GNUTLS_PK_ECDSA       ? curve_bits(leaf->curve)
							    : leaf->bits;
	cf_buf_printf(out, ",\"key_size\":%u,\"key_type\":", size);
	if (leaf->pk == GNUTLS_PK_ECDSA)
		cf_buf_printf(out, "\"%u-bit ECDSA\"", size);
	else if (leaf->pk == GNUTLS_PK_RSA)
		cf_buf_printf(out, "\"%u-bit RSA\"", size);
	else if (leaf->pk == GNUTLS_PK_EDDSA_ED25519)
		cf_buf_adds(out, "\"Ed25519\"");
	else
		cf_buf_adds(out, "\"Unknown\"");
	cf_buf_adds(out, ",\"leaf_expires\":");
	json_time(out, b->leaf_expires);
	cf_buf_adds(out, ",\"ocsp\":");
	char **urls;
	size_t nurls = ocsp_list(leaf, &urls);
	json_str_list(out, urls, nurls, 1);
	free_list(urls, nurls);
	cf_buf_printf(out, ",\"ocsp_support\":%s", nurls ? "true" : "false");
	cf_buf_adds(out, ",\"root\":");
	if (b->root)
		json_pem(out, (const struct cf_bundle_cert *const *)&b->root, 1);
	else
		cf_buf_adds(out, "\"\"");
	cf_buf_printf(out, ",\"signature\":\"%s\"", go_sig_name(leaf->sign_algo));
	cf_buf_printf(out, ",\"status\":{\"rebundled\":%s,\"expiring_SKIs\":",
		      b->rebundled ? "true" : "false");
	json_str_list(out, b->expiring_skis, b->nexpiring, 1);
	cf_buf_printf(out, ",\"untrusted_root_stores\":%s,\"messages\":", b->force ? "null" : "[]");
	json_str_list(out, b->messages, b->nmessages, 1);
	cf_buf_printf(out, ",\"code\":%d}", b->code);
	cf_bundle_name_slashed(leaf->subject, leaf->subject_len, &s);
	cf_buf_adds(out, ",\"subject\":");
	cf_gojson_quote(out, s.data ? (const char *)s.data : "", s.len);
	cf_buf_release(&s);
	cf_buf_addc(out, '}');
}

/* ---- the stores (bundler.NewBundler) ---- */

/* os.MkdirAll with Go's error wording. */
static int mkdir_all(const char *path, struct cf_error *err)
{
	char *p = cf_xstrdup(path);
	size_t n = strlen(p);
	int ret = 0;
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != 0)
			continue;
		char c = p[i];
		p[i] = 0;
		struct stat st;
		if (stat(p, &st) < 0 && mkdir(p, 0755) < 0 && errno != EEXIST) {
			ret = cf_error_set(err, CF_ERR_PLAIN, "mkdir %s: %s", p, strerror(errno));
			break;
		}
		p[i] = c;
	}
	free(p);
	return ret;
}

static int stash_dir(const char *dir, struct cf_error *err)
{
	struct stat st;
	if (!*dir || stat(dir, &st) == 0 || errno != ENOENT)
		return 0;
	cf_info("intermediate stash directory %s doesn't exist, creating", dir);
	if (mkdir_all(dir, err) < 0) {
		char msg[CF_ERROR_MSG_MAX];
		cf_error_render(err, msg, sizeof msg);
		cf_errorlog("failed to create intermediate stash directory %s: %s", dir, msg);
		return -1;
	}
	cf_info("intermediate stash directory %s created", dir);
	return 0;
}

int cf_bundler_load(const char *ca, const char *in, const char *int_dir, struct cf_bundler *b,
		    struct cf_error *err)
{
	struct cf_buf cab = CF_BUF_INIT, intb = CF_BUF_INIT;
	struct cf_error e = {0};
	char msg[CF_ERROR_MSG_MAX];
	int ret = -1;
	if (*ca && cf_read_file(ca, &cab, &e) < 0) {
		cf_errorlog("root bundle failed to load: %s", e.msg);
		cf_error_set(err, 4001, "%s", e.msg);
		goto out;
	}
	if (*in && cf_read_file(in, &intb, &e) < 0) {
		cf_errorlog("intermediate bundle failed to load: %s", e.msg);
		cf_error_set(err, 3001, "%s", e.msg);
		goto out;
	}
	if (stash_dir(int_dir, err) < 0)
		goto out;
	struct cf_bundle_pool tmp = {0};
	if (cf_bundle_parse_pem(cab.data, cab.len, &tmp, &e) < 0) {
		cf_error_render(&e, msg, sizeof msg);
		cf_errorlog("failed to parse root bundle: %s", msg);
		cf_error_set(err, 4003, "Failed to parse root certificate");
		cf_bundle_pool_release(&tmp);
		goto out;
	}
	for (size_t i = 0; i < tmp.n; i++)
		cf_bundle_pool_add_der(&b->roots, tmp.v[i]->der, tmp.v[i]->len, 1);
	cf_bundle_pool_release(&tmp);
	if (cf_bundle_parse_pem(intb.data, intb.len, &tmp, &e) < 0) {
		cf_error_render(&e, msg, sizeof msg);
		cf_errorlog("failed to parse intermediate bundle: %s", msg);
		cf_error_set(err, 3003, "Failed to parse intermediate certificate");
		cf_bundle_pool_release(&tmp);
		goto out;
	}
	for (size_t i = 0; i < tmp.n; i++)
		cf_bundle_pool_add_der(&b->ints, tmp.v[i]->der, tmp.v[i]->len, 1);
	cf_bundle_pool_release(&tmp);
	if (!*ca && b->lazy_system) {
		pthread_mutex_init(&b->system_lock, NULL);
		b->lazy_system = 2;
		atomic_store_explicit(&b->system_pending, 1, memory_order_release);
	} else if (!*ca) {
		cf_bundle_load_system_roots(&b->roots);
	}
	ret = 0;
out:
	cf_buf_release(&cab);
	cf_buf_release(&intb);
	return ret;
}
