#!/bin/bash
# Bad inputs to gencert and to -config, one row each (spec §5.1, §5.5, §5.6,
# §7.5, §11.3 and deviations 5, 6, 9): the exit status, cfssl's exact last
# line of stderr, nothing on stdout, and no file left by the piped cfssljson.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

cd "$WORK" || exit 1
printf '{"CN":"Bad CA","key":{"algo":"ecdsa","size":256}}\n' >ca.json
(set -o pipefail; t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca)
printf '{"CN":"leaf","key":{"algo":"ecdsa","size":256}}\n' >leaf.json
(set -o pipefail; t cfssl gencert -ca ca.pem -ca-key ca-key.pem leaf.json 2>/dev/null |
	t cfssljson -bare leaf)
check "setup: a CA and a leaf" test -s leaf.pem
printf '{"signing":{"default":{"expiry":"1h","usages":["signing"]}}}\n' >good-config.json

N=0
# row DESC WANT_LAST_LINE INPUT_TEXT GENCERT_ARGS... ("@" in the args stands for the input file)
row()
{
	local desc=$1 want=$2 text=$3 a args=() rc
	shift 3
	N=$((N + 1))
	local dir=$WORK/row$N
	mkdir "$dir"
	cp ca.pem ca-key.pem leaf.pem leaf-key.pem good-config.json "$dir"/
	printf '%s' "$text" >"$dir/in.json"
	for a in "$@"; do
		[ "$a" = @ ] && a=in.json
		args+=("$a")
	done
	(
		cd "$dir" || exit 99
		t cfssl gencert "${args[@]}" 2>"$dir.err" | tee "$dir.out" |
			t cfssljson -bare out >/dev/null 2>&1
		exit "${PIPESTATUS[0]}"
	)
	rc=$?
	check_eq "$desc: exit status" 1 "$rc"
	check_eq "$desc: message" "$want" "$(strip_ts <"$dir.err" | tail -n1)"
	check_eq "$desc: nothing on stdout" 0 "$(wc -c <"$dir.out")"
	check_eq "$desc: no file written" "" "$(cd "$dir" && ls -d out* 2>/dev/null)"
}
S=(-ca ca.pem -ca-key ca-key.pem)
GO='json: cannot unmarshal'

# ---- §5.1 wrong types
row "CN number" "$GO number into Go struct field CertificateRequest.CN of type string" '{"CN":5}' "${S[@]}" @
row "key.size string" "$GO string into Go struct field KeyRequest.key.size of type int" '{"key":{"size":"x"}}' "${S[@]}" @
row "key.size 2048.0" "$GO number 2048.0 into Go struct field KeyRequest.key.size of type int" '{"key":{"algo":"rsa","size":2048.0}}' "${S[@]}" @
row "key.size 1e100" "$GO number 1e100 into Go struct field KeyRequest.key.size of type int" '{"key":{"size":1e100}}' "${S[@]}" @
row "hosts string" "$GO string into Go struct field CertificateRequest.hosts of type []string" '{"hosts":"a"}' "${S[@]}" @
row "hosts element number" "$GO number into Go struct field CertificateRequest.hosts of type string" '{"hosts":[1]}' "${S[@]}" @
row "names object" "$GO object into Go struct field CertificateRequest.names of type []csr.Name" '{"names":{}}' "${S[@]}" @
row "names.C number" "$GO number into Go struct field Name.names.C of type string" '{"names":[{"C":1}]}' "${S[@]}" @
row "key string" "$GO string into Go struct field CertificateRequest.key of type csr.KeyRequest" '{"key":"x"}' "${S[@]}" @
row "ca.pathlen string" "$GO string into Go struct field CAConfig.ca.pathlen of type int" '{"CN":"x","ca":{"pathlen":"x"}}' -initca @
row "ca.expiry number" "$GO number into Go struct field CAConfig.ca.expiry of type string" '{"CN":"x","ca":{"expiry":5}}' -initca @
row "ca.pathlenzero string" "$GO string into Go struct field CAConfig.ca.pathlenzero of type bool" '{"CN":"x","ca":{"pathlenzero":"x"}}' -initca @
row "top-level array" "$GO array into Go value of type csr.CertificateRequest" '[]' "${S[@]}" @
row "top-level string" "$GO string into Go value of type csr.CertificateRequest" '"x"' "${S[@]}" @

