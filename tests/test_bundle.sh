#!/bin/bash
# End-to-end test: `cfssl bundle` with local files (cfssl-compat.md §12.11, Appendix A.bundle,
# §10.2, §14). A root, an intermediate (ca_constraint profile) and a leaf are made with cfssl
# gencert; bundles are checked with openssl and, where Debian's cfssl 1.2 is installed, against
# its output for the same files (1.2 lacks master's leaf_expires member; hostnames come from a
# Go map there, so their order is random).

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl python3

IN=$WORK/in
mkdir -p "$IN"
cd "$IN" || exit 1

cat >config.json <<'EOF'
{"signing":{"default":{"expiry":"8760h","usages":["signing","key encipherment","server auth"]},
 "profiles":{
  "intermediate":{"expiry":"43800h","usages":["cert sign","crl sign"],
   "ca_constraint":{"is_ca":true,"max_path_len":0,"max_path_len_zero":true}},
  "server":{"expiry":"8760h","usages":["signing","key encipherment","server auth"]}}}}
EOF
ecdsa='"key":{"algo":"ecdsa","size":256}'
printf '{"CN":"Test Root CA",%s,"names":[{"C":"US","ST":"CA","L":"SF","O":"Test","OU":"Root"}]}\n' \
	"$ecdsa" >root.json
printf '{"CN":"Test Intermediate CA",%s,"names":[{"C":"US","ST":"CA","O":"Test"}]}\n' "$ecdsa" \
	>int.json
printf '{"CN":"leaf.example.com","hosts":["leaf.example.com","www.example.com","10.0.0.1"],%s,"names":[{"C":"US","ST":"CA","L":"SF","O":"Test"}]}\n' \
	"$ecdsa" >leaf.json
printf '{"CN":"Other Root",%s}\n' "$ecdsa" >other.json

setup_ok=1
mk()
{
	(set -o pipefail; t cfssl gencert "$@" 2>/dev/null | t cfssljson -bare "${!#%.json}") ||
		setup_ok=0
}
mk -initca root.json
mk -initca other.json
mk -ca root.pem -ca-key root-key.pem -config config.json -profile intermediate int.json
# A DER leaf whose last byte is white space (its random signature's, one in
# about 40) is trimmed by cfssl and by cfssl-c alike: make another one.
for _ in 1 2 3 4 5 6 7 8; do
	mk -ca int.pem -ca-key int-key.pem -config config.json -profile server leaf.json
	openssl x509 -in leaf.pem -outform DER -out leaf.der
	tail=$(tail -c 2 leaf.der | od -An -tx1 | tr -d ' \n')
	case $tail in
	*09 | *0a | *0b | *0c | *0d | *20 | c285 | c2a0) ;;
	*) break ;;
	esac
done
check_eq "setup: root, intermediate and leaf made with cfssl gencert" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish
cat leaf.pem int.pem >chain.pem
cat int.pem leaf.pem >rchain.pem
cat leaf.pem root.pem >broken.pem
: >empty.pem
openssl pkcs12 -export -in leaf.pem -inkey leaf-key.pem -out leaf.p12 -passout pass:secret \
	2>/dev/null

# j FILE PYEXPR: prints PYEXPR evaluated with d = the JSON document (strings as is, rest as JSON).
j()
{
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}

# der_of PEMFILE [N]: hex of the DER of the N-th (from 0) certificate of a PEM file.
der_of()
{
	python3 - "$1" "${2:-0}" <<'EOF'
import base64, re, sys
blocks = re.findall(r'-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----',
                    open(sys.argv[1]).read(), re.S)
i = int(sys.argv[2])
print(base64.b64decode(''.join(blocks[i].split())).hex() if i < len(blocks) else 'none')
EOF
}

# Splits member M (a PEM chain) of JSON file F into files P-0.pem, P-1.pem, ...
split_member()
{
	python3 - "$1" "$2" "$3" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
for i, b in enumerate(re.findall(r'-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----',
                                 d[sys.argv[2]], re.S)):
    open('%s-%d.pem' % (sys.argv[3], i), 'w').write(b + '\n')
EOF
}

rfc3339_enddate()
{
	date -u -d "$(openssl x509 -in "$1" -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ
}

SHA2_MSG='The bundle contains certificates signed with advanced hash functions such as SHA2, which are problematic for certain operating systems, e.g. Windows XP SP2.'
ECDSA_MSG='The bundle contains ECDSA signatures, which are problematic for certain operating systems, e.g. Windows XP, Android 2.2 and Android 2.3.'
META_MSG='Unable to measure bundle ubiquity: No platform metadata present.'

