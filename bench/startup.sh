#!/usr/bin/env bash
# Start-up cost of the WAL tools: one cold process per call, as PostgreSQL's archive_command and
# restore_command run them, against S3Proxy on loopback, for each JVM set-up the launcher can use.
#
#   bench/startup.sh [RUNS]        (default 15; hyperfine -N --warmup 2 --runs RUNS)
#
# Needs the distribution and the S3 test server built (mvn -B -o -pl barman-cloud-tools,barman-s3-testserver
# -am package -DskipTests), hyperfine, PostgreSQL 15's initdb/pgbench (for a real 16 MiB WAL segment),
# curl and jq. Prints one table of median milliseconds (min-max), rows = commands, columns = set-ups:
#   17 plain      OpenJDK 17, no class-data archive (the JDK's default CDS only)
#   17 AppCDS     OpenJDK 17 with the AppCDS archive bin/barman4j-setup makes
#   25 plain      Temurin 25 (if installed), no archive
#   25 AOT        Temurin 25 with the AOT cache bin/barman4j-setup makes
# Each set-up runs on its own copy of the distribution, prepared by its own barman4j-setup.
set -euo pipefail
shopt -s inherit_errexit
runs=${1:-15}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cd "$(dirname "$0")/.."
root=$PWD
dist=$root/barman-cloud-tools/target/barman4j
server_cp=$root/barman-s3-testserver/target/classpath.txt
server_jar=$root/barman-s3-testserver/target/classes
java17=${BARMAN4J_BENCH_JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
java25=${BARMAN4J_BENCH_JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
pgbin=${BARMAN4J_PG_BIN:-/usr/lib/postgresql/15/bin}
for need in hyperfine curl jq; do
  command -v "$need" >/dev/null || { echo "startup.sh: $need is not installed" >&2; exit 1; }
done
[ -x "$dist/bin/barman-cloud-wal-archive" ] && [ -r "$server_cp" ] || {
  echo "startup.sh: build first: mvn -B -o -pl barman-cloud-tools,barman-s3-testserver -am package -DskipTests" >&2
  exit 1
}

work=$(mktemp -d /tmp/b4j-startup-XXXXXX)
server_pid=
wrap=()
[ "$(id -u)" = 0 ] && wrap=(unshare --user --map-user=65534 --map-group=65534)
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  "${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. A real WAL segment: a pgbench database's first completed segment (full-page images and all).
port=$(( 20000 + RANDOM % 30000 ))
"${wrap[@]}" "$pgbin/initdb" -D "$work/data" -U postgres --auth=trust -N --locale=C.UTF-8 >/dev/null
printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nfsync = off\n" "$port" "$work" \
  >>"$work/data/postgresql.conf"
"${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w start >/dev/null
"$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -q -i -s 5 postgres >/dev/null 2>&1
"$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtX -d postgres -c "select pg_switch_wal()" >/dev/null
seg=000000010000000000000002  # completed (the switch closed a later one); copied before a shutdown recycles it
cp "$work/data/pg_wal/$seg" "$work/$seg"
"${wrap[@]}" "$pgbin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null
[ "$(stat -c %s "$work/$seg")" = 16777216 ] || { echo "startup.sh: no 16 MiB segment" >&2; exit 1; }

# 2. S3Proxy as its own process (in-memory store), as a real endpoint would be: not in the tools' JVM.
java -cp "$server_jar:$(cat "$server_cp")" org.barman4j.testing.s3.S3TestServer \
  --access-key bench --secret-key bench-secret --bucket bench >"$work/s3.out" 2>"$work/s3.err" &
server_pid=$!
for _ in $(seq 1 300); do
  [ -s "$work/s3.out" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/s3.err" >&2; exit 1; }
  sleep 0.1
done
endpoint=$(head -n 1 "$work/s3.out")
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
# Before each archive call: no copy of the segment under any suffix, so every call stores it anew.
cat >"$work/clean.sh" <<CLEAN
for suffix in '' .gz; do
  curl -sf --aws-sigv4 aws:amz:us-east-1:s3 --user bench:bench-secret -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \\
    -X DELETE "$endpoint/bench/main/wals/${seg:0:16}/$seg\$suffix" >/dev/null || exit 1
done
exit 0
CLEAN

# 3. One copy of the distribution per set-up, each with its own barman4j-setup.
setups=()
add_setup() { # NAME JAVA ARCHIVE(yes|no)
  [ -x "$2" ] || { echo "(skipping $1: $2 is not installed)" >&2; return; }
  local home=$work/dist-${1// /-}
  cp -a "$dist" "$home"
  if [ "$3" = yes ]; then
    sh "$home/bin/barman4j-setup" --java "$2" | sed 's/^/  /'
  else
    sh "$home/bin/barman4j-setup" --remove >/dev/null
  fi
  setups+=("$1|$2|$home")
}
add_setup "17 plain" "$java17" no
add_setup "17 AppCDS" "$java17" yes
add_setup "25 plain" "$java25" no
add_setup "25 AOT" "$java25" yes

names=("-V" "wal-archive, none" "wal-archive, gzip" "wal-restore (gzip)")
declare -A median
for setup in "${setups[@]}"; do
  IFS='|' read -r name java home <<<"$setup"
  bin=$home/bin
  url=s3://bench
  (
    export BARMAN4J_JAVA=$java
    hyperfine -N --warmup 2 --runs "$runs" --show-output --export-json "$work/${name// /-}.json" \
      --prepare "true" "$bin/barman-cloud-wal-archive -V" \
      --prepare "sh $work/clean.sh" "$bin/barman-cloud-wal-archive --endpoint-url $endpoint $url main $work/$seg" \
      --prepare "sh $work/clean.sh" "$bin/barman-cloud-wal-archive --gzip --endpoint-url $endpoint $url main $work/$seg" \
      --prepare "rm -f $work/restored" "$bin/barman-cloud-wal-restore --endpoint-url $endpoint $url main $seg $work/restored" \
      >"$work/output.log" 2>&1
  ) || { echo "startup.sh: a call failed ($name):" >&2; grep -v "^barman-cloud-wal-archive " "$work/output.log" | tail -n 20 >&2; exit 1; }
  cmp -s "$work/restored" "$work/$seg" || { echo "startup.sh: the restored segment differs ($name)" >&2; exit 1; }
  for i in 0 1 2 3; do
    median["$name|$i"]=$(jq -r ".results[$i] | \"\(.median * 1000 | round) (\(.min * 1000 | round)-\(.max * 1000 | round))\"" \
      "$work/${name// /-}.json")
  done
done

printf "%-22s" "median ms (min-max)"
for setup in "${setups[@]}"; do printf " %-16s" "${setup%%|*}"; done
echo
for i in 0 1 2 3; do
  printf "%-22s" "${names[$i]}"
  for setup in "${setups[@]}"; do printf " %-16s" "${median["${setup%%|*}|$i"]}"; done
  echo
done
echo "(hyperfine -N --warmup 2 --runs $runs; one fresh JVM per call; a real 16 MiB segment to S3Proxy on loopback;"
echo " $(nproc) cores; load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg))"
