#!/bin/bash
# multirootca (cfssl-serve.md §10): two roots from an INI roots file, Debian's cfssl 1.2 as
# the client (gencert with an auth_remote profile and -label), the label choosing the CA, -l
# the default, a root whose nets refuse 127.0.0.1, an unknown label, a wrong token, info by
# label, /metrics, Go's mux (404) and the 405s; the same requests to Debian's multirootca give
# the same replies. Also: the usage, start-up errors, key processes per root, nothing
# dumped on stdout, 127.0.0.1 as the default address (deviation).

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs curl jq openssl
cd "$WORK" || exit 1
ln -s "$CFSSL_BIN" bin/multirootca
GO=/usr/bin/cfssl
[ -x "$GO" ] || skip_all "Debian's cfssl (golang-cfssl) is not installed"
DEB_MR=/usr/bin/multirootca
[ -x "$DEB_MR" ] || DEB_MR=
CURL=(curl -sS --max-time 20)
KEY=0123456789ABCDEF0123456789ABCDEF

# ---- usage and start-up errors
multirootca -h >h.out 2>h.err
check_eq "-h: exit 0" 0 "$?"
check_eq "-h: Go's usage, -a defaulting to 127.0.0.1:8888" 'Usage of multirootca:
  -a string
    	listening address (default "127.0.0.1:8888")
  -l string
    	specify a default label
  -loglevel int
    	Log level (0 = DEBUG, 5 = FATAL) (default 1)
  -roots string
    	configuration file specifying root keys
  -tls-cert string
    	server certificate
  -tls-key string
    	server private key' "$(cat h.err)"
multirootca >/dev/null 2>nr.err
check_eq "no -roots: exit 1" 1 "$?"
check_eq "no -roots: cfssl's fatal line" "[FATAL] no root file specified" "$(strip_ts <nr.err)"
printf '[ok]\nthis is not a line\n' >bad.ini
multirootca -roots bad.ini 2>bad.err
check_eq "a line that is no INI: exit 1" 1 "$?"
check_eq "a line that is no INI: cfssl's error" "[FATAL] invalid config file" "$(strip_ts <bad.err)"
printf '[x]\ncertificate = a.pem\n' >nokey.ini
multirootca -roots nokey.ini 2>nokey.err
check_eq "a root without private: cfssl's error" \
	"[FATAL] config: root is missing private key spec" "$(strip_ts <nokey.err)"
multirootca -roots missing.ini 2>miss.err
check_eq "a missing roots file: Go's error" \
	"[FATAL] open missing.ini: no such file or directory" "$(strip_ts <miss.err)"

# ---- two roots
for n in one two; do
	printf '{"CN":"Root %s","key":{"algo":"ecdsa","size":256}}\n' "$n" >"$n.json"
	t cfssl gencert -initca "$n.json" 2>/dev/null | t cfssljson -bare "$n"
done
cat >ca-config.json <<JSON
{"signing": {"default": {"expiry": "1h", "usages": ["signing", "server auth"], "auth_key": "k"},
  "profiles": {"server": {"expiry": "2h", "usages": ["server auth"], "auth_key": "k"},
   "open": {"expiry": "1h", "usages": ["server auth"]}}},
 "auth_keys": {"k": {"type": "standard", "key": "$KEY"}}}
JSON
cat >roots.ini <<INI
# two roots; "two" only for 10/8 and 192.168/16
[ one ]
private = file://one-key.pem
certificate = one.pem
config = ca-config.json
nets = 127.0.0.0/8, ::1/128

[two]
private = "file://$WORK/two-key.pem"
certificate = 'two.pem'
config = ca-config.json
nets = 10.0.0.0/8,192.168.0.0/16
INI
printf '[three]\nprivate = file://one-key.pem\ncertificate = one.pem\nconfig = ca-config.json\nnets = 10.0.0.0/33\n' >badnet.ini
multirootca -roots badnet.ini 2>badnet.err
check_eq "a bad CIDR in nets: Go's error" "[FATAL] invalid CIDR address: 10.0.0.0/33" \
	"$(strip_ts <badnet.err | grep -v 'loaded signer')"

