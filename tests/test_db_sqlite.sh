#!/bin/bash
# End-to-end test: the certificate database on SQLite (cfssl-serve.md §7-8, deviations 22-23):
# recording by sign and gencert, revoke, crl (checked by openssl), ocsprefresh, ocspdump,
# certinfo -serial; the schema applied by db/apply.sh; cfssl's messages for a bad -db-config,
# a database without the schema and an unknown serial; interop on one SQLite file with
# Debian's cfssl 1.2 (/usr/bin/cfssl: empty AKIs, no crl command) and, when it is installed,
# cfssl master (/opt/cfssl-master/bin/cfssl, built with SQLite here).

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs sqlite3 openssl bc
DEB=${DEB_CFSSL:-/usr/bin/cfssl}
MASTER=${MASTER_CFSSL:-/opt/cfssl-master/bin/cfssl}

IN=$WORK/inputs
mkdir -p "$IN"
cd "$IN" || exit 1

NRUN=0
run()
{
	NRUN=$((NRUN + 1))
	OUT=$WORK/run-$NRUN.out
	ERR=$WORK/run-$NRUN.err
	t "$@" >"$OUT" 2>"$ERR"
	RC=$?
}
# neg DESC WANT ARGS...: exit 1, last stderr line WANT, nothing on stdout
neg()
{
	local desc=$1 want=$2
	shift 2
	run cfssl "$@"
	check_eq "$desc: exit status" 1 "$RC"
	check_eq "$desc: message" "$want" "$(strip_ts <"$ERR" | tail -n1)"
	check_eq "$desc: nothing on stdout" 0 "$(wc -c <"$OUT")"
}
q() { sqlite3 -batch certs.db "$@"; }
# decimal serial and lower-case hex AKI of a PEM certificate
serial_of() { echo "ibase=16; $(openssl x509 -noout -serial -in "$1" | cut -d= -f2)" | BC_LINE_LENGTH=0 bc; }
aki_of()
{
	openssl x509 -noout -ext authorityKeyIdentifier -in "$1" | sed -n 2p |
		tr -d ' :' | sed 's/^keyid//' | tr 'A-F' 'a-f'
}
cert_of() { sed -n 's/.*"cert":"\([^"]*\)".*/\1/p' "$1" | sed 's/\\n/\n/g'; }

(set -o pipefail
	for ca in ca ca2; do
		printf '{"CN":"DB %s","key":{"algo":"ecdsa","size":256}}\n' "$ca" >$ca-csr.json
		t cfssl gencert -initca $ca-csr.json 2>/dev/null | t cfssljson -bare $ca || exit 1
	done
	printf '{"CN":"leaf.example","hosts":["leaf.example","www.example","10.0.0.1","a@b.example"],"key":{"algo":"ecdsa","size":256}}\n' >leaf.json
	t cfssl genkey leaf.json 2>/dev/null | t cfssljson -bare leaf || exit 1
	printf '{"CN":"","hosts":["10.0.0.2"],"key":{"algo":"ecdsa","size":256}}\n' >ip.json
	t cfssl genkey ip.json 2>/dev/null | t cfssljson -bare ip)
check_eq "setup: CAs and CSRs made" 0 "$?"
printf '{"driver":"sqlite3","data_source":"certs.db"}\n' >db.json
printf '{"driver":"sqlite3","data_source":"empty.db"}\n' >empty.json

# ---- the schema
run "$SRCDIR/db/apply.sh" sqlite3 certs.db
check_eq "apply.sh: exit status" 0 "$RC"
check_eq "apply.sh: both steps" \
	"$(printf 'applied sqlite3/001_CreateCertificates.sql\napplied sqlite3/002_AddMetadataToCertificates.sql\nschema up to date')" \
	"$(cat "$OUT")"
run "$SRCDIR/db/apply.sh" sqlite3 certs.db
check_eq "apply.sh twice: nothing to do" "schema up to date" "$(cat "$OUT")"
check_eq "schema: cfssl's columns" \
	"serial_number|blob authority_key_identifier|blob ca_label|blob status|blob reason|int expiry|timestamp revoked_at|timestamp pem|blob issued_at|timestamp not_before|timestamp metadata|text sans|text common_name|text" \
	"$(q "SELECT name || '|' || lower(type) FROM pragma_table_info('certificates')" | tr '\n' ' ' | sed 's/ $//')"

