/* cfssl-c's command line: one flag set shared by every command (as cfssl
 * registers all its flags on one set), a command table and usage texts.
 *
 * To add a command: write cfssl-c/<name>.c with
 *   int cmd_<name>(struct cfssl_ctx *ctx);
 * declare it below, add it to the table in main.c (alphabetical) and give it
 * a usage entry in usage.c. */
#ifndef CFSSL_CLI_H
#define CFSSL_CLI_H

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "error.h"
#include "flags.h"

/* Indices into cfssl_flags[], in cfssl's registration order. */
enum cfssl_flag {
	F_HOSTNAME,
	F_CERT,
	F_CSR,
	F_CA,
	F_CA_KEY,
	F_TLS_CERT,
	F_TLS_KEY,
	F_MUTUAL_TLS_CA,
	F_MUTUAL_TLS_CN,
	F_TLS_REMOTE_CA,
	F_MUTUAL_TLS_CLIENT_CERT,
	F_MUTUAL_TLS_CLIENT_KEY,
	F_KEY,
	F_INTERMEDIATES,
	F_CA_BUNDLE,
	F_INT_BUNDLE,
	F_ADDRESS,
	F_PORT,
	F_MIN_TLS_VERSION,
	F_CONFIG,
	F_PROFILE,
	F_INITCA,
	F_RENEWCA,
	F_INT_DIR,
	F_FLAVOR,
	F_METADATA,
	F_DOMAIN,
	F_IP,
	F_REMOTE,
	F_LABEL,
	F_AUTHKEY,
	F_RESPONDER,
	F_RESPONDER_KEY,
	F_STATUS,
	F_REASON,
	F_REVOKED_AT,
	F_INTERVAL,
	F_LIST,
	F_FAMILY,
	F_SCANNER,
	F_TIMEOUT,
	F_CSV,
	F_NUM_WORKERS,
	F_MAX_HOSTS,
	F_RESPONSES,
	F_PATH,
	F_CRL,
	F_PASSWORD,
	F_USAGE,
	F_PGP_PRIVATE,
	F_PGP_NAME,
	F_SERIAL,
	F_CN,
	F_AKI,
	F_DB_CONFIG,
	F_EXPIRY,
	F_LOGLEVEL,
	F_DISABLE,
	F_COUNT /* 58 */
};

extern const struct cf_flag_def cfssl_flags[F_COUNT];

/* What a command gets: its parsed flags and positional arguments, the loaded
 * -config (NULL when not given), and where to put its output. */
struct cfssl_ctx {
	const char *name;
	struct cf_flag_value *flags; /* [F_COUNT] */
	int npos;
	char **pos;
	struct cf_config *config;
	struct cf_buf *out; /* stdout bytes, written by main.c only if the command succeeds */
	struct cf_error *err;
};

/* Returns 0 on success, -1 with ctx->err set (printed by main.c, exit 1).
 * A command that must exit with another status returns it as a positive value
 * (e.g. 2), having printed its own diagnostics. */
typedef int (*cfssl_cmd_fn)(struct cfssl_ctx *ctx);

/* Signs the PEM request @csr through the servers @addrs (-remote, or a remote profile's
 * address), with -hostname, -profile, -label, -crl, -tls-remote-ca and the mutual TLS client
 * files (logging cfssl's [INFO] lines for the last two); through /authsign with @key when
 * non-NULL; @subject_json (or NULL) is the rendered SUBJECT file. *@cert is the certificate text as
 * the server sent it (new). */
int cli_remote_sign(struct cfssl_ctx *ctx, const char *addrs, const struct cf_auth_key *key,
		    const unsigned char *csr, size_t csr_len, const char *subject_json,
		    char **cert);

/* A client for the servers @addrs with -tls-remote-ca and the mutual TLS client files (and
 * cfssl's [INFO] lines for them). *@r new. */
struct cf_remote;
int cli_remote_open(struct cfssl_ctx *ctx, const char *addrs, struct cf_remote **r);

int cmd_bundle(struct cfssl_ctx *ctx);
int cmd_certinfo(struct cfssl_ctx *ctx);
int cmd_crl(struct cfssl_ctx *ctx);
int cmd_gencert(struct cfssl_ctx *ctx);
int cmd_gencrl(struct cfssl_ctx *ctx);
int cmd_gencsr(struct cfssl_ctx *ctx);
int cmd_genkey(struct cfssl_ctx *ctx);
int cmd_info(struct cfssl_ctx *ctx);
int cmd_scan(struct cfssl_ctx *ctx);
int cmd_ocspdump(struct cfssl_ctx *ctx);
int cmd_ocsprefresh(struct cfssl_ctx *ctx);
int cmd_ocspserve(struct cfssl_ctx *ctx);
int cmd_ocspsign(struct cfssl_ctx *ctx);
int cmd_print_defaults(struct cfssl_ctx *ctx);
int cmd_revoke(struct cfssl_ctx *ctx);
int cmd_selfsign(struct cfssl_ctx *ctx);
int cmd_serve(struct cfssl_ctx *ctx);
int cmd_sign(struct cfssl_ctx *ctx);
int cmd_version(struct cfssl_ctx *ctx);

/* cfssl's programs that are not one of its commands, run under their own names with their own
 * flags (Go's default usage), from main(argc, argv). Return the exit status. */
int prog_mkbundle(int argc, char **argv);
int prog_multirootca(int argc, char **argv);

/* Appends the usage text of @cmd as cfssl prints it on -h or after a flag
 * error: the command's fixed header (Appendix A), then one generated line per
 * documented flag, then the -loglevel line. Returns -1 for an unknown command. */
int cfssl_usage(struct cf_buf *b, const char *cmd);
void cfssl_top_usage(struct cf_buf *b, const char *const *cmds, int ncmds);

#endif
