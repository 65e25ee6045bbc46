#!/usr/bin/env bash
# Issue 13: two `cfssl serve -db-config` processes on one PostgreSQL database (a private cluster,
# tests/lib.sh start_postgres), one on the unix socket (a folder the confined server must reach),
# one on 127.0.0.1, signing at the same time under a bounded load (2 x 50 requests, 2 at a time
# each): every certificate returned has exactly one row, serials unique, no request failed. Then
# the database stops in the middle of a second load: each request gets a certificate (recorded)
# or a clean 11000 error, neither server crashes, and both record again once it is back.
. "$(dirname "$0")/lib.sh"
require_programs curl jq openssl python3 xargs
cd "$WORK" || exit 1
CURL=(curl -sS --max-time 30)

start_postgres || {
	lib_fail "setup: PostgreSQL started"
	finish
}
lib_pass "setup: PostgreSQL started"

echo '{"CN":"Serve PG CA","key":{"algo":"ecdsa","size":256}}' | t cfssl gencert -initca - 2>/dev/null |
	t cfssljson -bare ca
echo '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}' |
	t cfssl genkey - 2>/dev/null | t cfssljson -bare leaf
[ -s ca-key.pem ] && [ -s leaf.csr ] || {
	echo "setup failed"
	exit 1
}
jq -n --rawfile csr leaf.csr '{certificate_request: $csr}' >sign.json
printf '{"driver":"postgres","data_source":"%s"}\n' "$PG_KV" >sock.json
printf '{"driver":"postgres","data_source":"%s"}\n' "$PG_URL" >tcp.json
pq() { pg_sql certdb -c "$1"; }

start_serve "$CFSSL_BIN" a.log -ca ca.pem -ca-key ca-key.pem -db-config sock.json || exit 1
A=http://127.0.0.1:$PORT
APID=$PID
start_serve "$CFSSL_BIN" b.log -ca ca.pem -ca-key ca-key.pem -db-config tcp.json || exit 1
B=http://127.0.0.1:$PORT
BPID=$PID

# load DIR N: N /sign requests to each server, 2 at a time each, replies in DIR/{a,b}-I.json
load()
{
	mkdir -p "$1"
	local a
	seq 1 "$2" | xargs -P 2 -I{} "${CURL[@]}" -o "$1/a-{}.json" -d @sign.json "$A/api/v1/cfssl/sign" &
	a=$!
	seq 1 "$2" | xargs -P 2 -I{} "${CURL[@]}" -o "$1/b-{}.json" -d @sign.json "$B/api/v1/cfssl/sign"
	wait "$a"
}
# serials DIR: the decimal serials of the certificates in DIR's replies, sorted (one python for all:
# a process per certificate costs seconds on a busy machine)
serials()
{
	python3 - "$1" <<'PY' | sort
import base64, glob, json, sys

def tlv(b, i):
    """(tag, start of content, end of content) of the DER element at i"""
    tag, n = b[i], b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    return tag, i, i + n

for f in glob.glob(sys.argv[1] + "/*.json"):
    try:
        pem = json.load(open(f))["result"]["certificate"]
    except Exception:
        continue
    der = base64.b64decode("".join(l for l in pem.splitlines() if not l.startswith("-----")))
    _, i, _ = tlv(der, 0)  # Certificate
    _, i, _ = tlv(der, i)  # TBSCertificate
    tag, _, end = tlv(der, i)
    if tag == 0xA0:  # [0] version
        i = end
    _, i, end = tlv(der, i)
    print(int.from_bytes(der[i:end], "big", signed=True))
PY
}

# ---- two signers, one database
load run1 ${N1:-50}
check_eq "load: 100 replies, all successes" 100 "$(cat run1/*.json | jq -r .success | grep -c true)"
serials run1 >run1.serials
check_eq "load: 100 certificates" 100 "$(wc -l <run1.serials)"
check_eq "load: serials unique" 100 "$(sort -u run1.serials | wc -l)"
pq "SELECT encode(serial_number, 'escape') FROM certificates" | sort >db1.serials
check_eq "load: every certificate has exactly one row, no other row" "$(cat run1.serials)" "$(cat db1.serials)"
check_eq "load: rows are the servers' (AKI, status)" "1|good" \
	"$(pq "SELECT count(DISTINCT authority_key_identifier), min(encode(status, 'escape')) FROM certificates" | tr -d ' ')"

# ---- the database stops in the middle of a load
load run2 25 &
LOADPID=$!
sleep 0.5
stop_postgres
wait "$LOADPID"
check "the socket server is up" kill -0 "$APID"
check "the TCP server is up" kill -0 "$BPID"
n=$(ls run2/*.json | wc -l)
check_eq "db stopped: every request answered" 50 "$n"
ok=$(cat run2/*.json | jq -r .success | grep -c true)
bad=$(cat run2/*.json | jq -r '.errors[0].code // empty' | grep -vc '^11000$')
check_eq "db stopped: every failure is 11000" 0 "$bad"
check "db stopped: some requests failed" test "$ok" -lt 50
check_contains "db stopped: logged" "$(cat a.log b.log)" '[WARNING] failed to sign request: {"code":11000'
r=$(post_a() { "${CURL[@]}" -d @sign.json "$A/api/v1/cfssl/sign"; } && post_a)
check_contains "db down: sign answers 11000" "$r" '"code":11000'
check_not_contains "db down: no certificate" "$r" 'BEGIN CERTIFICATE'

start_postgres || lib_fail "PostgreSQL restarted"
serials run2 >run2.serials
pq "SELECT encode(serial_number, 'escape') FROM certificates" | sort >db2.serials
check_eq "db stopped: every certificate returned was recorded" "" \
	"$(comm -23 run2.serials db2.serials)"
load run3 5
check_eq "db back: both servers sign again" 10 "$(cat run3/*.json | jq -r .success | grep -c true)"
serials run3 >run3.serials
check_eq "db back: recorded" "" "$(comm -23 run3.serials <(pq "SELECT encode(serial_number, 'escape') FROM certificates" | sort))"

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

kill "$APID" "$BPID"
wait "$APID" 2>/dev/null
check_eq "the socket server stops cleanly" 0 "$?"
wait "$BPID" 2>/dev/null
check_eq "the TCP server stops cleanly" 0 "$?"
stop_postgres
finish
