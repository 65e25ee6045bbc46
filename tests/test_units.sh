#!/bin/bash
# The systemd units (dist/systemd/): confined as the issue asks (DynamicUser, the CA key as a
# credential, ProtectSystem=strict, NoNewPrivileges, PrivateTmp, an environment file for the
# listen address) and rated below 3 by `systemd-analyze security --offline=yes` where
# systemd-analyze exists. (Running them needs systemd as PID 1: not done here.)

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

dir=$SRCDIR/dist/systemd
for u in cfssl-c-serve cfssl-c-ocspserve cfssl-c-multirootca; do
	unit=$(cat "$dir/$u.service")
	for want in DynamicUser=yes ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes \
		"EnvironmentFile=-/etc/default/$u" "CapabilityBoundingSet="$'\n'; do
		check_contains "$u: $want" "$unit" "$want"
	done
	check "$u: the default file sets the listen address" grep -q '^#[A-Z]*_ADDRESS=' "$dir/$u.default"
done
check_contains "serve reads the CA key as a credential" "$(cat "$dir/cfssl-c-serve.service")" \
	"LoadCredential=ca-key:/etc/cfssl-c/ca-key.pem"
check_contains "serve's -ca-key is the credential" "$(cat "$dir/cfssl-c-serve.service")" "-ca-key %d/ca-key"
# The flags the units pass exist in the commands' usage text.
for f in address port ca ca-key config; do
	check_contains "serve has -$f" "$("$CFSSL_BIN" serve -h 2>&1)" "-$f="
done
check_contains "multirootca reads its keys as credentials" \
	"$(cat "$dir/cfssl-c-multirootca.service")" "LoadCredential=keys:/etc/cfssl-c/multiroot-keys"
ln -s "$CFSSL_BIN" "$WORK/multirootca"
for f in a roots; do
	check_contains "multirootca has -$f" "$("$WORK/multirootca" -h 2>&1)" "  -$f "
done
check_contains "ocspserve has -responses" "$("$CFSSL_BIN" ocspserve -h 2>&1)" "-responses="

if command -v systemd-analyze >/dev/null 2>&1 &&
	systemd-analyze security --help 2>&1 | grep -q -- --offline; then
	for u in cfssl-c-serve cfssl-c-ocspserve cfssl-c-multirootca; do
		out=$(systemd-analyze security --offline=yes "$dir/$u.service" 2>&1)
		level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
		echo "# $u: exposure $level"
		check "$u: exposure $level is below 3" awk -v l="${level:-99}" 'BEGIN { exit !(l < 3) }'
	done
	# The rating can fail: without the confinement the same unit is exposed.
	grep -vE '^(Protect|Private|Restrict|SystemCall|Capability|NoNew|Dynamic|Lock|Memory|UMask)' \
		"$dir/cfssl-c-serve.service" >"$WORK/open.service"
	out=$(systemd-analyze security --offline=yes "$WORK/open.service" 2>&1)
	level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
	check "an unconfined unit rates $level, 3 or more" awk -v l="${level:-0}" 'BEGIN { exit !(l >= 3) }'
else
	echo "# systemd-analyze security --offline not available: exposure not rated"
fi
finish
