#!/bin/bash
# End-to-end test of scripts/gen-kube-ca.sh, the guide's certificate-maintenance script, on the
# cfssl/cfssljson under test: the default set, idempotence (byte for byte), what each removal
# re-creates, provided keys, corrupt or mismatching files that stop the run untouched, prepare
# and sign, `check`, and the generated set serving etcd's mutual TLS on 127.0.0.1.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs openssl
GEN=$SRCDIR/scripts/gen-kube-ca.sh
[ -x "$GEN" ] || skip_all "$GEN is missing or not executable"

export NODE_NAMES="node-1 node-2"
export NODE_IPS="127.0.0.2,127.0.0.3"
export NODE_EXTERNAL_IPS=""
export MASTER_NODES_IPS="10.240.0.11 10.240.0.12"
export KUBERNETES_PUBLIC_ADDRESS=203.0.113.5
unset SERVICE_IP CLUSTER_DOMAIN CA_EXPIRY CERT_EXPIRY PUBLIC_IP CFSSL CFSSLJSON

LEAVES="admin kube-controller-manager kube-scheduler kubernetes service-account kube-proxy node-1
node-2"
ALL="ca $LEAVES"

# gen DIR ARGS...: run the script in DIR; stdout in $OUT, stderr in $ERR, status in $RC.
gen()
{
	local dir=$1
	shift
	OUT=$(cd "$dir" && t "$GEN" "$@" 2>"$WORK/err")
	RC=$?
	ERR=$(cat "$WORK/err")
}

# snap DIR: every entry (hidden ones too) with its type, mode and content hash.
snap()
{
	(
		cd "$1" || exit 1
		find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r f; do
			if [ -f "$f" ]; then
				printf '%s %s %s\n' "$f" "$(stat -c %a "$f")" "$(sha256sum <"$f" | cut -c1-64)"
			else
				printf '%s %s dir\n' "$f" "$(stat -c %a "$f")"
			fi
		done
	)
}

# changed BEFORE AFTER: the names whose line differs or is new/gone, space-separated, sorted.
changed()
{
	diff <(printf '%s\n' "$1") <(printf '%s\n' "$2") | sed -n 's/^[<>] \.\/\([^ ]*\) .*/\1/p' |
		LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//'
}

# fresh NAME: a copy of the base set in $WORK/NAME (modes kept); prints the path.
fresh()
{
	rm -rf "${WORK:?}/$1"
	cp -Rp "$WORK/base" "$WORK/$1"
	printf '%s\n' "$WORK/$1"
}

pub()
{
	case $1 in
	*.key) openssl pkey -in "$1" -pubout 2>/dev/null ;;
	*.csr) openssl req -in "$1" -noout -pubkey 2>/dev/null ;;
	*) openssl x509 -in "$1" -noout -pubkey 2>/dev/null ;;
	esac
}

subject()
{
	openssl x509 -in "$1" -noout -subject -nameopt RFC2253 2>/dev/null | sed 's/^subject=//'
}

sans()
{
	openssl x509 -in "$1" -noout -ext subjectAltName 2>/dev/null | sed -n '2s/^ *//p'
}

# row_tail NAME: "ISSUED KEY STATUS" of NAME's row in the table of check ($OUT).
row_tail()
{
	printf '%s\n' "$OUT" | awk -v n="$1" '$1 == n { print $(NF - 2), $(NF - 1), $NF }'
}

serial()
{
	openssl x509 -in "$1" -noout -serial 2>/dev/null
}

# ---- help and usage -----------------------------------------------------------------------

mkdir "$WORK/empty"
gen "$WORK/empty" --help
check_eq "--help: exit status 0" 0 "$RC"
for v in NODE_NAMES NODE_IPS MASTER_NODES_IPS KUBERNETES_PUBLIC_ADDRESS SERVICE_IP 10.32.0.1 \
	'default ' 'prepare NAME.csr' 'sign NAME.crt' check --days kubernetes.default.svc.CLUSTER_DOMAIN
do
	check_contains "--help mentions $v" "$OUT" "$v"
