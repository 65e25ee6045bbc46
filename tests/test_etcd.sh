#!/bin/bash
# End-to-end test: certificates made by cfssl/cfssljson secure a real etcd 3.4 on 127.0.0.1 with
# client-certificate authentication, once with RSA-2048 keys and once with ECDSA P-256 keys.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs etcd etcdctl openssl
export ETCDCTL_API=3

LOG=$WORK/cfssl.log

# gen BASE ARGS...: cfssl ARGS | cfssljson -bare BASE, failing if either side fails.
gen()
{
	local base=$1
	shift
	(
		set -o pipefail
		t cfssl "$@" 2>>"$LOG" | t cfssljson -bare "$base"
	)
}

csr_json()
{
	# csr_json CN O ALGO SIZE
	cat <<EOF
{
  "CN": "$1",
  "key": { "algo": "$3", "size": $4 },
  "names": [ { "C": "LV", "L": "Riga", "O": "$2", "OU": "Containerum" } ]
}
EOF
}

# ctl DIR CA CERT KEY ARGS...: etcdctl against the running etcd.
ctl()
{
	local dir=$1 ca=$2 cert=$3 key=$4
	shift 4
	local tls=(--cacert "$dir/$ca")
	[ -n "$cert" ] && tls+=(--cert "$dir/$cert" --key "$dir/$key")
	timeout -k 5 30 etcdctl --endpoints "https://127.0.0.1:$ETCD_PORT" --dial-timeout 3s \
		--command-timeout 5s "${tls[@]}" "$@"
}

round()
{
	local algo=$1 size=$2 label=$3
	local dir=$WORK/$algo
	local r="[$algo-$size]"
	mkdir -p "$dir"
	cd "$dir" || return

	cat >ca-config.json <<EOF
{
  "signing": {
    "default": { "expiry": "8760h" },
    "profiles": {
      "kubernetes": {
        "usages": ["signing", "key encipherment", "server auth", "client auth"],
        "expiry": "8760h"
      }
    }
  }
}
EOF
	csr_json Kubernetes Kubernetes "$algo" "$size" >ca-csr.json
	csr_json kubernetes Kubernetes "$algo" "$size" >server-csr.json
	csr_json admin system:masters "$algo" "$size" >admin-csr.json
	csr_json "Foreign CA" Foreign "$algo" "$size" >foreign-ca-csr.json
	csr_json admin system:masters "$algo" "$size" >foreign-admin-csr.json

	local signed=(-ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json -profile=kubernetes)
	check "$r CA" gen ca gencert -initca ca-csr.json
	check "$r server certificate" gen server gencert "${signed[@]}" \
		-hostname=127.0.0.1,localhost server-csr.json
	check "$r admin client certificate" gen admin gencert "${signed[@]}" admin-csr.json
	check "$r foreign CA" gen foreign-ca gencert -initca foreign-ca-csr.json
	check "$r admin certificate from the foreign CA" gen foreign-admin gencert \
		-ca=foreign-ca.pem -ca-key=foreign-ca-key.pem -config=ca-config.json \
		-profile=kubernetes foreign-admin-csr.json

	local f
	for f in ca server admin foreign-ca foreign-admin; do
		if [ ! -s "$f.pem" ] || [ ! -s "$f-key.pem" ]; then
			lib_fail "$r $f.pem and $f-key.pem written" "cannot run etcd without them"
			return
		fi
		check_eq "$r $f-key.pem label" "-----BEGIN ${label:+$label }PRIVATE KEY-----" "$(head -n1 "$f-key.pem")"
	done
	check_eq "$r server SAN" "DNS:localhost, IP Address:127.0.0.1" \
		"$(openssl x509 -in server.pem -noout -ext subjectAltName | sed -n '2p' | sed 's/^ *//')"
	check "$r server.pem verifies" openssl verify -CAfile ca.pem -purpose sslserver server.pem
	check "$r admin.pem verifies" openssl verify -CAfile ca.pem -purpose sslclient admin.pem
	check "$r foreign-admin.pem does not verify against ca.pem" \
		bash -c '! openssl verify -CAfile ca.pem foreign-admin.pem'

	if ! start_etcd "$dir" "$dir/server.pem" "$dir/server-key.pem" "$dir/ca.pem"; then
		lib_fail "$r etcd started with the server certificate"
		return
	fi
	lib_pass "$r etcd started with the server certificate (port $ETCD_PORT)"

	local out
	out=$(ctl "$dir" ca.pem admin.pem admin-key.pem put k v 2>&1)
	check_eq "$r etcdctl put with the admin certificate" "OK" "$out"
	out=$(ctl "$dir" ca.pem admin.pem admin-key.pem get k --print-value-only 2>&1)
	check_eq "$r etcdctl get prints the value" "v" "$out"
	out=$(timeout -k 5 30 etcdctl --endpoints "https://localhost:$ETCD_PORT" --dial-timeout 3s \
		--command-timeout 5s --cacert ca.pem --cert admin.pem --key admin-key.pem \
		get k --print-value-only 2>&1)
	check_eq "$r etcdctl via https://localhost (DNS SAN) works" "v" "$out"
	check_fails "$r client certificate from a foreign CA is refused" \
		ctl "$dir" ca.pem foreign-admin.pem foreign-admin-key.pem get k
	check_fails "$r no client certificate is refused" ctl "$dir" ca.pem "" "" get k
	check_fails "$r server is not trusted with the foreign CA" \
		ctl "$dir" foreign-ca.pem admin.pem admin-key.pem get k

	local pid=$ETCD_PID
	stop_etcd
	check "$r etcd stopped" bash -c "! kill -0 $pid 2>/dev/null"
}

round rsa 2048 RSA
round ecdsa 256 EC
# Ed25519 keys are PKCS#8 "PRIVATE KEY" (deviation 8), which Go reads as well
round ed25519 256 ""
cd "$WORK" || exit 1
stop_etcd
finish