# ---- the ordinary bundle ----
t cfssl bundle -cert leaf.pem -ca-bundle root.pem -int-bundle int.pem >b.json 2>b.err
check_eq "bundle: exit status" 0 $?
check_eq "bundle: log records" "[INFO] bundling certificate for CN=leaf.example.com,O=Test,L=SF,ST=CA,C=US
[WARNING] No metadata, Ubiquitous falls back to Optimal.
[INFO] the anchoring root is CN=Test Root CA,OU=Root,O=Test,L=SF,ST=CA,C=US" "$(strip_ts <b.err)"
check_eq "bundle: no trailing newline" "}" "$(tail -c 1 b.json)"
check_eq "bundle: members in cfssl's order" \
	'["bundle", "crl_support", "crt", "expires", "hostnames", "issuer", "key", "key_size", "key_type", "leaf_expires", "ocsp", "ocsp_support", "root", "signature", "status", "subject"]' \
	"$(j b.json 'list(d)')"
check_eq "bundle: status members in BundleStatus order" \
	'["rebundled", "expiring_SKIs", "untrusted_root_stores", "messages", "code"]' \
	"$(j b.json 'list(d["status"])')"
check_eq "bundle: two certificates" 2 "$(j b.json 'd["bundle"].count("BEGIN CERTIFICATE")')"
split_member b.json bundle chain
check_eq "bundle: leaf first" "$(der_of leaf.pem)" "$(der_of chain-0.pem)"
check_eq "bundle: then the intermediate" "$(der_of int.pem)" "$(der_of chain-1.pem)"
check_eq "bundle: no root in the chain" none "$(der_of chain-0.pem 2)"
check_eq "bundle: bundle member ends without a newline" "-----END CERTIFICATE-----" \
	"$(j b.json 'd["bundle"][-25:]')"
j b.json 'd["crt"]' >b-crt.pem
j b.json 'd["root"]' >b-root.pem
check_eq "bundle: crt is the leaf" "$(der_of leaf.pem)" "$(der_of b-crt.pem)"
check_eq "bundle: root is the root" "$(der_of root.pem)" "$(der_of b-root.pem)"
check "bundle: openssl verifies the leaf with the bundled intermediate" \
	openssl verify -CAfile root.pem -untrusted chain-1.pem chain-0.pem
check_eq "bundle: hostnames (CN and DNS SANs, no IPs)" '["leaf.example.com", "www.example.com"]' \
	"$(j b.json 'sorted(d["hostnames"])')"
check_eq "bundle: key_type" "256-bit ECDSA" "$(j b.json 'd["key_type"]')"
check_eq "bundle: key_size" 256 "$(j b.json 'd["key_size"]')"
check_eq "bundle: signature" ECDSAWithSHA256 "$(j b.json 'd["signature"]')"
check_eq "bundle: issuer" "/Country=US/Province=CA/Organization=Test/CommonName=Test Intermediate CA" \
	"$(j b.json 'd["issuer"]')"
check_eq "bundle: subject" "/Country=US/Province=CA/Locality=SF/Organization=Test/CommonName=leaf.example.com" \
	"$(j b.json 'd["subject"]')"
check_eq "bundle: expires (earliest notAfter: the leaf's)" "$(rfc3339_enddate leaf.pem)" \
	"$(j b.json 'd["expires"]')"
check_eq "bundle: leaf_expires" "$(rfc3339_enddate leaf.pem)" "$(j b.json 'd["leaf_expires"]')"
check_eq "bundle: no key" "" "$(j b.json 'd["key"]')"
check_eq "bundle: ocsp" "null false false" \
	"$(j b.json '" ".join(json.dumps(d[k]) for k in ("ocsp", "ocsp_support", "crl_support"))')"
check_eq "bundle: status" \
	"{\"rebundled\": true, \"expiring_SKIs\": null, \"untrusted_root_stores\": [], \"messages\": [\"$SHA2_MSG\", \"$ECDSA_MSG\", \"$META_MSG\"], \"code\": 2}" \
	"$(j b.json 'd["status"]')"

# ---- with the private key ----
t cfssl bundle -cert leaf.pem -key leaf-key.pem -ca-bundle root.pem -int-bundle int.pem \
	>k.json 2>/dev/null