done
gen "$WORK/empty" frobnicate
check_eq "unknown command: exit status 2" 2 "$RC"
check_contains "unknown command: message" "$ERR" "unknown command: frobnicate"
gen "$WORK/empty" prepare admin.txt
check_eq "prepare of a non-.csr name: exit status 2" 2 "$RC"
gen "$WORK/empty" check --days x
check_eq "--days needs a number: exit status 2" 2 "$RC"
check_eq "usage errors wrote nothing" "" "$(ls -A "$WORK/empty")"

# ---- default in an empty folder -------------------------------------------------------------

mkdir "$WORK/base"
gen "$WORK/base" default
check_eq "default: exit status 0" 0 "$RC"
[ "$RC" -eq 0 ] || printf '%s\n' "$ERR" | sed 's/^/     | /'
B=$WORK/base
missing=
for n in $ALL; do
	for e in conf key crt; do
		[ -s "$B/$n.$e" ] || missing="$missing $n.$e"
	done
	[ "$n" = ca ] || [ -s "$B/$n.csr" ] || missing="$missing $n.csr"
done
check_eq "default: every NAME.conf/.key/.csr/.crt and ca.conf/.key/.crt made" "" "$missing"
names_re=$(printf '%s' "$ALL" | tr ' \n' '||')
extra=$(cd "$B" && find . -mindepth 1 -printf '%P\n' | grep -vxE "($names_re)\.(conf|key|csr|crt)")
check_eq "default: no other file (no temporary left behind)" "" "$extra"
for n in $ALL; do
	check_file_mode "default: $n.key is 0600" 600 "$B/$n.key"
done
check_file_mode "default: admin.crt is 0644" 644 "$B/admin.crt"
check_contains "default: stdout names the files made" "$OUT" "made admin.crt"

check_eq "ca.crt subject" "CN=Kubernetes,OU=CA,O=Kubernetes,L=Riga,C=LV" "$(subject "$B/ca.crt")"
check_eq "admin.crt subject" "CN=admin,OU=Containerum,O=system:masters,L=Riga,C=LV" \
	"$(subject "$B/admin.crt")"
check_eq "kube-controller-manager.crt subject" \
	"CN=system:kube-controller-manager,OU=Containerum,O=system:kube-controller-manager,L=Riga,C=LV" \
	"$(subject "$B/kube-controller-manager.crt")"
check_eq "kube-scheduler.crt subject" \
	"CN=system:kube-scheduler,OU=Containerum,O=system:kube-scheduler,L=Riga,C=LV" \
	"$(subject "$B/kube-scheduler.crt")"
check_eq "kubernetes.crt subject" "CN=kubernetes,OU=Containerum,O=Kubernetes,L=Riga,C=LV" \
	"$(subject "$B/kubernetes.crt")"
check_eq "service-account.crt subject" \
	"CN=service-accounts,OU=Containerum,O=Kubernetes,L=Riga,C=LV" \
	"$(subject "$B/service-account.crt")"
check_eq "kube-proxy.crt subject" \
	"CN=system:kube-proxy,OU=Containerum,O=system:node-proxier,L=Riga,C=LV" \
	"$(subject "$B/kube-proxy.crt")"
check_eq "node-1.crt subject" "CN=system:node:node-1,OU=Containerum,O=system:nodes,L=Riga,C=LV" \
	"$(subject "$B/node-1.crt")"
check_eq "node-2.crt subject" "CN=system:node:node-2,OU=Containerum,O=system:nodes,L=Riga,C=LV" \
	"$(subject "$B/node-2.crt")"

# Go's x509 writes DNS names first, then IP addresses, each in the order of the request.
check_eq "kubernetes.crt SANs: the guide's plus kubernetes{,.default.svc{,.cluster.local}}" \
	"DNS:kubernetes.default, DNS:kubernetes, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP Address:10.32.0.1, IP Address:10.240.0.11, IP Address:10.240.0.12, IP Address:203.0.113.5, IP Address:127.0.0.1" \
	"$(sans "$B/kubernetes.crt")"
check_eq "node-1.crt SANs: node name and node IP" "DNS:node-1, IP Address:127.0.0.2" \
	"$(sans "$B/node-1.crt")"
