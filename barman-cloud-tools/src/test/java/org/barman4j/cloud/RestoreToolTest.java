package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.Tablespace;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.recovery.BackupRestore;
import org.barman4j.wal.Lsn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** barman-cloud-restore run in-process against the local-disk backend: exit codes, messages and files. */
class RestoreToolTest {
  private static final String OLD = "20261120T100000";
  private static final String NEW = "20261121T100000";
  private static final String FAILED = "20261122T100000";

  @TempDir Path tmp;
  private Path archive;
  private String url;
  private String lastErr;
  private String previousHome;
  private Path home;

  @BeforeEach
  void setUp() throws IOException {
    archive = tmp.resolve("bucket");
    url = "file://" + archive;
    previousHome = System.getProperty("barman4j.home");
    // An installed distribution: the restore_command must name a barman-cloud-wal-restore that can run.
    home = tmp.resolve("barman4j");
    Path walRestore = Files.createDirectories(home.resolve("bin")).resolve("barman-cloud-wal-restore");
    Files.writeString(walRestore, "#!/bin/sh\nexit 1\n");
    assertThat(walRestore.toFile().setExecutable(true)).isTrue();
    System.setProperty("barman4j.home", home.toString());
    store(OLD, BackupStatus.DONE, "weekly", List.of());
    store(NEW, BackupStatus.DONE, null, List.of());
    store(FAILED, BackupStatus.FAILED, null, List.of());
  }

  @AfterEach
  void restoreHome() {
    if (previousHome == null) {
      System.clearProperty("barman4j.home");
    } else {
      System.setProperty("barman4j.home", previousHome);
    }
  }

  /** A backup that ended five minutes after its id's time (UTC), holding a PG_VERSION naming it. */
  private void store(String id, BackupStatus status, String name, List<Tablespace> tablespaces) throws IOException {
    BackupId backupId = BackupId.parse(id);
    OffsetDateTime begin = OffsetDateTime.of(backupId.toLocalDateTime(), ZoneOffset.UTC);
    BackupInfo.Builder b = BackupInfo.builder(backupId).status(status).version(150020).timeline(1)
        .beginTime(begin).endTime(begin.plusMinutes(5)).beginXlog(Lsn.parse("0/2000028")).endXlog(Lsn.parse("0/2000100"))
        .beginWal("000000010000000000000002").endWal("000000010000000000000002")
        .tablespaces(tablespaces);
    if (name != null) {
      b.backupName(name);
    }
    Path dir = Files.createDirectories(archive.resolve("srv/base/" + id));
    Files.writeString(dir.resolve("backup.info"), BackupInfoFormat.write(b.build()));
    writeTar(dir.resolve("data.tar.gz"), Compression.GZIP,
        "PG_VERSION", "15\n", "origin", id, "global/pg_control", "control", "backup_label", "label");
  }

  private static void writeTar(Path file, Compression compression, String... namesAndContents) throws IOException {
    try (OutputStream out = compression.compress(Files.newOutputStream(file), CompressionLevel.MEDIUM);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(namesAndContents[i]);
        e.setSize(content.length);
        e.setMode(0100600);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
  }

  private int run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "barman-cloud-restore";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = CloudTools.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    lastErr = err.toString(StandardCharsets.UTF_8);
    return code;
  }

  private String restoredFrom(Path dir) throws IOException {
    return Files.readString(dir.resolve("origin"));
  }

  @Test
  void aBackupIsRestoredByIdNameShortcutOrAutoWithoutRecoveryConfigurationByDefault() throws IOException {
    assertThat(run(url, "srv", OLD, tmp.resolve("a").toString())).as(lastErr).isZero();
    assertThat(restoredFrom(tmp.resolve("a"))).isEqualTo(OLD);
    assertThat(tmp.resolve("a/global/pg_control")).hasContent("control");
    assertThat(tmp.resolve("a/pg_wal")).isDirectory();
    assertThat(tmp.resolve("a/recovery.signal")).doesNotExist();
    assertThat(tmp.resolve("a/postgresql.auto.conf")).doesNotExist();

    assertThat(run(url, "srv", "weekly", tmp.resolve("b").toString())).as(lastErr).isZero();
    assertThat(restoredFrom(tmp.resolve("b"))).isEqualTo(OLD);
    assertThat(run(url, "srv", "latest", tmp.resolve("c").toString())).as(lastErr).isZero();
    assertThat(restoredFrom(tmp.resolve("c"))).as("the newest DONE backup, not the FAILED one").isEqualTo(NEW);
    assertThat(run(url, "srv", "auto", tmp.resolve("d").toString())).as(lastErr).isZero();
    assertThat(restoredFrom(tmp.resolve("d"))).isEqualTo(NEW);
    assertThat(lastErr).isEmpty();
  }

