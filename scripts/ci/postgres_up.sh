#!/usr/bin/env bash
# Start a local PostgreSQL for the dbt `postgres` target (CI, containers, laptops). Idempotent.
#
#   bash scripts/ci/postgres_up.sh
#
# Connection settings come from the same variables as profiles.yml:
#   PGHOST (127.0.0.1)  PGPORT (5432)  PGUSER (postgres)  PGPASSWORD (postgres)  PGDATABASE (segmentation)
# Knobs:
#   PG_UP_DIR      where our own cluster lives (default /tmp/segmentation-pg-$PGPORT: data/, server.log, socket)
#   PG_UP_TIMEOUT  seconds to wait for the server to accept connections (default 60)
#
# What it does, in order (every step is skipped when already done):
#   1. Quick path: if $PGUSER/$PGPASSWORD can already log into $PGDATABASE on $PGHOST:$PGPORT and the
#      session time zone is UTC, there is nothing to do (well under a second).
#   2. Installs the PostgreSQL server from the Debian packages when no server binaries are present
#      (apt-get install postgresql, non-interactive; runs apt-get update first only if needed).
#      The package's own "main" cluster is left alone (policy-rc.d usually keeps it stopped anyway).
#   3. If nothing answers on 127.0.0.1:$PGPORT: initdb (as the postgres OS user, root cannot run a
#      server) a cluster of our own into $PG_UP_DIR/data and starts it with pg_ctl -- no systemd, no
#      init scripts needed. If a server already answers there (e.g. a Debian cluster someone
#      started), it is adopted instead.
#   4. Sets the password of $PGUSER (created as a superuser when it is not "postgres"), creates
#      $PGDATABASE if absent, pins TimeZone to UTC for that database and role, and checks a real
#      TCP login with the password.
#
# Our own cluster is a throwaway CI database: it trades durability for speed (fsync=off,
# synchronous_commit=off, full_page_writes=off, wal_level=minimal; jit=off). Do not keep real data in it.
# Collation is C (byte order, like DuckDB) and the character classification is C.UTF-8 (so
# lower()/upper()/regex classes handle non-ASCII letters). Stop it with:
#   runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$PG_UP_DIR/data" stop
set -euo pipefail

export DO_NOT_TRACK=1
export DEBIAN_FRONTEND=noninteractive

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGPASSWORD=${PGPASSWORD:-postgres}
PGDATABASE=${PGDATABASE:-segmentation}
export PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-5}
PG_UP_DIR=${PG_UP_DIR:-/tmp/segmentation-pg-$PGPORT}
PG_UP_TIMEOUT=${PG_UP_TIMEOUT:-60}
DATA_DIR="$PG_UP_DIR/data"
LOG_FILE="$PG_UP_DIR/server.log"
SOCKET_DIR="$PG_UP_DIR"

START_TS=$(date +%s.%N)
log() { printf 'postgres_up: %s\n' "$*"; }
die() { printf 'postgres_up: ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { awk -v s="$START_TS" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1fs", e - s }'; }

case "$PGHOST" in
  127.0.0.1 | localhost | ::1) LOCAL=1 ;;
  *) LOCAL=0 ;;
esac

# Newest installed server (Debian layout: /usr/lib/postgresql/<major>/bin).
find_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/postgres" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; fi
  done | sort -V | tail -n 1
}

BINDIR=$(find_bindir)
client() { # client <tool>: the server's own copy when present, else whatever is on PATH
  if [[ -n "$BINDIR" && -x "$BINDIR/$1" ]]; then printf '%s' "$BINDIR/$1"; else command -v "$1" || true; fi
}

# psql over TCP with the password, as the client will connect. Extra args are passed through.
tcp_psql() {
  local psql; psql=$(client psql)
  [[ -n "$psql" ]] || return 127
  "$psql" -X -q -w -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$@"
}

ready() { local isready; isready=$(client pg_isready); [[ -n "$isready" ]] && "$isready" -q -h "$PGHOST" -p "$PGPORT" -t 2; }

# ---------------------------------------------------------------------------------------------
# 1. Quick path.
if tz=$(tcp_psql -d "$PGDATABASE" -At -c "show timezone" 2>/dev/null) && [[ "$tz" == "UTC" ]]; then
  log "already up: $PGUSER@$PGHOST:$PGPORT/$PGDATABASE (TimeZone=$tz) in $(elapsed)"
  exit 0
fi

if [[ "$LOCAL" == 0 ]]; then
  # A remote server: we cannot install or start it, only wait for it and create the database.
  log "PGHOST=$PGHOST is not local: not installing or starting anything, only waiting for it"
fi

