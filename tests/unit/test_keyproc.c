/* common/x509/keyproc.c: signatures from the key process verify under the key's
 * public half, from several threads, with the key file gone; load errors
 * are cf_ca_load's; the caller never opens the key file. cf_ca_load_isolated
 * loads a CA as cf_ca_load does, with its errors in its order. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "check.h"
#include "crypto.h"
#include "keyproc.h"
#include "signer.h"

static char dir[] = "/tmp/cfssl-c-test-keyproc-XXXXXX";

/* Writes a new key of @algo to @path in a child process, so that this process
 * never has the private key in its memory. */
static int make_key(const char *algo, long long size, const char *path)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct cf_key k = {0};
		struct cf_error e = {0};
		gnutls_datum_t pem = {NULL, 0};
		if (cf_key_generate(algo, size, &k, &e) < 0 ||
		    gnutls_x509_privkey_export2_pkcs8(k.x509, GNUTLS_X509_FMT_PEM, NULL,
						      GNUTLS_PKCS_PLAIN, &pem) < 0)
			_exit(1);
		FILE *f = fopen(path, "w");
		if (!f || fwrite(pem.data, 1, pem.size, f) != pem.size || fclose(f))
			_exit(1);
		_exit(0);
	}
	int st;
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int verifies(const struct cf_buf *spki, gnutls_sign_algorithm_t alg,
		    const gnutls_datum_t *data, const gnutls_datum_t *sig)
{
	gnutls_pubkey_t pub;
	gnutls_datum_t d = {spki->data, (unsigned)spki->len};
	int ok = gnutls_pubkey_init(&pub) >= 0 &&
		 gnutls_pubkey_import(pub, &d, GNUTLS_X509_FMT_DER) >= 0 &&
		 gnutls_pubkey_verify_data2(pub, alg, 0, data, sig) >= 0;
	gnutls_pubkey_deinit(pub);
	return ok;
}

struct job {
	gnutls_privkey_t priv;
	const struct cf_buf *spki;
	gnutls_sign_algorithm_t alg;
	int bad;
};

static void *signer(void *arg)
{
	struct job *j = arg;
	for (int i = 0; i < 40; i++) {
		char msg[32];
		int n = snprintf(msg, sizeof msg, "message %p %d", (void *)j, i);
		gnutls_datum_t d = {(unsigned char *)msg, (unsigned)n}, sig = {NULL, 0};
		if (gnutls_privkey_sign_data2(j->priv, j->alg, 0, &d, &sig) < 0 ||
		    !verifies(j->spki, j->alg, &d, &sig))
			j->bad++;
		gnutls_free(sig.data);
	}
	return NULL;
}

static void one_key(const char *algo, long long size, gnutls_sign_algorithm_t alg, int pk)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s.pem", dir, algo);
	CHECK(make_key(algo, size, path) == 0, "%s: key written", algo);

	struct cf_keyproc *kp = NULL;
	struct cf_key key = {0};
	struct cf_buf spki = CF_BUF_INIT;
	struct cf_error err = {0};
	CHECK(cf_keyproc_start(path, &kp, &key, &spki, &err) == 0, "%s: started (%s)", algo,
	      err.msg);
	if (!kp)
		return;
	CHECK(key.pk == pk && key.priv && !key.x509 && spki.len > 0, "%s: the key's shape", algo);
	/* one key process per CPU (at most 4), whatever the key, so that signatures do not queue */
	char cpath[96], kids[512] = "";
	snprintf(cpath, sizeof cpath, "/proc/self/task/%ld/children", (long)getpid());
	FILE *cf = fopen(cpath, "r");
	int nkids = 0;
	if (cf) {
		if (fgets(kids, sizeof kids, cf))
			for (char *t = strtok(kids, " \n"); t; t = strtok(NULL, " \n"))
				nkids++;
		fclose(cf);
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int want = cpus > 4 ? 4 : cpus > 1 ? (int)cpus : 1;
	CHECK(!cf || nkids == want, "%s: %d key process(es) (%d expected)", algo, nkids, want);
	CHECK(unlink(path) == 0, "%s: key file removed", algo);

	gnutls_datum_t d = {(unsigned char *)"tbs", 3}, sig = {NULL, 0};
	CHECK(gnutls_privkey_sign_data2(key.priv, alg, 0, &d, &sig) >= 0 &&
		      verifies(&spki, alg, &d, &sig),
	      "%s: a signature from the key process verifies", algo);
	if (sig.data) {
		sig.data[sig.size / 2] ^= 1;
		CHECK(!verifies(&spki, alg, &d, &sig), "%s: a changed signature does not", algo);
	}
	gnutls_free(sig.data);

	struct job jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){key.priv, &spki, alg, 0};
		pthread_create(&th[i], NULL, signer, &jobs[i]);
	}
	int bad = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		bad += jobs[i].bad;
	}
	CHECK(bad == 0, "%s: 160 signatures from 4 threads verify (%d bad)", algo, bad);

	pid_t pid = cf_keyproc_pid(kp);
	char status[64], line[128];
	int nnp = 0, seccomp = 0;
	snprintf(status, sizeof status, "/proc/%ld/status", (long)pid);
	FILE *f = fopen(status, "r");
	while (f && fgets(line, sizeof line, f)) {
		nnp |= !strcmp(line, "NoNewPrivs:\t1\n");
		seccomp |= !strcmp(line, "Seccomp:\t2\n");
	}
	if (f)
		fclose(f);
	CHECK(nnp && seccomp, "%s: the key process has no-new-privs and a seccomp filter", algo);
	cf_key_release(&key);
	CHECK(cf_keyproc_stop(kp) == 0, "%s: the key process exits cleanly", algo);
	CHECK(kill(pid, 0) < 0, "%s: and is gone", algo);
	cf_buf_release(&spki);
}

