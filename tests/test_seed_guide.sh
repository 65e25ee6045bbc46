#!/bin/bash
# End-to-end test: the seed guide (kubernetes-certificates.md) run through cfssl/cfssljson by
# tests/guide.sh, then every produced file checked against the guide and the spec
# (cfssl-compat.md §8, §9, §10; deviations.md #1).

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"

require_programs openssl certtool awk od date

export NODE_NAME=worker-0
export PUBLIC_IP=192.0.2.10
export MASTER_NODES_IPS=10.240.0.10,10.240.0.11

GUIDE_SRC=$SRCDIR/testdata/kubernetes-certificates.md
SHARED_GUIDE=$SRCDIR/../shared/seed/kubernetes-certificates.md

# ---- the repository's copy of the guide
check "testdata/kubernetes-certificates.md exists" test -f "$GUIDE_SRC"
if [ -f "$SHARED_GUIDE" ]; then
	check "testdata copy equals ../shared/seed/kubernetes-certificates.md" \
		cmp "$GUIDE_SRC" "$SHARED_GUIDE"
fi
GUIDE=$SHARED_GUIDE
[ -f "$GUIDE" ] || GUIDE=$GUIDE_SRC

# ---- run the guide
OUT=$WORK/out
t_start=$(date -u +%s)
CMD_TIMEOUT=600 t bash "$SRCDIR/tests/guide.sh" "$OUT" >"$WORK/guide.out" 2>"$WORK/guide.err"
guide_rc=$?
t_end=$(date -u +%s)
check_eq "guide.sh exits 0" 0 "$guide_rc"
if [ "$guide_rc" -ne 0 ]; then
	sed 's/^/     | stderr: /' "$WORK/guide.err" | tail -n 20
fi
if [ ! -f "$OUT/ca.pem" ]; then
	lib_fail "the guide produced ca.pem" "nothing to check further"
	finish
fi
cd "$OUT" || exit 1

LEAVES="admin kube-controller-manager kube-scheduler kubernetes service-account $NODE_NAME kube-proxy"
ALL="ca $LEAVES"

summary=$(cat "$WORK/guide.out")
for n in $ALL; do
	line=$(printf '%s\n' "$summary" | awk -v n="$n" '$1 == n')
	check_contains "guide.sh summary: $n verified" "$line" " yes"
done

# ---- stderr of the guide run
err=$(cat "$WORK/guide.err")
check_not_contains "guide run logged no [ERROR]" "$err" "[ERROR]"
n_lacks=$(grep -c '\[WARNING\] This certificate lacks a "hosts" field' "$WORK/guide.err")
check_eq "hosts warning for the 5 certificates without hosts" 5 "$n_lacks"
empty_warn=$(strip_ts <"$WORK/guide.err" | grep '^\[WARNING\]' | grep -v 'lacks a "hosts"' |
	grep -iE 'empty|blank')
check "a [WARNING] about skipped empty host entries (deviation 1)" test -n "$empty_warn"
[ -z "$empty_warn" ] || printf '     | %s\n' "$empty_warn"
check "log records carry the YYYY/MM/DD HH:MM:SS prefix" \
	grep -qE '^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \[INFO\] generate received request$' \
	"$WORK/guide.err"

# ---- files and modes (cfssljson, umask 022)
for n in $ALL; do
	check_file_mode "$n.pem mode" 644 "$n.pem"
	check_file_mode "$n-key.pem mode" 600 "$n-key.pem"
	check_file_mode "$n.csr mode" 644 "$n.csr"
done

# ---- verification with OpenSSL and GnuTLS
for n in $ALL; do
	check "$n.pem: openssl verify -CAfile ca.pem" openssl verify -CAfile ca.pem "$n.pem"
	check "$n.pem: certtool --verify" \
		certtool --verify --load-ca-certificate ca.pem --infile "$n.pem"
	check "$n.pem: certtool -i parses it" certtool -i --infile "$n.pem"
	check "$n.csr: certtool --crq-info parses it" certtool --crq-info --infile "$n.csr"
	check "$n.csr: openssl req -verify" openssl req -in "$n.csr" -noout -verify
done

