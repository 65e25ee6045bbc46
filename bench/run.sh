#!/bin/bash
# Benchmarks cfssl-c and cfssljson-c against Debian's cfssl 1.2 (/usr/bin/cfssl, /usr/bin/cfssljson),
# with GnuTLS's certtool and OpenSSL as a floor where they can do the same work.
#
# usage: bench/run.sh
#
# Builds cfssl-c in release mode in $BENCH_BUILD (default /tmp/cfssl-c-bench-build, outside the
# repository) the way release binaries are built, with -Dstatic_crypto=true (GnuTLS and the
# libraries under it linked statically, as cfssl's Go binaries carry their crypto), and a second
# release build with the default shared libraries (what a distribution ships) for reference rows.
# Installs the tools it needs when run as root and one is missing (apt-get), then measures,
# alternating the tools run by run:
#   1. process start (`version`): wall time (hyperfine) and instructions (callgrind, Ir)
#   2. an ECDSA P-256 leaf, `gencert -ca ... | cfssljson -bare`: Ir of both processes, wall time;
#      certtool --generate-privkey + --generate-certificate as the floor
#   3. `sign` of an existing CSR (only if cfssl-c implements it)
#   4. RSA-2048 key generation: `gencert -initca` (certtool and openssl req -x509 as the floor)
#   5. the seed guide's 10 RSA-2048 certificates (CA, admin, controller-manager, scheduler,
#      kubernetes, service-account, kube-proxy and the kubelets of 3 nodes), as the guide runs them
#   6. clusters of 3/10/30/100 nodes (CA + 6 + one kubelet per node; 100 nodes = 107 certificates)
#   7. peak RSS of gencert and cfssljson (/usr/bin/time -v)
#   8. serve (bench/serve.sh): requests/s, p50 and p99 of /sign (ECDSA and RSA-2048 CA) and
#      /newcert (ECDSA key) at concurrency 1 and 4 under Debian's hey, and the server's peak RSS,
#      against cfssl 1.2's serve (and cfssl master's); BENCH_NO_SERVE=1 skips it
#   9. serve with a database (bench/db.sh): /sign at c=4 on no database, SQLite (plain and WAL)
#      and a private PostgreSQL against cfssl 1.2's serve on the same database, and where the
#      time goes; BENCH_NO_DB=1 skips it (it needs sqlite3 and PostgreSQL)
# prints a table with medians and ratios (cfssl / cfssl-c) and checks the performance targets.
#
# Writes bench/results.md (Markdown table), bench/scaling.dat and bench/scaling.svg (gnuplot).
#
# Environment:
#   BENCH_QUICK=1   fewer repetitions (about 3 minutes instead of about 7 on 2 idle cores)
#   BENCH_BUILD     build directory (default /tmp/cfssl-c-bench-build)
#   BENCH_KEEP=1    keep the work directory (callgrind files, generated certificates)
#   CFSSL_GO, CFSSLJSON_GO   the reference binaries (default /usr/bin/cfssl, /usr/bin/cfssljson)
#   CFSSL_MASTER, CFSSLJSON_MASTER   optional: cfssl master (1.6.5 and later) binaries, built by
#                   hand outside this repository; when given, every row also runs them, and the
#                   targets are checked against them too (the issue's figures are cfssl master's)
#
# Go binaries run under valgrind with GODEBUG=cpu.rdtscp=off,asyncpreemptoff=1: valgrind 3.19 does
# not decode the RDTSCP instruction that Go's runtime uses for cputicks, and callgrind can trip an
# assertion on the SIGURG signals of Go's asynchronous preemption. Neither changes the work done.

set -u
umask 022
export LC_ALL=C

here=$(dirname -- "$(realpath -- "$0")")
repo=$(realpath -- "$here/..")
build=${BENCH_BUILD:-/tmp/cfssl-c-bench-build}
quick=${BENCH_QUICK:-0}
[ "$quick" = 0 ] && quick=
mode=full
[ -n "$quick" ] && mode="quick (BENCH_QUICK=1)"

GC=${CFSSL_GO:-/usr/bin/cfssl}
GJ=${CFSSLJSON_GO:-/usr/bin/cfssljson}
GM=${CFSSL_MASTER:-}
GMJ=${CFSSLJSON_MASTER:-}
CC=$build/cfssl-c/cfssl-c
CJ=$build/cfssljson-c/cfssljson-c
shared=$build-shared
SC=$shared/cfssl-c/cfssl-c
SJ=$shared/cfssljson-c/cfssljson-c

if [ -n "$quick" ]; then
	ver_rounds=3 ver_runs=10 pipe_rounds=3 pipe_runs=4 cg_runs=1 rsa_runs=8 rss_runs=3
	scale_nodes="3 10 30 100" scale_runs="3 2 1 1"
else
	ver_rounds=5 ver_runs=40 pipe_rounds=5 pipe_runs=10 cg_runs=3 rsa_runs=20 rss_runs=5
	scale_nodes="3 10 30 100" scale_runs="7 5 3 3"
fi

die()
{
	echo "bench: $*" >&2
	exit 1
}

note()
{
	echo "bench: $*" >&2
}

# ---- tools

need="hyperfine valgrind callgrind_annotate gnuplot meson ninja hey"
missing=
for p in $need; do command -v "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -x /usr/bin/time ] || missing="$missing /usr/bin/time"
[ -x "$GC" ] && [ -x "$GJ" ] || missing="$missing $GC $GJ"
command -v certtool >/dev/null 2>&1 || missing="$missing certtool"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
# the static release build links libunistring.a (Debian's libunistring-dev)
compgen -G "/usr/lib/*/libunistring.a" >/dev/null || missing="$missing libunistring.a"
if [ -z "${BENCH_NO_DB:-}" ]; then
	command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
	compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing="$missing postgresql"
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		note "installing the missing tools:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update >/dev/null || die "apt-get update failed"
		apt-get install -y hyperfine valgrind golang-cfssl gnuplot-nox time gnutls-bin openssl \
			libunistring-dev hey sqlite3 postgresql >/dev/null || die "apt-get install failed"
	else
		die "missing:$missing (run as root to install them, or install hyperfine valgrind" \
			"golang-cfssl gnuplot-nox time gnutls-bin openssl libunistring-dev hey sqlite3 postgresql)"
	fi
fi
for p in hyperfine valgrind gnuplot certtool openssl; do
	command -v "$p" >/dev/null 2>&1 || die "$p not found"
done
[ -x "$GC" ] && [ -x "$GJ" ] || die "cfssl 1.2 not found ($GC, $GJ)"
has_m=
if [ -n "$GM$GMJ" ]; then
	[ -x "$GM" ] && [ -x "$GMJ" ] || die "CFSSL_MASTER/CFSSLJSON_MASTER: not executable ($GM, $GMJ)"
	has_m=1
fi

# ---- build