# ---- recording (§7.3)
run cfssl sign -ca ca.pem -ca-key ca-key.pem -db-config db.json -label lbl leaf.csr
check_eq "sign -db-config: exit status" 0 "$RC"
cert_of "$OUT" >leaf.pem
S1=$(serial_of leaf.pem)
A1=$(aki_of leaf.pem)
check_eq "sign: one row" 1 "$(q 'SELECT count(*) FROM certificates')"
check_eq "sign: the row as cfssl writes it" \
	"$S1|$A1|lbl|good|0|0001-01-01 00:00:00+00:00|null|[\"leaf.example\",\"www.example\"]|leaf.example" \
	"$(q "SELECT serial_number, authority_key_identifier, ca_label, status, reason, revoked_at, metadata, sans, common_name FROM certificates")"
check_eq "sign: value types (go-sqlite3's)" "text|text|text|text|integer|text|text|blob|blob|text" \
	"$(q "SELECT typeof(serial_number), typeof(authority_key_identifier), typeof(ca_label), typeof(status), typeof(reason), typeof(expiry), typeof(issued_at), typeof(metadata), typeof(sans), typeof(common_name) FROM certificates")"
na=$(date -u -d "$(openssl x509 -noout -enddate -in leaf.pem | cut -d= -f2)" '+%Y-%m-%d %H:%M:%S+00:00')
nb=$(date -u -d "$(openssl x509 -noout -startdate -in leaf.pem | cut -d= -f2)" '+%Y-%m-%d %H:%M:%S+00:00')
check_eq "sign: expiry and not_before" "$na|$nb" "$(q 'SELECT expiry, not_before FROM certificates')"
check "sign: issued_at with nanoseconds" \
	grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?\+00:00$' \
	<(q 'SELECT issued_at FROM certificates')
check_eq "sign: the PEM as printed" "$(cat leaf.pem)" "$(q 'SELECT pem FROM certificates')"

run cfssl gencert -ca ca.pem -ca-key ca-key.pem -db-config db.json ip.json
check_eq "gencert -db-config: exit status" 0 "$RC"
cert_of "$OUT" >ip.pem
S2=$(serial_of ip.pem)
check_eq "gencert: no label, no DNS name, empty CN" "|null|" \
	"$(q "SELECT ca_label, sans, common_name FROM certificates WHERE serial_number = '$S2'")"

run cfssl sign -ca ca2.pem -ca-key ca2-key.pem -db-config db.json leaf.csr
cert_of "$OUT" >leaf2.pem
S3=$(serial_of leaf2.pem)
A3=$(aki_of leaf2.pem)
check_eq "sign by the second CA: recorded" 3 "$(q 'SELECT count(*) FROM certificates')"

# a failed insert: no certificate printed (as cfssl)
neg "sign into a database without the schema" \
	'{"code":11000,"message":"no such table: certificates (the certificate database has no schema: apply cfssl-c'"'"'s db/sqlite3 migrations, e.g. with db/apply.sh sqlite3 DATA_SOURCE)"}' \
	sign -ca ca.pem -ca-key ca-key.pem -db-config empty.json leaf.csr
check_contains "sign without the schema: the certificate was signed first" "$(cat "$ERR")" \
	"signed certificate with serial number"
neg "gencert into a database without the schema" \
	'{"code":11000,"message":"no such table: certificates (the certificate database has no schema: apply cfssl-c'"'"'s db/sqlite3 migrations, e.g. with db/apply.sh sqlite3 DATA_SOURCE)"}' \
	gencert -ca ca.pem -ca-key ca-key.pem -db-config empty.json ip.json

