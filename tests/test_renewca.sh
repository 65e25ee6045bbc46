#!/bin/bash
# gencert -renewca (spec §6.8) and -initca -ca-key (§6.7): what the new CA
# certificate keeps from the old one, the log records and the errors.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl

cd "$WORK" || exit 1
cat >ca-csr.json <<'JSON'
{"CN":"Renew CA","key":{"algo":"ecdsa","size":256},
 "names":[{"C":"LV","ST":"Riga","L":"Riga","O":"Kubernetes","OU":"CA"},{"O":"Second"}],
 "serialnumber":"42","hosts":["10.1.1.1","ca.example"],
 "ca":{"expiry":"2h","pathlen":2}}
JSON
(set -o pipefail; t cfssl gencert -initca ca-csr.json 2>/dev/null | t cfssljson -bare ca)
check "setup: a CA" test -s ca.pem
sleep 1

t cfssl gencert -renewca -ca ca.pem -ca-key ca-key.pem >renew.json 2>renew.err
check_eq "renewca exit status" 0 "$?"
check "renewca output has only cert" \
	grep -qE '^\{"cert":"-----BEGIN CERTIFICATE-----\\n[^"]*-----END CERTIFICATE-----\\n"\}$' renew.json
check_eq "renewca log records" \
	"[INFO] re-generate a CA certificate from CA cert and key
[INFO] encoded CSR
[INFO] signed certificate with serial number N" \
	"$(strip_ts <renew.err | sed -E 's/number [0-9]+$/number N/')"
t cfssljson -bare renewed <renew.json
subj() { openssl x509 -in "$1" -noout -subject -nameopt RFC2253; }
check_eq "subject kept" "$(subj ca.pem)" "$(subj renewed.pem)"
check_eq "issuer is the subject" "$(openssl x509 -in renewed.pem -noout -subject | sed 's/subject=//')" \
	"$(openssl x509 -in renewed.pem -noout -issuer | sed 's/issuer=//')"
check_contains "pathlen kept" "$(openssl x509 -in renewed.pem -noout -ext basicConstraints)" \
	"CA:TRUE, pathlen:2"
san=$(openssl x509 -in renewed.pem -noout -ext subjectAltName | tail -n1 | tr -d ' ')
check_eq "only the IP SAN kept" "IPAddress:10.1.1.1" "$san"
pub() { openssl x509 -in "$1" -noout -pubkey; }
check_eq "same key" "$(pub ca.pem)" "$(pub renewed.pem)"
check_fails "new serial" test "$(openssl x509 -in ca.pem -noout -serial)" = \
	"$(openssl x509 -in renewed.pem -noout -serial)"
life() {
	local nb na
	nb=$(date -u -d "$(openssl x509 -in "$1" -noout -startdate | cut -d= -f2)" +%s)
	na=$(date -u -d "$(openssl x509 -in "$1" -noout -enddate | cut -d= -f2)" +%s)
	echo $((na - nb))
}
check_eq "lifetime kept (2h)" 7200 "$(life renewed.pem)"
check "renewed CA verifies itself" openssl verify -CAfile renewed.pem renewed.pem

# -initca -ca-key: same key, CSR re-made, no key in the output
t cfssl gencert -initca -ca-key ca-key.pem ca-csr.json >reissue.json 2>reissue.err
check_eq "-initca -ca-key exit status" 0 "$?"
check "-initca -ca-key prints cert and csr only" \
	grep -qE '^\{"cert":"[^"]*","csr":"[^"]*"\}$' reissue.json
check_eq "-initca -ca-key log records" \
	"[INFO] re-generate a CA certificate from CSR and CA key
[INFO] encoded CSR
[INFO] signed certificate with serial number N" \
	"$(strip_ts <reissue.err | sed -E 's/number [0-9]+$/number N/')"
t cfssljson -bare reissued <reissue.json
check_eq "-initca -ca-key keeps the key" "$(pub ca.pem)" "$(pub reissued.pem)"

# errors (§6.8)
printf '{"CN":"leaf","key":{"algo":"ecdsa","size":256}}\n' >leaf.json
(set -o pipefail; t cfssl gencert -ca ca.pem -ca-key ca-key.pem leaf.json 2>/dev/null |
	t cfssljson -bare leaf)
renew_err() {
	local want=$1
	shift
	t cfssl gencert -renewca "$@" >out.json 2>err.txt
	check_eq "renewca $*: exit status" 1 "$?"
	check_eq "renewca $*: stderr" "[INFO] re-generate a CA certificate from CA cert and key
[ERROR] $want
$want" "$(strip_ts <err.txt)"
	check_eq "renewca $*: nothing on stdout" 0 "$(wc -c <out.json)"
}
renew_err "input certificate is not a CA cert" -ca leaf.pem -ca-key leaf-key.pem
renew_err '{"code":2300,"message":"Private key does not match public key"}' \
	-ca ca.pem -ca-key leaf-key.pem
renew_err "open : no such file or directory"
finish
