#!/bin/bash
# cfssl-c under another program's name (issue 11 item 10): a link named cfssl-certinfo behaves
# as `cfssl certinfo` with cfssl-certinfo's own flags and usage text (-h as cfssl master's
# cfssl-certinfo -h, byte for byte: testdata/programs/cfssl-certinfo-h.txt); any other name is
# still the cfssl multiplexer.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

cd "$WORK" || exit 1
GOLD=$SRCDIR/testdata/programs
ln -s "$CFSSL_BIN" bin/cfssl-certinfo
# A copy under a path, not found through PATH: the base name is what counts.
mkdir other
ln -s "$CFSSL_BIN" other/cfssl-certinfo

# ---- usage
cfssl-certinfo -h >h.out 2>h.err
check_eq "-h: exit 0" 0 "$?"
check_eq "-h: nothing on stdout" "" "$(cat h.out)"
check "-h: usage as cfssl-certinfo's" cmp "$GOLD/cfssl-certinfo-h.txt" h.err
other/cfssl-certinfo --help 2>h2.err
check_eq "--help, called by a path: exit 0" 0 "$?"
check "--help, called by a path: the same usage" cmp "$GOLD/cfssl-certinfo-h.txt" h2.err
if [ -x /opt/cfssl-master/bin/cfssl-certinfo ]; then
	/opt/cfssl-master/bin/cfssl-certinfo -h 2>master-h.err
	check "-h: as cfssl master's cfssl-certinfo -h now" cmp master-h.err h.err
fi

# Only cfssl-certinfo's five flags: cfssl certinfo's -csr and the global -config or -loglevel
# are errors, with the usage after Go's message.
for f in -csr -config -loglevel -bogus; do
	cfssl-certinfo "$f" x >/dev/null 2>f.err
	check_eq "$f: exit 2" 2 "$?"
	check_eq "$f: Go's message, then the usage" \
		"flag provided but not defined: $f
$(cat "$GOLD/cfssl-certinfo-h.txt")" "$(cat f.err)"
done

# ---- as cfssl certinfo
printf '{"CN":"Programs CA","key":{"algo":"ecdsa","size":256}}\n' >ca.json
t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca
check "setup: a CA certificate" test -s ca.pem
cfssl-certinfo -cert ca.pem >ci.out 2>ci.err
check_eq "-cert: exit 0" 0 "$?"
check_eq "-cert: nothing on stderr" "" "$(cat ci.err)"
cfssl certinfo -cert ca.pem >c.out 2>/dev/null
check "-cert: the output of cfssl certinfo -cert" cmp c.out ci.out
check_contains "-cert: the certificate's CN" "$(cat ci.out)" '"common_name": "Programs CA"'
cfssl-certinfo -cert - <ca.pem >stdin.out
check "-cert -: reads stdin" cmp c.out stdin.out

cfssl-certinfo >none.out 2>none.err
check_eq "no target: exit 1" 1 "$?"
check_eq "no target: cfssl's message" \
	"Must specify certinfo target through -cert, -csr, -domain or -serial + -aki" \
	"$(cat none.err)"
cfssl-certinfo -cert missing.pem 2>missing.err
check_eq "-cert missing.pem: exit 1" 1 "$?"
check_eq "-cert missing.pem: Go's message" "open missing.pem: no such file or directory" \
	"$(cat missing.err)"

# ---- cfssl-newkey and cfssl-bundle: cfssl genkey and cfssl bundle with their own flag sets
ln -s "$CFSSL_BIN" bin/cfssl-newkey
ln -s "$CFSSL_BIN" bin/cfssl-bundle
for p in cfssl-newkey cfssl-bundle; do
	"$p" -h >h.out 2>h.err
	check_eq "$p -h: exit 0" 0 "$?"
	check "$p -h: usage as cfssl's $p" cmp "$GOLD/$p-h.txt" h.err
	if [ -x "/usr/bin/$p" ]; then
		"/usr/bin/$p" -h 2>deb-h.err
		check "$p -h: as Debian's $p -h" cmp deb-h.err h.err
	fi
	"$p" -bogus >/dev/null 2>f.err
	check_eq "$p -bogus: exit 2" 2 "$?"
	check_eq "$p -bogus: Go's message, then the usage" \
		"flag provided but not defined: -bogus
