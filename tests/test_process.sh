#!/bin/bash
# Both programs protect key material from core dumps and from other processes of the same user
# (issue 11 item 16): a running cfssl-c and cfssljson, each blocked reading stdin, has a core
# file size limit of 0 (soft and hard) in /proc/PID/limits and is non-dumpable, which the kernel
# shows by giving the files of /proc/PID to root instead of the process's user.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

[ -r /proc/self/limits ] || skip_all "no /proc/PID/limits"

# A user other than root, so that the owner of /proc/PID/status tells dumpable from
# non-dumpable; as root the programs run as nobody (through setpriv).
AS=()
if [ "$(id -u)" -eq 0 ]; then
	require_programs setpriv
	AS=(setpriv --reuid 65534 --regid 65534 --clear-groups --)
	# nobody must reach the binaries
	setpriv --reuid 65534 --regid 65534 --clear-groups -- test -x "$CFSSL_BIN" ||
		skip_all "user nobody cannot run $CFSSL_BIN"
fi
RUNUID=$("${AS[@]}" id -u)

# inspect NAME CMD...: start CMD with a stdin that never ends, wait until it is the program
# (after setpriv's exec) and blocked, then check its limits and the owner of /proc/PID/status.
inspect()
{
	local name=$1 pid lim owner
	shift
	mkfifo "$WORK/fifo-$name"
	"${AS[@]}" "$@" <"$WORK/fifo-$name" >/dev/null 2>&1 &
	pid=$!
	lib_track_pid "$pid"
	# Holds the fifo's write end open (without writing) until the checks are done.
	exec 3>"$WORK/fifo-$name"
	for _ in $(seq 1 100); do
		case $(readlink "/proc/$pid/exe" 2>/dev/null) in
		"$(realpath -- "$1")") break ;;
		esac
		sleep 0.05
	done
	check_eq "$name: still running, blocked reading stdin" \
		"$(realpath -- "$1")" "$(readlink "/proc/$pid/exe" 2>/dev/null)"
	# exec is not main(): a slow start (a sanitizer build on a busy machine) has not set its
	# limits yet, so give it a bounded while to get there.
	for _ in $(seq 1 100); do
		lim=$(awk '/^Max core file size/ { print $5, $6 }' "/proc/$pid/limits" 2>/dev/null)
		[ "$lim" = "0 0" ] && [ "$(stat -c %u "/proc/$pid/status" 2>/dev/null)" = 0 ] && break
		sleep 0.05
	done
	check_eq "$name: Max core file size is 0 (soft and hard)" "0 0" "$lim"
	check_eq "$name: runs as uid $RUNUID" "$RUNUID" \
		"$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)"
	owner=$(stat -c %u "/proc/$pid/status" 2>/dev/null)
	check_eq "$name: non-dumpable (/proc/PID/status belongs to root, not uid $RUNUID)" 0 "$owner"
	exec 3>&-
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# The control case: the same check on a plain program tells a dumpable process apart.
mkfifo "$WORK/fifo-control"
"${AS[@]}" cat <"$WORK/fifo-control" >/dev/null 2>&1 &
pid=$!
lib_track_pid "$pid"
exec 3>"$WORK/fifo-control"
for _ in $(seq 1 100); do
	[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(realpath -- "$(command -v cat)")" ] && break
	sleep 0.05
done
check_eq "control: cat's /proc/PID/status belongs to uid $RUNUID (dumpable)" "$RUNUID" \
	"$(stat -c %u "/proc/$pid/status" 2>/dev/null)"
exec 3>&-
wait "$pid" 2>/dev/null

inspect cfssl "$CFSSL_BIN" certinfo -cert -
inspect cfssljson "$CFSSLJSON_BIN" -f -

finish
