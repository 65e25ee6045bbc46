#!/bin/bash
# End-to-end test of the cfssl command line for the commands cfssl-c implements (gencert,
# print-defaults, version): Go flag parsing (cfssl-compat.md §2), usage texts (Appendix A),
# print-defaults templates (Appendix B), log records (§1.4, §1.5, §6.5), the stdout JSON (§6.9),
# CSR JSON decoding (§5), validity, serials and signature algorithms (§8) and the deviations of
# deviations.md that gencert can show (1, 3, 5, 8, 10).
#
# Expected texts come from the spec: when $SRCDIR/../shared/spec/cfssl-compat.md exists the
# verbatim blocks are cut out of it at run time, otherwise the golden files in testdata/ are used.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs openssl python3

SPEC=$SRCDIR/../shared/spec/cfssl-compat.md
[ -f "$SPEC" ] || SPEC=
TS_RE='^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} '

IN=$WORK/in
OUT=$WORK/out
mkdir -p "$IN" "$OUT"
cd "$IN" || exit 1

# ---------------------------------------------------------------------------------------------
# Helpers

# spec_block HEADING: the lines of the first ``` block after the line HEADING (each with LF).
spec_block()
{
	awk -v h="$1" '
		state == 0 && $0 == h { state = 1; next }
		state == 1 && /^```/ { state = 2; next }
		state == 2 && /^```/ { exit }
		state == 2 { print }
	' "$SPEC"
}

# run NAME CFSSL-ARGS...: cfssl ARGS >$OUT/NAME.out 2>$OUT/NAME.err, exit status in $RC.
# Stdin is inherited so that `run ... - <file` works.
run()
{
	local name=$1
	shift
	t cfssl "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
	RC=$?
}

# Same, with a variable assignment put in front (run_env NAME VAR=VALUE ARGS...).
run_env()
{
	local name=$1 assign=$2
	shift 2
	env "$assign" timeout -k 5 "$CMD_TIMEOUT" cfssl "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
	RC=$?
}

# same_file DESC EXPECTED-FILE ACTUAL-FILE: byte-identical.
same_file()
{
	if cmp -s -- "$2" "$3"; then
		lib_pass "$1"
	else
		lib_fail "$1" "$(diff -u -- "$2" "$3" | cat -A | head -n 40)"
	fi
}

# The whole of a file as a string, trailing LFs kept (an "x" is appended).
whole()
{
	cat -- "$1"
	printf x
}

first_line() { head -n1 -- "$1"; }
last_line() { tail -n1 -- "$1"; }

# Stripped stderr of run NAME, with the serial number replaced by N.
log_of()
{
	strip_ts <"$OUT/$1.err" | sed -E 's/^(\[INFO\] signed certificate with serial number )[0-9]+$/\1N/'
}