# a database made by cfssl's migration 001 only: the missing column is named, and apply.sh
# brings it up to date
sqlite3 old.db <"$SRCDIR/db/sqlite3/001_CreateCertificates.sql"
printf '{"driver":"sqlite3","data_source":"old.db"}\n' >old.json
neg "sign into a database without migration 002" \
	'{"code":11000,"message":"table certificates has no column named issued_at (the certificate database schema is not up to date: apply cfssl-c'"'"'s db/sqlite3 migrations, e.g. with db/apply.sh sqlite3 DATA_SOURCE)"}' \
	sign -ca ca.pem -ca-key ca-key.pem -db-config old.json leaf.csr
run "$SRCDIR/db/apply.sh" sqlite3 old.db
check_eq "apply.sh on a 001 database: the second step only" \
	"$(printf 'applied sqlite3/002_AddMetadataToCertificates.sql\nschema up to date')" "$(cat "$OUT")"
run cfssl sign -ca ca.pem -ca-key ca-key.pem -db-config old.json leaf.csr
check_eq "sign after apply.sh: exit status" 0 "$RC"

# ---- revoke (deviation 23: any spelling of the AKI)
AU=$(echo "$A1" | tr 'a-f' 'A-F' | sed 's/../&:/g; s/:$//')
run cfssl revoke -db-config db.json -serial "$S1" -aki "$AU" -reason keyCompromise
check_eq "revoke (upper-case AKI with colons): exit status" 0 "$RC"
check_eq "revoke: no output" "" "$(cat "$OUT" "$ERR")"
check_eq "revoke: status and reason" "revoked|1" \
	"$(q "SELECT status, reason FROM certificates WHERE serial_number = '$S1'")"
check "revoke: revoked_at is the database's CURRENT_TIMESTAMP" \
	grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' \
	<(q "SELECT revoked_at FROM certificates WHERE serial_number = '$S1'")
run cfssl revoke -db-config db.json -serial "$S3" -aki "$A3" -reason 4
check_eq "revoke a certificate of the second CA" 0 "$RC"
neg "revoke an unknown serial" \
	'{"code":11200,"message":"failed to revoke the certificate: certificate not found"}' \
	revoke -db-config db.json -serial 12345 -aki "$A1" -reason 1
neg "revoke with the other CA's AKI" \
	'{"code":11200,"message":"failed to revoke the certificate: certificate not found"}' \
	revoke -db-config db.json -serial "$S1" -aki "$A3" -reason 1

# ---- crl (deviation 22: the given CA's certificates only)
run cfssl crl -db-config db.json -ca ca.pem -ca-key ca-key.pem
check_eq "crl: exit status" 0 "$RC"
check_eq "crl: one line" 1 "$(wc -l <"$OUT")"
base64 -d "$OUT" >crl.der
check "crl: openssl verifies it with -CAfile" \
	openssl crl -inform DER -in crl.der -CAfile ca.pem -noout
crltext=$(openssl crl -inform DER -in crl.der -noout -text)
hex1=$(openssl x509 -noout -serial -in leaf.pem | cut -d= -f2)
hex3=$(openssl x509 -noout -serial -in leaf2.pem | cut -d= -f2)
check_contains "crl: lists the revoked certificate" "$crltext" "Serial Number: $hex1"
check_not_contains "crl: not the other CA's" "$crltext" "Serial Number: $hex3"
check_not_contains "crl: not the good one" "$crltext" \
	"Serial Number: $(openssl x509 -noout -serial -in ip.pem | cut -d= -f2)"
check_contains "crl: nextUpdate one week later by default" "$crltext" "Next Update"
run cfssl crl -db-config db.json -ca ca2.pem -ca-key ca2-key.pem -expiry 1h
base64 -d "$OUT" >crl2.der
crl2=$(openssl crl -inform DER -in crl2.der -CAfile ca2.pem -noout -text 2>&1)
check_contains "crl of the second CA: verifies" "$crl2" "verify OK"
check_contains "crl of the second CA: its certificate" "$crl2" "Serial Number: $hex3"
check_not_contains "crl of the second CA: not the first CA's" "$crl2" "Serial Number: $hex1"
neg "crl on a database without the schema" \
	'{"code":11000,"message":"no such table: certificates (the certificate database has no schema: apply cfssl-c'"'"'s db/sqlite3 migrations, e.g. with db/apply.sh sqlite3 DATA_SOURCE)"}' \
	crl -db-config empty.json -ca ca.pem -ca-key ca-key.pem

