#!/bin/bash
# End-to-end test: `cfssl selfsign` (cfssl-compat.md §12.4, §8.3, §8.5). Certificates are parsed
# with openssl: serial size, unrounded validity, extensions, the profile rules, the warning banner
# bytes and every argument error; Debian's cfssl 1.2 selfsign (when installed) must give the same
# stderr records and output structure.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs openssl python3 cmp sha1sum

IN=$WORK/in
OUT=$WORK/out
mkdir -p "$IN" "$OUT"
cd "$IN" || exit 1

names='"names":[{"C":"LV","L":"Riga","O":"Test","OU":"Containerum"}]'
printf '{"CN":"self.example","hosts":["self.example","10.1.2.3","a@b.example"],%s}\n' "$names" \
	>self.json
printf '{"CN":"nohosts"}\n' >nohosts.json
printf '{"hosts":["only.example"]}\n' >nosubject.json
printf '{"CN":"ca-block","hosts":["x.example"],"ca":{"pathlen":3,"expiry":"1h"}}\n' >cablock.json
printf '{"CN":"mail","names":[{"O":"Org","E":"e@mail.example"}]}\n' >email.json
printf '{"CN":"rsa","key":{"algo":"rsa","size":2048}}\n' >rsa.json
printf '{"CN":"ed","key":{"algo":"ed25519"}}\n' >ed.json
printf '{"CN":"x","key":{"algo":"dsa","size":2048}}\n' >dsa.json
cat >config.json <<'EOF'
{"signing":{
  "default":{"expiry":"3h","usages":["digital signature","server auth"],
    "issuer_urls":["http://issuer.example/ca.crt"],"ocsp_url":"http://ocsp.example",
    "crl_url":"http://crl.example/ca.crl","ocsp_no_check":true,"backdate":"1h"},
  "profiles":{
    "client":{"expiry":"10h","usages":["signing","client auth"],"issuer_urls":[]},
    "inter":{"expiry":"20h","usages":["cert sign","crl sign"],
      "ca_constraint":{"is_ca":true,"max_path_len":2}}}}}
EOF
cat >nousage.json <<'EOF'
{"signing":{"default":{"expiry":"1h"}}}
EOF

banner='*** WARNING ***

Self-signed certificates are dangerous. Use this self-signed
certificate at your own risk.

It is strongly recommended that these certificates NOT be used
in production.

*** WARNING ***
'
printf '%s\n' "$banner" >"$WORK/banner"

gen_log='[INFO] generate received request
[INFO] received CSR
[INFO] generating key: ecdsa-256
[INFO] encoded CSR'

# run NAME ARGS...: cfssl ARGS in $IN; stdout → $OUT/NAME.out, stderr → $OUT/NAME.err,
# the run's start and end (epoch seconds) → $OUT/NAME.t0/.t1, exit status → $OUT/NAME.rc.
run()
{
	local name=$1
	shift
	date -u +%s >"$OUT/$name.t0"
	t cfssl "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
	echo $? >"$OUT/$name.rc"
	date -u +%s >"$OUT/$name.t1"
}

rc_of() { cat "$OUT/$1.rc"; }
log_of() { strip_ts <"$OUT/$1.err"; }

keys()
{
	python3 -c 'import json, sys
pairs = json.load(open(sys.argv[1]), object_pairs_hook=lambda p: p)
print(",".join(k for k, _ in pairs))' "$OUT/$1.out" 2>&1
}

split()
{
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k, suffix in (("cert", ".pem"), ("csr", ".csr"), ("key", "-key.pem")):
    if k in d:
        open(sys.argv[2] + suffix, "w").write(d[k])' "$OUT/$1.out" "$OUT/$1"
}

