# shellcheck shell=bash
# Local PostgreSQL for scripts/run and scripts/test (sourced, never executed).
#
#   pulse_pg_ensure            install (if missing), start (if down), create role (if absent)
#   pulse_pg_ensure_db NAME    create database NAME owned by the Pulse role (if absent)
#   pulse_pg_recreate_db NAME  drop NAME (disconnecting its sessions) and create it afresh
#
# Environment: PULSE_DB_USER / PULSE_DB_PASSWORD (default pulse / pulse), PULSE_DB_PORT
# (default 5432). Uses Debian's postgresql-common tools (pg_lsclusters, pg_ctlcluster) and
# talks to the server as the `postgres` OS user (peer authentication, i.e. superuser).

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

_pulse_pg_port() { printf '%s' "${PULSE_DB_PORT:-5432}"; }

# Runs a command as the postgres OS user. `cd /` first: postgres usually may not read the
# caller's working directory, and psql warns about it.
_pulse_as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd / && runuser -u postgres -- "$@")
    else
      (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
    fi
  elif [[ $(id -un) == postgres ]]; then
    (cd / && "$@")
  else
    (cd / && sudo -u postgres -- "$@")
  fi
}

# psql as superuser over the Unix socket; SQL comes on stdin so that psql variables
# (:'name' literal, :"name" identifier) quote role and database names safely.
_pulse_psql() {
  _pulse_as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$(_pulse_pg_port)" -d postgres "$@"
}

_pulse_pg_ready() {
  pg_isready -q -h 127.0.0.1 -p "$(_pulse_pg_port)" >/dev/null 2>&1
}

# Newest installed server major version (e.g. 15), from /usr/lib/postgresql/<ver>/bin/postgres.
_pulse_pg_server_version() {
  local dir ver
  for dir in /usr/lib/postgresql/*/; do
    [[ -x ${dir}bin/postgres ]] || continue
    ver=${dir%/}
    printf '%s\n' "${ver##*/}"
  done | sort -V | tail -n 1
}

pulse_pg_ensure() {
  local port ver line cluster status i
  port=$(_pulse_pg_port)

  # Server binaries missing (fresh CI image): install Debian's package. Its post-install
  # step creates the `main` cluster; starting it may be blocked in containers, which is fine.
  if [[ -z $(_pulse_pg_server_version) ]] || ! command -v pg_lsclusters >/dev/null 2>&1; then
    pulse_log "PostgreSQL server not installed; installing it with apt-get"
    pulse_apt_install postgresql
  fi
  ver=$(_pulse_pg_server_version)
  [[ -n $ver ]] || pulse_die "no PostgreSQL server binaries under /usr/lib/postgresql after install"

  if _pulse_pg_ready; then
    pulse_log "PostgreSQL already answers on 127.0.0.1:$port"
  else
    # The cluster serving our port (any version), else create `<ver> main` on that port.
    line=$(pg_lsclusters -h 2>/dev/null | awk -v p="$port" '$3 == p { print; exit }')
    if [[ -z $line ]]; then
      pulse_log "no PostgreSQL cluster on port $port; creating $ver/main"
      pulse_as_root pg_createcluster --port "$port" "$ver" main \
        || pulse_die "could not create cluster $ver/main (does it exist on another port? see pg_lsclusters; set PULSE_DB_PORT)"
      line=$(pg_lsclusters -h | awk -v p="$port" '$3 == p { print; exit }')
    fi
    read -r ver cluster _ status _ <<<"$line"
    if [[ $status != online* ]]; then
      pulse_log "starting PostgreSQL cluster $ver/$cluster"
      pulse_as_root pg_ctlcluster "$ver" "$cluster" start
    fi
    for ((i = 0; i < 60; i++)); do
      _pulse_pg_ready && break
      sleep 0.5
    done
    _pulse_pg_ready || pulse_die "PostgreSQL $ver/$cluster does not answer on 127.0.0.1:$port (see /var/log/postgresql/)"
    pulse_log "PostgreSQL $ver/$cluster is up on 127.0.0.1:$port"
  fi

  # Role for Pulse, only if absent (an existing role and its password are left alone).
  _pulse_psql -v role="${PULSE_DB_USER:-pulse}" -v password="${PULSE_DB_PASSWORD:-pulse}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')
\gexec
SQL
}

pulse_pg_ensure_db() {
  local db=${1:?usage: pulse_pg_ensure_db NAME}
  # CREATE DATABASE cannot run inside a DO block or function, hence \gexec.
  _pulse_psql -v db="$db" -v role="${PULSE_DB_USER:-pulse}" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')
\gexec
SQL
}

pulse_pg_recreate_db() {
  local db=${1:?usage: pulse_pg_recreate_db NAME}
  pulse_log "recreating database $db"
  # WITH (FORCE) (PostgreSQL 13+) disconnects sessions left over from an earlier run.
  _pulse_psql -v db="$db" <<'SQL'
SET client_min_messages = warning;
DROP DATABASE IF EXISTS :"db" WITH (FORCE);
SQL
  pulse_pg_ensure_db "$db"
}