# ---- subjects
subject() { openssl x509 -in "$1" -noout -subject -nameopt RFC2253 | sed 's/^subject=//'; }
csr_subject() { openssl req -in "$1" -noout -subject -nameopt RFC2253 | sed 's/^subject=//'; }
issuer() { openssl x509 -in "$1" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//'; }

declare -A SUBJ=(
	[ca]='CN=Kubernetes,OU=CA,O=Kubernetes,L=Riga,C=LV'
	[admin]='CN=admin,OU=Containerum,O=system:masters,L=Riga,C=LV'
	[kube-controller-manager]='CN=system:kube-controller-manager,OU=Containerum,O=system:kube-controller-manager,L=Riga,C=LV'
	[kube-scheduler]='CN=system:kube-scheduler,OU=Containerum,O=system:kube-scheduler,L=Riga,C=LV'
	[kubernetes]='CN=kubernetes,OU=Containerum,O=Kubernetes,L=Riga,C=LV'
	[service-account]='CN=service-accounts,OU=\C3\90\C2\A1ontainerum,O=Kubernetes,L=Riga,C=LV'
	[$NODE_NAME]="CN=system:node:$NODE_NAME,OU=Containerum,O=system:nodes,L=Riga,C=LV"
	[kube-proxy]='CN=system:kube-proxy,OU=Containerum,O=system:node-proxier,L=Riga,C=LV'
)
for n in $ALL; do
	check_eq "$n.pem subject" "${SUBJ[$n]}" "$(subject "$n.pem")"
	check_eq "$n.csr subject" "${SUBJ[$n]}" "$(csr_subject "$n.csr")"
	check_eq "$n.pem issuer is the CA subject" "${SUBJ[ca]}" "$(issuer "$n.pem")"
done

# String types of the name attributes: PrintableString everywhere except the service-account OU.
name_types()
{
	openssl asn1parse -in "$1" | awk '
		/OBJECT *:(countryName|stateOrProvinceName|localityName|organizationName|organizationalUnitName|commonName)$/ {
			sub(/.*OBJECT *:/, ""); attr = $0; next }
		attr != "" { t = $0; sub(/.*prim: */, "", t); sub(/ *:.*/, "", t); print attr, t; attr = "" }'
}
for n in $ALL; do
	types=$(name_types "$n.pem")
	expect_other=""
	[ "$n" = service-account ] && expect_other="organizationalUnitName UTF8STRING"
	check_eq "$n.pem: name values are PrintableString${expect_other:+ except the subject OU}" \
		"$expect_other" "$(printf '%s\n' "$types" | grep -v ' PRINTABLESTRING$')"
	check_eq "$n.pem: 10 name values (issuer + subject)" 10 "$(printf '%s\n' "$types" | grep -c .)"
done

# The OU bytes of service-account equal the guide's bytes (C3 90 C2 A1 "ontainerum").
hex() { od -An -tx1 | tr -d ' \n'; }
guide_ou=$(awk '/cat > service-account-csr.json/ { f = 1 } f && /"OU"/ { print; exit }' "$GUIDE" |
	sed -n 's/.*"OU": *"\(.*\)".*/\1/p')
guide_ou_hex=$(printf '%s' "$guide_ou" | hex)
check_eq "the guide's service-account OU bytes" "c390c2a16f6e7461696e6572756d" "$guide_ou_hex"
ou_line=$(openssl asn1parse -in service-account.pem | awk '
	/OBJECT *:organizationalUnitName$/ { getline; last = $0 } END { print last }')
ou_off=$(printf '%s' "$ou_line" | sed -n 's/^ *\([0-9]*\):.*/\1/p')
ou_hl=$(printf '%s' "$ou_line" | sed -n 's/.* hl= *\([0-9]*\) .*/\1/p')
ou_len=$(printf '%s' "$ou_line" | sed -n 's/.* l= *\([0-9]*\) .*/\1/p')
check_contains "service-account subject OU is a UTF8STRING" "$ou_line" "prim: UTF8STRING"
if [ -n "$ou_off" ] && [ -n "$ou_hl" ] && [ -n "$ou_len" ]; then
	cert_ou_hex=$(openssl x509 -in service-account.pem -outform DER |
		tail -c +$((ou_off + ou_hl + 1)) | head -c "$ou_len" | hex)
	check_eq "service-account OU bytes equal the guide's" "$guide_ou_hex" "$cert_ou_hex"
else
	lib_fail "service-account OU located in the DER" "$ou_line"
fi

# ---- extensions
ext() { openssl x509 -in "$2" -noout -ext "$1" 2>/dev/null; }
ext_value() { ext "$1" "$2" | sed -n '2,$p' | sed 's/^ *//; s/ *$//'; }
ext_header() { ext "$1" "$2" | head -n1 | sed 's/ *$//'; }
ext_order() { openssl asn1parse -in "$1" | sed -n 's/.*OBJECT *:\(X509v3 .*\)$/\1/p' | paste -sd, -; }

check_eq "ca: keyUsage critical" "X509v3 Key Usage: critical" "$(ext_header keyUsage ca.pem)"
check_eq "ca: keyUsage value" "Certificate Sign, CRL Sign" "$(ext_value keyUsage ca.pem)"
check_eq "ca: basicConstraints critical" "X509v3 Basic Constraints: critical" \
	"$(ext_header basicConstraints ca.pem)"
check_eq "ca: basicConstraints CA:TRUE, no pathlen" "CA:TRUE" "$(ext_value basicConstraints ca.pem)"
check_eq "ca: no authorityKeyIdentifier" "" "$(ext authorityKeyIdentifier ca.pem)"
check_eq "ca: no extendedKeyUsage" "" "$(ext extendedKeyUsage ca.pem)"
check_eq "ca: no subjectAltName" "" "$(ext subjectAltName ca.pem)"
check_eq "ca: extension order" \
	"X509v3 Key Usage,X509v3 Basic Constraints,X509v3 Subject Key Identifier" "$(ext_order ca.pem)"
ca_ski=$(ext_value subjectKeyIdentifier ca.pem)
check "ca: has a 20-byte subjectKeyIdentifier" \
	grep -qE '^([0-9A-F]{2}:){19}[0-9A-F]{2}$' <<<"$ca_ski"

for n in $LEAVES; do
	check_eq "$n: keyUsage critical" "X509v3 Key Usage: critical" "$(ext_header keyUsage "$n.pem")"
	check_eq "$n: keyUsage value" "Digital Signature, Key Encipherment" \
		"$(ext_value keyUsage "$n.pem")"
	check_eq "$n: extendedKeyUsage non-critical" "X509v3 Extended Key Usage:" \
		"$(ext_header extendedKeyUsage "$n.pem")"
	check_eq "$n: extendedKeyUsage value" \
		"TLS Web Server Authentication, TLS Web Client Authentication" \
		"$(ext_value extendedKeyUsage "$n.pem")"
	check_eq "$n: basicConstraints critical" "X509v3 Basic Constraints: critical" \
		"$(ext_header basicConstraints "$n.pem")"
	check_eq "$n: basicConstraints CA:FALSE" "CA:FALSE" "$(ext_value basicConstraints "$n.pem")"
	ski=$(ext_value subjectKeyIdentifier "$n.pem")
	check "$n: has a 20-byte subjectKeyIdentifier" \
		grep -qE '^([0-9A-F]{2}:){19}[0-9A-F]{2}$' <<<"$ski"
	aki=$(ext_value authorityKeyIdentifier "$n.pem" | sed 's/^keyid://')
	check_eq "$n: authorityKeyIdentifier = CA's subjectKeyIdentifier" "$ca_ski" "$aki"
	case $n in
	kubernetes | "$NODE_NAME")
		check_eq "$n: extension order" "X509v3 Key Usage,X509v3 Extended Key Usage,X509v3 Basic Constraints,X509v3 Subject Key Identifier,X509v3 Authority Key Identifier,X509v3 Subject Alternative Name" \
			"$(ext_order "$n.pem")"
		check_eq "$n: subjectAltName non-critical" "X509v3 Subject Alternative Name:" \
			"$(ext_header subjectAltName "$n.pem")"
		;;
	*)
		check_eq "$n: extension order" "X509v3 Key Usage,X509v3 Extended Key Usage,X509v3 Basic Constraints,X509v3 Subject Key Identifier,X509v3 Authority Key Identifier" \
			"$(ext_order "$n.pem")"
		;;
	esac
