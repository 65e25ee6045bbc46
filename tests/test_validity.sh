#!/bin/bash
# End-to-end test: validity arithmetic at its boundaries (issue 11 item 11). cfssl computes
# dates with Go's time package (seconds and nanoseconds; Durations up to
# 2562047h47m16.854775807s; Sub saturates); int64 nanoseconds since 1970 end in 2262 and
# gave dates in the 1700s. The expected dates are cfssl master's for the same inputs.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs openssl python3

cd "$WORK" || exit 1

# epoch CERT startdate|enddate: the date as Unix seconds (any year openssl prints)
epoch()
{
	openssl x509 -in "$1" -noout "-$2" | sed 's/^[^=]*=//' | python3 -c '
import calendar, sys, time
s = sys.stdin.read().split()
mon = ["Jan","Feb","Mar","Apr","May","Jun","Jul","Aug","Sep","Oct","Nov","Dec"].index(s[0]) + 1
h, m, sec = map(int, s[2].split(":"))
print(calendar.timegm((int(s[3]), mon, int(s[1]), h, m, sec, 0, 0, 0)))'
}

enddate()
{
	openssl x509 -in "$1" -noout -enddate | sed 's/^notAfter=//'
}

setup_ok=1
printf '{"CN":"Validity CA","key":{"algo":"ecdsa","size":256}}\n' >ca-csr.json
(set -o pipefail; t cfssl gencert -initca ca-csr.json 2>/dev/null | t cfssljson -bare ca) || setup_ok=0
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf-key.pem \
	-out leaf.csr -subj /CN=leaf 2>/dev/null || setup_ok=0
check_eq "setup: a CA and a request" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish
CA=(-ca ca.pem -ca-key ca-key.pem)

# sign_with NAME PROFILE-MEMBERS: signs leaf.csr under a default profile with those members
sign_with()
{
	printf '{"signing":{"default":{"usages":["server auth"],%s}}}\n' "$2" >"$1.json"
	rm -f "$1.pem"
	t cfssl sign "${CA[@]}" -config "$1.json" leaf.csr 2>"$1.err" | t cfssljson -bare "$1" 2>/dev/null
}

# a fixed not_after is written as it is, however far
for na in 9999-12-31T23:59:59Z 9999-01-01T00:00:00Z 2300-01-01T00:00:00Z 2262-04-11T23:47:17Z \
	2262-04-11T23:47:16Z 2049-12-31T23:59:59Z 2050-01-01T00:00:00Z; do
	sign_with na "\"expiry\":\"1h\",\"not_after\":\"$na\""
	want=$(python3 -c 'import sys, datetime; d = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ"); print(d.strftime("%b ") + ("%2d" % d.day) + d.strftime(" %H:%M:%S %Y GMT"))' "$na")
	check_eq "not_after $na" "$want" "$(enddate na.pem)"
done
check_contains "2050 is a GeneralizedTime (as Go)" "$(openssl asn1parse -in na.pem)" \
	"GENERALIZEDTIME   :20500101000000Z"
sign_with utc '"expiry":"1h","not_after":"2049-12-31T23:59:59Z"'
check_contains "2049 is a UTCTime (as Go)" "$(openssl asn1parse -in utc.pem)" \
	"UTCTIME           :491231235959Z"

# the longest expiries Go's ParseDuration takes: notAfter = notBefore + expiry, in 2319
sign_with long '"expiry":"2562047h"'
check_eq "expiry 2562047h" $((2562047 * 3600)) $(($(epoch long.pem enddate) - $(epoch long.pem startdate)))
sign_with longest '"expiry":"2562047h47m16.854775807s"'
check_eq "expiry 2562047h47m16.854775807s (whole seconds written)" 9223372036 \
	$(($(epoch longest.pem enddate) - $(epoch longest.pem startdate)))
check_contains "the longest expiry ends in 2319" "$(enddate longest.pem)" " 2319 GMT"
sign_with neg '"expiry":"-2562047h"'
check_eq "expiry -2562047h: notAfter before notBefore, in 1734, as cfssl" $((-2562047 * 3600)) \
	$(($(epoch neg.pem enddate) - $(epoch neg.pem startdate)))
