#!/usr/bin/env bash
# Wall time, throughput and peak RSS of barman-cloud-backup (file://, local disk) on a pgbench database, the
# same workload as the peers' baselines (reference/peer-baselines.md: pgbench -i -s 100, about 1.5 GiB).
#
#   bench/backup.sh [SCALE]       (default 100; builds the distribution if it is missing)
#
# Environment: VARIANTS (default "none:1 none:2 gzip:1 gzip:2 zstd:1 zstd:2", COMPRESSION:JOBS pairs),
# ROUNDS (default 1; the median is reported), SPLIT (default "zstd:64MB", COMPRESSION:MAX_ARCHIVE_SIZE of
# one more backup, split with -S, restored too; empty for none), BARMAN4J_PG_BIN.
# Prints two tables: for barman-cloud-backup, seconds, MiB/s of PGDATA, CPU seconds (user + system), peak
# RSS (GNU time %M, the JVM) and stored size per variant; for barman-cloud-restore of one backup per
# compression (and the split one) into an empty directory with -J 1 and -J 2, seconds, MiB/s of PGDATA, CPU
# seconds and peak RSS. Each row is the median round by wall time; on a shared machine the CPU column shows
# the work done whatever the contention. The restored files go through the page cache (no fsync), as in
# the baselines.
set -euo pipefail
scale=${1:-100}
rounds=${ROUNDS:-1}
variants=${VARIANTS:-"none:1 none:2 gzip:1 gzip:2 zstd:1 zstd:2"}
cd "$(dirname "$0")/.."
home=$PWD/barman-cloud-tools/target/barman4j
if [ ! -x "$home/bin/barman-cloud-backup" ]; then
  mvn -B -q -DskipTests package >/dev/null
fi
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install -y time" >&2; exit 1; }
pgbin=${BARMAN4J_PG_BIN:-/usr/lib/postgresql/15/bin}
work=$(mktemp -d /tmp/b4j-backup-bench-XXXXXX)
wrap=()
[ "$(id -u)" = 0 ] && wrap=(unshare --user --map-user=65534 --map-group=65534)
cleanup() {
  "${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The database: defaults as in the baselines (no data checksums, archive_command=/bin/true).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${wrap[@]}" "$pgbin/initdb" -D "$work/data" -U postgres --auth=trust -N --locale=C.UTF-8 >/dev/null
cat >>"$work/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
wal_level = replica
archive_mode = on
archive_command = '/bin/true'
max_wal_size = 4GB
CONF
"${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w start >/dev/null
"$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -q -i -s "$scale" postgres >/dev/null 2>&1
"$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtX -d postgres -c checkpoint >/dev/null
pgdata_bytes=$(du -sb --exclude=pg_wal "$work/data" | awk '{print $1}')
printf "pgbench -i -s %s: PGDATA %.0f MiB without pg_wal; %s round(s) per variant; %s cores\n\n" \
  "$scale" "$(echo "$pgdata_bytes / 1048576" | bc -l)" "$rounds" "$(nproc)"

# 2. Backups: the launcher as a user runs it, over the Unix socket, immediate checkpoint.
declare -A restorable
printf "%-24s %8s %8s %8s %10s %10s %8s\n" "barman-cloud-backup" "seconds" "MiB/s" "CPU s" "peak RSS" "stored" "ratio"
printf "%-24s %8s %8s %8s %10s %10s %8s\n" "(file://, local disk)" "" "" "" "MiB" "MiB" ""
for variant in $variants; do
  compression=${variant%%:*}
  jobs=${variant##*:}
  flags=(-J "$jobs")
  [ "$compression" != none ] && flags+=(--"$compression")
  results=()
  for round in $(seq 1 "$rounds"); do
    store="$work/store-$compression-$jobs-$round"
    s=$EPOCHREALTIME
    /usr/bin/time -f "%M %U %S" -o "$work/rss" "$home/bin/barman-cloud-backup" "${flags[@]}" --immediate-checkpoint \
      -h "$work" -p "$port" -U postgres "file://$store" bench
    e=$EPOCHREALTIME
    stored=$(du -sb "$store/bench/base" | awk '{print $1}')
    results+=("$(( (${e/./} - ${s/./}) / 1000 )) $(cat "$work/rss") $stored")
    # One backup per compression is kept for the restore half.
    if [ -z "${restorable[$compression]:-}" ]; then
      restorable[$compression]=$store
    else
      rm -rf "$store"
    fi
  done
  printf "%s\n" "${results[@]}" | sort -n | awk -v n="$rounds" -v name="$compression, -J $jobs" -v raw="$pgdata_bytes" '
    { ms[NR]=$1; rss[NR]=$2; cpu[NR]=$3+$4; st[NR]=$5 }
    END { m=int((n+1)/2); printf "%-24s %8.2f %8.0f %8.1f %10.1f %10.1f %8.2f\n", name, ms[m]/1000, raw/1048576/(ms[m]/1000), cpu[m], rss[m]/1024, st[m]/1048576, raw/st[m] }'
done

# 3. Restores of the kept backups (plus one split with -S), each into an empty directory, -J 1 and -J 2.
restores=()
for compression in none gzip zstd bzip2 snappy lz4; do
  [ -n "${restorable[$compression]:-}" ] && restores+=("$compression whole ${restorable[$compression]}")
done
split=${SPLIT-zstd:64MB}
if [ -n "$split" ]; then
  compression=${split%%:*}
  store="$work/store-split"
  flags=(-S "${split##*:}")
  [ "$compression" != none ] && flags+=(--"$compression")
  "$home/bin/barman-cloud-backup" "${flags[@]}" --immediate-checkpoint -h "$work" -p "$port" -U postgres \
    "file://$store" bench
  restores+=("$compression split-${split##*:} $store")
fi
"${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null

printf "\n%-24s %5s %3s %8s %8s %8s %10s\n" "barman-cloud-restore" "parts" "-J" "seconds" "MiB/s" "CPU s" "peak RSS"
printf "%-24s %5s %3s %8s %8s %8s %10s\n" "(file://, local disk)" "" "" "" "" "" "MiB"
for r in "${restores[@]}"; do
  read -r compression shape store <<<"$r"
  id=$(ls "$store/bench/base")
  parts=$(find "$store/bench/base/$id" -name 'data*.tar*' | wc -l)
  for jobs in 1 2; do
    results=()
    for round in $(seq 1 "$rounds"); do
      rm -rf "$work/restored"
      s=$EPOCHREALTIME
      /usr/bin/time -f "%M %U %S" -o "$work/rss" "$home/bin/barman-cloud-restore" -J "$jobs" "file://$store" bench \
        "$id" "$work/restored"
      e=$EPOCHREALTIME
      results+=("$(( (${e/./} - ${s/./}) / 1000 )) $(cat "$work/rss")")
    done
    rm -rf "$work/restored"
    printf "%s\n" "${results[@]}" | sort -n | awk -v n="$rounds" -v name="$compression, $shape" -v parts="$parts" \
      -v jobs="$jobs" -v raw="$pgdata_bytes" '
      { ms[NR]=$1; rss[NR]=$2; cpu[NR]=$3+$4 }
      END { m=int((n+1)/2); printf "%-24s %5d %3d %8.2f %8.0f %8.2f %10.1f\n", name, parts, jobs, ms[m]/1000, raw/1048576/(ms[m]/1000), cpu[m], rss[m]/1024 }'
  done
done
