#!/usr/bin/env bash
# Issue 13: `cfssl serve -db-config` on SQLite (cfssl-serve.md §1.2-1.3, §3.3, §3.11, §3.13, §3.14,
# §7.4; deviations 22, 23, 25): sign, newcert and authsign record the row as cfssl writes it;
# /revoke then /crl (checked by openssl); /certadd with each of its checks; error bodies compared
# with cfssl master's serve on its own SQLite file; a database that loses its tables or its file
# gives each request a clean 11000 error and the server recovers when the schema is back.
. "$(dirname "$0")/lib.sh"
require_programs curl jq openssl sqlite3 bc python3
MASTER=${MASTER_CFSSL:-/opt/cfssl-master/bin/cfssl}
cd "$WORK" || exit 1
CURL=(curl -sS --max-time 20)

echo '{"CN":"Serve DB CA","key":{"algo":"ecdsa","size":256}}' | t cfssl gencert -initca - 2>/dev/null |
	t cfssljson -bare ca
echo '{"CN":"Other CA","key":{"algo":"ecdsa","size":256}}' | t cfssl gencert -initca - 2>/dev/null |
	t cfssljson -bare ca2
echo '{"CN":"leaf.example","hosts":["leaf.example","10.0.0.1"],"key":{"algo":"ecdsa","size":256}}' |
	t cfssl genkey - 2>/dev/null | t cfssljson -bare leaf
[ -s ca-key.pem ] && [ -s ca2-key.pem ] && [ -s leaf.csr ] || {
	echo "setup failed"
	exit 1
}
KEY=0123456789abcdef0123456789abcdef
cat >cfg.json <<EOF
{"signing":{"default":{"expiry":"8760h","usages":["digital signature","server auth"]},
 "profiles":{"auth":{"expiry":"720h","usages":["server auth"],"auth_key":"k"}}},
 "auth_keys":{"k":{"type":"standard","key":"$KEY"}}}
EOF
for db in certs master; do
	t bash "$SRCDIR/db/apply.sh" sqlite3 $db.db >/dev/null
	printf '{"driver":"sqlite3","data_source":"%s/%s.db"}\n' "$WORK" $db >$db.json
done
q() { sqlite3 -batch certs.db "$@"; }
serial_of() { echo "ibase=16; $(openssl x509 -noout -serial -in "$1" | cut -d= -f2)" | BC_LINE_LENGTH=0 bc; }
aki_of()
{
	openssl x509 -noout -ext authorityKeyIdentifier -in "$1" | sed -n 2p |
		tr -d ' :' | sed 's/^keyid//' | tr 'A-F' 'a-f'
}

echo '{"CN":"add.example","hosts":["add.example"],"key":{"algo":"ecdsa","size":256}}' |
	t cfssl gencert -ca ca2.pem -ca-key ca2-key.pem - 2>/dev/null | t cfssljson -bare add
SA=$(serial_of add.pem)
AA=$(aki_of add.pem)
EXP=$(date -u -d "$(openssl x509 -noout -enddate -in add.pem | cut -d= -f2)" '+%Y-%m-%dT%H:%M:%SZ')
# add JQ-EDIT: a valid request edited by a jq expression
add()
{
	jq -c -n --rawfile pem add.pem --arg s "$SA" --arg a "$AA" --arg e "$EXP" \
		"{serial_number: \$s, authority_key_identifier: \$a, status: \"good\", pem: \$pem, expiry: \$e} | $1"
}

# ---- start-up
start_serve "$CFSSL_BIN" nodb.log -ca ca.pem -ca-key ca-key.pem || exit 1
check_contains "no -db-config: revoke disabled" "$(cat nodb.log)" \
	"[WARNING] endpoint 'revoke' is disabled: cert db not configured (missing -db-config)"
check_contains "no -db-config: crl disabled" "$(cat nodb.log)" \
	"[WARNING] endpoint 'crl' is disabled: cert db not configured (missing -db-config)"
