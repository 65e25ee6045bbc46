#!/usr/bin/env bash
# common/net/httpd: the HTTP server module under serve, ocspserve and multirootca, driven through
# tests/tools/httpd_echo.c with curl, gnutls-cli and python3 sockets. Limits of deviation 19
# (413 for bodies over 16 MiB, idle timeout, read deadline, connection cap), TLS per
# deviation 18, mutual TLS and the CN rule of cfssl-serve.md §5, graceful stop on SIGTERM.
# 127.0.0.1 only; every server is started and stopped here by its PID.
. "$(dirname "$0")/lib.sh"

: "${HTTPD_ECHO_BIN:?HTTPD_ECHO_BIN must name tests/tools/httpd_echo}"
require_programs curl python3 gnutls-cli
cd "$WORK" || exit 1

CURL=(curl -sS --max-time 20)

# start_server NAME ARGS...: starts httpd_echo with ARGS on 127.0.0.1, an ephemeral port;
# sets PID and PORT; stdout in NAME.out, the log in NAME.log. Returns 1 if it did not start.
start_server()
{
	local name=$1
	shift
	"$HTTPD_ECHO_BIN" --port 0 "$@" >"$name.out" 2>"$name.log" &
	PID=$!
	lib_track_pid "$PID"
	PORT=
	for _ in $(seq 1 100); do
		PORT=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$name.out")
		[ -n "$PORT" ] && return 0
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "server $name did not start:"
	sed 's/^/     | /' "$name.log"
	return 1
}

# stop_server NAME: SIGTERM, then the exit status must be 0 within 40 s.
stop_server()
{
	local name=$1 rc
	kill -TERM "$PID" 2>/dev/null
	for _ in $(seq 1 400); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$PID"
	rc=$?
	check_eq "$name: exits 0 on SIGTERM" 0 "$rc"
}

# A 17 MiB body, and bodies at the limit and one byte over it.
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >big17
head -c $((16 * 1024 * 1024)) big17 >limit16
head -c $((16 * 1024 * 1024 + 1)) big17 >over16

cat >sock.py <<'EOF'
import socket, sys, time
port = int(sys.argv[2])
def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s
def closed_after(s):
    t = time.time()
    try:
        while s.recv(4096):
            pass
    except (ConnectionResetError, socket.timeout):
        pass
    return time.time() - t
if sys.argv[1] == "slowbody":
    s = conn()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
    print("%.1f" % closed_after(s))
elif sys.argv[1] == "slowheaders":
    s = conn()
    s.sendall(b"GET /info HTTP/1.1\r\nHo")
    print("%.1f" % closed_after(s))
elif sys.argv[1] in ("dribbleheaders", "dribblebody"):
    # one byte every 0.5 s, never idle for long: only a deadline on the whole request cuts it
    s = conn()
    if sys.argv[1] == "dribbleheaders":
        s.sendall(b"GET /info HTTP/1.1\r\n")
        rest = b"X-Slow: " + b"x" * 100 + b"\r\n\r\n"
    else:
        s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        rest = b"y" * 100
    t = time.time()
    try:
        for b in rest:
            s.sendall(bytes([b]))
            time.sleep(0.5)
        print("sent all")
    except (ConnectionResetError, BrokenPipeError):
        print("%.1f" % (time.time() - t))
elif sys.argv[1] == "keepalive":
    # four requests on one connection, 1.5 s apart: the deadline is per request, not per
    # connection
    s = conn()
    out = []
    for _ in range(4):
        s.sendall(b"GET /info HTTP/1.1\r\nHost: x\r\n\r\n")
        out.append(s.recv(4096).split(b"\r\n")[0].split(b" ")[1].decode())
        time.sleep(1.5)
    print(" ".join(out))
