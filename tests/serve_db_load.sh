# shellcheck shell=bash
# Two `cfssl serve -db-config` processes on one database (issue 13), shared by
# test_serve_db_pg.sh and test_serve_db_mysql.sh (sourced after tests/lib.sh, in $WORK, with the
# database server running). They sign at the same time under a bounded load (2 x N1 requests,
# 2 at a time each): every certificate returned has exactly one row, serials unique, no request
# failed. Then the database stops in the middle of a second load, and a third runs while it is
# down: each request gets a certificate (recorded) or a clean 11000 error (every request of the
# third), neither server crashes, and both record again once it is back.
#
# The test defines, for its database:
#   db_q SQL       one query's rows, columns joined by |
#   db_serials     the serial_number column of certificates, one a line, sorted
#   db_stop        stops the database server
#   db_start       starts it again (same data, same port); returns non-zero on failure
# and may set STATUS_TEXT, the status column as text in its SQL (default: status).
# then calls serve_db_setup CONF_A CONF_B (a CA, a CSR in sign.json, server A on CONF_A, B on
# CONF_B: sets A, B, APID, BPID) and serve_db_two_servers.

CURL=(curl -sS --max-time 30)

serve_db_setup()
{
	echo '{"CN":"Serve DB CA","key":{"algo":"ecdsa","size":256}}' |
		t cfssl gencert -initca - 2>/dev/null | t cfssljson -bare ca
	echo '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}' |
		t cfssl genkey - 2>/dev/null | t cfssljson -bare leaf
	[ -s ca-key.pem ] && [ -s leaf.csr ] || {
		echo "setup failed"
		exit 1
	}
	jq -n --rawfile csr leaf.csr '{certificate_request: $csr}' >sign.json
	start_serve "$CFSSL_BIN" a.log -ca ca.pem -ca-key ca-key.pem -db-config "$1" || exit 1
	A=http://127.0.0.1:$PORT
	APID=$PID
	start_serve "$CFSSL_BIN" b.log -ca ca.pem -ca-key ca-key.pem -db-config "$2" || exit 1
	B=http://127.0.0.1:$PORT
	BPID=$PID
}

# serve_db_load DIR N [TAG]: N /sign requests to each server, 2 at a time each, replies in
# DIR/{a,b}TAG-I.json
serve_db_load()
{
	mkdir -p "$1"
	local a
	seq 1 "$2" | xargs -P 2 -I{} "${CURL[@]}" -o "$1/a${3-}-{}.json" -d @sign.json \
		"$A/api/v1/cfssl/sign" &
	a=$!
	seq 1 "$2" | xargs -P 2 -I{} "${CURL[@]}" -o "$1/b${3-}-{}.json" -d @sign.json \
		"$B/api/v1/cfssl/sign"
	wait "$a"
}

# serve_db_serials DIR: the decimal serials of the certificates in DIR's replies, sorted (one
# python for all: a process per certificate costs seconds on a busy machine)
serve_db_serials()
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

serve_db_two_servers()
{
	local n1=${N1:-50} n ok bad r
	# ---- two signers, one database
	serve_db_load run1 "$n1"
	check_eq "load: $((2 * n1)) replies, all successes" $((2 * n1)) \
		"$(cat run1/*.json | jq -r .success | grep -c true)"
	serve_db_serials run1 >run1.serials
	check_eq "load: $((2 * n1)) certificates" $((2 * n1)) "$(wc -l <run1.serials)"
	check_eq "load: serials unique" $((2 * n1)) "$(sort -u run1.serials | wc -l)"
	db_serials >db1.serials
	check_eq "load: every certificate has exactly one row, no other row" "$(cat run1.serials)" \
		"$(cat db1.serials)"
	check_eq "load: rows are the servers' (AKI, status)" "1|good" \
		"$(db_q "SELECT count(DISTINCT authority_key_identifier), min(${STATUS_TEXT:-status})
			FROM certificates")"

	# ---- the database stops in the middle of a load (once its first replies are in: a fast
	# machine answers the whole load in well under a second), and a second load follows
	# while it is down, so that some requests fail whatever the timing
	serve_db_load run2 25 &
	local loadpid=$! w
	for w in $(seq 1 100); do
		[ "$(ls run2 2>/dev/null | wc -l)" -ge 2 ] && break
		sleep 0.05
	done
	db_stop
	wait "$loadpid"
	serve_db_load run2 5 -down
	check "server A is up" kill -0 "$APID"
	check "server B is up" kill -0 "$BPID"
	n=$(ls run2/*.json | wc -l)
	check_eq "db stopped: every request answered" 60 "$n"
	bad=$(cat run2/*.json | jq -r '.errors[0].code // empty' | grep -vc '^11000$')
	check_eq "db stopped: every failure is 11000" 0 "$bad"
	ok=$(cat run2/?-down-*.json | jq -r .success | grep -c true)
	check_eq "db stopped: the requests after it failed" 0 "$ok"
	check_contains "db stopped: logged" "$(cat a.log b.log)" \
		'[WARNING] failed to sign request: {"code":11000'
	r=$("${CURL[@]}" -d @sign.json "$A/api/v1/cfssl/sign")
	check_contains "db down: sign answers 11000" "$r" '"code":11000'
	check_not_contains "db down: no certificate" "$r" 'BEGIN CERTIFICATE'

	db_start || lib_fail "the database restarted"
	serve_db_serials run2 >run2.serials
	db_serials >db2.serials
	check_eq "db stopped: every certificate returned was recorded" "" \
		"$(comm -23 run2.serials db2.serials)"
	serve_db_load run3 5
	check_eq "db back: both servers sign again" 10 \
		"$(cat run3/*.json | jq -r .success | grep -c true)"
	serve_db_serials run3 >run3.serials
	db_serials >db3.serials
	check_eq "db back: recorded" "" "$(comm -23 run3.serials db3.serials)"
}

# serve_db_stop_servers: SIGTERM to A and B, each exits 0
serve_db_stop_servers()
{
	kill "$APID" "$BPID"
	wait "$APID" 2>/dev/null
	check_eq "server A stops cleanly" 0 "$?"
	wait "$BPID" 2>/dev/null
	check_eq "server B stops cleanly" 0 "$?"
}