# start_mr NAME BIN ARGS...: a multirootca on a free port; sets PORT_<NAME> and PID_<NAME>.
start_mr()
{
	local name=$1 bin=$2 port pid
	shift 2
	for _ in 1 2 3 4 5; do
		port=$(free_port)
		"$bin" -roots "${ROOTS:-roots.ini}" -a "127.0.0.1:$port" "$@" >"$name.out" 2>"$name.err" &
		pid=$!
		lib_track_pid "$pid"
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
				eval "PORT_$name=$port PID_$name=$pid"
				return 0
			fi
			sleep 0.1
		done
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	echo "multirootca $name did not start"
	cat "$name.err"
	exit 1
}
start_mr c multirootca -l one
check_contains "start: both roots loaded" "$(cat c.err)" "[INFO] loaded signer one"
check_contains "start: both roots loaded" "$(cat c.err)" "[INFO] loaded signer two"
# shellcheck disable=SC2154
# each root: a key process per CPU, at most 4
kpr=$(getconf _NPROCESSORS_ONLN)
[ "$kpr" -gt 4 ] && kpr=4
check_eq "start: a key process per CPU for each root" $((2 * kpr)) "$(pgrep -c -P "$PID_c")"

client_config()
{
	cat >"$1" <<JSON
{"signing": {"default": {"remote": "ca"},
  "profiles": {"server": {"auth_remote": {"remote": "ca", "auth_key": "k"}}}},
 "auth_keys": {"k": {"type": "standard", "key": "$3"}},
 "remotes": {"ca": "http://127.0.0.1:$2"}}
JSON
}
printf '{"CN":"leaf.example","hosts":["leaf.example"],"key":{"algo":"ecdsa","size":256}}\n' >leaf.json

# sign_as WHICH LABEL [KEY]: Debian's gencert through multirootca WHICH; the certificate in
# WHICH-LABEL.pem, the client's last stderr line in WHICH-LABEL.err; returns its exit status.
sign_as()
{
	local which=$1 label=$2 key=${3:-$KEY} port
	port=$(eval echo "\$PORT_$which")
	client_config "client-$which.json" "$port" "$key"
	"$GO" gencert -config "client-$which.json" -profile server -label "$label" leaf.json \
		>"$which-$label.json" 2>"$which-$label.log"
	local rc=$?
	jq -r '.cert // empty' "$which-$label.json" >"$which-$label.pem" 2>/dev/null
	tail -n1 "$which-$label.log" >"$which-$label.err"
	return $rc
}

sign_as c one
check_eq "label one: Debian's client gets a certificate" 0 "$?"
check "label one: signed by root one" openssl verify -no-CApath -no-CAstore -CAfile one.pem c-one.pem
check_contains "label one: the server profile's 2h expiry" \
	"$(openssl x509 -in c-one.pem -noout -ext extendedKeyUsage 2>&1)" "TLS Web Server Authentication"
sign_as c ""
check_eq "no label: the default label (-l one)" 0 "$?"
check "no label: signed by root one" openssl verify -no-CApath -no-CAstore -CAfile one.pem c-.pem
sign_as c two
check_eq "label two from 127.0.0.1 (not in its nets): refused" 1 "$?"
check_contains "label two from 127.0.0.1: 403's envelope, code 1" "$(cat c-two.err)" \
	'\"code\":1,\"message\":\"not authorised\"'
sign_as c three
check_eq "an unknown label: refused" 1 "$?"
check_contains "an unknown label: bad request" "$(cat c-three.err)" '\"message\":\"bad request\"'
sign_as c one ffffffffffffffffffffffffffffffff
check_eq "a wrong auth key: refused" 1 "$?"
check_contains "a wrong auth key: invalid token" "$(cat c-one.err)" '\"message\":\"invalid token\"'
check_contains "log: the refusal" "$(cat c.err)" \
	"[ERROR] [HTTP 403] 1 - not authorised (because IP is not whitelisted)"