check_eq "key: exit status" 0 $?
j k.json 'd["key"]' >k-key.pem
check_eq "key: an EC PRIVATE KEY without final newline" "-----BEGIN EC PRIVATE KEY-----|-----END EC PRIVATE KEY-----" \
	"$(j k.json 'd["key"][:30] + "|" + d["key"][-28:]')"
check_eq "key: it is the leaf's key" "$(openssl x509 -in leaf.pem -noout -pubkey)" \
	"$(openssl pkey -in k-key.pem -pubout 2>&1)"

# ---- other inputs ----
t cfssl bundle -cert chain.pem -ca-bundle root.pem -flavor optimal >o.json 2>o.err
check_eq "intermediate given after the leaf: exit status" 0 $?
check_not_contains "optimal: no ubiquitous warning" "$(cat o.err)" WARNING
check_eq "intermediate given after the leaf: chain" "$(der_of chain.pem 0) $(der_of chain.pem 1)" \
	"$(j o.json 'd["bundle"]' >o.pem; echo "$(der_of o.pem 0) $(der_of o.pem 1)")"
check_eq "intermediate given after the leaf: not rebundled" false "$(j o.json 'd["status"]["rebundled"]')"
t cfssl bundle -cert - -ca-bundle root.pem <chain.pem >s.json 2>/dev/null
check_eq "stdin: exit status" 0 $?
check_eq "stdin: same bundle" "$(j o.json 'd["bundle"]')" "$(j s.json 'd["bundle"]')"
t cfssl bundle -cert leaf.der -ca-bundle root.pem -int-bundle int.pem >d.json 2>/dev/null
check_eq "DER leaf: exit status" 0 $?
check_eq "DER leaf: same chain" "$(j b.json 'd["bundle"]')" "$(j d.json 'd["bundle"]')"

# ---- -int-dir: created, and the given intermediate that completed the chain stored there ----
t cfssl bundle -cert chain.pem -ca-bundle root.pem -int-dir stash/sub >st.json 2>st.err
check_eq "-int-dir: exit status" 0 $?
ski=$(openssl x509 -in int.pem -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' :' |
	tr 'A-F' 'a-f')
