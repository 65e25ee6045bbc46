#!/usr/bin/env bash
# common/net/remote.c against a real cfssl server (Debian's cfssl 1.2 serve), through the test
# driver tests/tools/remote_client: sign, authsign with a good and a bad key, info, the request
# bytes and token against openssl, connection refused, fallback across two remotes, and a
# server that never answers (deviation 19). Only 127.0.0.1; every server is killed by its PID.
. "$(dirname "$0")/lib.sh"

: "${REMOTE_CLIENT:?REMOTE_CLIENT must name tests/tools/remote_client}"
GO_CFSSL=/usr/bin/cfssl
[ -x "$GO_CFSSL" ] || skip_all "Debian's cfssl (golang-cfssl) is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
cd "$WORK" || exit 1
RC=$REMOTE_CLIENT
KEY=0123456789abcdef0123456789abcdef


# CA, a CSR, and a server configuration with a plain and an authenticated profile.
echo '{"CN":"Remote Test CA","key":{"algo":"ecdsa","size":256}}' >ca-csr.json
cfssl gencert -initca ca-csr.json 2>/dev/null | cfssljson -bare ca
echo '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}' >leaf.json
cfssl genkey leaf.json 2>/dev/null | cfssljson -bare leaf
[ -s ca.pem ] && [ -s leaf.csr ] || { echo "setup failed"; exit 1; }
cat >server.json <<EOF
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "key encipherment", "server auth"]},
  "profiles": {"client": {"expiry": "720h", "usages": ["signing", "client auth"], "auth_key": "k1"}}},
 "auth_keys": {"k1": {"type": "standard", "key": "$KEY"}}}
EOF

start_go_serve serve.log -config server.json
URL=http://127.0.0.1:$PORT

# libcurl is loaded by the first remote client, never mapped by commands that do not need it.
if command -v ldd >/dev/null; then
	check_not_contains "the binaries do not link libcurl" "$(ldd "$CFSSL_BIN" "$RC")" "libcurl"
fi

# Request bytes and token: the token is the HMAC of R's bytes as openssl computes it.
R=$("$RC" signjson leaf.csr client)
check_eq "R as cfssl marshals it" \
	"{\"hosts\":null,\"certificate_request\":$(jq -Rs . <leaf.csr),\"profile\":\"client\",\"crl_override\":\"\",\"label\":\"\",\"NotBefore\":\"0001-01-01T00:00:00Z\",\"NotAfter\":\"0001-01-01T00:00:00Z\",\"ReturnPrecert\":false,\"metadata\":null}" \
	"$R"
A=$("$RC" authjson "$KEY" leaf.csr client)
check_eq "authsign request member is base64(R)" "$R" "$(jq -r .request <<<"$A" | base64 -d)"
check_eq "authsign token is openssl's HMAC-SHA256 of R" \
	"$(printf '%s' "$R" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -binary | base64)" \
	"$(jq -r .token <<<"$A")"
check_eq "authsign body members in cfssl's order" '["timestamp","token","request"]' \
	"$(jq -c keys_unsorted <<<"$A")"

# sign
out=$(t "$RC" sign "$URL" leaf.csr "" "" "a.example,b.example" 2>err.txt)
check "sign: a certificate" openssl x509 -noout -in <(printf '%s' "$out")
check_eq "sign: -hostname's hosts" "DNS:a.example, DNS:b.example" \
	"$(printf '%s' "$out" | openssl x509 -noout -ext subjectAltName 2>/dev/null | tail -n 1 | sed 's/^ *//')"
check "sign: issued by the server's CA" openssl verify -CAfile ca.pem <(printf '%s' "$out")
out=$(t "$RC" sign "localhost:$PORT" leaf.csr 2>/dev/null)
check_contains "sign: host:port normalised" "$out" "BEGIN CERTIFICATE"

# a plain /sign to an auth profile: status 400, the whole body as the message
t "$RC" sign "$URL" leaf.csr client >/dev/null 2>err.txt
check_eq "sign to an auth profile: cfssl's 7400 with the body" \
	'{"code":7400,"message":"{\"success\":false,\"result\":null,\"errors\":[{\"code\":400,\"message\":\"authentication required\"}],\"messages\":[]}\n"}' \
	"$(tail -n 1 err.txt)"
check_contains "sign to an auth profile: http error line" "$(cat err.txt)" \
	"[ERROR] http error with $URL/api/v1/cfssl/sign"

