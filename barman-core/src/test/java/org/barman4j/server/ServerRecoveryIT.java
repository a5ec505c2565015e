package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.recovery.RecoveryException;
import org.barman4j.recovery.RecoveryTarget;
import org.barman4j.recovery.TargetAction;
import org.barman4j.recovery.TargetTimeline;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barman recover} on real PostgreSQL 15: a catalogue in Barman's layout with a plain backup and
 * archived WAL, three rows committed before a target time and three after.
 */
class ServerRecoveryIT {
  private static final String SERVER = "pg";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path tmp;
  static PostgresCluster origin;
  static ServerCatalogueFixture catalogue;
  static BackupInfo backup;
  static String targetTime;

  @BeforeAll
  static void catalogueWithBackupAndTimestampedRows() throws Exception {
    catalogue = new ServerCatalogueFixture(Files.createDirectories(tmp.resolve("barman")), SERVER);
    origin = PostgresCluster.builder().archiveScript(catalogue.archiveScript()).init();
    origin.execute("create table t(id int primary key, ts timestamptz not null default clock_timestamp())");
    backup = catalogue.backup(origin, "first");
    for (int i = 1; i <= 3; i++) {
      origin.execute("insert into t(id) values (" + i + ")");
    }
    Thread.sleep(1100);
    targetTime = origin.queryValue(
        "select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00'");
    Thread.sleep(1100);
    for (int i = 4; i <= 6; i++) {
      origin.execute("insert into t(id) values (" + i + ")");
    }
    origin.awaitArchived(origin.switchWal(), TIMEOUT);
    catalogue.archiveIncoming();
  }

  @AfterAll
  static void stopOrigin() {
    if (origin != null) {
      origin.close();
    }
  }

  private static ServerRecovery recovery() {
    return new ServerRecovery(catalogue.dirs, "barman", Clock.systemDefaultZone());
  }

  private static RecoverOptions.Builder toTarget(Path dest) {
    return RecoverOptions.builder(dest)
        .target(RecoveryTarget.parseTime(targetTime, ZoneOffset.UTC))
        .targetAction(TargetAction.PROMOTE);
  }

  private static String rows(PostgresCluster pg) {
    return pg.queryValue("select string_agg(id::text, ',' order by id) from t");
  }

  @Test
  void aTargetTimeRecoveryIntoAnEmptyDirectoryHasExactlyTheRowsCommittedBeforeIt() throws Exception {
    Path dest = tmp.resolve("pitr");
    List<String> out = new ArrayList<>();
    RecoveryResult result = recovery().recover(backup, toTarget(dest).build(), out::add);

    assertThat(out).startsWith("Starting local restore for server pg using backup " + backup.backupId().value(),
        "Destination directory: " + dest, "Doing PITR. Recovery target time: '" + targetTime + "'");
    assertThat(out).contains("Copying the base backup.", "Copying required WAL segments.",
        "Generating recovery configuration", "Identify dangerous settings in destination directory.");
    assertThat(result.consoleLines()).last().isEqualTo(RecoveryResult.SUCCESS);
    assertThat(result.walFiles()).contains(backup.beginWal().orElseThrow());
    String auto = Files.readString(dest.resolve("postgresql.auto.conf"));
    assertThat(auto).endsWith("restore_command = 'cp barman_wal/%f %p'\n"
        + "recovery_end_command = 'rm -fr barman_wal'\n"
        + "recovery_target_time = '" + targetTime + "'\n"
        + "recovery_target_action = 'promote'\n");
    assertThat(dest.resolve("recovery.signal")).exists();
    assertThat(dest.resolve(".barman-recover.info")).exists();
    assertThat(dest.resolve("backup_manifest." + backup.backupId().value())).exists();
    assertThat(Files.readString(dest.resolve("postgresql.conf"))).contains("archive_command = false");
    try (PostgresCluster restored = PostgresCluster.builder().fromBaseBackup(dest)) {
      restored.awaitRecoveryEnd(TIMEOUT);
      assertThat(rows(restored)).isEqualTo("1,2,3");
    }
  }