check_not_contains "no -db-config: no warning about certadd (deviation 25)" "$(cat nodb.log)" \
	"'/api/v1/cfssl/certadd' is open"
check_eq "no -db-config: certadd answers cfssl's 11000" \
	'{"success":false,"result":null,"errors":[{"code":11000,"message":"unknown db object, please check SetDB method"}],"messages":[]}' \
	"$("${CURL[@]}" -d "$(add .)" "http://127.0.0.1:$PORT/api/v1/cfssl/certadd")"
# the SQLite library (and its libm) is loaded by the driver, only when a database is used
check_not_contains "no -db-config: libsqlite3 not mapped" "$(cat "/proc/$PID/maps")" libsqlite3
kill "$PID"
wait "$PID" 2>/dev/null

printf '{"driver":"sqlite3"}\n' >bad.json
out=$(t "$CFSSL_BIN" serve -address 127.0.0.1 -port 1 -db-config bad.json 2>&1)
check_eq "bad -db-config: exit 1 with cfssl's message" \
	'1 {"code":5200,"message":"invalid db configuration"}' "$? $(echo "$out" | tail -n1 | sed 's/^.*\] //')"
out=$(t "$CFSSL_BIN" serve -address 127.0.0.1 -port 1 -db-config nosuch.json 2>&1)
check_contains "missing -db-config: cfssl's message" "$out" \
	'{"code":5200,"message":"could not read configuration file"}'

start_serve "$CFSSL_BIN" serve.log -ca ca.pem -ca-key ca-key.pem -config cfg.json -db-config certs.json || exit 1
OURS=http://127.0.0.1:$PORT
OURPID=$PID
for e in crl revoke certadd sign authsign newcert; do
	check_contains "-db-config: $e enabled" "$(cat serve.log)" "endpoint '/api/v1/cfssl/$e' is enabled"
done
for e in revoke certadd; do
	check_contains "deviation 25: warning for $e" "$(cat serve.log)" \
		"[WARNING] endpoint '/api/v1/cfssl/$e' is open to every client"
done
check_not_contains "the database is not contacted at start" "$(cat serve.log)" "11000"
check_not_contains "-db-config sqlite3: libsqlite3 not mapped before the first request" \
	"$(cat "/proc/$OURPID/maps")" libsqlite3
check_contains "-db-config sqlite3: a request reaches the database (an empty CRL)" \
	"$("${CURL[@]}" "$OURS/api/v1/cfssl/crl")" '"success":true'
check_contains "-db-config sqlite3: libsqlite3 mapped once used (the server is confined)" \
	"$(cat "/proc/$OURPID/maps")" libsqlite3
MASTER_OK=0
if [ -x "$MASTER" ]; then
	start_serve "$MASTER" master.log -ca ca.pem -ca-key ca-key.pem -config cfg.json -db-config master.json || exit 1
	THEIRS=http://127.0.0.1:$PORT
	MASTER_OK=1
fi

# post BASE ENDPOINT BODY: the reply body
post() { "${CURL[@]}" -d "$3" "$1/api/v1/cfssl/$2"; }
# same DESC ENDPOINT BODY [WANT]: our reply body is cfssl master's (or WANT without master)
same()
{
	local ours theirs
	ours=$(post "$OURS" "$2" "$3")
	if [ "$MASTER_OK" = 1 ]; then
		theirs=$(post "$THEIRS" "$2" "$3")
		check_eq "$1 (as cfssl master)" "$theirs" "$ours"
	fi
	[ -z "$4" ] || check_eq "$1" "$4" "$ours"
}
err400() { printf '{"success":false,"result":null,"errors":[{"code":400,"message":"%s"}],"messages":[]}' "$1"; }

