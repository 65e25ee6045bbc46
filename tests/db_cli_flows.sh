# The CLI flows on a certificate database server (sourced by test_db_pg.sh and test_db_mysql.sh
# after their server is up, in a folder with the inputs): recording by sign and gencert, revoke,
# crl checked by openssl, ocsprefresh, ocspdump, certinfo -serial, cfssl master writing the same
# rows (when installed), ocspserve queried by openssl ocsp, and a database that is down.
#
# The sourcing test defines:
#   DRIVER       postgres | mysql
#   DB_CONF      a -db-config file for the server
#   DOWN_CONF    a -db-config file naming a server that is not there
#   q SQL        runs SQL on certdb, one row a line, columns separated by |
#   txt COLUMN   the SQL expression giving a bytes column as text
#   ZERO_TIME    how the database prints Go's zero time (revoked_at until a revocation)
#   JSON_SEP     what separates a JSON array's members as the database prints them

MASTER=${MASTER_CFSSL:-/opt/cfssl-master/bin/cfssl}

NRUN=0
run()
{
	NRUN=$((NRUN + 1))
	OUT=$WORK/run-$NRUN.out
	ERR=$WORK/run-$NRUN.err
	t "$@" >"$OUT" 2>"$ERR"
	RC=$?
}
# decimal serial and lower-case hex AKI of a PEM certificate
serial_of() { echo "ibase=16; $(openssl x509 -noout -serial -in "$1" | cut -d= -f2)" | BC_LINE_LENGTH=0 bc; }
aki_of()
{
	openssl x509 -noout -ext authorityKeyIdentifier -in "$1" | sed -n 2p |
		tr -d ' :' | sed 's/^keyid//' | tr 'A-F' 'a-f'
}
cert_of() { sed -n 's/.*"cert":"\([^"]*\)".*/\1/p' "$1" | sed 's/\\n/\n/g'; }

