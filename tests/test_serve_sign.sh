#!/usr/bin/env bash
# serve's info, sign, authsign and newcert (cfssl-serve.md §3.2-3.4, §3.6, §4, §6.7) over HTTP:
# curl (tokens computed with openssl), Debian's cfssl 1.2 and cfssl-c as clients (sign -remote,
# gencert -remote, auth_remote profiles with prev_auth_key rotation), error bodies compared
# byte for byte with cfssl master's serve, deviation 16, proxy mode (-remote). Certificates
# checked with openssl verify. 127.0.0.1 only; every server is stopped here by its PID.
. "$(dirname "$0")/lib.sh"

require_programs curl python3 jq openssl
cd "$WORK" || exit 1

MASTER=${CFSSL_MASTER:-/opt/cfssl-master/bin/cfssl}
DEBIAN=/usr/bin/cfssl
CURL=(curl -sS --max-time 20)
KEY1=0123456789abcdef0123456789abcdef
KEY0=fedcba9876543210fedcba9876543210

echo '{"CN":"Serve Sign CA","key":{"algo":"ecdsa","size":256}}' >ca.json
t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca
echo '{"CN":"leaf.example","hosts":["leaf.example","127.0.0.1"],"key":{"algo":"ecdsa","size":256}}' >leaf.json
t cfssl genkey leaf.json 2>/dev/null | t cfssljson -bare leaf
[ -s ca.pem ] && [ -s leaf.csr ] || {
	echo "setup failed"
	exit 1
}
cat >server.json <<JSON
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "key encipherment", "server auth"]},
  "profiles": {"client": {"expiry": "720h", "usages": ["signing", "client auth"],
                          "auth_key": "key1", "prev_auth_key": "key0"}}},
 "auth_keys": {"key1": {"type": "standard", "key": "$KEY1"},
               "key0": {"type": "standard", "key": "$KEY0"}}}
JSON

start_serve "$CFSSL_BIN" ours.log -ca ca.pem -ca-key ca-key.pem -config server.json || exit 1
OURS=http://127.0.0.1:$PORT
OURS_PID=$PID
HAVE_MASTER=0
if [ -x "$MASTER" ]; then
	start_serve "$MASTER" master.log -ca ca.pem -ca-key ca-key.pem -config server.json || exit 1
	GO=http://127.0.0.1:$PORT
	HAVE_MASTER=1
fi

# post URL ENDPOINT BODY: the reply as "STATUS BODY"
post()
{
	"${CURL[@]}" -o reply.body -w '%{http_code}' --data-binary "$3" "$1/api/v1/cfssl/$2" >reply.status
	printf '%s %s' "$(cat reply.status)" "$(cat reply.body)"
}

# same ENDPOINT BODY WHAT: our reply equals cfssl master's (status and bytes)
same()
{
	local ours go
	ours=$(post "$OURS" "$1" "$2")
	if [ "$HAVE_MASTER" = 1 ]; then
		go=$(post "$GO" "$1" "$2")
		check_eq "$3: as cfssl master" "$go" "$ours"
	fi
	LAST=$ours
}

# log_after MARK: our server's log lines after line MARK, without timestamps (bounded wait for
# the request line)
log_after()
{
	for _ in $(seq 1 50); do
		tail -n +"$(($1 + 1))" ours.log | grep -q '" [0-9]*$' && break
		sleep 0.1
	done
	tail -n +"$(($1 + 1))" ours.log | strip_ts | sed -E 's/127\.0\.0\.1:[0-9]+ - /CLIENT - /'
}
mark() { wc -l <ours.log; }

csr_json=$(jq -Rs . <leaf.csr)

