package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.Tablespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue commands run in-process against a local-disk bucket populated with backup.info files,
 * tars and WAL objects laid out as barman-cloud lays them out; checked by exit code, output and files.
 */
class CatalogToolsTest {
  private static final String B1 = "20260101T010000";
  private static final String B2 = "20260102T010000";
  private static final String FAILED = "20260102T120000";
  private static final String B3 = "20260103T010000";
  private static final String B4 = "20260104T010000";

  @TempDir Path tmp;
  private Path root;
  private String url;
  private String out;
  private String err;

  @BeforeEach
  void setUp() {
    root = tmp.resolve("bucket");
    url = "file://" + root;
  }

  private int run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = CloudTools.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  private void write(String key, String content) throws IOException {
    Path path = root.resolve(key);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
  }

  private boolean exists(String key) {
    return Files.exists(root.resolve(key));
  }

  private void backup(String id, BackupStatus status, String beginWal, String endWal, String name) throws IOException {
    BackupId backupId = BackupId.parse(id);
    BackupInfo.Builder b = BackupInfo.builder(backupId).status(status).version(150020).timeline(1)
        .pgdata("/var/lib/postgresql/15/main").systemId("7710763581913052314")
        .beginTime(OffsetDateTime.of(backupId.toLocalDateTime(), ZoneOffset.UTC)).beginWal(beginWal)
        .beginOffset(40);
    if (status == BackupStatus.DONE) {
      b.endTime(OffsetDateTime.of(backupId.toLocalDateTime().plusMinutes(5), ZoneOffset.UTC)).endWal(endWal)
          .endOffset(312).tablespaces(List.of(new Tablespace("ts1", 16384, "/srv/tblspc1")));
    } else {
      b.error("failure uploading data (Connection reset by peer)");
    }
    if (name != null) {
      b.backupName(name);
    }
    write("pg/base/" + id + "/backup.info", BackupInfoFormat.write(b.build()));
    write("pg/base/" + id + "/data.tar.gz", "tar");
    write("pg/base/" + id + "/16384.tar.gz", "tar");
  }

  private void wal(String name) throws IOException {
    write("pg/wals/" + name.substring(0, 16) + "/" + name + ".gz", "wal");
  }

  /** Four DONE backups and a FAILED one, WAL from segment 0F of log 0 to segment 22 of log 1. */
  private void catalogue() throws IOException {
    backup(B1, BackupStatus.DONE, "000000010000000000000010", "000000010000000000000011", "first");
    backup(B2, BackupStatus.DONE, "000000010000000100000005", "000000010000000100000006", null);
    backup(FAILED, BackupStatus.FAILED, "000000010000000100000007", null, null);
    backup(B3, BackupStatus.DONE, "000000010000000100000010", "000000010000000100000011", "nightly");
    backup(B4, BackupStatus.DONE, "000000010000000100000020", "000000010000000100000021", null);
    for (int seg = 0x0F; seg <= 0x12; seg++) {
      wal(String.format("00000001000000000000%04X", seg));
    }
    for (int seg = 0; seg <= 0x22; seg++) {
      wal(String.format("00000001000000010000%04X", seg));
    }
    write("pg/wals/00000001.history", "history");
  }

