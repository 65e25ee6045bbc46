#!/bin/bash
# End-to-end test: cfssl ocspserve (cfssl-serve.md §9, deviation 24) on a SQLite certificate
# database filled by gencert -db-config, revoke and ocsprefresh, and on a -responses file made
# by ocspdump: queried by openssl ocsp (good, revoked with its reason, unknown) and curl (GET
# escaped, raw and with `//` in the base64, under a non-root -path, SHA-256 CertIDs, ETag and
# If-None-Match, malformed requests, other methods); start-up lines and errors; replies
# compared with cfssl master's ocspserve (/opt/cfssl-master/bin/cfssl) on the same file.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs sqlite3 openssl curl
MASTER=${MASTER_CFSSL:-/opt/cfssl-master/bin/cfssl}
DEB=${DEB_CFSSL:-/usr/bin/cfssl}

IN=$WORK/inputs
mkdir -p "$IN"
cd "$IN" || exit 1

printf '{"driver":"sqlite3","data_source":"certs.db"}\n' >db.json
"$SRCDIR/db/apply.sh" sqlite3 certs.db >/dev/null
(set -o pipefail
	for ca in ca ca2; do
		printf '{"CN":"OCSP %s","key":{"algo":"ecdsa","size":256}}\n' "$ca" >$ca-csr.json
		t cfssl gencert -initca $ca-csr.json 2>/dev/null | t cfssljson -bare $ca || exit 1
	done
	printf '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}\n' >leaf.json
	for l in leaf1 leaf2; do
		t cfssl gencert -ca ca.pem -ca-key ca-key.pem -db-config db.json leaf.json 2>/dev/null |
			t cfssljson -bare $l || exit 1
	done
	# not in the database: another CA's, and one of this CA issued without recording
	t cfssl gencert -ca ca2.pem -ca-key ca2-key.pem leaf.json 2>/dev/null | t cfssljson -bare other || exit 1
	t cfssl gencert -ca ca.pem -ca-key ca-key.pem leaf.json 2>/dev/null | t cfssljson -bare norec) \
	2>/dev/null
check_eq "setup: CAs, certificates recorded" 2 "$(sqlite3 certs.db 'SELECT count(*) FROM certificates')"
t cfssl ocsprefresh -db-config db.json -ca ca.pem -responder ca.pem -responder-key ca-key.pem
check_eq "setup: ocsprefresh" 2 "$(sqlite3 certs.db 'SELECT count(*) FROM ocsp_responses')"

# ---- start-up errors (§9.1)
neg()
{
	local desc=$1 want=$2 out rc
	shift 2
	out=$(t cfssl ocspserve "$@" 2>&1 </dev/null)
	rc=$?
	check_eq "$desc: exit status" 1 "$rc"
	check_eq "$desc: message" "$want" "$(printf '%s\n' "$out" | strip_ts | tail -n1)"
}
neg "no source" "no response file or db-config provided, please set the one of these using either -responses or -db-config flags"
neg "unreadable -responses" "unable to read response file" -responses nosuch.txt
neg "missing -db-config" "unable to read configuration file" -db-config nosuch.json
printf '{"driver":"nosuch","data_source":"x"}\n' >bad.json
neg "unknown driver" "unable to read configuration file" -db-config bad.json
neg "positional argument" "argument is provided but not defined; please refer to the usage by flag -h" \
	-db-config db.json extra

# start_ocsp BIN LOG ARGS...: an ocspserve on a free port; sets PORT and PID.
start_ocsp()
{
	local bin=$1 log=$2 i
	shift 2
	for _ in 1 2 3 4 5; do
		PORT=$(free_port)
		"$bin" ocspserve -port "$PORT" "$@" >"$log" 2>&1 &
		PID=$!
		lib_track_pid "$PID"
		for i in $(seq 1 50); do
			kill -0 "$PID" 2>/dev/null || break
			if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
				return 0
			fi
			sleep 0.1
		done
		kill "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	done
	echo "ocspserve did not start"
	cat "$log"
	exit 1
}