# ---------------------------------------------------------------------------------------------
# 2. Install the server binaries.
if [[ "$LOCAL" == 1 && -z "$BINDIR" ]]; then
  [[ $(id -u) == 0 ]] || die "no PostgreSQL server installed and not root: run 'apt-get install postgresql' first"
  command -v apt-get >/dev/null || die "no PostgreSQL server installed and no apt-get to install one"
  log "installing PostgreSQL from the Debian packages (apt-get install postgresql)..."
  t0=$(date +%s)
  apt_log=$(mktemp /tmp/postgres_up.apt.XXXXXX)
  apt_install() {
    apt-get install -y -q -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef \
      -o Dpkg::Options::=--force-confold --no-install-recommends postgresql >>"$apt_log" 2>&1
  }
  # Fresh images often ship without package lists (or stale ones): update only when needed.
  if ! apt_install; then
    log "apt-get install did not succeed (package lists missing or stale?): apt-get update, then retry"
    apt-get update -q >>"$apt_log" 2>&1 || { tail -n 30 "$apt_log" >&2; die "apt-get update failed (log: $apt_log)"; }
    apt_install || { tail -n 30 "$apt_log" >&2; die "apt-get install postgresql failed (log: $apt_log)"; }
  fi
  rm -f "$apt_log"
  BINDIR=$(find_bindir)
  [[ -n "$BINDIR" ]] || die "apt-get install postgresql succeeded but no server found under /usr/lib/postgresql/*/bin"
  log "installed $("$BINDIR/postgres" --version) in $(( $(date +%s) - t0 ))s"
fi

# ---------------------------------------------------------------------------------------------
# 3. A server on 127.0.0.1:$PGPORT: adopt a running one, else init/start our own.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
OWN_CLUSTER=0

if [[ "$LOCAL" == 1 ]] && ! ready; then
  [[ $(id -u) == 0 ]] || die "no server on 127.0.0.1:$PGPORT and not root (cannot switch to the postgres user to start one)"
  id postgres >/dev/null 2>&1 || die "the postgres OS user does not exist (is the postgresql package installed?)"
  major=$(basename "$(dirname "$BINDIR")")  # /usr/lib/postgresql/<major>/bin
  OWN_CLUSTER=1

  mkdir -p "$PG_UP_DIR"
  chown postgres:postgres "$PG_UP_DIR"
  chmod 700 "$PG_UP_DIR"

  if [[ -f "$DATA_DIR/PG_VERSION" ]]; then
    have=$(cat "$DATA_DIR/PG_VERSION")
    [[ "$have" == "$major" ]] || die "$DATA_DIR was initialised by PostgreSQL $have but the server is $major; remove $PG_UP_DIR and rerun"
    log "reusing cluster $DATA_DIR (PostgreSQL $major)"
  else
    log "initdb: new PostgreSQL $major cluster in $DATA_DIR"
    rm -rf "$DATA_DIR"
    pwfile=$(mktemp "$PG_UP_DIR/pw.XXXXXX")
    printf '%s\n' "$PGPASSWORD" >"$pwfile"
    chown postgres:postgres "$pwfile"
    as_postgres env TZ=UTC "$BINDIR/initdb" -D "$DATA_DIR" -U postgres --pwfile="$pwfile" \
      --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --lc-collate=C --lc-ctype=C.UTF-8 \
      --lc-messages=C --lc-monetary=C --lc-numeric=C --lc-time=C >"$PG_UP_DIR/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; cat "$PG_UP_DIR/initdb.log" >&2; die "initdb failed"; }
    rm -f "$pwfile"
    echo "include_if_exists = 'postgresql.ci.conf'" >>"$DATA_DIR/postgresql.conf"
  fi

  # Rewritten on every start so a changed PGPORT / new setting takes effect.
  cat >"$DATA_DIR/postgresql.ci.conf" <<EOF
