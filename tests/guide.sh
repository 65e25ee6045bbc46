#!/bin/bash
# Run the certificate steps of the seed guide (kubernetes-certificates.md) and verify the result.
#
# usage: tests/guide.sh [--bin DIR] [--build BUILDDIR] OUTDIR
#
# The ```bash blocks of the guide are extracted, the Hugo shortcode lines are dropped, the blocks
# that copy files to remote hosts (scp) are skipped, and the rest runs in order in OUTDIR under
# `set -e -o pipefail`, using the cfssl and cfssljson found first on PATH.
#
#   --build BUILDDIR  use BUILDDIR/cfssl-c/cfssl-c and BUILDDIR/cfssljson-c/cfssljson-c
#   --bin DIR         create DIR/cfssl and DIR/cfssljson as links to the binaries named by
#                     --build, or else by $CFSSL_BIN and $CFSSLJSON_BIN, and put DIR first on PATH
#                     (--build alone uses a temporary DIR)
#
# Environment: NODE_NAME (default worker-0), PUBLIC_IP (default 192.0.2.10),
# MASTER_NODES_IPS (default 10.240.0.10, comma-separated), SRCDIR (repository root; default: the
# parent of this script's folder). The guide is $SRCDIR/../shared/seed/kubernetes-certificates.md
# if present, else $SRCDIR/testdata/kubernetes-certificates.md.
#
# Afterwards every certificate is verified against ca.pem with `openssl verify` and
# `certtool --verify`, and a summary table is printed. Exit status 0 only if the guide ran to
# the end and every certificate verified.

set -u
umask 022

usage()
{
	echo "usage: $0 [--bin DIR] [--build BUILDDIR] OUTDIR" >&2
	exit 2
}

bindir=
builddir=
outdir=
while [ $# -gt 0 ]; do
	case $1 in
	--bin) [ $# -ge 2 ] || usage; bindir=$2; shift 2 ;;
	--bin=*) bindir=${1#--bin=}; shift ;;
	--build) [ $# -ge 2 ] || usage; builddir=$2; shift 2 ;;
	--build=*) builddir=${1#--build=}; shift ;;
	-h | --help) usage ;;
	-*) echo "$0: unknown option $1" >&2; usage ;;
	*) [ -z "$outdir" ] || usage; outdir=$1; shift ;;
	esac
done
[ -n "$outdir" ] || usage

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cfssl-c-guide.XXXXXX") || exit 1
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

if [ -n "$builddir" ] || [ -n "$bindir" ]; then
	if [ -n "$builddir" ]; then
		cfssl_bin=$builddir/cfssl-c/cfssl-c
		cfssljson_bin=$builddir/cfssljson-c/cfssljson-c
	else
		cfssl_bin=${CFSSL_BIN:-}
		cfssljson_bin=${CFSSLJSON_BIN:-}
	fi
	if [ ! -x "$cfssl_bin" ] || [ ! -x "$cfssljson_bin" ]; then
		echo "$0: cfssl binaries not found (cfssl: '$cfssl_bin', cfssljson: '$cfssljson_bin');" \
			"give --build BUILDDIR or set CFSSL_BIN and CFSSLJSON_BIN" >&2
		exit 1
	fi
	[ -n "$bindir" ] || bindir=$tmp/bin
	mkdir -p -- "$bindir" || exit 1
	ln -sfn -- "$(realpath -- "$cfssl_bin")" "$bindir/cfssl" || exit 1
	ln -sfn -- "$(realpath -- "$cfssljson_bin")" "$bindir/cfssljson" || exit 1
	PATH="$(realpath -- "$bindir"):$PATH"
	export PATH
fi

for prog in cfssl cfssljson; do
	if ! command -v "$prog" >/dev/null 2>&1; then
		echo "$0: $prog not found on PATH" >&2
		exit 1
	fi
done
echo "guide.sh: using $(command -v cfssl) and $(command -v cfssljson)" >&2

srcdir=$(realpath -- "${SRCDIR:-$(dirname -- "$(realpath -- "$0")")/..}")
guide=$srcdir/../shared/seed/kubernetes-certificates.md
[ -f "$guide" ] || guide=$srcdir/testdata/kubernetes-certificates.md
if [ ! -f "$guide" ]; then
	echo "$0: seed guide not found (looked for $guide)" >&2
	exit 1
fi
echo "guide.sh: guide $guide" >&2

export NODE_NAME=${NODE_NAME:-worker-0}
export PUBLIC_IP=${PUBLIC_IP:-192.0.2.10}
export MASTER_NODES_IPS=${MASTER_NODES_IPS:-10.240.0.10}

