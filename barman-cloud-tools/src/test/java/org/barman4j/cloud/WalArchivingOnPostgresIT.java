package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentSize;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's launchers as a real PostgreSQL 15's {@code archive_command} and
 * {@code restore_command}, on the local-disk backend.
 */
class WalArchivingOnPostgresIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(10);

  @TempDir Path tmp;

  @Test
  void everyArchivedSegmentRestoresByteForByteAndABaseBackupRecoversFromTheArchiveAlone() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    Path archive = tmp.resolve("archive");
    String url = "file://" + archive;
    Path walArchive = ToolRun.launcher("barman-cloud-wal-archive");
    Path walRestore = ToolRun.launcher("barman-cloud-wal-restore");
    Path backup = tmp.resolve("backup");

    List<String> archived = new ArrayList<>();
    String accounts;
    String history;
    try (PostgresCluster primary = PostgresCluster.builder().binaries(pg)
        .archiveCommand(walArchive + " --gzip " + url + " main %p")
        .conf("wal_keep_size = 1GB")
        .init()) {
      primary.pgbench("-i", "-s", "2");
      primary.baseBackup(backup, "-X", "none");
      for (int round = 0; round < 3; round++) {
        primary.pgbench("-c", "2", "-t", "300", "-n");
        archived.add(primary.switchWal());
      }
      primary.awaitArchived(archived.get(archived.size() - 1), TIMEOUT);
      assertThat(primary.queryValue("select failed_count from pg_stat_archiver")).isEqualTo("0");
      accounts = primary.queryValue("select sum(abalance) || '/' || count(*) from pgbench_accounts");
      history = primary.queryValue("select count(*) from pgbench_history");

      List<String> done = doneSegments(primary.dataDir());
      assertThat(done).as("segments PostgreSQL saw archived").hasSizeGreaterThanOrEqualTo(5).containsAll(archived);
      Path restored = Files.createDirectories(tmp.resolve("restored"));
      for (String segment : done) {
        Path dest = restored.resolve(segment);
        ToolResult result = exec(walRestore.toString(), url, "main", segment, dest.toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.mismatch(primary.dataDir().resolve("pg_wal").resolve(segment), dest))
            .as("restored %s is byte-identical", segment).isEqualTo(-1L);
        assertThat(archive.resolve("main/wals/" + segment.substring(0, 16) + "/" + segment + ".gz")).isRegularFile();
      }

      // Archiving a segment again is a success; different bytes under its name are refused.
      Path original = primary.dataDir().resolve("pg_wal").resolve(done.get(0));
      Path stored = archive.resolve("main/wals/" + done.get(0).substring(0, 16) + "/" + done.get(0) + ".gz");
      byte[] storedBefore = Files.readAllBytes(stored);
      assertThat(exec(walArchive.toString(), "--gzip", url, "main", original.toString()).exitCode()).isZero();
      Path forged = Files.createDirectories(tmp.resolve("forged")).resolve(done.get(0));
      byte[] bytes = Files.readAllBytes(original);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(forged, bytes);
      ToolResult refused = exec(walArchive.toString(), "--gzip", url, "main", forged.toString());
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.stderr()).contains(done.get(0)).contains("different content");
      assertThat(Files.readAllBytes(stored)).isEqualTo(storedBefore);
    }

    // The primary is gone; the restored cluster has only the base backup and the archive. It archives to
    // the same place, as a promoted server does: its timeline history and new timeline's segments go there.
    try (PostgresCluster replica = PostgresCluster.builder().binaries(pg)
        .restoreCommand(walRestore + " " + url + " main %f %p")
        .archiveCommand(walArchive + " --gzip " + url + " main %p")
        .fromBaseBackup(backup)) {
      replica.awaitRecoveryEnd(TIMEOUT);
      assertThat(replica.queryValue("select sum(abalance) || '/' || count(*) from pgbench_accounts")).isEqualTo(accounts);
      assertThat(replica.queryValue("select count(*) from pgbench_history")).isEqualTo(history);
      assertThat(history).isEqualTo("1800");

      assertThat(replica.queryValue("select timeline_id from pg_control_checkpoint()")).isEqualTo("2");
      replica.pgbench("-c", "1", "-t", "100", "-n");
      String onTimeline2 = replica.switchWal();
      assertThat(onTimeline2).startsWith("00000002");
      replica.awaitArchived(onTimeline2, TIMEOUT); // PostgreSQL archives the history file first
      Path restoredHistory = tmp.resolve("00000002.history");
      ToolResult got = exec(walRestore.toString(), url, "main", "00000002.history", restoredHistory.toString());
      assertThat(got.exitCode()).as(got.stderr()).isZero();
      assertThat(Files.mismatch(replica.dataDir().resolve("pg_wal/00000002.history"), restoredHistory)).isEqualTo(-1L);
      assertThat(archive.resolve("main/wals/00000002.history.gz")).isRegularFile();
      try (Stream<Path> stored = Files.walk(archive.resolve("main/wals"))) {
        // Recovery ended on a segment boundary (the primary switched), so timeline 1 left no .partial file.
        assertThat(stored.map(p -> p.getFileName().toString())).contains(onTimeline2 + ".gz", "00000002.history.gz");
      }
      assertThat(replica.queryValue("select failed_count from pg_stat_archiver")).isEqualTo("0");
    }
  }

  @Test
  void nonDefaultSegmentSizesArchiveAndRestoreAndNameLikePostgres() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    Path walArchive = ToolRun.launcher("barman-cloud-wal-archive");
    Path walRestore = ToolRun.launcher("barman-cloud-wal-restore");
    for (int mib : new int[] {1, 64}) {
      Path archive = tmp.resolve("archive-" + mib);
      String url = "file://" + archive;
      WalSegmentSize size = WalSegmentSize.ofMebibytes(mib);
      try (PostgresCluster cluster = PostgresCluster.builder().binaries(pg)
          .walSegmentSizeMiB(mib)
          .archiveCommand(walArchive + " --lz4 " + url + " main %p")
          .conf("wal_keep_size = 1GB")
          .init()) {
        assertThat(cluster.queryValue("show wal_segment_size")).isEqualTo(mib + "MB");
        cluster.pgbench("-i", "-s", "1");
        for (int i = 0; i < 3; i++) {
          String lsn = cluster.queryValue("select pg_current_wal_lsn()");
          assertThat(Lsn.parse(lsn).walFileName(1, size).name())
              .as("segment of %s with %d MiB segments", lsn, mib)
              .isEqualTo(cluster.queryValue("select pg_walfile_name('" + lsn + "')"));
          cluster.pgbench("-c", "1", "-t", "200", "-n");
        }
        String last = cluster.switchWal();
        cluster.awaitArchived(last, TIMEOUT);
        List<String> done = doneSegments(cluster.dataDir());
        assertThat(done).hasSizeGreaterThanOrEqualTo(mib == 1 ? 10 : 1);
        for (String segment : done) {
          Path dest = tmp.resolve("restored-" + mib + "-" + segment);
          ToolResult result = exec(walRestore.toString(), url, "main", segment, dest.toString());
          assertThat(result.exitCode()).as(result.stderr()).isZero();
          assertThat(Files.size(dest)).isEqualTo(size.bytes());
          assertThat(Files.mismatch(cluster.dataDir().resolve("pg_wal").resolve(segment), dest)).isEqualTo(-1L);
          assertThat(WalFileName.parse(segment).segmentNumber(size)).isNotNegative();
        }
      }
    }
  }

  private static List<String> doneSegments(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("pg_wal/archive_status"))) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".done"))
          .map(n -> n.substring(0, n.length() - ".done".length()))
          .filter(n -> n.length() == 24)
          .sorted()
          .toList();
    }
  }

  private static ToolResult exec(String... command) throws IOException, InterruptedException {
    return ToolRun.command(List.of(command)).timeout(TOOL_TIMEOUT).run();
  }
}
