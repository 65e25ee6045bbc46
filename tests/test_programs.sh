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

# ---- the multiplexer under its other names
ln -s "$CFSSL_BIN" cfssl-certinfo-not
./cfssl-certinfo-not certinfo -cert ca.pem >mux.out 2>/dev/null
check_eq "another name: the multiplexer (certinfo as a command)" 0 "$?"
check "another name: the same output" cmp c.out mux.out
cfssl -h 2>top.err
check_contains "cfssl: the multiplexer's usage" "$(cat top.err)" "Available commands:"

finish
