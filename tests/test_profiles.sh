#!/bin/bash
# Signing profiles and request options as certificates show them (spec §7, §8.5,
# §8.9) and deviation 4. Fields are read with openssl and certtool, not with
# cfssl-c itself.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl certtool

cd "$WORK" || exit 1
printf '{"CN":"Profiles CA","key":{"algo":"ecdsa","size":256},"names":[{"O":"Test"}]}\n' >ca.json
(set -o pipefail; t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca)
check "setup: CA" test -s ca.pem
cat >config.json <<'JSON'
{"signing":{
  "default":{"expiry":"8760h","usages":["signing","key encipherment","server auth"]},
  "profiles":{
    "urls":{"usages":["server auth"],"expiry":"24h","backdate":"1h",
            "ocsp_url":"http://ocsp.example/","crl_url":"http://crl.example/ca.crl",
            "issuer_urls":["http://ca.example/a.crt","http://ca.example/b.crt"],
            "ocsp_no_check":true},
    "policies":{"usages":["client auth"],"expiry":"1h",
            "policies":[{"ID":"1.2.3.4","Qualifiers":[{"type":"id-qt-cps","value":"http://cps/"},
                                                     {"type":"id-qt-unotice","value":"Notice text"}]},
                        {"id":"2.23.140.1.2.1"}]},
    "all":{"usages":["signing","digital signature","content commitment","key encipherment",
                     "data encipherment","key agreement","cert sign","crl sign","encipher only",
                     "decipher only","any","server auth","client auth","code signing",
                     "email protection","s/mime","ipsec end system","ipsec tunnel","ipsec user",
                     "timestamping","ocsp signing","microsoft sgc","netscape sgc"],"expiry":"1h"},
    "fixed":{"usages":["server auth"],"expiry":"1h",
             "not_before":"2030-06-07T08:09:10+02:00","not_after":"2031-01-02T03:04:05Z"},
    "inter":{"usages":["cert sign","crl sign"],"expiry":"48h",
             "ca_constraint":{"is_ca":true,"max_path_len":0,"max_path_len_zero":true}},
    "white":{"usages":["server auth"],"expiry":"1h","name_whitelist":"\\.example\\.com$"}
  }}}
JSON
printf '{"CN":"leaf.example.com","key":{"algo":"ecdsa","size":256},"hosts":["leaf.example.com","10.0.0.1"]}\n' >leaf.json

issue()
{
	local name=$1 profile=$2
	shift 2
	(set -o pipefail
	 t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config config.json -profile "$profile" \
		"$@" leaf.json 2>"$name.err" | t cfssljson -bare "$name" 2>/dev/null)
}
exts() { openssl x509 -in "$1" -noout -text | sed -n '/X509v3 extensions:/,/Signature Algorithm/p' |
	grep -E '^ +(X509v3 |Authority Information|OCSP No Check)' | grep -v 'X509v3 extensions' |
	sed -E 's/^ +//; s/: ?(critical)?$/ \1/; s/ +$//'; }

# §8.9: the URL profile — extension order, no keyUsage, AIA with OCSP first
check "urls profile signs" issue urls urls
check_eq "urls: extensions and their order" "X509v3 Extended Key Usage
X509v3 Basic Constraints critical
X509v3 Subject Key Identifier
X509v3 Authority Key Identifier
Authority Information Access
X509v3 Subject Alternative Name
X509v3 CRL Distribution Points
OCSP No Check" "$(exts urls.pem)"
aia=$(openssl x509 -in urls.pem -noout -ext authorityInfoAccess | tr -d ' ' | grep -v '^Authority')
check_eq "urls: AIA entries in order" "OCSP-URI:http://ocsp.example/
CAIssuers-URI:http://ca.example/a.crt
CAIssuers-URI:http://ca.example/b.crt" "$aia"
check_contains "urls: CRL DP URI" "$(openssl x509 -in urls.pem -noout -ext crlDistributionPoints)" \
	"URI:http://crl.example/ca.crl"
