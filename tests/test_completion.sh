#!/bin/bash
# The shell completion (completion/): bash's is driven as bash-completion drives it
# (COMP_WORDS, COMP_CWORD, the function complete registered), for commands, the flags of a
# command (from the binary's usage text), profile names from the -config file on the line,
# fixed values and file names; fish's through `complete -C` and zsh's syntax when those shells
# are installed.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

comp=$SRCDIR/completion
ln -s "$CFSSL_BIN" "$WORK/bin/cfssl-c"
ln -s "$CFSSL_BIN" "$WORK/bin/cfssl-certinfo"
ln -s "$CFSSLJSON_BIN" "$WORK/bin/cfssljson-c"
ln -s "$CFSSL_BIN" "$WORK/bin/multirootca"
ln -s "$CFSSL_BIN" "$WORK/bin/cfssl-bundle"
ln -s "$CFSSL_BIN" "$WORK/bin/cfssl-scan"
cd "$WORK" || exit 1

# The candidates bash offers for a command line (its words; the last one is completed).
bcomp()
{
	bash -c '. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		fn=$(complete -p "$1" | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
		"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$comp/cfssl-c.bash" "$@"
}

cat >ca-config.json <<'JSON'
{"signing": {"default": {"expiry": "8760h"},
  "Profiles": {"kubernetes": {"usages": ["signing"], "expiry": "8760h",
                               "name_whitelist": "\\.example\\\"{x}$"},
               "etcd-peer": {"usages": ["client auth"], "expiry": "1h",
                             "ca_constraint": {"is_ca": false}}}},
 "auth_keys": {"notaprofile": {"type": "standard", "key": "00"}},
 "remotes": {"profiles": "127.0.0.1:1"}}
JSON
echo '{"signing": {"default": {"expiry": "1h"}}}' >empty.json
touch csr-a.json csr-b.json other.pem
mkdir intdir

check_eq "commands" "$("$CFSSL_BIN" -h 2>&1 | sed -n 's/^\t//p' | sort | tr '\n' ' ')" \
	"$(bcomp cfssl-c "")"
check_eq "commands starting gen" "gencert gencrl gencsr genkey " "$(bcomp cfssl-c gen)"
check_eq "the cfssl name completes the same" "gencert gencrl gencsr genkey " "$(bcomp cfssl gen)"
check_eq "flags of gencert" "-ca -ca-key -cn -config -hostname -initca -label -loglevel -profile -remote " \
	"$(bcomp cfssl-c gencert -)"
check_eq "flags of ocsprefresh starting -re" "-responder -responder-key " \
	"$(bcomp cfssl-c ocsprefresh -re)"
check_eq "an unknown command has no flags" "" "$(bcomp cfssl-c nosuch -)"
check_eq "profile names from -config" "etcd-peer kubernetes " \
	"$(bcomp cfssl-c gencert -config ca-config.json -profile "")"
check_eq "profile names from -config=FILE, after -profile" "kubernetes " \
	"$(bcomp cfssl-c sign -config=ca-config.json -ca ca.pem -profile k)"
check_eq "profile names with -profile=P" "-profile=etcd-peer " \
	"$(bcomp cfssl-c gencert --config ca-config.json -profile=e)"
check_eq "profile names when bash splits at =" "etcd-peer kubernetes " \
	"$(bcomp cfssl-c gencert -config ca-config.json -profile = "")"
check_eq "no profiles in a config without them" "" \
	"$(bcomp cfssl-c gencert -config empty.json -profile "")"
check_eq "no profiles without -config" "" "$(bcomp cfssl-c gencert -profile "")"
check_eq "no profiles from a missing config" "" \
	"$(bcomp cfssl-c gencert -config nosuch.json -profile "")"
check_eq "files after -ca-key" "csr-a.json csr-b.json " "$(bcomp cfssl-c gencert -ca-key csr)"
check_eq "files after -mutual-tls-client-cert" "other.pem " \
	"$(bcomp cfssl-c serve -mutual-tls-client-cert oth)"
check_eq "folders after -int-dir" "intdir " "$(bcomp cfssl-c bundle -int-dir i)"
check_eq "the CSR argument is a file" "csr-a.json csr-b.json " "$(bcomp cfssl-c sign csr-)"
check_eq "after a boolean flag comes the argument, not a value" "csr-a.json csr-b.json " \
	"$(bcomp cfssl-c gencert -initca csr-)"
check_eq "bundle flavors" "force optimal ubiquitous " "$(bcomp cfssl-c bundle -flavor "")"
check_eq "print-defaults types" "config csr " "$(bcomp cfssl-c print-defaults c)"
check_eq "cfssl-certinfo's own flags" "-aki -cert -db-config -domain -serial " \
	"$(bcomp cfssl-certinfo -)"
check_eq "multirootca's flags (Go's usage format)" "-a -l -loglevel -roots -tls-cert -tls-key " \
	"$(bcomp multirootca -)"
check_eq "multirootca -roots takes a file" "ca-config.json " "$(bcomp multirootca -roots ca-)"
check_eq "cfssl-scan's flags are scan's, with no command word" "-max-hosts " \
	"$(bcomp cfssl-scan -max)"
check_eq "cfssl-bundle's flags starting -int" "-int-bundle -int-dir " "$(bcomp cfssl-bundle -int)"
check_eq "cfssljson-c's flags" "-bare -f -stdout -version " "$(bcomp cfssljson-c -)"

if command -v fish >/dev/null 2>&1; then
	fcomp() { fish -c "source $comp/cfssl-c.fish; complete -C'$1'" | cut -f1 | sort | tr '\n' ' '; }
	check_eq "fish: commands starting gen" "gencert gencrl gencsr genkey " "$(fcomp 'cfssl-c gen')"
	check_eq "fish: flags of genkey" "-config -initca -loglevel " "$(fcomp 'cfssl-c genkey -')"
	check_eq "fish: profile names" "etcd-peer kubernetes " \
		"$(fcomp 'cfssl-c gencert -config ca-config.json -profile ')"
else
	echo "# fish not installed: its completion not driven"
fi
if command -v zsh >/dev/null 2>&1; then
	check "zsh: the completion function parses" zsh -n "$comp/_cfssl-c"
fi
finish