# ocsp NAME CERT ISSUER URL [OPTS...]: openssl ocsp's verdict in NAME.txt, exit status in RC
ocsp()
{
	local name=$1 cert=$2 issuer=$3 url=$4
	shift 4
	t openssl ocsp -issuer "$issuer" -cert "$cert" -url "$url" -CAfile ca.pem -no_nonce "$@" \
		>"$name.txt" 2>&1
	RC=$?
}

# http NAME CURL-ARGS...: status in NAME.code, headers (CR removed) in NAME.hdr, body NAME.body
http()
{
	local name=$1
	shift
	: >"$name.body"
	t curl -s -o "$name.body" -D "$name.hdr" -w '%{http_code}' "$@" >"$name.code"
	sed -i 's/\r$//' "$name.hdr"
}
hdr() { sed -n "s/^$2: //Ip" "$1.hdr"; }
urlenc() { base64 -w0 "$1" | sed 's#+#%2B#g; s#/#%2F#g; s#=#%3D#g'; }

# ---- the database source
start_ocsp cfssl srv.log -db-config db.json
D=$PID
URL=http://127.0.0.1:$PORT
check_eq "start-up lines" "[INFO] Registering OCSP responder handler
[INFO] Now listening on 127.0.0.1:$PORT" "$(strip_ts <srv.log)"

ocsp good leaf1.pem ca.pem "$URL"
check_eq "openssl: good: exit status" 0 "$RC"
check_contains "openssl: good" "$(cat good.txt)" "leaf1.pem: good"
check_contains "openssl: the response verifies" "$(cat good.txt)" "Response verify OK"

t cfssl revoke -db-config db.json -serial "$(openssl x509 -noout -serial -in leaf2.pem | cut -d= -f2 |
	sed 's/^/ibase=16; /' | BC_LINE_LENGTH=0 bc)" \
	-aki "$(sqlite3 certs.db 'SELECT authority_key_identifier FROM certificates LIMIT 1')" \
	-reason keyCompromise
t cfssl ocsprefresh -db-config db.json -ca ca.pem -responder ca.pem -responder-key ca-key.pem
ocsp rev leaf2.pem ca.pem "$URL"
check_contains "openssl: revoked (no restart)" "$(cat rev.txt)" "leaf2.pem: revoked"
check_contains "openssl: revoked with its reason" "$(cat rev.txt)" "Reason: keyCompromise"

ocsp unk other.pem ca2.pem "$URL"
check_contains "openssl: another CA's certificate: unauthorized" "$(cat unk.txt)" \
	"Responder Error: unauthorized (6)"
ocsp unk2 norec.pem ca.pem "$URL"
check_contains "openssl: an unrecorded certificate: unauthorized" "$(cat unk2.txt)" \
	"Responder Error: unauthorized (6)"
check_contains "unknown serial: cfssl's INFO line" "$(strip_ts <srv.log)" \
	"[INFO] No response found for request: serial $(openssl x509 -noout -serial -in norec.pem |
		cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//'), request body "
ocsp wrongkey leaf1.pem leaf2.pem "$URL"
check_contains "a SHA-1 issuer key hash that is not the CA's: unauthorized" "$(cat wrongkey.txt)" \
	"Responder Error: unauthorized (6)"

# the reply as cfssl makes it
t openssl ocsp -issuer ca.pem -cert leaf1.pem -no_nonce -reqout req1.der 2>/dev/null
SERIAL1=$(openssl x509 -noout -serial -in leaf1.pem | cut -d= -f2 | sed 's/^/ibase=16; /' | BC_LINE_LENGTH=0 bc)
sqlite3 certs.db "SELECT hex(body) FROM ocsp_responses WHERE serial_number = '$SERIAL1'" | xxd -r -p >stored1.der
http post --data-binary @req1.der -H 'Content-Type: application/ocsp-request' "$URL/"
check_eq "POST: 200" 200 "$(cat post.code)"
check "POST: the stored response" cmp post.body stored1.der
check_eq "POST: Content-Type" "application/ocsp-response" "$(hdr post Content-Type)"
ETAG=\"$(sha256sum stored1.der | cut -c1-64 | tr 'a-f' 'A-F')\"
check_eq "POST: Etag is the SHA-256 of the body" "$ETAG" "$(hdr post Etag)"
rtext=$(openssl ocsp -respin stored1.der -resp_text -noverify 2>/dev/null)
this=$(printf '%s\n' "$rtext" | sed -n 's/^ *This Update: //p')
next=$(printf '%s\n' "$rtext" | sed -n 's/^ *Next Update: //p')
check_eq "POST: Last-Modified is thisUpdate, RFC 7231 (deviation 24)" \
	"$(LC_ALL=C date -u -d "$this" '+%a, %d %b %Y %H:%M:%S GMT')" "$(hdr post Last-Modified)"