  @Test
  void aRecoveryIntoAnExistingDirectoryCopiesWhatDiffersAndRemovesUnknownFiles() throws Exception {
    Path dest = tmp.resolve("resync");
    recovery().recover(backup, toTarget(dest).build(), line -> { });
    PostgresCluster restored = PostgresCluster.builder().fromBaseBackup(dest);
    try {
      restored.awaitRecoveryEnd(TIMEOUT);
      assertThat(rows(restored)).isEqualTo("1,2,3");
      restored.execute("insert into t(id) values (100)");
      restored.stop();
      List<String> testkitConf = testkitLines(dest.resolve("postgresql.conf"));
      Files.writeString(dest.resolve("unknown-file"), "left over");
      Object versionInode = Files.getAttribute(dest.resolve("PG_VERSION"), "unix:ino");

      // No target: every archived WAL goes into pg_wal and crash recovery replays it all.
      recovery().recover(backup, RecoverOptions.builder(dest).build(), line -> { });

      assertThat(dest.resolve("unknown-file")).doesNotExist();
      assertThat(dest.resolve("recovery.signal")).doesNotExist();
      assertThat(Files.getAttribute(dest.resolve("PG_VERSION"), "unix:ino")).isEqualTo(versionInode);
      assertThat(dest.resolve("pg_wal").resolve(backup.beginWal().orElseThrow())).exists();
      restored.appendConf(testkitConf.toArray(String[]::new));
      restored.start();
      restored.awaitRecoveryEnd(TIMEOUT);
      assertThat(rows(restored)).isEqualTo("1,2,3,4,5,6");
    } finally {
      restored.close();
    }
  }

  @Test
  void aDirectoryHoldingARunningServerIsRefusedAndLeftAlone() throws Exception {
    Path before = origin.dataDir().resolve("postgresql.conf");
    String conf = Files.readString(before);
    assertThatThrownBy(() -> recovery().recover(backup, RecoverOptions.builder(origin.dataDir()).build(), l -> { }))
        .isInstanceOf(RecoveryException.class)
        .hasMessageStartingWith("The destination directory '" + origin.dataDir() + "' holds a running PostgreSQL server");
    assertThat(Files.readString(before)).isEqualTo(conf);
    assertThat(origin.isRunning()).isTrue();
  }

  @Test
  void aTargetTimeBeforeTheBackupEndIsRefusedWithBarmansMessage() {
    Path dest = tmp.resolve("too-early");
    RecoverOptions options = RecoverOptions.builder(dest)
        .target(new RecoveryTarget.Time(backup.endTime().orElseThrow().minusSeconds(1))).build();
    assertThatThrownBy(() -> recovery().recover(backup, options, l -> { }))
        .isInstanceOf(RecoveryException.class)
        .hasMessageStartingWith("The requested target time ")
        .hasMessageContaining(" is before the backup end time ");
    assertThat(dest).doesNotExist();
  }

