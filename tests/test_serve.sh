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

# stop_serve: SIGTERM; sets RC to the exit status (bounded wait).
stop_serve()
{
	stop_pid "$PID" TERM
}

# stop_pid PID SIGNAL: sends SIGNAL, waits at most 30 s, then SIGKILL; sets RC to the exit
# status (137 when the signal did not stop it).
stop_pid()
{
	kill -"$2" "$1" 2>/dev/null
	for _ in $(seq 1 300); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1"
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
# apart, deviation 25's warnings are ours only, cfssl logs a bundler's load error once per
# endpoint that builds one, and Go's http package logs the port probe's TLS handshake.
common_lines()
{
	grep -v -e "endpoint '/' is" -e "is open to every client" -e '^http: ' | uniq
}

# case_lines NAME ARGS...: our start-up lines with ARGS in NAME.c; with cfssl master at
# hand, its lines in NAME.go and the two sets compared.
case_lines()
{
	local name=$1
	shift
	startup_lines "$CFSSL_BIN" "$@" >"$name.c"
	if [ -x "$GO_MASTER" ]; then
		startup_lines "$GO_MASTER" "$@" >"$name.go"
		check_eq "same start-up lines as cfssl master: $name" \
			"$(common_lines <"$name.go")" "$(common_lines <"$name.c")"
	fi
}
[ -x "$GO_MASTER" ] || echo "cfssl master not found at $GO_MASTER: no comparison"

# --- start-up without flags (§1.2) ---
case_lines noflags
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
check_eq "no flags: the start-up lines of §1.2" "$expected" "$(cat noflags.c)"
if [ -x "$GO_MASTER" ]; then
	check_contains "cfssl master serves '/' (we do not)" "$(cat noflags.go)" \
		"[INFO] endpoint '/' is enabled"
fi
# the constructors' lines come directly before their endpoint's (order.log: not sorted)
start_serve "$CFSSL_BIN" order.log && stop_serve
check_eq "'setting up key / CSR generator' directly before newkey's line" \
	"[INFO] endpoint '/api/v1/cfssl/newkey' is enabled" \
	"$(strip_ts <order.log | grep -A1 'setting up key' | tail -n 1)"
check_eq "'bundler API ready' directly before bundle's line" \
	"[INFO] endpoint '/api/v1/cfssl/bundle' is enabled" \
	"$(strip_ts <order.log | grep -A1 'bundler API ready' | tail -n 1)"
check_eq "'Handler set up complete.' follows the endpoints, then the listener" \
	"[INFO] Handler set up complete.
[INFO] Now listening on 127.0.0.1:$PORT" "$(strip_ts <order.log | sed -n '/Handler set up/,$p' | grep -v SIGTERM)"

# with a CA: every signer endpoint but authsign (no profile with auth_key)
case_lines ca -ca ca.pem -ca-key ca-key.pem
check_contains "CA: sign is enabled" "$(cat ca.c)" "[INFO] endpoint '/api/v1/cfssl/sign' is enabled"
check_contains "CA: authsign needs a profile with auth_key" "$(cat ca.c)" \
	"[WARNING] endpoint 'authsign' is disabled: {\"code\":5200,\"message\":\"Invalid or unknown policy\"}"
check_contains "CA: crl needs the database" "$(cat ca.c)" \
	"[WARNING] endpoint 'crl' is disabled: cert db not configured (missing -db-config)"
check_not_contains "CA: no signer warning" "$(cat ca.c)" "couldn't initialize signer"
check_not_contains "deviation 25: no warning without a responder" "$(cat ca.c)" "is open to"

cat >auth.json <<'EOF'
{"signing":{"default":{"auth_key":"k","expiry":"1h","usages":["signing"]}},
 "auth_keys":{"k":{"type":"standard","key":"0123456789ABCDEF0123456789ABCDEF"}}}
EOF
case_lines auth -ca ca.pem -ca-key ca-key.pem -config auth.json
check_contains "auth policy: authsign is enabled" "$(cat auth.c)" \
	"[INFO] endpoint '/api/v1/cfssl/authsign' is enabled"
check_contains "auth policy: sign needs a profile without auth_key" "$(cat auth.c)" \
	"[WARNING] endpoint 'sign' is disabled: {\"code\":5200,\"message\":\"Invalid or unknown policy\"}"

# -disable: split at ',' without trimming (§1.4); unknown names are ignored
case_lines disable -ca ca.pem -ca-key ca-key.pem -disable "sign, info,nosuch,/"
check_contains "-disable 'sign, info': sign is disabled" "$(cat disable.c)" \
	"[INFO] endpoint 'sign' is explicitly disabled"
check_contains "-disable 'sign, info': ' info' does not name info" "$(cat disable.c)" \
	"[INFO] endpoint '/api/v1/cfssl/info' is enabled"
check_contains "-disable '/'" "$(cat disable.c)" "[INFO] endpoint '/' is explicitly disabled"
check_not_contains "-disable: an unknown name is ignored" "$(cat disable.c)" "nosuch"

# Deviation 25: ocspsign served to anyone is said at start-up, unless disabled or under
# mutual TLS
case_lines ocsp -ca ca.pem -ca-key ca-key.pem -responder ca.pem -responder-key ca-key.pem
check_contains "deviation 25: a warning names the open ocspsign" "$(cat ocsp.c)" \
	"[WARNING] endpoint '/api/v1/cfssl/ocspsign' is open to every client (no -mutual-tls-ca)"
case_lines ocsp_key_disabled -ca ca.pem -responder ca.pem -key ca-key.pem -disable ocspsign
check_not_contains "deviation 25: no warning for a disabled ocspsign" \
	"$(cat ocsp_key_disabled.c)" "is open to"
check_contains "-disable ocspsign" "$(cat ocsp_key_disabled.c)" \
	"[INFO] endpoint 'ocspsign' is explicitly disabled"

# the listening line names the protocol
case_lines tls -tls-cert ca.pem -tls-key ca-key.pem
check_contains "TLS: listening line" "$(cat tls.c)" "[INFO] Now listening on https://127.0.0.1:PORT"
case_lines mtls -tls-cert ca.pem -tls-key ca-key.pem -mutual-tls-ca ca.pem -ca ca.pem \
	-responder ca.pem -responder-key ca-key.pem
check_contains "mutual TLS: listening line" "$(cat mtls.c)" \
	"[INFO] Now listening with mutual TLS on https://127.0.0.1:PORT"
check_not_contains "deviation 25: no warning under mutual TLS" "$(cat mtls.c)" "is open to"

# proxy mode and the client TLS files for remotes
case_lines remote -remote http://127.0.0.1:9 -config auth.json
check_contains "-remote: info is served" "$(cat remote.c)" \
	"[INFO] endpoint '/api/v1/cfssl/info' is enabled"
case_lines remote_tls -remote 127.0.0.1 -tls-remote-ca ca.pem -mutual-tls-client-cert ca.pem \
	-mutual-tls-client-key ca-key.pem
check_contains "-tls-remote-ca is logged" "$(cat remote_tls.c)" \
	"[INFO] Using trusted CA from tls-remote-ca: ca.pem"
case_lines bad_client_key -mutual-tls-client-cert ca.pem -mutual-tls-client-key nonexist.pem
check_contains "an unreadable client key: cfssl's CRITICAL line" "$(cat bad_client_key.c)" \
	"[CRITICAL] Unable to read client certificate from file: ca.pem or key from file: nonexist.pem"
case_lines bad_bundle -ca ca.pem -ca-key ca-key.pem -ca-bundle nonexist.pem -int-bundle ca.pem
check_contains "a bundle that does not load disables sign" "$(cat bad_bundle.c)" \
	"[WARNING] endpoint 'sign' is disabled: {\"code\":4001,\"message\":\"open nonexist.pem: no such file or directory\"}"

# policies with remote profiles: all remote (cfssl builds no local signer, needs no CA), mixed
cat >remote_policy.json <<'EOF'
{"signing":{"default":{"remote":"r","expiry":"1h","usages":["signing"]}},
 "remotes":{"r":"http://127.0.0.1:9"}}
EOF
cat >mixed_policy.json <<'EOF'
{"signing":{"default":{"expiry":"1h","usages":["signing"]},
 "profiles":{"x":{"remote":"r","usages":["signing"],"expiry":"1h"}}},
 "remotes":{"r":"127.0.0.1:9"}}
EOF
case_lines remote_policy -config remote_policy.json
check_contains "all-remote policy: a signer without CA" "$(cat remote_policy.c)" \
	"[INFO] endpoint '/api/v1/cfssl/sign' is enabled"
case_lines mixed_policy_no_ca -config mixed_policy.json
check_contains "mixed policy without CA: no signer" "$(cat mixed_policy_no_ca.c)" \
	"[WARNING] endpoint 'sign' is disabled: signer not initialized"
case_lines mixed_policy -config mixed_policy.json -ca ca.pem -ca-key ca-key.pem

# a -remote that cannot be parsed: the signer is not built (cfssl fails every request)
startup_lines "$CFSSL_BIN" -remote 127.0.0.1:9 >bad_remote.c
check_contains "bad -remote: cfssl's bad url line" "$(cat bad_remote.c)" \
	'[ERROR] bad url: parse "127.0.0.1:9": first path segment in URL cannot contain colon'
check_contains "bad -remote: signer warning" "$(cat bad_remote.c)" \
	"[WARNING] couldn't initialize signer: {\"code\":5300,\"message\":\"failed to connect to remote\"}"

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
stop_pid "$PID" INT
check_eq "SIGINT: exit 0" 0 "$RC"

# A client that finds the port open may stop the server at once: the signal arrives while
# the server still sets itself up after listen(2) (strace holds it there for a second). It
# must not be lost (a SIGINT that the shell's `&` set to ignored) nor kill the process
# (SIGTERM's default action): exit 0 with the line that it was received.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
	for sig in INT TERM; do
		port=$(pick_port)
		# (LeakSanitizer cannot check a traced process at exit: the sanitizer build's leak
		# check is off for this one)
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			strace -o /dev/null -e trace=listen -e inject=listen:delay_exit=1000000 \
			"$CFSSL_BIN" serve -address 127.0.0.1 -port "$port" >early.log 2>&1 &
		spid=$!
		lib_track_pid "$spid"
		for _ in $(seq 1 100); do
			port_open "$port" && break
			sleep 0.05
		done
		# the server is strace's child: signal it, not strace
		target=$(pgrep -P "$spid" | head -n 1)
		lib_track_pid "$target"
		kill -"$sig" "$target" 2>/dev/null
		for _ in $(seq 1 300); do
			kill -0 "$target" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$target" 2>/dev/null
		wait "$spid" # strace exits with the server's status
		RC=$?
		check_eq "SIG$sig right after listen(2): exit 0" 0 "$RC"
		check_contains "SIG$sig right after listen(2): received" "$(cat early.log)" \
			"[INFO] SIG$sig received: finishing the requests in flight"
	done
fi

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
echo '{"driver":"nosuch","data_source":"x"}' >db.json
run_fail "-db-config: unknown driver" 'sql: unknown driver "nosuch" (forgotten import?)' \
	-port 1 -db-config db.json
run_fail "-tls-cert unreadable" "open nonexist.pem: no such file or directory" \
	-port "$(pick_port)" -tls-cert nonexist.pem -tls-key ca-key.pem
out=$(t "$CFSSL_BIN" serve -address 127.0.0.1 -port "$(pick_port)" -min-tls-version bogus 2>&1)
check_eq "-min-tls-version bogus: exit 1" 1 "$?"
check_contains "-min-tls-version bogus: message" "$out" 'invalid minimum TLS version "bogus"'
run_fail "a port out of range" "listen tcp: address 70000: invalid port" -port 70000

# --- plain HTTP to the TLS port (§5): Go's 400, compared with Debian's cfssl 1.2 ---
# raw PART...: the parts sent 0.3 s apart on one connection to $PORT, then what comes back
raw()
{
	(
		exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
		for p in "$@"; do
			printf "$p" >&3
			sleep 0.3
		done
		timeout 5 cat <&3
	) 2>/dev/null
}
PLAIN_400=$'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.'
echo '{"CN":"127.0.0.1","hosts":["127.0.0.1"],"key":{"algo":"ecdsa","size":256}}' >tlsleaf.json
t cfssl gencert -ca ca.pem -ca-key ca-key.pem tlsleaf.json 2>/dev/null | t cfssljson -bare tlsleaf
printf '{"CN":"x"}' >x.json
t cfssl genkey x.json 2>/dev/null | t cfssljson -bare x
for bin in "$CFSSL_BIN" /usr/bin/cfssl; do
	[ -x "$bin" ] || continue
	who=cfssl-c
	[ "$bin" = "$CFSSL_BIN" ] || who="cfssl 1.2"
	start_serve "$bin" plain.log -ca ca.pem -ca-key ca-key.pem -tls-cert tlsleaf.pem \
		-tls-key tlsleaf-key.pem || finish
	code=$("${CURL[@]}" -o body -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/cfssl/health")
	check_eq "$who: plain HTTP to the TLS port: 400" 400 "$code"
	check_eq "$who: plain HTTP to the TLS port: Go's text" \
		"Client sent an HTTP request to an HTTPS server." "$(cat body)"
	check_eq "$who: a request line sent a byte at a time: the same reply" "$PLAIN_400" \
		"$(raw P O S T ' /api/v1/cfssl/sign HTTP/1.1\r\n\r\n')"
	check_eq "$who: 'OPTIONS': the same reply" "$PLAIN_400" "$(raw 'OPTIONS * HTTP/1.1\r\n\r\n')"
	check_eq "$who: bytes that are neither TLS nor HTTP: closed without a reply" "" \
		"$(raw '\001\002\003\004\005\006')"
	t "$CFSSL_BIN" sign -remote "http://127.0.0.1:$PORT" x.csr >/dev/null 2>plain.err
	if [ "$who" = cfssl-c ]; then
		# the rest of the request is read before closing: the client gets the reason
		check_eq "$who: the remote client given http:// for an https:// server" \
			'{"code":7400,"message":"Client sent an HTTP request to an HTTPS server.\n"}' \
			"$(tail -n 1 plain.err)"
	else
		# Go's server closes with the request's body unread: the connection is reset
		t /usr/bin/cfssl sign -remote "http://127.0.0.1:$PORT" x.csr >/dev/null 2>go.err
		check_eq "$who: its reset connection, worded as by cfssl's client" \
			"$(tail -n 1 go.err | sed 's/:[0-9]*-/:P-/')" \
			"$(tail -n 1 plain.err | sed 's/:[0-9]*-/:P-/')"
		check_contains "$who: ... which is a reset" "$(cat go.err)" "connection reset by peer"
	fi
	code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' --cacert ca.pem -d '{}' \
		"https://127.0.0.1:$PORT/api/v1/cfssl/sign")
	check_eq "$who: TLS served as before" 400 "$code"
	stop_serve
done

start_serve "$CFSSL_BIN" held.log || finish
out=$(t "$CFSSL_BIN" serve -address 127.0.0.1 -port "$PORT" 2>&1)
check_eq "bind failure: exit 1" 1 "$?"
check_eq "bind failure: message" "listen tcp 127.0.0.1:$PORT: bind: address already in use" \
	"$(printf '%s\n' "$out" | tail -n 1)"
check_contains "bind failure: the listening line comes first, as cfssl's" "$out" \
	"[INFO] Now listening on 127.0.0.1:$PORT"
stop_serve

finish
