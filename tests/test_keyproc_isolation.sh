#!/usr/bin/env bash
# Issue 12: the CA key never lives in the process that parses HTTP. tests/tools/isolated_server
# is laid out as serve is: cf_ca_load_isolated forks the key process, and common/net/httpd's ready
# hook confines the process with cf_process_restrict before its workers start. From outside:
# the CA key's private scalar is not in the server's memory (the same scan finds a marker
# there, and finds the scalar in the key process); signing works with the key file gone; the
# workers cannot open the key file (nor other files), cannot exec, can write only into the
# folder they were given, and still reach a remote through libcurl loaded after the
# confinement. Both processes run with no-new-privs and a seccomp filter.
. "$(dirname "$0")/lib.sh"
: "${ISOLATED_SERVER:?ISOLATED_SERVER must name tests/tools/isolated_server}"
require_programs curl openssl python3
cd "$WORK" || exit 1
SCAN="$SRCDIR/tests/tools/memscan.py"
CURL=(curl -sS --max-time 20)

echo '{"CN":"isolation CA","key":{"algo":"ecdsa","size":256}}' | t cfssl genkey -initca - 2>/dev/null |
	t cfssljson -bare ca
check "an ECDSA CA" test -s ca-key.pem -a -s ca.pem
openssl x509 -in ca.pem -pubkey -noout >ca-pub.pem
# The private scalar, big-endian as openssl prints it and little-endian as GMP and Nettle keep
# it, and a piece of the key file's base64 text.
be=$(openssl pkey -in ca-key.pem -text -noout | sed -n '/^priv:/,/^pub:/{/^ /p}' | tr -d ' :\n')
be=${be: -64}
le=$(echo "$be" | fold -w2 | tac | tr -d '\n')
pemhex=$(sed -n 2p ca-key.pem | cut -c1-48 | tr -d '\n' | od -An -tx1 | tr -d ' \n')
check_eq "a 32-byte scalar" 64 "${#be}"
marker=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')

mkdir stash
CF_TEST_MARKER=$marker "$ISOLATED_SERVER" "$WORK/ca.pem" "$WORK/ca-key.pem" "$WORK/stash" \
	>server.out 2>server.log &
lib_track_pid $!
for _ in $(seq 1 100); do
	grep -q '^pid' server.out && break
	sleep 0.1
done
read -r _ PID _ KEYPID _ PORT <server.out
check "the server starts" test -n "${PORT:-}"
[ -n "${PORT:-}" ] || { cat server.log; finish; }
URL=http://127.0.0.1:$PORT

# --- signing, also with the key file removed ---
echo "to be signed" >data
sign_verifies()
{
	"${CURL[@]}" --data-binary @data -o sig "$URL/sign" &&
		openssl dgst -sha256 -verify ca-pub.pem -signature sig data >/dev/null
}
check "a signature from the key process verifies" sign_verifies
cp ca-key.pem ca-key.saved
rm ca-key.pem
check "signing still works with the key file removed" sign_verifies
cp ca-key.saved ca-key.pem

# --- memory ---
marker_hex=$(printf %s "$marker" | od -An -tx1 | tr -d ' \n')
if scan=$(python3 "$SCAN" "$PID" "$marker_hex" "$be" "$le" "$pemhex" 2>/dev/null); then
	check_eq "the scan finds the marker in the server's memory (control)" found "$(sed -n 1p <<<"$scan")"
	check_eq "the scalar (big-endian) is not in the server's memory" absent "$(sed -n 2p <<<"$scan")"
	check_eq "the scalar (little-endian) is not in the server's memory" absent "$(sed -n 3p <<<"$scan")"
	check_eq "the key file's text is not in the server's memory" absent "$(sed -n 4p <<<"$scan")"
	kscan=$(python3 "$SCAN" "$KEYPID" "$be" "$le")
	check_contains "the scan finds the scalar in the key process (control)" "$kscan" found
else
	echo "note: cannot read the server's memory (needs root or CAP_SYS_PTRACE): scan skipped"
fi

# --- what the confined workers can still do ---
probe() { "${CURL[@]}" "$URL/$1"; }
check_eq "the key file cannot be opened" "Permission denied" "$(probe "open?path=$WORK/ca-key.pem")"
check_eq "nor the CA certificate, read at start" "Permission denied" "$(probe "open?path=$WORK/ca.pem")"
check_eq "nor /etc/passwd" "Permission denied" "$(probe "open?path=/etc/passwd")"
check_eq "the resolver's files can" ok "$(probe "open?path=/etc/hosts")"
check_eq "the given folder is writable" ok "$(probe "write?path=$WORK/stash/x.pem")"
check_eq "nothing else is" "Permission denied" "$(probe "write?path=$WORK/x.pem")"
check_eq "exec is refused" "Operation not permitted" "$(probe exec)"
check_eq "libcurl loaded after the confinement reaches a remote" ok "$(probe "remote?url=$URL")"
check_not_contains "no Landlock warning on this kernel" "$(cat server.log)" "no Landlock"

# --- both processes: no-new-privs and a seccomp filter ---
check_contains "server: no new privileges" "$(cat /proc/$PID/status)" $'NoNewPrivs:\t1'
check_contains "server: seccomp filter" "$(cat /proc/$PID/status)" $'Seccomp:\t2'
check_contains "key process: no new privileges" "$(cat /proc/$KEYPID/status)" $'NoNewPrivs:\t1'
check_contains "key process: seccomp filter" "$(cat /proc/$KEYPID/status)" $'Seccomp:\t2'

# --- a key that cannot be loaded: cf_ca_load's error, no server, no key process left ---
out=$(t "$ISOLATED_SERVER" "$WORK/ca.pem" "$WORK/missing.pem" 2>&1)
check_eq "a missing key file" "1001 open $WORK/missing.pem: no such file or directory" "$out"

kill -TERM "$PID"
for _ in $(seq 1 100); do
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.1
done
check_fails "the server stops on SIGTERM" kill -0 "$PID"
check_fails "and its key process with it" kill -0 "$KEYPID"
finish
