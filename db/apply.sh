#!/bin/bash
# Applies cfssl-c's certificate database schema (cfssl's migrations 001 and
# 002: the same tables, columns, types and keys) to a database, with the
# database's own client: sqlite3, psql or mariadb/mysql.
#
#   db/apply.sh DRIVER DATA_SOURCE
#
# DRIVER and DATA_SOURCE are the "driver" and "data_source" of the
# -db-config file, e.g.
#   db/apply.sh sqlite3 certs.db
#   db/apply.sh postgres 'postgres://user:pw@127.0.0.1:5432/certdb?sslmode=disable'
#   db/apply.sh mysql 'user:pw@tcp(127.0.0.1:3306)/certdb?parseTime=true'
# Steps already applied are skipped (a database made by cfssl's goose
# migrations is left as it is), so running it twice is harmless.
set -euo pipefail

usage() {
	echo "usage: $0 sqlite3|postgres|mysql DATA_SOURCE" >&2
	exit 2
}
[ $# -eq 2 ] || usage
driver=$1 ds=$2
dir=$(cd "$(dirname "$0")" && pwd)/$driver
[ -d "$dir" ] || usage

case $driver in
sqlite3)
	command -v sqlite3 >/dev/null || { echo "$0: needs the sqlite3 client" >&2; exit 1; }
	file=$ds
	# as go-sqlite3: a plain path loses its "?options"; file: URIs keep them
	case $file in file:*) ;; *) file=${file%%\?*} ;; esac
	query() { sqlite3 -batch -bail "$file" "$1"; }
	run() { sqlite3 -batch -bail "$file" <"$1"; }
	has_table="SELECT count(*) FROM sqlite_master WHERE type='table' AND name='certificates'"
	has_column="SELECT count(*) FROM pragma_table_info('certificates') WHERE name='issued_at'"
	;;
postgres)
	command -v psql >/dev/null || { echo "$0: needs the psql client" >&2; exit 1; }
	query() { psql -X -q -t -A -v ON_ERROR_STOP=1 -d "$ds" -c "$1"; }
	run() { psql -X -q -v ON_ERROR_STOP=1 -1 -d "$ds" -f "$1"; }
	has_table="SELECT count(*) FROM information_schema.tables WHERE
		table_schema = current_schema() AND table_name = 'certificates'"
	has_column="SELECT count(*) FROM information_schema.columns WHERE
		table_schema = current_schema() AND table_name = 'certificates' AND column_name = 'issued_at'"
	;;
mysql)
	client=$(command -v mariadb || command -v mysql) ||
		{ echo "$0: needs the mariadb or mysql client" >&2; exit 1; }
	# Go's MySQL DSN: [user[:password]@][tcp(host:port)|unix(/path)]/dbname[?params]
	re='^(([^:@]*)(:(.*))?@)?(tcp|unix)?(\(([^)]*)\))?/([^?]*)(\?.*)?$'
	[[ $ds =~ $re ]] || { echo "$0: cannot read the MySQL data source" >&2; exit 1; }
	args=(--batch --skip-column-names)
	[ -n "${BASH_REMATCH[2]}" ] && args+=(--user="${BASH_REMATCH[2]}")
	# the password goes through the environment, not the command line
	export MYSQL_PWD=${BASH_REMATCH[4]}
	addr=${BASH_REMATCH[7]}
	if [ "${BASH_REMATCH[5]}" = unix ]; then
		args+=(--socket="$addr")
	else
		addr=${addr:-127.0.0.1:3306}
		args+=(--protocol=TCP --host="${addr%:*}")
		[[ $addr == *:* ]] && args+=(--port="${addr##*:}")
	fi
	args+=("${BASH_REMATCH[8]}")
	# cfssl's schema has '0000-00-00' defaults, refused under NO_ZERO_DATE
	init="SET SESSION sql_mode = REPLACE(REPLACE(REPLACE(@@sql_mode, 'NO_ZERO_IN_DATE', ''),
		'NO_ZERO_DATE', ''), 'STRICT_TRANS_TABLES', '');"
	query() { "$client" "${args[@]}" -e "$1"; }
	run() { { echo "$init"; cat "$1"; } | "$client" "${args[@]}"; }
	has_table="SELECT count(*) FROM information_schema.tables WHERE
		table_schema = DATABASE() AND table_name = 'certificates'"
	has_column="SELECT count(*) FROM information_schema.columns WHERE
		table_schema = DATABASE() AND table_name = 'certificates' AND column_name = 'issued_at'"
	;;
*) usage ;;
esac

if [ "$(query "$has_table")" = 0 ]; then
	run "$dir/001_CreateCertificates.sql"
	echo "applied $driver/001_CreateCertificates.sql"
fi
if [ "$(query "$has_column")" = 0 ]; then
	run "$dir/002_AddMetadataToCertificates.sql"
	echo "applied $driver/002_AddMetadataToCertificates.sql"
fi
echo "schema up to date"