# --- info (§3.2) ---
same info '{}' "info {}"
check_eq "info {}: the CA without final LF" "$(cat ca.pem)" "$(echo "${LAST#200 }" | jq -r .result.certificate)"
same info '{"profile":"client","label":"x"}' "info client"
check_contains "info client: its usages and expiry" "$LAST" '"usages":["signing","client auth"],"expiry":"720h"}'
same info '{"profile":"nosuch"}' "info unknown profile"
m=$(mark)
same info '' "info empty body"
check_eq "info empty body: 400" '400 {"success":false,"result":null,"errors":[{"code":400,"message":"unexpected end of JSON input"}],"messages":[]}' "$LAST"
check_eq "info empty body: log lines" '[WARNING] failed to unmarshal request: unexpected end of JSON input
[INFO] CLIENT - "POST /api/v1/cfssl/info" 400' "$(log_after "$m")"
same info 'notjson' "info notjson"
same info '{"profile":5}' "info type error"
same info '[1]' "info array"

# --- sign (§3.3) ---
m=$(mark)
post "$OURS" sign "{\"certificate_request\":$csr_json}" >/dev/null
check_eq "sign: 200" 200 "$(cat reply.status)"
jq -r .result.certificate reply.body >s.pem
check "sign: the certificate verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem s.pem
serial=$(python3 -c 'import sys; print(int(sys.argv[1], 16))' "$(openssl x509 -in s.pem -noout -serial | cut -d= -f2)")
check_eq "sign: cfssl's log lines" "[INFO] signature request received
[INFO] signed certificate with serial number $serial
[INFO] wrote response
[INFO] CLIENT - \"POST /api/v1/cfssl/sign\" 200" "$(log_after "$m")"
# the request's four lines reach the log in one write(2) (strace attached for one request)
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
	strace -f -p "$OURS_PID" -e trace=write -o writes.txt 2>/dev/null &
	ST=$!
	sleep 1
	m=$(mark)
	post "$OURS" sign "{\"certificate_request\":$csr_json}" >/dev/null
	lines=$(log_after "$m" | wc -l)
	bytes=$(tail -n +"$((m + 1))" ours.log | wc -c)
	sleep 0.3
	kill "$ST" 2>/dev/null
	wait "$ST" 2>/dev/null
	check_eq "sign: four log lines" 4 "$lines"
	check_eq "sign: written in one write(2) of all their bytes" "1 $bytes" \
		"$(grep -c 'write(2, ' writes.txt) $(sed -n 's/.*write(2, .* = \([0-9]*\)$/\1/p' writes.txt)"
fi
check_eq "sign: the envelope" '["success","result","errors","messages"] ["certificate"]' \
	"$(jq -c keys_unsorted reply.body) $(jq -c '.result|keys_unsorted' reply.body)"
post "$OURS" sign "{\"Certificate_Request\":$csr_json,\"hosts\":[],\"hostname\":\"a.example,b.example\"}" >/dev/null
jq -r .result.certificate reply.body >h.pem
check_contains "sign: hostname replaces the SANs" \
	"$(openssl x509 -in h.pem -noout -ext subjectAltName)" "DNS:a.example, DNS:b.example"
post "$OURS" sign "{\"certificate_request\":$csr_json,\"hosts\":[]}" >/dev/null
jq -r .result.certificate reply.body >n.pem
check_eq "sign: hosts [] removes every SAN" "" "$(openssl x509 -in n.pem -noout -ext subjectAltName 2>/dev/null)"
# a subject override (the binary's zeroing JSON allocator must not meet libc's free)
post "$OURS" sign "{\"certificate_request\":$csr_json,\"subject\":{\"CN\":\"over.example\",\"names\":[{\"O\":\"Org\"}]}}" >/dev/null
jq -r .result.certificate reply.body >o.pem
check_contains "sign subject: replaces the CSR's" "$(openssl x509 -in o.pem -noout -subject)" "O = Org, CN = over.example"
same sign "{\"certificate_request\":$csr_json,\"subject\":{\"CN\":5}}" "sign subject type error"
m=$(mark)
post "$OURS" sign "{\"certificate_request\":$csr_json,\"bundle\":true}" >/dev/null
check_eq "sign bundle without a bundler: 5300 message" \
	'[{"code":5300,"message":"This request requires a bundler, but one is not initialized for the API server."}]' \
	"$(jq -c .messages reply.body)"
check_not_contains "sign bundle without a bundler: no 'wrote response'" "$(log_after "$m")" "wrote response"
same sign '' "sign empty body"
same sign '{"certificate_request":1}' "sign type error"
same sign "{\"certificate_request\":$csr_json} x" "sign trailing data"
same sign '{}' "sign without CSR"
m=$(mark)
same sign "{\"certificate_request\":$csr_json,\"profile\":\"client\"}" "sign auth profile"
check_eq "sign auth profile: authentication required" \
	'400 {"success":false,"result":null,"errors":[{"code":400,"message":"authentication required"}],"messages":[]}' "$LAST"
check_eq "sign auth profile: log lines" '[INFO] signature request received
[ERROR] profile requires authentication
[INFO] CLIENT - "POST /api/v1/cfssl/sign" 400' "$(log_after "$m")"
m=$(mark)
same sign '{"certificate_request":"garbage"}' "sign garbage CSR"
check_eq "sign garbage CSR: log lines" '[INFO] signature request received
[WARNING] failed to sign request: {"code":9002,"message":"CSR Decode failed"}
[INFO] CLIENT - "POST /api/v1/cfssl/sign" 9002' "$(log_after "$m")"

# --- clients: Debian's cfssl 1.2 and cfssl-c ---
for c in "$DEBIAN" cfssl; do
	[ "$c" = cfssl ] || [ -x "$c" ] || continue
	name=$([ "$c" = cfssl ] && echo cfssl-c || echo "cfssl 1.2")
	t "$c" sign -remote "$OURS" -hostname "x.example" leaf.csr >cs.json 2>cs.err
	check_eq "$name sign -remote: exit 0" 0 "$?"
	jq -r .cert cs.json >cs.pem
	check "$name sign -remote: verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem cs.pem
	t "$c" gencert -remote "$OURS" leaf.json 2>cg.err >cg.json
	check_eq "$name gencert -remote: exit 0" 0 "$?"
	jq -r .cert cg.json >cg.pem
	check "$name gencert -remote: verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem cg.pem
	check_eq "$name gencert -remote: for its key" "$(jq -r .key cg.json | openssl pkey -pubout)" \
		"$(openssl x509 -in cg.pem -noout -pubkey)"
	t "$c" info -remote "$OURS" -profile client >ci.json 2>/dev/null
	check_eq "$name info -remote: the server's CA" "$(cat ca.pem)" "$(jq -r .certificate ci.json)"
	# auth_remote: /authsign with key1, with key0 (prev_auth_key, a rotation), with a wrong key
	for k in "$KEY1 ok" "$KEY0 ok" "00112233445566778899aabbccddeeff bad"; do
		set -- $k
		cat >client.json <<JSON
{"signing": {"default": {"auth_remote": {"remote": "ca", "auth_key": "k"}},
  "profiles": {"client": {"auth_remote": {"remote": "ca", "auth_key": "k"}}}},
 "remotes": {"ca": "$OURS"},
 "auth_keys": {"k": {"type": "standard", "key": "$1"}}}
JSON
		t "$c" gencert -config client.json -profile client leaf.json >ca_.json 2>ca_.err
		rc=$?
		if [ "$2" = ok ]; then
			check_eq "$name auth_remote key ${1:0:4}: exit 0" 0 "$rc"
			jq -r .cert ca_.json >ca_.pem
			check "$name auth_remote key ${1:0:4}: verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem ca_.pem
			check_contains "$name auth_remote: the client profile" \
				"$(openssl x509 -in ca_.pem -noout -ext extendedKeyUsage)" "TLS Web Client Authentication"
		else
			check_eq "$name auth_remote wrong key: exit 1" 1 "$rc"
			check_contains "$name auth_remote wrong key: invalid token" "$(cat ca_.err)" \
				'{\"code\":400,\"message\":\"invalid token\"}'
		fi
	done
done

# --- authsign with curl (§3.4, §4.2): the token from openssl ---
R="{\"hosts\":null,\"certificate_request\":$csr_json,\"profile\":\"client\",\"label\":\"\"}"
token() { printf '%s' "$2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" -binary | base64 -w0; }
b64() { printf '%s' "$1" | base64 -w0; }
for k in $KEY1 $KEY0; do
	m=$(mark)
	post "$OURS" authsign "{\"timestamp\":1,\"token\":\"$(token "$k" "$R")\",\"request\":\"$(b64 "$R")\"}" >/dev/null
	check_eq "authsign token under ${k:0:4}: 200" 200 "$(cat reply.status)"
	jq -r .result.certificate reply.body >as.pem
	check "authsign ${k:0:4}: verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem as.pem
	check_contains "authsign ${k:0:4}: log lines" "$(log_after "$m")" "[INFO] wrote response
[INFO] CLIENT - \"POST /api/v1/cfssl/authsign\" 200"
done
m=$(mark)
same authsign "{\"token\":\"$(token 00112233445566778899aabbccddeeff "$R")\",\"request\":\"$(b64 "$R")\"}" "authsign invalid token"
check_eq "authsign invalid token: body" '400 {"success":false,"result":null,"errors":[{"code":400,"message":"invalid token"}],"messages":[]}' "$LAST"
check_eq "authsign invalid token: log lines" '[INFO] signature request received
[WARNING] received authenticated request with invalid token
[INFO] CLIENT - "POST /api/v1/cfssl/authsign" 400' "$(log_after "$m")"
same authsign "{\"request\":\"$(b64 "$R")\"}" "authsign without token"
same authsign "{\"token\":\"AAAA\",\"request\":\"$(b64 "$R")\"}" "authsign short token"
same authsign '{"token":"A"}' "authsign bad base64"
same authsign 'notjson' "authsign not JSON"
same authsign '{}' "authsign without request"
same authsign "{\"request\":\"$(b64 '[1]')\"}" "authsign inner array"
same authsign "{\"request\":\"$(b64 '{}')\"}" "authsign default profile"
check_contains "authsign default profile: no authentication provider" "$LAST" '"message":"no authentication provider"'
NOCSR='{"profile":"client"}'
same authsign "{\"token\":\"$(token $KEY1 "$NOCSR")\",\"request\":\"$(b64 "$NOCSR")\"}" "authsign token before CSR"
check_contains "authsign: the token is checked before the CSR" "$LAST" "missing parameter 'certificate_request'"
BAD='{"profile":"client","certificate_request":"garbage"}'
same authsign "{\"token\":\"$(token $KEY0 "$BAD")\",\"request\":\"$(b64 "$BAD")\"}" "authsign garbage CSR"

# --- newcert (§3.6) ---
m=$(mark)
post "$OURS" newcert '{"request":{"CN":"n.example","hosts":["n.example"]},"label":"l"}' >/dev/null
check_eq "newcert: 200" 200 "$(cat reply.status)"
check_eq "newcert: members sorted" '["certificate","certificate_request","private_key","sums"] ["certificate","certificate_request"] ["md5","sha-1","sha-256"] []' \
	"$(jq -c '.result|keys_unsorted' reply.body) $(jq -c '.result.sums|keys_unsorted' reply.body) $(jq -c '.result.sums.certificate|keys_unsorted' reply.body) $(jq -c .messages reply.body)"
jq -r .result.certificate reply.body >nc.pem
check "newcert: verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem nc.pem
check_eq "newcert: the sha-256 sum is the certificate's" \
	"$(openssl x509 -in nc.pem -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1 | tr a-f A-F)" \
	"$(jq -r '.result.sums.certificate["sha-256"]' reply.body)"
check_eq "newcert: log lines" '[INFO] request for CSR
[INFO] generate received request
[INFO] received CSR
[INFO] generating key: ecdsa-256
[INFO] encoded CSR' "$(log_after "$m" | head -5)"
post "$OURS" newcert '{}' >/dev/null
check_eq "newcert {}: the hosts message" '[{"code":5300,"message":"This certificate lacks a \"hosts\" field. This makes it unsuitable for\nwebsites. For more information see the Baseline Requirements for the Issuance and Management\nof Publicly-Trusted Certificates, v.1.1.6, from the CA/Browser Forum (https://cabforum.org);\nspecifically, section 10.2.3 (\"Information Requirements\")."}]' \
	"$(jq -c .messages reply.body)"
same newcert '{"request":null}' "newcert request null"
same newcert '{"request":{"ca":{}}}' "newcert ca section"
same newcert '{"request":{"CN":5}}' "newcert type error"
same newcert '{"request":{"key":{"algo":"rsa","size":512}}}' "newcert weak key"
# deviation 16: cfssl master issues this certificate without any token
m=$(mark)
LAST=$(post "$OURS" newcert '{"profile":"client"}')
check_eq "newcert auth profile: refused (deviation 16)" \
	'400 {"success":false,"result":null,"errors":[{"code":400,"message":"authentication required"}],"messages":[]}' "$LAST"
check_contains "newcert auth profile: logged" "$(log_after "$m")" "[ERROR] profile requires authentication"
if [ "$HAVE_MASTER" = 1 ]; then
	check_eq "newcert auth profile: cfssl master signs it" 200 "$(post "$GO" newcert '{"profile":"client"}' | cut -d' ' -f1)"
fi

# --- proxy mode (§6.7): our serve -remote in front of our server ---
start_serve "$CFSSL_BIN" proxy.log -remote "$OURS" -config server.json || exit 1
PROXY=http://127.0.0.1:$PORT
post "$PROXY" sign "{\"certificate_request\":$csr_json}" >/dev/null
check_eq "proxy sign: 200" 200 "$(cat reply.status)"
jq -r .result.certificate reply.body >p.pem
check "proxy sign: verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem p.pem
post "$PROXY" sign "{\"certificate_request\":$csr_json,\"subject\":{\"CN\":\"proxied.example\"}}" >/dev/null
jq -r .result.certificate reply.body >ps.pem
check_contains "proxy sign: the subject forwarded" "$(openssl x509 -in ps.pem -noout -subject)" "CN = proxied.example"
check_eq "proxy info: the upstream's CA" "$(cat ca.pem)" "$(post "$PROXY" info '{}' >/dev/null; jq -r .result.certificate reply.body)"
post "$PROXY" newcert '{"request":{"CN":"p.example","hosts":["p.example"]}}' >/dev/null
jq -r .result.certificate reply.body >pn.pem
check "proxy newcert: verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem pn.pem
check_eq "proxy newcert: for the key made here" "$(jq -r .result.private_key reply.body | openssl pkey -pubout)" \
	"$(openssl x509 -in pn.pem -noout -pubkey)"
check_eq "proxy: upstream errors as 7400 in a 400" \
	'400 {"success":false,"result":null,"errors":[{"code":7400,"message":"{\"success\":false,\"result\":null,\"errors\":[{\"code\":9002,\"message\":\"CSR Decode failed\"}],\"messages\":[]}\n"}],"messages":[]}' \
	"$(post "$PROXY" sign '{"certificate_request":"garbage"}')"
if [ "$HAVE_MASTER" = 1 ]; then
	start_serve "$MASTER" gproxy.log -remote "$OURS" -config server.json || exit 1
	check_eq "proxy error: as cfssl master's proxy" "$(post "http://127.0.0.1:$PORT" sign '{"certificate_request":"garbage"}')" \
		"$(post "$PROXY" sign '{"certificate_request":"garbage"}')"
fi
# --- a policy mixing local and remote profiles: the remote one forwards, an unknown one is 5400 ---
cat >mixed.json <<JSON
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "server auth"]},
  "profiles": {"up": {"remote": "upstream"}}},
 "remotes": {"upstream": "$OURS"}}