# Written by scripts/ci/postgres_up.sh -- throwaway CI cluster, tuned for speed, not durability.
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$SOCKET_DIR'
timezone = 'UTC'
log_timezone = 'UTC'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = '4GB'
checkpoint_timeout = '30min'
shared_buffers = '256MB'
work_mem = '64MB'
maintenance_work_mem = '256MB'
# JIT compiles each big staging query for seconds and wins nothing back on CI-sized data.
jit = off
# Containers often have a tiny /dev/shm (64MB in Docker): keep parallel-query memory off it.
dynamic_shared_memory_type = mmap
EOF
  chown postgres:postgres "$DATA_DIR/postgresql.ci.conf"

  # After a container restart the old postmaster is gone but its pid file is not, and the PID may now
  # belong to another process, which makes the server refuse to start. Drop the file unless that PID
  # really is a postgres process.
  if [[ -f "$DATA_DIR/postmaster.pid" ]]; then
    old_pid=$(head -n 1 "$DATA_DIR/postmaster.pid" 2>/dev/null || true)
    if [[ ! "$old_pid" =~ ^[0-9]+$ ]] || ! grep -qE '^(postgres|postmaster)$' "/proc/$old_pid/comm" 2>/dev/null; then
      log "removing stale $DATA_DIR/postmaster.pid (pid ${old_pid:-?} is not a running postgres)"
      rm -f "$DATA_DIR/postmaster.pid"
    fi
  fi

  log "starting server on 127.0.0.1:$PGPORT (log: $LOG_FILE)"
  if ! as_postgres "$BINDIR/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t "$PG_UP_TIMEOUT" start >/dev/null; then
    tail -n 30 "$LOG_FILE" >&2 || true
    die "pg_ctl start failed (see $LOG_FILE above; is port $PGPORT taken by another program?)"
  fi
elif [[ "$LOCAL" == 1 ]]; then
  log "a server already accepts connections on 127.0.0.1:$PGPORT: using it"
fi

# Wait until it accepts connections.
deadline=$(( $(date +%s) + PG_UP_TIMEOUT ))
until ready; do
  if (( $(date +%s) >= deadline )); then
    [[ -f "$LOG_FILE" && "$OWN_CLUSTER" == 1 ]] && tail -n 30 "$LOG_FILE" >&2
    die "PostgreSQL at $PGHOST:$PGPORT is not accepting connections after ${PG_UP_TIMEOUT}s (pg_isready)"
  fi
  sleep 0.5
done
log "server accepts connections on $PGHOST:$PGPORT"

# ---------------------------------------------------------------------------------------------
# 4. Role, password, database, time zone.
# An administrative psql: over TCP with the password if that works, else peer authentication as the
# postgres OS user over a Unix socket (ours, then Debian's and the upstream default directories).
ADMIN=()
if tcp_psql -d postgres -At -c "select 1 where (select rolsuper from pg_roles where rolname = current_user)" 2>/dev/null | grep -q 1; then
  ADMIN=(tcp)
elif [[ "$LOCAL" == 1 && $(id -u) == 0 ]]; then
  for sock in "$SOCKET_DIR" /var/run/postgresql /tmp; do
    if [[ -S "$sock/.s.PGSQL.$PGPORT" ]] && as_postgres "$(client psql)" -X -q -h "$sock" -p "$PGPORT" -U postgres -d postgres -At -c "select 1" >/dev/null 2>&1; then
      ADMIN=(socket "$sock")
      break
    fi
  done
fi
[[ ${#ADMIN[@]} -gt 0 ]] || die "cannot log into PostgreSQL at $PGHOST:$PGPORT as a superuser (wrong PGPASSWORD for $PGUSER, and no local peer access as the postgres OS user)"

admin_psql() { # SQL on stdin; psql variables: user, pw, db
  if [[ "${ADMIN[0]}" == tcp ]]; then
    tcp_psql -d postgres -v user="$PGUSER" -v pw="$PGPASSWORD" -v db="$PGDATABASE"
  else
    as_postgres "$(client psql)" -X -q -v ON_ERROR_STOP=1 -h "${ADMIN[1]}" -p "$PGPORT" -U postgres -d postgres \
      -v user="$PGUSER" -v pw="$PGPASSWORD" -v db="$PGDATABASE"
  fi
}

admin_psql >/dev/null <<'SQL'
select format('create role %I login superuser', :'user')
where not exists (select 1 from pg_roles where rolname = :'user') \gexec
select format('alter role %I with login password %L', :'user', :'pw') \gexec
select format('create database %I owner %I', :'db', :'user')
where not exists (select 1 from pg_database where datname = :'db') \gexec
select format('alter database %I set timezone to %L', :'db', 'UTC') \gexec
select format('alter role %I set timezone to %L', :'user', 'UTC') \gexec
SQL
log "role $PGUSER has the PGPASSWORD password; database $PGDATABASE exists; TimeZone=UTC"

# The real check: the login dbt will use.
info=$(tcp_psql -d "$PGDATABASE" -At -F ' | ' -c "select current_setting('server_version'), current_setting('TimeZone'), pg_encoding_to_char(encoding), datcollate, datctype from pg_database where datname = current_database()" 2>&1) \
  || die "password login as $PGUSER to $PGHOST:$PGPORT/$PGDATABASE failed: $info"
log "ready: $PGUSER@$PGHOST:$PGPORT/$PGDATABASE (version | TimeZone | encoding | collate | ctype = $info) in $(elapsed)"
