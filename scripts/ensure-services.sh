#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 for the integration
# tests: installs them from Debian packages when missing, starts them, waits
# until they are ready. Quiet and quick when both already run.
# PostgreSQL gets trust authentication for local and 127.0.0.1/::1
# connections (the tests connect as postgres without a password) only on a
# cluster this script installed or that refuses such connections.
# The fault run (cmd/incassobot) also needs the binaries themselves, even
# when the services run elsewhere: redis-server, and initdb and pg_ctl of
# the Debian postgresql package (/usr/lib/postgresql/N/bin).
set -euo pipefail

PG_HOST=127.0.0.1
REDIS_HOST=127.0.0.1

log() { echo "ensure-services: $*" >&2; }

# as_root runs a command as root: directly, through sudo, or explains.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n "$@"
	else
		log "need root for: $*  (run this script as root, or install sudo)"
		return 1
	fi
}

pg_ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$PG_HOST" -p 5432; }
pg_trusts() { psql -h "$PG_HOST" -U postgres -d postgres -w -tAc 'select 1' >/dev/null 2>&1; }
redis_ready() { command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h "$REDIS_HOST" -p 6379 ping 2>/dev/null)" = PONG ]; }

apt_updated=""
apt_install() {
	if [ -z "$apt_updated" ]; then
		log "apt-get update"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		apt_updated=1
	fi
	log "apt-get install $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# wait_for NAME CHECK: polls CHECK for at most 30 seconds.
wait_for() {
	local name=$1 check=$2
	for _ in $(seq 1 60); do
		if "$check"; then return 0; fi
		sleep 0.5
	done
	log "$name did not become ready within 30s"
	return 1
}

trust_local_connections() {
	local version hba
	version=$(ls /etc/postgresql | sort -V | tail -1)
	hba=/etc/postgresql/$version/main/pg_hba.conf
	if as_root grep -q '# incassobot: trust local' "$hba"; then return 0; fi
	log "trust authentication for local connections in $hba"
	# Our lines go first: pg_hba.conf is read top-down, first match wins.
	as_root sh -c "{ printf '%s\n' '# incassobot: trust local (development and CI only)' \
		'local all all trust' 'host all all 127.0.0.1/32 trust' 'host all all ::1/128 trust'; cat '$hba'; } > '$hba.new' && mv '$hba.new' '$hba'"
	as_root chown postgres:postgres "$hba"
	as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1 || true
}

ensure_postgres() {
	if pg_ready && pg_trusts; then return 0; fi
	if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
		apt_install postgresql postgresql-client
	elif ! command -v psql >/dev/null 2>&1; then
		apt_install postgresql-client
	fi
	local version
	version=$(ls /etc/postgresql | sort -V | tail -1)
	trust_local_connections
	if ! pg_ready; then
		log "starting PostgreSQL $version"
		as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
	fi
	wait_for PostgreSQL pg_ready
	if ! wait_for "PostgreSQL (trust login as postgres)" pg_trusts; then
		log "PostgreSQL runs but refuses postgres@$PG_HOST without a password; check pg_hba.conf"
		return 1
	fi
}

ensure_redis() {
	if redis_ready; then return 0; fi
	if ! command -v redis-server >/dev/null 2>&1; then
		apt_install redis-server
	fi
	log "starting Redis"
	# No persistence: tests use their own key prefixes and need no durability.
	redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
	wait_for Redis redis_ready
}

# pg_tools reports whether initdb and pg_ctl are installed where the fault
# run looks for them first.
pg_tools() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then return 0; fi
	done
	return 1
}

ensure_binaries() {
	local missing=()
	pg_tools || missing+=(postgresql)
	command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
	if [ ${#missing[@]} -gt 0 ]; then
		apt_install "${missing[@]}"
	fi
}

ensure_postgres
ensure_redis
ensure_binaries