  @Test
  void autoWithATargetTimeChoosesTheNewestBackupEndedByThenAndWritesTheRecoveryConfiguration() throws IOException {
    Path dest = tmp.resolve("pitr");
    assertThat(run("-J", "1", "--endpoint-url", "http://minio:9000", url, "srv", "auto", dest.toString(),
        "--target-time", "2026-11-21 10:04:00+00", "--target-action", "promote")).as(lastErr).isZero();
    assertThat(restoredFrom(dest)).isEqualTo(OLD);
    assertThat(dest.resolve("recovery.signal")).isEmptyFile();
    assertThat(Files.readString(dest.resolve("postgresql.auto.conf")))
        .contains("restore_command = '" + home + "/bin/barman-cloud-wal-restore --endpoint-url http://minio:9000 "
            + url + " srv %f %p'")
        .contains("recovery_target_time = '2026-11-21 10:04:00+00:00'")
        .contains("recovery_target_action = 'promote'");
  }

  @Test
  void aStandbyGetsAStandbySignalAndNoRecoveryConfSuppressesEverything() throws IOException {
    assertThat(run("--standby", url, "srv", NEW, tmp.resolve("s").toString())).as(lastErr).isZero();
    assertThat(tmp.resolve("s/standby.signal")).isEmptyFile();
    assertThat(Files.readString(tmp.resolve("s/postgresql.auto.conf"))).contains("restore_command = ");

    assertThat(run("--no-recovery-conf", "--target-time", "2026-11-21 10:04:00+00", url, "srv", "auto",
        tmp.resolve("n").toString())).as(lastErr).isZero();
    assertThat(restoredFrom(tmp.resolve("n"))).isEqualTo(OLD);
    assertThat(tmp.resolve("n/recovery.signal")).doesNotExist();
    assertThat(tmp.resolve("n/postgresql.auto.conf")).doesNotExist();

    assertThat(run("--no-recovery-conf", "--standby", url, "srv", NEW, tmp.resolve("x").toString())).isEqualTo(3);
    assertThat(lastErr).contains("not allowed with");
  }

  @Test
  void anUnknownBackupIdFailsWithExitCode1AndAnUnknownNameOrShortcutWith4AsBarman() {
    assertThat(run(url, "srv", "20250101T000000", tmp.resolve("r").toString())).isEqualTo(1);
    assertThat(lastErr).isEqualTo("ERROR: Backup 20250101T000000 for server srv does not exist\n");
    assertThat(run(url, "srv", "nightly", tmp.resolve("r").toString())).isEqualTo(4);
    assertThat(lastErr).isEqualTo("ERROR: Unknown backup 'nightly' for server 'srv'\n");
    assertThat(run(url, "other", "latest", tmp.resolve("r").toString())).isEqualTo(4);
    assertThat(lastErr).isEqualTo("ERROR: No DONE backup matches 'latest' for server 'other'\n");
    assertThat(tmp.resolve("r")).doesNotExist();
  }

  @Test
  void aFailedBackupIsNeverRestored() {
    assertThat(run(url, "srv", FAILED, tmp.resolve("r").toString())).isEqualTo(1);
    assertThat(lastErr).isEqualTo("ERROR: Backup " + FAILED + " of server srv is not restorable: its status is FAILED\n");
  }

  @Test
  void aNonEmptyRecoveryDirFailsWithExitCode1() throws IOException {
    Path dest = Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(dest.resolve("file"), "x");
    assertThat(run(url, "srv", NEW, dest.toString())).isEqualTo(1);
    assertThat(lastErr).isEqualTo("ERROR: Destination " + dest + " already exists and it is not empty\n");
  }

