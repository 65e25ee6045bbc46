#!/bin/bash
# gen-kube-ca.sh: generate and maintain the certificate infrastructure of a Kubernetes cluster
# with cfssl and cfssljson (the "Containerum script" of the Kubernetes certificates guide).
# Run `gen-kube-ca.sh --help` for the commands, options and environment variables.
#
# It works in the current directory and never removes or overwrites a file of non-zero length:
# every missing (or empty) file is made from the files it depends on, and an existing file that
# cannot be parsed or does not fit the others stops the run before anything is written.
set -euo pipefail

PROG=${0##*/}
# cfssl-c installs its programs as cfssl-c and cfssljson-c, and as cfssl and cfssljson with the
# compat_names option.
if [ -z "${CFSSL:-}" ]; then
	CFSSL=cfssl
	command -v cfssl >/dev/null 2>&1 || ! command -v cfssl-c >/dev/null 2>&1 || CFSSL=cfssl-c
fi
if [ -z "${CFSSLJSON:-}" ]; then
	CFSSLJSON=cfssljson
	command -v cfssljson >/dev/null 2>&1 || ! command -v cfssljson-c >/dev/null 2>&1 ||
		CFSSLJSON=cfssljson-c
fi

CA_EXPIRY=${CA_EXPIRY:-87600h}
CERT_EXPIRY=${CERT_EXPIRY:-8760h}
NODE_NAMES=${NODE_NAMES-$(uname -n)}
NODE_IPS=${NODE_IPS:-}
NODE_EXTERNAL_IPS=${NODE_EXTERNAL_IPS:-}
MASTER_NODES_IPS=${MASTER_NODES_IPS:-}
KUBERNETES_PUBLIC_ADDRESS=${KUBERNETES_PUBLIC_ADDRESS:-${PUBLIC_IP:-}}
SERVICE_IP=${SERVICE_IP:-10.32.0.1}
CLUSTER_DOMAIN=${CLUSTER_DOMAIN:-cluster.local}
CHECK_DAYS=30

# The fixed part of the default set, in the order of the guide; one kubelet certificate per
# node follows.
FIXED_NAMES="admin kube-controller-manager kube-scheduler kubernetes service-account kube-proxy"

usage()
{
	cat <<EOF
Usage: $PROG [OPTIONS] COMMAND [ARGUMENT]

Generates and maintains the certificate infrastructure of a Kubernetes cluster in the
current directory, using cfssl and cfssljson.

Commands:
  default          Initialise a CA and generate the default set of certificates.
  prepare NAME.csr Generate an extra key and certificate signing request (NAME.key, NAME.csr).
  sign NAME.crt    Use the CA to sign the request in NAME.csr. Result in NAME.crt.
  check            Print a table of every certificate (*.crt) in the directory: subject, SANs,
                   not after, days left, issued by ca.crt, key matches. Exits 1 when one is
                   invalid or expires within the number of days of --days.

Files, for the CA and for each certificate NAME:
  NAME.conf   the request, a cfssl CSR JSON document (CN, names, hosts = SANs, key)
  NAME.key    the private key (mode 0600)
  NAME.csr    the certificate signing request made from NAME.key and NAME.conf
  NAME.crt    the certificate: NAME.csr signed with ca.key (the CA's: ca.crt, self-signed)

The script never removes or overwrites a file of non-zero length: it completes the structure,
making each missing (or empty) file from the files it depends on. Keys you put there are used.
  - Remove NAME.crt to re-issue it from the same NAME.csr.
  - Remove NAME.crt and NAME.csr after editing NAME.conf to re-issue it with the new fields.
  - Remove NAME.conf to restore the default request.
A non-empty file that cannot be parsed, a key that does not match its request or certificate,
or a certificate not issued by ca.crt stops the run with an error naming the file.

The default set: ca, admin, kube-controller-manager, kube-scheduler, kubernetes (the API
server), service-account, kube-proxy and one kubelet certificate per node, named after the
node. The API server's SANs are SERVICE_IP, MASTER_NODES_IPS, KUBERNETES_PUBLIC_ADDRESS,
127.0.0.1 and kubernetes.default as in the guide, and in addition kubernetes,
kubernetes.default.svc and kubernetes.default.svc.CLUSTER_DOMAIN. A kubelet certificate has
the node name, its NODE_IPS entry and its NODE_EXTERNAL_IPS entry as SANs.

Options:
  --days N           check: flag certificates that expire within N days (default 30)
  --ca-expiry DUR    validity of a new CA certificate, a Go duration (default \$CA_EXPIRY or
                     87600h, 10 years); it is written into a new ca.conf as ca.expiry
  --expiry DUR       validity of the certificates signed in this run (default \$CERT_EXPIRY or
                     8760h, 1 year)
  -h, --help         print this text

Environment (lists are separated by spaces or commas; they shape only the .conf files made in
this run: remove NAME.conf, NAME.csr and NAME.crt to apply new values):
  NODE_NAMES                 node names, one kubelet certificate each (default: uname -n)
  NODE_IPS                   the nodes' (internal) IP addresses, in the order of NODE_NAMES
                             (default: none)
  NODE_EXTERNAL_IPS          the nodes' external IP addresses, same order (default: none)
  MASTER_NODES_IPS           the IP addresses of all master nodes (default: none)
  KUBERNETES_PUBLIC_ADDRESS  the API server's public address (default: \$PUBLIC_IP, or none)
  SERVICE_IP                 the API server's address in the service range (default 10.32.0.1)
  CLUSTER_DOMAIN             the cluster's DNS domain (default cluster.local)
  CA_EXPIRY, CERT_EXPIRY     as --ca-expiry and --expiry
  CFSSL, CFSSLJSON           the cfssl and cfssljson programs (default: cfssl and cfssljson
                             from PATH, else cfssl-c and cfssljson-c)

Exit status: 0 on success, 1 on an error (or a flagged certificate for check), 2 on a usage
error.
EOF
}

die()
{
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit 1
}

usage_error()
{
	printf '%s: %s\nTry '\''%s --help'\'' for more information.\n' "$PROG" "$*" "$PROG" >&2
	exit 2
}

warn()
{
	printf '%s: warning: %s\n' "$PROG" "$*" >&2
}

nonempty()
{
	[ -s "$1" ]
}

# A name is used as a file name and inside JSON strings: keep it to a safe alphabet.
valid_name()
{
	case $1 in
	'' | [.-]* | *[!A-Za-z0-9._-]*) return 1 ;;
	esac
	return 0
}

valid_host()
{
	case $1 in
	'' | *[!A-Za-z0-9.:_-]*) return 1 ;;
	esac
	return 0
}

