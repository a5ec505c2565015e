#!/bin/sh
# Barman4J launcher: runs the tool named like this file (barman-cloud-wal-archive, ...).
# Every tool is one short-lived JVM (archive_command runs one per WAL segment), so the flags favour
# start-up time over peak throughput, and the shell work here forks nothing but the JVM.
#
# Made from Barman4J's dist/bin/launcher.sh by the build, once per tool: the main class, called as
# MAIN TOOL ARGS..., is @BARMAN4J_MAIN@; the tools that copy data in bulk: @BARMAN4J_BULK_TOOLS@.
#
# Java: BARMAN4J_JAVA if set, else the one bin/barman4j-setup chose (lib/barman4j-jvm), else JAVA_HOME's,
# else java on PATH. The class-data archive that barman4j-setup made (an AOT cache on JDK 25+, AppCDS
# before) is used only with the Java it was made for, from the same directory, and while no jar in lib/ is
# newer than it; otherwise the tool runs without it, silently (stdout is parsed by callers).
# BARMAN4J_JAVA_OPTS adds JVM flags; one that names an archive (-Xshare, -XX:SharedArchiveFile,
# -XX:AOTCache...) replaces the recorded one.
#
# Locale: the JVM decodes and encodes every file name with the character set of the LC_CTYPE locale it
# starts in (sun.jnu.encoding, fixed at start, no option overrides it). Under the C or POSIX locale, which
# PostgreSQL and cron often give archive_command, that is ASCII: a file or working directory with a
# non-ASCII name (/srv/données, notes_é.txt) could not be read. So, as Python 3 does (PEP 538), a C or
# POSIX LC_CTYPE locale is replaced by C.UTF-8, which differs from C only in its character set: file names
# are then UTF-8 bytes, as PostgreSQL and Barman have them. LC_ALL=C becomes LC_ALL=C.UTF-8 (which behaves as C in
# every other category); otherwise only LC_CTYPE is set. A UTF-8 locale already fits; any other one is left
# alone, as Python leaves it: names are then read in its character set, and a single-byte one (ISO-8859-1...)
# gives every name back byte for byte.
case ${LC_ALL:-${LC_CTYPE:-${LANG:-C}}} in
  C|POSIX)
    if [ -n "$LC_ALL" ]; then
      LC_ALL=C.UTF-8
      export LC_ALL
    else
      LC_CTYPE=C.UTF-8
      export LC_CTYPE
    fi
    ;;
esac

self=$0
while [ -h "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=${self%/*}/$link ;;
  esac
done
tool=${0##*/}
case $self in
  */*) bindir=${self%/*} ;;
  *) bindir=. ;;
esac
home=$(cd "$bindir/.." && pwd -P) || exit 4
lib=$home/lib

# What barman4j-setup recorded: key=value lines.
rec_java= rec_home= rec_flag= rec_file= rec_opts=
if [ -r "$lib/barman4j-jvm" ]; then
  while IFS='=' read -r key value; do
    case $key in
      java) rec_java=$value ;;
      home) rec_home=$value ;;
      archive-flag) rec_flag=$value ;;
      archive-file) rec_file=$value ;;
      options) rec_opts=$value ;;
    esac
  done <"$lib/barman4j-jvm"
fi

if [ -n "$BARMAN4J_JAVA" ]; then
  java=$BARMAN4J_JAVA
elif [ -n "$rec_java" ] && [ -x "$rec_java" ]; then
  java=$rec_java
elif [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
else
  java=java
fi

archive=
opts=
if [ "$java" = "$rec_java" ]; then
  opts=$rec_opts
  if [ "$home" = "$rec_home" ] && [ -n "$rec_file" ] && [ -f "$lib/$rec_file" ]; then
    archive=$lib/$rec_file
  fi
elif [ -r "${java%/bin/java}/release" ]; then
  # Another Java: from JDK 24 on, the codecs' use of sun.misc.Unsafe would print warnings on stderr.
  while IFS='=' read -r key value; do
    if [ "$key" = JAVA_VERSION ]; then
      value=${value#\"}
      case ${value%%.*} in
        1|9|1[0-9]|2[0-3]) ;;
        *) opts=--sun-misc-unsafe-memory-access=allow ;;
      esac
    fi
  done <"${java%/bin/java}/release"
fi
case $BARMAN4J_JAVA_OPTS in
  *-Xshare*|*SharedArchiveFile*|*ArchiveClassesAtExit*|*DumpLoadedClassList*|*AOTCache*|*AOTMode*|*AOTConfiguration*) archive= ;;
esac

# The class path, in the build's order (lib/classpath), so that it matches the archive exactly.
cp=
if [ -r "$lib/classpath" ]; then
  IFS= read -r entries <"$lib/classpath"
  set -f
  saved_ifs=$IFS
  IFS=:
  for entry in $entries; do
    cp=$cp${cp:+:}$home/$entry
    # A jar replaced after the archive was made: JDK 25.0.3 and older would still use the stale classes.
    if [ -n "$archive" ] && [ "$home/$entry" -nt "$archive" ]; then
      archive=
    fi
  done
  IFS=$saved_ifs
  set +f
else
  cp="$lib/*"
fi

case " @BARMAN4J_BULK_TOOLS@ " in
  # Long-running bulk copies (barman-cloud-backup, say): the optimising compiler pays for itself within
  # seconds, and a small initial heap keeps the resident size near what is used (the chunk buffers are
  # pooled). No class-data archive: it saves little here, and JDK 25's AOT cache, trained with the WAL tools'
  # C1-only flags, more than doubled the CPU of an S3 upload (its digests stayed out of the optimising
  # compiler).
  *" $tool "*) jit=-Xms16m archive= ;;
  *) jit=-XX:TieredStopAtLevel=1 ;;
esac

# JVM log messages go to stderr, never stdout; an archive the JVM refuses (another build of the same
# Java, say) is silently ignored.
share="-Xlog:disable -Xlog:all=warning:stderr"
if [ -n "$archive" ]; then
  case $rec_flag in
    -XX:AOTCache) share="$share -Xlog:cds*=off:stderr -Xlog:aot*=off:stderr -XX:AOTCache=$archive" ;;
    *) share="$share -Xlog:cds*=off:stderr -Xshare:auto -XX:SharedArchiveFile=$archive" ;;
  esac
fi

# The JDK's StAX and slf4j-simple, named: no service-loader scan of every jar for them, and no other XML
# parser (Woodstox, say, that a cloud SDK brings along) chosen by the order of lib/.
# shellcheck disable=SC2086
exec "$java" $jit -XX:+UseSerialGC -XX:-UsePerfData -Xss512k -Xmx256m $share \
  --enable-native-access=ALL-UNNAMED $opts \
  -Djavax.xml.stream.XMLInputFactory=com.sun.xml.internal.stream.XMLInputFactoryImpl \
  -Djavax.xml.stream.XMLOutputFactory=com.sun.xml.internal.stream.XMLOutputFactoryImpl \
  -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN \
  -Dbarman4j.home="$home" $BARMAN4J_JAVA_OPTS \
  -cp "$cp" @BARMAN4J_MAIN@ "$tool" "$@"
