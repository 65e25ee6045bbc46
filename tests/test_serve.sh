#!/usr/bin/env bash
# cfssl serve's core (cfssl-serve.md §1, §2.1): start-up lines (compared with cfssl master's
# serve where they are deterministic), -disable, the endpoint conditions, routing as Go's
# ServeMux (404, 301), the method check (405), start-up errors, deviation 25's warnings,
# SIGTERM. 127.0.0.1 only; every server is started and stopped here by its PID.
. "$(dirname "$0")/lib.sh"

require_programs curl python3
cd "$WORK" || exit 1

GO_MASTER=${CFSSL_MASTER:-/opt/cfssl-master/bin/cfssl}
CURL=(curl -sS --max-time 20)

echo '{"CN":"Serve Test CA","key":{"algo":"ecdsa","size":256}}' >ca.json
t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca
[ -s ca.pem ] && [ -s ca-key.pem ] || {
	echo "could not make the test CA"
	exit 1
}

# start_serve BIN LOG ARGS...: BIN serve on a free port of 127.0.0.1 with ARGS; sets PORT and
# PID once the port accepts connections. Returns 1 (log shown) if it did not start.
start_serve()
{
	local bin=$1 log=$2
	shift 2
	for _ in 1 2 3 4 5; do
		PORT=$(free_port)
		"$bin" serve -address 127.0.0.1 -port "$PORT" "$@" >"$log" 2>&1 &
		PID=$!
		lib_track_pid "$PID"
		for _ in $(seq 1 100); do
			kill -0 "$PID" 2>/dev/null || break
			if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
				return 0
			fi
			sleep 0.1
		done
		kill "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
		grep -q 'address already in use' "$log" || break
	done
	echo "serve did not start:"
	sed 's/^/     | /' "$log"
	return 1
}

# stop_serve: SIGTERM; sets RC to the exit status (bounded wait).
stop_serve()
{
	kill -TERM "$PID" 2>/dev/null
	for _ in $(seq 1 300); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$PID"
	RC=$?
}

# startup_lines BIN ARGS...: the start-up lines of BIN serve with ARGS, without timestamps,
# the port replaced by PORT, sorted (cfssl sets endpoints up in random order).
startup_lines()
{
	local bin=$1
	shift
	start_serve "$bin" startup.log "$@" || return 1
	stop_serve
	strip_ts <startup.log | grep -v 'SIGTERM received' | sed "s/:$PORT\$/:PORT/" | LC_ALL=C sort
}

# The lines both servers print alike: our `/` line (no web UI) and cfssl's are compared
# apart, and cfssl logs a bundler's load error once per endpoint that builds one.
common_lines()
{
	grep -v "endpoint '/' is" | uniq
}

# --- start-up without flags (§1.2) ---
ours=$(startup_lines "$CFSSL_BIN")
expected="[INFO] Handler set up complete.
[INFO] Initializing signer
[INFO] Now listening on 127.0.0.1:PORT
[INFO] bundler API ready
[INFO] endpoint '/' is not served: cfssl-c has no web UI (requests get 404)
[INFO] endpoint '/api/v1/cfssl/bundle' is enabled
[INFO] endpoint '/api/v1/cfssl/certadd' is enabled
[INFO] endpoint '/api/v1/cfssl/certinfo' is enabled
[INFO] endpoint '/api/v1/cfssl/health' is enabled
[INFO] endpoint '/api/v1/cfssl/init_ca' is enabled
[INFO] endpoint '/api/v1/cfssl/newkey' is enabled
[INFO] endpoint '/api/v1/cfssl/scan' is enabled
[INFO] endpoint '/api/v1/cfssl/scaninfo' is enabled
[INFO] setting up key / CSR generator
[WARNING] couldn't initialize ocsp signer: open : no such file or directory
[WARNING] couldn't initialize signer: {\"code\":2000,\"message\":\"Unknown private key error\"}
[WARNING] endpoint 'authsign' is disabled: signer not initialized
[WARNING] endpoint 'crl' is disabled: signer not initialized
[WARNING] endpoint 'gencrl' is disabled: signer not initialized
[WARNING] endpoint 'info' is disabled: signer not initialized
[WARNING] endpoint 'newcert' is disabled: signer not initialized
[WARNING] endpoint 'ocspsign' is disabled: signer not initialized
[WARNING] endpoint 'revoke' is disabled: cert db not configured (missing -db-config)
[WARNING] endpoint 'sign' is disabled: signer not initialized"
check_eq "no flags: the start-up lines of §1.2" "$expected" "$ours"
# the generator's line comes directly before its endpoint's, as cfssl's constructors log it
start_serve "$CFSSL_BIN" order.log && stop_serve
check_eq "no flags: 'setting up key / CSR generator' directly before newkey's line" \
	"[INFO] endpoint '/api/v1/cfssl/newkey' is enabled" \
	"$(strip_ts <order.log | grep -A1 'setting up key' | tail -n 1)"