sign_with backdate '"expiry":"1h","backdate":"2562047h"'
check_contains "backdate 2562047h: notBefore in 1734" \
	"$(openssl x509 -in backdate.pem -noout -startdate)" " 1734 GMT"
sign_with over '"expiry":"2562048h"'
check_eq "expiry 2562048h: nothing signed" 0 "$([ -e over.pem ] && echo 1 || echo 0)"
check_contains "expiry 2562048h: Go's ParseDuration error" "$(cat over.err)" \
	'time: invalid duration \"2562048h\"'

# past year 9999 Go's asn1 has no encoding: 1000, nothing signed
sign_with y10k '"expiry":"8760h","not_before":"9999-12-31T00:00:00Z"'
check_eq "notAfter in year 10000: nothing signed" 0 "$([ -e y10k.pem ] && echo 1 || echo 0)"
check_eq "notAfter in year 10000: cfssl's error" \
	'{"code":1000,"message":"asn1: structure error: cannot represent time as GeneralizedTime"}' \
	"$(tail -n1 y10k.err)"
sign_with y10kb '"expiry":"2562047h","not_before":"9999-01-01T00:00:00Z"'
check_eq "not_before 9999 plus 2562047h: cfssl's error" \
	'{"code":1000,"message":"asn1: structure error: cannot represent time as GeneralizedTime"}' \
	"$(tail -n1 y10kb.err)"
sign_with last '"expiry":"1s","not_before":"9999-12-31T23:59:58Z"'
check_eq "notAfter 9999-12-31T23:59:59Z is the last one written" "Dec 31 23:59:59 9999 GMT" \
	"$(enddate last.pem)"

# initca: the CA expiry takes the same arithmetic
printf '{"CN":"Long CA","key":{"algo":"ecdsa","size":256},"ca":{"expiry":"2562047h47m16.854775807s"}}\n' >long-ca.json
(set -o pipefail; t cfssl gencert -initca long-ca.json 2>/dev/null | t cfssljson -bare long-ca)
check_eq "initca with the longest expiry" 9223372036 \
	$(($(epoch long-ca.pem enddate) - $(epoch long-ca.pem startdate)))

# renewca: cfssl renews for NotAfter.Sub(NotBefore), which Go saturates at the Duration range
printf '{"signing":{"default":{"usages":["cert sign","crl sign"],"expiry":"1h","not_after":"%s","ca_constraint":{"is_ca":true}}}}\n' \
	9999-12-31T23:59:59Z >ca9999.json
sed 's/9999-12-31T23:59:59Z/2300-01-01T00:00:00Z/' ca9999.json >ca2300.json
openssl req -new -key ca-key.pem -subj /CN=Far -out far.csr 2>/dev/null
for c in ca9999 ca2300; do
	(set -o pipefail; t cfssl sign "${CA[@]}" -config $c.json far.csr 2>/dev/null | t cfssljson -bare $c)
	(set -o pipefail; t cfssl gencert -renewca -ca $c.pem -ca-key ca-key.pem 2>/dev/null |
		t cfssljson -bare renewed-$c)
done
check_eq "setup: a CA valid until 9999" "Dec 31 23:59:59 9999 GMT" "$(enddate ca9999.pem)"
check_eq "renewca of a CA valid until 9999: the longest Duration" 9223372036 \
	$(($(epoch renewed-ca9999.pem enddate) - $(epoch renewed-ca9999.pem startdate)))
check_eq "renewca of a CA valid until 2300: the same lifetime" \
	$(($(epoch ca2300.pem enddate) - $(epoch ca2300.pem startdate))) \
	$(($(epoch renewed-ca2300.pem enddate) - $(epoch renewed-ca2300.pem startdate)))

# selfsign: now - 5 minutes to now + expiry
printf '{"CN":"ss","hosts":["ss.example"],"key":{"algo":"ecdsa","size":256}}\n' >ss.json
printf '{"signing":{"default":{"usages":["server auth"],"expiry":"2562047h"}}}\n' >ss-config.json
(set -o pipefail; t cfssl selfsign -config ss-config.json ss.example ss.json 2>/dev/null | t cfssljson -bare ss)
check_eq "selfsign with expiry 2562047h" $((2562047 * 3600 + 300)) \
	$(($(epoch ss.pem enddate) - $(epoch ss.pem startdate)))

finish
