#!/usr/bin/env bash
# name_whitelist is matched as cfssl matches it, with RE2 (Go's regexp): a NUL
# inside a name is part of it, '.' never matches a newline, Perl classes and
# flags work, patterns Go refuses are refused; and (deviation 13) the names a
# copy_extensions profile copies into the certificate are checked too.
# testdata/whitelist/nul-san.csr was made by cfssl from hosts
# ["x.example.com\u0000.evil.org"]: its dNSName carries the NUL.
. "$SRCDIR/tests/lib.sh"
cd "$WORK" || exit 1

echo '{"CN":"wl ca","key":{"algo":"ecdsa","size":256}}' | t cfssl gencert -initca - 2>/dev/null |
	t cfssljson -bare ca
nul_csr=$SRCDIR/testdata/whitelist/nul-san.csr

config()
{
	# $1: the pattern as JSON text; $2: copy_extensions
	printf '{"signing":{"default":{"expiry":"1h","usages":["server auth"],"copy_extensions":%s,"name_whitelist":"%s"}}}\n' \
		"${2:-false}" "$1" >wl.json
}

gencert_cn()
{
	# $1: the CN as JSON text
	printf '{"CN":"%s","key":{"algo":"ecdsa","size":256}}' "$1" |
		t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config wl.json - >out.json 2>err.txt
}

refused()
{
	local desc=$1
	shift
	if "$@"; then
		lib_fail "$desc: signed"
	else
		check_contains "$desc" "$(cat err.txt)" '{"code":5500,"message":"Request does not match policy whitelist"}'
		check_eq "$desc: nothing on stdout" "" "$(cat out.json)"
	fi
}

signed()
{
	local desc=$1
	shift
	if "$@"; then
		check_contains "$desc" "$(cat out.json)" '"cert":"-----BEGIN CERTIFICATE-----'
	else
		lib_fail "$desc: $(cat err.txt)"
	fi
}

sign_csr()
{
	t cfssl sign -ca ca.pem -ca-key ca-key.pem -config wl.json "$@" >out.json 2>err.txt
}

cert_hex()
{
	jq -r .cert out.json | openssl x509 -outform der | od -An -tx1 | tr -d ' \n'
}
nul_name_hex=$(printf 'a.example.com\0.evil.org' | od -An -tx1 | tr -d ' \n')
nul_san_hex=$(printf 'x.example.com\0.evil.org' | od -An -tx1 | tr -d ' \n')

# A NUL inside the CN: the part after it is still matched.
config 'example\\.com$'
refused "CN with a NUL before .evil.org, anchored pattern" gencert_cn 'a.example.com\u0000.evil.org'
config 'example\\.com'
signed "CN with a NUL, unanchored pattern" gencert_cn 'a.example.com\u0000.evil.org'
check_contains "the CN keeps its NUL and what follows" "$(cert_hex)" "$nul_name_hex"
signed "unanchored: a match anywhere" gencert_cn 'example.com.evil.org'

# A NUL inside a request's dNSName, copied or not.
for copy in false true; do
	config 'example\\.com$' $copy
	refused "SAN with a NUL, anchored, copy_extensions=$copy" \
		sign_csr "$nul_csr"
	config 'example\\.com' $copy
	signed "SAN with a NUL, unanchored, copy_extensions=$copy" \
		sign_csr "$nul_csr"
	check_contains "the SAN keeps its NUL (copy_extensions=$copy)" "$(cert_hex)" "$nul_san_hex"
done

# Deviation 13: with -hostname the generated SAN would pass, but copy_extensions copies the
# request's own subjectAltName into the certificate; those names are checked too.
config '^x\\.example\\.com$' true
refused "copied SAN outside the whitelist" \
	sign_csr -hostname x.example.com "$nul_csr"
config '^x\\.example\\.com$' false
signed "the same without copy_extensions: only -hostname's names are used" \
	sign_csr -hostname x.example.com "$nul_csr"

# '.' never matches a newline; (?s) makes it.
config '^a.b$'
refused "'.' does not match a newline" gencert_cn 'a\nb'
signed "'.' matches any other character" gencert_cn 'a-b'
config '(?s)^a.b$'
signed "(?s) lets '.' match a newline" gencert_cn 'a\nb'

# Perl classes, flags, Go's escapes.
config '^h\\d+\\.\\w+$'
signed '\d and \w' gencert_cn 'h12.ab_c'
refused '\d needs a digit' gencert_cn 'hd.ab_c'
config '(?i)^WWW\\.'
signed '(?i)' gencert_cn 'www.example.com'
config '^[[:alpha:]]+\\z'
signed 'ASCII classes and \z' gencert_cn 'abc'
refused '\z is the very end' gencert_cn 'abc1'

# Patterns Go's regexp refuses (\C is RE2's own, \Z and a{1001} are not Go's) fail as cfssl's config error.
for pat in '(' 'a{1001}' '\\C' '\\Z' 'x**' '[z-a]'; do
	config "$pat"
	if echo '{"CN":"x"}' | t cfssl gencert -ca ca.pem -ca-key ca-key.pem -config wl.json - >out.json 2>err.txt; then
		lib_fail "pattern $pat accepted"
	else
		check_eq "pattern $pat refused with cfssl's message" \
			'Failed to load config file: {"code":5200,"message":"failed to compile name whitelist section"}' \
			"$(cat err.txt)"
	fi
done

finish
