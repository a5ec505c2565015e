package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.barman4j.catalog.BackupId;
import org.barman4j.config.ServerConfig;
import org.barman4j.retention.RetentionStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerRetentionTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-10T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path home;

  private ServerDirectories catalogue() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Barman34ArchiverRetentionOracleTest.backup(d, "20261201T100000", "DONE", 2, 1);
    Barman34ArchiverRetentionOracleTest.backup(d, "20261202T100000", "DONE", 4, 1);
    Barman34ArchiverRetentionOracleTest.backup(d, "20261203T100000", "DONE", 6, 1);
    Barman34ArchiverRetentionOracleTest.wals(d, 1, 8);
    return d;
  }

  private static ServerConfig config(String... options) {
    Map<String, String> values = new java.util.HashMap<>();
    for (int i = 0; i < options.length; i += 2) {
      values.put(options[i], options[i + 1]);
    }
    return new ServerConfig("pg", values);
  }

  private static List<String> text(List<ServerMessage> lines) {
    return lines.stream().map(ServerMessage::consoleText)
        .map(l -> l.replaceAll("\\(start time: .*\\)$", "(start time: …)")).toList();
  }

  @Test
  void redundancyDeletesTheOldestWithItsWal() throws Exception {
    ServerDirectories d = catalogue();
    List<ServerMessage> lines = new ServerRetention(d, config("retention_policy", "REDUNDANCY 2"), CLOCK).enforce();
    assertThat(text(lines)).containsExactly(
        "Enforcing retention policy: removing backup 20261201T100000 for server pg",
        "Deleting backup 20261201T100000 for server pg",
        "Delete associated WAL segments:",
        "\t000000010000000000000001", "\t000000010000000000000002", "\t000000010000000000000003",
        "\t000000010000000000000003.00000028.backup",
        "Deleted backup 20261201T100000 (start time: …)");
    assertThat(d.backup(BackupId.parse("20261201T100000"))).doesNotExist();
    assertThat(d.wals().resolve("0000000100000000/000000010000000000000003")).doesNotExist();
    assertThat(new XlogDb(d).read()).extracting(XlogDbEntry::name).first().isEqualTo("000000010000000000000004");
    assertThat(lines.get(lines.size() - 1).text()).matches(
        "Deleted backup 20261201T100000 \\(start time: \\w{3} \\w{3} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}, "
            + "elapsed time: less than one second\\)");
  }

  @Test
  void aRecoveryWindowAndTheMinimumRedundancyComeFromTheConfiguration() throws Exception {
    ServerDirectories d = catalogue();
    ServerRetention retention = new ServerRetention(d,
        config("retention_policy", "RECOVERY WINDOW OF 8 DAYS", "minimum_redundancy", "3"), CLOCK);
    assertThat(retention.plan().orElseThrow().statuses().values()).containsExactly(
        RetentionStatus.POTENTIALLY_OBSOLETE, RetentionStatus.VALID, RetentionStatus.VALID);
    assertThat(retention.enforce()).isEmpty();
    assertThat(new ServerRetention(d, config(), CLOCK).plan()).isEmpty();
  }

  @Test
  void aKeptBackupIsNotDeleted() throws Exception {
    ServerDirectories d = catalogue();
    Path keep = d.backup(BackupId.parse("20261202T100000")).resolve("annotations/keep");
    Files.createDirectories(keep.getParent());
    Files.writeString(keep, "full");
    assertThat(text(new ServerRetention(d, config(), CLOCK).delete(BackupId.parse("20261202T100000"))))
        .containsExactly("WARNING: Skipping delete of backup 20261202T100000 for server pg as it has a current keep "
            + "request. If you really want to delete this backup please remove the keep and try again.",
            "ERROR: Cannot delete backup (pg 20261202T100000)");
    assertThat(d.backup(BackupId.parse("20261202T100000"))).exists();
  }

  @Test
  void aRunningOrLockedBackupIsNotDeleted() throws Exception {
    ServerDirectories d = catalogue();
    Barman34ArchiverRetentionOracleTest.backup(d, "20261130T100000", "STARTED", 1, 1);
    ServerRetention retention = new ServerRetention(d, config(), CLOCK);
    try (ServerLock running = ServerLock.tryAcquire(d.backupLock()).orElseThrow()) {
      assertThat(text(retention.delete(BackupId.parse("20261130T100000")))).containsExactly(
          "ERROR: Cannot delete a running backup (pg 20261130T100000)",
          "ERROR: Cannot delete backup (pg 20261130T100000)");
    }
    BackupId id = BackupId.parse("20261202T100000");
    try (ServerLock busy = ServerLock.tryAcquire(d.backupIdLock(id)).orElseThrow()) {
      assertThat(text(retention.delete(id))).containsExactly(
          "ERROR: Another process is holding the lock for backup 20261202T100000 of server pg.",
          "ERROR: Cannot delete backup (pg 20261202T100000)");
    }
    assertThat(d.backup(id)).exists();
    // the middle backup goes without its WAL (an older backup still needs them), and so does its lock file
    assertThat(text(retention.delete(id))).containsExactly("Deleting backup 20261202T100000 for server pg",
        "Deleted backup 20261202T100000 (start time: …)");
    assertThat(d.backupIdLock(id)).doesNotExist();
    assertThat(new XlogDb(d).read()).hasSize(9);
  }

  @Test
  void deletingAFailedBackupThatNeverStartedKeepsTheWal() throws Exception {
    // Barman 3.4 removes every catalogued WAL file here (no begin_wal to measure against); they are kept.
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Path b = d.backup(BackupId.parse("20261201T100000"));
    Files.createDirectories(b);
    Files.writeString(b.resolve("backup.info"), "backup_id=20261201T100000\nstatus=FAILED\nerror=failure start\n");
    Barman34ArchiverRetentionOracleTest.wals(d, 1, 3);
    assertThat(text(new ServerRetention(d, config(), CLOCK).delete(BackupId.parse("20261201T100000"))))
        .containsExactly("Deleting backup 20261201T100000 for server pg", "Deleted backup 20261201T100000 (start time: …)");
    assertThat(new XlogDb(d).read()).hasSize(4);
  }

  @Test
  void aBackupWhoseMetadataIsInMetaIsNoLongerListed() throws Exception {
    ServerDirectories d = catalogue();
    BackupId id = BackupId.parse("20261203T100000");
    Files.createDirectories(d.meta());
    Files.move(d.backupInfo(id), d.meta().resolve("20261203T100000-backup.info"));
    new ServerRetention(d, config(), CLOCK).delete(id);
    assertThat(new ServerBackups(d).list()).extracting(b -> b.backupId().value())
        .containsExactly("20261201T100000", "20261202T100000");
  }
}
