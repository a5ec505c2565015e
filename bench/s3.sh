#!/usr/bin/env bash
# Barman4J's barman-cloud-* tools next to Barman's own (Debian barman-cli-cloud, Barman 3.4) on the same S3
# endpoint: an S3Proxy started by this script as its own process (barman-s3-testserver, filesystem store
# under a temporary directory, loopback).
#
#   bench/s3.sh [SCALE]           (default 100: pgbench -i -s 100, about 1.5 GiB; builds what is missing)
#
# Environment: CALLS (default 20: real 16 MiB WAL segments, one fresh process each, as archive_command),
# WAL_VARIANTS (default "none gzip bzip2"), COMPRESSIONS (default "none gzip": base backups), JOBS (default
# "1 2 4": -J of barman-cloud-backup for both tools and of our barman-cloud-restore), BARMAN4J_PG_BIN.
# Prints three tables, each with our figures and Barman's side by side:
#   1. archive_command: milliseconds per segment (median / min / max) per compression, and the restore_command
#      (barman-cloud-wal-restore) of the gzip segments, every one compared byte for byte;
#   2. barman-cloud-backup: seconds, MiB/s of PGDATA, CPU seconds (user + system, child processes included),
#      peak RSS (GNU time %M: the largest single process) and stored MiB, per compression and -J (Barman's -J
#      is its number of upload processes; it compresses in one);
#   3. barman-cloud-restore of one backup per compression into an empty directory: ours with each -J, Barman's
#      once (its restore is serial and has no -J).
# Both tools run on the same machine as the S3 server, which takes CPU from both alike.
set -euo pipefail
shopt -s inherit_errexit
scale=${1:-100}
calls=${CALLS:-20}
wal_variants=${WAL_VARIANTS:-"none gzip bzip2"}
compressions=${COMPRESSIONS:-"none gzip"}
jobs_list=${JOBS:-"1 2 4"}
cd "$(dirname "$0")/.."
root=$PWD
home=$root/barman-cloud-tools/target/barman4j
testserver=$root/barman-s3-testserver/target
if [ ! -x "$home/bin/barman-cloud-backup" ] || [ ! -f "$testserver/classpath.txt" ]; then
  mvn -B -q -DskipTests package -pl barman-cloud-tools,barman-s3-testserver -am >/dev/null