# split LIST: print the entries of a space- or comma-separated list, one a line.
split()
{
	printf '%s\n' "$1" | tr ', \t' '[\n*]' | sed '/^$/d'
}

# nth LIST N: the N-th entry (from 1) of a list, or nothing.
nth()
{
	split "$1" | sed -n "$2p"
}

node_names()
{
	split "$NODE_NAMES"
}

is_node()
{
	node_names | grep -qxF -- "$1"
}

is_fixed()
{
	case " $FIXED_NAMES " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# ---- temporary directory (mode 0700, so keys never lie about readable) ----------------------

TMPD=
MADE=
cleanup()
{
	if [ -n "$TMPD" ]; then
		rm -rf -- "$TMPD"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

make_tmpd()
{
	# In the working directory, so that mv into place is a rename on the same file system.
	TMPD=$(mktemp -d "./.gen-kube-ca.XXXXXX") || die "cannot create a temporary directory"
	chmod 700 "$TMPD"
}

# place SRC DST: move a made file into place; DST must be missing or empty.
place()
{
	if nonempty "$2"; then
		die "$2 appeared while it was being made; not overwritten"
	fi
	if [ -d "$2" ]; then
		die "$2 is a directory"
	fi
	mv -f -- "$1" "$2"
	forget "$2"
	unset "WARNED[$2]"
	MADE=1
	echo "made $2"
}

# ---- the .conf documents --------------------------------------------------------------------

# json_hosts HOST...: the "hosts" member (with its trailing comma), duplicates dropped.
json_hosts()
{
	local h seen=" " sep=""
	[ $# -gt 0 ] || return 0
	printf '  "hosts": ['
	for h in "$@"; do
		case $seen in
		*" $h "*) continue ;;
		esac
		seen="$seen$h "
		printf '%s\n    "%s"' "$sep" "$h"
		sep=,
	done
	printf '\n  ],\n'
}

# conf_doc CN O OU [HOST...]
conf_doc()
{
	local cn=$1 o=$2 ou=$3
	shift 3
	printf '{\n  "CN": "%s",\n' "$cn"
	json_hosts "$@"
	cat <<EOF
  "key": {
    "algo": "rsa",
    "size": 2048
  },
  "names": [
    {
      "C": "LV",
      "L": "Riga",
      "O": "$o",
      "OU": "$ou"
    }
  ]
}
EOF
}

ca_conf_doc()
{
	cat <<EOF
{
  "CN": "Kubernetes",
  "key": {
    "algo": "rsa",
    "size": 2048
  },
  "names": [
    {
      "C": "LV",
      "L": "Riga",
      "O": "Kubernetes",
      "OU": "CA"
    }
  ],
  "ca": {
    "expiry": "$CA_EXPIRY"
  }
}
EOF
}

# default_conf NAME: the default request of NAME.
default_conf()
{
	local name=$1 h i
	local hosts=()
	case $name in
	ca) ca_conf_doc ;;
	admin) conf_doc admin system:masters Containerum ;;
	kube-controller-manager)
		conf_doc system:kube-controller-manager system:kube-controller-manager Containerum
		;;
	kube-scheduler) conf_doc system:kube-scheduler system:kube-scheduler Containerum ;;
	kubernetes)
		hosts=("$SERVICE_IP")
		while IFS= read -r h; do hosts+=("$h"); done < <(split "$MASTER_NODES_IPS")
		while IFS= read -r h; do hosts+=("$h"); done < <(split "$KUBERNETES_PUBLIC_ADDRESS")
		hosts+=(127.0.0.1 kubernetes.default kubernetes kubernetes.default.svc
			"kubernetes.default.svc.$CLUSTER_DOMAIN")
		conf_doc kubernetes Kubernetes Containerum "${hosts[@]}"
		;;
	service-account) conf_doc service-accounts Kubernetes Containerum ;;
	kube-proxy) conf_doc system:kube-proxy system:node-proxier Containerum ;;
	*)
		if is_node "$name"; then
			i=$(node_names | grep -nxF -- "$name" | head -n1 | cut -d: -f1)
			hosts=("$name")
			h=$(nth "$NODE_EXTERNAL_IPS" "$i")
			[ -z "$h" ] || hosts+=("$h")
			h=$(nth "$NODE_IPS" "$i")
			[ -z "$h" ] || hosts+=("$h")
			conf_doc "system:node:$name" system:nodes Containerum "${hosts[@]}"
		else
			conf_doc "$name" Kubernetes Containerum
		fi
		;;
	esac
}

