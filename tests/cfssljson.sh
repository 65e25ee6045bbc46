#!/bin/bash
# End-to-end tests of cfssljson-c (cfssl-compat.md §2.4, §10; deviations 7 and 9).
# Usage: tests/cfssljson.sh PATH-TO-cfssljson-c
# Prints one line per failed check and a final "N passed, N failed"; exits 1 on any failure.

set -u
umask 022

BIN=${1:?usage: $0 PATH-TO-cfssljson-c}
BIN=$(realpath -- "$BIN")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cfssljson-test.XXXXXX") || exit 1
trap 'rm -rf -- "$WORK"' EXIT
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$*"; }

# run INPUT ARGS...: runs the binary in a fresh folder $D with INPUT on stdin;
# sets RC, OUT (stdout), ERR (stderr). Output bytes are kept exactly (with a
# trailing marker so command substitution does not eat final newlines).
N=0
run()
{
	local input=$1
	shift
	N=$((N + 1))
	D=$WORK/case$N
	mkdir -p "$D"
	(cd "$D" && printf '%s' "$input" | "$BIN" "$@" >"$WORK/out$N" 2>"$WORK/err$N")
	RC=$?
	OUT=$(cat "$WORK/out$N"; printf x)
	OUT=${OUT%x}
	ERR=$(cat "$WORK/err$N"; printf x)
	ERR=${ERR%x}
}

expect_rc() { if [ "$RC" = "$2" ]; then pass; else fail "$1: exit $RC, want $2 (stderr: $ERR)"; fi; }
expect_err() { if [ "$ERR" = "$2" ]; then pass; else fail "$1: stderr [$ERR], want [$2]"; fi; }
expect_out() { if [ "$OUT" = "$2" ]; then pass; else fail "$1: stdout [$OUT], want [$2]"; fi; }
# expect_files DESC NAME...: the folder holds exactly these names (hidden ones included,
# so a leftover temporary file fails the check)
expect_files()
{
	local desc=$1
	shift
	local want got
	want=$(printf '%s\n' "$@" | LC_ALL=C sort | sed '/^$/d')
	got=$(cd "$D" && LC_ALL=C ls -A | LC_ALL=C sort)
	if [ "$got" = "$want" ]; then pass; else fail "$desc: files [$(echo $got)], want [$(echo $want)]"; fi
}
expect_content()
{
	local got
	got=$(cat "$D/$2"; printf x)
	got=${got%x}
	if [ "$got" = "$3" ]; then pass; else fail "$1: $2 holds [$got], want [$3]"; fi
}
expect_mode()
{
	local got
	got=$(stat -c %a "$D/$2" 2>/dev/null)
	if [ "$got" = "$3" ]; then pass; else fail "$1: $2 mode ${got:-missing}, want $3"; fi
}

NL=$'\n'
CERT=$'-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
KEY=$'-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n'
CSR=$'-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n'
# JSON-escaped forms, as cfssl prints them
J_CERT='-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
J_KEY='-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n'
J_CSR='-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n'
GENCERT="{\"cert\":\"$J_CERT\",\"csr\":\"$J_CSR\",\"key\":\"$J_KEY\"}"

# --- bare gencert output (§10.4)
run "$GENCERT" -bare ca
expect_rc "bare gencert" 0
expect_err "bare gencert" ""
expect_out "bare gencert" ""
expect_files "bare gencert" ca.pem ca-key.pem ca.csr
expect_content "bare gencert" ca.pem "$CERT"
expect_content "bare gencert" ca-key.pem "$KEY"
expect_content "bare gencert" ca.csr "$CSR"
expect_mode "bare gencert" ca.pem 644
expect_mode "bare gencert" ca-key.pem 600
expect_mode "bare gencert" ca.csr 644

# default base name "cert", -f FILE, --flag spelling
N=$((N + 1)); D=$WORK/case$N; mkdir -p "$D"
printf '%s' "$GENCERT" >"$D/in.json"
(cd "$D" && "$BIN" --bare -f in.json) 2>"$WORK/err$N"; RC=$?
expect_rc "-f file" 0
expect_files "-f file" in.json cert.pem cert-key.pem cert.csr

# --- forgot -bare: gencert output is not an envelope (§10.4)
run "$GENCERT" ca
expect_rc "no -bare" 1
expect_err "no -bare" "Request failed:$NL"
expect_files "no -bare"

# flags after the base name are positional (§2.4 pitfall)
run "$GENCERT" ca -bare
expect_rc "ca -bare" 1
expect_err "ca -bare" "Request failed:$NL"
expect_files "ca -bare"

# --- API envelope
run "{\"success\":true,\"result\":{\"certificate\":\"$J_CERT\",\"private_key\":\"$J_KEY\",\"certificate_request\":\"$J_CSR\"},\"errors\":[],\"messages\":[]}" srv
expect_rc "envelope success" 0
expect_files "envelope success" srv.pem srv-key.pem srv.csr
expect_content "envelope success" srv-key.pem "$KEY"

