#!/bin/bash
# End-to-end test: the certificate database on PostgreSQL (issue 13; cfssl-serve.md §7-8). A private
# cluster (tests/lib.sh start_postgres) with the schema of db/postgres; Debian's cfssl 1.2 is the
# reference writer and reader on the same database.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

GO_CFSSL=${GO_CFSSL:-/usr/bin/cfssl}
IN=$WORK/inputs
mkdir -p "$IN"
cd "$IN" || exit 1

start_postgres || { lib_fail "setup: PostgreSQL started"; finish; }
lib_pass "setup: PostgreSQL started"

# ---- the schema of db/postgres is cfssl's (§7.2)
cols=$(pg_sql certdb -c "SELECT column_name || ':' || data_type || ':' || is_nullable
	FROM information_schema.columns WHERE table_name = 'certificates' ORDER BY ordinal_position" |
	tr '\n' ' ')
check_eq "schema: certificates columns" "serial_number:bytea:NO authority_key_identifier:bytea:NO \
ca_label:bytea:YES status:bytea:NO reason:integer:YES expiry:timestamp with time zone:YES \
revoked_at:timestamp with time zone:YES pem:bytea:NO issued_at:timestamp with time zone:YES \
not_before:timestamp with time zone:YES metadata:jsonb:YES sans:jsonb:YES common_name:text:YES " "$cols"
cols=$(pg_sql certdb -c "SELECT column_name || ':' || data_type FROM information_schema.columns
	WHERE table_name = 'ocsp_responses' ORDER BY ordinal_position" | tr '\n' ' ')
check_eq "schema: ocsp_responses columns" "serial_number:bytea authority_key_identifier:bytea \
body:bytea expiry:timestamp with time zone " "$cols"
keys=$(pg_sql certdb -c "SELECT conrelid::regclass::text || ':' || contype::text FROM pg_constraint
	WHERE conrelid IN ('certificates'::regclass, 'ocsp_responses'::regclass) ORDER BY 1" | tr '\n' ' ')
check_eq "schema: keys (ocsp_responses refers to certificates)" \
	"certificates:p ocsp_responses:f ocsp_responses:p " "$keys"

(set -o pipefail
	printf '{"CN":"DB CA","key":{"algo":"ecdsa","size":256}}\n' >ca-csr.json
	t cfssl gencert -initca ca-csr.json 2>/dev/null | t cfssljson -bare ca)
check_eq "setup: CA made" 0 "$?"
printf '{"CN":"leaf.example","hosts":["leaf.example","127.0.0.1"],"key":{"algo":"ecdsa","size":256}}\n' \
	>leaf-csr.json
printf '{"driver":"postgres","data_source":"%s"}\n' "$PG_URL" >db-url.json
printf '{"driver":"postgres","data_source":"%s"}\n' "$PG_KV" >db-kv.json

# ---- Debian's cfssl 1.2 records into the private cluster, on TCP (URL form) and on the socket
if [ -x "$GO_CFSSL" ]; then
	check "go 1.2: gencert -db-config (URL data_source)" \
		"$GO_CFSSL" gencert -ca ca.pem -ca-key ca-key.pem -db-config db-url.json leaf-csr.json
	check "go 1.2: gencert -db-config (key=value data_source on the socket)" \
		"$GO_CFSSL" gencert -ca ca.pem -ca-key ca-key.pem -db-config db-kv.json leaf-csr.json
	n=$(pg_sql certdb -c "SELECT count(*) FROM certificates WHERE status = 'good'")
	check_eq "go 1.2: two rows recorded" 2 "$n"
fi

# ---- the postgres driver: every Accessor call, values as §7.3
TOOL=${CERTDB_TOOL:?CERTDB_TOOL names tests/tools/certdb_tool}
pg_sql certdb -c "DELETE FROM ocsp_responses; DELETE FROM certificates" >/dev/null
check "driver: Accessor calls on the URL data_source" "$TOOL" db-url.json accessor
pg_sql certdb -c "DELETE FROM ocsp_responses; DELETE FROM certificates" >/dev/null
out=$(t "$TOOL" db-kv.json accessor 2>&1)
check_contains "driver: Accessor calls on the key=value data_source (socket)" "$out" " 0 failed"
row=$(pg_sql certdb -c "SELECT encode(serial_number, 'escape'), encode(authority_key_identifier,
	'escape'), convert_from(ca_label, 'UTF8'), encode(status, 'escape'), reason, expiry, issued_at,
	not_before, metadata, sans, common_name FROM certificates WHERE serial_number = '42'::bytea" |
	tr '|' ' ')
check_eq "stored: a row as cfssl stores it" "42 85e1262bcff46bac50acd1e3b95b075e53f06f0f \
it's a \"label\" \\ with quotes good 0 2100-01-01 00:00:00+00   {} {} " "$row"
row=$(pg_sql certdb -c "SELECT revoked_at, issued_at, not_before, sans FROM certificates
	WHERE serial_number = '7'::bytea" | tr '|' ' ')
check_eq "stored: Go's zero time, microseconds, jsonb" "0001-01-01 00:00:00+00 \
2026-12-03 19:00:00.574224+00 2026-12-03 17:46:40+00 [\"a.example\", \"b.example\"]" "$row"
row=$(pg_sql certdb -c "SELECT encode(status, 'escape'), reason, revoked_at > now() - interval '1 minute'
	FROM certificates WHERE serial_number = '661343175308595544116445677032619995530932964936'::bytea")
check_eq "stored: revocation (status, reason, revoked_at = CURRENT_TIMESTAMP)" "revoked|4|t" "$row"
row=$(pg_sql certdb -c "SELECT length(body), get_byte(body, 0), get_byte(body, 1), expiry
	FROM ocsp_responses")
check_eq "stored: OCSP body bytes and expiry" "600|255|7|2100-01-01 00:00:01+00" "$row"

# Go's lib/pq DSN forms
pg_sql certdb -c "DELETE FROM ocsp_responses; DELETE FROM certificates" >/dev/null
dsn()
{
	printf '{"driver":"postgres","data_source":"%s"}\n' "$1" >dsn.json
	t "$TOOL" dsn.json probe 2>&1
}
pg_sql certdb -c "CREATE ROLE \"we@ird\" LOGIN PASSWORD 'p@ss:w rd''q\\'; GRANT ALL ON certificates,
	ocsp_responses TO \"we@ird\"" >/dev/null
check_eq "dsn: postgresql:// URL, escaped user and password, settings in the query" "" \
	"$(dsn "postgresql://we%40ird:p%40ss:w%20rd%27q%5C@127.0.0.1:$PG_PORT/certdb?sslmode=disable&application_name=x")"
check_eq "dsn: key=value with a quoted password" "" \
	"$(dsn "user=we@ird password='p@ss:w rd\\\\'q\\\\\\\\' host=127.0.0.1 port=$PG_PORT dbname=certdb sslmode=disable")"
check_eq "dsn: a wrong password" \
	'{"code":11000,"message":"pq: password authentication failed for user \"we@ird\""}' \
	"$(dsn "postgres://we%40ird:nope@127.0.0.1:$PG_PORT/certdb?sslmode=disable")"
check_eq "dsn: quoted key=value, a server setting (search_path) as lib/pq sends it" "" \
	"$(dsn "host='$PG_SOCKDIR' port=$PG_PORT user = postgres dbname=certdb sslmode=disable search_path=public")"
out=$(dsn "host='$PG_SOCKDIR' port=$PG_PORT user=postgres dbname=certdb sslmode=disable search_path=nosuch")
check_contains "dsn: the run-time setting reaches the server" "$out" "no such table: certificates"
check_contains "dsn: missing table named with how to apply the schema" "$out" "db/apply.sh postgres"
check_contains "dsn: lib/pq's default sslmode is require" \
	"$(dsn "postgres://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/certdb")" '{"code":11000,"message":"pq: '
check_eq "dsn: unknown database" '{"code":11000,"message":"pq: database \"nosuch\" does not exist"}' \
	"$(dsn "postgres://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/nosuch?sslmode=disable")"
check_contains "dsn: bad key=value" "$(dsn "host")" 'missing \"=\" after \"host\"'

# a database made by cfssl's migration 001 only: the missing column named, apply.sh updates it
pg_sql postgres -c 'CREATE DATABASE old' >/dev/null
pg_sql old -f "$SRCDIR/db/postgres/001_CreateCertificates.sql" >/dev/null
printf '{"driver":"postgres","data_source":"postgres://postgres:%s@127.0.0.1:%s/old?sslmode=disable"}\n' \
	"$PG_PASSWORD" "$PG_PORT" >old.json
check_eq "dsn: a schema without migration 002" \
	'{"code":11000,"message":"pq: column \"issued_at\" does not exist (the certificate database schema is not up to date: apply cfssl-c'"'"'s db/postgres migrations, e.g. with db/apply.sh postgres DATA_SOURCE)"}' \
	"$(t "$TOOL" old.json probe 2>&1)"
t bash "$SRCDIR/db/apply.sh" postgres "postgres://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/old?sslmode=disable" \
	>/dev/null
check_eq "dsn: after apply.sh" "" "$(t "$TOOL" old.json probe 2>&1)"

# ---- a database that is not there: cfssl's dial errors (§7.1)
check_eq "down: TCP connection refused" \
	'{"code":11000,"message":"dial tcp 127.0.0.1:1: connect: connection refused"}' \
	"$(dsn "postgres://postgres@127.0.0.1:1/certdb?sslmode=disable")"
check_eq "down: no socket" \
	"{\"code\":11000,\"message\":\"dial unix $WORK/none/.s.PGSQL.5432: connect: no such file or directory\"}" \
	"$(dsn "host=$WORK/none dbname=certdb sslmode=disable")"

# ---- two processes of 4 threads each on one database: pools side by side, no row lost
"$TOOL" db-url.json threads 4 10 1 >threads1.out 2>&1 &
P1=$!
"$TOOL" db-url.json threads 4 10 2 >threads2.out 2>&1 &
P2=$!
wait "$P1"
r1=$?
wait "$P2"
check_eq "concurrency: no error in either process" "0 0 0 errors 0 errors" \
	"$r1 $? $(cat threads1.out) $(cat threads2.out)"
n=$(pg_sql certdb -c "SELECT count(DISTINCT serial_number) FROM certificates WHERE authority_key_identifier = 'abcdef'")
check_eq "concurrency: 80 rows, one per insert" 80 "$n"

# ---- the server restarts under a running client: errors while it is down, then recovery
"$TOOL" db-url.json loop 30 >loop.out 2>&1 &
LOOP=$!
lib_track_pid "$LOOP"
sleep 1.5
stop_postgres
sleep 1
start_postgres || lib_fail "restart: PostgreSQL started again"
wait "$LOOP"
check_eq "restart: the client ran to the end" 0 "$?"
check_contains "restart: errors while down" "$(cat loop.out)" "connect: connection refused"
check_eq "restart: recovered after the restart" ok "$(tail -n 1 loop.out)"

# ---- the CLI flows (tests/db_cli_flows.sh)
DRIVER=postgres
DB_CONF=$IN/db-url.json
DOWN_CONF=$IN/db-down.json
printf '{"driver":"postgres","data_source":"postgres://postgres@127.0.0.1:1/certdb?sslmode=disable"}\n' \
	>"$DOWN_CONF"
ZERO_TIME="0001-01-01 00:00:00+00"
JSON_SEP=", "
q() { pg_sql certdb -F '|' -c "$1"; }
txt() { echo "convert_from($1, 'UTF8')"; }
# shellcheck source=tests/db_cli_flows.sh
. "$SRCDIR/tests/db_cli_flows.sh"
db_cli_flows

# ---- interop with Debian's cfssl 1.2 on the same PostgreSQL database
if [ -x "$GO_CFSSL" ]; then
	S2=$(serial_of ip.pem)
	A1=$(aki_of leaf.pem)
	run "$GO_CFSSL" sign -ca ca.pem -ca-key ca-key.pem -db-config "$DB_CONF" leaf.csr
	check_eq "go 1.2: signs into the database" 0 "$RC"
	cert_of "$OUT" >deb.pem
	SD=$(serial_of deb.pem)
	check_eq "go 1.2: cfssl-c reads its row" "$SD good 0" \
		"$(t "$TOOL" "$DB_CONF" list | grep "^$SD " | cut -d' ' -f1,3,4)"
	run "$GO_CFSSL" revoke -db-config "$DB_CONF" -serial "$S2" -aki "$A1" -reason superseded
	check_eq "go 1.2: revokes a row cfssl-c wrote" 0 "$RC"
	run cfssl crl -db-config "$DB_CONF" -ca ca.pem -ca-key ca-key.pem
	crl3=$(base64 -d "$OUT" | openssl crl -inform DER -noout -text 2>&1)
	check_contains "go 1.2: cfssl-c's CRL lists what cfssl 1.2 revoked" "$crl3" \
		"Serial Number: $(openssl x509 -noout -serial -in ip.pem | cut -d= -f2)"
	check_eq "go 1.2: its row has an empty AKI (as in SQLite)" "" \
		"$(q "SELECT convert_from(authority_key_identifier, 'UTF8') FROM certificates WHERE serial_number = '$SD'")"
	# cfssl keys a response by the certificate's own AKI: with cfssl 1.2's empty one the
	# foreign key of ocsp_responses refuses it, as it does for cfssl master
	run cfssl ocsprefresh -db-config "$DB_CONF" -ca ca.pem -responder ca.pem -responder-key ca-key.pem
	check_eq "go 1.2: ocsprefresh over its row: the foreign key's error" \
		'1 {"code":11000,"message":"pq: insert or update on table \"ocsp_responses\" violates foreign key constraint \"ocsp_responses_serial_number_authority_key_identifier_fkey\""}' \
		"$RC $(tail -n 1 "$ERR")"
	check_eq "go 1.2: cfssl 1.2's ocspdump reads cfssl-c's responses" \
		"$(cfssl ocspdump -db-config "$DB_CONF")" "$(t "$GO_CFSSL" ocspdump -db-config "$DB_CONF" 2>/dev/null)"
fi

finish