# ---- ocsprefresh and ocspdump
run cfssl ocsprefresh -db-config db.json -ca ca.pem -responder ca.pem -responder-key ca-key.pem \
	-interval 2h
check_eq "ocsprefresh: exit status" 0 "$RC"
check_eq "ocsprefresh: no output" "" "$(cat "$OUT" "$ERR")"
check_eq "ocsprefresh: one row per certificate of the CA (deviation 22)" \
	"$S1|$A1
$S2|$A1" "$(q 'SELECT serial_number, authority_key_identifier FROM ocsp_responses ORDER BY rowid')"
run cfssl ocspdump -db-config db.json
check_eq "ocspdump: one line per response" 2 "$(wc -l <"$OUT")"
sed -n 1p "$OUT" | base64 -d >resp1.der
resp=$(openssl ocsp -respin resp1.der -resp_text -noverify 2>&1)
check_contains "ocspdump: the revoked certificate's response" "$resp" "Cert Status: revoked"
check_contains "ocspdump: with its reason" "$resp" "Revocation Reason: keyCompromise (0x1)"
sed -n 2p "$OUT" | base64 -d >resp2.der
check_contains "ocspdump: the good certificate's response" \
	"$(openssl ocsp -respin resp2.der -resp_text -noverify 2>&1)" "Cert Status: good"
check "ocspdump: responses verify against the CA" \
	openssl ocsp -respin resp1.der -CAfile ca.pem -issuer ca.pem -cert leaf.pem
run cfssl ocsprefresh -db-config db.json -ca ca.pem -responder ca.pem -responder-key ca-key.pem
check_eq "ocsprefresh again: rows updated, not added" 2 "$(q 'SELECT count(*) FROM ocsp_responses')"
neg "ocspdump on a database without the schema" \
	'{"code":11000,"message":"no such table: ocsp_responses (the certificate database has no schema: apply cfssl-c'"'"'s db/sqlite3 migrations, e.g. with db/apply.sh sqlite3 DATA_SOURCE)"}' \
	ocspdump -db-config empty.json

# ---- certinfo -serial -aki
run cfssl certinfo -db-config db.json -serial "$S1" -aki "$AU"
check_eq "certinfo -serial: exit status" 0 "$RC"
check_eq "certinfo -serial: the stored certificate's JSON" "$(cfssl certinfo -cert leaf.pem)" \
	"$(cat "$OUT")"
neg "certinfo: unknown serial" "no certificate found" \
	certinfo -db-config db.json -serial 12345 -aki "$A1"

# ---- -db-config errors (§7.1)
printf '{bad' >bad.json
printf '{"driver":"nosuch","data_source":"x"}\n' >nosuch.json
neg "bad -db-config JSON" \
	'{"code":5200,"message":"failed to unmarshal configuration: invalid character '"'"'b'"'"' looking for beginning of object key string"}' \
	ocspdump -db-config bad.json
neg "missing -db-config file" '{"code":5200,"message":"could not read configuration file"}' \
	certinfo -db-config missing.json -serial 1 -aki 2
neg "unknown driver" 'sql: unknown driver "nosuch" (forgotten import?)' \
	revoke -db-config nosuch.json -serial 1 -aki 2 -reason 1

# ---- the same messages as cfssl master where no database is reached
if [ -x "$MASTER" ]; then
	for args in "ocspdump" "ocsprefresh -db-config db.json" \
		"ocsprefresh -db-config db.json -responder ca.pem" \
		"ocsprefresh -db-config db.json -responder ca.pem -responder-key ca-key.pem" \
		"ocspdump -db-config bad.json" "revoke -serial 1 -aki 2 -db-config nosuch.json -reason 1"; do
		# shellcheck disable=SC2086
		check_eq "as cfssl master: $args" "$(t "$MASTER" $args 2>&1 | strip_ts)" \
			"$(t cfssl $args 2>&1 | strip_ts)"
	done
fi

