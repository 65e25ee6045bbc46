#!/bin/bash
# End-to-end test: `cfssl ocspsign` (cfssl-compat.md §12.10). Responses go through
# `cfssljson -bare X` (X-response.der) and are read and verified with `openssl ocsp`; errors are
# checked for exit status, the exact last stderr line, the CRITICAL log record and empty stdout.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl base64

IN=$WORK/inputs
mkdir -p "$IN/other" "$IN/twin"
cd "$IN" || exit 1

ok=1
printf '{"CN":"OCSP Test CA","key":{"algo":"ecdsa","size":256},"names":[{"C":"US","O":"Org"}]}\n' \
	>ca-csr.json
printf '{"CN":"Other CA","key":{"algo":"ecdsa","size":256}}\n' >other/ca-csr.json
printf '{"CN":"leaf","key":{"algo":"ecdsa","size":256},"hosts":["leaf.example"]}\n' >leaf.json
printf '{"CN":"OCSP responder","key":{"algo":"ecdsa","size":384}}\n' >responder.json
printf '{"CN":"RSA CA","key":{"algo":"rsa","size":4096}}\n' >rsa-csr.json
cat >ocsp-config.json <<'EOF'
{"signing":{"default":{"expiry":"8760h","usages":["digital signature","ocsp signing"]}}}
EOF
gen()
{
	(set -o pipefail; t cfssl "$@" 2>/dev/null | t cfssljson -bare "${OUTBASE}") || ok=0
}
OUTBASE=ca gen gencert -initca ca-csr.json
OUTBASE=other/ca gen gencert -initca other/ca-csr.json
OUTBASE=twin/ca gen gencert -initca ca-csr.json # same subject as ca.pem, other key
OUTBASE=rsa gen gencert -initca rsa-csr.json
OUTBASE=leaf gen gencert -ca ca.pem -ca-key ca-key.pem leaf.json
OUTBASE=rsaleaf gen gencert -ca rsa.pem -ca-key rsa-key.pem leaf.json
OUTBASE=responder gen gencert -ca ca.pem -ca-key ca-key.pem -config ocsp-config.json \
	responder.json
openssl genpkey -algorithm ed25519 -out ed-key.pem 2>/dev/null || ok=0
check_eq "setup: CAs, leaves and a responder made" 1 "$ok"
[ "$ok" -eq 1 ] || finish

NRUN=0
# sign BASE ARGS...: `cfssl ocspsign ARGS | cfssljson -bare BASE`; $OUT, $ERR, $RC, $JRC
sign()
{
	local base=$1
	shift
	NRUN=$((NRUN + 1))
	OUT=$WORK/run-$NRUN.out
	ERR=$WORK/run-$NRUN.err
	t cfssl ocspsign "$@" 2>"$ERR" | tee "$OUT" | t cfssljson -bare "$base" >/dev/null 2>&1
	local ps=("${PIPESTATUS[@]}")
	RC=${ps[0]}
	JRC=${ps[2]}
}

epoch()
{
	date -u -d "$1" +%s
}

# field TEXT NAME: the value after "NAME: " in openssl's response text
field()
{
	printf '%s\n' "$1" | sed -n "s/^ *$2: //p" | head -n1
}

ISSUER=(-ca ca.pem -responder ca.pem -responder-key ca-key.pem)
RESP=(-ca ca.pem -responder responder.pem -responder-key responder-key.pem)

# ---- good, signed by the CA itself
d="good, CA as responder"
before=$(date -u +%s)
sign good "${ISSUER[@]}" -cert leaf.pem
check_eq "$d: exit status" 0 "$RC"
check_eq "$d: nothing on stderr" "" "$(cat "$ERR")"
check "$d: stdout is {\"ocspResponse\":\"<base64>\"} + LF" \
	grep -qxE '\{"ocspResponse":"[A-Za-z0-9+/]+={0,2}"\}' "$OUT"
check_eq "$d: one line" 1 "$(wc -l <"$OUT")"
check_eq "$d: cfssljson succeeded" 0 "$JRC"
check "$d: cfssljson wrote good-response.der" test -s good-response.der
check_eq "$d: the file is the decoded response" \
	"$(sed -E 's/^\{"ocspResponse":"(.*)"\}$/\1/' "$OUT" | base64 -d | od -An -tx1)" \
	"$(od -An -tx1 <good-response.der)"
text=$(openssl ocsp -respin good-response.der -resp_text -CAfile ca.pem -issuer ca.pem \
	-cert leaf.pem 2>&1)
