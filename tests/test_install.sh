#!/bin/bash
# `meson install` puts cfssl-c and cfssljson-c in bindir, and cfssl, cfssljson and
# cfssl-certinfo as links to them (the names existing scripts call).

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

[ -n "${BUILDDIR:-}" ] || skip_all "BUILDDIR not set"
command -v meson >/dev/null 2>&1 || skip_all "meson not installed"

dest=$WORK/dest
check "meson install --destdir" t meson install -C "$BUILDDIR" --no-rebuild --destdir "$dest" --quiet
bindir=$(find "$dest" -type f -path '*/bin/cfssl-c' -printf '%h\n' | head -n1)
check "cfssl-c installed" test -x "$bindir/cfssl-c"
check "cfssljson-c installed" test -x "$bindir/cfssljson-c"
check_eq "cfssl is a link to cfssl-c" "cfssl-c" "$(readlink "$bindir/cfssl")"
check_eq "cfssljson is a link to cfssljson-c" "cfssljson-c" "$(readlink "$bindir/cfssljson")"
check_eq "cfssl-certinfo is a link to cfssl-c" "cfssl-c" "$(readlink "$bindir/cfssl-certinfo")"
check "gen-kube-ca.sh installed, executable" test -x "$bindir/gen-kube-ca.sh"
out=$("$bindir/cfssl" version 2>&1)
check_contains "the installed cfssl runs" "$out" "Version: "
out=$("$bindir/cfssljson" -h 2>&1)
check_contains "the installed cfssljson runs" "$out" "-bare"
out=$("$bindir/cfssl-certinfo" -h 2>&1)
check_contains "the installed cfssl-certinfo runs as cfssl-certinfo" "$out" \
	"cfssl-certinfo -- output certinfo about the given cert"
# Completion: bash-completion loads a file by the command's name, fish too.
share=$(dirname "$bindir")/share
bashdir=$(find "$dest" -type d -path '*/bash-completion/completions' | head -n1)
check "bash completion installed" grep -q 'complete -F _cfssl_c' "$bashdir/cfssl-c"
for n in cfssl cfssljson cfssljson-c cfssl-certinfo; do
	check_eq "bash completion for $n is a link" "cfssl-c" "$(readlink "$bashdir/$n")"
	check_eq "fish completion for $n is a link" "cfssl-c.fish" \
		"$(readlink "$share/fish/vendor_completions.d/$n.fish")"
done
check "zsh completion installed" test -s "$share/zsh/site-functions/_cfssl-c"
check "fish completion installed" test -s "$share/fish/vendor_completions.d/cfssl-c.fish"

if pkg-config --exists systemd 2>/dev/null; then
	unit=$(find "$dest" -name cfssl-c-serve.service | head -n1)
	check "the serve unit installed in a systemd/system folder" test "${unit%/*}" != "${unit%/systemd/system/*}"
	check "the ocspserve unit installed" test -s "${unit%/*}/cfssl-c-ocspserve.service"
fi

if [ -f "$BUILDDIR/doc/cfssl-c.1" ]; then
	mandir=$(find "$dest" -type f -name cfssl-c.1 -printf '%h\n' | head -n1)
	check "cfssl-c(1) installed in man1" test "${mandir##*/}" = man1
	for p in cfssljson-c.1 gen-kube-ca.sh.1 ../man5/cfssl-c-config.5 ../man5/cfssl-c-csr.5 \
		../man5/cfssl-c-db.5; do
		check "$p installed" test -s "$mandir/$p"
	done
	check_eq "cfssl(1) is a link to cfssl-c(1)" "cfssl-c.1" "$(readlink "$mandir/cfssl.1")"
	check_eq "cfssljson(1) is a link to cfssljson-c(1)" "cfssljson-c.1" "$(readlink "$mandir/cfssljson.1")"
	check_eq "cfssl-certinfo(1) is a link to cfssl-c(1)" "cfssl-c.1" \
		"$(readlink "$mandir/cfssl-certinfo.1")"
fi
finish
