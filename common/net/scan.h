/* cfssl scan: scanner families run against one TLS host, as cfssl's scan package
 * (cfssl-compat.md Appendix A.scan, cfssl-serve.md §3.8). Shared by `cfssl scan`,
 * `cfssl-scan` and serve's /scan. Thread-safe: no state outside the call. */
#ifndef CF_SCAN_H
#define CF_SCAN_H

#include <stdint.h>

#include "buf.h"
#include "error.h"

struct cf_scan_options {
	const char *family, *scanner; /* Go regexps; "" matches every name */
	const char *ip;               /* dial this address instead of the host's when it is one */
	int64_t timeout_ns;           /* the whole scan; results finished by then are kept */
	const char *ca_bundle;        /* PEM roots for TLSDial's verification; "": the system's */
};

/* scan.Default's catalogue as Go marshals it (members sorted), compact. */
extern const char cf_scan_catalogue[];

/* FamilySet.RunScans: @host is "host:port" or a host (port 443). Appends the results as the
 * compact JSON of map[family]map[scanner]{"grade","output"?,"error"?} (members sorted).
 * Scanners run one after the other, each dial bounded by 1 s (cfssl's Dialer); those not
 * started when the timeout passes, and a TLSHandshake scanner still waiting for the server
 * then, are left out, with cfssl's WARNING "Scan timed out after D". The TLSHandshake
 * scanners send hand-made ClientHellos (tlshello.h) and offer the suites and curves of cfssl's
 * tables in the order of their ids, where cfssl offers them in Go's random map order: against
 * a server that follows its own order the results are cfssl's, against one that follows the
 * client's they hold the same members in a fixed order. Differences from cfssl:
 * CloudFlareStatus never downloads CloudFlare's address list (grade Skipped);
 * IntermediateCAs (a host given as a CIDR range, with cfssl's stores in /etc/cfssl) dials
 * each address but does not bundle the chains, whose result cfssl discards; ChainValidation
 * does not fetch CRLs or OCSP responses (a certificate that names one gets the warning
 * "couldn't check if CN is revoked"); TLS is limited to 1.2 as cfssl's own TLS stack is; a
 * TLSHandshake hello's dial gives up after 1 s like the others (cfssl's waits for the
 * system). Errors: a bad regexp (Go's text). */
int cf_scan_run(const char *host, const struct cf_scan_options *o, struct cf_buf *json,
		struct cf_error *err);

/* Re-indents compact JSON @data as Go's json.MarshalIndent(v, "", "  "). */
void cf_scan_indent(struct cf_buf *out, const char *data, size_t len);

#endif