nb=$(date -u -d "$(openssl x509 -in urls.pem -noout -startdate | cut -d= -f2)" +%s)
na=$(date -u -d "$(openssl x509 -in urls.pem -noout -enddate | cut -d= -f2)" +%s)
check_eq "urls: validity 24h" 86400 $((na - nb))
now=$(date -u +%s)
check "urls: backdated about 1h" test $((now - nb)) -ge 3500 -a $((now - nb)) -le 3700

# §7.6: certificatePolicies bytes
check "policies profile signs" issue pol policies
hex=$(openssl asn1parse -in pol.pem | grep -A1 'X509v3 Certificate Policies' | tail -n1 | sed 's/.*\[HEX DUMP\]://')
check_eq "policies: extension value as cfssl encodes it" \
	"3047303B06032A03043034301706082B06010505070201160B687474703A2F2F6370732F301906082B06010505070202300D0C0B4E6F7469636520746578743008060667810C010201" "$hex"

# §7.4: every usage string
check "all-usages profile signs" issue all all
check_eq "all usages: keyUsage bits" "030307FF80" \
	"$(openssl asn1parse -in all.pem | grep -A2 'X509v3 Key Usage' | grep 'HEX DUMP' | sed 's/.*\[HEX DUMP\]://')"
eku=$(openssl x509 -in all.pem -noout -ext extendedKeyUsage | tail -n1 | tr ',' '\n' | grep -c .)
check_eq "all usages: 13 EKU entries (s/mime and email protection both kept)" 13 "$eku"

# fixed validity, converted to UTC
check "fixed profile signs" issue fixed fixed
check_eq "not_before converted to UTC" "notBefore=Jun  7 06:09:10 2030 GMT" \
	"$(openssl x509 -in fixed.pem -noout -startdate)"
check_eq "not_after" "notAfter=Jan  2 03:04:05 2031 GMT" "$(openssl x509 -in fixed.pem -noout -enddate)"

# intermediate: CA:TRUE pathlen 0, DNS SAN dropped, IP kept, chain verifies
check "inter profile signs" issue inter inter
check_contains "inter: basicConstraints" "$(openssl x509 -in inter.pem -noout -ext basicConstraints)" \
	"CA:TRUE, pathlen:0"
check_eq "inter: only the IP SAN" "IP Address:10.0.0.1" \
	"$(openssl x509 -in inter.pem -noout -ext subjectAltName | tail -n1 | sed 's/^ *//')"
check "inter verifies against the root" openssl verify -CAfile ca.pem inter.pem
check "inter verifies with certtool" certtool --verify --load-ca-certificate ca.pem --infile inter.pem

# name_whitelist
check "whitelist: matching names sign" issue w1 white
issue w2 white -hostname leaf.example.org
check_eq "whitelist: a SAN outside it is refused" '{"code":5500,"message":"Request does not match policy whitelist"}' \
	"$(tail -n1 w2.err)"
check_eq "whitelist: nothing written" "" "$(ls w2* 2>/dev/null | grep -v w2.err)"

# a profile whose usages are all unknown is an invalid configuration
printf '{"signing":{"default":{"expiry":"1h"},"profiles":{"p":{"expiry":"1h","usages":["nonsense"]}}}}' >bad.json
out=$(t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config bad.json leaf.json 2>&1)
check_eq "profile without known usages" 'Failed to load config file: {"code":5200,"message":"invalid configuration"}' "$out"
# the unknown-profile trap of §6.4: a usage-less default
printf '{"signing":{"default":{"expiry":"1h"}}}' >trap.json
t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config trap.json -profile typo leaf.json >trap.out 2>trap.err
check_eq "usage-less default: exit 1" 1 "$?"
check_eq "usage-less default: 5100" '{"code":5100,"message":"Invalid policy: no key usage available"}' "$(tail -n1 trap.err)"
check_contains "usage-less default: the profile warning (deviation 3)" "$(cat trap.err)" \
	'[WARNING] profile "typo" not found, using the default profile'

