#!/bin/bash
# Hostile inputs against both binaries: JSON documents (CSR, signing config,
# cfssljson input), PEM/DER certificates, keys and requests, and command
# lines that are deep, huge, truncated, doubled, mislabelled, out of range,
# binary or null.
#
# Each case runs in an empty folder and asserts: the intended exit status;
# no crash, hang (HOSTILE_TIMEOUT seconds) or sanitizer report (in a build
# with -Db_sanitize=address,undefined the reports go to stderr and the
# sanitizers exit 86 / 87, see below); an expected text on stderr where the
# case names one; nothing on stdout from a failing cfssl; and exactly the
# expected files in the folder afterwards (no half-written or temporary file).
#
# A case is one line:
#   hc DESC WANT_EXIT 'NEW FILES' STDIN 'STDERR TEXT' COMMAND...
# STDIN is a file or /dev/null; an empty STDERR TEXT checks nothing more.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

export ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:exitcode=86:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87
unset CFSSL_CA_PK_PASSWORD
TMO=${HOSTILE_TIMEOUT:-60}

FX=$WORK/fixtures
mkdir -p "$FX"
cd "$FX" || exit 1

# ---- fixtures: a CA, an expired CA, a leaf and its request, made by the binaries under test ----

printf '{"CN":"Hostile CA","key":{"algo":"ecdsa","size":256}}\n' >ca-csr.json
# notBefore is backdated 5 minutes, so a 1s CA expired before it was made
printf '{"CN":"Old CA","key":{"algo":"ecdsa","size":256},"ca":{"expiry":"1s"}}\n' >old-csr.json
printf '{"CN":"leaf","hosts":["a.example"],"key":{"algo":"ecdsa","size":256}}\n' >leaf.json
printf '{"signing":{"default":{"expiry":"1h"}}}\n' >config.json
setup_ok=1
for base in ca old; do
	(set -o pipefail; t "$CFSSL_BIN" gencert -initca "$base-csr.json" 2>/dev/null |
		t "$CFSSLJSON_BIN" -bare "$base") || setup_ok=0
done
(set -o pipefail; t "$CFSSL_BIN" gencert -ca ca.pem -ca-key ca-key.pem leaf.json 2>/dev/null |
	t "$CFSSLJSON_BIN" -bare leaf) || setup_ok=0
check_eq "setup: CA, expired CA, leaf and request made with the binaries under test" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish

# Deterministic pseudo-random bytes: garbage N SEED.
garbage()
{
	local i=0 x=$2
	if command -v openssl >/dev/null 2>&1; then
		head -c "$1" /dev/zero | openssl enc -aes-128-ctr -nosalt \
			-K "$(printf '%032x' "$2")" -iv 0 2>/dev/null
		return
	fi
	while [ $i -lt "$1" ]; do
		x=$(((x * 1103515245 + 12345) % 2147483648))
		# shellcheck disable=SC2059 # an octal escape built at run time
		printf "\\$(printf '%03o' $(((x >> 16) % 256)))"
		i=$((i + 1))
	done
}
rep() # rep N TEXT: TEXT N times
{
	local s=$2 n=$1 out=
	while [ "$n" -gt 0 ]; do
		[ $((n % 2)) -eq 1 ] && out=$out$s
		s=$s$s
		n=$((n / 2))
	done
	printf '%s' "$out"
}

garbage 4096 1 >garbage.bin
printf '' >empty
printf 'null' >null.json
printf '%s' "$(rep 100000 '[')" >deep-array.json
printf '%s' "$(rep 100000 '{"a":')" >deep-object.json
printf '{"CN":"x","unknown":%s1%s}' "$(rep 5000 '[')" "$(rep 5000 ']')" >deep-ok.json
printf '{"CN":"%s","key":{"algo":"ecdsa","size":256}}' "$(rep 65536 'x')" >huge-cn.json
printf '{"CN":"x","unknown":"%s","key":{"algo":"ecdsa","size":256}}' "$(rep 1048576 'y')" \
	>huge-string.json
