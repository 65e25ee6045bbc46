#!/usr/bin/env bash
# serve's endpoints that need no CA of the server's (cfssl-serve.md §3.1, §3.5, §3.7-3.10,
# §3.12, §3.14, §3.15) over HTTP with curl: each success checked with openssl (keys, CSRs,
# certificates, CRLs, OCSP responses), each error's status and body compared byte for byte
# with cfssl master's serve where its answer is deterministic, and cfssl's log lines.
# Deviation 21 (/gencrl refuses a foreign key). 127.0.0.1 only; every server is stopped here by
# its PID.
. "$(dirname "$0")/lib.sh"

require_programs curl python3 jq openssl base64
cd "$WORK" || exit 1

MASTER=${CFSSL_MASTER:-/opt/cfssl-master/bin/cfssl}
CURL=(curl -sS --max-time 20)

echo '{"CN":"Serve Gen CA","key":{"algo":"ecdsa","size":256}}' >ca.json
t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca
echo '{"CN":"Other CA","key":{"algo":"ecdsa","size":256}}' >other.json
t cfssl gencert -initca other.json 2>/dev/null | t cfssljson -bare other
echo '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}' >leaf.json
t cfssl gencert -ca ca.pem -ca-key ca-key.pem leaf.json 2>/dev/null | t cfssljson -bare leaf
[ -s ca.pem ] && [ -s other.pem ] && [ -s leaf.pem ] || {
	echo "setup failed"
	exit 1
}

ARGS=(-ca ca.pem -ca-key ca-key.pem -responder ca.pem -responder-key ca-key.pem -ca-bundle ca.pem)
start_serve "$CFSSL_BIN" ours.log "${ARGS[@]}" || exit 1
OURS=http://127.0.0.1:$PORT
OURS_PID=$PID
HAVE_MASTER=0
if [ -x "$MASTER" ]; then
	start_serve "$MASTER" master.log "${ARGS[@]}" || exit 1
	GO=http://127.0.0.1:$PORT
	HAVE_MASTER=1
fi

# req URL METHOD ENDPOINT[?QUERY] [BODY]: the reply as "STATUS BODY"
req()
{
	if [ "$2" = GET ]; then
		"${CURL[@]}" -o reply.body -w '%{http_code}' "$1/api/v1/cfssl/$3" >reply.status
	else
		"${CURL[@]}" -o reply.body -w '%{http_code}' --data-binary "$4" "$1/api/v1/cfssl/$3" >reply.status
	fi
	printf '%s %s' "$(cat reply.status)" "$(cat reply.body)"
}
post() { req "$1" POST "$2" "$3"; }

# same METHOD ENDPOINT BODY WHAT: our reply equals cfssl master's (status and bytes)
same()
{
	local ours go
	ours=$(req "$OURS" "$1" "$2" "$3")
	if [ "$HAVE_MASTER" = 1 ]; then
		go=$(req "$GO" "$1" "$2" "$3")
		check_eq "$4: as cfssl master" "$go" "$ours"
	fi
	LAST=$ours
}

