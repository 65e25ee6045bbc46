#!/usr/bin/env bash
# Issue 12: `cfssl serve` keeps the CA key out of the process that parses HTTP. The key
# process (a child of serve) holds it; serve itself, once started, is confined
# (cf_process_restrict). Checked from outside, with no hook in the product:
#   - the CA key's private scalar (big- and little-endian) and the key file's text are not in
#     serve's memory, while the same scan finds a marker put in serve's environment and the
#     scalar in the key process (root only: /proc/PID/mem of a non-dumpable process);
#   - /sign works, and still works with the key file removed after start;
#   - both processes run with no-new-privs and a seccomp filter;
#   - calls injected into serve with gdb (when gdb is installed and may attach): the key file
#     and /etc/passwd do not open (EACCES), /etc/hosts does, -int-dir is writable and the
#     working folder is not, execve fails with EPERM;
#   - proxy mode (-remote) signs through libcurl from a confined process.
# The probes from inside the confined workers are tests/test_keyproc_isolation.sh's.
. "$(dirname "$0")/lib.sh"
require_programs curl jq openssl python3
cd "$WORK" || exit 1
SCAN="$SRCDIR/tests/tools/memscan.py"
CURL=(curl -sS --max-time 20)

echo '{"CN":"Serve Keyproc CA","key":{"algo":"ecdsa","size":256}}' | t cfssl gencert -initca - 2>/dev/null |
	t cfssljson -bare ca
echo '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}' |
	t cfssl genkey - 2>/dev/null | t cfssljson -bare leaf
[ -s ca-key.pem ] && [ -s leaf.csr ] || {
	echo "setup failed"
	exit 1
}
be=$(openssl pkey -in ca-key.pem -text -noout | sed -n '/^priv:/,/^pub:/{/^ /p}' | tr -d ' :\n')
be=${be: -64}
le=$(echo "$be" | fold -w2 | tac | tr -d '\n')
pemhex=$(sed -n 2p ca-key.pem | cut -c1-48 | tr -d '\n' | od -An -tx1 | tr -d ' \n')
check_eq "a 32-byte scalar" 64 "${#be}"
marker=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
marker_hex=$(printf %s "$marker" | od -An -tx1 | tr -d ' \n')

# sign_ok URL DESC: /sign of leaf.csr at URL gives a certificate the CA verifies
sign_ok()
{
	jq -n --rawfile csr leaf.csr '{certificate_request: $csr}' >req.json
	"${CURL[@]}" -d @req.json "$1/api/v1/cfssl/sign" | jq -r .result.certificate >leaf.pem
	check "$2" openssl verify -no-CApath -no-CAstore -CAfile ca.pem leaf.pem
}

mkdir stash
# gdb puts the string arguments of the calls it injects in memory it mallocs in serve and
# never frees: a sanitizer build's leak check would count them.
SERVE_ENV=(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" CF_TEST_MARKER="$marker")
start_serve "$CFSSL_BIN" serve.log -ca "$WORK/ca.pem" -ca-key "$WORK/ca-key.pem" -int-dir "$WORK/stash" || exit 1
URL=http://127.0.0.1:$PORT
KEYPID=$(cat "/proc/$PID/task/$PID/children" 2>/dev/null | awk '{print $1}')
check "serve has a key process" test -n "$KEYPID"
check_not_contains "no Landlock warning on this kernel" "$(cat serve.log)" "no Landlock"

sign_ok "$URL" "/sign works"
mv ca-key.pem ca-key.saved
sign_ok "$URL" "/sign still works with the key file removed"
mv ca-key.saved ca-key.pem

if scan=$(python3 "$SCAN" "$PID" "$marker_hex" "$be" "$le" "$pemhex" 2>/dev/null); then
	check_eq "the scan finds the marker in serve's memory (control)" found "$(sed -n 1p <<<"$scan")"
	check_eq "the scalar (big-endian) is not in serve's memory" absent "$(sed -n 2p <<<"$scan")"
	check_eq "the scalar (little-endian) is not in serve's memory" absent "$(sed -n 3p <<<"$scan")"
	check_eq "the key file's text is not in serve's memory" absent "$(sed -n 4p <<<"$scan")"
	check_contains "the scan finds the scalar in the key process (control)" \
		"$(python3 "$SCAN" "$KEYPID" "$be" "$le")" found
else
	echo "note: cannot read serve's memory (needs root or CAP_SYS_PTRACE): scan skipped"
fi

for p in "$PID" "$KEYPID"; do
	[ "$p" = "$PID" ] && who=serve || who="key process"
	check_contains "$who: no new privileges" "$(cat "/proc/$p/status")" $'NoNewPrivs:\t1'
	check_contains "$who: seccomp filter" "$(cat "/proc/$p/status")" $'Seccomp:\t2'
done

if gdb_usable; then
	errno=$GDB_ERRNO
	out=$(gdb_calls "open(\"$WORK/ca-key.pem\", 0)" "$errno")
	check_eq "serve cannot open the CA key file (EACCES)" "-1 13 " "$out"
	out=$(gdb_calls 'open("/etc/passwd", 0)' "$errno")
	check_eq "nor /etc/passwd" "-1 13 " "$out"
	out=$(gdb_calls 'open("/etc/hosts", 0)')
	check "but /etc/hosts (name resolution)" test "${out% }" -ge 0
	out=$(gdb_calls "open(\"$WORK/stash/new.pem\", 0101, 0600)")
	check "-int-dir is writable" test "${out% }" -ge 0
	out=$(gdb_calls "open(\"$WORK/new.pem\", 0101, 0600)" "$errno")
	check_eq "the working folder is not" "-1 13 " "$out"
	out=$(gdb_calls 'execve("/bin/true", 0, 0)' "$errno")
	check_eq "exec fails with EPERM" "-1 1 " "$out"
	check "serve still serves after the probes" kill -0 "$PID"
else
	echo "note: gdb missing or cannot attach: injected probes skipped"
fi

# proxy mode: a confined serve signs through libcurl
A_PID=$PID
SERVE_ENV=(ASAN_OPTIONS="${ASAN_OPTIONS:-}" CF_TEST_MARKER="$marker")
start_serve "$CFSSL_BIN" proxy.log -remote "$URL" || exit 1
sign_ok "http://127.0.0.1:$PORT" "proxy mode (-remote) signs through the first server"
check_contains "the proxy is confined too" "$(cat "/proc/$PID/status")" $'Seccomp:\t2'

for p in "$PID" "$A_PID"; do
	kill -TERM "$p"
	for _ in $(seq 1 100); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	wait "$p"
	check_eq "serve $p exits 0 on SIGTERM" 0 "$?"
done
check_fails "the key process is gone" kill -0 "$KEYPID"
finish