# authsign: good key, bad key
out=$(t "$RC" -authkey "$KEY" sign "$URL" leaf.csr client 2>err.txt)
check "authsign with the good key" openssl x509 -noout -in <(printf '%s' "$out")
check_contains "authsign: the auth profile's usages" \
	"$(printf '%s' "$out" | openssl x509 -noout -ext extendedKeyUsage 2>/dev/null)" "Client Authentication"
check_fails "authsign with a bad key fails" "$RC" -authkey 00112233 sign "$URL" leaf.csr client
t "$RC" -authkey 00112233 sign "$URL" leaf.csr client >/dev/null 2>err.txt
check_eq "authsign with a bad key: invalid token" \
	'{"code":7400,"message":"{\"success\":false,\"result\":null,\"errors\":[{\"code\":400,\"message\":\"invalid token\"}],\"messages\":[]}\n"}' \
	"$(tail -n 1 err.txt)"

# info
out=$(t "$RC" info "$URL" "" client 2>err.txt)
check_eq "info: members" '["certificate","usages","expiry"]' "$(jq -c keys_unsorted <<<"$out")"
check_eq "info: the profile's usages and expiry" '["signing","client auth"] 720h' \
	"$(jq -c .usages <<<"$out") $(jq -r .expiry <<<"$out")"
check_eq "info: the CA certificate" "$(openssl x509 -noout -fingerprint -in ca.pem)" \
	"$(jq -r .certificate <<<"$out" | openssl x509 -noout -fingerprint)"
check_eq "info: no final LF" "}" "$(printf '%s' "$out" | tail -c 1)"

# connection refused, as cfssl words it
DEAD=$(free_port)
t "$RC" sign "http://127.0.0.1:$DEAD" leaf.csr >/dev/null 2>err.txt
check_eq "connection refused: cfssl's error" \
	"{\"code\":7400,\"message\":\"failed POST to http://127.0.0.1:$DEAD/api/v1/cfssl/sign: Post \\\"http://127.0.0.1:$DEAD/api/v1/cfssl/sign\\\": dial tcp 127.0.0.1:$DEAD: connect: connection refused\"}" \
	"$(tail -n 1 err.txt)"
t "$RC" info "127.0.0.1:$DEAD" >/dev/null 2>err.txt
check_eq "info -remote IP:port: 5300, no crash (deviation 20)" \
	'{"code":5300,"message":"failed to connect to remote"}' "$(tail -n 1 err.txt)"
check_contains "IP:port: the bad url line" "$(cat err.txt)" \
	"[ERROR] bad url: parse \"127.0.0.1:$DEAD\": first path segment in URL cannot contain colon"

# several remotes: the first that answers wins; all failing gives the last error
out=$(t "$RC" sign "http://127.0.0.1:$DEAD,$URL" leaf.csr 2>err.txt)
check_contains "fallback to the second remote" "$out" "BEGIN CERTIFICATE"
out=$(t "$RC" info "$URL,http://127.0.0.1:$DEAD" 2>err.txt)
check_contains "the first remote is used when it answers" "$out" '"certificate"'
t "$RC" sign "$URL,http://127.0.0.1:$DEAD" leaf.csr client >/dev/null 2>err.txt
check_contains "all fail: the last server's error" "$(tail -n 1 err.txt)" \
	"dial tcp 127.0.0.1:$DEAD: connect: connection refused"

# a server that accepts and never answers: the client gives up (deviation 19)
python3 - >hang.port <<'EOF' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
conns = []
end = time.time() + 60
while time.time() < end:
    s.settimeout(1)
    try:
        conns.append(s.accept()[0])
    except socket.timeout:
        pass
EOF
HANG_PID=$!
lib_track_pid "$HANG_PID"
for _ in $(seq 1 50); do
	[ -s hang.port ] && break
	sleep 0.1
done
HANG=$(cat hang.port)
start=$(date +%s)
t "$RC" -timeout 1500 sign "http://127.0.0.1:$HANG" leaf.csr >/dev/null 2>err.txt
rc=$?
elapsed=$(($(date +%s) - start))
check_eq "silent server: exit 1" 1 "$rc"
check "silent server: given up within 10 s ($elapsed s)" test "$elapsed" -lt 10
check_eq "silent server: Go's timeout wording" \
	"{\"code\":7400,\"message\":\"failed POST to http://127.0.0.1:$HANG/api/v1/cfssl/sign: Post \\\"http://127.0.0.1:$HANG/api/v1/cfssl/sign\\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\"}" \
	"$(tail -n 1 err.txt)"
