#!/bin/bash
# End-to-end test: deviation 6 as revised (issue 11 item 2). A CA key that does not match the
# CA certificate is refused; an issuer that should not issue (CA:FALSE, a v3 certificate
# without basicConstraints, keyUsage without keyCertSign, expired, not yet valid, path length
# 0 under a CA profile) is used as cfssl uses it (cfssl master signs every one of these) with
# one [WARNING] per problem naming the CA certificate; a certificate that outlives its CA gets
# a [WARNING] too. A sound CA gets none.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl python3

cd "$WORK" || exit 1

setup_ok=1
ca()
{
	(set -o pipefail; t cfssl gencert -initca "$1.json" 2>/dev/null | t cfssljson -bare "$1") ||
		setup_ok=0
}
printf '{"CN":"Root","key":{"algo":"ecdsa","size":256}}\n' >root.json
printf '{"CN":"Old","key":{"algo":"ecdsa","size":256},"ca":{"expiry":"1s"}}\n' >old.json
printf '{"CN":"P0","key":{"algo":"ecdsa","size":256},"ca":{"pathlen":0,"pathlenzero":true}}\n' >p0.json
printf '{"CN":"Short","key":{"algo":"ecdsa","size":256},"ca":{"expiry":"2h"}}\n' >short.json
for c in root old p0 short; do ca $c; done
printf '{"CN":"leaf","hosts":["l.example"],"key":{"algo":"ecdsa","size":256}}\n' >leaf.json
(set -o pipefail; t cfssl gencert -ca root.pem -ca-key root-key.pem leaf.json 2>/dev/null |
	t cfssljson -bare leaf) || setup_ok=0
# a v3 CA certificate without basicConstraints, and one whose keyUsage lacks keyCertSign
openssl ecparam -name prime256v1 -genkey -noout -out nobc-key.pem 2>/dev/null || setup_ok=0
printf '%s\n' '[req]' 'distinguished_name=dn' 'x509_extensions=ext' 'prompt=no' '[dn]' 'CN=NoBC' \
	'[ext]' 'subjectKeyIdentifier=hash' >nobc.cnf
openssl req -x509 -new -key nobc-key.pem -config nobc.cnf -days 3650 -out nobc.pem 2>/dev/null ||
	setup_ok=0
openssl ecparam -name prime256v1 -genkey -noout -out ku-key.pem 2>/dev/null || setup_ok=0
openssl req -x509 -new -key ku-key.pem -subj /CN=KU -days 3650 \
	-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,digitalSignature' \
	-out ku.pem 2>/dev/null || setup_ok=0
# a CA valid from 2030
openssl ecparam -name prime256v1 -genkey -noout -out future-key.pem 2>/dev/null || setup_ok=0
openssl req -new -key future-key.pem -subj /CN=Future -out future.csr 2>/dev/null || setup_ok=0
printf '{"signing":{"default":{"usages":["cert sign","crl sign"],"expiry":"87600h","not_before":"2030-01-01T00:00:00Z","ca_constraint":{"is_ca":true}}}}\n' >future-config.json
(set -o pipefail; t cfssl sign -ca root.pem -ca-key root-key.pem -config future-config.json \
	future.csr 2>/dev/null | t cfssljson -bare future) || setup_ok=0
openssl req -new -key leaf-key.pem -subj /CN=sub -out sub.csr 2>/dev/null || setup_ok=0
printf '{"signing":{"default":{"usages":["server auth"],"expiry":"1h"},"profiles":{"long":{"usages":["server auth"],"expiry":"8760h"},"ca":{"usages":["cert sign"],"expiry":"1h","ca_constraint":{"is_ca":true}}}}}\n' >config.json
check_eq "setup: the CAs" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish

# issue NAME CA ARGS...: `cfssl sign` of sub.csr by CA.pem; stdout → NAME.out, stderr (no
# timestamps) → NAME.err, the certificate → NAME.pem.issued; $RC
issue()
{
	local name=$1 c=$2
	shift 2
	t cfssl sign -ca "$c.pem" -ca-key "$c-key.pem" -config config.json "$@" sub.csr \
		>"$name.out" 2>"$name.raw"
	RC=$?
	strip_ts <"$name.raw" >"$name.err"
	rm -f "$name.pem.issued"
	[ "$RC" -eq 0 ] && python3 -c 'import json, sys; sys.stdout.write(json.load(sys.stdin)["cert"])' \
		<"$name.out" >"$name.pem.issued"
}

# iso CERT startdate|enddate: the date as YYYY-MM-DDTHH:MM:SSZ
iso()
{
	openssl x509 -in "$1" -noout "-$2" | sed 's/^[^=]*=//' | python3 -c '
import datetime, sys
print(datetime.datetime.strptime(" ".join(sys.stdin.read().split()), "%b %d %H:%M:%S %Y GMT").strftime("%Y-%m-%dT%H:%M:%SZ"))'
}

