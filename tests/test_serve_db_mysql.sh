#!/usr/bin/env bash
# Issue 13: two `cfssl serve -db-config` processes on one MariaDB database (a private server,
# tests/lib.sh start_mariadb), server A on the unix socket, B on 127.0.0.1: the load and the outage
# of tests/serve_db_load.sh.
. "$(dirname "$0")/lib.sh"
require_programs curl jq openssl python3 xargs
cd "$WORK" || exit 1

start_mariadb || {
	lib_fail "setup: MariaDB started"
	finish
}
lib_pass "setup: MariaDB started"

printf '{"driver":"mysql","data_source":"%s"}\n' "$MY_UNIX_DSN" >sock.json
printf '{"driver":"mysql","data_source":"%s"}\n' "$MY_TCP_DSN" >tcp.json
db_q() { my_sql certdb -e "$1" | tr '\t' '|'; }
db_serials() { db_q "SELECT serial_number FROM certificates" | sort; }
db_stop() { stop_mariadb; }
db_start() { start_mariadb; }
# shellcheck source=tests/serve_db_load.sh
. "$SRCDIR/tests/serve_db_load.sh"
serve_db_setup sock.json tcp.json
serve_db_two_servers
serve_db_stop_servers
stop_mariadb
finish