# ---- §5.1 syntax errors
row "empty document" "unexpected end of JSON input" '' "${S[@]}" @
row "whitespace only" "unexpected end of JSON input" '   ' "${S[@]}" @
row "trailing comma" "invalid character '}' looking for beginning of object key string" '{"CN":"x",}' "${S[@]}" @
row "single quotes" "invalid character '\\'' looking for beginning of object key string" "{'CN':'x'}" "${S[@]}" @
row "missing colon" "invalid character '\"' after object key" '{"CN" "x"}' "${S[@]}" @
row "bracket after value" "invalid character ']' after object key:value pair" '{"CN":"x"]' "${S[@]}" @
row "bad literal" "invalid character '}' in literal true (expecting 'e')" '{"a":tru}' "${S[@]}" @
row "bad escape" "invalid character 'q' in string escape code" '{"a":"\q"}' "${S[@]}" @
row "bad \\u escape" "invalid character '\"' in \\u hexadecimal character escape" '{"a":"\u12"}' "${S[@]}" @
row "second object" "invalid character '{' after top-level value" '{} {}' "${S[@]}" @
row "garbage after the object" "invalid character 't' after top-level value" '{} t' "${S[@]}" @
row "garbage" "invalid character 'g' looking for beginning of value" 'garbage' "${S[@]}" @
row "UTF-8 BOM" "invalid character 'ï' looking for beginning of value" $'\xef\xbb\xbf{}' "${S[@]}" @

# ---- §5.5 keys
row "algo dsa" '{"code":2400,"message":"invalid algorithm"}' '{"key":{"algo":"dsa","size":2048}}' "${S[@]}" @
row "algo RSA (case-sensitive)" '{"code":2400,"message":"invalid algorithm"}' '{"key":{"algo":"RSA","size":2048}}' "${S[@]}" @
row "rsa 1024" '{"code":2400,"message":"RSA key is too weak"}' '{"key":{"algo":"rsa","size":1024}}' "${S[@]}" @
row "rsa 16384" '{"code":2400,"message":"RSA key size too large"}' '{"key":{"algo":"rsa","size":16384}}' "${S[@]}" @
row "ecdsa 224" '{"code":2400,"message":"invalid curve"}' '{"key":{"algo":"ecdsa","size":224}}' "${S[@]}" @
row "initca with algo dsa" '{"code":2400,"message":"invalid algorithm"}' '{"CN":"x","key":{"algo":"dsa","size":2048}}' -initca @

# ---- §5.6 CA requests
row "ca block without -initca" "ca section only permitted in initca" '{"CN":"x","ca":{"expiry":"1h"}}' "${S[@]}" @
row "ca.expiry 1y" 'time: unknown unit "y" in duration "1y"' '{"CN":"x","ca":{"expiry":"1y"}}' -initca @
row "ca.backdate x" 'time: invalid duration "x"' '{"CN":"x","ca":{"backdate":"x"}}' -initca @
row "ca.expiry 5 (no unit)" 'time: missing unit in duration "5"' '{"CN":"x","ca":{"expiry":"5"}}' -initca @
row "ca.expiry 0" '{"code":5200,"message":"Invalid or unknown policy"}' '{"CN":"x","ca":{"expiry":"0s"}}' -initca @
row "initca without a subject" '{"code":5300,"message":"missing subject information"}' '{}' -initca @
row "initca with a blank names entry" '{"code":5300,"message":"missing subject information"}' '{"names":[{"O":"x"},{"C":" "}]}' -initca @
row "null document with -initca" '{"code":5300,"message":"missing subject information"}' 'null' -initca @

