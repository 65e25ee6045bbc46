#!/bin/bash
# End-to-end test: failing `cfssl gencert` runs (cfssl-compat.md §11.3, deviations.md #2 and #6).
# Each case checks the exit status, the exact last line of stderr (timestamp stripped), that
# nothing reached stdout, and that `cfssl gencert ... | cfssljson -bare out` left no out* file.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

IN=$WORK/inputs
mkdir -p "$IN"
cd "$IN" || exit 1

ecdsa='"key":{"algo":"ecdsa","size":256}'
names='"names":[{"C":"LV","L":"Riga","O":"Test","OU":"Containerum"}]'
printf '{"CN":"Test CA",%s,%s}\n' "$ecdsa" "$names" >ca-csr.json
printf '{"CN":"Other CA",%s,%s}\n' "$ecdsa" "$names" >other-ca-csr.json
printf '{"CN":"leaf",%s,%s}\n' "$ecdsa" "$names" >leaf.json
printf '{"CN":"leaf","key":{"algo":"ecdsa"' >truncated.json
printf '{} t\n' >trailing.json
printf '{"CN": 5}\n' >wrongtype.json
printf '{"CN":"x","key":{"algo":"dsa","size":2048}}\n' >dsa.json
printf '{"CN":"x","key":{"algo":"rsa","size":1024}}\n' >rsa1024.json
printf '{"CN":"x","key":{"algo":"rsa","size":16384}}\n' >rsa16384.json
printf '{"CN":"x","key":{"algo":"ecdsa","size":224}}\n' >ecdsa224.json
printf '{"CN":"x",%s,"ca":{"expiry":"1h"}}\n' "$ecdsa" >cablock.json
cat >ca-config.json <<'EOF'
{
  "signing": {
    "default": { "expiry": "8760h" },
    "profiles": {
      "kubernetes": {
        "usages": ["signing", "key encipherment", "server auth", "client auth"],
        "expiry": "8760h"
      }
    }
  }
}
EOF
mkdir config-dir.json

setup_ok=1
for base in ca other-ca; do
	if ! (set -o pipefail; t cfssl gencert -initca "$base-csr.json" 2>/dev/null |
		t cfssljson -bare "$base"); then
		setup_ok=0
	fi
done
if [ "$setup_ok" -eq 1 ]; then
	(set -o pipefail; t cfssl gencert -ca ca.pem -ca-key ca-key.pem leaf.json 2>/dev/null |
		t cfssljson -bare leafca) || setup_ok=0
