#!/bin/bash
# The database benchmark: cfssl-c's `serve -db-config` against Debian's cfssl 1.2 `serve
# -db-config` on the same database, loaded by Debian's `hey` (section 9 of bench/run.sh; not part
# of the test suite).
#
# usage: bench/db.sh CFSSL-C
#
# For each server: /sign with an ECDSA P-256 CA at concurrency 4 on no database, on SQLite (a
# file in the work folder; as data_source gives it, then with go-sqlite3's "?_journal_mode=WAL",
# which both read: cfssl then syncs no commit, cfssl-c syncs each, see README) and on
# PostgreSQL (a private cluster on 127.0.0.1, fsync off), each
# made from the repository's migrations (db/apply.sh). Rows: requests/s, p50 and p99 (hey's),
# the server's CPU time per request (user + system, all its threads and key processes) and, on
# PostgreSQL, the CPU its backends spent per request. Where the time goes: the cost of recording
# is the difference between a database row and the no-database row (server CPU, latency); on
# PostgreSQL the rest of the wall time is the round trips. Every reply must be 200; the rows of
# a database must equal the requests. The servers alternate row by row; a row's figure is the
# median over the rounds. Prints the table and cfssl-c's ratios (requests/s: ours / theirs;
# times: theirs / ours, so above 1 is better).
#
# Environment: CFSSL_GO (default /usr/bin/cfssl), BENCH_DB_N (requests per row, default 2000),
#   BENCH_DB_ROUNDS (default 3), BENCH_DB_C (concurrency, default 4).

set -u
export LC_ALL=C

CC=$(realpath -- "${1:?usage: bench/db.sh CFSSL-C}")
GC=${CFSSL_GO:-/usr/bin/cfssl}
n=${BENCH_DB_N:-2000}
rounds=${BENCH_DB_ROUNDS:-3}
conc=${BENCH_DB_C:-4}
here=$(cd "$(dirname -- "$0")" && pwd)
APPLY=$here/../db/apply.sh

die()
{
	echo "bench db: $*" >&2
	exit 1
}
command -v hey >/dev/null 2>&1 || die "hey not found (Debian package hey)"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 not found"
[ -x "$CC" ] || die "$CC is not executable"
[ -x "$GC" ] || die "$GC is not executable"
[ -f "$APPLY" ] || die "no $APPLY"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL is not installed (Debian package postgresql)"

S=$(mktemp -d "${TMPDIR:-/tmp}/cfssl-c-bench-db.XXXXXX") || exit 1
SPID=
PGPID=
cleanup()
{
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	if [ -n "$PGPID" ]; then
		kill -INT "$PGPID" 2>/dev/null
		wait "$PGPID" 2>/dev/null
	fi
	rm -rf -- "$S"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
cd "$S" || exit 1

free_port()
{
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# ---- a private PostgreSQL cluster (as the postgres user when we are root: initdb refuses root)
AS=()
if [ "$(id -u)" = 0 ]; then
	AS=(setpriv --reuid="$(id -u postgres)" --regid="$(id -g postgres)" --clear-groups --)
	chmod o+x "$S"
fi
mkdir -m 700 pg
[ "$(id -u)" = 0 ] && chown postgres: pg
"${AS[@]}" "$PG_BIN/initdb" -D "$S/pg/data" -U postgres --auth=trust -N -E UTF8 --locale=C \
	>pg-initdb.log 2>&1 || die "initdb failed: $(tail -n 3 pg-initdb.log)"
PGPORT=$(free_port)
"${AS[@]}" "$PG_BIN/postgres" -D "$S/pg/data" -k "$S/pg" -p "$PGPORT" -c listen_addresses=127.0.0.1 \
	-c fsync=off -c synchronous_commit=off -c full_page_writes=off >pg.log 2>&1 &
PGPID=$!
for _ in $(seq 1 150); do
	"$PG_BIN/pg_isready" -q -h "$S/pg" -p "$PGPORT" -U postgres && break
	sleep 0.1
done
"$PG_BIN/pg_isready" -q -h "$S/pg" -p "$PGPORT" -U postgres || die "PostgreSQL did not start"
psql() { "$PG_BIN/psql" -X -q -At -h "$S/pg" -p "$PGPORT" -U postgres "$@"; }
psql -d postgres -c 'CREATE DATABASE certdb' || die "CREATE DATABASE"
PG_URL="postgres://postgres@127.0.0.1:$PGPORT/certdb?sslmode=disable"
bash "$APPLY" postgres "$PG_URL" >/dev/null || die "schema (postgres)"
bash "$APPLY" sqlite3 "$S/certs.db" >/dev/null || die "schema (sqlite3)"
bash "$APPLY" sqlite3 "$S/wal.db" >/dev/null || die "schema (sqlite3, WAL)"
printf '{"driver":"postgres","data_source":"%s"}\n' "$PG_URL" >pg.json
printf '{"driver":"sqlite3","data_source":"%s/certs.db"}\n' "$S" >sqlite.json
printf '{"driver":"sqlite3","data_source":"%s/wal.db?_journal_mode=WAL"}\n' "$S" >wal.json

# ---- inputs: a CA and a CSR (made by cfssl-c), the request body
pem_of()
{
	python3 -c 'import json,sys; r=json.load(sys.stdin); open(sys.argv[1]+".pem","w").write(r.get("cert") or r["csr"]); open(sys.argv[1]+"-key.pem","w").write(r["key"])' "$1"
}
echo '{"CN":"Bench DB CA","key":{"algo":"ecdsa","size":256}}' | "$CC" gencert -initca - 2>/dev/null |
	pem_of ca || die "CA"
echo '{"CN":"leaf.example.com","hosts":["leaf.example.com"],"key":{"algo":"ecdsa","size":256}}' |
	"$CC" genkey - 2>/dev/null | pem_of leaf || die "CSR"
python3 -c 'import json; print(json.dumps({"certificate_request": open("leaf.pem").read()}))' >sign.json
cat >config.json <<'EOF'
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "key encipherment", "server auth", "client auth"]}}}
EOF

