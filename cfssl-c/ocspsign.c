/* cfssl ocspsign: an OCSP response for one certificate (§12.10). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "cli.h"
#include "fileio.h"
#include "gojson.h"
#include "keygen.h"
#include "log.h"
#include "ocsp.h"
#include "ops.h"
#include "pem.h"

#define SECOND_NS 1000000000LL

/* Logs "[CRITICAL] @prefix<error>" as cfssl does before returning the error. */
static int critical(const char *prefix, const struct cf_error *err)
{
	char msg[CF_ERROR_MSG_MAX + 64];
	cf_error_render(err, msg, sizeof msg);
	cf_log(CF_LOG_CRITICAL, "%s%s", prefix, msg);
	return -1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int cmd_ocspsign(struct cfssl_ctx *ctx)
{
	struct cf_error *err = ctx->err;
	const struct cf_flag_value *f = ctx->flags;
	int ret = -1;
	struct cf_buf certdata = CF_BUF_INIT, b64 = CF_BUF_INIT;
	gnutls_x509_crt_t cert = NULL, ca = NULL, responder = NULL;
	struct cf_key key = {0};
	int64_t now = (int64_t)time(NULL);
	struct cf_ocsp_request req = {
		.status = f[F_STATUS].str,
	};

	if (cf_read_file_plain(f[F_CERT].str, &certdata, err) < 0) {
		critical("Unable to read certificate: ", err);
		goto out;
	}
	if (cf_parse_cert_pem(certdata.data, certdata.len, &cert, err) < 0) {
		critical("Unable to parse certificate: ", err);
		goto out;
	}
	if (!strcmp(f[F_STATUS].str, "revoked")) {
		if (cf_ocsp_reason_code(f[F_REASON].str, &req.reason, err) < 0) {
			critical("Invalid reason code: ", err);
			goto out;
		}
		req.revoked_at = now;
		const char *at = f[F_REVOKED_AT].str;
		if (strcmp(at, "now") != 0 && cf_ocsp_parse_date(at, &req.revoked_at, err) < 0) {
			cf_log(CF_LOG_CRITICAL, "Malformed revocation time: %s", at);
			goto out;
		}
	}

	/* The responder key falls back to -key, as cfssl's SignerFromConfig. */
	const char *keyfile = *f[F_RESPONDER_KEY].str ? f[F_RESPONDER_KEY].str : f[F_KEY].str;
	if (cf_ocsp_signer_load(f[F_CA].str, f[F_RESPONDER].str, keyfile, &ca, &responder, &key,
				err) < 0) {
		critical("Unable to create OCSP signer: ", err);
		goto out;
	}

	struct cf_ocsp_signer signer = {
		.issuer = ca,
		.responder = responder,
		.key = &key,
		.interval = floor_div(f[F_INTERVAL].dur, SECOND_NS),
	};
	if (cf_op_ocspsign(&signer, cert, &req, now, &b64, err) < 0) {
		critical("Unable to sign OCSP response: ", err);
		goto out;
	}
	cf_buf_adds(ctx->out, "{\"ocspResponse\":");
	cf_gojson_quote(ctx->out, (const char *)b64.data, b64.len);
	cf_buf_adds(ctx->out, "}\n");
	ret = 0;
out:
	if (cert)
		gnutls_x509_crt_deinit(cert);
	if (ca)
		gnutls_x509_crt_deinit(ca);
	if (responder)
		gnutls_x509_crt_deinit(responder);
	cf_key_release(&key);
	cf_buf_release(&certdata);
	cf_buf_release(&b64);
	return ret;
}
