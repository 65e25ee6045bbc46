/* cfssl's certificate request (the CSR JSON document) and the PKCS#10
 * requests and subject names built from it. */
#ifndef CF_CSR_H
#define CF_CSR_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "hosts.h"
#include "keygen.h"

struct cf_name_oid {
	char *oid; /* dotted text, as given */
	char *value;
};

struct cf_name {
	char *c, *st, *l, *o, *ou, *e, *serialnumber; /* new or NULL */
	struct cf_name_oid *oids;
	size_t noids;
};

/* The name parts cfssl writes in its own order, C, ST, L, O, OU (the order of the RDNs it
 * makes and of its getNames), with where each lives in struct cf_name. */
struct cf_name_part {
	const char *oid;
	size_t off; /* of the char * in struct cf_name */
};
#define CF_NAME_PARTS 5
extern const struct cf_name_part cf_name_parts[CF_NAME_PARTS];

/* An extra extension of the request ("extensions": pkix.Extension). */
struct cf_csr_extension {
	char *oid; /* dotted text */
	int critical;
	unsigned char *value;
	size_t len;
};

struct cf_csr_request {
	char *cn;
	size_t cn_len; /* with the NULs a JSON \u0000 puts in; 0: strlen(cn) */
	struct cf_name *names;
	size_t nnames;
	char **hosts;
	size_t nhosts;
	/* key: absent means ecdsa-256; a missing size follows the algorithm
	 * (2048 for rsa, 256 otherwise: deviation 5) */
	char *algo;
	long long size;
	int size_given;
	int has_ca;
	char *ca_expiry, *ca_backdate;
	long long ca_pathlen;
	int ca_pathlenzero;
	char *serialnumber;
	int delegation_enabled;
	char *crl_url;
	struct cf_csr_extension *extensions;
	size_t nextensions;
};

/* Decodes a CSR JSON document as cfssl (Go's encoding/json) does: member
 * names case-insensitive, last spelling wins, a top-level null is an empty
 * request. Errors are Go's texts (plain). Unknown members are logged as a
 * warning (deviation 10). @req is filled; release with cf_csr_request_release. */
int cf_csr_request_parse(const char *data, size_t len, struct cf_csr_request *req,
			 struct cf_error *err);
/* The same for a value of a cf_gojson_parse tree (a member of a larger request). */
int cf_csr_request_decode(const json_t *root, struct cf_csr_request *req, struct cf_error *err);
void cf_csr_request_release(struct cf_csr_request *req);
/* One csr.Name from JSON as Go decodes it (case-insensitive members, OID map, unknown members
 * warned about); @outer names the enclosing Go struct in a type error ("CertificateRequest" for
 * the CSR JSON, "Subject" for sign's -subject). */
int cf_csr_name_decode(const json_t *obj, struct cf_name *n, const char *outer,
		       struct cf_error *err);
/* Frees @req's names and leaves it with none. */
void cf_csr_names_free(struct cf_csr_request *req);
/* Reads @path ("-" = stdin, cf_read_file's errors) and decodes it as above.
 * @req is always initialised, so it can be released after a failure. */
int cf_csr_request_load(const char *path, struct cf_csr_request *req, struct cf_error *err);

/* cfssl's warning for a certificate made from a CSR document without hosts (gencert's
 * [WARNING] line, /newcert's 5300 message). */
extern const char cf_csr_lacks_hosts[];

/* Replaces the hosts of @req by @list split on "," (cfssl's -hostname);
 * trimming and skipping of empty items happen in cf_csr_hosts. */
void cf_csr_request_set_hostname(struct cf_csr_request *req, const char *list);

/* Deviation 1's warning for @skipped empty host names (none for 0). */
void cf_csr_warn_empty_hosts(size_t skipped);

/* Classifies the hosts of @req. Each entry is trimmed and empty ones are
 * skipped with one warning (deviation 1). *@hosts new. */
int cf_csr_hosts(const struct cf_csr_request *req, struct cf_host **hosts, size_t *n,
		 struct cf_error *err);
void cf_hosts_free(struct cf_host *hosts, size_t n);

/* True when the request names a subject as -initca demands: a CN, or names
 * entries that each carry a non-blank C/ST/L/O/OU. */
int cf_csr_request_has_subject(const struct cf_csr_request *req);

/* Appends the DER Name of @req's subject (§5.3). */
int cf_csr_subject_der(const struct cf_csr_request *req, struct cf_buf *out, struct cf_error *err);

/* Appends the subject a signer writes into the certificate for @req: the
 * request's subject parsed and re-encoded as Go does (§8.4), so that OID
 * entries naming a standard type move back to its standard position. */
int cf_csr_cert_subject_der(const struct cf_csr_request *req, struct cf_buf *out,
			    struct cf_error *err);

/* Appends the DER subjectAltName extension value (GeneralNames) of @hosts,
 * grouped DNS, e-mail, IP, URI, keeping order within a group. With @ca_only_ip
 * only IP addresses are kept (CA certificates). Returns the number of names. */
size_t cf_san_der(const struct cf_host *hosts, size_t n, int ca_only_ip, struct cf_buf *out);

/* Appends one Extension (SEQUENCE { oid, [critical], OCTET STRING value }). */
void cf_extension_der(struct cf_buf *out, const char *oid, int critical, const unsigned char *value,
		      size_t len);

/* Appends a basicConstraints value as Go marshals it (pathlen omitted when -1). */
void cf_basic_constraints_der(struct cf_buf *out, int is_ca, long long pathlen);

/* Appends the DER Extension elements a signer copies from the request
 * (§8.5 extras (a)): with @copy_all (profile copy_extensions) every request
 * extension but basicConstraints, in request order (SAN, delegation, user
 * extensions); otherwise only the delegation-usage extension. */
void cf_csr_copied_extensions(const struct cf_csr_request *req, const struct cf_host *hosts,
			      size_t nhosts, int copy_all, struct cf_buf *out);

/* Builds and signs the PKCS#10 request for @req with @key; appends the PEM
 * "CERTIFICATE REQUEST". The request's extensions: SAN, then the critical
 * basicConstraints of a "ca" block, then the delegation-usage extension. */
int cf_csr_generate(const struct cf_csr_request *req, const struct cf_host *hosts, size_t nhosts,
		    const struct cf_key *key, struct cf_buf *pem, struct cf_error *err);

/* The length of @req->cn, NULs from the JSON included. */
size_t cf_csr_cn_len(const struct cf_csr_request *req);

#endif