pem_label() { sed -nE 's/^-----BEGIN (.*)-----$/\1/p' "$1" | head -n1; }
epoch_of() { date -u -d "$1" +%s; }
not_before() { epoch_of "$(openssl x509 -noout -startdate -in "$1" | cut -d= -f2)"; }
not_after() { epoch_of "$(openssl x509 -noout -enddate -in "$1" | cut -d= -f2)"; }
# The extension names of a certificate, in order, joined by ",".
ext_names()
{
	openssl x509 -in "$1" -noout -text |
		sed -n '/X509v3 extensions:/,/Signature Algorithm:/p' |
		sed -nE 's/^ {12}([^ ].*):( critical)? *$/\1\2/p' | paste -sd,
}
# The value lines of one extension (by openssl -ext name), trimmed, joined by " | ".
ext_text()
{
	openssl x509 -noout -ext "$2" -in "$1" 2>/dev/null | tail -n +2 | sed -E 's/^ +//; s/ +$//' |
		paste -sd'|' | sed 's/|/ | /g'
}

# ok_run DESC NAME: exit 0, {"cert","csr","key"} on one line, stderr = the 4 records + banner.
ok_run()
{
	check_eq "$1: exit status" 0 "$(rc_of "$2")"
	check_eq "$1: stdout members" "cert,csr,key" "$(keys "$2")"
	check_eq "$1: stdout is one line" 1 "$(wc -l <"$OUT/$2.out")"
	check_eq "$1: log records" "$gen_log" "$(log_of "$2" | head -n 4)"
	tail -n +5 "$OUT/$2.err" >"$OUT/$2.banner"
	check "$1: the warning banner, byte for byte" cmp "$WORK/banner" "$OUT/$2.banner"
	split "$2"
}

fails()
{
	check_eq "$1: exit status" "$3" "$(rc_of "$2")"
	check_eq "$1: stderr" "$4" "$(log_of "$2")"
	check_eq "$1: nothing on stdout" 0 "$(wc -c <"$OUT/$2.out")"
}

# --- 1. the default profile ---------------------------------------------------------------
run self selfsign ignored.example self.json
ok_run "selfsign" self
c=$OUT/self.pem
check_eq "selfsign: 10-line banner" 10 "$(wc -l <"$OUT/self.banner")"
check_eq "selfsign: CERTIFICATE label" "CERTIFICATE" "$(pem_label "$c")"
check_eq "selfsign: key label" "EC PRIVATE KEY" "$(pem_label "$OUT/self-key.pem")"
check "selfsign: CSR verifies" openssl req -in "$OUT/self.csr" -noout -verify
check_eq "selfsign: key matches the certificate" \
	"$(openssl pkey -in "$OUT/self-key.pem" -pubout 2>&1)" "$(openssl x509 -in "$c" -noout -pubkey 2>&1)"
check_eq "selfsign: key matches the CSR" \
	"$(openssl pkey -in "$OUT/self-key.pem" -pubout 2>&1)" "$(openssl req -in "$OUT/self.csr" -noout -pubkey 2>&1)"
check_eq "selfsign: issuer = subject" \
	"$(openssl x509 -in "$c" -noout -subject | sed 's/^subject=//')" \
	"$(openssl x509 -in "$c" -noout -issuer | sed 's/^issuer=//')"
check_eq "selfsign: subject = the CSR's" \
	"$(openssl req -in "$OUT/self.csr" -noout -subject | sed 's/^subject=//')" \
	"$(openssl x509 -in "$c" -noout -subject | sed 's/^subject=//')"
check "selfsign: signed by its own key (openssl verify)" openssl verify -CAfile "$c" "$c"
serial=$(openssl x509 -in "$c" -noout -serial | cut -d= -f2)
check_eq "selfsign: serial < 2^63 (at most 8 bytes, top bit clear)" yes \
	"$(python3 -c 'import sys; print("yes" if 0 <= int(sys.argv[1], 16) < 2**63 - 1 else "no")' "$serial")"
