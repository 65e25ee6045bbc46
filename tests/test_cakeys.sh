#!/bin/bash
# How -ca and -ca-key are read (spec §4): prefixes, key formats, encrypted
# legacy PEM with CFSSL_CA_PK_PASSWORD, and the errors in cfssl's order.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl

cd "$WORK" || exit 1
printf '{"CN":"Key CA","key":{"algo":"ecdsa","size":256}}\n' >ca.json
printf '{"CN":"leaf","key":{"algo":"ecdsa","size":256},"hosts":["leaf"]}\n' >leaf.json
(set -o pipefail; t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca)
check "setup: CA" test -s ca-key.pem

# signs KEYSPEC [CERTSPEC]: gencert succeeds and its certificate verifies
signs()
{
	local desc=$1 key=$2 cert=${3:-ca.pem}
	rm -f out*.pem
	(set -o pipefail; t cfssl gencert -ca "$cert" -ca-key "$key" leaf.json 2>err.txt |
		t cfssljson -bare out)
	check "$desc: signs" test -s out.pem
	check "$desc: verifies" openssl verify -CAfile ca.pem out.pem
}
# fails KEYSPEC CERTSPEC MESSAGE
fails()
{
	local desc=$1 key=$2 cert=$3 want=$4
	t cfssl gencert -ca "$cert" -ca-key "$key" leaf.json >out.txt 2>err.txt
	check_eq "$desc: exit 1" 1 "$?"
	check_eq "$desc: message" "$want" "$(tail -n1 err.txt)"
	check_eq "$desc: nothing on stdout" 0 "$(wc -c <out.txt)"
}

signs "SEC1 key" ca-key.pem
signs "file: prefix" file:ca-key.pem file:ca.pem
CAKEY=$(cat ca-key.pem) CACERT=$(cat ca.pem) signs "env: prefix" env:CAKEY env:CACERT
openssl pkcs8 -topk8 -nocrypt -in ca-key.pem -out p8.pem
signs "PKCS#8 key" p8.pem
{ openssl ecparam -name prime256v1; cat ca-key.pem; } >params.pem
signs "EC PARAMETERS block skipped" params.pem
sed 's/EC PRIVATE KEY/WHATEVER/' ca-key.pem >label.pem
signs "key PEM label ignored" label.pem
{ echo "some text before"; cat ca-key.pem; } >junk.pem
signs "text before the key skipped" junk.pem

openssl ec -in ca-key.pem -aes-128-cbc -passout pass:s3cret -out enc.pem 2>/dev/null
fails "encrypted key without a password" enc.pem ca.pem '{"code":2100,"message":"Private key is encrypted."}'
CFSSL_CA_PK_PASSWORD=s3cret signs "encrypted key with CFSSL_CA_PK_PASSWORD" enc.pem
CFSSL_CA_PK_PASSWORD=wrong fails "encrypted key, wrong password" enc.pem ca.pem \
	'{"code":2003,"message":"Failed to parse private key"}'
openssl pkcs8 -topk8 -in ca-key.pem -passout pass:x -out p8enc.pem
fails "ENCRYPTED PRIVATE KEY (PKCS#8)" p8enc.pem ca.pem '{"code":2003,"message":"Failed to parse private key"}'

fails "unset env: key" env:CFSSL_TEST_UNSET ca.pem '{"code":2002,"message":"Failed to decode private key"}'
fails "unknown prefix on the key" ./a:b.pem ca.pem '{"code":1001,"message":"unknown prefix: ./a"}'
fails "unknown prefix on the cert" ca-key.pem ./a:b.pem 'unknown prefix: ./a'
cat ca.pem ca.pem >chain.pem
fails "two certificates in -ca" ca-key.pem chain.pem \
	'{"code":1003,"message":"the PEM file should contain only one object"}'
{ cat ca.pem; echo trailing; } >trail.pem
fails "trailing text after the certificate" ca-key.pem trail.pem \
	'{"code":1003,"message":"the PEM file should contain only one object"}'
printf '   \n' >empty.pem
fails "no PEM in -ca" ca-key.pem empty.pem '{"code":1002,"message":"Failed to decode certificate"}'
fails "a key as -ca" ca-key.pem ca-key.pem '{"code":1003,"message":"Failed to parse certificate"}'
fails "a certificate as -ca-key" ca.pem ca.pem '{"code":2003,"message":"Failed to parse private key"}'
fails "both files missing: the certificate error wins" missing-key.pem missing.pem \
	'open missing.pem: no such file or directory'
fails "key file missing" missing-key.pem ca.pem \
	'{"code":1001,"message":"open missing-key.pem: no such file or directory"}'
mkdir dir.pem
fails "a directory as -ca" ca-key.pem dir.pem 'read dir.pem: is a directory'
finish