check_eq "node-2.crt SANs: node name and node IP" "DNS:node-2, IP Address:127.0.0.3" \
	"$(sans "$B/node-2.crt")"
check_eq "admin.crt has no SAN" "" "$(sans "$B/admin.crt")"
check_contains "kubernetes.conf carries the SANs in \"hosts\"" "$(cat "$B/kubernetes.conf")" \
	'"hosts": ['
if command -v jq >/dev/null 2>&1; then
	for n in $ALL; do
		check "$n.conf is a JSON object with CN, key and names" \
			jq -e 'type == "object" and (.CN | type) == "string" and .key.algo == "rsa" and
				(.names | length) == 1' "$B/$n.conf"
	done
	check_eq "ca.conf: ca.expiry is 10 years" 87600h "$(jq -r .ca.expiry "$B/ca.conf")"
fi

for n in $LEAVES; do
	check "$n.crt is issued by ca.crt" openssl verify -CAfile "$B/ca.crt" "$B/$n.crt"
	check_eq "$n.key matches $n.crt" "$(pub "$B/$n.key")" "$(pub "$B/$n.crt")"
	check_eq "$n.csr holds the key of $n.key" "$(pub "$B/$n.key")" "$(pub "$B/$n.csr")"
done
check_eq "ca.key matches ca.crt" "$(pub "$B/ca.key")" "$(pub "$B/ca.crt")"
check_contains "ca.crt is a CA" "$(openssl x509 -in "$B/ca.crt" -noout -ext basicConstraints)" \
	"CA:TRUE"
check_contains "admin.crt: client and server auth" \
	"$(openssl x509 -in "$B/admin.crt" -noout -ext extendedKeyUsage)" \
	"TLS Web Server Authentication, TLS Web Client Authentication"
check "ca.crt is valid for more than 3640 days" openssl x509 -in "$B/ca.crt" -noout \
	-checkend $((3640 * 86400))
check_fails "ca.crt is not valid for 3660 days" openssl x509 -in "$B/ca.crt" -noout \
	-checkend $((3660 * 86400))
check "admin.crt is valid for more than 364 days" openssl x509 -in "$B/admin.crt" -noout \
	-checkend $((364 * 86400))
check_fails "admin.crt is not valid for 366 days" openssl x509 -in "$B/admin.crt" -noout \
	-checkend $((366 * 86400))

if [ "$RC" -ne 0 ] || [ -n "$missing" ]; then
	echo "the default set could not be made; the remaining cases need it"
	finish
fi
BASE_SNAP=$(snap "$B")

# ---- idempotence ----------------------------------------------------------------------------

d=$(fresh twice)
gen "$d" default
check_eq "second run: exit status 0" 0 "$RC"
check_eq "second run: nothing made" "" "$OUT"
check_eq "second run: nothing changed, byte for byte (and no mode)" "" \
	"$(changed "$BASE_SNAP" "$(snap "$d")")"
gen "$d" default
check_eq "third run: nothing changed" "" "$(changed "$BASE_SNAP" "$(snap "$d")")"

# ---- removals re-create exactly the files that depend on them --------------------------------

# removal CASE EXPECTED-CHANGED FILE...: remove FILEs from a copy of the base set, run default.
removal()
{
	local c=$1 want=$2 d f
	shift 2
	d=$(fresh "$c")
	for f in "$@"; do
		rm -f "$d/$f"
	done
	gen "$d" default
	check_eq "remove $*: exit status 0" 0 "$RC"
	[ "$RC" -eq 0 ] || printf '%s\n' "$ERR" | sed 's/^/     | /'
	check_eq "remove $*: exactly ${want:-the same bytes} re-created" "$want" \
		"$(changed "$BASE_SNAP" "$(snap "$d")")"
	for f in "$@"; do
		check "remove $*: $f is back" test -s "$d/$f"
	done
	REM_DIR=$d
}

