#!/usr/bin/env bash
# barman (Barman4J) against Barman 3.4's barman, side by side in one run on the same PostgreSQL cluster, each
# with its own barman_home and the same barman.conf options: backup (backup_method = postgres, pg_basebackup,
# plain) of a pgbench database, archive-wal of 100 segments with gzip, and recover of the backup into an empty
# directory. Both share pg_basebackup for the copy; what differs is each tool's own work and start-up.
#
#   bench/barman-server.sh [SCALE]     (default 100, about 1.5 GiB; builds the distribution if missing)
#
# Environment: ROUNDS (default 1; the median round by wall time is reported), SEGMENTS (default 100),
# BARMAN4J_HOME (a built distribution), BARMAN4J_PG_BIN. Needs Debian's barman (Barman 3.4) and GNU time. Prints, per step and tool, the wall
# seconds, CPU seconds (user + system) and peak RSS (GNU time %M), and the ratio Barman 3.4 / Barman4J of the
# wall times (above 1: Barman4J is faster); last, the median of ten runs of list-backups (start-up).
set -euo pipefail
scale=${1:-100}
rounds=${ROUNDS:-1}
segments=${SEGMENTS:-100}
cd "$(dirname "$0")/.."
home=${BARMAN4J_HOME:-$PWD/barman-cli/target/barman4j}
if [ ! -x "$home/bin/barman" ]; then
  mvn -B -q -DskipTests package -pl barman-cli -am >/dev/null
fi
command -v barman >/dev/null || { echo "Barman 3.4 is needed: apt-get install -y barman" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install -y time" >&2; exit 1; }
pgbin=${BARMAN4J_PG_BIN:-/usr/lib/postgresql/15/bin}
work=$(mktemp -d /tmp/b4j-server-bench-XXXXXX)
chmod 0755 "$work"
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
chown postgres "$work"
cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The database, with WAL archived by cp into a staging directory (the archive-wal input).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/staging"
chown postgres "$work/staging"
"${as_pg[@]}" "$pgbin/initdb" -D "$work/data" -U postgres --auth=trust -N --locale=C.UTF-8 >/dev/null
cat >>"$work/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
wal_level = replica
archive_mode = on
archive_command = 'cp %p $work/staging/%f'
max_wal_size = 4GB
max_wal_senders = 10
CONF
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w start >/dev/null
psql() { "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtX -d postgres "$@"; }
"$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -q -i -s "$scale" postgres >/dev/null 2>&1
psql -c checkpoint >/dev/null
pgdata_bytes=$(du -sb --exclude=pg_wal "$work/data" | awk '{print $1}')

# 100 segments for archive-wal, full of pgbench changes (each one switched by hand).
while [ "$(find "$work/staging" -name '0*' ! -name '*.*' | wc -l)" -lt "$segments" ]; do
  "$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -c 2 -t 2000 postgres >/dev/null 2>&1
  psql -c 'select pg_switch_wal()' >/dev/null
done
sleep 2
mkdir -p "$work/segments"
find "$work/staging" -name '0*' ! -name '*.*' | sort | head -n "$segments" | xargs -I{} cp {} "$work/segments/"
printf "pgbench -i -s %s: PGDATA %.0f MiB without pg_wal; %s segments of 16 MiB; %s round(s); %s cores\n\n" \
  "$scale" "$(echo "$pgdata_bytes / 1048576" | bc -l)" "$segments" "$rounds" "$(nproc)"

# 2. One configuration per tool: same options, own barman_home.
conf() { # TOOL
  mkdir -p "$work/$1/home"
  cat >"$work/$1/barman.conf" <<CONF
[barman]
barman_home = $work/$1/home
barman_user = $(id -un)
log_file = $work/$1/barman.log
compression = gzip

[pg]
description = bench
conninfo = host=127.0.0.1 port=$port user=postgres dbname=postgres
streaming_conninfo = host=127.0.0.1 port=$port user=postgres
backup_method = postgres
archiver = on
streaming_archiver = off
CONF
}
declare -A bin=([barman4j]="$home/bin/barman" [barman34]="barman")
for tool in barman4j barman34; do conf $tool; done

measure() { # TOOL STEP ARGS... ; appends "ms rss cpu" to $work/TOOL.STEP
  local tool=$1 step=$2
  shift 2
  local s e
  s=$EPOCHREALTIME
  /usr/bin/time -f "%M %U %S" -o "$work/rss" "${bin[$tool]}" -q -c "$work/$tool/barman.conf" "$@" >"$work/out" 2>&1 \
    || { echo "$tool $step failed:" >&2; cat "$work/out" >&2; exit 1; }
  e=$EPOCHREALTIME
  echo "$(( (${e/./} - ${s/./}) / 1000 )) $(cat "$work/rss")" >>"$work/$tool.$step"
}

for round in $(seq 1 "$rounds"); do
  # alternate who goes first, so that neither always gets the warmer cache
  order=(barman34 barman4j)
  [ $((round % 2)) = 0 ] && order=(barman4j barman34)
  for tool in "${order[@]}"; do
    h=$work/$tool/home/pg
    rm -rf "$h" "$work/$tool/restored"
    mkdir -p "$h/incoming"
    # archive-wal: the same segments dropped into incoming/ as an archive_command would
    cp "$work/segments/"* "$h/incoming/"
    measure $tool archive-wal archive-wal pg
    # backup: needs one archived WAL (Barman 3.4's check), which archive-wal gave
    measure $tool backup backup --immediate-checkpoint pg
    # the backup's own WAL, so that both finish DONE before the recover
    "${bin[$tool]}" -q -c "$work/$tool/barman.conf" switch-wal --force --archive pg >/dev/null 2>&1 || true
    measure $tool recover recover pg latest "$work/$tool/restored"
    rm -rf "$work/$tool/restored"
  done
done

# start-up: a short command, as cron and users run it (ten runs each, on the catalogue just made)
for tool in barman34 barman4j; do
  for i in $(seq 1 10); do measure $tool list-backups list-backups pg; done
done

printf "%-12s %-10s %9s %9s %10s %12s\n" step tool seconds "CPU s" "peak RSS" "ratio 3.4/4J"
for step in backup archive-wal recover list-backups; do
  declare -A wall=()
  for tool in barman34 barman4j; do
    line=$(sort -n "$work/$tool.$step" | awk '{ l[NR]=$0 } END { print l[int((NR+1)/2)] }')
    read -r ms rss user sys <<<"$line"
    wall[$tool]=$ms
    extra=""
    [ "$step" = archive-wal ] && extra=$(awk -v n="$segments" -v ms="$ms" 'BEGIN { printf " (%.1f segments/s)", n/(ms/1000) }')
    printf "%-12s %-10s %9.2f %9.2f %8.0f MiB%s\n" "$step" "$tool" "$(echo "$ms/1000" | bc -l)" \
      "$(echo "$user+$sys" | bc -l)" "$(echo "$rss/1024" | bc -l)" "$extra"
  done
  printf "%-12s %-10s %9s %9s %10s %12.2f\n" "$step" "ratio" "" "" "" "$(echo "${wall[barman34]}/${wall[barman4j]}" | bc -l)"
done
