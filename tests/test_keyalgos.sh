#!/bin/bash
# Private keys that cfssl cannot generate but may be handed (issue 11 items 3 and 4): every
# command that reads a key treats it as cfssl master does. A P-224 key signs certificates and
# CSRs with ecdsa-with-SHA1 (Go's default for a curve it has no rule for) and CRLs with
# ecdsa-with-SHA256; keys Go's parsers refuse (DSA, X25519, Ed448, RSA-PSS, secp256k1, P-192)
# are {"code":2003,"message":"Failed to parse private key"} wherever a key is read. The expected
# values are cfssl master's for the same inputs.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl

cd "$WORK" || exit 1
printf '{"CN":"Algo CA","key":{"algo":"ecdsa","size":256}}\n' >ca.json
printf '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}\n' >leaf.json
(set -o pipefail; t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca)
(set -o pipefail; t cfssl gencert -ca ca.pem -ca-key ca-key.pem leaf.json 2>/dev/null |
	t cfssljson -bare leaf)
check "setup: CA and leaf" test -s leaf.pem
echo 1234 >serials.txt

# refused NAME KEYFILE: every command that reads a key fails with cfssl's 2003 on KEYFILE.
refused()
{
	local name=$1 key=$2 want='{"code":2003,"message":"Failed to parse private key"}'
	local -a cmds=(
		"gencsr -key:gencsr -key $key leaf.json"
		"sign -ca-key:sign -ca ca.pem -ca-key $key leaf.csr"
		"gencert -ca-key:gencert -ca ca.pem -ca-key $key leaf.json"
		"gencert -initca -ca-key:gencert -initca -ca-key $key ca.json"
		"bundle -key:bundle -cert leaf.pem -key $key -ca-bundle ca.pem"
		"gencrl:gencrl serials.txt ca.pem $key"
		"ocspsign -responder-key:ocspsign -ca ca.pem -responder ca.pem -responder-key $key -cert leaf.pem"
	)
	local c
	for c in "${cmds[@]}"; do
		# shellcheck disable=SC2086 # the command line is split on purpose
		t cfssl ${c#*:} >out.txt 2>err.txt
		check_eq "$name, ${c%%:*}: exit 1" 1 "$?"
		check_eq "$name, ${c%%:*}: message" "$want" "$(tail -n1 err.txt)"
		check_eq "$name, ${c%%:*}: nothing on stdout" 0 "$(wc -c <out.txt)"
	done
}

openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out dsaparam.pem 2>/dev/null
openssl genpkey -paramfile dsaparam.pem -out dsa-p8.pem 2>/dev/null
openssl pkey -in dsa-p8.pem -traditional -out dsa-trad.pem 2>/dev/null
check "setup: DSA keys" grep -q 'BEGIN DSA PRIVATE KEY' dsa-trad.pem
refused "DSA (PKCS#8)" dsa-p8.pem
refused "DSA (OpenSSL form)" dsa-trad.pem
openssl genpkey -algorithm X25519 -out x25519.pem 2>/dev/null
refused "X25519" x25519.pem
openssl genpkey -algorithm ED448 -out ed448.pem 2>/dev/null
refused "Ed448" ed448.pem
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:1024 -out pss.pem 2>/dev/null
refused "RSA-PSS" pss.pem
openssl ecparam -name secp256k1 -genkey -noout -out k1.pem 2>/dev/null
refused "secp256k1" k1.pem
openssl ecparam -name prime192v1 -genkey -noout -out p192.pem 2>/dev/null
refused "P-192" p192.pem

# ---- P-224 ----
openssl ecparam -name secp224r1 -genkey -noout -out p224.pem 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in p224.pem -out p224-p8.pem
# sigalg FILE [req|crl]: the signature algorithm openssl names for a certificate, CSR or CRL
sigalg()
{
	openssl "${2:-x509}" -in "$1" -noout -text 2>/dev/null | grep -m1 'Signature Algorithm' |
		sed 's/.*: //'
}
for k in p224 p224-p8; do
	(set -o pipefail; t cfssl gencert -initca -ca-key "$k.pem" ca.json 2>/dev/null |
		t cfssljson -bare "ca-$k")
	check "$k: gencert -initca -ca-key" test -s "ca-$k.pem"
	check_eq "$k: CA certificate signed ecdsa-with-SHA1" ecdsa-with-SHA1 "$(sigalg "ca-$k.pem")"
	check_eq "$k: CA CSR signed ecdsa-with-SHA1" ecdsa-with-SHA1 "$(sigalg "ca-$k.csr" req)"
	check_contains "$k: CA key on secp224r1" \
		"$(openssl x509 -in "ca-$k.pem" -noout -text)" 'ASN1 OID: secp224r1'
	check "$k: CA certificate verifies" openssl verify -CAfile "ca-$k.pem" "ca-$k.pem"
done
(set -o pipefail; t cfssl gencert -ca ca-p224.pem -ca-key p224.pem leaf.json 2>/dev/null |
	t cfssljson -bare leaf224)
check "P-224: gencert -ca-key" test -s leaf224.pem
check_eq "P-224: leaf signed ecdsa-with-SHA1" ecdsa-with-SHA1 "$(sigalg leaf224.pem)"
check "P-224: leaf verifies" openssl verify -CAfile ca-p224.pem leaf224.pem
(set -o pipefail; t cfssl sign -ca ca-p224.pem -ca-key p224-p8.pem leaf.csr 2>/dev/null |
	t cfssljson -bare signed224)
check "P-224: sign -ca-key" test -s signed224.pem
check_eq "P-224: signed certificate ecdsa-with-SHA1" ecdsa-with-SHA1 "$(sigalg signed224.pem)"
check "P-224: signed certificate verifies" openssl verify -CAfile ca-p224.pem signed224.pem
t cfssl gencsr -key p224.pem leaf.json >csr224.json 2>/dev/null
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
open("csr224.csr", "w").write(d["csr"])
open("csr224-key.pem", "w").write(d["key"])' csr224.json
check_eq "P-224: gencsr -key signs ecdsa-with-SHA1" ecdsa-with-SHA1 "$(sigalg csr224.csr req)"
check "P-224: gencsr -key CSR self-signature" openssl req -in csr224.csr -noout -verify
check_eq "P-224: gencsr -key returns the key as given" "$(cat p224.pem)" "$(cat csr224-key.pem)"
t cfssl gencrl serials.txt ca-p224.pem p224.pem 2>/dev/null | base64 -d >crl224.der
openssl crl -inform DER -in crl224.der -out crl224.pem 2>/dev/null
check_eq "P-224: gencrl signs ecdsa-with-SHA256" ecdsa-with-SHA256 "$(sigalg crl224.pem crl)"
check "P-224: CRL verifies" openssl crl -in crl224.pem -CAfile ca-p224.pem -noout
t cfssl gencert -ca ca.pem -ca-key p224.pem leaf.json >out.txt 2>err.txt
check_eq "P-224 key with another CA's certificate: refused" \
	'{"code":1000,"message":"x509: provided PrivateKey doesn'\''t match parent'\''s PublicKey"}' \
	"$(tail -n1 err.txt)"

finish