  @Test
  void badTargetsAndRulesFailWithExitCode3InOneLineBeforeAnythingIsRead() {
    String dest = tmp.resolve("r").toString();
    String[][] cases = {
        {"--target-time", "yesterday"},
        {"--target-lsn", "12345"},
        {"--target-xid", "x1"},
        {"--target-tli", "zero"},
        {"--target-name", "n".repeat(64)},
        {"--tablespace", "nocolon"},
        {"--target-action", "promote"},
        {"--exclusive", "--target-name", "p"},
        {"--target-time", "2026-11-21 10:04:00", "--target-lsn", "0/1"},
        {"-J", "0"},
        {"--snapshot-recovery-instance", "vm"},
    };
    for (String[] options : cases) {
      String[] args = Arrays.copyOf(options, options.length + 4);
      System.arraycopy(new String[] {url, "srv", NEW, dest}, 0, args, options.length, 4);
      assertThat(run(args)).as(String.join(" ", options) + ": " + lastErr).isEqualTo(3);
      assertThat(lastErr.lines()).as(lastErr).hasSize(1);
    }
    assertThat(tmp.resolve("r")).doesNotExist();
  }

  @Test
  void aTargetBeforeTheEndOfTheBackupFailsWithExitCode1() {
    assertThat(run("--target-time", "2026-11-21 10:04:00+00", url, "srv", NEW, tmp.resolve("r").toString())).isEqualTo(1);
    assertThat(lastErr).isEqualTo("ERROR: The target time 2026-11-21 10:04:00+00:00 is before the end of backup " + NEW
        + " (2026-11-21T10:05Z)\n");
    assertThat(run("--target-time", "2026-11-19 10:00:00+00", url, "srv", "auto", tmp.resolve("r").toString())).isEqualTo(1);
    assertThat(lastErr).startsWith("ERROR: Cannot find any candidate backup for recovery");
    assertThat(tmp.resolve("r")).doesNotExist();
  }

  @Test
  void anUnknownTablespaceNameFailsWithExitCode3() {
    assertThat(run("--tablespace", "ts:/srv/ts", url, "srv", NEW, tmp.resolve("r").toString())).isEqualTo(3);
    assertThat(lastErr).isEqualTo("ERROR: Backup " + NEW + " has no tablespace named 'ts' (it has no tablespaces)\n");
  }

  @Test
  void aCorruptBackupInfoFailsWithExitCode4NamingTheFile() throws IOException {
    Files.writeString(archive.resolve("srv/base/" + NEW + "/backup.info"), "status=DONE\nend_time=soon\n");
    assertThat(run(url, "srv", NEW, tmp.resolve("r").toString())).isEqualTo(4);
    assertThat(lastErr).startsWith("ERROR: Invalid srv/base/" + NEW + "/backup.info").contains("end_time");
    assertThat(lastErr.lines()).hasSize(1);
  }

  @Test
  void aTruncatedArchiveFailsWithExitCode1AndLeavesTheDirectoryMarkedIncomplete() throws IOException {
    Path tar = archive.resolve("srv/base/" + NEW + "/data.tar.gz");
    byte[] bytes = Files.readAllBytes(tar);
    Files.write(tar, Arrays.copyOf(bytes, bytes.length / 2));
    Path dest = tmp.resolve("r");
    assertThat(run("--recovery-conf", url, "srv", NEW, dest.toString())).isEqualTo(1);
    assertThat(lastErr).startsWith("ERROR: Restore of backup " + NEW + " failed: srv/base/" + NEW + "/data.tar.gz")
        .contains("is incomplete");
    assertThat(lastErr.lines()).hasSize(1);
    assertThat(dest.resolve(BackupRestore.INCOMPLETE_MARKER)).exists();
    assertThat(dest.resolve("recovery.signal")).doesNotExist();
  }

  @Test
  void tablespacesAreRelocatedWithTheTablespaceOption() throws IOException {
    String id = "20261123T100000";
    store(id, BackupStatus.DONE, null, List.of(new Tablespace("ts", 16400, "/nonexistent/ts")));
    writeTar(archive.resolve("srv/base/" + id + "/16400.tar"), Compression.NONE, "PG_15_202209061/5/1", "ts");
    Path ts = tmp.resolve("ts");
    assertThat(run("--tablespace", "ts:" + ts, url, "srv", id, tmp.resolve("r").toString())).as(lastErr).isZero();
    assertThat(tmp.resolve("r/pg_tblspc/16400/PG_15_202209061/5/1")).hasContent("ts");
    assertThat(Files.readSymbolicLink(tmp.resolve("r/pg_tblspc/16400"))).isEqualTo(ts);
  }

