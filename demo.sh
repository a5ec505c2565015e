#!/bin/sh
# Builds Barman4J and runs the demo: a throwaway PostgreSQL 15 archives its WAL to the local disk
# through barman-cloud-wal-archive, then a copy of it recovers through barman-cloud-wal-restore.
set -e
cd "$(dirname "$0")"
log=$(mktemp)
mvn -B -q -DskipTests package >"$log" 2>&1 || { cat "$log"; rm -f "$log"; exit 1; }
rm -f "$log"
exec java -Dbarman4j.home="$PWD/barman-cloud-tools/target/barman4j" \
  -cp "$(ls examples/target/examples-*.jar | head -1):$(cat examples/target/classpath.txt)" \
  org.barman4j.examples.WalArchiveDemo