# §7.3 lint note: any lint_error_level fails signing in the reference build
printf '{"signing":{"default":{"expiry":"1h","usages":["signing"],"lint_error_level":"warn"}}}' >lint1.json
printf '{"signing":{"default":{"expiry":"1h","usages":["signing"]},"profiles":{"l":{"expiry":"1h","usages":["signing"],"lint_error_level":"error"}}}}' >lint2.json
t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config lint1.json leaf.json >/dev/null 2>lint1.err
check_eq "lint level on a lone default: 2500" '{"code":2500,"message":"Private key is unavailable"}' "$(tail -n1 lint1.err)"
t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config lint2.json -profile l leaf.json >/dev/null 2>lint2.err
check_eq "lint level on a profile: 1000" '{"code":1000,"message":"x509: provided PrivateKey doesn'"'"'t match parent'"'"'s PublicKey"}' "$(tail -n1 lint2.err)"

# §5.7: delegation usage always reaches the certificate; with a ca block the CSR loses basicConstraints
printf '{"CN":"Deleg CA","key":{"algo":"ecdsa","size":256},"delegation_enabled":true,"ca":{"pathlen":1}}' >deleg.json
(set -o pipefail; t cfssl gencert -initca deleg.json 2>/dev/null | t cfssljson -bare deleg)
check_contains "delegation: extension in the certificate" "$(openssl asn1parse -in deleg.pem)" ":1.3.6.1.4.1.44363.44"
check_contains "delegation: extension in the CSR" "$(openssl asn1parse -in deleg.csr)" ":1.3.6.1.4.1.44363.44"
check_not_contains "delegation + ca: no basicConstraints in the CSR" "$(openssl req -in deleg.csr -noout -text)" "Basic Constraints"
check_contains "delegation + ca: the certificate is still a CA" "$(openssl x509 -in deleg.pem -noout -ext basicConstraints)" "CA:TRUE, pathlen:1"

# §5.7 extensions: in the CSR always, in the certificate only with copy_extensions
printf '{"CN":"ext","key":{"algo":"ecdsa","size":256},"hosts":["a.example"],"extensions":[{"id":[1,2,3,4],"critical":true,"value":"BQA="}]}' >ext.json
printf '{"signing":{"default":{"expiry":"1h","usages":["signing"],"copy_extensions":true},"profiles":{"nocopy":{"expiry":"1h","usages":["signing"]}}}}' >copy.json
(set -o pipefail; t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config copy.json ext.json 2>/dev/null | t cfssljson -bare ext)
check_contains "extensions: in the CSR, critical" "$(openssl req -in ext.csr -noout -text)" "1.2.3.4: critical"
check_eq "copy_extensions: copied after the standard ones, SAN in the extras position" "X509v3 Key Usage critical
X509v3 Basic Constraints critical
X509v3 Subject Key Identifier
X509v3 Authority Key Identifier
X509v3 Subject Alternative Name" "$(exts ext.pem)"
check_contains "copy_extensions: the user extension" "$(openssl x509 -in ext.pem -noout -text)" "1.2.3.4: critical"
(set -o pipefail; t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config copy.json -profile nocopy ext.json 2>/dev/null | t cfssljson -bare noext)
check_not_contains "without copy_extensions: not copied" "$(openssl x509 -in noext.pem -noout -text)" "1.2.3.4"
printf '{"CN":"ext","extensions":[{"id":[1,2,3],"value":"%%%%"}]}' >badext.json
t cfssl gencert -ca ca.pem -ca-key ca-key.pem badext.json >/dev/null 2>badext.err
check_eq "extensions: bad base64" "illegal base64 data at input byte 0" "$(tail -n1 badext.err)"

# §5.3/§8.4: an OID entry naming a standard type moves it to the extras in the
# CSR; the certificate re-encodes it at its standard position
printf '{"CN":"std","key":{"algo":"ecdsa","size":256},"names":[{"O":"Org","OID":{"1.2.3.4":"extra","2.5.4.3":"fromoid"},"E":"a@b.c"}]}' >oid.json
(set -o pipefail; t cfssl gencert -ca ca.pem -ca-key ca-key.pem oid.json 2>/dev/null | t cfssljson -bare oid)
check_eq "OID override: CSR subject order" "subject=O = Org, 1.2.3.4 = extra, CN = fromoid, emailAddress = a@b.c" \
	"$(openssl req -in oid.csr -noout -subject)"
