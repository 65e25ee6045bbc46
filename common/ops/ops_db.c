/* The certificate database operations (ops.h): recording, revocation, CRLs
 * and OCSP responses from the database, certinfo by serial. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "bigint.h"
#include "certdb.h"
#include "crl.h"
#include "log.h"
#include "ocsp.h"
#include "ops.h"
#include "pem.h"

#define ONE_WEEK (7 * 24 * 3600LL)

static int critical(const char *prefix, const struct cf_error *err)
{
	char msg[CF_ERROR_MSG_MAX + 64];
	cf_error_render(err, msg, sizeof msg);
	cf_log(CF_LOG_CRITICAL, "%s%s", prefix, msg);
	return -1;
}

int cf_op_record(struct cf_certdb *db, const unsigned char *pem, size_t len, const char *label,
		 struct cf_error *err)
{
	struct cf_certdb_cert c;
	if (cf_certdb_cert_from_pem(pem, len, label, &c, err) < 0)
		return -1;
	int ret = cf_certdb_insert_cert(db, &c, err);
	if (ret == 0)
		cf_debug("saved certificate with serial number %s", c.serial);
	cf_certdb_cert_release(&c);
	return ret;
}

int cf_op_certadd(struct cf_certdb *db, const struct cf_certdb_cert *c, struct cf_error *err)
{
	return cf_certdb_insert_cert(db, c, err);
}

int cf_op_revoke(struct cf_certdb *db, const char *serial, const char *aki, int reason,
		 struct cf_error *err)
{
	char *s = cf_certdb_norm_serial(serial), *a = cf_certdb_norm_aki(aki);
	if (strcmp(s, serial) || strcmp(a, aki))
		cf_debug("revoking serial %s, AKI %s (deviation 23: one spelling)", s, a);
	int ret = cf_certdb_revoke(db, s, a, reason, err);
	free(s);
	free(a);
	return ret;
}

/* The rows of the CA @issuer among those @get returns (deviation 22): AKI
 * equal to its SKI, or empty (Debian's cfssl 1.2) with a certificate whose
 * issuer is @issuer. */
typedef int (*get_fn)(struct cf_certdb *db, const char *aki, struct cf_certdb_cert **out, size_t *n,
		      struct cf_error *err);

static int rows_of_ca(struct cf_certdb *db, gnutls_x509_crt_t issuer, get_fn get,
		      struct cf_certdb_cert **out, size_t *n, struct cf_error *err)
{
	char *ski = cf_certdb_crt_ski(issuer);
	cf_debug("the certificates of the CA with key identifier %s only (deviation 22)", ski);
	struct cf_certdb_cert *mine = NULL, *blank = NULL;
	size_t nmine = 0, nblank = 0;
	int ret = get(db, ski, &mine, &nmine, err);
	if (ret == 0 && *ski)
		ret = get(db, "", &blank, &nblank, err);
	free(ski);
	if (ret < 0) {
		cf_certdb_certs_free(mine, nmine);
		cf_certdb_certs_free(blank, nblank);
		return -1;
	}
	for (size_t i = 0; i < nblank; i++) {
		gnutls_x509_crt_t crt;
		struct cf_error e = {0};
		int keep = 0;
		if (cf_parse_cert_pem((const unsigned char *)blank[i].pem, strlen(blank[i].pem),
				      &crt, &e) == 0) {
			keep = gnutls_x509_crt_check_issuer(crt, issuer) != 0;
			gnutls_x509_crt_deinit(crt);
		}
		if (keep) {
			mine = cf_xgrow(mine, nmine, sizeof *mine);
			mine[nmine++] = blank[i];
		} else {
			cf_certdb_cert_release(&blank[i]);
		}
	}
	free(blank);
	*out = mine;
	*n = nmine;
	return 0;
}

int cf_op_crl(struct cf_certdb *db, gnutls_x509_crt_t issuer, const struct cf_key *key,
	      long long expiry, struct cf_buf *der, struct cf_error *err)
{
	struct cf_certdb_cert *rows;
	size_t n;
	if (rows_of_ca(db, issuer, cf_certdb_get_revoked, &rows, &n, err) < 0)
		return -1;
	struct cf_crl_entry *entries = n ? cf_xcalloc(n, sizeof *entries) : NULL;
	for (size_t i = 0; i < n; i++) {
		/* the decimal text as cfssl stores it; anything else reads as Go's SetString */
		const char *s = rows[i].serial;
		int neg = *s == '-';
		size_t k = strspn(s + neg, "0123456789");
		struct cf_buf b = CF_BUF_INIT;
		cf_bigint_der_from_decimal(s + neg, k, neg, &b);
		entries[i].serial = cf_buf_detach(&b, &entries[i].serial_len);
		entries[i].revoked_at = rows[i].revoked_at.sec;
	}
	int64_t now = (int64_t)time(NULL);
	struct cf_crl_params p = {
		.this_update = now,
		.next_update = now + (expiry ? expiry : ONE_WEEK),
		.entries = entries,
		.nentries = n,
	};
	int ret = cf_crl_create(issuer, key, &p, der, err);
	cf_crl_entries_free(entries, n);
	cf_certdb_certs_free(rows, n);
	return ret;
}