# ---- recording: sign, newcert, authsign (§3.3, §7.3, §7.4)
jq -n --rawfile csr leaf.csr '{certificate_request: $csr, label: "lbl"}' >sign.json
post "$OURS" sign @sign.json | jq -r .result.certificate >s1.pem
check "sign: a certificate" openssl verify -no-CApath -no-CAstore -CAfile ca.pem s1.pem
S1=$(serial_of s1.pem)
A1=$(aki_of s1.pem)
check_eq "sign: one row" 1 "$(q 'SELECT count(*) FROM certificates')"
check_eq "sign: the row as cfssl writes it" \
	"$S1|$A1|lbl|good|0|0001-01-01 00:00:00+00:00|null|[\"leaf.example\"]|leaf.example" \
	"$(q "SELECT serial_number, authority_key_identifier, ca_label, status, reason, revoked_at, metadata, sans, common_name FROM certificates WHERE serial_number = '$S1'")"
check_eq "sign: pem is the certificate returned" "$(cat s1.pem)" \
	"$(q "SELECT pem FROM certificates WHERE serial_number = '$S1'")"
check_eq "sign: expiry and not_before are the certificate's" \
	"$(date -u -d "$(openssl x509 -noout -enddate -in s1.pem | cut -d= -f2)" '+%F %T')|$(date -u -d "$(openssl x509 -noout -startdate -in s1.pem | cut -d= -f2)" '+%F %T')" \
	"$(q "SELECT substr(expiry, 1, 19), substr(not_before, 1, 19) FROM certificates WHERE serial_number = '$S1'")"
if [ "$MASTER_OK" = 1 ]; then
	post "$THEIRS" sign @sign.json >/dev/null
	check_eq "sign: the same columns as cfssl master's row" \
		"$(sqlite3 master.db "SELECT ca_label, status, reason, revoked_at, metadata, sans, common_name, typeof(serial_number), typeof(pem), length(issued_at) > 19 FROM certificates")" \
		"$(q "SELECT ca_label, status, reason, revoked_at, metadata, sans, common_name, typeof(serial_number), typeof(pem), length(issued_at) > 19 FROM certificates WHERE serial_number = '$S1'")"
fi

jq -n '{request: {CN: "nc.example", hosts: ["nc.example"], key: {algo: "ecdsa", size: 256}}, label: "nc"}' >nc.json
post "$OURS" newcert @nc.json | jq -r .result.certificate >nc.pem
S2=$(serial_of nc.pem)
check_eq "newcert: recorded with its label" "nc|good|nc.example|[\"nc.example\"]" \
	"$(q "SELECT ca_label, status, common_name, sans FROM certificates WHERE serial_number = '$S2'")"

R=$(jq -c -n --rawfile csr leaf.csr '{certificate_request: $csr, profile: "auth", label: "au"}')
TOKEN=$(printf '%s' "$R" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -binary | base64 -w0)
post "$OURS" authsign "{\"token\":\"$TOKEN\",\"request\":\"$(printf '%s' "$R" | base64 -w0)\"}" |
	jq -r .result.certificate >au.pem
S3=$(serial_of au.pem)
check_eq "authsign: recorded with its label" "au|good" \
	"$(q "SELECT ca_label, status FROM certificates WHERE serial_number = '$S3'")"
check_eq "three rows, three serials" 3 "$(q 'SELECT count(DISTINCT serial_number) FROM certificates')"

# ---- revoke (§3.13, deviation 23)
same "revoke: bad JSON" revoke '{"serial":1}' "$(err400 'Unable to parse revocation request')"
same "revoke: no serial" revoke '{"authority_key_id":"ab"}' \
	"$(err400 'serial number is required but not provided')"
same "revoke: reason 0" revoke '{"serial":"1","authority_key_id":"ab","reason":"0"}' \
	"$(err400 'Invalid reason code')"
same "revoke: reason 10" revoke '{"serial":"1","authority_key_id":"ab","reason":"10"}' \
	"$(err400 'Invalid reason code')"
