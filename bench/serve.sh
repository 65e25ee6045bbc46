#!/bin/bash
# The serve benchmark: cfssl-c's `serve` against Debian's cfssl 1.2 `serve` (and cfssl master's
# when given), each a long-running server on 127.0.0.1 loaded by Debian's `hey`.
#
# usage: bench/serve.sh CFSSL-C [OUT-DIR]
#
# For each server: /sign with an ECDSA P-256 CA, /sign with an RSA-2048 CA and /newcert (an ECDSA
# P-256 key, ECDSA CA), each at concurrency 1 and 4: requests/s, p50 and p99 latency (hey's);
# every reply must be 200. At c=4 also the server's CPU time per request (user + system, all its
# threads and key processes), which noise on a shared machine moves far less than requests/s,
# and hey's own CPU per request: hey shares the cores, so it bounds every server's throughput
# (a server taking no CPU at all could not go faster than 2 cores / hey's share).
# The servers alternate row by row; a row's figure is the median over
# the rounds. Peak RSS: VmHWM of the server after all the load of one CA (cfssl-c: its HTTP
# process's, plus the private pages of its key process), one row per CA.
#
# Run by bench/run.sh (which builds the release binary and passes its work directory); standalone
# it prints the table. OUT-DIR receives serve.md (Markdown rows), serve.txt (the printed table)
# and serve.targets (verdict, name, value; separated by 0x1f).
#
# Environment: BENCH_QUICK=1 (1,000 requests per row, 1 round; else 4,000 and 3 rounds),
#   CFSSL_GO (default /usr/bin/cfssl), CFSSL_MASTER (optional), BENCH_SERVE_N, BENCH_SERVE_ROUNDS.

set -u
export LC_ALL=C

CC=$(realpath -- "${1:?usage: bench/serve.sh CFSSL-C [OUT-DIR]}")
OUT=${2:-}
GC=${CFSSL_GO:-/usr/bin/cfssl}
GM=${CFSSL_MASTER:-}
if [ -n "${BENCH_QUICK:-}" ] && [ "${BENCH_QUICK:-}" != 0 ]; then
	n=${BENCH_SERVE_N:-1000} rounds=${BENCH_SERVE_ROUNDS:-1}
else
	n=${BENCH_SERVE_N:-4000} rounds=${BENCH_SERVE_ROUNDS:-3}
fi

die()
{
	echo "bench serve: $*" >&2
	exit 1
}
command -v hey >/dev/null 2>&1 || die "hey not found (Debian package hey)"
[ -x "$CC" ] || die "$CC is not executable"
[ -x "$GC" ] || die "$GC is not executable"
[ -z "$GM" ] || [ -x "$GM" ] || die "CFSSL_MASTER=$GM is not executable"

S=$(mktemp -d "${TMPDIR:-/tmp}/cfssl-c-bench-serve.XXXXXX") || exit 1
SPID=
cleanup()
{
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	rm -rf -- "$S"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
[ -z "$OUT" ] && OUT=$S
tools="c go"
[ -n "$GM" ] && tools="c go m"
bin()
{
	case $1 in
	c) echo "$CC" ;;
	go) echo "$GC" ;;
	m) echo "$GM" ;;
	esac
}

# ---- inputs: two CAs (made by cfssl-c), a CSR, the request bodies
cd "$S" || exit 1
echo '{"CN":"Bench Serve EC CA","key":{"algo":"ecdsa","size":256}}' >ec-ca.json
echo '{"CN":"Bench Serve RSA CA","key":{"algo":"rsa","size":2048}}' >rsa-ca.json
echo '{"CN":"leaf.example.com","hosts":["leaf.example.com","10.0.0.1"],"key":{"algo":"ecdsa","size":256}}' >leaf.json
pem_of()
{
	python3 -c 'import json,sys; r=json.load(sys.stdin); open(sys.argv[1]+".pem","w").write(r.get("cert") or r["csr"]); open(sys.argv[1]+"-key.pem","w").write(r["key"])' "$1"
}
"$CC" gencert -initca ec-ca.json 2>/dev/null | pem_of ec-ca || die "EC CA"
"$CC" gencert -initca rsa-ca.json 2>/dev/null | pem_of rsa-ca || die "RSA CA"
"$CC" genkey leaf.json 2>/dev/null | pem_of leaf || die "CSR"
python3 -c 'import json; print(json.dumps({"certificate_request": open("leaf.pem").read()}))' >sign.json
echo '{"request":{"CN":"leaf.example.com","hosts":["leaf.example.com","10.0.0.1"],"key":{"algo":"ecdsa","size":256}}}' >newcert.json
cat >config.json <<'EOF'
{"signing": {"default": {"expiry": "8760h", "usages": ["signing", "key encipherment", "server auth", "client auth"]}}}
EOF

