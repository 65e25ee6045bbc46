#!/bin/bash
# End-to-end test: `cfssl gencrl SERIALS CERT KEY [TIME]` (cfssl-compat.md §12.8, deviation 11).
# The CRLs are read back with openssl (fields, signature verified against the CA) and compared
# in structure with Debian's cfssl 1.2 where that is installed.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl base64

IN=$WORK/inputs
mkdir -p "$IN"
cd "$IN" || exit 1

ok=1
printf '{"CN":"CRL Test CA","key":{"algo":"ecdsa","size":256},"names":[{"C":"US","O":"Org"}]}\n' \
	>ca-csr.json
printf '{"CN":"RSA CA","key":{"algo":"rsa","size":4096}}\n' >rsa-csr.json
printf '{"CN":"P384 CA","key":{"algo":"ecdsa","size":384}}\n' >p384-csr.json
for base in ca rsa p384; do
	(set -o pipefail; t cfssl gencert -initca "$base-csr.json" 2>/dev/null |
		t cfssljson -bare "$base") || ok=0
done
# Independent CAs: Ed25519, and one without a subject key identifier.
openssl req -x509 -newkey ed25519 -nodes -keyout ed-key.pem -out ed.pem -days 30 \
	-subj "/CN=Ed CA" -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null || ok=0
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout noski-key.pem \
	-out noski.pem -days 30 -subj "/CN=No SKI CA" -addext "subjectKeyIdentifier=none" \
	-addext "basicConstraints=critical,CA:TRUE" 2>/dev/null || ok=0
openssl ec -in ca-key.pem -aes128 -passout pass:s3cret -out enc-key.pem 2>/dev/null || ok=0
check_eq "setup: CAs made" 1 "$ok"
[ "$ok" -eq 1 ] || finish

printf '12 \n34\r\n\n   \n\t\r\n0x10\nabc\n-5\n+7\n 8\n' >quirks.txt
printf '1\n2\n3\n' >serials.txt
: >empty.txt
cat ca.pem ca.pem >two.pem
: >blank.pem
mkdir adir

NRUN=0
# run ARGS...: runs cfssl with its output in $OUT, stderr in $ERR, status in $RC
run()
{
	NRUN=$((NRUN + 1))
	OUT=$WORK/run-$NRUN.out
	ERR=$WORK/run-$NRUN.err
	t cfssl "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# crl_text FILE: openssl's view of a base64 gencrl output
der_of()
{
	base64 -d <"$1" >"$1.der" 2>/dev/null
}

epoch()
{
	date -u -d "$1" +%s
}

# crl_field DER FIELD: lastupdate / nextupdate as Unix seconds
crl_time()
{
	epoch "$(openssl crl -inform DER -in "$1" -noout "-$2" | cut -d= -f2)"
}

# ---- a CRL from an ECDSA P-256 CA
d="ECDSA CA"
run gencrl serials.txt ca.pem ca-key.pem
check_eq "$d: exit status" 0 "$RC"
check_eq "$d: nothing on stderr" "" "$(cat "$ERR")"
check_eq "$d: stdout is one line" 1 "$(wc -l <"$OUT")"
check "$d: stdout is standard base64 + LF" grep -qxE '[A-Za-z0-9+/]+={0,2}' "$OUT"
der_of "$OUT"
text=$(openssl crl -inform DER -in "$OUT.der" -noout -text 2>&1)
check_contains "$d: version 2" "$text" "Version 2 (0x1)"
check_contains "$d: ecdsa-with-SHA256" "$text" "Signature Algorithm: ecdsa-with-SHA256"
check "$d: signature verifies with the CA" \
	openssl crl -inform DER -in "$OUT.der" -CAfile ca.pem -verify -noout
check_eq "$d: issuer is the CA subject" \
	"$(openssl x509 -in ca.pem -noout -subject | sed 's/^subject=//')" \
	"$(openssl crl -inform DER -in "$OUT.der" -noout -issuer | sed 's/^issuer=//')"
ski=$(openssl x509 -in ca.pem -noout -ext subjectKeyIdentifier | tail -n1 | tr -d ' ')
aki=$(printf '%s\n' "$text" | grep -A1 'Authority Key Identifier' | tail -n1 | tr -d ' ')
check_eq "$d: AKI is the CA's SKI" "$ski" "$aki"
last=$(crl_time "$OUT.der" lastupdate)
next=$(crl_time "$OUT.der" nextupdate)
now=$(date -u +%s)
check "$d: thisUpdate is now" test $((now - last)) -ge 0 -a $((now - last)) -le 60
check_eq "$d: nextUpdate is one week later by default" 604800 $((next - last))
number=$(printf '%s\n' "$text" | grep -A1 'X509v3 CRL Number' | tail -n1 | tr -d ' ')
check_eq "$d: CRL Number is thisUpdate in Unix seconds (deviation 11)" "$last" "$number"
check_not_contains "$d: CRL Number is not critical" "$text" "CRL Number: critical"
check_eq "$d: three revoked serials" "01 02 03" \
	"$(printf '%s\n' "$text" | sed -n 's/^ *Serial Number: //p' | tr '\n' ' ' | sed 's/ $//')"
rev=$(printf '%s\n' "$text" | sed -n 's/^ *Revocation Date: //p' | sort -u)
check_eq "$d: revocation date is thisUpdate" "$last" "$(epoch "$rev")"
check_not_contains "$d: no entry extensions" "$text" "CRL entry extensions"
asn=$(openssl asn1parse -inform DER -in "$OUT.der")
check_contains "$d: thisUpdate is a UTCTime with seconds" "$asn" "UTCTIME"

# ---- the serial list (§12.8)
d="serial list quirks"
run gencrl quirks.txt ca.pem ca-key.pem
check_eq "$d: exit status" 0 "$RC"
der_of "$OUT"
check_eq "$d: serials as big.Int SetString leaves them" "0C 22 00 00 -05 07 00" \
	"$(openssl crl -inform DER -in "$OUT.der" -noout -text | sed -n 's/^ *Serial Number: //p' |
		tr '\n' ' ' | sed 's/ $//')"

