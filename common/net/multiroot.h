/* multirootca's server (cfssl-serve.md §10): several CAs ("roots") chosen by label, each with
 * its signing policy, an optional allow-list of client networks and an optional certificate
 * database, serving only /api/v1/cfssl/authsign, /api/v1/cfssl/info and /metrics on
 * common/net/httpd. Each root is a struct cf_api of its own, so that signing and info are
 * api_sign.c's; what is multirootca's (the label, the allow-list, its checks before signing
 * and their errors: status 400/401/403/405/500 with code 1, the Prometheus counters) is here.
 *
 * The roots file is cfssl's INI dialect: "[label]" sections, "key = value" lines (a value in
 * single or double quotes loses them), "#" comments in the first column, keys before any
 * section in [default]. Keys: private (file://PATH: a PEM key without password, else a DER
 * one, as cfssl; Red October's rofile:// is checked as cfssl checks it (the file read, ro_server,
 * ro_user, ro_pass present) and then refused), certificate, config, nets (comma-separated
 * CIDRs), dbconfig. Sections keep the file's order (cfssl's is random).
 *
 * Read-only once cf_multiroot_load returns, except the counters (atomic): the callbacks run
 * on all worker threads at once. */
#ifndef CF_MULTIROOT_H
#define CF_MULTIROOT_H

#include <stdatomic.h>
#include <stddef.h>

#include "api.h"
#include "certdb.h"
#include "error.h"
#include "httpd.h"

struct cf_keyproc;

struct cf_mroot_net {
	int v6;
	unsigned char addr[16];
	int bits;
};

struct cf_mroot {
	char *label;
	struct cf_api api; /* config and ca of this root */
	struct cf_config *config;
	struct cf_ca ca;
	int have_ca;
	struct cf_keyproc *kp;
	struct cf_certdb *db;            /* dbconfig's database (api.db), or NULL */
	struct cf_dbconf_paths db_paths; /* what its database's client opens at run time */
	struct cf_mroot_net *nets;       /* the allow-list; NULL: every client */
	size_t nnets;
	atomic_ullong requests, errored; /* requests_total, requests_errored_total */
};

struct cf_multiroot {
	struct cf_mroot *roots;
	size_t nroots;
	const char *default_label; /* -l, borrowed */
	atomic_ullong bad_inputs;  /* bad_inputs_total{operation="sign"} */
};

/* One section of an INI file: keys and values in file order (a later key replaces). */
struct cf_ini_section {
	char *name;
	char **keys, **vals;
	size_t n;
};

/* cfssl's multiroot/config.ParseToRawMap. Errors: Go's open error, "invalid config file". */
int cf_ini_parse(const char *path, struct cf_ini_section **out, size_t *n, struct cf_error *err);
void cf_ini_free(struct cf_ini_section *s, size_t n);
/* The value of @key in @s, or NULL. */
const char *cf_ini_get(const struct cf_ini_section *s, const char *key);

/* Go's net.ParseCIDR for one entry of "nets". 0, or -1 with "invalid CIDR address: X". */
int cf_mroot_parse_cidr(const char *s, struct cf_mroot_net *net, struct cf_error *err);
/* Whether the host of @remote ("1.2.3.4:5", "[::1]:5") is in one of @root's nets. */
int cf_mroot_permitted(const struct cf_mroot *root, const char *remote);

/* Reads the roots file and loads every root: its policy, its nets, its dbconfig (opened, not
 * contacted, as serve's -db-config: what the root issues is recorded there with its label),
 * its CA with the key in a key process of its own (cf_ca_load_isolated; call before any
 * thread starts); logs "loaded signer LABEL". cfssl's errors. On failure everything loaded is
 * released. */
int cf_multiroot_load(const char *path, struct cf_multiroot *mr, struct cf_error *err);
void cf_multiroot_release(struct cf_multiroot *mr);

/* The httpd callbacks (arg = the struct cf_multiroot): Go's ServeMux over the three paths (404
 * otherwise, 301 for unclean paths), then authsign, info (POST only) or metrics. */
int cf_multiroot_precheck(void *arg, const struct cf_httpd_request *req,
			  struct cf_httpd_reply *rep);
int cf_multiroot_dispatch(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep,
			  struct cf_error *err);

/* The Prometheus text exposition of the counters, appended to @out. */
void cf_multiroot_metrics(const struct cf_multiroot *mr, struct cf_buf *out);

#endif
