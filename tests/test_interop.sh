#!/bin/bash
# End-to-end test: interoperability with Debian's cfssl 1.2 (/usr/bin/cfssl, /usr/bin/cfssljson).
# Output of one implementation's gencert is fed to the other's cfssljson, and each signs with a CA
# made by the other.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

DEB_CFSSL=${DEB_CFSSL:-/usr/bin/cfssl}
DEB_CFSSLJSON=${DEB_CFSSLJSON:-/usr/bin/cfssljson}
if [ ! -x "$DEB_CFSSL" ] || [ ! -x "$DEB_CFSSLJSON" ]; then
	skip_all "Debian's cfssl 1.2 ($DEB_CFSSL, $DEB_CFSSLJSON) is not installed"
fi
require_programs openssl certtool cmp

LOG=$WORK/cfssl.log
cd "$WORK" || exit 1

csr_json()
{
	# csr_json CN ALGO SIZE
	printf '{"CN":"%s","key":{"algo":"%s","size":%s},"names":[{"C":"LV","L":"Riga","O":"Interop","OU":"Containerum"}]}\n' \
		"$1" "$2" "$3"
}

# json_to DIR CFSSLJSON BASE < JSON: run a cfssljson on saved gencert output inside DIR.
json_to()
{
	mkdir -p "$1" && (cd "$1" && t "$2" -bare "$3")
}

# same_files DESC DIR1 DIR2 BASE: both dirs hold the same BASE files with the same modes.
same_files()
{
	local desc=$1 a=$2 b=$3 base=$4 f
	check_eq "$desc: same file names" "$(cd "$a" && ls -1)" "$(cd "$b" && ls -1)"
	for f in "$base.pem" "$base-key.pem" "$base.csr"; do
		check "$desc: $f identical" cmp "$a/$f" "$b/$f"
		check_eq "$desc: $f mode" "$(stat -c %a "$a/$f")" "$(stat -c %a "$b/$f")"
	done
}

# key_matches DESC CERT KEY: the certificate's public key is the key's.
key_matches()
{
	check_eq "$1" "$(openssl pkey -in "$3" -pubout 2>&1)" "$(openssl x509 -in "$2" -noout -pubkey 2>&1)"
}

verifies()
{
	check "$1: openssl verify" openssl verify -CAfile "$2" "$3"
	check "$1: certtool --verify" certtool --verify --load-ca-certificate "$2" --infile "$3"
}

ski() { openssl x509 -in "$1" -noout -ext subjectKeyIdentifier | sed -n '2p' | sed 's/^ *//'; }
aki() { openssl x509 -in "$1" -noout -ext authorityKeyIdentifier | sed -n '2p' | sed 's/^ *//; s/^keyid://'; }

csr_json "Our CA" rsa 2048 >our-ca-csr.json
csr_json "Debian CA" ecdsa 256 >deb-ca-csr.json
csr_json "leaf" ecdsa 256 >leaf-csr.json
csr_json "rsa leaf" rsa 2048 >rsa-leaf-csr.json

# ---- our gencert output, written by Debian's cfssljson and by ours
check "our gencert -initca (RSA)" bash -c "cfssl gencert -initca our-ca-csr.json >our-ca.json 2>>'$LOG'"
json_to deb-written "$DEB_CFSSLJSON" ca <our-ca.json
check_eq "Debian cfssljson accepts our gencert output" 0 $?
json_to our-written cfssljson ca <our-ca.json
check_eq "our cfssljson accepts our gencert output" 0 $?
same_files "our gencert output" deb-written our-written ca
verifies "our CA written by Debian cfssljson" deb-written/ca.pem deb-written/ca.pem
key_matches "our CA key matches its certificate (Debian cfssljson)" deb-written/ca.pem \
	deb-written/ca-key.pem
check "our CA key (Debian cfssljson): openssl rsa -check" \
	openssl rsa -in deb-written/ca-key.pem -noout -check
check_eq "our CA's CSR key matches" "$(openssl pkey -in deb-written/ca-key.pem -pubout 2>&1)" \
	"$(openssl req -in deb-written/ca.csr -noout -pubkey 2>&1)"