  @Test
  void aBackupHoldingALinkOutOfItselfIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path link = catalogue.dirs.backup(backup.backupId()).resolve("data").resolve("escape");
    Files.createSymbolicLink(link, Path.of("/etc"));
    Path dest = tmp.resolve("link-out");
    try {
      assertThatThrownBy(() -> recovery().recover(backup, RecoverOptions.builder(dest).build(), l -> { }))
          .isInstanceOf(RecoveryException.class)
          .hasMessage("Cannot recover backup " + backup.backupId().value()
              + ": escape is a symbolic link leading out of the backup (/etc)");
      assertThat(dest).doesNotExist();
    } finally {
      Files.delete(link);
    }
  }

  @Test
  void linksInTheDestinationAreReplacedNeverFollowed() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside-wal"));
    Path outsideConf = Files.writeString(tmp.resolve("outside.conf"), "precious\n");
    Path dest = Files.createDirectories(tmp.resolve("links"));
    Files.createSymbolicLink(dest.resolve("pg_wal"), outside);
    Files.createSymbolicLink(dest.resolve("postgresql.auto.conf"), outsideConf);
    Files.createSymbolicLink(dest.resolve("barman_wal"), outside);

    recovery().recover(backup, toTarget(dest).build(), l -> { });

    try (Stream<Path> s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
    assertThat(Files.readString(outsideConf)).isEqualTo("precious\n");
    assertThat(Files.isSymbolicLink(dest.resolve("pg_wal"))).isFalse();
    assertThat(Files.isDirectory(dest.resolve("barman_wal"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.isRegularFile(dest.resolve("postgresql.auto.conf"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void aRemoteRecoveryPushesWithRsyncOverTheSshCommand() throws Exception {
    Path log = tmp.resolve("ssh.log");
    Path ssh = tmp.resolve("fake-ssh");
    // Stands for ssh: drops the host and runs the remote command with a shell, logging what it was given.
    Files.writeString(ssh, "#!/bin/sh\necho \"$*\" >> '" + log + "'\nshift\nexec /bin/sh -c \"$*\"\n");
    ssh.toFile().setExecutable(true);
    Path dest = tmp.resolve("remote");
    List<String> out = new ArrayList<>();
    recovery().recover(backup, toTarget(dest).remoteSshCommand(ssh + " postgres@db1").build(), out::add);

    assertThat(out).startsWith("Starting remote restore for server pg using backup " + backup.backupId().value(),
        "Destination directory: " + dest, "Remote command: " + ssh + " postgres@db1");
    assertThat(Files.readAllLines(log)).anyMatch(l -> l.startsWith("postgres@db1 ") && l.contains(" rsync --server "));
    try (PostgresCluster restored = PostgresCluster.builder().fromBaseBackup(dest)) {
      restored.awaitRecoveryEnd(TIMEOUT);
      assertThat(rows(restored)).isEqualTo("1,2,3");
    }
  }

  @Test
  void barman34RecoversTheSameBackupToTheSameSettingsAndWal() throws Exception {
    Path conf = catalogue.barmanConf(origin);
    List<List<String>> cases = List.of(
        List.of("--target-time", targetTime, "--target-action", "promote"),
        List.of(),
        List.of("--get-wal", "--standby-mode"),
        List.of("--target-name", "before", "--target-tli", "current", "--exclusive"),
        List.of("--target-xid", "1234", "--exclusive", "--target-action", "pause"));
    for (int n = 0; n < cases.size(); n++) {
      List<String> args = cases.get(n);
      Path ours = tmp.resolve("oracle-ours-" + n);
      Path theirs = tmp.resolve("oracle-barman-" + n);
      RecoverOptions.Builder options = RecoverOptions.builder(ours)
          .exclusive(args.contains("--exclusive"))
          .getWal(args.contains("--get-wal"))
          .standbyMode(args.contains("--standby-mode"));
      for (int i = 0; i < args.size(); i++) {
        switch (args.get(i)) {
          case "--target-time" -> options.target(RecoveryTarget.parseTime(args.get(++i), ZoneOffset.UTC));
          case "--target-name" -> options.target(RecoveryTarget.parseName(args.get(++i)));
          case "--target-xid" -> options.target(RecoveryTarget.parseXid(args.get(++i)));
          case "--target-tli" -> options.targetTimeline(TargetTimeline.parse(args.get(++i)));
          case "--target-action" -> options.targetAction(TargetAction.parse(args.get(++i)));
          default -> { }
        }
      }
      // barman.conf says barman_user = root: Barman refuses to run as another user than the one it names.
      new ServerRecovery(catalogue.dirs, "root", Clock.systemDefaultZone()).recover(backup, options.build(), l -> { });
      List<String> command = new ArrayList<>(List.of("/usr/bin/barman", "-c", conf.toString(), "recover", SERVER,
          backup.backupId().value(), theirs.toString()));
      command.addAll(args);
      Process barman = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(barman.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(barman.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(barman.exitValue()).as(output).isZero();

      for (String file : List.of("postgresql.auto.conf", "postgresql.auto.conf.origin", "postgresql.conf",
          "postgresql.conf.origin", "recovery.signal", "standby.signal", "recovery.conf")) {
        assertThat(Files.exists(ours.resolve(file))).as(args + " " + file).isEqualTo(Files.exists(theirs.resolve(file)));
        if (Files.exists(ours.resolve(file))) {
          assertThat(Files.readString(ours.resolve(file))).as(args + " " + file)
              .isEqualTo(Files.readString(theirs.resolve(file)));
        }
      }
      assertThat(tree(ours.resolve("barman_wal"))).as(args + " barman_wal").isEqualTo(tree(theirs.resolve("barman_wal")));
      assertThat(tree(ours.resolve("pg_wal"))).as(args + " pg_wal").isEqualTo(tree(theirs.resolve("pg_wal")));
      assertThat(tree(ours)).as(args + " whole directory").isEqualTo(tree(theirs));
    }
  }

  /** Relative path to content digest (directories map to "dir"). */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(root)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String key = root.relativize(p).toString();
        out.put(key, Files.isDirectory(p) ? "dir" : Integer.toHexString(java.util.Arrays.hashCode(Files.readAllBytes(p))));
      }
    }
    return out;
  }

  private static List<String> testkitLines(Path conf) throws IOException {
    List<String> lines = Files.readAllLines(conf);
    int from = lines.indexOf("# written by barman4j's PostgresCluster");
    return from < 0 ? List.of() : lines.subList(from, lines.size());
  }
}
