#!/bin/bash
# scripts/gen-kube-ca.sh trusts ca.crt alone (a fast companion of test_gen_kube_ca.sh): a
# self-signed certificate that the system's trust store holds (here: a certificate folder named
# by SSL_CERT_DIR, as OpenSSL's default CApath) and that is copied in as NAME.crt is not issued
# by ca.crt, for `check` (the table) and for the validation before `sign` (the run stops).

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs openssl
GEN=$SRCDIR/scripts/gen-kube-ca.sh
[ -x "$GEN" ] || skip_all "$GEN is missing or not executable"
unset CFSSL CFSSLJSON SSL_CERT_FILE

# gen ARGS...: run the script in $D; stdout in $OUT, stderr in $ERR, status in $RC.
gen()
{
	OUT=$(cd "$D" && t "$GEN" "$@" 2>"$WORK/err")
	RC=$?
	ERR=$(cat "$WORK/err")
}

# row_tail NAME: "ISSUED KEY STATUS" of NAME's row in the table of check ($OUT).
row_tail()
{
	printf '%s\n' "$OUT" | awk -v n="$1" '$1 == n { print $(NF - 2), $(NF - 1), $NF }'
}

# selfsigned KEY CRT CN: a self-signed P-256 certificate (a "public root").
selfsigned()
{
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1" \
		-out "$2" -subj "/CN=$3" -days 365 >/dev/null 2>&1
}

D=$WORK/set
mkdir -p "$D" "$WORK/roots"
selfsigned "$D/ca.key" "$D/ca.crt" Kubernetes
selfsigned "$D/foreign.key" "$D/foreign.crt" "Some Public Root"
# A leaf that ca.crt did issue: the positive case.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$D/leaf.key" \
	-subj /CN=leaf -out "$WORK/leaf.csr" >/dev/null 2>&1
openssl x509 -req -in "$WORK/leaf.csr" -CA "$D/ca.crt" -CAkey "$D/ca.key" -CAcreateserial \
	-days 365 -out "$D/leaf.crt" >/dev/null 2>&1
rm -f "$D/ca.srl"
chmod 600 "$D"/*.key
check "fixtures are made" test -s "$D/leaf.crt" -a -s "$D/foreign.crt"

# The system trust store holds the foreign root.
ln -s "$D/foreign.crt" "$WORK/roots/$(openssl x509 -hash -noout -in "$D/foreign.crt").0"
export SSL_CERT_DIR=$WORK/roots
check "precondition: openssl's default store trusts foreign.crt" \
	openssl verify -no_check_time -CAfile "$D/ca.crt" "$D/foreign.crt"

gen check
check_eq "check: exit status 1 (foreign.crt is invalid)" 1 "$RC"
check_eq "check: foreign.crt is not issued by ca.crt" "no yes INVALID" "$(row_tail foreign.crt)"
check_eq "check: leaf.crt is issued by ca.crt" "yes yes ok" "$(row_tail leaf.crt)"
check_eq "check: ca.crt is issued by itself" "yes yes ok" "$(row_tail ca.crt)"

# validate: `sign foreign.crt` with foreign.key, foreign.csr and foreign.crt in place has nothing
# to make, so only the issuer check can stop it.
openssl req -new -key "$D/foreign.key" -subj "/CN=Some Public Root" -out "$D/foreign.csr" \
	>/dev/null 2>&1
gen sign foreign.crt
check_eq "sign foreign.crt: exit status 1" 1 "$RC"
check_contains "sign foreign.crt: not issued by ca.crt" "$ERR" "foreign.crt: not issued by ca.crt"

# The negative of the negative: a set that is all issued by ca.crt still passes.
rm -f "$D"/foreign.*
gen check
check_eq "check without foreign.crt: exit status 0" 0 "$RC"

finish
