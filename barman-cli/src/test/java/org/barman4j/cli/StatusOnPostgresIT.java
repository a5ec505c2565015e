package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.barman4j.server.ServerDirectories;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} on a live PostgreSQL 15 that archives into the server's {@code incoming/}: the same rows, in
 * the same order, with the same messages as Barman 3.4's on the same {@code barman.conf} (but the archiving
 * rate, which moves with the clock), console and JSON; the server runs in another time zone than both.
 */
class StatusOnPostgresIT {
  @TempDir
  Path tmp;

  @Test
  void statusRowsAreBarmans() throws Exception {
    Barman34Oracle.assumeInstalled();
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    Path home = tmp.resolve("home");
    Path incoming = Files.createDirectories(ServerDirectories.of(home, "pg").incoming());
    FabricatedCatalogue.create(ServerDirectories.of(home, "pg"));
    try (PostgresCluster cluster = PostgresCluster.builder().binaries(pg)
        .archiveCommand("cp %p " + incoming + "/%f")
        .conf("timezone = 'America/New_York'", "log_timezone = 'America/New_York'")
        .init()) {
      String wal = cluster.switchWal();
      cluster.awaitArchived(wal, Duration.ofSeconds(60));
      Path conf = tmp.resolve("barman.conf");
      Files.writeString(conf, "[barman]\nbarman_home = " + home + "\nbarman_user = root\nlog_file = "
          + tmp.resolve("barman.log") + "\n\n[pg]\ndescription = \"Live PG15\"\n"
          + "conninfo = host=127.0.0.1 port=" + cluster.port() + " user=postgres dbname=postgres\n"
          + "backup_method = postgres\narchiver = on\nretention_policy = RECOVERY WINDOW OF 2 WEEKS\n"
          + "minimum_redundancy = 2\n\n"
          + "[down]\nconninfo = host=127.0.0.1 port=1 user=postgres connect_timeout=3\n"
          + "backup_method = postgres\narchiver = on\n");
      Barman34Oracle oracle = new Barman34Oracle(conf, "Asia/Tokyo");

      Barman34Oracle.Run theirs = oracle.barman("status", "all");
      Barman34Oracle.Run ours = oracle.ours("status", "all");
      assertThat(ours.code()).isEqualTo(theirs.code()).isZero();
      assertThat(ours.err()).isEqualTo(theirs.err());
      assertThat(theirs.out()).contains("\tLast archived WAL: " + wal + ", at ");
      assertThat(labels(ours.out())).isEqualTo(labels(theirs.out()))
          .contains("Server pg:", "\tPostgreSQL version", "\tCluster state", "\tCurrent data size",
              "\tPostgreSQL Data directory", "\tCurrent WAL segment", "\tPostgreSQL 'archive_command' setting",
              "\tLast archived WAL", "\tFailures of WAL archiver", "\tServer WAL archiving rate");
      assertThat(stable(ours.out())).isEqualTo(stable(theirs.out()));
      assertThat(ours.out()).contains("\tPostgreSQL version: FAILED trying to get PostgreSQL version\n");

      theirs = oracle.barman("-f", "json", "status", "pg");
      ours = oracle.ours("-f", "json", "status", "pg");
      assertThat(theirs.out()).contains("\"server_archived_wals_per_hour\"");
      assertThat(stableJson(ours.out())).isEqualTo(stableJson(theirs.out()));
    }
  }

  /** The row labels, in order. */
  private static List<String> labels(String console) {
    return console.lines().map(l -> l.startsWith("\t") ? l.substring(0, l.indexOf(':')) : l).toList();
  }

  /** The lines but the archiving rate, which moves with the clock. */
  private static List<String> stable(String console) {
    return console.lines().filter(l -> !l.startsWith("\tServer WAL archiving rate:")).toList();
  }

  /** The JSON with the archiving rate's message blanked. */
  private static String stableJson(String json) {
    return json.replaceAll("(\"Server WAL archiving rate\", \"message\": \")[^\"]*\"", "$1\"");
  }
}