check_contains "log: each signature" "$(cat c.err)" "[INFO] signature: requester=127.0.0.1:"
check_eq "nothing dumped on stdout (cfssl prints refused requests raw)" "" "$(cat c.out)"

# one ARGS...: a request's body (its newline dropped) and status on one line
one()
{
	local b
	b=$("${CURL[@]}" -w ' %{http_code}' "$@")
	echo "${b//$'\n'/}"
}

# requests WHICH: the same raw requests, status and body of each into WHICH.replies
requests()
{
	local port
	port=$(eval echo "\$PORT_$1")
	local u=http://127.0.0.1:$port
	{
		one -X GET "$u/api/v1/cfssl/authsign"
		one -d 'x' "$u/api/v1/cfssl/authsign"
		one -d '{}' "$u/api/v1/cfssl/authsign"
		one -d '{"request":"e30="}' "$u/api/v1/cfssl/authsign"
		one -d '{"label":"two"}' "$u/api/v1/cfssl/info"
		one -d '{}' "$u/api/v1/cfssl/info"
		one -d '{"label":"nope"}' "$u/api/v1/cfssl/info"
		one -X GET "$u/api/v1/cfssl/info"
		one -d '{}' "$u/api/v1/cfssl/sign"
	} >"$1.replies"
}
requests c
check_contains "GET authsign: 405, code 1" "$(sed -n 1p c.replies)" \
	'{"code":1,"message":"only POST is permitted"}],"messages":[]} 405'
check_contains "authsign, no request inside: 400 with Go's error" "$(sed -n 3p c.replies)" \
	'"message":"unexpected end of JSON input"}],"messages":[]} 400'
check_contains "authsign, unauthenticated request for the default label: 400 invalid token" \
	"$(sed -n 4p c.replies)" '"message":"invalid token"'
check_eq "info label two: root two's certificate" "$(cat two.pem)" \
	"$(sed -n 5p c.replies | sed 's/ [0-9]*$//' | jq -r .result.certificate)"
check_eq "info without label: the default root's" "$(cat one.pem)" \
	"$(sed -n 6p c.replies | sed 's/ [0-9]*$//' | jq -r .result.certificate)"
check_contains "info, unknown label: 400 bad label" "$(sed -n 7p c.replies)" \
	'{"code":400,"message":"bad label"}],"messages":[]} 400'
check_contains "GET info: 405" "$(sed -n 8p c.replies)" 'Method is not allowed:\"GET\"'
check_eq "serve's /sign is not served" "404 page not found 404" "$(sed -n 9p c.replies)"

# shellcheck disable=SC2154
"${CURL[@]}" -D metrics.h "http://127.0.0.1:$PORT_c/metrics" >metrics.txt
check_contains "/metrics: Prometheus text" "$(cat metrics.h)" "text/plain; version=0.0.4"
check_contains "/metrics: signatures by root" "$(cat metrics.txt)" \
	'requests_total{operation="sign",signer="one"} 4'
check_contains "/metrics: refusals counted" "$(cat metrics.txt)" \
	'bad_inputs_total{operation="sign"} 7'
check_contains "/metrics: the family's type" "$(cat metrics.txt)" "# TYPE requests_total counter"
check_not_contains "/metrics: no signer two" "$(cat metrics.txt)" 'signer="two"'

# ---- side by side with Debian's multirootca on the same roots
if [ -n "$DEB_MR" ]; then
	start_mr d "$DEB_MR" -l one
	for l in one two three; do
		sign_as d "$l"
		sign_as c "$l"
		check_eq "Debian's multirootca, label '$l': the same client result" \
			"$(sed 's/^[0-9/: ]*\[/[/' "d-$l.err")" \
			"$(sed 's/^[0-9/: ]*\[/[/' "c-$l.err")"
	done
	check "Debian's multirootca, label one: signed by root one too" \
		openssl verify -no-CApath -no-CAstore -CAfile one.pem d-one.pem
	requests d
	requests c
	check_eq "Debian's multirootca: the same statuses and bodies (8 requests)" \
		"$(head -n8 d.replies)" "$(head -n8 c.replies)"
	check_contains "Debian's multirootca dumps the refused requests on stdout" \
		"$(cat d.out)" "POST /api/v1/cfssl/authsign HTTP/1.1"