static void load_error(const char *desc, const char *spec, int code, const char *msg)
{
	struct cf_keyproc *kp = NULL;
	struct cf_key key = {0};
	struct cf_buf spki = CF_BUF_INIT;
	struct cf_error err = {0};
	CHECK(cf_keyproc_start(spec, &kp, &key, &spki, &err) < 0 && !kp && !key.priv &&
		      err.code == code && strcmp(err.msg, msg) == 0,
	      "%s: got %d %s", desc, err.code, err.msg);
	cf_buf_release(&spki);
}

/* Writes a self-signed ECDSA CA certificate and its key, in a child process. */
static int make_ca(const char *cert_path, const char *key_path)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct cf_key k = {0};
		struct cf_error e = {0};
		gnutls_x509_crt_t crt;
		gnutls_datum_t pem = {NULL, 0}, cpem = {NULL, 0};
		unsigned char serial[1] = {1};
		time_t now = time(NULL);
		if (cf_key_generate("ecdsa", 256, &k, &e) < 0 || gnutls_x509_crt_init(&crt) < 0 ||
		    gnutls_x509_crt_set_version(crt, 3) < 0 ||
		    gnutls_x509_crt_set_dn(crt, "CN=keyproc test CA", NULL) < 0 ||
		    gnutls_x509_crt_set_key(crt, k.x509) < 0 ||
		    gnutls_x509_crt_set_serial(crt, serial, 1) < 0 ||
		    gnutls_x509_crt_set_activation_time(crt, now - 60) < 0 ||
		    gnutls_x509_crt_set_expiration_time(crt, now + 86400) < 0 ||
		    gnutls_x509_crt_set_basic_constraints(crt, 1, -1) < 0 ||
		    gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN) < 0 ||
		    gnutls_x509_crt_sign2(crt, crt, k.x509, GNUTLS_DIG_SHA256, 0) < 0 ||
		    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &cpem) < 0 ||
		    gnutls_x509_privkey_export2_pkcs8(k.x509, GNUTLS_X509_FMT_PEM, NULL,
						      GNUTLS_PKCS_PLAIN, &pem) < 0)
			_exit(1);
		FILE *f = fopen(key_path, "w"), *g = fopen(cert_path, "w");
		if (!f || !g || fwrite(pem.data, 1, pem.size, f) != pem.size ||
		    fwrite(cpem.data, 1, cpem.size, g) != cpem.size || fclose(f) || fclose(g))
			_exit(1);
		_exit(0);
	}
	int st;
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* cf_ca_load_isolated fails exactly as cf_ca_load does and leaves no key process. */
static void ca_error(const char *desc, const char *cert, const char *key)
{
	struct cf_ca ca;
	struct cf_keyproc *kp = (struct cf_keyproc *)1;
	struct cf_error e1 = {0}, e2 = {0};
	int r1 = cf_ca_load(cert, key, &ca, &e1);
	cf_ca_release(&ca);
	int r2 = cf_ca_load_isolated(cert, key, &ca, &kp, &e2);
	CHECK(r1 < 0 && r2 < 0 && !kp && !ca.key.priv && e1.code == e2.code &&
		      strcmp(e1.msg, e2.msg) == 0,
	      "%s: cf_ca_load %d %s, isolated %d %s", desc, e1.code, e1.msg, e2.code, e2.msg);
	cf_ca_release(&ca);
}

