#!/bin/bash
# End-to-end test: `cfssl scan -family TLSHandshake` (CipherSuite, SigAlgs, CertsBySigAlgs,
# CertsByCiphers, ECCurves) against TLS servers started here on 127.0.0.1: openssl s_server
# with an ECDSA certificate (TLS 1.0-1.2, two suites, three curves) and with an RSA
# certificate under an ECDSA CA (OCSP stapled), gnutls-serv with an RSA certificate in its
# own order and in the client's, a server of RSA key exchange only; then a closed port, a
# server that closes at once and one that never answers (-timeout). Each server is scanned by
# Debian's cfssl 1.2 too where it is installed, and the JSON must be the same (a server that
# follows the client's order answers cfssl's random offer order: there the lists are compared
# sorted). Last, Broad's IntermediateCAs on a host and on a range.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl gnutls-serv python3 curl

IN=$WORK/in
mkdir -p "$IN"
cd "$IN" || exit 1

setup_ok=1
o() { openssl "$@" >/dev/null 2>&1 || setup_ok=0; }
# last_byte CERT: the last byte of CERT's DER, in hex
last_byte() { openssl x509 -in "$1" -outform DER | tail -c 1 | od -An -tx1 | tr -d ' \n'; }
# until_ends WANT CERT CMD...: runs CMD (which writes CERT) until the DER's last byte is white
# space (WANT=space) or not (WANT=other); as cfssl trims white space around a DER certificate,
# one ending in a space does not decode there
until_ends()
{
	local want=$1 cert=$2 i b
	shift 2
	for ((i = 0; i < 400; i++)); do
		"$@"
		b=$(last_byte "$cert")
		case $b in 09 | 0a | 0b | 0c | 0d | 20) [ "$want" = space ] && return ;;
		*) [ "$want" = other ] && return ;;
		esac
	done
	setup_ok=0
}
ec() { o req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1-key.pem" \
	-out "$1.pem" -subj "$2" -days 30; }
until_ends other ec.pem ec ec /CN=localhost
until_ends space space.pem ec space /CN=localhost
ec ca "/CN=Scan CA"
o req -newkey rsa:2048 -nodes -keyout rsa-key.pem -out rsa.csr -subj /CN=localhost
until_ends other rsa.pem o x509 -req -in rsa.csr -CA ca.pem -CAkey ca-key.pem -set_serial 2 \
	-out rsa.pem -days 20
# an OCSP response for the RSA leaf, to be stapled
: >index.txt
o ocsp -issuer ca.pem -cert rsa.pem -reqout req.der -no_nonce
o ocsp -index index.txt -rsigner ca.pem -rkey ca-key.pem -CA ca.pem -reqin req.der \
	-respout resp.der -ndays 1
check_eq "setup: keys, certificates and an OCSP response made with openssl" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish

wait_port()
{
	local i
	for ((i = 0; i < 100; i++)); do
		port_open "$1" && return 0
		sleep 0.1
	done
	return 1
}
# start PROGRAM ARGS... (PORT in ARGS is replaced by the port): sets SPORT and SPID
start()
{
	SPORT=$(free_port)
	local prog=$1 a args=()
	shift
	for a in "$@"; do args+=("${a//PORT/$SPORT}"); done
	"$prog" "${args[@]}" </dev/null >/dev/null 2>&1 &
	SPID=$!
	lib_track_pid "$SPID"
	wait_port "$SPORT"
}
stop() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; }

# flatten FILE: one line "SCANNER.MEMBER VALUE" (compact JSON) per member of each TLSHandshake
# result, into FILE.flat
flatten()
{
	python3 - "$1" >"$1.flat" <<'EOP'
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t[t.index("{"):t.rindex("}") + 1])
for name, r in d.get("TLSHandshake", {}).items():
    for k, v in r.items():
        print(name + "." + k, v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))
