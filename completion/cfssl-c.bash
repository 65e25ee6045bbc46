# bash completion for cfssl-c, cfssljson-c and the names of cfssl's programs (cfssl, cfssljson,
# cfssl-bundle, cfssl-certinfo, cfssl-newkey, cfssl-scan, mkbundle, multirootca).
#
# Commands and the flags of each command come from the program's own usage text
# (`cfssl-c -h`, `cfssl-c COMMAND -h`), so they follow the installed version. Profile names
# are read from the -config file given on the line; flags that take a file complete file
# names. Needs only bash and awk; uses bash-completion's helpers when they are loaded.

# The profile names of the signing configuration @1 (members of signing.profiles; member
# names match case-insensitively, as cfssl reads them), one a line.
_cfssl_c_profiles()
{
	[ -r "$1" ] || return 0
	awk '
	{ text = text $0 "\n" }
	END {
		n = length(text); depth = 0; key = ""; want = 0
		for (i = 1; i <= n; i++) {
			c = substr(text, i, 1)
			if (c == "\"") {
				s = ""
				for (i++; i <= n; i++) {
					c = substr(text, i, 1)
					if (c == "\\") { i++; s = s substr(text, i, 1); continue }
					if (c == "\"") break
					s = s c
				}
				j = i + 1
				while (substr(text, j, 1) ~ /[ \t\r\n]/) j++
				if (substr(text, j, 1) == ":") {
					key = s
					if (depth == 3 && path[2] == "signing" && path[3] == "profiles")
						print s
				}
			} else if (c == "{" || c == "[") {
				depth++
				path[depth] = (c == "{" ? tolower(key) : "")
				key = ""
			} else if (c == "}" || c == "]") {
				depth--
			}
		}
	}' "$1" 2>/dev/null
}

# The words of @1's usage text for @2 (a command, or empty for the command list).
_cfssl_c_usage()
{
	if [ -z "$2" ]; then
		"$1" -h 2>&1 | sed -n 's/^\t\([a-z][a-z-]*\)$/\1/p'
	else
		"$1" "$2" -h 2>&1 | sed -n 's/^[[:space:]]*-\([a-z][a-z-]*\)=.*/-\1/p'
	fi
}

# The name of flag @1: no leading dashes, no "=value".
_cfssl_c_name()
{
	local n=${1#-}
	n=${n#-}
	printf '%s' "${n%%=*}"
}

# Flags whose value is a file (or, for int-dir, a folder).
_cfssl_c_file_flag()
{
	case $1 in
	ca | ca-key | cert | csr | key | config | db-config | tls-cert | tls-key | mutual-tls-ca | \
		tls-remote-ca | mutual-tls-client-cert | mutual-tls-client-key | intermediates | \
		ca-bundle | int-bundle | metadata | responder | responder-key | csv | responses | \
		pgp-private | f | roots)
		return 0 ;;
	esac
	return 1
}

# Completes the value of flag @1 (without dashes) from @2, given the command line.
_cfssl_c_value()
{
	local flag=$1 cur=$2 prog=$3 words
	case $flag in
	profile)
		local cfg="" i w
		for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
			w=${COMP_WORDS[i]}
			case $w in
			-config | --config)
				if [ "${COMP_WORDS[i + 1]:-}" = "=" ]; then
					cfg=${COMP_WORDS[i + 2]:-}
				else
					cfg=${COMP_WORDS[i + 1]:-}
				fi ;;
			-config=* | --config=*) cfg=${w#*=} ;;
			esac
		done
		cfg=${cfg/#\~/$HOME}
		words=$(_cfssl_c_profiles "$cfg")
		;;
	flavor) words="ubiquitous optimal force" ;;
	status) words="good revoked unknown" ;;
	min-tls-version) words="1.0 1.1 1.2 1.3" ;;
	loglevel) words="0 1 2 3 4 5" ;;
	reason)
		words="unspecified keyCompromise cACompromise affiliationChanged superseded
			cessationOfOperation certificateHold removeFromCRL privilegeWithdrawn aACompromise" ;;
	disable)
		words="health info sign authsign newcert newkey init_ca bundle certinfo scan scaninfo
			crl gencrl revoke certadd ocspsign" ;;
	int-dir)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return ;;
	*)
		if _cfssl_c_file_flag "$flag"; then
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}