# Warnings are the test suite's business; a warning in a file being edited must not stop this.
# build_release DIR STATIC: a release build of the working tree in DIR.
build_release()
{
	local dir=$1 static=$2
	# --reconfigure also picks up options added since the folder was set up
	local again=
	[ -f "$dir/build.ninja" ] && again=--reconfigure
	meson setup $again --buildtype=release -Dwerror=false -Dtests=false \
		-Dstatic_crypto="$static" "$dir" "$repo" >"$dir.setup.log" 2>&1 ||
		die "meson setup failed (see $dir.setup.log)"
	meson compile -C "$dir" >"$dir.compile.log" 2>&1 || {
		tail -n 30 "$dir.compile.log" >&2
		die "build failed (log: $dir.compile.log)"
	}
	[ -x "$dir/cfssl-c/cfssl-c" ] && [ -x "$dir/cfssljson-c/cfssljson-c" ] ||
		die "built binaries not found in $dir"
}
build_release "$build" true
build_release "$shared" false

W=$(mktemp -d "${TMPDIR:-/tmp}/cfssl-c-bench.XXXXXX") || exit 1
if [ -n "${BENCH_KEEP:-}" ]; then
	note "work directory $W (kept)"
else
	trap 'rm -rf -- "$W"' EXIT
fi
trap 'exit 130' INT TERM HUP
mkdir "$W/t" "$W/c" "$W/cg" "$W/ir" "$W/rss"

# ---- measuring helpers

# cpu_children: REPLY = user + system CPU time (µs) of the waited-for children so far, from the
# `times` builtin (getrusage), without forking.
cpu_children()
{
	local a b c d
	times >"$W/times.out"
	{
		read -r a b
		read -r c d
	} <"$W/times.out"
	us_of "$c"
	a=$REPLY
	us_of "$d"
	REPLY=$((a + REPLY))
}

# us_of 1m2.345s: REPLY = the duration in µs
us_of()
{
	local m s si sf
	m=${1%%m*}
	s=${1#*m}
	s=${s%s}
	si=${s%.*}
	sf=${s#*.}000000
	sf=${sf:0:6}
	REPLY=$(((10#$m * 60 + 10#$si) * 1000000 + 10#$sf))
}

# tm LABEL CMD...: run CMD once, append its wall time (s) to $W/t/LABEL and its CPU time (user +
# system of all its processes, s) to $W/c/LABEL; a failure aborts.
tm()
{
	local label=$1 t0 t1 rc c0
	shift
	cpu_children
	c0=$REPLY
	t0=${EPOCHREALTIME/./}
	"$@"
	rc=$?
	t1=${EPOCHREALTIME/./}
	cpu_children
	[ "$rc" -eq 0 ] || die "failed (exit $rc): $*"
	echo "$((t1 - t0)) $((REPLY - c0))" |
		awk -v t="$W/t/$label" -v c="$W/c/$label" '{
			printf "%.6f\n", $1 / 1e6 >>t; printf "%.6f\n", $2 / 1e6 >>c }'
}

# hf LABEL RUNS SHELL CMD: one hyperfine round, its run times (s) appended to $W/t/LABEL.
# SHELL is "none" for a plain command, "sh" for a pipeline.
hf()
{
	local label=$1 runs=$2 shell=$3 cmd=$4
	local opts=(--runs "$runs" --warmup 3 --style none --export-json "$W/hf.json")
	[ "$shell" = none ] && opts+=(-N)
	hyperfine "${opts[@]}" "$cmd" >/dev/null 2>"$W/hf.err" || {
		cat "$W/hf.err" >&2
		die "hyperfine failed: $cmd"
	}
	tr -d ' \n' <"$W/hf.json" | sed -n 's/.*"times":\[\([^]]*\)\].*/\1/p' | tr ',' '\n' |
		sed '/^$/d' >>"$W/t/$label"
}

# ir TAG IN OUT CMD...: the instructions (Ir) of one process of CMD under callgrind, stdin from
# IN, stdout to OUT; the callgrind file is kept as $W/cg/TAG.*.
ir()
{
	local tag=$1 in=$2 out=$3 f
	shift 3
	local try
	f=$(mktemp "$W/cg/$tag.XXXXXX")
	for try in 1 2 3; do
		GODEBUG=cpu.rdtscp=off,asyncpreemptoff=1 valgrind --tool=callgrind \
			--trace-children=no --callgrind-out-file="$f" "$@" <"$in" >"$out" \
			2>>"$W/valgrind.log" && break
		[ "$try" -lt 3 ] || {
			tail -n 20 "$W/valgrind.log" >&2
			die "callgrind run failed: $*"
		}
	done
	awk '/^totals:/ { print $2 }' "$f"
}

# rss LABEL CMD...: peak RSS (KB) of CMD, appended to $W/rss/LABEL; CMD's stdout is discarded.
rss()
{
	local label=$1
	shift
	/usr/bin/time -v "$@" >/dev/null 2>"$W/time.out" || {
		cat "$W/time.out" >&2
		die "failed: $*"
	}
	sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$W/time.out" >>"$W/rss/$label"
}

median()
{
	[ -s "$1" ] || { echo nan; return; }
	sort -g "$1" | awk '{ a[NR] = $1 }
		END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

stddev()
{
	awk '{ s += $1; q += $1 * $1; n++ }
		END { if (n < 2) { print 0; exit } m = s / n; v = (q - n * m * m) / (n - 1);
			print (v > 0 ? sqrt(v) : 0) }' "$1"
}

ms() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.1f ms\n", v * 1000 }'; }
sec() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.2f s\n", v }'; }
mir() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.2f M\n", v / 1e6 }'; }
mb() { awk -v v="$1" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%.1f MB\n", v / 1024 }'; }
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "nan" || b == "nan" || a == "" || b == "" || b + 0 == 0) print "-";
		else printf "%.2f\n", a / b }'
}
# ms_spread LABEL: "median ± stddev" in ms
ms_spread()
{
	local m s
	m=$(median "$W/t/$1")
	s=$(stddev "$W/t/$1")
	awk -v m="$m" -v s="$s" 'BEGIN { printf "%.2f ± %.2f ms\n", m * 1000, s * 1000 }'
}

# Result rows: measure | cfssl-c | cfssl 1.2 | floor | ratio (cfssl / cfssl-c)
US=$'\x1f'
rows=()
# row MEASURE CFSSL-C CFSSL-1.2 FLOOR RATIO [CFSSL-MASTER MASTER-RATIO]
row()
{
	rows+=("$1$US$2$US$3$US$4$US$5$US${6:-}$US${7:-}")
}
# bins T: cf and cj = the cfssl and cfssljson of tool T (c: cfssl-c, s: cfssl-c with shared
# libraries, go: cfssl 1.2, m: cfssl master)
bins()
{
	case $1 in
	c) cf=$CC cj=$CJ ;;
	s) cf=$SC cj=$SJ ;;
	go) cf=$GC cj=$GJ ;;
	m) cf=$GM cj=$GMJ ;;
	esac
}
# the reference tools measured in this run
refs="go${has_m:+ m}"
targets=()
target()
{
	# target NAME VALUE THRESHOLD: PASS when VALUE >= THRESHOLD, n/a when VALUE is not a number
	local verdict
	verdict=$(awk -v v="$2" -v t="$3" 'BEGIN {
		if (v == "-" || v == "nan" || v == "") print "n/a"; else if (v + 0 >= t + 0) print "PASS";
		else print "MISS" }')
	targets+=("$verdict$US$1$US$2")
}

