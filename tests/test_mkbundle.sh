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

# ---- revocation (cfssl's revoke.VerifyCertificate): a CA's CRL and its certificate served over
# HTTP from 127.0.0.1 by python3's http.server, its OCSP responses by ocspserve, both started
# and stopped by PID. Leaves name the CRL (crl_url), the CA (issuer_urls: the CRL's signature
# is checked against it) and, for the second pair, the OCSP responder as well.
# wait_port PORT PID: the server listens (1 when it died or took too long).
wait_port()
{
	for _ in $(seq 1 100); do
		kill -0 "$2" 2>/dev/null || return 1
		port_open "$1" && return 0
		sleep 0.1
	done
	return 1
}
# rev_setup: the CAs, leaves, CRLs and responses for ports HP and OP, and the two servers;
# 1 when one of them could not listen (a port taken meanwhile: the caller retries).
rev_setup()
{
	HP=$(pick_port)
	OP=$(pick_port)
	rm -rf rev
	mkdir -p rev/www rev/crl rev/ocsp rev/badsig
	cd rev || exit 1
	printf '{"CN":"Rev CA","key":{"algo":"ecdsa","size":256}}\n' >ca.json
	t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca
	printf '{"CN":"Other CA","key":{"algo":"ecdsa","size":256}}\n' >other.json
	t cfssl gencert -initca other.json 2>/dev/null | t cfssljson -bare other
	profile() # CRL-FILE [OCSP-URL]
	{
		printf '{"signing":{"default":{"expiry":"24h","usages":["digital signature","server auth"],'
		printf '"crl_url":"http://127.0.0.1:%s/%s","issuer_urls":["http://127.0.0.1:%s/ca.der"]' \
			"$HP" "$1" "$HP"
		[ -n "${2:-}" ] && printf ',"ocsp_url":"%s"' "$2"
		printf '}}}\n'
	}
	profile ca.crl >crl.cfg
	profile ca.crl "http://127.0.0.1:$OP" >ocsp.cfg
	profile other.crl >badsig.cfg
	leaf() # NAME CONFIG
	{
		printf '{"CN":"%s","hosts":["%s.example"],"key":{"algo":"ecdsa","size":256}}\n' "$1" "$1" >"$1.json"
		t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config "$2" "$1.json" 2>/dev/null |
			t cfssljson -bare "$1"
	}
	leaf good crl.cfg
	leaf bad crl.cfg
	leaf ogood ocsp.cfg
	leaf obad ocsp.cfg
	leaf forged badsig.cfg
	cp good.pem bad.pem crl/
	cp ogood.pem obad.pem ocsp/
	cp forged.pem badsig/
	serial() { openssl x509 -in "$1" -noout -serial | sed 's/serial=//' | python3 -c 'print(int(input(), 16))'; }
	serial bad.pem >serials
	t cfssl gencrl serials ca.pem ca-key.pem | base64 -d >www/ca.crl
	: >none
	t cfssl gencrl none other.pem other-key.pem | base64 -d >www/other.crl
	openssl x509 -in ca.pem -outform der -out www/ca.der
	for n in ogood obad; do
		st=good
		[ "$n" = obad ] && st="revoked -reason keycompromise"
		# shellcheck disable=SC2086
		t cfssl ocspsign -ca ca.pem -responder ca.pem -responder-key ca-key.pem -cert "$n.pem" \
			-status $st 2>/dev/null | sed -E 's/.*"ocspResponse":"([^"]*)".*/\1/' >>responses
	done
	(cd www && exec python3 -m http.server --bind 127.0.0.1 "$HP" >../http.log 2>&1) &
	HPID=$!
	lib_track_pid "$HPID"
	cfssl ocspserve -address 127.0.0.1 -port "$OP" -responses responses >ocspserve.log 2>&1 &
	OPID=$!
	lib_track_pid "$OPID"
	wait_port "$HP" "$HPID" && wait_port "$OP" "$OPID" && return 0
	kill "$HPID" "$OPID" 2>/dev/null
	wait "$HPID" "$OPID" 2>/dev/null
	cd .. || exit 1
	return 1
}
started=
for _ in 1 2 3 4 5; do
	rev_setup && started=1 && break
