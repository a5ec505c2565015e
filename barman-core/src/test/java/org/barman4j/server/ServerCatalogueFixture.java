package org.barman4j.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.Tablespace;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.testing.postgres.PostgresCluster;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentSize;

/**
 * A server catalogue in Barman's layout made by hand for recovery tests: PostgreSQL archives with {@code cp}
 * into {@code incoming/}, {@link #archiveIncoming()} moves the files into {@code wals/} gzip-compressed and
 * appends {@code xlog.db}, and {@link #backup(PostgresCluster, String)} takes a plain {@code pg_basebackup}
 * into {@code base/ID/data} and writes its {@code backup.info}. The real archiver and backup live elsewhere;
 * this keeps the recovery's tests independent of them.
 */
final class ServerCatalogueFixture {
  final Path home;
  final ServerDirectories dirs;

  ServerCatalogueFixture(Path home, String server) throws IOException {
    this.home = home;
    this.dirs = ServerDirectories.of(home, server);
    for (Path d : List.of(dirs.base(), dirs.wals(), dirs.incoming(), dirs.errors(), dirs.streaming())) {
      Files.createDirectories(d);
    }
  }

  /** The archive script for {@link PostgresCluster.Builder#archiveScript(String)}. */
  String archiveScript() {
    return "test ! -f '" + dirs.incoming() + "'/\"$2\" && cp \"$1\" '" + dirs.incoming() + "'/\"$2\".tmp"
        + " && mv '" + dirs.incoming() + "'/\"$2\".tmp '" + dirs.incoming() + "'/\"$2\"";
  }

