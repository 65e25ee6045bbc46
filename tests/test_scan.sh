#!/bin/bash
# End-to-end test: `cfssl scan`, `cfssl-scan` and serve's /scan (cfssl-compat.md Appendix A.scan,
# cfssl-serve.md §3.10) against TLS servers started here on 127.0.0.1 (gnutls-serv, openssl
# s_server): a good chain, an expired leaf, a self-signed leaf, a wrong host, a server limited to
# one old cipher suite and a closed port. Only local scanners are selected (never
# CloudFlareStatus; DNSLookup only for localhost). Where Debian's cfssl 1.2 is installed, its
# `cfssl scan` runs on the same servers and its JSON must be the same.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs certtool gnutls-serv openssl curl python3

IN=$WORK/in
mkdir -p "$IN"
cd "$IN" || exit 1

setup_ok=1
key() { certtool --generate-privkey --key-type ecdsa --curve secp256r1 --outfile "$1" 2>/dev/null || setup_ok=0; }
gen() { certtool "$@" 2>/dev/null || setup_ok=0; }
key root-key.pem
key leaf-key.pem
key other-key.pem
printf 'cn = "Scan Root"\nca\ncert_signing_key\nexpiration_days = 200\n' >root.t
printf 'cn = "localhost"\ndns_name = "localhost"\nip_address = "127.0.0.1"\ntls_www_server\nsigning_key\nexpiration_days = 90\n' >leaf.t
printf 'cn = "localhost"\ndns_name = "localhost"\ntls_www_server\nsigning_key\nactivation_date = "2020-01-01 00:00:00"\nexpiration_date = "2020-06-01 00:00:00"\n' >expired.t
printf 'cn = "other.example"\ndns_name = "other.example"\ntls_www_server\nsigning_key\nexpiration_days = 90\n' >other.t
printf 'cn = "localhost"\ndns_name = "localhost"\ntls_www_server\nsigning_key\nexpiration_days = 90\n' >self.t
gen --generate-self-signed --load-privkey root-key.pem --template root.t --outfile root.pem
for c in leaf expired; do
	gen --generate-certificate --load-privkey leaf-key.pem --load-ca-certificate root.pem \
		--load-ca-privkey root-key.pem --template $c.t --outfile $c.pem
	cat $c.pem root.pem >$c-chain.pem
done
gen --generate-certificate --load-privkey other-key.pem --load-ca-certificate root.pem \
	--load-ca-privkey root-key.pem --template other.t --outfile other.pem
cat other.pem root.pem >other-chain.pem
gen --generate-self-signed --load-privkey leaf-key.pem --template self.t --outfile self.pem
check_eq "setup: certificates made with certtool" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish

wait_port()
{
	local i
	for ((i = 0; i < 50; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
# gnutls_server CERT KEY / openssl_server CERT KEY ARGS...: sets SPORT and SPID
gnutls_server()
{
	SPORT=$(free_port)
	gnutls-serv -q --port "$SPORT" --x509certfile "$1" --x509keyfile "$2" </dev/null \
		>/dev/null 2>&1 &
	SPID=$!
	lib_track_pid "$SPID"
	wait_port "$SPORT"
}
openssl_server()
{
	SPORT=$(free_port)
	local c=$1 k=$2
	shift 2
	openssl s_server -quiet -accept "127.0.0.1:$SPORT" -cert "$c" -key "$k" "$@" </dev/null \
		>/dev/null 2>&1 &
	SPID=$!
	lib_track_pid "$SPID"
	wait_port "$SPORT"
}
stop() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; }

SEL=(-family 'Connectivity|PKI|TLSSession'
	-scanner '^(DNSLookup|TCPDial|TLSDial|ChainExpiration|ChainValidation|MultipleCerts|SessionResume)$'
	-timeout 30s -ca-bundle root.pem)
# get FILE FAMILY SCANNER MEMBER: one member of one scanner's result in a scan's output
get()
{
	python3 - "$@" <<'EOP'
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t[t.index("{"):t.rindex("}") + 1])
v = d.get(sys.argv[2], {}).get(sys.argv[3], {}).get(sys.argv[4])
print(v if isinstance(v, str) or v is None else json.dumps(v, sort_keys=True))
EOP
}
DEBIAN=
[ -x /usr/bin/cfssl ] && DEBIAN=/usr/bin/cfssl
# scan NAME HOST: ours into NAME.out and, with Debian's cfssl, theirs into NAME.deb; compares
scan()
{
	t cfssl scan "${SEL[@]}" "$2" >"$1.out" 2>"$1.err"
	check_contains "$1: cfssl's header lines" "$(head -n 2 "$1.out")" "Scanning $2...
=== $2 ==="
	if [ -n "$DEBIAN" ]; then
		t "$DEBIAN" scan "${SEL[@]}" "$2" >"$1.deb" 2>/dev/null
		# the two runs read the clock a second apart: compare Go's expiry text without its "current time"
		local now='s/current time [0-9TZ:-]* is/current time NOW is/'
		check_eq "$1: the same output as cfssl 1.2" "$(sed "$now" "$1.deb")" "$(sed "$now" "$1.out")"
	fi
}

gnutls_server leaf-chain.pem leaf-key.pem
scan good "localhost:$SPORT"
for s in Connectivity:DNSLookup Connectivity:TCPDial Connectivity:TLSDial PKI:ChainExpiration \
	PKI:ChainValidation PKI:MultipleCerts TLSSession:SessionResume; do
	check_eq "good: ${s#*:} Good" Good "$(get good.out "${s%:*}" "${s#*:}" grade)"
done
check_contains "good: DNSLookup lists 127.0.0.1" "$(get good.out Connectivity DNSLookup output)" \
	'"127.0.0.1"'
check_eq "good: SessionResume by address" '{"127.0.0.1": true}' \
	"$(get good.out TLSSession SessionResume output)"
check_eq "good: ChainExpiration is the leaf's notAfter" \
	"$(date -u -d "$(openssl x509 -in leaf.pem -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ)" \
	"$(get good.out PKI ChainExpiration output)"
t cfssl scan -scanner '^TCPDial$' -ip 127.0.0.1 "nothere.invalid:$SPORT" >ip.out 2>&1
check_eq "-ip: dials the address" Good "$(get ip.out Connectivity TCPDial grade)"
t cfssl scan -family '^$' "localhost:$SPORT" >none.out 2>&1
check_eq "a family regexp matching nothing: {}" "{}" "$(sed -n 3p none.out)"
t cfssl scan -family '(' "localhost:$SPORT" >bad.out 2>&1
check_contains "a bad regexp: Go's error" "$(cat bad.out)" \
	"[ERROR] error parsing regexp: missing closing ): \`(\`"

# serve's /scan on the same server
PORT=$(free_port)
cfssl serve -address 127.0.0.1 -port "$PORT" -ca-bundle root.pem >serve.log 2>&1 &
lib_track_pid $!
wait_port "$PORT"
out=$(curl -s "http://127.0.0.1:$PORT/api/v1/cfssl/scan?host=localhost:$SPORT&family=PKI&scanner=ChainValidation")
check_eq "/scan: cfssl's envelope" \
	'{"success":true,"result":{"PKI":{"ChainValidation":{"grade":"Good"}}},"errors":[],"messages":[]}' \
	"$out"
out=$(curl -s "http://127.0.0.1:$PORT/api/v1/cfssl/scan?host=127.0.0.1:$SPORT&scanner=%5ETLSDial%24")
check_contains "/scan: TLSDial with -ca-bundle's roots" "$out" '"TLSDial":{"grade":"Good"}'
out=$(curl -s "http://127.0.0.1:$PORT/api/v1/cfssl/scan?scanner=TCPDial")
check_contains "/scan without a host: 400" "$out" '"message":"no host given"'
stop

gnutls_server expired-chain.pem leaf-key.pem
scan expired "localhost:$SPORT"
check_eq "expired: ChainExpiration Bad" Bad "$(get expired.out PKI ChainExpiration grade)"
check_eq "expired: ChainExpiration output" 2020-06-01T00:00:00Z \
	"$(get expired.out PKI ChainExpiration output)"
check_eq "expired: TLSDial Warning" Warning "$(get expired.out Connectivity TLSDial grade)"
check_eq "expired: ChainValidation error" "localhost is revoked" \
	"$(get expired.out PKI ChainValidation error)"
stop

gnutls_server self.pem leaf-key.pem
scan self "localhost:$SPORT"
check_eq "self-signed: TLSDial Warning" Warning "$(get self.out Connectivity TLSDial grade)"
check_eq "self-signed: unknown authority" "x509: certificate signed by unknown authority" \
	"$(get self.out Connectivity TLSDial error)"
stop

gnutls_server other-chain.pem other-key.pem
scan wronghost "localhost:$SPORT"
check_eq "wrong host: TLSDial Warning with Go's text" \
	"x509: certificate is valid for other.example, not localhost" \
	"$(get wronghost.out Connectivity TLSDial error)"
stop

# one old CBC suite, TLS 1.2, no session cache: still a TLS host, but no resumption
openssl_server leaf-chain.pem leaf-key.pem -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA -no_cache \
	-no_ticket
scan weak "localhost:$SPORT"
check_eq "weak cipher: TLSDial Good" Good "$(get weak.out Connectivity TLSDial grade)"
check_eq "weak cipher, no cache: SessionResume Bad" Bad \
	"$(get weak.out TLSSession SessionResume grade)"
stop

port=$(free_port)
t cfssl scan -scanner '^TCPDial$' "127.0.0.1:$port" >closed.out 2>&1
check_eq "closed port: TCPDial Bad" Bad "$(get closed.out Connectivity TCPDial grade)"
check_eq "closed port: Go's dial error" "dial tcp 127.0.0.1:$port: connect: connection refused" \
	"$(get closed.out Connectivity TCPDial error)"

# Go's dial errors name the address dialled: a name's resolved address, an empty port as 0
for h in "localhost:$port" "127.0.0.1:"; do
	t cfssl scan -scanner '^TCPDial$' "$h" >dial.out 2>&1
	check "TCPDial $h: the dialled address in the error" grep -Eq \
		'"dial tcp (127\.0\.0\.1|\[::1\]):[0-9]+: connect' dial.out
	[ -z "$DEBIAN" ] ||
		check_eq "TCPDial $h: as cfssl 1.2" "$(t "$DEBIAN" scan -scanner '^TCPDial$' "$h" 2>&1)" \
			"$(cat dial.out)"
done

# -num-workers: hosts are taken by that many workers at once, as cfssl's goroutines; a host
# that never answers (a listener that says nothing) does not hold up the next one
python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True); time.sleep(60)' >silent.port &
silent_pid=$!
lib_track_pid "$silent_pid"
for _ in $(seq 1 50); do [ -s silent.port ] && break; sleep 0.1; done
silent=127.0.0.1:$(cat silent.port)
blocks() { grep '^===' "$1" | tr '\n' ' '; }
t cfssl scan -scanner '^TLSDial$' -timeout 2s -num-workers 2 "$silent" "127.0.0.1:$port" >w2.out 2>w2.err
check_eq "-num-workers 2: both hosts taken before any result" "Scanning Scanning " \
	"$(head -n 2 w2.out | cut -d' ' -f1 | tr '\n' ' ')"
check_eq "-num-workers 2: the refused port's result comes first" \
	"=== 127.0.0.1:$port === === $silent === " "$(blocks w2.out)"
check_contains "-num-workers 2: the silent host's handshake times out with the dialer (1 s)" \
	"$(cat w2.out)" '"error": "tls: DialWithDialer timed out"'
if [ -n "$DEBIAN" ]; then
	t cfssl scan -scanner '^TLSDial$' -timeout 2s "$silent" >s1.out 2>&1
	check_eq "a server that never answers: as cfssl 1.2" \
		"$(t "$DEBIAN" scan -scanner '^TLSDial$' -timeout 2s "$silent" 2>&1)" "$(cat s1.out)"
fi
check_eq "-num-workers 2: each block whole" 2 "$(grep -c '"TLSDial"' w2.out)"
t cfssl scan -scanner '^TLSDial$' -timeout 2s -num-workers 1 "$silent" "127.0.0.1:$port" >w1.out 2>&1
check_eq "-num-workers 1: one host after the other" \
	"=== $silent === === 127.0.0.1:$port === " "$(blocks w1.out)"
# a host's scanners run side by side (cfssl's goroutine each), and -timeout is the longest
# wait for the next result: five scanners that each wait 1 s for the silent host all report
# within a 2 s timeout (one after the other they would run out of it)
t cfssl scan -scanner '^(TLSDial|ChainExpiration|ChainValidation|MultipleCerts|SessionResume)$' \
	-timeout 2s "$silent" >par.out 2>par.err
check_eq "five slow scanners, -timeout 2s: five results" 5 "$(grep -c '"grade": "Bad"' par.out)"
check_not_contains "five slow scanners, -timeout 2s: no time-out" "$(cat par.err)" "Scan timed out"
kill "$silent_pid" 2>/dev/null
wait "$silent_pid" 2>/dev/null

# -list and the cfssl-scan program
t cfssl scan -list >list.out
check_contains "-list: the catalogue, indented" "$(cat list.out)" '    "scanners": {'
if [ -n "$DEBIAN" ]; then
	# cfssl 1.2 spells "prefered"; master (the catalogue here) "preferred"
	check_eq "-list: as cfssl 1.2's" "$("$DEBIAN" scan -list | sed 's/prefered/preferred/')" \
		"$(cat list.out)"
fi
ln -s "$CFSSL_BIN" "$WORK/bin/cfssl-scan"
t cfssl-scan -h >h.out 2>&1
check_contains "cfssl-scan -h: cfssl's usage" "$(cat h.out)" "  -max-hosts=100: maximum number of hosts to scan"
[ -x /usr/bin/cfssl-scan ] &&
	check_eq "cfssl-scan -h: as cfssl 1.2's" "$(/usr/bin/cfssl-scan -h 2>&1)" "$(cat h.out)"
check_fails "cfssl-scan refuses a flag it lacks" cfssl-scan -config x.json
printf 'rank,host\n1,127.0.0.1:%s\n' "$port" >hosts.csv
t cfssl-scan -scanner '^TCPDial$' -csv hosts.csv >csv.out 2>&1
check_contains "-csv: the last column of each record" "$(cat csv.out)" "=== 127.0.0.1:$port ==="
finish