out=$(t "$RC" -timeout 1500 sign "http://127.0.0.1:$HANG,$URL" leaf.csr 2>/dev/null)
check_contains "silent first server: fallback after the timeout" "$out" "BEGIN CERTIFICATE"
kill "$HANG_PID" 2>/dev/null

# https towards an HTTP server
t "$RC" sign "https://127.0.0.1:$PORT" leaf.csr >/dev/null 2>err.txt
check_contains "https to an HTTP server" "$(tail -n 1 err.txt)" \
	"http: server gave HTTP response to HTTPS client"
check_fails "a missing -tls-remote-ca file" "$RC" -ca nonexistent.pem sign "$URL" leaf.csr

# Replies cfssl's client must survive: a fake server, its reply chosen by the address's path
# ("http://127.0.0.1:P/MODE:x" keeps its path through normalisation because of the colon).
python3 - >fake.port 2>fake.log <<'EOF' &
import gzip, http.server, json, socketserver, sys, time
OK = {"success": True, "errors": [], "messages": []}
REPLIES = {
    "nocert": (200, dict(OK, result={})),
    "empty": (200, dict(OK, result={"certificate": ""})),
    "notjson": (200, "notjson"),
    "fail": (200, {"success": False, "result": None, "errors": [{"code": 1, "message": "boom"}], "messages": []}),
    "badpem": (200, dict(OK, result={"certificate": "AAAA", "usages": None, "expiry": "1h"})),
    "badtype": (200, dict(OK, result={"certificate": 5})),
    "cn": (403, "Invalid CN\n"),
}
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        mode = self.path.split("/")[1].split(":")[0]
        if mode == "slow":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b'{"success":')
            self.wfile.flush()
            time.sleep(4)
            return
        if mode == "gzip":
            body = gzip.compress(json.dumps(dict(OK, result={"certificate": "GZ"})).encode())
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
        else:
            status, reply = REPLIES[mode]
            body = (reply if isinstance(reply, str) else json.dumps(reply)).encode()
            self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = socketserver.TCPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.timeout = 1
for _ in range(120):
    srv.handle_request()
EOF
FAKE_PID=$!
lib_track_pid "$FAKE_PID"
for _ in $(seq 1 50); do
	[ -s fake.port ] && break
	sleep 0.1
done
F=http://127.0.0.1:$(cat fake.port)
fake()
{
	t "$RC" "$@" >out.txt 2>err.txt
	echo "$? $(tail -n 1 err.txt)"
}
check_eq "sign: a result without certificate is an error, not a crash (deviation 20)" \
	"1 {\"code\":7400,\"message\":\"response doesn't contain certificate.\"}" "$(fake sign "$F/nocert:x" leaf.csr)"
check_eq "sign: an empty certificate as cfssl" \
	"1 {\"code\":7400,\"message\":\"response doesn't contain certificate.\"}" "$(fake sign "$F/empty:x" leaf.csr)"
check_eq "authsign: a result without certificate as cfssl" \
	"1 {\"code\":7200,\"message\":\"API client JSON config error\"}" \
	"$(fake -authkey "$KEY" sign "$F/nocert:x" leaf.csr client)"
check_eq "a body that is not JSON" \
	"1 {\"code\":7200,\"message\":\"invalid character 'o' in literal null (expecting 'u')\"}" \
	"$(fake sign "$F/notjson:x" leaf.csr)"
check_eq "an error envelope" "1 {\"code\":7500,\"message\":\"boom\"}" "$(fake sign "$F/fail:x" leaf.csr)"
check_eq "a status other than 200: the body" "1 {\"code\":7400,\"message\":\"Invalid CN\\n\"}" \
	"$(fake sign "$F/cn:x" leaf.csr)"
check_eq "info: a certificate that is not PEM" \
	"1 {\"code\":1002,\"message\":\"Failed to decode certificate\"}" "$(fake info "$F/badpem:x")"
check_eq "info: a certificate of the wrong type is an error, not a crash" \
	"1 {\"code\":7200,\"message\":\"API client JSON config error\"}" "$(fake info "$F/badtype:x")"
check_eq "a gzip reply is decoded" "0 " "$(fake sign "$F/gzip:x" leaf.csr)"
check_eq "a gzip reply: its certificate" "GZ" "$(cat out.txt)"
check_eq "info: the first remote's envelope success is taken, as cfssl (§6.4)" \
	"1 {\"code\":1002,\"message\":\"Failed to decode certificate\"}" "$(fake info "$F/badpem:x,$URL")"