ensure_conf()
{
	local name=$1
	nonempty "$name.conf" && return 0
	default_conf "$name" >"$TMPD/$name.conf"
	place "$TMPD/$name.conf" "$name.conf"
}

# ---- validation -----------------------------------------------------------------------------

ossl()
{
	openssl "$@" </dev/null 2>/dev/null
}

# Each file is parsed once (openssl is slow to start): PUB[FILE] is the public key (PEM) of a
# .key, .csr or .crt file; INFO[FILE] is the "notAfter=", "subject=" and SAN lines of a .crt.
declare -A PUB=() INFO=() WARNED=()
NOW=$(date -u '+%Y %m %d %H %M %S')

forget()
{
	unset "PUB[$1]" "INFO[$1]"
}

# load FILE: fill PUB (and INFO); fails when FILE cannot be parsed.
load()
{
	local f=$1 out end='-----END PUBLIC KEY-----'
	[ -z "${PUB[$f]+set}" ] || return 0
	case $f in
	*.key) out=$(ossl pkey -in "$f" -passin pass: -pubout) || return 1 ;;
	*.csr) out=$(ossl req -in "$f" -noout -verify -pubkey) || return 1 ;;
	*.crt)
		out=$(ossl x509 -in "$f" -noout -pubkey -enddate -subject \
			-nameopt sep_comma_plus_space,utf8 -ext subjectAltName) || return 1
		INFO[$f]=${out#*"$end"}
		INFO[$f]=${INFO[$f]#$'\n'}
		out=${out%%"$end"*}$end
		;;
	*) return 1 ;;
	esac
	case $out in
	'-----BEGIN PUBLIC KEY-----'*"$end") PUB[$f]=$out ;;
	*) return 1 ;;
	esac
}