# One file per ```bash block, without the Hugo shortcode lines.
mkdir "$tmp/blocks"
awk -v dir="$tmp/blocks" '
	/^```bash[ \t]*$/ { inblock = 1; n++; file = sprintf("%s/block-%02d.sh", dir, n);
		printf "" > file; next }
	inblock && /^```[ \t]*$/ { inblock = 0; close(file); next }
	inblock && /^[ \t]*[{][{]<.*highlight.*>[}][}][ \t]*$/ { next }
	inblock { print > file }
' "$guide" || exit 1

script=$tmp/guide-commands.sh
printf 'set -e -o pipefail\n' >"$script"
nrun=0
for block in "$tmp"/blocks/block-*.sh; do
	[ -e "$block" ] || continue
	name=$(basename -- "$block" .sh)
	if grep -q 'scp ' "$block"; then
		echo "guide.sh: skipping $name (copies files to remote hosts with scp)" >&2
		continue
	fi
	printf '\n# ---- %s\n' "$name" >>"$script"
	cat "$block" >>"$script"
	nrun=$((nrun + 1))
done
if [ "$nrun" -eq 0 ]; then
	echo "$0: no runnable bash blocks found in $guide" >&2
	exit 1
fi

mkdir -p -- "$outdir" || exit 1
echo "guide.sh: running $nrun blocks in $outdir" >&2
(cd -- "$outdir" && timeout -k 5 "${GUIDE_TIMEOUT:-600}" bash "$script")
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "$0: the guide's commands failed (exit status $rc)" >&2
	exit 1
fi

# Verification and summary.
names="ca admin kube-controller-manager kube-scheduler kubernetes service-account $NODE_NAME kube-proxy"
have_openssl=1
have_certtool=1
command -v openssl >/dev/null 2>&1 || { have_openssl=0; echo "guide.sh: openssl not found" >&2; }
command -v certtool >/dev/null 2>&1 || {
	have_certtool=0
	echo "guide.sh: certtool not found, GnuTLS verification skipped" >&2
}
if [ "$have_openssl" -eq 0 ]; then
	echo "$0: openssl is needed to verify the certificates" >&2
	exit 1
fi

failures=0
cd -- "$outdir" || exit 1
printf '%-26s %-32s %-10s %-26s %s\n' NAME "SUBJECT CN" KEY "NOT AFTER" VERIFIED
for n in $names; do
	cert=$n.pem
	if [ ! -f "$cert" ]; then
		printf '%-26s %-32s %-10s %-26s %s\n' "$n" - - - "no (missing $cert)"
		failures=$((failures + 1))
		continue
	fi
	cn=$(openssl x509 -in "$cert" -noout -subject -nameopt multiline,utf8,-esc_msb 2>/dev/null |
		sed -n 's/^ *commonName *= //p')
	text=$(openssl x509 -in "$cert" -noout -text 2>/dev/null)
	case $text in
	*"Public Key Algorithm: rsaEncryption"*) ktype=RSA ;;
	*"Public Key Algorithm: id-ecPublicKey"*) ktype=ECDSA ;;
	*"Public Key Algorithm: ED25519"*) ktype=Ed25519 ;;
	*) ktype='?' ;;
	esac
	kbits=$(printf '%s\n' "$text" | sed -n 's/.*Public-Key: (\([0-9]*\) bit).*/\1/p' | head -n1)
	notafter=$(openssl x509 -in "$cert" -noout -enddate 2>/dev/null | sed 's/^notAfter=//')
	verdict=yes
	if ! openssl verify -CAfile ca.pem "$cert" >"$tmp/verify.out" 2>&1; then
		verdict="no (openssl)"
		sed 's/^/    openssl: /' "$tmp/verify.out" >&2
	fi
	if [ "$have_certtool" -eq 1 ] && ! certtool --verify --load-ca-certificate ca.pem \
		--infile "$cert" >"$tmp/verify.out" 2>&1; then
		if [ "$verdict" = yes ]; then verdict="no (certtool)"; else verdict="no (both)"; fi
		grep -iE 'error|fail|not (verified|trusted)' "$tmp/verify.out" | sed "s/^/    certtool($n): /" >&2
	fi
	[ "$verdict" = yes ] || failures=$((failures + 1))
	printf '%-26s %-32s %-10s %-26s %s\n' "$n" "${cn:--}" "$ktype-${kbits:-?}" "$notafter" "$verdict"
done

if [ "$failures" -ne 0 ]; then
	echo "guide.sh: $failures certificate(s) missing or not verified" >&2
	exit 1
fi
echo "guide.sh: all certificates verified" >&2
exit 0