JSON
start_serve "$CFSSL_BIN" mixed.log -ca ca.pem -ca-key ca-key.pem -config mixed.json || exit 1
MIXED=http://127.0.0.1:$PORT
post "$MIXED" sign "{\"certificate_request\":$csr_json,\"profile\":\"up\"}" >/dev/null
check_eq "mixed policy, remote profile: 200" 200 "$(cat reply.status)"
check_not_contains "mixed policy, remote profile: signed upstream, not here" "$(strip_ts <mixed.log)" "signed certificate"
LAST=$(post "$MIXED" sign "{\"certificate_request\":$csr_json,\"profile\":\"nosuch\"}")
check_eq "mixed policy, unknown profile: 5400" \
	'400 {"success":false,"result":null,"errors":[{"code":5400,"message":"Unknown policy profile"}],"messages":[]}' "$LAST"
LAST=$(post "$MIXED" info '{"profile":"nosuch"}')
check_contains "mixed policy, info of an unknown profile: 5400" "$LAST" '{"code":5400,"message":"Unknown policy profile"}'
if [ "$HAVE_MASTER" = 1 ]; then
	start_serve "$MASTER" gmixed.log -ca ca.pem -ca-key ca-key.pem -config mixed.json || exit 1
	check_eq "mixed policy, unknown profile: as cfssl master" \
		"$(post "http://127.0.0.1:$PORT" sign "{\"certificate_request\":$csr_json,\"profile\":\"nosuch\"}")" \
		"$(post "$MIXED" sign "{\"certificate_request\":$csr_json,\"profile\":\"nosuch\"}")"
	check_eq "mixed policy, info: as cfssl master" "$(post "http://127.0.0.1:$PORT" info '{"profile":"nosuch"}')" \
		"$(post "$MIXED" info '{"profile":"nosuch"}')"
fi
kill -0 "$OURS_PID" 2>/dev/null
check_eq "our server is still up" 0 "$?"
finish