same "revoke: unknown serial" revoke '{"serial":"1","authority_key_id":"ab","reason":"keycompromise"}' \
	'{"success":false,"result":null,"errors":[{"code":11200,"message":"failed to revoke the certificate: certificate not found"}],"messages":[]}'
AKI_UP=$(echo "$A1" | tr a-f A-F | sed 's/../&:/g; s/:$//')
check_eq "revoke: upper-case AKI with colons (deviation 23)" \
	'{"success":true,"result":{},"errors":[],"messages":[]}' \
	"$(post "$OURS" revoke "{\"serial\":\"$S1\",\"authority_key_id\":\"$AKI_UP\",\"reason\":\"KeyCompromise\"}")"
check_eq "revoke: the row" "revoked|1" \
	"$(q "SELECT status, reason FROM certificates WHERE serial_number = '$S1'")"
check_eq "revoke: revoked_at set" 1 \
	"$(q "SELECT revoked_at > '2000' FROM certificates WHERE serial_number = '$S1'")"

# ---- crl (§3.11, deviation 22)
"${CURL[@]}" "$OURS/api/v1/cfssl/crl?expiry=2h" | jq -r .result | base64 -d >crl.der
check "crl: verifies under the CA" openssl crl -inform DER -in crl.der -CAfile ca.pem -noout
crltext=$(openssl crl -inform DER -in crl.der -CAfile ca.pem -noout -text 2>/dev/null)
check_contains "crl: lists the revoked serial" "$crltext" \
	"Serial Number: $(openssl x509 -noout -serial -in s1.pem | cut -d= -f2)"
check_not_contains "crl: not the good ones" "$crltext" \
	"Serial Number: $(openssl x509 -noout -serial -in nc.pem | cut -d= -f2)"
check_contains "crl: ?expiry=2h" "$(openssl crl -inform DER -in crl.der -noout -nextupdate)" \
	"$(date -u -d '+2 hours' '+%b %e %H')"
check_contains "crl: requested expiry logged" "$(cat serve.log)" "[INFO] requested expiry time of 2h"
ours=$("${CURL[@]}" "$OURS/api/v1/cfssl/crl?expiry=bogus")
check_eq "crl: bad expiry" \
	'{"success":false,"result":null,"errors":[{"code":0,"message":"time: invalid duration \"bogus\""}],"messages":[]}' "$ours"
[ "$MASTER_OK" = 0 ] || check_eq "crl: bad expiry (as cfssl master)" \
	"$("${CURL[@]}" "$THEIRS/api/v1/cfssl/crl?expiry=bogus")" "$ours"

# ---- certadd (§3.14): each check, then the INSERT
same "certadd 1: bad JSON" certadd '{"reason":"x"}' "$(err400 'Unable to parse certificate addition request')"
same "certadd 2: no serial" certadd "$(add 'del(.serial_number)')" \
	"$(err400 'Serial number is required but not provided')"
same "certadd 3: no AKI" certadd "$(add 'del(.authority_key_identifier)')" \
	"$(err400 'Authority key identifier is required but not provided')"
same "certadd 4: bad status" certadd "$(add '.status = "bad"')" "$(err400 'Invalid certificate status')"
same "certadd 5: revoked without revoked_at" certadd "$(add '.status = "revoked"')" \
	"$(err400 'Revoked certificate should specify when it was revoked')"
same "certadd 5: reason 7" certadd "$(add '.status = "revoked" | .revoked_at = "2026-01-01T00:00:00Z" | .reason = 7')" \
	"$(err400 'Invalid certificate status reason code')"
same "certadd 6: empty pem" certadd "$(add '.pem = ""')" "$(err400 'The provided certificate is empty')"
same "certadd 7: no expiry" certadd "$(add 'del(.expiry)')" "$(err400 'Expiry is required but not provided')"
same "certadd 8: bad pem" certadd "$(add '.pem = "garbage"')" "$(err400 'Unable to parse PEM encoded certificates')"
same "certadd 9: bad serial" certadd "$(add '.serial_number = "x1"')" \
	"$(err400 'Unable to parse serial key of request')"