EOP
}
# get FILE SCANNER MEMBER: that member (from FILE.flat)
get() { sed -n "s/^$2\.$3 //p" "$1.flat"; }
# sorted FILE: the JSON of a scan with every list sorted
sorted()
{
	python3 - "$1" <<'EOP'
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t[t.index("{"):t.rindex("}") + 1])
def s(v):
    if isinstance(v, list):
        return sorted((s(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True))
    if isinstance(v, dict):
        return {k: s(x) for k, x in v.items()}
    return v
print(json.dumps(s(d), sort_keys=True, indent=1))
EOP
}
DEBIAN=
[ -x /usr/bin/cfssl ] && DEBIAN=/usr/bin/cfssl
# scan NAME [sorted] [FLAGS...]: ours on 127.0.0.1:$SPORT into NAME.out and, with Debian's
# cfssl, theirs into NAME.deb; compares (with the lists sorted when asked)
scan()
{
	local name=$1 how=exact
	shift
	[ "${1:-}" = sorted ] && how=sorted && shift
	t cfssl scan -family TLSHandshake "$@" "127.0.0.1:$SPORT" >"$name.out" 2>"$name.err"
	flatten "$name.out"
	check_eq "$name: cfssl's header lines" "Scanning 127.0.0.1:$SPORT...
=== 127.0.0.1:$SPORT ===" "$(head -n 2 "$name.out")"
	if [ -n "$DEBIAN" ]; then
		t "$DEBIAN" scan -family TLSHandshake "$@" "127.0.0.1:$SPORT" >"$name.deb" 2>"$name.deberr"
		if [ "$how" = exact ]; then
			check_eq "$name: the same output as cfssl 1.2" "$(cat "$name.deb")" "$(cat "$name.out")"
		else
			check_eq "$name: the same output as cfssl 1.2, lists sorted" \
				"$(sorted "$name.deb")" "$(sorted "$name.out")"
		fi
	fi
}

# ECDSA, TLS 1.0 to 1.2, the server's order: two suites, three curves
start openssl s_server -quiet -accept 127.0.0.1:PORT -cert ec.pem -key ec-key.pem -serverpref \
	-cipher 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0' \
	-min_protocol TLSv1 -max_protocol TLSv1.2 -groups P-384:P-256:P-521
scan ecdsa
check_eq "ecdsa: CipherSuite in the server's order, by version, with curves" \
	'[{"ECDHE-ECDSA-AES256-GCM-SHA384":[{"TLS 1.2":["secp384r1","secp256r1"]}]},{"ECDHE-ECDSA-AES128-SHA":[{"TLS 1.2":["secp384r1","secp256r1"]},{"TLS 1.1":["secp384r1","secp256r1"]},{"TLS 1.0":["secp384r1","secp256r1"]}]}]' \
	"$(get ecdsa.out CipherSuite output)"
check_eq "ecdsa: CipherSuite Good" Good "$(get ecdsa.out CipherSuite grade)"
check_eq "ecdsa: ECCurves, P-521 left out (the certificate is on P-256)" \
	'["secp384r1","secp256r1"]' "$(get ecdsa.out ECCurves output)"
check_eq "ecdsa: SigAlgs, the ECDSA ones" \
	'[{"signature":"ECDSA","hash":"SHA256"},{"signature":"ECDSA","hash":"SHA384"},{"signature":"ECDSA","hash":"SHA1"}]' \
	"$(get ecdsa.out SigAlgs output)"
check_eq "ecdsa: CertsBySigAlgs" \
	'{"{ECDSA,SHA1}":"ECDSAWithSHA256","{ECDSA,SHA256}":"ECDSAWithSHA256","{ECDSA,SHA384}":"ECDSAWithSHA256"}' \
	"$(get ecdsa.out CertsBySigAlgs output)"
check_eq "ecdsa: CertsByCiphers, by IANA name" \
	'{"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA":"ECDSAWithSHA256","TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384":"ECDSAWithSHA256"}' \
	"$(get ecdsa.out CertsByCiphers output)"
check_eq "ecdsa: nothing on stderr" "" "$(cat ecdsa.err)"
# serve's /scan runs the same scanners
PORT=$(free_port)
cfssl serve -address 127.0.0.1 -port "$PORT" >serve.log 2>&1 &
lib_track_pid $!
wait_port "$PORT"
out=$(curl -s "http://127.0.0.1:$PORT/api/v1/cfssl/scan?host=127.0.0.1:$SPORT&family=TLSHandshake&scanner=ECCurves")
check_eq "/scan: ECCurves" \
	'{"success":true,"result":{"TLSHandshake":{"ECCurves":{"grade":"Good","output":["secp384r1","secp256r1"]}}},"errors":[],"messages":[]}' \
	"$out"