# ---- §7.5 the configuration (the message has no trailing newline: tail shows it whole)
C() { printf '%s' "$1" >"cfg$N.json"; echo "$WORK/cfg$N.json"; }
FL='Failed to load config file: '
row "config missing" "${FL}"'{"code":5200,"message":"could not read configuration file"}' '{}' "${S[@]}" -config nonexist.json @
row "config syntax" "${FL}"'{"code":5200,"message":"failed to unmarshal configuration: unexpected end of JSON input"}' '{}' "${S[@]}" -config "$(C '{')" @
row "config without signing" "${FL}"'No "signing" field present' '{}' "${S[@]}" -config "$(C '{}')" @
row "config null (deviation 9)" "${FL}"'No "signing" field present' '{}' "${S[@]}" -config "$(C 'null')" @
row "empty expiry" "${FL}"'{"code":5200,"message":"empty expiry string"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"usages":["signing"]}}}')" @
row "expiry 1y" "${FL}"'{"code":5200,"message":"time: unknown unit \"y\" in duration \"1y\""}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1y"}}}')" @
row "backdate x" "${FL}"'{"code":5200,"message":"time: invalid duration \"x\""}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","backdate":"x"}}}')" @
row "Expiry (Go field quirk)" "${FL}"'{"code":5200,"message":"failed to unmarshal configuration: json: cannot unmarshal string into Go struct field SigningProfile.signing.default.Expiry of type time.Duration"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"Expiry":"1h"}}}')" @
row "bad qualifier type" "${FL}"'{"code":5200,"message":"invalid policy qualifier type"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"policies":[{"ID":"1.2.3","Qualifiers":[{"type":"x","value":"y"}]}]}}}')" @
row "policy ID a number" "${FL}"'{"code":5200,"message":"failed to unmarshal configuration: OID JSON string not wrapped in quotes.1"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","policies":[{"ID":1}]}}}')" @
row "policy ID without digits" "${FL}"'{"code":5200,"message":"failed to unmarshal configuration: Invalid OID"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","policies":[{"ID":"abc"}]}}}')" @
row "policy ID with a bad arc" "${FL}"'{"code":5200,"message":"failed to unmarshal configuration: strconv.Atoi: parsing \"abc\": invalid syntax"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","policies":[{"ID":"1.abc"}]}}}')" @
row "whitelist does not compile" "${FL}"'{"code":5200,"message":"failed to compile name whitelist section"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"name_whitelist":"("}}}')" @
row "lint level 9" "${FL}"'{"code":5200,"message":"failed to unmarshal configuration: bad LintStatus JSON value: 9"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","lint_error_level":9}}}')" @
row "profile without usages" "${FL}"'{"code":5200,"message":"invalid configuration"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h"},"profiles":{"p":{"expiry":"1h"}}}}')" @
row "not_after before not_before (deviation 9)" "${FL}"'{"code":5200,"message":"invalid configuration: not_after is before not_before"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"not_before":"2030-01-01T00:00:00Z","not_after":"2029-01-01T00:00:00Z"}}}')" @
row "usages not an array" "${FL}"'{"code":5200,"message":"failed to unmarshal configuration: json: cannot unmarshal string into Go struct field SigningProfile.signing.default.usages of type []string"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":"signing"}}}')" @