same "certadd 9: other serial" certadd "$(add '.serial_number = "12"')" \
	"$(err400 'Serial key of request and certificate do not match')"
same "certadd 10: bad AKI" certadd "$(add '.authority_key_identifier = "zz"')" \
	"$(err400 'Unable to decode authority key identifier')"
same "certadd 10: other AKI" certadd "$(add ".authority_key_identifier = \"$A1\"")" \
	"$(err400 'Authority key identifier of request and certificate do not match')"
same "certadd 11: other expiry" certadd "$(add '.expiry = "2030-01-01T00:00:00Z"')" \
	"$(err400 'Expiry of request and certificate do not match')"
AA_UP=$(echo "$AA" | tr a-f A-F)
REQ=$(add ".authority_key_identifier = \"$AA_UP\" | .status = \"revoked\" | .reason = 4 | .revoked_at = \"2026-06-01T10:00:00Z\" | .ca_label = \"ext\"")
same "certadd: inserted" certadd "$REQ" '{"success":true,"result":{},"errors":[],"messages":[]}'
check_eq "certadd: the caller's row, AKI lower-case (deviation 23)" \
	"$SA|$AA|ext|revoked|4|2026-06-01 10:00:00+00:00|{}|{}|1|1" \
	"$(q "SELECT serial_number, authority_key_identifier, ca_label, status, reason, revoked_at, metadata, sans, issued_at IS NULL, common_name IS NULL FROM certificates WHERE serial_number = '$SA'")"
ours=$(post "$OURS" certadd "$REQ")
check_contains "certadd: duplicate is 11000" "$ours" '"code":11000'
[ "$MASTER_OK" = 0 ] || check_eq "certadd: duplicate (as cfssl master)" "$(post "$THEIRS" certadd "$REQ")" "$ours"
"${CURL[@]}" "$OURS/api/v1/cfssl/crl" | jq -r .result | base64 -d >crl2.der
check_not_contains "crl: another CA's revoked row left out (deviation 22)" \
	"$(openssl crl -inform DER -in crl2.der -noout -text)" \
	"Serial Number: $(openssl x509 -noout -serial -in add.pem | cut -d= -f2)"

# ---- the database goes away (§7.4): clean 11000 errors, the server stays up, recovery
nrows=$(q 'SELECT count(*) FROM certificates')
q 'DROP TABLE ocsp_responses; DROP TABLE certificates'
r=$(post "$OURS" sign @sign.json)
check_contains "no table: sign fails with 11000" "$r" '"code":11000'
check_contains "no table: the error names the table" "$r" 'certificates'
check_not_contains "no table: no certificate returned" "$r" 'BEGIN CERTIFICATE'
check_contains "no table: crl 11000" "$("${CURL[@]}" "$OURS/api/v1/cfssl/crl")" '"code":11000'
check_contains "no table: revoke 11000" "$(post "$OURS" revoke "{\"serial\":\"$S2\",\"authority_key_id\":\"$A1\"}")" '"code":11000'
check_contains "no table: certadd 11000" "$(post "$OURS" certadd "$REQ")" '"code":11000'
check_contains "no table: newcert 11000" "$(post "$OURS" newcert @nc.json)" '"code":11000'
check_contains "log: failed to sign request" "$(cat serve.log)" '[WARNING] failed to sign request: {"code":11000'
check "no table: the server is up" kill -0 "$OURPID"
t bash "$SRCDIR/db/apply.sh" sqlite3 certs.db >/dev/null
post "$OURS" sign @sign.json | jq -r .result.certificate >s4.pem
check "schema back: sign works" openssl verify -no-CApath -no-CAstore -CAfile ca.pem s4.pem
check_eq "schema back: recorded" 1 "$(q "SELECT count(*) FROM certificates WHERE serial_number = '$(serial_of s4.pem)'")"
check "schema back: rows were dropped, not kept" test "$nrows" -gt 1