# the serial is the first INTEGER at depth 2 (the version is at depth 3)
serial_len=$(openssl asn1parse -in "$c" 2>/dev/null | sed -nE '/d=2 .*INTEGER/{s/.*l= *([0-9]+) .*/\1/p;q}')
[ -n "$serial_len" ] || serial_len=99
check "selfsign: serial DER at most 8 content bytes" test "$serial_len" -le 8
nb=$(not_before "$c")
na=$(not_after "$c")
t0=$(cat "$OUT/self.t0")
t1=$(cat "$OUT/self.t1")
# notBefore = now - 5 min to the second (not rounded to the minute, unlike the signer's).
check "selfsign: notBefore = time of the run - 5 min (+-2 s)" \
	test $((t0 - 300 - 2)) -le "$nb" -a "$nb" -le $((t1 - 300 + 2))
check_eq "selfsign: notAfter - notBefore = 2190h + 5 min" $((2190 * 3600 + 300)) $((na - nb))
check_eq "selfsign: extensions in order (no AKI)" \
	"X509v3 Key Usage critical,X509v3 Extended Key Usage,X509v3 Basic Constraints critical,X509v3 Subject Key Identifier,X509v3 Subject Alternative Name" \
	"$(ext_names "$c")"
check_eq "selfsign: key usage" "Digital Signature, Key Encipherment" "$(ext_text "$c" keyUsage)"
check_eq "selfsign: extended key usage" \
	"TLS Web Server Authentication, TLS Web Client Authentication" "$(ext_text "$c" extendedKeyUsage)"
check_eq "selfsign: CA:FALSE" "CA:FALSE" "$(ext_text "$c" basicConstraints)"
ski=$(openssl x509 -in "$c" -noout -pubkey | openssl pkey -pubin -outform DER | tail -c 65 |
	sha1sum | cut -c1-40 | tr a-f A-F | sed 's/../&:/g; s/:$//')
check_eq "selfsign: SKI = SHA-1 of the public key" "$ski" "$(ext_text "$c" subjectKeyIdentifier)"
check_eq "selfsign: SANs from the JSON hosts, HOSTNAME unused" \
	"DNS:self.example, email:a@b.example, IP Address:10.1.2.3" "$(ext_text "$c" subjectAltName)"
check_eq "selfsign: SAN extension = the CSR's" \
	"$(openssl req -in "$OUT/self.csr" -noout -text | sed -n '/Subject Alternative Name/{n;p}' | sed -E 's/^ +//')" \
	"$(ext_text "$c" subjectAltName)"
check_eq "selfsign: signature algorithm" "ecdsa-with-SHA256" \
	"$(openssl x509 -in "$c" -noout -text | sed -nE 's/^ *Signature Algorithm: //p' | head -n1)"

run nohosts selfsign h nohosts.json
ok_run "selfsign without hosts" nohosts
check_not_contains "selfsign without hosts: no SAN, no lacks-hosts warning" \
	"$(ext_names "$OUT/nohosts.pem") $(cat "$OUT/nohosts.err")" "Alternative"
check_not_contains "selfsign without hosts: no hosts warning" "$(cat "$OUT/nohosts.err")" "WARNING]"

# An empty subject: the SAN is the CSR's as it is (not critical).
run nosubj selfsign h nosubject.json
ok_run "selfsign, empty subject" nosubj
check_eq "selfsign, empty subject: SAN copied, not critical" \
	"X509v3 Key Usage critical,X509v3 Extended Key Usage,X509v3 Basic Constraints critical,X509v3 Subject Key Identifier,X509v3 Subject Alternative Name" \
	"$(ext_names "$OUT/nosubj.pem")"

# A "ca" block is not refused; the CSR's basicConstraints is copied with the other requested
# extensions (Go's ExtraExtensions), after the SAN, and replaces the profile's.
run cablock selfsign h cablock.json
ok_run "selfsign with a ca block" cablock
check_eq "selfsign with a ca block: extensions" \
	"X509v3 Key Usage critical,X509v3 Extended Key Usage,X509v3 Subject Key Identifier,X509v3 Subject Alternative Name,X509v3 Basic Constraints critical" \
	"$(ext_names "$OUT/cablock.pem")"
