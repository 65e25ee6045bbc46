# fish completion for cfssl-c, cfssljson-c and the names of cfssl's programs (cfssl, cfssljson,
# cfssl-bundle, cfssl-certinfo, cfssl-newkey, cfssl-scan, mkbundle, multirootca). Commands and each
# command's flags come from the program's usage text (`cfssl-c -h`, `cfssl-c COMMAND -h`);
# profile names from the -config file on the line; flags that take a file complete file names.

function __cfssl_c_commands
    set -l prog (commandline -opc)[1]
    $prog -h 2>&1 | sed -n 's/^\t\([a-z][a-z-]*\)$/\1/p'
end

# The command of the line: the first word after cfssl-c; certinfo for cfssl-certinfo.
function __cfssl_c_cmd
    set -l words (commandline -opc)
    switch (basename -- $words[1])
        case cfssl-certinfo
            echo certinfo
        case cfssl-bundle
            echo bundle
        case cfssl-newkey
            echo genkey
        case cfssl-scan
            echo scan
        case mkbundle multirootca
            basename -- $words[1]
        case cfssljson cfssljson-c
            echo -- -json
        case '*'
            set -q words[2]; and echo -- $words[2]
    end
end

function __cfssl_c_cmd_is
    contains -- (__cfssl_c_cmd) $argv
end

function __cfssl_c_needs_command
    set -l words (commandline -opc)
    switch (basename -- $words[1])
        case cfssl-certinfo cfssljson cfssljson-c cfssl-bundle cfssl-newkey cfssl-scan mkbundle multirootca
            return 1
    end
    test (count $words) -eq 1
end

function __cfssl_c_flags
    set -l prog (commandline -opc)[1]
    set -l cmd (__cfssl_c_cmd)
    switch "$cmd"
        case ''
            return
        case '*'
            if not contains -- (basename -- $prog) cfssl-c cfssl
                # a program: cfssl's flag lines (-name=default: text) or Go's (-name [type])
                $prog -h 2>&1 | sed -n 's/^[[:space:]]*-\([a-z][a-z-]*\)\([= ].*\)\{0,1\}$/-\1/p'
            else
                $prog $cmd -h 2>&1 | sed -n 's/^[[:space:]]*-\([a-z][a-z-]*\)=.*/-\1/p'
            end
    end
end

# The profile names of the -config file on the line (members of signing.profiles).
function __cfssl_c_profiles
    set -l words (commandline -opc)
    set -l cfg
    for i in (seq (count $words))
        switch $words[$i]
            case -config --config
                set -l j (math $i + 1)
                set -q words[$j]; and set cfg $words[$j]
            case '-config=*' '--config=*'
                set cfg (string replace -r '^[^=]*=' '' -- $words[$i])
        end
    end
    test -n "$cfg"; and test -r "$cfg"; or return
    awk '
    { text = text $0 "\n" }
    END {
      n = length(text); depth = 0; key = ""
      for (i = 1; i <= n; i++) {
        c = substr(text, i, 1)
        if (c == "\"") {
          s = ""
          for (i++; i <= n; i++) {
            c = substr(text, i, 1)
            if (c == "\\\\") { i++; s = s substr(text, i, 1); continue }
            if (c == "\"") break
            s = s c
          }
          j = i + 1
          while (substr(text, j, 1) ~ /[ \t\r\n]/) j++
          if (substr(text, j, 1) == ":") {
            key = s
            if (depth == 3 && path[2] == "signing" && path[3] == "profiles") print s
          }
        } else if (c == "{" || c == "[") {
          depth++; path[depth] = (c == "{" ? tolower(key) : ""); key = ""
        } else if (c == "}" || c == "]") depth--
      }
    }' $cfg 2>/dev/null
end

# The flag whose value is being completed ("" when none).
function __cfssl_c_prev_flag
    set -l prev (commandline -opc)[-1]
    string match -qr '^--?[a-z][a-z-]*$' -- $prev; or return 1
    set -l f (string replace -r '^--?' '' -- $prev)
    contains -- $f initca renewca list bare stdout version h help; and return 1
    echo $f
end

function __cfssl_c_prev_is
    set -l f (__cfssl_c_prev_flag); or return 1
    contains -- $f $argv
end

set -l __cfssl_c_files ca ca-key cert csr key config db-config tls-cert tls-key mutual-tls-ca \
    tls-remote-ca mutual-tls-client-cert mutual-tls-client-key intermediates ca-bundle \
    int-bundle metadata responder responder-key csv responses pgp-private f roots

for prog in cfssl-c cfssl cfssljson-c cfssljson cfssl-bundle cfssl-certinfo cfssl-newkey cfssl-scan mkbundle \
    multirootca
    complete -c $prog -f
    complete -c $prog -n __cfssl_c_needs_command -a '(__cfssl_c_commands)' -d command
    complete -c $prog -n 'not __cfssl_c_needs_command; and not __cfssl_c_prev_flag >/dev/null; and string match -q -- "-*" (commandline -ct)' \
        -a '(__cfssl_c_flags)'
    complete -c $prog -n "__cfssl_c_prev_is $__cfssl_c_files" -F
    complete -c $prog -n '__cfssl_c_prev_is int-dir' -a '(__fish_complete_directories)'
    complete -c $prog -n '__cfssl_c_prev_is profile' -a '(__cfssl_c_profiles)' -d profile
    complete -c $prog -n '__cfssl_c_prev_is flavor' -a 'ubiquitous optimal force'
    complete -c $prog -n '__cfssl_c_prev_is status' -a 'good revoked unknown'
    complete -c $prog -n '__cfssl_c_prev_is min-tls-version' -a '1.0 1.1 1.2 1.3'
    complete -c $prog -n '__cfssl_c_prev_is loglevel' -a '0 1 2 3 4 5'
    complete -c $prog -n '__cfssl_c_prev_is reason' -a 'unspecified keyCompromise cACompromise affiliationChanged superseded cessationOfOperation certificateHold removeFromCRL privilegeWithdrawn aACompromise'
    complete -c $prog -n '__cfssl_c_cmd_is print-defaults; and not __cfssl_c_prev_flag >/dev/null' -a 'list config csr'
    # positional files (CSRJSON, CSR, SUBJECT, gencrl's inputs)
    complete -c $prog -n 'not __cfssl_c_needs_command; and not __cfssl_c_prev_flag >/dev/null; and __cfssl_c_cmd_is gencert genkey gencsr sign selfsign gencrl bundle certinfo mkbundle' -F
end
