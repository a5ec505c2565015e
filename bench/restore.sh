#!/usr/bin/env bash
# barman-cloud-restore from file:// of a pgbench database: wall time, throughput and peak RSS.
#
#   bench/restore.sh [SCALE] [PART_MiB] [RUNS]    (defaults 100, 64, 3; builds the distribution if missing)
#
# One pg_basebackup -Ft of a `pgbench -i -s SCALE` cluster is stored as barman-cloud backups (by
# bench/BenchBackup.java) with no compression, gzip and zstd, each once whole (one data.tar, as
# barman-cloud-backup's default -S 100GB gives) and once split into parts of PART_MiB compressed bytes.
# Each is restored RUNS times into an empty directory with -J 1 and -J 2; the table shows the median
# wall time [min-max], PGDATA MiB per second of the median, the peak RSS of the restore process
# (/usr/bin/time), and the stored size. The target is written through the page cache, as in
# reference/peer-baselines.md, so these are CPU and stream numbers rather than disk numbers. Runs are
# interleaved (run 1 of every case, then run 2, ...) so that drifting load on a shared machine spreads
# evenly. BARMAN4J_BENCH_DIR=DIR keeps the backups in DIR and reuses them on the next call.
set -euo pipefail
scale=${1:-100}
part_mib=${2:-64}
runs=${3:-3}
cd "$(dirname "$0")/.."
home=$PWD/barman-cloud-tools/target/barman4j
if [ ! -x "$home/bin/barman-cloud-restore" ]; then
  mvn -B -q -DskipTests package >/dev/null
fi
pgbin=${BARMAN4J_PG_BIN:-/usr/lib/postgresql/15/bin}
keep=${BARMAN4J_BENCH_DIR:-}
if [ -n "$keep" ]; then
  work=$keep
  mkdir -p "$work"
else
  work=$(mktemp -d /tmp/b4j-restore-bench-XXXXXX)
fi
wrap=()
[ "$(id -u)" = 0 ] && wrap=(unshare --user --map-user=65534 --map-group=65534)
cleanup() {
  "${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  if [ -n "$keep" ]; then
    rm -rf "$work/data" "$work/tars" "$work/dest"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
store=$work/store
if [ ! -f "$work/backups.env" ]; then

# 1. The database and its backup tars.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${wrap[@]}" "$pgbin/initdb" -D "$work/data" -U postgres --auth=trust -N --locale=C.UTF-8 >/dev/null
cat >>"$work/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
fsync = off
max_wal_size = 4GB
max_wal_senders = 2
CONF
"${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w start >/dev/null
"$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -q -i -s "$scale" postgres >/dev/null 2>&1
version=$("$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtX -d postgres -c "show server_version_num")
mkdir -p "$work/tars" && chmod 777 "$work/tars"
"$pgbin/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$work/tars" -Ft -X none -c fast 2>/dev/null
"${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null
rm -rf "$work/data"
pgdata_bytes=$(stat -c %s "$work/tars/base.tar")

# 2. The backups: one id per compression and shape.
n=0
{
  echo "pgdata_bytes=$pgdata_bytes; scale=$scale; part_mib=$part_mib"
  for comp in none gzip zstd; do
    for shape in whole split; do
      n=$((n + 1))
      id=$(printf '20260101T0000%02d' "$n")
      bytes=0
      [ "$shape" = split ] && bytes=$((part_mib * 1048576))
      count=$(java -cp "$home/lib/*" bench/BenchBackup.java "$work/tars" "$store" bench "$id" "$comp" "$bytes" "$version")
      echo "ids[$comp-$shape]=$id; parts[$comp-$shape]=$count"
    done
  done
} >"$work/backups.env.tmp"
mv "$work/backups.env.tmp" "$work/backups.env"
rm -rf "$work/tars"
fi
declare -A ids parts
# shellcheck disable=SC1091
source "$work/backups.env"

# 3. Restores, interleaved; one "seconds rss_kib" line per run in $work/times/CASE.
cases=()
for comp in none gzip zstd; do
  for shape in whole split; do
    for jobs in 1 2; do
      cases+=("$comp $shape $jobs")
    done
  done
done
rm -rf "$work/times" && mkdir -p "$work/times"
for _ in $(seq 1 "$runs"); do
  for c in "${cases[@]}"; do
    read -r comp shape jobs <<<"$c"
    rm -rf "$work/dest"
    /usr/bin/time -f '%e %M' -o "$work/time" "$home/bin/barman-cloud-restore" -J "$jobs" \
      "file://$store" bench "${ids[$comp-$shape]}" "$work/dest"
    cat "$work/time" >>"$work/times/$comp-$shape-$jobs"
  done
done
rm -rf "$work/dest"
printf "%-24s %5s %3s %18s %9s %9s %10s\n" "barman-cloud-restore" "parts" "-J" "median s [min-max]" "MiB/s" "RSS MiB" "stored MiB"
for c in "${cases[@]}"; do
  read -r comp shape jobs <<<"$c"
  stored=$(du -sb "$store/bench/base/${ids[$comp-$shape]}" | awk '{print $1}')
  sort -n "$work/times/$comp-$shape-$jobs" | awk -v name="$comp, $shape" -v parts="${parts[$comp-$shape]}" \
    -v jobs="$jobs" -v pgdata="$pgdata_bytes" -v stored="$stored" '
    { t[NR] = $1; if ($2 > rss) rss = $2 }
    END {
      m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      printf "%-24s %5d %3d %7.2f [%.2f-%.2f] %9.0f %9.0f %10.0f\n", name, parts, jobs, m, t[1], t[NR],
        pgdata / 1048576 / m, rss / 1024, stored / 1048576
    }'
done
echo "(PGDATA tar $((pgdata_bytes / 1048576)) MiB, pgbench -s $scale; $runs runs each; $(java -version 2>&1 | head -1); $(nproc) cores)"
