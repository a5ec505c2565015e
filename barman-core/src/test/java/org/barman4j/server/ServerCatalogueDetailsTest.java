package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.barman4j.BarmanException;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.compress.Compression;
import org.barman4j.retention.RetentionPolicy;
import org.barman4j.retention.RetentionStatus;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCatalogueDetailsTest {
  @TempDir Path home;

  private static BackupInfo backup(String id, BackupStatus status, String begin, String end, long endLsn) {
    OffsetDateTime t = OffsetDateTime.of(2026, 12, 3, 10, 0, 0, 0, ZoneOffset.UTC);
    return BackupInfo.builder(BackupId.parse(id)).status(status).serverName("pg").version(150004).timeline(1)
        .beginWal(begin).endWal(end).beginTime(t).endTime(t.plusMinutes(1)).size(1000).endXlog(new Lsn(endLsn))
        .build();
  }

  @Test
  void detailsCarryNeighboursWalStatisticsAndRetention() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    ServerBackups backups = new ServerBackups(d);
    BackupInfo first = backup("20261201T100000", BackupStatus.DONE, "000000010000000000000002",
        "000000010000000000000002", 0x2000100);
    BackupInfo failed = backup("20261202T100000", BackupStatus.FAILED, "000000010000000000000003",
        "000000010000000000000003", 0x3000100);
    BackupInfo last = backup("20261203T100000", BackupStatus.DONE, "000000010000000000000004",
        "000000010000000000000005", 0x5000100);
    for (BackupInfo b : List.of(first, failed, last)) {
      backups.write(b);
    }
    new XlogDb(d).append(List.of(
        new XlogDbEntry("000000010000000000000002", 1000, 100.0, "gzip"),
        new XlogDbEntry("000000010000000000000003", 2000, 200.0, "gzip"),
        new XlogDbEntry("000000010000000000000004", 3000, 300.0, "gzip"),
        new XlogDbEntry("000000010000000000000005", 4000, 400.0, "gzip")));
    ServerCatalogue catalogue = new ServerCatalogue(d);

    BackupDetails details = catalogue.details(first, new RetentionPolicy.Redundancy(1), 0, ZonedDateTime.now());
    assertThat(details.catalogued()).isTrue();
    assertThat(details.previous()).isEmpty();
    assertThat(details.next()).contains(last.backupId());
    assertThat(details.retention()).contains(RetentionStatus.OBSOLETE);
    assertThat(details.wal().walNumber()).isEqualTo(1);
    assertThat(details.wal().untilNextNumber()).isEqualTo(3); // 3, 4, 5: up to the next backup's end
    assertThat(details.sizeWithWals()).isEqualTo(2000);
    assertThat(details.reachableTimelines()).isEmpty();

    assertThat(catalogue.details(last).retention()).isEmpty();
    assertThat(catalogue.details(last).previous()).contains(first.backupId());
    BackupDetails ofFailed = catalogue.details(failed);
    assertThat(ofFailed.catalogued()).isFalse();
    assertThat(ofFailed.next()).isEmpty();
  }

  @Test
  void standaloneFilesAreTheBackupsThenTheSegmentsFromBeginToEnd() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    BackupInfo b = backup("20261203T100000", BackupStatus.DONE, "0000000100000000000000FE",
        "000000010000000100000001", 0x101000100L);
    new ServerBackups(d).write(b);
    Path data = Files.createDirectories(d.backup(b.backupId()).resolve("data/global"));
    Files.writeString(data.getParent().resolve("b"), "");
    Files.writeString(data.getParent().resolve("a"), "");
    Files.writeString(data.resolve("pg_control"), "");

    List<Path> files = new ServerCatalogue(d).files(b, ServerCatalogue.FilesTarget.STANDALONE);
    Path base = d.backup(b.backupId());
    assertThat(files).containsExactly(base.resolve("backup.info"), base.resolve("data/a"), base.resolve("data/b"),
        base.resolve("data/global/pg_control"),
        d.walFile(WalFileName.parse("0000000100000000000000FE")),
        d.walFile(WalFileName.parse("0000000100000000000000FF")),
        d.walFile(WalFileName.parse("000000010000000100000000")),
        d.walFile(WalFileName.parse("000000010000000100000001")));
    assertThat(new ServerCatalogue(d).files(b, ServerCatalogue.FilesTarget.DATA)).hasSize(4);
  }

  @Test
  void beforePostgres93TheLastSegmentOfALogDoesNotExist() {
    BackupInfo b = BackupInfo.builder(BackupId.parse("20261203T100000")).status(BackupStatus.DONE).version(90200)
        .beginWal("0000000100000000000000FE").endWal("000000010000000100000000").build();
    assertThat(ServerCatalogue.requiredSegments(b)).extracting(WalFileName::name)
        .containsExactly("0000000100000000000000FE", "000000010000000100000000");
  }

  @Test
  void childrenTimelinesComeFromTheHistoryFilesCompressedOrNot() throws Exception {
    ServerDirectories d = ServerDirectories.of(home, "pg");
    Files.createDirectories(d.wals());
    try (var out = Compression.BZIP2.compress(Files.newOutputStream(d.walFile(WalFileName.history(2))),
        org.barman4j.compress.CompressionLevel.MEDIUM)) {
      out.write("1\t0/5000000\tno recovery target specified\n".getBytes(StandardCharsets.US_ASCII));
    }
    Files.writeString(d.walFile(WalFileName.history(3)), "# comment\n1\t0/5000000\tx\n2\t0/9000000\ty\n");
    Files.writeString(d.walFile(WalFileName.history(5)), "1\t0/5000000\tunreachable: no 4.history\n");
    ServerCatalogue catalogue = new ServerCatalogue(d);
    assertThat(catalogue.childrenTimelines(1, Lsn.ZERO)).containsExactly(2, 3);
    assertThat(catalogue.childrenTimelines(1, new Lsn(0x5000001))).isEmpty();
    assertThat(catalogue.childrenTimelines(2, new Lsn(0x9000000))).containsExactly(3);

    Files.writeString(d.walFile(WalFileName.history(4)), "# nothing\n");
    assertThatThrownBy(() -> catalogue.childrenTimelines(3, Lsn.ZERO)).isInstanceOf(BarmanException.class)
        .hasMessageContaining("00000004.history");
  }
}