# conf_ok FILE: a CSR JSON document, as far as a shell can tell without a JSON parser (cfssl
# parses it fully when it is used).
conf_ok()
{
	local squeezed
	squeezed=$(<"$1")
	squeezed=${squeezed//[[:space:]]/}
	case $squeezed in
	'{'*'}') return 0 ;;
	esac
	return 1
}

check_parse()
{
	local f=$1 what
	nonempty "$f" || return 0
	case $f in
	*.conf) conf_ok "$f" && return 0 ;;
	*) load "$f" && return 0 ;;
	esac
	case $f in
	*.key) what="a private key (without a passphrase)" ;;
	*.csr) what="a valid certificate signing request" ;;
	*.crt) what="a certificate" ;;
	*.conf) what="a CSR JSON document" ;;
	esac
	die "$f: cannot be parsed as $what; nothing was changed"
}

# check_match A B: two non-empty (and loaded) files hold the same public key.
check_match()
{
	nonempty "$1" && nonempty "$2" || return 0
	[ "${PUB[$1]}" = "${PUB[$2]}" ] && return 0
	die "$2 does not match $1 (different public keys); nothing was changed"
}

NO_STORES=
# not_issued CAFILE CRT...: print the CRTs that CAFILE did not sign (expiry is not this test's
# business), one a line; one openssl run for all of them.
not_issued()
{
	local ca=$1 ok f
	shift
	[ $# -gt 0 ] || return 0
	# CAFILE alone is trusted: without -no-CApath and -no-CAstore, openssl also trusts the
	# system's roots, and a public root copied in as NAME.crt would pass as issued by CAFILE.
	# OpenSSL 1.1 has no certificate stores, nor their option.
	if [ -z "$NO_STORES" ]; then
		NO_STORES=-no-CApath
		case $(openssl verify -help 2>&1) in
		*-no-CAstore*) NO_STORES="-no-CApath -no-CAstore" ;;
		esac
	fi
	# shellcheck disable=SC2086 # NO_STORES is a list of options
	ok=$'\n'$(ossl verify -no_check_time $NO_STORES -CAfile "$ca" "$@")$'\n' || true
	for f in "$@"; do
		case $ok in
		*$'\n'"$f: OK"$'\n'*) ;;
		*) printf '%s\n' "$f" ;;
		esac
	done
}

# expiry CRT [DAYS]: "NOT-AFTER<TAB>DAYS-LEFT<TAB>STATE" of a loaded certificate, STATE being
# expired, soon (within DAYS) or ok.
expiry()
{
	local line=${INFO[$1]#*notAfter=}
	printf '%s\n' "${line%%$'\n'*}" | awk -v now="$NOW" -v within="${2:-0}" '
	function days(y, m, d,   era, yoe, doy, doe) {
		y -= (m <= 2)
		era = int((y >= 0 ? y : y - 399) / 400)
		yoe = y - era * 400
		doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
		doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
		return era * 146097 + doe - 719468
	}
	function secs(y, m, d, hh, mm, ss) {
		return days(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss
	}
	{
		m = (index("JanFebMarAprMayJunJulAugSepOctNovDec", $1) + 2) / 3
		split($3, t, ":")
		split(now, n, " ")
		left = secs($4, m, $2, t[1], t[2], t[3]) - secs(n[1], n[2], n[3], n[4], n[5], n[6])
		dl = int(left / 86400)
		if (dl * 86400 > left)
			dl--
		state = left <= 0 ? "expired" : left <= within * 86400 ? "soon" : "ok"
		printf "%04d-%02d-%02d %s\t%d\t%s\n", $4, m, $2, $3, dl, state
	}'
}

# validate NAME...: the files of each NAME parse and fit together, and each NAME.crt was issued
# by ca.crt (ca.crt by itself).
validate()
{
	local n f crts=()
	for n in "$@"; do
		for f in "$n.conf" "$n.key" "$n.csr" "$n.crt"; do
			check_parse "$f"
		done
		check_match "$n.key" "$n.csr"
		check_match "$n.key" "$n.crt"
		check_match "$n.csr" "$n.crt"
		nonempty "$n.crt" || continue
		crts+=("$n.crt")
		# Checked once per run, with the time the run started.
		[ -z "${WARNED[$n.crt]+set}" ] || continue
		WARNED[$n.crt]=1
		case $(expiry "$n.crt") in
		*expired) warn "$n.crt has expired; remove it to re-issue it" ;;
		esac
	done
	nonempty ca.crt || return 0
	f=$(not_issued ca.crt "${crts[@]}" | head -n1)
	case $f in
	'') ;;
	ca.crt) die "ca.crt: not a self-signed CA certificate; nothing was changed" ;;
	*) die "$f: not issued by ca.crt; nothing was changed" ;;
	esac
}