elif sys.argv[1] == "dribblenext":
    # after one request, the next one's request line a byte every 0.5 s: cut too
    s = conn()
    s.sendall(b"GET /info HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(4096)
    t = time.time()
    try:
        for b in b"GET /info" + b"x" * 100:
            s.sendall(bytes([b]))
            time.sleep(0.5)
        print("sent all")
    except (ConnectionResetError, BrokenPipeError):
        print("%.1f" % (time.time() - t))
elif sys.argv[1] == "hostile":
    for req in (b"GARBAGE\r\n\r\n",
                b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                b"GET /info HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 100000 + b"\r\n\r\n"):
        s = conn()
        try:
            s.sendall(req)
            line = s.recv(4096).split(b"\r\n")[0].decode()
        except (ConnectionResetError, BrokenPipeError):
            line = "reset"
        print(line.split(" ")[1] if line.startswith("HTTP/") else "closed", end=" ")
    print()
elif sys.argv[1] == "spread":
    # four connections opened at once, then a slow request on each: which workers served them
    import json
    socks = [conn() for _ in range(4)]
    for s in socks:
        s.sendall(b"GET /slow?ms=300 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    threads = set()
    for s in socks:
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        threads.add(json.loads(data.split(b"\r\n\r\n", 1)[1])["result"]["thread"])
    print(len(threads))
elif sys.argv[1] == "cap":
    held = [conn() for _ in range(3)]
    for h in held:
        h.sendall(b"GET /info HTTP/1.1\r\nHost: x\r\n\r\n")
        h.recv(4096)
    extra = conn()
    extra.sendall(b"GET /info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    extra.settimeout(2)
    try:
        waiting = extra.recv(4096) == b"" and "closed" or "answered"
    except socket.timeout:
        waiting = "waits"
    for h in held:
        h.close()
    extra.settimeout(10)
    ok = extra.recv(4096).startswith(b"HTTP/1.1 200")
    print(waiting, "served" if ok else "failed")
EOF

# --- plain HTTP: routing, envelopes, log lines ---
start_server plain || exit 1
base=http://127.0.0.1:$PORT

out=$("${CURL[@]}" -d hello "$base/echo")
check_eq "POST /echo returns the body" hello "$out"
out=$("${CURL[@]}" -D hdr -o body "$base/info?x=a%20b")
hdrs=$(tr -d '\r' <hdr)
check_contains "success: application/json" "$hdrs" "Content-Type: application/json"
check_contains "success envelope" "$(cat body)" '{"success":true,"result":{"method":"GET","path":"/info","uri":"/info?x=a%20b","query":"x=a%20b","x":"a b","remote":"127.0.0.1:'
check_contains "success envelope ends" "$(cat body)" '"errors":[],"messages":[]}'
code=$("${CURL[@]}" -o body -D hdr -w '%{http_code}' "$base/error?code=9002&msg=CSR%20Decode%20failed")
check_eq "cfssl error: status 400" 400 "$code"
check_eq "cfssl error: envelope" '{"success":false,"result":null,"errors":[{"code":9002,"message":"CSR Decode failed"}],"messages":[]}' "$(cat body)"
hdrs=$(tr -d '\r' <hdr)
check_contains "error reply is application/json (deviation 24)" "$hdrs" "Content-Type: application/json"
check_contains "error reply: nosniff" "$hdrs" "X-Content-Type-Options: nosniff"
code=$("${CURL[@]}" -o body -w '%{http_code}' "$base/error?code=0&msg=boom")
check_eq "plain error: status 500" 500 "$code"
check_contains "plain error: code 0" "$(cat body)" '"errors":[{"code":0,"message":"boom"}]'
code=$("${CURL[@]}" -o body -w '%{http_code}' "$base/nosuch")
check_eq "unknown path: 404" 404 "$code"
check_eq "404 body" "404 page not found" "$(cat body)"
log=$(strip_ts <plain.log)
check_contains "request line for a success" "$log" '[INFO] 127.0.0.1:'
check_contains "request line with the query" "$log" ' - "GET /info?x=a%20b" 200'
check_contains "request line with the cfssl code" "$log" ' - "GET /error?code=9002&msg=CSR%20Decode%20failed" 9002'
check_contains "request line with code 0" "$log" ' - "GET /error?code=0&msg=boom" 0'
check_not_contains "no request line for a 404" "$log" '"GET /nosuch"'

# --- body limit (deviation 19) ---
res=$("${CURL[@]}" -o body -w '%{http_code} %{size_upload}' --data-binary @big17 "$base/echo")
check_eq "17 MiB with Content-Length: 413, nothing uploaded" "413 0" "$res"
check_contains "413 envelope" "$(cat body)" '"errors":[{"code":413,"message":"http: request body too large"}]'
res=$("${CURL[@]}" -o body -w '%{http_code}' -H 'Transfer-Encoding: chunked' --data-binary @big17 "$base/echo")
check_eq "17 MiB chunked: 413" 413 "$res"
res=$("${CURL[@]}" -o body -w '%{http_code}' --data-binary @over16 "$base/echo")
check_eq "16 MiB + 1 byte: 413" 413 "$res"
res=$("${CURL[@]}" -o body -w '%{http_code} %{size_download}' -H 'Transfer-Encoding: chunked' --data-binary @limit16 "$base/echo")
check_eq "exactly 16 MiB chunked: served" "200 16777216" "$res"
check "the 16 MiB body came back whole" cmp -s body limit16
res=$("${CURL[@]}" -o body -w '%{http_code} %{size_upload}' -X DELETE --data-binary @big17 "$base/echo")
check_eq "precheck answers before the body: 405, nothing uploaded" "405 0" "$res"
check_contains "413 request line" "$(strip_ts <plain.log)" ' - "POST /echo" 413'

out=$("${CURL[@]}" -v -o /dev/null -o /dev/null "$base/info" "$base/info" 2>&1)
check_contains "keep-alive: the second request reuses the connection" "$out" "Re-using existing connection"
out=$("${CURL[@]}" -I "$base/echo" | tr -d '\r')
check_contains "HEAD gets 405 with the body's length, as cfssl" "$out" "Content-Length: 113"

# --- hostile requests: answered (or closed), never fatal ---
out=$(t python3 sock.py hostile "$PORT")
check_eq "garbage, bad lengths, bad chunk, 100 KB header" "closed 400 413 400 431 " "$out"
check "the server is still up after them" kill -0 "$PID"

# --- 50 requests at once ---
pids=()
for i in $(seq 1 50); do
	"${CURL[@]}" -o "par.$i" -d "request $i" "$base/echo" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p"
done
n=0
for i in $(seq 1 50); do
	[ "$(cat "par.$i" 2>/dev/null)" = "request $i" ] && n=$((n + 1))
done
check_eq "50 parallel requests all answered" 50 "$n"
check "the server is still up" kill -0 "$PID"

# --- SIGHUP is ignored; SIGTERM finishes the request in flight ---
kill -HUP "$PID"
sleep 0.3
out=$("${CURL[@]}" -d after-hup "$base/echo")
check_eq "SIGHUP: still serving" after-hup "$out"
check_contains "SIGHUP logged as ignored" "$(strip_ts <plain.log)" "[INFO] SIGHUP ignored"
"${CURL[@]}" -o slow.body "$base/slow?ms=2000" &
slow=$!
sleep 0.7
kill -TERM "$PID"
sleep 0.3
check_fails "after SIGTERM no new connection is accepted" curl -sS --max-time 5 "$base/echo" -d x
wait "$slow"
check_eq "the request in flight completed" 0 "$?"
check_contains "its reply arrived" "$(cat slow.body)" '"result":{"slept":2000,'
for _ in $(seq 1 100); do
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.1
done
wait "$PID"
check_eq "exit 0 after SIGTERM" 0 "$?"

# --- idle timeout and connection cap ---
start_server slowcl --timeout 2 --max-conn 3 || exit 1
t=$(t python3 sock.py slowbody "$PORT")
check "a stalled body is cut after the 2 s timeout (took $t s)" \
	python3 -c "import sys; sys.exit(not 1.5 <= float('$t') <= 6)"
t=$(t python3 sock.py slowheaders "$PORT")
check "stalled headers are cut after the 2 s timeout (took $t s)" \
	python3 -c "import sys; sys.exit(not 1.5 <= float('$t') <= 6)"
stop_server slowcl
# --- the read deadline: a request that keeps arriving one byte at a time is still cut ---
start_server dribble --timeout 5 --read-deadline 3 || exit 1
t=$(t python3 sock.py dribbleheaders "$PORT")
check "headers sent a byte every 0.5 s are cut at the 3 s deadline (took $t s)" \
	python3 -c "import sys; sys.exit(not 1.5 <= float('$t') <= 6)"
t=$(t python3 sock.py dribblebody "$PORT")
check "a body sent a byte every 0.5 s is cut at the 3 s deadline (took $t s)" \
	python3 -c "import sys; sys.exit(not 1.5 <= float('$t') <= 6)"
check_eq "a kept-alive connection outlives the deadline, request by request" "200 200 200 200" \
	"$(t python3 sock.py keepalive "$PORT")"
t=$(t python3 sock.py dribblenext "$PORT")
check "the next request on a kept-alive connection, a byte every 0.5 s, is cut (took $t s)" \
	python3 -c "import sys; sys.exit(not 1.5 <= float('$t') <= 6)"
check_contains "the cut is logged with the deadline" "$(cat dribble.log)" \
	": request not received within 3 s: connection closed"
stop_server dribble
# connections opened together are served side by side, each by a thread of its own (a pool
# of libmicrohttpd's epoll workers puts up to 10 in a row on one worker, which then serves
# them one at a time)
start_server spread || exit 1
n=$(t python3 sock.py spread "$PORT")
check_eq "four connections opened at once: four threads" 4 "$n"
stop_server spread
start_server cap --max-conn 3 || exit 1
out=$(t python3 sock.py cap "$PORT")
check_eq "a 4th connection over a cap of 3 waits until one closes" "waits served" "$out"
stop_server cap

# --- start-up errors ---
start_server occupy || exit 1
out=$(t "$HTTPD_ECHO_BIN" --port "$PORT" 2>&1)
check_eq "port in use" "listen tcp 127.0.0.1:$PORT: bind: address already in use" "$out"
stop_server occupy
out=$(t "$HTTPD_ECHO_BIN" --port 0 --min-tls 1.4 2>&1)
check_contains "unknown -min-tls-version refused (deviation 18)" "$out" 'invalid minimum TLS version "1.4"'
out=$(t "$HTTPD_ECHO_BIN" --port 0 --tls-cert nonexist.pem --tls-key nonexist.pem 2>&1)
check_eq "missing TLS files" "open nonexist.pem: no such file or directory" "$out"

# --- IPv6 ---
if [ -s /proc/net/if_inet6 ] && start_server v6 --address ::1; then
	out=$("${CURL[@]}" -g "http://[::1]:$PORT/info")
	check_contains "IPv6: remote address in brackets" "$out" '"remote":"[::1]:'
	stop_server v6
fi

# --- TLS ---
cat >csr-ca.json <<'EOF'
{"CN": "httpd test CA", "key": {"algo": "ecdsa", "size": 256}}
EOF
cat >config.json <<'EOF'
{"signing": {"default": {"expiry": "24h"}, "profiles": {
  "server": {"usages": ["signing", "key encipherment", "server auth"], "expiry": "24h"},
  "client": {"usages": ["signing", "key encipherment", "client auth"], "expiry": "24h"}}}}
EOF
gen()
{
	local ca=$1 profile=$2 cn=$3 out=$4
	echo "{\"CN\": \"$cn\", \"hosts\": [\"127.0.0.1\", \"localhost\"], \"key\": {\"algo\": \"ecdsa\", \"size\": 256}}" >"$out.json"
	cfssl gencert -ca "$ca.pem" -ca-key "$ca-key.pem" -config config.json -profile "$profile" \
		"$out.json" 2>/dev/null | cfssljson -bare "$out"
}
cfssl gencert -initca csr-ca.json 2>/dev/null | cfssljson -bare ca
cfssl gencert -initca csr-ca.json 2>/dev/null | cfssljson -bare foreign
gen ca server localhost server
gen ca client client1 client1
gen ca client other other
gen foreign client client2 foreign-client
for f in ca server client1 other foreign-client; do
	[ -s "$f.pem" ] || { echo "could not make $f.pem"; exit 1; }
done

TLS=(--tls-cert server.pem --tls-key server-key.pem)
handshake()
{
	timeout -k 2 10 gnutls-cli --x509cafile ca.pem --priority "$1" -p "$2" 127.0.0.1 </dev/null >/dev/null 2>&1
}

start_server tls "${TLS[@]}" || exit 1
tbase=https://127.0.0.1:$PORT
out=$("${CURL[@]}" --cacert ca.pem -d hello "$tbase/echo")
check_eq "TLS: POST /echo" hello "$out"
check "TLS 1.3 handshake" "${CURL[@]}" -o /dev/null --cacert ca.pem --tlsv1.3 "$tbase/info"
check "TLS 1.2 handshake" "${CURL[@]}" -o /dev/null --cacert ca.pem --tlsv1.2 --tls-max 1.2 "$tbase/info"
check_fails "TLS 1.1 refused by default (deviation 18)" handshake "NORMAL:-VERS-ALL:+VERS-TLS1.1" "$PORT"
check "TLS 1.2 with gnutls-cli" handshake "NORMAL:-VERS-ALL:+VERS-TLS1.2" "$PORT"
code=$("${CURL[@]}" -o body -w '%{http_code}' "http://127.0.0.1:$PORT/plain-probe")
check_eq "TLS: plain HTTP to the TLS port gets Go's 400" 400 "$code"
check_eq "TLS: ... with Go's reason" "Client sent an HTTP request to an HTTPS server." "$(cat body)"
check_eq "TLS: ... and reaches no handler" 0 "$(grep -c plain-probe tls.log)"
out=$("${CURL[@]}" --cacert ca.pem --cert client1.pem --key client1-key.pem "$tbase/info")
check_contains "TLS without mutual TLS: no client CN" "$out" '"cn":null'
stop_server tls

start_server tls10 "${TLS[@]}" --min-tls 1.0 || exit 1
check "-min-tls-version 1.0 honoured: TLS 1.1 accepted" handshake "NORMAL:-VERS-ALL:+VERS-TLS1.1" "$PORT"
stop_server tls10
start_server tls13 "${TLS[@]}" --min-tls 1.3 || exit 1
check_fails "-min-tls-version 1.3 honoured: TLS 1.2 refused" handshake "NORMAL:-VERS-ALL:+VERS-TLS1.2" "$PORT"
check "-min-tls-version 1.3: TLS 1.3 accepted" handshake "NORMAL:-VERS-ALL:+VERS-TLS1.3" "$PORT"
stop_server tls13

out=$(t "$HTTPD_ECHO_BIN" --port 0 --mtls-ca ca.pem 2>&1)
check_contains "mutual TLS without a server certificate refused (deviation 18)" "$out" "mutual TLS (-mutual-tls-ca) needs a server certificate"
out=$(t "$HTTPD_ECHO_BIN" --port 0 "${TLS[@]}" --mtls-ca nonexist.pem 2>&1)
check_eq "mutual TLS CA file missing" "failed to load mutual TLS CA file: open nonexist.pem: no such file or directory" "$out"
out=$(t "$HTTPD_ECHO_BIN" --port 0 "${TLS[@]}" --mtls-ca ca.pem --mtls-cn '(' 2>&1)
check_eq "malformed CN regex" 'malformed CN regex: error parsing regexp: missing closing ): `(`' "$out"
out=$(t "$HTTPD_ECHO_BIN" --port 0 --tls-cert server.pem --tls-key other-key.pem 2>&1)
check_contains "certificate and key that do not match" "$out" "private key does not match public key"

# --- mutual TLS ---
start_server mtls "${TLS[@]}" --mtls-ca ca.pem || exit 1
mbase=https://127.0.0.1:$PORT
out=$("${CURL[@]}" --cacert ca.pem --cert client1.pem --key client1-key.pem "$mbase/info")
check_contains "mutual TLS: a good client is served, its CN seen" "$out" '"cn":"client1"'
check_fails "mutual TLS: no client certificate, no handshake" "${CURL[@]}" --cacert ca.pem "$mbase/info"
check_fails "mutual TLS: a client of a foreign CA refused" \
	"${CURL[@]}" --cacert ca.pem --cert foreign-client.pem --key foreign-client-key.pem "$mbase/info"
check_fails "mutual TLS: a certificate without client auth refused" \
	"${CURL[@]}" --cacert ca.pem --cert server.pem --key server-key.pem "$mbase/info"
check "mutual TLS: the server survived" kill -0 "$PID"
stop_server mtls

start_server mtlscn "${TLS[@]}" --mtls-ca ca.pem --mtls-cn '^client[0-9]+$' || exit 1
mbase=https://127.0.0.1:$PORT
out=$("${CURL[@]}" --cacert ca.pem --cert client1.pem --key client1-key.pem -d ok "$mbase/echo")
check_eq "CN rule: client1 matches" ok "$out"
code=$("${CURL[@]}" -D hdr -o body -w '%{http_code}' --cacert ca.pem --cert other.pem --key other-key.pem -d no "$mbase/echo")
check_eq "CN rule: other gets 403" 403 "$code"
check_eq "CN rule: body" "Invalid CN" "$(cat body)"
check_contains "CN rule: text/plain" "$(tr -d '\r' <hdr)" "Content-Type: text/plain; charset=utf-8"
log=$(strip_ts <mtlscn.log)
check_contains "CN rule: warning line" "$log" '[WARNING] Rejected client cert CN "other" does not match regex ^client[0-9]+$'
check_eq "CN rule: no request line for the refused request" 1 "$(grep -c '"POST /echo"' mtlscn.log)"
stop_server mtlscn

finish