check_contains "$d: signature verifies" "$text" "Response verify OK"
# openssl finds the status only through a CertID equal to the one it computes itself (SHA-1
# of the CA subject DER and key, the leaf serial)
check_contains "$d: status good, found by openssl's own CertID" "$text" "leaf.pem: good"
check_contains "$d: successful basic response" "$text" "OCSP Response Status: successful (0x0)"
check_contains "$d: basic response type" "$text" "Response Type: Basic OCSP Response"
check_eq "$d: responder ID by name (the CA subject)" \
	"$(openssl x509 -in ca.pem -noout -subject | sed 's/^subject=//')" \
	"$(field "$text" "Responder Id")"
check_eq "$d: CertID hashed with SHA-1" "sha1" "$(field "$text" "Hash Algorithm")"
check_eq "$d: CertID serial is the leaf's" \
	"$(openssl x509 -in leaf.pem -noout -serial | sed 's/^serial=//')" \
	"$(field "$text" "Serial Number")"
check_eq "$d: issuer key hash is the CA's SKI" \
	"$(openssl x509 -in ca.pem -noout -ext subjectKeyIdentifier | tail -n1 | tr -d ' :')" \
	"$(field "$text" "Issuer Key Hash")"
check_contains "$d: ecdsa-with-SHA256" "$text" "Signature Algorithm: ecdsa-with-SHA256"
check_not_contains "$d: no certificate embedded when the responder is the CA" "$text" \
	"Certificate:"
this=$(epoch "$(field "$text" "This Update")")
next=$(epoch "$(field "$text" "Next Update")")
produced=$(epoch "$(field "$text" "Produced At")")
now=$(date -u +%s)
# "now" as the command saw it lies between $before and $now
in_window() { [ "$2" -ge $(($before / $1 * $1)) ] && [ "$2" -le $(($now / $1 * $1)) ]; }
check "$d: thisUpdate is now truncated to the hour" in_window 3600 "$this"
check_eq "$d: nextUpdate = thisUpdate + 96h (default -interval)" $((96 * 3600)) \
	$((next - this))
check "$d: producedAt is now truncated to the minute" in_window 60 "$produced"

# ---- revoked, signed by a delegated responder
d="revoked with keyCompromise on 2024-02-29, delegated responder"
sign rev "${RESP[@]}" -cert leaf.pem -status revoked -reason keyCompromise -revoked-at 2024-02-29
check_eq "$d: exit status" 0 "$RC"
text=$(openssl ocsp -respin rev-response.der -resp_text -CAfile ca.pem -issuer ca.pem \
	-cert leaf.pem 2>&1)
check_contains "$d: signature verifies (responder chains to the CA)" "$text" \
	"Response verify OK"
check_contains "$d: status revoked" "$text" "leaf.pem: revoked"
check_contains "$d: reason" "$text" "Reason: keyCompromise"
check_eq "$d: revocation time" "Feb 29 00:00:00 2024 GMT" "$(field "$text" "Revocation Time")"
check_contains "$d: responder certificate embedded" "$text" "Certificate:"
check_eq "$d: responder ID is the responder's subject" \
	"$(openssl x509 -in responder.pem -noout -subject | sed 's/^subject=//')" \
	"$(field "$text" "Responder Id")"
check_contains "$d: P-384 responder signs with ecdsa-with-SHA384" "$text" \
	"Signature Algorithm: ecdsa-with-SHA384"

d="revoked with numeric reason 5, now"
sign rev5 "${ISSUER[@]}" -cert leaf.pem -status revoked -reason 5
check_eq "$d: exit status" 0 "$RC"
text=$(openssl ocsp -respin rev5-response.der -resp_text -CAfile ca.pem -issuer ca.pem \
	-cert leaf.pem 2>&1)
check_contains "$d: reason" "$text" "Reason: cessationOfOperation"
at=$(epoch "$(field "$text" "Revocation Time")")
now=$(date -u +%s)
check "$d: revocation time is now" test $((now - at)) -ge 0 -a $((now - at)) -le 60

d="revoked with reason unspecified"
sign revu "${ISSUER[@]}" -cert leaf.pem -status revoked -reason unspecified
check_eq "$d: exit status" 0 "$RC"
text=$(openssl ocsp -respin revu-response.der -resp_text -noverify 2>&1)
check_contains "$d: status revoked" "$text" "Cert Status: revoked"
check_not_contains "$d: reason 0 is left out" "$text" "Reason"