# ---- making files with cfssl ----------------------------------------------------------------

# cf BASE ARGS...: cfssl ARGS | cfssljson -bare $TMPD/BASE, with a clear error on failure.
cf()
{
	local base=$1 log rc
	shift
	log=$TMPD/$base.log
	rc=0
	"$CFSSL" "$@" 2>"$log" | "$CFSSLJSON" -bare "$TMPD/$base" 2>>"$log" || rc=$?
	[ "$rc" -ne 0 ] || return 0
	{
		printf '%s: error: cfssl %s failed (exit status %s):\n' "$PROG" "$*" "$rc"
		sed 's/^/  /' "$log"
	} >&2
	exit 1
}

# need_out FILE WHAT: a file cfssljson should have written.
need_out()
{
	[ -s "$1" ] || die "cfssl produced no $2"
}

sign_config()
{
	[ -s "$TMPD/signing.json" ] && return 0
	cat >"$TMPD/signing.json" <<EOF
{
  "signing": {
    "default": {
      "expiry": "$CERT_EXPIRY"
    },
    "profiles": {
      "kubernetes": {
        "usages": ["signing", "key encipherment", "server auth", "client auth"],
        "expiry": "$CERT_EXPIRY"
      }
    }
  }
}
EOF
}

other_certs()
{
	local f
	for f in *.crt; do
		[ "$f" != ca.crt ] && nonempty "$f" && printf '%s\n' "$f"
	done
	return 0
}

