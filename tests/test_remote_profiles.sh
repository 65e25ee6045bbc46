#!/bin/bash
# Profiles served by a remote signer (issue 11 item 9; signing through them, issue 12):
# - the warning for a remote profile that also has local settings is cfssl master's, word for
#   word ("Profiles[NAME] points to a remote signer: The configuration value by ... are
#   skipped", "default profile points to ..." for the default), on cfssl's triggers (usages, even
#   [], issuer_urls, ocsp_url, expiry, backdate, ca_constraint.is_ca, not_before, not_after,
#   name_whitelist, ct_log_servers; not crl_url, a false is_ca, a zero time, usages null), and
#   as often as cfssl logs it: once at load, once as the signer is built, once more for each of
#   the local and remote signers (4 times for a mixed configuration, 3 for an all-remote one);
# - a selected remote profile is signed through its remote, never locally (the remote here
#   refuses connections: cfssl's 7400); in a configuration with local profiles cfssl still
#   builds its local signer, so the CA is needed (2000 without it, after two validations);
# - a configuration mixing local and remote profiles refuses an unknown profile name (5400).

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

cd "$WORK" || exit 1
printf '{"CN":"Remote CA","key":{"algo":"ecdsa","size":256}}\n' >ca.json
(set -o pipefail; t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca)
printf '{"CN":"leaf","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}\n' >leaf.json
(set -o pipefail; t cfssl genkey leaf.json 2>/dev/null | t cfssljson -bare leaf)
check "setup: a CA and a request" test -s ca.pem -a -s leaf.csr

SKIPPED='points to a remote signer: The configuration value by "usages", "issuer_urls", "ocsp_url", "crl_url", "ca_constraint", "expiry", "backdate", "not_before", "not_after", "cert_store" and "ct_log_servers" are skipped'
W_R="[WARNING] Profiles[r] $SKIPPED"
W_R2="[WARNING] Profiles[r2] $SKIPPED"

cat >mixed.json <<'JSON'
{"signing":{"default":{"expiry":"8760h","usages":["signing","server auth"]},
 "profiles":{"local":{"usages":["signing","server auth"],"expiry":"1h"},
  "r":{"remote":"srv","usages":["signing"],"expiry":"1h"},
  "r2":{"remote":"srv","ocsp_url":"http://ocsp.example"},
  "plain":{"remote":"srv"},
  "crl":{"remote":"srv","crl_url":"http://crl.example"}}},
 "remotes":{"srv":"http://127.0.0.1:1"}}
JSON

# run NAME ARGS...: cfssl ARGS; stdout in NAME.out, stderr without time stamps in NAME.err, RC.
run()
{
	local name=$1
	shift
	t cfssl "$@" >"$name.out" 2>"$name.raw"
	RC=$?
	strip_ts <"$name.raw" >"$name.err"
}

# count NAME LINE: how many lines of NAME.err are LINE.
count()
{
	grep -cxF -- "$2" "$1.err"
}

# ---- the warning at load: any command with -config (certinfo here)
run load certinfo -config mixed.json -cert ca.pem
check_eq "load: exit 0" 0 "$RC"
check_eq "load: Profiles[r] once, word for word" 1 "$(count load "$W_R")"
check_eq "load: Profiles[r2] (ocsp_url) once" 1 "$(count load "$W_R2")"
check_not_contains "load: no warning for a remote profile without local settings" \
	"$(cat load.err)" "Profiles[plain]"
check_not_contains "load: crl_url is not a local setting for cfssl" "$(cat load.err)" \
	"Profiles[crl]"
check_eq "load: nothing else on stderr" 2 "$(wc -l <load.err)"

# ---- a local profile of a mixed configuration is signed, with cfssl's four validations
run local sign -config mixed.json -ca ca.pem -ca-key ca-key.pem -profile local leaf.csr
check_eq "local profile: exit 0" 0 "$RC"
check_contains "local profile: a certificate" "$(cat local.out)" '"cert":"-----BEGIN CERTIFICATE'
check_eq "local profile: Profiles[r] 4 times (load, signer, local, remote)" 4 \
	"$(count local "$W_R")"
check_eq "local profile: Profiles[r2] 4 times" 4 "$(count local "$W_R2")"