# error WHAT ENDPOINT BODY STATUS CODE MESSAGE: our exact error reply, and master's the same
error()
{
	same POST "$2" "$3" "$1"
	check_eq "$1: $4 $5" "$4 {\"success\":false,\"result\":null,\"errors\":[{\"code\":$5,\"message\":$(jq -n --arg m "$6" '$m')}],\"messages\":[]}" "$LAST"
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
q() { jq -Rs . <"$1"; }

# --- health, scaninfo, scan (§3.1, §3.10) ---
same GET health "" "health"
check_eq "health: 200 and cfssl's body" '200 {"success":true,"result":{"healthy":true},"errors":[],"messages":[]}' "$LAST"
same GET "health?x=1" "" "health with a query"
m=$(mark)
same GET scaninfo "" "scaninfo"
check_contains "scaninfo: the catalogue" "$LAST" '"SessionResume":{"description":"Host is able to resume sessions across all addresses"}}}},"errors":[],"messages":[]}'
check_eq "scaninfo: log lines" '[INFO] setting up scaninfo handler
[INFO] CLIENT - "GET /api/v1/cfssl/scaninfo" 200' "$(log_after "$m")"
same GET scan "" "scan without host"
check_eq "scan without host: 400" '400 {"success":false,"result":null,"errors":[{"code":400,"message":"no host given"}],"messages":[]}' "$LAST"
same GET "scan?host=h&timeout=0s" "" "scan timeout out of range"
same GET "scan?host=h&timeout=bad" "" "scan bad timeout"
same GET "scan?host=h&family=(" "" "scan bad family regexp"
same GET "scan?host=h&scanner=a)" "" "scan bad scanner regexp"
# the scanners themselves: test_scan.sh
same GET "scan?host=127.0.0.1:1&scanner=%5ETCPDial%24" "" "scan: a closed port"
check_contains "scan: a closed port, TCPDial Bad" "$LAST" \
	'{"Connectivity":{"TCPDial":{"grade":"Bad","error":"dial tcp 127.0.0.1:1: connect: connection refused"}}}'

# --- newkey (§3.5) ---
m=$(mark)
post "$OURS" newkey '{"CN":"k.example","hosts":["k.example"]}' >/dev/null
check_eq "newkey: 200" 200 "$(cat reply.status)"
check_eq "newkey: member order" '["private_key","certificate_request","sums"] ["certificate_request"] ["md5","sha-1","sha-256"]' \
	"$(jq -c '.result|keys_unsorted' reply.body) $(jq -c '.result.sums|keys_unsorted' reply.body) $(jq -c '.result.sums.certificate_request|keys_unsorted' reply.body)"
jq -r .result.private_key reply.body >nk-key.pem
jq -r .result.certificate_request reply.body >nk.csr
check "newkey: the CSR verifies" openssl req -verify -noout -in nk.csr
check_eq "newkey: the key is the CSR's" "$(openssl req -in nk.csr -noout -pubkey)" "$(openssl pkey -in nk-key.pem -pubout)"
check_eq "newkey: sha-256 of the DER CSR" "$(openssl req -in nk.csr -outform DER | sha256sum | cut -d' ' -f1 | tr a-f A-F)" \
	"$(jq -r '.result.sums.certificate_request["sha-256"]' reply.body)"
check_eq "newkey: md5 of the DER CSR" "$(openssl req -in nk.csr -outform DER | md5sum | cut -d' ' -f1 | tr a-f A-F)" \
	"$(jq -r '.result.sums.certificate_request.md5' reply.body)"
check_eq "newkey: log lines" '[INFO] request for CSR
[INFO] generate received request
[INFO] received CSR
[INFO] generating key: ecdsa-256
[INFO] encoded CSR
[INFO] CLIENT - "POST /api/v1/cfssl/newkey" 200' "$(log_after "$m")"
post "$OURS" newkey '{}' >/dev/null
check_eq "newkey {}: 200 (no subject needed)" 200 "$(cat reply.status)"
error "newkey ca section" newkey '{"CN":"x","ca":{}}' 400 400 "ca section only permitted in initca"
error "newkey empty body" newkey '' 400 400 "unexpected end of JSON input"
error "newkey notjson" newkey 'notjson' 400 400 "invalid character 'o' in literal null (expecting 'u')"
error "newkey array" newkey '[]' 400 400 "json: cannot unmarshal array into Go value of type csr.CertificateRequest"
error "newkey weak RSA" newkey '{"key":{"algo":"rsa","size":1024}}' 400 2400 "RSA key is too weak"
error "newkey bad algorithm" newkey '{"key":{"algo":"dsa","size":1024}}' 400 2400 "invalid algorithm"

# --- init_ca (§3.7) ---
m=$(mark)
post "$OURS" init_ca '{"CN":"New CA","key":{"algo":"ecdsa","size":256}}' >/dev/null
check_eq "init_ca: 200" 200 "$(cat reply.status)"
check_eq "init_ca: member order" '["private_key","certificate"]' "$(jq -c '.result|keys_unsorted' reply.body)"
jq -r .result.certificate reply.body >new-ca.pem
jq -r .result.private_key reply.body >new-ca-key.pem
check "init_ca: a self-signed CA" openssl verify -no-CApath -no-CAstore -CAfile new-ca.pem new-ca.pem
check_eq "init_ca: its key" "$(openssl x509 -in new-ca.pem -noout -pubkey)" "$(openssl pkey -in new-ca-key.pem -pubout)"
check_contains "init_ca: CA:TRUE" "$(openssl x509 -in new-ca.pem -noout -ext basicConstraints)" "CA:TRUE"
check_contains "init_ca: log lines" "$(log_after "$m")" '[INFO] setting up initial CA handler
[INFO] generate received request'
error "init_ca {}" init_ca '{}' 400 5300 "missing subject information"
error "init_ca hosts only" init_ca '{"hosts":["a.example"]}' 400 5300 "missing subject information"
error "init_ca bad expiry" init_ca '{"CN":"x","ca":{"expiry":"bad"}}' 500 0 'time: invalid duration "bad"'
error "init_ca notjson" init_ca 'notjson' 400 400 "invalid character 'o' in literal null (expecting 'u')"

# --- certinfo (§3.9) ---
same POST certinfo "{\"certificate\":$(q ca.pem)}" "certinfo certificate"
check_eq "certinfo: the CA's subject" "Serve Gen CA" "$(echo "${LAST#200 }" | jq -r .result.subject.common_name)"
same POST certinfo "{\"certificate\":$(q leaf.pem)}" "certinfo of a leaf"
check_eq "certinfo: member order" '["subject","issuer","serial_number","sans","not_before","not_after","sigalg","authority_key_id","subject_key_id","pem"]' \
	"$(echo "${LAST#200 }" | jq -c '.result|keys_unsorted')"
error "certinfo {}" certinfo '{}' 400 400 "no valid parameter sets found"
error "certinfo serial alone" certinfo '{"serial":"1"}' 400 400 "no valid parameter sets found"
error "certinfo names are case-sensitive" certinfo '{"Certificate":"x"}' 400 400 "no valid parameter sets found"
error "certinfo non-string member" certinfo '{"certificate":5}' 500 0 "json: cannot unmarshal number into Go value of type string"
error "certinfo bad PEM" certinfo '{"certificate":"garbage"}' 400 1002 "Failed to decode certificate"
m=$(mark)
error "certinfo serial without db" certinfo '{"serial":"1","authority_key_id":"AB:CD"}' 500 0 "cannot lookup certificate from serial without db access"
check_eq "certinfo serial without db: log lines" '[WARNING] could not find certificates with db access
[INFO] CLIENT - "POST /api/v1/cfssl/certinfo" 0' "$(log_after "$m")"
error "certinfo domain refused" certinfo '{"domain":"127.0.0.1:1"}' 500 0 "dial tcp 127.0.0.1:1: connect: connection refused"

# --- bundle (§3.8) ---
same POST bundle "{\"certificate\":$(q leaf.pem)}" "bundle leaf"
check_eq "bundle: 200" 200 "${LAST%% *}"
echo "${LAST#200 }" | jq -r .result.bundle >b.pem
check "bundle: the chain verifies" openssl verify -no-CApath -no-CAstore -CAfile ca.pem b.pem
same POST bundle "{\"certificate\":$(q leaf.pem),\"private_key\":$(q leaf-key.pem),\"domain\":\"leaf.example\"}" "bundle with key and domain"
check_contains "bundle with key: the key" "$LAST" '"key":"-----BEGIN EC PRIVATE KEY-----'
error "bundle wrong domain" bundle "{\"certificate\":$(q leaf.pem),\"domain\":\"other.example\"}" 400 1200 \
	"x509: certificate is valid for leaf.example, not other.example"
error "bundle {}" bundle '{}' 400 400 "no valid parameter sets found"
error "bundle bad PEM" bundle '{"certificate":"garbage"}' 400 1002 "Failed to decode certificate"
error "bundle self-signed leaf" bundle "{\"certificate\":$(q other.pem)}" 400 1100 "Certificate is self signed"
dport=$(free_port) # the rest of domain bundling: test_bundle_domain.sh
LAST=$(post "$OURS" bundle "{\"domain\":\"127.0.0.1:$dport\"}")
check_contains "bundle domain: refused, 6000 with Go's text" "$LAST" \
	"\"code\":6000,\"message\":\"dial tcp 127.0.0.1:$dport: connect: connection refused\""

# --- gencrl (§3.12) ---
post "$OURS" gencrl "{\"certificate\":$(q ca.pem),\"serialNumber\":[\"10\",\"20\",\"abc\"],\"issuingKey\":$(q ca-key.pem),\"expireTime\":\"3600\"}" >/dev/null
check_eq "gencrl: 200" 200 "$(cat reply.status)"
jq -r .result reply.body | base64 -d >crl.der
check "gencrl: the CRL verifies with the CA" openssl crl -inform DER -in crl.der -CAfile ca.pem -noout
crl_text=$(openssl crl -inform DER -in crl.der -noout -text)
check_contains "gencrl: serial 10" "$crl_text" "Serial Number: 0A"
check_contains "gencrl: serial 20" "$crl_text" "Serial Number: 14"
check_contains "gencrl: abc is serial 0" "$crl_text" "Serial Number: 00"
# deviation 21: cfssl master signs a CRL that does not verify (200); we refuse
LAST=$(post "$OURS" gencrl "{\"certificate\":$(q ca.pem),\"issuingKey\":$(q other-key.pem)}")
check_eq "gencrl: a foreign key is refused (deviation 21)" \
	'400 {"success":false,"result":null,"errors":[{"code":400,"message":"the private key does not match the certificate'"'"'s public key"}],"messages":[]}' "$LAST"
error "gencrl bad certificate" gencrl "{\"certificate\":\"x\",\"issuingKey\":$(q ca-key.pem)}" 400 400 "malformed certificate"
error "gencrl bad key" gencrl "{\"certificate\":$(q ca.pem),\"issuingKey\":\"x\"}" 400 400 "malformed Private Key"
error "gencrl bad expireTime" gencrl '{"expireTime":"x"}' 500 0 'strconv.ParseInt: parsing "x": invalid syntax'
m=$(mark)
error "gencrl not JSON" gencrl 'garbage' 500 0 "invalid character 'g' looking for beginning of value"
check_eq "gencrl not JSON: log lines" "[ERROR] invalid character 'g' looking for beginning of value
[INFO] CLIENT - \"POST /api/v1/cfssl/gencrl\" 0" "$(log_after "$m")"

# --- ocspsign (§3.15) ---
ocsp_check()
{
	jq -r .result.ocspResponse reply.body | base64 -d >resp.der
	check "$1: the response verifies" openssl ocsp -respin resp.der -CAfile ca.pem -issuer ca.pem -cert leaf.pem
	check_contains "$1: $2" "$(openssl ocsp -respin resp.der -CAfile ca.pem -issuer ca.pem -cert leaf.pem 2>&1)" "leaf.pem: $2"
}
post "$OURS" ocspsign "{\"certificate\":$(q leaf.pem)}" >/dev/null
check_eq "ocspsign: 200 and one member" '200 ["ocspResponse"]' "$(cat reply.status) $(jq -c '.result|keys_unsorted' reply.body)"
ocsp_check "ocspsign good" good
post "$OURS" ocspsign "{\"certificate\":$(q leaf.pem),\"status\":\"revoked\",\"reason\":1,\"revoked_at\":\"2024-01-02\"}" >/dev/null
ocsp_check "ocspsign revoked" revoked
check_contains "ocspsign revoked: reason and time" "$(openssl ocsp -respin resp.der -noverify -resp_text 2>&1)" "Revocation Time: Jan  2 00:00:00 2024 GMT"
post "$OURS" ocspsign "{\"certificate\":$(q leaf.pem),\"issuer_hash\":\"SHA256\"}" >/dev/null
jq -r .result.ocspResponse reply.body | base64 -d >resp.der
check_contains "ocspsign SHA256: the CertID's hash" "$(openssl ocsp -respin resp.der -noverify -resp_text 2>&1)" "Hash Algorithm: sha256"
error "ocspsign not JSON" ocspsign 'notjson' 400 400 "Unable to parse sign request"
error "ocspsign type error" ocspsign '{"reason":"1"}' 400 400 "Unable to parse sign request"
m=$(mark)
error "ocspsign bad PEM" ocspsign '{"certificate":"x"}' 400 400 "Malformed certificate"
check_eq "ocspsign bad PEM: log lines" '[ERROR] Error from ParseCertificatePEM{"code":1002,"message":"Failed to decode certificate"}
[INFO] CLIENT - "POST /api/v1/cfssl/ocspsign" 400' "$(log_after "$m")"
error "ocspsign bad revocation time" ocspsign "{\"certificate\":$(q leaf.pem),\"status\":\"revoked\",\"revoked_at\":\"x\"}" 400 400 "Malformed revocation time"
error "ocspsign MD4" ocspsign "{\"certificate\":$(q leaf.pem),\"issuer_hash\":\"MD4\"}" 400 400 "Unsupported hash algorithm in request"
error "ocspsign MD5" ocspsign "{\"certificate\":$(q leaf.pem),\"issuer_hash\":\"MD5\"}" 500 0 "unsupported issuer hash algorithm"
error "ocspsign unknown status" ocspsign "{\"certificate\":$(q leaf.pem),\"status\":\"bogus\"}" 400 8200 "Invalid revocation status"
error "ocspsign foreign certificate" ocspsign "{\"certificate\":$(q other.pem)}" 400 8100 "Certificate not issued by this issuer"

# --- certadd without a database (§3.14): every check, then 11000 ---
serial=$(python3 -c 'import sys; print(int(sys.argv[1], 16))' "$(openssl x509 -in leaf.pem -noout -serial | cut -d= -f2)")
aki=$(openssl x509 -in leaf.pem -noout -ext authorityKeyIdentifier | sed -n '2{s/[ :]//g;s/keyid//;p}' | tr A-F a-f)
expiry=$(python3 -c 'import sys, datetime; print(datetime.datetime.strptime(sys.argv[1], "%b %d %H:%M:%S %Y GMT").strftime("%Y-%m-%dT%H:%M:%SZ"))' \
	"$(openssl x509 -in leaf.pem -noout -enddate | cut -d= -f2 | tr -s ' ')")
pem=$(q leaf.pem)
add() { printf '{"serial_number":"%s","authority_key_identifier":"%s","status":"%s","pem":%s,"expiry":"%s"%s}' "$@"; }
error "certadd not JSON" certadd 'x' 400 400 "Unable to parse certificate addition request"
error "certadd no serial" certadd '{}' 400 400 "Serial number is required but not provided"
error "certadd no AKI" certadd '{"serial_number":"1"}' 400 400 "Authority key identifier is required but not provided"
error "certadd bad status" certadd '{"serial_number":"1","authority_key_identifier":"ab","status":"x"}' 400 400 "Invalid certificate status"
error "certadd revoked without time" certadd '{"serial_number":"1","authority_key_identifier":"ab","status":"revoked"}' 400 400 \
	"Revoked certificate should specify when it was revoked"
error "certadd bad reason" certadd '{"serial_number":"1","authority_key_identifier":"ab","status":"revoked","revoked_at":"2024-01-01T00:00:00Z","reason":7}' \
	400 400 "Invalid certificate status reason code"
error "certadd empty PEM" certadd '{"serial_number":"1","authority_key_identifier":"ab","status":"good"}' 400 400 "The provided certificate is empty"
error "certadd no expiry" certadd "{\"serial_number\":\"1\",\"authority_key_identifier\":\"ab\",\"status\":\"good\",\"pem\":$pem}" 400 400 \
	"Expiry is required but not provided"
error "certadd bad PEM" certadd "$(add "$serial" "$aki" good '"x"' "$expiry" '')" 400 400 "Unable to parse PEM encoded certificates"
error "certadd bad serial" certadd "$(add 12x "$aki" good "$pem" "$expiry" '')" 400 400 "Unable to parse serial key of request"
error "certadd other serial" certadd "$(add 12 "$aki" good "$pem" "$expiry" '')" 400 400 "Serial key of request and certificate do not match"
error "certadd bad AKI" certadd "$(add "$serial" abc good "$pem" "$expiry" '')" 400 400 "Unable to decode authority key identifier"
error "certadd other AKI" certadd "$(add "$serial" abcd good "$pem" "$expiry" '')" 400 400 "Authority key identifier of request and certificate do not match"
error "certadd other expiry" certadd "$(add "$serial" "$aki" good "$pem" 2001-01-01T00:00:00Z '')" 400 400 "Expiry of request and certificate do not match"
error "certadd offset expiry" certadd "$(add "$serial" "$aki" good "$pem" "${expiry%Z}+00:00" '')" 400 400 "Expiry of request and certificate do not match"
error "certadd without a database" certadd "$(add "$serial" "$(echo "$aki" | tr a-f A-F)" good "$pem" "$expiry" ',"metadata":{"a":1},"sans":5')" 400 11000 \
	"unknown db object, please check SetDB method"

# --- crl and revoke need -db-config: not served (§1.3) ---
same GET crl "" "crl without -db-config"
check_eq "crl without -db-config: 404" "404 404 page not found" "$LAST"
same POST revoke '{}' "revoke without -db-config"

kill -0 "$OURS_PID" 2>/dev/null
check_eq "our server is still up" 0 "$?"
finish