check_eq "POST: Expires is nextUpdate" \
	"$(LC_ALL=C date -u -d "$next" '+%a, %d %b %Y %H:%M:%S GMT')" "$(hdr post Expires)"
maxage=$(hdr post Cache-Control | sed -n 's/^max-age=\([0-9]*\), public, no-transform, must-revalidate$/\1/p')
want=$(($(date -u -d "$next" +%s) - $(date -u +%s)))
check "POST: Cache-Control max-age is the time to nextUpdate ($maxage ~ $want)" \
	test -n "$maxage" -a "$maxage" -le "$want" -a "$maxage" -ge $((want - 5))

http inm -H "If-None-Match: $ETAG" --data-binary @req1.der "$URL/"
check_eq "If-None-Match: 304" 304 "$(cat inm.code)"
check_eq "If-None-Match: no body" 0 "$(wc -c <inm.body)"
check_eq "If-None-Match: no Content-Type" "" "$(hdr inm Content-Type)"
check_eq "If-None-Match: the Etag" "$ETAG" "$(hdr inm Etag)"
http inm2 -H 'If-None-Match: "00"' --data-binary @req1.der "$URL/"
check_eq "If-None-Match of another body: 200" 200 "$(cat inm2.code)"

http get "$URL/$(urlenc req1.der)"
check_eq "GET escaped: 200" 200 "$(cat get.code)"
check "GET escaped: the stored response" cmp get.body stored1.der
http getraw "$URL/$(base64 -w0 req1.der)"
check "GET raw base64: the stored response" cmp getraw.body stored1.der
# base64 with `//` in it (deviation 24): a nonce of 0xff bytes
t openssl ocsp -issuer ca.pem -cert leaf1.pem -nonce -reqout reqn.der 2>/dev/null
head -c -16 reqn.der >reqff.der
printf '\377%.0s' $(seq 16) >>reqff.der
check_contains "the request's base64 has //" "$(base64 -w0 reqff.der)" "//"
http getff --path-as-is "$URL/$(base64 -w0 reqff.der)"
check_eq "GET with // in the base64: 200" 200 "$(cat getff.code)"
check "GET with // in the base64: the stored response" cmp getff.body stored1.der

# SHA-256 CertID (deviation 24): the stored response is served
t openssl ocsp -sha256 -issuer ca.pem -cert leaf1.pem -no_nonce -reqout req256.der 2>/dev/null
check_contains "openssl -sha256 makes a SHA-256 CertID" \
	"$(openssl ocsp -reqin req256.der -req_text)" "Hash Algorithm: sha256"
http sha256 --data-binary @req256.der "$URL/"
check_eq "SHA-256 CertID: 200" 200 "$(cat sha256.code)"
check "SHA-256 CertID: the stored response" cmp sha256.body stored1.der
t openssl ocsp -sha256 -issuer ca2.pem -cert leaf1.pem -no_nonce -reqout req256b.der 2>/dev/null
t openssl ocsp -sha256 -issuer ca.pem -cert other.pem -no_nonce -reqout req256c.der 2>/dev/null
http sha256c --data-binary @req256c.der "$URL/"
check_eq "SHA-256 CertID of an unknown serial: unauthorized" "3003 0a01 06" \
	"$(xxd -p sha256c.body | sed 's/^\(....\)\(....\)/\1 \2 /')"

