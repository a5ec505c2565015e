package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barman-cloud-backup} (the distribution's launcher) against a real PostgreSQL 15, into the local-disk
 * backend, with WAL archived by {@code barman-cloud-wal-archive}; the backups are restored with Barman 3.4's
 * own {@code barman-cloud-restore} (python3-barman, when installed) or GNU tar, and recovered with
 * {@code barman-cloud-wal-restore} as {@code restore_command}.
 */
class BackupOnPostgresIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  /** The interpreter Debian's python3-barman (Barman 3.4) is installed for. */
  private static final Path BARMAN_PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path tmp;

  private static ToolResult exec(String... command) throws IOException, InterruptedException {
    return ToolRun.command(List.of(command)).timeout(Duration.ofMinutes(5)).run();
  }

  /** The connection options for the cluster: its Unix socket directory when it has one there, else TCP. */
  private static List<String> connection(PostgresCluster pg) {
    if (Files.exists(pg.tempDir().resolve(".s.PGSQL." + pg.port()))) {
      return List.of("-h", pg.tempDir().toString(), "-p", Integer.toString(pg.port()), "-U", "postgres");
    }
    return List.of("-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", "postgres");
  }

  private static List<Path> backups(Path archive) throws IOException {
    Path base = archive.resolve("main/base");
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(base)) {
      return s.sorted().toList();
    }
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static BackupInfo info(Path backupDir) throws IOException {
    return BackupInfoFormat.read(new BackupId(backupDir.getFileName().toString()),
        Files.readAllBytes(backupDir.resolve("backup.info")));
  }

  private List<String> gnuTarList(Path tar) throws Exception {
    ToolResult r = exec("tar", "-tf", tar.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return Arrays.asList(r.stdout().split("\n"));
  }

  @Test
  void aGzipBackupWithATablespaceIsListedByGnuTarRestoredByBarmansOwnRestoreAndRecoversWithTheArchivedWal() throws Exception {
    PgBinaries bin = PgBinaries.forTests(Assumptions::abort);
    Path archive = tmp.resolve("archive");
    String url = "file://" + archive;
    Path walArchive = ToolRun.launcher("barman-cloud-wal-archive");
    Path walRestore = ToolRun.launcher("barman-cloud-wal-restore");
    Path backup = ToolRun.launcher("barman-cloud-backup");
    Path tsLocation = Files.createDirectories(tmp.resolve("ts1"));

    String accounts;
    String inTablespace;
    String oid;
    Path backupDir;
    try (PostgresCluster pg = PostgresCluster.builder().binaries(bin)
        .archiveCommand(walArchive + " --gzip " + url + " main %p")
        .init()) {
      pg.execute("CREATE TABLESPACE ts1 LOCATION '" + tsLocation + "'");
      pg.execute("CREATE TABLE far (id int, note text) TABLESPACE ts1;"
          + " INSERT INTO far SELECT g, md5(g::text) FROM generate_series(1, 20000) g");
      pg.pgbench("-i", "-s", "5");
      oid = pg.queryValue("SELECT oid FROM pg_tablespace WHERE spcname = 'ts1'");

      List<String> command = new ArrayList<>(List.of(backup.toString(), "--gzip", "-J", "2", "--immediate-checkpoint",
          "-n", "first-backup", "--tag", "team,db"));
      command.addAll(connection(pg));
      command.addAll(List.of(url, "main"));
      ToolResult r = exec(command.toArray(String[]::new));
      assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isZero();
      assertThat(r.stdout()).isEmpty();

      List<Path> all = backups(archive);
      assertThat(all).hasSize(1);
      backupDir = all.get(0);
      assertThat(fileNames(backupDir)).containsExactly(oid + ".tar.gz", "backup.info", "data.tar.gz");
      BackupInfo info = info(backupDir);
      assertThat(info.status()).isEqualTo(BackupStatus.DONE);
      assertThat(info.serverName()).contains("cloud");
      assertThat(info.backupName()).contains("first-backup");
      assertThat(info.systemId()).contains(pg.queryValue("SELECT system_identifier FROM pg_control_system()"));
      assertThat(info.version()).hasValue(Integer.parseInt(pg.queryValue("SHOW server_version_num")));
      assertThat(info.timeline()).hasValue(1);
      assertThat(info.pgdata()).contains(pg.queryValue("SHOW data_directory"));
      assertThat(info.tablespaces()).singleElement().satisfies(t -> {
        assertThat(t.name()).isEqualTo("ts1");
        assertThat(t.oid()).isEqualTo(Long.parseLong(oid));
        assertThat(t.location()).isEqualTo(tsLocation.toString());
      });
      String beginWal = info.beginWal().orElseThrow();
      String endWal = info.endWal().orElseThrow();
      assertThat(beginWal).isEqualTo(pg.queryValue("SELECT pg_walfile_name('" + info.beginXlog().orElseThrow() + "')"));
      assertThat(endWal.compareTo(beginWal)).isNotNegative();
      assertThat(info.backupLabel().orElseThrow()).contains("START WAL LOCATION: " + info.beginXlog().orElseThrow())
          .contains("LABEL: Barman backup cloud " + backupDir.getFileName());
      // pg_backup_stop waited for the archiver: the end segment is in the archive already
      assertThat(archive.resolve("main/wals/" + endWal.substring(0, 16) + "/" + endWal + ".gz")).isRegularFile();
      assertThat(pg.queryValue("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'barman_cloud_backup'"))
          .isEqualTo("0");

      List<String> members = gnuTarList(backupDir.resolve("data.tar.gz"));
      assertThat(members.get(0)).isEqualTo("./");
      assertThat(members.get(members.size() - 1)).isEqualTo("backup_label");
      assertThat(members).contains("./PG_VERSION", "global/pg_control", "pg_wal/", "pg_tblspc/")
          .doesNotContain("./postmaster.pid", "./postmaster.opts")
          .noneMatch(m -> m.startsWith("pg_wal/0"));
      assertThat(gnuTarList(backupDir.resolve(oid + ".tar.gz"))).allMatch(m -> m.startsWith("PG_15_"));

      // changes after the backup must come from the WAL archive
      pg.pgbench("-c", "2", "-t", "200", "-n");
      pg.execute("INSERT INTO far SELECT g, 'later' FROM generate_series(20001, 20100) g");
      pg.awaitArchived(pg.switchWal(), TIMEOUT);
      accounts = pg.queryValue("SELECT sum(abalance) || '/' || count(*) FROM pgbench_accounts");
      inTablespace = pg.queryValue("SELECT count(*) FROM far");
    }

    Path restored = tmp.resolve("restored");
    Path tsRestored = tmp.resolve("ts1-restored");
    if (barmanAvailable()) {
      // Barman 3.4's own barman-cloud-restore (python3-barman): it picks the tars by suffix, extracts them
      // with Python's tarfile, relocates the tablespace and links it.
      ToolResult x = barmanCloudRestore(archive, backupDir, restored, "--tablespace", "ts1:" + tsRestored);
      assertThat(x.exitCode()).as("Barman's barman-cloud-restore: %s", x.stderr()).isZero();
      assertThat(restored.resolve("pg_tblspc").resolve(oid)).isSymbolicLink();
      assertThat(Files.readSymbolicLink(restored.resolve("pg_tblspc").resolve(oid))).isEqualTo(tsRestored);
    } else {
      Files.createDirectories(restored);
      Files.createDirectories(tsRestored);
      assertThat(exec("tar", "-xzf", backupDir.resolve("data.tar.gz").toString(), "-C", restored.toString()).exitCode()).isZero();
      assertThat(exec("tar", "-xzf", backupDir.resolve(oid + ".tar.gz").toString(), "-C", tsRestored.toString()).exitCode()).isZero();
      // what barman-cloud-restore does: the tablespace link from backup.info
      Files.createSymbolicLink(restored.resolve("pg_tblspc").resolve(oid), tsRestored);
    }
    assertThat(Files.readString(restored.resolve("backup_label"), StandardCharsets.UTF_8))
        .isEqualTo(info(backupDir).backupLabel().orElseThrow());
    try (PostgresCluster copy = PostgresCluster.builder().binaries(bin)
        .restoreCommand(walRestore + " " + url + " main %f %p")
        .fromBaseBackup(restored)) {
      copy.awaitRecoveryEnd(TIMEOUT);
      assertThat(copy.queryValue("SELECT sum(abalance) || '/' || count(*) FROM pgbench_accounts")).isEqualTo(accounts);
      assertThat(copy.queryValue("SELECT count(*) FROM far")).isEqualTo(inTablespace).isEqualTo("20100");
    }
  }

  @Test
  void aSmallMaximumArchiveSizeSplitsTheBackupIntoPartsThatTogetherRestore() throws Exception {
    PgBinaries bin = PgBinaries.forTests(Assumptions::abort);
    Path archive = tmp.resolve("archive");
    Path gzipArchive = tmp.resolve("gzip-backups");
    String url = "file://" + archive;
    Path backup = ToolRun.launcher("barman-cloud-backup");
    Path walRestore = ToolRun.launcher("barman-cloud-wal-restore");
    String accounts;
    Path backupDir;
    try (PostgresCluster pg = PostgresCluster.builder().binaries(bin)
        .archiveCommand(ToolRun.launcher("barman-cloud-wal-archive") + " " + url + " main %p")
        .init()) {
      pg.pgbench("-i", "-s", "1");
      accounts = pg.queryValue("SELECT sum(abalance) || '/' || count(*) FROM pgbench_accounts");
      List<String> command = new ArrayList<>(List.of(backup.toString(), "--zstd", "-S", "2MB", "-J", "1",
          "--immediate-checkpoint"));
      command.addAll(connection(pg));
      command.addAll(List.of(url, "main"));
      ToolResult r = exec(command.toArray(String[]::new));
      assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isZero();
      backupDir = backups(archive).get(0);

      List<String> gzip = new ArrayList<>(List.of(backup.toString(), "--gzip", "-S", "1MB", "-J", "2",
          "--immediate-checkpoint"));
      gzip.addAll(connection(pg));
      gzip.addAll(List.of("file://" + gzipArchive, "main"));
      ToolResult g = exec(gzip.toArray(String[]::new));
      assertThat(g.exitCode()).as("stderr: %s", g.stderr()).isZero();
    }
    Path gzipDir = backups(gzipArchive).get(0);
    assertThat(fileNames(gzipDir)).contains("data.tar.gz", "data_0001.tar.gz", "data_0002.tar.gz", "backup.info");
    if (barmanAvailable()) {
      // Barman 3.4's restore finds the additional parts by name and extracts them all into PGDATA
      Path byBarman = tmp.resolve("restored-by-barman");
      ToolResult x = barmanCloudRestore(gzipArchive, gzipDir, byBarman);
      assertThat(x.exitCode()).as("Barman's barman-cloud-restore: %s", x.stderr()).isZero();
      try (PostgresCluster copy = PostgresCluster.builder().binaries(bin)
          .restoreCommand(walRestore + " " + url + " main %f %p")
          .fromBaseBackup(byBarman)) {
        copy.awaitRecoveryEnd(TIMEOUT);
        assertThat(copy.queryValue("SELECT sum(abalance) || '/' || count(*) FROM pgbench_accounts")).isEqualTo(accounts);
      }
    }

    List<String> names = fileNames(backupDir);
    assertThat(names).contains("data.tar.zst", "data_0001.tar.zst", "data_0002.tar.zst", "backup.info");
    assertThat(info(backupDir).status()).isEqualTo(BackupStatus.DONE);
    Path restored = Files.createDirectories(tmp.resolve("restored"));
    List<String> allMembers = new ArrayList<>();
    for (String name : names) {
      if (name.startsWith("data")) {
        Path part = backupDir.resolve(name);
        assertThat(Files.size(part)).as(name).isLessThan(2L * 1024 * 1024 + 9 * 1024 * 1024);
        allMembers.addAll(gnuTarList(part));
        ToolResult x = exec("tar", "--zstd", "-xf", part.toString(), "-C", restored.toString());
        assertThat(x.exitCode()).as(x.stderr()).isZero();
      }
    }
    assertThat(allMembers).doesNotHaveDuplicates().contains("global/pg_control");
    assertThat(allMembers.get(allMembers.size() - 1)).isEqualTo("backup_label");
    try (PostgresCluster copy = PostgresCluster.builder().binaries(bin)
        .restoreCommand(walRestore + " " + url + " main %f %p")
        .fromBaseBackup(restored)) {
      copy.awaitRecoveryEnd(TIMEOUT);
      assertThat(copy.queryValue("SELECT sum(abalance) || '/' || count(*) FROM pgbench_accounts")).isEqualTo(accounts);
    }
  }

  @Test
  void aBackupKilledMidUploadLeavesNoBackupAndTheNextOneSucceeds() throws Exception {
    PgBinaries bin = PgBinaries.forTests(Assumptions::abort);
    // WAL goes elsewhere, so that the only uploads in the backups' store are the backup's own
    Path archive = tmp.resolve("backups");
    String url = "file://" + archive;
    Path backup = ToolRun.launcher("barman-cloud-backup");
    try (PostgresCluster pg = PostgresCluster.builder().binaries(bin)
        .archiveCommand(ToolRun.launcher("barman-cloud-wal-archive") + " file://" + tmp.resolve("wal") + " main %p")
        .init()) {
      pg.pgbench("-i", "-s", "5");
      List<String> command = new ArrayList<>(List.of(backup.toString(), "--max-bandwidth", "8MB", "-J", "1",
          "--immediate-checkpoint"));
      command.addAll(connection(pg));
      command.addAll(List.of(url, "main"));
      ToolRun.Running p = ToolRun.command(command).stderrIntoStdout().timeout(Duration.ofSeconds(30)).start();
      // wait until the upload has begun: a temporary file appears in the backend's incoming directory
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && !uploading(archive.resolve(".incoming"))) {
        Thread.sleep(50);
      }
      assertThat(uploading(archive.resolve(".incoming"))).as("upload started").isTrue();
      Thread.sleep(1000);
      assertThat(p.process().isAlive()).as("still uploading (throttled)").isTrue();
      p.process().destroyForcibly(); // the launcher exec'd java: this is SIGKILL to the JVM
      assertThat(p.finish().exitCode()).isEqualTo(137);

      // nothing visible: no backup.info, no tar, whatever is left is in the hidden incoming directory
      for (Path dir : backups(archive)) {
        assertThat(fileNames(dir)).as("objects of the killed backup").isEmpty();
      }
      // the server dropped the killed session's backup
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < waitUntil && !pg.queryValue(
          "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'barman_cloud_backup'").equals("0")) {
        Thread.sleep(100);
      }

      List<String> again = new ArrayList<>(List.of(backup.toString(), "--lz4", "--immediate-checkpoint"));
      again.addAll(connection(pg));
      again.addAll(List.of(url, "main"));
      ToolResult r = exec(again.toArray(String[]::new));
      assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isZero();
      List<Path> done = new ArrayList<>();
      for (Path dir : backups(archive)) {
        if (Files.exists(dir.resolve("backup.info"))) {
          done.add(dir);
        }
      }
      assertThat(done).hasSize(1);
      assertThat(fileNames(done.get(0))).containsExactly("backup.info", "data.tar.lz4");
      assertThat(info(done.get(0)).status()).isEqualTo(BackupStatus.DONE);
      assertThat(exec("lz4", "-t", done.get(0).resolve("data.tar.lz4").toString()).exitCode()).isZero();
    }
  }

  @Test
  void anUnreachableServerIsExitCodeOneAndWritesNothing() throws Exception {
    Path archive = tmp.resolve("archive");
    ToolResult r = exec(ToolRun.launcher("barman-cloud-backup").toString(), "-h", "127.0.0.1", "-p", "1", "-U",
        "postgres", "file://" + archive, "main");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("Cannot connect to postgres");
    assertThat(archive).doesNotExist();
  }

  private static boolean barmanAvailable() {
    return Files.isRegularFile(BARMAN_PYTHON) && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/barman"));
  }

  /** Runs Barman's barman-cloud-restore with a local directory standing in for the bucket (only the transport differs). */
  private ToolResult barmanCloudRestore(Path root, Path backupDir, Path target, String... options) throws Exception {
    Path script = tmp.resolve("barman34_cloud_restore.py");
    if (!Files.exists(script)) {
      try (InputStream in = BackupOnPostgresIT.class.getResourceAsStream("barman34_cloud_restore.py")) {
        Files.copy(in, script);
      }
    }
    List<String> command = new ArrayList<>(List.of(BARMAN_PYTHON.toString(), script.toString(), root.toString(), "main",
        backupDir.getFileName().toString(), target.toString()));
    command.addAll(List.of(options));
    return exec(command.toArray(String[]::new));
  }

  private static boolean uploading(Path incoming) throws IOException {
    if (!Files.isDirectory(incoming)) {
      return false;
    }
    try (Stream<Path> s = Files.list(incoming)) {
      return s.anyMatch(f -> {
        try {
          return Files.size(f) > 0;
        } catch (IOException e) {
          return false;
        }
      });
    }
  }
}