# ---- inputs

D=$W/in
mkdir "$D"
cat >"$D/ca-config.json" <<'EOF'
{
  "signing": {
    "default": {
      "expiry": "8760h"
    },
    "profiles": {
      "kubernetes": {
        "usages": ["signing", "key encipherment", "server auth", "client auth"],
        "expiry": "8760h"
      }
    }
  }
}
EOF
cat >"$D/ec-ca-csr.json" <<'EOF'
{ "CN": "Bench EC CA", "key": { "algo": "ecdsa", "size": 256 },
  "names": [ { "C": "LV", "L": "Riga", "O": "Kubernetes", "OU": "CA" } ] }
EOF
cat >"$D/leaf-csr.json" <<'EOF'
{ "CN": "leaf.example.com", "hosts": [ "leaf.example.com", "10.0.0.1" ],
  "key": { "algo": "ecdsa", "size": 256 },
  "names": [ { "C": "LV", "L": "Riga", "O": "Kubernetes", "OU": "Containerum" } ] }
EOF
cat >"$D/rsa-ca-csr.json" <<'EOF'
{ "CN": "Kubernetes", "key": { "algo": "rsa", "size": 2048 },
  "names": [ { "C": "LV", "L": "Riga", "O": "Kubernetes", "OU": "CA" } ] }
EOF
cat >"$D/leaf.cfg" <<'EOF'
cn = "leaf.example.com"
organization = "Kubernetes"
unit = "Containerum"
locality = "Riga"
country = "LV"
expiration_days = 365
dns_name = "leaf.example.com"
ip_address = "10.0.0.1"
tls_www_server
tls_www_client
signing_key
encryption_key
EOF
cat >"$D/rsa-ca.cfg" <<'EOF'
cn = "Kubernetes"
organization = "Kubernetes"
unit = "CA"
locality = "Riga"
country = "LV"
expiration_days = 1825
ca
cert_signing_key
crl_signing_key
EOF

# One ECDSA P-256 CA (made by cfssl 1.2) and one leaf CSR, shared by every tool.
(cd "$D" && "$GC" gencert -initca ec-ca-csr.json 2>/dev/null | "$GJ" -bare ec-ca) ||
	die "cannot create the ECDSA CA with $GC"
(cd "$D" && "$GC" gencert -ca ec-ca.pem -ca-key ec-ca-key.pem -config ca-config.json \
	-profile kubernetes leaf-csr.json 2>/dev/null | "$GJ" -bare leaf) ||
	die "cannot create the leaf CSR with $GC"

echo "cfssl-c:   $CC ($("$CC" version 2>/dev/null | tr '\n' ' '))"
echo "cfssl 1.2: $GC ($("$GC" version 2>/dev/null | tr '\n' ' '))"
[ -n "$has_m" ] && echo "cfssl master: $GM ($("$GM" version 2>/dev/null | tr '\n' ' '))"
load_start=$(cut -d' ' -f1 /proc/loadavg)
echo "mode:      $mode, $(nproc) CPUs, load average $load_start"
if awk -v l="$load_start" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
	note "warning: the machine is busy (load average $load_start on $(nproc) CPUs);" \
		"wall times will be noisy, instructions and CPU times much less so"
fi
echo

# ---- 1. process start

note "1/9 process start (version)"
for r in $(seq "$ver_rounds"); do
	hf ver-c "$ver_runs" none "$CC version"
	hf ver-go "$ver_runs" none "$GC version"
	[ -n "$has_m" ] && hf ver-m "$ver_runs" none "$GM version"
	hf ver-openssl "$ver_runs" none "openssl version"
	hf ver-certtool "$ver_runs" none "certtool --version"
done
ir_ver_c=$(ir ver-c /dev/null /dev/null "$CC" version) || exit 1
ir_ver_s=$(ir ver-s /dev/null /dev/null "$SC" version) || exit 1
ir_ver_go=$(ir ver-go /dev/null /dev/null "$GC" version) || exit 1
ir_ver_m=nan
if [ -n "$has_m" ]; then ir_ver_m=$(ir ver-m /dev/null /dev/null "$GM" version) || exit 1; fi
ir_ver_os=$(ir ver-openssl /dev/null /dev/null openssl version) || exit 1
ir_ver_ct=$(ir ver-certtool /dev/null /dev/null certtool --version) || exit 1
floor_w="$(ms_spread ver-openssl) (openssl), $(ms_spread ver-certtool) (certtool)"
floor_i="$(mir "$ir_ver_os") (openssl), $(mir "$ir_ver_ct") (certtool)"
row "version: wall, median ± σ" "$(ms_spread ver-c)" "$(ms_spread ver-go)" "$floor_w" \
	"$(ratio "$(median "$W/t/ver-go")" "$(median "$W/t/ver-c")")" \
	"${has_m:+$(ms_spread ver-m)}" "$(ratio "$(median "$W/t/ver-m")" "$(median "$W/t/ver-c")")"
row "version: instructions" "$(mir "$ir_ver_c")" "$(mir "$ir_ver_go")" "$floor_i" \
	"$(ratio "$ir_ver_go" "$ir_ver_c")" "$(mir "$ir_ver_m")" "$(ratio "$ir_ver_m" "$ir_ver_c")"
row "  cfssl-c with shared libraries" "$(mir "$ir_ver_s")" "" "" "$(ratio "$ir_ver_go" "$ir_ver_s")" \
	"" "$(ratio "$ir_ver_m" "$ir_ver_s")"

# ---- 2. ECDSA P-256 leaf: gencert -ca | cfssljson -bare