check_eq "no flags: 'bundler API ready' directly before bundle's line" \
	"[INFO] endpoint '/api/v1/cfssl/bundle' is enabled" \
	"$(strip_ts <order.log | grep -A1 'bundler API ready' | tail -n 1)"
check_eq "no flags: 'Handler set up complete.' follows the endpoints, then the listener" \
	"[INFO] Handler set up complete.
[INFO] Now listening on 127.0.0.1:$PORT" "$(strip_ts <order.log | sed -n '/Handler set up/,$p' | grep -v SIGTERM)"

# with a CA: every signer endpoint but authsign (no profile with auth_key)
ca_lines=$(startup_lines "$CFSSL_BIN" -ca ca.pem -ca-key ca-key.pem)
check_contains "CA: sign is enabled" "$ca_lines" "[INFO] endpoint '/api/v1/cfssl/sign' is enabled"
check_contains "CA: authsign needs a profile with auth_key" "$ca_lines" \
	"[WARNING] endpoint 'authsign' is disabled: {\"code\":5200,\"message\":\"Invalid or unknown policy\"}"
check_contains "CA: crl needs the database" "$ca_lines" \
	"[WARNING] endpoint 'crl' is disabled: cert db not configured (missing -db-config)"
check_not_contains "CA: no signer warning" "$ca_lines" "couldn't initialize signer"

cat >auth.json <<'EOF'
{"signing":{"default":{"auth_key":"k","expiry":"1h","usages":["signing"]}},
 "auth_keys":{"k":{"type":"standard","key":"0123456789ABCDEF0123456789ABCDEF"}}}
EOF
auth_lines=$(startup_lines "$CFSSL_BIN" -ca ca.pem -ca-key ca-key.pem -config auth.json)
check_contains "auth policy: authsign is enabled" "$auth_lines" \
	"[INFO] endpoint '/api/v1/cfssl/authsign' is enabled"
check_contains "auth policy: sign needs a profile without auth_key" "$auth_lines" \
	"[WARNING] endpoint 'sign' is disabled: {\"code\":5200,\"message\":\"Invalid or unknown policy\"}"

# the listening line names the protocol
tls_lines=$(startup_lines "$CFSSL_BIN" -tls-cert ca.pem -tls-key ca-key.pem)
check_contains "TLS: listening line" "$tls_lines" "[INFO] Now listening on https://127.0.0.1:PORT"
mtls_lines=$(startup_lines "$CFSSL_BIN" -tls-cert ca.pem -tls-key ca-key.pem -mutual-tls-ca ca.pem \
	-ca ca.pem -responder ca.pem -responder-key ca-key.pem)
check_contains "mutual TLS: listening line" "$mtls_lines" \
	"[INFO] Now listening with mutual TLS on https://127.0.0.1:PORT"
check_not_contains "deviation 25: no warning under mutual TLS" "$mtls_lines" "is open to"

# a -remote that cannot be parsed: the signer is not built (cfssl fails every request)
bad_remote=$(startup_lines "$CFSSL_BIN" -remote 127.0.0.1:9)
check_contains "bad -remote: cfssl's bad url line" "$bad_remote" \
	'[ERROR] bad url: parse "127.0.0.1:9": first path segment in URL cannot contain colon'
check_contains "bad -remote: signer warning" "$bad_remote" \
	"[WARNING] couldn't initialize signer: {\"code\":5300,\"message\":\"failed to connect to remote\"}"

# Deviation 25: ocspsign served to anyone is said at start-up, unless disabled
ocsp_lines=$(startup_lines "$CFSSL_BIN" -ca ca.pem -ca-key ca-key.pem -responder ca.pem \
	-responder-key ca-key.pem)
check_contains "deviation 25: a warning names the open ocspsign" "$ocsp_lines" \
	"[WARNING] endpoint '/api/v1/cfssl/ocspsign' is open to every client (no -mutual-tls-ca)"
ocsp_off=$(startup_lines "$CFSSL_BIN" -ca ca.pem -ca-key ca-key.pem -responder ca.pem \
	-responder-key ca-key.pem -disable ocspsign)
check_not_contains "deviation 25: no warning for a disabled ocspsign" "$ocsp_off" "is open to"
check_contains "-disable ocspsign" "$ocsp_off" "[INFO] endpoint 'ocspsign' is explicitly disabled"
check_not_contains "deviation 25: no warning without a responder" "$ca_lines" "is open to"

# -disable: split at ',' without trimming (§1.4); unknown names are ignored
dis_lines=$(startup_lines "$CFSSL_BIN" -ca ca.pem -ca-key ca-key.pem -disable "sign, info,nosuch,/")
check_contains "-disable 'sign, info': sign is disabled" "$dis_lines" \
	"[INFO] endpoint 'sign' is explicitly disabled"