bin() { if [ "$1" = c ]; then echo "$CC"; else echo "$GC"; fi; }

# start TOOL DB: the server of TOOL on DB (none, sqlite, wal, pg) on a free port; sets SPID and PORT.
start()
{
	local b dbc=()
	b=$(bin "$1")
	[ "$2" = none ] || dbc=(-db-config "$2.json")
	PORT=$(free_port)
	"$b" serve -address 127.0.0.1 -port "$PORT" -ca ca.pem -ca-key ca-key.pem -config config.json \
		"${dbc[@]}" >"serve-$1-$2.log" 2>&1 &
	SPID=$!
	for _ in $(seq 1 100); do
		kill -0 "$SPID" 2>/dev/null || die "$b serve did not start: $(tail -n 3 "serve-$1-$2.log")"
		(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
		sleep 0.1
	done
	die "$b serve did not open its port"
}
stop()
{
	kill -TERM "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	SPID=
}

# ticks PID...: CPU clock ticks (user + system) of the PIDs and their children so far
ticks()
{
	local p t=0
	for p in "$@" $(for q in "$@"; do pgrep -P "$q"; done); do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
# pg_ticks: those of the PostgreSQL server and its backends (the postmaster is timeout-free:
# $PGPID is the postmaster itself)
pg_ticks() { ticks "$PGPID"; }
TICK=$(getconf CLK_TCK)

# rows DB: the rows of certificates in DB
rows()
{
	case $1 in
	sqlite) sqlite3 certs.db 'SELECT count(*) FROM certificates' ;;
	wal) sqlite3 wal.db 'SELECT count(*) FROM certificates' ;;
	pg) psql -d certdb -c 'SELECT count(*) FROM certificates' ;;
	none) echo 0 ;;
	esac
}

