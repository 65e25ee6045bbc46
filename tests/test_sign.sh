#!/bin/bash
# End-to-end test: `cfssl sign` (cfssl-compat.md §12.1, §8.4, §8.6; deviations 1, 2, 3).
# CSRs made by openssl, GnuTLS certtool, cfssl-c and Debian's cfssl 1.2 are signed; the results
# are checked with openssl and certtool (parsed fields), and every argument error is checked for
# its exit status, its exact message and an empty stdout.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl certtool python3

DEB_CFSSL=${DEB_CFSSL:-/usr/bin/cfssl}

cd "$WORK" || exit 1

# run ARGS...: cfssl ARGS, stdout → out, stderr → err (timestamps stripped in err.txt), $RC
run()
{
	t cfssl "$@" >out 2>err
	RC=$?
	strip_ts <err >err.txt
}

# json_field FILE KEY: the string member KEY of the JSON object in FILE
json_field()
{
	python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# subject_compat CERT: the subject as openssl's /A=b/C=d form
subject_compat()
{
	openssl x509 -in "$1" -noout -subject -nameopt compat | sed 's/^subject=//'
}

san()
{
	openssl x509 -in "$1" -noout -ext subjectAltName 2>/dev/null | sed -n '2p' | sed 's/^ *//'
}

# neg DESC WANT_RC WANT_LAST_LINE ARGS...: a failing run, nothing on stdout
neg()
{
	local desc=$1 want_rc=$2 want_last=$3
	shift 3
	run "$@"
	check_eq "$desc: exit status" "$want_rc" "$RC"
	check_eq "$desc: last line of stderr" "$want_last" "$(tail -n1 err.txt)"
	check_eq "$desc: nothing on stdout" 0 "$(wc -c <out)"
	check_not_contains "$desc: nothing was signed" "$(cat err.txt)" "signed certificate"
}

# ---- setup: CAs made by cfssl-c
ecdsa='"key":{"algo":"ecdsa","size":256}'
printf '{"CN":"Sign Test CA",%s,"names":[{"C":"US","O":"Sign Test"}]}\n' "$ecdsa" >ca-csr.json
printf '{"CN":"Path 1 CA",%s,"ca":{"pathlen":1}}\n' "$ecdsa" >ca1-csr.json
printf '{"CN":"Path 0 CA",%s,"ca":{"pathlen":0,"pathlenzero":true}}\n' "$ecdsa" >ca0-csr.json
setup_ok=1
for base in ca ca1 ca0; do
	(set -o pipefail; t cfssl gencert -initca "$base-csr.json" 2>/dev/null |
		t cfssljson -bare "$base") || setup_ok=0
done
cat >ca-config.json <<'EOF'
{
  "signing": {
    "default": { "usages": ["signing", "key encipherment", "server auth"], "expiry": "24h" },
    "profiles": {
      "intermediate": {
        "usages": ["cert sign", "crl sign"],
        "expiry": "48h",
        "ca_constraint": { "is_ca": true, "max_path_len": 0, "max_path_len_zero": true }
      },
      "copy": {
        "usages": ["signing", "server auth"],
        "expiry": "24h",
        "copy_extensions": true
      }
    }
  }
}
EOF
CA=(-ca ca.pem -ca-key ca-key.pem)

# CSRs from openssl: the subject of §8.4 with SANs of all four kinds
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout o-key.pem \
	-out o.csr -subj '/CN=test/O=Org/C=US/emailAddress=a@b.c/street=Main St/postalCode=12345/O=Second/title=Boss/CN=second cn' \
	-addext 'subjectAltName=DNS:a.example,IP:10.0.0.1,email:x@y.z,URI:spiffe://x/y,DNS:b.example' \
	2>/dev/null || setup_ok=0
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca-req-key.pem \
	-out ca-req.csr -subj '/CN=Sub CA' -addext 'basicConstraints=critical,CA:TRUE,pathlen:1' \
	2>/dev/null || setup_ok=0
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout inter-key.pem \
	-out inter.csr -subj '/CN=Intermediate/street=Elm St' 2>/dev/null || setup_ok=0
check_eq "setup: CAs by cfssl-c, CSRs by openssl" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish

# ---- an openssl CSR: subject re-encoded as §8.4 says, SANs grouped by type
run sign "${CA[@]}" o.csr
check_eq "openssl CSR: exit status" 0 "$RC"
json_field out cert >o.pem
check_eq "§8.4 subject re-encoding" \
	"/C=US/street=Main St/postalCode=12345/O=Org+O=Second/CN=second cn/emailAddress=a@b.c/title=Boss" \
	"$(subject_compat o.pem)"
check "C is a PrintableString (asn1parse)" \
	bash -c "openssl asn1parse -in o.pem | grep -A1 ':countryName' | grep -q 'PRINTABLESTRING *:US'"
check "emailAddress is a UTF8String (not IA5String)" \
	bash -c "openssl asn1parse -in o.pem | grep -A1 ':emailAddress' | grep -q 'UTF8STRING *:a@b.c'"
check_eq "SANs grouped DNS, e-mail, IP, URI" \
	"DNS:a.example, DNS:b.example, email:x@y.z, IP Address:10.0.0.1, URI:spiffe://x/y" "$(san o.pem)"
check_eq "csr member is the CSR file, byte for byte" "$(cat o.csr; printf x)" \
	"$(json_field out csr; printf x)"
check_eq "stdout: members cert and csr" 'cert csr' \
	"$(python3 -c 'import json; print(*sorted(json.load(open("out"))))')"
check_eq "stdout ends with one LF" 1 "$(wc -l <out)"
check_eq "stdout: cert first, then csr, compact" '{"cert":"-----BEGIN CERTIFICATE-----\n' \
	"$(head -c 38 out)"
check_contains "stdout: the csr member follows the cert" "$(cat out)" '-----END CERTIFICATE-----\n","csr":"-----BEGIN CERTIFICATE REQUEST-----\n'

serial_hex=$(openssl x509 -in o.pem -noout -serial | sed 's/^serial=//')
check_eq "stderr: the serial number log record, in decimal" \
	"[INFO] signed certificate with serial number $(python3 -c "print(int('$serial_hex', 16))")" \
	"$(cat err.txt)"
check "openssl verify" openssl verify -CAfile ca.pem o.pem
check "certtool --verify" certtool --verify --load-ca-certificate ca.pem --infile o.pem
check_eq "issuer is the CA's subject" "$(openssl x509 -in ca.pem -noout -subject | sed 's/^subject=//')" \
	"$(openssl x509 -in o.pem -noout -issuer | sed 's/^issuer=//')"
check_eq "public key from the CSR" "$(openssl req -in o.csr -noout -pubkey)" \
	"$(openssl x509 -in o.pem -noout -pubkey)"
check_contains "leaf: CA:FALSE" "$(openssl x509 -in o.pem -noout -ext basicConstraints)" "CA:FALSE"

# the CSR from stdin, and through cfssljson
(set -o pipefail; t cfssl sign "${CA[@]}" - <o.csr 2>/dev/null | t cfssljson -bare stdin)
check_eq "CSR from stdin (-): cfssljson writes stdin.pem and stdin.csr" "ok ok" \
	"$([ -s stdin.pem ] && echo ok) $(cmp -s stdin.csr o.csr && echo ok)"

# ---- -hostname replaces the SANs; empty items are skipped (deviation 1)
run sign "${CA[@]}" -hostname 'h1.example, 10.9.9.9,,' o.csr
check_eq "-hostname: exit status" 0 "$RC"
json_field out cert >h.pem
check_eq "-hostname replaces the CSR's SANs (trimmed)" "DNS:h1.example, IP Address:10.9.9.9" "$(san h.pem)"
check_contains "-hostname: empty items skipped with a warning" "$(cat err.txt)" "[WARNING] skipped 2 empty host names"

# ---- a GnuTLS CSR
certtool --generate-privkey --key-type ecdsa --outfile g-key.pem >/dev/null 2>&1
cat >g.tmpl <<'EOF'
cn = "gnutls host"
organization = "GnuTLS Org"
country = "DE"
dns_name = "g.example"
ip_address = "192.0.2.7"
EOF
certtool --generate-request --load-privkey g-key.pem --template g.tmpl --outfile g.csr >/dev/null 2>&1
run sign "${CA[@]}" g.csr
check_eq "certtool CSR: exit status" 0 "$RC"
json_field out cert >g.pem
check_eq "certtool CSR: subject" "/C=DE/O=GnuTLS Org/CN=gnutls host" "$(subject_compat g.pem)"
check_eq "certtool CSR: SANs" "DNS:g.example, IP Address:192.0.2.7" "$(san g.pem)"
check "certtool CSR: certtool --verify" certtool --verify --load-ca-certificate ca.pem --infile g.pem

# ---- a CSR made by cfssl-c (RSA key)
printf '{"CN":"rsa leaf","hosts":["r.example"],"key":{"algo":"rsa","size":2048},"names":[{"O":"R"}]}\n' >r.json
(set -o pipefail; t cfssl genkey r.json 2>/dev/null | t cfssljson -bare r) 2>/dev/null ||
	(set -o pipefail; t cfssl gencert "${CA[@]}" r.json 2>/dev/null | t cfssljson -bare r)
run sign "${CA[@]}" r.csr
check_eq "cfssl-c CSR: exit status" 0 "$RC"
json_field out cert >r.pem
check_eq "cfssl-c CSR: subject unchanged" "$(openssl req -in r.csr -noout -subject -nameopt compat | sed 's/^subject=//')" \
	"$(subject_compat r.pem)"
check "cfssl-c CSR: openssl verify" openssl verify -CAfile ca.pem r.pem
check_contains "signed with the CA key's algorithm" "$(openssl x509 -in r.pem -noout -text)" \
	"Signature Algorithm: ecdsa-with-SHA256"

# ---- interop: a CSR from Debian's cfssl 1.2 genkey
if [ -x "$DEB_CFSSL" ]; then
	printf '{"CN":"deb","hosts":["d.example","10.1.2.3"],"key":{"algo":"rsa","size":2048},"names":[{"C":"FR","O":"Deb"}]}\n' >d.json
	t "$DEB_CFSSL" genkey d.json 2>/dev/null | t cfssljson -bare deb
	run sign "${CA[@]}" deb.csr
	check_eq "Debian genkey CSR: exit status" 0 "$RC"
	json_field out cert >deb.pem
	check_eq "Debian genkey CSR: subject" "/C=FR/O=Deb/CN=deb" "$(subject_compat deb.pem)"
	check_eq "Debian genkey CSR: SANs" "DNS:d.example, IP Address:10.1.2.3" "$(san deb.pem)"
	check "Debian genkey CSR: openssl verify" openssl verify -CAfile ca.pem deb.pem
	check "Debian genkey CSR: certtool --verify" certtool --verify --load-ca-certificate ca.pem --infile deb.pem
	# a CSR with an empty dNSName (cfssl 1.2 keeps "" hosts): deviation 1 drops it
	printf '{"CN":"e","hosts":["a.example","","10.0.0.1"],"key":{"algo":"ecdsa","size":256}}\n' >e.json
	t "$DEB_CFSSL" genkey e.json 2>/dev/null | t cfssljson -bare e
	run sign "${CA[@]}" e.csr
	check_eq "CSR with an empty dNSName: exit status" 0 "$RC"
	json_field out cert >e.pem
	check_eq "CSR with an empty dNSName: dropped" "DNS:a.example, IP Address:10.0.0.1" "$(san e.pem)"
	check_contains "CSR with an empty dNSName: the warning" "$(cat err.txt)" "[WARNING] skipped 1 empty host name"
	check "CSR with an empty dNSName: certtool parses the certificate" certtool -i --infile e.pem
else
	echo "note: $DEB_CFSSL not installed, Debian interop skipped"
fi

# ---- SUBJECT (§12.1): set fields replace the CSR's, the rest is kept, nothing else survives
printf '{"CN":"override","names":[{"O":"NewOrg"}],"SerialNumber":"42"}\n' >subject.json
run sign "${CA[@]}" inter.csr subject.json
check_eq "SUBJECT: exit status" 0 "$RC"
json_field out cert >subj.pem
check_eq "SUBJECT override (§12.1 example)" "/O=NewOrg/CN=override/serialNumber=42" "$(subject_compat subj.pem)"
printf '{"names":[{"C":"NZ"}]}\n' >subject2.json
run sign "${CA[@]}" inter.csr subject2.json
json_field out cert >subj2.pem
check_eq "SUBJECT: empty fields come from the CSR" "/C=NZ/CN=Intermediate" "$(subject_compat subj2.pem)"
run sign "${CA[@]}" -csr inter.csr subject.json
check_eq "-csr FILE: the first positional is the SUBJECT" "0 /O=NewOrg/CN=override/serialNumber=42" \
	"$RC $(json_field out cert >csrflag.pem; subject_compat csrflag.pem)"
check_eq "-csr FILE: csr member is that file" "$(cat inter.csr; printf x)" "$(json_field out csr; printf x)"

# ---- CA requests (§8.6)
neg "CA request, leaf profile" 1 '{"code":5300,"message":"Policy violation request"}' \
	sign "${CA[@]}" ca-req.csr
check_eq "CA request, leaf profile: the ERROR record" \
	"[ERROR] local signer policy disallows issuing CA certificate" "$(head -n1 err.txt)"
run sign "${CA[@]}" -config ca-config.json -profile intermediate ca-req.csr
check_eq "CA request, is_ca profile: exit status" 0 "$RC"
json_field out cert >sub.pem
check_contains "CA request, is_ca profile: CA:TRUE with the profile's pathlen" \
	"$(openssl x509 -in sub.pem -noout -ext basicConstraints)" "CA:TRUE, pathlen:0"
check "CA request, is_ca profile: openssl verify" openssl verify -CAfile ca.pem sub.pem
neg "CA request to a pathlen 1 CA" 1 '{"code":5300,"message":"Policy violation request"}' \
	sign -ca ca1.pem -ca-key ca1-key.pem -config ca-config.json -profile intermediate ca-req.csr
check_eq "CA request to a pathlen 1 CA: the ERROR record" \
	"[ERROR] local signer certificate disallows CA MaxPathLen extending" "$(head -n1 err.txt)"
neg "CA request to a pathlen 0 CA" 1 '{"code":5300,"message":"Policy violation request"}' \
	sign -ca ca0.pem -ca-key ca0-key.pem -config ca-config.json -profile intermediate ca-req.csr
check_eq "CA request to a pathlen 0 CA: the ERROR record" \
	"[ERROR] local signer certificate disallows issuing CA certificate" "$(head -n1 err.txt)"

# ---- profiles (deviation 3) and copy_extensions
run sign "${CA[@]}" -config ca-config.json -profile nope o.csr
check_eq "unknown profile: exit status" 0 "$RC"
check_eq "unknown profile: the warning (deviation 3)" \
	'[WARNING] profile "nope" not found, using the default profile' "$(head -n1 err.txt)"
json_field out cert >nope.pem
check_contains "unknown profile: the default's usages" "$(openssl x509 -in nope.pem -noout -ext extendedKeyUsage)" \
	"TLS Web Server Authentication"
run sign "${CA[@]}" -config ca-config.json -profile copy -hostname ignored.example o.csr
json_field out cert >copy.pem
check_eq "copy_extensions: the CSR's SAN is copied, -hostname has no effect (§8.5)" \
	"DNS:a.example, IP Address:10.0.0.1, email:x@y.z, URI:spiffe://x/y, DNS:b.example" "$(san copy.pem)"

# ---- argument errors
neg "no CSR" 1 "not enough arguments are supplied --- please refer to the usage" sign "${CA[@]}"
check_eq "no CSR: stderr is that line" "not enough arguments are supplied --- please refer to the usage" "$(cat err.txt)"
neg "three positionals" 1 "too many arguments are provided, please check with usage" \
	sign "${CA[@]}" o.csr subject.json extra
neg "-csr plus two positionals" 1 "too many arguments are provided, please check with usage" \
	sign "${CA[@]}" -csr o.csr subject.json extra
neg "flag after the CSR is a positional" 1 "too many arguments are provided, please check with usage" \
	sign -ca ca.pem o.csr subject.json -ca-key
neg "missing -ca (deviation 2: exit 1)" 1 "[ERROR] need CA certificate (provide one with -ca)" \
	sign -ca-key ca-key.pem o.csr
check_eq "missing -ca: stderr is one record" 1 "$(wc -l <err.txt)"
neg "missing -ca-key (deviation 2: exit 1)" 1 "[ERROR] need CA key (provide one with -ca-key)" \
	sign -ca ca.pem o.csr
neg "missing -ca with -config" 1 "open : no such file or directory" \
	sign -config ca-config.json -ca-key ca-key.pem o.csr
neg "CSR file missing" 1 "open nonexist.csr: no such file or directory" sign "${CA[@]}" nonexist.csr
neg "SUBJECT file missing" 1 "open nosubject.json: no such file or directory" \
	sign "${CA[@]}" o.csr nosubject.json
neg "SUBJECT - is a file name, not stdin" 1 "open -: no such file or directory" \
	sign "${CA[@]}" o.csr -
printf '{"CN":5}\n' >badsubject.json
neg "SUBJECT of the wrong type" 1 \
	"json: cannot unmarshal number into Go struct field Subject.CN of type string" \
	sign "${CA[@]}" o.csr badsubject.json
printf '{"CN":"x"' >truncsubject.json
neg "SUBJECT truncated" 1 "unexpected end of JSON input" sign "${CA[@]}" o.csr truncsubject.json
neg "CA key file missing" 1 '{"code":1001,"message":"open missing.pem: no such file or directory"}' \
	sign -ca ca.pem -ca-key missing.pem o.csr
neg "CA cert file missing" 1 "open missing.pem: no such file or directory" \
	sign -ca missing.pem -ca-key ca-key.pem o.csr
printf 'no PEM here\n' >nopem.csr
neg "no PEM block" 1 '{"code":9002,"message":"CSR Decode failed"}' sign "${CA[@]}" nopem.csr
neg "a certificate instead of a CSR" 1 '{"code":9300,"message":"not a csr"}' sign "${CA[@]}" ca.pem
printf -- '-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n' >garbage.csr
neg "CSR DER unparsable" 1 '{"code":9003,"message":"CSR Parsing failed"}' sign "${CA[@]}" garbage.csr
python3 - o.csr bad-sig.csr <<'EOF'
import base64, sys
lines = open(sys.argv[1]).read().split('\n')
der = bytearray(base64.b64decode(''.join(l for l in lines if l and not l.startswith('-----'))))
der[-1] ^= 1
b64 = base64.b64encode(bytes(der)).decode()
with open(sys.argv[2], 'w') as f:
    f.write('-----BEGIN CERTIFICATE REQUEST-----\n')
    f.write(''.join(b64[i:i + 64] + '\n' for i in range(0, len(b64), 64)))
    f.write('-----END CERTIFICATE REQUEST-----\n')
EOF
neg "self-signature does not verify" 1 '{"code":9300,"message":"x509: ECDSA verification failure"}' \
	sign "${CA[@]}" bad-sig.csr

# issue 11 item 6: Go's asn1 texts for a request broken at its outer element, as cfssl master
# prints them (cfssl-c said "CSR Parsing failed"); DER written as base64 in a PEM block
csr_b64()
{
	python3 - "$1" "$2" "$3" <<'EOF'
import base64, sys
src, how, out = sys.argv[1:]
if src == '-':
    der = b''
else:
    lines = open(src).read().split('\n')
    der = base64.b64decode(''.join(l for l in lines if l and not l.startswith('-----')))
cuts = {'half': der[:len(der) // 2], 'one': der[:1], 'trail': der + b'\0', 'whole': der}
der = cuts[how] if how in cuts else bytes.fromhex(how)
with open(out, 'w') as f:
    f.write('-----BEGIN CERTIFICATE REQUEST-----\n')
    f.write(base64.encodebytes(der).decode())
    f.write('-----END CERTIFICATE REQUEST-----\n')
EOF
}
asn1_case()
{
	csr_b64 "$2" "$3" asn1.csr
	neg "$1" 1 "{\"code\":9003,\"message\":\"$4\"}" sign "${CA[@]}" asn1.csr
}
asn1_case "truncated request" o.csr half "asn1: syntax error: data truncated"
asn1_case "request cut after one byte" o.csr one "asn1: syntax error: truncated tag or length"
asn1_case "request followed by a zero byte" o.csr trail "asn1: syntax error: trailing data"
asn1_case "empty PEM block" - whole "asn1: syntax error: sequence truncated"
asn1_case "empty SEQUENCE" - 3000 "asn1: syntax error: sequence truncated"
asn1_case "indefinite length" - 3080 "asn1: syntax error: indefinite length found (not DER)"
asn1_case "non-minimal length" - 308105 "asn1: structure error: non-minimal length"
asn1_case "leading zero in the length" - 30820005 "asn1: structure error: superfluous leading zeros in length"
asn1_case "length too large" - 308480000000 "asn1: structure error: length too large"
asn1_case "non-minimal tag" - 1f0100 "asn1: syntax error: non-minimal tag"
asn1_case "truncated tag number" - 3f81 "asn1: syntax error: truncated base 128 integer"
asn1_case "an INTEGER, not a SEQUENCE" - 020100 \
	'asn1: structure error: tags don'"'"'t match (16 vs {class:0 tag:2 length:1 isCompound:false}) {optional:false explicit:false application:false private:false defaultValue:\u003cnil\u003e tag:\u003cnil\u003e stringType:0 timeType:0 set:false omitEmpty:false} certificateRequest @2'
# Go refuses an MD5 signature before it checks it
openssl genrsa -out md5-key.pem 1024 2>/dev/null
t openssl req -new -key md5-key.pem -md5 -subj /CN=md5 -out md5.csr 2>/dev/null
check_eq "setup: an MD5-RSA request" "md5WithRSAEncryption" \
	"$(openssl req -in md5.csr -noout -text | sed -n 's/^ *Signature Algorithm: //p' | head -n1)"
neg "MD5-RSA request" 1 \
	'{"code":9300,"message":"x509: cannot verify signature: insecure algorithm MD5-RSA"}' \
	sign "${CA[@]}" md5.csr
# issue 11 item 13: Go's x509 refuses a request that asks for any extension twice
# (cfssl-c used to sign the last SAN and copy both); openssl writes the second SAN raw
printf '%s\n' '[req]' 'distinguished_name=dn' 'req_extensions=ext' 'prompt=no' '[dn]' 'CN=dup' \
	'[ext]' 'subjectAltName=DNS:a.example' '2.5.29.17=DER:300b82096576696c2e74657374' >dup.cnf
t openssl req -new -key o-key.pem -config dup.cnf -out dup.csr 2>/dev/null
check_eq "setup: a request with two SAN extensions" 2 \
	"$(openssl req -in dup.csr -noout -text | grep -c 'Subject Alternative Name')"
neg "two SAN extensions" 1 \
	'{"code":9003,"message":"x509: certificate request contains duplicate requested extensions"}' \
	sign "${CA[@]}" dup.csr
neg "two SAN extensions, copy_extensions" 1 \
	'{"code":9003,"message":"x509: certificate request contains duplicate requested extensions"}' \
	sign "${CA[@]}" -config ca-config.json -profile copy dup.csr
neg "-remote with an address Go cannot parse" 1 '{"code":5300,"message":"failed to connect to remote"}' \
	sign -remote 127.0.0.1:1 o.csr

finish
