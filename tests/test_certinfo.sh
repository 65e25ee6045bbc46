#!/bin/bash
# End-to-end test: `cfssl certinfo` (cfssl-compat.md §12.5, Appendix A.certinfo, §14).
# Certificates made by cfssl gencert (ECDSA, RSA, Ed25519; DNS, IPv4, IPv6, e-mail and URI
# hosts) are rendered and every member is compared with openssl's view of the same file; the
# output is compared with Debian's cfssl 1.2 where both agree (1.2 writes key identifiers
# without zero padding and does not know Ed25519); -domain is run against an openssl s_server on
# 127.0.0.1; and each argument error is checked for its exit status and exact message.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs openssl jq bc date

IN=$WORK/inputs
mkdir -p "$IN"
cd "$IN" || exit 1

REF=/usr/bin/cfssl
have_ref=0
if [ -x "$REF" ] && "$REF" certinfo -h 2>&1 | grep -q 'Usage of certinfo'; then
	have_ref=1
fi

# One CA per key type, so that each leaf carries that type's signature algorithm.
for algo in ecdsa rsa ed25519; do
	case $algo in
	ecdsa) key='"key":{"algo":"ecdsa","size":256}' ;;
	rsa) key='"key":{"algo":"rsa","size":2048}' ;;
	ed25519) key='"key":{"algo":"ed25519"}' ;;
	esac
	printf '{"CN":"Certinfo %s CA",%s,"names":[{"C":"US","O":"Test & <Co>"}]}\n' "$algo" \
		"$key" >"ca-$algo-csr.json"
done
hosts='"hosts":["www.example.com","10.0.0.1","2001:db8::1","ops@example.com","spiffe://example.org/svc","api.example.com","::ffff:192.0.2.9"]'
names='"names":[{"C":"LV","ST":"Riga","L":"Riga","O":"Org","OU":"ops"},{"OU":"web"}]'
for algo in ecdsa rsa ed25519; do
	case $algo in
	ecdsa) key='"key":{"algo":"ecdsa","size":384}' ;;
	rsa) key='"key":{"algo":"rsa","size":2048}' ;;
	ed25519) key='"key":{"algo":"ed25519"}' ;;
	esac
	printf '{"CN":"%s.example",%s,%s,%s}\n' "$algo" "$key" "$names" "$hosts" >"leaf-$algo.json"
done

setup_ok=1
for algo in ecdsa rsa ed25519; do
	(set -o pipefail; t cfssl gencert -initca "ca-$algo-csr.json" 2>/dev/null |
		t cfssljson -bare "ca-$algo") || setup_ok=0
	(set -o pipefail; t cfssl gencert -ca "ca-$algo.pem" -ca-key "ca-$algo-key.pem" \
		"leaf-$algo.json" 2>/dev/null | t cfssljson -bare "leaf-$algo") || setup_ok=0
done
check_eq "setup: three CAs and three leaves made with cfssl gencert" 1 "$setup_ok"
[ "$setup_ok" -eq 1 ] || finish

sigalg_name()
{
	case $1 in
	ecdsa-with-SHA256) echo ECDSAWithSHA256 ;;
	ecdsa-with-SHA384) echo ECDSAWithSHA384 ;;
	ecdsa-with-SHA512) echo ECDSAWithSHA512 ;;
	sha256WithRSAEncryption) echo SHA256WithRSA ;;
	sha384WithRSAEncryption) echo SHA384WithRSA ;;
	sha512WithRSAEncryption) echo SHA512WithRSA ;;
	sha1WithRSAEncryption) echo SHA1WithRSA ;;
	ED25519) echo Ed25519 ;;
	*) echo "unmapped:$1" ;;
	esac
}

# Key identifiers as cfssl 1.2 prints them: "05" -> "5".
strip_padding()
{
	sed -E '/"(authority|subject)_key_id"/{s/([":])0([0-9A-F])/\1\2/g; s/([":])0([0-9A-F])/\1\2/g}'
}