d="empty serial list"
run gencrl empty.txt ca.pem ca-key.pem
check_eq "$d: exit status" 0 "$RC"
der_of "$OUT"
check_contains "$d: no revoked certificates" \
	"$(openssl crl -inform DER -in "$OUT.der" -noout -text)" "No Revoked Certificates."
check "$d: still verifies" openssl crl -inform DER -in "$OUT.der" -CAfile ca.pem -verify -noout

d="serials from stdin"
NRUN=$((NRUN + 1))
OUT=$WORK/run-$NRUN.out
printf '255\n' | t cfssl gencrl - ca.pem ca-key.pem >"$OUT" 2>/dev/null
check_eq "$d: exit status" 0 "$?"
der_of "$OUT"
check_contains "$d: serial read from stdin" \
	"$(openssl crl -inform DER -in "$OUT.der" -noout -text)" "Serial Number: FF"

# ---- TIME
for spec in "3600:3600" "0x10:16" " 60 :60" "1_0:10" "017:15" "-5:-5" "0:604800"; do
	arg=${spec%:*}
	want=${spec##*:}
	d="TIME '$arg'"
	run gencrl serials.txt ca.pem ca-key.pem "$arg"
	check_eq "$d: exit status" 0 "$RC"
	der_of "$OUT"
	check_eq "$d: nextUpdate - thisUpdate" "$want" \
		$(($(crl_time "$OUT.der" nextupdate) - $(crl_time "$OUT.der" lastupdate)))
done
d="arguments after TIME are ignored"
run gencrl serials.txt ca.pem ca-key.pem 60 extra
check_eq "$d: exit status" 0 "$RC"

# ---- signature algorithms
d="RSA-4096 CA"
run gencrl serials.txt rsa.pem rsa-key.pem
der_of "$OUT"
check_contains "$d: still sha256WithRSAEncryption (§12.8)" \
	"$(openssl crl -inform DER -in "$OUT.der" -noout -text)" \
	"Signature Algorithm: sha256WithRSAEncryption"
check "$d: verifies" openssl crl -inform DER -in "$OUT.der" -CAfile rsa.pem -verify -noout
d="ECDSA P-384 CA"
run gencrl serials.txt p384.pem p384-key.pem
der_of "$OUT"
check_contains "$d: ecdsa-with-SHA384" "$(openssl crl -inform DER -in "$OUT.der" -noout -text)" \
	"Signature Algorithm: ecdsa-with-SHA384"
check "$d: verifies" openssl crl -inform DER -in "$OUT.der" -CAfile p384.pem -verify -noout
d="Ed25519 CA"
run gencrl serials.txt ed.pem ed-key.pem
der_of "$OUT"
check_contains "$d: ED25519" "$(openssl crl -inform DER -in "$OUT.der" -noout -text)" \
	"Signature Algorithm: ED25519"
check "$d: verifies" openssl crl -inform DER -in "$OUT.der" -CAfile ed.pem -verify -noout
d="CA without SKI"
run gencrl serials.txt noski.pem noski-key.pem
der_of "$OUT"
text=$(openssl crl -inform DER -in "$OUT.der" -noout -text)
check_not_contains "$d: no AKI" "$text" "Authority Key Identifier"
check_contains "$d: CRL Number still present" "$text" "X509v3 CRL Number"

# ---- the CA key password
d="encrypted CA key with CFSSL_CA_PK_PASSWORD"
NRUN=$((NRUN + 1))
OUT=$WORK/run-$NRUN.out
CFSSL_CA_PK_PASSWORD=s3cret t cfssl gencrl serials.txt ca.pem enc-key.pem >"$OUT" 2>/dev/null
check_eq "$d: exit status" 0 "$?"
der_of "$OUT"
check "$d: verifies" openssl crl -inform DER -in "$OUT.der" -CAfile ca.pem -verify -noout

# ---- errors: exit 1, the exact message, nothing on stdout
neg()
{
	local desc=$1 want=$2
	shift 2
	run "$@"
	check_eq "$desc: exit status" 1 "$RC"
	check_eq "$desc: stderr" "$want" "$(cat "$ERR")"
	check_eq "$desc: nothing on stdout" 0 "$(wc -c <"$OUT")"
}
notenough="not enough arguments are supplied --- please refer to the usage"
neg "no arguments" "$notenough" gencrl
neg "SERIALS only" "$notenough" gencrl serials.txt
neg "no KEY" "$notenough" gencrl serials.txt ca.pem
neg "SERIALS missing" "open missing.txt: no such file or directory" \
	gencrl missing.txt ca.pem ca-key.pem
neg "SERIALS missing wins over too few arguments" "open missing.txt: no such file or directory" \
	gencrl missing.txt
neg "SERIALS is a directory" "read adir: is a directory" gencrl adir ca.pem ca-key.pem
neg "CERT missing" "open missing.pem: no such file or directory" \
	gencrl serials.txt missing.pem ca-key.pem
neg "KEY missing" "open missing.pem: no such file or directory" \
	gencrl serials.txt ca.pem missing.pem
neg "TIME not a number" 'strconv.ParseInt: parsing "abc": invalid syntax' \
	gencrl serials.txt ca.pem ca-key.pem abc
neg "TIME empty" 'strconv.ParseInt: parsing "": invalid syntax' \
	gencrl serials.txt ca.pem ca-key.pem ""
neg "TIME beyond 32 bits" 'strconv.ParseInt: parsing "2147483648": value out of range' \
	gencrl serials.txt ca.pem ca-key.pem 2147483648
neg "TIME is checked before the certificate" 'strconv.ParseInt: parsing "x": invalid syntax' \
	gencrl serials.txt blank.pem blank.pem x
neg "CERT empty" '{"code":1002,"message":"Failed to decode certificate"}' \
	gencrl serials.txt blank.pem ca-key.pem
neg "CERT is a key" '{"code":1003,"message":"Failed to parse certificate"}' \
	gencrl serials.txt ca-key.pem ca-key.pem
neg "CERT holds two certificates" \
	'{"code":1003,"message":"the PEM file should contain only one object"}' \
	gencrl serials.txt two.pem ca-key.pem
neg "KEY empty" '{"code":2002,"message":"Failed to decode private key"}' \
	gencrl serials.txt ca.pem blank.pem
neg "KEY is a certificate" '{"code":2003,"message":"Failed to parse private key"}' \
	gencrl serials.txt ca.pem ca.pem
neg "KEY encrypted without CFSSL_CA_PK_PASSWORD" \
	'{"code":2100,"message":"Private key is encrypted."}' gencrl serials.txt ca.pem enc-key.pem

# ---- interop: Debian's cfssl 1.2 builds the same CRL, minus the CRL Number (deviation 11)
REF=/usr/bin/cfssl
if [ -x "$REF" ] && "$REF" version 2>/dev/null | grep -q '^Version: 1\.2'; then
	# the parsed CRL without times, the CRL Number (and the extensions heading, which a CA
	# without SKI only gets for it) and the (random) signature
	shape()
	{
		openssl crl -inform DER -in "$1" -noout -text |
			sed -e '/Last Update\|Next Update\|Revocation Date\|CRL extensions:/d' \
				-e '/X509v3 CRL Number/,+1d' -e '/Signature Value/,$d'
	}
	for ca in ca rsa p384 noski; do
		for list in quirks.txt serials.txt empty.txt; do
			d="interop with cfssl 1.2 ($ca, $list)"
			run gencrl "$list" "$ca.pem" "$ca-key.pem"
			der_of "$OUT"
			mine=$OUT.der
			"$REF" gencrl "$list" "$ca.pem" "$ca-key.pem" 2>/dev/null | base64 -d >"$WORK/ref.der"
			check_eq "$d: same parsed CRL" "$(shape "$WORK/ref.der")" "$(shape "$mine")"
			check_eq "$d: 1.2 has no CRL Number" "" \
				"$(openssl crl -inform DER -in "$WORK/ref.der" -noout -text | grep 'CRL Number')"
		done
	done
	d="interop: errors"
	for args in "missing.txt ca.pem ca-key.pem" "serials.txt blank.pem ca-key.pem" \
		"serials.txt ca-key.pem ca-key.pem" "serials.txt two.pem ca-key.pem" \
		"serials.txt ca.pem blank.pem" "serials.txt ca.pem ca.pem" "serials.txt ca.pem" \
		"serials.txt ca.pem enc-key.pem"; do
		# shellcheck disable=SC2086
		run gencrl $args
		# shellcheck disable=SC2086
		check_eq "$d: gencrl $args" "$("$REF" gencrl $args 2>&1 >/dev/null)" "$(cat "$ERR")"
	done
else
	echo "(Debian's cfssl 1.2 not installed: interop checks skipped)"
fi

finish