free_port()
{
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start TOOL CA: the server of TOOL with CA on a free port; sets SPID and PORT.
start()
{
	local b
	b=$(bin "$1")
	PORT=$(free_port)
	"$b" serve -address 127.0.0.1 -port "$PORT" -ca "$2.pem" -ca-key "$2-key.pem" \
		-config config.json >"serve-$1.log" 2>&1 &
	SPID=$!
	for _ in $(seq 1 100); do
		kill -0 "$SPID" 2>/dev/null || die "$b serve did not start: $(tail -n 3 "serve-$1.log")"
		(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
		sleep 0.1
	done
	die "$b serve did not open its port"
}

# hwm: the peak RSS (KB) of the server, plus what its children (cfssl-c's key process) hold
# of their own: their private pages (smaps_rollup; the libraries they share with the server
# are counted once), or their peak RSS where smaps_rollup is not readable
hwm()
{
	local total p v
	total=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SPID/status")
	for p in $(pgrep -P "$SPID"); do
		v=$(awk '/^Private_(Clean|Dirty):/ { s += $2; n++ } END { if (n) print s }' \
			"/proc/$p/smaps_rollup" 2>/dev/null)
		[ -n "$v" ] || v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$p/status" 2>/dev/null)
		total=$((total + ${v:-0}))
	done
	echo "$total"
}

stop()
{
	kill -TERM "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	SPID=
}

# cpu_ticks: the CPU time (clock ticks, user + system, all threads) of the server and its
# children (cfssl-c's key processes) so far
cpu_ticks()
{
	local p t=0
	for p in "$SPID" $(pgrep -P "$SPID"); do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
TICK=$(getconf CLK_TCK)
TIMEFORMAT='%U %S'

# load TOOL LABEL ENDPOINT BODY C: one hey run; appends "rps p50 p99 server-cpu hey-cpu" (s;
# CPU per request) to $S/r/LABEL-TOOL
mkdir r
load()
{
	local tool=$1 label=$2 ep=$3 body=$4 c=$5 ok before after
	before=$(cpu_ticks)
	{ time hey -n "$n" -c "$c" -t 30 -m POST -T application/json -D "$body" \
		"http://127.0.0.1:$PORT/api/v1/cfssl/$ep" >hey.out 2>&1; } 2>hey.time ||
		die "hey failed: $(tail -n 3 hey.out)"
	after=$(cpu_ticks)
	ok=$(sed -n 's/^ *\[200\][[:space:]]*\([0-9]*\) responses$/\1/p' hey.out)
	[ "$ok" = "$n" ] && ! grep -q 'Error distribution' hey.out ||
		die "$(bin "$tool") $ep: not every reply was 200: $(grep -A3 'distribution' hey.out | tr '\n' ' ')"
	awk -v n="$n" -v srv="$((after - before))" -v tick="$TICK" -v hey="$(cat hey.time)" '
		/Requests\/sec:/ { r = $2 } / 50% in / { a = $3 } / 99% in / { b = $3 }
		END { split(hey, h, " "); print r, a, b, srv / tick / n, (h[1] + h[2]) / n }' \
		hey.out >>"r/$label-$tool"
}

echo "bench serve: $n requests per row, $rounds round(s), servers: $tools" >&2
for round in $(seq "$rounds"); do
	for ca in ec rsa; do
		for t in $tools; do
			start "$t" "$ca-ca"
			# a short warm-up: connections, the Go runtime's heap, our thread pool
			hey -n 200 -c 4 -m POST -T application/json -D sign.json \
				"http://127.0.0.1:$PORT/api/v1/cfssl/sign" >/dev/null 2>&1
			for c in 1 4; do
				load "$t" "sign-$ca-$c" sign sign.json "$c"
				[ "$ca" = ec ] && load "$t" "newcert-$c" newcert newcert.json "$c"
			done
			hwm >>"r/rss-$ca-$t"
			stop
		done
	done
done

# med FILE COLUMN: the median of COLUMN (1 rps or the RSS, 2 p50, 3 p99, 4 server CPU, 5 hey's CPU
# per request)
med()
{
	[ -s "$1" ] || { echo nan; return; }
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ a[NR] = $1 }
		END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# ratio A B: A / B with 2 decimals
ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b + 0 == 0) print "-";
		else printf "%.2f\n", a / b }'
}
fmt()
{
	awk -v v="$1" -v k="$2" 'BEGIN { if (v == "nan") { print "-"; exit }
		if (k == "rps") printf "%.0f req/s\n", v; else if (k == "ms") printf "%.2f ms\n", v * 1000;
		else if (k == "us") printf "%.0f us\n", v * 1e6;
		else printf "%.1f MiB\n", v / 1024 }'
}

