#!/bin/bash
# End-to-end test: certificates cfssl reads and cfssl-c must read the same way (issue 11:
# a SAN holding a NUL, an empty dNSName, PKCS#7 PEM, malformed PEM and AlgorithmIdentifiers).
# Each case runs a command on a committed input in testdata/certread and compares stdout,
# stderr (timestamps removed) and the exit status with CASE.want, written by cfssl master:
#   REGEN_WITH=/opt/cfssl-master/bin/cfssl bash tests/test_certread.sh
# (with SRCDIR, CFSSL_BIN and CFSSLJSON_BIN set) rewrites the .want files.
# Inputs (made with Python's cryptography): nul-san.{pem,csr} carry the DNS SAN
# "a.example.com\0.evil.com"; stash-{nul,slash}-chain.pem are a leaf and an intermediate whose
# CN is "authorized_keys\0x" or "sub/evil", under stash-root.pem. empty-leaf.pem was issued by
# cfssl master under empty-ca.pem for empty-leaf.json ("hosts": ["", "leaf.example.com"]);
# echain.pem is both; empty-san-ca.pem (openssl req, subjectAltName=DER:30028200) is a CA whose
# only SAN is an empty dNSName. p7-*.pem are `openssl crl2pkcs7` of a cfssl gencrl CRL under
# empty-ca.pem: -certfile empty-ca.pem (one), echain.pem (two), -nocrl, and no -certfile.
# endjunk.pem is empty-ca.pem with "junk" after its END line, endjunk2.pem that followed by
# empty-leaf.pem; rsa-nonull-ca.pem (Python, DER edited and re-signed) is an RSA CA whose key's
# AlgorithmIdentifier has no NULL parameters.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs jq openssl

DATA=$SRCDIR/testdata/certread
REGEN_WITH=${REGEN_WITH:-}
# Commands run in a copy, so that what they write stays out of the source tree.
RUN=$WORK/run
cp -r "$DATA" "$RUN" || exit 1

# run_in_data BIN OUT ARGS...: writes to OUT the stdout of "BIN ARGS..." run in a fresh copy
# of $DATA, its stderr without timestamps, and "exit: N".
run_in_data()
{
	local bin=$1 out=$2 rc
	shift 2
	rm -rf "$RUN" && cp -r "$DATA" "$RUN" || return 1
	(cd "$RUN" && t "$bin" "$@" >"$out" 2>"$out.err")
	rc=$?
	if [ "$1" = bundle ] && [ -s "$out" ]; then
		# cfssl lists the hostnames from a Go map, in random order
		jq -c '.hostnames |= (. // [] | sort)' <"$out" >"$out.sorted" && mv "$out.sorted" "$out"
	fi
	strip_ts <"$out.err" >>"$out"
	echo "exit: $rc" >>"$out"
}

# golden CASE ARGS...: cfssl-c's output equals $DATA/CASE.want byte for byte.
golden()
{
	local name=$1 got=$WORK/$1.got
	shift
	if [ -n "$REGEN_WITH" ]; then
		run_in_data "$REGEN_WITH" "$DATA/$name.want" "$@"
		rm -f "$DATA/$name.want.err"
	fi
	run_in_data "$CFSSL_BIN" "$got" "$@"
	if cmp -s "$DATA/$name.want" "$got"; then
		lib_pass "$name: cfssl $* as cfssl master"
	else
		lib_fail "$name: cfssl $* as cfssl master" \
			"$(diff -a "$DATA/$name.want" "$got" | cat -v | head -n 20)"
	fi
}

# ---- item 19: a SAN holding a NUL is one name, JSON-escaped ----
golden nul-san.certinfo-cert certinfo -cert nul-san.pem
golden nul-san.certinfo-csr certinfo -csr nul-san.csr
check_contains "nul-san: the NUL name is one JSON string" \
	"$(cat "$DATA/nul-san.certinfo-cert.want")" '"a.example.com\u0000.evil.com"'

# ---- item 15: bundle -int-dir never writes outside the folder, nor a name without .crt ----
# A NUL in the intermediate's CN: refused as Go refuses the path (cfssl's record, NUL included).
golden stash-nul.bundle bundle -cert stash-nul-chain.pem -ca-bundle stash-root.pem -int-dir st
t cfssl bundle -cert "$DATA/stash-nul-chain.pem" -ca-bundle "$DATA/stash-root.pem" \
	-int-dir "$WORK/st1" >/dev/null 2>&1
check_eq "stash-nul: nothing written" "" "$(ls -A "$WORK/st1")"
# A / in the CN: cfssl writes into the subfolder "sub" when it exists; cfssl-c refuses.
mkdir -p "$WORK/st2/sub"
err=$(t cfssl bundle -cert "$DATA/stash-slash-chain.pem" -ca-bundle "$DATA/stash-root.pem" \
	-int-dir "$WORK/st2" 2>&1 >"$WORK/st2.json")
check_eq "stash-slash: exit status 0" 0 $?
check_eq "stash-slash: nothing written" "sub" "$(cd "$WORK/st2" && find . -mindepth 1 | sed 's#^./##')"
check_contains "stash-slash: says why" "$err" \
	"[ERROR] failed to write new intermediate: open $WORK/st2/sub/evil_"
