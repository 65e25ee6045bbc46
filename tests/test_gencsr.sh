#!/bin/bash
# End-to-end test: `cfssl gencsr` (cfssl-compat.md §12.3, §5, §8.7; deviation 1). The CSRs are
# checked with openssl (signature, subject, SANs, key, extensions), signed by Debian's cfssl 1.2,
# and every argument error is checked for its exit status, its exact message and an empty stdout.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl python3

DEB_CFSSL=${DEB_CFSSL:-/usr/bin/cfssl}

cd "$WORK" || exit 1

run()
{
	t cfssl "$@" >out 2>err
	RC=$?
	strip_ts <err >err.txt
}

json_field()
{
	python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

req_subject()
{
	openssl req -in "$1" -noout -subject -nameopt compat | sed 's/^subject=//'
}

req_text()
{
	openssl req -in "$1" -noout -text
}

req_san()
{
	req_text "$1" | grep -A1 'Subject Alternative Name' | sed -n 2p | sed 's/^ *//'
}

neg()
{
	local desc=$1 want_rc=$2 want_last=$3
	shift 3
	run "$@"
	check_eq "$desc: exit status" "$want_rc" "$RC"
	check_eq "$desc: last line of stderr" "$want_last" "$(tail -n1 err.txt)"
	check_eq "$desc: nothing on stdout" 0 "$(wc -c <out)"
}

# ---- setup: keys made by openssl (EC P-256 as SEC1, RSA as PKCS#8) and a CA by cfssl-c
setup_ok=1
openssl ecparam -name prime256v1 -genkey -noout -out ec-key.pem 2>/dev/null || setup_ok=0
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa-key.pem 2>/dev/null || setup_ok=0
printf '{"CN":"GenCSR CA","key":{"algo":"ecdsa","size":256},"names":[{"C":"US","O":"CA"}],"ca":{"pathlen":2}}\n' >ca-csr.json
(set -o pipefail; t cfssl gencert -initca ca-csr.json 2>/dev/null | t cfssljson -bare ca) || setup_ok=0
check_eq "setup: keys by openssl, a CA by cfssl-c" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish

cat >req.json <<'EOF'
{"CN":"gencsr.example","hosts":["gencsr.example","10.0.0.5","ops@example.com","spiffe://t/x"],
 "key":{"algo":"rsa","size":4096},
 "names":[{"C":"DE","ST":"Berlin","L":"Berlin","O":"Example","OU":"Ops"},{"O":"Second Org"}],
 "serialnumber":"1234"}
EOF

# ---- from a CSR JSON document
run gencsr -key ec-key.pem req.json
check_eq "CSRJSON: exit status" 0 "$RC"
check_eq "CSRJSON: stderr is the one record" "[INFO] encoded CSR" "$(cat err.txt)"
check_eq "CSRJSON: members csr and key" "csr key" \
	"$(python3 -c 'import json; print(*json.load(open("out")))')"
check_eq "stdout is one line" 1 "$(wc -l <out)"
json_field out csr >a.csr
check_eq "key member is the key file verbatim" "$(cat ec-key.pem; printf x)" "$(json_field out key; printf x)"
check "CSR self-signature verifies (openssl)" openssl req -in a.csr -noout -verify
check_eq "CSR subject (§5.3 order, multi-valued O)" \
	"/C=DE/ST=Berlin/L=Berlin/O=Example+O=Second Org/OU=Ops/CN=gencsr.example/serialNumber=1234" \
	"$(req_subject a.csr)"
check_eq "CSR SANs grouped by type" \
	"DNS:gencsr.example, email:ops@example.com, IP Address:10.0.0.5, URI:spiffe://t/x" "$(req_san a.csr)"
check_eq "the JSON key member is ignored: the CSR carries the -key key" \
	"$(openssl ec -in ec-key.pem -pubout 2>/dev/null)" "$(openssl req -in a.csr -noout -pubkey)"
check_contains "EC key: ecdsa-with-SHA256" "$(req_text a.csr)" "Signature Algorithm: ecdsa-with-SHA256"
check_eq "PEM type CERTIFICATE REQUEST" "-----BEGIN CERTIFICATE REQUEST-----" "$(head -n1 a.csr)"
check_not_contains "no basicConstraints without a ca block" "$(req_text a.csr)" "Basic Constraints"

# the JSON from stdin, an RSA key (PKCS#8), the key via env:
run gencsr -key env:GENCSR_KEY - <req.json
check_eq "env: without the variable: exit status" 1 "$RC"
GENCSR_KEY=$(cat rsa-key.pem) t cfssl gencsr -key env:GENCSR_KEY - <req.json >out 2>err
check_eq "env:VAR key, CSRJSON from stdin: exit status" 0 "$?"
json_field out csr >rsa.csr
check "RSA CSR verifies" openssl req -in rsa.csr -noout -verify
check_contains "RSA-2048 key: sha256WithRSAEncryption" "$(req_text rsa.csr)" \
	"Signature Algorithm: sha256WithRSAEncryption"

# ---- -hostname overrides hosts (deviation 1: trimmed, empty items skipped)
run gencsr -key ec-key.pem -hostname 'h.example, 192.0.2.9,,' req.json
check_eq "-hostname: exit status" 0 "$RC"
json_field out csr >h.csr
check_eq "-hostname replaces the JSON hosts" "DNS:h.example, IP Address:192.0.2.9" "$(req_san h.csr)"
check_contains "-hostname: a warning for the empty items" "$(cat err.txt)" "[WARNING] skipped 2 empty host names"

# ---- a ca block in the JSON is honoured (critical basicConstraints in the CSR)
printf '{"CN":"Sub CA","ca":{"pathlen":1}}\n' >ca-req.json
run gencsr -key ec-key.pem ca-req.json
json_field out csr >careq.csr
check_contains "ca block: CA:TRUE, pathlen:1 in the CSR" "$(req_text careq.csr)" "CA:TRUE, pathlen:1"
check_contains "ca block: critical" "$(req_text careq.csr)" "Basic Constraints: critical"

# ---- -cert: the request comes from a certificate
printf '{"CN":"leaf.example","hosts":["leaf.example","10.1.1.1","me@example.com"],"key":{"algo":"ecdsa","size":256},"names":[{"C":"US","O":"One","OU":"U1"},{"C":"CA","O":"Two"}],"serialnumber":"99"}\n' >leaf.json
(set -o pipefail; t cfssl gencert -ca ca.pem -ca-key ca-key.pem leaf.json 2>/dev/null | t cfssljson -bare leaf)
run gencsr -key leaf-key.pem -cert leaf.pem
check_eq "-cert: exit status" 0 "$RC"
json_field out csr >fromcert.csr
check "-cert: CSR verifies" openssl req -in fromcert.csr -noout -verify
check_eq "-cert: the certificate's subject" \
	"$(openssl x509 -in leaf.pem -noout -subject -nameopt compat | sed 's/^subject=//')" \
	"$(req_subject fromcert.csr)"
check_eq "-cert: the certificate's SANs" "DNS:leaf.example, email:me@example.com, IP Address:10.1.1.1" \
	"$(req_san fromcert.csr)"
check_not_contains "-cert of a leaf: no basicConstraints" "$(req_text fromcert.csr)" "Basic Constraints"
run gencsr -key ca-key.pem -cert ca.pem
json_field out csr >fromca.csr
check_contains "-cert of a CA: CA:TRUE with its pathlen" "$(req_text fromca.csr)" "CA:TRUE, pathlen:2"
check_eq "-cert of a CA: subject" "/C=US/O=CA/CN=GenCSR CA" "$(req_subject fromca.csr)"
run gencsr -key leaf-key.pem -cert leaf.pem -hostname other.example
json_field out csr >fromcert-h.csr
check_eq "-cert with -hostname: hosts overridden" "DNS:other.example" "$(req_san fromcert-h.csr)"

# ---- interop: Debian's cfssl 1.2 signs a CSR made by gencsr
if [ -x "$DEB_CFSSL" ]; then
	t "$DEB_CFSSL" sign -ca ca.pem -ca-key ca-key.pem a.csr >deb.json 2>deb.err
	check_eq "Debian cfssl sign: exit status" 0 "$?"
	json_field deb.json cert >deb.pem
	check "Debian-signed certificate verifies" openssl verify -CAfile ca.pem deb.pem
	check_eq "Debian-signed certificate: subject from our CSR" \
		"/C=DE/ST=Berlin/L=Berlin/O=Example+O=Second Org/OU=Ops/CN=gencsr.example/serialNumber=1234" \
		"$(openssl x509 -in deb.pem -noout -subject -nameopt compat | sed 's/^subject=//')"
	check_contains "Debian-signed certificate: SANs from our CSR" \
		"$(openssl x509 -in deb.pem -noout -ext subjectAltName)" "DNS:gencsr.example"
	# and cfssl-c signs it too
	run sign -ca ca.pem -ca-key ca-key.pem a.csr
	check_eq "cfssl-c sign of the gencsr CSR" 0 "$RC"
else
	echo "note: $DEB_CFSSL not installed, Debian interop skipped"
fi

# ---- argument errors
neg "no -key" 1 "private key file is required through '-key', please check with usage" gencsr req.json
check_eq "no -key: stderr is that line" \
	"private key file is required through '-key', please check with usage" "$(cat err.txt)"
neg "-cert with a positional" 1 "no argument is accepted with '-cert', please check with usage" \
	gencsr -key leaf-key.pem -cert leaf.pem req.json
neg "no CSRJSON" 1 "not enough arguments are supplied --- please refer to the usage" \
	gencsr -key ec-key.pem
neg "two CSRJSONs" 1 "only one argument is accepted, please check with usage" \
	gencsr -key ec-key.pem req.json req.json
neg "flag after the CSRJSON is a positional" 1 "only one argument is accepted, please check with usage" \
	gencsr -key ec-key.pem req.json -hostname
neg "key file missing" 1 "open nokey.pem: no such file or directory" gencsr -key nokey.pem req.json
neg "key prefix unknown" 1 "unknown prefix: ./a" gencsr -key ./a:b.pem req.json
printf 'not a key\n' >nokey.txt
neg "key file without PEM" 1 '{"code":2002,"message":"Failed to decode private key"}' \
	gencsr -key nokey.txt req.json
neg "certificate as the key" 1 '{"code":2003,"message":"Failed to parse private key"}' \
	gencsr -key ca.pem req.json
neg "CSRJSON missing" 1 "open nonexist.json: no such file or directory" \
	gencsr -key ec-key.pem nonexist.json
printf '{"CN": 5}\n' >wrongtype.json
neg "CSRJSON of the wrong type" 1 \
	"json: cannot unmarshal number into Go struct field CertificateRequest.CN of type string" \
	gencsr -key ec-key.pem wrongtype.json
neg "-cert file missing" 1 "open nocert.pem: no such file or directory" \
	gencsr -key ec-key.pem -cert nocert.pem
neg "-cert is a key" 1 '{"code":1003,"message":"Failed to parse certificate"}' \
	gencsr -key ec-key.pem -cert ec-key.pem
neg "-cert without PEM" 1 '{"code":1002,"message":"Failed to decode certificate"}' \
	gencsr -key ec-key.pem -cert nokey.txt
printf '{"CN":"x","names":[{"OID":{"1.2.abc":"v"}}]}\n' >badoid.json
# csr.Generate returns the subject's Go error unwrapped (issue 11 item 7, as cfssl master)
neg "invalid OID" 1 'invalid OID part abc' gencsr -key ec-key.pem badoid.json
printf '{"CN":"x","hosts":["a\\u00e9.-bad"]}\n' >badhost.json
run gencsr -key ec-key.pem badhost.json
check_eq "host that cannot be encoded: exit status (no panic)" 1 "$RC"
check_contains "host that cannot be encoded: ERROR record" "$(cat err.txt)" "[ERROR] failed to generate a CSR: "
check_contains "host that cannot be encoded: a CSR error" "$(tail -n1 err.txt)" '{"code":9300,"message":'
check_eq "host that cannot be encoded: nothing on stdout" 0 "$(wc -c <out)"

finish