db_cli_flows()
{
	local S1 A1 S2 S3 A3 crltext hex1 resp cols
	(set -o pipefail
		for ca in ca ca2; do
			printf '{"CN":"DB %s","key":{"algo":"ecdsa","size":256}}\n' "$ca" >$ca-csr.json
			t cfssl gencert -initca $ca-csr.json 2>/dev/null | t cfssljson -bare $ca || exit 1
		done
		printf '{"CN":"leaf.example","hosts":["leaf.example","www.example","10.0.0.1"],"key":{"algo":"ecdsa","size":256}}\n' >leaf.json
		t cfssl genkey leaf.json 2>/dev/null | t cfssljson -bare leaf || exit 1
		printf '{"CN":"","hosts":["10.0.0.2"],"key":{"algo":"ecdsa","size":256}}\n' >ip.json)
	check_eq "cli setup: CAs and CSRs made" 0 "$?"
	q "DELETE FROM ocsp_responses" >/dev/null
	q "DELETE FROM certificates" >/dev/null

	# ---- recording (§7.3)
	run cfssl sign -ca ca.pem -ca-key ca-key.pem -db-config "$DB_CONF" -label lbl leaf.csr
	check_eq "cli: sign -db-config: exit status" 0 "$RC"
	cert_of "$OUT" >leaf.pem
	S1=$(serial_of leaf.pem)
	A1=$(aki_of leaf.pem)
	check_eq "cli: sign: one row" 1 "$(q 'SELECT count(*) FROM certificates')"
	check_eq "cli: sign: the row as cfssl writes it" \
		"$S1|$A1|lbl|good|0|$ZERO_TIME|null|[\"leaf.example\"$JSON_SEP\"www.example\"]|leaf.example" \
		"$(q "SELECT $(txt serial_number), $(txt authority_key_identifier), $(txt ca_label),
			$(txt status), reason, revoked_at, metadata, sans, common_name FROM certificates")"
	check_eq "cli: sign: the PEM as printed" "$(cat leaf.pem)" "$(q "SELECT $(txt pem) FROM certificates")"

	run cfssl gencert -ca ca.pem -ca-key ca-key.pem -db-config "$DB_CONF" ip.json
	check_eq "cli: gencert -db-config: exit status" 0 "$RC"
	cert_of "$OUT" >ip.pem
	S2=$(serial_of ip.pem)
	check_eq "cli: gencert: no label, no DNS name, empty CN" "|null|" \
		"$(q "SELECT $(txt ca_label), sans, common_name FROM certificates
			WHERE serial_number = '$S2'")"

	run cfssl sign -ca ca2.pem -ca-key ca2-key.pem -db-config "$DB_CONF" leaf.csr
	cert_of "$OUT" >leaf2.pem
	S3=$(serial_of leaf2.pem)
	A3=$(aki_of leaf2.pem)
	check_eq "cli: sign by the second CA: recorded" 3 "$(q 'SELECT count(*) FROM certificates')"

	# ---- cfssl master writes the same row on the same database
	if [ -x "$MASTER" ]; then
		run "$MASTER" sign -ca ca.pem -ca-key ca-key.pem -db-config "$DB_CONF" -label m leaf.csr
		check_eq "cli: cfssl master signs into the database" 0 "$RC"
		cert_of "$OUT" >m.pem
		SM=$(serial_of m.pem)
		run cfssl sign -ca ca.pem -ca-key ca-key.pem -db-config "$DB_CONF" -label m leaf.csr
		cert_of "$OUT" >c.pem
		SC=$(serial_of c.pem)
		cols="$(txt authority_key_identifier), $(txt ca_label), $(txt status), reason, revoked_at,
			metadata, sans, common_name, expiry - not_before"
		check_eq "cli: cfssl master and cfssl-c write the same row" \
			"$(q "SELECT $cols FROM certificates WHERE serial_number = '$SM'")" \
			"$(q "SELECT $cols FROM certificates WHERE serial_number = '$SC'")"
		check_eq "cli: cfssl master's certinfo -serial reads cfssl-c's row" \
			"$(t "$MASTER" certinfo -db-config "$DB_CONF" -serial "$SC" -aki "$A1" 2>&1)" \
			"$(t cfssl certinfo -db-config "$DB_CONF" -serial "$SC" -aki "$A1" 2>&1)"
		run cfssl revoke -db-config "$DB_CONF" -serial "$SM" -aki "$A1" -reason 3
		check_eq "cli: cfssl-c revokes cfssl master's row" 0 "$RC"
		run "$MASTER" revoke -db-config "$DB_CONF" -serial "$SC" -aki "$A1" -reason 5
		check_eq "cli: cfssl master revokes cfssl-c's row" 0 "$RC"
		check_eq "cli: both revocations stored" "revoked|3 revoked|5" \
			"$(q "SELECT $(txt status), reason FROM certificates WHERE serial_number IN ('$SM', '$SC')
				ORDER BY reason" | tr '\n' ' ' | sed 's/ $//')"
	fi

	# ---- revoke (deviation 23: any spelling of the AKI)
	AU=$(echo "$A1" | tr 'a-f' 'A-F' | sed 's/../&:/g; s/:$//')
	run cfssl revoke -db-config "$DB_CONF" -serial "$S1" -aki "$AU" -reason keyCompromise
	check_eq "cli: revoke: exit status" 0 "$RC"
	check_eq "cli: revoke: no output" "" "$(cat "$OUT" "$ERR")"
	check_eq "cli: revoke: status and reason" "revoked|1" \
		"$(q "SELECT $(txt status), reason FROM certificates WHERE serial_number = '$S1'")"
	run cfssl revoke -db-config "$DB_CONF" -serial "$S3" -aki "$A3" -reason 4
	check_eq "cli: revoke a certificate of the second CA" 0 "$RC"
	run cfssl revoke -db-config "$DB_CONF" -serial 12345 -aki "$A1" -reason 1
	check_eq "cli: revoke an unknown serial" \
		'1 {"code":11200,"message":"failed to revoke the certificate: certificate not found"}' \
		"$RC $(strip_ts <"$ERR" | tail -n 1)"

	# ---- crl (deviation 22: the given CA's certificates only)
	run cfssl crl -db-config "$DB_CONF" -ca ca.pem -ca-key ca-key.pem
	check_eq "cli: crl: exit status" 0 "$RC"
	base64 -d "$OUT" >crl.der
	check "cli: crl: openssl verifies it with -CAfile" \
		openssl crl -inform DER -in crl.der -CAfile ca.pem -noout
	crltext=$(openssl crl -inform DER -in crl.der -noout -text)
	hex1=$(openssl x509 -noout -serial -in leaf.pem | cut -d= -f2)
	check_contains "cli: crl: lists the revoked certificate" "$crltext" "Serial Number: $hex1"
	check_not_contains "cli: crl: not the other CA's" "$crltext" \
		"Serial Number: $(openssl x509 -noout -serial -in leaf2.pem | cut -d= -f2)"
	check_not_contains "cli: crl: not the good one" "$crltext" \
		"Serial Number: $(openssl x509 -noout -serial -in ip.pem | cut -d= -f2)"

	# ---- ocsprefresh, ocspdump
	run cfssl ocsprefresh -db-config "$DB_CONF" -ca ca.pem -responder ca.pem \
		-responder-key ca-key.pem -interval 2h
	check_eq "cli: ocsprefresh: exit status" 0 "$RC"
	n=$(q "SELECT count(*) FROM certificates WHERE $(txt authority_key_identifier) = '$A1'")
	check_eq "cli: ocsprefresh: one response per certificate of the CA (deviation 22)" "$n" \
		"$(q 'SELECT count(*) FROM ocsp_responses')"
	run cfssl ocsprefresh -db-config "$DB_CONF" -ca ca.pem -responder ca.pem -responder-key ca-key.pem
	check_eq "cli: ocsprefresh again: rows updated, not added" "$n" \
		"$(q 'SELECT count(*) FROM ocsp_responses')"
	run cfssl ocspdump -db-config "$DB_CONF"
	check_eq "cli: ocspdump: one line per response" "$n" "$(wc -l <"$OUT")"
	: >resp.txt
	while read -r line; do
		echo "$line" | base64 -d >r.der
		openssl ocsp -respin r.der -resp_text -noverify 2>/dev/null >>resp.txt
	done <"$OUT"
	resp=$(cat resp.txt)
	check_contains "cli: ocspdump: a revoked response" "$resp" "Cert Status: revoked"
	check_contains "cli: ocspdump: with its reason" "$resp" "Revocation Reason: keyCompromise (0x1)"
	check_contains "cli: ocspdump: a good response" "$resp" "Cert Status: good"
	if [ -x "$MASTER" ]; then
		check_eq "cli: cfssl master's ocspdump equals cfssl-c's" "$(cat "$OUT")" \
			"$(t "$MASTER" ocspdump -db-config "$DB_CONF" 2>/dev/null)"
	fi

	# ---- ocspserve from the database, queried by openssl ocsp
	local port pid i
	for _ in 1 2 3; do
		port=$(free_port)
		cfssl ocspserve -db-config "$DB_CONF" -address 127.0.0.1 -port "$port" >ocspserve.log 2>&1 &
		pid=$!
		lib_track_pid "$pid"
		for i in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break 2
			sleep 0.1
		done
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for c in leaf:ca ip:ca leaf2:ca2; do
		t openssl ocsp -issuer "${c#*:}.pem" -cert "${c%%:*}.pem" -url "http://127.0.0.1:$port" \
			-CAfile ca.pem -no_nonce >"ocsp-${c%%:*}.txt" 2>&1
	done
	check_contains "cli: ocspserve: revoked" "$(cat ocsp-leaf.txt)" "leaf.pem: revoked"
	check_contains "cli: ocspserve: with its reason" "$(cat ocsp-leaf.txt)" "Reason: keyCompromise"
	check_contains "cli: ocspserve: the response verifies" "$(cat ocsp-leaf.txt)" "Response verify OK"
	check_contains "cli: ocspserve: good" "$(cat ocsp-ip.txt)" "ip.pem: good"
	check_contains "cli: ocspserve: no response stored: unauthorized" "$(cat ocsp-leaf2.txt)" \
		"Responder Error: unauthorized (6)"
	# a SHA-256 CertID matches the stored (SHA-1 CertID) response too (deviation 24)
	t openssl ocsp -sha256 -issuer ca.pem -cert leaf.pem -no_nonce -reqout req256.der 2>/dev/null
	t curl -s -o resp256.der --data-binary @req256.der "http://127.0.0.1:$port/"
	check_contains "cli: ocspserve: a SHA-256 CertID gets the stored response" \
		"$(openssl ocsp -respin resp256.der -resp_text -noverify 2>&1)" "Cert Status: revoked"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# a database that is down: 500 and internalError for each request, the server stays up
	port=$(free_port)
	cfssl ocspserve -db-config "$DOWN_CONF" -port "$port" >ocspserve-down.log 2>&1 &
	pid=$!
	lib_track_pid "$pid"
	for i in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.1
	done
	t openssl ocsp -issuer ca.pem -cert leaf.pem -no_nonce -reqout req1.der 2>/dev/null
	for i in 1 2; do
		t curl -s -o down.der -w '%{http_code}' --data-binary @req1.der \
			"http://127.0.0.1:$port/" >down.code
		check_eq "cli down: ocspserve: request $i: 500 internalError" "500 30030a0102" \
			"$(cat down.code) $(xxd -p down.der)"
	done
	check_contains "cli down: ocspserve: cfssl's ERROR line" "$(cat ocspserve-down.log)" \
		'[ERROR] Error obtaining OCSP response: {"code":11000,"message":"dial tcp 127.0.0.1:1: connect: connection refused"}'
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null

	# ---- certinfo -serial -aki
	run cfssl certinfo -db-config "$DB_CONF" -serial "$S1" -aki "$AU"
	check_eq "cli: certinfo -serial: exit status" 0 "$RC"
	check_eq "cli: certinfo -serial: the stored certificate's JSON" "$(cfssl certinfo -cert leaf.pem)" \
		"$(cat "$OUT")"
	run cfssl certinfo -db-config "$DB_CONF" -serial 12345 -aki "$A1"
	check_eq "cli: certinfo: unknown serial" "1 no certificate found" "$RC $(strip_ts <"$ERR" | tail -n 1)"

	# ---- the database is down: a clean error, exit 1, no certificate printed (§7.4)
	run cfssl sign -ca ca.pem -ca-key ca-key.pem -db-config "$DOWN_CONF" leaf.csr
	check_eq "cli down: sign: exit status" 1 "$RC"
	check_eq "cli down: sign: no certificate printed" 0 "$(wc -c <"$OUT")"
	check_contains "cli down: sign: the dial error" "$(cat "$ERR")" \
		'{"code":11000,"message":"dial tcp 127.0.0.1:1: connect: connection refused"}'
	for args in "revoke -serial 1 -aki 2 -reason 1" "crl -ca ca.pem -ca-key ca-key.pem" "ocspdump" \
		"ocsprefresh -ca ca.pem -responder ca.pem -responder-key ca-key.pem" \
		"certinfo -serial 1 -aki 2"; do
		# shellcheck disable=SC2086
		run cfssl $args -db-config "$DOWN_CONF"
		check_eq "cli down: ${args%% *}: exit 1" 1 "$RC"
		check_contains "cli down: ${args%% *}: the dial error" "$(cat "$ERR")" \
			"dial tcp 127.0.0.1:1: connect: connection refused"
	done
}
