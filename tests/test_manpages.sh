#!/bin/bash
# The man pages (doc/*.scd) cannot drift from the programs: every command that `cfssl-c -h`
# lists has its section in cfssl-c(1), every flag its usage text (`cfssl-c CMD -h`) lists is
# named in that section and in FLAGS, and so for cfssl-certinfo and cfssljson-c. The pages
# render without warnings when scdoc built them.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

doc=$SRCDIR/doc
page=$doc/cfssl-c.1.scd

# The lines of @page's "## NAME" subsection (up to the next heading), or of "# NAME".
section()
{
	awk -v h="$2" '$0 == h { on = 1; next } on && /^#/ { exit } on' "$1"
}

commands()
{
	"$CFSSL_BIN" -h 2>&1 | sed -n 's/^\t\([a-z-]*\)$/\1/p'
}

flags_of()
{
	"$@" 2>&1 | sed -n 's/^[[:space:]]*-\([a-z][a-z-]*\)=.*/\1/p'
}

# Prints one line per command or flag of the binary that @1 (a cfssl-c.1.scd) does not
# document; nothing when all are there.
missing()
{
	local p=$1 c f sec all
	all=$(section "$p" "# FLAGS")
	for c in $(commands); do
		sec=$(section "$p" "## $c")
		if [ -z "$sec" ]; then
			echo "command $c: no section"
			continue
		fi
		for f in $(flags_of "$CFSSL_BIN" "$c" -h); do
			[ "$f" = loglevel ] || grep -qF -- "*-$f*" <<<"$sec" || echo "command $c: flag -$f"
			grep -qF -- "*-$f*" <<<"$all" || echo "FLAGS: -$f"
		done
	done
}

cmds=$(commands)
check "the binary lists its commands" test "$(wc -w <<<"$cmds")" -ge 17
check_contains "serve is among them" "$cmds" serve
out=$(missing "$page")
check_eq "cfssl-c(1) documents every command and flag of the usage table" "" "$out"

# The check can fail: a page without the serve section, or without one flag, is caught.
sed '/^## serve$/,/^## sign$/{/^## sign$/!d}' "$page" >"$WORK/noserve.scd"
out=$(missing "$WORK/noserve.scd")
check_contains "a page without serve is caught" "$out" "command serve: no section"
sed 's/\*-mutual-tls-cn\*/mutual-tls-cn/g' "$page" >"$WORK/noflag.scd"
out=$(missing "$WORK/noflag.scd")
check_contains "a page without -mutual-tls-cn is caught" "$out" "command serve: flag -mutual-tls-cn"

# cfssl's other programs (cfssl-c/main.c: programs[] and own_programs[]), each with its
# section under PROGRAMS naming every flag its -h prints, in cfssl's or Go's format.
progs=$(awk '/^} (own_)?programs\[\] = \{/ { on = 1; next } on && /^};/ { on = 0 }
	on && match($0, /^\t\{"[a-z-]+",/) { print substr($0, RSTART + 3, RLENGTH - 5) }' \
	"$SRCDIR/cfssl-c/main.c")
check_contains "the program names are read from main.c" "$progs" "cfssl-certinfo"
check_contains "multirootca among them" "$progs" "multirootca"
miss=
for p in $progs; do
	ln -sf "$CFSSL_BIN" "$WORK/$p"
	sec=$(section "$page" "## $p")
	[ -n "$sec" ] || { miss+=" $p"; continue; }
	for f in $("$WORK/$p" -h 2>&1 | sed -n 's/^[[:space:]]*-\([a-z][a-z-]*\)\([= ].*\)\{0,1\}$/\1/p'); do
		[ "$f" = loglevel ] || grep -qF -- "*-$f*" <<<"$sec" || miss+=" $p:-$f"
	done
done
check_eq "every program and its flags are in PROGRAMS" "" "$miss"

jpage=$doc/cfssljson-c.1.scd
jflags=$("$CFSSLJSON_BIN" -h 2>&1 | sed -n 's/^  -\([a-z]*\).*/\1/p')
check "cfssljson-c has flags" test -n "$jflags"
miss=
for f in $jflags; do
	section "$jpage" "# OPTIONS" | grep -qF -- "*-$f*" || miss+=" -$f"
done
check_eq "cfssljson-c(1) documents every flag of cfssljson-c -h" "" "$miss"

# Each page says where it deviates from cfssl, and the pages name each other correctly.
for p in "$doc"/*.scd; do
	check "$(basename "$p") has a NAME and a SEE ALSO" grep -q '^# SEE ALSO' "$p"
done
for p in cfssl-c.1 cfssljson-c.1 cfssl-c-config.5 cfssl-c-csr.5 cfssl-c-db.5; do
	check "$p lists its deviations" grep -q '^# DEVIATIONS' "$doc/$p.scd"
done
refs=$(grep -ohE '\*[a-z.-]+\*\([15]\)' "$doc"/*.scd | tr -d '*' | sort -u)
for r in $refs; do
	case $r in cfssl-c* | cfssljson-c* | gen-kube-ca.sh*)
		check "the page $r exists" test -f "$doc/${r%(*}.${r//[^0-9]/}.scd" ;;
	esac
done

# The pages scdoc built (meson builds them when scdoc is installed) render cleanly.
if [ -f "${BUILDDIR:-}/doc/cfssl-c.1" ] && command -v man >/dev/null 2>&1; then
	for p in "$BUILDDIR"/doc/*.[15]; do
		warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
		check_eq "$(basename "$p") renders without warnings" "" "$warn"
	done
	out=$(MANWIDTH=200 man -l "$BUILDDIR/doc/cfssl-c.1" 2>/dev/null)
	check_contains "the rendered cfssl-c(1) shows serve's flags" "$out" "-mutual-tls-client-key"
else
	echo "# scdoc output not built: rendering not checked"
fi
finish