stop

# a leaf whose DER ends in a byte of white space: cfssl cannot decode it
start openssl s_server -quiet -accept 127.0.0.1:PORT -cert space.pem -key space-key.pem
scan space -scanner '^CertsBySigAlgs$'
check_eq "space: CertsBySigAlgs Bad with cfssl's decode error" \
	'Bad/{"code":1002,"message":"Failed to decode certificate"}' \
	"$(get space.out CertsBySigAlgs grade)/$(get space.out CertsBySigAlgs error)"
stop

# RSA under an ECDSA CA, TLS 1.2, an ECDHE and an RSA suite, OCSP stapled
start openssl s_server -quiet -accept 127.0.0.1:PORT -cert rsa.pem -key rsa-key.pem \
	-cert_chain ca.pem -serverpref -status_file resp.der \
	-cipher 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA' -groups P-521:P-256 -tls1_2
scan stapled
check_eq "stapled: CipherSuite" \
	'[{"ECDHE-RSA-AES128-GCM-SHA256":[{"TLS 1.2":["secp521r1","secp256r1"]}]},{"AES256-SHA":["TLS 1.2"]}]' \
	"$(get stapled.out CipherSuite output)"
check_eq "stapled: CertsBySigAlgs names the leaf's signature (the CA's ECDSA)" \
	'{"{RSA,SHA256}":"ECDSAWithSHA256","{RSA,SHA384}":"ECDSAWithSHA256"}' \
	"$(get stapled.out CertsBySigAlgs output)"
check_eq "stapled: CertsByCiphers without signature_algorithms: refused" \
	"Bad/no cipher supported" \
	"$(get stapled.out CertsByCiphers grade)/$(get stapled.out CertsByCiphers error)"
stop

# GnuTLS in its own order, TLS 1.1 and 1.2
start gnutls-serv -q --port PORT --x509certfile rsa.pem --x509keyfile rsa-key.pem --priority \
	'NORMAL:%SERVER_PRECEDENCE:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:-CIPHER-ALL:+AES-128-GCM:+AES-256-CBC:-KX-ALL:+ECDHE-RSA:+RSA:-CURVE-ALL:+CURVE-SECP384R1:+CURVE-SECP256R1'
scan gnutls
check_eq "gnutls: CipherSuite" \
	'[{"ECDHE-RSA-AES128-GCM-SHA256":[{"TLS 1.2":["secp384r1","secp256r1"]}]},{"ECDHE-RSA-AES256-SHA":[{"TLS 1.2":["secp384r1","secp256r1"]},{"TLS 1.1":["secp384r1","secp256r1"]}]},{"AES128-GCM-SHA256":["TLS 1.2"]},{"AES256-SHA":["TLS 1.2","TLS 1.1"]}]' \
	"$(get gnutls.out CipherSuite output)"
check_eq "gnutls: SigAlgs, every one" 6 "$(get gnutls.out SigAlgs output | grep -o signature | wc -l)"
stop

# GnuTLS in the client's order: what is found does not depend on the order offered
start gnutls-serv -q --port PORT --x509certfile rsa.pem --x509keyfile rsa-key.pem
scan clientorder sorted
check_eq "client's order: ECCurves in the order offered" '["secp256r1","secp384r1","secp521r1"]' \
	"$(get clientorder.out ECCurves output)"
stop

# RSA key exchange only: no curve at all
start openssl s_server -quiet -accept 127.0.0.1:PORT -cert rsa.pem -key rsa-key.pem \
	-cipher AES128-SHA -tls1_2
scan rsakx
check_eq "rsa key exchange: ECCurves Good with a null output, as cfssl" 'Good/null' \
	"$(get rsakx.out ECCurves grade)/$(get rsakx.out ECCurves output)"