check_contains "-disable 'sign, info': ' info' does not name info" "$dis_lines" \
	"[INFO] endpoint '/api/v1/cfssl/info' is enabled"
check_contains "-disable '/'" "$dis_lines" "[INFO] endpoint '/' is explicitly disabled"
check_not_contains "-disable: an unknown name is ignored" "$dis_lines" "nosuch"

# the same line sets as cfssl master's serve (sorted; `/` apart)
if [ -x "$GO_MASTER" ]; then
	cmp_lines()
	{
		local desc=$1 ours go
		shift
		ours=$(startup_lines "$CFSSL_BIN" "$@" | common_lines)
		go=$(startup_lines "$GO_MASTER" "$@" | common_lines)
		check_eq "same start-up lines as cfssl master: $desc" "$go" "$ours"
	}
	cmp_lines "no flags"
	cmp_lines "a CA" -ca ca.pem -ca-key ca-key.pem
	cmp_lines "an auth policy" -ca ca.pem -ca-key ca-key.pem -config auth.json
	cmp_lines "-disable 'sign, info'" -ca ca.pem -ca-key ca-key.pem -disable "sign, info,nosuch,/"
	cmp_lines "a bundle that does not load" -ca ca.pem -ca-key ca-key.pem -ca-bundle nonexist.pem \
		-int-bundle ca.pem
	cmp_lines "-remote" -remote http://127.0.0.1:9 -config auth.json
	cmp_lines "-remote with client TLS files" -remote 127.0.0.1 -tls-remote-ca ca.pem \
		-mutual-tls-client-cert ca.pem -mutual-tls-client-key ca-key.pem
	cmp_lines "an unreadable client key" -mutual-tls-client-cert ca.pem \
		-mutual-tls-client-key nonexist.pem
	cmp_lines "an unreadable -tls-remote-ca" -ca ca.pem -ca-key ca-key.pem -tls-remote-ca nonexist.pem
	cmp_lines "an OCSP signer with -key" -ca ca.pem -responder ca.pem -key ca-key.pem -disable ocspsign
	cmp_lines "TLS" -tls-cert ca.pem -tls-key ca-key.pem
	cmp_lines "mutual TLS" -tls-cert ca.pem -tls-key ca-key.pem -mutual-tls-ca ca.pem
	go_root=$(startup_lines "$GO_MASTER" -disable x | grep "endpoint '/'")
	check_eq "cfssl master serves '/' (we do not)" "[INFO] endpoint '/' is enabled" "$go_root"
else
	echo "cfssl master not found at $GO_MASTER: comparison skipped"
fi

# --- routing and the method check ---
start_serve "$CFSSL_BIN" route.log -ca ca.pem -ca-key ca-key.pem -disable sign || finish
base="http://127.0.0.1:$PORT"
for path in /api/v1/cfssl/nosuch /api/v1/cfssl/ /api/v1/cfssl /api/v1/cfssl/health/ \
	/API/v1/cfssl/health / /index.html /api/v1/cfssl/sign; do
	out=$("${CURL[@]}" -D hdr -o body -w '%{http_code}' "$base$path")
	check_eq "404 for $path" "404" "$out"
	check_eq "404 body for $path" "404 page not found" "$(cat body)"
	check_contains "404 content type for $path" "$(tr -d '\r' <hdr)" \
		"Content-Type: text/plain; charset=utf-8"
	check_contains "404 nosniff for $path" "$(tr -d '\r' <hdr)" "X-Content-Type-Options: nosniff"
done
out=$("${CURL[@]}" -X POST -D hdr -o body -w '%{http_code}' "$base/api/v1/cfssl//health")
check_eq "301 for //" "301" "$out"
check_contains "301 Location" "$(tr -d '\r' <hdr)" "Location: /api/v1/cfssl/health"
out=$("${CURL[@]}" --path-as-is -D hdr -o body -w "%{http_code}" "$base/api/v1/cfssl/./x/../info?a=b")
check_eq "301 for /./ and /../" "301" "$out"
check_contains "301 keeps the query" "$(tr -d '\r' <hdr)" "Location: /api/v1/cfssl/info?a=b"
check_eq "301 body for GET" '<a href="/api/v1/cfssl/info?a=b">Moved Permanently</a>.' \
	"$(head -n 1 body)"

out=$("${CURL[@]}" -X POST -o body -w '%{http_code}' --data-binary @ca.pem "$base/api/v1/cfssl/health")
check_eq "405 for POST to health" "405" "$out"
check_eq "405 body" \
	'{"success":false,"result":null,"errors":[{"code":405,"message":"Method is not allowed:\"POST\""}],"messages":[]}' \
	"$(cat body)"