# rows of Debian's cfssl 1.2 (an empty AKI in certificates, the CA's in ocsp_responses)
if [ -x "$DEB" ]; then
	t cfssl genkey leaf.json 2>/dev/null | t cfssljson -bare deb
	t "$DEB" sign -ca ca.pem -ca-key ca-key.pem -db-config db.json deb.csr 2>/dev/null |
		t cfssljson -bare deb
	t "$DEB" ocsprefresh -db-config db.json -ca ca.pem -responder ca.pem -responder-key ca-key.pem \
		2>/dev/null
	ocsp deb deb.pem ca.pem "$URL"
	check_contains "cfssl 1.2's row: good" "$(cat deb.txt)" "deb.pem: good"
	t openssl ocsp -sha256 -issuer ca.pem -cert deb.pem -no_nonce -reqout reqdeb.der 2>/dev/null
	http deb256 --data-binary @reqdeb.der "$URL/"
	check_contains "cfssl 1.2's row: a SHA-256 CertID gets its response" \
		"$(openssl ocsp -respin deb256.body -resp_text -noverify 2>&1)" "Cert Status: good"
	# its ocsprefresh signed every response anew
	sqlite3 certs.db "SELECT hex(body) FROM ocsp_responses WHERE serial_number = '$SERIAL1'" |
		xxd -r -p >stored1.der
	ETAG=\"$(sha256sum stored1.der | cut -c1-64 | tr 'a-f' 'A-F')\"
fi

# malformed requests and other methods
http junk --data-binary 'not an OCSP request' "$URL/"
check_eq "POST junk: 400" 400 "$(cat junk.code)"
check_eq "POST junk: malformedRequest" "3003 0a01 01" "$(xxd -p junk.body | sed 's/^\(....\)\(....\)/\1 \2 /')"
check_eq "POST junk: Cache-Control" "max-age=0, no-cache" "$(hdr junk Cache-Control)"
check_eq "POST junk: Content-Type" "application/ocsp-response" "$(hdr junk Content-Type)"
http empty -X POST "$URL/"
check_eq "empty POST: 400 malformedRequest" "400 3003 0a01 01" \
	"$(cat empty.code) $(xxd -p empty.body | sed 's/^\(....\)\(....\)/\1 \2 /')"
http badb64 "$URL/not-base64!"
check_eq "GET of no base64: 400" 400 "$(cat badb64.code)"
check_eq "GET of no base64: empty" 0 "$(wc -c <badb64.body)"
check_eq "GET of no base64: no Content-Type" "" "$(hdr badb64 Content-Type)"
http put -X PUT --data-binary @req1.der "$URL/"
check_eq "PUT: 405" 405 "$(cat put.code)"
check_eq "PUT: Cache-Control" "max-age=0, no-cache" "$(hdr put Cache-Control)"

# a database error: internalError (500)
sqlite3 certs.db 'ALTER TABLE ocsp_responses RENAME TO ocsp_away'
http dbdown --data-binary @req1.der "$URL/"
check_eq "database error: 500" 500 "$(cat dbdown.code)"
check_eq "database error: internalError" "3003 0a01 02" \
	"$(xxd -p dbdown.body | sed 's/^\(....\)\(....\)/\1 \2 /')"
check_contains "database error: cfssl's ERROR line" "$(strip_ts <srv.log)" \
	'[ERROR] Error obtaining OCSP response: {"code":11000'
sqlite3 certs.db 'ALTER TABLE ocsp_away RENAME TO ocsp_responses'
http dbback --data-binary @req1.der "$URL/"
check "database back: the stored response" cmp dbback.body stored1.der

kill -TERM "$D"
wait "$D"
check_eq "SIGTERM: exit 0" 0 "$?"

# ---- a non-root -path
start_ocsp cfssl path.log -db-config db.json -path /ocsp/
URL=http://127.0.0.1:$PORT
ocsp pgood leaf1.pem ca.pem "$URL/ocsp/"
check_contains "-path /ocsp/: openssl POST" "$(cat pgood.txt)" "leaf1.pem: good"
http pget "$URL/ocsp/$(urlenc req1.der)"
check_eq "-path /ocsp/: GET works (deviation 24)" 200 "$(cat pget.code)"
check "-path /ocsp/: GET: the stored response" cmp pget.body stored1.der
http proot "$URL/$(urlenc req1.der)"
check_eq "-path /ocsp/: outside the path: 404" 404 "$(cat proot.code)"
http pother "$URL/ocspx/$(urlenc req1.der)"
check_eq "-path /ocsp/: /ocspx/...: 404" 404 "$(cat pother.code)"
kill "$PID"