run '{"SUCCESS":true,"Result":{"cert":"C"}}' srv
expect_rc "envelope case-insensitive" 0
expect_files "envelope case-insensitive" srv.pem

run '{"success":false,"result":{"cert":"C"},"errors":[{"code":1000,"message":"first"},{"message":"second"}]}' srv
expect_rc "envelope failure" 1
expect_err "envelope failure" "Request failed:$NL	first$NL	second$NL"
expect_files "envelope failure"

run '{"success":true,"result":null}'
expect_rc "envelope null result" 0
expect_files "envelope null result"

run 'null'
expect_rc "envelope null" 1
expect_err "envelope null" "Request failed:$NL"

# --- JSON errors (§10.1)
run '' -bare
expect_rc "empty input" 1
expect_err "empty input" "Failed to parse input: unexpected end of JSON input$NL"

run 'not json' -bare
expect_rc "not json" 1
expect_err "not json" "Failed to parse input: invalid character 'o' in literal null (expecting 'u')$NL"

run '{} x' -bare
expect_rc "trailing data" 1
expect_err "trailing data" "Failed to parse input: invalid character 'x' after top-level value$NL"

run '[1]' -bare
expect_rc "bare array" 1
expect_err "bare array" "Failed to parse input: json: cannot unmarshal array into Go value of type map[string]interface {}$NL"

run 'null' -bare
expect_rc "bare null" 0
expect_err "bare null" ""
expect_files "bare null"

run '{"success":"yes"}'
expect_rc "success string" 1
expect_err "success string" "Failed to parse input: json: cannot unmarshal string into Go struct field Response.success of type bool$NL"

run '{"success":true,"result":"x"}'
expect_rc "result string" 1
expect_err "result string" "Failed to parse input: json: cannot unmarshal string into Go struct field Response.result of type map[string]interface {}$NL"

run '{"success":false,"errors":[{"message":1}]}'
expect_rc "message number" 1
expect_err "message number" "Failed to parse input: json: cannot unmarshal number into Go struct field ResponseMessage.errors.message of type string$NL"

# --- -f errors
run '' -f nonexist
expect_rc "-f nonexist" 1
expect_err "-f nonexist" "Failed to read input: open nonexist: no such file or directory$NL"

run '' -f /
expect_rc "-f directory" 1
expect_err "-f directory" "Failed to read input: read /: is a directory$NL"

# --- deviation 9: a non-string value for a recognised key, nothing written
run "{\"cert\":\"$J_CERT\",\"key\":1}" -bare x
expect_rc "non-string key" 1
expect_err "non-string key" "Failed to parse input: value of \"key\" is not a string$NL"
expect_files "non-string key"

run '{"cert":null}' -bare x
expect_rc "null cert" 1
expect_err "null cert" "Failed to parse input: value of \"cert\" is not a string$NL"
expect_files "null cert"

run '{"cert":"C","ocspResponse":{}}' -bare x
expect_rc "object ocspResponse" 1
expect_files "object ocspResponse"

# --- first present wins; empty strings (§10.2)
run '{"cert":"","certificate":"C","key":"","csr":"R","certificate_request":"S","encrypted_key":""}' -bare x
expect_rc "empty values" 0
expect_files "empty values" x.csr x-key.enc
expect_content "empty values" x.csr "R"
expect_content "empty values" x-key.enc ""
expect_mode "empty values" x-key.enc 600

# unrecognised keys (cfssl bundle output) are ignored
run '{"bundle":"B","crl":"C","ocsp":"O"}' -bare x
expect_rc "unrecognised" 0
expect_err "unrecognised" ""
expect_files "unrecognised"

# --- ocspResponse
run '{"ocspResponse":"AAEC/w=="}' -bare x
expect_rc "ocspResponse" 0
expect_files "ocspResponse" x-response.der
expect_mode "ocspResponse" x-response.der 644
got=$(od -An -tx1 "$D/x-response.der" | tr -d ' \n')
if [ "$got" = "000102ff" ]; then pass; else fail "ocspResponse bytes [$got]"; fi

run '{"ocspResponse":"AA\nEC"}' -bare x
expect_rc "ocspResponse newline" 0
got=$(od -An -tx1 "$D/x-response.der" | tr -d ' \n')
if [ "$got" = "000102" ]; then pass; else fail "ocspResponse newline bytes [$got]"; fi

run '{"ocspResponse":""}' -bare x
expect_rc "ocspResponse empty" 0
expect_files "ocspResponse empty" x-response.der
expect_content "ocspResponse empty" x-response.der ""

run '{"cert":"C","ocspResponse":"!!!!"}' -bare x
expect_rc "ocspResponse invalid" 1
expect_err "ocspResponse invalid" "Failed to parse ocspResponse: illegal base64 data at input byte 0$NL"
expect_files "ocspResponse invalid"

run '{"ocspResponse":"AAEC!"}' -bare x
expect_err "ocspResponse invalid at 4" "Failed to parse ocspResponse: illegal base64 data at input byte 4$NL"

