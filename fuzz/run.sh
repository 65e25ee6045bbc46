#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each one for a bounded time.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 60); TARGETs default to all of them. Needs
# clang with libFuzzer (Debian: apt-get install clang). The build lives in
# build-fuzz/ (override with FUZZ_BUILD=dir): clang, -Dfuzzers=true, the
# library instrumented for coverage, ASan and UBSan. Each target starts from
# its seed corpus testdata/fuzz/corpus/<target>/ (new inputs go to build-fuzz/corpus/,
# the seeds are not modified) and saves crashing inputs under
# fuzz/crashes/<target>/. FUZZ_JOBS=N runs N targets at once (default: the
# number of CPUs). Exits 1 if any target crashed or did not build.
set -u -o pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
shift $(($# > 0 ? 1 : 0))
all=(csr_json config_json cfssljson pem_cert pem_key duration hosts flags csr_pkcs10 tls_flight)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
build=${FUZZ_BUILD:-$root/build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}

case $secs in
'' | *[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
command -v clang >/dev/null || { echo "clang not found (apt-get install clang)" >&2; exit 1; }

if [ ! -f "$build/build.ninja" ]; then
	CC=clang CXX=clang++ meson setup "$build" "$root" -Dfuzzers=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link -Dcpp_args=-fsanitize=fuzzer-no-link >/dev/null ||
		{ echo "meson setup failed" >&2; exit 1; }
fi
ninja -C "$build" "${targets[@]/#/fuzz/fuzz_}" >/dev/null ||
	{ echo "build failed" >&2; exit 1; }

# UBSan findings must stop the run like ASan's; a leak is a finding too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

run_one()
{
	local t=$1 seeds=$root/testdata/fuzz/corpus/$1 work=$build/corpus/$1 crashes=$root/fuzz/crashes/$1
	mkdir -p "$work" "$crashes"
	local dict=()
	[ -f "$root/fuzz/$t.dict" ] && dict=(-dict="$root/fuzz/$t.dict")
	"$build/fuzz/fuzz_$t" "$work" "$seeds" "${dict[@]}" -max_total_time="$secs" \
		-timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$crashes/" >"$build/fuzz-$t.log" 2>&1
	local rc=$?
	local execs
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz-$t.log")
	if [ $rc -eq 0 ]; then
		echo "$t: ok (${execs:-?} runs in ${secs}s)"
	else
		echo "$t: FAILED (exit $rc), log $build/fuzz-$t.log, inputs in $crashes/"
		grep -m 3 -E 'ERROR: |runtime error|SUMMARY' "$build/fuzz-$t.log" | sed 's/^/  /'
	fi
	rmdir "$crashes" 2>/dev/null
	return $rc
}

failed=0
pids=()
for t in "${targets[@]}"; do
	run_one "$t" &
	pids+=($!)
	if [ ${#pids[@]} -ge "$jobs" ]; then
		wait "${pids[0]}" || failed=$((failed + 1))
		pids=("${pids[@]:1}")
	fi
done
for p in "${pids[@]}"; do
	wait "$p" || failed=$((failed + 1))
done
echo "fuzz: ${#targets[@]} targets, $failed failed"
[ "$failed" -eq 0 ]
