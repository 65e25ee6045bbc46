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

finish
