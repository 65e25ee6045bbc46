#!/bin/bash
# valgrind memcheck of the main pipelines: RSA and ECDSA initca, a leaf
# gencert under a config, sign of a request, cfssljson, and two failure
# paths. Each run must exit as it does without valgrind, with no memcheck
# error and no definitely lost bytes. Skipped (77) without valgrind and for
# sanitizer builds, which valgrind cannot run.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs valgrind
for b in "$CFSSL_BIN" "$CFSSLJSON_BIN"; do
	grep -qa -e __asan_init -e __ubsan_handle "$b" && skip_all "$b is a sanitizer build"
done

# valgrind is 20-50 times slower; RSA key generation dominates.
CMD_TIMEOUT=${VALGRIND_TIMEOUT:-900}
VG=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite --show-leak-kinds=definite --num-callers=30)

cd "$WORK" || exit 1
printf '{"CN":"RSA CA","key":{"algo":"rsa","size":2048},"names":[{"C":"US","O":"Test"}]}\n' \
	>rsa-ca-csr.json
printf '{"CN":"ECDSA CA","key":{"algo":"ecdsa","size":256},"names":[{"C":"US","O":"Test"}]}\n' \
	>ec-ca-csr.json
printf '{"CN":"leaf","hosts":["a.example","10.0.0.1","u@example.com","https://x.example/"],
 "key":{"algo":"ecdsa","size":256},"names":[{"O":"Test","OU":"Leaf"}]}\n' >leaf.json
cat >config.json <<'EOF'
{"signing":{"default":{"expiry":"8760h"},"profiles":{"kubernetes":{
 "usages":["signing","key encipherment","server auth","client auth"],"expiry":"8760h"}}}}
EOF
printf '{"CN":"x","key":{"algo":' >broken.json
N=0

# vg DESC WANT_EXIT STDIN STDOUT PROGRAM ARGS...: one memcheck run.
vg()
{
	local desc=$1 want=$2 in=$3 out=$4 rc log
	shift 4
	N=$((N + 1))
	log=$WORK/vg$N.log
	t "${VG[@]}" --log-file="$log" "$@" <"$in" >"$out" 2>"$WORK/vg$N.err"
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
		lib_pass "memcheck: $desc"
	else
		lib_fail "memcheck: $desc" "exit $rc, want $want
$(grep -E 'ERROR SUMMARY|definitely lost|Invalid|uninitialised|at 0x|by 0x' "$log" | head -40)
$(tail -n 5 "$WORK/vg$N.err")"
	fi
}

vg "RSA initca" 0 /dev/null rsa-ca.json "$CFSSL_BIN" gencert -initca rsa-ca-csr.json
vg "ECDSA initca" 0 /dev/null ec-ca.json "$CFSSL_BIN" gencert -initca ec-ca-csr.json
vg "cfssljson -bare of the ECDSA CA" 0 ec-ca.json /dev/null "$CFSSLJSON_BIN" -bare ca
vg "cfssljson -bare of the RSA CA" 0 rsa-ca.json /dev/null "$CFSSLJSON_BIN" -bare rsa-ca
vg "leaf gencert with -config and -profile" 0 /dev/null leaf.out \
	"$CFSSL_BIN" gencert -ca ca.pem -ca-key ca-key.pem -config config.json \
	-profile kubernetes leaf.json
vg "leaf gencert signed by the RSA CA" 0 /dev/null leaf-rsa.out \
	"$CFSSL_BIN" gencert -ca rsa-ca.pem -ca-key rsa-ca-key.pem leaf.json
vg "cfssljson -bare of the leaf" 0 leaf.out /dev/null \
	"$CFSSLJSON_BIN" -bare leaf
vg "cfssljson -stdout" 0 leaf.out leaf-stdout.out "$CFSSLJSON_BIN" -bare -stdout
check "the leaf certificate was written" test -s leaf.pem
check "the leaf key was written" test -s leaf-key.pem

if t "$CFSSL_BIN" sign -h >/dev/null 2>&1 && [ -s leaf.csr ] &&
	t "$CFSSL_BIN" sign -ca ca.pem -ca-key ca-key.pem leaf.csr >/dev/null 2>&1; then
	vg "sign of a PKCS#10 request" 0 /dev/null sign.out \
		"$CFSSL_BIN" sign -ca ca.pem -ca-key ca-key.pem -config config.json \
		-profile kubernetes leaf.csr
else
	echo "sign: not available or not working in this build, its memcheck skipped"
fi

# failure paths release everything too
vg "gencert with a CA key that does not match (exit 1)" 1 /dev/null fail1.out \
	"$CFSSL_BIN" gencert -ca ca.pem -ca-key rsa-ca-key.pem leaf.json
vg "gencert with a truncated CSR document (exit 1)" 1 broken.json fail2.out \
	"$CFSSL_BIN" gencert -ca ca.pem -ca-key ca-key.pem -
vg "cfssljson with a truncated document (exit 1)" 1 broken.json /dev/null \
	"$CFSSLJSON_BIN" -bare broken

finish