check_eq "selfsign with a ca block: the CSR's pathlen" "CA:TRUE, pathlen:3" \
	"$(ext_text "$OUT/cablock.pem" basicConstraints)"
check_eq "selfsign with a ca block: ca.expiry not used" $((2190 * 3600 + 300)) \
	$(($(not_after "$OUT/cablock.pem") - $(not_before "$OUT/cablock.pem")))

# The subject is the request's parsed pkix.Name: attributes other than C/ST/L/street/
# postalCode/O/OU/CN/serialNumber (here emailAddress) stay in the CSR only.
run email selfsign h email.json
ok_run "selfsign with names.E" email
check_contains "selfsign with names.E: in the CSR" \
	"$(openssl req -in "$OUT/email.csr" -noout -subject)" "emailAddress"
check_eq "selfsign with names.E: not in the certificate" "subject=O = Org, CN = mail" \
	"$(openssl x509 -in "$OUT/email.pem" -noout -subject)"

# -loglevel hides records, never the banner.
run quiet selfsign -loglevel 5 h self.json
check_eq "selfsign -loglevel 5: exit status" 0 "$(rc_of quiet)"
check "selfsign -loglevel 5: stderr is the banner only" cmp "$WORK/banner" "$OUT/quiet.err"

# stdin
run stdin selfsign h - </dev/null
fails "selfsign - (stdin, empty)" stdin 1 "unexpected end of JSON input"
t cfssl selfsign h - <self.json >"$OUT/stdin.out" 2>"$OUT/stdin.err"
check_eq "selfsign - (stdin): exit status" 0 $?
check_eq "selfsign - (stdin): members" "cert,csr,key" "$(keys stdin)"

# --- 2. key types -------------------------------------------------------------------------
run rsa selfsign h rsa.json
check_eq "selfsign rsa: exit status" 0 "$(rc_of rsa)"
split rsa
check_eq "selfsign rsa: key label" "RSA PRIVATE KEY" "$(pem_label "$OUT/rsa-key.pem")"
check_eq "selfsign rsa: signature algorithm" "sha256WithRSAEncryption" \
	"$(openssl x509 -in "$OUT/rsa.pem" -noout -text | sed -nE 's/^ *Signature Algorithm: //p' | head -n1)"
check "selfsign rsa: verifies" openssl verify -CAfile "$OUT/rsa.pem" "$OUT/rsa.pem"
run ed selfsign h ed.json
check_eq "selfsign ed25519: exit status" 0 "$(rc_of ed)"
split ed
check_eq "selfsign ed25519: key label (deviation 8)" "PRIVATE KEY" "$(pem_label "$OUT/ed-key.pem")"
check_eq "selfsign ed25519: signature algorithm" "ED25519" \
	"$(openssl x509 -in "$OUT/ed.pem" -noout -text | sed -nE 's/^ *Signature Algorithm: //p' | head -n1)"
check "selfsign ed25519: verifies" openssl verify -CAfile "$OUT/ed.pem" "$OUT/ed.pem"
check_eq "selfsign ed25519: key matches the certificate" \
	"$(openssl pkey -in "$OUT/ed-key.pem" -pubout 2>&1)" "$(openssl x509 -in "$OUT/ed.pem" -noout -pubkey 2>&1)"

# --- 3. profiles (-config, -profile) ------------------------------------------------------
run cfgdef selfsign -config config.json h self.json
ok_run "selfsign -config (default profile)" cfgdef
c=$OUT/cfgdef.pem
check_eq "selfsign -config: profile expiry, backdate ignored" $((3 * 3600 + 300)) \
	$(($(not_after "$c") - $(not_before "$c")))