  private List<String> walsLeft() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("pg/wals"))) {
      files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString().replace(".gz", "")));
    }
    names.sort(null);
    return names;
  }

  // --- barman-cloud-backup-list

  @Test
  void theListShowsDoneBackupsInBarmansColumns() throws IOException {
    catalogue();
    write("pg/base/" + B2 + "/annotations/keep", "standalone");

    assertThat(run("barman-cloud-backup-list", url, "pg")).as(err).isZero();

    assertThat(out).isEqualTo(String.join("\n",
        "Backup ID           End Time                 Begin Wal                     Archival Status  Name                ",
        "20260101T010000     2026-01-01 01:05:00      000000010000000000000010                       first               ",
        "20260102T010000     2026-01-02 01:05:00      000000010000000100000005      KEEP:STANDALONE                      ",
        "20260103T010000     2026-01-03 01:05:00      000000010000000100000010                       nightly             ",
        "20260104T010000     2026-01-04 01:05:00      000000010000000100000020                                           ",
        ""));
  }

  @Test
  void theJsonListHoldsEveryBackupWithCtimeAndIsoTimes() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-list", "--format", "json", url, "pg")).as(err).isZero();

    assertThat(out).startsWith("{\"backups_list\": [{\"backup_label\": null, ").endsWith("}]}\n");
    assertThat(out.split("\"backup_id\": ")).hasSize(6);
    assertThat(out).contains("\"status\": \"FAILED\"", "\"backup_name\": \"nightly\"",
        "\"begin_time\": \"Thu Jan  1 01:00:00 2026\"", "\"begin_time_iso\": \"2026-01-01T01:00:00+00:00\"",
        "\"end_time_iso\": \"2026-01-01T01:05:00+00:00\"", "\"tablespaces\": [[\"ts1\", 16384, \"/srv/tblspc1\"]]");
  }

  @Test
  void anUnreadableBackupIsSkippedWithAWarning() throws IOException {
    catalogue();
    write("pg/base/" + B2 + "/backup.info", "status=DONE\nbegin_xlog=nonsense\n");

    assertThat(run("barman-cloud-backup-list", url, "pg")).as(err).isZero();

    assertThat(out).doesNotContain(B2).contains(B1, B3);
    assertThat(err.lines()).singleElement().asString().startsWith("WARNING: Unable to open backup.info file for " + B2)
        .contains("begin_xlog").contains("line 2");
  }

  @Test
  void aBackupWithANegativeSizeIsUnreadableAndTheOthersAreStillListed() throws IOException {
    catalogue();
    Path info = root.resolve("pg/base/" + B2 + "/backup.info");
    write("pg/base/" + B2 + "/backup.info", Files.readString(info).replaceAll("(?m)^size=.*$", "size=-1"));

    assertThat(run("barman-cloud-backup-list", url, "pg")).as(err).isZero();

    assertThat(out).doesNotContain(B2).contains(B1, B3);
    assertThat(err.lines()).singleElement().asString().startsWith("WARNING: Unable to open backup.info file for " + B2)
        .contains("size -1");
    assertThat(run("barman-cloud-backup-show", url, "pg", B2)).isEqualTo(4);
    assertThat(err).contains("size -1");
  }

  @Test
  void anEmptyBucketListsNothing() {
    assertThat(run("barman-cloud-backup-list", url, "pg")).as(err).isZero();
    assertThat(out.lines()).hasSize(1);
    assertThat(run("barman-cloud-backup-list", "--format", "json", url, "pg")).isZero();
    assertThat(out).isEqualTo("{\"backups_list\": []}\n");
  }

  // --- barman-cloud-backup-show

  @Test
  void showRendersABackupByIdNameOrShortcut() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-show", url, "pg", "nightly")).as(err).isZero();
    assertThat(out).startsWith("Backup 20260103T010000:\n  Backup Name            : nightly\n")
        .contains("    ts1                  : /srv/tblspc1 (oid: 16384)\n", "    Begin WAL            : 000000010000000100000010\n");
    assertThat(run("barman-cloud-backup-show", url, "pg", "latest")).isZero();
    assertThat(out).startsWith("Backup 20260104T010000:");
    assertThat(run("barman-cloud-backup-show", url, "pg", "last-failed")).isZero();
    assertThat(out).contains("  Status                 : FAILED\n", "  Error                  : failure uploading data");
  }

  @Test
  void showJsonIsKeyedByTheRecordedServerName() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-show", "--format", "json", url, "pg", B1)).as(err).isZero();

    assertThat(out).startsWith("{\"cloud\": {\"backup_label\": null, ").contains("\"backup_id\": \"" + B1 + "\"")
        .endsWith("}}\n");
  }

  @Test
  void anUnknownIdExitsOneAndAnUnknownNameExitsFourAsBarmanDoes() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-show", url, "pg", "20250101T000000")).isEqualTo(1);
    assertThat(err).isEqualTo("ERROR: Backup 20250101T000000 for server pg does not exist\n");
    assertThat(run("barman-cloud-backup-show", url, "pg", "nosuchname")).isEqualTo(4);
    assertThat(err).isEqualTo("ERROR: Unknown backup 'nosuchname' for server 'pg'\n");
    assertThat(run("barman-cloud-backup-show", url, "pg")).isEqualTo(3);
  }

  @Test
  void aCorruptBackupInfoIsOneClearLine() throws IOException {
    write("pg/base/" + B1 + "/backup.info", "status=DONE\nversion=fifteen\n");

    assertThat(run("barman-cloud-backup-show", url, "pg", B1)).isEqualTo(4);

    assertThat(err.lines()).singleElement().asString().startsWith("ERROR: Invalid pg/base/" + B1 + "/backup.info: ")
        .contains("line 2").contains("version");
  }

  // --- barman-cloud-backup-delete

  @Test
  void retentionByRedundancyDeletesExactlyTheObsoleteBackupsAndTheirWal() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-delete", "-r", "REDUNDANCY 2", url, "pg")).as(err).isZero();

    assertThat(exists("pg/base/" + B1 + "/backup.info")).isFalse();
    assertThat(exists("pg/base/" + B2 + "/backup.info")).isFalse();
    assertThat(exists("pg/base/" + B2 + "/data.tar.gz")).isFalse();
    assertThat(exists("pg/base/" + FAILED + "/backup.info")).isTrue();
    assertThat(exists("pg/base/" + B3 + "/backup.info")).isTrue();
    assertThat(exists("pg/base/" + B4 + "/backup.info")).isTrue();
    List<String> expected = new ArrayList<>(List.of("00000001.history"));
    for (int seg = 0x10; seg <= 0x22; seg++) {
      expected.add(String.format("00000001000000010000%04X", seg));
    }
    assertThat(walsLeft()).containsExactlyElementsOf(expected);
    assertThat(out).isEmpty();
  }

  @Test
  void aKeptBackupSurvivesRetentionAndOnlyItsWalRangeIsKept() throws IOException {
    catalogue();
    assertThat(run("barman-cloud-backup-keep", "--target", "standalone", url, "pg", B1)).as(err).isZero();

    assertThat(run("barman-cloud-backup-delete", "--retention-policy", "redundancy 1", url, "pg")).as(err).isZero();

    assertThat(exists("pg/base/" + B1 + "/backup.info")).isTrue();
    assertThat(exists("pg/base/" + B2 + "/backup.info")).isFalse();
    assertThat(exists("pg/base/" + B3 + "/backup.info")).isFalse();
    assertThat(walsLeft()).contains("000000010000000000000010", "000000010000000000000011", "000000010000000100000020")
        .doesNotContain("00000001000000000000000F", "000000010000000000000012", "00000001000000010000001F");
  }

  @Test
  void aRecoveryWindowKeepsRecentBackups() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-delete", "-r", "RECOVERY WINDOW OF 100000 DAYS", url, "pg")).as(err).isZero();
    assertThat(exists("pg/base/" + B1 + "/backup.info")).isTrue();

    assertThat(run("barman-cloud-backup-delete", "-r", "RECOVERY WINDOW OF 1 DAYS", url, "pg")).as(err).isZero();
    // every backup is years old: only the newest remains (it is needed to reach the window start)
    assertThat(exists("pg/base/" + B3 + "/backup.info")).isFalse();
    assertThat(exists("pg/base/" + B4 + "/backup.info")).isTrue();
    assertThat(exists("pg/base/" + FAILED + "/backup.info")).isTrue();
  }

  @Test
  void aDryRunPrintsWhatWouldBeDeletedAndDeletesNothing() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-delete", "--dry-run", "-r", "REDUNDANCY 3", url, "pg")).as(err).isZero();

    assertThat(out).isEqualTo("Skipping deletion of objects ['pg/base/20260101T010000/data.tar.gz', "
        + "'pg/base/20260101T010000/16384.tar.gz', 'pg/base/20260101T010000/backup.info'] due to --dry-run option\n"
        + "Skipping deletion of all objects under prefix pg/wals/0000000100000000/ due to --dry-run option\n"
        + "Skipping deletion of objects ['pg/wals/0000000100000001/000000010000000100000000.gz', "
        + "'pg/wals/0000000100000001/000000010000000100000001.gz', 'pg/wals/0000000100000001/000000010000000100000002.gz', "
        + "'pg/wals/0000000100000001/000000010000000100000003.gz', 'pg/wals/0000000100000001/000000010000000100000004.gz'] "
        + "due to --dry-run option\n");
    assertThat(exists("pg/base/" + B1 + "/backup.info")).isTrue();
    assertThat(walsLeft()).hasSize(4 + 0x23 + 1);
  }

  @Test
  void deletingOneBackupByNameKeepsTheWalOlderBackupsNeed() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-delete", "-b", "nightly", url, "pg")).as(err).isZero();

    assertThat(exists("pg/base/" + B3 + "/backup.info")).isFalse();
    assertThat(exists("pg/base/" + B3)).as("no empty backup directory left").isFalse();
    assertThat(walsLeft()).hasSize(4 + 0x23 + 1);
  }

  @Test
  void deletionIsRefusedForKeptBackupsTheMinimumRedundancyAndAnUnreadableCatalogue() throws IOException {
    catalogue();
    write("pg/base/" + B2 + "/annotations/keep", "full");

    assertThat(run("barman-cloud-backup-delete", "-b", B2, url, "pg")).isEqualTo(1);
    assertThat(err).contains("keep request");
    assertThat(run("barman-cloud-backup-delete", "-b", B1, "-m", "5", url, "pg")).isEqualTo(1);
    assertThat(err).contains("minimum redundancy = 5, current redundancy = 5");
    write("pg/base/" + B3 + "/backup.info", "garbage");
    assertThat(run("barman-cloud-backup-delete", "-r", "REDUNDANCY 1", url, "pg")).isEqualTo(1);
    assertThat(err).contains("Cannot read the following backups: " + B3);
    assertThat(exists("pg/base/" + B1 + "/backup.info")).isTrue();
    assertThat(exists("pg/base/" + B2 + "/backup.info")).isTrue();
  }

  @Test
  void badDeleteArgumentsExitThree() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-delete", url, "pg")).isEqualTo(3);
    assertThat(err).contains("one of the arguments -b/--backup-id -r/--retention-policy is required");
    assertThat(run("barman-cloud-backup-delete", "-b", B1, "-r", "REDUNDANCY 1", url, "pg")).isEqualTo(3);
    assertThat(run("barman-cloud-backup-delete", "-r", "REDUNDANCY", url, "pg")).isEqualTo(3);
    assertThat(err).contains("Invalid retention policy 'REDUNDANCY'");
    assertThat(run("barman-cloud-backup-delete", "-b", B1, "-m", "-1", url, "pg")).isEqualTo(3);
    assertThat(run("barman-cloud-backup-delete", "-b", B1, "--batch-size", "many", url, "pg")).isEqualTo(3);
    assertThat(exists("pg/base/" + B1 + "/backup.info")).isTrue();
  }

  @Test
  void deletingAMissingBackupIsAWarningAndAnUnknownNameFails() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-delete", "-b", "20250101T000000", url, "pg")).isZero();
    assertThat(err).contains("WARNING: Backup 20250101T000000 does not exist");
    assertThat(run("barman-cloud-backup-delete", "-b", "nosuchname", url, "pg")).isEqualTo(4);
  }

  // --- barman-cloud-backup-keep

  @Test
  void keepAnnotatesReportsAndReleases() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-keep", url, "pg", B1, "-s")).as(err).isZero();
    assertThat(out).isEqualTo("Keep: nokeep\n");
    assertThat(run("barman-cloud-backup-keep", "--target", "full", url, "pg", "first")).as(err).isZero();
    assertThat(Files.readString(root.resolve("pg/base/" + B1 + "/annotations/keep"))).isEqualTo("full");
    assertThat(run("barman-cloud-backup-keep", "-s", url, "pg", B1)).isZero();
    assertThat(out).isEqualTo("Keep: full\n");
    assertThat(run("barman-cloud-backup-list", url, "pg")).isZero();
    assertThat(out).contains("KEEP:FULL");
    assertThat(run("barman-cloud-backup-keep", "-r", url, "pg", B1)).isZero();
    assertThat(exists("pg/base/" + B1 + "/annotations/keep")).isFalse();
  }

  @Test
  void onlyDoneBackupsCanBeKept() throws IOException {
    catalogue();

    assertThat(run("barman-cloud-backup-keep", "--target", "full", url, "pg", FAILED)).isEqualTo(1);
    assertThat(err).contains("status FAILED");
    assertThat(exists("pg/base/" + FAILED + "/annotations/keep")).isFalse();
    assertThat(run("barman-cloud-backup-keep", "-s", url, "pg", "20250101T000000")).isEqualTo(1);
    assertThat(run("barman-cloud-backup-keep", url, "pg", B1)).isEqualTo(3);
    assertThat(run("barman-cloud-backup-keep", "--target", "forever", url, "pg", B1)).isEqualTo(3);
    assertThat(run("barman-cloud-backup-keep", "-r", "-s", url, "pg", B1)).isEqualTo(3);
  }

  // --- barman-cloud-check-wal-archive

  @Test
  void anEmptyOrMissingArchiveIsUsable() throws IOException {
    assertThat(run("barman-cloud-check-wal-archive", url, "pg")).as(err).isZero();
    backup(B1, BackupStatus.DONE, "000000010000000000000010", "000000010000000000000011", null);
    assertThat(run("barman-cloud-check-wal-archive", url, "pg")).as(err).isZero();
  }

  @Test
  void anArchiveWithWalIsUsableOnlyForALaterTimeline() throws IOException {
    wal("000000010000000000000010");
    write("pg/wals/00000002.history", "h");

    assertThat(run("barman-cloud-check-wal-archive", url, "pg")).isEqualTo(1);
    assertThat(err).isEqualTo("ERROR: WAL archive check failed for server pg: Expected empty archive\n");
    assertThat(run("barman-cloud-check-wal-archive", "--timeline", "2", url, "pg")).isEqualTo(1);
    assertThat(err).contains("Found 1 file in WAL archive equal to or newer than timeline 2");
    assertThat(run("barman-cloud-check-wal-archive", "--timeline", "3", url, "pg")).as(err).isZero();
    assertThat(run("barman-cloud-check-wal-archive", "--timeline", "0", url, "pg")).isEqualTo(3);
    assertThat(run("barman-cloud-check-wal-archive", url, "other")).isZero();
  }

  @Test
  void everyCatalogueToolAnswersTestAndHelp() {
    for (String tool : List.of("barman-cloud-backup-list", "barman-cloud-backup-show", "barman-cloud-backup-delete",
        "barman-cloud-backup-keep", "barman-cloud-check-wal-archive")) {
      assertThat(run(tool, "--help")).as(tool).isZero();
      assertThat(out).startsWith("usage: " + tool);
      // as with argparse, -b or -r stays required even with -t
      String[] test = tool.endsWith("-delete") ? new String[] {tool, "-t", "-b", B1, url, "pg"}
          : new String[] {tool, "-t", url, "pg"};
      assertThat(run(test)).as(tool + ": " + err).isZero();
    }
  }
}