# member FILE NAME: the PEM text of member NAME of the one-line JSON in FILE (empty if absent).
# The stdout layout itself is checked by the regular expressions of section 5; PEM strings hold
# no escapes other than \n.
member()
{
	printf '%b' "$(sed -nE 's/.*"'"$2"'":"([^"]*)".*/\1/p' "$1")"
}

# split NAME: $OUT/NAME.out → $OUT/NAME.pem, NAME.csr, NAME-key.pem (those present).
split()
{
	local o=$OUT/$1.out
	member "$o" cert >"$OUT/$1.pem"
	member "$o" csr >"$OUT/$1.csr"
	member "$o" key >"$OUT/$1-key.pem"
}

# Epoch seconds of an openssl date ("Nov 28 14:47:00 2026 GMT").
epoch_of() { date -u -d "$1" +%s; }
not_before() { epoch_of "$(openssl x509 -noout -startdate -in "$1" | sed 's/^notBefore=//')"; }
not_after() { epoch_of "$(openssl x509 -noout -enddate -in "$1" | sed 's/^notAfter=//')"; }
round_min() { echo $(((($1 + 30) / 60) * 60)); }

# Signature algorithm of a certificate or CSR as openssl names it.
sigalg()
{
	local kind=$1 file=$2
	openssl "$kind" -noout -text -in "$file" 2>/dev/null |
		sed -nE 's/^ *Signature Algorithm: //p' | head -n1
}

# The text of one extension (lines after its name, trimmed, joined with " | ").
ext_text()
{
	openssl x509 -noout -ext "$2" -in "$1" 2>/dev/null | tail -n +2 | sed -E 's/^ +//; s/ +$//' |
		paste -sd'|' | sed 's/|/ | /g'
}

# SAN line of a CSR.
csr_san()
{
	openssl req -noout -text -in "$1" 2>/dev/null |
		sed -n '/X509v3 Subject Alternative Name/{n;p}' | sed -E 's/^ +//'
}

subject_of() { openssl x509 -noout -subject -in "$1" 2>/dev/null | sed 's/^subject=//'; }

# PEM members of the JSON in FILE: each body in 64-column lines ("ok" or the first problem).
pem_columns()
{
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k, v in d.items():
    lines = v.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not lines[0].startswith("-----BEGIN ") \
            or not lines[-2].startswith("-----END "):
        print(k + ": not a PEM block ending in LF"); sys.exit()
    body = lines[1:-2]
    for i, l in enumerate(body):
        if (i < len(body) - 1 and len(l) != 64) or not 0 < len(l) <= 64:
            print("%s: body line %d has %d columns" % (k, i + 1, len(l))); sys.exit()
print("ok")' "$1" 2>&1
}

ECDSA='"key":{"algo":"ecdsa","size":256}'
WARN_HOSTS='[WARNING] This certificate lacks a "hosts" field. This makes it unsuitable for
websites. For more information see the Baseline Requirements for the Issuance and Management
of Publicly-Trusted Certificates, v.1.1.6, from the CA/Browser Forum (https://cabforum.org);
specifically, section 10.2.3 ("Information Requirements").'
NEWCA_LOG='[INFO] generating a new CA key and certificate from CSR
[INFO] generate received request
[INFO] received CSR
[INFO] generating key: ecdsa-256
[INFO] encoded CSR
[INFO] signed certificate with serial number N'
SIGNED_LOG='[INFO] generate received request
[INFO] received CSR
[INFO] generating key: ecdsa-256
[INFO] encoded CSR
[INFO] signed certificate with serial number N'

printf '{"CN":"CLI Test CA",%s,"names":[{"C":"DE","O":"Test"}]}\n' "$ECDSA" >ca-csr.json
printf '{"CN":"leaf",%s,"hosts":["leaf.example","10.0.0.1"]}\n' "$ECDSA" >leaf-hosts.json
printf '{"CN":"leaf",%s}\n' "$ECDSA" >leaf.json
printf 'null\n' >null.json

# ---------------------------------------------------------------------------------------------
# 1. print-defaults (§12.6, Appendix B)

for type in config csr; do
	golden=$SRCDIR/testdata/print-defaults-$type.txt
	expected=$golden
	if [ -n "$SPEC" ]; then
		spec_block "\`cfssl print-defaults $type\`:" >"$OUT/spec-$type.txt"
		expected=$OUT/spec-$type.txt
		check_eq "print-defaults $type: spec block ends in two LFs" "0a0a" \
			"$(tail -c2 "$expected" | od -An -tx1 | tr -d ' ')"
		same_file "print-defaults $type: golden file equals Appendix B" "$expected" "$golden"
	fi
	run pd-$type print-defaults "$type"
	check_eq "print-defaults $type: exit status" 0 "$RC"
	same_file "print-defaults $type: stdout byte-identical to Appendix B" "$expected" \
		"$OUT/pd-$type.out"
	check_eq "print-defaults $type: stderr empty" 0 "$(wc -c <"$OUT/pd-$type.err")"
done

LIST_A=$(printf 'Default configurations are available for:\n\tconfig\n\tcsr\nx')
LIST_B=$(printf 'Default configurations are available for:\n\tcsr\n\tconfig\nx')
for type in list bogus; do
	run pd-$type print-defaults "$type"
	check_eq "print-defaults $type: exit status" 0 "$RC"
	got=$(whole "$OUT/pd-$type.out")
	if [ "$got" = "$LIST_A" ] || [ "$got" = "$LIST_B" ]; then
		lib_pass "print-defaults $type: the list of types"
	else
		lib_fail "print-defaults $type: the list of types" "actual: $got"
	fi
done

run pd-none print-defaults
check_eq "print-defaults without TYPE: exit status" 1 "$RC"
check_eq "print-defaults without TYPE: stderr" \
	"not enough arguments are supplied --- please refer to the usage" "$(cat "$OUT/pd-none.err")"
check_eq "print-defaults without TYPE: stdout empty" 0 "$(wc -c <"$OUT/pd-none.out")"

# ---------------------------------------------------------------------------------------------
# 2. version (§12.7)

run version version
check_eq "version: exit status" 0 "$RC"
check_eq "version: first line" "Version: 1.6.5" "$(first_line "$OUT/version.out")"

# ---------------------------------------------------------------------------------------------
# 3. Top level (§2.2)

run top-none
check_eq "no command: exit status" 1 "$RC"
check_eq "no command: first two lines of stderr" "$(printf 'No command is given.\nUsage:')" \
	"$(head -n2 "$OUT/top-none.err")"
run top-foo foo
check_eq "unknown command: exit status" 1 "$RC"
check_eq "unknown command: first two lines of stderr" \
	"$(printf 'Command foo is not defined.\nUsage:')" "$(head -n2 "$OUT/top-foo.err")"
run top-h -h
check_eq "cfssl -h: exit status" 0 "$RC"
check_eq "cfssl -h: starts with Usage:, Available commands:" \
	"$(printf 'Usage:\nAvailable commands:')" "$(head -n2 "$OUT/top-h.err")"
check "cfssl -h: gencert is listed" grep -qx "$(printf '\tgencert')" "$OUT/top-h.err"
check_eq "cfssl -h: last line" "Top-level flags:" "$(last_line "$OUT/top-h.err")"
run top-flag -loglevel 0 version
check_eq "top-level flag: exit status" 2 "$RC"
check_eq "top-level flag: first line" "flag provided but not defined: -loglevel" \
	"$(first_line "$OUT/top-flag.err")"
check_eq "top-level flag: stdout empty" 0 "$(wc -c <"$OUT/top-flag.out")"

# ---------------------------------------------------------------------------------------------
# 4. Flag parsing (§2.1, §2.3, Appendix A.gencert)

run gencert-h gencert -h
check_eq "gencert -h: exit status" 0 "$RC"
if [ -n "$SPEC" ]; then
	spec_block "### A.gencert" >"$OUT/spec-gencert-usage.txt"
	same_file "gencert -h: stderr equals Appendix A.gencert" "$OUT/spec-gencert-usage.txt" \
		"$OUT/gencert-h.err"
else
	check_eq "gencert -h: first line" "$(printf '\tcfssl gencert -- generate a new key and signed certificate')" \
		"$(first_line "$OUT/gencert-h.err")"
	check_eq "gencert -h: last line" "  -loglevel=1: Log level (0 = DEBUG, 5 = FATAL)" \
		"$(last_line "$OUT/gencert-h.err")"
fi
for h in -help --help; do
	run gencert-h2 gencert "$h"
	check_eq "gencert $h: exit status" 0 "$RC"
	same_file "gencert $h: same text as -h" "$OUT/gencert-h.err" "$OUT/gencert-h2.err"
done

# flag_error DESC WANT-FIRST-LINE ARGS...: exit 2, that first line, then the gencert usage.
flag_error()
{
	local desc=$1 want=$2
	shift 2
	run flagerr "$@"
	check_eq "$desc: exit status" 2 "$RC"
	check_eq "$desc: first line of stderr" "$want" "$(first_line "$OUT/flagerr.err")"
	check_eq "$desc: stdout empty" 0 "$(wc -c <"$OUT/flagerr.out")"
	{ printf '%s\n' "$want"; cat "$OUT/gencert-h.err"; } >"$OUT/flagerr.want"
	same_file "$desc: the line, then the gencert usage" "$OUT/flagerr.want" "$OUT/flagerr.err"
}
flag_error "unknown flag" "flag provided but not defined: -foo" gencert -foo
flag_error "missing value" "flag needs an argument: -ca" gencert -ca
flag_error "bad integer" 'invalid value "abc" for flag -loglevel: parse error' \
	gencert -loglevel abc x
flag_error "bad boolean" 'invalid boolean value "yes" for -initca: parse error' \
	gencert -initca=yes x
flag_error "three dashes" "bad flag syntax: ---initca" gencert ---initca
flag_error "bad duration" 'invalid value "5" for flag -interval: parse error' \
	gencert -interval 5 x

run extra-arg gencert ca-csr.json -initca
check_eq "flag after the positional argument: exit status" 1 "$RC"
check_eq "flag after the positional argument: stderr" \
	"only one argument is accepted, please check with usage" "$(cat "$OUT/extra-arg.err")"
check_eq "flag after the positional argument: stdout empty" 0 "$(wc -c <"$OUT/extra-arg.out")"
run no-arg gencert
check_eq "gencert without CSRJSON: exit status" 1 "$RC"
check_eq "gencert without CSRJSON: stderr" \
	"not enough arguments are supplied --- please refer to the usage" "$(cat "$OUT/no-arg.err")"

# initca_ok NAME DESC: run NAME made a new CA (three members, CA:TRUE).
initca_ok()
{
	check_eq "$2: exit status" 0 "$RC"
	split "$1"
	check_eq "$2: key member present" 1 "$(grep -c '"key":"-----BEGIN EC PRIVATE KEY-----' "$OUT/$1.out")"
	check_eq "$2: CA:TRUE" "CA:TRUE" "$(ext_text "$OUT/$1.pem" basicConstraints)"
}
run dd-initca gencert --initca ca-csr.json
initca_ok dd-initca "--initca"
run eq-initca gencert -initca=true ca-csr.json
initca_ok eq-initca "-initca=true"
run last-initca gencert -initca=false -initca ca-csr.json
initca_ok last-initca "-initca=false -initca (last wins)"
run last-cn gencert -initca -cn a -cn b ca-csr.json
check_eq "-cn a -cn b: exit status" 0 "$RC"
split last-cn
check_eq "-cn a -cn b: CN b" "C = DE, O = Test, CN = b" "$(subject_of "$OUT/last-cn.pem")"

run all-flags version -port 0x10 -db-config x -interval 1h -list
check_eq "version accepts every flag: exit status" 0 "$RC"
check_eq "version accepts every flag: first line" "Version: 1.6.5" \
	"$(first_line "$OUT/all-flags.out")"
run cfg-missing version -config /nonexist
check_eq "version -config /nonexist: exit status" 1 "$RC"
check_eq "version -config /nonexist: stderr exactly, no LF" \
	'Failed to load config file: {"code":5200,"message":"could not read configuration file"}x' \
	"$(whole "$OUT/cfg-missing.err")"
check_eq "version -config /nonexist: stdout empty" 0 "$(wc -c <"$OUT/cfg-missing.out")"
run cfg-missing-pd print-defaults -config /nonexist csr
check_eq "print-defaults -config /nonexist csr: exit status" 1 "$RC"
check_eq "print-defaults -config /nonexist csr: stdout empty" 0 "$(wc -c <"$OUT/cfg-missing-pd.out")"
run cfg-after-pos print-defaults csr -config /nonexist
check_eq "print-defaults csr -config /nonexist (positional, ignored): exit status" 0 "$RC"
same_file "print-defaults csr -config /nonexist: the csr template" "$OUT/pd-csr.out" \
	"$OUT/cfg-after-pos.out"

# ---------------------------------------------------------------------------------------------
# 5. gencert -initca stdout (§6.9); the same run serves sections 6-8

before=$(date +%s)
run ca gencert -initca ca-csr.json
after=$(date +%s)
check_eq "new CA: exit status" 0 "$RC"
split ca
cp "$OUT/ca.pem" "$OUT/ca-key.pem" "$IN"/
check_eq "new CA stdout: exactly one line" 1 "$(wc -l <"$OUT/ca.out")"
check_eq "new CA stdout: ends in LF" "0a" "$(tail -c1 "$OUT/ca.out" | od -An -tx1 | tr -d ' ')"
B64='[A-Za-z0-9+/=\\n]*'
check "new CA stdout: {cert, csr, key} JSON with PEM strings" grep -qE \
	"^\\{\"cert\":\"-----BEGIN CERTIFICATE-----\\\\n$B64-----END CERTIFICATE-----\\\\n\",\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----\\\\n$B64-----END CERTIFICATE REQUEST-----\\\\n\",\"key\":\"-----BEGIN EC PRIVATE KEY-----\\\\n$B64-----END EC PRIVATE KEY-----\\\\n\"\\}\$" \
	"$OUT/ca.out"
check_eq "new CA stdout: PEM bodies in 64-column lines" ok "$(pem_columns "$OUT/ca.out")"
check "new CA: certificate parses" openssl x509 -noout -in "$OUT/ca.pem"
check "new CA: CSR parses" openssl req -noout -in "$OUT/ca.csr"
check "new CA: key parses" openssl pkey -noout -in "$OUT/ca-key.pem"

run reissue gencert -initca -ca-key ca-key.pem ca-csr.json
check_eq "-initca -ca-key: exit status" 0 "$RC"
check "-initca -ca-key stdout: only cert and csr" grep -qE \
	"^\\{\"cert\":\"-----BEGIN CERTIFICATE-----\\\\n$B64-----END CERTIFICATE-----\\\\n\",\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----\\\\n$B64-----END CERTIFICATE REQUEST-----\\\\n\"\\}\$" \
	"$OUT/reissue.out"
check_eq "-initca -ca-key stdout: PEM bodies in 64-column lines" ok "$(pem_columns "$OUT/reissue.out")"
check_eq "-initca -ca-key: log (§6.7)" "$(printf '%s\n' \
	'[INFO] re-generate a CA certificate from CSR and CA key' '[INFO] encoded CSR' \
	'[INFO] signed certificate with serial number N')" "$(log_of reissue)"

# ---------------------------------------------------------------------------------------------
# 6. stderr log records (§1.4, §1.5, §6.5)

check_eq "new CA: every stderr line is a timestamped record" 6 \
	"$(grep -cE "$TS_RE" "$OUT/ca.err")"
check_eq "new CA: stderr has 6 lines" 6 "$(wc -l <"$OUT/ca.err")"
check_eq "new CA: log records (§6.5)" "$NEWCA_LOG" "$(log_of ca)"
check "new CA: serial line" grep -qxE \
	'\[INFO\] signed certificate with serial number [0-9]+' <(strip_ts <"$OUT/ca.err")
check_eq "new CA: stdout unaffected by log" 0 "$(grep -c INFO "$OUT/ca.out")"

SIGN=(gencert -ca ca.pem -ca-key ca-key.pem)
lbefore=$(date +%s)
run leaf-hosts "${SIGN[@]}" leaf-hosts.json
lafter=$(date +%s)
check_eq "signed with hosts: exit status" 0 "$RC"
split leaf-hosts
check_eq "signed with hosts: 5 timestamped records" 5 "$(grep -cE "$TS_RE" "$OUT/leaf-hosts.err")"
check_eq "signed with hosts: log records, no warning (§6.5)" "$SIGNED_LOG" "$(log_of leaf-hosts)"
check "signed with hosts: verifies against the CA" \
	openssl verify -CAfile "$OUT/ca.pem" "$OUT/leaf-hosts.pem"

run leaf "${SIGN[@]}" leaf.json
check_eq "signed without hosts: exit status" 0 "$RC"
split leaf
check_eq "signed without hosts: 6 timestamped records" 6 "$(grep -cE "$TS_RE" "$OUT/leaf.err")"
check_eq "signed without hosts: stderr has 9 lines" 9 "$(wc -l <"$OUT/leaf.err")"
check_eq "signed without hosts: log records and the hosts warning (§6.5)" \
	"$SIGNED_LOG
$WARN_HOSTS" "$(log_of leaf)"

# Local time: the log hour follows TZ (§1.4).
tz_pair()
{
	TZ=UTC t cfssl gencert -initca null.json >/dev/null 2>"$OUT/tz-utc.err"
	utc_date=$(TZ=UTC date +%H:%M)
	TZ=Asia/Tokyo t cfssl gencert -initca null.json >/dev/null 2>"$OUT/tz-tokyo.err"
	tokyo_date=$(TZ=Asia/Tokyo date +%H:%M)
	utc_log=$(first_line "$OUT/tz-utc.err" | cut -c12-16)
	tokyo_log=$(first_line "$OUT/tz-tokyo.err" | cut -c12-16)
	[ "$utc_log" = "$utc_date" ] && [ "$tokyo_log" = "$tokyo_date" ] &&
		[ "${utc_log#*:}" = "${tokyo_log#*:}" ]
}
if [ "$(TZ=Asia/Tokyo date +%H)" = "$(TZ=UTC date +%H)" ]; then
	echo "note: no time zone data for Asia/Tokyo, TZ checks skipped"
else
	tz_pair || tz_pair
	check_eq "TZ=UTC: log time is the UTC wall clock" "$utc_date" "$utc_log"
	check_eq "TZ=Asia/Tokyo: log time is the Tokyo wall clock" "$tokyo_date" "$tokyo_log"
	check_eq "TZ=Asia/Tokyo log hour = TZ=UTC log hour + 9 (mod 24)" \
		$(((10#${utc_log%:*} + 9) % 24)) $((10#${tokyo_log%:*}))
fi

run ll2 "${SIGN[@]}" -loglevel 2 leaf.json
check_eq "-loglevel 2: exit status" 0 "$RC"
check_eq "-loglevel 2: only the WARNING remains" "$WARN_HOSTS" "$(log_of ll2)"
check_eq "-loglevel 2: stdout still the JSON" 1 "$(grep -c '^{"cert":' "$OUT/ll2.out")"
run ll6 "${SIGN[@]}" -loglevel 6 leaf.json
check_eq "-loglevel 6: exit status" 0 "$RC"
check_eq "-loglevel 6: stderr empty" 0 "$(wc -c <"$OUT/ll6.err")"
check_eq "-loglevel 6: stdout still the JSON" 1 "$(grep -c '^{"cert":' "$OUT/ll6.out")"
run ll0 "${SIGN[@]}" -loglevel 0 leaf-hosts.json
check_eq "-loglevel 0: exit status" 0 "$RC"
run llneg "${SIGN[@]}" -loglevel=-3 leaf-hosts.json
check_eq "-loglevel=-3: exit status" 0 "$RC"
check_eq "-loglevel=-3: same records as -loglevel 0" \
	"$(log_of ll0 | grep -v '^\[DEBUG\]'; echo "DEBUG: $(grep -c '\[DEBUG\]' "$OUT/ll0.err")")" \
	"$(log_of llneg | grep -v '^\[DEBUG\]'; echo "DEBUG: $(grep -c '\[DEBUG\]' "$OUT/llneg.err")")"
check_contains "-loglevel=-3: INFO records shown" "$(log_of llneg)" "[INFO] encoded CSR"
run llhex "${SIGN[@]}" -loglevel 0x2 leaf.json
check_eq "-loglevel 0x2 (Go integer syntax): only the WARNING" "$WARN_HOSTS" "$(log_of llhex)"

# ---------------------------------------------------------------------------------------------
# 7. Serial numbers (§8.1)

# serial_check NAME: the logged serial equals the certificate's and is < 2^159 (20 bytes, top bit
# clear).
serial_check()
{
	local logged hex
	logged=$(strip_ts <"$OUT/$1.err" |
		sed -nE 's/^\[INFO\] signed certificate with serial number ([0-9]+)$/\1/p')
	hex=$(openssl x509 -noout -serial -in "$OUT/$1.pem" | sed 's/^serial=//')
	check_eq "$1: logged serial = certificate serial" "$logged" \
		"$(python3 -c 'import sys; print(int(sys.argv[1], 16))' "$hex")"
	check_eq "$1: serial fits 20 bytes with the top bit clear" yes \
		"$(python3 -c 'import sys; print("yes" if 0 < int(sys.argv[1], 16) < 2**159 else "no")' "$hex")"
}
serial_check ca
serial_check leaf-hosts
serial_check leaf

# ---------------------------------------------------------------------------------------------
# 8. Validity (§8.3)

# validity NAME DESC BEFORE AFTER BACKDATE LIFETIME
validity()
{
	local nb na lo hi
	nb=$(not_before "$OUT/$1.pem")
	na=$(not_after "$OUT/$1.pem")
	check_eq "$2: notBefore seconds are 00" 0 $((nb % 60))
	lo=$(($(round_min "$3") - $5 - 60))
	hi=$(($(round_min "$4") - $5 + 60))
	if [ "$nb" -ge "$lo" ] && [ "$nb" -le "$hi" ]; then
		lib_pass "$2: notBefore = round(now) - $5 s"
	else
		lib_fail "$2: notBefore = round(now) - $5 s" \
			"notBefore $(date -u -d "@$nb") not in [$(date -u -d "@$lo"), $(date -u -d "@$hi")]"
	fi
	check_eq "$2: notAfter - notBefore" "$6" $((na - nb))
}
validity ca "new CA" "$before" "$after" 300 $((43800 * 3600))
validity leaf-hosts "leaf" "$lbefore" "$lafter" 300 $((8760 * 3600))

printf '{"CN":"short CA",%s,"ca":{"expiry":"1h","backdate":"1h"}}\n' "$ECDSA" >short-ca.json
before=$(date +%s)
run short-ca gencert -initca short-ca.json
after=$(date +%s)
check_eq "ca expiry 1h backdate 1h: exit status" 0 "$RC"
split short-ca
validity short-ca "ca expiry 1h backdate 1h" "$before" "$after" 3600 3600

printf '{"CN":"bad CA",%s,"ca":{"expiry":"1y"}}\n' "$ECDSA" >year-ca.json
run year-ca gencert -initca year-ca.json
check_eq 'ca expiry "1y": exit status' 1 "$RC"
check_eq 'ca expiry "1y": stderr (§5.6, §6.6)' \
	"$(printf '%s\n' '[INFO] generating a new CA key and certificate from CSR' \
		'time: unknown unit "y" in duration "1y"')" "$(log_of year-ca)"
check_eq 'ca expiry "1y": stdout empty' 0 "$(wc -c <"$OUT/year-ca.out")"

# ---------------------------------------------------------------------------------------------
# 9. Signature algorithm per CA key (§8.2), Ed25519 key format (deviation 8)

# ca_sigalg ALGO SIZE WANT
ca_sigalg()
{
	local name=ca-$1-$2
	printf '{"CN":"%s CA","key":{"algo":"%s","size":%s}}\n' "$1" "$1" "$2" >"$name.json"
	run "$name" gencert -initca "$name.json"
	check_eq "$1-$2 CA: exit status" 0 "$RC"
	split "$name"
	check_eq "$1-$2 CA: certificate signature" "$3" "$(sigalg x509 "$OUT/$name.pem")"
	check_eq "$1-$2 CA: CSR signature" "$3" "$(sigalg req "$OUT/$name.csr")"
}
ca_sigalg rsa 2048 sha256WithRSAEncryption
ca_sigalg ecdsa 384 ecdsa-with-SHA384
ca_sigalg ecdsa 521 ecdsa-with-SHA512
ca_sigalg ed25519 256 ED25519
check_eq "ed25519 CA: log line generating key: ed25519-256" 1 \
	"$(strip_ts <"$OUT/ca-ed25519-256.err" | grep -cx '\[INFO\] generating key: ed25519-256')"
check_eq "ed25519 key: PEM label PRIVATE KEY (deviation 8)" "-----BEGIN PRIVATE KEY-----" \
	"$(first_line "$OUT/ca-ed25519-256-key.pem")"
check_eq "ed25519 key: END label" "-----END PRIVATE KEY-----" \
	"$(last_line "$OUT/ca-ed25519-256-key.pem")"
check "ed25519 key: openssl pkey reads it" openssl pkey -noout -in "$OUT/ca-ed25519-256-key.pem"
check_eq "rsa-2048 key: PEM label RSA PRIVATE KEY" "-----BEGIN RSA PRIVATE KEY-----" \
	"$(first_line "$OUT/ca-rsa-2048-key.pem")"

printf '{"CN":"rsa leaf","key":{"algo":"rsa","size":2048},"hosts":["r.example"]}\n' >rsa-leaf.json
run rsa-leaf "${SIGN[@]}" rsa-leaf.json
check_eq "P-256 CA signs an RSA leaf: exit status" 0 "$RC"
split rsa-leaf
check_eq "P-256 CA signs an RSA leaf: certificate signature" ecdsa-with-SHA256 \
	"$(sigalg x509 "$OUT/rsa-leaf.pem")"
check_eq "P-256 CA signs an RSA leaf: CSR signature" sha256WithRSAEncryption \
	"$(sigalg req "$OUT/rsa-leaf.csr")"

# ---------------------------------------------------------------------------------------------
# 10. CA options (§5.6, §6.6)

# ca_opts NAME CA-JSON-MEMBER WANT-BASIC-CONSTRAINTS
ca_opts()
{
	printf '{"CN":"%s",%s,"ca":%s}\n' "$1" "$ECDSA" "$2" >"$1.json"
	run "$1" gencert -initca "$1.json"
	check_eq "$1: exit status" 0 "$RC"
	split "$1"
	check_eq "$1: basicConstraints" "$3" "$(ext_text "$OUT/$1.pem" basicConstraints)"
}
ca_opts pathlen2 '{"pathlen":2}' "CA:TRUE, pathlen:2"
ca_opts pathlen0 '{"pathlen":0}' "CA:TRUE"
ca_opts pathlen0zero '{"pathlen":0,"pathlenzero":true}' "CA:TRUE, pathlen:0"
ca_opts pathlen3zero '{"pathlen":3,"pathlenzero":true}' "CA:TRUE, pathlen:3"
check_eq "pathlen 3 + pathlenzero: INFO line right after the first" \
	"[INFO] ignore invalid 'pathlenzero' value" "$(log_of pathlen3zero | sed -n 2p)"
check_eq "pathlen 2: no pathlenzero INFO line" 0 "$(grep -c pathlenzero "$OUT/pathlen2.err")"

printf '{"CN":"ip CA",%s,"hosts":["h.example","10.1.1.1"]}\n' "$ECDSA" >ip-ca.json
run ip-ca gencert -initca ip-ca.json
check_eq "CA with hosts: exit status" 0 "$RC"
split ip-ca
check_eq "CA with hosts: certificate SAN keeps only the IP" "IP Address:10.1.1.1" \
	"$(ext_text "$OUT/ip-ca.pem" subjectAltName)"
check_eq "CA with hosts: CSR SAN has both" "DNS:h.example, IP Address:10.1.1.1" \
	"$(csr_san "$OUT/ip-ca.csr")"

printf '{"CN":"crl CA",%s,"crl_url":"http://crl.example/ca.crl"}\n' "$ECDSA" >crl-ca.json
run crl-ca gencert -initca crl-ca.json
check_eq "crl_url: exit status" 0 "$RC"
split crl-ca
check_eq "crl_url: CRL distribution point" "Full Name: | URI:http://crl.example/ca.crl" \
	"$(ext_text "$OUT/crl-ca.pem" crlDistributionPoints)"

# ---------------------------------------------------------------------------------------------
# 11. -cn, stdin, file:/env: prefixes (§4.2, §5.2)

run cn "${SIGN[@]}" -cn override leaf-hosts.json
check_eq "-cn override: exit status" 0 "$RC"
split cn
check_eq "-cn override: subject" "CN = override" "$(subject_of "$OUT/cn.pem")"

run stdin "${SIGN[@]}" - <leaf-hosts.json
check_eq "CSR JSON from stdin: exit status" 0 "$RC"
split stdin
check_eq "CSR JSON from stdin: subject" "CN = leaf" "$(subject_of "$OUT/stdin.pem")"
check_eq "CSR JSON from stdin: SAN" "DNS:leaf.example, IP Address:10.0.0.1" \
	"$(ext_text "$OUT/stdin.pem" subjectAltName)"

run_env prefix "CAKEY=$(cat ca-key.pem)" gencert -ca file:ca.pem -ca-key env:CAKEY leaf-hosts.json
check_eq "-ca file: -ca-key env: exit status" 0 "$RC"
split prefix
check "-ca file: -ca-key env: verifies against the CA" \
	openssl verify -CAfile "$OUT/ca.pem" "$OUT/prefix.pem"

run colon gencert -ca ca.pem -ca-key ./a:b.pem leaf-hosts.json
check_eq "-ca-key ./a:b.pem: exit status" 1 "$RC"
check_eq "-ca-key ./a:b.pem: last line" '{"code":1001,"message":"unknown prefix: ./a"}' \
	"$(strip_ts <"$OUT/colon.err" | tail -n1)"
check_eq "-ca-key ./a:b.pem: stdout empty" 0 "$(wc -c <"$OUT/colon.out")"

# ---------------------------------------------------------------------------------------------
# 12. Deviations (deviations.md) and multi-valued RDNs (§5.3)

printf '{"CN":"rsa default","key":{"algo":"rsa"},"hosts":["r.example"]}\n' >rsa-nosize.json
run rsa-nosize "${SIGN[@]}" rsa-nosize.json
check_eq '{"algo":"rsa"} (deviation 5): exit status' 0 "$RC"
check_eq '{"algo":"rsa"} (deviation 5): log line' 1 \
	"$(strip_ts <"$OUT/rsa-nosize.err" | grep -cx '\[INFO\] generating key: rsa-2048')"
split rsa-nosize
check_eq '{"algo":"rsa"} (deviation 5): 2048-bit key' 1 \
	"$(openssl x509 -noout -text -in "$OUT/rsa-nosize.pem" | grep -c 'Public-Key: (2048 bit)')"

run profile "${SIGN[@]}" -profile nosuch leaf-hosts.json
check_eq "-profile nosuch (deviation 3): exit status" 0 "$RC"
check_eq "-profile nosuch (deviation 3): warning" 1 \
	"$(strip_ts <"$OUT/profile.err" |
		grep -cxF '[WARNING] profile "nosuch" not found, using the default profile')"
check_eq "-profile nosuch (deviation 3): certificate on stdout" 1 \
	"$(grep -c '^{"cert":' "$OUT/profile.out")"

run trim "${SIGN[@]}" "-hostname= a.example , b.example" leaf.json
check_eq "-hostname with spaces (deviation 1): exit status" 0 "$RC"
split trim
check_eq "-hostname with spaces (deviation 1): SAN trimmed" "DNS:a.example, DNS:b.example" \
	"$(ext_text "$OUT/trim.pem" subjectAltName)"
check_eq "-hostname with spaces (deviation 1): no hosts warning" 0 \
	"$(grep -c 'lacks a "hosts" field' "$OUT/trim.err")"

printf '{"CN":"x",%s,"hosts":["x.example"],"expire":"1h"}\n' "$ECDSA" >expire.json
run expire "${SIGN[@]}" expire.json
check_eq "unknown member expire (deviation 10): exit status" 0 "$RC"
check_eq "unknown member expire (deviation 10): a WARNING naming it" 1 \
	"$(strip_ts <"$OUT/expire.err" | grep -c '^\[WARNING\] .*expire')"
printf '{"CN":"x",%s,"ca":{"expire":"1h"}}\n' "$ECDSA" >ca-expire.json
run ca-expire gencert -initca ca-expire.json
check_eq "unknown member ca.expire (deviation 10): exit status" 0 "$RC"
check_eq "unknown member ca.expire (deviation 10): a WARNING naming it" 1 \
	"$(strip_ts <"$OUT/ca-expire.err" | grep -c '^\[WARNING\] .*expire')"

printf '{"CN":"multi",%s,"names":[{"C":"US","O":"Org A"},{"C":"DE","O":"B"}]}\n' "$ECDSA" \
	>multi.json
run multi gencert -initca multi.json
check_eq "two names entries: exit status" 0 "$RC"
split multi
check_eq "two names entries: multi-valued RDNs, DER-sorted (§5.3)" \
	"C = DE + C = US, O = B + O = Org A, CN = multi" "$(subject_of "$OUT/multi.pem")"
check_eq "two names entries: CSR subject the same" \
	"C = DE + C = US, O = B + O = Org A, CN = multi" \
	"$(openssl req -noout -subject -in "$OUT/multi.csr" | sed 's/^subject=//')"

# ---------------------------------------------------------------------------------------------
# 13. CSR JSON decoding (§5.1, §6.6)

printf '{"cn":"lower",%s,"NAMES":[{"o":"Org"}]}\n' "$ECDSA" >case.json
run case gencert -initca case.json
check_eq "case-insensitive members: exit status" 0 "$RC"
split case
check_eq "case-insensitive members: subject" "O = Org, CN = lower" "$(subject_of "$OUT/case.pem")"

printf '{"CN":"x","cn":"y",%s}\n' "$ECDSA" >dup.json
run dup gencert -initca dup.json
check_eq "duplicate member: exit status" 0 "$RC"
split dup
check_eq "duplicate member: the last one wins" "CN = y" "$(subject_of "$OUT/dup.pem")"

run null gencert -initca null.json
check_eq "null document: exit status" 1 "$RC"
check_eq "null document: stderr (§6.6)" "$(printf '%s\n' \
	'[INFO] generating a new CA key and certificate from CSR' \
	'[INFO] generate received request' \
	'[WARNING] invalid request: {"code":5300,"message":"missing subject information"}' \
	'[ERROR] failed to process request: {"code":5300,"message":"missing subject information"}' \
	'{"code":5300,"message":"missing subject information"}'; printf x)" \
	"$(strip_ts <"$OUT/null.err"; printf x)"
check_eq "null document: 4 timestamped records" 4 "$(grep -cE "$TS_RE" "$OUT/null.err")"
check_eq "null document: stdout empty" 0 "$(wc -c <"$OUT/null.out")"

printf '\357\273\277{"CN":"bom"}\n' >bom.json
run bom gencert -initca bom.json
check_eq "UTF-8 BOM: exit status" 1 "$RC"
check_eq "UTF-8 BOM: stderr is exactly the Go error" \
	"$(printf '%s\nx' "invalid character 'ï' looking for beginning of value")" \
	"$(whole "$OUT/bom.err")"
check_eq "UTF-8 BOM: stdout empty" 0 "$(wc -c <"$OUT/bom.out")"

finish
