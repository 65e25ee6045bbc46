#!/bin/bash
# End-to-end test: certificates cfssl reads and cfssl-c must read the same way (issue 11:
# a SAN holding a NUL, an empty dNSName, PKCS#7 PEM, malformed PEM and AlgorithmIdentifiers).
# Each case runs a command on a committed input in testdata/certread and compares stdout,
# stderr (timestamps removed) and the exit status with CASE.want, written by cfssl master:
#   REGEN_WITH=/opt/cfssl-master/bin/cfssl bash tests/test_certread.sh
# (with SRCDIR, CFSSL_BIN and CFSSLJSON_BIN set) rewrites the .want files.
# Inputs: nul-san.{pem,csr} (Python cryptography: DNS SAN "a.example.com\0.evil.com").

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

DATA=$SRCDIR/testdata/certread
REGEN_WITH=${REGEN_WITH:-}

# Runs "cfssl ARGS..." in $DATA; prints stdout, stderr without timestamps, "exit: N".
run_in_data()
{
	local bin=$1 out err rc
	shift
	out=$WORK/out.$$
	err=$WORK/err.$$
	(cd "$DATA" && t "$bin" "$@" >"$out" 2>"$err")
	rc=$?
	cat "$out"
	strip_ts <"$err"
	echo "exit: $rc"
}

# golden CASE ARGS...: cfssl-c's output equals $DATA/CASE.want.
golden()
{
	local name=$1
	shift
	if [ -n "$REGEN_WITH" ]; then
		run_in_data "$REGEN_WITH" "$@" >"$DATA/$name.want"
	fi
	check_eq "$name: cfssl $* as cfssl master" "$(cat "$DATA/$name.want")" \
		"$(run_in_data "$CFSSL_BIN" "$@")"
}

# ---- item 19: a SAN holding a NUL is one name, JSON-escaped ----
golden nul-san.certinfo-cert certinfo -cert nul-san.pem
golden nul-san.certinfo-csr certinfo -csr nul-san.csr
check_contains "nul-san: the NUL name is one JSON string" \
	"$(cat "$DATA/nul-san.certinfo-cert.want")" '"a.example.com\u0000.evil.com"'

finish