US=$'\x1f'
: >"$OUT/serve.md"
: >"$OUT/serve.txt"
: >"$OUT/serve.targets"
# row MEASURE KIND FILE-STEM COLUMN: one table row; the ratio is "cfssl-c is better by" (rps:
# ours / theirs; latency and memory: theirs / ours)
row()
{
	local what=$1 kind=$2 stem=$3 col=$4 v t line md
	declare -A val
	for t in $tools; do val[$t]=$(med "r/$stem-$t" "$col"); done
	line=$(printf '%-48s %-14s %-14s' "$what" "$(fmt "${val[c]}" "$kind")" "$(fmt "${val[go]}" "$kind")")
	md="| $what | $(fmt "${val[c]}" "$kind") | $(fmt "${val[go]}" "$kind") |"
	[ -n "$GM" ] && line="$line $(printf '%-14s' "$(fmt "${val[m]}" "$kind")")" &&
		md="$md $(fmt "${val[m]}" "$kind") |"
	for t in go ${GM:+m}; do
		if [ "$kind" = rps ]; then v=$(ratio "${val[c]}" "${val[$t]}"); else v=$(ratio "${val[$t]}" "${val[c]}"); fi
		line="$line $(printf '%-8s' "$v")"
		md="$md $v |"
		eval "R_${stem//-/_}_${col}_$t=\$v"
	done
	echo "$line" >>"$OUT/serve.txt"
	echo "$md" >>"$OUT/serve.md"
}
for ca in ec rsa; do
	name=ECDSA
	[ "$ca" = rsa ] && name=RSA-2048
	for c in 1 4; do
		row "/sign, $name CA, c=$c: throughput" rps "sign-$ca-$c" 1
		row "/sign, $name CA, c=$c: p50" ms "sign-$ca-$c" 2
		row "/sign, $name CA, c=$c: p99" ms "sign-$ca-$c" 3
	done
	row "/sign, $name CA, c=4: server CPU per request" us "sign-$ca-4" 4
done
for c in 1 4; do
	row "/newcert ECDSA, c=$c: throughput" rps "newcert-$c" 1
	row "/newcert ECDSA, c=$c: p50" ms "newcert-$c" 2
	row "/newcert ECDSA, c=$c: p99" ms "newcert-$c" 3
done
row "/newcert ECDSA, c=4: server CPU per request" us "newcert-4" 4
# hey runs on the same cores: its own CPU per request bounds every server's throughput
row "hey's CPU per request, /sign ECDSA CA, c=4" us "sign-ec-4" 5
for ca in ec rsa; do
	name=ECDSA
	[ "$ca" = rsa ] && name=RSA-2048
	row "serve, $name CA: peak RSS after the load" kb "rss-$ca" 1
done

# targets of issue 12 (at c=4), against each reference
target()
{
	local verdict
	verdict=$(awk -v v="$2" -v t="$3" 'BEGIN { if (v == "-" || v == "") print "n/a";
		else if (v + 0 >= t + 0) print "PASS"; else print "MISS" }')
	echo "$verdict$US$1$US$2" >>"$OUT/serve.targets"
}
for t in go ${GM:+m}; do
	name="cfssl 1.2"
	[ "$t" = m ] && name="cfssl master"
	eval "target \"serve /sign ECDSA CA, c=4: ≥2x the requests/s (vs $name)\" \"\$R_sign_ec_4_1_$t\" 2"
	eval "target \"serve /newcert, c=4: ≥1.5x the requests/s (vs $name)\" \"\$R_newcert_4_1_$t\" 1.5"
	for stem in sign_ec_4 sign_rsa_4 newcert_4; do
		case $stem in
		sign_ec_4) what="/sign ECDSA CA" ;;
		sign_rsa_4) what="/sign RSA-2048 CA" ;;
		newcert_4) what="/newcert" ;;
		esac
		eval "target \"serve $what, c=4: p99 no worse (vs $name)\" \"\$R_${stem}_3_$t\" 1"
	done
	a=$(eval "echo \$R_rss_ec_1_$t") b=$(eval "echo \$R_rss_rsa_1_$t")
	m=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.2f\n", (a + 0 < b + 0 ? a : b) }')
	target "serve: ≥3x less peak RSS (vs $name; the smaller of the two CAs)" "$m" 3
done

if [ "$OUT" = "$S" ]; then
	if [ -n "$GM" ]; then
		printf '%-48s %-14s %-14s %-14s %-8s %s\n' MEASURE cfssl-c "cfssl 1.2" "cfssl master" "vs 1.2" "vs master"
	else
		printf '%-48s %-14s %-14s %s\n' MEASURE cfssl-c "cfssl 1.2" "vs 1.2"
	fi
	cat "$OUT/serve.txt"
	echo
	while IFS=$US read -r v name val; do
		printf '  %-5s %s (measured %sx)\n' "$v" "$name" "$val"
	done <"$OUT/serve.targets"
fi
exit 0
