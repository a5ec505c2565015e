#!/usr/bin/env bash
# Wall time of one archive_command call (barman-cloud-wal-archive to file://) for real 16 MiB WAL segments,
# and the JVM start-up share of it. Each call is a fresh process, as PostgreSQL runs it.
#
#   bench/wal-archive.sh [CALLS]        (default 20; builds the distribution if it is missing)
#
# Prints one table: median / min / max milliseconds per call for each compression, the median of
# `barman-cloud-wal-archive -V` (JVM start-up plus argument parsing, no work) and its share of a call.
set -euo pipefail
shopt -s inherit_errexit
calls=${1:-20}
cd "$(dirname "$0")/.."
home=$PWD/barman-cloud-tools/target/barman4j
if [ ! -x "$home/bin/barman-cloud-wal-archive" ]; then
  mvn -B -q -DskipTests package >/dev/null
fi
pgbin=${BARMAN4J_PG_BIN:-/usr/lib/postgresql/15/bin}
work=$(mktemp -d /tmp/b4j-bench-XXXXXX)
wrap=()
[ "$(id -u)" = 0 ] && wrap=(unshare --user --map-user=65534 --map-group=65534)
cleanup() {
  "${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Real segments, made the way the peers' baselines were (reference/peer-baselines.md): a pgbench
#    database, then completed segments copied aside while TPC-B runs, so they hold full-page images.
mkdir -p "$work/segs"
port=$(( 20000 + RANDOM % 30000 ))  # pg_ctl start fails loudly in the rare case it is taken
"${wrap[@]}" "$pgbin/initdb" -D "$work/data" -U postgres --auth=trust -N --locale=C.UTF-8 >/dev/null
cat >>"$work/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
archive_mode = on
archive_command = '/bin/true'
fsync = off
max_wal_size = 4GB
CONF
"${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w start >/dev/null
psql() { "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtX -d postgres "$@"; }
"$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -q -i -s 20 postgres >/dev/null 2>&1
psql -c "alter system set archive_command = 'cp %p $work/segs/%f'" -c "select pg_reload_conf()" -c "checkpoint" >/dev/null
count() { find "$work/segs" -name '????????????????????????' | wc -l; }
while [ "$(count)" -lt $((calls + 1)) ]; do
  "$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -c 2 -j 2 -T 3 postgres >/dev/null 2>&1
done
psql -c "select pg_switch_wal()" >/dev/null
sleep 1
"${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null
mapfile -t segs < <(ls "$work/segs" | grep '^[0-9A-F]\{24\}$' | sort | head -n "$calls")
[ "${#segs[@]}" -ge "$calls" ] || { echo "only ${#segs[@]} segments were produced" >&2; exit 1; }

# 2. Timing helpers: milliseconds from bash's EPOCHREALTIME, median of the sorted list.
ms() { local s=$1 e=$2; echo "$(( (${e/./} - ${s/./}) / 1000 ))"; }
stats() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%8.0f %6d %6d", m, a[1], a[NR]}'; }

printf "%-34s %8s %6s %6s %10s %8s\n" "barman-cloud-wal-archive (file://)" "median" "min" "max" "stored MiB" "ratio"
printf "%-34s %8s %6s %6s\n" "" "ms" "ms" "ms"
startup=$(for _ in $(seq 1 "$calls"); do
  s=$EPOCHREALTIME; "$home/bin/barman-cloud-wal-archive" -V >/dev/null; e=$EPOCHREALTIME; ms "$s" "$e"
done | stats)
printf "%-34s %s\n" "start-up only (-V)" "$startup"
startup_median=$(echo "$startup" | awk '{print $1}')

for variant in none gzip zstd lz4; do
  flag=()
  [ "$variant" != none ] && flag=(--"$variant")
  dest="$work/arch-$variant"
  row=$(for seg in "${segs[@]}"; do
    s=$EPOCHREALTIME
    "$home/bin/barman-cloud-wal-archive" "${flag[@]}" "file://$dest" bench "$work/segs/$seg" || exit 1
    e=$EPOCHREALTIME
    ms "$s" "$e"
  done | stats)
  stored=$(du -sb "$dest" | awk '{print $1}')
  raw=$(( ${#segs[@]} * 16777216 ))
  awk -v name="archive, $variant" -v row="$row" -v stored="$stored" -v raw="$raw" -v su="$startup_median" \
    'BEGIN { split(row, r, " "); printf "%-34s %s %10.1f %8.2f   start-up share %3.0f%%\n", name, row, stored / 1048576, raw / stored, 100 * su / r[1] }'
done

restore=$(for seg in "${segs[@]}"; do
  s=$EPOCHREALTIME
  "$home/bin/barman-cloud-wal-restore" "file://$work/arch-gzip" bench "$seg" "$work/restored" || exit 1
  e=$EPOCHREALTIME
  cmp -s "$work/restored" "$work/segs/$seg" || { echo "restored $seg differs" >&2; exit 1; }
  ms "$s" "$e"
done | stats)
printf "%-34s %s   (every segment byte-identical)\n" "restore, gzip" "$restore"
echo "($calls calls each, one fresh JVM per call; $(java -version 2>&1 | head -1); $(nproc) cores)"
