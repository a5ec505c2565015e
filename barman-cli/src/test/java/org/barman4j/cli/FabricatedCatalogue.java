package org.barman4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.catalog.Tablespace;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.server.ServerBackups;
import org.barman4j.server.ServerCatalogue;
import org.barman4j.server.ServerDirectories;
import org.barman4j.server.XlogDb;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentHeader;
import org.barman4j.wal.WalSegmentSize;

/**
 * A server's catalogue as Barman leaves it after some weeks: backups of every status (named, kept, with
 * tablespaces, failed, waiting for WAL, in progress), gzip-compressed WAL segments in {@code wals/} with a
 * {@code .backup} file per backup, and the {@code xlog.db} Barman rebuilds from them.
 */
final class FabricatedCatalogue {
  static final long SYSTEM_ID = 7318812823811184251L;
  static final ZoneOffset OFFSET = ZoneOffset.ofHours(1);
  /** The WAL segments archived: 000000010000000000000001 … 000000010000000000000010. */
  static final int SEGMENTS = 16;

  private FabricatedCatalogue() {}

  /** The backups, oldest first: id, status. */
  static final List<String> IDS = List.of("20261201T100000", "20261202T100000", "20261202T120000",
      "20261203T100000", "20261204T100000", "20261205T100000", "20261205T110000");

  /** The backup in progress (no {@code begin_wal} yet). */
  static final String STARTED = "20261205T110000";

  /**
   * The backups whose copy is done. (Barman 3.4's {@code list-files} on the others never ends: it generates WAL
   * names from {@code begin_wal} with no end.)
   */
  static final List<String> COPY_DONE = List.of("20261201T100000", "20261202T100000", "20261203T100000",
      "20261204T100000", "20261205T100000");

  static void create(ServerDirectories d) throws Exception {
    for (int i = 1; i <= SEGMENTS; i++) {
      WalFileName wal = WalFileName.segment(1, i, WalSegmentSize.DEFAULT);
      byte[] segment = new byte[(int) WalSegmentSize.DEFAULT.bytes()];
      byte[] header = WalSegmentHeader.of(wal, WalSegmentSize.DEFAULT, SYSTEM_ID).toBytes();
      System.arraycopy(header, 0, segment, 0, header.length);
      // some records' worth of varied bytes, so that segments compress differently
      for (int j = 0; j < i * 4096; j++) {
        segment[header.length + j] = (byte) ((j * 31 + i * 7) ^ (j >>> 5));
      }
      store(d, wal.name(), gzip(segment), 1796100000L + i * 600L);
    }
    BackupInfo b0 = done("20261201T100000", 2, 2, 1_000_000_000L).build();
    BackupInfo b1 = done("20261202T100000", 4, 5, 1_100_000_000L).backupName("first-full")
        .copyStats("{'copy_time': 125.25, 'analysis_time': 1.5, 'number_of_workers': 2, 'total_time': 130.0}")
        .build();
    BackupInfo b2 = BackupInfo.builder(BackupId.parse("20261202T120000")).status(BackupStatus.FAILED)
        .serverName("pg").mode("postgres").systemId(Long.toString(SYSTEM_ID)).version(150004)
        .pgdata("/srv/pg/data").beginTime(time("20261202T120000")).beginWal("000000010000000000000006")
        .beginXlog(new Lsn(0x6000028L)).beginOffset(40).timeline(1)
        .error("failure during backup (pg_basebackup exited with code 1)").build();
    BackupInfo b3 = done("20261203T100000", 7, 8, 1_234_567_890L).tablespaces(List.of(
        new Tablespace("tbs1", 16387, "/srv/tbs1"), new Tablespace("tbs2", 16388, "/srv/tbs2")))
        .copyStats("{'copy_time': 3600.5, 'total_time': 3601.0}").deduplicatedSize(234_567_890L).build();
    BackupInfo b4 = done("20261204T100000", 10, 10, 1_300_000_000L).backupName("nightly")
        .copyStats("{'copy_time': 0.4}").build();
    BackupInfo b5 = done("20261205T100000", 13, 14, 1_310_000_000L).status(BackupStatus.WAITING_FOR_WALS).build();
    BackupInfo b6 = BackupInfo.builder(BackupId.parse("20261205T110000")).status(BackupStatus.STARTED)
        .serverName("pg").mode("postgres").version(150004).pgdata("/srv/pg/data")
        .beginTime(time("20261205T110000")).build();
    ServerBackups backups = new ServerBackups(d);
    for (BackupInfo b : List.of(b0, b1, b2, b3, b4, b5, b6)) {
      backups.write(b);
      Path data = d.backup(b.backupId()).resolve("data");
      Files.createDirectories(data.resolve("global"));
      Files.createDirectories(data.resolve("base/1"));
      Files.createDirectories(data.resolve("pg_wal"));
      Files.writeString(data.resolve("PG_VERSION"), "15\n");
      Files.writeString(data.resolve("backup_label"), "START WAL LOCATION: 0/2000028\n");
      Files.write(data.resolve("global/pg_control"), new byte[8192]);
      Files.write(data.resolve("base/1/1259"), new byte[8192]);
      Files.write(data.resolve("base/1/112"), new byte[100]);
      if (b.beginWal().isPresent() && b.status().isCopyDone()) {
        String name = b.beginWal().get() + ".00000028.backup";
        store(d, name, ("START WAL LOCATION: 0/" + b.beginWal().get() + "\n").getBytes(StandardCharsets.US_ASCII),
            b.endTime().get().toEpochSecond());
      }
    }
    // a recovery from 20261204T100000 forked timeline 2, and one from timeline 2 timeline 3
    store(d, "00000002.history", gzip("1\t0/B000100\tno recovery target specified\n"
        .getBytes(StandardCharsets.US_ASCII)), 1796200000L);
    store(d, "00000003.history", ("1\t0/B000100\tno recovery target specified\n\n"
        + "2\t0/C000000\tbefore 2026-12-05 09:00:00+01\n").getBytes(StandardCharsets.US_ASCII), 1796200600L);
    new ServerCatalogue(d).keep(b1, KeepTarget.parse("full"));
    new XlogDb(d).rebuild();
  }

