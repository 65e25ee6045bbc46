#!/bin/bash
# The Debian package (debian/): built with dpkg-buildpackage -us -uc -b from a copy of the
# tree, its contents checked with dpkg-deb -c, the packaged program run, lintian clean (errors,
# warnings and info). Run by .ci/run after the suites (about 2 minutes on 2 cores); by hand:
#   SRCDIR=. CFSSL_BIN=build/cfssl-c/cfssl-c CFSSLJSON_BIN=build/cfssljson-c/cfssljson-c \
#       bash tests/test_deb.sh
# Skipped (77) when dpkg-buildpackage or the build dependencies are missing.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs dpkg-buildpackage dpkg-checkbuilddeps dpkg-deb git
cd "$SRCDIR" || exit 1
deps=$(dpkg-checkbuilddeps 2>&1) || skip_all "build dependencies missing: $deps"

src=$WORK/src/cfssl-c
mkdir -p "$src"
git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$src" ||
	{ echo "copying the tree failed"; exit 1; }
cd "$src" || exit 1
CMD_TIMEOUT=900 check "dpkg-buildpackage -us -uc -b" nice dpkg-buildpackage -us -uc -b
deb=$(ls "$WORK"/src/cfssl-c_*_*.deb 2>/dev/null | head -n1)
check "cfssl-c_*.deb built" test -f "$deb"
[ -f "$deb" ] || finish

contents=$(dpkg-deb -c "$deb" | awk '{ p = $6; sub(/^\./, "", p); print p ($7 == "->" ? " -> " $8 : "") }')
for f in /usr/bin/cfssl-c /usr/bin/cfssljson-c /usr/bin/gen-kube-ca.sh \
	/usr/share/man/man1/cfssl-c.1.gz /usr/share/man/man1/cfssljson-c.1.gz \
	/usr/share/man/man1/gen-kube-ca.sh.1.gz /usr/share/man/man5/cfssl-c-config.5.gz \
	/usr/share/man/man5/cfssl-c-csr.5.gz /usr/share/man/man5/cfssl-c-db.5.gz \
	/usr/share/bash-completion/completions/cfssl-c /usr/share/zsh/vendor-completions/_cfssl-c \
	/usr/share/fish/vendor_completions.d/cfssl-c.fish /usr/share/cfssl-c/db/apply.sh \
	/usr/share/cfssl-c/db/sqlite3/001_CreateCertificates.sql \
	/usr/share/cfssl-c/db/postgres/002_AddMetadataToCertificates.sql \
	/usr/share/cfssl-c/db/mysql/002_AddMetadataToCertificates.sql \
	/usr/share/doc/cfssl-c/copyright /lib/systemd/system/cfssl-c-serve.service \
	/lib/systemd/system/cfssl-c-ocspserve.service /lib/systemd/system/cfssl-c-multirootca.service \
	/etc/default/cfssl-c-serve /etc/default/cfssl-c-multirootca \
	/etc/default/cfssl-c-ocspserve; do
	check_contains "the package has $f" "$contents" "$f"$'\n'
done
check_contains "bash completion for cfssl" "$contents" \
	"/usr/share/bash-completion/completions/cfssl -> cfssl-c"
# The cfssl names are alternatives (postinst), never files of the package: golang-cfssl has them.
check_not_contains "no /usr/bin/cfssl in the package" "$contents" "/usr/bin/cfssl"$'\n'
check_not_contains "no /usr/bin/cfssljson in the package" "$contents" "/usr/bin/cfssljson"$'\n'
check_not_contains "no /usr/bin/multirootca in the package" "$contents" "/usr/bin/multirootca"$'\n'
check_not_contains "no test program in the package" "$contents" "httpd_echo"

depends=$(dpkg-deb -f "$deb" Depends)
check_contains "Depends on libcurl3-gnutls (loaded with dlopen)" "$depends" "libcurl3-gnutls"
check_contains "Depends on GnuTLS (shlibs)" "$depends" "libgnutls30"

dpkg-deb -e "$deb" "$WORK/control"
check "postinst is valid sh" sh -n "$WORK/control/postinst"
check_contains "postinst makes cfssl an alternative" "$(cat "$WORK/control/postinst")" \
	"update-alternatives --install /usr/bin/cfssl cfssl /usr/bin/cfssl-c"
check_contains "multirootca is one of its names" "$(cat "$WORK/control/postinst")" \
	"--slave /usr/bin/multirootca multirootca /usr/bin/cfssl-c"
check_contains "cfssl-scan is one of its names" "$(cat "$WORK/control/postinst")" \
	"--slave /usr/bin/cfssl-scan cfssl-scan /usr/bin/cfssl-c"
check_contains "prerm removes it" "$(cat "$WORK/control/prerm")" "update-alternatives --remove cfssl"

check_contains "the units' settings are conffiles" "$(cat "$WORK/control/conffiles")" \
	"/etc/default/cfssl-c-serve"

dpkg-deb -x "$deb" "$WORK/root"
out=$("$WORK/root/usr/bin/cfssl-c" version 2>&1)
check_contains "the packaged cfssl-c runs" "$out" "Runtime: cfssl-c"
out=$(echo '{"cert":"x"}' | (cd "$WORK" && "$WORK/root/usr/bin/cfssljson-c" -bare -stdout 2>&1))
check_contains "the packaged cfssljson-c runs" "$out" "x"

if command -v lintian >/dev/null 2>&1; then
	out=$(lintian -I --fail-on error,warning,info "$deb" 2>&1 | grep -v 'root privileges')
	check_eq "lintian finds nothing" "" "$out"
else
	echo "# lintian not installed: not run"
fi
finish