printf '{"CN":"x","hosts":[%s"a.example"],"key":{"algo":"ecdsa","size":256}}' \
	"$(rep 20000 '"h.example",')" >huge-array.json
printf '{"CN":"bad \xff\xfe utf8 \xc3","key":{"algo":"ecdsa","size":256}}' >bad-utf8.json
printf '{"CN":"nul \0 byte"}' >raw-nul.json
printf '{"CN":"nul \\u0000 escape","key":{"algo":"ecdsa","size":256}}' >escaped-nul.json
printf '{"CN":"x","key":{"algo":"rsa","size":1e400}}' >size-huge-float.json
printf '{"CN":"x","key":{"algo":"rsa","size":9223372036854775808}}' >size-overflow.json
printf '{"CN":"x","key":{"algo":"rsa","size":-1}}' >size-negative.json
printf '{"CN":"x","key":{"algo":"rsa","size":99999999}}' >size-absurd.json
printf '{"CN":"x","key":{"algo":"ecdsa","size":256},"ca":{"expiry":"9999999999999h"}}' \
	>ca-expiry-overflow.json
printf '{"CN":"x","key":{"algo":"ecdsa","size":256},"ca":{"expiry":"1000000h"}}' \
	>ca-expiry-far.json
printf '{"CN":"x"} trailing' >trailing.json
printf '\xef\xbb\xbf{"CN":"x"}' >bom.json
printf '{"CN":"x","key":{"algo":"ecdsa","size":256}%s}' "$(rep 10000 ',"CN":"dup"')" \
	>dup-keys.json
printf '[]' >array.json
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >too-large.json

# signing configs
printf '{"signing":%s}' "$(rep 20000 '{"default":')" >cfg-deep.json
printf '{"signing":{"default":{"expiry":"99999999999999999999h"}}}' >cfg-expiry-overflow.json
printf '{"signing":{"default":{"expiry":"1h","not_before":"2030-01-01T00:00:00Z",'\
'"not_after":"2020-01-01T00:00:00Z"}}}' >cfg-after-before.json
printf '{"signing":{"profiles":{%s"last":{"usages":["server auth"],"expiry":"1h"}},'\
'"default":{"expiry":"1h"}}}' \
	"$(for i in $(seq 1 5000); do printf '"p%d":{"usages":["signing"],"expiry":"1h"},' "$i"; done)" \
	>cfg-many-profiles.json
printf '{"signing":{"default":{"expiry":"1h","ca_constraint":{"is_ca":true,'\
'"max_path_len":99999999999999999999}}}}' >cfg-pathlen-overflow.json

# certificates, keys and requests
head -c 300 ca.pem >ca-truncated.pem
cat ca.pem ca.pem >ca-doubled.pem
sed 's/CERTIFICATE/PRIVATE KEY/' ca.pem >ca-wrong-label.pem
sed '2s/^..../!!!!/' ca.pem >ca-bad-base64.pem
openssl_ok=0
if command -v openssl >/dev/null 2>&1; then
	openssl_ok=1
	openssl x509 -in ca.pem -outform DER -out ca.der 2>/dev/null || openssl_ok=0
	openssl ec -in ca-key.pem -aes128 -passout pass:secret -out ca-key-enc.pem 2>/dev/null ||
		openssl_ok=0
fi
head -c 100 ca-key.pem >key-truncated.pem
printf '%s\n' '-----BEGIN EC PRIVATE KEY-----' '-----END EC PRIVATE KEY-----' >key-empty-block.pem
head -c 200 leaf.csr >csr-truncated.pem
sed 's/CERTIFICATE REQUEST/CERTIFICATE/' leaf.csr >csr-wrong-label.pem

# cfssljson inputs
printf '{"cert":5}' >j-cert-number.json
printf '{"ocspResponse":"!!not base64!!"}' >j-bad-base64.json
printf '{"cert":"%s"}' "$(rep 2097152 'c')" >j-huge-cert.json
printf '{"cert":"\xff\xfe\xc3 bad utf8"}' >j-bad-utf8.json
printf '{"cert":"a\0b"}' >j-raw-nul.json
printf '{"success":true,"result":[1,2]}' >j-result-array.json
printf '{"success":false,"errors":[%s{"message":"last"}]}' "$(rep 50000 '{"message":"e"},')" \
	>j-many-errors.json
