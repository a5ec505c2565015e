package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.storage.fs.FileStorageBackend;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barman-cloud-backup-delete -r} on real backups of a PostgreSQL 15 and their archived WAL: it
 * deletes exactly the backups and WAL files Barman's rules name, and never what a kept backup needs.
 */
class RetentionOnPostgresIT {
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(10);

  @TempDir Path tmp;

  private static ToolResult run(String tool, String... args) throws IOException, InterruptedException {
    return ToolRun.tool(tool, args).timeout(TOOL_TIMEOUT).run();
  }

  @Test
  void redundancyAndRecoveryWindowDeleteWhatBarmanWouldAndSpareKeptBackups() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    Path archive = tmp.resolve("archive");
    String url = "file://" + archive;
    ServerLayout layout = new ServerLayout("main");
    try (PostgresCluster cluster = PostgresCluster.builder().binaries(pg)
        .archiveCommand(ToolRun.launcher("barman-cloud-wal-archive") + " --gzip " + url + " main %p")
        .init()) {
      cluster.pgbench("-i", "-s", "1");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        cluster.pgbench("-c", "1", "-t", "200", "-n");
        ToolResult backup = run("barman-cloud-backup", "--immediate-checkpoint",
            "-h", "127.0.0.1", "-p", Integer.toString(cluster.port()), "-U", "postgres", url, "main");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        ids.add(lastBackupId(archive));
        cluster.awaitArchived(cluster.switchWal(), java.time.Duration.ofSeconds(60));
        Thread.sleep(1100); // backup ids have a resolution of one second
      }
      assertThat(ids).doesNotHaveDuplicates().isSorted();

      ToolResult keep = run("barman-cloud-backup-keep", "--target", "standalone", url, "main", ids.get(0));
      assertThat(keep.exitCode()).as(keep.stderr()).isZero();

      // REDUNDANCY 2, newest first: #5 and #4 VALID, #3 and #2 OBSOLETE, #1 KEEP:STANDALONE (counted, kept).
      BackupCatalog catalog = new BackupCatalog(new FileStorageBackend(archive), layout);
      BackupInfo first = catalog.get(org.barman4j.catalog.BackupId.parse(ids.get(0)));
      BackupInfo fourth = catalog.get(org.barman4j.catalog.BackupId.parse(ids.get(3)));
      Set<String> expectedWal = survivingWal(archive, fourth, first);
      ToolResult dryRun = run("barman-cloud-backup-delete", "--dry-run", "-r", "REDUNDANCY 2", url, "main");
      assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
      assertThat(backupIds(archive)).containsExactlyElementsOf(ids);
      ToolResult delete = run("barman-cloud-backup-delete", "-r", "REDUNDANCY 2", url, "main");
      assertThat(delete.exitCode()).as(delete.stderr()).isZero();
      assertThat(backupIds(archive)).containsExactly(ids.get(0), ids.get(3), ids.get(4));
      assertThat(walNames(archive)).isEqualTo(expectedWal);

      // RECOVERY WINDOW OF 7 DAYS with #4 and #5 ending 9 and 8 days ago: #5 is the newest backup before
      // the window starts (VALID, needed to reach it), #4 is OBSOLETE, #1 stays KEPT.
      age(catalog, ids.get(3), 9);
      age(catalog, ids.get(4), 8);
      BackupInfo fifth = catalog.get(org.barman4j.catalog.BackupId.parse(ids.get(4)));
      expectedWal = survivingWal(archive, fifth, first);
      delete = run("barman-cloud-backup-delete", "-r", "RECOVERY WINDOW OF 7 DAYS", url, "main");
      assertThat(delete.exitCode()).as(delete.stderr()).isZero();
      assertThat(backupIds(archive)).containsExactly(ids.get(0), ids.get(4));
      assertThat(walNames(archive)).isEqualTo(expectedWal);

      // A kept backup cannot be deleted by id either.
      ToolResult refused = run("barman-cloud-backup-delete", "-b", ids.get(0), url, "main");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.stderr().strip().lines()).hasSize(1);
      assertThat(backupIds(archive)).contains(ids.get(0));
    }
  }

  private static void age(BackupCatalog catalog, String id, int days) {
    BackupInfo info = catalog.get(org.barman4j.catalog.BackupId.parse(id));
    OffsetDateTime end = OffsetDateTime.now().minusDays(days);
    catalog.write(info.toBuilder().beginTime(end.minusMinutes(1)).endTime(end).build());
  }

  /**
   * Barman's rule (§5.3): WAL older than the oldest remaining non-kept backup goes, except history files
   * and the range of an older KEEP:STANDALONE backup.
   */
  private static Set<String> survivingWal(Path archive, BackupInfo removeUntil, BackupInfo standalone) throws IOException {
    String limit = removeUntil.beginWal().orElseThrow();
    String keepFrom = standalone.beginWal().orElseThrow();
    String keepTo = standalone.endWal().orElseThrow();
    Set<String> surviving = new TreeSet<>();
    for (String name : walNames(archive)) {
      String segment = name.length() >= 24 ? name.substring(0, 24) : name;
      if (name.contains(".history") || segment.compareTo(limit) >= 0
          || (segment.compareTo(keepFrom) >= 0 && segment.compareTo(keepTo) <= 0)) {
        surviving.add(name);
      }
    }
    return surviving;
  }

  private static Set<String> walNames(Path archive) throws IOException {
    try (Stream<Path> files = Files.walk(archive.resolve("main/wals"))) {
      Set<String> names = new TreeSet<>();
      files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
      return names;
    }
  }

  private static List<String> backupIds(Path archive) throws IOException {
    try (Stream<Path> dirs = Files.list(archive.resolve("main/base"))) {
      return dirs.filter(d -> Files.exists(d.resolve("backup.info")))
          .map(d -> d.getFileName().toString()).sorted().toList();
    }
  }

  private static String lastBackupId(Path archive) throws IOException {
    List<String> ids = backupIds(archive);
    return ids.get(ids.size() - 1);
  }
}
