package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.barman4j.server.ServerDirectories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show-backup}, {@code list-files} and {@code status} (PostgreSQL unreachable) print, byte for byte, what
 * Barman 3.4 prints on the same {@code barman.conf} and {@code barman_home} (console and JSON), for backups of
 * every status.
 */
class CatalogueOracleTest {
  @TempDir
  static Path dir;
  static Barman34Oracle oracle;
  /** The same catalogue, with no retention policy. */
  static Barman34Oracle noPolicy;

  @BeforeAll
  static void catalogue() throws Exception {
    Barman34Oracle.assumeInstalled();
    Path home = dir.resolve("home");
    FabricatedCatalogue.create(ServerDirectories.of(home, "pg"));
    String global = "[barman]\nbarman_home = " + home + "\nbarman_user = root\nlog_file = "
        + dir.resolve("barman.log") + "\n\n"
        + "[pg]\ndescription = \"Fabricated\"\nconninfo = host=/nonexistent user=postgres\n"
        + "backup_method = postgres\narchiver = on\n";
    Path conf = dir.resolve("barman.conf");
    Files.writeString(conf, global + "retention_policy = REDUNDANCY 2\n");
    oracle = new Barman34Oracle(conf, "UTC");
    Path norp = dir.resolve("norp.conf");
    Files.writeString(norp, global);
    noPolicy = new Barman34Oracle(norp, "UTC");
  }

  @Test
  void everyBackupIsShownAsBarmanShowsIt() throws Exception {
    for (String id : FabricatedCatalogue.IDS) {
      oracle.assertSame("show-backup", "pg", id);
      oracle.assertSame("-f", "json", "show-backup", "pg", id);
    }
    // what the fixture is meant to exercise
    assertThat(oracle.ours("show-backup", "pg", "20261204T100000").out())
        .contains("    Reachable timelines  : 2, 3\n", "    WAL rate             : ", "    Compression ratio    : ",
            "\nWARNING: WAL information is inaccurate due to multiple timelines interacting with this backup\n")
        .contains("    Retention Policy     : VALID\n");
    assertThat(oracle.ours("show-backup", "pg", "20261201T100000").out()).contains("Retention Policy     : OBSOLETE");
    assertThat(oracle.ours("show-backup", "pg", "first-full").out())
        .contains("Retention Policy     : KEEP:FULL", "Copy time            : 2 minutes, 5 seconds + 1 second startup",
            "(2 jobs)");
    assertThat(oracle.ours("-f", "json", "show-backup", "pg", "20261205T100000").out())
        .doesNotContain("_WARNING").contains("\"timelines\": []");
  }

  @Test
  void withoutARetentionPolicyAndThroughShortcuts() throws Exception {
    for (String id : new String[] {"latest", "oldest", "first-full", "nightly", "last-failed", "20261203T100000"}) {
      noPolicy.assertSame("show-backups", "pg", id);
      noPolicy.assertSame("-f", "json", "show-backup", "pg", id);
    }
  }

  @Test
  void statusWithPostgresUnreachable() throws Exception {
    oracle.assertSame("status", "pg");
    oracle.assertSame("-f", "json", "status", "all");
    noPolicy.assertSame("status", "all");
    noPolicy.assertSame("status", "pg", "nope");
  }

  @Test
  void errorsAreBarmans() throws Exception {
    oracle.assertSame("show-backup", "pg", "20200101T000000");
    oracle.assertSame("-f", "json", "show-backup", "pg", "nope");
    oracle.assertSame("show-backup", "nope", "latest");
    oracle.assertSame("show-backup", "all", "latest");
    oracle.assertSame("list-files", "pg", "20200101T000000");
  }

  @Test
  void listFilesForEveryTarget() throws Exception {
    for (String id : FabricatedCatalogue.IDS) {
      if (FabricatedCatalogue.COPY_DONE.contains(id)) {
        oracle.assertSame("list-files", "pg", id);
        oracle.assertSame("list-files", "--target", "standalone", "pg", id);
      }
      oracle.assertSame("list-files", "--target", "data", "pg", id);
      if (!id.equals(FabricatedCatalogue.STARTED)) { // Barman 3.4: EXCEPTION on a backup with no begin_wal
        oracle.assertSame("list-files", "--target", "wal", "pg", id);
        oracle.assertSame("list-files", "--target", "full", "pg", id);
      }
    }
    oracle.assertSame("-f", "json", "list-files", "pg", "latest");
    // xlog.db lists the history files after the segments: only the last backup's WAL reaches them
    assertThat(oracle.ours("list-files", "--target", "wal", "pg", "20261205T100000").out())
        .contains("/wals/00000002.history\n", "/wals/00000003.history\n",
            "/wals/0000000100000000/00000001000000000000000D\n");
  }

  @Test
  void listFilesOfABackupWithoutWalListsItsFilesWhereBarmanFails() {
    Barman34Oracle.Run run = oracle.ours("list-files", "--target", "full", "pg", FabricatedCatalogue.STARTED);
    assertThat(run.code()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines()).hasSize(6).allMatch(l -> l.contains("/base/" + FabricatedCatalogue.STARTED + "/"));
    run = oracle.ours("list-files", "pg", "20261202T120000"); // FAILED: begin_wal, no end_wal
    assertThat(run.code()).isZero();
    assertThat(run.out().lines()).hasSize(6);
  }
}