printf '{"result":{"result":{"bundle":{"bundle":5,"root":"r"}}},"success":true}' \
	>j-bundle-type.json
printf '{"success":"yes"}' >j-success-type.json

# ---- the runner ----

NCASE=0
hc()
{
	local desc=$1 want=$2 files=$3 in=$4 errtext=$5
	shift 5
	NCASE=$((NCASE + 1))
	local dir=$WORK/case$NCASE
	mkdir -p "$dir"
	(cd "$dir" && exec timeout -k 5 "$TMO" "$@" <"$in" >"$WORK/out" 2>"$WORK/err")
	local rc=$? why=
	case $rc in
	86) why+="AddressSanitizer report (exit 86); " ;;
	87) why+="UndefinedBehaviorSanitizer report (exit 87); " ;;
	124 | 137) why+="hang: killed after ${TMO}s; " ;;
	esac
	[ "$rc" -gt 128 ] && [ "$rc" -ne 137 ] && why+="killed by signal $((rc - 128)); "
	[ "$rc" -eq "$want" ] || why+="exit $rc, want $want; "
	if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|panic' \
		"$WORK/err"; then
		why+="sanitizer report or panic on stderr; "
	fi
	if [ -n "$errtext" ] && ! grep -qF -- "$errtext" "$WORK/err"; then
		why+="stderr lacks: $errtext; "
	fi
	if [ "$want" -ne 0 ] && [ "$1" = "$CFSSL_BIN" ] && [ -s "$WORK/out" ]; then
		why+="a failing cfssl wrote to stdout; "
	fi
	local got wantf
	got=$(cd "$dir" && find . -mindepth 1 -printf '%P\n' | sort | tr '\n' ' ')
	# shellcheck disable=SC2086 # a list of names
	wantf=$(printf '%s\n' $files | sed '/^$/d' | sort | tr '\n' ' ')
	[ "$got" = "$wantf" ] || why+="files left: [${got% }], want [${wantf% }]; "
	if [ -z "$why" ]; then
		lib_pass "$desc"
	else
		lib_fail "$desc" "${why%; }
stderr (first lines):
$(head -c 1500 "$WORK/err")"
	fi
	rm -rf -- "$dir"
}

C=$CFSSL_BIN
J=$CFSSLJSON_BIN
N=/dev/null
CAF=(-ca "$FX/ca.pem" -ca-key "$FX/ca-key.pem")

# CSR JSON documents (gencert -initca reads, decodes and validates before generating)
hc "csr: empty file" 1 "" "$N" "unexpected end of JSON input" "$C" gencert -initca "$FX/empty"
hc "csr: null document (no subject)" 1 "" "$N" "missing subject" "$C" gencert -initca "$FX/null.json"
hc "csr: 100000 nested arrays" 1 "" "$N" "exceeded max depth" "$C" gencert -initca "$FX/deep-array.json"
hc "csr: 100000 nested objects" 1 "" "$N" "exceeded max depth" \
	"$C" gencert -initca "$FX/deep-object.json"
hc "csr: 5000 nested arrays in an unknown member (Go accepts up to 10000)" 0 "" "$N" "" \
	"$C" genkey "$FX/deep-ok.json"
hc "csr: 64 KiB common name" 0 "" "$N" "" "$C" gencert -initca "$FX/huge-cn.json"
hc "csr: 1 MiB string in an unknown member" 0 "" "$N" "" "$C" gencert -initca "$FX/huge-string.json"
hc "csr: 20000 hosts" 0 "" "$N" "" "$C" genkey "$FX/huge-array.json"
hc "csr: invalid UTF-8 in the CN (Go substitutes U+FFFD)" 0 "" "$N" "" \
	"$C" gencert -initca "$FX/bad-utf8.json"
hc "csr: raw NUL byte in a string" 1 "" "$N" "invalid character" \
	"$C" gencert -initca "$FX/raw-nul.json"