fi

# ---- TLS (-tls-cert/-tls-key): Debian's client over https with -tls-remote-ca
printf '{"CN":"127.0.0.1","hosts":["127.0.0.1"],"key":{"algo":"ecdsa","size":256}}\n' >srv.json
t cfssl gencert -ca one.pem -ca-key one-key.pem srv.json 2>/dev/null | t cfssljson -bare srv
start_mr tls multirootca -l one -tls-cert srv.pem -tls-key srv-key.pem
check_contains "TLS: cfssl's start-up line" "$(cat tls.err)" "[INFO] Now listening on https:// 127.0.0.1:"
# shellcheck disable=SC2154
check_eq "TLS: info over https" "$(cat one.pem)" \
	"$("${CURL[@]}" --cacert one.pem -d '{}' "https://127.0.0.1:$PORT_tls/api/v1/cfssl/info" |
		jq -r .result.certificate)"
client_config tls.json "$PORT_tls" "$KEY"
sed -i 's#"http://#"https://#' tls.json
"$GO" gencert -tls-remote-ca one.pem -config tls.json -profile server -label one leaf.json \
	2>/dev/null | jq -r .cert >tls-leaf.pem
check "TLS: Debian's client signs over https" \
	openssl verify -no-CApath -no-CAstore -CAfile one.pem tls-leaf.pem

# ---- DER keys: cfssl's parsePrivateKeySpec reads a file:// key as PEM, else as DER (PKCS#8,
# PKCS#1, SEC1); the DER parser's error when it is neither. rofile:// (Red October) is checked
# as cfssl checks it, then refused.
openssl pkcs8 -topk8 -nocrypt -in one-key.pem -outform DER -out one-key.p8.der
openssl ec -in two-key.pem -outform DER -out two-key.sec1.der 2>/dev/null
der_root() # LABEL KEY CERT
{
	printf '[%s]\nprivate = file://%s\ncertificate = %s\nconfig = ca-config.json\n' "$@"
}
{
	der_root one one-key.p8.der one.pem
	der_root two two-key.sec1.der two.pem
} >der.ini
ROOTS=der.ini start_mr der multirootca -l one
for l in one two; do
	sign_as der "$l"
	check_eq "DER key ($l): signed" 0 "$?"
	check "DER key ($l): by its root" openssl verify -no-CApath -no-CAstore -CAfile "$l.pem" \
		"der-$l.pem"
done
kill "$PID_der" && wait "$PID_der" 2>/dev/null
if [ -n "$DEB_MR" ]; then
	ROOTS=der.ini start_mr dder "$DEB_MR" -l one
	sign_as dder two
	check "DER key: Debian's multirootca signs with it too" \
		openssl verify -no-CApath -no-CAstore -CAfile two.pem dder-two.pem
	kill "$PID_dder" && wait "$PID_dder" 2>/dev/null
fi
printf 'neither PEM nor DER\n' >junk.key
der_root junk junk.key one.pem >junk.ini
printf '[ro]\nprivate = rofile://one-key.pem\ncertificate = one.pem\nconfig = ca-config.json\n' \
	>ro.ini
printf 'ro_server = 127.0.0.1:1\nro_user = u\n' >>ro.ini
cp ro.ini ro-all.ini
printf 'ro_pass = p\n' >>ro-all.ini
for ini in junk ro; do
	multirootca -roots "$ini.ini" -a 127.0.0.1:0 >/dev/null 2>"$ini.err"
	check_eq "$ini key: exit 1" 1 "$?"
done
check_eq "a key that is neither PEM nor DER: the DER parser's error" \
	'[FATAL] {"code":2003,"message":"Failed to parse private key"}' "$(strip_ts <junk.err)"
check_eq "rofile without ro_pass: cfssl's lines" \
	"[WARNING] Red October support is currently experimental
