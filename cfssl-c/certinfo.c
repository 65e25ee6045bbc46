/* cfssl certinfo: a certificate (from a file, stdin or a TLS server) or a
 * certificate request as JSON (spec §12.5).
 *
 * -csr prints Go's crypto/x509.CertificateRequest structure as cfssl does
 * (json.MarshalIndent of the struct: Raw*, Version, Signature,
 * SignatureAlgorithm, PublicKeyAlgorithm, PublicKey, Subject, Attributes,
 * Extensions, ExtraExtensions, DNSNames, EmailAddresses, IPAddresses, URIs),
 * with the simplifications listed in common/x509/certinfo.h. */
#include "certdb.h"
#include "certinfo.h"
#include "cli.h"
#include "fileio.h"
#include "ops.h"

static int cert_to_json(struct cfssl_ctx *ctx, const char *path)
{
	struct cf_buf data = CF_BUF_INIT;
	int ret = cf_read_file(path, &data, ctx->err);
	if (ret == 0)
		ret = cf_op_certinfo_cert(data.data, data.len, ctx->out, ctx->err);
	cf_buf_release(&data);
	return ret;
}

static int csr_to_json(struct cfssl_ctx *ctx, const char *path)
{
	struct cf_buf data = CF_BUF_INIT;
	int ret = cf_read_file(path, &data, ctx->err);
	if (ret == 0)
		ret = cf_certinfo_csr_pem(data.data, data.len, ctx->out, ctx->err);
	cf_buf_release(&data);
	return ret;
}

int cmd_certinfo(struct cfssl_ctx *ctx)
{
	const char *cert = ctx->flags[F_CERT].str, *csr = ctx->flags[F_CSR].str;
	const char *domain = ctx->flags[F_DOMAIN].str;

	if (*cert)
		return cert_to_json(ctx, cert);
	if (*csr)
		return csr_to_json(ctx, csr);
	if (*domain)
		return cf_op_certinfo_domain(domain, ctx->out, ctx->err);
	if (*ctx->flags[F_SERIAL].str && *ctx->flags[F_AKI].str) {
		if (!*ctx->flags[F_DB_CONFIG].str)
			return cf_error_set(ctx->err, CF_ERR_PLAIN,
					    "need DB config file (provide with -db-config)");
		struct cf_certdb *db = cf_certdb_open_file(ctx->flags[F_DB_CONFIG].str, ctx->err);
		if (!db)
			return -1;
		int ret = cf_op_certinfo_serial(db, ctx->flags[F_SERIAL].str, ctx->flags[F_AKI].str,
						ctx->out, ctx->err);
		cf_certdb_close(db);
		return ret;
	}
	return cf_error_set(ctx->err, CF_ERR_PLAIN,
			    "Must specify certinfo target through -cert, -csr, -domain or -serial "
			    "+ -aki");
}