hc "csr: \\u0000 escape in the CN" 0 "" "$N" "" "$C" genkey "$FX/escaped-nul.json"
hc "csr: garbage binary" 1 "" "$N" "invalid character" "$C" gencert -initca "$FX/garbage.bin"
hc "csr: key size 1e400" 1 "" "$N" "cannot unmarshal number 1e400" \
	"$C" gencert -initca "$FX/size-huge-float.json"
hc "csr: key size 2^63" 1 "" "$N" "cannot unmarshal number 9223372036854775808" \
	"$C" gencert -initca "$FX/size-overflow.json"
hc "csr: key size -1" 1 "" "$N" "" "$C" genkey "$FX/size-negative.json"
hc "csr: RSA key size 99999999 (no generation attempted)" 1 "" "$N" "too large" \
	"$C" genkey "$FX/size-absurd.json"
hc "csr: CA expiry beyond int64 nanoseconds" 1 "" "$N" "invalid duration" \
	"$C" gencert -initca "$FX/ca-expiry-overflow.json"
hc "csr: CA expiry 1000000h (year 2140+, GeneralizedTime)" 0 "" "$N" "" \
	"$C" gencert -initca "$FX/ca-expiry-far.json"
hc "csr: trailing garbage after the document" 1 "" "$N" "after top-level value" \
	"$C" gencert -initca "$FX/trailing.json"
hc "csr: UTF-8 byte order mark" 1 "" "$N" "invalid character" "$C" gencert -initca "$FX/bom.json"
hc "csr: 10000 repeated CN members" 0 "" "$N" "" "$C" genkey "$FX/dup-keys.json"
hc "csr: top-level array" 1 "" "$N" "cannot unmarshal array" "$C" gencert -initca "$FX/array.json"
hc "csr: 17 MiB document (limit 16 MiB)" 1 "" "$N" "input larger than 16 MiB" \
	"$C" gencert -initca "$FX/too-large.json"
hc "csr: 17 MiB document on stdin" 1 "" "$FX/too-large.json" "input larger than 16 MiB" \
	"$C" gencert -initca -

# signing configs
hc "config: null document" 1 "" "$N" "" "$C" gencert "${CAF[@]}" -config "$FX/null.json" "$FX/leaf.json"
hc "config: 20000 nested objects" 1 "" "$N" "" \
	"$C" gencert "${CAF[@]}" -config "$FX/cfg-deep.json" "$FX/leaf.json"
hc "config: expiry beyond int64 nanoseconds" 1 "" "$N" "" \
	"$C" gencert "${CAF[@]}" -config "$FX/cfg-expiry-overflow.json" "$FX/leaf.json"
hc "config: not_after before not_before" 1 "" "$N" "" \
	"$C" gencert "${CAF[@]}" -config "$FX/cfg-after-before.json" "$FX/leaf.json"
hc "config: 5000 profiles" 0 "" "$N" "" \
	"$C" gencert "${CAF[@]}" -config "$FX/cfg-many-profiles.json" -profile last "$FX/leaf.json"
hc "config: max_path_len beyond int64" 1 "" "$N" "" \
	"$C" gencert "${CAF[@]}" -config "$FX/cfg-pathlen-overflow.json" "$FX/leaf.json"
hc "config: garbage binary" 1 "" "$N" "" \
	"$C" gencert "${CAF[@]}" -config "$FX/garbage.bin" "$FX/leaf.json"
hc "config: 17 MiB document" 1 "" "$N" "" \
	"$C" gencert "${CAF[@]}" -config "$FX/too-large.json" "$FX/leaf.json"