serial=$(openssl x509 -in int.pem -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^\(00\)*//')
stashed="TestIntermediateCA_${ski}_${serial}.crt"
check_eq "-int-dir: one file named after CN, SKI and serial" "$stashed" "$(ls stash/sub)"
check_eq "-int-dir: it holds the intermediate" "$(der_of int.pem)" "$(der_of "stash/sub/$stashed")"
check_file_mode "-int-dir: mode 0644" 644 "stash/sub/$stashed"
check_eq "-int-dir: log records" "[INFO] intermediate stash directory stash/sub doesn't exist, creating
[INFO] intermediate stash directory stash/sub created
[INFO] bundling certificate for CN=leaf.example.com,O=Test,L=SF,ST=CA,C=US
[INFO] stashed new intermediate $stashed
[WARNING] No metadata, Ubiquitous falls back to Optimal.
[INFO] the anchoring root is CN=Test Root CA,OU=Root,O=Test,L=SF,ST=CA,C=US" \
	"$(strip_ts <st.err)"

# ---- force ----
t cfssl bundle -cert leaf.pem -flavor force >f1.json 2>f1.err
check_eq "force, leaf alone: exit status" 0 $?
check_eq "force, leaf alone: one certificate, no root" "1 ''" \
	"$(j f1.json 'str(d["bundle"].count("BEGIN")) + " " + repr(d["root"])')"
check_eq "force: status" \
	"{\"rebundled\": false, \"expiring_SKIs\": null, \"untrusted_root_stores\": null, \"messages\": [\"$SHA2_MSG\", \"$ECDSA_MSG\"], \"code\": 2}" \
	"$(j f1.json 'd["status"]')"
check_eq "force: log" "[INFO] bundling certificate for CN=leaf.example.com,O=Test,L=SF,ST=CA,C=US" \
	"$(strip_ts <f1.err)"
t cfssl bundle -cert rchain.pem -flavor force >f2.json 2>f2.err
check_eq "force, root end first: exit status" 0 $?
j f2.json 'd["bundle"]' >f2.pem
check_eq "force, root end first: leaf first in the bundle" "$(der_of leaf.pem) $(der_of int.pem)" \
	"$(der_of f2.pem 0) $(der_of f2.pem 1)"
check_contains "force, root end first: logs the first certificate given" "$(strip_ts <f2.err)" \
	"bundling certificate for CN=Test Intermediate CA,O=Test,ST=CA,C=US"

# ---- failures: exit 1, nothing on stdout, the last stderr line exactly ----
# neg DESC WANT_LAST_LINE CFSSL-BUNDLE-ARGS...
neg()
{
	local desc=$1 want=$2 rc
	shift 2
	t cfssl bundle "$@" >neg.out 2>neg.err
	rc=$?
	check_eq "$desc: exit status" 1 "$rc"
	check_eq "$desc: message" "$want" "$(tail -n 1 neg.err | strip_ts)"
	check_eq "$desc: nothing on stdout" "" "$(cat neg.out)"
}
neg "root not in the store" '{"code":1220,"message":"x509: certificate signed by unknown authority"}' \
	-cert leaf.pem -ca-bundle other.pem -int-bundle int.pem
neg "intermediate missing" '{"code":1220,"message":"x509: certificate signed by unknown authority"}' \
	-cert leaf.pem -ca-bundle root.pem
neg "empty root store" '{"code":1220,"message":"x509: certificate signed by unknown authority"}' \
	-cert leaf.pem -ca-bundle empty.pem -int-bundle int.pem
neg "mismatching key" '{"code":2300,"message":"Private key does not match public key"}' \
	-cert leaf.pem -key int-key.pem -ca-bundle root.pem -int-bundle int.pem
neg "force with a broken chain" '{"code":1200,"message":"Unable to verify the certificate chain"}' \
	-cert broken.pem -flavor force
neg "self-signed certificate" '{"code":1100,"message":"Certificate is self signed"}' \
	-cert root.pem -ca-bundle root.pem
neg "missing -cert file" '{"code":1001,"message":"open nonexist.pem: no such file or directory"}' \
	-cert nonexist.pem -ca-bundle root.pem
neg "missing -key file" '{"code":2001,"message":"open nonexist.pem: no such file or directory"}' \
	-cert leaf.pem -key nonexist.pem -ca-bundle root.pem -int-bundle int.pem
neg "missing -ca-bundle file" '{"code":4001,"message":"open nonexist.pem: no such file or directory"}' \
	-cert leaf.pem -ca-bundle nonexist.pem
check_eq "missing -ca-bundle file: logged first" \
	"[ERROR] root bundle failed to load: open nonexist.pem: no such file or directory" \
	"$(head -n 1 neg.err | strip_ts)"
neg "missing -int-bundle file" '{"code":3001,"message":"open nonexist.pem: no such file or directory"}' \
	-cert leaf.pem -ca-bundle root.pem -int-bundle nonexist.pem
check_eq "missing -int-bundle file: logged first" \
	"[ERROR] intermediate bundle failed to load: open nonexist.pem: no such file or directory" \
	"$(head -n 1 neg.err | strip_ts)"
neg "-cert is a directory" '{"code":1001,"message":"read /: is a directory"}' \
	-cert / -ca-bundle root.pem
neg "-ca-bundle holds a key" '{"code":4003,"message":"Failed to parse root certificate"}' \
	-cert leaf.pem -ca-bundle leaf-key.pem
check_eq "-ca-bundle holds a key: logged first" \
	'[ERROR] failed to parse root bundle: {"code":1003,"message":"Failed to parse certificate"}' \
	"$(head -n 1 neg.err | strip_ts)"
neg "-int-bundle holds a key" '{"code":3003,"message":"Failed to parse intermediate certificate"}' \
	-cert leaf.pem -ca-bundle root.pem -int-bundle leaf-key.pem
neg "-cert holds a key" '{"code":1003,"message":"Failed to parse certificate"}' \
	-cert leaf-key.pem -ca-bundle root.pem
neg "-cert is empty" '{"code":1002,"message":"Failed to decode certificate"}' \
	-cert empty.pem -ca-bundle root.pem
neg "-key holds a CSR" '{"code":2003,"message":"Failed to parse private key"}' \
	-cert leaf.pem -key leaf.csr -ca-bundle root.pem -int-bundle int.pem
neg "-key is empty (cfssl panics)" '{"code":2002,"message":"Failed to decode private key"}' \
	-cert leaf.pem -key empty.pem -ca-bundle root.pem -int-bundle int.pem
neg "no target" "Must specify bundle target through -cert or -domain" -ca-bundle root.pem
neg "-ip alone is no target" "Must specify bundle target through -cert or -domain" -ip 127.0.0.1
# -domain itself: test_bundle_domain.sh; a refused connection here
dport=$(free_port)
neg "-domain, refused" "{\"code\":6000,\"message\":\"dial tcp 127.0.0.1:$dport: connect: connection refused\"}" \
	-domain "127.0.0.1:$dport" -ca-bundle root.pem
if [ -s leaf.p12 ]; then
	neg "PKCS #12 input" "PKCS #12 input (-password) is not supported by cfssl-c yet" \
		-cert leaf.p12 -password secret -ca-bundle root.pem
fi

# ---- cfssljson (§10.2): master ignores the top-level "bundle" string ----
mkdir jdir
(cd jdir && set -o pipefail &&
	t cfssl bundle -cert ../leaf.pem -ca-bundle ../root.pem -int-bundle ../int.pem 2>/dev/null |
	t cfssljson -bare x >../json.out 2>&1)
check_eq "cfssljson -bare: exit status" 0 $?
check_eq "cfssljson -bare: no files written" "" "$(ls jdir)"
check_eq "cfssljson -bare: silent" "" "$(cat json.out)"

# A P-521 key is 521 bits, as Go's curve parameters say (GnuTLS counts 66 bytes: 528).
printf '{"CN":"p521.example.com","hosts":["p521.example.com"],"key":{"algo":"ecdsa","size":521}}\n' \
	>p521.json
mk -ca int.pem -ca-key int-key.pem -config config.json -profile server p521.json
t cfssl bundle -cert p521.pem -ca-bundle root.pem -int-bundle int.pem >p521b.json 2>/dev/null
check_eq "bundle: P-521 key_size" 521 "$(j p521b.json 'd["key_size"]')"
check_eq "bundle: P-521 key_type" "521-bit ECDSA" "$(j p521b.json 'd["key_type"]')"

# ---- interop with Debian's cfssl 1.2 ----
if [ -x /usr/bin/cfssl ] && /usr/bin/cfssl version 2>/dev/null | grep -q '^Version: 1\.2'; then
	same_as_debian()
	{
		local desc=$1
		shift
		cfssl bundle "$@" >ours.json 2>ours.err
		local r1=$?
		/usr/bin/cfssl bundle "$@" >theirs.json 2>theirs.err
		local r2=$?
		check_eq "1.2 interop, $desc: exit status" "$r2" "$r1"
		check_eq "1.2 interop, $desc: log and error" "$(strip_ts <theirs.err)" "$(strip_ts <ours.err)"
		if [ "$r1" -eq 0 ]; then
			check_eq "1.2 interop, $desc: members other than leaf_expires" same "$(python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
a.pop("leaf_expires", None)
a["hostnames"].sort(); b["hostnames"].sort()
print("same" if a == b else "differ: " + ", ".join(k for k in set(a) | set(b) if a.get(k) != b.get(k)))' \
				ours.json theirs.json)"
		fi
	}
	same_as_debian "store chain" -cert leaf.pem -ca-bundle root.pem -int-bundle int.pem
	same_as_debian "given chain, optimal, key" -cert chain.pem -key leaf-key.pem -ca-bundle root.pem \
		-flavor optimal
	same_as_debian "unknown flavor" -cert chain.pem -ca-bundle root.pem -flavor other
	same_as_debian "force" -cert rchain.pem -flavor force
	same_as_debian "DER" -cert leaf.der -ca-bundle root.pem -int-bundle int.pem
	same_as_debian "unknown root" -cert leaf.pem -ca-bundle other.pem -int-bundle int.pem
	same_as_debian "mismatching key" -cert leaf.pem -key int-key.pem -ca-bundle root.pem \
		-int-bundle int.pem
	same_as_debian "broken force chain" -cert broken.pem -flavor force
	same_as_debian "self-signed" -cert root.pem -ca-bundle root.pem
	same_as_debian "missing files" -cert leaf.pem -ca-bundle root.pem -int-bundle nonexist.pem
	same_as_debian "bad root store" -cert leaf.pem -ca-bundle leaf-key.pem
	same_as_debian "no target" -ca-bundle root.pem
	(cd jdir && /usr/bin/cfssl bundle -cert ../leaf.pem -ca-bundle ../root.pem \
		-int-bundle ../int.pem 2>/dev/null | /usr/bin/cfssljson -bare y >/dev/null 2>&1)
	check_eq "1.2 interop: its cfssljson writes y-bundle.pem from the top-level bundle (§14)" \
		"y-bundle.pem" "$(ls jdir)"
else
	echo "skip: Debian's cfssl 1.2 is not installed"
fi

finish
