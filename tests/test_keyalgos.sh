#!/bin/bash
# Private keys that cfssl cannot generate but may be handed (issue 11 items 3 and 4):
# every command that reads a key treats it as cfssl master does. Keys Go's parsers refuse (DSA,
# X25519, Ed448, RSA-PSS, secp256k1) are {"code":2003,"message":"Failed to parse private key"}
# wherever a key is read; the expected lines are cfssl master's for the same inputs.

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

finish
