#!/bin/sh
# Builds Barman4J and runs the demo: a throwaway PostgreSQL 15 archives its WAL and is backed up to the local disk
# with the barman-cloud-* tools, then is restored to a point in time and checked.
set -e
cd "$(dirname "$0")"
log=$(mktemp)
mvn -B -q -DskipTests package >"$log" 2>&1 || { cat "$log"; rm -f "$log"; exit 1; }
rm -f "$log"
exec java -Dbarman4j.home="$PWD/barman-cloud-tools/target/barman4j" \
  -cp "$(ls demo/target/demo-*.jar | head -1):$(cat demo/target/classpath.txt)" \
  org.barman4j.demo.PitrDemo
