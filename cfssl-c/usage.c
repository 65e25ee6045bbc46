/* Per-command usage texts of cfssl master. Each header is the command's
 * UsageText (printed after a TAB, as cfssl does); the flag lines that follow
 * are generated from cfssl_flags[]. Flag lists are cfssl's, including names
 * that are not real flags (sign's mutual-tls-cert/-key), which are skipped. */
#include <string.h>

#include "cli.h"

#define MAX_CMD_FLAGS 24

struct usage_entry {
	const char *cmd;
	const char *text;
	const char *flags[MAX_CMD_FLAGS]; /* NULL-terminated */
};

static const struct usage_entry usages[] = {
	{"bundle",
	 "cfssl bundle -- create a certificate bundle that contains the client cert\n"
	 "\n"
	 "Usage of bundle:\n"
	 "\t- Bundle local certificate files\n"
	 "        cfssl bundle -cert file [-ca-bundle file] [-int-bundle file] [-int-dir "
	 "dir] [-metadata file] [-key keyfile] [-flavor optimal|ubiquitous|force] "
	 "[-password password]\n"
	 "\t- Bundle certificate from remote server.\n"
	 "        cfssl bundle -domain domain_name [-ip ip_address] [-ca-bundle file] "
	 "[-int-bundle file] [-int-dir dir] [-metadata file]\n"
	 "\n"
	 "Flags:\n",
	 {"cert", "key", "ca-bundle", "int-bundle", "flavor", "int-dir", "metadata", "domain", "ip",
	  "password", NULL}},
	{"certinfo",
	 "cfssl certinfo -- output certinfo about the given cert\n"
	 "\n"
	 "Usage of certinfo:\n"
	 "\t- Data from local certificate files\n"
	 "        cfssl certinfo -cert file\n"
	 "\t- Data from local CSR file\n"
	 "        cfssl certinfo -csr file\n"
	 "\t- Data from certificate from remote server.\n"
	 "        cfssl certinfo -domain domain_name\n"
	 "\t- Data from CA storage\n"
	 "        cfssl certinfo -sn serial (requires -db-config and -aki)\n"
	 "\n"
	 "Flags:\n",
	 {"aki", "cert", "csr", "db-config", "domain", "serial", NULL}},
	{"crl",
	 "cfssl crl -- generate a new Certificate Revocation List from Database\n"
	 "\n"
	 "Usage of crl:\n"
	 "        cfssl crl\n"
	 "\n"
	 "Flags:\n",
	 {"db-config", "ca", "ca-key", "expiry", NULL}},
	{"gencert",
	 "cfssl gencert -- generate a new key and signed certificate\n"
	 "\n"
	 "Usage of gencert:\n"
	 "    Generate a new key and cert from CSR:\n"
	 "        cfssl gencert -initca CSRJSON\n"
	 "        cfssl gencert -ca cert -ca-key key [-config config] [-profile profile] "
	 "[-hostname hostname] CSRJSON\n"
	 "        cfssl gencert -remote remote_host [-config config] [-profile profile] "
	 "[-label label] [-hostname hostname] CSRJSON\n"
	 "\n"
	 "    Re-generate a CA cert with the CA key and CSR:\n"
	 "        cfssl gencert -initca -ca-key key CSRJSON\n"
	 "\n"
	 "    Re-generate a CA cert with the CA key and certificate:\n"
	 "        cfssl gencert -renewca -ca cert -ca-key key\n"
	 "\n"
	 "Arguments:\n"
	 "        CSRJSON:    JSON file containing the request, use '-' for reading JSON "
	 "from stdin\n"
	 "\n"
	 "Flags:\n",
	 {"initca", "remote", "ca", "ca-key", "config", "cn", "hostname", "profile", "label",
	  NULL}},
	{"gencrl",
	 "cfssl gencrl -- generate a new Certificate Revocation List\n"
	 "\n"
	 "Usage of gencrl:\n"
	 "        cfssl gencrl INPUTFILE CERT KEY TIME\n"
	 "\n"
	 "Arguments:\n"
	 "        INPUTFILE:               Text file with one serial number per line, use "
	 "'-' for reading text from stdin\n"
	 "        CERT:                    The certificate that is signing this CRL, use "
	 "'-' for reading text from stdin\n"
	 "        KEY:                     The private key of the certificate that is "
	 "signing the CRL, use '-' for reading text from stdin\n"
	 "        TIME (OPTIONAL):         The desired expiration from now, in seconds\n"
	 "\n"
	 "Flags:\n",
	 {NULL}},
	{"gencsr",
	 "cfssl gencsr -- generate a csr from a private key with existing CSR json "
	 "specification or certificate\n"
	 "\n"
	 "Usage of gencsr:\n"
	 "        cfssl gencsr -key private_key_file [-host hostname_override] CSRJSON\n"
	 "        cfssl gencsr -key private_key_file [-host hostname_override] -cert "
	 "certificate_file\n"
	 "\n"
	 "Arguments:\n"
	 "        CSRJSON:    JSON file containing the request, use '-' for reading JSON "
	 "from stdin\n"
	 "\n"
	 "Flags:\n",
	 {"key", "cert", NULL}},
	{"genkey",
	 "cfssl genkey -- generate a new key and CSR\n"
	 "\n"
	 "Usage of genkey:\n"
	 "        cfssl genkey CSRJSON\n"
	 "\n"
	 "Arguments:\n"
	 "        CSRJSON:    JSON file containing the request, use '-' for reading JSON "
	 "from stdin\n"
	 "\n"
	 "Flags:\n",
	 {"initca", "config", NULL}},
	{"info",
	 "cfssl info -- get info about a remote signer\n"
	 "\n"
	 "Usage:\n"
	 "\n"
	 "Get info about a remote signer:\n"
	 "cfssl info -remote remote_host [-label label] [-profile profile] [-label label] "
	 "\n"
	 "\n"
	 "Flags:\n",
	 {"remote", "label", "profile", "config", NULL}},
	{"ocspdump",
	 "cfssl ocspdump -- generates a series of concatenated OCSP responses\n"
	 "for use with ocspserve from all OCSP responses in the cert db\n"
	 "\n"
	 "Usage of ocspdump:\n"
	 "        cfssl ocspdump -db-config db-config\n"
	 "\n"
	 "Flags:\n",
	 {"db-config", NULL}},
	{"ocsprefresh",
	 "cfssl ocsprefresh -- refreshes the ocsp_responses table\n"
	 "with new OCSP responses for all known unexpired certificates\n"
	 "\n"
	 "Usage of ocsprefresh:\n"
	 "        cfssl ocsprefresh -db-config db-config -ca cert -responder cert "
	 "-responder-key key [-interval 96h]\n"
	 "\n"
	 "Flags:\n",
	 {"ca", "responder", "responder-key", "db-config", "interval", NULL}},
	{"ocspserve",
	 "cfssl ocspserve -- set up an HTTP server that handles OCSP requests from either "
	 "a file or directly from a database (see RFC 5019)\n"
	 "\n"
	 "  Usage of ocspserve:\n"
	 "          cfssl ocspserve [-address address] [-port port] [-responses file] "
	 "[-db-config db-config]\n"
	 "\n"
	 "  Flags:\n"
	 "  ",
	 {"address", "port", "responses", "db-config", NULL}},
	{"ocspsign",
	 "cfssl ocspsign -- signs an OCSP response for a given CA, cert, and status.\n"
	 "Returns a base64-encoded OCSP response.\n"
	 "\n"
	 "Usage of ocspsign:\n"
	 "        cfssl ocspsign -ca cert -responder cert -responder-key key -cert cert "
	 "[-status status] [-reason code] [-revoked-at YYYY-MM-DD] [-interval 96h]\n"
	 "\n"
	 "Flags:\n",
	 {"ca", "responder", "responder-key", "reason", "status", "revoked-at", "interval", NULL}},
	{"print-defaults",
	 "cfssl print-defaults -- print default configurations that can be used as a "
	 "template\n"
	 "\n"
	 "Usage of print-defaults:\n"
	 "        cfssl print-defaults TYPE\n"
	 "\n"
	 "If \"list\" is used as the TYPE, the list of supported types will be printed.\n",
	 {NULL}},
	{"revoke",
	 "cfssl revoke -- revoke a certificate in the certificate store\n"
	 "\n"
	 "Usage:\n"
	 "\n"
	 "Revoke a certificate:\n"
	 "\t   cfssl revoke -db-config config_file -serial serial -aki authority_key_id "
	 "[-reason reason]\n"
	 "\n"
	 "Reason can be an integer code or a string in ReasonFlags in RFC 5280\n"
	 "\n"
	 "Flags:\n",
	 {"serial", "reason", NULL}},
	{"scan",
	 "cfssl scan -- scan a host for issues\n"
	 "Usage of scan:\n"
	 "        cfssl scan [-family regexp] [-scanner regexp] [-timeout duration] [-ip "
	 "IPAddr] [-num-workers num] [-max-hosts num] [-csv hosts.csv] HOST+\n"
	 "        cfssl scan -list\n"
	 "\n"
	 "Arguments:\n"
	 "        HOST:    Host(s) to scan (including port)\n"
	 "Flags:\n",
	 {"list", "family", "scanner", "timeout", "ip", "ca-bundle", "num-workers", "csv",
	  "max-hosts", NULL}},
	{"selfsign",
	 "cfssl selfsign -- generate a new self-signed key and signed certificate\n"
	 "\n"
	 "Usage of gencert:\n"
	 "        cfssl selfsign HOSTNAME CSRJSON\n"
	 "\n"
	 "WARNING: this should ONLY be used for testing. This should never be\n"
	 "used in production.\n"
	 "\n"
	 "WARNING: self-signed certificates are insecure; they do not provide\n"
	 "the authentication required for secure systems. Use these at your own\n"
	 "risk.\n"
	 "\n"
	 "Arguments:\n"
	 "        HOSTNAME:   Hostname for the cert\n"
	 "        CSRJSON:    JSON file containing the request, use '-' for reading JSON "
	 "from stdin\n"
	 "\n"
	 "Flags:\n",
	 {"config", NULL}},
	{"serve",
	 "cfssl serve -- set up a HTTP server handles CF SSL requests\n"
	 "\n"
	 "Usage of serve:\n"
	 "        cfssl serve [-address address] [-min-tls-version version] [-ca cert] "
	 "[-ca-bundle bundle] \\\n"
	 "                    [-ca-key key] [-int-bundle bundle] [-int-dir dir] [-port "
	 "port] \\\n"
	 "                    [-metadata file] [-remote remote_host] [-config config] \\\n"
	 "                    [-responder cert] [-responder-key key] \\\n"
	 "                    [-tls-cert cert] [-tls-key key] [-mutual-tls-ca ca] "
	 "[-mutual-tls-cn regex] \\\n"
	 "                    [-tls-remote-ca ca] [-mutual-tls-client-cert cert] "
	 "[-mutual-tls-client-key key] \\\n"
	 "                    [-db-config db-config] [-disable endpoint[,endpoint]]\n"
	 "\n"
	 "Flags:\n",
	 {"address",
	  "port",
	  "min-tls-version",
	  "ca",
	  "ca-key",
	  "ca-bundle",
	  "int-bundle",
	  "int-dir",
	  "metadata",
	  "remote",
	  "config",
	  "responder",
	  "responder-key",
	  "tls-key",
	  "tls-cert",
	  "mutual-tls-ca",
	  "mutual-tls-cn",
	  "tls-remote-ca",
	  "mutual-tls-client-cert",
	  "mutual-tls-client-key",
	  "db-config",
	  "disable",
	  NULL}},
	{"sign",
	 "cfssl sign -- signs a client cert with a host name by a given CA and CA key\n"
	 "\n"
	 "Usage of sign:\n"
	 "        cfssl sign -ca cert -ca-key key [mutual-tls-cert cert] [mutual-tls-key "
	 "key] [-config config] [-profile profile] [-hostname hostname] [-db-config "
	 "db-config] CSR [SUBJECT]\n"
	 "        cfssl sign -remote remote_host [mutual-tls-cert cert] [mutual-tls-key "
	 "key] [-config config] [-profile profile] [-label label] [-hostname hostname] "
	 "CSR [SUBJECT]\n"
	 "\n"
	 "Arguments:\n"
	 "        CSR:        PEM file for certificate request, use '-' for reading PEM "
	 "from stdin.\n"
	 "\n"
	 "Note: CSR can also be supplied via flag values; flag value will take precedence "
	 "over the argument.\n"
	 "\n"
	 "SUBJECT is an optional file containing subject information to use for the "
	 "certificate instead of the subject information in the CSR.\n"
	 "\n"
	 "Flags:\n",
	 {"hostname", "csr", "ca", "ca-key", "config", "profile", "label", "remote",
	  "mutual-tls-cert", "mutual-tls-key", "db-config", NULL}},
	{"version",
	 "cfssl version -- print out the version of CF SSL\n"
	 "\n"
	 "Usage of version:\n"
	 "\tcfssl version\n",
	 {NULL}},
};

int cfssl_usage(struct cf_buf *b, const char *cmd)
{
	const struct usage_entry *u = NULL;
	int i;

	for (size_t k = 0; k < sizeof(usages) / sizeof(usages[0]); k++) {
		if (strcmp(usages[k].cmd, cmd) == 0) {
			u = &usages[k];
			break;
		}
	}
	if (!u)
		return -1;
	cf_buf_addc(b, '\t');
	cf_buf_adds(b, u->text);
	for (const char *const *name = u->flags; *name; name++) {
		i = cf_flags_find(cfssl_flags, F_COUNT, *name);
		if (i >= 0)
			cf_flags_usage_line(b, &cfssl_flags[i]);
	}
	cf_flags_usage_line(b, &cfssl_flags[F_LOGLEVEL]);
	return 0;
}

void cfssl_top_usage(struct cf_buf *b, const char *const *cmds, int ncmds)
{
	cf_buf_adds(b, "Usage:\nAvailable commands:\n");
	for (int i = 0; i < ncmds; i++)
		cf_buf_printf(b, "\t%s\n", cmds[i]);
	/* master's top-level flag set is empty: nothing follows */
	cf_buf_adds(b, "Top-level flags:\n");
}