# load TOOL DB: one hey run; appends "rps p50 p99 server-cpu db-cpu" (s; CPU per request) to
# r/DB-TOOL
mkdir r
load()
{
	local tool=$1 db=$2 ok sb sa pb pa r0 r1
	r0=$(rows "$db")
	sb=$(ticks "$SPID") pb=$(pg_ticks)
	hey -n "$n" -c "$conc" -t 30 -m POST -T application/json -D sign.json \
		"http://127.0.0.1:$PORT/api/v1/cfssl/sign" >hey.out 2>&1 || die "hey failed: $(tail -n 3 hey.out)"
	sa=$(ticks "$SPID") pa=$(pg_ticks)
	r1=$(rows "$db")
	ok=$(sed -n 's/^ *\[200\][[:space:]]*\([0-9]*\) responses$/\1/p' hey.out)
	[ "$ok" = "$n" ] && ! grep -q 'Error distribution' hey.out ||
		die "$(bin "$tool") on $db: not every reply was 200: $(grep -A3 'distribution' hey.out | tr '\n' ' ')"
	[ "$db" = none ] || [ $((r1 - r0)) = "$n" ] ||
		die "$(bin "$tool") on $db: $((r1 - r0)) rows for $n requests"
	[ "$db" = pg ] || pa=$pb
	awk -v n="$n" -v srv="$((sa - sb))" -v pg="$((pa - pb))" -v tick="$TICK" '
		/Requests\/sec:/ { r = $2 } / 50% in / { a = $3 } / 99% in / { b = $3 }
		END { print r, a, b, srv / tick / n, pg / tick / n }' hey.out >>"r/$db-$tool"
}

echo "bench db: /sign at c=$conc, $n requests per row, $rounds round(s); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for _ in $(seq "$rounds"); do
	for db in none sqlite wal pg; do
		for t in c go; do
			start "$t" "$db"
			# a short warm-up: connections, the Go runtime's heap, our thread pool and pool
			hey -n 100 -c "$conc" -m POST -T application/json -D sign.json \
				"http://127.0.0.1:$PORT/api/v1/cfssl/sign" >/dev/null 2>&1
			load "$t" "$db"
			stop
		done
	done
done

# med FILE COLUMN: the median of COLUMN
med()
{
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ a[NR] = $1 }
		END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
fmt()
{
	awk -v v="$1" -v k="$2" 'BEGIN { if (k == "rps") printf "%.0f req/s\n", v;
		else if (k == "ms") printf "%.2f ms\n", v * 1000; else printf "%.0f us\n", v * 1e6 }'
}
# ratio KIND OURS THEIRS: cfssl-c is better by (rps: ours / theirs, times: theirs / ours)
ratio()
{
	awk -v k="$1" -v a="$2" -v b="$3" 'BEGIN { if (k == "rps") { x = a; y = b } else { x = b; y = a }
		if (y + 0 == 0) print "-"; else printf "%.2f\n", x / y }'
}
printf '%-44s %-14s %-14s %s\n' "MEASURE (/sign, c=$conc)" cfssl-c "cfssl 1.2" "vs 1.2"
for db in none sqlite wal pg; do
	case $db in
	none) name="no database" ;;
	sqlite) name=SQLite ;;
	wal) name="SQLite, WAL" ;;
	pg) name=PostgreSQL ;;
	esac
	for m in "1 rps throughput" "2 ms p50" "3 ms p99" "4 us server CPU per request" \
		"5 us PostgreSQL CPU per request"; do
		read -r col kind what <<<"$m"
		[ "$col" = 5 ] && [ "$db" != pg ] && continue
		a=$(med "r/$db-c" "$col") b=$(med "r/$db-go" "$col")
		printf '%-44s %-14s %-14s %s\n' "$name: $what" "$(fmt "$a" "$kind")" "$(fmt "$b" "$kind")" \
			"$(ratio "$kind" "$a" "$b")"
	done
done
echo
echo "where the time goes (the database row minus the no-database row, per request):"
for db in sqlite wal pg; do
	for t in c go; do
		awk -v db="$db" -v t="$([ "$t" = c ] && echo cfssl-c || echo "cfssl 1.2")" \
			-v s0="$(med "r/none-$t" 4)" -v s1="$(med "r/$db-$t" 4)" \
			-v l0="$(med "r/none-$t" 2)" -v l1="$(med "r/$db-$t" 2)" \
			-v r0="$(med "r/none-$t" 1)" -v r1="$(med "r/$db-$t" 1)" -v p="$(med "r/$db-$t" 5)" 'BEGIN {
			printf "  %-10s %-9s server CPU +%.0f us, p50 +%.2f ms, 1/throughput +%.0f us",
				db == "pg" ? "PostgreSQL" : db == "wal" ? "SQLite WAL" : "SQLite", t, (s1 - s0) * 1e6, (l1 - l0) * 1000,
				(1 / r1 - 1 / r0) * 1e6
			if (db == "pg") printf ", PostgreSQL CPU %.0f us", p * 1e6
			printf "\n" }'
	done
done
exit 0