check_contains "stash-slash: says why (2)" "$err" ".crt: the CN puts a / in the name"

# ---- item 1: certificates with an empty dNSName are read everywhere ----
golden empty-leaf.certinfo-cert certinfo -cert empty-leaf.pem
golden empty-san-ca.certinfo-cert certinfo -cert empty-san-ca.pem
golden echain.bundle bundle -cert echain.pem -ca-bundle empty-ca.pem
golden empty-leaf.bundle bundle -cert empty-leaf.pem -ca-bundle empty-ca.pem
check_contains "empty-leaf: the empty name is listed" \
	"$(cat "$DATA/empty-leaf.certinfo-cert.want")" '"sans": [
    "",'
(cd "$WORK" && t cfssl gencert -ca "$DATA/empty-san-ca.pem" -ca-key "$DATA/empty-san-ca-key.pem" \
	"$DATA/empty-leaf.json" 2>/dev/null | t cfssljson -bare issued)
check_eq "empty-san-ca: -ca signs" 0 $?
check_eq "empty-san-ca: issued under its subject" "issuer=CN = Empty SAN CA" \
	"$(openssl x509 -in "$WORK/issued.pem" -noout -issuer 2>&1)"
check_eq "empty-san-ca: authorityKeyIdentifier is the CA's subjectKeyIdentifier" \
	"$(openssl x509 -in "$DATA/empty-san-ca.pem" -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' ')" \
	"$(openssl x509 -in "$WORK/issued.pem" -noout -ext authorityKeyIdentifier | tail -n 1 | tr -d ' ')"
check "empty-san-ca: the issued certificate verifies" \
	openssl verify -no-CApath -no-CAstore -CAfile "$DATA/empty-san-ca.pem" "$WORK/issued.pem"

# ---- item 5: PKCS#7 PEM read in a certificate's place, one certificate only ----
for f in p7-one p7-two p7-nocrl p7-nocerts; do
	golden "$f.certinfo-cert" certinfo -cert "$f.pem"
done
golden p7-two.bundle bundle -cert p7-two.pem -ca-bundle empty-ca.pem
check_contains "p7-two: cfssl's message" "$(cat "$DATA/p7-two.certinfo-cert.want")" \
	'the PKCS7 object in the PEM file should contain only one certificate'
(cd "$WORK" && t cfssl gencert -ca "$DATA/p7-one.pem" -ca-key "$DATA/empty-ca-key.pem" \
	"$DATA/empty-leaf.json" 2>/dev/null | t cfssljson -bare p7issued)
check_eq "p7-one: -ca signs" 0 $?
check "p7-one: the issued certificate verifies" \
	openssl verify -no-CApath -no-CAstore -CAfile "$DATA/empty-ca.pem" "$WORK/p7issued.pem"
got=$(cd "$DATA" && t cfssl gencrl serials p7-one.pem empty-ca-key.pem | base64 -d |
	openssl crl -inform DER -noout -issuer -CAfile empty-ca.pem 2>&1)
check_contains "p7-one: gencrl signs a CRL that verifies" "$got" "verify OK"
for f in p7-two p7-nocrl; do
	got=$(cd "$DATA" && t cfssl gencrl serials "$f.pem" empty-ca-key.pem 2>&1)
	check_eq "$f: gencrl refuses it as cfssl" \
		"$(sed -n "1p" "$DATA/$f.certinfo-cert.want")" "$got"
done

# ---- item 6: junk after the END line; an RSA key without NULL parameters ----
golden endjunk.certinfo-cert certinfo -cert endjunk.pem
golden endjunk.gencrl gencrl serials endjunk.pem empty-ca-key.pem
golden endjunk2.certinfo-cert certinfo -cert endjunk2.pem
check_contains "endjunk: no PEM block, as Go's pem.Decode" \
	"$(cat "$DATA/endjunk.certinfo-cert.want")" '{"code":1002,"message":"Failed to decode certificate"}'
golden rsa-nonull.certinfo-cert certinfo -cert rsa-nonull-ca.pem
golden rsa-nonull.gencrl gencrl serials rsa-nonull-ca.pem rsa-nonull-ca-key.pem
golden rsa-nonull.bundle bundle -cert rsa-nonull-ca.pem
golden rsa-nonull-root.bundle bundle -cert empty-leaf.pem -ca-bundle rsa-nonull-ca.pem
check_contains "rsa-nonull: 1003 as Go 1.19" "$(cat "$DATA/rsa-nonull.certinfo-cert.want")" \
	'{"code":1003,"message":"Failed to parse certificate"}'
for ca in endjunk rsa-nonull; do
	case $ca in
	endjunk) cert=endjunk.pem key=empty-ca-key.pem ;;
	*) cert=rsa-nonull-ca.pem key=rsa-nonull-ca-key.pem ;;
	esac
	got=$(cd "$DATA" && t cfssl gencert -ca "$cert" -ca-key "$key" empty-leaf.json 2>&1)
	check_eq "$ca: -ca refuses it as cfssl (exit status)" 1 $?
	check_eq "$ca: -ca refuses it as cfssl" "$(sed -n 1p "$DATA/$ca.certinfo-cert.want")" \
		"$(printf '%s\n' "$got" | tail -n 1)"
done

finish
