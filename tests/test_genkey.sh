#!/bin/bash
# End-to-end test: `cfssl genkey` (cfssl-compat.md §12.2, §5.5, §8.7, §8.8, §6.6; deviation 8).
# Outputs are parsed with openssl; `genkey -initca` is compared with `gencert -initca`; Debian's
# cfssl 1.2 genkey (when installed) must give output of the same structure.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs openssl python3 cmp

IN=$WORK/in
OUT=$WORK/out
mkdir -p "$IN" "$OUT"
cd "$IN" || exit 1

names='"names":[{"C":"LV","L":"Riga","O":"Test","OU":"Containerum"}]'
printf '{"CN":"leaf.example","hosts":["leaf.example","10.1.2.3"],%s}\n' "$names" >leaf.json
printf '{"CN":"rsa","key":{"algo":"rsa","size":2048}}\n' >rsa.json
printf '{"CN":"ed","key":{"algo":"ed25519"}}\n' >ed.json
printf '{"CN":"Test CA","key":{"algo":"ecdsa","size":256},%s}\n' "$names" >ca.json
printf '{"CN":"x","ca":{"expiry":"1h"}}\n' >cablock.json
printf '{"CN":"x","key":{"algo":"dsa","size":2048}}\n' >dsa.json
printf '{"CN":"x","key":{"algo":"rsa","size":1024}}\n' >rsa1024.json
printf '{"CN":"x","key":{"algo":"ecdsa","size":224}}\n' >ecdsa224.json
printf '{"names":[{"C":"LV"},{"O":" "}]}\n' >nosubject.json
printf '{"CN":"x"' >truncated.json

# run NAME ARGS...: cfssl ARGS in $IN; stdout → $OUT/NAME.out, stderr → $OUT/NAME.err,
# the exit status → $OUT/NAME.rc.
run()
{
	local name=$1
	shift
	t cfssl "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
	echo $? >"$OUT/$name.rc"
}

rc_of() { cat "$OUT/$1.rc"; }
log_of()
{
	strip_ts <"$OUT/$1.err" | sed -E 's/^(\[INFO\] signed certificate with serial number )[0-9]+$/\1N/'
}

# keys NAME: the member names of the JSON object on stdout, in document order.
keys()
{
	python3 -c 'import json, sys
pairs = json.load(open(sys.argv[1]), object_pairs_hook=lambda p: p)
print(",".join(k for k, _ in pairs))' "$OUT/$1.out" 2>&1
}

# split NAME: the members of $OUT/NAME.out into NAME.pem, NAME.csr, NAME-key.pem (those present).
split()
{
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k, suffix in (("cert", ".pem"), ("csr", ".csr"), ("key", "-key.pem")):
    if k in d:
        open(sys.argv[2] + suffix, "w").write(d[k])' "$OUT/$1.out" "$OUT/$1"
}

pem_label() { sed -nE 's/^-----BEGIN (.*)-----$/\1/p' "$1" | head -n1; }
csr_pub() { openssl req -in "$1" -noout -pubkey 2>&1; }
key_pub() { openssl pkey -in "$1" -pubout 2>&1; }

# ok_output DESC NAME KEYS: exit 0, one line of JSON with exactly KEYS (in order), ending in LF.
ok_output()
{
	check_eq "$1: exit status" 0 "$(rc_of "$2")"
	check_eq "$1: stdout members" "$3" "$(keys "$2")"
	check_eq "$1: stdout is one line" 1 "$(wc -l <"$OUT/$2.out")"
	check_eq "$1: stdout ends in }LF" '}' "$(tail -c 2 "$OUT/$2.out" | head -c 1)"
}

# fails DESC NAME RC LOG: exit RC, exactly LOG on stderr (timestamps stripped), nothing on stdout.
fails()
{
	check_eq "$1: exit status" "$3" "$(rc_of "$2")"
	check_eq "$1: stderr" "$4" "$(log_of "$2")"
	check_eq "$1: nothing on stdout" 0 "$(wc -c <"$OUT/$2.out")"
}

gen_log='[INFO] generate received request
[INFO] received CSR
[INFO] generating key: ecdsa-256
[INFO] encoded CSR'

# --- 1. a key and a CSR (ECDSA) -----------------------------------------------------------
run leaf genkey leaf.json
ok_output "genkey ecdsa" leaf "csr,key"
check_eq "genkey ecdsa: log records" "$gen_log" "$(log_of leaf)"
split leaf
check_eq "genkey ecdsa: key label" "EC PRIVATE KEY" "$(pem_label "$OUT/leaf-key.pem")"
check_eq "genkey ecdsa: CSR label" "CERTIFICATE REQUEST" "$(pem_label "$OUT/leaf.csr")"
check "genkey ecdsa: CSR self-signature verifies" openssl req -in "$OUT/leaf.csr" -noout -verify
check_eq "genkey ecdsa: key matches the CSR" "$(key_pub "$OUT/leaf-key.pem")" "$(csr_pub "$OUT/leaf.csr")"
check_eq "genkey ecdsa: curve P-256" "prime256v1" \
	"$(openssl pkey -in "$OUT/leaf-key.pem" -noout -text 2>&1 | sed -nE 's/^ASN1 OID: //p')"