# CA certificates and keys (-ca, -ca-key)
L=$FX/leaf.json
K=$FX/ca-key.pem
hc "ca: empty certificate file" 1 "" "$N" "" "$C" gencert -ca "$FX/empty" -ca-key "$K" "$L"
hc "ca: truncated PEM" 1 "" "$N" "" "$C" gencert -ca "$FX/ca-truncated.pem" -ca-key "$K" "$L"
hc "ca: doubled PEM" 1 "" "$N" "" "$C" gencert -ca "$FX/ca-doubled.pem" -ca-key "$K" "$L"
hc "ca: certificate under a PRIVATE KEY label (cfssl ignores the label, §4.3)" 0 "" "$N" "" \
	"$C" gencert -ca "$FX/ca-wrong-label.pem" -ca-key "$K" "$L"
hc "ca: invalid base64 in the PEM body" 1 "" "$N" "" \
	"$C" gencert -ca "$FX/ca-bad-base64.pem" -ca-key "$K" "$L"
hc "ca: garbage binary certificate" 1 "" "$N" "" "$C" gencert -ca "$FX/garbage.bin" -ca-key "$K" "$L"
hc "ca: the key file given as the certificate" 1 "" "$N" "" "$C" gencert -ca "$K" -ca-key "$K" "$L"
# deviation 6: used as cfssl uses them, with a warning
hc "ca: expired CA certificate" 0 "" "$N" "certificates it signs will not verify" \
	"$C" gencert -ca "$FX/old.pem" -ca-key "$FX/old-key.pem" "$L"
hc "ca: CA:FALSE leaf as the issuer" 0 "" "$N" "says CA:FALSE" \
	"$C" gencert -ca "$FX/leaf.pem" -ca-key "$FX/leaf-key.pem" "$L"
hc "ca: key of another CA" 1 "" "$N" "doesn't match" \
	"$C" gencert -ca "$FX/ca.pem" -ca-key "$FX/old-key.pem" "$L"
hc "key: truncated PEM" 1 "" "$N" "" "$C" gencert -ca "$FX/ca.pem" -ca-key "$FX/key-truncated.pem" "$L"
hc "key: empty PEM block" 1 "" "$N" "" "$C" gencert -ca "$FX/ca.pem" -ca-key "$FX/key-empty-block.pem" "$L"
hc "key: garbage binary" 1 "" "$N" "" "$C" gencert -ca "$FX/ca.pem" -ca-key "$FX/garbage.bin" "$L"
hc "key: the certificate given as the key" 1 "" "$N" "" \
	"$C" gencert -ca "$FX/ca.pem" -ca-key "$FX/ca.pem" "$L"
hc "key: 17 MiB file" 1 "" "$N" "input larger than 16 MiB" \
	"$C" gencert -ca "$FX/ca.pem" -ca-key "$FX/too-large.json" "$L"
if [ "$openssl_ok" -eq 1 ]; then
	hc "ca: DER certificate instead of PEM" 1 "" "$N" "" \
		"$C" gencert -ca "$FX/ca.der" -ca-key "$K" "$L"
	hc "key: encrypted key without a password" 1 "" "$N" "" \
		"$C" gencert -ca "$FX/ca.pem" -ca-key "$FX/ca-key-enc.pem" "$L"
	hc "key: encrypted key with a wrong password" 1 "" "$N" "" \
		env CFSSL_CA_PK_PASSWORD=wrong "$C" gencert -ca "$FX/ca.pem" \
		-ca-key "$FX/ca-key-enc.pem" "$L"
fi

# certificate requests for sign
hc "sign: garbage binary CSR" 1 "" "$N" "" "$C" sign "${CAF[@]}" "$FX/garbage.bin"
hc "sign: truncated CSR PEM" 1 "" "$N" "" "$C" sign "${CAF[@]}" "$FX/csr-truncated.pem"
hc "sign: a certificate instead of a CSR" 1 "" "$N" "" "$C" sign "${CAF[@]}" "$FX/leaf.pem"
hc "sign: CSR under a CERTIFICATE label" 1 "" "$N" "" "$C" sign "${CAF[@]}" "$FX/csr-wrong-label.pem"
hc "sign: empty CSR file" 1 "" "$N" "" "$C" sign "${CAF[@]}" "$FX/empty"
hc "sign: expired CA (deviation 6: used with a warning)" 0 "" "$N" "expired at" \
	"$C" sign -ca "$FX/old.pem" -ca-key "$FX/old-key.pem" "$FX/leaf.csr"