  private static BackupInfo.Builder done(String id, int beginSegment, int endSegment, long size) {
    WalFileName begin = WalFileName.segment(1, beginSegment, WalSegmentSize.DEFAULT);
    WalFileName end = WalFileName.segment(1, endSegment, WalSegmentSize.DEFAULT);
    OffsetDateTime start = time(id);
    return BackupInfo.builder(BackupId.parse(id)).status(BackupStatus.DONE).serverName("pg").mode("postgres")
        .systemId(Long.toString(SYSTEM_ID)).version(150004).pgdata("/srv/pg/data").timeline(1)
        .beginTime(start.plusNanos(193_230_000L)).endTime(start.plusMinutes(endSegment - beginSegment + 1)
            .plusNanos(516_084_000L))
        .beginWal(begin.name()).endWal(end.name()).beginXlog(new Lsn(((long) beginSegment << 24) + 0x28))
        .endXlog(new Lsn(((long) endSegment << 24) + 0x100)).beginOffset(40).endOffset(256).size(size)
        .configFile("/srv/pg/data/postgresql.conf").hbaFile("/srv/pg/data/pg_hba.conf")
        .identFile("/srv/pg/data/pg_ident.conf");
  }

  private static OffsetDateTime time(String id) {
    return OffsetDateTime.of(Integer.parseInt(id.substring(0, 4)), Integer.parseInt(id.substring(4, 6)),
        Integer.parseInt(id.substring(6, 8)), Integer.parseInt(id.substring(9, 11)),
        Integer.parseInt(id.substring(11, 13)), Integer.parseInt(id.substring(13, 15)), 0, OFFSET);
  }

  private static void store(ServerDirectories d, String name, byte[] content, long mtime) throws IOException {
    Path file = d.walFile(WalFileName.parse(name));
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(mtime, 250_000_000)));
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = Compression.GZIP.compress(bytes, CompressionLevel.MEDIUM)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }
}