check_eq "genkey ecdsa: CSR subject" "C=LV, L=Riga, O=Test, OU=Containerum, CN=leaf.example" \
	"$(openssl req -in "$OUT/leaf.csr" -noout -subject -nameopt sep_comma_plus_space |
		sed 's/^subject=//')"
check_eq "genkey ecdsa: CSR SANs from hosts" "DNS:leaf.example, IP Address:10.1.2.3" \
	"$(openssl req -in "$OUT/leaf.csr" -noout -text | sed -n '/Subject Alternative Name/{n;p}' |
		sed -E 's/^ +//')"
check_eq "genkey ecdsa: CSR signature algorithm" "ecdsa-with-SHA256" \
	"$(openssl req -in "$OUT/leaf.csr" -noout -text | sed -nE 's/^ *Signature Algorithm: //p' |
		head -n1)"
check_eq "genkey ecdsa: SEC1 key (version 1, 32-byte scalar)" "ok" \
	"$(openssl asn1parse -in "$OUT/leaf-key.pem" 2>&1 |
		awk 'NR==2 && /INTEGER +:01/ {a=1} NR==3 && /OCTET STRING/ && /l= *32/ {b=1}
		     END {print (a && b) ? "ok" : "bad"}')"

# stdin, and our cfssljson splits the output into the usual files.
t cfssl genkey - <leaf.json 2>"$OUT/stdin.err" >"$OUT/stdin.out"
check_eq "genkey -: exit status" 0 $?
check_eq "genkey -: stdout members" "csr,key" "$(keys stdin)"
mkdir -p "$OUT/json" && (cd "$OUT/json" && t cfssljson -bare k <"$OUT/stdin.out")
check_eq "cfssljson -bare on genkey output: files" "k-key.pem k.csr" \
	"$(cd "$OUT/json" && ls -1 | paste -sd' ')"
check_file_mode "cfssljson -bare on genkey output: key mode" 600 "$OUT/json/k-key.pem"

# -cn and -hostname are gencert flags; genkey takes the request as it is (cfssl's genkey reads
# neither).
run flags genkey -cn other -hostname other.example leaf.json
ok_output "genkey -cn -hostname" flags "csr,key"
split flags
check_contains "genkey -cn: CN from the JSON" \
	"$(openssl req -in "$OUT/flags.csr" -noout -subject)" "CN = leaf.example"
check_eq "genkey -hostname: SANs from the JSON" "DNS:leaf.example, IP Address:10.1.2.3" \
	"$(openssl req -in "$OUT/flags.csr" -noout -text | sed -n '/Subject Alternative Name/{n;p}' |
		sed -E 's/^ +//')"

# -loglevel 2 hides the INFO records.
run quiet genkey -loglevel 2 leaf.json
ok_output "genkey -loglevel 2" quiet "csr,key"
check_eq "genkey -loglevel 2: stderr empty" "" "$(cat "$OUT/quiet.err")"

# --- 2. key types (§8.8, deviation 8) -----------------------------------------------------
run rsa genkey rsa.json
ok_output "genkey rsa" rsa "csr,key"
check_contains "genkey rsa: log" "$(log_of rsa)" "[INFO] generating key: rsa-2048"
split rsa
check_eq "genkey rsa: key label" "RSA PRIVATE KEY" "$(pem_label "$OUT/rsa-key.pem")"
check "genkey rsa: CSR verifies" openssl req -in "$OUT/rsa.csr" -noout -verify
check_eq "genkey rsa: key matches the CSR" "$(key_pub "$OUT/rsa-key.pem")" "$(csr_pub "$OUT/rsa.csr")"
check_contains "genkey rsa: 2048 bits" "$(openssl pkey -in "$OUT/rsa-key.pem" -noout -text 2>&1)" \
	"2048 bit"
check_eq "genkey rsa: CSR signature algorithm" "sha256WithRSAEncryption" \
	"$(openssl req -in "$OUT/rsa.csr" -noout -text | sed -nE 's/^ *Signature Algorithm: //p' |
		head -n1)"

