/* cfssl-c: the command multiplexer. Commands live one per file (see cli.h). */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <jansson.h>

#include "cli.h"
#include "config.h"
#include "crypto.h"
#include "fileio.h"
#include "log.h"
#include "process.h"

/* GnuTLS is initialised by main (cf_crypto_init) for the commands that use it, not by its
 * constructor in every run; nor is it torn down at exit. */
GNUTLS_SKIP_GLOBAL_INIT

static const struct {
	const char *name;
	cfssl_cmd_fn fn;
	int crypto; /* needs GnuTLS */
} commands[] = {
	/* one command a line, alphabetical */
	/* clang-format off */
	{"bundle", cmd_bundle, 1},
	{"certinfo", cmd_certinfo, 1},
	{"crl", cmd_crl, 1},
	{"gencert", cmd_gencert, 1},
	{"gencrl", cmd_gencrl, 1},
	{"gencsr", cmd_gencsr, 1},
	{"genkey", cmd_genkey, 1},
	{"info", cmd_info, 1},
	{"ocspdump", cmd_ocspdump, 0},
	{"ocsprefresh", cmd_ocsprefresh, 1},
	{"ocspserve", cmd_ocspserve, 1},
	{"ocspsign", cmd_ocspsign, 1},
	{"print-defaults", cmd_print_defaults, 0},
	{"revoke", cmd_revoke, 1},
	{"scan", cmd_scan, 1},
	{"selfsign", cmd_selfsign, 1},
	{"serve", cmd_serve, 1},
	{"sign", cmd_sign, 1},
	{"version", cmd_version, 0},
	/* clang-format on */
};

#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

/* The names cfssl-c also answers to (installed as links, see meson.build): cfssl ships these
 * as programs of their own, each one command of cfssl with its own flag set and usage text.
 * The program is chosen by the base name of argv[0]. To add one: a row here (alphabetical),
 * with cfssl's usage header and the flags that program registers, in its usage order, and a
 * link in meson.build. */
static const struct program {
	const char *name;      /* argv[0]'s base name */
	const char *command;   /* the row of commands[] it runs */
	const char *usage;     /* printed after a tab, then one line per flag */
	const char *flags[12]; /* the only flags it accepts, NULL-terminated */
} programs[] = {
	{"cfssl-certinfo",
	 "certinfo",
	 "cfssl-certinfo -- output certinfo about the given cert\n"
	 "\n"
	 "\tUsage of certinfo:\n"
	 "\t\t- Data from local certificate files\n"
	 "        \tcertinfo -cert file\n"
	 "\t\t- Data from certificate from remote server.\n"
	 "        \tcertinfo -domain domain_name\n"
	 "\t\t- Data from CA storage\n"
	 "        \tcertinfo -serial serial_number -aki authority_key_id (requires -db-config)\n"
	 "\n"
	 "\tFlags:\n"
	 "\t",
	 {"aki", "cert", "db-config", "domain", "serial", NULL}},
	{"cfssl-bundle",
	 "bundle",
	 "cfssl-bundle -- create a certificate bundle that contains the client cert\n"
	 "\n"
	 "\tUsage of bundle:\n"
	 "\t\t- Bundle local certificate files\n"
	 "        \tbundle -cert file [-ca-bundle file] [-int-bundle file] [-int-dir dir] "
	 "[-metadata "
	 "file] [-key keyfile] [-flavor optimal|ubiquitous|force] [-password password]\n"
	 "\t\t- Bundle certificate from remote server.\n"
	 "        \tbundle -domain domain_name [-ip ip_address] [-ca-bundle file] [-int-bundle "
	 "file] "
	 "[-int-dir dir] [-metadata file]\n"
	 "\n"
	 "\tFlags:\n"
	 "\t",
	 {"cert", "key", "ca-bundle", "int-bundle", "flavor", "int-dir", "metadata", "domain", "ip",
	  "password", NULL}},
	{"cfssl-newkey",
	 "genkey",
	 "cfssl-newkey -- generate a new key and CSR\n"
	 "\n"
	 "\tUsage of genkey:\n"
	 "        \tnewkey CSRJSON\n"
	 "\n"
	 "\tArguments:\n"
	 "        \tCSRJSON:    JSON file containing the request, use '-' for reading JSON from "
	 "stdin\n"
	 "\n"
	 "\tFlags:\n"
	 "\t",
	 {"initca", "config", NULL}},
	{"cfssl-scan",
	 "scan",
	 "cfssl scan -- scan a host for issues\n"
	 "Usage of scan:\n"
	 "        cfssl scan [-family regexp] [-scanner regexp] [-timeout duration] [-ip IPAddr] "
	 "[-num-workers num] [-max-hosts num] [-csv hosts.csv] HOST+\n"
	 "        cfssl scan -list\n"
	 "\n"
	 "Arguments:\n"
	 "        HOST:    Host(s) to scan (including port)\n"
	 "Flags:\n",
	 {"list", "family", "scanner", "timeout", "ip", "ca-bundle", "num-workers", "csv",
	  "max-hosts", NULL}},
};

