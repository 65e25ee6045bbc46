#!/usr/bin/env bash
# Issue 13: two `cfssl serve -db-config` processes on one PostgreSQL database (a private cluster,
# tests/lib.sh start_postgres), server A on the unix socket (a folder the confined server must
# reach), B on 127.0.0.1: the load and the outage of tests/serve_db_load.sh. Then a password from
# ~/.pgpass, which libpq reads from the confined server.
. "$(dirname "$0")/lib.sh"
require_programs curl jq openssl python3 xargs
cd "$WORK" || exit 1

start_postgres || {
	lib_fail "setup: PostgreSQL started"
	finish
}
lib_pass "setup: PostgreSQL started"

printf '{"driver":"postgres","data_source":"%s"}\n' "$PG_KV" >sock.json
printf '{"driver":"postgres","data_source":"%s"}\n' "$PG_URL" >tcp.json
pq() { pg_sql certdb -c "$1"; }
db_q() { pq "$1" | tr -d ' '; }
db_serials() { pq "SELECT encode(serial_number, 'escape') FROM certificates" | sort; }
db_stop() { stop_postgres; }
db_start() { start_postgres; }
STATUS_TEXT="encode(status, 'escape')"
# shellcheck source=tests/serve_db_load.sh
. "$SRCDIR/tests/serve_db_load.sh"
serve_db_setup sock.json tcp.json
serve_db_two_servers

# ---- a password from ~/.pgpass: libpq reads it on each connection, from the confined server
pq "CREATE ROLE app LOGIN PASSWORD 'secret'; GRANT ALL ON certificates, ocsp_responses TO app" >/dev/null
sed -i "1i host certdb app 127.0.0.1/32 scram-sha-256" "$WORK/pg/data/pg_hba.conf"
pq "SELECT pg_reload_conf()" >/dev/null
mkdir -p home nohome
printf '127.0.0.1:%s:certdb:app:secret\n' "$PG_PORT" >home/.pgpass
chmod 600 home/.pgpass
printf '{"driver":"postgres","data_source":"postgres://app@127.0.0.1:%s/certdb?sslmode=disable"}\n' \
	"$PG_PORT" >app.json
HOME=$WORK/home start_serve "$CFSSL_BIN" c.log -ca ca.pem -ca-key ca-key.pem -db-config app.json || exit 1
r=$("${CURL[@]}" -d @sign.json "http://127.0.0.1:$PORT/api/v1/cfssl/sign")
check_eq "~/.pgpass: sign works" true "$(echo "$r" | jq -r .success)"
check_eq "~/.pgpass: recorded by app" 1 "$(pq "SELECT count(*) FROM certificates WHERE pem = convert_to($(echo "$r" | jq -r .result.certificate | sed "s/'/''/g; 1s/^/'/; \$s/\$/'/"), 'UTF8')")"
kill "$PID"
wait "$PID" 2>/dev/null
HOME=$WORK/nohome start_serve "$CFSSL_BIN" d.log -ca ca.pem -ca-key ca-key.pem -db-config app.json || exit 1
r=$("${CURL[@]}" -d @sign.json "http://127.0.0.1:$PORT/api/v1/cfssl/sign")
check_contains "no ~/.pgpass: 11000" "$r" '"code":11000'
kill "$PID"
wait "$PID" 2>/dev/null

serve_db_stop_servers
stop_postgres
finish