static void isolated_ca(void)
{
	char cert[128], key[128], other[128], othercert[128], junk[128], missing[128];
	snprintf(cert, sizeof cert, "%s/ca.pem", dir);
	snprintf(key, sizeof key, "%s/ca-key.pem", dir);
	snprintf(othercert, sizeof othercert, "%s/other.pem", dir);
	snprintf(other, sizeof other, "%s/other-key.pem", dir);
	snprintf(junk, sizeof junk, "%s/junk.pem", dir);
	snprintf(missing, sizeof missing, "%s/missing.pem", dir);
	CHECK(make_ca(cert, key) == 0 && make_ca(othercert, other) == 0, "CAs written");
	FILE *f = fopen(junk, "w");
	if (f) {
		fputs("not a key\n", f);
		fclose(f);
	}

	struct cf_ca ca, plain;
	struct cf_keyproc *kp = NULL;
	struct cf_error err = {0};
	CHECK(cf_ca_load(cert, key, &plain, &err) == 0, "cf_ca_load (%s)", err.msg);
	CHECK(cf_ca_load_isolated(cert, key, &ca, &kp, &err) == 0 && kp, "isolated CA (%s)",
	      err.msg);
	if (kp) {
		CHECK(!ca.key.x509 && ca.key.priv && ca.key.pk == GNUTLS_PK_ECDSA &&
			      ca.key.bits == plain.key.bits && ca.key.curve == plain.key.curve,
		      "the isolated CA's key is external, of the same shape");
		CHECK(ca.subject.len == plain.subject.len &&
			      memcmp(ca.subject.data, plain.subject.data, ca.subject.len) == 0 &&
			      ca.ski_len == plain.ski_len && ca.bc_ca == plain.bc_ca &&
			      ca.not_after == plain.not_after && !strcmp(ca.cert_name, cert),
		      "the same CA facts as cf_ca_load");
		CHECK(unlink(key) == 0, "key file removed");
		struct cf_buf spki = CF_BUF_INIT;
		CHECK(cf_key_spki(&plain.key, &spki, &err) == 0, "the CA's public key");
		gnutls_datum_t d = {(unsigned char *)"tbs", 3}, sig = {NULL, 0};
		CHECK(gnutls_privkey_sign_data2(ca.key.priv, GNUTLS_SIGN_ECDSA_SHA256, 0, &d,
						&sig) >= 0 &&
			      verifies(&spki, GNUTLS_SIGN_ECDSA_SHA256, &d, &sig),
		      "the isolated CA signs, key file gone");
		gnutls_free(sig.data);
		cf_buf_release(&spki);
		pid_t pid = cf_keyproc_pid(kp);
		cf_ca_release(&ca);
		CHECK(cf_keyproc_stop(kp) == 0 && kill(pid, 0) < 0, "the key process ends");
	}
	cf_ca_release(&plain);

	ca_error("no key given", cert, "");
	ca_error("no key given, no certificate either", missing, "");
	ca_error("a missing certificate", missing, other);
	ca_error("a missing key", cert, missing);
	ca_error("a missing key beats a bad certificate", junk, missing);
	ca_error("a bad certificate beats a bad key", junk, junk);
	ca_error("a bad key", othercert, junk);
	ca_error("a key of another certificate", cert, other);
	remove(cert);
	remove(other);
	remove(othercert);
	remove(junk);
}

int main(void)
{
	struct cf_error err = {0};
	if (!mkdtemp(dir) || cf_crypto_init(&err) < 0) {
		printf("FAIL setup\n");
		return 1;
	}
	one_key("ecdsa", 256, GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_PK_ECDSA);
	one_key("rsa", 2048, GNUTLS_SIGN_RSA_SHA256, GNUTLS_PK_RSA);
	one_key("ed25519", 0, GNUTLS_SIGN_EDDSA_ED25519, GNUTLS_PK_EDDSA_ED25519);

	char missing[128], junk[128];
	snprintf(missing, sizeof missing, "%s/missing.pem", dir);
	char want[256];
	snprintf(want, sizeof want, "open %s: no such file or directory", missing);
	load_error("a missing key file", missing, 1001, want);
	snprintf(junk, sizeof junk, "%s/junk.pem", dir);
	FILE *f = fopen(junk, "w");
	if (f) {
		fputs("not a key\n", f);
		fclose(f);
	}
	load_error("not a key", junk, 2002, "Failed to decode private key");
	load_error("no key given", "", 2000, "Unknown private key error");
	isolated_ca();
	remove(junk);
	rmdir(dir);

	printf("test_keyproc: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