  /** Moves everything in incoming/ into wals/, gzip-compressed, in name order, and appends xlog.db. */
  void archiveIncoming() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dirs.incoming())) {
      files = s.filter(p -> WalFileName.isValid(p.getFileName().toString())).sorted().toList();
    }
    List<XlogDbEntry> entries = new ArrayList<>();
    for (Path f : files) {
      Path stored = dirs.walFile(WalFileName.parse(f.getFileName().toString()));
      Files.createDirectories(stored.getParent());
      try (OutputStream out = Compression.GZIP.compress(Files.newOutputStream(stored), CompressionLevel.LOW)) {
        Files.copy(f, out);
      }
      Files.setLastModifiedTime(stored, Files.getLastModifiedTime(f));
      entries.add(XlogDb.describe(stored));
      Files.delete(f);
    }
    new XlogDb(dirs).append(entries);
  }

  /** Takes a plain base backup of {@code pg} with {@code pg_basebackup -X none} and records it DONE. */
  BackupInfo backup(PostgresCluster pg, String name) throws IOException {
    return backup(pg, name, false);
  }

  /**
   * Takes a base backup of {@code pg} with {@code pg_basebackup -X none}, plain with its tablespaces mapped
   * to {@code base/ID/OID} as Barman maps them, or in tar format gzip-compressed ({@code
   * backup_compression = gzip}), and records it DONE.
   */
  BackupInfo backup(PostgresCluster pg, String name, boolean tarGzip) throws IOException {
    BackupId id = BackupId.now(Clock.systemDefaultZone());
    while (Files.exists(dirs.backup(id))) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      id = BackupId.now(Clock.systemDefaultZone());
    }
    Path data = dirs.backup(id).resolve("data");
    Files.createDirectories(data.getParent());
    List<Tablespace> tablespaces = new ArrayList<>();
    List<String> args = new ArrayList<>(List.of("-X", "none"));
    for (String row : pg.queryValue("select coalesce(string_agg(spcname || '|' || oid || '|' "
        + "|| pg_tablespace_location(oid), ';'), '') from pg_tablespace where spcname not like 'pg\\_%'").split(";")) {
      if (!row.isEmpty()) {
        String[] f = row.split("\\|");
        tablespaces.add(new Tablespace(f[0], Long.parseLong(f[1]), f[2]));
        if (!tarGzip) {
          args.add("--tablespace-mapping=" + f[2] + "=" + dirs.backup(id).resolve(f[1]));
        }
      }
    }
    if (tarGzip) {
      args.addAll(List.of("-F", "tar", "-z"));
    }
    OffsetDateTime begin = OffsetDateTime.now();
    var result = pg.baseBackup(data, args.toArray(String[]::new));
    if (!result.succeeded()) {
      throw new IOException("pg_basebackup failed: " + result);
    }
    OffsetDateTime end = OffsetDateTime.now();
    String label = tarGzip ? labelFromTar(data.resolve("base.tar.gz")) : Files.readString(data.resolve("backup_label"));
    String manifest = Files.readString(data.resolve("backup_manifest"));
    Matcher start = Pattern.compile("START WAL LOCATION: (\\S+) \\(file (\\S+)\\)").matcher(label);
    Matcher tli = Pattern.compile("START TIMELINE: (\\d+)").matcher(label);
    Matcher endLsn = Pattern.compile("\"End-LSN\": \"([^\"]+)\"").matcher(manifest);
    if (!start.find() || !tli.find() || !endLsn.find()) {
      throw new IOException("cannot read backup_label/backup_manifest of " + id);
    }
    int timeline = Integer.parseInt(tli.group(1));
    Lsn endXlog = Lsn.parse(endLsn.group(1));
    WalSegmentSize size = new WalSegmentSize(16L << 20);
    WalFileName endWal = WalFileName.segment(timeline, endXlog.value() / size.bytes(), size);
    BackupInfo info = BackupInfo.builder(id)
        .status(BackupStatus.DONE)
        .serverName(dirs.serverName())
        .backupName(name)
        .backupLabel(label)
        .beginTime(begin)
        .endTime(end)
        .beginWal(start.group(2))
        .beginXlog(Lsn.parse(start.group(1)))
        .beginOffset(Lsn.parse(start.group(1)).value() % size.bytes())
        .endWal(endWal.name())
        .endXlog(endXlog)
        .endOffset(endXlog.value() % size.bytes())
        .timeline(timeline)
        .version(Integer.parseInt(pg.queryValue("show server_version_num")))
        .systemId(pg.queryValue("select system_identifier::text from pg_control_system()"))
        .pgdata(pg.dataDir().toString())
        .configFile(pg.dataDir().resolve("postgresql.conf").toString())
        .hbaFile(pg.dataDir().resolve("pg_hba.conf").toString())
        .identFile(pg.dataDir().resolve("pg_ident.conf").toString())
        .mode("postgres")
        .tablespaces(tablespaces)
        .size(0)
        .deduplicatedSize(0)
        .xlogSegmentSize(size.bytes())
        .build();
    if (tarGzip) {
      info = info.toBuilder().compression("gzip").build();
    }
    new ServerBackups(dirs).write(info);
    return info;
  }

  private static String labelFromTar(Path tar) throws IOException {
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
        Compression.GZIP.decompress(Files.newInputStream(tar)))) {
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals("backup_label")) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new IOException("no backup_label in " + tar);
  }

  /** Writes a barman.conf for Barman 3.4 describing this catalogue. */
  Path barmanConf(PostgresCluster pg) throws IOException {
    Path conf = home.resolve("barman.conf");
    Files.writeString(conf, String.join("\n",
        "[barman]",
        "barman_home = " + home,
        "barman_user = root",
        "log_file = " + home.resolve("barman.log"),
        "",
        "[" + dirs.serverName() + "]",
        "description = recovery fixture",
        "conninfo = host=127.0.0.1 port=" + pg.port() + " user=postgres dbname=postgres",
        "streaming_conninfo = host=127.0.0.1 port=" + pg.port() + " user=postgres",
        "backup_method = postgres",
        "archiver = on",
        ""), StandardCharsets.UTF_8);
    return conf;
  }
}