done

# SANs: grouped by type (DNS names first), input order within a group.
san_expected="DNS:kubernetes.default, IP Address:10.32.0.1"
for ip in ${MASTER_NODES_IPS//,/ } $PUBLIC_IP 127.0.0.1; do
	san_expected="$san_expected, IP Address:$ip"
done
check_eq "kubernetes: subjectAltName" "$san_expected" "$(ext_value subjectAltName kubernetes.pem)"
check_eq "kubernetes.csr: subjectAltName" "$san_expected" \
	"$(openssl req -in kubernetes.csr -noout -text | grep -A1 'X509v3 Subject Alternative Name' |
		sed -n '2p' | sed 's/^ *//; s/ *$//')"
check_eq "$NODE_NAME: subjectAltName is exactly DNS:$NODE_NAME (deviation 1)" "DNS:$NODE_NAME" \
	"$(ext_value subjectAltName "$NODE_NAME.pem")"
check_eq "$NODE_NAME.csr: subjectAltName is exactly DNS:$NODE_NAME (deviation 1)" "DNS:$NODE_NAME" \
	"$(openssl req -in "$NODE_NAME.csr" -noout -text | grep -A1 'X509v3 Subject Alternative Name' |
		sed -n '2p' | sed 's/^ *//; s/ *$//')"

