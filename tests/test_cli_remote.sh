#!/usr/bin/env bash
# sign -remote and gencert -remote against a real cfssl server (Debian's cfssl 1.2 serve) on
# 127.0.0.1: the request cfssl sends, the output and log lines cfssl prints, the client
# errors, nothing written on failure. Every server is killed by its PID.
. "$(dirname "$0")/lib.sh"

[ -x /usr/bin/cfssl ] || skip_all "Debian's cfssl (golang-cfssl) is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
cd "$WORK" || exit 1

echo '{"CN":"CLI Remote CA","key":{"algo":"ecdsa","size":256}}' >ca-csr.json
cfssl gencert -initca ca-csr.json 2>/dev/null | cfssljson -bare ca
echo '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}' >leaf.json
echo '{"CN":"nohosts","key":{"algo":"ecdsa","size":256}}' >nohosts.json
cfssl genkey leaf.json 2>/dev/null | cfssljson -bare leaf
[ -s ca.pem ] && [ -s leaf.csr ] || { echo "setup failed"; exit 1; }
cat >server.json <<'JSON'
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "key encipherment", "server auth"]},
  "profiles": {"client": {"expiry": "720h", "usages": ["signing", "client auth"], "auth_key": "k1"}}},
 "auth_keys": {"k1": {"type": "standard", "key": "0123456789abcdef0123456789abcdef"}}}
JSON
start_go_serve serve.log -config server.json
URL=http://127.0.0.1:$PORT
strip() { sed 's/^[0-9/]* [0-9:]* //'; }

# sign -remote: the CSR file, -hostname split on commas as cfssl does (no trimming).
cfssl sign -remote "$URL" -hostname "a.example,b.example" leaf.csr >s.json 2>s.err
check_eq "sign -remote: exit 0" 0 "$?"
check_eq "sign -remote: nothing logged (as cfssl)" "" "$(cat s.err)"
check_eq "sign -remote: {cert, csr}" '["cert","csr"]' "$(jq -c keys s.json)"
check_eq "sign -remote: the csr member is the file" "$(cat leaf.csr)" "$(jq -r .csr s.json)"
jq -r .cert s.json >s.pem
check "sign -remote: the certificate verifies against the CA" \
	openssl verify -no-CApath -no-CAstore -CAfile ca.pem s.pem
check_contains "sign -remote: the -hostname names" \
	"$(openssl x509 -in s.pem -noout -ext subjectAltName)" "DNS:a.example, DNS:b.example"

# gencert -remote: key and CSR here, certificate there; cfssljson writes the three files.
cfssl gencert -remote "$URL" -tls-remote-ca ca.pem leaf.json 2>g.err | cfssljson -bare g
check_eq "gencert -remote: the files" "g-key.pem g.csr g.pem" "$(ls g-key.pem g.csr g.pem 2>&1 | tr '\n' ' ' | sed 's/ $//')"
check_eq "gencert -remote: cfssl's log lines" \
	"[INFO] generate received request
[INFO] received CSR
[INFO] generating key: ecdsa-256
[INFO] encoded CSR
[INFO] Using trusted CA from tls-remote-ca: ca.pem" "$(strip <g.err)"
check "gencert -remote: the certificate verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem g.pem
check_eq "gencert -remote: the certificate is for the new key" \
	"$(openssl pkey -in g-key.pem -pubout)" "$(openssl x509 -in g.pem -noout -pubkey)"
check_file_mode "gencert -remote: key 0600" 600 g-key.pem
cfssl gencert -remote "$URL" nohosts.json 2>n.err >n.json
check_eq "gencert -remote without hosts: exit 0" 0 "$?"
check_contains "gencert -remote without hosts: cfssl's hosts warning" "$(cat n.err)" \
	'[WARNING] This certificate lacks a "hosts" field.'

# -remote adds no authentication: a profile with an auth_key is refused by the server.
cfssl sign -remote "$URL" -profile client leaf.csr >a.json 2>a.err
check_eq "auth profile over -remote: exit 1" 1 "$?"
check_contains "auth profile over -remote: the server's body as 7400" "$(cat a.err)" \
	'{"code":7400,"message":"{\"success\":false,\"result\":null,\"errors\":[{\"code\":400,\"message\":\"authentication required\"}],\"messages\":[]}\n"}'
check_eq "auth profile over -remote: nothing on stdout" "" "$(cat a.json)"

