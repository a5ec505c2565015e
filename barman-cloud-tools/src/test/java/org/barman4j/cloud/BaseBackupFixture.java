package org.barman4j.cloud;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.Tablespace;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.testing.postgres.PostgresCluster;
import org.barman4j.wal.Lsn;

/**
 * Base backups in barman-cloud's layout made from {@code pg_basebackup -Ft -X none} (whose tar, like
 * barman-cloud's, carries {@code backup_label}): the tars are recompressed, optionally split into
 * parts the way {@code barman-cloud-backup -S} splits them (a new part once the compressed size
 * passed the limit, checked before each member), and described by a {@code backup.info} filled from
 * the cluster.
 */
final class BaseBackupFixture {
  private static final Pattern START = Pattern.compile("START WAL LOCATION: ([0-9A-F]+/[0-9A-F]+) \\(file ([0-9A-F]{24})\\)");

  /** What pg_basebackup wrote and what the cluster said about it. */
  record Taken(Path tarDir, String label, OffsetDateTime begin, Lsn beginLsn, String beginWal, OffsetDateTime end,
      Lsn endLsn, String endWal, int timeline, int version, String systemId, String pgdata, List<Tablespace> tablespaces) {
    /** The backup.info of this backup stored as {@code id}. */
    BackupInfo info(BackupId id) {
      return BackupInfo.builder(id).status(BackupStatus.DONE).backupLabel(label)
          .beginTime(begin).beginXlog(beginLsn).beginWal(beginWal)
          .endTime(end).endXlog(endLsn).endWal(endWal)
          .timeline(timeline).version(version).systemId(systemId).pgdata(pgdata).tablespaces(tablespaces)
          .build();
    }
  }

  private BaseBackupFixture() {}

  /** Runs pg_basebackup into {@code work} (absent or empty) and gathers the backup.info fields. */
  static Taken take(PostgresCluster pg, Path work) throws IOException {
    OffsetDateTime begin = OffsetDateTime.now(ZoneOffset.UTC);
    pg.baseBackup(work, "-Ft", "-X", "none");
    // Read after pg_basebackup returned: upper bounds of the stop location and time, which is all a
    // restore needs (targets must not precede them).
    String[] end = pg.queryValue("select pg_current_wal_lsn() || ' ' || pg_walfile_name(pg_current_wal_lsn()) || ' '"
        + " || (select timeline_id from pg_control_checkpoint()) || ' ' || (extract(epoch from clock_timestamp()) * 1000000)::bigint"
        + " || ' ' || current_setting('server_version_num') || ' ' || (select system_identifier from pg_control_system())")
        .split(" ");
    String label = member(work.resolve("base.tar"), "backup_label");
    Matcher m = START.matcher(label);
    if (!m.find()) {
      throw new IllegalStateException("No START WAL LOCATION in backup_label: " + label);
    }
    List<Tablespace> tablespaces = new ArrayList<>();
    String rows = pg.queryValue("select coalesce(string_agg(spcname || '|' || oid || '|' || pg_tablespace_location(oid), ';'), '')"
        + " from pg_tablespace where spcname not in ('pg_default', 'pg_global')");
    for (String row : rows.isEmpty() ? new String[0] : rows.split(";")) {
      String[] f = row.split("\\|");
      tablespaces.add(new Tablespace(f[0], Long.parseLong(f[1]), f[2]));
    }
    OffsetDateTime endTime = OffsetDateTime.ofInstant(
        java.time.Instant.EPOCH.plusNanos(Long.parseLong(end[3]) * 1000), ZoneOffset.UTC);
    return new Taken(work, label, begin, Lsn.parse(m.group(1)), m.group(2), endTime, Lsn.parse(end[0]), end[1],
        Integer.parseInt(end[2]), Integer.parseInt(end[4]), end[5], pg.dataDir().toString(), tablespaces);
  }

  /**
   * Stores {@code taken} as backup {@code id} of {@code server} under the file store {@code root},
   * with {@code compression}, splitting each tar at {@code maxPartBytes} compressed bytes
   * ({@code Long.MAX_VALUE}: one part). Returns the backup's directory.
   */
  static Path store(Taken taken, BackupId id, Path root, String server, Compression compression, long maxPartBytes)
      throws IOException {
    Path dir = Files.createDirectories(root.resolve(server).resolve("base").resolve(id.value()));
    try (Stream<Path> tars = Files.list(taken.tarDir())) {
      for (Path tar : tars.filter(p -> p.getFileName().toString().endsWith(".tar")).toList()) {
        String stem = tar.getFileName().toString().replace(".tar", "");
        split(tar, dir, stem.equals("base") ? "data" : stem, compression, maxPartBytes);
      }
    }
    Files.writeString(dir.resolve("backup.info"), BackupInfoFormat.write(taken.info(id)));
    return dir;
  }

  private static void split(Path tar, Path dir, String name, Compression compression, long maxPartBytes)
      throws IOException {
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream tin = new TarArchiveInputStream(in, "UTF-8")) {
      int part = 0;
      Part out = new Part(dir, name, part, compression);
      TarArchiveEntry entry;
      while ((entry = tin.getNextEntry()) != null) {
        if (out.counter.count > maxPartBytes) {
          out.close();
          out = new Part(dir, name, ++part, compression);
        }
        out.tar.putArchiveEntry(entry);
        tin.transferTo(out.tar);
        out.tar.closeArchiveEntry();
      }
      out.close();
    }
  }

  /** One part being written: tar over compression over a byte counter. */
  private static final class Part {
    final Counter counter;
    final TarArchiveOutputStream tar;

    Part(Path dir, String name, int part, Compression compression) throws IOException {
      String file = name + (part == 0 ? "" : String.format("_%04d", part)) + ".tar" + compression.suffix();
      counter = new Counter(Files.newOutputStream(dir.resolve(file)));
      tar = new TarArchiveOutputStream(compression.compress(counter, CompressionLevel.LOW), "UTF-8");
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    void close() throws IOException {
      tar.close();
    }
  }

  private static final class Counter extends FilterOutputStream {
    long count;

    Counter(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }
  }

  private static String member(Path tar, String name) throws IOException {
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream tin = new TarArchiveInputStream(in, "UTF-8")) {
      TarArchiveEntry entry;
      while ((entry = tin.getNextEntry()) != null) {
        if (entry.getName().equals(name) || entry.getName().equals("./" + name)) {
          return new String(tin.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new IllegalStateException(tar + " has no " + name);
  }
}
