package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.server.ServerBackups;
import org.barman4j.server.ServerDirectories;
import org.barman4j.server.XlogDb;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code barman recover} from argument parsing to the closing report, on a hand-made catalogue. */
class RecoverCommandTest {
  private static final OffsetDateTime END = OffsetDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.UTC);

  @TempDir Path dir;
  Path conf;
  Path dest;

  @BeforeEach
  void catalogue() throws IOException {
    Path home = dir.resolve("home");
    conf = dir.resolve("barman.conf");
    dest = dir.resolve("dest");
    Files.writeString(conf, "[barman]\nbarman_home = " + home + "\nbarman_user = " + System.getProperty("user.name") + "\n\n"
        + "[pg]\ndescription = PG\nconninfo = host=/tmp\nbackup_method = postgres\narchiver = on\n");
    ServerDirectories dirs = ServerDirectories.of(home, "pg");
    BackupId id = BackupId.parse("20261201T095900");
    Path data = Files.createDirectories(dirs.backup(id).resolve("data"));
    Files.writeString(data.resolve("PG_VERSION"), "15\n");
    Files.writeString(data.resolve("postgresql.conf"), "archive_command = 'cp %p /x/%f'\n");
    Files.writeString(data.resolve("postgresql.auto.conf"), "# auto\n");
    Files.writeString(data.resolve("pg_hba.conf"), "local all all trust\n");
    Files.writeString(data.resolve("pg_ident.conf"), "\n");
    new ServerBackups(dirs).write(BackupInfo.builder(id).status(BackupStatus.DONE).serverName("pg")
        .beginTime(END.minusMinutes(1)).endTime(END)
        .beginWal("000000010000000000000002").endWal("000000010000000000000002")
        .beginXlog(Lsn.parse("0/2000028")).endXlog(Lsn.parse("0/2000100"))
        .timeline(1).version(150004).build());
    Path wal = dirs.walFile(WalFileName.parse("000000010000000000000002"));
    Files.createDirectories(wal.getParent());
    try (OutputStream out = Compression.GZIP.compress(Files.newOutputStream(wal), CompressionLevel.LOW)) {
      out.write("wal".getBytes(StandardCharsets.UTF_8));
    }
    new XlogDb(dirs).append(List.of(XlogDb.describe(wal)));
  }

  private CliRun.Result run(String... args) {
    return CliRun.on(conf).at(Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC)).run(args);
  }

  @Test
  void recoverPrintsBarmansLinesAndPreparesTheDirectory() throws IOException {
    CliRun.Result run = run("recover", "pg", "latest", dest.toString(), "--target-time", "2026-12-01 10:05:00",
        "--target-action", "promote");
    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo(String.join("\n",
        "Starting local restore for server pg using backup 20261201T095900",
        "Destination directory: " + dest,
        "Doing PITR. Recovery target time: '2026-12-01 10:05:00+00:00'",
        "Copying the base backup.",
        "Copying required WAL segments.",
        "Generating recovery configuration",
        "Identify dangerous settings in destination directory.",
        "",
        "IMPORTANT",
        "These settings have been modified to prevent data losses",
        "",
        "postgresql.conf line 0: archive_command = false",
        "",
        "Recovery completed (start time: 2026-12-02 00:00:00+00:00, elapsed time: less than one second)",
        "Your PostgreSQL server has been successfully prepared for recovery!",
        ""));
    assertThat(Files.readString(dest.resolve("postgresql.auto.conf"))).endsWith(
        "recovery_target_time = '2026-12-01 10:05:00+00:00'\nrecovery_target_action = 'promote'\n");
    assertThat(dest.resolve("barman_wal/000000010000000000000002")).hasContent("wal");
  }

  @Test
  void restoreIsAnAliasAndJsonCarriesBarmansKeys() {
    CliRun.Result run = run("-f", "json", "restore", "pg", "20261201T095900", dest.toString());
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("\"changes_count\": 1", "\"warnings_count\": 0", "\"missing_files\": []",
        "\"recovery_start_time\": \"2026-12-02 00:00:00+00:00\"");
  }

  @Test
  void badInputIsOneLineWithBarmansExitCode() {
    CliRun.Result two = run("recover", "pg", "latest", dest.toString(), "--target-xid", "1", "--target-name", "n");
    assertThat(two.code()).isEqualTo(1);
    assertThat(two.err()).isEqualTo("ERROR: You cannot specify multiple targets for the recovery operation\n");

    CliRun.Result early = run("recover", "pg", "latest", dest.toString(), "--target-time", "2026-12-01 09:00:00+00");
    assertThat(early.code()).isEqualTo(1);
    assertThat(early.err()).isEqualTo("ERROR: The requested target time 2026-12-01 09:00:00+00:00 is before the "
        + "backup end time 2026-12-01 10:00:00+00:00\n");

    CliRun.Result unknown = run("recover", "pg", "20991231T000000", dest.toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("ERROR: ").hasLineCount(1);

    assertThat(run("recover", "pg", "latest", dest.toString(), "--target-tli", "sideways").code()).isEqualTo(2);
    assertThat(run("recover", "pg", "latest", dest.toString(), "--target-action", "explode").code()).isEqualTo(2);
    assertThat(run("recover", "pg", "latest", dest.toString(), "--tablespace", "nocolon").err())
        .isEqualTo("ERROR: Invalid tablespace relocation rule 'nocolon' (HINT: The valid syntax for a relocation "
            + "rule is NAME:LOCATION)\n");
    assertThat(dest).doesNotExist();
  }
}