_cfssl_c()
{
	local prog=${COMP_WORDS[0]} cword=$COMP_CWORD
	local cur=${COMP_WORDS[cword]} prev=${COMP_WORDS[cword - 1]:-}
	COMPREPLY=()

	# -flag=value: bash splits it at '=' (COMP_WORDBREAKS), or keeps it whole.
	if [ "$cur" = "=" ] && [[ $prev == -* ]]; then
		_cfssl_c_value "$(_cfssl_c_name "$prev")" "" "$prog"
		return
	fi
	if [ "$prev" = "=" ] && [[ ${COMP_WORDS[cword - 2]:-} == -* ]]; then
		_cfssl_c_value "$(_cfssl_c_name "${COMP_WORDS[cword - 2]}")" "$cur" "$prog"
		return
	fi
	if [[ $cur == -*=* ]]; then
		local f=${cur%%=*}
		_cfssl_c_value "$(_cfssl_c_name "$f")" "${cur#*=}" "$prog"
		local k
		for k in "${!COMPREPLY[@]}"; do COMPREPLY[k]="$f=${COMPREPLY[k]}"; done
		return
	fi

	# The command: cfssl-c's first word; cfssl-certinfo is certinfo, cfssljson has none.
	local cmd="" first=2
	case ${prog##*/} in
	cfssl-certinfo) cmd=certinfo first=1 ;;
	cfssl-bundle) cmd=bundle first=1 ;;
	cfssl-newkey) cmd=genkey first=1 ;;
	cfssl-scan) cmd=scan first=1 ;;
	mkbundle) cmd=mkbundle first=1 ;;
	multirootca) cmd=multirootca first=1 ;;
	cfssljson | cfssljson-c)
		cmd=-json first=1 ;;
	*)
		if [ "$cword" -eq 1 ]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_cfssl_c_usage "$prog" "")" -- "$cur")
			return
		fi
		cmd=${COMP_WORDS[1]} ;;
	esac

	# The value of the previous flag (Go's flags take the next word unless boolean).
	if [[ $prev == -* ]] && [ "$cword" -gt "$((first - 1))" ]; then
		local pf
		pf=$(_cfssl_c_name "$prev")
		case $pf in
		initca | renewca | list | bare | stdout | version | h | help) ;;
		*)
			_cfssl_c_value "$pf" "$cur" "$prog"
			return ;;
		esac
	fi

	if [[ $cur == -* ]]; then
		local flags
		if [ "$first" -eq 1 ]; then
			# a program: cfssl's flag lines (-name=default: text) or Go's (-name [type])
			flags=$("$prog" -h 2>&1 |
				sed -n 's/^[[:space:]]*-\([a-z][a-z-]*\)\([= ].*\)\{0,1\}$/-\1/p')
		else
			flags=$(_cfssl_c_usage "$prog" "$cmd")
		fi
		mapfile -t COMPREPLY < <(compgen -W "$flags" -- "$cur")
		return
	fi

	# Positional arguments.
	case $cmd in
	print-defaults) mapfile -t COMPREPLY < <(compgen -W "list config csr" -- "$cur") ;;
	version | serve | ocspserve | ocspdump | ocsprefresh | crl | revoke | info | multirootca) ;;
	*)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
	esac
}

complete -F _cfssl_c cfssl-c cfssl cfssljson-c cfssljson cfssl-bundle cfssl-certinfo cfssl-newkey cfssl-scan \
	mkbundle multirootca