check_eq "selfsign -config: extensions (no CRL DP, no OCSP no-check)" \
	"X509v3 Key Usage critical,X509v3 Extended Key Usage,X509v3 Basic Constraints critical,X509v3 Subject Key Identifier,Authority Information Access,X509v3 Subject Alternative Name" \
	"$(ext_names "$c")"
check_eq "selfsign -config: AIA has caIssuers only (ocsp_url ignored)" \
	"CA Issuers - URI:http://issuer.example/ca.crt" "$(ext_text "$c" authorityInfoAccess)"
check_eq "selfsign -config: key usage" "Digital Signature" "$(ext_text "$c" keyUsage)"
check_eq "selfsign -config: extended key usage" "TLS Web Server Authentication" \
	"$(ext_text "$c" extendedKeyUsage)"

run cfgclient selfsign -config config.json -profile client h self.json
ok_run "selfsign -profile client" cfgclient
c=$OUT/cfgclient.pem
check_eq "selfsign -profile client: expiry 10h" $((10 * 3600 + 300)) $(($(not_after "$c") - $(not_before "$c")))
check_eq "selfsign -profile client: key usage" "Digital Signature" "$(ext_text "$c" keyUsage)"
check_eq "selfsign -profile client: EKU" "TLS Web Client Authentication" "$(ext_text "$c" extendedKeyUsage)"
check_not_contains "selfsign -profile client: issuer_urls [] gives no AIA" "$(ext_names "$c")" \
	"Authority Information Access"

run cfginter selfsign -config config.json -profile inter h self.json
ok_run "selfsign -profile inter (is_ca)" cfginter
c=$OUT/cfginter.pem
check_eq "selfsign is_ca profile: CA:TRUE without pathlen" "CA:TRUE" "$(ext_text "$c" basicConstraints)"
check_eq "selfsign is_ca profile: key usage" "Certificate Sign, CRL Sign" "$(ext_text "$c" keyUsage)"
check_eq "selfsign is_ca profile: SANs kept as the CSR's" \
	"DNS:self.example, email:a@b.example, IP Address:10.1.2.3" "$(ext_text "$c" subjectAltName)"
check "selfsign is_ca profile: openssl verify" openssl verify -CAfile "$c" "$c"

# Deviation 3: an unknown profile falls back to the default, with a warning.
run cfgunknown selfsign -config config.json -profile nope h self.json
check_eq "selfsign unknown profile: exit status" 0 "$(rc_of cfgunknown)"
check_contains "selfsign unknown profile: warning (deviation 3)" "$(log_of cfgunknown)" \
	'[WARNING] profile "nope" not found, using the default profile'
split cfgunknown
check_eq "selfsign unknown profile: the default's expiry" $((3 * 3600 + 300)) \
	$(($(not_after "$OUT/cfgunknown.pem") - $(not_before "$OUT/cfgunknown.pem")))

