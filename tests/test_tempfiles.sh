#!/bin/bash
# cfssljson leaves no temporary file behind (issue 11 item 17): a write beyond the file size
# limit (ulimit -f, SIGXFSZ) is a failed write, exit 1 with the reason; SIGTERM, SIGINT and
# SIGHUP arriving while a key is being written remove the temporary .NAME-key.pem.XXXXXXXX and
# the process still dies of the signal. strace holds cfssljson in its first fsync (the key's
# temporary is then complete and not yet renamed) so that the signal lands mid-write.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

cd "$WORK" || exit 1
# Key-sized payloads, made up: cfssljson writes the strings it is given.
KEY=$(printf -- '-----BEGIN EC PRIVATE KEY-----\n%s\n-----END EC PRIVATE KEY-----\n' \
	"$(head -c 3000 /dev/zero | tr '\0' A)")
jq -n --arg k "$KEY" '{cert: "C", key: $k}' >big.json
jq -n --arg k "$KEY" '{key: $k}' >key.json
check "setup: inputs" test -s big.json -a -s key.json

# listing DIR: every entry, hidden ones too, on one line.
listing()
{
	(cd "$1" && ls -A | tr '\n' ' ' | sed 's/ $//')
}

# ---- ulimit -f: 1 KiB, less than the key
mkdir xfsz
(
	ulimit -f 1
	exec cfssljson -f big.json -bare xfsz/ca
) 2>xfsz.err
check_eq "beyond ulimit -f: exit 1 (not killed by SIGXFSZ)" 1 "$?"
check_eq "beyond ulimit -f: reason" "write xfsz/ca-key.pem: file too large" "$(cat xfsz.err)"
check_eq "beyond ulimit -f: no key file, no temporary (the certificate came first)" "ca.pem" \
	"$(listing xfsz)"

# The negative: within the limit, the same input is written.
mkdir fits
(
	ulimit -f 64
	exec cfssljson -f big.json -bare fits/ca
) 2>fits.err
check_eq "within ulimit -f: exit 0" 0 "$?"
check_eq "within ulimit -f: both files" "ca-key.pem ca.pem" "$(listing fits)"

# ---- signals while the key is written
# LeakSanitizer cannot run under ptrace: a sanitizer build that exits normally under strace
# would abort in its leak check, so the traced runs go without it.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
if ! command -v strace >/dev/null 2>&1 || ! strace -o /dev/null true 2>/dev/null; then
	echo "strace missing or not permitted: signal cases skipped"
	finish
fi

# killed SIG DIR: cfssljson writes key.json's key as DIR/k-key.pem, held for 4 s in its first
# fsync; SIG is sent to it once its temporary exists. Sets RC (cfssljson's status, through
# strace) and SEEN (the temporary's name, mode and size before the signal).
killed()
{
	local sig=$1 dir=$2 sp pid tmp
	mkdir "$dir"
	# Background jobs of a script start with SIGINT ignored, and a suite run under nohup has
	# SIGHUP ignored: give cfssljson the defaults of the three signals tested.
	env --default-signal=INT,TERM,HUP strace -o /dev/null -e trace=fsync \
		-e inject=fsync:delay_enter=4s:when=1 \
		"$CFSSLJSON_BIN" -f key.json -bare "$dir/k" 2>"$dir.err" &
	sp=$!
	lib_track_pid "$sp"
	tmp=
	for _ in $(seq 1 200); do
		tmp=$(find "$dir" -name '.k-key.pem.*' -size +2k 2>/dev/null | head -n1)
		[ -n "$tmp" ] && break
		sleep 0.05
	done
	SEEN=$( [ -n "$tmp" ] && stat -c '%a %s' "$tmp")
	pid=$(pgrep -P "$sp" | head -n1)
	[ -n "$pid" ] && kill "-$sig" "$pid"
	wait "$sp"
	RC=$?
}

for sig in TERM INT HUP; do
	sn=$(kill -l "$sig")
	killed "$sig" "sig$sig"
	check_contains "SIG$sig: the temporary existed, mode 0600, complete" "$SEEN" "600 "
	check_eq "SIG$sig: cfssljson died of the signal" $((128 + sn)) "$RC"
	check_eq "SIG$sig: no file left, no temporary" "" "$(listing "sig$sig")"
done

# The negative: SIGTERM ignored at start (as under nohup) stays ignored; the key is written.
mkdir ignored
(
	trap '' TERM
	exec strace -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=2s:when=1 \
		"$CFSSLJSON_BIN" -f key.json -bare ignored/k
) 2>ignored.err &
sp=$!
lib_track_pid "$sp"
for _ in $(seq 1 100); do
	[ -n "$(find ignored -name '.k-key.pem.*' 2>/dev/null)" ] && break
	sleep 0.05
done
pid=$(pgrep -P "$sp" | head -n1)
[ -n "$pid" ] && kill -TERM "$pid"
wait "$sp"
check_eq "SIGTERM ignored at start: exit 0" 0 "$?"
check_eq "SIGTERM ignored at start: the key is written" "k-key.pem" "$(listing ignored)"

finish