# Client errors, cfssl's texts; nothing written.
port=$(free_port)
mkdir fail
(cd fail && cfssl gencert -remote "http://127.0.0.1:$port" ../leaf.json 2>../r.err | cfssljson -bare x)
check_eq "connection refused: cfssl's 7400" \
	"{\"code\":7400,\"message\":\"failed POST to http://127.0.0.1:$port/api/v1/cfssl/sign: Post \\\"http://127.0.0.1:$port/api/v1/cfssl/sign\\\": dial tcp 127.0.0.1:$port: connect: connection refused\"}" \
	"$(tail -n1 r.err)"
check_eq "connection refused: no file written" "" "$(ls -A fail)"
cfssl sign -remote "127.0.0.1:$port" leaf.csr >b.json 2>b.err
check_eq "bad address: exit 1" 1 "$?"
check_eq "bad address: cfssl's lines" \
	"[ERROR] bad url: parse \"127.0.0.1:$port\": first path segment in URL cannot contain colon
{\"code\":5300,\"message\":\"failed to connect to remote\"}" "$(strip <b.err)"
check_eq "bad address: nothing on stdout" "" "$(cat b.json)"
# A SUBJECT file goes to the remote as cfssl's client re-marshals it (signer.Subject), and the
# server puts it in the certificate.
echo '{"cn":"subject.example","names":[{"O":"Org","C":"DE","OU":""}],"unknown":1}' >subject.json
cfssl sign -remote "$URL" leaf.csr subject.json >j.json 2>j.err
check_eq "sign -remote with a SUBJECT file: exit 0" 0 "$?"
jq -r .cert j.json >j.pem
check_eq "sign -remote with a SUBJECT file: the remote used the subject" \
	"subject=C = DE, O = Org, CN = subject.example" "$(openssl x509 -in j.pem -noout -subject)"
check_eq "sign -remote with a SUBJECT file: verifies under the CA" "j.pem: OK" \
	"$(openssl verify -CAfile ca.pem j.pem 2>&1)"
check_contains "sign -remote with a SUBJECT file: the unknown member is warned about" \
	"$(cat j.err)" 'unknown member "unknown"'
echo '{"CN":' >badsubject.json
cfssl sign -remote "$URL" leaf.csr badsubject.json >j2.json 2>j2.err
check_eq "sign -remote with a broken SUBJECT file: exit 1" 1 "$?"
check_eq "sign -remote with a broken SUBJECT file: Go's JSON error" \
	"unexpected end of JSON input" "$(tail -n1 j2.err)"
check_eq "sign -remote with a broken SUBJECT file: nothing printed" "" "$(cat j2.json)"

# A configuration's remote profiles: auth_remote signs through /authsign with the profile's key.
for k in 0123456789abcdef0123456789abcdef ffffffffffffffffffffffffffffffff; do
	cat >client-$k.json <<JSON
{"signing": {"default": {"remote": "ca"},
  "profiles": {"client": {"auth_remote": {"remote": "ca", "auth_key": "k1"}}}},
 "remotes": {"ca": "$URL"},
 "auth_keys": {"k1": {"type": "standard", "key": "$k"}}}
JSON
done
cfssl gencert -config client-0123456789abcdef0123456789abcdef.json -profile client leaf.json \
	2>ar.err | cfssljson -bare ar
check "auth_remote profile: signed through /authsign, verifies" \
	openssl verify -no-CApath -no-CAstore -CAfile ca.pem ar.pem
check_contains "auth_remote profile: the server's client profile (client auth)" \
	"$(openssl x509 -in ar.pem -noout -ext extendedKeyUsage 2>&1)" "TLS Web Client Authentication"
cfssl gencert -config client-ffffffffffffffffffffffffffffffff.json -profile client leaf.json \
	>aw.json 2>aw.err
check_eq "auth_remote profile, wrong key: exit 1" 1 "$?"
check_contains "auth_remote profile, wrong key: the server's refusal" "$(tail -n1 aw.err)" '"code":7400'
check_eq "auth_remote profile, wrong key: nothing on stdout" "" "$(cat aw.json)"
cfssl sign -config client-0123456789abcdef0123456789abcdef.json leaf.csr >ds.json 2>/dev/null
check_contains "the default profile's remote signs (sign, no CA needed)" \
	"$(jq -r .cert ds.json)" "BEGIN CERTIFICATE"

# Several remotes: the first that answers signs (§6.4).
cfssl sign -remote "http://127.0.0.1:$port,$URL" leaf.csr >f.json 2>/dev/null
check_eq "fallback to the second remote: exit 0" 0 "$?"
check_contains "fallback to the second remote: a certificate" "$(jq -r .cert f.json)" "BEGIN CERTIFICATE"

finish