note "2/9 ECDSA P-256 leaf (gencert -ca | cfssljson -bare)"
E=$W/ec
mkdir -p "$E/c" "$E/s" "$E/go" "$E/m" "$E/ct"
cp "$D"/ec-ca.pem "$D"/ec-ca-key.pem "$D"/ca-config.json "$D"/leaf-csr.json "$D"/leaf.cfg "$E/c/"
for t in s go m ct; do cp "$E"/c/* "$E/$t/"; done
gencert_args="-ca=ec-ca.pem -ca-key=ec-ca-key.pem -config=ca-config.json -profile=kubernetes leaf-csr.json"
ct_leaf_cmd="certtool --generate-privkey --key-type ecdsa --curve secp256r1 --no-text \
--outfile leaf-key.pem 2>/dev/null && certtool --generate-certificate --load-privkey leaf-key.pem \
--load-ca-certificate ec-ca.pem --load-ca-privkey ec-ca-key.pem --template leaf.cfg --no-text \
--outfile leaf.pem 2>/dev/null"
for r in $(seq "$pipe_rounds"); do
	hf ec-c "$pipe_runs" sh "cd $E/c && $CC gencert $gencert_args 2>/dev/null | $CJ -bare leaf"
	hf ec-go "$pipe_runs" sh "cd $E/go && $GC gencert $gencert_args 2>/dev/null | $GJ -bare leaf"
	[ -n "$has_m" ] &&
		hf ec-m "$pipe_runs" sh "cd $E/m && $GM gencert $gencert_args 2>/dev/null | $GMJ -bare leaf"
	hf ec-ct "$pipe_runs" sh "cd $E/ct && $ct_leaf_cmd"
done
# Instructions: each process of the pipeline separately, with the same inputs.
for r in $(seq "$cg_runs"); do
	for t in c s $refs; do
		bins "$t"
		a=$(cd "$E/$t" && ir "ec-gencert-$t" /dev/null "$E/$t/out.json" "$cf" gencert \
			-ca=ec-ca.pem -ca-key=ec-ca-key.pem -config=ca-config.json -profile=kubernetes \
			leaf-csr.json) || exit 1
		b=$(cd "$E/$t" && ir "ec-cfssljson-$t" "$E/$t/out.json" /dev/null "$cj" -bare leaf) ||
			exit 1
		echo "$a" >>"$W/ir/ec-gencert-$t"
		echo "$b" >>"$W/ir/ec-cfssljson-$t"
		echo "$((a + b))" >>"$W/ir/ec-$t"
	done
	a=$(cd "$E/ct" && ir ec-ct-key /dev/null /dev/null certtool --generate-privkey \
		--key-type ecdsa --curve secp256r1 --no-text --outfile leaf-key.pem) || exit 1
	b=$(cd "$E/ct" && ir ec-ct-cert /dev/null /dev/null certtool --generate-certificate \
		--load-privkey leaf-key.pem --load-ca-certificate ec-ca.pem \
		--load-ca-privkey ec-ca-key.pem --template leaf.cfg --no-text --outfile leaf.pem) || exit 1
	echo "$((a + b))" >>"$W/ir/ec-ct"
done
for t in c s $refs; do
	openssl verify -CAfile "$E/$t/ec-ca.pem" "$E/$t/leaf.pem" >/dev/null 2>&1 ||
		die "the ECDSA leaf of $t does not verify"
done
# mrow MEASURE KIND LABEL FORMAT FLOOR: a row of the medians in $W/KIND/LABEL-{c,go,m} (KIND: ir
# instructions, t wall times, rss peak RSS), shown with FORMAT (mir, ms, mb)
mrow()
{
	local c go m
	c=$(median "$W/$2/$3-c")
	go=$(median "$W/$2/$3-go")
	m=$(median "$W/$2/$3-m")
	row "$1" "$($4 "$c")" "$($4 "$go")" "$5" "$(ratio "$go" "$c")" "$($4 "$m")" "$(ratio "$m" "$c")"
}
# shared_row LABEL: cfssl-c with shared libraries on the same work (instructions)
shared_row()
{
	local s
	s=$(median "$W/ir/$1-s")
	row "  cfssl-c with shared libraries" "$(mir "$s")" "" "" \
		"$(ratio "$(median "$W/ir/$1-go")" "$s")" "" "$(ratio "$(median "$W/ir/$1-m")" "$s")"
}
# targets3 NAME LABEL THRESHOLD: the target against cfssl 1.2, and against cfssl master if run
targets3()
{
	local c
	c=$(median "$W/ir/$2-c")
	target "$1 (vs cfssl 1.2)" "$(ratio "$(median "$W/ir/$2-go")" "$c")" "$3"
	[ -n "$has_m" ] && target "$1 (vs cfssl master)" "$(ratio "$(median "$W/ir/$2-m")" "$c")" "$3"
	return 0
}
mrow "ECDSA leaf gencert | cfssljson: instructions" ir ec mir "$(mir "$(median "$W/ir/ec-ct")") (certtool)"
shared_row ec
mrow "  of which gencert" ir ec-gencert mir ""
mrow "  of which cfssljson" ir ec-cfssljson mir ""
mrow "ECDSA leaf gencert | cfssljson: wall" t ec ms "$(ms "$(median "$W/t/ec-ct")") (certtool)"
targets3 "ECDSA gencert | cfssljson: ≥3x fewer instructions" ec 3

# ---- 3. sign

note "3/9 sign of an existing CSR"
S=$W/sign
mkdir -p "$S"
cp "$D"/ec-ca.pem "$D"/ec-ca-key.pem "$D"/ca-config.json "$D"/leaf.csr "$S/"

sign_ok=
if "$CC" sign -h >/dev/null 2>&1 &&
	(cd "$S" && "$CC" sign -ca ec-ca.pem -ca-key ec-ca-key.pem -config ca-config.json \
		-profile kubernetes leaf.csr 2>/dev/null >trial.json) &&
	grep -q '"cert"' "$S/trial.json" &&
	(cd "$S" && "$CJ" -bare trial <trial.json) &&
	openssl verify -CAfile "$S/ec-ca.pem" "$S/trial.pem" >/dev/null 2>&1; then
	sign_ok=1
fi
if [ -n "$sign_ok" ]; then
	sign_args="-ca=ec-ca.pem -ca-key=ec-ca-key.pem -config=ca-config.json -profile=kubernetes leaf.csr"
	for r in $(seq "$pipe_rounds"); do
		hf sign-c "$pipe_runs" sh "cd $S && $CC sign $sign_args 2>/dev/null | $CJ -bare signed"
		hf sign-go "$pipe_runs" sh "cd $S && $GC sign $sign_args 2>/dev/null | $GJ -bare signed"
		[ -n "$has_m" ] &&
			hf sign-m "$pipe_runs" sh "cd $S && $GM sign $sign_args 2>/dev/null | $GMJ -bare signed"
	done
	for r in $(seq "$cg_runs"); do
		for t in c s $refs; do
			bins "$t"
			# shellcheck disable=SC2086
			a=$(cd "$S" && ir "sign-$t" /dev/null "$S/sign-$t.json" "$cf" sign $sign_args) ||
				exit 1
			b=$(cd "$S" && ir "sign-cfssljson-$t" "$S/sign-$t.json" /dev/null "$cj" -bare \
				"signed-$t") || exit 1
			echo "$a" >>"$W/ir/sign-$t"
			echo "$((a + b))" >>"$W/ir/sign-pipe-$t"
		done
	done
	mrow "sign: instructions" ir sign mir ""
	shared_row sign
	mrow "sign | cfssljson: instructions" ir sign-pipe mir ""
	mrow "sign | cfssljson: wall" t sign ms ""
	targets3 "sign: ≥3x fewer instructions" sign 3
else
	echo "sign: n/a (sign not implemented)"
	row "sign: instructions" "n/a (sign not implemented)" "" "" "-"
	target "sign: ≥3x fewer instructions (n/a: sign not implemented)" - 3
fi

# ---- 4. RSA-2048 key generation: gencert -initca

note "4/9 RSA-2048 gencert -initca ($rsa_runs runs each)"
R=$W/rsa
mkdir -p "$R"
cp "$D/rsa-ca-csr.json" "$D/rsa-ca.cfg" "$R/"
rsa_c() { "$CC" gencert -initca "$R/rsa-ca-csr.json" >"$R/c.json" 2>/dev/null; }
rsa_go() { "$GC" gencert -initca "$R/rsa-ca-csr.json" >"$R/go.json" 2>/dev/null; }
rsa_m() { "$GM" gencert -initca "$R/rsa-ca-csr.json" >"$R/m.json" 2>/dev/null; }
rsa_ct()
{
	certtool --generate-privkey --key-type rsa --bits 2048 --no-text \
		--outfile "$R/ct-key.pem" 2>/dev/null &&
		certtool --generate-self-signed --load-privkey "$R/ct-key.pem" --template "$R/rsa-ca.cfg" \
			--no-text --outfile "$R/ct.pem" 2>/dev/null
}
rsa_os()
{
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$R/os-key.pem" -out "$R/os.pem" \
		-subj "/C=LV/L=Riga/O=Kubernetes/OU=CA/CN=Kubernetes" -days 1825 2>/dev/null
}
for r in $(seq "$rsa_runs"); do
	if [ $((r % 2)) -eq 1 ]; then
		tm rsa-c rsa_c
		tm rsa-go rsa_go
	else
		tm rsa-go rsa_go
		tm rsa-c rsa_c
	fi
	[ -n "$has_m" ] && tm rsa-m rsa_m
	tm rsa-ct rsa_ct
	tm rsa-os rsa_os
done
floor="$(ms "$(median "$W/t/rsa-ct")") (certtool), $(ms "$(median "$W/t/rsa-os")") (openssl)"
mrow "RSA-2048 gencert -initca: wall" t rsa ms "$floor"
floor="$(ms "$(median "$W/c/rsa-ct")") (certtool), $(ms "$(median "$W/c/rsa-os")") (openssl)"
row "RSA-2048 gencert -initca: CPU (user + sys)" "$(ms "$(median "$W/c/rsa-c")")" \
	"$(ms "$(median "$W/c/rsa-go")")" "$floor" \
	"$(ratio "$(median "$W/c/rsa-go")" "$(median "$W/c/rsa-c")")" \
	"$(ms "$(median "$W/c/rsa-m")")" "$(ratio "$(median "$W/c/rsa-m")" "$(median "$W/c/rsa-c")")"

# ---- 5. and 6. the guide's certificates and clusters of N nodes

kubelet_hosts() { echo "worker-$1,203.0.113.$(($1 + 1)),10.240.$(($1 / 200)).$(($1 % 200 + 20))"; }

# cluster_prepare DIR NODES: the CSR JSON files and certtool templates (not timed, as in the
# guide they are written once by hand).
cluster_prepare()
{
	local d=$1 n=$2 i name cn o ou hosts
	mkdir -p "$d"
	cp "$D/ca-config.json" "$d/"
	{
		echo "ca|Kubernetes|Kubernetes|CA|"
		echo "admin|admin|system:masters|Containerum|"
		echo "kube-controller-manager|system:kube-controller-manager|system:kube-controller-manager|Containerum|"
		echo "kube-scheduler|system:kube-scheduler|system:kube-scheduler|Containerum|"
		echo "kubernetes|kubernetes|Kubernetes|Containerum|10.32.0.1,10.240.0.10,192.0.2.10,127.0.0.1,kubernetes.default"
		echo "service-account|service-accounts|Kubernetes|Сontainerum|"
		for i in $(seq 0 $((n - 1))); do
			echo "worker-$i|system:node:worker-$i|system:nodes|Containerum|$(kubelet_hosts "$i")"
		done
		echo "kube-proxy|system:kube-proxy|system:node-proxier|Containerum|"
	} >"$d/list"
	while IFS='|' read -r name cn o ou hosts; do
		cat >"$d/$name-csr.json" <<EOF
{
  "CN": "$cn",
  "key": {
    "algo": "rsa",
    "size": 2048
  },
  "names": [
    {
      "C": "LV",
      "L": "Riga",
      "O": "$o",
      "OU": "$ou"
    }
  ]
}
EOF
		{
			printf 'cn = "%s"\norganization = "%s"\nunit = "%s"\nlocality = "Riga"\ncountry = "LV"\n' \
				"$cn" "$o" "$ou"
			if [ "$name" = ca ]; then
				printf 'expiration_days = 1825\nca\ncert_signing_key\ncrl_signing_key\n'
			else
				printf 'expiration_days = 365\nsigning_key\nencryption_key\n'
				printf 'tls_www_server\ntls_www_client\n'
				local h
				for h in ${hosts//,/ }; do
					case $h in
					*[!0-9.]*) printf 'dns_name = "%s"\n' "$h" ;;
					*) printf 'ip_address = "%s"\n' "$h" ;;
					esac
				done
			fi
		} >"$d/$name.cfg"
	done <"$d/list"
}

cluster_clean() { rm -f -- "$1"/*.pem "$1"/*.csr "$1"/err.log; }

# cluster_cfssl CFSSL CFSSLJSON DIR: the guide's commands for every entry of DIR/list.
cluster_cfssl()
{
	(
		set -e -o pipefail
		cf=$1 cj=$2
		cd "$3"
		while IFS='|' read -r -u 3 name cn o ou hosts; do
			if [ "$name" = ca ]; then
				"$cf" gencert -initca ca-csr.json </dev/null 2>>err.log | "$cj" -bare ca
			elif [ -n "$hosts" ]; then
				"$cf" gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json \
					-hostname="$hosts" -profile=kubernetes "$name-csr.json" \
					</dev/null 2>>err.log |
					"$cj" -bare "$name"
			else
				"$cf" gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json \
					-profile=kubernetes "$name-csr.json" </dev/null 2>>err.log |
					"$cj" -bare "$name"
			fi
		done 3<list
	)
}

# cluster_certtool DIR: the same files (key, CSR, certificate) with certtool.
cluster_certtool()
{
	(
		set -e
		cd "$1"
		while IFS='|' read -r -u 3 name cn o ou hosts; do
			certtool --generate-privkey --key-type rsa --bits 2048 --no-text \
				--outfile "$name-key.pem" 2>>err.log
			certtool --generate-request --load-privkey "$name-key.pem" --template "$name.cfg" \
				--no-text --outfile "$name.csr" 2>>err.log
			if [ "$name" = ca ]; then
				certtool --generate-self-signed --load-privkey ca-key.pem --template ca.cfg \
					--no-text --outfile ca.pem 2>>err.log
			else
				certtool --generate-certificate --load-request "$name.csr" \
					--load-ca-certificate ca.pem --load-ca-privkey ca-key.pem \
					--template "$name.cfg" --no-text --outfile "$name.pem" 2>>err.log
			fi
		done 3<list
	)
}

# cluster_verify DIR: every certificate of DIR/list exists and verifies against ca.pem.
cluster_verify()
{
	local d=$1 name rest
	while IFS='|' read -r name rest; do
		[ -s "$d/$name-key.pem" ] && [ -s "$d/$name.csr" ] ||
			die "$d: $name-key.pem or $name.csr missing"
		openssl verify -CAfile "$d/ca.pem" "$d/$name.pem" >/dev/null 2>&1 ||
			die "$d: $name.pem does not verify against ca.pem"
	done <"$d/list"
}

# cluster_bench NODES RUNS WITH_CERTTOOL: interleaved runs, labels cl-N-{c,go,ct}.
cluster_bench()
{
	local n=$1 runs=$2 ct=$3 r t
	local all="c $refs${ct:+ ct}"
	for t in $all; do
		cluster_prepare "$W/cl-$n-$t" "$n"
	done
	for r in $(seq "$runs"); do
		local order="c $refs"
		[ $((r % 2)) -eq 0 ] && order="$refs c"
		[ -n "$ct" ] && order="$order ct"
		for t in $order; do
			cluster_clean "$W/cl-$n-$t"
			case $t in
			ct) tm "cl-$n-ct" cluster_certtool "$W/cl-$n-ct" ;;
			*)
				bins "$t"
				tm "cl-$n-$t" cluster_cfssl "$cf" "$cj" "$W/cl-$n-$t"
				;;
			esac
		done
	done
	for t in $all; do
		cluster_verify "$W/cl-$n-$t"
	done
}

# shellcheck disable=SC2086
set -- $scale_runs
for n in $scale_nodes; do
	runs=$1
	shift
	certs=$((n + 7))
	if [ "$n" = 3 ]; then
		note "5/9 the guide's 10 RSA-2048 certificates (3 nodes; $runs run(s) each)"
		cluster_bench "$n" "$runs" 1
	else
		[ "$n" = 10 ] && note "6/9 clusters of 10, 30 and 100 nodes"
		note "    $n nodes, $certs certificates, $runs run(s) each"
		cluster_bench "$n" "$runs" ""
	fi
done

g_c=$(median "$W/t/cl-3-c")
g_go=$(median "$W/t/cl-3-go")
gc_c=$(median "$W/c/cl-3-c")
gc_go=$(median "$W/c/cl-3-go")
g_m=$(median "$W/t/cl-3-m")
gc_m=$(median "$W/c/cl-3-m")
row "guide, 10 RSA certificates: wall" "$(sec "$g_c")" "$(sec "$g_go")" \
	"$(sec "$(median "$W/t/cl-3-ct")") (certtool)" "$(ratio "$g_go" "$g_c")" \
	"$(sec "$g_m")" "$(ratio "$g_m" "$g_c")"
row "guide, 10 RSA certificates: CPU (user + sys)" "$(sec "$gc_c")" "$(sec "$gc_go")" \
	"$(sec "$(median "$W/c/cl-3-ct")") (certtool)" "$(ratio "$gc_go" "$gc_c")" \
	"$(sec "$gc_m")" "$(ratio "$gc_m" "$gc_c")"
target "10 RSA certificates: ≥2x faster (vs cfssl 1.2; wall; CPU time $(ratio "$gc_go" "$gc_c")x)" \
	"$(ratio "$g_go" "$g_c")" 2
[ -n "$has_m" ] &&
	target "10 RSA certificates: ≥2x faster (vs cfssl master; wall; CPU time $(ratio "$gc_m" "$gc_c")x)" \
		"$(ratio "$g_m" "$g_c")" 2
k_c=$(median "$W/t/cl-100-c")
k_go=$(median "$W/t/cl-100-go")
kc_c=$(median "$W/c/cl-100-c")
kc_go=$(median "$W/c/cl-100-go")
k_m=$(median "$W/t/cl-100-m")
kc_m=$(median "$W/c/cl-100-m")
row "100-node cluster, 107 certificates: wall" "$(sec "$k_c")" "$(sec "$k_go")" "" \
	"$(ratio "$k_go" "$k_c")" "$(sec "$k_m")" "$(ratio "$k_m" "$k_c")"
row "100-node cluster, 107 certificates: CPU (user + sys)" "$(sec "$kc_c")" "$(sec "$kc_go")" "" \
	"$(ratio "$kc_go" "$kc_c")" "$(sec "$kc_m")" "$(ratio "$kc_m" "$kc_c")"
target "100-node cluster: ≥2x faster (vs cfssl 1.2; wall; CPU time $(ratio "$kc_go" "$kc_c")x)" \
	"$(ratio "$k_go" "$k_c")" 2
[ -n "$has_m" ] &&
	target "100-node cluster: ≥2x faster (vs cfssl master; wall; CPU time $(ratio "$kc_m" "$kc_c")x)" \
		"$(ratio "$k_m" "$k_c")" 2

{
	echo "# cfssl-c vs cfssl 1.2 (and cfssl master when measured, else nan): wall time of a"
	echo "# cluster's certificates (medians)"
	echo "# nodes certificates cfssl-c_s cfssl_s cfssl-c_ms_per_node cfssl_ms_per_node ratio" \
		"cfssl-c_cpu_s cfssl_cpu_s cpu_ratio master_s master_ms_per_node master_ratio"
	for n in $scale_nodes; do
		awk -v n="$n" -v a="$(median "$W/t/cl-$n-c")" -v b="$(median "$W/t/cl-$n-go")" \
			-v ca="$(median "$W/c/cl-$n-c")" -v cb="$(median "$W/c/cl-$n-go")" \
			-v m="$(median "$W/t/cl-$n-m")" 'BEGIN {
			printf "%d %d %.3f %.3f %.1f %.1f %.2f %.3f %.3f %.2f", n, n + 7, a, b,
				a / n * 1000, b / n * 1000, b / a, ca, cb, cb / ca
			if (m == "nan") print " nan nan nan"
			else printf " %.3f %.1f %.2f\n", m, m / n * 1000, m / a }'
	done
} >"$here/scaling.dat"

# ---- 7. peak RSS

note "7/9 peak RSS"
for r in $(seq "$rss_runs"); do
	(cd "$E/c" && rss ec-c "$CC" gencert -ca=ec-ca.pem -ca-key=ec-ca-key.pem \
		-config=ca-config.json -profile=kubernetes leaf-csr.json) || exit 1
	(cd "$E/go" && rss ec-go "$GC" gencert -ca=ec-ca.pem -ca-key=ec-ca-key.pem \
		-config=ca-config.json -profile=kubernetes leaf-csr.json) || exit 1
	rss rsa-c "$CC" gencert -initca "$R/rsa-ca-csr.json" || exit 1
	rss rsa-go "$GC" gencert -initca "$R/rsa-ca-csr.json" || exit 1
	(cd "$E/c" && rss json-c "$CJ" -bare leaf <"$E/c/out.json") || exit 1
	(cd "$E/go" && rss json-go "$GJ" -bare leaf <"$E/go/out.json") || exit 1
	if [ -n "$has_m" ]; then
		(cd "$E/m" && rss ec-m "$GM" gencert -ca=ec-ca.pem -ca-key=ec-ca-key.pem \
			-config=ca-config.json -profile=kubernetes leaf-csr.json) || exit 1
		rss rsa-m "$GM" gencert -initca "$R/rsa-ca-csr.json" || exit 1
		(cd "$E/m" && rss json-m "$GMJ" -bare leaf <"$E/m/out.json") || exit 1
	fi
done
mrow "gencert -ca ECDSA leaf: peak RSS" rss ec mb ""
mrow "gencert -initca RSA-2048: peak RSS" rss rsa mb ""
mrow "cfssljson -bare: peak RSS" rss json mb ""
# The smaller of the two gencert ratios decides.
for t in $refs; do
	rss_min=$(awk -v a="$(ratio "$(median "$W/rss/ec-$t")" "$(median "$W/rss/ec-c")")" \
		-v b="$(ratio "$(median "$W/rss/rsa-$t")" "$(median "$W/rss/rsa-c")")" \
		'BEGIN { printf "%.2f\n", (a + 0 < b + 0 ? a : b) }')
	name="cfssl 1.2"
	[ "$t" = m ] && name="cfssl master"
	target "gencert: ≥2x less peak memory (vs $name; smaller of ECDSA leaf, RSA CA)" "$rss_min" 2
done

# ---- 8. serve: long-running servers under hey (bench/serve.sh)

serve_ok=
if [ -z "${BENCH_NO_SERVE:-}" ]; then
	note "8/9 serve"
	mkdir "$W/serve"
	if CFSSL_GO=$GC CFSSL_MASTER=$GM BENCH_QUICK=$quick "$here/serve.sh" "$CC" "$W/serve"; then
		serve_ok=1
		while IFS= read -r t; do targets+=("$t"); done <"$W/serve/serve.targets"
	else
		targets+=("MISS${US}serve benchmark failed (bench/serve.sh)$US-")
	fi
fi

# ---- 9. serve with a database (bench/db.sh)

db_ok=
if [ -z "${BENCH_NO_DB:-}" ]; then
	note "9/9 serve with a database"
	db_n=${BENCH_DB_N:-2000} db_rounds=${BENCH_DB_ROUNDS:-3}
	[ -n "$quick" ] && db_n=${BENCH_DB_N:-500} db_rounds=${BENCH_DB_ROUNDS:-1}
	if CFSSL_GO=$GC BENCH_DB_N=$db_n BENCH_DB_ROUNDS=$db_rounds "$here/db.sh" "$CC" >"$W/db.txt"; then
		db_ok=1
	else
		targets+=("MISS${US}database benchmark failed (bench/db.sh)$US-")
	fi
fi

# ---- cfssljson-c without GnuTLS: no GnuTLS code in the release binary (GnuTLS's constructor
# would initialise it), and no libgnutls in the shared-library build

if nm "$CJ" 2>/dev/null | grep -q ' gnutls_'; then
	targets+=("MISS${US}cfssljson-c does not carry GnuTLS (nm shows gnutls_ symbols)$US-")
elif ldd "$SJ" | grep -q libgnutls; then
	targets+=("MISS${US}cfssljson-c does not load GnuTLS (ldd of the shared build shows libgnutls)$US-")
elif ! nm "$CJ" >/dev/null 2>&1; then
	targets+=("n/a${US}cfssljson-c does not carry GnuTLS (nm cannot read $CJ)$US-")
else
	targets+=("PASS${US}cfssljson-c neither carries nor loads GnuTLS (nm, ldd)$US-")
fi

# ---- report

load_end=$(cut -d' ' -f1 /proc/loadavg)

echo
if [ -n "$has_m" ]; then
	printf '%-48s %-20s %-20s %-20s %-28s %-10s %s\n' MEASURE cfssl-c "cfssl 1.2" "cfssl master" \
		"certtool / openssl" "1.2 / c" "master / c"
else
	printf '%-48s %-20s %-20s %-28s %s\n' MEASURE cfssl-c "cfssl 1.2" "certtool / openssl" \
		"cfssl / cfssl-c"
fi
for r in "${rows[@]}"; do
	IFS=$US read -r a b c d e f g <<<"$r"
	if [ -n "$has_m" ]; then
		printf '%-48s %-20s %-20s %-20s %-28s %-10s %s\n' "$a" "$b" "$c" "$f" "$d" "$e" "$g"
	else
		printf '%-48s %-20s %-20s %-28s %s\n' "$a" "$b" "$c" "$d" "$e"
	fi
done
if [ -n "$serve_ok" ]; then
	echo
	if [ -n "$has_m" ]; then
		printf '%-40s %-14s %-14s %-14s %-8s %s\n' "SERVE (hey, 127.0.0.1)" cfssl-c "cfssl 1.2" \
			"cfssl master" "1.2 / c" "master / c"
	else
		printf '%-40s %-14s %-14s %s\n' "SERVE (hey, 127.0.0.1)" cfssl-c "cfssl 1.2" "cfssl / cfssl-c"
	fi
	cat "$W/serve/serve.txt"
fi
echo
echo "targets:"
misses=0
for t in "${targets[@]}"; do
	IFS=$US read -r v name val <<<"$t"
	if [ "$val" = - ]; then
		printf '  %-5s %s\n' "$v" "$name"
	else
		printf '  %-5s %s (measured %sx)\n' "$v" "$name" "$val"
	fi
	[ "$v" = MISS ] && misses=$((misses + 1))
done

gc_version=$("$GC" version 2>/dev/null | sed -n 's/^Version: //p')
gc_runtime=$("$GC" version 2>/dev/null | sed -n 's/^Runtime: //p')
against="Debian's cfssl $gc_version ($gc_runtime)"
if [ -n "$has_m" ]; then
	against="$against and cfssl master $("$GM" version 2>/dev/null | sed -n 's/^Version: //p')"
	against="$against ($("$GM" version 2>/dev/null | sed -n 's/^Runtime: //p'), built by hand"
	against="$against from the cfssl repository, outside this one)"
fi
{
	echo "# cfssl-c benchmarks"
	echo
	echo "Measured by \`bench/run.sh\`${quick:+ (BENCH_QUICK=1)} on $(date -u +%Y-%m-%d):" \
		"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)," \
		"$(nproc) CPUs, Linux $(uname -r), load average $load_start at the start and" \
		"$load_end at the end."
	echo "cfssl-c $(git -C "$repo" --no-optional-locks rev-parse --short HEAD 2>/dev/null || echo '?')" \
		"(release build with \`-Dstatic_crypto=true\`: GnuTLS" \
		"$(pkg-config --modversion gnutls 2>/dev/null || echo '?'), Nettle, GMP, libtasn1," \
		"libidn2, libunistring and Jansson $(pkg-config --modversion jansson 2>/dev/null || echo '?')" \
		"linked statically; p11-kit and libc shared) against $against."
	echo "The rows \"cfssl-c with shared libraries\" are the default build (\`meson setup build\`," \
		"as a distribution builds it) on the same work."
	echo "Wall times are medians of runs that alternate the tools; instructions are callgrind's Ir"
	echo "for every process of the command added up. The ratio columns are cfssl / cfssl-c: above 1"
	echo "means cfssl-c is faster or smaller."
	echo
	if [ -n "$has_m" ]; then
		echo "| measure | cfssl-c | cfssl 1.2 | cfssl master | certtool / openssl |" \
			"cfssl 1.2 / cfssl-c | cfssl master / cfssl-c |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
	else
		echo "| measure | cfssl-c | cfssl 1.2 | certtool / openssl | cfssl / cfssl-c |"
		echo "|---|---:|---:|---:|---:|"
	fi
	for r in "${rows[@]}"; do
		IFS=$US read -r a b c d e f g <<<"$r"
		a=${a//|/\\|}
		a=${a#  }
		if [ -n "$has_m" ]; then
			echo "| $a | ${b:--} | ${c:--} | ${f:--} | ${d:--} | ${e:--} | ${g:--} |"
		else
			echo "| $a | ${b:--} | ${c:--} | ${d:--} | ${e:--} |"
		fi
	done
	echo
	echo "Cluster scaling (\`scaling.dat\`, \`scaling.svg\`):"
	echo
	if [ -n "$has_m" ]; then
		echo "| nodes | certificates | cfssl-c wall | cfssl 1.2 wall | cfssl master wall |" \
			"cfssl-c per node | cfssl 1.2 / cfssl-c, wall | cfssl 1.2 / cfssl-c, CPU |" \
			"cfssl master / cfssl-c, wall |"
		echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		awk '!/^#/ { printf "| %d | %d | %.2f s | %.2f s | %.2f s | %.0f ms | %.2f | %.2f | %.2f |\n",
			$1, $2, $3, $4, $11, $5, $7, $10, $13 }' "$here/scaling.dat"
	else
		echo "| nodes | certificates | cfssl-c wall | cfssl 1.2 wall | cfssl-c per node |" \
			"cfssl per node | cfssl / cfssl-c, wall | cfssl / cfssl-c, CPU |"
		echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
		awk '!/^#/ { printf "| %d | %d | %.2f s | %.2f s | %.0f ms | %.0f ms | %.2f | %.2f |\n",
			$1, $2, $3, $4, $5, $6, $7, $10 }' "$here/scaling.dat"
	fi
	if [ -n "$serve_ok" ]; then
		echo
		echo "Serve (\`bench/serve.sh\`): each server runs with the CA key and a default profile on"
		echo "127.0.0.1 and Debian's \`hey\` sends the requests from the same 2 cores; cfssl-c's peak RSS"
		echo "is its HTTP process's peak plus its key process's private pages. Ratios: above 1 means"
		echo "cfssl-c is better (more requests/s, lower latency, less memory)."
		echo
		if [ -n "$has_m" ]; then
			echo "| serve | cfssl-c | cfssl 1.2 | cfssl master | cfssl-c vs 1.2 | cfssl-c vs master |"
			echo "|---|---:|---:|---:|---:|---:|"
		else
			echo "| serve | cfssl-c | cfssl 1.2 | cfssl-c vs cfssl |"
			echo "|---|---:|---:|---:|"
		fi
		cat "$W/serve/serve.md"
	fi
	if [ -n "$db_ok" ]; then
		echo
		echo "Serve with a database (\`bench/db.sh\`, $db_n requests a row, $db_rounds round(s)):"
		echo
		echo '```'
		cat "$W/db.txt"
		echo '```'
	fi
	echo
	echo "Targets:"
	echo
	for t in "${targets[@]}"; do
		IFS=$US read -r v name val <<<"$t"
		if [ "$val" = - ]; then
			echo "- **$v** $name"
		else
			echo "- **$v** $name: ${val}x"
		fi
	done
} >"$here/results.md"

master_plot1=
master_plot2=
if [ -n "$has_m" ]; then
	master_plot1=", '' using 1:11 with linespoints lw 2 pt 9 title 'cfssl master'"
	master_plot2=", '' using 1:12 with linespoints lw 2 pt 9 title 'cfssl master'"
fi
gnuplot <<EOF || note "gnuplot failed; scaling.svg not written"
set terminal svg size 900,420 dynamic enhanced font 'sans,12' background rgb 'white'
set output '$here/scaling.svg'
set datafile commentschars '#'
set datafile missing 'nan'
set multiplot layout 1,2 title 'Certificates of a Kubernetes cluster (CA + 6 + one kubelet per node), RSA-2048'
set key top left
set grid
set logscale xy
set xrange [2:150]
set xtics (3, 10, 30, 100)
set xlabel 'nodes'
set ylabel 'wall time, seconds (median)'
set title 'total'
plot '$here/scaling.dat' using 1:4 with linespoints lw 2 pt 7 title 'cfssl 1.2', \
     '' using 1:3 with linespoints lw 2 pt 5 title 'cfssl-c'$master_plot1
unset logscale y
set yrange [0:*]
set key top right
set ylabel 'milliseconds per node (median)'
set title 'per node'
plot '$here/scaling.dat' using 1:6 with linespoints lw 2 pt 7 title 'cfssl 1.2', \
     '' using 1:5 with linespoints lw 2 pt 5 title 'cfssl-c'$master_plot2
unset multiplot
EOF

echo
echo "wrote $here/results.md, $here/scaling.dat, $here/scaling.svg"

# Where cfssl-c's instructions go, when an instruction target was missed.
if printf '%s\n' "${targets[@]}" | grep -q "^MISS$US.*instructions"; then
	f=$(ls "$W"/cg/ec-gencert-c.* 2>/dev/null | head -n1)
	if [ -n "$f" ]; then
		echo
		echo "cfssl-c gencert (ECDSA leaf): instructions by shared object (self cost)"
		callgrind_annotate --threshold=100 "$f" 2>/dev/null |
			awk '/^ *[0-9,]+ .*\[.*\]$/ { v = $1; gsub(",", "", v); o = $NF; gsub(/[][]/, "", o);
				n = split(o, p, "/"); s[p[n]] += v; t += v }
				END { for (k in s) printf "%12d %5.1f%%  %s\n", s[k], 100 * s[k] / t, k }' |
			sort -rn | head -n 12
		echo
		echo "cfssl-c gencert (ECDSA leaf): top functions, inclusive"
		callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
			awk '/^ *[0-9,]+ \(/' | head -n 25
	fi
fi
[ "$misses" -eq 0 ]