# ---- a remote profile is signed through the remote, never locally
REFUSED='{"code":7400,"message":"failed POST to http://127.0.0.1:1/api/v1/cfssl/sign: Post \"http://127.0.0.1:1/api/v1/cfssl/sign\": dial tcp 127.0.0.1:1: connect: connection refused"}'
for cmd in sign gencert; do
	if [ "$cmd" = sign ]; then in=leaf.csr; else in=leaf.json; fi
	for ca in with without; do
		cas=()
		[ "$ca" = with ] && cas=(-ca ca.pem -ca-key ca-key.pem)
		run "$cmd-$ca" "$cmd" -config mixed.json "${cas[@]}" -profile r "$in"
		d="$cmd -profile r, $ca a CA"
		check_eq "$d: exit 1" 1 "$RC"
		check_eq "$d: nothing on stdout" 0 "$(wc -c <"$cmd-$ca.out")"
		check_not_contains "$d: nothing is signed locally" "$(cat "$cmd-$ca.err")" \
			"signed certificate"
		if [ "$ca" = with ]; then
			check_eq "$d: sent to the remote (connection refused, cfssl's 7400)" \
				"$REFUSED" "$(tail -n1 "$cmd-$ca.err")"
			check_eq "$d: Profiles[r] 4 times" 4 "$(count "$cmd-$ca" "$W_R")"
		else
			check_eq "$d: the local signer needs the CA, as in cfssl (2000)" \
				'{"code":2000,"message":"Unknown private key error"}' \
				"$(tail -n1 "$cmd-$ca.err")"
			check_eq "$d: Profiles[r] twice (load, signer)" 2 "$(count "$cmd-$ca" "$W_R")"
		fi
	done
done
# A remote profile without local settings: no warning for it.
run plain sign -config mixed.json -ca ca.pem -ca-key ca-key.pem -profile plain leaf.csr
check_eq "-profile plain: exit 1" 1 "$RC"
check_eq "-profile plain: sent to the remote" "$REFUSED" "$(tail -n1 plain.err)"
check_not_contains "-profile plain: no warning for it" "$(cat plain.err)" "Profiles[plain]"

# ---- an unknown profile in a mixed configuration: cfssl's universal signer refuses it
run unknown sign -config mixed.json -ca ca.pem -ca-key ca-key.pem -profile nope leaf.csr
check_eq "mixed, unknown profile: exit 1" 1 "$RC"
check_eq "mixed, unknown profile: 5400" '{"code":5400,"message":"Unknown policy profile"}' \
	"$(tail -n1 unknown.err)"

# ---- all remote, the default too: cfssl's triggers, three validations (no local signer)
cat >allremote.json <<'JSON'
{"signing":{"default":{"remote":"srv","expiry":"1h"},
 "profiles":{"a":{"auth_remote":{"remote":"srv","auth_key":"k"},"usages":[]},
  "b":{"remote":"srv","not_before":"0001-01-01T00:00:00Z"},
  "c":{"remote":"srv","ct_log_servers":["http://ct.example"]},
  "d":{"remote":"srv","ca_constraint":{"is_ca":false}},
  "e":{"remote":"srv","ca_constraint":{"is_ca":true}},
  "f":{"remote":"srv","name_whitelist":"x"},
  "g":{"remote":"srv","usages":null},
  "h":{"remote":"srv","not_after":"2030-01-01T00:00:00Z"},
  "i":{"remote":"srv","issuer_urls":[]},
  "j":{"remote":"srv","backdate":"1h"}}},
 "remotes":{"srv":"http://127.0.0.1:1"},
 "auth_keys":{"k":{"type":"standard","key":"0123456789ABCDEF0123456789ABCDEF"}}}
JSON
run all gencert -config allremote.json leaf.json
check_eq "all remote, default profile: exit 1" 1 "$RC"
check_eq "all remote: the default profile's remote, no CA needed" "$REFUSED" "$(tail -n1 all.err)"
check_eq "all remote: default profile warning, 3 times" 3 \
	"$(count all "[WARNING] default profile points to a remote signer: $(printf '%s' "${SKIPPED#points to a remote signer: }")")"
for p in a c e f h i j; do
	check_eq "all remote: Profiles[$p] warned, 3 times" 3 \
		"$(count all "[WARNING] Profiles[$p] $SKIPPED")"
done
for p in b d g; do
	check_eq "all remote: Profiles[$p] not warned" 0 "$(count all "[WARNING] Profiles[$p] $SKIPPED")"
done

finish