removal rm-crt admin.crt admin.crt
d=$REM_DIR
check_eq "re-issued admin.crt holds admin.key's key" "$(pub "$B/admin.key")" "$(pub "$d/admin.crt")"
check "re-issued admin.crt is issued by ca.crt" openssl verify -CAfile "$d/ca.crt" "$d/admin.crt"
check_fails "re-issued admin.crt is a new certificate (new serial)" \
	test "$(serial "$B/admin.crt")" = "$(serial "$d/admin.crt")"

# The restored default request is byte for byte the removed one, so nothing differs.
removal rm-conf "" admin.conf

removal rm-kubelet node-2.crt node-2.crt
check_eq "re-issued node-2.crt keeps its SANs" "DNS:node-2, IP Address:127.0.0.3" \
	"$(sans "$REM_DIR/node-2.crt")"

removal rm-cacrt ca.crt ca.crt
d=$REM_DIR
check_eq "re-issued ca.crt holds ca.key's key" "$(pub "$B/ca.key")" "$(pub "$d/ca.crt")"
check "the old admin.crt is issued by the re-issued ca.crt" \
	openssl verify -CAfile "$d/ca.crt" "$d/admin.crt"

removal rm-keyset "kube-proxy.crt kube-proxy.csr kube-proxy.key" \
	kube-proxy.key kube-proxy.csr kube-proxy.crt
d=$REM_DIR
check_fails "kube-proxy.key is a new key" test "$(pub "$B/kube-proxy.key")" = "$(pub "$d/kube-proxy.key")"
check_eq "the new kube-proxy.crt holds the new key" "$(pub "$d/kube-proxy.key")" \
	"$(pub "$d/kube-proxy.crt")"

# An empty file counts as missing.
d=$(fresh empty-crt)
: >"$d/admin.crt"
gen "$d" default
check_eq "empty admin.crt: exit status 0" 0 "$RC"
check_eq "empty admin.crt: only admin.crt re-made" admin.crt "$(changed "$BASE_SNAP" "$(snap "$d")")"
check "empty admin.crt: now a certificate" openssl x509 -in "$d/admin.crt" -noout

d=$(fresh empty-key)
: >"$d/kube-scheduler.key"
chmod 644 "$d/kube-scheduler.key"
rm -f "$d/kube-scheduler.csr" "$d/kube-scheduler.crt"
gen "$d" default
check_eq "empty kube-scheduler.key: exit status 0" 0 "$RC"
check_file_mode "empty kube-scheduler.key (0644) is replaced by a 0600 key" 600 \
	"$d/kube-scheduler.key"

# Edited request: remove .crt and .csr after editing .conf; the key stays.
d=$(fresh edited)
sed -i 's/"CN": "admin"/"CN": "admin-2"/; s/"O": "system:masters"/"O": "ops"/' "$d/admin.conf"
SNAP_EDITED=$(snap "$d")
rm -f "$d/admin.crt" "$d/admin.csr"
gen "$d" default
check_eq "edited admin.conf: exit status 0" 0 "$RC"
[ "$RC" -eq 0 ] || printf '%s\n' "$ERR" | sed 's/^/     | /'
check_eq "edited admin.conf: exactly admin.csr and admin.crt re-made" "admin.crt admin.csr" \
	"$(changed "$SNAP_EDITED" "$(snap "$d")")"
check_eq "edited admin.conf: the new certificate has the new fields" \
	"CN=admin-2,OU=Containerum,O=ops,L=Riga,C=LV" "$(subject "$d/admin.crt")"
check_eq "edited admin.conf: the same key" "$(pub "$B/admin.key")" "$(pub "$d/admin.crt")"

# Edited hosts of kubernetes.conf become the SANs.
d=$(fresh edited-hosts)
sed -i 's/"127.0.0.1",/"127.0.0.1",\n    "api.example.test",/' "$d/kubernetes.conf"
rm -f "$d/kubernetes.crt" "$d/kubernetes.csr"
gen "$d" default
check_eq "edited hosts: exit status 0" 0 "$RC"
check_contains "edited hosts: the new SAN is in kubernetes.crt" "$(sans "$d/kubernetes.crt")" \
	"DNS:api.example.test"

# ---- keys the user provides -----------------------------------------------------------------

