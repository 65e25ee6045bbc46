#include "keyproc.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "crypto.h"
#include "log.h"
#include "pem.h"
#include "process.h"

/* The wire: every message is a header of four 32-bit words in host order
 * (both ends are one program on one machine) and a payload.
 *   hello (key process → caller): {status, pk, bits, curve} + SPKI DER, or
 *         {status 1, cfssl code, 0, 0} + the error message
 *   request: {op, sign algorithm, flags, 0} + the data or hash
 *   reply:   {GnuTLS result, 0, 0, 0} + the signature */
enum { OP_SIGN_DATA = 1, OP_SIGN_HASH = 2 };

/* No request is larger: a hash, or a TBSCertificate/TBSCertList/OCSP
 * response, which the server bounds by its request limit (16 MiB). */
#define MAX_PAYLOAD (64u << 20)

/* Each connection's thread signs through the key processes: one key process per CPU, up to
 * KEYPROC_MAX, so that signatures (1.2 ms for RSA-2048, tens of µs for ECDSA, but several
 * threads at a time) do not queue behind one process; each takes the next idle one. */
#define KEYPROC_MAX 4

struct keyproc_worker {
	int fd;
	pid_t pid;
	pthread_mutex_t lock; /* one request in flight on the socket */
};

struct cf_keyproc {
	struct keyproc_worker w[KEYPROC_MAX];
	int n;
	_Atomic unsigned next; /* where the next request starts looking for an idle worker */
	int pk;
};

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t n)
{
	unsigned char *b = p;
	while (n) {
		ssize_t r = read(fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One message in one system call when the socket takes it whole (it does: the socket buffer is
 * larger than any signature or hash), the rest written after. The caller's side sends with
 * MSG_NOSIGNAL (its peer may be gone); the key process, confined to writev and with SIGPIPE
 * ignored, writes. */
static int send_msg_(int fd, const uint32_t h[4], const void *payload, uint32_t len, int caller)
{
	uint32_t hdr[5] = {h[0], h[1], h[2], h[3], len};
	struct iovec iov[2] = {{hdr, sizeof hdr}, {(void *)payload, len}};
	ssize_t w;
	do {
		if (caller) {
			struct msghdr m = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
			w = sendmsg(fd, &m, MSG_NOSIGNAL);
		} else {
			w = writev(fd, iov, len ? 2 : 1);
		}
	} while (w < 0 && errno == EINTR);
	if (w < 0)
		return -1;
	size_t done = (size_t)w;
	if (done < sizeof hdr)
		return write_all(fd, (unsigned char *)hdr + done, sizeof hdr - done) < 0 ||
				       (len && write_all(fd, payload, len) < 0)
			       ? -1
			       : 0;
	done -= sizeof hdr;
	return done < len ? write_all(fd, (const unsigned char *)payload + done, len - done) : 0;
}

static int send_msg(int fd, const uint32_t h[4], const void *payload, uint32_t len)
{
	return send_msg_(fd, h, payload, len, 0);
}

/* Reads one message; *@payload is new (NULL when empty). The protocol is lockstep (one
 * message in flight each way), so the first read takes the header and, mostly, the whole
 * payload: more than one message is never waiting. */
static int recv_msg(int fd, uint32_t h[4], unsigned char **payload, uint32_t *len)
{
	union {
		uint32_t hdr[5];
		unsigned char b[5 * sizeof(uint32_t) + 1024];
	} u;
	size_t got = 0;
	*payload = NULL;
	while (got < sizeof u.hdr) {
		ssize_t r = read(fd, u.b + got, sizeof u.b - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	if (u.hdr[4] > MAX_PAYLOAD || got - sizeof u.hdr > u.hdr[4])
		return -1;
	memcpy(h, u.hdr, 4 * sizeof *h);
	*len = u.hdr[4];
	if (!*len)
		return 0;
	size_t have = got - sizeof u.hdr;
	*payload = cf_xmalloc(*len);
	memcpy(*payload, u.b + sizeof u.hdr, have);
	if (have < *len && read_all(fd, *payload + have, *len - have) < 0) {
		free(*payload);
		*payload = NULL;
		return -1;
	}
	return 0;
}

/* ---- the key process ---- */

static void hello_error(int fd, const struct cf_error *e)
{
	uint32_t h[4] = {1, (uint32_t)e->code, 0, 0};
	send_msg(fd, h, e->msg, (uint32_t)strlen(e->msg));
}

static int parse_key(const struct cf_buf *data, enum cf_key_format fmt, gnutls_x509_privkey_t *x,
		     struct cf_error *err)
{
	if (fmt == CF_KEY_CA)
		return cf_parse_key_pem(data->data, data->len, getenv("CFSSL_CA_PK_PASSWORD"), x,
					err);
	struct cf_error perr = {0};
	if (cf_parse_key_pem(data->data, data->len, NULL, x, &perr) == 0)
		return 0;
	return cf_parse_key_der(data->data, data->len, x, err);
}

static int load_key(const char *spec, enum cf_key_format fmt, struct cf_key *key,
		    struct cf_buf *spki, struct cf_error *err)
{
	struct cf_buf data = CF_BUF_INIT;
	struct cf_error kerr = {0};
	gnutls_x509_privkey_t x = NULL;
	int r = -1;
	if (!*spec) {
		cf_error_set(err, CF_ERR_KEY_UNKNOWN, "Unknown private key error");
	} else if (cf_read_prefixed(spec, &data, &kerr) < 0) {
		/* as cf_ca_load: a key read failure is filed under the certificate category */
		cf_error_set(err, CF_ERR_CERT_READ, "%s", kerr.msg);
	} else if (parse_key(&data, fmt, &x, err) == 0 && cf_key_from_x509(x, key, err) == 0 &&
		   cf_key_spki(key, spki, err) == 0) {
		r = 0;
	}
	if (data.data)
		cf_wipe(data.data, data.len);
	cf_buf_release(&data);
	return r;
}

static void serve_requests(int fd, const struct cf_key *key)
{
	for (;;) {
		uint32_t h[4], len;
		unsigned char *in;
		if (recv_msg(fd, h, &in, &len) < 0)
			return;
		gnutls_datum_t d = {in, len}, sig = {NULL, 0};
		int r;
		if (h[0] == OP_SIGN_DATA)
			r = gnutls_privkey_sign_data2(key->priv, (gnutls_sign_algorithm_t)h[1],
						      h[2], &d, &sig);
		else if (h[0] == OP_SIGN_HASH)
			r = gnutls_privkey_sign_hash2(key->priv, (gnutls_sign_algorithm_t)h[1],
						      h[2], &d, &sig);
		else
			r = GNUTLS_E_INVALID_REQUEST;
		free(in);
		uint32_t rh[4] = {(uint32_t)r, 0, 0, 0};
		int w = send_msg(fd, rh, sig.data, r < 0 ? 0 : sig.size);
		gnutls_free(sig.data);
		if (w < 0)
			return;
	}
}

static void key_process(int fd, const char *spec, enum cf_key_format fmt)
{
	/* The key's pages never reach swap and no core or ptrace shows them. Locking
	 * can fail for an unprivileged user with a small RLIMIT_MEMLOCK: say so. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) < 0)
		cf_warning("key process: could not lock its memory: %s", strerror(errno));
	struct cf_key key = {0};
	struct cf_buf spki = CF_BUF_INIT;
	struct cf_error err = {0};
	/* confined once the key is in: from here on it only answers on its socket */
	if (cf_crypto_init(&err) < 0 || load_key(spec, fmt, &key, &spki, &err) < 0 ||
	    cf_process_restrict_keyproc(&err) < 0) {
		hello_error(fd, &err);
		cf_key_release(&key);
		cf_buf_release(&spki);
		return;
	}
	uint32_t h[4] = {0, (uint32_t)key.pk, key.bits, (uint32_t)key.curve};
	if (send_msg(fd, h, spki.data, (uint32_t)spki.len) == 0)
		serve_requests(fd, &key);
	cf_buf_release(&spki);
	cf_key_release(&key); /* GnuTLS zeroes the key's numbers as it frees them */
}

/* ---- the caller's side: a GnuTLS external key ---- */

static int ask(struct cf_keyproc *kp, uint32_t op, gnutls_sign_algorithm_t algo, unsigned flags,
	       const gnutls_datum_t *in, gnutls_datum_t *sig)
{
	uint32_t h[4] = {op, (uint32_t)algo, flags, 0}, rh[4], len = 0;
	unsigned char *out = NULL;
	int r = GNUTLS_E_PK_SIGN_FAILED;
	/* an idle worker if there is one, else wait for the one this request started at */
	unsigned start = atomic_fetch_add_explicit(&kp->next, 1, memory_order_relaxed);
	struct keyproc_worker *w = NULL;
	for (int i = 0; i < kp->n && !w; i++) {
		struct keyproc_worker *c = &kp->w[(start + (unsigned)i) % (unsigned)kp->n];
		if (pthread_mutex_trylock(&c->lock) == 0)
			w = c;
	}
	if (!w) {
		w = &kp->w[start % (unsigned)kp->n];
		pthread_mutex_lock(&w->lock);
	}
	if (send_msg_(w->fd, h, in->data, in->size, 1) == 0 && recv_msg(w->fd, rh, &out, &len) == 0)
		r = (int32_t)rh[0];
	pthread_mutex_unlock(&w->lock);
	if (r < 0 || !len) {
		free(out);
		return r < 0 ? r : GNUTLS_E_PK_SIGN_FAILED;
	}
	sig->data = gnutls_malloc(len);
	if (!sig->data) {
		free(out);
		return GNUTLS_E_MEMORY_ERROR;
	}
	memcpy(sig->data, out, len);
	sig->size = len;
	free(out);
	return 0;
}

static int ext_sign_data(gnutls_privkey_t key, gnutls_sign_algorithm_t algo, void *userdata,
			 unsigned flags, const gnutls_datum_t *data, gnutls_datum_t *sig)
{
	return ask(userdata, OP_SIGN_DATA, algo, flags, data, sig);
}

static int ext_sign_hash(gnutls_privkey_t key, gnutls_sign_algorithm_t algo, void *userdata,
			 unsigned flags, const gnutls_datum_t *hash, gnutls_datum_t *sig)
{
	return ask(userdata, OP_SIGN_HASH, algo, flags, hash, sig);
}

static int ext_info(gnutls_privkey_t key, unsigned flags, void *userdata)
{
	const struct cf_keyproc *kp = userdata;
	if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO)
		return kp->pk;
	if (flags & GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO) {
		gnutls_sign_algorithm_t s = GNUTLS_FLAGS_TO_SIGN_ALGO(flags);
		return gnutls_sign_supports_pk_algorithm(s, (gnutls_pk_algorithm_t)kp->pk);
	}
	return -1;
}

/* Forks one key process for @key_spec and reads its hello: 0 and the key's header and SPKI, or
 * -1 and @err (the worker is then stopped). */
static int spawn(const char *key_spec, enum cf_key_format fmt, struct keyproc_worker *w,
		 uint32_t h[4], struct cf_buf *spki, struct cf_error *err)
{
	int sv[2];
	w->fd = -1;
	w->pid = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return cf_error_set(err, CF_ERR_PLAIN, "key process: socketpair: %s",
				    strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return cf_error_set(err, CF_ERR_PLAIN, "key process: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(sv[0]);
		/* nothing but its socket and stderr: the caller's sockets and files stay its own */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != sv[1])
				close(fd);
		signal(SIGINT, SIG_IGN); /* a terminal's ^C is for the server; EOF ends this */
		signal(SIGPIPE, SIG_IGN);
		key_process(sv[1], key_spec, fmt);
		_exit(0);
	}
	close(sv[1]);
	w->fd = sv[0];
	w->pid = pid;
	pthread_mutex_init(&w->lock, NULL);

	uint32_t len;
	unsigned char *payload;
	if (recv_msg(w->fd, h, &payload, &len) < 0)
		return cf_error_set(err, CF_ERR_PLAIN,
				    "key process: ended before it loaded the key");
	if (h[0] != 0) {
		cf_error_set(err, (int)h[1], "%.*s", (int)len, payload ? (char *)payload : "");
		free(payload);
		return -1;
	}
	cf_buf_add(spki, payload, len);
	free(payload);
	return 0;
}

int cf_keyproc_start(const char *key_spec, struct cf_keyproc **kp, struct cf_key *key,
		     struct cf_buf *spki, struct cf_error *err)
{
	return cf_keyproc_start2(key_spec, CF_KEY_CA, kp, key, spki, err);
}

int cf_keyproc_start2(const char *key_spec, enum cf_key_format fmt, struct cf_keyproc **kp,
		      struct cf_key *key, struct cf_buf *spki, struct cf_error *err)
{
	*kp = NULL;
	memset(key, 0, sizeof *key);
	if (cf_crypto_init(err) < 0)
		return -1;
	struct cf_keyproc *p = cf_xcalloc(1, sizeof *p);
	uint32_t h[4];
	p->n = 1;
	if (spawn(key_spec, fmt, &p->w[0], h, spki, err) < 0)
		goto fail;
	p->pk = (int)h[1];
	{ /* the others, each checked to hold the same key */
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		int want = cpus > KEYPROC_MAX ? KEYPROC_MAX : cpus > 1 ? (int)cpus : 1;
		while (p->n < want) {
			uint32_t h2[4];
			struct cf_buf other = CF_BUF_INIT;
			int r = spawn(key_spec, fmt, &p->w[p->n], h2, &other, err);
			p->n++;
			int same = r == 0 && other.len == spki->len &&
				   !memcmp(other.data, spki->data, other.len);
			cf_buf_release(&other);
			if (r < 0)
				goto fail;
			if (!same) {
				cf_error_set(err, CF_ERR_PLAIN,
					     "key process: the key changed while starting");
				goto fail;
			}
		}
	}

	gnutls_privkey_t priv;
	int r = gnutls_privkey_init(&priv);
	if (r >= 0)
		r = gnutls_privkey_import_ext4(priv, p, ext_sign_data, ext_sign_hash, NULL, NULL,
					       ext_info, 0);
	if (r < 0) {
		if (r != GNUTLS_E_MEMORY_ERROR)
			gnutls_privkey_deinit(priv);
		cf_error_set(err, CF_ERR_PLAIN, "key process: %s", gnutls_strerror(r));
		goto fail;
	}
	key->priv = priv;
	key->pk = p->pk;
	key->bits = h[2];
	key->curve = (int)h[3];
	*kp = p;
	return 0;
fail:
	cf_keyproc_stop(p);
	return -1;
}

pid_t cf_keyproc_pid(const struct cf_keyproc *kp)
{
	return kp->w[0].pid;
}

int cf_keyproc_stop(struct cf_keyproc *kp)
{
	if (!kp)
		return 0;
	int ok = 1;
	for (int i = 0; i < kp->n; i++) {
		struct keyproc_worker *w = &kp->w[i];
		if (w->fd >= 0)
			close(w->fd);
		if (w->pid <= 0) {
			ok = 0;
			continue;
		}
		int status = 0;
		while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
			;
		pthread_mutex_destroy(&w->lock);
		ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	free(kp);
	return ok ? 0 : -1;
}
