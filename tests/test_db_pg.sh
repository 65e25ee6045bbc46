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

finish
