/* Chain building and ordering of the bundle module: leaf first, the root
 * dropped, the shortest chain preferred, a reversed input turned around, and
 * the errors and texts of cfssl's bundler and Go's x509 verification
 * (bundler/bundler.go, crypto/x509/verify.go, pkix.Name.String). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "bundle.h"

#include "check.h"

struct ca {
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t key;
	unsigned char der[4096];
	size_t len;
};

static int serial_no = 1;

/* A certificate for @key (a new ECDSA P-256 key when NULL) named @dn, signed
 * by @issuer (self-signed when NULL). pathlen -2: not a CA. */
static void make(struct ca *out, const char *dn, struct ca *issuer, int pathlen, long from, long to,
		 gnutls_x509_privkey_t key, const char *dns)
{
	time_t now = time(NULL);
	memset(out, 0, sizeof *out);
	if (key) {
		out->key = key;
	} else {
		gnutls_x509_privkey_init(&out->key);
		gnutls_x509_privkey_generate(out->key, GNUTLS_PK_ECDSA,
					     GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	}
	gnutls_x509_crt_init(&out->crt);
	gnutls_x509_crt_set_version(out->crt, 3);
	unsigned char serial[2] = {0x10, (unsigned char)serial_no++};
	gnutls_x509_crt_set_serial(out->crt, serial, sizeof serial);
	gnutls_x509_crt_set_activation_time(out->crt, now + from);
	gnutls_x509_crt_set_expiration_time(out->crt, now + to);
	gnutls_x509_crt_set_dn(out->crt, dn, NULL);
	gnutls_x509_crt_set_key(out->crt, out->key);
	if (pathlen != -2) {
		gnutls_x509_crt_set_basic_constraints(out->crt, 1, pathlen);
		gnutls_x509_crt_set_key_usage(out->crt,
					      GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
	} else {
		gnutls_x509_crt_set_basic_constraints(out->crt, 0, -1);
		gnutls_x509_crt_set_key_usage(out->crt, GNUTLS_KEY_DIGITAL_SIGNATURE);
	}
	if (dns)
		gnutls_x509_crt_set_subject_alt_name(out->crt, GNUTLS_SAN_DNSNAME, dns,
						     (unsigned)strlen(dns), GNUTLS_FSAN_APPEND);
	unsigned char id[64];
	size_t idlen = sizeof id;
	gnutls_x509_crt_get_key_id(out->crt, 0, id, &idlen);
	gnutls_x509_crt_set_subject_key_id(out->crt, id, idlen);
	if (issuer) {
		idlen = sizeof id;
		gnutls_x509_crt_get_key_id(issuer->crt, 0, id, &idlen);
		gnutls_x509_crt_set_authority_key_id(out->crt, id, idlen);
	}
	int r = issuer ? gnutls_x509_crt_sign2(out->crt, issuer->crt, issuer->key,
					       GNUTLS_DIG_SHA256, 0)
		       : gnutls_x509_crt_sign2(out->crt, out->crt, out->key, GNUTLS_DIG_SHA256, 0);
	if (r < 0)
		printf("setup: signing %s failed: %s\n", dn, gnutls_strerror(r));
	out->len = sizeof out->der;
	gnutls_x509_crt_export(out->crt, GNUTLS_X509_FMT_DER, out->der, &out->len);
}

static void add(struct cf_bundle_pool *p, const struct ca *c)
{
	if (cf_bundle_pool_add_der(p, c->der, c->len, 1) < 0)
		printf("setup: a certificate did not parse\n");
}

static int is(const struct cf_bundle_cert *c, const struct ca *want)
{
	return c && c->len == want->len && memcmp(c->der, want->der, c->len) == 0;
}

struct run {
	struct cf_bundler b;
	struct cf_bundle_pool certs;
	struct cf_bundle bundle;
	struct cf_error err;
	int rc;
};

static void run(struct run *r, const struct ca *const *roots, const struct ca *const *ints,
		const struct ca *const *given, enum cf_bundle_flavor flavor)
{
	memset(r, 0, sizeof *r);
	for (; roots && *roots; roots++)
		add(&r->b.roots, *roots);
	for (; ints && *ints; ints++)
		add(&r->b.ints, *ints);
	for (; *given; given++)
		cf_bundle_pool_add_der(&r->certs, (*given)->der, (*given)->len, 0);
	r->rc = cf_bundle_build(&r->b, &r->certs, NULL, flavor, (int64_t)time(NULL), &r->bundle,
				&r->err);
}

static void done(struct run *r)
{
	cf_bundle_release(&r->bundle);
	cf_bundle_pool_release(&r->certs);
	cf_bundler_release(&r->b);
}

static void expect_error(struct run *r, const char *what, int code, const char *msg)
{
	char buf[300];
	snprintf(buf, sizeof buf, "%s: fails", what);
	check(r->rc == -1, buf);
	snprintf(buf, sizeof buf, "%s: code %d (got %d)", what, code, r->err.code);
	check(r->err.code == code, buf);
	snprintf(buf, sizeof buf, "%s: message", what);
	if (strlen(msg) && msg[strlen(msg) - 1] == '*')
		check(strncmp(r->err.msg, msg, strlen(msg) - 1) == 0, buf);
	else
		check_str(buf, msg, r->err.msg);
	done(r);
}

int main(void)
{
	gnutls_global_init();
	const long day = 86400;
	struct ca root, other, a, b, b_direct, leaf, a0, b0, leaf0, old, leaf_old, rootleaf;
	make(&root, "CN=Test Root,O=Test,C=US", NULL, -1, -day, 3650 * day, NULL, NULL);
	make(&other, "CN=Other Root", NULL, -1, -day, 3650 * day, NULL, NULL);
	make(&a, "CN=Intermediate A", &root, -1, -day, 1800 * day, NULL, NULL);
	make(&b, "CN=Intermediate B", &a, -1, -day, 1800 * day, NULL, NULL);
	/* The same CA B (same name and key), also certified by the root directly. */
	make(&b_direct, "CN=Intermediate B", &root, -1, -day, 1800 * day, b.key, NULL);
	make(&leaf, "CN=leaf.example.com,O=Test,C=US", &b, -2, -day, 365 * day, NULL,
	     "www.example.com");
	make(&a0, "CN=Intermediate A0", &root, 0, -day, 1800 * day, NULL, NULL);
	make(&b0, "CN=Intermediate B0", &a0, -1, -day, 1800 * day, NULL, NULL);
	make(&leaf0, "CN=leaf0", &b0, -2, -day, 365 * day, NULL, NULL);
	make(&old, "CN=Old Intermediate", &root, -1, -20 * day, -10 * day, NULL, NULL);
	make(&leaf_old, "CN=leaf-old", &old, -2, -15 * day, 365 * day, NULL, NULL);
	make(&rootleaf, "CN=leaf.example.com,O=Test,C=US", &root, -2, -day, 10 * day, leaf.key,
	     NULL);

	const struct ca *roots[] = {&root, NULL};
	struct run r;

	/* Intermediates from the store: leaf first, then B, then A; the root is
	 * reported apart and dropped from the chain. */
	{
		const struct ca *ints[] = {&a, &b, NULL}, *given[] = {&leaf, NULL};
		run(&r, roots, ints, given, CF_BUNDLE_UBIQUITOUS);
		check(r.rc == 0, "store chain: builds");
		check(r.bundle.n == 3, "store chain: three certificates");
		check(r.bundle.n == 3 && is(r.bundle.chain[0], &leaf) &&
			      is(r.bundle.chain[1], &b) && is(r.bundle.chain[2], &a),
		      "store chain: leaf, B, A");
		check(is(r.bundle.root, &root), "store chain: root is the anchor");
		check(r.bundle.rebundled == 1, "store chain: rebundled");
		check(r.bundle.code == 2, "store chain: status code 2 (not ubiquitous)");
		check(r.bundle.nmessages == 3, "store chain: SHA-2, ECDSA and metadata messages");
		check(r.bundle.leaf_expires ==
			      (int64_t)gnutls_x509_crt_get_expiration_time(leaf.crt),
		      "store chain: leaf_expires is the leaf's notAfter");
		check(r.bundle.expires == r.bundle.leaf_expires,
		      "store chain: expires is the earliest notAfter of the chain");
		done(&r);
	}
	/* The shortest chain wins: leaf, B (certified by the root) beats leaf, B, A. */
	{
		const struct ca *ints[] = {&a, &b, &b_direct, NULL}, *given[] = {&leaf, NULL};
		for (int f = CF_BUNDLE_UBIQUITOUS; f <= CF_BUNDLE_OPTIMAL; f++) {
			run(&r, roots, ints, given, (enum cf_bundle_flavor)f);
			check(r.rc == 0 && r.bundle.n == 2 && is(r.bundle.chain[0], &leaf) &&
				      is(r.bundle.chain[1], &b_direct),
			      f == CF_BUNDLE_OPTIMAL ? "shortest chain (optimal)"
						     : "shortest chain (ubiquitous)");
			done(&r);
		}
	}
	/* Intermediates given after the leaf complete the chain. */
	{
		const struct ca *given[] = {&leaf, &b, &a, NULL};
		run(&r, roots, NULL, given, CF_BUNDLE_OPTIMAL);
		check(r.rc == 0 && r.bundle.n == 3 && is(r.bundle.chain[0], &leaf) &&
			      is(r.bundle.chain[1], &b) && is(r.bundle.chain[2], &a),
		      "given intermediates: leaf, B, A");
		check(r.rc == 0 && r.bundle.rebundled == 0, "given intermediates: not rebundled");
		done(&r);
	}
	/* ... also when given root end first. */
	{
		const struct ca *given[] = {&a, &b, &leaf, NULL};
		run(&r, roots, NULL, given, CF_BUNDLE_OPTIMAL);
		check(r.rc == 0 && r.bundle.n == 3 && is(r.bundle.chain[0], &leaf) &&
			      is(r.bundle.chain[2], &a),
		      "reversed input: turned around");
		done(&r);
	}
	/* Force keeps the given chain, turning a reversed one around, and needs no root. */
	{
		const struct ca *given[] = {&root, &a, &b, &leaf, NULL};
		run(&r, NULL, NULL, given, CF_BUNDLE_FORCE);
		check(r.rc == 0 && r.bundle.n == 4 && is(r.bundle.chain[0], &leaf) &&
			      is(r.bundle.chain[3], &root),
		      "force: the given four, leaf first");
		check(r.rc == 0 && r.bundle.root == NULL, "force: no root member");
		check(r.rc == 0 && r.bundle.code == 2 && r.bundle.nmessages == 2,
		      "force: no metadata message");
		done(&r);
	}
	{
		const struct ca *given[] = {&leaf, &a, NULL};
		run(&r, NULL, NULL, given, CF_BUNDLE_FORCE);
		expect_error(&r, "force: broken link", 1200,
			     "Unable to verify the certificate chain");
	}
	{
		const struct ca *ints[] = {&a, &b, NULL}, *given[] = {&leaf, NULL};
		const struct ca *others[] = {&other, NULL};
		run(&r, others, ints, given, CF_BUNDLE_UBIQUITOUS);
		expect_error(&r, "root not in the store", 1220,
			     "x509: certificate signed by unknown authority");
	}
	{
		const struct ca *given[] = {&leaf, NULL};
		run(&r, roots, NULL, given, CF_BUNDLE_UBIQUITOUS);
		expect_error(&r, "missing intermediates", 1220,
			     "x509: certificate signed by unknown authority");
	}
	{
		const struct ca *given[] = {&root, NULL};
		run(&r, roots, NULL, given, CF_BUNDLE_UBIQUITOUS);
		expect_error(&r, "self-signed leaf", 1100, "Certificate is self signed");
	}
	{
		const struct ca *ints[] = {&a0, &b0, NULL}, *given[] = {&leaf0, NULL};
		run(&r, roots, ints, given, CF_BUNDLE_UBIQUITOUS);
		expect_error(&r, "path length", 1213,
			     "x509: too many intermediates for path length constraint");
	}
	{
		const struct ca *ints[] = {&old, NULL}, *given[] = {&leaf_old, NULL};
		run(&r, roots, ints, given, CF_BUNDLE_UBIQUITOUS);
		expect_error(&r, "expired intermediate", 1211,
			     "x509: certificate has expired or is not yet valid: current time *");
	}
	/* A leaf key that does not belong to the leaf. */
	{
		const struct ca *ints[] = {&a, &b, NULL}, *given[] = {&leaf, NULL};
		memset(&r, 0, sizeof r);
		add(&r.b.roots, &root);
		for (int i = 0; ints[i]; i++)
			add(&r.b.ints, ints[i]);
		add(&r.certs, given[0]);
		r.rc = cf_bundle_build(&r.b, &r.certs, a.key, CF_BUNDLE_UBIQUITOUS,
				       (int64_t)time(NULL), &r.bundle, &r.err);
		expect_error(&r, "mismatching key", 2300, "Private key does not match public key");
	}
	/* Expiring within 30 days: status bit 1, the SKI, cfssl's message. */
	{
		const struct ca *given[] = {&rootleaf, NULL};
		run(&r, roots, NULL, given, CF_BUNDLE_OPTIMAL);
		check(r.rc == 0 && r.bundle.code == 3 && r.bundle.nexpiring == 1,
		      "expiring: code 3, one SKI");
		if (r.rc == 0 && r.bundle.nmessages)
			check_str(
				"expiring: message",
				"The bundle is expiring within 30 days.The expiring cert is #1 in "
				"the chain.",
				r.bundle.messages[0]);
		if (r.rc == 0 && r.bundle.nexpiring)
			check(strlen(r.bundle.expiring_skis[0]) == 40, "expiring: SKI in hex");
		struct cf_buf j = CF_BUF_INIT;
		if (r.rc == 0)
			cf_bundle_json(&r.bundle, NULL, &j);
		const char *members[] = {
			"{\"bundle\":\"-----BEGIN CERTIFICATE-----",
			",\"crl_support\":false,\"crt\":",
			",\"expires\":\"",
			",\"hostnames\":[\"leaf.example.com\"],\"issuer\":"
			"\"/Country=US/Organization=Test/CommonName=Test Root\"",
			",\"key\":\"\",\"key_size\":256,\"key_type\":\"256-bit "
			"ECDSA\",\"leaf_expires\":",
			",\"ocsp\":null,\"ocsp_support\":false,\"root\":\"-----BEGIN "
			"CERTIFICATE-----",
			",\"signature\":\"ECDSAWithSHA256\",\"status\":{\"rebundled\":false,"
			"\"expiring_SKIs\":[\"",
			"\"untrusted_root_stores\":[],\"messages\":[\"The bundle is expiring",
			",\"code\":3},\"subject\":\"/Country=US/Organization=Test/CommonName=leaf."
			"example.com\"}"};
		const char *p = j.data ? (const char *)j.data : "";
		for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
			const char *q = strstr(p, members[i]);
			char what[200];
			snprintf(what, sizeof what, "json: member %zu in order: %.40s", i,
				 members[i]);
			check(q != NULL, what);
			if (q)
				p = q + strlen(members[i]);
		}
		check(j.len && j.data[j.len - 1] == '}', "json: no trailing newline");
		cf_buf_release(&j);
		done(&r);
	}

	/* pkix.Name.String and cfssl's slashed names. */
	{
		gnutls_x509_crt_t c;
		gnutls_x509_crt_init(&c);
		gnutls_x509_crt_set_dn(c, "CN=x\\, y,OU=b,OU=a,O=Test,L=SF,ST=CA,C=US", NULL);
		gnutls_datum_t dn;
		gnutls_x509_crt_get_raw_dn(c, &dn);
		struct cf_buf s = CF_BUF_INIT;
		/* gnutls writes the RDNs in reverse text order: C first, CN last */
		cf_bundle_name_string(dn.data, dn.size, &s);
		cf_buf_add(&s, "", 0);
		check_str("name string", "CN=x\\, y,OU=a+OU=b,O=Test,L=SF,ST=CA,C=US",
			  (const char *)s.data);
		cf_buf_release(&s);
		cf_bundle_name_slashed(dn.data, dn.size, &s);
		cf_buf_add(&s, "", 0);
		check_str("slashed name",
			  "/Country=US/Province=CA/Locality=SF/Organization=Test/"
			  "OrganizationalUnit=a/OrganizationalUnit=b/CommonName=x, y",
			  (const char *)s.data);
		cf_buf_release(&s);
		gnutls_free(dn.data);
		gnutls_x509_crt_deinit(c);
	}

	/* helpers.ParseCertificatesPEM errors. */
	{
		struct cf_bundle_pool p = {0};
		struct cf_error e = {0};
		const char junk[] =
			"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
		check(cf_bundle_parse_pem((const unsigned char *)junk, strlen(junk), &p, &e) < 0 &&
			      e.code == 1003,
		      "pem: a block that is no certificate: 1003");
		cf_bundle_pool_release(&p);
		cf_error_clear(&e);
		const char text[] = "hello";
		check(cf_bundle_parse_pem((const unsigned char *)text, 5, &p, &e) < 0 &&
			      e.code == 1002,
		      "pem: text only: 1002");
		cf_bundle_pool_release(&p);
		cf_error_clear(&e);
		check(cf_bundle_parse_pem((const unsigned char *)" \n", 2, &p, &e) == 0 && p.n == 0,
		      "pem: blank: no certificates, no error");
		cf_error_clear(&e);
		check(cf_bundle_parse_input((const unsigned char *)" \n", 2, &p, &e) < 0 &&
			      e.code == 1002,
		      "input: blank: 1002");
		cf_bundle_pool_release(&p);
		cf_error_clear(&e);
		/* cfssl's ParseCertificatesDER trims white space first, so a DER
		 * certificate whose last signature byte is one fails there too. */
		unsigned char last = leaf.der[leaf.len - 1];
		int ends_in_space = last && strchr(" \t\n\v\f\r", last) != NULL;
		check((cf_bundle_parse_input(leaf.der, leaf.len, &p, &e) == 0 && p.n == 1) !=
			      ends_in_space,
		      "input: DER accepted (unless it ends in a white-space byte, as in cfssl)");
		cf_bundle_pool_release(&p);
	}
	check(cf_bundle_flavor_parse("force") == CF_BUNDLE_FORCE &&
		      cf_bundle_flavor_parse("optimal") == CF_BUNDLE_OPTIMAL &&
		      cf_bundle_flavor_parse("ubiquitous") == CF_BUNDLE_UBIQUITOUS &&
		      cf_bundle_flavor_parse("x") == CF_BUNDLE_OTHER,
	      "flavors");

	struct ca *all[] = {&root, &other, &a,     &b,   &b_direct, &leaf,
			    &a0,   &b0,    &leaf0, &old, &leaf_old, &rootleaf};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		gnutls_x509_crt_deinit(all[i]->crt);
		if (all[i] != &b_direct && all[i] != &rootleaf)
			gnutls_x509_privkey_deinit(all[i]->key);
	}
	gnutls_global_deinit();

	printf("test_bundle: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