for m in GET HEAD OPTIONS PUT DELETE; do
	if [ "$m" = HEAD ]; then
		out=$("${CURL[@]}" -I -o /dev/null -w '%{http_code}' "$base/api/v1/cfssl/info")
	else
		out=$("${CURL[@]}" -X "$m" -o body -w '%{http_code}' "$base/api/v1/cfssl/info")
	fi
	check_eq "405 for $m to info (POST only)" "405" "$out"
done
out=$("${CURL[@]}" -I -w '%{http_code}' "$base/api/v1/cfssl/health" | tr -d '\r')
check_contains "HEAD: 405 with the length of the body it does not send" "$out" "Content-Length: 113"
check_contains "405 message names the method" "$(cat body)" 'Method is not allowed:\"DELETE\"'
out=$("${CURL[@]}" -X POST -o /dev/null -w '%{http_code}' "$base/api/v1/cfssl/scaninfo")
check_eq "405 for POST to scaninfo (GET only)" "405" "$out"
out=$("${CURL[@]}" -X POST -o /dev/null -w '%{http_code}' -d '{}' "$base/api/v1/cfssl/info")
check_not_contains "an enabled endpoint is dispatched (not 404/405)" "404 405" "$out"
check_contains "405 is logged with the request line" "$(strip_ts <route.log)" \
	"[INFO] 127.0.0.1:"
check_contains "405 log line" "$(strip_ts <route.log)" '- "POST /api/v1/cfssl/health" 405'
check_not_contains "404 is not logged" "$(cat route.log)" '"GET /api/v1/cfssl/nosuch"'

# a garbage request does not take the server down
python3 - "$PORT" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"\x00\xff garbage \r\n\r\n\x16\x03\x01 GET / HTTP/9.9\r\n\r\n")
try:
    s.recv(4096)
except Exception:
    pass
s.close()
EOF
out=$("${CURL[@]}" -X POST -o /dev/null -w '%{http_code}' "$base/api/v1/cfssl/health")
check_eq "the server answers after a garbage request" "405" "$out"

stop_serve
check_eq "SIGTERM: exit 0" 0 "$RC"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
	lib_fail "SIGTERM: the port is closed"
else
	lib_pass "SIGTERM: the port is closed"
fi

start_serve "$CFSSL_BIN" int.log || finish
kill -INT "$PID"
for _ in $(seq 1 300); do
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.1
done
wait "$PID"
check_eq "SIGINT: exit 0" 0 "$?"

# --- start-up errors (exit 1, one line on stderr) ---
# run_fail DESC EXPECTED_LAST_LINE ARGS...
run_fail()
{
	local desc=$1 want=$2 out rc
	shift 2
	out=$(t "$CFSSL_BIN" serve -address 127.0.0.1 "$@" 2>&1)
	rc=$?
	check_eq "$desc: exit 1" 1 "$rc"
	check_eq "$desc: message" "$want" "$(printf '%s\n' "$out" | tail -n 1)"
}
run_fail "a positional argument" \
	"argument is provided but not defined; please refer to the usage by flag -h" -port 1 extra
run_fail "-metadata unreadable" \
	"platform metadata failed to load: open nonexist.json: no such file or directory" \
	-port 1 -metadata nonexist.json
run_fail "-db-config unreadable" '{"code":5200,"message":"could not read configuration file"}' \
	-port 1 -db-config nonexist.json
echo '{"driver":"postgres","data_source":"dbname=x"}' >db.json
run_fail "-db-config: no certificate database yet" \
	"the certificate database (-db-config) is not supported by cfssl-c serve yet; refusing to start rather than issue certificates that are not recorded" \
	-port 1 -db-config db.json
run_fail "-tls-cert unreadable" "open nonexist.pem: no such file or directory" \
	-port "$(free_port)" -tls-cert nonexist.pem -tls-key ca-key.pem
out=$(t "$CFSSL_BIN" serve -address 127.0.0.1 -port "$(free_port)" -min-tls-version bogus 2>&1)
check_eq "-min-tls-version bogus: exit 1" 1 "$?"
check_contains "-min-tls-version bogus: message" "$out" 'invalid minimum TLS version "bogus"'
run_fail "a port out of range" "listen tcp: address 70000: invalid port" -port 70000

start_serve "$CFSSL_BIN" held.log || finish
out=$(t "$CFSSL_BIN" serve -address 127.0.0.1 -port "$PORT" 2>&1)
check_eq "bind failure: exit 1" 1 "$?"
check_eq "bind failure: message" "listen tcp 127.0.0.1:$PORT: bind: address already in use" \
	"$(printf '%s\n' "$out" | tail -n 1)"
check_contains "bind failure: the listening line comes first, as cfssl's" "$out" \
	"[INFO] Now listening on 127.0.0.1:$PORT"
stop_serve

finish