# ---- interop with Debian's cfssl 1.2 on the same file
if [ -x "$DEB" ]; then
	run "$DEB" sign -ca ca.pem -ca-key ca-key.pem -db-config db.json leaf.csr
	check_eq "cfssl 1.2 signs into the database" 0 "$RC"
	cert_of "$OUT" >deb.pem
	SD=$(serial_of deb.pem)
	check_eq "cfssl 1.2's row: empty AKI" "" \
		"$(q "SELECT authority_key_identifier FROM certificates WHERE serial_number = '$SD'")"
	run "$DEB" revoke -db-config db.json -serial "$S2" -aki "$A1" -reason superseded
	check_eq "cfssl 1.2 revokes a row cfssl-c wrote" 0 "$RC"
	run cfssl crl -db-config db.json -ca ca.pem -ca-key ca-key.pem
	base64 -d "$OUT" >crl3.der
	crl3=$(openssl crl -inform DER -in crl3.der -CAfile ca.pem -noout -text 2>&1)
	check_contains "cfssl-c's CRL lists what cfssl 1.2 revoked" "$crl3" \
		"Serial Number: $(openssl x509 -noout -serial -in ip.pem | cut -d= -f2)"
	# cfssl-c's ocsprefresh signs cfssl 1.2's row too (its certificate names this CA)
	run cfssl ocsprefresh -db-config db.json -ca ca.pem -responder ca.pem -responder-key ca-key.pem
	check_eq "ocsprefresh over cfssl 1.2's row: exit status" 0 "$RC"
	check_eq "ocsprefresh: cfssl 1.2's certificate keyed by its AKI" 1 \
		"$(q "SELECT count(*) FROM ocsp_responses WHERE serial_number = '$SD' AND authority_key_identifier = '$A1'")"
	check_eq "cfssl 1.2's ocspdump reads cfssl-c's responses" "$(cfssl ocspdump -db-config db.json)" \
		"$(t "$DEB" ocspdump -db-config db.json 2>/dev/null)"
	run "$DEB" ocsprefresh -db-config db.json -ca ca.pem -responder ca.pem -responder-key ca-key.pem
	check_eq "cfssl 1.2's ocsprefresh fails at the other CA's row (cfssl's behaviour)" 1 "$RC"
	check_eq "cfssl-c reads cfssl 1.2's responses" "$(t "$DEB" ocspdump -db-config db.json 2>/dev/null)" \
		"$(cfssl ocspdump -db-config db.json)"
fi

# ---- go-sqlite3's data source options ("?_journal_mode=WAL" and the rest), as cfssl reads them
cp certs.db wal.db
printf '{"driver":"sqlite3","data_source":"wal.db?_journal_mode=WAL&_busy_timeout=2000"}\n' >wal.json
run cfssl sign -ca ca.pem -ca-key ca-key.pem -db-config wal.json -label wal leaf.csr
check_eq "?_journal_mode=WAL: sign records" "0 1" \
	"$RC $(sqlite3 -batch wal.db "SELECT count(*) FROM certificates WHERE ca_label = 'wal'")"