# Expected values from openssl's view of certificate $1 into the array EXP (few processes:
# this machine's process start-up dominates the run time).
declare -A EXP
openssl_view()
{
	local f=$1 fields text line side item attr val key dnkey
	EXP=()
	fields=$(openssl x509 -in "$f" -noout -serial -startdate -enddate -subject -issuer \
		-nameopt sep_multiline,sname,utf8,-esc_msb)
	text=$(openssl x509 -in "$f" -noout -text)
	EXP[pem]=$(openssl x509 -in "$f")
	side=
	while IFS= read -r line; do
		case $line in
		serial=*)
			EXP[serial_number]=$(echo "ibase=16; ${line#serial=}" | BC_LINE_LENGTH=0 bc)
			;;
		notBefore=*) EXP[not_before]=$(date -u -d "${line#*=}" +%Y-%m-%dT%H:%M:%SZ) ;;
		notAfter=*) EXP[not_after]=$(date -u -d "${line#*=}" +%Y-%m-%dT%H:%M:%SZ) ;;
		subject=*) side=subject ;;
		issuer=*) side=issuer ;;
		*)
			line=${line#"${line%%[! ]*}"}
			while :; do
				item=${line%% + *}
				attr=${item%%=*}
				val=${item#*=}
				EXP[$side.names]+=${EXP[$side.names]+|}$val
				case $attr in
				CN) key=common_name ;;
				serialNumber) key=serial_number ;;
				C) key=country ;;
				O) key=organization ;;
				OU) key=organizational_unit ;;
				L) key=locality ;;
				ST) key=province ;;
				street) key=street_address ;;
				postalCode) key=postal_code ;;
				*) key= ;;
				esac
				dnkey=$side.$key
				if [ "$key" = common_name ] || [ "$key" = serial_number ]; then
					EXP[$dnkey]=$val
				elif [ -n "$key" ]; then
					EXP[$dnkey]+=${EXP[$dnkey]+,}$val
				fi
				[ "$item" = "$line" ] && break
				line=${line#* + }
			done
			;;
		esac
	done <<<"$fields"
	# -text: the first "Signature Algorithm", and the line after each extension heading
	local prev='' sans=''
	while IFS= read -r line; do
		line=${line#"${line%%[! ]*}"}
		case $prev in
		'X509v3 Subject Key Identifier:'*) EXP[subject_key_id]=$line ;;
		'X509v3 Authority Key Identifier:'*) EXP[authority_key_id]=${line#keyid:} ;;
		'X509v3 Subject Alternative Name:'*) sans=$line ;;
		esac
		case $line in
		'Signature Algorithm: '*)
			[ -n "${EXP[sigalg]-}" ] ||
				EXP[sigalg]=$(sigalg_name "${line#Signature Algorithm: }")
			;;
		esac
		prev=$line
	done <<<"$text"
	# sans: DNS names in order, then the IPs as Go prints them
	local dns='' ips=''
	while [ -n "$sans" ]; do
		item=${sans%%, *}
		case $item in
		DNS:*) dns+=${dns:+|}${item#DNS:} ;;
		'IP Address:'*)
			go_ip "${item#IP Address:}"
			ips+=${ips:+|}$GO_IP
			;;
		esac
		[ "$item" = "$sans" ] && break
		sans=${sans#*, }
	done
	EXP[sans]=$dns${dns:+${ips:+|}}$ips
}

