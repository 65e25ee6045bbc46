#!/bin/bash
# mkbundle (cfssl's cmd/mkbundle) under its name: Go's usage for -f and -nw; every CERTIFICATE
# block of the files found by walking each argument (directories recursively, in lexical
# order) is bundled into -f unless it is expired, unparsable or not a certificate; side by
# side with Debian's cfssl-mkbundle (mkbundle renamed) on the same inputs.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

cd "$WORK" || exit 1
ln -s "$CFSSL_BIN" bin/mkbundle
DEB=/usr/bin/cfssl-mkbundle
[ -x "$DEB" ] || DEB=

# ---- usage
mkbundle -h >h.out 2>h.err
check_eq "-h: exit 0" 0 "$?"
check_eq "-h: Go's default usage" 'Usage of mkbundle:
  -f string
    	path to store certificate bundle (default "cert-bundle.crt")
  -nw int
    	number of workers (default 4)' "$(cat h.err)"
if [ -n "$DEB" ]; then
	"$DEB" -h 2>deb-h.err
	check_eq "-h: the flags of Debian's" "$(sed 1d deb-h.err)" "$(sed 1d h.err)"
fi
mkbundle -x 2>x.err
check_eq "-x: exit 2" 2 "$?"
check_eq "-x: Go's message first" "flag provided but not defined: -x" "$(head -1 x.err)"
mkbundle -nw abc 2>nw.err
check_eq "-nw abc: exit 2" 2 "$?"

# ---- inputs: two CAs in a tree, one of them with its key in the same file, an expired CA,
# a file without PEM, a file that only holds a key.
mkdir -p certs/a/b certs/z
for n in one two; do
	printf '{"CN":"Bundle %s","key":{"algo":"ecdsa","size":256}}\n' "$n" >"$n.json"
	t cfssl gencert -initca "$n.json" 2>/dev/null | t cfssljson -bare "$n"
done
printf '{"CN":"Bundle expired","key":{"algo":"ecdsa","size":256},"ca":{"expiry":"1s"}}\n' >exp.json
t cfssl gencert -initca exp.json 2>/dev/null | t cfssljson -bare exp
cp one.pem certs/a/b/one.crt
cat two.pem two-key.pem >certs/z/two-and-key.pem
cp exp.pem certs/a/expired.pem
echo "not a certificate" >certs/a/plain.txt
cp one-key.pem certs/key-only.pem
sleep 1.2 # the 1 s certificate has expired

mkbundle -f out.crt certs >run.out 2>run.err
check_eq "bundle: exit 0" 0 "$?"
check_eq "bundle: nothing on stdout" "" "$(cat run.out)"
check_eq "bundle: the two valid certificates, in walk order" "$(cat one.pem two.pem)" "$(cat out.crt)"
check_contains "bundle: the count logged" "$(cat run.err)" "[INFO] Wrote 2 certificates."
check_contains "bundle: the expired one skipped" "$(cat run.err)" "[INFO] Skipping revoked certificate"
check_contains "bundle: no PEM in a file" "$(cat run.err)" \
	"[WARNING] certs/a/plain.txt: no PEM data found"
check_contains "bundle: a key is not a certificate" "$(cat run.err)" "[INFO] Skipping non-certificate"
if [ -n "$DEB" ]; then
	"$DEB" -nw 1 -f deb.crt certs >/dev/null 2>deb.err
	check "bundle: Debian's writes the same bundle (-nw 1)" cmp deb.crt out.crt
	check_eq "bundle: Debian's logs the same lines (in any order; timestamps and Go's subject aside)" \
		"$(strip_ts <deb.err | grep -v Validating | sort)" "$(strip_ts <run.err | grep -v Validating | sort)"
fi

# A file argument, the default -f, a missing path (the walk stops: cfssl's error).
mkbundle certs/z/two-and-key.pem missing.pem certs/a/b >/dev/null 2>m.err
check_eq "files: exit 0" 0 "$?"
check_eq "files: cert-bundle.crt by default, the walk stopped by the missing path then resumed" \
	"$(cat two.pem one.pem)" "$(cat cert-bundle.crt)"
check_contains "files: Go's walk error" "$(cat m.err)" \
	"[ERROR] Walk failed: lstat missing.pem: no such file or directory"
mkbundle -nw 0 -f zero.crt certs 2>/dev/null
check_eq "-nw 0: as cfssl, an empty bundle" "0" "$(wc -c <zero.crt)"
mkbundle -f nodir/x.crt certs 2>nd.err
check_eq "-f in a missing directory: exit 1" 1 "$?"
check_contains "-f in a missing directory: Go's error" "$(cat nd.err)" \
	"open nodir/x.crt: no such file or directory"

finish