d="unknown, -interval 90m30s"
sign unk "${ISSUER[@]}" -cert leaf.pem -status unknown -interval 90m30s
check_eq "$d: exit status" 0 "$RC"
text=$(openssl ocsp -respin unk-response.der -resp_text -CAfile ca.pem -issuer ca.pem \
	-cert leaf.pem 2>&1)
check_contains "$d: status unknown" "$text" "leaf.pem: unknown"
check_eq "$d: nextUpdate = thisUpdate + 90m30s" 5430 \
	$(($(epoch "$(field "$text" "Next Update")") - $(epoch "$(field "$text" "This Update")")))

d="RSA-4096 responder"
sign rsa -ca rsa.pem -responder rsa.pem -responder-key rsa-key.pem -cert rsaleaf.pem
check_eq "$d: exit status" 0 "$RC"
text=$(openssl ocsp -respin rsa-response.der -resp_text -CAfile rsa.pem -issuer rsa.pem \
	-cert rsaleaf.pem 2>&1)
check_contains "$d: verifies" "$text" "Response verify OK"
check_contains "$d: SHA-256 whatever the modulus" "$text" \
	"Signature Algorithm: sha256WithRSAEncryption"

d="-key stands in for -responder-key"
sign key -ca ca.pem -responder ca.pem -key ca-key.pem -cert leaf.pem
check_eq "$d: exit status" 0 "$RC"
check_contains "$d: verifies" "$(openssl ocsp -respin key-response.der -resp_text -CAfile ca.pem \
	-issuer ca.pem -cert leaf.pem 2>&1)" "leaf.pem: good"

d="-ca with the env: prefix"
NRUN=$((NRUN + 1))
CA_PEM=$(cat ca.pem) t cfssl ocspsign -ca env:CA_PEM -responder ca.pem -responder-key ca-key.pem \
	-cert leaf.pem >"$WORK/run-$NRUN.out" 2>/dev/null
check_eq "$d: exit status" 0 "$?"

# ---- errors
# neg DESC LAST_LINE CRITICAL_RECORD ARGS...
neg()
{
	local desc=$1 want=$2 rec=$3
	shift 3
	rm -f bad-response.der
	sign bad "$@"
	check_eq "$desc: exit status" 1 "$RC"
	check_eq "$desc: stderr" "$(printf '[CRITICAL] %s\n%s' "$rec" "$want")" \
		"$(strip_ts <"$ERR")"
	check_eq "$desc: nothing on stdout" 0 "$(wc -c <"$OUT")"
	check "$desc: cfssljson wrote nothing" test ! -e bad-response.der
}
e="open : no such file or directory"
neg "no flags" "$e" "Unable to read certificate: $e"
e="open missing.pem: no such file or directory"
neg "-cert missing" "$e" "Unable to read certificate: $e" "${ISSUER[@]}" -cert missing.pem
e='{"code":1003,"message":"Failed to parse certificate"}'
neg "-cert is a key" "$e" "Unable to parse certificate: $e" "${ISSUER[@]}" -cert leaf-key.pem
e='{"code":8200,"message":"Invalid revocation status"}'
neg "revoked without -reason (the default 0 is invalid)" "$e" "Invalid reason code: $e" \
	"${ISSUER[@]}" -cert leaf.pem -status revoked
neg "-reason 10" "$e" "Invalid reason code: $e" "${ISSUER[@]}" -cert leaf.pem -status revoked \
	-reason 10
e='strconv.Atoi: parsing "abc": invalid syntax'
neg "-reason abc" "$e" "Invalid reason code: $e" "${ISSUER[@]}" -cert leaf.pem -status revoked \
	-reason abc
e='parsing time "2024-13-01": month out of range'
neg "-revoked-at month 13" "$e" "Malformed revocation time: 2024-13-01" "${ISSUER[@]}" \
	-cert leaf.pem -status revoked -reason 1 -revoked-at 2024-13-01
e='parsing time "2024/01/01" as "2006-01-02": cannot parse "/01/01" as "-"'
neg "-revoked-at with slashes" "$e" "Malformed revocation time: 2024/01/01" "${ISSUER[@]}" \
	-cert leaf.pem -status revoked -reason 1 -revoked-at 2024/01/01
e='{"code":8200,"message":"Invalid revocation status"}'
neg "-status bogus" "$e" "Unable to sign OCSP response: $e" "${ISSUER[@]}" -cert leaf.pem \
	-status bogus
e="open : no such file or directory"
neg "no -ca" "$e" "Unable to create OCSP signer: $e" -responder ca.pem \
	-responder-key ca-key.pem -cert leaf.pem
