#!/usr/bin/env bash
# serve under load and under hostile HTTP (issue 12, deviation 19): Debian's `hey` sends 2,000
# requests at concurrency 4 to /sign and to /newcert (400 under ASan): zero errors, every reply
# 200, every certificate issued; then, against the real server, an oversized body (413 without
# reading it), a stalled body (cut after the 30 s idle timeout while the load runs), malformed and
# deeply nested JSON, wrong methods, a 100 KB header, 300 idle connections held open, /authsign
# tokens of the wrong length: the codes cfssl master gives where it is there to compare, no crash,
# the server alive after them and exit 0 on SIGTERM. 127.0.0.1 only; every server is stopped here
# by its PID.
. "$(dirname "$0")/lib.sh"

require_programs curl python3 hey openssl
cd "$WORK" || exit 1

MASTER=${CFSSL_MASTER:-/opt/cfssl-master/bin/cfssl}
CURL=(curl -sS --max-time 20)
KEY1=0123456789abcdef0123456789abcdef
# ASan and UBSan slow every request several times: a smaller load keeps the file under a minute.
N=2000
[ -n "${ASAN_OPTIONS:-}${UBSAN_OPTIONS:-}" ] && N=400

echo '{"CN":"Load CA","key":{"algo":"ecdsa","size":256}}' >ca.json
t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca
echo '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}' >leaf.json
t cfssl genkey leaf.json 2>/dev/null | t cfssljson -bare leaf
[ -s ca.pem ] && [ -s leaf.csr ] || {
	echo "setup failed"
	exit 1
}
cat >server.json <<JSON
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "key encipherment", "server auth"]},
  "profiles": {"client": {"expiry": "720h", "usages": ["signing", "client auth"], "auth_key": "key1"}}},
 "auth_keys": {"key1": {"type": "standard", "key": "$KEY1"}}}
JSON
python3 -c 'import json,sys; print(json.dumps({"certificate_request": open("leaf.csr").read()}))' >sign.json
echo '{"request":{"CN":"load.example","hosts":["load.example"],"key":{"algo":"ecdsa","size":256}}}' >newcert.json

cat >sock.py <<'EOF'
import socket, sys, time
port = int(sys.argv[2])
def conn():
    return socket.create_connection(("127.0.0.1", port), timeout=60)
def first_line(s):
    try:
        line = s.recv(4096).split(b"\r\n")[0].decode()
    except (ConnectionResetError, BrokenPipeError):
        return "reset"
    return line.split(" ")[1] if line.startswith("HTTP/") else "closed"