$(cat "$GOLD/$p-h.txt")" "$(cat f.err)"
done
# cfssl-newkey has -initca and -config but not genkey's -loglevel; cfssl-bundle has no -config.
cfssl-newkey -loglevel 1 ca.json >/dev/null 2>&1
check_eq "cfssl-newkey -loglevel: not its flag (exit 2)" 2 "$?"
cfssl-bundle -config x -cert ca.pem >/dev/null 2>&1
check_eq "cfssl-bundle -config: not its flag (exit 2)" 2 "$?"

printf '{"CN":"newkey.example","hosts":["newkey.example"],"key":{"algo":"ecdsa","size":256}}\n' >nk.json
cfssl-newkey nk.json >nk.out 2>nk.err
check_eq "cfssl-newkey: exit 0" 0 "$?"
check_eq "cfssl-newkey: the keys of cfssl genkey's JSON" "csr key" \
	"$(jq -r 'keys_unsorted | sort | join(" ")' nk.out)"
check_contains "cfssl-newkey: a CSR for the request's CN" \
	"$(jq -r .csr nk.out | openssl req -noout -subject 2>/dev/null)" "newkey.example"
if [ -x /usr/bin/cfssl-newkey ]; then
	/usr/bin/cfssl-newkey nk.json >deb-nk.out 2>/dev/null
	check_eq "cfssl-newkey: the same JSON keys as Debian's" \
		"$(jq -r 'keys | join(" ")' deb-nk.out)" "$(jq -r 'keys | join(" ")' nk.out)"
fi
cfssl-newkey -initca ca.json >nkca.out 2>/dev/null
check_eq "cfssl-newkey -initca: exit 0" 0 "$?"
check_eq "cfssl-newkey -initca: a CA certificate as cfssl genkey -initca" "cert csr key" \
	"$(jq -r 'keys | join(" ")' nkca.out)"
cfssl-newkey >/dev/null 2>nk0.err
check_eq "cfssl-newkey, no CSRJSON: exit 1" 1 "$?"
check_eq "cfssl-newkey, no CSRJSON: cfssl's message" \
	"not enough arguments are supplied --- please refer to the usage" "$(cat nk0.err)"
printf '{"signing":{"default":{"expiry":"zz"}}}' >bad-config.json
cfssl-newkey -config bad-config.json nk.json >/dev/null 2>cfg.err
check_eq "cfssl-newkey -config with a bad file: exit 1" 1 "$?"
check_contains "cfssl-newkey -config with a bad file: cfssl's message" "$(cat cfg.err)" \
	"Failed to load config file: "

cfssl-bundle >/dev/null 2>b0.err
check_eq "cfssl-bundle, no target: exit 1" 1 "$?"
check_eq "cfssl-bundle, no target: cfssl's message" \
	"Must specify bundle target through -cert or -domain" "$(cat b0.err)"
t cfssl gencert -ca ca.pem -ca-key ca-key.pem nk.json 2>/dev/null | t cfssljson -bare leaf
cfssl-bundle -cert leaf.pem -ca-bundle ca.pem -flavor force >b.out 2>/dev/null
check_eq "cfssl-bundle -cert: exit 0" 0 "$?"
cfssl bundle -cert leaf.pem -ca-bundle ca.pem -flavor force >cb.out 2>/dev/null
check_eq "cfssl-bundle -cert: the bundle of cfssl bundle" \
	"$(jq -cS 'del(.expires,.ocsp_support)' cb.out)" "$(jq -cS 'del(.expires,.ocsp_support)' b.out)"
check_contains "cfssl-bundle -cert: the leaf's subject" "$(jq -r .subject b.out)" \
	"newkey.example"
if [ -x /usr/bin/cfssl-bundle ]; then
	/usr/bin/cfssl-bundle -cert leaf.pem -ca-bundle ca.pem -flavor force >deb-b.out 2>/dev/null
	check_eq "cfssl-bundle -cert: the bundle as Debian's" \
		"$(jq -r .bundle deb-b.out)" "$(jq -r .bundle b.out)"
fi

# ---- the multiplexer under its other names
ln -s "$CFSSL_BIN" cfssl-certinfo-not
./cfssl-certinfo-not certinfo -cert ca.pem >mux.out 2>/dev/null
check_eq "another name: the multiplexer (certinfo as a command)" 0 "$?"
check "another name: the same output" cmp c.out mux.out
cfssl -h 2>top.err
check_contains "cfssl: the multiplexer's usage" "$(cat top.err)" "Available commands:"

finish
