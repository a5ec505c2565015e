package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupId;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.compress.Compression;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time recovery on a real PostgreSQL 15 through the distribution's launchers: WAL archived
 * by {@code barman-cloud-wal-archive}, a base backup in barman-cloud's layout, {@code
 * barman-cloud-restore} with a target time, and a server that recovers through the {@code
 * restore_command} the restore wrote ({@code barman-cloud-wal-restore}). The backups are made by
 * {@code barman-cloud-backup} (split with {@code -S}), or from {@code pg_basebackup -Ft} by {@link
 * BaseBackupFixture} where the test needs two backups of exactly the same files.
 */
class RestoreOnPostgresIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(10);
  private static final int ROWS = 6;
  private static final int ROWS_BEFORE_TARGET = 3;

  @TempDir Path tmp;

  /** A primary archiving through the launcher, a backup, then one committed row a second. */
  private record History(Path store, String url, String target, String rowsBeforeTarget, List<BackupId> backups) {}

  private History history(PgBinaries pg, boolean withTablespace, Compression compression, long splitBytes)
      throws Exception {
    Path store = tmp.resolve("bucket");
    String url = "file://" + store;
    try (PostgresCluster primary = PostgresCluster.builder().binaries(pg)
        .archiveCommand(ToolRun.launcher("barman-cloud-wal-archive") + " --zstd " + url + " main %p")
        .init()) {
      String tablespaceClause = "";
      if (withTablespace) {
        Path ts = Files.createDirectories(tmp.resolve("ts_original"));
        primary.execute("create tablespace ts location '" + ts + "'");
        tablespaceClause = " tablespace ts";
      }
      primary.execute("create table t (id int primary key, at timestamptz not null, pad text)" + tablespaceClause);
      primary.execute("insert into t select -g, now(), repeat('x', 500) from generate_series(1, 20000) g");
      BaseBackupFixture.Taken taken = BaseBackupFixture.take(primary, tmp.resolve("basebackup"));
      List<BackupId> ids = new ArrayList<>();
      BackupId id = BackupId.of(java.time.LocalDateTime.now().withNano(0).minusSeconds(10));
      BaseBackupFixture.store(taken, id, store, "main", compression, Long.MAX_VALUE);
      ids.add(id);
      if (splitBytes != Long.MAX_VALUE) {
        BackupId split = BackupId.of(id.toLocalDateTime().plusSeconds(1));
        BaseBackupFixture.store(taken, split, store, "main", compression, splitBytes);
        ids.add(split);
      }
      List<Instant> commits = new ArrayList<>();
      for (int i = 1; i <= ROWS; i++) {
        Thread.sleep(1000);
        primary.execute("insert into t values (" + i + ", clock_timestamp(), 'row " + i + "')");
        String micros = primary.queryValue("select (extract(epoch from at) * 1000000)::bigint from t where id = " + i);
        commits.add(Instant.EPOCH.plusNanos(Long.parseLong(micros) * 1000));
      }
      primary.awaitArchived(primary.switchWal(), TIMEOUT);
      Instant between = commits.get(ROWS_BEFORE_TARGET - 1)
          .plusMillis(Duration.between(commits.get(ROWS_BEFORE_TARGET - 1), commits.get(ROWS_BEFORE_TARGET)).toMillis() / 2);
      String target = OffsetDateTime.ofInstant(between, ZoneOffset.UTC).toString(); // ISO 8601, e.g. ...T10:00:01.5Z
      String before = primary.queryValue("select string_agg(id::text, ',' order by id) from t where id > 0 and id <= "
          + ROWS_BEFORE_TARGET);
      assertThat(before).isEqualTo("1,2,3");
      return new History(store, url, target, before, ids);
    }
  }

  private static ToolResult restore(String... args) throws IOException, InterruptedException {
    return ToolRun.tool("barman-cloud-restore", args).timeout(TOOL_TIMEOUT).run();
  }

  private static ToolResult exec(String... command) throws IOException, InterruptedException {
    return ToolRun.command(List.of(command)).timeout(TOOL_TIMEOUT).run();
  }

  private static void assertRecoveredToTarget(PgBinaries pg, Path dataDir, String expectedRows, String tablespace)
      throws IOException {
    try (PostgresCluster restored = PostgresCluster.builder().binaries(pg).fromBaseBackup(dataDir)) {
      restored.awaitRecoveryEnd(TIMEOUT);
      assertThat(restored.queryValue("select string_agg(id::text, ',' order by id) from t where id > 0"))
          .as("exactly the rows committed before the target").isEqualTo(expectedRows);
      assertThat(restored.queryValue("select count(*) from t where id < 0")).isEqualTo("20000");
      assertThat(Files.readString(restored.serverLog()))
          .contains("restored log file")
          .contains("recovery stopping before commit");
      if (tablespace != null) {
        assertThat(restored.queryValue("select pg_tablespace_location(oid) from pg_tablespace where spcname = 'ts'"))
            .isEqualTo(tablespace);
        assertThat(restored.queryValue("select count(*) from pg_class c join pg_tablespace s on s.oid = c.reltablespace"
            + " where s.spcname = 'ts'")).isNotEqualTo("0");
      }
    }
  }

  @Test
  void recoveryToATargetTimeHoldsExactlyTheRowsCommittedBeforeIt() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    History h = history(pg, false, Compression.GZIP, Long.MAX_VALUE);
    Path dest = tmp.resolve("restored");

    ToolResult result = restore("--target-time", h.target(), "--target-action", "promote",
        h.url(), "main", "auto", dest.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(dest.resolve("recovery.signal")).isRegularFile();
    assertThat(Files.readString(dest.resolve("postgresql.auto.conf")))
        .contains("restore_command = '" + ToolRun.launcher("barman-cloud-wal-restore") + " " + h.url()
        + " main %f %p'");
    assertThat(Files.readString(dest.resolve("postgresql.conf"))).contains("\narchive_command = false\n");
    assertRecoveredToTarget(pg, dest, h.rowsBeforeTarget(), null);
  }

  @Test
  void aRelocatedTablespaceIsRestoredAtItsNewLocationAndRecoveredIntoIt() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    History h = history(pg, true, Compression.ZSTD, Long.MAX_VALUE);
    Path original = tmp.resolve("ts_original");
    Map<String, String> originalFiles = tree(original);
    Path relocated = tmp.resolve("ts_relocated");
    Path dest = tmp.resolve("restored");

    ToolResult result = restore("--tablespace", "ts:" + relocated, "--target-time", h.target(),
        "--target-action", "promote", h.url(), "main", h.backups().get(0).value(), dest.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    String oid = Files.list(dest.resolve("pg_tblspc")).findFirst().orElseThrow().getFileName().toString();
    assertThat(Files.readSymbolicLink(dest.resolve("pg_tblspc").resolve(oid))).isEqualTo(relocated);
    assertRecoveredToTarget(pg, dest, h.rowsBeforeTarget(), relocated.toString());
    assertThat(tree(original)).as("the original tablespace directory is untouched").isEqualTo(originalFiles);
  }

  @Test
  void aSplitBackupRestoresIdenticallyInParallelAndRecovers() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    // Parts of ~1 MiB compressed, as barman-cloud-backup -S 1MB would cut them (fixture: pg_basebackup's tar re-split).
    History h = history(pg, true, Compression.GZIP, 1 << 20);
    Path whole = tmp.resolve("whole");
    Path split = tmp.resolve("split");
    try (Stream<Path> parts = Files.list(h.store().resolve("main/base/" + h.backups().get(1).value()))) {
      assertThat(parts.filter(p -> p.getFileName().toString().startsWith("data_")).count())
          .as("the split backup has several data parts").isGreaterThanOrEqualTo(2);
    }

    Path tsWhole = tmp.resolve("whole-ts/ts");
    Path tsSplit = tmp.resolve("split-ts/ts");
    ToolResult a = restore("-J", "1", "--tablespace", "ts:" + tsWhole,
        h.url(), "main", h.backups().get(0).value(), whole.toString());
    ToolResult b = restore("-J", "3", "--tablespace", "ts:" + tsSplit, "--target-time", h.target(),
        "--target-action", "promote", "--no-recovery-conf", h.url(), "main", h.backups().get(1).value(), split.toString());
    assertThat(a.exitCode()).as(a.stderr()).isZero();
    assertThat(b.exitCode()).as("--target-action needs a recovery configuration: " + b.stderr()).isEqualTo(3);
    b = restore("-J", "3", "--tablespace", "ts:" + tsSplit, "--target-time", h.target(),
        "--no-recovery-conf", h.url(), "main", h.backups().get(1).value(), split.toString());
    assertThat(b.exitCode()).as(b.stderr()).isZero();

    // Everything is identical but the tablespace map, which points at each restore's own location.
    Map<String, String> splitTree = tree(split);
    Map<String, String> wholeTree = tree(whole);
    assertThat(splitTree.remove("tablespace_map")).isNotNull();
    assertThat(wholeTree.remove("tablespace_map")).isNotNull();
    assertThat(splitTree).isEqualTo(wholeTree);
    assertThat(tree(tsSplit)).isEqualTo(tree(tsWhole));
    assertThat(Files.readString(split.resolve("tablespace_map"))).endsWith(" " + tsSplit + "\n");

    // The split restore, given its recovery settings by hand, recovers like the others.
    Files.writeString(split.resolve("postgresql.auto.conf"),
        "restore_command = '" + ToolRun.launcher("barman-cloud-wal-restore") + " " + h.url() + " main %f %p'\n"
            // PostgreSQL refuses the ISO 8601 'T…Z' spelling here; the restore always writes its own form.
            + "recovery_target_time = '" + org.barman4j.recovery.RecoveryTarget.parseTime(h.target(), ZoneOffset.UTC).value()
            + "'\nrecovery_target_action = 'promote'\n",
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(split.resolve("recovery.signal"), "");
    assertRecoveredToTarget(pg, split, h.rowsBeforeTarget(), tsSplit.toString());
  }

  @Test
  void aSplitBarmanCloudBackupRestoresExactlyAsTarExtractsItAndRecoversToTheTarget() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    Path store = tmp.resolve("bucket");
    String url = "file://" + store;
    Path ts = Files.createDirectories(tmp.resolve("ts_original"));
    String target;
    Path backupDir;
    try (PostgresCluster primary = PostgresCluster.builder().binaries(pg)
        .archiveCommand(ToolRun.launcher("barman-cloud-wal-archive") + " --lz4 " + url + " main %p")
        .init()) {
      primary.execute("create tablespace ts location '" + ts + "'");
      primary.execute("create table t (id int primary key, at timestamptz not null, pad text) tablespace ts");
      primary.execute("insert into t select -g, now(), repeat('x', 500) from generate_series(1, 20000) g");
      primary.pgbench("-i", "-s", "3");
      String host = Files.exists(primary.tempDir().resolve(".s.PGSQL." + primary.port()))
          ? primary.tempDir().toString() : "127.0.0.1";
      ToolResult backup = exec(ToolRun.launcher("barman-cloud-backup").toString(), "--gzip", "-S", "1MB", "-J", "2",
          "--immediate-checkpoint", "-h", host, "-p", Integer.toString(primary.port()), "-U", "postgres", url, "main");
      assertThat(backup.exitCode()).as(backup.stderr()).isZero();
      try (Stream<Path> dirs = Files.list(store.resolve("main/base"))) {
        backupDir = dirs.findFirst().orElseThrow();
      }
      List<Instant> commits = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        Thread.sleep(1000);
        primary.execute("insert into t values (" + i + ", clock_timestamp(), 'row " + i + "')");
        commits.add(Instant.EPOCH.plusNanos(1000 * Long.parseLong(
            primary.queryValue("select (extract(epoch from at) * 1000000)::bigint from t where id = " + i))));
      }
      primary.awaitArchived(primary.switchWal(), TIMEOUT);
      target = OffsetDateTime.ofInstant(commits.get(1).plusMillis(
          Duration.between(commits.get(1), commits.get(2)).toMillis() / 2), ZoneOffset.UTC).toString();
    }
    List<String> parts;
    try (Stream<Path> files = Files.list(backupDir)) {
      parts = files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tar")).sorted().toList();
    }
    assertThat(parts).as("barman-cloud-backup -S 1MB split the data tar").contains("data_0001.tar.gz");
    String oid = parts.stream().filter(n -> !n.startsWith("data")).findFirst().orElseThrow().replaceAll("[._].*", "");

    // Our restore, all parts at once, against GNU tar extracting every part in turn.
    Path ours = tmp.resolve("ours");
    Path oursTs = tmp.resolve("ours-ts/ts");
    ToolResult plain = restore("-J", "4", "--tablespace", "ts:" + oursTs, url, "main", "latest", ours.toString());
    assertThat(plain.exitCode()).as(plain.stderr()).isZero();
    Path gnu = Files.createDirectories(tmp.resolve("gnu"));
    Path gnuTs = Files.createDirectories(tmp.resolve("gnu-ts/ts"));
    for (String part : parts) {
      Path into = part.startsWith("data") ? gnu : gnuTs;
      ToolResult tar = ToolRun.command(List.of("tar", "-xzpf", backupDir.resolve(part).toString(), "-C",
          into.toString())).stderrIntoStdout().timeout(TOOL_TIMEOUT).run();
      assertThat(tar.exitCode()).as(tar.stdout()).isZero();
    }
    Map<String, String> oursTree = tree(ours);
    Map<String, String> gnuTree = tree(gnu);
    assertThat(oursTree.remove("pg_tblspc/" + oid)).isEqualTo("-> ts");
    oursTree.remove("");
    gnuTree.remove("");
    assertThat(oursTree).hasSizeGreaterThan(500).isEqualTo(gnuTree);
    Map<String, String> oursTsTree = tree(oursTs);
    Map<String, String> gnuTsTree = tree(gnuTs);
    oursTsTree.remove("");
    gnuTsTree.remove("");
    assertThat(oursTsTree).isEqualTo(gnuTsTree).isNotEmpty();

    // And the same backup, restored with a target time, recovers to exactly that point.
    Path pitr = tmp.resolve("pitr");
    Path pitrTs = tmp.resolve("pitr-ts");
    ToolResult result = restore("-J", "3", "--tablespace", "ts:" + pitrTs, "--target-time", target,
        "--target-action", "promote", url, "main", backupDir.getFileName().toString(), pitr.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertRecoveredToTarget(pg, pitr, "1,2", pitrTs.toString());
  }

  @Test
  void badInputThroughTheLauncherGivesOneLineAndBarmansExitCode() throws Exception {
    PgBinaries.forTests(Assumptions::abort);
    Path store = Files.createDirectories(tmp.resolve("bucket/main/base"));
    String url = "file://" + tmp.resolve("bucket");
    ToolResult unknown = restore(url, "main", "20200101T000000", tmp.resolve("r").toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr()).isEqualTo("ERROR: Backup 20200101T000000 for server main does not exist\n");
    ToolResult badTime = restore("--target-time", "tomorrow", url, "main", "auto", tmp.resolve("r").toString());
    assertThat(badTime.exitCode()).isEqualTo(3);
    assertThat(badTime.stderr().lines()).hasSize(1);
    assertThat(store).isEmptyDirectory();
  }

  /** Relative path → mode, link target or content digest, for every entry under {@code root}. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          tree.put(rel, "-> " + Files.readSymbolicLink(p).getFileName());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          tree.put(rel, "dir " + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        } else {
          tree.put(rel, java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
              + " " + Files.getLastModifiedTime(p) + " " + digest(p));
        }
      }
    }
    return tree;
  }

  private static String digest(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      int n;
      while ((n = in.read(buffer)) > 0) {
        md.update(buffer, 0, n);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
