#!/bin/sh
# Builds Barman4J and runs the demo: a throwaway PostgreSQL 15 archiving its WAL to the local disk
# through barman-cloud-wal-archive, then recovering a copy of it through barman-cloud-wal-restore.
set -e
cd "$(dirname "$0")"
mvn -B -q -DskipTests install
exec mvn -B -q -pl examples exec:java