e="unknown prefix: x"
neg "-ca with an unknown prefix" "$e" "Unable to create OCSP signer: $e" -ca x:ca.pem \
	-responder ca.pem -responder-key ca-key.pem -cert leaf.pem
e="open missing.pem: no such file or directory"
neg "-responder missing" "$e" "Unable to create OCSP signer: $e" -ca ca.pem \
	-responder missing.pem -responder-key ca-key.pem -cert leaf.pem
e='{"code":1001,"message":"open : no such file or directory"}'
neg "no responder key" "$e" "Unable to create OCSP signer: $e" -ca ca.pem -responder ca.pem \
	-cert leaf.pem
e='{"code":1003,"message":"Failed to parse certificate"}'
neg "-responder is a key" "$e" "Unable to create OCSP signer: $e" -ca ca.pem \
	-responder ca-key.pem -responder-key ca-key.pem -cert leaf.pem
e='{"code":2003,"message":"Failed to parse private key"}'
neg "-responder-key is a certificate" "$e" "Unable to create OCSP signer: $e" -ca ca.pem \
	-responder ca.pem -responder-key ca.pem -cert leaf.pem
e='{"code":8100,"message":"Certificate not issued by this issuer"}'
neg "certificate from another CA" "$e" "Unable to sign OCSP response: $e" -ca other/ca.pem \
	-responder other/ca.pem -responder-key other/ca-key.pem -cert leaf.pem
e='{"code":8200,"message":"x509: ECDSA verification failure"}'
neg "same issuer name, other key (master wraps the signature error)" "$e" \
	"Unable to sign OCSP response: $e" -ca twin/ca.pem -responder ca.pem \
	-responder-key ca-key.pem -cert leaf.pem
e='x509: only RSA and ECDSA keys supported'
neg "Ed25519 responder key" "$e" "Unable to sign OCSP response: $e" -ca ca.pem \
	-responder ca.pem -responder-key ed-key.pem -cert leaf.pem

d="-interval without a unit"
sign bad "${ISSUER[@]}" -cert leaf.pem -interval 5
check_eq "$d: exit status 2" 2 "$RC"
check_eq "$d: flag error" 'invalid value "5" for flag -interval: parse error' \
	"$(head -n1 "$ERR")"

# ---- interop: Debian's cfssl 1.2 gives the same response apart from times and signature
REF=/usr/bin/cfssl
if [ -x "$REF" ] && "$REF" version 2>/dev/null | grep -q '^Version: 1\.2'; then
	shape()
	{
		openssl ocsp -respin "$1" -resp_text -noverify 2>/dev/null |
			sed -e '/Produced At\|This Update\|Next Update\|Revocation Time/d' \
				-e '/Signature Value/,/^ *[A-Z-]/{/^ *[0-9a-f][0-9a-f]:/d}' |
			sed -e '/^    Signature Value:/d'
	}
	n=0
	for args in "${ISSUER[*]} -cert leaf.pem" "${RESP[*]} -cert leaf.pem -status unknown" \
		"${RESP[*]} -cert leaf.pem -status revoked -reason superseded -revoked-at 2020-01-02" \
		"-ca rsa.pem -responder rsa.pem -responder-key rsa-key.pem -cert rsaleaf.pem"; do
		n=$((n + 1))
		d="interop with cfssl 1.2 ($args)"
		# shellcheck disable=SC2086
		sign "mine$n" $args
		# shellcheck disable=SC2086
		"$REF" ocspsign $args 2>/dev/null | t cfssljson -bare "ref$n" >/dev/null 2>&1
		check_eq "$d: same parsed response" "$(shape "ref$n-response.der")" \
			"$(shape "mine$n-response.der")"
	done
	for args in "" "-cert leaf-key.pem" "${ISSUER[*]} -cert leaf.pem -status revoked" \
		"${ISSUER[*]} -cert leaf.pem -status revoked -reason 1 -revoked-at 2023-02-29" \
		"${ISSUER[*]} -cert leaf.pem -status bogus" \
		"-ca other/ca.pem -responder ca.pem -responder-key ca-key.pem -cert leaf.pem" \
		"-ca ca.pem -responder ca.pem -cert leaf.pem"; do
		d="interop with cfssl 1.2: error"
		# shellcheck disable=SC2086
		sign bad $args
		# shellcheck disable=SC2086
		check_eq "$d ($args)" "$("$REF" ocspsign $args 2>&1 >/dev/null | strip_ts)" \
			"$(strip_ts <"$ERR")"
	done
else
	echo "(Debian's cfssl 1.2 not installed: interop checks skipped)"
fi

finish