# ---- validity
epoch() { date -u -d "$1" +%s; }
for n in $ALL; do
	nb=$(openssl x509 -in "$n.pem" -noout -startdate | sed 's/^notBefore=//')
	na=$(openssl x509 -in "$n.pem" -noout -enddate | sed 's/^notAfter=//')
	nb_s=$(epoch "$nb")
	na_s=$(epoch "$na")
	if [ "$n" = ca ]; then
		check_eq "ca: validity is 43800h" $((43800 * 3600)) $((na_s - nb_s))
	else
		check_eq "$n: validity is 8760h" $((8760 * 3600)) $((na_s - nb_s))
	fi
	check_eq "$n: notBefore is a whole minute" 0 $((nb_s % 60))
	lo=$((t_start - 300 - 30))
	hi=$((t_end - 300 + 30))
	check "$n: notBefore is now rounded minus 5 minutes ($nb)" test "$nb_s" -ge "$lo" -a "$nb_s" -le "$hi"
done

# ---- keys, serial numbers, signature algorithms
declare -A SERIALS=()
for n in $ALL; do
	check_eq "$n-key.pem: PEM label" "-----BEGIN RSA PRIVATE KEY-----" "$(head -n1 "$n-key.pem")"
	check_eq "$n-key.pem: PEM end label" "-----END RSA PRIVATE KEY-----" "$(tail -n1 "$n-key.pem")"
	check "$n-key.pem: openssl rsa -check" openssl rsa -in "$n-key.pem" -noout -check
	check_eq "$n-key.pem: 2048 bits, 2 primes" "Private-Key: (2048 bit, 2 primes)" \
		"$(openssl rsa -in "$n-key.pem" -noout -text 2>/dev/null | head -n1)"
	keypub=$(openssl pkey -in "$n-key.pem" -pubout 2>/dev/null)
	check_eq "$n: certificate public key matches the key" "$keypub" \
		"$(openssl x509 -in "$n.pem" -noout -pubkey)"
	check_eq "$n: CSR public key matches the key" "$keypub" \
		"$(openssl req -in "$n.csr" -noout -pubkey)"
	check_eq "$n.csr: PEM label" "-----BEGIN CERTIFICATE REQUEST-----" "$(head -n1 "$n.csr")"
	check_eq "$n.pem: PEM label" "-----BEGIN CERTIFICATE-----" "$(head -n1 "$n.pem")"

	text=$(openssl x509 -in "$n.pem" -noout -text)
	check_contains "$n: version 3" "$text" "Version: 3 (0x2)"
	sigalgs=$(printf '%s\n' "$text" | sed -n 's/^ *Signature Algorithm: //p' | sort -u)
	check_eq "$n: signature algorithm" "sha256WithRSAEncryption" "$sigalgs"
	check_eq "$n.csr: signature algorithm" "sha256WithRSAEncryption" \
		"$(openssl req -in "$n.csr" -noout -text | sed -n 's/^ *Signature Algorithm: //p' | sort -u)"

	serial=$(openssl x509 -in "$n.pem" -noout -serial | sed 's/^serial=//')
	ser_der=$(openssl asn1parse -in "$n.pem" | sed -n '5p')
	ser_len=$(printf '%s' "$ser_der" | sed -n 's/.* l= *\([0-9]*\) prim: INTEGER.*/\1/p')
	check "$n: serial is a DER INTEGER of at most 20 bytes ($ser_der)" \
		test -n "$ser_len" -a "${ser_len:-99}" -le 20
	check "$n: serial below 2^159 (at most 20 bytes, top bit clear)" \
		grep -qE '^([0-7][0-9A-F]{39}|[0-9A-F]{1,39})$' <<<"$serial"
	if [ -n "${SERIALS[$serial]:-}" ]; then
		lib_fail "$n: serial differs from ${SERIALS[$serial]}'s"
	else
		SERIALS[$serial]=$n
	fi
done

finish