d=$WORK/provided
mkdir "$d"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/ca.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/admin.key" 2>/dev/null
cp "$d/ca.key" "$WORK/provided-ca.key"
cp "$d/admin.key" "$WORK/provided-admin.key"
gen "$d" default
check_eq "provided ca.key and admin.key: exit status 0" 0 "$RC"
[ "$RC" -eq 0 ] || printf '%s\n' "$ERR" | sed 's/^/     | /'
check "provided ca.key is unchanged" cmp "$WORK/provided-ca.key" "$d/ca.key"
check "provided admin.key is unchanged" cmp "$WORK/provided-admin.key" "$d/admin.key"
check_eq "ca.crt is made for the provided ca.key" "$(pub "$WORK/provided-ca.key")" \
	"$(pub "$d/ca.crt")"
check_eq "admin.crt is made for the provided admin.key" "$(pub "$WORK/provided-admin.key")" \
	"$(pub "$d/admin.crt")"
check "admin.crt is issued by the CA of the provided key" \
	openssl verify -CAfile "$d/ca.crt" "$d/admin.crt"
check "the other certificates are made too" test -s "$d/node-2.crt"

# ---- corrupt or mismatching files stop the run untouched ------------------------------------

# stops CASE NEEDLE: run default in $d (prepared by the caller); it must fail, name NEEDLE, and
# change nothing (kube-proxy.crt was removed so that the run had something to do).
stops()
{
	local c=$1 needle=$2 before
	rm -f "$d/kube-proxy.crt"
	before=$(snap "$d")
	gen "$d" default
	check_eq "$c: exit status 1" 1 "$RC"
	check_contains "$c: the error names $needle" "$ERR" "$needle"
	check_eq "$c: nothing changed" "" "$(changed "$before" "$(snap "$d")")"
}

d=$(fresh bad-crt)
printf 'not a certificate\n' >"$d/admin.crt"
stops "corrupt admin.crt" admin.crt
d=$(fresh bad-key)
printf -- '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' >"$d/admin.key"
stops "corrupt admin.key" admin.key
d=$(fresh bad-csr)
head -c 300 "$B/admin.csr" >"$d/admin.csr"
stops "truncated admin.csr" admin.csr
d=$(fresh bad-cacrt)
printf 'garbage' >"$d/ca.crt"
stops "corrupt ca.crt" ca.crt
d=$(fresh bad-cakey)
printf 'garbage' >"$d/ca.key"
stops "corrupt ca.key" ca.key
d=$(fresh bad-conf)
printf 'CN=admin\n' >"$d/admin.conf"
stops "corrupt admin.conf" admin.conf
d=$(fresh mismatch-key)
cp -p "$B/kube-scheduler.key" "$d/admin.key"
stops "admin.key of another certificate" admin
d=$(fresh mismatch-ca)
cp -p "$B/admin.key" "$d/ca.key"
stops "ca.key that does not match ca.crt" ca.crt
d=$(fresh lost-ca)
rm -f "$d/ca.key" "$d/ca.crt"
stops "ca.key and ca.crt gone while certificates exist" "ca.key"

# A JSON error that only cfssl sees: the run stops at that name, naming the file.
d=$(fresh bad-json)
printf '{"CN": "admin", }\n' >"$d/admin.conf"
rm -f "$d/admin.crt" "$d/admin.csr"
gen "$d" default
check_eq "invalid JSON in a used admin.conf: exit status 1" 1 "$RC"
check_contains "invalid JSON in a used admin.conf: the error names it" "$ERR" "admin.conf"
check_eq "invalid JSON in a used admin.conf: admin.csr and admin.crt not made" "" \
	"$(cd "$d" && ls admin.csr admin.crt 2>/dev/null)"
check_eq "invalid JSON in a used admin.conf: no temporary left behind" "" \
	"$(cd "$d" && find . -mindepth 1 -name '.*' -printf '%P\n')"

# A second, foreign CA: its own set, made by the script in another folder.
F=$WORK/foreign
mkdir "$F"
gen "$F" sign admin.crt
check_eq "foreign CA and admin certificate made with sign" 0 "$RC"
check_eq "sign in an empty folder: the CA and admin" \
	"admin.conf admin.crt admin.csr admin.key ca.conf ca.crt ca.key" \
	"$(cd "$F" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