done
if [ -n "$started" ]; then
	t mkbundle -f crl.crt crl >/dev/null 2>crl.err
	check_eq "CRL: exit 0" 0 "$?"
	check_eq "CRL: the good certificate kept, the revoked one dropped" "$(cat good.pem)" \
		"$(cat crl.crt)"
	check_contains "CRL: cfssl's lines for the revoked one" "$(strip_ts <crl.err)" \
		"[INFO] Serial number match: intermediate is revoked.
[INFO] certificate is revoked via CRL
[INFO] Skipping revoked certificate"
	check_contains "CRL: the count" "$(cat crl.err)" "[INFO] Wrote 1 certificates."

	t mkbundle -f ocsp.crt ocsp >/dev/null 2>ocsp.err
	check_eq "OCSP: the good certificate kept, the one revoked by its responder dropped" \
		"$(cat ogood.pem)" "$(cat ocsp.crt)"
	check_contains "OCSP: cfssl's lines" "$(strip_ts <ocsp.err)" \
		"[INFO] certificate is revoked via OCSP
[INFO] Skipping revoked certificate"

	t mkbundle -f badsig.crt badsig >/dev/null 2>badsig.err
	check_eq "CRL signed by another CA: nothing bundled" "0" "$(wc -c <badsig.crt)"
	check_contains "CRL signed by another CA: cfssl's lines" "$(strip_ts <badsig.err)" \
		"[WARNING] failed to verify CRL: x509: ECDSA verification failure
[WARNING] error checking revocation via CRL
[WARNING] Failed to verify certificate."
	if [ -n "$DEB" ]; then
		for d in crl ocsp badsig; do
			"$DEB" -nw 1 -f "deb-$d.crt" "$d" >/dev/null 2>"deb-$d.err"
			check "$d: Debian's writes the same bundle" cmp "deb-$d.crt" "$d.crt"
			check_eq "$d: Debian's logs the same lines (Go's subject aside)" \
				"$(strip_ts <"deb-$d.err" | grep -v Validating | sort)" \
				"$(strip_ts <"$d.err" | grep -v Validating | sort)"
		done
	fi

	# The CRL's server gone: the check fails, and cfssl drops the certificate (revoke's
	# soft fail only means "not revoked"; mkbundle keeps only what verified).
	kill "$HPID" && wait "$HPID" 2>/dev/null
	t mkbundle -f down.crt crl >/dev/null 2>down.err
	check_eq "CRL refused: exit 0" 0 "$?"
	check_eq "CRL refused: nothing bundled" "0" "$(wc -c <down.crt)"
	check_contains "CRL refused: cfssl's lines" "$(strip_ts <down.err)" \
		"[WARNING] failed to fetch CRL: Get \"http://127.0.0.1:$HP/ca.crl\": dial tcp 127.0.0.1:$HP: connect: connection refused
[WARNING] error checking revocation via CRL
[WARNING] Failed to verify certificate."
	check_contains "CRL refused: the count" "$(cat down.err)" "[INFO] Wrote 0 certificates."
	if [ -n "$DEB" ]; then
		"$DEB" -nw 1 -f deb-down.crt crl >/dev/null 2>deb-down.err
		check "CRL refused: Debian's writes the same (empty) bundle" cmp deb-down.crt down.crt
		check_eq "CRL refused: Debian's logs the same lines" \
			"$(strip_ts <deb-down.err | grep -v Validating | sort)" \
			"$(strip_ts <down.err | grep -v Validating | sort)"
	fi
	cd .. || exit 1
else
	lib_fail "revocation: the test servers did not start" "$(cat rev/http.log rev/ocspserve.log)"
fi

finish