  @ParameterizedTest
  @CsvSource({"size,-1", "deduplicated_size,-5", "begin_offset,-40", "end_offset,-1", "begin_wal,None",
      "end_wal,None", "begin_xlog,None", "end_xlog,None", "timeline,None"})
  void aDoneBackupInfoWithANegativeSizeOrWithoutItsWalBoundsIsCorruptExit4AndNothingIsWritten(String field,
      String value) throws IOException {
    Path info = archive.resolve("srv/base/" + NEW + "/backup.info");
    String text = Files.readString(info);
    String forged = text.contains("\n" + field + "=")
        ? text.replaceAll("(?m)^" + field + "=.*$", field + "=" + value)
        : text + field + "=" + value + "\n";
    Files.writeString(info, forged);
    Path dest = tmp.resolve("r");
    assertThat(run(url, "srv", NEW, dest.toString())).as(lastErr).isEqualTo(4);
    assertThat(lastErr.lines()).hasSize(1);
    assertThat(lastErr).startsWith("ERROR: Invalid ").contains(NEW).contains(field);
    assertThat(dest).doesNotExist();
    // The other backups stay restorable.
    assertThat(run(url, "srv", OLD, tmp.resolve("old").toString())).as(lastErr).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"relative/../LOC", "LOC", "", "/srv/../LOC", "/srv/./LOC", ".."})
  void aTablespaceLocationThatIsNotAbsoluteAndNormalIsRefusedBeforeAnythingIsWritten(String pattern)
      throws IOException {
    String id = "20261123T100000";
    String unique = "barman4j-forged-" + System.nanoTime();
    String location = pattern.replace("LOC", unique);
    store(id, BackupStatus.DONE, null, List.of(new Tablespace("ts", 16400, location)));
    writeTar(archive.resolve("srv/base/" + id + "/16400.tar"), Compression.NONE, "PG_15_202209061/5/1", "ts");
    Path dest = tmp.resolve("r");
    try {
      assertThat(run(url, "srv", id, dest.toString())).as(lastErr).isEqualTo(4);
      assertThat(lastErr.lines()).hasSize(1);
      assertThat(lastErr).startsWith("ERROR: Invalid backup.info of backup " + id)
          .contains("tablespace 'ts'").contains("tablespaces").contains("'" + location + "'")
          .contains("--tablespace ts:");
      assertThat(dest).doesNotExist();
      assertThat(Path.of(unique)).as("nothing in the working directory").doesNotExist();
      assertThat(Path.of("/srv", unique)).doesNotExist();
      assertThat(Path.of("/", unique)).doesNotExist();
      assertThat(Path.of("PG_15_202209061")).doesNotExist();

      // Relocated, the stored location is not used: the restore goes ahead.
      Path ts = tmp.resolve("ts");
      assertThat(run("--tablespace", "ts:" + ts, url, "srv", id, dest.toString())).as(lastErr).isZero();
      assertThat(Files.readSymbolicLink(dest.resolve("pg_tblspc/16400"))).isEqualTo(ts);
      assertThat(ts.resolve("PG_15_202209061/5/1")).hasContent("ts");
    } finally {
      // Before the check existed, these locations were restored to: the working directory, /srv, /.
      for (Path leftover : List.of(Path.of(unique), Path.of("/srv", unique), Path.of("/", unique))) {
        if (Files.exists(leftover)) {
          try (java.util.stream.Stream<Path> paths = Files.walk(leftover)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
              Files.delete(p);
            }
          }
        }
      }
    }
  }

  @Test
  void testModeChecksTheStorageAndRestoresNothing() {
    assertThat(run("-t", url, "srv", NEW, tmp.resolve("r").toString())).as(lastErr).isZero();
    assertThat(tmp.resolve("r")).doesNotExist();
  }

  @Test
  void helpListsTheRestoreOptions() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CloudTools.run(new String[] {"barman-cloud-restore", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("SOURCE_URL SERVER_NAME BACKUP_ID RECOVERY_DIR")
        .contains("--tablespace NAME:LOCATION")
        .contains("--target-time").contains("--target-action").contains("--standby-mode/--standby").contains("-J/--jobs");
  }
}