d=$(fresh foreign-crt)
cp -p "$F/admin.crt" "$F/admin.csr" "$F/admin.key" "$d/"
stops "admin.crt from another CA" "admin.crt: not issued by ca.crt"

# ---- prepare and sign -----------------------------------------------------------------------

d=$(fresh extra)
gen "$d" prepare etcd-peer.csr
check_eq "prepare etcd-peer.csr: exit status 0" 0 "$RC"
check_eq "prepare: exactly conf, key and csr made" "etcd-peer.conf etcd-peer.csr etcd-peer.key" \
	"$(changed "$BASE_SNAP" "$(snap "$d")")"
check "prepare: etcd-peer.csr is a valid request" openssl req -in "$d/etcd-peer.csr" -noout -verify
check_file_mode "prepare: etcd-peer.key is 0600" 600 "$d/etcd-peer.key"
before=$(snap "$d")
gen "$d" sign etcd-peer.crt
check_eq "sign etcd-peer.crt: exit status 0" 0 "$RC"
check_eq "sign: exactly etcd-peer.crt made" etcd-peer.crt "$(changed "$before" "$(snap "$d")")"
check "sign: etcd-peer.crt is issued by ca.crt" openssl verify -CAfile "$d/ca.crt" "$d/etcd-peer.crt"
check_eq "sign: etcd-peer.crt holds etcd-peer.key's key" "$(pub "$d/etcd-peer.key")" \
	"$(pub "$d/etcd-peer.crt")"
check_contains "sign: the default extra subject has CN=NAME" "$(subject "$d/etcd-peer.crt")" \
	"CN=etcd-peer,"
before=$(snap "$d")
gen "$d" sign etcd-peer.crt
check_eq "sign again: exit status 0, nothing changed" "0 " "$RC $(changed "$before" "$(snap "$d")")"

# A request made elsewhere (no key here) is signed as it is.
openssl req -new -newkey rsa:2048 -nodes -keyout "$WORK/outside.key" -subj "/CN=outside" \
	-out "$d/outside.csr" 2>/dev/null
gen "$d" sign outside.crt
check_eq "sign a foreign-made outside.csr: exit status 0" 0 "$RC"
check_eq "sign outside.crt: the certificate holds the request's key" \
	"$(pub "$WORK/outside.key")" "$(pub "$d/outside.crt")"
check "sign outside.crt: no key is invented" test ! -e "$d/outside.key"

# ---- check ----------------------------------------------------------------------------------

gen "$B" check
check_eq "check on the default set: exit status 0" 0 "$RC"
for n in $ALL; do
	check_eq "check: $n.crt: issued by ca.crt, key matches, ok" "yes yes ok" "$(row_tail "$n.crt")"
done
check_contains "check: header" "$OUT" \
	"SUBJECT"
check_contains "check: kubernetes SANs shown" "$(printf '%s\n' "$OUT" | grep '^kubernetes\.crt ')" \
	"DNS:kubernetes.default, DNS:kubernetes, "
check_eq "check: snapshot unchanged" "" "$(changed "$BASE_SNAP" "$(snap "$B")")"
gen "$B" check --days 400
check_eq "check --days 400: exit status 1 (1-year certificates)" 1 "$RC"
check_contains "check --days 400: admin.crt expires soon" \
	"$(printf '%s\n' "$OUT" | grep '^admin\.crt ')" "EXPIRES-SOON"
check_eq "check --days 400: ca.crt (10 years) does not" "yes yes ok" "$(row_tail ca.crt)"
days_left=$(printf '%s\n' "$OUT" | awk '$1 == "admin.crt" { print $(NF - 3) }')
check "check: admin.crt has 364 or 365 days left ($days_left)" \
	test "$days_left" = 364 -o "$days_left" = 365

d=$(fresh check-foreign)
cp -p "$F/admin.crt" "$d/stranger.crt"
gen "$d" check
check_eq "check with a foreign certificate: exit status 1" 1 "$RC"
check_eq "check: the foreign certificate is flagged" "no - INVALID" "$(row_tail stranger.crt)"
cp -p "$B/kube-proxy.key" "$d/admin.key"
gen "$d" check
check_eq "check: a key that does not match is flagged" "yes no INVALID" "$(row_tail admin.crt)"

