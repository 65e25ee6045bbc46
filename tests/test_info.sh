#!/usr/bin/env bash
# cfssl info: local (-config -ca -ca-key, cfssl-compat §12.11) byte for byte as cfssl master,
# and -remote (cfssl-serve.md §6.3) against Debian's cfssl 1.2 serve on 127.0.0.1; deviation 20
# (a bad -remote is a clear error, exit 1, where cfssl panics). Servers killed by PID.
. "$(dirname "$0")/lib.sh"

MASTER=/opt/cfssl-master/bin/cfssl
cd "$WORK" || exit 1
strip() { sed 's/^[0-9/]* [0-9:]* //'; }

echo '{"CN":"Info CA","key":{"algo":"ecdsa","size":256}}' >ca-csr.json
cfssl gencert -initca ca-csr.json 2>/dev/null | cfssljson -bare ca
[ -s ca.pem ] || { echo "setup failed"; exit 1; }
cat >config.json <<'JSON'
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "key encipherment", "server auth"]},
  "profiles": {"client": {"expiry": "720h", "usages": ["signing", "client auth", "nosuch usage"]}}}}
JSON

# local: the CA PEM without its final LF, the usages as written, the expiry; no final LF
cfssl info -config config.json -ca ca.pem -ca-key ca-key.pem >i.json 2>i.err
check_eq "info -config: exit 0" 0 "$?"
check_eq "info -config: certificate without final LF" "$(cat ca.pem)" "$(jq -r .certificate i.json)"
check_eq "info -config: usages and expiry" '["signing","key encipherment","server auth"] "8760h"' \
	"$(jq -c .usages i.json) $(jq -c .expiry i.json)"
check_eq "info -config: no final LF" "}" "$(tail -c 1 i.json)"
cfssl info -config config.json -ca ca.pem -ca-key ca-key.pem -profile client >c.json 2>/dev/null
check_eq "info -profile client: usages as written" '["signing","client auth","nosuch usage"]' \
	"$(jq -c .usages c.json)"
if [ -x "$MASTER" ]; then
	for p in "" client nosuch; do
		"$MASTER" info -config config.json -ca ca.pem -ca-key ca-key.pem -profile "$p" >m.json 2>/dev/null
		cfssl info -config config.json -ca ca.pem -ca-key ca-key.pem -profile "$p" >o.json 2>/dev/null
		check "info -profile '$p': bytes as cfssl master's" cmp -s m.json o.json
	done
fi
cfssl info -config config.json -ca ca.pem -profile nosuch >/dev/null 2>e.err
check_eq "info without -ca-key: exit 1" 1 "$?"
check_eq "info without -ca-key: cfssl's error" '{"code":2000,"message":"Unknown private key error"}' \
	"$(strip <e.err)"
cfssl info >/dev/null 2>e.err
check_eq "info without -remote or -config: exit 1" 1 "$?"
check_eq "info without -remote or -config: cfssl's error" \
	"Either -remote or -config must be given. Refer to cfssl info -h for usage." "$(strip <e.err)"
cfssl info -config config.json extra >/dev/null 2>e.err
check_eq "info with an argument: cfssl's error" \
	"argument is provided but not defined; please refer to the usage by flag -h." "$(strip <e.err)"

# deviation 20: cfssl panics (exit 2) after the bad url line
cfssl info -remote 127.0.0.1:18888 >o.json 2>e.err
check_eq "info -remote IP:port: exit 1, no crash" 1 "$?"
check_eq "info -remote IP:port: bad url, then 5300" \
	'[ERROR] bad url: parse "127.0.0.1:18888": first path segment in URL cannot contain colon
{"code":5300,"message":"failed to connect to remote"}' "$(strip <e.err)"
check_eq "info -remote IP:port: nothing on stdout" "" "$(cat o.json)"
cfssl info -remote http://127.0.0.1:1 >/dev/null 2>e.err
check_eq "info -remote refused: cfssl's 7400" \
	'{"code":7400,"message":"failed POST to http://127.0.0.1:1/api/v1/cfssl/info: Post \"http://127.0.0.1:1/api/v1/cfssl/info\": dial tcp 127.0.0.1:1: connect: connection refused"}' \
	"$(strip <e.err)"

# -remote against Debian's cfssl serve: what cfssl's own client prints
if [ -x /usr/bin/cfssl ]; then
	start_go_serve serve.log -config config.json
	URL=http://127.0.0.1:$PORT
	for p in "" client nosuch; do
		cfssl info -remote "$URL" -profile "$p" -label L >o.json 2>o.err
		check_eq "info -remote -profile '$p': exit 0" 0 "$?"
		/usr/bin/cfssl info -remote "$URL" -profile "$p" -label L >g.json 2>/dev/null
		check "info -remote -profile '$p': bytes as cfssl 1.2's client" cmp -s g.json o.json
	done
	check_eq "info -remote: the server's CA" "$(cat ca.pem)" "$(jq -r .certificate o.json)"
fi
finish