# ---- the -responses file
t cfssl ocspdump -db-config db.json >resp.txt
printf 'garbage\nAAAA\n' >>resp.txt
start_ocsp cfssl file.log -responses resp.txt
URL=http://127.0.0.1:$PORT
F=$PID
flog=$(strip_ts <file.log)
check_contains "-responses: bad base64 logged" "$flog" \
	"[ERROR] Base64 decode error illegal base64 data at input byte 4 on: garbage"
check_contains "-responses: undecodable response logged" "$flog" "[ERROR] OCSP decode error "
check_contains "-responses: the count" "$flog" "[INFO] Read $(sqlite3 certs.db 'SELECT count(*) FROM ocsp_responses') OCSP responses
[INFO] Registering OCSP responder handler
[INFO] Now listening on 127.0.0.1:$PORT"
ocsp fgood leaf1.pem ca.pem "$URL"
check_contains "-responses: good" "$(cat fgood.txt)" "leaf1.pem: good"
ocsp frev leaf2.pem ca.pem "$URL"
check_contains "-responses: revoked" "$(cat frev.txt)" "Reason: keyCompromise"
ocsp funk norec.pem ca.pem "$URL"
check_contains "-responses: unknown: unauthorized" "$(cat funk.txt)" "Responder Error: unauthorized (6)"

# ---- against cfssl master on the same file (deviation 24: GMT for UTC)
if [ -x "$MASTER" ]; then
	start_ocsp "$MASTER" master.log -responses resp.txt
	MURL=http://127.0.0.1:$PORT
	check_eq "master: the same start-up lines (but Go's ASN.1 error text)" \
		"$(strip_ts <master.log | grep -v 'OCSP decode error' | sed 's/:[0-9]*$/:PORT/')" \
		"$(printf '%s\n' "$flog" | grep -v 'OCSP decode error' | sed 's/:[0-9]*$/:PORT/')"
	# norm NAME: status, then the headers cfssl sets, sorted, dates in GMT, max-age masked
	# (libmicrohttpd adds Content-Length: 0 to a 304, Go does not)
	norm()
	{
		local cl='|content-length'
		[ "$(cat "$1.code")" = 304 ] && cl=
		cat "$1.code"
		echo
		grep -iE "^(cache-control|content-type|etag|expires|last-modified$cl):" "$1.hdr" |
			sed -E 's/^([^:]*):/\L\1:/; s/ UTC$/ GMT/; s/max-age=[1-9][0-9]*/max-age=N/' | sort
	}
	cmpreq()
	{
		local desc=$1 f
		shift
		f=$(printf '%s' "$desc" | tr -c 'a-zA-Z0-9-' _)
		http "c-$f" "${@/@URL@/$URL}"
		http "m-$f" "${@/@URL@/$MURL}"
		touch "c-$f.body" "m-$f.body"
		check_eq "as cfssl master: $desc" "$(norm "m-$f")" "$(norm "c-$f")"
		check "as cfssl master: $desc: same body" cmp "m-$f.body" "c-$f.body"
	}
	cmpreq "POST good" --data-binary @req1.der @URL@/
	cmpreq "GET good" "@URL@/$(urlenc req1.der)"
	cmpreq "If-None-Match" -H "If-None-Match: $ETAG" --data-binary @req1.der @URL@/
	t openssl ocsp -issuer ca.pem -cert norec.pem -no_nonce -reqout requnk.der 2>/dev/null
	cmpreq "unknown" --data-binary @requnk.der @URL@/
	cmpreq "junk" --data-binary junk @URL@/
	cmpreq "GET /" @URL@/
	cmpreq "GET bad base64" @URL@/not-base64!
	cmpreq "PUT" -X PUT @URL@/
	cmpreq "SHA-256 CertID (file: serial only)" --data-binary @req256b.der @URL@/
	kill "$PID"
fi
kill "$F"

finish
