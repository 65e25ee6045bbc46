#!/bin/bash
# End-to-end test: `cfssl crl` and `cfssl revoke` without a usable certificate database
# (cfssl-compat.md §1.2, §12.9, §16.1): the checks cfssl makes before it queries one behave as
# cfssl's; a database without the schema fails naming the missing table
# (tests/test_db_sqlite.sh covers a working database).

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

IN=$WORK/inputs
mkdir -p "$IN"
cd "$IN" || exit 1

(set -o pipefail
	printf '{"CN":"DB CA","key":{"algo":"ecdsa","size":256}}\n' >ca-csr.json
	t cfssl gencert -initca ca-csr.json 2>/dev/null | t cfssljson -bare ca)
check_eq "setup: CA made" 0 "$?"
printf '{"driver":"sqlite3","data_source":"certs.db"}\n' >db.json
printf '{"DRIVER":"sqlite3","Data_Source":"certs.db"}\n' >db-case.json
printf '{"driver":"sqlite3"}\n' >db-nosource.json
printf '{"driver":5,"data_source":"x"}\n' >db-type.json
printf '[1]\n' >db-array.json
printf '{"driver":' >db-syntax.json
printf 'null\n' >db-null.json

# certs.db does not exist: SQLite creates it empty, as cfssl's driver does
NOSCHEMA='{"code":11000,"message":"no such table: certificates (the certificate database has no schema: apply cfssl-c'"'"'s db/sqlite3 migrations, e.g. with db/apply.sh sqlite3 DATA_SOURCE)"}'
NRUN=0
run()
{
	NRUN=$((NRUN + 1))
	OUT=$WORK/run-$NRUN.out
	ERR=$WORK/run-$NRUN.err
	t cfssl "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# ---- crl without its inputs: one ERROR record, a lone LF on stdout, exit 0 (§1.2)
noinput()
{
	local desc=$1 rec=$2
	shift 2
	run crl "$@"
	check_eq "$desc: exit status 0" 0 "$RC"
	check_eq "$desc: stdout is a lone LF" "0a" "$(od -An -tx1 <"$OUT" | tr -d ' ')"
	check "$desc: stderr is one ERROR record" \
		grep -qxE "[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \\[ERROR\\] .*" "$ERR"
	check_eq "$desc: the record" "[ERROR] $rec" "$(strip_ts <"$ERR")"
}
noinput "crl without -ca" "need CA certificate (provide one with -ca)"
noinput "crl without -ca (other inputs given)" "need CA certificate (provide one with -ca)" \
	-ca-key ca-key.pem -db-config db.json
noinput "crl without -ca-key" "need CA key (provide one with -ca-key)" -ca ca.pem
noinput "crl without -db-config" "no Database specified!" -ca ca.pem -ca-key ca-key.pem

d="crl -loglevel 5 without -ca"
run crl -loglevel 5
check_eq "$d: exit status 0" 0 "$RC"
check_eq "$d: silent" "" "$(cat "$ERR")"

# neg DESC WANT ARGS...: exit 1, stderr exactly WANT, nothing on stdout
neg()
{
	local desc=$1 want=$2
	shift 2
	run "$@"
	check_eq "$desc: exit status" 1 "$RC"
	check_eq "$desc: stderr" "$want" "$(strip_ts <"$ERR")"
	check_eq "$desc: nothing on stdout" 0 "$(wc -c <"$OUT")"
}
CRL=(crl -ca ca.pem -ca-key ca-key.pem)
neg "crl: -db-config missing" '{"code":5200,"message":"could not read configuration file"}' \
	"${CRL[@]}" -db-config missing.json
neg "crl: -db-config not JSON" \
	'{"code":5200,"message":"failed to unmarshal configuration: unexpected end of JSON input"}' \
	"${CRL[@]}" -db-config db-syntax.json
neg "crl: -db-config without data_source" '{"code":5200,"message":"invalid db configuration"}' \
	"${CRL[@]}" -db-config db-nosource.json
neg "crl: -db-config with a number for driver" \
	'{"code":5200,"message":"failed to unmarshal configuration: json: cannot unmarshal number into Go struct field DBConfig.driver of type string"}' \
	"${CRL[@]}" -db-config db-type.json
neg "crl: -db-config holding an array" \
	'{"code":5200,"message":"failed to unmarshal configuration: json: cannot unmarshal array into Go value of type dbconf.DBConfig"}' \
	"${CRL[@]}" -db-config db-array.json
neg "crl: -db-config null (cfssl crashes)" '{"code":5200,"message":"invalid db configuration"}' \
	"${CRL[@]}" -db-config db-null.json
neg "crl: CA certificate missing" "open missing.pem: no such file or directory" \
	crl -ca missing.pem -ca-key ca-key.pem -db-config db.json
neg "crl: CA key missing" '{"code":1001,"message":"open missing.pem: no such file or directory"}' \
	crl -ca ca.pem -ca-key missing.pem -db-config db.json
neg "crl: CA certificate is a key" '{"code":1003,"message":"Failed to parse certificate"}' \
	crl -ca ca-key.pem -ca-key ca-key.pem -db-config db.json
neg "crl: CA key is a certificate" '{"code":2003,"message":"Failed to parse private key"}' \
	crl -ca ca.pem -ca-key ca.pem -db-config db.json
neg "crl: everything given" "$NOSCHEMA" "${CRL[@]}" -db-config db.json
neg "crl: member names are case-insensitive" "$NOSCHEMA" "${CRL[@]}" -db-config db-case.json

# ---- revoke
REV=(revoke -serial 1234 -aki 0a1b2c)
neg "revoke with a positional argument" \
	"argument is provided but not defined; please refer to the usage by flag -h" \
	revoke -serial 1 -aki a -db-config db.json extra
neg "revoke without -serial" "serial number is required but not provided" revoke
neg "revoke without -aki" "authority key id is required but not provided" revoke -serial 1
neg "revoke without -db-config" "need DB config file (provide with -db-config)" "${REV[@]}"
neg "revoke: -db-config missing" '{"code":5200,"message":"could not read configuration file"}' \
	"${REV[@]}" -db-config missing.json
neg "revoke: -db-config without data_source" \
	'{"code":5200,"message":"invalid db configuration"}' "${REV[@]}" -db-config db-nosource.json
e='{"code":8200,"message":"Invalid revocation status"}'
run "${REV[@]}" -db-config db.json
check_eq "revoke: default reason 0: exit status" 1 "$RC"
check_eq "revoke: default reason 0 is invalid (§12.9)" \
	"$(printf '[ERROR] Invalid reason code: %s\n%s' "$e" "$e")" "$(strip_ts <"$ERR")"
e='strconv.Atoi: parsing "often": invalid syntax'
run "${REV[@]}" -db-config db.json -reason often
check_eq "revoke: -reason often" "$(printf '[ERROR] Invalid reason code: %s\n%s' "$e" "$e")" \
	"$(strip_ts <"$ERR")"
neg "revoke: -reason keyCompromise" "$NOSCHEMA" "${REV[@]}" -db-config db.json \
	-reason keyCompromise
neg "revoke: -reason 9" "$NOSCHEMA" "${REV[@]}" -db-config db.json -reason 9

finish