d=$(fresh check-expired)
CERT_EXPIRY=1s gen "$d" sign short.crt
check_eq "sign with CERT_EXPIRY=1s: exit status 0" 0 "$RC"
check_eq "sign with CERT_EXPIRY=1s: files made" "made short.conf
made short.key
made short.csr
made short.crt" "$OUT"
sleep 2
gen "$d" check
check_eq "check with an expired certificate: exit status 1" 1 "$RC"
check_eq "check: the expired certificate is flagged" "yes yes EXPIRED" "$(row_tail short.crt)"
gen "$d" --expiry 8760h default
check_eq "default with an expired extra certificate: exit status 0" 0 "$RC"
gen "$d" sign short.crt
check_eq "sign over an expired certificate: exit status 0 (nothing overwritten)" 0 "$RC"
check_contains "sign over an expired certificate: a warning says so" "$ERR" "short.crt has expired"

d=$WORK/cacfg
mkdir "$d"
gen "$d" --ca-expiry 48h --expiry 24h sign one.crt
check_eq "--ca-expiry/--expiry: exit status 0" 0 "$RC"
check_fails "--ca-expiry 48h: ca.crt is not valid for 3 days" \
	openssl x509 -in "$d/ca.crt" -noout -checkend $((3 * 86400))
check_fails "--expiry 24h: one.crt is not valid for 2 days" \
	openssl x509 -in "$d/one.crt" -noout -checkend $((2 * 86400))
check "--expiry 24h: one.crt is valid for 23 hours" \
	openssl x509 -in "$d/one.crt" -noout -checkend $((23 * 3600))

# ---- etcd's mutual TLS with the generated set -----------------------------------------------

if ! command -v etcd >/dev/null 2>&1 || ! command -v etcdctl >/dev/null 2>&1; then
	echo "etcd or etcdctl is not installed: the mutual TLS cases are skipped"
	finish
fi
export ETCDCTL_API=3

# ctl CA CERT KEY ARGS...: etcdctl against the running etcd at 127.0.0.1.
ctl()
{
	local ca=$1 cert=$2 key=$3
	shift 3
	local tls=(--cacert "$ca")
	[ -n "$cert" ] && tls+=(--cert "$cert" --key "$key")
	timeout -k 5 30 etcdctl --endpoints "https://127.0.0.1:$ETCD_PORT" --dial-timeout 3s \
		--command-timeout 5s "${tls[@]}" "$@"
}

E=$(fresh etcd)
if start_etcd "$E" "$E/kubernetes.crt" "$E/kubernetes.key" "$E/ca.crt"; then
	lib_pass "etcd started with kubernetes.crt (port $ETCD_PORT)"
	out=$(ctl "$E/ca.crt" "$E/admin.crt" "$E/admin.key" put k v 2>&1)
	check_eq "etcd: put with the admin client certificate" OK "$out"
	out=$(ctl "$E/ca.crt" "$E/admin.crt" "$E/admin.key" get k --print-value-only 2>&1)
	check_eq "etcd: get with the admin client certificate" v "$out"
	out=$(ctl "$E/ca.crt" "$E/node-1.crt" "$E/node-1.key" get k --print-value-only 2>&1)
	check_eq "etcd: a kubelet certificate is accepted as a client" v "$out"
	check_fails "etcd: a client certificate from another CA is refused" \
		ctl "$E/ca.crt" "$F/admin.crt" "$F/admin.key" get k
	check_fails "etcd: no client certificate is refused" ctl "$E/ca.crt" "" "" get k
	check_fails "etcd: the server is not trusted with the other CA" \
		ctl "$F/ca.crt" "$E/admin.crt" "$E/admin.key" get k
	pid=$ETCD_PID
	stop_etcd
	check "etcd stopped" bash -c "! kill -0 $pid 2>/dev/null"
else
	lib_fail "etcd started with kubernetes.crt"
fi

finish