check_eq "?_journal_mode=WAL: the file is in WAL mode" wal "$(sqlite3 -batch wal.db 'PRAGMA journal_mode')"
check_eq "?options: no file named after the whole data source" "" "$(ls -- wal.db\?* 2>/dev/null)"
cp certs.db uri.db
printf '{"driver":"sqlite3","data_source":"file:uri.db?mode=rw&_journal=wal"}\n' >uri.json
run cfssl ocspdump -db-config uri.json
check_eq "file: URI with options: read" 0 "$RC"
check_eq "file: URI: the _journal alias applied" wal "$(sqlite3 -batch uri.db 'PRAGMA journal_mode')"
for ds in 'x.db?_journal=foo' 'x.db?_busy_timeout=abc&_journal=foo' 'x.db?a=%zz&b;c' 'x.db?a=%z' \
	'x.db?_cslike=maybe' 'x.db?_loc=Nowhere/X' 'x.db?_loc=Europe/Paris&_sync=9' \
	'x.db?_timeout=99999999999999999999' 'x.db?_auth&_auth_user=a' 'x.db?_mutex=x' \
	'x.db?_txlock=y' 'x.db?_vacuum=3' 'x.db?_locking=z' 'x.db?_secure_delete=slow' \
	'x.db?_writable_schema=2&_cache_size=x' 'x.db?_rt=2' 'x.db?_fk=2&_foreign_keys=1'; do
	printf '{"driver":"sqlite3","data_source":"%s"}\n' "$ds" >bad.json
	run cfssl ocspdump -db-config bad.json
	check_eq "data_source $ds: exit 1, nothing on stdout" "1 0" "$RC $(wc -c <"$OUT")"
	# go-sqlite3 checks _auth once the file is open
	case $ds in *_auth*) ;; *)
		check_eq "data_source $ds: no database file made" "" "$(ls x.db* 2>/dev/null)" ;;
	esac
	if [ -x "$DEB" ]; then
		check_eq "data_source $ds: cfssl 1.2's message" \
			"$(t "$DEB" ocspdump -db-config bad.json 2>&1 | strip_ts)" "$(strip_ts <"$ERR")"
	else
		check_contains "data_source $ds: a go-sqlite3 message" "$(cat "$ERR")" '"code":11000'
	fi
	rm -f x.db*
done
printf '{"driver":"sqlite3","data_source":"%s/nowhere/x.db"}\n' "$WORK" >bad.json
neg "data_source in a missing folder" \
	'{"code":11000,"message":"unable to open database file: no such file or directory"}' \
	ocspdump -db-config bad.json

# ---- interop with cfssl master (when built with SQLite)
if [ -x "$MASTER" ] && t "$MASTER" ocspdump -db-config db.json >/dev/null 2>&1; then
	run "$MASTER" sign -ca ca.pem -ca-key ca-key.pem -db-config db.json -label m leaf.csr
	cert_of "$OUT" >m.pem
	SM=$(serial_of m.pem)
	run cfssl sign -ca ca.pem -ca-key ca-key.pem -db-config db.json -label m leaf.csr
	cert_of "$OUT" >c.pem
	SC=$(serial_of c.pem)
	cols="ca_label, status, reason, revoked_at, typeof(issued_at), typeof(not_before), metadata, typeof(metadata), sans, typeof(sans), common_name, typeof(common_name)"
	check_eq "cfssl master and cfssl-c write the same row" \
		"$(q "SELECT $cols FROM certificates WHERE serial_number = '$SM'")" \
		"$(q "SELECT $cols FROM certificates WHERE serial_number = '$SC'")"
	check_eq "cfssl master's certinfo -serial reads cfssl-c's row" \
		"$(t "$MASTER" certinfo -db-config db.json -serial "$SC" -aki "$A1" 2>&1)" \
		"$(cfssl certinfo -db-config db.json -serial "$SC" -aki "$A1" 2>&1)"
	run cfssl revoke -db-config db.json -serial "$SM" -aki "$A1" -reason 3
	check_eq "cfssl-c revokes cfssl master's row" 0 "$RC"
	run "$MASTER" revoke -db-config db.json -serial "$SC" -aki "$A1" -reason 5
	check_eq "cfssl master revokes cfssl-c's row" 0 "$RC"
	run cfssl crl -db-config db.json -ca ca.pem -ca-key ca-key.pem
	crlc=$(base64 -d "$OUT" | openssl crl -inform DER -noout -text)
	run "$MASTER" crl -db-config db.json -ca ca.pem -ca-key ca-key.pem
	crlm=$(base64 -d "$OUT" | openssl crl -inform DER -noout -text)
	for p in m.pem c.pem; do
		s=$(openssl x509 -noout -serial -in $p | cut -d= -f2)
		check_contains "cfssl-c's CRL lists $p" "$crlc" "Serial Number: $s"
		check_contains "cfssl master's CRL lists $p" "$crlm" "Serial Number: $s"
	done
	check_eq "cfssl master's ocspdump equals cfssl-c's" "$(cfssl ocspdump -db-config db.json)" \
		"$(t "$MASTER" ocspdump -db-config db.json 2>/dev/null)"
fi

finish
