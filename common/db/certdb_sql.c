/* Every SQL statement cfssl-c sends to a certificate database, in one place.
 * The texts are cfssl's (certdb/sql/database_accessor.go) with its named
 * parameters turned into `?` in the order given beside each statement;
 * drivers rebind `?` as their database needs. The two *_BY_AKI statements
 * are cfssl-c's (deviation 22), and so is SELECT_OCSP_BY_SERIAL (deviation 24). */
#include "certdb.h"

#define CERT_COLUMNS                                                                  \
	"serial_number, authority_key_identifier, ca_label, status, reason, expiry, " \
	"revoked_at, pem, issued_at, not_before, metadata, sans, common_name"
#define OCSP_COLUMNS "serial_number, authority_key_identifier, body, expiry"

static const enum cf_dbtype cert_cols[] = {
	CF_DBV_TEXT, CF_DBV_TEXT, CF_DBV_TEXT, CF_DBV_TEXT, CF_DBV_INT,  CF_DBV_TIME, CF_DBV_TIME,
	CF_DBV_TEXT, CF_DBV_TIME, CF_DBV_TIME, CF_DBV_TEXT, CF_DBV_TEXT, CF_DBV_TEXT,
};
static const enum cf_dbtype ocsp_cols[] = {CF_DBV_TEXT, CF_DBV_TEXT, CF_DBV_BLOB, CF_DBV_TIME};

#define CERT_QUERY(id, where, n) \
	[id] = {id, "SELECT " CERT_COLUMNS " FROM certificates WHERE " where ";", n, 13, cert_cols}
#define OCSP_QUERY(id, where, n) \
	[id] = {id, "SELECT " OCSP_COLUMNS " FROM ocsp_responses WHERE " where ";", n, 4, ocsp_cols}

const struct cf_certdb_stmt cf_certdb_stmts[CF_SQL_COUNT] = {
	/* the 13 columns in CERT_COLUMNS order */
	[CF_SQL_INSERT_CERT] = {CF_SQL_INSERT_CERT,
				"INSERT INTO certificates (" CERT_COLUMNS ") VALUES "
				"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);",
				13, 0, NULL},
	CERT_QUERY(CF_SQL_SELECT_CERT, "(serial_number = ? AND authority_key_identifier = ?)", 2),
	CERT_QUERY(CF_SQL_SELECT_UNEXPIRED, "CURRENT_TIMESTAMP < expiry", 0),
	CERT_QUERY(CF_SQL_SELECT_REVOKED, "CURRENT_TIMESTAMP < expiry AND status='revoked'", 0),
	CERT_QUERY(
		CF_SQL_SELECT_REVOKED_BY_AKI,
		"CURRENT_TIMESTAMP < expiry AND status='revoked' AND authority_key_identifier = ?",
		1),
	CERT_QUERY(CF_SQL_SELECT_UNEXPIRED_BY_AKI,
		   "CURRENT_TIMESTAMP < expiry AND authority_key_identifier = ?", 1),
	/* reason, serial, aki */
	[CF_SQL_REVOKE] =
		{CF_SQL_REVOKE,
		 "UPDATE certificates SET status='revoked', revoked_at=CURRENT_TIMESTAMP, "
		 "reason=? WHERE (serial_number = ? AND authority_key_identifier = ?);",
		 3, 0, NULL},
	/* serial, aki, body, expiry */
	[CF_SQL_INSERT_OCSP] = {CF_SQL_INSERT_OCSP,
				"INSERT INTO ocsp_responses (" OCSP_COLUMNS
				") VALUES (?, ?, ?, ?);",
				4, 0, NULL},
	/* body, expiry, serial, aki */
	[CF_SQL_UPDATE_OCSP] = {CF_SQL_UPDATE_OCSP,
				"UPDATE ocsp_responses SET body = ?, expiry = ? WHERE "
				"(serial_number = ? AND authority_key_identifier = ?);",
				4, 0, NULL},
	OCSP_QUERY(CF_SQL_SELECT_UNEXPIRED_OCSP, "CURRENT_TIMESTAMP < expiry", 0),
	OCSP_QUERY(CF_SQL_SELECT_OCSP, "(serial_number = ? AND authority_key_identifier = ?)", 2),
	OCSP_QUERY(CF_SQL_SELECT_OCSP_BY_SERIAL, "serial_number = ?", 1),
};
