package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.Tablespace;
import org.barman4j.config.ServerConfig;
import org.barman4j.postgres.PostgresSession.Checkpoint;
import org.barman4j.testing.postgres.PostgresCluster;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups with {@code backup_method = postgres} of a real PostgreSQL 15 cluster with a tablespace, into
 * Barman's layout, read back by Debian's Barman 3.4; refusals, a copy killed mid-way, the backup lock, and
 * {@code switch-wal}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresBackupExecutorIT {

  private static final Path BARMAN = Path.of("/usr/bin/barman");
  private static final Path REAL_PG_BASEBACKUP = Path.of("/usr/lib/postgresql/15/bin/pg_basebackup");

  private Path home;
  private PostgresCluster pg;
  private Tablespace tablespace;
  private final List<String> printed = new ArrayList<>();

  @BeforeAll
  void startCluster() throws Exception {
    home = Files.createTempDirectory("barman-home");
    Path incoming = home.resolve("pg/incoming");
    Files.createDirectories(incoming);
    pg = PostgresCluster.builder()
        .archiveScript("cp \"$1\" '" + incoming + "'/\"$2\".tmp && mv '" + incoming + "'/\"$2\".tmp '" + incoming
            + "'/\"$2\"")
        .init();
    Path location = pg.tempDir().resolve("tblspc");
    Files.createDirectories(location);
    pg.execute("CREATE TABLESPACE ts1 LOCATION '" + location + "'");
    pg.execute("CREATE TABLE t (i int) TABLESPACE ts1; INSERT INTO t SELECT generate_series(1, 1000)");
    long oid = Long.parseLong(pg.queryValue("SELECT oid FROM pg_tablespace WHERE spcname = 'ts1'"));
    tablespace = new Tablespace("ts1", oid, location.toString());
  }

  @AfterAll
  void stopCluster() throws IOException {
    if (pg != null) {
      pg.close();
    }
    org.barman4j.server.internal.BackupFiles.deleteTree(home);
  }

  private Map<String, String> settings(String... extra) {
    Map<String, String> values = new HashMap<>();
    String conninfo = "host=127.0.0.1 port=" + pg.port() + " user=postgres dbname=postgres";
    values.put("conninfo", conninfo);
    values.put("streaming_conninfo", "host=127.0.0.1 port=" + pg.port() + " user=postgres");
    values.put("backup_method", "postgres");
    values.put("archiver", "True");
    values.put("backup_directory", home.resolve("pg").toString());
    for (int i = 0; i < extra.length; i += 2) {
      values.put(extra[i], extra[i + 1]);
    }
    return values;
  }

  private ServerConfig config(String... extra) {
    return new ServerConfig("pg", settings(extra));
  }

  private ServerDirectories directories() {
    return ServerDirectories.of(home, "pg");
  }

  /** Moves what archive_command left in incoming/ into wals/ and xlog.db: a stand-in for archive-wal. */
  private void archive() throws IOException {
    ServerDirectories d = directories();
    List<Path> files;
    try (Stream<Path> s = Files.list(d.incoming())) {
      files = s.sorted().toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (!WalFileName.isValid(name)) {
        continue;
      }
      Path target = d.walFile(WalFileName.parse(name));
      Files.createDirectories(target.getParent());
      Files.move(f, target);
      new XlogDb(d).append(List.of(XlogDb.describe(target)));
    }
  }

  private PostgresBackupExecutor.Builder executor(ServerConfig config) {
    return PostgresBackupExecutor.builder(config, directories()).archiveWal(this::archive)
        .listener(m -> printed.add(m.consoleText()));
  }

  private BackupRequest fastWaiting(ServerConfig config) {
    return BackupRequest.of(config).withCheckpoint(Checkpoint.IMMEDIATE).withWait(Duration.ofSeconds(60));
  }

  @Test
  void plainBackupWithATablespaceIsDoneAndReadByBarman() throws Exception {
    ServerConfig config = config();
    printed.clear();
    BackupInfo info = executor(config).build().backup(fastWaiting(config).withName("nightly"));

    assertThat(info.status()).as(String.join("\n", printed)).isEqualTo(BackupStatus.DONE);
    BackupInfo onDisk = new ServerBackups(directories()).read(info.backupId());
    assertThat(onDisk).isEqualTo(info);
    assertThat(onDisk.backupName()).contains("nightly");
    assertThat(onDisk.mode()).contains("postgres");
    assertThat(onDisk.serverName()).contains("pg");
    assertThat(onDisk.systemId()).contains(pg.queryValue("SELECT system_identifier::text FROM pg_control_system()"));
    assertThat(onDisk.version()).hasValue(Integer.parseInt(pg.queryValue("SHOW server_version_num")));
    assertThat(onDisk.tablespaces()).containsExactly(tablespace);
    assertThat(onDisk.compression()).isEmpty();
    assertThat(onDisk.backupLabel().orElseThrow()).contains("START WAL LOCATION: " + onDisk.beginXlog().orElseThrow()
        + " (file " + onDisk.beginWal().orElseThrow() + ")");
    assertThat(onDisk.endXlog().orElseThrow()).isGreaterThan(onDisk.beginXlog().orElseThrow());
    assertThat(onDisk.timeline()).hasValue(1);
    assertThat(onDisk.size().orElseThrow()).isPositive();
    assertThat(onDisk.deduplicatedSize()).isEqualTo(onDisk.size());
    assertThat(onDisk.copyStats().orElseThrow()).startsWith("{'copy_time': ");
    assertThat(onDisk.pgdata()).contains(pg.queryValue("SHOW data_directory"));
    assertThat(onDisk.configFile()).contains(pg.queryValue("SHOW config_file"));
    Path backup = directories().backup(info.backupId());
    assertThat(backup.resolve("data/backup_label")).exists();
    assertThat(backup.resolve("data/PG_VERSION")).exists();
    assertThat(backup.resolve(Long.toString(tablespace.oid()))).isDirectoryContaining(p -> p.getFileName().toString()
        .startsWith("PG_15_"));
    assertThat(Files.readString(directories().identityJson())).contains(onDisk.systemId().orElseThrow());
    assertThat(printed).contains(
        "Starting backup using postgres method for server pg in " + backup,
        "Starting backup copy via pg_basebackup for " + info.backupId(),
        "Finalising the backup.");
    // As Barman, the start printed is the server's location before the copy; backup.info has backup_label's.
    assertThat(printed).anyMatch(l -> l.matches("Backup start at LSN: [0-9A-F]+/[0-9A-F]+ \\([0-9A-F]{24}, [0-9A-F]{8}\\)"));
    assertThat(printed).anyMatch(l -> l.startsWith("Backup end at LSN: " + onDisk.endXlog().orElseThrow()));
    assertThat(printed).anyMatch(l -> l.startsWith("Backup completed (start time: "));
    assertThat(printed).noneMatch(l -> l.startsWith("ERROR"));

    Map<String, String> barmans = Barman34.showBackup(barmanConf(""), "pg", info.backupId().value());
    assertThat(barmans).containsEntry("status", "DONE").containsEntry("backup_name", "nightly")
        .containsEntry("begin_wal", onDisk.beginWal().orElseThrow())
        .containsEntry("end_wal", onDisk.endWal().orElseThrow());
  }

  @Test
  void gzipTarBackupWithATablespaceIsDoneAndReadByBarman() throws Exception {
    ServerConfig config = config("backup_compression", "gzip");
    printed.clear();
    BackupInfo info = executor(config).build().backup(fastWaiting(config));

    assertThat(info.status()).as(String.join("\n", printed)).isEqualTo(BackupStatus.DONE);
    assertThat(info.compression()).contains("gzip");
    Path data = directories().backup(info.backupId()).resolve("data");
    assertThat(data.resolve("base.tar.gz")).isRegularFile();
    assertThat(data.resolve(tablespace.oid() + ".tar.gz")).isRegularFile();
    assertThat(info.backupLabel().orElseThrow()).startsWith("START WAL LOCATION: ");
    assertThat(info.tablespaces()).containsExactly(tablespace);

    Map<String, String> barmans = Barman34.showBackup(barmanConf("backup_compression = gzip\n"), "pg",
        info.backupId().value());
    assertThat(barmans).containsEntry("status", "DONE");
  }

  @Test
  void aClusterWithAnotherSystemIdIsRefused() throws Exception {
    ServerDirectories d = directories();
    Files.createDirectories(d.backupDirectory());
    Path identity = d.identityJson();
    byte[] saved = Files.exists(identity) ? Files.readAllBytes(identity) : null;
    new ServerIdentity("7000000000000000001", "15").write(d);
    List<String> before = baseEntries();
    try {
      assertThatThrownBy(() -> executor(config()).build().backup(BackupRequest.of(config())))
          .isInstanceOf(BackupRefusedException.class)
          .hasMessageContaining("differs from the one stored in")
          .hasMessageContaining("7000000000000000001")
          .hasMessageNotContaining("\n");
      assertThat(baseEntries()).isEqualTo(before);
    } finally {
      if (saved != null) {
        Files.write(identity, saved);
      } else {
        Files.delete(identity);
      }
    }
  }

  @Test
  void missingOrOldPgBaseBackupIsRefused() throws Exception {
    Path empty = Files.createDirectories(home.resolve("empty-bin"));
    List<String> before = baseEntries();
    assertThatThrownBy(() -> executor(config()).pgBaseBackupSearchPath(List.of(empty)).build()
        .backup(BackupRequest.of(config())))
        .isInstanceOf(BackupRefusedException.class)
        .hasMessageStartingWith("pg_basebackup not found for server 'pg'")
        .hasMessageNotContaining("\n");

    Path old = Files.createDirectories(home.resolve("old-bin"));
    script(old.resolve("pg_basebackup"), "echo 'pg_basebackup (PostgreSQL) 13.4 (Debian 13.4-1)'");
    assertThatThrownBy(() -> executor(config()).pgBaseBackupSearchPath(List.of(old)).build()
        .backup(BackupRequest.of(config())))
        .isInstanceOf(BackupRefusedException.class)
        .hasMessageStartingWith("pg_basebackup 13.4 (" + old.resolve("pg_basebackup") + ") is older than PostgreSQL 15")
        .hasMessageNotContaining("\n");
    assertThat(baseEntries()).isEqualTo(before);
  }

  @Test
  void aCopyKilledMidwayIsFailedAndTheNextBackupIsDone() throws Exception {
    Path bin = Files.createDirectories(home.resolve("killing-bin"));
    // Answers --version like the real one; a copy is killed with SIGKILL one second in.
    script(bin.resolve("pg_basebackup"), "if [ \"$1\" = --version ]; then exec " + REAL_PG_BASEBACKUP + " --version; fi\n"
        + REAL_PG_BASEBACKUP + " \"$@\" & child=$!\nsleep 1\nkill -9 $child\nwait $child");
    ServerConfig slow = config("bandwidth_limit", "32");
    printed.clear();
    BackupInfo killed = executor(slow).pgBaseBackupSearchPath(List.of(bin)).build()
        .backup(BackupRequest.of(slow).withCheckpoint(Checkpoint.IMMEDIATE));

    assertThat(killed.status()).isEqualTo(BackupStatus.FAILED);
    assertThat(new ServerBackups(directories()).read(killed.backupId()).status()).isEqualTo(BackupStatus.FAILED);
    assertThat(killed.error().orElseThrow()).startsWith("failure copying files (data transfer failure on directory '");
    assertThat(printed).anyMatch(l -> l.startsWith("ERROR: Backup failed copying files.\nDETAILS: "));

    BackupInfo next = executor(config()).build().backup(fastWaiting(config()));
    assertThat(next.status()).isEqualTo(BackupStatus.DONE);
  }

  @Test
  void aBackupProcessKilledOutrightStaysStartedOneTerminatedIsFailedAndTheNextIsDone() throws Exception {
    BackupInfo killed = backupInChild(false);
    assertThat(killed.status()).isEqualTo(BackupStatus.STARTED);
    BackupInfo terminated = backupInChild(true);
    assertThat(terminated.status()).isEqualTo(BackupStatus.FAILED);
    assertThat(terminated.error()).contains("failure copying files (terminated)");
    BackupInfo next = executor(config()).build().backup(fastWaiting(config()));
    assertThat(next.status()).isEqualTo(BackupStatus.DONE);
    assertThat(new ServerBackups(directories()).read(killed.backupId()).status()).isEqualTo(BackupStatus.STARTED);
  }

  /** Starts a slow backup in another JVM, kills it (SIGTERM or SIGKILL) mid-copy, returns its backup.info. */
  private BackupInfo backupInChild(boolean gracefully) throws Exception {
    List<String> before = baseEntries();
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    String classpath = String.join(java.io.File.pathSeparator, location(BackupInChildMain.class),
        location(PostgresBackupExecutor.class), location(org.postgresql.Driver.class),
        location(org.slf4j.LoggerFactory.class), location(org.apache.commons.compress.archivers.tar.TarArchiveEntry.class));
    Process child = new ProcessBuilder(javaBin.toString(), "-cp", classpath, BackupInChildMain.class.getName(),
        home.toString(), Integer.toString(pg.port())).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        output.append(line).append('\n');
        if (line.startsWith("Starting backup copy via pg_basebackup")) {
          break;
        }
      }
      Thread.sleep(1000);
      List<ProcessHandle> copies = child.descendants().toList();
      assertThat(copies).as(output.toString()).isNotEmpty();
      if (gracefully) {
        child.destroy();
      } else {
        child.destroyForcibly();
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // A JVM killed outright cannot stop its pg_basebackup: the test does.
      copies.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle copy : copies) {
        copy.onExit().get(30, TimeUnit.SECONDS);
      }
    }
    List<String> after = new ArrayList<>(baseEntries());
    after.removeAll(before);
    assertThat(after).as(output.toString()).hasSize(1);
    return new ServerBackups(directories()).read(org.barman4j.catalog.BackupId.parse(after.get(0)));
  }

  private static String location(Class<?> type) throws java.net.URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void aSecondBackupWhileTheLockIsHeldIsRefused() throws Exception {
    Path lock = directories().backupLock();
    Files.createDirectories(lock.getParent());
    // Another process holds the server's backup lock (a POSIX record lock, as Barman4J takes it).
    Process holder = new ProcessBuilder("/usr/bin/python3", "-c",
        "import fcntl,sys,time\nf=open(sys.argv[1],'a')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('locked',flush=True)\n"
            + "time.sleep(60)", lock.toString()).start();
    try {
      assertThat(new String(holder.getInputStream().readNBytes(7), StandardCharsets.UTF_8)).isEqualTo("locked\n");
      List<String> before = baseEntries();
      assertThatThrownBy(() -> executor(config()).build().backup(BackupRequest.of(config())))
          .isInstanceOf(BackupRefusedException.class).hasMessage("Another backup process is running");
      assertThat(baseEntries()).isEqualTo(before);
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void switchWalClosesTheSegmentAndWaitsForItsArchiving() throws Exception {
    ServerConfig config = config();
    printed.clear();
    pg.execute("INSERT INTO t VALUES (1)");
    SwitchWal.Result r = new SwitchWal(config, directories(), this::archive, m -> printed.add(m.consoleText()))
        .run(new SwitchWal.Request(SwitchWal.Force.NO_CHECKPOINT, SwitchWal.Archive.WAIT, Duration.ofSeconds(30)));
    assertThat(r.outcome()).isEqualTo(SwitchWal.Outcome.SWITCHED);
    assertThat(r.archived()).isTrue();
    String wal = r.closedWal().orElseThrow();
    assertThat(directories().walFile(WalFileName.parse(wal))).exists();
    assertThat(printed).containsExactly("The WAL file " + wal + " has been closed on server 'pg'",
        "Waiting for the WAL file " + wal + " from server 'pg' (max: 30 seconds)");

    printed.clear();
    SwitchWal.Result again = new SwitchWal(config, directories(), this::archive, m -> printed.add(m.consoleText()))
        .run(new SwitchWal.Request(SwitchWal.Force.NO_CHECKPOINT, SwitchWal.Archive.NO_WAIT, Duration.ZERO));
    assertThat(again.outcome()).isEqualTo(SwitchWal.Outcome.NO_SWITCH_REQUIRED);
    assertThat(printed).containsExactly("No switch required for server 'pg'");

    SwitchWal.Result forced = new SwitchWal(config, directories(), this::archive, ServerListener.SILENT)
        .run(new SwitchWal.Request(SwitchWal.Force.CHECKPOINT_FIRST, SwitchWal.Archive.NO_WAIT, Duration.ZERO));
    assertThat(forced.outcome()).isEqualTo(SwitchWal.Outcome.SWITCHED);
  }

  @Test
  void theFieldsAreThoseBarmanWritesForTheSameCluster() throws Exception {
    org.assertj.core.api.Assumptions.assumeThat(Files.isExecutable(BARMAN)).as("Barman 3.4 is installed").isTrue();
    pg.execute("INSERT INTO t VALUES (2)");
    pg.switchWal();
    Thread.sleep(500);
    archive();
    List<String> before = baseEntries();
    Process p = new ProcessBuilder(BARMAN.toString(), "-c", barmanConf("").toString(), "backup", "--wait",
        "--wait-timeout", "60", "--immediate-checkpoint", "pg").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> after = new ArrayList<>(baseEntries());
    after.removeAll(before);
    assertThat(after).as(out).hasSize(1);
    Map<String, String> barmans = fields(directories().backupInfo(org.barman4j.catalog.BackupId.parse(after.get(0))));

    ServerConfig config = config();
    BackupInfo ours = executor(config).build().backup(fastWaiting(config));
    Map<String, String> ourFields = fields(directories().backupInfo(ours.backupId()));

    assertThat(ourFields.keySet()).isEqualTo(barmans.keySet());
    for (String same : List.of("status", "mode", "server_name", "systemid", "version", "xlog_segment_size", "pgdata",
        "config_file", "hba_file", "ident_file", "included_files", "tablespaces", "timeline", "compression", "error")) {
      assertThat(ourFields.get(same)).as(same).isEqualTo(barmans.get(same));
    }
    for (String key : barmans.keySet()) {
      assertThat(shape(ourFields.get(key))).as(key + ": " + ourFields.get(key) + " vs " + barmans.get(key))
          .isEqualTo(shape(barmans.get(key)));
    }
  }

  private static Map<String, String> fields(Path backupInfo) throws IOException {
    Map<String, String> fields = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(backupInfo)) {
      int eq = line.indexOf('=');
      fields.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return fields;
  }

  /** The value with digits and hex letters blurred, for comparing formats. */
  private static String shape(String value) {
    return value.length() > 200 ? "long" : value.replaceAll("[0-9A-F]", "9").replaceAll("9+", "9");
  }

  private List<String> baseEntries() throws IOException {
    if (!Files.isDirectory(directories().base())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(directories().base())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void script(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** A barman.conf for Barman 3.4 over the same barman_home, run as root. */
  private Path barmanConf(String serverExtra) throws IOException {
    Path conf = home.resolve("barman.conf");
    Files.writeString(conf, "[barman]\nbarman_home = " + home + "\nbarman_user = root\nlog_file = " + home
        + "/barman.log\n\n[pg]\ndescription = test\nconninfo = " + settings().get("conninfo")
        + "\nstreaming_conninfo = " + settings().get("streaming_conninfo") + "\nbackup_method = postgres\n"
        + "archiver = on\n" + serverExtra);
    return conf;
  }

  /** Debian's Barman 3.4 command. */
  static final class Barman34 {
    private Barman34() {}

    static Map<String, String> showBackup(Path conf, String server, String id) throws Exception {
      org.assertj.core.api.Assumptions.assumeThat(Files.isExecutable(BARMAN)).as("Barman 3.4 is installed").isTrue();
      Process p = new ProcessBuilder(BARMAN.toString(), "-c", conf.toString(), "-f", "json", "show-backup", server, id)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      Map<String, String> values = new HashMap<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([a-z_]+)\": (\"(?:[^\"\\\\]|\\\\.)*\"|[^,{}\\[\\]]+)")
          .matcher(out);
      while (m.find()) {
        String v = m.group(2).strip();
        values.putIfAbsent(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
      }
      assertThat(values).as(out).containsEntry("backup_id", id);
      return values;
    }
  }
}