ensure_ca()
{
	local f crts=()
	ensure_conf ca
	if nonempty ca.crt; then
		nonempty ca.key || warn "ca.key is missing: no certificate can be signed"
		return 0
	fi
	mapfile -t crts < <(other_certs)
	if nonempty ca.key; then
		cf ca gencert -initca -ca-key ca.key ca.conf
		need_out "$TMPD/ca.pem" "CA certificate"
		# The certificates already here must be issued by the new CA certificate too.
		f=$(not_issued "$TMPD/ca.pem" "${crts[@]}" | head -n1)
		[ -z "$f" ] ||
			die "$f: not issued by the CA certificate made from ca.key and ca.conf;" \
				"ca.crt was not made"
	else
		[ ${#crts[@]} -eq 0 ] ||
			die "${crts[0]} exists but ca.key and ca.crt are missing: a new CA cannot have" \
				"issued it; remove ${crts[0]} to re-issue it, or restore ca.key"
		cf ca gencert -initca ca.conf
		need_out "$TMPD/ca.pem" "CA certificate"
		need_out "$TMPD/ca-key.pem" "CA key"
		chmod 600 "$TMPD/ca-key.pem"
		place "$TMPD/ca-key.pem" ca.key
	fi
	place "$TMPD/ca.pem" ca.crt
}

# ensure_request NAME: NAME.conf, and NAME.key with NAME.csr.
ensure_request()
{
	local n=$1
	ensure_conf "$n"
	nonempty "$n.csr" && return 0
	if nonempty "$n.key"; then
		cf "$n" gencsr -key "$n.key" "$n.conf"
		need_out "$TMPD/$n.csr" "certificate signing request"
	else
		nonempty "$n.crt" &&
			die "$n.crt exists but $n.key and $n.csr are missing: remove $n.crt to make a new" \
				"key and certificate, or restore $n.key"
		cf "$n" genkey "$n.conf"
		need_out "$TMPD/$n.csr" "certificate signing request"
		need_out "$TMPD/$n-key.pem" "private key"
		chmod 600 "$TMPD/$n-key.pem"
		place "$TMPD/$n-key.pem" "$n.key"
	fi
	place "$TMPD/$n.csr" "$n.csr"
}

# ensure_cert NAME: ensure_request, then NAME.crt.
ensure_cert()
{
	local n=$1
	ensure_request "$n"
	nonempty "$n.key" || warn "$n.key is missing; $n.csr is used as it is"
	nonempty "$n.crt" && return 0
	nonempty ca.key || die "cannot sign $n.csr: ca.key is missing"
	sign_config
	cf "$n" sign -ca ca.crt -ca-key ca.key -config "$TMPD/signing.json" -profile kubernetes \
		"$n.csr"
	need_out "$TMPD/$n.pem" "certificate"
	place "$TMPD/$n.pem" "$n.crt"
}

default_names()
{
	local n
	for n in $FIXED_NAMES; do
		printf '%s\n' "$n"
	done
	node_names
}

check_config()
{
	local n h
	while IFS= read -r n; do
		valid_name "$n" || die "NODE_NAMES: \"$n\" is not a usable node name"
		if [ "$n" = ca ] || is_fixed "$n"; then
			die "NODE_NAMES: \"$n\" is the name of another certificate of the default set"
		fi
	done < <(node_names)
	valid_host "$SERVICE_IP" || die "SERVICE_IP: not a usable IP address: \"$SERVICE_IP\""
	valid_host "$CLUSTER_DOMAIN" || die "CLUSTER_DOMAIN: not a usable domain: \"$CLUSTER_DOMAIN\""
	while IFS= read -r h; do
		valid_host "$h" || die "\"$h\" is not a usable host name or IP address"
	done < <(split "$NODE_IPS $NODE_EXTERNAL_IPS $MASTER_NODES_IPS $KUBERNETES_PUBLIC_ADDRESS")
}

cmd_default()
{
	local n names=()
	check_config
	mapfile -t names < <(default_names)
	# Everything already here is checked before the first file is made, and again at the end.
	validate ca "${names[@]}"
	ensure_ca
	for n in "${names[@]}"; do
		ensure_cert "$n"
	done
	[ -z "$MADE" ] || validate ca "${names[@]}"
}

# arg_name ARG EXT: NAME of NAME.EXT, a plain file name in the current directory.
arg_name()
{
	local n=${1%."$2"}
	[ "$n" != "$1" ] || usage_error "the argument must name a .$2 file: $1"
	valid_name "$n" || usage_error "not a usable name (letters, digits, '.', '_', '-'): $1"
	[ "$n" != ca ] || usage_error "ca is the CA; use '$PROG default' for it"
	printf '%s\n' "$n"
}

cmd_prepare()
{
	local n
	n=$(arg_name "$1" csr)
	check_config
	validate "$n"
	ensure_request "$n"
	validate "$n"
}

cmd_sign()
{
	local n
	n=$(arg_name "$1" crt)
	check_config
	validate ca "$n"
	ensure_ca
	ensure_cert "$n"
	validate ca "$n"
}

# ---- check ----------------------------------------------------------------------------------

cmd_check()
{
	local f n subject sans end left state issued keym status bad=0 crts=() rows
	local -A foreign=()
	nonempty ca.crt && crts=(ca.crt)
	for f in *.crt; do
		[ "$f" = ca.crt ] || [ ! -e "$f" ] || crts+=("$f")
	done
	[ ${#crts[@]} -gt 0 ] || die "no certificate (*.crt) in this directory"
	if nonempty ca.crt && load ca.crt; then
		while IFS= read -r f; do
			foreign[$f]=1
		done < <(not_issued ca.crt "${crts[@]}")
	else
		for f in "${crts[@]}"; do
			foreign[$f]=1
		done
	fi
	rows=$(printf 'CERTIFICATE\tSUBJECT\tSANS\tNOT AFTER (UTC)\tDAYS LEFT\tISSUED BY ca.crt')
	rows+=$(printf '\tKEY MATCHES\tSTATUS')
	for f in "${crts[@]}"; do
		n=${f%.crt}
		if ! nonempty "$f" || ! load "$f"; then
			rows+=$'\n'"$f"$'\t(cannot be parsed)\t-\t-\t-\tno\t-\tINVALID'
			bad=1
			continue
		fi
		subject=${INFO[$f]#*subject=}
		subject=${subject%%$'\n'*}
		sans=$(printf '%s\n' "${INFO[$f]}" | sed -n 's/^ \{1,\}//p' | sed 's/IP Address:/IP:/g')
		[ -n "$sans" ] || sans=-
		IFS=$'\t' read -r end left state < <(expiry "$f" "$CHECK_DAYS")
		status=ok
		issued=yes
		if [ -n "${foreign[$f]+set}" ]; then
			issued=no
			status=INVALID
		fi
		keym=-
		if [ -e "$n.key" ]; then
			keym=yes
			if ! nonempty "$n.key" || ! load "$n.key" || [ "${PUB[$n.key]}" != "${PUB[$f]}" ]
			then
				keym=no
				status=INVALID
			fi
		fi
		if [ "$status" = ok ]; then
			case $state in
			expired) status=EXPIRED ;;
			soon) status=EXPIRES-SOON ;;
			esac
		fi
		[ "$status" = ok ] || bad=1
		rows+=$'\n'"$f"$'\t'"$subject"$'\t'"$sans"$'\t'"$end"$'\t'"$left"$'\t'"$issued"
		rows+=$'\t'"$keym"$'\t'"$status"
	done
	printf '%s\n' "$rows" | awk -F '\t' '
	{
		for (i = 1; i <= NF; i++) {
			cell[NR, i] = $i
			if (length($i) > w[i])
				w[i] = length($i)
		}
	}
	END {
		for (r = 1; r <= NR; r++) {
			line = ""
			for (i = 1; i < 8; i++)
				line = line sprintf("%-" w[i] "s  ", cell[r, i])
			print line cell[r, 8]
		}
	}'
	if [ "$bad" -ne 0 ]; then
		echo "$PROG: some certificates are invalid or expire within $CHECK_DAYS days" >&2
		return 1
	fi
	return 0
}

# ---- main -----------------------------------------------------------------------------------

main()
{
	local args=()
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help)
			usage
			exit 0
			;;
		--days | --ca-expiry | --expiry)
			[ $# -ge 2 ] || usage_error "option $1 needs a value"
			set -- "$1=$2" "${@:3}"
			continue
			;;
		--days=*) CHECK_DAYS=${1#*=} ;;
		--ca-expiry=*) CA_EXPIRY=${1#*=} ;;
		--expiry=*) CERT_EXPIRY=${1#*=} ;;
		--)
			shift
			args+=("$@")
			break
			;;
		-*) usage_error "unknown option: $1" ;;
		*) args+=("$1") ;;
		esac
		shift
	done
	case $CHECK_DAYS in
	'' | *[!0-9]*) usage_error "--days needs a number of days: $CHECK_DAYS" ;;
	esac
	case $CA_EXPIRY$CERT_EXPIRY in
	*[!0-9a-z.]*) usage_error "an expiry must be a Go duration such as 8760h" ;;
	esac
	[ ${#args[@]} -gt 0 ] || usage_error "a command is required (default, prepare, sign, check)"

	command -v openssl >/dev/null 2>&1 || die "openssl is required"
	case ${args[0]} in
	default | check) [ ${#args[@]} -eq 1 ] || usage_error "${args[0]} takes no argument" ;;
	prepare | sign) [ ${#args[@]} -eq 2 ] || usage_error "${args[0]} takes one argument" ;;
	*) usage_error "unknown command: ${args[0]}" ;;
	esac
	if [ "${args[0]}" = check ]; then
		cmd_check
		return
	fi
	command -v "$CFSSL" >/dev/null 2>&1 || die "cfssl not found (set CFSSL): $CFSSL"
	command -v "$CFSSLJSON" >/dev/null 2>&1 || die "cfssljson not found (set CFSSLJSON): $CFSSLJSON"
	make_tmpd
	case ${args[0]} in
	default) cmd_default ;;
	prepare) cmd_prepare "${args[1]}" ;;
	sign) cmd_sign "${args[1]}" ;;
	esac
}

main "$@"
