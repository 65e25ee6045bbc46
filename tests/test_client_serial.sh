#!/usr/bin/env bash
# A profile with clientprovidesserialnumbers (cfssl-compat.md §7, cfssl-serve.md §3.3): /sign
# takes the certificate's serial from the request's "serial" (a JSON integer of any size) and
# refuses a request without one (1400); every other way to sign under that profile (the CLI's
# sign and gencert, /newcert) has no serial to give and fails the same way. Replies compared
# byte for byte with Debian's cfssl 1.2 serve; the serial checked with openssl; the serial
# forwarded by a proxy (-remote) and recorded in the database. 127.0.0.1 only; every server is
# stopped here by its PID.
. "$(dirname "$0")/lib.sh"

require_programs curl jq openssl python3 sqlite3
cd "$WORK" || exit 1
CURL=(curl -sS --max-time 20)

echo '{"CN":"Serial CA","key":{"algo":"ecdsa","size":256}}' >ca.json
t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca
echo '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}' >leaf.json
t cfssl genkey leaf.json 2>/dev/null | t cfssljson -bare leaf
[ -s ca.pem ] && [ -s leaf.csr ] || {
	echo "setup failed"
	exit 1
}
cat >config.json <<'JSON'
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "server auth"]},
  "profiles": {"serials": {"expiry": "720h", "usages": ["signing", "server auth"],
                           "clientprovidesserialnumbers": true}}}}
JSON
t bash "$SRCDIR/db/apply.sh" sqlite3 certs.db >/dev/null
printf '{"driver":"sqlite3","data_source":"%s/certs.db"}\n' "$WORK" >db.json

start_serve "$CFSSL_BIN" ours.log -ca ca.pem -ca-key ca-key.pem -config config.json \
	-db-config db.json || exit 1
OURS=http://127.0.0.1:$PORT
OURS_PID=$PID
GO=
if [ -x /usr/bin/cfssl ]; then
	start_go_serve go.log -config config.json
	GO=http://127.0.0.1:$PORT
fi
start_serve "$CFSSL_BIN" proxy.log -remote "$OURS" || exit 1
PROXY=http://127.0.0.1:$PORT
PROXY_PID=$PID

