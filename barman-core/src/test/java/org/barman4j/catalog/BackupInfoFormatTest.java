package org.barman4j.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.barman4j.catalog.BackupInfoFormat.FieldSet;
import org.barman4j.wal.Lsn;
import org.junit.jupiter.api.Test;

class BackupInfoFormatTest {
  private static final BackupId ID = BackupId.parse("20261121T230614");
  private static final ZoneId UTC = ZoneOffset.UTC;

  static String resource(String name) {
    try (InputStream in = BackupInfoFormatTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aBarman317FileIsReadIntoTypedFields() {
    BackupInfo info = BackupInfoFormat.read(ID, resource("barman-3.17.backup.info"), UTC);

    assertThat(info.status()).isEqualTo(BackupStatus.DONE);
    assertThat(info.serverName()).contains("cloud");
    assertThat(info.beginTime()).contains(OffsetDateTime.parse("2026-11-21T23:06:14.068415Z"));
    assertThat(info.endTime()).contains(OffsetDateTime.parse("2026-11-21T23:06:24.202042Z"));
    assertThat(info.beginXlog()).contains(Lsn.parse("0/D000028"));
    assertThat(info.endXlog()).contains(Lsn.parse("0/D000138"));
    assertThat(info.beginWal()).contains("00000001000000000000000D");
    assertThat(info.beginOffset()).hasValue(40);
    assertThat(info.endOffset()).hasValue(312);
    assertThat(info.size()).isEmpty();
    assertThat(info.timeline()).hasValue(1);
    assertThat(info.version()).hasValue(150020);
    assertThat(info.pgMajorVersion()).contains("15");
    assertThat(info.xlogSegmentSize()).isEqualTo(16777216);
    assertThat(info.systemId()).contains("7710763581913052314");
    assertThat(info.tablespaces()).containsExactly(new Tablespace("ts1", 16384, "/srv/tblspc1"));
    assertThat(info.backupLabel()).hasValueSatisfying(label -> assertThat(label)
        .startsWith("START WAL LOCATION: 0/D000028 (file 00000001000000000000000D)\nCHECKPOINT")
        .endsWith("START TIMELINE: 1\n"));
    assertThat(info.copyStats()).hasValueSatisfying(s -> assertThat(s).startsWith("{'total_time': 12.199953,"));
    assertThat(info.mode()).isEmpty();
    assertThat(info.compression()).isEmpty();
    assertThat(info.backupName()).isEmpty();
    assertThat(info.otherFields()).containsOnlyKeys("children_backup_ids", "cluster_size", "data_checksums",
        "encryption", "parent_backup_id", "summarize_wal");
    assertThat(info.otherFields()).containsEntry("cluster_size", "57940525").containsEntry("data_checksums", "on");
  }

  @Test
  void theBarman317ExampleWritesBackByteForByteWhenItsOtherFieldsAreKept() {
    String original = resource("barman-3.17.backup.info");
    BackupInfo info = BackupInfoFormat.read(ID, original, UTC);

    assertThat(BackupInfoFormat.write(info, FieldSet.WITH_OTHER_FIELDS)).isEqualTo(original);
  }

  @Test
  void writingUsesBarman34sFieldSetSoThatOldReadersAcceptTheFile() {
    String original = resource("barman-3.17.backup.info");
    BackupInfo info = BackupInfoFormat.read(ID, original, UTC);

    String written = BackupInfoFormat.write(info);

    assertThat(keys(written)).isSubsetOf(BackupInfoFormat.barman34Keys())
        .doesNotContain("cluster_size", "data_checksums", "encryption", "children_backup_ids", "parent_backup_id",
            "summarize_wal", "backup_name", "snapshots_info");
    // exactly the 3.17 file minus the six fields 3.4 does not know
    assertThat(written).isEqualTo(original.replaceAll(
        "(?m)^(children_backup_ids|cluster_size|data_checksums|encryption|parent_backup_id|summarize_wal)=.*\n", ""));
  }

  @Test
  void aBarman34FileWithABackupNameRoundTripsByteForByte() {
    String original = resource("barman-3.4.backup.info");
    BackupInfo info = BackupInfoFormat.read(ID, original, UTC);

    assertThat(info.backupName()).contains("firstbackup");
    assertThat(info.otherFields()).isEmpty();
    assertThat(BackupInfoFormat.write(info)).isEqualTo(original);
    assertThat(new String(BackupInfoFormat.toBytes(info), StandardCharsets.UTF_8)).isEqualTo(original);
  }

  @Test
  void aFailedBackupRoundTripsWithItsErrorAndAbsentEndFields() {
    String original = resource("barman-3.4-failed.backup.info");
    BackupInfo info = BackupInfoFormat.read(ID, original, UTC);

    assertThat(info.status()).isEqualTo(BackupStatus.FAILED);
    assertThat(info.error()).contains("failure uploading data (Connection reset by peer)");
    assertThat(info.endTime()).isEmpty();
    assertThat(info.endXlog()).isEmpty();
    assertThat(info.endWal()).isEmpty();
    assertThat(info.endOffset()).isEmpty();
    assertThat(info.backupLabel()).isEmpty();
    assertThat(info.copyStats()).isEmpty();
    assertThat(info.tablespaces()).isEmpty();
    assertThat(info.beginTime()).contains(OffsetDateTime.parse("2026-11-21T23:10:02.51Z"));
    assertThat(BackupInfoFormat.write(info)).isEqualTo(original);
  }

  @Test
  void aBackupBuiltProgressivelyIsWrittenAsBarmanWritesIt() {
    BackupInfo started = BackupInfo.builder(ID)
        .status(BackupStatus.STARTED)
        .version(150020)
        .timeline(1)
        .pgdata("/var/lib/postgresql/15/main")
        .systemId("7710763581913052314")
        .beginTime(OffsetDateTime.parse("2026-11-21T23:06:14Z"))
        .beginXlog(Lsn.parse("0/D000028"))
        .beginWal("00000001000000000000000D")
        .beginOffset(40)
        .tablespaces(List.of(new Tablespace("ts'1", 16384, "/srv/tbl\"spc")))
        .build();
    BackupInfo done = started.toBuilder()
        .status(BackupStatus.DONE)
        .endTime(OffsetDateTime.parse("2026-11-21T23:06:24.000001+05:30"))
        .backupLabel("LABEL: it's\n")
        .build();

    String text = BackupInfoFormat.write(done);

    assertThat(text).contains("status=DONE\n", "begin_time=2026-11-21 23:06:14+00:00\n",
        "end_time=2026-11-21 23:06:24.000001+05:30\n", "backup_label=\"LABEL: it's\\n\"\n",
        "tablespaces=[(\"ts'1\", 16384, '/srv/tbl\"spc')]\n", "server_name=cloud\n", "end_xlog=None\n",
        "size=None\n", "xlog_segment_size=16777216\n");
    assertThat(keys(text)).isEqualTo(new TreeSet<>(BackupInfoFormat.barman34Keys()) {
      {
        remove("backup_name");
        remove("snapshots_info");
      }
    });
    assertThat(BackupInfoFormat.read(ID, text, UTC)).isEqualTo(done);
    assertThat(started.failed("failure uploading data (boom)").status()).isEqualTo(BackupStatus.FAILED);
  }

  @Test
  void readingIsTolerantOfCommentsBlankLinesSpacesUnknownKeysAndNaiveTimes() {
    String text = "# written by hand\n\nstatus = DONE \nfuture_field=whatever = it is\r\n"
        + "begin_time=2026-11-21 23:06:14\nend_time=2026-11-21T23:06:15.5Z\nversion=None\n";

    BackupInfo info = BackupInfoFormat.read(ID, text, ZoneId.of("Europe/Paris"));

    assertThat(info.status()).isEqualTo(BackupStatus.DONE);
    assertThat(info.otherFields()).containsEntry("future_field", "whatever = it is");
    assertThat(info.beginTime()).contains(OffsetDateTime.parse("2026-11-21T23:06:14+01:00"));
    assertThat(info.endTime()).contains(OffsetDateTime.parse("2026-11-21T23:06:15.5Z"));
    assertThat(info.version()).isEmpty();
    assertThat(info.serverName()).isEmpty();
    assertThat(info.xlogSegmentSize()).isEqualTo(BackupInfo.DEFAULT_XLOG_SEGMENT_SIZE);
  }

  @Test
  void emptyLiteralsAreAbsentAsBarmanWritesThemNone() {
    BackupInfo info = BackupInfoFormat.read(ID, "status=DONE\ncopy_stats={}\nbackup_label=''\ntablespaces=[]\n", UTC);

    assertThat(info.copyStats()).isEmpty();
    assertThat(info.backupLabel()).isEmpty();
    assertThat(BackupInfoFormat.write(info)).contains("copy_stats=None\n", "backup_label=None\n", "tablespaces=None\n");
  }

  @Test
  void aLineWithoutAnEqualsSignIsRejectedNamingItsLineNumber() {
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "status=DONE\ngarbage here\n", UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2").hasMessageContaining("garbage here");
  }

  @Test
  void badValuesAreRejectedNamingTheKeyAndLine() {
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "status=DONE\nbegin_time=yesterday\n", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageContaining("begin_time");
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "status=DONE\nbegin_time=2026-02-30 10:00:00+00:00\n", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("begin_time");
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "status=DONE\nbackup_label='unterminated\n", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backup_label");
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "status=DONE\ntablespaces=[('a', 'b')]\n", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablespaces");
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "status=DONE\nbegin_offset=forty\n", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("begin_offset");
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "status=DONE\nbegin_xlog=0/XYZ\n", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("begin_xlog");
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "status=DONE\nbegin_wal=0001\n", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("begin_wal");
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "status=FINISHED\n", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status").hasMessageContaining("FINISHED");
  }

  @Test
  void aFileWithoutStatusIsRejected() {
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "version=150020\n", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status");
    assertThatThrownBy(() -> BackupInfoFormat.read(ID, "", UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status");
  }

  @Test
  void fieldsThatWouldBreakTheLineFormatAreRefusedOnWrite() {
    BackupInfo info = BackupInfo.builder(ID).status(BackupStatus.FAILED).error("two\nlines").build();

    assertThatThrownBy(() -> BackupInfoFormat.write(info)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("error");
  }

  @Test
  void otherFieldsMustBeWritableAsLines() {
    for (String bad : List.of("", " x", "a=b", "a\nb", "#x")) {
      assertThatThrownBy(() -> BackupInfo.builder(ID).otherFields(java.util.Map.of(bad, "v")).build())
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> BackupInfo.builder(ID).otherFields(java.util.Map.of("status", "DONE")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status");
  }

  private static Set<String> keys(String text) {
    Set<String> keys = new TreeSet<>();
    for (String line : text.split("\n")) {
      keys.add(line.substring(0, line.indexOf('=')));
    }
    return keys;
  }
}