run ed genkey ed.json
ok_output "genkey ed25519" ed "csr,key"
check_contains "genkey ed25519: log" "$(log_of ed)" "[INFO] generating key: ed25519-256"
split ed
check_eq "genkey ed25519: key label (deviation 8)" "PRIVATE KEY" "$(pem_label "$OUT/ed-key.pem")"
check "genkey ed25519: CSR verifies" openssl req -in "$OUT/ed.csr" -noout -verify
check_eq "genkey ed25519: key matches the CSR" "$(key_pub "$OUT/ed-key.pem")" "$(csr_pub "$OUT/ed.csr")"
check_contains "genkey ed25519: openssl reads the key" \
	"$(openssl pkey -in "$OUT/ed-key.pem" -noout -text 2>&1)" "ED25519 Private-Key"

# --- 3. errors ----------------------------------------------------------------------------
run cablock genkey cablock.json
fails "genkey with a ca block" cablock 1 "ca section only permitted in initca"
run dsa genkey dsa.json
fails "genkey algo dsa" dsa 1 '[INFO] generate received request
[INFO] received CSR
[INFO] generating key: dsa-2048
{"code":2400,"message":"invalid algorithm"}'
run rsa1024 genkey rsa1024.json
fails "genkey rsa 1024" rsa1024 1 '[INFO] generate received request
[INFO] received CSR
[INFO] generating key: rsa-1024
{"code":2400,"message":"RSA key is too weak"}'
run ecdsa224 genkey ecdsa224.json
fails "genkey ecdsa 224" ecdsa224 1 '[INFO] generate received request
[INFO] received CSR
[INFO] generating key: ecdsa-224
{"code":2400,"message":"invalid curve"}'
run truncated genkey truncated.json
fails "genkey truncated JSON" truncated 1 "unexpected end of JSON input"
run missing genkey nonexist.json
fails "genkey missing file" missing 1 "open nonexist.json: no such file or directory"
run noargs genkey
fails "genkey without arguments" noargs 1 \
	"not enough arguments are supplied --- please refer to the usage"
run twoargs genkey leaf.json leaf.json
fails "genkey with two arguments" twoargs 1 "only one argument is accepted, please check with usage"
run flagafter genkey leaf.json -initca
fails "genkey with a flag after the argument" flagafter 1 \
	"only one argument is accepted, please check with usage"
run twoargsca genkey -initca ca.json ca.json
fails "genkey -initca with two arguments" twoargsca 1 \
	"only one argument is accepted, please check with usage"
run badflag genkey -nope leaf.json
check_eq "genkey -nope: exit status" 2 "$(rc_of badflag)"
check_eq "genkey -nope: first line" "flag provided but not defined: -nope" "$(head -n1 "$OUT/badflag.err")"
check_eq "genkey -nope: nothing on stdout" 0 "$(wc -c <"$OUT/badflag.out")"

# --- 4. -initca: gencert -initca without its first record (§12.2, §6.6) ------------------
run gk_ca genkey -initca ca.json
run gc_ca gencert -initca ca.json
ok_output "genkey -initca" gk_ca "cert,csr,key"
ok_output "gencert -initca" gc_ca "cert,csr,key"
check_eq "genkey -initca: gencert's log records without the first one" \
	"$(log_of gc_ca | tail -n +2)" "$(log_of gk_ca)"
check_eq "gencert -initca: first record" "[INFO] generating a new CA key and certificate from CSR" \
	"$(log_of gc_ca | head -n1)"
check_eq "genkey -initca: log records" "$gen_log
[INFO] signed certificate with serial number N" "$(log_of gk_ca)"
split gk_ca
split gc_ca
check_eq "genkey -initca: key matches the certificate" "$(key_pub "$OUT/gk_ca-key.pem")" \
	"$(openssl x509 -in "$OUT/gk_ca.pem" -noout -pubkey 2>&1)"
check "genkey -initca: CSR verifies" openssl req -in "$OUT/gk_ca.csr" -noout -verify
check "genkey -initca: self-signed certificate verifies" \
	openssl verify -CAfile "$OUT/gk_ca.pem" "$OUT/gk_ca.pem"
for e in basicConstraints keyUsage subjectKeyIdentifier; do
	# same extension contents as gencert -initca, apart from the key-dependent SKI value
	a=$(openssl x509 -in "$OUT/gk_ca.pem" -noout -ext "$e" 2>&1 | head -n1)
	b=$(openssl x509 -in "$OUT/gc_ca.pem" -noout -ext "$e" 2>&1 | head -n1)
	check_eq "genkey -initca: $e header as gencert -initca" "$b" "$a"
done
check_eq "genkey -initca: CA:TRUE" "CA:TRUE" \
	"$(openssl x509 -in "$OUT/gk_ca.pem" -noout -ext basicConstraints | sed -n '2p' | sed 's/^ *//')"