row "remote not in remotes" "${FL}"'{"code":5200,"message":"failed to find remote in remotes section"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"]},"profiles":{"r":{"remote":"nope"}}}}')" @
row "auth_key not in auth_keys" "${FL}"'{"code":5200,"message":"failed to find auth_key in auth_keys section"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"auth_key":"k"}}}')" @
row "auth key type not standard" "${FL}"'{"code":5200,"message":"unknown authentication type"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"auth_key":"k"}},"auth_keys":{"k":{"type":"other","key":"00"}}}')" @
row "auth key not hex" "${FL}"'{"code":5200,"message":"failed to create new standard auth provider"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"auth_key":"k"}},"auth_keys":{"k":{"type":"standard","key":"zz"}}}')" @
row "auth key odd length" "${FL}"'{"code":5200,"message":"failed to create new standard auth provider"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"auth_key":"k"}},"auth_keys":{"k":{"type":"standard","key":"abc"}}}')" @
row "auth key with another prefix" "${FL}"'{"code":5200,"message":"failed to create new standard auth provider"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"auth_key":"k"}},"auth_keys":{"k":{"type":"standard","key":"vault:00"}}}')" @
row "auth key file missing" "${FL}"'{"code":5200,"message":"failed to create new standard auth provider"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"auth_key":"k"}},"auth_keys":{"k":{"type":"standard","key":"file:/nonexistent/k"}}}')" @
row "empty auth key (deviation 17)" "${FL}"'{"code":5200,"message":"auth key \"k\" is empty"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"auth_key":"k"}},"auth_keys":{"k":{"type":"standard","key":""}}}')" @
row "auth key from an unset variable (deviation 17)" "${FL}"'{"code":5200,"message":"auth key \"k0\" is empty"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"],"auth_key":"k","prev_auth_key":"k0"}},"auth_keys":{"k":{"type":"standard","key":"00ff"},"k0":{"type":"standard","key":"env:CFSSL_C_TEST_UNSET_KEY"}}}')" @
row "auth key from an empty file (deviation 17)" "${FL}"'{"code":5200,"message":"auth key \"r\" is empty"}' '{}' "${S[@]}" -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"]},"profiles":{"a":{"auth_remote":{"remote":"srv","auth_key":"r"}}}},"remotes":{"srv":"127.0.0.1:8888"},"auth_keys":{"r":{"type":"standard","key":"file:/dev/null"}}}')" @
row "a remote profile is not signed locally" '{"code":7400,"message":"failed POST to http://127.0.0.1:1/api/v1/cfssl/sign: Post \"http://127.0.0.1:1/api/v1/cfssl/sign\": dial tcp 127.0.0.1:1: connect: connection refused"}' '{"CN":"x"}' "${S[@]}" -profile r -config "$(C '{"signing":{"default":{"expiry":"1h","usages":["signing"]},"profiles":{"r":{"remote":"srv"}}},"remotes":{"srv":"http://127.0.0.1:1"}}')" @

# ---- the issuer (deviation 6) and input files (§4.1)
# (a CA:FALSE issuer is used with a warning since deviation 6 was revised: test_issuer.sh)
row "CA key of another certificate" '{"code":1000,"message":"x509: provided PrivateKey doesn'"'"'t match parent'"'"'s PublicKey"}' '{"CN":"x"}' -ca ca.pem -ca-key leaf-key.pem @
row "CSR file is a directory" "read .: is a directory" '{}' "${S[@]}" .
# -loglevel filters log records, never the final error line (§1.5)
printf '{"CN":"x","key":{"algo":"dsa","size":2048}}' >lvl.json
for lvl in 0 1 3 4 5 6; do
	t cfssl gencert -loglevel "$lvl" -initca lvl.json >/dev/null 2>lvl.err
	check_eq "-loglevel $lvl: exit 1" 1 "$?"
	check_eq "-loglevel $lvl: the error line is last" '{"code":2400,"message":"invalid algorithm"}' "$(tail -n1 lvl.err)"
	want=0
	[ "$lvl" -le 3 ] && want=1
	check_eq "-loglevel $lvl: [ERROR] record shown only at level <= 3" "$want" \
		"$(grep -c '\[ERROR\] failed to process request' lvl.err)"
done
t cfssl gencert -loglevel 5 leaf.json >/dev/null 2>lvl5.err
check_eq "-loglevel 5, no -ca: exit 1 (deviation 2)" 1 "$?"
check_eq "-loglevel 5, no -ca: nothing on stderr" 0 "$(wc -c <lvl5.err)"
finish