check_eq "rsa key exchange: CipherSuite" '[{"AES128-SHA":["TLS 1.2"]}]' \
	"$(get rsakx.out CipherSuite output)"
stop

# a closed port: the dial error where cfssl reports it, its summaries elsewhere
SPORT=$(free_port)
scan closed
check_eq "closed: CipherSuite Bad with Go's dial error" \
	"Bad/dial tcp 127.0.0.1:$SPORT: connect: connection refused" \
	"$(get closed.out CipherSuite grade)/$(get closed.out CipherSuite error)"
check_eq "closed: ECCurves Bad with Go's dial error" \
	"Bad/dial tcp 127.0.0.1:$SPORT: connect: connection refused" \
	"$(get closed.out ECCurves grade)/$(get closed.out ECCurves error)"
check_eq "closed: SigAlgs" "Bad/no SigAlgs supported" \
	"$(get closed.out SigAlgs grade)/$(get closed.out SigAlgs error)"
check_eq "closed: CertsBySigAlgs" "Bad/no SigAlgs supported" \
	"$(get closed.out CertsBySigAlgs grade)/$(get closed.out CertsBySigAlgs error)"
check_eq "closed: CertsByCiphers" "Bad/no cipher supported" \
	"$(get closed.out CertsByCiphers grade)/$(get closed.out CertsByCiphers error)"

# a server that closes every connection at once
start python3 -c 'import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", PORT)); s.listen(64)
while True: s.accept()[0].close()'
scan closing
check_eq "closing: CipherSuite" "Bad/couldn't negotiate any cipher suites" \
	"$(get closing.out CipherSuite grade)/$(get closing.out CipherSuite error)"
check_eq "closing: ECCurves Good with a null output, as cfssl" 'Good/null' \
	"$(get closing.out ECCurves grade)/$(get closing.out ECCurves output)"
stop

# a server that never answers: the scan stops at -timeout with cfssl's warning
start python3 -c 'import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", PORT)); s.listen(64); held = []
while True: held.append(s.accept()[0])'
begin=$SECONDS
scan silent -timeout 2s
check_eq "silent: nothing finished, nothing printed" "{}" "$(sed -n 3p silent.out)"
check_contains "silent: cfssl's warning" "$(cat silent.err)" "[WARNING] Scan timed out after 2s"
check_eq "silent: over within the timeout" 1 "$((SECONDS - begin < 10))"
stop

# Broad: IntermediateCAs scans only a host given as a CIDR range
port=$(free_port)
t cfssl scan -family Broad "127.0.0.1:$port" >broad.out 2>&1
check_eq "IntermediateCAs: a host that is no range is Skipped, without an error" \
	'{"Broad":{"IntermediateCAs":{"grade":"Skipped"}}}' "$(sed -n '3,$p' broad.out | sed 's/^ *//; s/": /":/' | tr -d '\n')"
if [ ! -e /etc/cfssl/ca-bundle.crt ]; then
	t cfssl scan -family Broad "127.0.0.0/30:$port" >range.out 2>range.err
	check_eq "IntermediateCAs: a range without cfssl's stores: Bad with the bundler's error" \
		'{"Broad":{"IntermediateCAs":{"grade":"Bad","error":"{\"code\":4001,\"message\":\"open /etc/cfssl/ca-bundle.crt: no such file or directory\"}"}}}' \
		"$(sed -n '3,$p' range.out | sed 's/^ *//; s/^\("[A-Za-z]*"\): /\1:/' | tr -d '\n')"
	check_contains "IntermediateCAs: cfssl's log line" "$(cat range.err)" \
		"[ERROR] root bundle failed to load: open /etc/cfssl/ca-bundle.crt: no such file or directory"
	if [ -n "$DEBIAN" ]; then
		for h in "127.0.0.1:$port" "127.0.0.0/30:$port"; do
			t cfssl scan -family Broad "$h" >ours.out 2>/dev/null
			t "$DEBIAN" scan -family Broad "$h" >theirs.out 2>/dev/null
			check_eq "IntermediateCAs $h: the same output as cfssl 1.2" "$(cat theirs.out)" \
				"$(cat ours.out)"
		done
	fi
fi

finish
