#!/bin/sh
# Barman4J launcher: runs the tool named like this file (barman-cloud-wal-archive, ...).
# Every tool is one short-lived JVM (archive_command runs one per WAL segment), so the flags favour
# start-up time over peak throughput. JAVA_HOME or BARMAN4J_JAVA selects the JVM; BARMAN4J_JAVA_OPTS adds flags.
tool=$(basename "$0")
self=$0
while [ -h "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=$(dirname "$self")/$link ;;
  esac
done
home=$(cd "$(dirname "$self")/.." && pwd -P) || exit 4
if [ -n "$BARMAN4J_JAVA" ]; then
  java=$BARMAN4J_JAVA
elif [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
else
  java=java
fi
case $tool in
  # Long-running bulk copies: the optimising compiler pays for itself within seconds, and a small initial
  # heap keeps the resident size near what is used (the chunk buffers are pooled).
  barman-cloud-backup) jit=-Xms16m ;;
  *) jit=-XX:TieredStopAtLevel=1 ;;
esac
# shellcheck disable=SC2086
exec "$java" $jit -XX:+UseSerialGC -XX:-UsePerfData -Xss512k -Xmx256m \
  -Dbarman4j.home="$home" $BARMAN4J_JAVA_OPTS \
  -cp "$home/lib/*" org.barman4j.cloud.CloudTools "$tool" "$@"