# command lines
hc "flags: -loglevel beyond int64" 2 "" "$N" "value out of range" \
	"$C" gencert -loglevel=99999999999999999999 -initca "$FX/ca-csr.json"
hc "flags: -expiry beyond int64 nanoseconds" 2 "" "$N" "invalid value" \
	"$C" gencert -expiry=99999999999999999999h -initca "$FX/ca-csr.json"
hc "flags: invalid UTF-8 in -hostname (deviation 4)" 1 "" "$N" "" \
	"$C" gencert -hostname=$'\xff\xfe' "${CAF[@]}" "$FX/leaf.json"
hc "flags: 96 KiB -hostname list" 0 "" "$N" "" \
	"$C" gencert -hostname="$(rep 6000 'abcdefghijklmno,')x" "${CAF[@]}" "$FX/leaf.json"
# shellcheck disable=SC2046 # one argument per repetition
hc "flags: 5000 repeated flags" 0 "" "$N" "" \
	"$C" genkey $(rep 5000 '-loglevel=1 ') "$FX/leaf.json"
hc "flags: unknown flag with a 64 KiB name" 2 "" "$N" "flag provided but not defined" \
	"$C" gencert "-$(rep 65536 z)"
hc "flags: a flag missing its value" 2 "" "$N" "flag needs an argument" "$C" gencert -ca

# cfssljson
hc "cfssljson: empty input" 1 "" "$FX/empty" "unexpected end of JSON input" "$J" -bare out
hc "cfssljson: null document (-bare): no files" 0 "" "$FX/null.json" "" "$J" -bare out
hc "cfssljson: null document (envelope): request failed" 1 "" "$FX/null.json" "Request failed" \
	"$J" out
hc "cfssljson: 100000 nested arrays" 1 "" "$FX/deep-array.json" "exceeded max depth" "$J" -bare out
hc "cfssljson: 100000 nested objects" 1 "" "$FX/deep-object.json" "exceeded max depth" "$J" out
hc "cfssljson: garbage binary" 1 "" "$FX/garbage.bin" "invalid character" "$J" -bare out
hc "cfssljson: non-string cert (deviation 9)" 1 "" "$FX/j-cert-number.json" "not a string" \
	"$J" -bare out
hc "cfssljson: invalid base64 ocspResponse" 1 "" "$FX/j-bad-base64.json" "illegal base64" \
	"$J" -bare out
hc "cfssljson: 2 MiB certificate string" 0 "out.pem" "$FX/j-huge-cert.json" "" "$J" -bare out
hc "cfssljson: invalid UTF-8 in a value" 0 "out.pem" "$FX/j-bad-utf8.json" "" "$J" -bare out
hc "cfssljson: raw NUL byte" 1 "" "$FX/j-raw-nul.json" "invalid character" "$J" -bare out
hc "cfssljson: result is an array" 1 "" "$FX/j-result-array.json" "cannot unmarshal array" "$J" out
hc "cfssljson: 50000 error messages" 1 "" "$FX/j-many-errors.json" "Request failed" "$J" out
hc "cfssljson: non-string inner bundle" 1 "" "$FX/j-bundle-type.json" "bundle parsing failed" \
	"$J" out
hc "cfssljson: success is a string" 1 "" "$FX/j-success-type.json" "cannot unmarshal string" \
	"$J" out
hc "cfssljson: 17 MiB input" 1 "" "$FX/too-large.json" "input larger than 16 MiB" "$J" -bare out
hc "cfssljson: output into a missing folder" 1 "" "$FX/j-huge-cert.json" "no such file" \
	"$J" -bare nodir/out
hc "cfssljson: output name longer than NAME_MAX" 1 "" "$FX/j-huge-cert.json" "" \
	"$J" -bare "$(rep 300 n)"
hc "cfssljson: -f names a folder" 1 "" "$N" "is a directory" "$J" -f "$FX" -bare out
hc "cfssljson: unknown flag" 2 "" "$N" "flag provided but not defined" "$J" -nope

finish
