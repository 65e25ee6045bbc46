#!/bin/bash
# End-to-end test: `cfssl bundle -domain HOST[:PORT] [-ip IP]` and /bundle {"domain"} against TLS
# servers started here on 127.0.0.1 (openssl s_server, gnutls-serv): a good chain, a chain that
# needs the intermediates bundle (cfssl's "Failed rigid TLS handshake" message), an expired leaf,
# a self-signed leaf, a wrong host and a refused connection. Where Debian's cfssl 1.2 is installed
# and a network namespace can be made (unshare -rn), both run on port 443 (cfssl always dials it)
# and their answers are compared.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl certtool python3 curl

IN=$WORK/in
mkdir -p "$IN"
cd "$IN" || exit 1

# tmpl NAME CN [extra template lines...]
tmpl()
{
	local name=$1 cn=$2
	shift 2
	{
		printf 'cn = "%s"\nserial = %s\n' "$cn" "$RANDOM$RANDOM"
		printf '%s\n' "$@"
	} >"$name.tmpl"
}
key() { certtool --generate-privkey --key-type ecdsa --curve secp256r1 --outfile "$1" 2>/dev/null; }
setup_ok=1
key root-key.pem && key int-key.pem && key leaf-key.pem && key other-key.pem || setup_ok=0
tmpl root "Test Root" ca cert_signing_key crl_signing_key "expiration_days = 30"
tmpl int "Test Intermediate" ca cert_signing_key "expiration_days = 20"
tmpl leaf localhost 'dns_name = "localhost"' 'ip_address = "127.0.0.1"' tls_www_server \
	signing_key "expiration_days = 10"
tmpl expired localhost 'dns_name = "localhost"' tls_www_server signing_key \
	'activation_date = "2020-01-01 00:00:00"' 'expiration_date = "2020-06-01 00:00:00"'
tmpl other other.example 'dns_name = "other.example"' tls_www_server signing_key \
	"expiration_days = 10"
tmpl self localhost 'dns_name = "localhost"' tls_www_server signing_key "expiration_days = 10"
gen() { certtool "$@" 2>/dev/null || setup_ok=0; }
gen --generate-self-signed --load-privkey root-key.pem --template root.tmpl --outfile root.pem
gen --generate-certificate --load-privkey int-key.pem --load-ca-certificate root.pem \
	--load-ca-privkey root-key.pem --template int.tmpl --outfile int.pem
for c in leaf expired; do
	gen --generate-certificate --load-privkey leaf-key.pem --load-ca-certificate int.pem \
		--load-ca-privkey int-key.pem --template $c.tmpl --outfile $c.pem
done
gen --generate-certificate --load-privkey other-key.pem --load-ca-certificate int.pem \
	--load-ca-privkey int-key.pem --template other.tmpl --outfile other.pem
gen --generate-self-signed --load-privkey leaf-key.pem --template self.tmpl --outfile self.pem
for c in leaf expired other; do
	cat $c.pem int.pem >$c-chain.pem
done
check_eq "setup: certificates made with certtool" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish

# wait_port PORT: bounded wait (5 s) until something listens on 127.0.0.1:PORT.
wait_port()
{
	local i
	for ((i = 0; i < 50; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# server KIND CERT KEY [PORT]: a TLS server on 127.0.0.1 sending CERT (a PEM chain); sets SPORT
# and SPID.
server()
{
	SPORT=${4:-$(free_port)}
	case $1 in
	openssl)
		openssl s_server -quiet -accept "127.0.0.1:$SPORT" -cert "$2" -key "$3" \
			</dev/null >/dev/null 2>&1 &
		;;
	gnutls)
		gnutls-serv -q --port "$SPORT" --x509certfile "$2" --x509keyfile "$3" \
			</dev/null >/dev/null 2>&1 &
		;;
	esac
	SPID=$!
	lib_track_pid "$SPID"
	wait_port "$SPORT"
}
stop() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; }

