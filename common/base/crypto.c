#include "crypto.h"

#include <gnutls/gnutls.h>

#ifndef CF_STATIC_CRYPTO
#include <dlfcn.h>
#endif

/* libmicrohttpd (serve's HTTP server) initialises GnuTLS in its library constructor and
 * deinitialises it in its destructor, in every run of the binary: that would undo
 * GNUTLS_SKIP_GLOBAL_INIT (0.6 M instructions and GnuTLS's teardown for every command,
 * `version` included). So the gnutls_global_init calls made before main are held here, not
 * made: cf_crypto_init makes the real one when a command needs GnuTLS, and cf_httpd_start calls
 * it before it starts libmicrohttpd. A held call's gnutls_global_deinit is dropped with it.
 *
 * With -Dstatic_crypto=true the linker sends the binary's calls here (--wrap, meson.build);
 * libmicrohttpd's constructor and destructor are the only callers besides cf_crypto_init
 * (libcurl and the database clients are shared libraries with their own GnuTLS). With shared
 * libraries the binary's definitions below take the place of GnuTLS's for every library, and
 * calls made once the binary's constructors have run go on to GnuTLS. */
static unsigned held;

static int hold(void)
{
	held++;
	return 0;
}

#ifdef CF_STATIC_CRYPTO
int __real_gnutls_global_init(void);
void __real_gnutls_global_deinit(void);
int __wrap_gnutls_global_init(void);
void __wrap_gnutls_global_deinit(void);

static int real_init(void)
{
	return __real_gnutls_global_init();
}

int __wrap_gnutls_global_init(void)
{
	return hold();
}

void __wrap_gnutls_global_deinit(void)
{
	if (held)
		held--;
	else
		__real_gnutls_global_deinit();
}
#else
static int started;

__attribute__((constructor)) static void binary_started(void)
{
	started = 1; /* the libraries' constructors, libmicrohttpd's among them, have run */
}

static int real_init(void)
{
	static int (*init)(void);
	if (!init) {
		void *f = dlsym(RTLD_NEXT, "gnutls_global_init");
		if (!f)
			return GNUTLS_E_INTERNAL_ERROR;
		*(void **)&init = f;
	}
	return init();
}

int gnutls_global_init(void)
{
	if (!started)
		return hold();
	return real_init();
}

void gnutls_global_deinit(void)
{
	static void (*deinit)(void);
	if (held) {
		held--;
		return;
	}
	if (!deinit)
		*(void **)&deinit = dlsym(RTLD_NEXT, "gnutls_global_deinit");
	if (deinit)
		deinit();
}
#endif

int cf_crypto_init(struct cf_error *err)
{
	static int done;
	if (done)
		return 0;
	/* Never paired with gnutls_global_deinit: the process ends soon after, and GnuTLS's own
	 * teardown would only free what exit returns anyway. */
	int r = real_init();
	if (r < 0) {
		cf_error_set(err, CF_ERR_PLAIN, "GnuTLS initialisation failed: %s",
			     gnutls_strerror(r));
		return -1;
	}
	done = 1;
	return 0;
}