run nousage selfsign -config nousage.json h self.json
fails "selfsign with a usage-less default" nousage 1 "$gen_log
{\"code\":5100,\"message\":\"Invalid policy: no key usage available\"}"

# --- 4. arguments (§12.4) -----------------------------------------------------------------
notenough="not enough arguments are supplied --- please refer to the usage"
toomany="too many arguments are provided, please check with usage"
run a0 selfsign
fails "selfsign without arguments" a0 1 "$notenough"
run a1 selfsign self.json
fails "selfsign with HOSTNAME only" a1 1 "$notenough"
run a3 selfsign h self.json extra
fails "selfsign with three arguments" a3 1 "$toomany"
run a4 selfsign h self.json -initca
fails "selfsign with a flag after the arguments" a4 1 "$toomany"
run h1 selfsign -hostname other.example self.json
ok_run "selfsign -hostname CSRJSON" h1
check_eq "selfsign -hostname: not used for the SANs" \
	"DNS:self.example, email:a@b.example, IP Address:10.1.2.3" "$(ext_text "$OUT/h1.pem" subjectAltName)"
run h2 selfsign -hostname other.example h self.json
fails "selfsign -hostname with two arguments" h2 1 "$toomany"
run h0 selfsign -hostname other.example
fails "selfsign -hostname without CSRJSON" h0 1 "$notenough"
run i1 selfsign -initca self.json
ok_run "selfsign -initca CSRJSON" i1
check_eq "selfsign -initca: still the profile's CA:FALSE" "CA:FALSE" \
	"$(ext_text "$OUT/i1.pem" basicConstraints)"
run i2 selfsign -initca h self.json
fails "selfsign -initca with two arguments" i2 1 "$toomany"
run i0 selfsign -initca
fails "selfsign -initca without arguments" i0 1 "$notenough"
run missing selfsign h nonexist.json
fails "selfsign missing file" missing 1 "open nonexist.json: no such file or directory"
run dsa selfsign h dsa.json
fails "selfsign algo dsa" dsa 1 '[INFO] generate received request
[INFO] received CSR
[INFO] generating key: dsa-2048
{"code":2400,"message":"invalid algorithm"}'
run badflag selfsign -nope h self.json
check_eq "selfsign -nope: exit status" 2 "$(rc_of badflag)"
check_eq "selfsign -nope: first line" "flag provided but not defined: -nope" "$(head -n1 "$OUT/badflag.err")"
check_eq "selfsign -nope: nothing on stdout" 0 "$(wc -c <"$OUT/badflag.out")"

# --- 5. Debian's cfssl 1.2 selfsign (§14: no SAN there) -----------------------------------
DEB_CFSSL=${DEB_CFSSL:-/usr/bin/cfssl}
DEB_CFSSLJSON=${DEB_CFSSLJSON:-/usr/bin/cfssljson}
if [ -x "$DEB_CFSSL" ] && [ -x "$DEB_CFSSLJSON" ]; then
	t "$DEB_CFSSL" selfsign h self.json >"$OUT/deb.out" 2>"$OUT/deb.err"
	echo $? >"$OUT/deb.rc"
	check_eq "1.2 selfsign: exit status" 0 "$(rc_of deb)"
	check_eq "selfsign: same stderr as 1.2 (records and banner)" "$(log_of deb)" "$(log_of self)"
	check_eq "selfsign: same members as 1.2" "$(keys deb)" "$(keys self)"
	split deb
	check_eq "selfsign: same extensions as 1.2, plus the SAN" \
		"$(ext_names "$OUT/deb.pem"),X509v3 Subject Alternative Name" "$(ext_names "$OUT/self.pem")"
	check_eq "selfsign: same subject as 1.2" "$(openssl x509 -in "$OUT/deb.pem" -noout -subject)" \
		"$(openssl x509 -in "$OUT/self.pem" -noout -subject)"
	check_eq "selfsign: same lifetime as 1.2" \
		$(($(not_after "$OUT/deb.pem") - $(not_before "$OUT/deb.pem"))) \
		$(($(not_after "$OUT/self.pem") - $(not_before "$OUT/self.pem")))
	for j in our deb; do
		jb=$CFSSLJSON_BIN
		[ "$j" = deb ] && jb=$DEB_CFSSLJSON
		mkdir -p "$OUT/split-$j"
		(cd "$OUT/split-$j" && t "$jb" -bare x <"$OUT/self.out" >/dev/null 2>&1)
	done
	check_eq "selfsign: 1.2's cfssljson writes the usual files" "x-key.pem x.csr x.pem" \
		"$(cd "$OUT/split-deb" && ls -1 | paste -sd' ')"
	for f in x.pem x.csr x-key.pem; do
		check "selfsign: $f identical by both cfssljsons" cmp "$OUT/split-deb/$f" "$OUT/split-our/$f"
	done
else
	echo "Debian's cfssl 1.2 is not installed: interop part skipped"
fi

finish