check "our gencert leaf" bash -c "cfssl gencert -ca our-written/ca.pem -ca-key our-written/ca-key.pem \
	-hostname=127.0.0.1,leaf.example leaf-csr.json >our-leaf.json 2>>'$LOG'"
json_to deb-leaf "$DEB_CFSSLJSON" leaf <our-leaf.json
check_eq "Debian cfssljson accepts our leaf output" 0 $?
json_to our-leaf cfssljson leaf <our-leaf.json
same_files "our leaf output" deb-leaf our-leaf leaf
verifies "our leaf written by Debian cfssljson" our-written/ca.pem deb-leaf/leaf.pem
key_matches "our leaf key matches its certificate (Debian cfssljson)" deb-leaf/leaf.pem \
	deb-leaf/leaf-key.pem

# ---- Debian's gencert output, written by our cfssljson and by Debian's
check "Debian gencert -initca (ECDSA)" \
	bash -c "'$DEB_CFSSL' gencert -initca deb-ca-csr.json >deb-ca.json 2>>'$LOG'"
json_to deb-ca-deb "$DEB_CFSSLJSON" ca <deb-ca.json
json_to deb-ca-our cfssljson ca <deb-ca.json
check_eq "our cfssljson accepts Debian's gencert output" 0 $?
same_files "Debian gencert output" deb-ca-deb deb-ca-our ca
check_file_mode "our cfssljson: ca.pem mode" 644 deb-ca-our/ca.pem
check_file_mode "our cfssljson: ca-key.pem mode" 600 deb-ca-our/ca-key.pem
check_file_mode "our cfssljson: ca.csr mode" 644 deb-ca-our/ca.csr
verifies "Debian CA written by our cfssljson" deb-ca-our/ca.pem deb-ca-our/ca.pem
key_matches "Debian CA key matches its certificate (our cfssljson)" deb-ca-our/ca.pem \
	deb-ca-our/ca-key.pem

# ---- our gencert signing with Debian's CA
check "our gencert -ca with Debian's CA (RSA leaf)" bash -c "set -o pipefail; mkdir -p s1 && cd s1 && \
	cfssl gencert -ca ../deb-ca-our/ca.pem -ca-key ../deb-ca-our/ca-key.pem \
	-hostname=127.0.0.1,rsa.example ../rsa-leaf-csr.json 2>>'$LOG' | cfssljson -bare leaf"
verifies "our leaf signed with Debian's CA" deb-ca-our/ca.pem s1/leaf.pem
key_matches "our leaf (Debian CA) key matches its certificate" s1/leaf.pem s1/leaf-key.pem
check_eq "our leaf (Debian CA): AKI = Debian CA's SKI" "$(ski deb-ca-our/ca.pem)" "$(aki s1/leaf.pem)"
check_eq "our leaf (Debian CA): issuer = Debian CA's subject" \
	"$(openssl x509 -in deb-ca-our/ca.pem -noout -subject | sed 's/^subject=//')" \
	"$(openssl x509 -in s1/leaf.pem -noout -issuer | sed 's/^issuer=//')"
check_eq "our leaf (Debian CA): ECDSA CA key means ecdsa-with-SHA256" "ecdsa-with-SHA256" \
	"$(openssl x509 -in s1/leaf.pem -noout -text | sed -n 's/^ *Signature Algorithm: //p' | sort -u)"

# ---- Debian's gencert signing with our CA (reads our RSA key)
check "Debian gencert -ca with our CA" bash -c "set -o pipefail; mkdir -p s2 && cd s2 && \
	'$DEB_CFSSL' gencert -ca ../our-written/ca.pem -ca-key ../our-written/ca-key.pem \
	-hostname=127.0.0.1 ../leaf-csr.json 2>>'$LOG' | '$DEB_CFSSLJSON' -bare leaf"
verifies "Debian leaf signed with our CA" our-written/ca.pem s2/leaf.pem
check_eq "Debian leaf (our CA): AKI = our CA's SKI" "$(ski our-written/ca.pem)" "$(aki s2/leaf.pem)"
check "Debian cfssl certinfo reads our certificate" \
	bash -c "'$DEB_CFSSL' certinfo -cert our-leaf/leaf.pem 2>>'$LOG' | grep -q '\"common_name\": \"leaf\"'"

finish