static int save_response(struct cf_certdb *db, gnutls_x509_crt_t crt, const struct cf_buf *der,
			 struct cf_dbtime expiry, struct cf_error *err)
{
	unsigned char serial[64];
	size_t sn = sizeof serial;
	struct cf_buf b = CF_BUF_INIT;
	if (gnutls_x509_crt_get_serial(crt, serial, &sn) < 0)
		sn = 0;
	cf_bigint_dec_signed(serial, sn, &b);
	struct cf_certdb_ocsp o = {
		.serial = (char *)b.data,
		.aki = cf_certdb_crt_aki(crt),
		.body = der->data,
		.body_len = der->len,
		.expiry = expiry,
	};
	int ret = cf_certdb_upsert_ocsp(db, &o, err);
	free(o.aki);
	cf_buf_release(&b);
	return ret;
}

int cf_op_ocsprefresh(struct cf_certdb *db, const struct cf_ocsprefresh_request *r,
		      struct cf_error *err)
{
	struct cf_certdb_cert *rows;
	size_t n;
	if (rows_of_ca(db, r->ca, cf_certdb_get_unexpired_by_aki, &rows, &n, err) < 0)
		return -1;
	/* one expiry for the whole batch: start time + interval, full precision */
	struct cf_dbtime expiry = cf_dbtime_now();
	int64_t now = expiry.sec;
	expiry.sec += r->interval;
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		gnutls_x509_crt_t crt;
		if (cf_parse_cert_pem((const unsigned char *)rows[i].pem, strlen(rows[i].pem), &crt,
				      err) < 0) {
			ret = critical("Unable to parse certificate: ", err);
			break;
		}
		struct cf_ocsp_request req = {
			.status = rows[i].status,
			.this_update = now - now % 3600,
			.produced_at = now - now % 60,
		};
		req.next_update = req.this_update + r->interval;
		if (!strcmp(rows[i].status, "revoked")) {
			req.reason = (int)rows[i].reason;
			req.revoked_at = rows[i].revoked_at.sec;
		}
		struct cf_buf der = CF_BUF_INIT;
		ret = cf_ocsp_sign(crt, r->ca, r->responder, r->key, &req, &der, err);
		if (ret < 0)
			critical("Unable to sign OCSP response: ", err);
		else if ((ret = save_response(db, crt, &der, expiry, err)) < 0)
			critical("Unable to save OCSP response: ", err);
		cf_buf_release(&der);
		gnutls_x509_crt_deinit(crt);
	}
	cf_certdb_certs_free(rows, n);
	return ret;
}

int cf_op_ocspdump(struct cf_certdb *db, struct cf_buf *out, struct cf_error *err)
{
	struct cf_certdb_ocsp *rows;
	size_t n;
	if (cf_certdb_get_unexpired_ocsp(db, &rows, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		cf_base64_encode(out, rows[i].body, rows[i].body_len);
		cf_buf_addc(out, '\n');
	}
	cf_certdb_ocsps_free(rows, n);
	return 0;
}

int cf_op_certinfo_serial(struct cf_certdb *db, const char *serial, const char *aki,
			  struct cf_buf *out, struct cf_error *err)
{
	char *s = cf_certdb_norm_serial(serial), *a = cf_certdb_norm_aki(aki);
	struct cf_certdb_cert *rows;
	size_t n;
	int ret = cf_certdb_get_cert(db, s, a, &rows, &n, err);
	free(s);
	free(a);
	if (ret < 0)
		return -1;
	if (n < 1)
		ret = cf_error_set(err, CF_ERR_PLAIN, "no certificate found");
	else if (n > 1)
		ret = cf_error_set(err, CF_ERR_PLAIN, "more than one certificate found");
	else
		ret = cf_op_certinfo_cert((const unsigned char *)rows[0].pem, strlen(rows[0].pem),
					  out, err);
	cf_certdb_certs_free(rows, n);
	return ret;
}