start=$(date +%s)
check_eq "a body that stalls: Go's read timeout wording (deviation 19)" \
	"1 {\"code\":7300,\"message\":\"context deadline exceeded (Client.Timeout or context cancellation while reading body)\"}" \
	"$(fake -timeout 1500 sign "$F/slow:x" leaf.csr)"
check "a body that stalls: given up within 4 s" test $(($(date +%s) - start)) -lt 4
kill "$FAKE_PID" 2>/dev/null

# TLS towards the remote: a mutual-TLS cfssl serve with a certificate for 127.0.0.1
cat >local.json <<EOF
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "key encipherment", "server auth"]},
  "profiles": {"client": {"expiry": "8760h", "usages": ["signing", "client auth"]}}}}
EOF
echo '{"CN":"127.0.0.1","hosts":["127.0.0.1"],"key":{"algo":"ecdsa","size":256}}' >tls.json
cfssl gencert -ca ca.pem -ca-key ca-key.pem -config local.json tls.json 2>/dev/null | cfssljson -bare tls
echo '{"CN":"client1","key":{"algo":"ecdsa","size":256}}' >client.json
cfssl gencert -ca ca.pem -ca-key ca-key.pem -config local.json -profile client client.json 2>/dev/null |
	cfssljson -bare client
echo '{"CN":"Other CA","key":{"algo":"ecdsa","size":256}}' >other.json
cfssl gencert -initca other.json 2>/dev/null | cfssljson -bare other
start_go_serve mtls.log -config local.json -tls-cert tls.pem -tls-key tls-key.pem -mutual-tls-ca ca.pem
TURL=https://127.0.0.1:$PORT
MTLS=(-ca ca.pem -cert client.pem -key client-key.pem)
out=$(t "$RC" "${MTLS[@]}" sign "$TURL" leaf.csr 2>err.txt)
check "mutual TLS: sign with -tls-remote-ca and a client certificate" \
	openssl verify -CAfile ca.pem <(printf '%s' "$out")
out=$(t "$RC" "${MTLS[@]}" info "$TURL" 2>err.txt)
check_contains "mutual TLS: info" "$out" '"expiry":"8760h"'
t "$RC" -ca ca.pem sign "$TURL" leaf.csr >/dev/null 2>err.txt
check_eq "mutual TLS without a client certificate: as cfssl" \
	"{\"code\":7400,\"message\":\"failed POST to $TURL/api/v1/cfssl/sign: Post \\\"$TURL/api/v1/cfssl/sign\\\": remote error: tls: bad certificate\"}" \
	"$(tail -n 1 err.txt)"
t "$RC" -cert client.pem -key client-key.pem sign "$TURL" leaf.csr >/dev/null 2>err.txt
check_eq "TLS without -tls-remote-ca: unknown authority" \
	"{\"code\":7400,\"message\":\"failed POST to $TURL/api/v1/cfssl/sign: Post \\\"$TURL/api/v1/cfssl/sign\\\": x509: certificate signed by unknown authority\"}" \
	"$(tail -n 1 err.txt)"
t "$RC" -ca other.pem -cert client.pem -key client-key.pem sign "$TURL" leaf.csr >/dev/null 2>err.txt
check_contains "TLS with a foreign -tls-remote-ca: unknown authority" "$(tail -n 1 err.txt)" \
	"x509: certificate signed by unknown authority"
t "$RC" "${MTLS[@]}" sign "https://localhost:$PORT" leaf.csr >/dev/null 2>err.txt
check_contains "TLS to a name the certificate lacks: Go's host name error" "$(tail -n 1 err.txt)" \
	"x509: certificate is not valid for any names, but wanted to match localhost"
t "$RC" -ca ca.pem -cert client.pem -key tls-key.pem sign "$TURL" leaf.csr >/dev/null 2>err.txt
check_eq "a client key that does not match: Go's error before connecting" \
	"tls: private key does not match public key" "$(tail -n 1 err.txt)"

