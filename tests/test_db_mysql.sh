#!/bin/bash
# End-to-end test: the certificate database on MariaDB (issue 13; cfssl-serve.md §7-8). A private
# server (tests/lib.sh start_mariadb) with the schema of db/mysql.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

GO_CFSSL=${GO_CFSSL:-/usr/bin/cfssl}
IN=$WORK/inputs
mkdir -p "$IN"
cd "$IN" || exit 1

start_mariadb || { lib_fail "setup: MariaDB started"; finish; }
lib_pass "setup: MariaDB started"

# ---- the schema of db/mysql is cfssl's (§7.2)
cols=$(my_sql -e "SELECT CONCAT(column_name, ':', column_type, ':', is_nullable, ':',
	IFNULL(column_default, 'none')) FROM information_schema.columns
	WHERE table_schema = 'certdb' AND table_name = 'certificates' ORDER BY ordinal_position" | tr '\n' ' ')
check_eq "schema: certificates columns" "serial_number:varbinary(128):NO:none \
authority_key_identifier:varbinary(128):NO:none ca_label:varbinary(128):YES:NULL \
status:varbinary(128):NO:none reason:int(11):YES:NULL expiry:timestamp:YES:'0000-00-00 00:00:00' \
revoked_at:timestamp:YES:'0000-00-00 00:00:00' pem:varbinary(4096):NO:none \
issued_at:timestamp:YES:'0000-00-00 00:00:00' not_before:timestamp:YES:'0000-00-00 00:00:00' \
metadata:longtext:YES:NULL sans:longtext:YES:NULL common_name:text:YES:NULL " "$cols"
keys=$(my_sql -e "SELECT CONCAT(table_name, ':', constraint_type) FROM information_schema.table_constraints
	WHERE table_schema = 'certdb' ORDER BY 1" | tr '\n' ' ')
check_contains "schema: primary keys" "$keys" "certificates:PRIMARY KEY ocsp_responses:PRIMARY KEY"
check_not_contains "schema: no foreign key (as cfssl's MySQL schema)" "$keys" "FOREIGN"

(set -o pipefail
	printf '{"CN":"DB CA","key":{"algo":"ecdsa","size":256}}\n' >ca-csr.json
	t cfssl gencert -initca ca-csr.json 2>/dev/null | t cfssljson -bare ca)
check_eq "setup: CA made" 0 "$?"
printf '{"CN":"leaf.example","hosts":["leaf.example","127.0.0.1"],"key":{"algo":"ecdsa","size":256}}\n' \
	>leaf-csr.json
printf '{"driver":"mysql","data_source":"%s"}\n' "$MY_TCP_DSN" >db-tcp.json
printf '{"driver":"mysql","data_source":"%s"}\n' "$MY_UNIX_DSN" >db-unix.json

# ---- Debian's cfssl 1.2 records into the private server, on TCP and on the socket
if [ -x "$GO_CFSSL" ]; then
	check "go 1.2: gencert -db-config (tcp data_source)" \
		"$GO_CFSSL" gencert -ca ca.pem -ca-key ca-key.pem -db-config db-tcp.json leaf-csr.json
	check "go 1.2: gencert -db-config (unix data_source)" \
		"$GO_CFSSL" gencert -ca ca.pem -ca-key ca-key.pem -db-config db-unix.json leaf-csr.json
	n=$(my_sql certdb -e "SELECT count(*) FROM certificates WHERE status = 'good'")
	check_eq "go 1.2: two rows recorded" 2 "$n"
	zero=$(my_sql certdb -e "SELECT DISTINCT revoked_at FROM certificates")
	check_eq "go 1.2: revoked_at is MySQL's zero time" "0000-00-00 00:00:00" "$zero"
fi

# ---- the mysql driver: every Accessor call, values as §7.3 and issue 13
TOOL=${CERTDB_TOOL:?CERTDB_TOOL names tests/tools/certdb_tool}
my_sql certdb -e "DELETE FROM ocsp_responses; DELETE FROM certificates"
check "driver: Accessor calls on the tcp data_source" "$TOOL" db-tcp.json accessor
my_sql certdb -e "DELETE FROM ocsp_responses; DELETE FROM certificates"
out=$(t "$TOOL" db-unix.json accessor 2>&1)
check_contains "driver: Accessor calls on the unix data_source" "$out" " 0 failed"
row=$(my_sql certdb -e "SELECT serial_number, authority_key_identifier, ca_label, status, reason,
	expiry, revoked_at, IFNULL(issued_at, 'NULL'), IFNULL(not_before, 'NULL'), metadata, sans,
	IFNULL(common_name, 'NULL') FROM certificates WHERE serial_number = '42'" | tr '\t' '|')
check_eq "stored: a row with NULLs and quotes" "42|85e1262bcff46bac50acd1e3b95b075e53f06f0f|\
it's a \"label\" \\\\ with quotes|good|0|2038-01-01 00:00:00|0000-00-00 00:00:00|NULL|NULL|{}|{}|NULL" "$row"
row=$(my_sql certdb -e "SELECT revoked_at, issued_at, not_before, sans FROM certificates
	WHERE serial_number = '7'" | tr '\t' '|')
check_eq "stored: MySQL's zero time, whole seconds" \
	'0000-00-00 00:00:00|2026-12-03 19:00:00|2026-12-03 17:46:40|["a.example", "b.example"]' "$row"
row=$(my_sql certdb -e "SELECT status, reason, revoked_at > NOW() - INTERVAL 1 MINUTE
	FROM certificates WHERE serial_number = '661343175308595544116445677032619995530932964936'" |
	tr '\t' '|')
check_eq "stored: revocation (status, reason, revoked_at = CURRENT_TIMESTAMP)" "revoked|4|1" "$row"
row=$(my_sql certdb -e "SELECT LENGTH(body), ASCII(SUBSTR(body, 1, 1)), ASCII(SUBSTR(body, 2, 1)),
	expiry FROM ocsp_responses" | tr '\t' '|')
check_eq "stored: OCSP body bytes and expiry" "600|255|7|2038-01-01 00:00:01" "$row"

# Go's mysql DSN forms
my_sql certdb -e "DELETE FROM ocsp_responses; DELETE FROM certificates"
dsn()
{
	printf '{"driver":"mysql","data_source":"%s"}\n' "$1" >dsn.json
	t "$TOOL" dsn.json probe 2>&1
}
check_eq "dsn: no parseTime, escaped password, a server variable" "" \
	"$(dsn "u:p%40ss@tcp(127.0.0.1:$MY_PORT)/certdb?sql_mode=%27ANSI_QUOTES%27&timeout=5s")"
check_eq "dsn: charset and host without a port" "" \
	"$(dsn "u@unix($MY_SOCK)/certdb?charset=utf8mb4,utf8&parseTime=true")"
my_sql -e "CREATE DATABASE other"
out=$(dsn "u@unix($MY_SOCK)/other?parseTime=true")
check_contains "dsn: missing table named with how to apply the schema" "$out" \
	"no such table: certificates"
check_contains "dsn: ... and db/apply.sh mysql" "$out" "db/apply.sh mysql"
check_eq "dsn: no slash" \
	'{"code":11000,"message":"invalid DSN: missing the slash separating the database name"}' \
	"$(dsn "u@tcp(127.0.0.1:$MY_PORT)")"
check_eq "dsn: unterminated address" \
	'{"code":11000,"message":"invalid DSN: network address not terminated (missing closing brace)"}' \
	"$(dsn "u@tcp(127.0.0.1:$MY_PORT/certdb")"
check_eq "dsn: unknown database" \
	"{\"code\":11000,\"message\":\"Error 1049 (42000): Unknown database 'nosuch'\"}" \
	"$(dsn "u@tcp(127.0.0.1:$MY_PORT)/nosuch")"

# a database made by cfssl's migration 001 only: the missing column named, apply.sh updates it
my_sql -e 'CREATE DATABASE old'
my_sql old <"$SRCDIR/db/mysql/001_CreateCertificates.sql"
check_eq "dsn: a schema without migration 002" \
	"{\"code\":11000,\"message\":\"Error 1054 (42S22): Unknown column 'issued_at' in 'SELECT' (the certificate database schema is not up to date: apply cfssl-c's db/mysql migrations, e.g. with db/apply.sh mysql DATA_SOURCE)\"}" \
	"$(dsn "u@unix($MY_SOCK)/old")"
t bash "$SRCDIR/db/apply.sh" mysql "u@unix($MY_SOCK)/old" >/dev/null
check_eq "dsn: after apply.sh" "" "$(dsn "u@unix($MY_SOCK)/old")"

# ---- a database that is not there: Go's dial errors (§7.1)
check_eq "down: TCP connection refused" \
	'{"code":11000,"message":"dial tcp 127.0.0.1:1: connect: connection refused"}' \
	"$(dsn "u@tcp(127.0.0.1:1)/certdb?parseTime=true")"
check_eq "down: no socket" \
	"{\"code\":11000,\"message\":\"dial unix $WORK/none.sock: connect: no such file or directory\"}" \
	"$(dsn "u@unix($WORK/none.sock)/certdb?parseTime=true")"

# ---- two processes of 4 threads each on one database: pools side by side, no row lost
"$TOOL" db-tcp.json threads 4 10 1 >threads1.out 2>&1 &
P1=$!
"$TOOL" db-tcp.json threads 4 10 2 >threads2.out 2>&1 &
P2=$!
wait "$P1"
r1=$?
wait "$P2"
check_eq "concurrency: no error in either process" "0 0 0 errors 0 errors" \
	"$r1 $? $(cat threads1.out) $(cat threads2.out)"
n=$(my_sql certdb -e "SELECT count(DISTINCT serial_number) FROM certificates WHERE authority_key_identifier = 'abcdef'")
check_eq "concurrency: 80 rows, one per insert" 80 "$n"

# ---- the server restarts under a running client: errors while it is down, then recovery
"$TOOL" db-tcp.json loop 30 >loop.out 2>&1 &
LOOP=$!
lib_track_pid "$LOOP"
sleep 1.5
stop_mariadb
sleep 1
start_mariadb || lib_fail "restart: MariaDB started again"
wait "$LOOP"
check_eq "restart: the client ran to the end" 0 "$?"
check_contains "restart: errors while down" "$(cat loop.out)" "connect: connection refused"
check_eq "restart: recovered after the restart" ok "$(tail -n 1 loop.out)"

# ---- the CLI flows (tests/db_cli_flows.sh)
DRIVER=mysql
DB_CONF=$IN/db-tcp.json
DOWN_CONF=$IN/db-down.json
printf '{"driver":"mysql","data_source":"u@tcp(127.0.0.1:1)/certdb?parseTime=true"}\n' >"$DOWN_CONF"
ZERO_TIME="0000-00-00 00:00:00"
JSON_SEP=","
q() { my_sql certdb --raw -e "$1" | tr '\t' '|'; }
txt() { echo "$1"; }
# shellcheck source=tests/db_cli_flows.sh
. "$SRCDIR/tests/db_cli_flows.sh"
db_cli_flows

# ---- Debian's cfssl 1.2 revokes a row cfssl-c wrote; cfssl-c's CRL lists it
if [ -x "$GO_CFSSL" ]; then
	run "$GO_CFSSL" revoke -db-config "$DB_CONF" -serial "$(serial_of ip.pem)" -aki "$(aki_of ip.pem)" \
		-reason superseded
	check_eq "go 1.2: revokes a row cfssl-c wrote" 0 "$RC"
	run cfssl crl -db-config "$DB_CONF" -ca ca.pem -ca-key ca-key.pem
	check_contains "go 1.2: cfssl-c's CRL lists it" \
		"$(base64 -d "$OUT" | openssl crl -inform DER -noout -text 2>&1)" \
		"Serial Number: $(openssl x509 -noout -serial -in ip.pem | cut -d= -f2)"
fi

finish
