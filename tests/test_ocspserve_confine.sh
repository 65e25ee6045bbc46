#!/usr/bin/env bash
# cfssl ocspserve confines itself once it listens, as serve does (cf_process_restrict from
# common/net/httpd's ready hook): no new privileges and a seccomp filter in /proc/PID/status;
# probes injected with gdb show it cannot open the CA key nor the files it read at start, nor
# /etc/passwd, and cannot exec, while what its database client needs stays reachable (an
# SQLite database's folder, libpq's ~/.pgpass). OCSP answers still come from the database after
# the confinement: SQLite (a revocation seen without restart), PostgreSQL on the unix socket and
# on TCP with a password from ~/.pgpass; and from a -responses file, which leaves nothing open.
. "$(dirname "$0")/lib.sh"
require_programs openssl sqlite3
cd "$WORK" || exit 1
SERVE_CMD=ocspserve
# gdb puts the string arguments of the calls it injects in memory it never frees
SERVE_ENV=(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")

(
	echo '{"CN":"OCSP confine CA","key":{"algo":"ecdsa","size":256}}' |
		t cfssl gencert -initca - | t cfssljson -bare ca
	echo '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}' >leaf.json
) 2>/dev/null
check "setup: a CA" test -s ca-key.pem
mkdir db
printf '{"driver":"sqlite3","data_source":"%s/db/certs.db"}\n' "$WORK" >sqlite.json
t "$SRCDIR/db/apply.sh" sqlite3 db/certs.db >/dev/null

# record NAME DBCONF: a leaf recorded in DBCONF's database, responses refreshed
record()
{
	t cfssl gencert -ca ca.pem -ca-key ca-key.pem -db-config "$2" leaf.json 2>/dev/null |
		t cfssljson -bare "$1"
	t cfssl ocsprefresh -db-config "$2" -ca ca.pem -responder ca.pem -responder-key ca-key.pem
}

# verdict CERT: openssl ocsp's output for CERT from the server on $PORT
verdict()
{
	t openssl ocsp -issuer ca.pem -cert "$1" -url "http://127.0.0.1:$PORT" -CAfile ca.pem \
		-no_nonce 2>&1
}

# confined WHAT: the status lines of the server $PID
confined()
{
	local st
	st=$(cat "/proc/$PID/status")
	check_contains "$1: no new privileges" "$st" $'NoNewPrivs:\t1'
	check_contains "$1: seccomp filter" "$st" $'Seccomp:\t2'
}

# denied WHAT PATH: the server cannot open PATH (EACCES); allowed WHAT PATH [FLAGS]: it can
denied()
{
	check_eq "$1: cannot open $2" "-1 13 " "$(gdb_calls "open(\"$2\", 0)" "$GDB_ERRNO")"
}
allowed()
{
	local fd
	fd=$(gdb_calls "open(\"$2\", ${3:-0}, 0600)")
	check "$1: can open $2 ($fd)" test "${fd% }" -ge 0
}
GDB=
gdb_ok()
{
	[ -n "$GDB" ] || { gdb_usable && GDB=yes || GDB=no; }
	[ "$GDB" = yes ] || echo "note: gdb missing or cannot attach: injected probes skipped"
	[ "$GDB" = yes ]
}

# ---- SQLite
record leaf1 sqlite.json
record leaf2 sqlite.json
start_serve "$CFSSL_BIN" sqlite.log -db-config sqlite.json || exit 1
check_not_contains "no Landlock warning on this kernel" "$(cat sqlite.log)" "no Landlock"
confined "sqlite"
check_contains "sqlite: good" "$(verdict leaf1.pem)" "leaf1.pem: good"
if gdb_ok; then
	denied "sqlite" "$WORK/ca-key.pem"
	denied "sqlite: the -db-config, read at start," "$WORK/sqlite.json"
	denied "sqlite" /etc/passwd
	allowed "sqlite: the database" "$WORK/db/certs.db"
	# O_WRONLY|O_CREAT: SQLite makes its journal next to the database
	allowed "sqlite: the database's folder, to write," "$WORK/db/probe" 0101
	check_eq "sqlite: but no other folder" "-1 13 " \
		"$(gdb_calls "open(\"$WORK/probe\", 0101, 0600)" "$GDB_ERRNO")"
	check_eq "sqlite: exec fails with EPERM" "-1 1 " \
		"$(gdb_calls 'execve("/bin/true", 0, 0)' "$GDB_ERRNO")"
fi
serial=$(openssl x509 -noout -serial -in leaf2.pem | cut -d= -f2 | sed 's/^/ibase=16; /' |
	BC_LINE_LENGTH=0 bc)
t cfssl revoke -db-config sqlite.json -serial "$serial" -reason keyCompromise \
	-aki "$(sqlite3 db/certs.db 'SELECT authority_key_identifier FROM certificates LIMIT 1')"
t cfssl ocsprefresh -db-config sqlite.json -ca ca.pem -responder ca.pem -responder-key ca-key.pem
check_contains "sqlite: a revocation, without restart" "$(verdict leaf2.pem)" "leaf2.pem: revoked"
check "sqlite: still serving" kill -0 "$PID"
kill -TERM "$PID"
wait "$PID"
check_eq "sqlite: SIGTERM: exit 0" 0 "$?"

# ---- a -responses file: nothing left to open
t cfssl ocspdump -db-config sqlite.json >resp.txt
start_serve "$CFSSL_BIN" resp.log -responses resp.txt || exit 1
confined "-responses"
check_contains "-responses: good" "$(verdict leaf1.pem)" "leaf1.pem: good"
if gdb_ok; then
	denied "-responses: the file, read at start," "$WORK/resp.txt"
	denied "-responses: the database" "$WORK/db/certs.db"
fi
kill "$PID"

# ---- PostgreSQL
if [ -z "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null)" ]; then
	echo "note: PostgreSQL is not installed: its cases skipped"
	finish
fi
start_postgres || {
	lib_fail "setup: PostgreSQL started"
	finish
}
pq() { pg_sql certdb -c "$1"; }
printf '{"driver":"postgres","data_source":"%s"}\n' "$PG_KV" >pgsock.json
record pleaf pgsock.json
check_eq "setup: a response in PostgreSQL" 1 "$(pq 'SELECT count(*) FROM ocsp_responses')"
start_serve "$CFSSL_BIN" pgsock.log -db-config pgsock.json || exit 1
confined "postgres (socket)"
check_contains "postgres (socket): good" "$(verdict pleaf.pem)" "pleaf.pem: good"
kill "$PID"

# a password from ~/.pgpass, which libpq reads on each connection
pq "CREATE ROLE app LOGIN PASSWORD 'secret'; GRANT SELECT ON certificates, ocsp_responses TO app" >/dev/null
sed -i "1i host certdb app 127.0.0.1/32 scram-sha-256" "$WORK/pg/data/pg_hba.conf"
pq "SELECT pg_reload_conf()" >/dev/null
mkdir -p home nohome
printf '127.0.0.1:%s:certdb:app:secret\n' "$PG_PORT" >home/.pgpass
chmod 600 home/.pgpass
printf '{"driver":"postgres","data_source":"postgres://app@127.0.0.1:%s/certdb?sslmode=disable"}\n' \
	"$PG_PORT" >pgtcp.json
HOME=$WORK/home start_serve "$CFSSL_BIN" pgtcp.log -db-config pgtcp.json || exit 1
confined "postgres (TCP)"
check_contains "postgres (TCP, ~/.pgpass): good" "$(verdict pleaf.pem)" "pleaf.pem: good"
if gdb_ok; then
	allowed "postgres: ~/.pgpass" "$WORK/home/.pgpass"
	denied "postgres" "$WORK/ca-key.pem"
	denied "postgres: the -db-config" "$WORK/pgtcp.json"
fi
kill "$PID"
wait "$PID" 2>/dev/null
HOME=$WORK/nohome start_serve "$CFSSL_BIN" nopass.log -db-config pgtcp.json || exit 1
check_contains "postgres: no ~/.pgpass: a 500 (internalError)" "$(verdict pleaf.pem)" "code=500"
check_contains "postgres: no ~/.pgpass: cfssl's ERROR line" "$(cat nopass.log)" \
	'[ERROR] Error obtaining OCSP response: {"code":11000'
kill "$PID"
wait "$PID" 2>/dev/null
stop_postgres
finish