# signed DESC NAME CA: signed (exit 0), issued by CA.pem (issuer and AKI), the request's key
signed()
{
	local c=$2.pem.issued
	check_eq "$1: exit status 0" 0 "$RC"
	check_eq "$1: issuer is the CA's subject" \
		"$(openssl x509 -in "$3.pem" -noout -subject | sed 's/^subject=//')" \
		"$(openssl x509 -in "$c" -noout -issuer | sed 's/^issuer=//')"
	local ski
	ski=$(openssl x509 -in "$3.pem" -noout -ext subjectKeyIdentifier 2>/dev/null | sed -n 2p | tr -d ' ')
	if [ -n "$ski" ]; then
		check_contains "$1: the AKI is the CA's SKI" \
			"$(openssl x509 -in "$c" -noout -ext authorityKeyIdentifier | tr -d ' ')" "$ski"
	fi
	check_eq "$1: the request's key" "$(openssl req -in sub.csr -noout -pubkey)" \
		"$(openssl x509 -in "$c" -noout -pubkey)"
	check_contains "$1: logged as signed" "$(cat "$2.err")" "[INFO] signed certificate with serial number"
}

warnings()
{
	grep '^\[WARNING\]' "$1.err"
}

W=": certificates it signs will not verify"

issue leaf leaf
signed "a CA:FALSE leaf as issuer" leaf leaf
check_eq "a CA:FALSE leaf: its two problems, one line each" \
	"[WARNING] the CA certificate leaf.pem says CA:FALSE (basicConstraints)$W
[WARNING] the CA certificate leaf.pem has a keyUsage without certificate signing (keyCertSign)$W" \
	"$(warnings leaf)"

issue nobc nobc
signed "a v3 issuer without basicConstraints" nobc nobc
check_eq "a v3 issuer without basicConstraints: warned" \
	"[WARNING] the CA certificate nobc.pem has no basicConstraints, so it is no CA$W" \
	"$(warnings nobc)"

issue ku ku
signed "keyUsage without keyCertSign" ku ku
check_eq "keyUsage without keyCertSign: warned" \
	"[WARNING] the CA certificate ku.pem has a keyUsage without certificate signing (keyCertSign)$W" \
	"$(warnings ku)"

issue old old
signed "an expired CA" old old
check_eq "an expired CA: expired, and the certificate outlives it" \
	"[WARNING] the CA certificate old.pem expired at $(iso old.pem enddate)$W
[WARNING] the certificate's notAfter $(iso old.pem.issued enddate) is after the notAfter $(iso old.pem enddate) of the CA certificate old.pem: it will not verify after $(iso old.pem enddate)" \
	"$(warnings old)"

issue future future
signed "a CA valid from 2030" future future
check_eq "a CA valid from 2030: warned" \
	"[WARNING] the CA certificate future.pem is not valid before 2030-01-01T00:00:00Z: certificates it signs will not verify until then" \
	"$(warnings future)"

issue p0 p0 -profile ca
signed "a CA profile under a CA of path length 0" p0 p0
check_eq "path length 0: the CA certificate it signs is warned about" \
	"[WARNING] the CA certificate p0.pem has path length 0: the CA certificate it signs now will not verify as the issuer of anything" \
	"$(warnings p0)"
check_contains "path length 0: the new certificate is a CA, as cfssl makes it" \
	"$(openssl x509 -in p0.pem.issued -noout -ext basicConstraints)" "CA:TRUE"
issue p0leaf p0
check_eq "path length 0, a leaf profile: no warning" "" "$(warnings p0leaf)"

issue short short -profile long
signed "a certificate that outlives its CA" short short
check_eq "a certificate that outlives its CA: warned" \
	"[WARNING] the certificate's notAfter $(iso short.pem.issued enddate) is after the notAfter $(iso short.pem enddate) of the CA certificate short.pem: it will not verify after $(iso short.pem enddate)" \
	"$(warnings short)"
issue shortok short
check_eq "a certificate that ends before its CA: no warning" "" "$(warnings shortok)"

# negative: a sound CA gives no warning; gencert -ca takes the same path
issue root root
signed "a sound CA" root root
check_eq "a sound CA: no warning" "" "$(warnings root)"
t cfssl gencert -ca leaf.pem -ca-key leaf-key.pem leaf.json >gencert.out 2>gencert.raw
check_eq "gencert -ca with a CA:FALSE leaf: exit status 0" 0 "$?"
check_contains "gencert -ca with a CA:FALSE leaf: warned" "$(cat gencert.raw)" \
	"[WARNING] the CA certificate leaf.pem says CA:FALSE (basicConstraints)$W"
check_contains "gencert -ca with a CA:FALSE leaf: a certificate" "$(cat gencert.out)" '"cert":"-----BEGIN CERTIFICATE-----'

# the key must still match the certificate
issue mismatch root -ca-key leaf-key.pem
check_eq "a key of another certificate: refused" 1 "$RC"
check_eq "a key of another certificate: cfssl's error" \
	'{"code":1000,"message":"x509: provided PrivateKey doesn'"'"'t match parent'"'"'s PublicKey"}' \
	"$(tail -n1 mismatch.err)"
check_eq "a key of another certificate: nothing on stdout" 0 "$(wc -c <mismatch.out)"

finish