check_eq "genkey -initca: key usage" "Certificate Sign, CRL Sign" \
	"$(openssl x509 -in "$OUT/gk_ca.pem" -noout -ext keyUsage | sed -n '2p' | sed 's/^ *//')"
check_eq "genkey -initca: same subject as gencert -initca" \
	"$(openssl x509 -in "$OUT/gc_ca.pem" -noout -subject)" \
	"$(openssl x509 -in "$OUT/gk_ca.pem" -noout -subject)"
days=$(($(date -u -d "$(openssl x509 -in "$OUT/gk_ca.pem" -noout -enddate | cut -d= -f2)" +%s) -
	$(date -u -d "$(openssl x509 -in "$OUT/gk_ca.pem" -noout -startdate | cut -d= -f2)" +%s)))
check_eq "genkey -initca: validity 43800h" $((43800 * 3600)) "$days"

run gk_cablock genkey -initca cablock.json
ok_output "genkey -initca with a ca block" gk_cablock "cert,csr,key"
run gk_nosubj genkey -initca nosubject.json
fails "genkey -initca without a subject" gk_nosubj 1 '[INFO] generate received request
[WARNING] invalid request: {"code":5300,"message":"missing subject information"}
[ERROR] failed to process request: {"code":5300,"message":"missing subject information"}
{"code":5300,"message":"missing subject information"}'
run gk_cadsa genkey -initca dsa.json
fails "genkey -initca algo dsa" gk_cadsa 1 '[INFO] generate received request
[INFO] received CSR
[INFO] generating key: dsa-2048
[ERROR] failed to process request: {"code":2400,"message":"invalid algorithm"}
{"code":2400,"message":"invalid algorithm"}'

# --- 5. Debian's cfssl 1.2 genkey (§14: same log records and output format) --------------
DEB_CFSSL=${DEB_CFSSL:-/usr/bin/cfssl}
DEB_CFSSLJSON=${DEB_CFSSLJSON:-/usr/bin/cfssljson}
if [ -x "$DEB_CFSSL" ] && [ -x "$DEB_CFSSLJSON" ]; then
	for mode in plain initca; do
		flag=
		[ "$mode" = initca ] && flag=-initca
		t "$DEB_CFSSL" genkey $flag ca.json >"$OUT/deb_$mode.out" 2>"$OUT/deb_$mode.err"
		echo $? >"$OUT/deb_$mode.rc"
		run "our_$mode" genkey $flag ca.json
		check_eq "1.2 genkey $mode: exit status" 0 "$(rc_of "deb_$mode")"
		check_eq "genkey $mode: same members as 1.2" "$(keys "deb_$mode")" "$(keys "our_$mode")"
		check_eq "genkey $mode: same log records as 1.2" "$(log_of "deb_$mode")" \
			"$(log_of "our_$mode")"
		for who in our deb; do
			for j in our deb; do
				d=$OUT/split-$mode-$who-by-$j
				mkdir -p "$d"
				jb=$CFSSLJSON_BIN
				[ "$j" = deb ] && jb=$DEB_CFSSLJSON
				(cd "$d" && t "$jb" -bare x <"$OUT/${who}_$mode.out" >/dev/null 2>&1)
			done
			check_eq "genkey $mode: 1.2's cfssljson splits $who output as ours does" \
				"$(cd "$OUT/split-$mode-$who-by-our" && ls -1 | paste -sd' ')" \
				"$(cd "$OUT/split-$mode-$who-by-deb" && ls -1 | paste -sd' ')"
			for f in "$OUT/split-$mode-$who-by-deb"/*; do
				check "genkey $mode: $(basename "$f") of $who output identical by both cfssljsons" \
					cmp "$f" "$OUT/split-$mode-$who-by-our/$(basename "$f")"
			done
		done
		check_eq "genkey $mode: our files are named as 1.2's" \
			"$(cd "$OUT/split-$mode-deb-by-deb" && ls -1 | paste -sd' ')" \
			"$(cd "$OUT/split-$mode-our-by-deb" && ls -1 | paste -sd' ')"
		d=$OUT/split-$mode-deb-by-our
		check "genkey $mode: 1.2's CSR verifies" openssl req -in "$d/x.csr" -noout -verify
		check_eq "genkey $mode: 1.2's key label is ours" \
			"$(pem_label "$d/x-key.pem")" "$(pem_label "$OUT/split-$mode-our-by-our/x-key.pem")"
		check_eq "genkey $mode: 1.2's CSR subject is ours" \
			"$(openssl req -in "$d/x.csr" -noout -subject)" \
			"$(openssl req -in "$OUT/split-$mode-our-by-our/x.csr" -noout -subject)"
	done
else
	echo "Debian's cfssl 1.2 is not installed: interop part skipped"
fi

finish