# --- bundle
run '{"result":{"bundle":{"bundle":"B\n","root":"R\n"}}}' -bare x
expect_rc "bundle" 0
expect_files "bundle" x-bundle.pem x-root.pem
expect_content "bundle" x-bundle.pem "B$NL${NL}R$NL"
expect_content "bundle" x-root.pem "R$NL"
expect_mode "bundle" x-bundle.pem 644
expect_mode "bundle" x-root.pem 644

run '{"cert":"C","result":{"bundle":{"root":"R"}}}' -bare x
expect_rc "bundle without bundle" 1
expect_err "bundle without bundle" "inner bundle parsing failed!$NL"
expect_files "bundle without bundle"

run '{"result":{"bundle":{"bundle":"B","root":1}}}' -bare x
expect_rc "bundle without root" 1
expect_err "bundle without root" "root parsing failed!$NL"
expect_files "bundle without root"

# --- -stdout (§10.3)
run '{"cert":"C\n","key":"K\n","encrypted_key":"abc","csr":"R\n","ocspResponse":"AAEC","result":{"bundle":{"bundle":"B","root":"T"}}}' -bare -stdout x
expect_rc "-stdout" 0
expect_out "-stdout" "C$NL${NL}K$NL${NL}YWJj${NL}R$NL${NL}B${NL}T${NL}T${NL}AAEC$NL"
expect_files "-stdout"

N=$((N + 1))
printf '{"cert":"C"}' | "$BIN" -bare -stdout >/dev/full 2>/dev/null
RC=$?
expect_rc "-stdout to a full device" 1

# --- base names
run '{"cert":"C"}' -bare -
expect_rc "base -" 0
expect_files "base -" -.pem

N=$((N + 1)); D=$WORK/case$N; mkdir -p "$D/sub"
(cd "$D" && printf '{"cert":"C","key":"K"}' | "$BIN" -bare sub/x) 2>"$WORK/err$N"; RC=$?
expect_rc "base in folder" 0
D=$D/sub expect_files "base in folder" x.pem x-key.pem
expect_mode "base in folder" sub/x-key.pem 600

run '{"cert":"C"}' -bare nodir/x
expect_rc "base in missing folder" 1
expect_err "base in missing folder" "open nodir/x.pem: no such file or directory$NL"
expect_files "base in missing folder"

# --- deviation 7: an existing 0644 key file is replaced by a 0600 one
N=$((N + 1)); D=$WORK/case$N; mkdir -p "$D"
printf 'old key that is longer than the new one\n' >"$D/y-key.pem"
chmod 644 "$D/y-key.pem"
(cd "$D" && printf '{"key":"NEWKEY\\n"}' | "$BIN" -bare y) 2>"$WORK/err$N"; RC=$?
expect_rc "replace key" 0
expect_mode "replace key" y-key.pem 600
expect_content "replace key" y-key.pem "NEWKEY$NL"
expect_files "replace key" y-key.pem

# a write failure part-way leaves no temporary file: y.pem is a folder
N=$((N + 1)); D=$WORK/case$N; mkdir -p "$D/y.pem"
(cd "$D" && printf '{"cert":"C","key":"K"}' | "$BIN" -bare y) 2>"$WORK/err$N"; RC=$?
expect_rc "write failure" 1
ERR=$(cat "$WORK/err$N")
expect_err "write failure" "open y.pem: is a directory"
expect_files "write failure" y.pem

# --- flags (§2.4, §1.3)
run '' -x
expect_rc "unknown flag" 2
case $ERR in
"flag provided but not defined: -x${NL}Usage of $BIN:$NL  -bare$NL"*) pass ;;
*) fail "unknown flag: stderr [$ERR]" ;;
esac

run '' -h
expect_rc "-h" 0
expect_err "-h" "Usage of $BIN:
  -bare
    	the response from CFSSL is not wrapped in the API standard response
  -f string
    	JSON input (default \"-\")
  -stdout
    	output the response instead of saving to a file
  -version
    	print version and exit
"
expect_out "-h" ""

run "$GENCERT" -version
expect_rc "-version" 0
case $OUT in
"Version: "*"${NL}Runtime: "*"$NL") pass ;;
*) fail "-version: stdout [$OUT]" ;;
esac
expect_files "-version"

# cfssljson does no cryptography: it must not even load GnuTLS, whose library
# constructor initialises it (a start-up cost on every pipeline), nor carry it
# (a -Dstatic_crypto=true build would run the same constructor).
if command -v ldd >/dev/null 2>&1; then
	if ldd "$BIN" 2>/dev/null | grep -q gnutls; then
		fail "cfssljson-c links GnuTLS"
	else
		pass
	fi
fi
if command -v nm >/dev/null 2>&1 && nm "$BIN" >/dev/null 2>&1; then
	if nm "$BIN" | grep -q ' [TtDdBb] _*gnutls_'; then
		fail "cfssljson-c carries GnuTLS code"
	else
		pass
	fi
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