fi
for tool in barman-cloud-wal-archive barman-cloud-wal-restore barman-cloud-backup barman-cloud-restore; do
  [ -x "/usr/bin/$tool" ] || { echo "Barman's $tool is missing: apt-get install -y barman-cli-cloud" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install -y time" >&2; exit 1; }
pgbin=${BARMAN4J_PG_BIN:-/usr/lib/postgresql/15/bin}
work=$(mktemp -d /tmp/b4j-s3-bench-XXXXXX)
wrap=()
[ "$(id -u)" = 0 ] && wrap=(unshare --user --map-user=65534 --map-group=65534)
s3pid=
cleanup() {
  "${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "$s3pid" ] && kill "$s3pid" 2>/dev/null && wait "$s3pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The S3 server, its own JVM; both tool sets authenticate through the AWS environment variables.
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
java -cp "$(ls "$testserver"/barman-s3-testserver-*.jar | head -1):$(cat "$testserver/classpath.txt")" \
  org.barman4j.testing.s3.S3TestServer --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" \
  --dir "$work/s3" --bucket ours --bucket barman >"$work/s3.endpoint" 2>"$work/s3.log" &
s3pid=$!
for _ in $(seq 1 600); do
  [ -s "$work/s3.endpoint" ] && break
  kill -0 "$s3pid" 2>/dev/null || { echo "the S3 server did not start:" >&2; cat "$work/s3.log" >&2; exit 1; }
  sleep 0.1
done
endpoint=$(head -1 "$work/s3.endpoint")
[ -n "$endpoint" ] || { echo "the S3 server printed no endpoint" >&2; exit 1; }
tool() {  # ours|barman NAME: the executable
  if [ "$1" = ours ]; then echo "$home/bin/$2"; else echo "/usr/bin/$2"; fi
}

# 2. The database, then real WAL segments copied aside while TPC-B runs (they hold full-page images).
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
psql() { "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtX -d postgres "$@"; }
"$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -q -i -s "$scale" postgres >/dev/null 2>&1
mkdir -p "$work/segs"
psql -c "alter system set archive_command = 'cp %p $work/segs/%f'" -c "select pg_reload_conf()" -c "checkpoint" >/dev/null
count() { find "$work/segs" -name '????????????????????????' | wc -l; }
while [ "$(count)" -lt $((calls + 1)) ]; do
  "$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -c 2 -j 2 -T 3 postgres >/dev/null 2>&1
done
psql -c "alter system set archive_command = '/bin/true'" -c "select pg_reload_conf()" -c "checkpoint" >/dev/null
mapfile -t segs < <(ls "$work/segs" | grep '^[0-9A-F]\{24\}$' | sort | head -n "$calls")
pgdata_bytes=$(du -sb --exclude=pg_wal "$work/data" | awk '{print $1}')
printf "S3Proxy 4.1.0 at %s (own JVM, filesystem store); pgbench -i -s %s: PGDATA %.0f MiB without pg_wal;\n" \
  "$endpoint" "$scale" "$(echo "$pgdata_bytes / 1048576" | bc -l)"
printf "%s; Barman %s; %s cores\n\n" "$(java -version 2>&1 | head -1)" \
  "$(/usr/bin/barman-cloud-backup -V 2>&1 | awk '{print $NF}')" "$(nproc)"

# 3. archive_command / restore_command, one fresh process per segment.
ms() { local s=$1 e=$2; echo "$(( (${e/./} - ${s/./}) / 1000 ))"; }
stats() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%6.0f %5d %5d", m, a[1], a[NR]}'; }
flag() { case $1 in none) ;; gzip) echo -z ;; bzip2) echo -j ;; *) echo "--$1" ;; esac; }
archive_row() {  # ours|barman variant
  local bin bucket=$1 variant=$2 seg s e
  bin=$(tool "$1" barman-cloud-wal-archive)
  for seg in "${segs[@]}"; do
    s=$EPOCHREALTIME
    # shellcheck disable=SC2046
    "$bin" --endpoint-url "$endpoint" $(flag "$variant") "s3://$bucket/wal-$variant" bench "$work/segs/$seg" || exit 1
    e=$EPOCHREALTIME
    ms "$s" "$e"
  done | stats
}
restore_row() {  # ours|barman variant
  local bin bucket=$1 variant=$2 seg s e
  bin=$(tool "$1" barman-cloud-wal-restore)
  for seg in "${segs[@]}"; do
    s=$EPOCHREALTIME
    "$bin" --endpoint-url "$endpoint" "s3://$bucket/wal-$variant" bench "$seg" "$work/restored-wal" || exit 1
    e=$EPOCHREALTIME
    cmp -s "$work/restored-wal" "$work/segs/$seg" || { echo "$bucket: restored $seg differs" >&2; exit 1; }
    rm -f "$work/restored-wal"
    ms "$s" "$e"
  done | stats
}
printf "%-30s %-19s   %-19s %9s %9s\n" "WAL, one process per segment" "Barman4J" "Barman 3.4" "Barman /" "stored"
printf "%-30s %6s %5s %5s   %6s %5s %5s %9s %9s\n" "(ms per 16 MiB segment)" "median" "min" "max" "median" "min" "max" \
  "Barman4J" "MiB o/B"
side_by_side() {  # name ours-stats barman-stats stored
  awk -v name="$1" -v o="$2" -v b="$3" -v st="$4" \
    'BEGIN { split(o, x, " "); split(b, y, " "); printf "%-30s %s   %s %8.1fx %9s\n", name, o, b, y[1] / x[1], st }'
}
for variant in $wal_variants; do
  o=$(archive_row ours "$variant")
  b=$(archive_row barman "$variant")
  stored="$(du -sm "$work/s3/ours/wal-$variant" | cut -f1)/$(du -sm "$work/s3/barman/wal-$variant" | cut -f1)"
  side_by_side "archive_command, $variant" "$o" "$b" "$stored"