CSR=$(jq -Rs . <leaf.csr)
# post URL ENDPOINT BODY: "STATUS BODY", the certificate replaced by CERT (saved in reply.pem)
post()
{
	"${CURL[@]}" -o reply.body -w '%{http_code}' --data-binary "$3" "$1/api/v1/cfssl/$2" >reply.status
	jq -r '.result.certificate // empty' <reply.body 2>/dev/null >reply.pem
	printf '%s %s' "$(cat reply.status)" "$(sed 's/"certificate":"[^"]*"/CERT/' reply.body)"
}
# sign_case WHAT SERIAL_MEMBER EXPECTED: /sign under "serials" with the member, ours against
# EXPECTED and against cfssl 1.2's reply
sign_case()
{
	local what=$1 member=$2 want=$3 ours go
	if [ -n "$GO" ]; then
		go=$(post "$GO" sign "{\"certificate_request\":$CSR,\"profile\":\"serials\"$member}")
	fi
	# ours last: its certificate stays in reply.pem
	ours=$(post "$OURS" sign "{\"certificate_request\":$CSR,\"profile\":\"serials\"$member}")
	check_eq "$what" "$want" "$ours"
	[ -z "$GO" ] || check_eq "$what: as cfssl 1.2" "$go" "$ours"
}
cert_serial() { openssl x509 -noout -serial -in "$1" | cut -d= -f2; }
hex() { python3 -c "import sys; h = '%X' % int(sys.argv[1]); print(h.zfill(len(h) + len(h) % 2))" "$1"; }

ERR='{"success":false,"result":null,"errors":[{"code":%s,"message":"%s"}],"messages":[]}'
# shellcheck disable=SC2059
MISSING=$(printf "400 $ERR" 1400 "Missing serial number in request")
# shellcheck disable=SC2059
UNPARSED=$(printf "400 $ERR" 400 "Unable to parse sign request")
OK='200 {"success":true,"result":{CERT},"errors":[],"messages":[]}'

# --- the serial of the request is the certificate's ---
BIG=123456789012345678901234567890123456789012345 # 147 bits: beyond any machine integer
sign_case "a serial of 147 bits" ",\"serial\":$BIG" "$OK"
check_eq "the certificate carries the request's serial" "$(hex $BIG)" "$(cert_serial reply.pem)"
check "the certificate verifies" openssl verify -CAfile ca.pem reply.pem
check_contains "the serial is logged" "$(cat ours.log)" "signed certificate with serial number $BIG"
check_eq "the database row has the serial" "1" \
	"$(sqlite3 certs.db "SELECT count(*) FROM certificates WHERE serial_number = '$BIG'")"
sign_case "serial 0" ',"serial":0' "$OK"
check_eq "serial 0 is the certificate's" "00" "$(cert_serial reply.pem)"
# the database keys rows by serial and AKI: the same serial twice is refused, and the
# certificate that could not be recorded is not handed out (as cfssl)
out=$(post "$OURS" sign "{\"certificate_request\":$CSR,\"profile\":\"serials\",\"serial\":$BIG}")
check_contains "a serial already recorded: refused" "$out" '"success":false'
check_eq "a serial already recorded: no certificate" "" "$(cat reply.pem)"
check_eq "a serial already recorded: still one row" "1" \
	"$(sqlite3 certs.db "SELECT count(*) FROM certificates WHERE serial_number = '$BIG'")"

# Writes that meet are committed together (one SQLite transaction, a savepoint each): a
# duplicate among them fails alone. 12 requests 6 at a time, serials 7001-7009 with 7001,
# 7002 and 7003 sent twice: 9 certificates, 9 rows, 3 refusals.
for i in 1 2 3 4 5 6 7 8 9 1 2 3; do
	printf '{"certificate_request":%s,"profile":"serials","serial":700%s}\n' "$CSR" "$i" >"dup-$i-$RANDOM.json"
done
printf "%s\n" dup-*.json | xargs -P 6 -I{} "${CURL[@]}" -o {}.reply --data-binary @{} "$OURS/api/v1/cfssl/sign"
check_eq "concurrent writes with duplicates: 9 signed" 9 "$(cat dup-*.reply | grep -c '"success":true')"
check_eq "concurrent writes with duplicates: 3 refused" 3 "$(cat dup-*.reply | grep -c '"success":false')"
check_eq "concurrent writes with duplicates: 9 rows, one per serial" "9|9" \
	"$(sqlite3 certs.db "SELECT count(*), count(DISTINCT serial_number) FROM certificates WHERE serial_number LIKE '700_'")"

# --- the serial is required, and must be a non-negative JSON integer ---
sign_case "no serial: 1400" "" "$MISSING"
sign_case "serial null: 1400" ',"serial":null' "$MISSING"
sign_case "a serial in a string: not a big.Int" ',"serial":"12"' "$UNPARSED"
sign_case "a fractional serial: not a big.Int" ',"serial":1.5' "$UNPARSED"
sign_case "an exponent: not a big.Int" ',"serial":1e3' "$UNPARSED"
# shellcheck disable=SC2059
sign_case "a negative serial: Go's x509 error" ',"serial":-5' \
	"$(printf "400 $ERR" 1000 "x509: serial number must be positive")"
check_contains "the refusal is logged" "$(cat ours.log)" \
	'[WARNING] failed to sign request: {"code":1400,"message":"Missing serial number in request"}'

# --- other profiles ignore it ---
out=$(post "$OURS" sign "{\"certificate_request\":$CSR,\"serial\":7}")
check_eq "the default profile signs" "$OK" "$out"
check_eq "the default profile ignores the serial (20 random bytes)" "1" \
	"$(cert_serial reply.pem | awk '{print (length($0) >= 30)}')"

# --- a proxy forwards the serial ---
out=$(post "$PROXY" sign "{\"certificate_request\":$CSR,\"profile\":\"serials\",\"serial\":4242}")
check_eq "through a proxy: signed" "$OK" "$out"
check_eq "through a proxy: the request's serial" "$(hex 4242)" "$(cert_serial reply.pem)"
out=$(post "$PROXY" sign "{\"certificate_request\":$CSR,\"profile\":\"serials\"}")
check_contains "through a proxy, no serial: upstream's 1400 (in the proxy's 7400)" "$out" \
	'Missing serial number in request'
check_contains "through a proxy, no serial: the proxy's code" "$out" '"code":7400'


# --- /newcert has no serial to give ---
out=$(post "$OURS" newcert '{"request":{"CN":"n","hosts":["n"],"key":{"algo":"ecdsa","size":256}},"profile":"serials"}')
check_contains "/newcert under the profile: 1400" "$out" \
	'"errors":[{"code":1400,"message":"Missing serial number in request"}]'

# --- the CLI neither: exit 1 with cfssl's message, nothing written ---
for cmd in "sign -ca ca.pem -ca-key ca-key.pem -config config.json -profile serials leaf.csr" \
	"gencert -ca ca.pem -ca-key ca-key.pem -config config.json -profile serials leaf.json"; do
	name=${cmd%% *}
	rm -f cli.*
	t cfssl $cmd >cli.out 2>cli.err
	rc=$?
	check_eq "$name under the profile: exit 1" 1 "$rc"
	check_eq "$name under the profile: the message" \
		'{"code":1400,"message":"Missing serial number in request"}' "$(tail -n 1 cli.err)"
	check_eq "$name under the profile: nothing on stdout" "" "$(cat cli.out)"
	if [ -x /usr/bin/cfssl ]; then
		/usr/bin/cfssl $cmd >go.out 2>go.err
		check_eq "$name under the profile: as cfssl 1.2" \
			"$(tail -n 1 go.err | sed 's/^.*\] //')" "$(tail -n 1 cli.err | sed 's/^.*\] //')"
	fi
done

for pid in "$OURS_PID" "$PROXY_PID" ${SERVE_PID:+"$SERVE_PID"}; do
	kill -TERM "$pid" 2>/dev/null
done
finish