check_eq "OID override: certificate subject re-normalised" "subject=O = Org, CN = fromoid, 1.2.3.4 = extra, emailAddress = a@b.c" \
	"$(openssl x509 -in oid.pem -noout -subject)"
printf '{"CN":"x","names":[{"OID":{"1.abc":"v"}}]}' >badoid.json
t cfssl gencert -ca ca.pem -ca-key ca-key.pem badoid.json >/dev/null 2>badoid.err
check_eq "bad OID part" '{"code":9300,"message":"invalid OID part abc"}' "$(tail -n1 badoid.err)"
# issue 11 item 7: cfssl's csr.ParseRequest logs the subject error before the
# final line, in every command that generates a key and CSR (stderr as cfssl master)
check_eq "bad OID: gencert -ca logs the CSR error" "[ERROR] failed to generate a CSR: invalid OID part abc
{\"code\":9300,\"message\":\"invalid OID part abc\"}" "$(strip_ts <badoid.err | tail -n2)"
printf '{"CN":"x","key":{"algo":"ecdsa","size":256},"names":[{"C":"US","OID":{"abc":"abc"}}]}' >badoid-ca.json
for cmd in "gencert -initca" "genkey -initca"; do
	t cfssl $cmd badoid-ca.json >badoid-ca.out 2>badoid-ca.err
	check_eq "bad OID: $cmd stderr as cfssl" "[INFO] generate received request
[INFO] received CSR
[INFO] generating key: ecdsa-256
[ERROR] failed to generate a CSR: invalid OID part abc
[ERROR] failed to process request: {\"code\":9300,\"message\":\"invalid OID part abc\"}
{\"code\":9300,\"message\":\"invalid OID part abc\"}" "$(strip_ts <badoid-ca.err | grep -v 'generating a new CA key')"
	check_eq "bad OID: $cmd writes nothing" 0 "$(wc -c <badoid-ca.out)"
done

# CA-managed extensions are never taken from a request, even with copy_extensions
printf '{"CN":"ku","key":{"algo":"ecdsa","size":256},"extensions":[{"id":[2,5,29,15],"critical":true,"value":"AwIBBg=="},{"id":[1,2,3,5],"value":"BQA="}]}' >kuext.json
(set -o pipefail; t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config copy.json kuext.json 2>kuext.err | t cfssljson -bare kuext)
check_contains "a keyUsage from the request is not copied" "$(openssl x509 -in kuext.pem -noout -ext keyUsage)" "Digital Signature"
check_not_contains "the request's cert sign bit does not reach the certificate" "$(openssl x509 -in kuext.pem -noout -ext keyUsage)" "Certificate Sign"
check_contains "other request extensions are still copied" "$(openssl x509 -in kuext.pem -noout -text)" "1.2.3.5"
check_contains "the withheld extension is logged" "$(cat kuext.err)" "extension 2.5.29.15 of the request not copied: the CA sets it"
t cfssl sign -ca ca.pem -ca-key ca-key.pem -config copy.json kuext.csr 2>kusign.err | t cfssljson -bare kusign
check_not_contains "sign: the request's keyUsage is not copied" "$(openssl x509 -in kusign.pem -noout -ext keyUsage)" "Certificate Sign"
check_contains "sign: logged" "$(cat kusign.err)" "1 extension(s) of the request not copied: the CA sets them"

# deviation 4: IDNA
check "IDNA host signs" issue idn urls -hostname 'bücher.example'
check_eq "IDNA: A-label SAN" "DNS:xn--bcher-kva.example" \
	"$(openssl x509 -in idn.pem -noout -ext subjectAltName | tail -n1 | sed 's/^ *//')"
check_contains "IDNA: logged" "$(cat idn.err)" 'converted to its IDNA form "xn--bcher-kva.example"'
issue idn2 urls -hostname 'ü@example.com'
check_eq "non-ASCII e-mail: clear error" 'x509: "ü@example.com" cannot be encoded as an IA5String' "$(tail -n1 idn2.err)"
check_eq "non-ASCII e-mail: nothing written" "" "$(ls idn2* 2>/dev/null | grep -v idn2.err)"
finish
