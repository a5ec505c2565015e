#!/bin/sh
# Builds Barman4J and runs a demo on a throwaway PostgreSQL 15:
#   ./demo.sh          the barman-cloud-* tools: WAL archiving, a backup and point-in-time recovery on the local disk
#   ./demo.sh server   barman with a generated barman.conf: WAL through incoming/, a streaming backup, PITR
set -e
cd "$(dirname "$0")"
case "${1:-cloud}" in
  cloud) main=org.barman4j.demo.PitrDemo ;;
  server) main=org.barman4j.demo.ServerDemo ;;
  *) echo "usage: ./demo.sh [cloud|server]" >&2; exit 2 ;;
esac
log=$(mktemp)
mvn -B -q -DskipTests package >"$log" 2>&1 || { cat "$log"; rm -f "$log"; exit 1; }
rm -f "$log"
exec java -Dbarman4j.home="$PWD/barman-cli/target/barman4j" \
  -cp "$(ls demo/target/demo-*.jar | head -1):$(cat demo/target/classpath.txt)" "$main"