[FATAL] config: no RedOctober passphrase available" "$(strip_ts <ro.err)"
if [ -n "$DEB_MR" ]; then
	for ini in junk ro; do
		"$DEB_MR" -roots "$ini.ini" -a 127.0.0.1:0 >/dev/null 2>"deb-$ini.err"
		check_eq "$ini key: Debian's multirootca says the same" \
			"$(strip_ts <"deb-$ini.err")" "$(strip_ts <"$ini.err")"
	done
fi
multirootca -roots ro-all.ini -a 127.0.0.1:0 >/dev/null 2>ro-all.err
check_eq "rofile with its settings: exit 1" 1 "$?"
check_contains "rofile with its settings: refused, Red October is not supported" \
	"$(strip_ts <ro-all.err)" \
	"[FATAL] config: Red October keys (rofile://) are not supported by cfssl-c"

# ---- a root with a dbconfig: what it issues is recorded with its label
if command -v sqlite3 >/dev/null; then
	t bash "$SRCDIR/db/apply.sh" sqlite3 certs.db >/dev/null
	printf '{"driver":"sqlite3","data_source":"%s/certs.db"}\n' "$WORK" >db.json
	sed -i 's/^config = ca-config.json$/config = ca-config.json\ndbconfig = db.json/' roots.ini
	start_mr s multirootca
	sign_as s one
	check_eq "dbconfig: signed" 0 "$?"
	serial=$(openssl x509 -in s-one.pem -noout -serial | sed 's/^serial=//')
	check_eq "dbconfig: the certificate recorded under its root's label" "one" \
		"$(sqlite3 -batch certs.db "SELECT ca_label FROM certificates")"
	check_contains "dbconfig: the certificate's serial" \
		"$(sqlite3 -batch certs.db "SELECT serial_number FROM certificates")" \
		"$(echo "ibase=16; $serial" | BC_LINE_LENGTH=0 bc)"
	printf '{"driver":"nosuch","data_source":"x"}\n' >db.json
	multirootca -roots roots.ini -a 127.0.0.1:0 >/dev/null 2>dbbad.err
	check_eq "dbconfig with an unknown driver: exit 1" 1 "$?"
	check_contains "dbconfig with an unknown driver: refused at start" "$(cat dbbad.err)" "[FATAL]"
fi

# ---- a root on PostgreSQL whose password is in ~/.pgpass: libpq reads it on each connection,
# from the confined server
if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && start_postgres; then
	grep -q '^dbconfig' roots.ini ||
		sed -i 's/^config = ca-config.json$/config = ca-config.json\ndbconfig = db.json/' roots.ini
	printf '{"driver":"postgres","data_source":"postgres://postgres@127.0.0.1:%s/certdb?sslmode=disable"}\n' \
		"$PG_PORT" >db.json
	mkdir -p home nohome
	printf '127.0.0.1:%s:certdb:postgres:%s\n' "$PG_PORT" "$PG_PASSWORD" >home/.pgpass
	chmod 600 home/.pgpass
	HOME=$WORK/home start_mr p multirootca
	sign_as p one
	check_eq "dbconfig on PostgreSQL, password in ~/.pgpass: signed" 0 "$?"
	check_eq "... and recorded under its root's label" "one" \
		"$(pg_sql certdb -c "SELECT encode(ca_label, 'escape') FROM certificates")"
	kill "$PID_p"
	HOME=$WORK/nohome start_mr q multirootca
	sign_as q one
	check_eq "without ~/.pgpass: not signed" 1 "$?"
	check_eq "... nothing recorded" 1 "$(pg_sql certdb -c "SELECT count(*) FROM certificates")"
	kill "$PID_q"
	stop_postgres
else
	echo "note: PostgreSQL is not installed or did not start: its case skipped"
fi

# ---- stop
kill -TERM "$PID_c"
wait "$PID_c"
check_eq "SIGTERM: exit 0" 0 "$?"
check_eq "SIGTERM: the key processes are gone" 0 "$(pgrep -c -P "$PID_c")"
finish
