#!/bin/bash
# Every key type cfssl supports, as CA and as leaf, checked by real verifiers
# (openssl verify, certtool --verify) with the signature algorithm of §8.2.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl certtool

cd "$WORK" || exit 1
# algo size expected-signature-algorithm (openssl's name)
while read -r algo size sig; do
	n="$algo-$size"
	printf '{"CN":"%s CA","key":{"algo":"%s","size":%s},"names":[{"O":"Key types"}]}' "$n" "$algo" "$size" >"ca-$n.json"
	printf '{"CN":"leaf %s","key":{"algo":"%s","size":%s},"hosts":["leaf.example","127.0.0.1"]}' "$n" "$algo" "$size" >"leaf-$n.json"
	(set -o pipefail; t cfssl gencert -initca "ca-$n.json" 2>/dev/null | t cfssljson -bare "ca-$n")
	check "$n: CA made" test -s "ca-$n.pem"
	(set -o pipefail; t cfssl gencert -ca "ca-$n.pem" -ca-key "ca-$n-key.pem" "leaf-$n.json" 2>/dev/null |
		t cfssljson -bare "leaf-$n")
	check "$n: leaf made" test -s "leaf-$n.pem"
	check_contains "$n: leaf signature algorithm" \
		"$(openssl x509 -in "leaf-$n.pem" -noout -text | grep -m1 'Signature Algorithm')" "$sig"
	check_contains "$n: CSR signature algorithm" \
		"$(openssl req -in "leaf-$n.csr" -noout -text | grep -m1 'Signature Algorithm')" "$sig"
	check "$n: CSR self-signature" openssl req -in "leaf-$n.csr" -noout -verify
	check "$n: openssl verify" openssl verify -CAfile "ca-$n.pem" "leaf-$n.pem"
	check "$n: certtool --verify" certtool --verify --load-ca-certificate "ca-$n.pem" --infile "leaf-$n.pem"
	check "$n: the key matches the certificate" test \
		"$(openssl pkey -in "leaf-$n-key.pem" -pubout)" = "$(openssl x509 -in "leaf-$n.pem" -noout -pubkey)"
done <<'LIST'
rsa 2048 sha256WithRSAEncryption
rsa 4096 sha512WithRSAEncryption
ecdsa 256 ecdsa-with-SHA256
ecdsa 384 ecdsa-with-SHA384
ecdsa 521 ecdsa-with-SHA512
ed25519 256 ED25519
LIST

# the signature follows the CA key, the CSR's the subject key (§8.2)
(set -o pipefail; t cfssl gencert -ca ca-ecdsa-256.pem -ca-key ca-ecdsa-256-key.pem leaf-rsa-2048.json 2>/dev/null |
	t cfssljson -bare mixed)
check_contains "P-256 CA, RSA leaf: certificate ecdsa-with-SHA256" \
	"$(openssl x509 -in mixed.pem -noout -text | grep -m1 'Signature Algorithm')" ecdsa-with-SHA256
check_contains "P-256 CA, RSA leaf: CSR sha256WithRSAEncryption" \
	"$(openssl req -in mixed.csr -noout -text | grep -m1 'Signature Algorithm')" sha256WithRSAEncryption
check "P-256 CA, RSA leaf: verifies" certtool --verify --load-ca-certificate ca-ecdsa-256.pem --infile mixed.pem
finish