# openssl's IP text ("192.0.2.1", "2001:DB8:0:0:0:0:0:1") in Go's net.IP form, into GO_IP:
# IPv4 and IPv4-mapped IPv6 dotted, otherwise RFC 5952 (lower case, no leading zeros, the
# first longest run of two or more zero groups as "::"). Pure bash, independent of the C code.
go_ip()
{
	local a=$1 g i best=-1 bestlen=0 run=0 start=0
	if [[ $a != *:* ]]; then
		GO_IP=$a
		return
	fi
	IFS=: read -r -a g <<<"$a"
	for i in "${!g[@]}"; do
		printf -v "g[i]" '%x' "$((16#${g[i]}))"
	done
	if [ "${#g[@]}" -eq 8 ] && [ "${g[*]:0:5}" = "0 0 0 0 0" ] && [ "${g[5]}" = ffff ]; then
		GO_IP=$((16#${g[6]} >> 8)).$((16#${g[6]} & 255)).$((16#${g[7]} >> 8)).$((16#${g[7]} & 255))
		return
	fi
	for i in "${!g[@]}"; do
		if [ "${g[i]}" = 0 ]; then
			[ "$run" -eq 0 ] && start=$i
			run=$((run + 1))
			if [ "$run" -gt "$bestlen" ]; then
				bestlen=$run
				best=$start
			fi
		else
			run=0
		fi
	done
	local IFS=:
	if [ "$bestlen" -lt 2 ]; then
		GO_IP="${g[*]}"
		return
	fi
	local head=("${g[@]:0:best}") tail=("${g[@]:best+bestlen}")
	GO_IP="${head[*]}::${tail[*]}"
}

# The certinfo document $1 flattened by one jq run into the array GOT.
declare -A GOT
certinfo_view()
{
	local k v
	GOT=()
	while IFS=$'\t' read -r k v; do
		GOT[$k]=$v
	done < <(jq -r '
		(("subject", "issuer") as $s |
			(("common_name", "serial_number", "country", "organization",
			  "organizational_unit", "locality", "province", "street_address",
			  "postal_code") as $k |
				"\($s).\($k)\t\(.[$s][$k] // "")",
				"\($s).\($k).present\t\(.[$s] | has($k))"),
			"\($s).names\t\(.[$s].names // [] | join("|"))"),
		"serial_number\t\(.serial_number)",
		"sans\t\(.sans // [] | join("|"))",
		"sans.present\t\(has("sans"))",
		"not_before\t\(.not_before)",
		"not_after\t\(.not_after)",
		"sigalg\t\(.sigalg)",
		"authority_key_id\t\(.authority_key_id)",
		"subject_key_id\t\(.subject_key_id)",
		"pem\t\(.pem | rtrimstr("\n") | gsub("\n"; "|"))",
		"members\t\(keys_unsorted | join(","))"' "$1")
}

check_cert_fields()
{
	local f=$1 tag=$2 json=$3 side key want order
	openssl_view "$f"
	certinfo_view "$json"
	for side in subject issuer; do
		for key in common_name serial_number country organization organizational_unit \
			locality province street_address postal_code; do
			want=${EXP[$side.$key]-}
			check_eq "$tag: $side.$key" "$want" "${GOT[$side.$key]-}"
			if [ -z "$want" ]; then
				check_eq "$tag: $side.$key omitted when empty" false \
					"${GOT[$side.$key.present]-}"
			fi
		done
		check_eq "$tag: $side.names in DN order" "${EXP[$side.names]-}" \
			"${GOT[$side.names]-}"
	done
	check_eq "$tag: serial_number in decimal" "${EXP[serial_number]}" "${GOT[serial_number]-}"
	check_eq "$tag: sans (DNS names, then IPs)" "${EXP[sans]}" "${GOT[sans]-}"
	check_not_contains "$tag: sans lists no e-mail" "${GOT[sans]-}" "@"
	check_not_contains "$tag: sans lists no URI" "${GOT[sans]-}" "spiffe"
	order=subject,issuer,serial_number,sans,not_before,not_after,sigalg
	if [ -z "${EXP[sans]}" ]; then
		order=subject,issuer,serial_number,not_before,not_after,sigalg
		check_eq "$tag: sans omitted when empty" false "${GOT[sans.present]-}"
	fi
	check_eq "$tag: member order" "$order,authority_key_id,subject_key_id,pem" \
		"${GOT[members]-}"
	for key in not_before not_after sigalg subject_key_id authority_key_id; do
		check_eq "$tag: $key" "${EXP[$key]-}" "${GOT[$key]-}"
	done
	want=${EXP[pem]//$'\n'/|}
	check_eq "$tag: pem" "$want" "${GOT[pem]-}"
	check_eq "$tag: two-space indent" '  "subject": {' "$(sed -n 2p "$json")"
	check_eq "$tag: ends with }, line feed" "}" "$(tail -n 1 "$json")"
}

# The committed certificate (testdata/certinfo, made with openssl ca) adds every subject
# attribute cfssl names, UTF-8 and HTML-escaped values, a GeneralizedTime notAfter, key
# identifiers with 0x bytes, and IPv6 SANs with two zero runs and an IPv4-mapped address.
for algo in ecdsa rsa ed25519 ca-ed25519 testdata; do
	case $algo in
	ca-ed25519) f=ca-ed25519.pem ;;
	testdata) f=$SRCDIR/testdata/certinfo/leaf.pem ;;
	*) f=leaf-$algo.pem ;;
	esac
	out=$WORK/out-$algo.json
	check "$algo: certinfo -cert" sh -c "cfssl certinfo -cert '$f' >'$out'"
	check_cert_fields "$f" "$algo" "$out"

	got=$(t cfssl certinfo -cert - <"$f")
	check_eq "$algo: -cert - reads stdin" "$(cat "$out")" "$got"

	if [ "$have_ref" -eq 1 ]; then
		want=$(t "$REF" certinfo -cert "$f" 2>/dev/null | strip_padding)
		got=$(strip_padding <"$out")
		if [ "$(jq -r .sigalg "$out")" = Ed25519 ]; then
			# 1.2 predates Ed25519 in cfssl's signature names.
			check_contains "$algo: cfssl 1.2 says Unknown Signature" "$want" \
				'"sigalg": "Unknown Signature"'
			want=${want/\"sigalg\": \"Unknown Signature\"/\"sigalg\": \"Ed25519\"}
		fi
		check_eq "$algo: same as cfssl 1.2 (key IDs modulo padding)" "$want" "$got"
		# -csr dumps Go's struct; same Go runtime in 1.2 and master.
		want=$(t "$REF" certinfo -csr "${f%.pem}.csr" 2>&1)
		got=$(t cfssl certinfo -csr "${f%.pem}.csr" 2>&1)
		check_eq "$algo: -csr output identical to cfssl 1.2" "$want" "$got"
	fi
done

# -csr fields without the reference
csrjson=$WORK/csr.json
check "-csr renders" sh -c "cfssl certinfo -csr leaf-ecdsa.csr >'$csrjson'"
check_eq "-csr Subject.CommonName" "ecdsa.example" "$(jq -r .Subject.CommonName "$csrjson")"
check_eq "-csr DNSNames" "www.example.com api.example.com" \
	"$(jq -r '.DNSNames | join(" ")' "$csrjson")"
check_eq "-csr IPAddresses" "10.0.0.1 2001:db8::1 192.0.2.9" \
	"$(jq -r '.IPAddresses | join(" ")' "$csrjson")"
check_eq "-csr EmailAddresses" "ops@example.com" "$(jq -r '.EmailAddresses | join(" ")' "$csrjson")"
check_eq "-csr URIs" "spiffe example.org /svc" \
	"$(jq -r '.URIs[0] | "\(.Scheme) \(.Host) \(.Path)"' "$csrjson")"
check_eq "-csr algorithms (ECDSAWithSHA384=11, ECDSA=3)" "11 3" \
	"$(jq -r '"\(.SignatureAlgorithm) \(.PublicKeyAlgorithm)"' "$csrjson")"
want=$(openssl req -in leaf-ecdsa.csr -outform DER | base64 -w0)
check_eq "-csr Raw is the request DER" "$want" "$(jq -r .Raw "$csrjson")"

# ---- -domain against a local TLS server ----

PORT=$(pick_port)
openssl s_server -accept "127.0.0.1:$PORT" -cert leaf-ecdsa.pem -key leaf-ecdsa-key.pem \
	-www -quiet </dev/null >"$WORK/s_server.log" 2>&1 &
lib_track_pid $!
for _ in $(seq 1 50); do
	port_open "$PORT" && break
	sleep 0.1
done
if port_open "$PORT"; then
	domjson=$WORK/domain.json
	check "-domain 127.0.0.1:$PORT" sh -c \
		"timeout 30 cfssl certinfo -domain 127.0.0.1:$PORT >'$domjson'"
	openssl_view leaf-ecdsa.pem
	check_eq "-domain: served certificate's serial" "${EXP[serial_number]}" \
		"$(jq -r .serial_number "$domjson")"
	check_eq "-domain: served certificate's subject" "ecdsa.example" \
		"$(jq -r .subject.common_name "$domjson")"
	check_eq "-domain: same document as -cert" "$(cat "$WORK/out-ecdsa.json")" \
		"$(cat "$domjson")"
	# A host name: SNI is sent, and every resolved address is tried (s_server listens on
	# 127.0.0.1 only, localhost may resolve to ::1 first).
	got=$(timeout 30 cfssl certinfo -domain "localhost:$PORT" 2>&1)
	check_eq "-domain localhost:$PORT: same document" "$(cat "$domjson")" "$got"
	if ! port_open 443; then
		check_eq "-domain: a host without a port means 443" \
			"dial tcp 127.0.0.1:443: connect: connection refused" \
			"$(timeout 30 cfssl certinfo -domain 127.0.0.1 2>&1)"
	fi
else
	lib_fail "-domain: openssl s_server did not start" "$(cat "$WORK/s_server.log")"
fi

# ---- errors: exit status 1, exact message, nothing on stdout ----

printf 'hello\n' >notpem.txt
cat leaf-ecdsa.pem leaf-rsa.pem >chain.pem

# neg DESC WANT_STDERR CFSSL-ARGS...
neg()
{
	local desc=$1 want=$2 rc
	shift 2
	t cfssl "$@" >"$WORK/neg.out" 2>"$WORK/neg.err"
	rc=$?
	check_eq "$desc: exit status" 1 "$rc"
	check_eq "$desc: message" "$want" "$(cat "$WORK/neg.err")"
	check_eq "$desc: nothing on stdout" "" "$(cat "$WORK/neg.out")"
}

must='Must specify certinfo target through -cert, -csr, -domain or -serial + -aki'
neg "no target" "$must" certinfo
neg "-serial without -aki" "$must" certinfo -serial 1234
neg "-aki without -serial" "$must" certinfo -aki 0A:0B
neg "-serial -aki without -db-config" "need DB config file (provide with -db-config)" \
	certinfo -serial 1234 -aki 0A:0B
neg "-serial -aki -db-config: a -db-config that does not exist" \
	'{"code":5200,"message":"could not read configuration file"}' \
	certinfo -serial 1234 -aki 0A:0B -db-config db.json
neg "-cert missing file" "open missing.pem: no such file or directory" \
	certinfo -cert missing.pem
neg "-cert non-PEM file" '{"code":1002,"message":"Failed to decode certificate"}' \
	certinfo -cert notpem.txt
neg "-cert with a CSR" '{"code":1003,"message":"Failed to parse certificate"}' \
	certinfo -cert leaf-ecdsa.csr
neg "-cert with two certificates" \
	'{"code":1003,"message":"the PEM file should contain only one object"}' \
	certinfo -cert chain.pem
neg "-csr missing file" "open missing.csr: no such file or directory" \
	certinfo -csr missing.csr
neg "-csr non-PEM file" '{"code":9002,"message":"CSR Decode failed"}' \
	certinfo -csr notpem.txt
neg "-csr with a certificate" \
	"asn1: structure error: tags don't match (2 vs {class:2 tag:0 length:3 isCompound:true}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} int @2" \
	certinfo -csr leaf-ecdsa.pem
DEAD=$(pick_port)
neg "-domain unreachable port" "dial tcp 127.0.0.1:$DEAD: connect: connection refused" \
	certinfo -domain "127.0.0.1:$DEAD"

finish