if sys.argv[1] == "slowbody":
    # 10 of 100 announced bytes, then silence: the idle timeout must close it
    s = conn()
    s.sendall(b"POST /api/v1/cfssl/sign HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"certific")
    t = time.time()
    try:
        while s.recv(4096):
            pass
    except (ConnectionResetError, socket.timeout):
        pass
    print("%.1f" % (time.time() - t))
elif sys.argv[1] == "hugeheader":
    s = conn()
    s.sendall(b"POST /api/v1/cfssl/sign HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 100000 + b"\r\nContent-Length: 2\r\n\r\n{}")
    print(first_line(s))
elif sys.argv[1] == "many":
    # 300 connections that send nothing, then one real request on a new one
    held = [conn() for _ in range(300)]
    s = conn()
    s.sendall(b"POST /api/v1/cfssl/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}")
    print(first_line(s))
    for h in held:
        h.close()
EOF

start_serve "$CFSSL_BIN" ours.log -ca ca.pem -ca-key ca-key.pem -config server.json || exit 1
OURS=http://127.0.0.1:$PORT
OURS_PID=$PID
# a certificate of this CA for /bundle (the local path, before any load)
t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config server.json leaf.json 2>/dev/null | t cfssljson -bare leaf1

# --- the system store is read on the first /bundle, not at start (4 MiB less for a server
# that never bundles), measured on the fresh server ---
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$OURS_PID/status"; }
store=/etc/ssl/certs/ca-certificates.crt
case "${SSL_CERT_FILE:-/etc/ssl/}${SSL_CERT_DIR:-/etc/ssl/}" in
/etc/ssl/*/etc/ssl/*) lazy=1 ;;
*) lazy=0 ;;
esac
if [ "$lazy" = 1 ] && [ "$(stat -c %s "$store" 2>/dev/null || echo 0)" -gt 100000 ]; then
	before=$(rss)
	res=$("${CURL[@]}" "$OURS/api/v1/cfssl/bundle" --data-binary "$(python3 -c 'import json; print(json.dumps({"certificate": open("leaf1.pem").read()}))')")
	after=$(rss)
	check_contains "bundle without -ca-bundle: answered from the system store (unknown authority)" \
		"$res" '"code":1220'
	check "the system store came in with the first /bundle (RSS $before KB -> $after KB)" \
		test $((after - before)) -gt 1024
	res=$("${CURL[@]}" "$OURS/api/v1/cfssl/bundle" --data-binary "$(python3 -c 'import json; print(json.dumps({"certificate": open("leaf1.pem").read()}))')")
	check_contains "a second /bundle: the same answer" "$res" '"code":1220'
fi

HAVE_MASTER=0
if [ -x "$MASTER" ]; then
	start_serve "$MASTER" master.log -ca ca.pem -ca-key ca-key.pem -config server.json || exit 1
	GO=http://127.0.0.1:$PORT
	HAVE_MASTER=1
fi

# a stalled body held open while everything below runs (bounded: the 30 s idle timeout)
python3 sock.py slowbody "${OURS##*:}" >slow.out 2>&1 &
SLOW=$!
lib_track_pid "$SLOW"

# --- load: hey, N requests at concurrency 4 ---
# load NAME ENDPOINT BODY: runs hey, checks the status distribution and the absence of errors.
load()
{
	local name=$1 endpoint=$2 body=$3 ok
	hey -n "$N" -c 4 -t 30 -m POST -T application/json -D "$body" "$OURS/api/v1/cfssl/$endpoint" \
		>"$name.hey" 2>&1
	check_eq "$name: hey exits 0" 0 "$?"
	ok=$(sed -n 's/^ *\[200\][[:space:]]*\([0-9]*\) responses$/\1/p' "$name.hey")
	check_eq "$name: $N replies 200" "$N" "$ok"
	check_eq "$name: no other status" 1 "$(grep -c '^ *\[[0-9]*\][[:space:]]*[0-9]* responses$' "$name.hey")"
	check_not_contains "$name: no transport errors" "$(cat "$name.hey")" "Error distribution"
}
load sign sign sign.json
load newcert newcert newcert.json
check "alive after the load" kill -0 "$OURS_PID"
out=$("${CURL[@]}" --data-binary @newcert.json "$OURS/api/v1/cfssl/newcert")
python3 -c 'import json,sys; r=json.loads(sys.argv[1])["result"]; open("nc.pem","w").write(r["certificate"]); open("nc.key","w").write(r["private_key"])' \
	"$out" 2>/dev/null
check "newcert after the load: a certificate the CA verifies" openssl verify -CAfile ca.pem nc.pem
check_eq "newcert after the load: its key matches" \
	"$(openssl x509 -in nc.pem -noout -pubkey 2>/dev/null)" "$(openssl pkey -in nc.key -pubout 2>/dev/null)"
n=$(grep -c '"POST /api/v1/cfssl/sign" 200' ours.log)
check_eq "one log line per /sign request" "$N" "$n"

# --- hostile requests against the real server ---
# post URL ENDPOINT [CURL ARGS...]: prints "STATUS BODY"
post()
{
	local url=$1 endpoint=$2
	shift 2
	"${CURL[@]}" -o reply.body -w '%{http_code}' "$@" "$url/api/v1/cfssl/$endpoint" >reply.status
	printf '%s %s' "$(cat reply.status)" "$(cat reply.body)"
}
# same WHAT ENDPOINT CURL ARGS...: our status and body equal cfssl master's (or only a 4xx without it)
same()
{
	local what=$1 endpoint=$2 ours go
	shift 2
	ours=$(post "$OURS" "$endpoint" "$@")
	if [ "$HAVE_MASTER" = 1 ]; then
		go=$(post "$GO" "$endpoint" "$@")
		check_eq "$what: as cfssl master" "$go" "$ours"
	else
		check_contains "$what: a 4xx" "${ours:0:1}" 4
	fi
	LAST=$ours
}

head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >big17
res=$("${CURL[@]}" -o body -w '%{http_code} %{size_upload}' --data-binary @big17 "$OURS/api/v1/cfssl/sign")
check_eq "17 MiB to /sign: 413, nothing uploaded" "413 0" "$res"
res=$("${CURL[@]}" -o body -w '%{http_code}' -H 'Transfer-Encoding: chunked' --data-binary @big17 "$OURS/api/v1/cfssl/newcert")
check_eq "17 MiB chunked to /newcert: 413" 413 "$res"

same "truncated JSON to /sign" sign --data-binary '{"certificate_request":'
check_eq "truncated JSON: 400" 400 "${LAST%% *}"
same "not JSON to /newcert" newcert --data-binary 'hello'
same "a number for the CSR" sign --data-binary '{"certificate_request":5}'
same "an array for the request" newcert --data-binary '{"request":[1,2]}'
same "empty body to /authsign" authsign --data-binary ''
python3 -c 'print("[" * 100000 + "]" * 100000)' >deep.json
res=$(post "$OURS" sign --data-binary @deep.json)
check_eq "100,000 nested arrays: 400" 400 "${res%% *}"
python3 -c 'print("{\"certificate_request\":\"" + "\\u00e9" * 200000 + "\"}")' >esc.json
res=$(post "$OURS" sign --data-binary @esc.json)
check_eq "a 1.2 MB CSR of escapes: 400" 400 "${res%% *}"

for m in GET PUT DELETE PATCH; do
	res=$(post "$OURS" sign -X "$m")
	check_eq "$m /sign: 405" 405 "${res%% *}"
	res=$(post "$OURS" newcert -X "$m")
	check_eq "$m /newcert: 405" 405 "${res%% *}"
done
res=$(post "$OURS" authsign -X GET)
check_eq "GET /authsign: 405" 405 "${res%% *}"

out=$(t python3 sock.py hugeheader "${OURS##*:}")
check_eq "a 100 KB header: 431" 431 "$out"
out=$(t python3 sock.py many "${OURS##*:}")
check_eq "300 idle connections held: a new request is still served" 200 "$out"

b64() { printf '%s' "$1" | base64 -w0; }
R=$(python3 -c 'import json; print(json.dumps({"certificate_request": open("leaf.csr").read(), "profile": "client"}))')
for len in 31 33 64 4096; do
	tok=$(head -c "$len" /dev/urandom | base64 -w0)
	same "authsign token of $len bytes" authsign --data-binary "{\"token\":\"$tok\",\"request\":\"$(b64 "$R")\"}"
	check_contains "authsign token of $len bytes: invalid token" "$LAST" '{"code":400,"message":"invalid token"}'
done
tok=$(printf '%s' "$R" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY1" -binary | base64 -w0)
res=$(post "$OURS" authsign --data-binary "{\"token\":\"$tok\",\"request\":\"$(b64 "$R")\"}")
check_eq "authsign with the right token still works" 200 "${res%% *}"

# --- the stalled body was cut by the idle timeout; the server survived it all ---
wait "$SLOW"
sl=$(cat slow.out)
check "the stalled body was closed by the 30 s idle timeout (after $sl s)" \
	python3 -c "import sys; sys.exit(not 25 <= float('$sl') <= 45)"
check "alive after the hostile requests" kill -0 "$OURS_PID"
res=$(post "$OURS" sign --data-binary @sign.json)
check_eq "still signs" 200 "${res%% *}"

kill -TERM "$OURS_PID"
for _ in $(seq 1 100); do
	kill -0 "$OURS_PID" 2>/dev/null || break
	sleep 0.1
done
wait "$OURS_PID"
check_eq "exit 0 on SIGTERM" 0 "$?"
check_not_contains "no sanitizer report" "$(cat ours.log)" "Sanitizer"
finish
