#!/usr/bin/env bash
# Start-up of two builds of the WAL tools side by side: the same 16 MiB segment archived to file://, restored,
# and a missing segment asked for (exit 1), one cold process per call as PostgreSQL runs them, the two builds
# interleaved call by call so that a busy machine slows both alike. Prints medians and the B/A ratios.
#
#   bench/ab-startup.sh DIST_A DIST_B [RUNS] [PG_WAL_DIR]
#
# DIST_A and DIST_B are distribution directories (barman-cloud-tools/target/barman4j of two checkouts, each
# built with `mvn -pl barman-cloud-tools -am package -DskipTests` so that both have their class-data archive).
# PG_WAL_DIR holds a real segment to archive (default: a throwaway cluster's pg_wal made with initdb).
set -euo pipefail
a=${1:?usage: ab-startup.sh DIST_A DIST_B [RUNS] [PG_WAL_DIR]}
b=${2:?usage: ab-startup.sh DIST_A DIST_B [RUNS] [PG_WAL_DIR]}
runs=${3:-15}
work=$(mktemp -d /tmp/ab-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT
wal_dir=${4:-}
if [ -z "$wal_dir" ]; then
  pgbin=${BARMAN4J_PG_BIN:-/usr/lib/postgresql/15/bin}
  mkdir "$work/pgdata"
  chmod 755 "$work"
  # initdb refuses root: as root, the cluster belongs to the postgres OS user.
  if [ "$(id -u)" = 0 ]; then chown postgres "$work/pgdata"; run=(su postgres -c); else run=(bash -c); fi
  "${run[@]}" "$pgbin/initdb -D $work/pgdata >/dev/null 2>&1"
  wal_dir=$work/pgdata/pg_wal
fi
seg=$(find "$wal_dir" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9A-F]{24}' -size 16M | head -1)
[ -n "$seg" ] || { echo "ab-startup.sh: no 16 MiB segment in $wal_dir" >&2; exit 1; }
name=$(basename "$seg")
cp "$seg" "$work/$name"
ms() {
  local start
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "ab-startup.sh: failed: $*" >&2; exit 1; }
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}
missing() { "$@"; [ $? = 1 ]; }
for i in $(seq "$runs"); do
  for side in A B; do
    if [ $side = A ]; then dist=$a; else dist=$b; fi
    echo "$side archive $(ms "$dist/bin/barman-cloud-wal-archive" "file://$work/$side-$i" srv "$work/$name")"
    echo "$side restore $(ms "$dist/bin/barman-cloud-wal-restore" "file://$work/$side-$i" srv "$name" "$work/out-$side-$i")"
    echo "$side missing $(set +e; ms missing "$dist/bin/barman-cloud-wal-restore" "file://$work/$side-$i" srv \
      000000010000000000000FFF "$work/none")"
  done
done | python3 -c '
import collections, statistics, sys
times = collections.defaultdict(list)
for line in sys.stdin:
    side, op, ms = line.split()
    times[(op, side)].append(int(ms))
for (op, side), xs in sorted(times.items()):
    print(f"{op:8} {side}  median {statistics.median(xs):6.0f} ms  (min {min(xs)}, max {max(xs)}, runs {len(xs)})")
for op in sorted({op for op, _ in times}):
    ratio = statistics.median(times[(op, "B")]) / statistics.median(times[(op, "A")])
    print(f"{op:8} B/A median ratio {ratio:.2f}")
'
