# Shared helpers for the end-to-end tests (sourced, not executed).
#
# Environment (set by meson, see tests/meson.build):
#   CFSSL_BIN      absolute path of the cfssl binary under test
#   CFSSLJSON_BIN  absolute path of the cfssljson binary under test
#   SRCDIR         repository root
#
# After sourcing: $WORK is a fresh temporary directory (removed on exit), $WORK/bin holds the
# links cfssl and cfssljson and comes first on PATH, umask is 022, and the processes whose ids
# were handed to lib_track_pid are killed on exit.
#
# Assertions (each counts one pass or one failure and prints a line):
#   check DESC CMD...              CMD exits 0 (its output is shown only on failure)
#   check_fails DESC CMD...        CMD exits non-zero
#   check_eq DESC EXPECTED ACTUAL  strings are equal
#   check_contains DESC HAYSTACK NEEDLE
#   check_not_contains DESC HAYSTACK NEEDLE
#   check_file_mode DESC MODE FILE
# finish prints "N passed, N failed" and exits 1 on any failure, 0 otherwise.
# skip_all MESSAGE exits 77 (meson's "skipped").

set -u
umask 022

: "${CFSSL_BIN:?CFSSL_BIN must name the cfssl binary under test}"
: "${CFSSLJSON_BIN:?CFSSLJSON_BIN must name the cfssljson binary under test}"
: "${SRCDIR:?SRCDIR must name the repository root}"

CFSSL_BIN=$(realpath -- "$CFSSL_BIN")
CFSSLJSON_BIN=$(realpath -- "$CFSSLJSON_BIN")
SRCDIR=$(realpath -- "$SRCDIR")
export CFSSL_BIN CFSSLJSON_BIN SRCDIR

# Per-command time limit for anything that could hang.
CMD_TIMEOUT=${CMD_TIMEOUT:-120}

TEST_NAME=$(basename -- "$0" .sh)
PASSED=0
FAILED=0
LIB_PIDS=()

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cfssl-c-$TEST_NAME.XXXXXX") || exit 1

lib_cleanup()
{
	local pid
	for pid in "${LIB_PIDS[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	if [ -n "${KEEP_WORK:-}" ]; then
		echo "work directory kept: $WORK" >&2
	else
		rm -rf -- "$WORK"
	fi
}
trap lib_cleanup EXIT
trap 'exit 130' INT TERM HUP

mkdir -p "$WORK/bin"
ln -s "$CFSSL_BIN" "$WORK/bin/cfssl"
ln -s "$CFSSLJSON_BIN" "$WORK/bin/cfssljson"
PATH="$WORK/bin:$PATH"
export PATH

# Remember a background process so that it is killed when the script exits.
lib_track_pid()
{
	LIB_PIDS+=("$1")
}

# Run a command with the per-command time limit (shell functions run without one).
t()
{
	if [ "$(type -t "$1")" = function ]; then
		"$@"
	else
		timeout -k 5 "$CMD_TIMEOUT" "$@"
	fi
}

lib_pass()
{
	PASSED=$((PASSED + 1))
	printf 'ok   %s\n' "$1"
}

lib_fail()
{
	FAILED=$((FAILED + 1))
	printf 'FAIL %s\n' "$1"
	if [ $# -gt 1 ] && [ -n "$2" ]; then
		printf '%s\n' "$2" | sed 's/^/     | /'
	fi
}

check()
{
	local desc=$1 out rc
	shift
	out=$(t "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		lib_pass "$desc"
	else
		lib_fail "$desc" "command: $*
exit status: $rc
$out"
	fi
}

check_fails()
{
	local desc=$1 out rc
	shift
	out=$(t "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
		lib_pass "$desc"
	else
		lib_fail "$desc" "command: $*
exit status: $rc (expected a failure)
$out"
	fi
}

check_eq()
{
	if [ "$2" = "$3" ]; then
		lib_pass "$1"
	else
		lib_fail "$1" "expected: $2
actual:   $3"
	fi
}

check_contains()
{
	case $2 in
	*"$3"*) lib_pass "$1" ;;
	*) lib_fail "$1" "expected to contain: $3
actual: $2" ;;
	esac
}

check_not_contains()
{
	case $2 in
	*"$3"*) lib_fail "$1" "expected not to contain: $3
actual: $2" ;;
	*) lib_pass "$1" ;;
	esac
}