# Refused client certificates, from Go's server and from ours: the same alert (cfssl's client
# and ours word it alike) and the same log lines. cfssl's client sends no certificate that
# the server's CA list does not name, so the foreign one goes through ours.
refusals()
{
	local url=https://127.0.0.1:$PORT
	t "$GO_CFSSL" sign -remote "$url" -tls-remote-ca ca.pem leaf.csr >/dev/null 2>go-none.err
	t cfssl sign -remote "$url" -tls-remote-ca ca.pem leaf.csr >/dev/null 2>c-none.err
	t "$RC" -ca ca.pem -cert foreign.pem -key foreign-key.pem sign "$url" leaf.csr >/dev/null \
		2>c-foreign.err
	t "$GO_CFSSL" sign -remote "$url" -tls-remote-ca ca.pem -mutual-tls-client-cert tls.pem \
		-mutual-tls-client-key tls-key.pem leaf.csr >/dev/null 2>go-eku.err
	local f
	for f in go-none c-none c-foreign go-eku; do
		tail -n 1 "$f.err" | sed "s|$url|URL|g"
	done
}
# (Go's server also logs the start-up port probe, a connection closed before its handshake:
# "...: EOF"; ours does not log those)
handshake_errors()
{
	sed -n 's/.*\(http: TLS handshake error from \)[0-9.]*:[0-9]*/\1ADDR/p' "$1" | grep -v ': EOF$'
}
echo '{"CN":"foreign client","key":{"algo":"ecdsa","size":256}}' >foreign.json
cfssl gencert -ca other.pem -ca-key other-key.pem -config local.json -profile client foreign.json \
	2>/dev/null | cfssljson -bare foreign
kill "$SERVE_PID"
start_go_serve go-refusals.log -config local.json -tls-cert tls.pem -tls-key tls-key.pem \
	-mutual-tls-ca ca.pem
go_said=$(refusals)
kill "$SERVE_PID"
start_serve "$CFSSL_BIN" c-refusals.log -ca ca.pem -ca-key ca-key.pem -config local.json \
	-tls-cert tls.pem -tls-key tls-key.pem -mutual-tls-ca ca.pem || finish
c_said=$(refusals)
kill "$PID"
# cfssl's client writes its request before it reads: now and then (against Go's server as
# against ours) it meets the TCP reset that follows the server's alert and close, and says so
# instead of naming the alert. That is the same refusal; our client's lines are held exact.
go_race()
{
	sed -E 's/(Post \\"URL[^"]*\\": )write tcp [^ ]*: write: (broken pipe|connection reset by peer)/\1remote error: tls: bad certificate/'
}
check_eq "refused client certificates: the clients' errors from our server as from cfssl's" \
	"$(go_race <<<"$go_said")" "$(go_race <<<"$c_said")"
check_eq "... our client's: a bad_certificate alert each" 2 \
	"$(sed -n 2,3p <<<"$c_said" | grep -c 'remote error: tls: bad certificate')"
check_eq "refused client certificates: our log lines as cfssl's" \
	"$(handshake_errors go-refusals.log)" "$(handshake_errors c-refusals.log)"
check_eq "... which say why" \
	"http: TLS handshake error from ADDR: tls: client didn't provide a certificate
http: TLS handshake error from ADDR: tls: client didn't provide a certificate
http: TLS handshake error from ADDR: tls: failed to verify client certificate: x509: certificate signed by unknown authority
http: TLS handshake error from ADDR: tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage" \
	"$(handshake_errors c-refusals.log)"

# An alert during the handshake names its kind: a server with no cipher suite in common
if command -v gnutls-serv >/dev/null; then
	PORT=$(free_port)
	gnutls-serv -p "$PORT" --x509certfile tls.pem --x509keyfile tls-key.pem \
		--priority 'NORMAL:-CIPHER-ALL:+3DES-CBC:-VERS-ALL:+VERS-TLS1.2' >gnutls-serv.log 2>&1 &
	GS_PID=$!
	lib_track_pid "$GS_PID"
	for _ in $(seq 1 50); do port_open "$PORT" && break; sleep 0.1; done
	t "$GO_CFSSL" sign -remote "https://127.0.0.1:$PORT" -tls-remote-ca ca.pem leaf.csr \
		>/dev/null 2>go-hs.err
	t "$RC" -ca ca.pem sign "https://127.0.0.1:$PORT" leaf.csr >/dev/null 2>c-hs.err
	check_eq "an alert in the handshake: worded as by cfssl's client" \
		"$(tail -n 1 go-hs.err)" "$(tail -n 1 c-hs.err)"
	check_contains "... which names it" "$(tail -n 1 c-hs.err)" "remote error: tls: handshake failure"
	kill "$GS_PID"
fi

finish