B=(-ca-bundle root.pem -int-bundle int.pem)
jq_py()
{
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

# good chain (gnutls-serv sends the whole file)
server gnutls leaf-chain.pem leaf-key.pem
out=$(t cfssl bundle -domain "localhost:$SPORT" "${B[@]}" 2>/dev/null)
check_eq "good chain: bundle is leaf + intermediate" "2 /CommonName=localhost" \
	"$(jq_py 'len(d["bundle"].split("BEGIN CERTIFICATE")) - 1, d["subject"]' \
		<<<"$out" | tr -d "(),'")"
check_not_contains "good chain: no rigid-handshake message" "$out" "rigid"
out=$(t cfssl bundle -domain "localhost:$SPORT" -ip 127.0.0.1 "${B[@]}" 2>/dev/null)
check_contains "-ip dials the address, checks the domain" "$out" '"hostnames":'
out=$(t cfssl bundle -domain "127.0.0.1:$SPORT" "${B[@]}" 2>/dev/null)
check_contains "an IP address as the domain" "$out" '"subject":"/CommonName=localhost"'
out=$(t cfssl bundle -domain "www.localhost:$SPORT" -ip 127.0.0.1 "${B[@]}" 2>&1)
NV='{"code":1200,"message":"tls: handshake did not verify certificate chain"}'
check_contains "wrong host name: 1200 with Go's text (as cfssl)" "$out" "$NV"
stop

# the server sends the leaf alone: completed from -int-bundle, with cfssl's message
server openssl leaf.pem leaf-key.pem
out=$(t cfssl bundle -domain "localhost:$SPORT" "${B[@]}" 2>&1)
check_contains "incomplete chain (leaf only): 1200 as cfssl" "$out" "$NV"
out=$(t cfssl bundle -domain "localhost:$SPORT" -ca-bundle root.pem -loglevel 0 2>&1)
check_contains "the reason is logged at DEBUG" "$out" "[DEBUG] dial failed: "
stop

server gnutls expired-chain.pem leaf-key.pem
out=$(t cfssl bundle -domain "localhost:$SPORT" "${B[@]}" 2>&1)
check_contains "expired leaf: 1200 as cfssl" "$out" "$NV"
stop

server gnutls self.pem leaf-key.pem
out=$(t cfssl bundle -domain "localhost:$SPORT" "${B[@]}" 2>&1)
check_contains "self-signed leaf: 1200 as cfssl" "$out" "$NV"
stop

server gnutls other-chain.pem other-key.pem
out=$(t cfssl bundle -domain "localhost:$SPORT" -ip 127.0.0.1 "${B[@]}" 2>&1)
check_contains "wrong host: 1200" "$out" "$NV"
stop

port=$(free_port)
out=$(t cfssl bundle -domain "127.0.0.1:$port" "${B[@]}" 2>&1)
check_contains "refused: 6000 with Go's dial text" "$out" \
	"{\"code\":6000,\"message\":\"dial tcp 127.0.0.1:$port: connect: connection refused\"}"

# serve's /bundle with a domain
server gnutls leaf-chain.pem leaf-key.pem
gport=$SPORT gpid=$SPID
PORT=$(free_port)
cfssl serve -address 127.0.0.1 -port "$PORT" "${B[@]}" >serve.log 2>&1 &
lib_track_pid $!
wait_port "$PORT"
out=$(curl -s -d "{\"domain\":\"localhost:$gport\"}" "http://127.0.0.1:$PORT/api/v1/cfssl/bundle")
check_contains "/bundle domain: success" "$out" '"success":true'
check_contains "/bundle domain: the chain" "$out" '"subject":"/CommonName=localhost"'
out=$(curl -s -d "{\"domain\":\"nothere.localhost:$gport\",\"ip\":\"127.0.0.1\"}" \
	"http://127.0.0.1:$PORT/api/v1/cfssl/bundle")
check_contains "/bundle domain: wrong host 1200" "$out" '"code":1200'
check_contains "/bundle domain: cfssl's log line" "$(cat serve.log)" \
	"[WARNING] couldn't bundle from remote: $NV"
SPID=$gpid stop

# Side by side with cfssl master (and Debian's cfssl 1.2 for the good chain: its failures are all
# "tls: handshake did not verify certificate chain") on port 443 in a private network namespace.
MASTER=${CFSSL_MASTER:-/opt/cfssl-master/bin/cfssl}
if [ -x /usr/bin/cfssl ] && [ -x "$MASTER" ] && unshare -rn true 2>/dev/null; then
	export MASTER
	cat >side.sh <<'EOS'
ip link set lo up
wait_port() { local i; for ((i = 0; i < 50; i++)); do (exec 3<>/dev/tcp/127.0.0.1/443) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
for c in leaf-chain:leaf-key expired-chain:leaf-key self:leaf-key other-chain:other-key; do
	gnutls-serv -q --port 443 --x509certfile ${c%%:*}.pem --x509keyfile ${c#*:}.pem </dev/null >/dev/null 2>&1 &
	p=$!
	wait_port
	"$CFSSL_BIN" bundle -domain localhost -ip 127.0.0.1 -ca-bundle root.pem -int-bundle int.pem >ours.${c%%:*} 2>&1
	/usr/bin/cfssl bundle -domain localhost -ip 127.0.0.1 -ca-bundle root.pem -int-bundle int.pem >debian.${c%%:*} 2>&1
	"$MASTER" bundle -domain localhost -ip 127.0.0.1 -ca-bundle root.pem -int-bundle int.pem >theirs.${c%%:*} 2>&1
	kill $p; wait $p 2>/dev/null
done
EOS
	t unshare -rn bash side.sh
	norm()
	{
		python3 - "$1" <<'EOP'
import json, re, sys
t = open(sys.argv[1]).read()
m = re.search(r'\{.*\}\s*$', t, re.S)
d = json.loads(m.group(0)) if m else {"raw": t}
if "hostnames" in d: d["hostnames"] = sorted(d["hostnames"])
d.pop("leaf_expires", None)
print(json.dumps(d, sort_keys=True))
EOP
	}
	for c in leaf-chain expired-chain self other-chain; do
		check_eq "same answer as cfssl master: $c" "$(norm theirs.$c)" "$(norm ours.$c)"
	done
	check_eq "same bundle as cfssl 1.2: good chain" "$(norm debian.leaf-chain)" \
		"$(norm ours.leaf-chain)"
fi
finish