#define NPROGRAMS ((int)(sizeof programs / sizeof programs[0]))

/* cfssl's programs that are not one of its commands (cli.h): a name and its main. */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} own_programs[] = {
	{"mkbundle", prog_mkbundle},
	{"multirootca", prog_multirootca},
};

#define NOWN ((int)(sizeof own_programs / sizeof own_programs[0]))

/* Jansson may hold private keys (cfssljson input, JSON we decode): wipe on free. */
static void *zalloc(size_t n)
{
	size_t *p = malloc(n + sizeof(size_t));
	if (!p)
		return NULL;
	*p = n;
	return p + 1;
}

static void zfree(void *q)
{
	if (!q)
		return;
	size_t *p = (size_t *)q - 1;
	cf_wipe(p, *p + sizeof(size_t));
	free(p);
}

static void put_stderr(const struct cf_buf *b)
{
	if (b->len)
		fwrite(b->data, 1, b->len, stderr);
	fflush(stderr);
}

static int top_usage(int status)
{
	struct cf_buf b = CF_BUF_INIT;
	const char *names[NCOMMANDS];
	for (int i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	cfssl_top_usage(&b, names, NCOMMANDS);
	put_stderr(&b);
	cf_buf_release(&b);
	return status;
}

static int print_error(const struct cf_error *err)
{
	char msg[CF_ERROR_MSG_MAX + 64];
	cf_error_render(err, msg, sizeof msg);
	fprintf(stderr, "%s\n", msg);
	return 1;
}

/* Runs commands[@ci] with parsed @flags and positionals; prints its output or its error.
 * Takes @config. Returns the exit status. */
static int run_command(int ci, const char *name, struct cf_flag_value *flags, int npos, char **pos,
		       struct cf_config *config, struct cf_error *err)
{
	struct cf_buf out = CF_BUF_INIT;
	struct cfssl_ctx ctx = {
		.name = name,
		.flags = flags,
		.npos = npos,
		.pos = pos,
		.config = config,
		.out = &out,
		.err = err,
	};
	int r = commands[ci].fn(&ctx);
	int status = 0;
	if (r < 0) {
		status = print_error(err);
	} else if (r > 0) {
		status = r;
	} else if (out.len && cf_write_all(STDOUT_FILENO, out.data, out.len) < 0) {
		/* written past stdio, so no copy of a key stays in a libc buffer */
		char why[128];
		snprintf(why, sizeof why, "%s", strerror(errno));
		why[0] = (char)tolower((unsigned char)why[0]); /* Go's wording */
		fprintf(stderr, "write /dev/stdout: %s\n", why);
		status = 1;
	}
	cf_buf_release(&out);
	cf_config_free(config);
	return status;
}

/* -config: the file or cfssl's message; -1 after printing it. */
static int load_config(const char *path, struct cf_config **config)
{
	struct cf_error err = {0};
	if (cf_config_load(path, config, &err) == 0)
		return 0;
	char msg[CF_ERROR_MSG_MAX + 64];
	cf_error_render(&err, msg, sizeof msg);
	/* cfssl prints this one without a newline */
	fprintf(stderr, "Failed to load config file: %s", msg);
	return -1;
}

static int find_command(const char *name)
{
	for (int i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return i;
	return -1;
}

static void program_usage(const struct program *p, const struct cf_flag_def *defs)
{
	struct cf_buf b = CF_BUF_INIT;
	cf_buf_printf(&b, "\t%s", p->usage);
	for (int i = 0; p->flags[i]; i++)
		cf_flags_usage_line(&b, &defs[cf_flags_find(defs, F_COUNT, p->flags[i])]);
	put_stderr(&b);
	cf_buf_release(&b);
}

/* One of programs[]: its flags only (the others keep their defaults and cannot be named),
 * -config only where the program has it; Go's flag package prints the usage on -h (exit 0) or after
 * a flag error (2). Unlike cfssl's, a failure is exit 1, as `cfssl COMMAND` exits. */
static int run_program(const struct program *p, int argc, char **argv)
{
	struct cf_flag_def defs[F_COUNT];
	memcpy(defs, cfssl_flags, sizeof defs);
	for (int i = 0; i < F_COUNT; i++) {
		int known = 0;
		for (int j = 0; p->flags[j]; j++)
			known |= !strcmp(p->flags[j], cfssl_flags[i].name);
		if (!known)
			defs[i].name = ""; /* no argument parses as an empty flag name */
	}
	struct cf_flag_value flags[F_COUNT];
	struct cf_error err = {0};
	int npos = 0;
	char **pos = NULL;
	enum cf_flags_result fr = cf_flags_parse(defs, F_COUNT, flags, argc > 0 ? argc - 1 : 0,
						 argc > 0 ? argv + 1 : argv, &npos, &pos, &err);
	if (fr != CF_FLAGS_OK) {
		if (fr == CF_FLAGS_ERROR)
			fprintf(stderr, "%s\n", err.msg);
		program_usage(p, cfssl_flags);
		return fr == CF_FLAGS_HELP ? 0 : 2;
	}
	int ci = find_command(p->command);
	cf_log_init(stderr, flags[F_LOGLEVEL].i);
	if (commands[ci].crypto && cf_crypto_init(&err) < 0)
		return print_error(&err);
	struct cf_config *config = NULL;
	if (*flags[F_CONFIG].str && load_config(flags[F_CONFIG].str, &config) < 0)
		return 1;
	return run_command(ci, p->command, flags, npos, pos, config, &err);
}

int main(int argc, char **argv)
{
	struct cf_error herr = {0};
	/* Before any key is read: no core dump, no ptrace by the same user. */
	if (cf_process_harden(&herr) < 0)
		return print_error(&herr);
	json_set_alloc_funcs(zalloc, zfree);
	/* A reader that went away is a failed write (exit 1), not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	/* No temporary key file outlives a SIGINT, SIGTERM or SIGHUP; beyond ulimit -f a write
	 * fails (exit 1) instead of killing the process. */
	cf_fileio_guard_signals();
	if (argc > 0) {
		const char *slash = strrchr(argv[0], '/');
		const char *prog = slash ? slash + 1 : argv[0];
		for (int i = 0; i < NPROGRAMS; i++)
			if (!strcmp(programs[i].name, prog))
				return run_program(&programs[i], argc, argv);
		for (int i = 0; i < NOWN; i++)
			if (!strcmp(own_programs[i].name, prog))
				return own_programs[i].fn(argc, argv);
	}
	if (argc < 2) {
		fputs("No command is given.\n", stderr);
		return top_usage(1);
	}
	const char *arg = argv[1];
	if (arg[0] == '-' && arg[1]) {
		const char *name = arg + 1 + (arg[1] == '-');
		if (!strcmp(name, "h") || !strcmp(name, "help"))
			return top_usage(0);
		if (arg[1] == '-' && arg[2] == '\0') {
			/* "--" ends the (empty) top-level flags */
			if (argc < 3) {
				fputs("No command is given.\n", stderr);
				return top_usage(1);
			}
			argv++;
			argc--;
			arg = argv[1];
		} else {
			if (*name == '-' || *name == '=' || !*name)
				fprintf(stderr, "bad flag syntax: %s\n", arg);
			else
				fprintf(stderr, "flag provided but not defined: -%.*s\n",
					(int)strcspn(name, "="), name);
			return top_usage(2);
		}
	}
	int ci = find_command(arg);
	if (ci < 0) {
		fprintf(stderr, "Command %s is not defined.\n", arg);
		return top_usage(1);
	}

	struct cf_flag_value flags[F_COUNT];
	struct cf_error err = {0};
	int npos = 0;
	char **pos = NULL;
	enum cf_flags_result fr =
		cf_flags_parse(cfssl_flags, F_COUNT, flags, argc - 2, argv + 2, &npos, &pos, &err);
	if (fr != CF_FLAGS_OK) {
		struct cf_buf u = CF_BUF_INIT;
		if (fr == CF_FLAGS_ERROR)
			cf_buf_printf(&u, "%s\n", err.msg);
		cfssl_usage(&u, arg);
		put_stderr(&u);
		cf_buf_release(&u);
		return fr == CF_FLAGS_HELP ? 0 : 2;
	}
	cf_log_init(stderr, flags[F_LOGLEVEL].i);
	if (commands[ci].crypto && cf_crypto_init(&err) < 0)
		return print_error(&err);

	struct cf_config *config = NULL;
	if (*flags[F_CONFIG].str && load_config(flags[F_CONFIG].str, &config) < 0)
		return 1;

	return run_command(ci, arg, flags, npos, pos, config, &err);
}