check_file_mode()
{
	local mode
	if [ ! -e "$3" ]; then
		lib_fail "$1" "missing file: $3"
		return
	fi
	mode=$(stat -c %a -- "$3")
	check_eq "$1" "$2" "$mode"
}

# start_etcd DIR CERT KEY CA: etcd on 127.0.0.1 (a free port, retried) serving
# TLS with CERT/KEY and requiring client certificates from CA, data in DIR.
# Sets ETCD_PID and ETCD_PORT; the process is stopped at exit.
ETCD_PID=
ETCD_PORT=
start_etcd()
{
	local dir=$1 cert=$2 key=$3 ca=$4 p q
	for _ in 1 2 3 4 5; do
		p=$((20000 + RANDOM % 20000))
		q=$((p + 1))
		rm -rf "$dir/etcd-data"
		timeout -k 5 600 etcd --name cfssl-c-test --data-dir "$dir/etcd-data" \
			--listen-client-urls "https://127.0.0.1:$p" \
			--advertise-client-urls "https://127.0.0.1:$p" \
			--listen-peer-urls "http://127.0.0.1:$q" \
			--initial-advertise-peer-urls "http://127.0.0.1:$q" \
			--initial-cluster "cfssl-c-test=http://127.0.0.1:$q" \
			--cert-file "$cert" --key-file "$key" \
			--client-cert-auth --trusted-ca-file "$ca" \
			>"$dir/etcd.log" 2>&1 &
		ETCD_PID=$!
		lib_track_pid "$ETCD_PID"
		for _ in $(seq 1 100); do
			if ! kill -0 "$ETCD_PID" 2>/dev/null; then
				break
			fi
			if grep -q 'ready to serve client requests' "$dir/etcd.log"; then
				ETCD_PORT=$p
				return 0
			fi
			sleep 0.3
		done
		stop_etcd
		if grep -q 'address already in use' "$dir/etcd.log"; then
			continue
		fi
		break
	done
	echo "etcd did not become ready; last lines of its log:"
	tail -n 15 "$dir/etcd.log" | sed 's/^/     | /'
	return 1
}

stop_etcd()
{
	if [ -n "$ETCD_PID" ]; then
		kill "$ETCD_PID" 2>/dev/null
		wait "$ETCD_PID" 2>/dev/null
		ETCD_PID=
	fi
}

# Print the message and exit as "skipped".
skip_all()
{
	echo "SKIP: $*"
	exit 77
}

# Exit with 77 unless every named program is available.
require_programs()
{
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || skip_all "$p is not installed"
	done
}

# Remove the "YYYY/MM/DD HH:MM:SS " prefix of log records.
strip_ts()
{
	sed -E 's#^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} ##'
}

finish()
{
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ] || exit 1
	exit 0
}

# A free TCP port on 127.0.0.1 (another process may still take it: retry on failure).
free_port()
{
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_go_serve LOG [ARGS...]: Debian's cfssl serve on a free port with the test CA and ARGS;
# sets PORT and SERVE_PID once the port accepts connections.
start_go_serve()
{
	local log=$1 i
	shift
	for _ in 1 2 3 4 5; do
		PORT=$(free_port)
		"${GO_CFSSL:-/usr/bin/cfssl}" serve -address 127.0.0.1 -port "$PORT" -ca ca.pem -ca-key ca-key.pem \
			"$@" >"$log" 2>&1 &
		SERVE_PID=$!
		lib_track_pid "$SERVE_PID"
		for i in $(seq 1 50); do
			kill -0 "$SERVE_PID" 2>/dev/null || break
			if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
				return 0
			fi
			sleep 0.1
		done
		kill "$SERVE_PID" 2>/dev/null
		wait "$SERVE_PID" 2>/dev/null
	done
	echo "cfssl serve did not start"
	cat "$log"
	exit 1
}
