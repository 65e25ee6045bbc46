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
	# Databases last: their clients are gone by now.
	stop_postgres
	stop_mariadb
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

# port_open PORT: something accepts connections on 127.0.0.1:PORT.
port_open()
{
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_port: a port of 127.0.0.1 where nothing listens now (no python start-up on a busy
# machine; a race with another process is caught by start_serve's retry).
pick_port()
{
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		port_open "$p" || { echo "$p"; return 0; }
	done
	return 1
}

# start_serve BIN LOG ARGS...: BIN serve (cfssl-c, or a cfssl to compare with) on a free port
# of 127.0.0.1 with ARGS, in the environment SERVE_ENV (an array, optional); sets PORT and PID
# once the port accepts connections. Another port is tried when the chosen one was taken;
# otherwise the log is shown and it returns 1. SERVE_CMD names another server command with
# -address and -port (ocspserve).
start_serve()
{
	local bin=$1 log=$2
	shift 2
	for _ in 1 2 3 4 5; do
		PORT=$(pick_port)
		env ${SERVE_ENV[@]+"${SERVE_ENV[@]}"} "$bin" "${SERVE_CMD:-serve}" -address 127.0.0.1 \
			-port "$PORT" "$@" >"$log" 2>&1 &
		PID=$!
		lib_track_pid "$PID"
		for _ in $(seq 1 100); do
			kill -0 "$PID" 2>/dev/null || break
			if port_open "$PORT"; then
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

# gdb_calls EXPR...: each EXPR called in the process $PID by gdb, one "value " each (int); empty
# when gdb is missing or cannot attach (gdb_usable says whether it can).
gdb_calls()
{
	local args=() e
	command -v gdb >/dev/null || return 0
	for e in "$@"; do
		args+=(-ex "call (int)$e")
	done
	t gdb -p "$PID" -batch -nx "${args[@]}" 2>/dev/null | sed -n 's/^\$[0-9]* = //p' | tr '\n' ' '
}
gdb_usable() { [ "$(gdb_calls 'getpid()')" = "$PID " ]; }
# errno in a gdb_calls list, after the call that set it
GDB_ERRNO='*(int *)__errno_location()'

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

# ---- Private database servers (tests of the certificate database) ----
#
# Each runs as its system user (postgres, mysql: the Debian packages create them; initdb and mariadbd
# refuse root) when the test runs as root, as the current user otherwise, in a folder of $WORK, on a
# unix socket there and on 127.0.0.1 with a free port. They live at most DB_LIFETIME seconds
# (timeout(1) is the process whose id we keep; it passes our signals on) and are stopped at exit.

DB_LIFETIME=${DB_LIFETIME:-600}

# as_db_user USER CMD...: CMD as USER when we are root, else as ourselves. db_as USER sets the
# array DB_AS to the prefix that does it (empty when not root).
DB_AS=()
db_as()
{
	DB_AS=()
	if [ "$(id -u)" = 0 ]; then
		DB_AS=(setpriv --reuid="$(id -u "$1")" --regid="$(id -g "$1")" --clear-groups --)
	fi
}

as_db_user()
{
	db_as "$1"
	shift
	"${DB_AS[@]}" "$@"
}

# db_user_dir DIR USER: create DIR (mode 700) for USER; $WORK becomes traversable for it.
db_user_dir()
{
	mkdir -p "$1" || return 1
	chmod 700 "$1"
	if [ "$(id -u)" = 0 ]; then
		id "$2" >/dev/null 2>&1 || skip_all "no $2 system user (install the server package)"
		chmod o+x "$WORK"
		chown "$2:" "$1"
		as_db_user "$2" test -w "$1" ||
			skip_all "the $2 user cannot reach $1 (a TMPDIR that only root can enter?)"
	fi
}

# start_postgres: a private PostgreSQL cluster (Debian's postgresql binaries) in $WORK/pg, made with
# initdb on the first call (superuser postgres: trusted on the socket, password $PG_PASSWORD on
# TCP), with a database "certdb" and
# the schema applied (pg_schema). A later call (after stop_postgres) restarts the same
# cluster on the same port. Sets PG_PID, PG_PORT, PG_SOCKDIR (the unix socket's folder), PG_URL
# (postgres://... on 127.0.0.1) and PG_KV (key=value form on the socket). Skips the test (77) when
# PostgreSQL is not installed.
PG_PID=
PG_PORT=
PG_SOCKDIR=
PG_URL=
PG_KV=
PG_BINDIR=
PG_PASSWORD=cfssl-test
start_postgres()
{
	local dir=$WORK/pg i try
	[ -f "$SRCDIR/db/apply.sh" ] || skip_all "no database schema (db/apply.sh)"
	if [ -z "$PG_BINDIR" ]; then
		PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
		[ -x "$PG_BINDIR/initdb" ] || skip_all "PostgreSQL is not installed (Debian package postgresql)"
	fi
	PG_SOCKDIR=$dir
	if [ ! -d "$dir/data" ]; then
		db_user_dir "$dir" postgres || return 1
		db_as postgres
		if ! timeout -k 5 "$CMD_TIMEOUT" "${DB_AS[@]}" env -u PGDATA "$PG_BINDIR/initdb" -D "$dir/data" -U postgres \
			--auth-local=trust --auth-host=scram-sha-256 -N -E UTF8 --locale=C >"$WORK/pg-initdb.log" 2>&1; then
			echo "initdb failed:"
			sed 's/^/     | /' "$WORK/pg-initdb.log"
			return 1
		fi
	fi
	db_as postgres
	for try in 1 2 3 4 5; do
		[ -n "$PG_PORT" ] && [ "$try" = 1 ] || PG_PORT=$(free_port)
		timeout -k 5 "$DB_LIFETIME" "${DB_AS[@]}" "$PG_BINDIR/postgres" -D "$dir/data" -k "$dir" -p "$PG_PORT" \
			-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
			-c full_page_writes=off >>"$WORK/pg.log" 2>&1 &
		PG_PID=$!
		for i in $(seq 1 150); do
			kill -0 "$PG_PID" 2>/dev/null || break
			if "$PG_BINDIR/pg_isready" -q -h "$dir" -p "$PG_PORT" -U postgres -d postgres; then
				break
			fi
			sleep 0.1
		done
		if "$PG_BINDIR/pg_isready" -q -h "$dir" -p "$PG_PORT" -U postgres -d postgres; then
			break
		fi
		stop_postgres
		grep -q 'could not bind' "$WORK/pg.log" || break
	done
	if [ -z "$PG_PID" ]; then
		echo "PostgreSQL did not start; last lines of its log:"
		tail -n 15 "$WORK/pg.log" | sed 's/^/     | /'
		return 1
	fi
	PG_URL="postgres://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/certdb?sslmode=disable"
	PG_KV="host=$dir port=$PG_PORT user=postgres dbname=certdb sslmode=disable"
	if ! pg_sql postgres -c 'SELECT 1 FROM pg_database WHERE datname = $$certdb$$' | grep -q 1; then
		pg_sql postgres -c "ALTER ROLE postgres PASSWORD '$PG_PASSWORD'" >/dev/null || return 1
		pg_sql postgres -c 'CREATE DATABASE certdb' >/dev/null || return 1
		pg_schema || return 1
	fi
}

# pg_sql DB PSQL-ARGS...: psql on the private cluster as postgres, unaligned, no headers.
pg_sql()
{
	local db=$1
	shift
	t "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -At -h "$PG_SOCKDIR" -p "$PG_PORT" -U postgres \
		-d "$db" "$@"
}

# pg_schema: the schema applied to certdb with db/apply.sh (db/postgres/*.sql).
pg_schema()
{
	t bash "$SRCDIR/db/apply.sh" postgres "$PG_URL" >/dev/null
}

# stop_postgres: fast shutdown (SIGINT) of the cluster started by start_postgres, waited for at most
# 20 s, then SIGKILL.
stop_postgres()
{
	local i
	[ -n "$PG_PID" ] || return 0
	kill -INT "$PG_PID" 2>/dev/null
	for i in $(seq 1 200); do
		kill -0 "$PG_PID" 2>/dev/null || break
		sleep 0.1
	done
	# timeout(1) leads its own process group: the server and its children go with it.
	kill -KILL -- "-$PG_PID" 2>/dev/null
	wait "$PG_PID" 2>/dev/null
	PG_PID=
}

# start_mariadb: a private MariaDB server (Debian's mariadb-server) on an empty data folder
# $WORK/mysql/data with --skip-grant-tables (any user and password are accepted), a database
# "certdb" and the schema applied (my_schema) on the first call. A later call (after
# stop_mariadb) restarts it on the same data and port. Sets MY_PID, MY_PORT, MY_SOCK (the unix
# socket), MY_TCP_DSN and MY_UNIX_DSN (Go mysql driver syntax, as cfssl's data_source). Skips the
# test (77) when MariaDB is not installed.
MY_PID=
MY_PORT=
MY_SOCK=
MY_TCP_DSN=
MY_UNIX_DSN=
start_mariadb()
{
	local dir=$WORK/mysql i try fresh=
	local bin=/usr/sbin/mariadbd
	[ -f "$SRCDIR/db/apply.sh" ] || skip_all "no database schema (db/apply.sh)"
	[ -x "$bin" ] || skip_all "MariaDB is not installed (Debian package mariadb-server)"
	MY_SOCK=$dir/mysqld.sock
	if [ ! -d "$dir/data" ]; then
		db_user_dir "$dir" mysql || return 1
		as_db_user mysql mkdir -m 700 "$dir/data" || return 1
		fresh=1
	fi
	db_as mysql
	for try in 1 2 3 4 5; do
		[ -n "$MY_PORT" ] && [ "$try" = 1 ] || MY_PORT=$(free_port)
		timeout -k 5 "$DB_LIFETIME" "${DB_AS[@]}" "$bin" --no-defaults --datadir="$dir/data" --socket="$MY_SOCK" \
			--bind-address=127.0.0.1 --port="$MY_PORT" --skip-grant-tables \
			--pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" \
			--innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
			--innodb-buffer-pool-size=16M --innodb-log-file-size=8M &
		MY_PID=$!
		for i in $(seq 1 200); do
			kill -0 "$MY_PID" 2>/dev/null || break
			my_sql -e 'SELECT 1' >/dev/null 2>&1 && break
			sleep 0.1
		done
		my_sql -e 'SELECT 1' >/dev/null 2>&1 && break
		stop_mariadb
		grep -qi 'Address already in use' "$dir/error.log" 2>/dev/null || break
	done
	if [ -z "$MY_PID" ]; then
		echo "MariaDB did not start; last lines of its log:"
		tail -n 15 "$dir/error.log" 2>/dev/null | sed 's/^/     | /'
		return 1
	fi
	MY_TCP_DSN="cfssl:secret@tcp(127.0.0.1:$MY_PORT)/certdb?parseTime=true"
	MY_UNIX_DSN="cfssl@unix($MY_SOCK)/certdb?parseTime=true"
	if [ -n "$fresh" ]; then
		my_sql -e 'CREATE DATABASE certdb' || return 1
		my_schema || return 1
	fi
}

# my_sql MARIADB-ARGS...: the mariadb client on the private server's socket.
my_sql()
{
	timeout -k 5 "$CMD_TIMEOUT" mariadb --no-defaults -S "$MY_SOCK" -u root --batch \
		--skip-column-names "$@"
}

# my_schema: the schema applied to certdb with db/apply.sh (db/mysql/*.sql).
my_schema()
{
	t bash "$SRCDIR/db/apply.sh" mysql "$MY_TCP_DSN" >/dev/null
}

# stop_mariadb: SIGTERM (a clean shutdown) of the server started by start_mariadb, waited for at
# most 20 s, then SIGKILL.
stop_mariadb()
{
	local i
	[ -n "$MY_PID" ] || return 0
	kill -TERM "$MY_PID" 2>/dev/null
	for i in $(seq 1 200); do
		kill -0 "$MY_PID" 2>/dev/null || break
		sleep 0.1
	done
	# timeout(1) leads its own process group: the server and its children go with it.
	kill -KILL -- "-$MY_PID" 2>/dev/null
	wait "$MY_PID" 2>/dev/null
	MY_PID=
}
