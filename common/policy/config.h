/* The signing configuration (cfssl's -config, "ca-config.json") and the
 * signing policy a certificate is issued under. */
#ifndef CF_CONFIG_H
#define CF_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "auth.h"
#include "error.h"

/* Key usage bits as X.509 numbers them (bit 0 = digitalSignature). */
enum {
	CF_KU_DIGITAL_SIGNATURE = 1 << 0,
	CF_KU_CONTENT_COMMITMENT = 1 << 1,
	CF_KU_KEY_ENCIPHERMENT = 1 << 2,
	CF_KU_DATA_ENCIPHERMENT = 1 << 3,
	CF_KU_KEY_AGREEMENT = 1 << 4,
	CF_KU_CERT_SIGN = 1 << 5,
	CF_KU_CRL_SIGN = 1 << 6,
	CF_KU_ENCIPHER_ONLY = 1 << 7,
	CF_KU_DECIPHER_ONLY = 1 << 8,
};

/* A certificatePolicies entry (§7.6). */
struct cf_policy_qualifier {
	char *type; /* "id-qt-cps", "id-qt-unotice" or "" (refused when signing) */
	char *value;
};

struct cf_policy {
	char *id; /* dotted OID text */
	struct cf_policy_qualifier *qualifiers;
	size_t nqualifiers;
};

struct cf_profile {
	char **usages; /* as written; unknown strings are dropped when signing */
	size_t nusages;
	char *expiry_str;
	int64_t expiry;   /* ns */
	int64_t backdate; /* ns; 0 = the default 5 minutes */
	int is_ca;
	long long max_path_len;
	int max_path_len_zero;
	int has_not_before, has_not_after;
	time_t not_before, not_after;
	long not_before_nsec, not_after_nsec;
	char *ocsp_url;
	char *crl_url;
	char **issuer_urls;
	size_t nissuer_urls;
	int issuer_urls_set; /* member present and not null */
	int ocsp_no_check;
	int copy_extensions;
	int client_provides_serial; /* clientprovidesserialnumbers */
	int lint_error_level;
	struct cf_policy *policies;
	size_t npolicies;
	char *name_whitelist; /* the regular expression, NULL when absent */
	int remote;           /* served by a remote signer ("remote" or "auth_remote") */
	/* the address "remotes" gives for "remote" or "auth_remote.remote", as written (one
	 * address or a comma-separated list: cf_remote_new reads it); NULL for a local profile */
	char *remote_server;
	/* HMAC keys, decoded: auth_key and prev_auth_key check /authsign tokens
	 * (a token under either is good); auth_remote_key signs requests to an
	 * auth_remote. Empty when not configured. */
	struct cf_auth_key auth_key, prev_auth_key, auth_remote_key;
	int local_settings; /* has a setting only a local signer uses (cfssl's hasLocalConfig) */
};

struct cf_named_profile {
	char *name;
	struct cf_profile p;
};

struct cf_config {
	struct cf_profile def; /* signing.default, or the built-in default */
	struct cf_named_profile *profiles;
	size_t nprofiles;
};

/* Loads and validates @path as cfssl does. On failure @err holds the text
 * that follows "Failed to load config file: " (JSON for coded errors).
 * *@out is new; free with cf_config_free. */
int cf_config_load(const char *path, struct cf_config **out, struct cf_error *err);

/* The built-in policy used without -config: one default profile with usages
 * signing, key encipherment, server auth, client auth and expiry 8760h. New. */
struct cf_config *cf_config_default(void);
void cf_config_free(struct cf_config *c);

/* The profile @name selects: an exact (case-sensitive) profile match, else
 * the default. *@found tells which. Borrowed from @c. */
const struct cf_profile *cf_config_profile(const struct cf_config *c, const char *name, int *found);

/* cfssl's build fails every signature under a profile with a non-zero
 * lint_error_level (§7.3 "Lint note"): 2500 when @p is the default of a
 * configuration without profiles, 1000 otherwise. 0 when @p has no level. */
int cf_config_lint_check(const struct cf_config *c, const struct cf_profile *p,
			 struct cf_error *err);

/* cfssl's warning for each remote profile (the default first, then the profiles in file order)
 * that also has settings only a local signer uses: "Profiles[NAME] points to a remote signer:
 * The configuration value by "usages", ... are skipped". cfssl logs the set each time it
 * validates the policy: cf_config_load does once; the signing commands follow cfssl's signer
 * with cf_config_begin_signing and cf_config_select. */
void cf_config_warn_remote(const struct cf_config *c);

/* The profile @name selects when a remote signer serves it (then the command signs through
 * its remote_server and auth_remote_key, never locally), else NULL. Logs nothing. */
const struct cf_profile *cf_config_remote_profile(const struct cf_config *c, const char *name);

/* A local signing command (gencert, sign), before it loads the CA: cfssl validates the policy
 * as it builds its signer (the warnings again). */
void cf_config_begin_signing(const struct cf_config *c);

/* For a remote profile, in cfssl's order: cf_config_begin_signing, then (the local signer) the
 * CA when cf_config_needs_local_signer, then this: the warnings of the local and remote
 * signers cfssl builds. */
void cf_config_warn_signers(const struct cf_config *c);

/* cfssl's NeedsLocalSigner: some profile of @c (the default included) signs locally, so cfssl
 * builds a local signer, which needs the CA, even for a request to a remote profile. */
int cf_config_needs_local_signer(const struct cf_config *c);

/* The profile a signing command uses, once the CA is loaded: after the warnings of the local
 * and remote signers cfssl builds for @c, cf_config_profile's choice, with the warning of
 * deviation 3 for an unknown @name; NULL (with @err set) for an unknown @name in a
 * configuration that mixes local and remote profiles (cfssl's 5400 "Unknown policy profile"),
 * and for a remote profile (see cf_config_remote_profile). */
const struct cf_profile *cf_config_select(const struct cf_config *c, const char *name,
					  struct cf_error *err);

/* Key usage bits and extended key usage OIDs (dotted text, borrowed
 * constants, list order, duplicates kept) of @p's usages. The EKU call
 * returns the total count and stores at most @max of them (max 0 sizes). */
unsigned cf_profile_key_usage(const struct cf_profile *p);
size_t cf_profile_ext_key_usage(const struct cf_profile *p, const char **oids, size_t max);

#endif