fi
check_eq "setup: CAs and a leaf made with cfssl gencert" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish
rm -f ./*.csr

NCASE=0
CASE_DIR=

# neg DESC WANT_EXIT WANT_LAST_LINE CFSSL-ARGS...
# WANT_LAST_LINE "*": any non-empty line, and no "signed certificate" log record.
# Runs `cfssl ARGS 2>ERR | tee OUT | cfssljson -bare out` in a fresh copy of the inputs.
neg()
{
	local desc=$1 want_rc=$2 want_last=$3 rc
	shift 3
	NCASE=$((NCASE + 1))
	CASE_DIR=$WORK/case-$NCASE
	mkdir "$CASE_DIR"
	cp -R "$IN"/. "$CASE_DIR"/
	(
		cd "$CASE_DIR" || exit 99
		t cfssl "$@" 2>"$CASE_DIR.err" | tee "$CASE_DIR.out" | t cfssljson -bare out \
			>/dev/null 2>&1
		exit "${PIPESTATUS[0]}"
	)
	rc=$?
	check_eq "$desc: exit status" "$want_rc" "$rc"
	if [ "$want_last" = "*" ]; then
		check "$desc: an error message on stderr" test -n "$(tail -n1 "$CASE_DIR.err")"
		check_not_contains "$desc: nothing was signed" "$(cat "$CASE_DIR.err")" \
			"signed certificate"
	else
		check_eq "$desc: last line of stderr" "$want_last" \
			"$(strip_ts <"$CASE_DIR.err" | tail -n1)"
	fi
	check_eq "$desc: nothing on stdout" 0 "$(wc -c <"$CASE_DIR.out")"
	check_eq "$desc: cfssljson left no out* file" "" \
		"$(cd "$CASE_DIR" && ls -d out* 2>/dev/null)"
}

# The whole of stderr is the one line given (plus LF).
only_line()
{
	check_eq "$1: stderr is exactly that line" "$(printf '%s\nx' "$2")" \
		"$(strip_ts <"$CASE_DIR.err"; printf x)"
}

# The whole of stderr is one log record "YYYY/MM/DD HH:MM:SS MSG".
only_record()
{
	check "$1: stderr is exactly one log record" \
		grep -qxE "[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \\[ERROR\\] .*" "$CASE_DIR.err"
	only_line "$1" "$2"
}

ends_with_lf()
{
	check_eq "$1: stderr ends with LF" "0a" "$(tail -c1 "$CASE_DIR.err" | od -An -tx1 | tr -d ' ')"
}

SIGN=(gencert -ca ca.pem -ca-key ca-key.pem)

# ---- the CSR JSON document
d="CSR file missing"
neg "$d" 1 "open nonexist.json: no such file or directory" "${SIGN[@]}" nonexist.json
only_line "$d" "open nonexist.json: no such file or directory"
d="CSR file missing (-initca)"
neg "$d" 1 "open nonexist.json: no such file or directory" gencert -initca nonexist.json
only_line "$d" "open nonexist.json: no such file or directory"
d="truncated JSON"
neg "$d" 1 "unexpected end of JSON input" "${SIGN[@]}" truncated.json
only_line "$d" "unexpected end of JSON input"
d="garbage after the JSON object"
neg "$d" 1 "invalid character 't' after top-level value" "${SIGN[@]}" trailing.json
only_line "$d" "invalid character 't' after top-level value"
d="wrong JSON type"
neg "$d" 1 "json: cannot unmarshal number into Go struct field CertificateRequest.CN of type string" \
	"${SIGN[@]}" wrongtype.json
only_line "$d" "json: cannot unmarshal number into Go struct field CertificateRequest.CN of type string"
d="ca block without -initca"
neg "$d" 1 "ca section only permitted in initca" "${SIGN[@]}" cablock.json
only_line "$d" "ca section only permitted in initca"

# ---- key requests
d="unknown key algorithm"
neg "$d" 1 '{"code":2400,"message":"invalid algorithm"}' "${SIGN[@]}" dsa.json
ends_with_lf "$d"
d="unknown key algorithm (-initca)"
neg "$d" 1 '{"code":2400,"message":"invalid algorithm"}' gencert -initca dsa.json
check_eq "$d: [ERROR] failed to process request before the final line" \
	'[ERROR] failed to process request: {"code":2400,"message":"invalid algorithm"}' \
	"$(strip_ts <"$CASE_DIR.err" | tail -n2 | head -n1)"
d="RSA 1024"
neg "$d" 1 '{"code":2400,"message":"RSA key is too weak"}' "${SIGN[@]}" rsa1024.json
d="RSA 16384"
neg "$d" 1 '{"code":2400,"message":"RSA key size too large"}' "${SIGN[@]}" rsa16384.json
d="ECDSA 224"
neg "$d" 1 '{"code":2400,"message":"invalid curve"}' "${SIGN[@]}" ecdsa224.json

# ---- CA certificate and key
d="CA key does not match the CA certificate"
neg "$d" 1 '{"code":1000,"message":"x509: provided PrivateKey doesn'"'"'t match parent'"'"'s PublicKey"}' \
	gencert -ca ca.pem -ca-key other-ca-key.pem leaf.json
ends_with_lf "$d"
d="missing -ca-key, no -config (deviation 2)"
neg "$d" 1 "[ERROR] need a CA key (provide one with -ca-key)" gencert -ca ca.pem leaf.json
only_record "$d" "[ERROR] need a CA key (provide one with -ca-key)"
d="missing -ca, no -config (deviation 2)"
neg "$d" 1 "[ERROR] need a CA certificate (provide one with -ca)" gencert -ca-key ca-key.pem leaf.json
only_record "$d" "[ERROR] need a CA certificate (provide one with -ca)"
d="missing -ca and -ca-key, no -config (deviation 2)"
neg "$d" 1 "[ERROR] need a CA certificate (provide one with -ca)" gencert leaf.json
only_record "$d" "[ERROR] need a CA certificate (provide one with -ca)"
d="missing -ca-key with -config"
neg "$d" 1 '{"code":2000,"message":"Unknown private key error"}' \
	gencert -ca ca.pem -config ca-config.json -profile kubernetes leaf.json
d="missing -ca with -config"
neg "$d" 1 'open : no such file or directory' \
	gencert -ca-key ca-key.pem -config ca-config.json -profile kubernetes leaf.json
d="CA key file missing"
neg "$d" 1 '{"code":1001,"message":"open missing.pem: no such file or directory"}' \
	gencert -ca ca.pem -ca-key missing.pem leaf.json
d="CA certificate file missing"
neg "$d" 1 'open missing.pem: no such file or directory' \
	gencert -ca missing.pem -ca-key ca-key.pem leaf.json
d="CA key file is a certificate"
neg "$d" 1 '{"code":2003,"message":"Failed to parse private key"}' \
	gencert -ca ca.pem -ca-key ca.pem leaf.json
d="CA certificate file is a key"
neg "$d" 1 '{"code":1003,"message":"Failed to parse certificate"}' \
	gencert -ca ca-key.pem -ca-key ca-key.pem leaf.json
d="a CA:FALSE leaf with a key not its own (deviation 6: the mismatch is still refused)"
neg "$d" 1 '{"code":1000,"message":"x509: provided PrivateKey doesn'"'"'t match parent'"'"'s PublicKey"}' \
	gencert -ca leafca.pem -ca-key ca-key.pem leaf.json
check_not_contains "$d: no warning about a CA that is not used" "$(cat "$CASE_DIR.err")" "[WARNING]"

# ---- configuration file
d="config file missing"
neg "$d" 1 'Failed to load config file: {"code":5200,"message":"could not read configuration file"}' \
	"${SIGN[@]}" -config nonexist-config.json leaf.json
check_eq "$d: stderr is exactly that text, no LF" \
	'Failed to load config file: {"code":5200,"message":"could not read configuration file"}x' \
	"$(cat "$CASE_DIR.err"; printf x)"
d="config file is a directory"
neg "$d" 1 'Failed to load config file: {"code":5200,"message":"could not read configuration file"}' \
	"${SIGN[@]}" -config config-dir.json leaf.json

finish