done
case " $wal_variants " in
  *" gzip "*) side_by_side "restore_command, gzip" "$(restore_row ours gzip)" "$(restore_row barman gzip)" "" ;;
esac
echo "(${#segs[@]} segments per row, each byte-identical after restore)"

# 4. Base backups, over TCP with an immediate checkpoint.
timed() {  # out-file command...: wall ms, peak RSS KiB, user + system CPU s
  local out=$1 s e; shift
  s=$EPOCHREALTIME
  /usr/bin/time -f "%M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" \
    || { echo "failed: $*" >&2; cat "$work/stderr" >&2; exit 1; }
  e=$EPOCHREALTIME
  echo "$(( (${e/./} - ${s/./}) / 1000 )) $(cat "$work/time")" >"$out"
}
figures() {  # file [stored-bytes]: seconds MiB/s CPU-s RSS-MiB [stored-MiB]
  awk -v raw="$pgdata_bytes" -v stored="${2:-}" '{ t = $1 / 1000; printf "%6.1f %6.0f %6.1f %6.0f", t, raw / 1048576 / t, $3 + $4, $2 / 1024
    if (stored != "") printf " %7.0f", stored / 1048576 }' "$1"
}
printf "\n%-22s %-35s   %-35s\n" "barman-cloud-backup" "Barman4J" "Barman 3.4"
printf "%-22s %6s %6s %6s %6s %7s   %6s %6s %6s %6s %7s\n" "(S3Proxy)" \
  "s" "MiB/s" "CPU s" "RSS" "stored" "s" "MiB/s" "CPU s" "RSS" "stored"
declare -A backup_of
for compression in $compressions; do
  for jobs in $jobs_list; do
    row=()
    for side in ours barman; do
      prefix="backup-$compression-$jobs"
      # shellcheck disable=SC2046
      timed "$work/$side.fig" "$(tool "$side" barman-cloud-backup)" --endpoint-url "$endpoint" $(flag "$compression") -J "$jobs" --immediate-checkpoint \
        -h 127.0.0.1 -p "$port" -U postgres "s3://$side/$prefix" bench
      row+=("$(figures "$work/$side.fig" "$(du -sb "$work/s3/$side/$prefix/bench/base" | awk '{print $1}')")")
      if [ -z "${backup_of[$side-$compression]:-}" ]; then
        backup_of[$side-$compression]="$prefix $(ls "$work/s3/$side/$prefix/bench/base")"
      else
        rm -rf "${work:?}/s3/$side/$prefix"
      fi
    done
    printf "%-22s %s   %s\n" "$compression, -J $jobs" "${row[0]}" "${row[1]}"
  done
done
"${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null

# 5. Restores into an empty directory (page cache, no fsync, as the baselines).
printf "\n%-22s %-28s   %-28s\n" "barman-cloud-restore" "Barman4J" "Barman 3.4 (serial, no -J)"
printf "%-22s %6s %6s %6s %6s   %6s %6s %6s %6s\n" "(S3Proxy)" "s" "MiB/s" "CPU s" "RSS" "s" "MiB/s" "CPU s" "RSS"
for compression in $compressions; do
  read -r bprefix bid <<<"${backup_of[barman-$compression]}"
  rm -rf "$work/restored"
  timed "$work/barman.fig" "$(tool barman barman-cloud-restore)" --endpoint-url "$endpoint" "s3://barman/$bprefix" bench "$bid" "$work/restored"
  barman_row=$(figures "$work/barman.fig")
  read -r oprefix oid <<<"${backup_of[ours-$compression]}"
  first=1
  for jobs in $jobs_list; do
    rm -rf "$work/restored"
    timed "$work/ours.fig" "$(tool ours barman-cloud-restore)" --endpoint-url "$endpoint" -J "$jobs" "s3://ours/$oprefix" bench "$oid" "$work/restored"
    if [ $first = 1 ]; then other=$barman_row; first=0; else other="     (the one serial run above)"; fi
    printf "%-22s %s   %s\n" "$compression, -J $jobs" "$(figures "$work/ours.fig")" "$other"
  done
done
rm -rf "$work/restored"
echo "(RSS in MiB; CPU includes child processes: Barman's upload workers, our launcher's JVM)"
