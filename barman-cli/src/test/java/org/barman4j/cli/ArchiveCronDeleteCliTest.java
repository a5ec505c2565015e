package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveCronDeleteCliTest {
  @TempDir Path dir;
  Path conf;
  Path home;

  @BeforeEach
  void writeConfig() throws IOException {
    home = dir.resolve("home");
    conf = CliRun.writeConfig(dir,
        "[pg]\ndescription = PG\nconninfo = host=/tmp\nbackup_method = postgres\narchiver = on\n"
        + "compression = gzip\nretention_policy = REDUNDANCY 1\n\n"
        + "[broken]\ndescription = Broken\nconninfo = host=/tmp\nbackup_method = postgres\narchiver = on\n"
        + "compression = custom\n\n"
        + "[old]\ndescription = Old\nconninfo = host=/tmp\nbackup_method = postgres\narchiver = on\nactive = false\n");
  }

  private CliRun.Result run(String... args) {
    return CliRun.on(conf).run(args);
  }

  private void incoming(String server, String name) throws IOException {
    Path file = home.resolve(server).resolve("incoming").resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[8192]);
  }

  private void backup(String id, String wal) throws IOException {
    Path b = home.resolve("pg/base").resolve(id);
    Files.createDirectories(b.resolve("data"));
    Files.writeString(b.resolve("backup.info"), "backup_id=" + id + "\nstatus=DONE\nserver_name=pg\nmode=postgres\n"
        + "begin_wal=" + wal + "\nend_wal=" + wal + "\ntimeline=1\nbegin_time=2026-12-01 10:00:00+00:00\n"
        + "end_time=2026-12-01 10:05:00+00:00\nversion=150004\nxlog_segment_size=16777216\ntablespaces=None\n");
  }

  @Test
  void archiveWalPrintsBarmansLines() throws Exception {
    incoming("pg", "000000010000000000000001");
    incoming("pg", "junk");
    CliRun.Result run = run("archive-wal", "pg");
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("Processing xlog segments from file archival for pg\n\t000000010000000000000001\n"
        + "Some unknown objects have been found while processing xlog segments for pg. Objects moved to errors "
        + "directory:\n\tjunk\n");
    assertThat(home.resolve("pg/wals/0000000100000000/000000010000000000000001")).exists();
    assertThat(run("archive-wal", "old").out()).isEqualTo("Skipping inactive server 'old'\n");
    CliRun.Result broken = run("archive-wal", "broken");
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).startsWith("ERROR: compression 'custom' is not supported");
  }

  @Test
  void cronArchivesAndEnforcesRetentionServerByServer() throws Exception {
    incoming("pg", "000000010000000000000001");
    incoming("pg", "000000010000000000000002");
    backup("20261201T100000", "000000010000000000000001");
    backup("20261202T100000", "000000010000000000000002");

    CliRun.Result run = run("cron");

    // the broken server fails on its own; pg is still archived and its retention enforced
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("ERROR: Unable to run cron on server 'broken': compression 'custom'");
    assertThat(run.out()).startsWith("Starting WAL archiving for server pg\n"
        + "Enforcing retention policy: removing backup 20261201T100000 for server pg\n"
        + "Deleting backup 20261201T100000 for server pg\n"
        + "Delete associated WAL segments:\n\t000000010000000000000001\n"
        + "Deleted backup 20261201T100000 (start time: ");
    assertThat(home.resolve("pg/base/20261201T100000")).doesNotExist();
    assertThat(Files.readString(home.resolve("pg/wals/xlog.db"))).startsWith("000000010000000000000002\t");
    assertThat(home.resolve("pg/incoming/000000010000000000000002")).doesNotExist();
  }

  @Test
  void twoCronsNeverOverlap() throws Exception {
    Files.createDirectories(home);
    try (var held = org.barman4j.server.ServerLock.tryAcquire(home.resolve(".cron.lock")).orElseThrow()) {
      CliRun.Result run = run("cron");
      assertThat(run.code()).isZero();
      assertThat(run.out()).isEqualTo("Another cron process is already running. Skipping\n");
    }
    try (var held = org.barman4j.server.ServerLock.tryAcquire(home.resolve(".pg-cron.lock")).orElseThrow()) {
      assertThat(run("cron").out())
          .contains("Another cron process is already running on server pg. Skipping to the next server\n");
    }
  }

  @Test
  void deleteRefusesTheLastBackupUnderMinimumRedundancyAndNamesUnknownOnes() throws Exception {
    Files.writeString(conf, Files.readString(conf).replace("retention_policy = REDUNDANCY 1\n",
        "minimum_redundancy = 1\n"));
    backup("20261201T100000", "000000010000000000000001");
    CliRun.Result refused = run("delete", "pg", "latest");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("WARNING: Skipping delete of backup 20261201T100000 for server pg due to "
        + "minimum redundancy requirements (minimum redundancy = 1, current redundancy = 1)\n"
        + "ERROR: Cannot delete backup (pg 20261201T100000)\n");
    assertThat(run("delete", "pg", "20260101T000000").err())
        .isEqualTo("ERROR: Unknown backup '20260101T000000' for server 'pg'\n");
    CliRun.Result inactive = run("delete", "old", "latest");
    assertThat(inactive.out()).isEqualTo("Skipping inactive server 'old'\n"); // before the backup id is resolved
    assertThat(inactive.err()).isEmpty();
    backup("20261202T100000", "000000010000000000000002");
    CliRun.Result deleted = run("delete", "pg", "oldest");
    assertThat(deleted.code()).isZero();
    assertThat(deleted.out()).startsWith("Deleting backup 20261201T100000 for server pg\n"
        + "Delete associated WAL segments:\nDeleted backup 20261201T100000 (start time: ");
  }
}