rm -f certs.db certs.db-journal
r=$(post "$OURS" sign @sign.json)
check_contains "file removed: sign fails with 11000" "$r" '"code":11000'
r=$(post "$OURS" sign @sign.json)
check_contains "file removed: again 11000 (no table in the new file)" "$r" '"code":11000'
check "file removed: the server is up" kill -0 "$OURPID"
t bash "$SRCDIR/db/apply.sh" sqlite3 certs.db >/dev/null
post "$OURS" sign @sign.json | jq -r .result.certificate >s5.pem
check "file back: sign works" openssl verify -no-CApath -no-CAstore -CAfile ca.pem s5.pem
check_eq "file back: recorded" 1 "$(q "SELECT count(*) FROM certificates WHERE serial_number = '$(serial_of s5.pem)'")"
check_eq "the server answered every request" 0 "$(grep -c 'panic\|Segmentation\|ERROR.*signal' serve.log)"

# 24 requests, 6 at a time: every one recorded, through the one SQLite connection the server
# keeps (writers of one process do not wait for each other in SQLite's busy sleeps)
before=$(q 'SELECT count(*) FROM certificates')
seq 1 24 | xargs -P 6 -I{} "${CURL[@]}" -o burst.{} -d @sign.json "$OURS/api/v1/cfssl/sign"
check_eq "a burst of 24 at 6 at a time: all signed" 24 "$(cat burst.* | grep -c '"success":true')"
check_eq "a burst of 24 at 6 at a time: all recorded" $((before + 24)) \
	"$(q 'SELECT count(*) FROM certificates')"
check_eq "one connection to the SQLite file" 1 \
	"$(find "/proc/$OURPID/fd" -lname "$WORK/certs.db" 2>/dev/null | wc -l)"

kill "$OURPID"
wait "$OURPID" 2>/dev/null
check_eq "serve stops cleanly" 0 "$?"

# Deviation 30: with go-sqlite3's "?_journal_mode=WAL" cfssl commits without syncing (a power
# cut loses rows of certificates already handed out); cfssl-c syncs each commit before it
# answers unless _synchronous says otherwise. Counted with strace on the -wal file while the
# server runs (its first commit syncs the new WAL's header whatever the setting).
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
	for mode in default NORMAL; do
		rm -f wal.db*
		t bash "$SRCDIR/db/apply.sh" sqlite3 wal.db >/dev/null
		opt=; [ $mode = NORMAL ] && opt='&_sync=NORMAL'
		printf '{"driver":"sqlite3","data_source":"%s/wal.db?_journal_mode=WAL%s"}\n' "$WORK" "$opt" >wal.json
		SERVE_ENV=("ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -y
			-o "$WORK/wal-$mode.strace" -e "trace=fsync,fdatasync")
		start_serve "$CFSSL_BIN" wal.log -ca ca.pem -ca-key ca-key.pem -db-config wal.json || exit 1
		SERVE_ENV=()
		for i in 1 2 3 4 5; do
			post "http://127.0.0.1:$PORT" sign @sign.json >wal.$i
		done
		check_eq "WAL ($mode): five certificates recorded" 5 \
			"$(sqlite3 -batch wal.db 'SELECT count(*) FROM certificates')"
		check_eq "WAL ($mode): the file is in WAL mode" wal "$(sqlite3 -batch wal.db 'PRAGMA journal_mode')"
		syncs=$(grep -c 'sync([0-9]*<[^>]*wal\.db-wal>' "wal-$mode.strace")
		if [ $mode = default ]; then
			check "deviation 30: each commit synced before the reply ($syncs syncs)" test "$syncs" -ge 5
		else
			check "_sync=NORMAL honoured: commits not synced ($syncs syncs)" test "$syncs" -le 1
		fi
		target=$(pgrep -P "$PID" | head -n 1)
		kill "$target" 2>/dev/null
		wait "$PID" 2>/dev/null
	done
fi
finish
