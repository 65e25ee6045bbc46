#!/bin/bash
# Failed writes (issue: hardening): a full file system, a read-only folder, a
# closed stdout and a reader that went away each give exit 1 with the reason,
# and leave an existing file intact with no temporary file behind.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

cd "$WORK" || exit 1
printf '{"CN":"W CA","key":{"algo":"ecdsa","size":256}}\n' >ca.json
t cfssl gencert -initca ca.json >ca.out 2>/dev/null
check "setup: gencert output" test -s ca.out

# ---- stdout
t cfssl print-defaults csr >/dev/full 2>full.err
check_eq "cfssl, stdout on a full device: exit 1" 1 "$?"
check_eq "cfssl, stdout on a full device: reason" "write /dev/stdout: no space left on device" "$(cat full.err)"
t cfssl version >&- 2>closed.err
check_eq "cfssl, closed stdout: exit 1" 1 "$?"
check_eq "cfssl, closed stdout: reason" "write /dev/stdout: bad file descriptor" "$(cat closed.err)"
# a reader that has gone before anything is written (the writer starts a second later): cfssl
# must see EPIPE, not die of SIGPIPE
(sleep 1; exec cfssl gencert -initca ca.json) 2>pipe.err | (exec 0<&-; exit 0)
check_eq "cfssl, reader gone: exit 1" 1 "${PIPESTATUS[0]}"
check_eq "cfssl, reader gone: reason" "write /dev/stdout: broken pipe" "$(grep -v '\[INFO\]' pipe.err)"
(sleep 1; exec cfssljson -bare -stdout <ca.out) 2>jpipe.err | (exec 0<&-; exit 0)
check_eq "cfssljson -stdout, reader gone: exit 1" 1 "${PIPESTATUS[0]}"

# ---- file systems (root only: mounts a small tmpfs)
if [ "$(id -u)" != 0 ] || ! command -v mount >/dev/null 2>&1; then
	echo "not root: full and read-only file systems skipped"
	finish
fi
MNT=$WORK/mnt
mkdir "$MNT"
if ! mount -t tmpfs -o size=64k tmpfs "$MNT" 2>/dev/null; then
	echo "cannot mount tmpfs here: full and read-only file systems skipped"
	finish
fi
trap 'umount "$MNT" 2>/dev/null; lib_cleanup' EXIT

printf 'OLD CERT\n' >"$MNT/ca.pem"
printf 'OLD KEY\n' >"$MNT/ca-key.pem"
chmod 644 "$MNT/ca-key.pem"
# fill the file system, leaving less room than a certificate needs
head -c $((64 * 1024)) /dev/zero >"$MNT/filler" 2>/dev/null
t cfssljson -bare "$MNT/ca" <ca.out 2>nospace.err
check_eq "full file system: exit 1" 1 "$?"
check_contains "full file system: reason" "$(cat nospace.err)" "no space left on device"
check_eq "full file system: old certificate intact" "OLD CERT" "$(cat "$MNT/ca.pem")"
check_eq "full file system: old key intact" "OLD KEY" "$(cat "$MNT/ca-key.pem")"
check_eq "full file system: no temporary file left" "ca-key.pem ca.pem filler" \
	"$(cd "$MNT" && ls -A | tr '\n' ' ' | sed 's/ $//')"

rm -f "$MNT/filler"
mount -o remount,ro "$MNT"
t cfssljson -bare "$MNT/ca" <ca.out 2>ro.err
check_eq "read-only folder: exit 1" 1 "$?"
check_contains "read-only folder: reason" "$(cat ro.err)" "read-only file system"
check_eq "read-only folder: old key intact" "OLD KEY" "$(cat "$MNT/ca-key.pem")"
mount -o remount,rw "$MNT"

# and when there is room, the key replaces the old 0644 file as 0600 (deviation 7)
t cfssljson -bare "$MNT/ca" <ca.out
check_eq "room again: written" 0 "$?"
check_file_mode "room again: key is 0600" 600 "$MNT/ca-key.pem"
check "room again: the key is the new one" grep -q "BEGIN EC PRIVATE KEY" "$MNT/ca-key.pem"
umount "$MNT"
finish
