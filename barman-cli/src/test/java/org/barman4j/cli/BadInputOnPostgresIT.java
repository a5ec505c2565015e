package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the distribution's {@code barman}: each case gets one line on stderr and Barman's exit code, and
 * leaves nothing behind that looks like a backup or a recovered server.
 */
class BadInputOnPostgresIT {
  @TempDir Path tmp;

  private Path config(int port) throws Exception {
    Path conf = tmp.resolve("barman.conf");
    String conninfo = "host=127.0.0.1 port=" + port + " user=postgres dbname=postgres connect_timeout=5";
    Files.writeString(conf, "[barman]\nbarman_home = " + tmp.resolve("home") + "\nbarman_user = "
        + System.getProperty("user.name") + "\nlog_file = " + tmp.resolve("barman.log") + "\n\n[pg]\nconninfo = "
        + conninfo + "\nstreaming_conninfo = " + conninfo + "\nbackup_method = postgres\narchiver = on\n",
        StandardCharsets.UTF_8);
    return conf;
  }

  /** Asserts exit code {@code code} and exactly one line on stderr, which must contain {@code text}. */
  private static void oneLine(BarmanRun.Result result, int code, String text) {
    assertThat(result.code()).as("exit code; stderr: %s", result.err()).isEqualTo(code);
    assertThat(result.err().lines().toList()).as("stderr").hasSize(1);
    assertThat(result.err()).contains(text);
  }

  @Test
  void eachBadInputGetsOneLineAndBarmansExitCode() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    Path incoming = tmp.resolve("home/pg/incoming");
    Files.createDirectories(incoming);
    Files.setPosixFilePermissions(incoming, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    try (PostgresCluster cluster = PostgresCluster.builder().binaries(pg)
        .archiveCommand("test ! -f " + incoming + "/%f && cp %p " + incoming + "/%f").init()) {
      BarmanRun barman = BarmanRun.ours(config(cluster.port()));
      oneLine(barman.run("list-backups", "nope"), 1, "ERROR: Unknown server 'nope'");
      oneLine(barman.run("show-backup", "pg", "20200101T000000"), 1,
          "ERROR: Unknown backup '20200101T000000' for server 'pg'");
      oneLine(barman.run("recover", "pg", "latest", tmp.resolve("r").toString()), 1, "ERROR:");
      // usage errors: argparse's usage line, then one error line, exit 2
      BarmanRun.Result usage = barman.run("list-backups", "--no-such-option", "pg");
      assertThat(usage.code()).isEqualTo(2);
      assertThat(usage.err().lines().toList()).hasSize(2).last().asString()
          .isEqualTo("barman list-backups: error: unrecognized arguments: --no-such-option");

      // a server pointed at another cluster: identity.json records another system id
      barman.run("switch-wal", "--force", "--archive", "pg").ok();
      Path identity = tmp.resolve("home/pg/identity.json");
      Files.createDirectories(identity.getParent());
      Files.writeString(identity, "{\n    \"systemid\": \"7000000000000000001\",\n    \"version\": \"15\"\n}\n");
      oneLine(barman.run("backup", "pg"), 1, "7000000000000000001");
      assertThat(barman.run("list-backups", "--minimal", "pg").ok().out()).as("no backup").isEmpty();
      Files.delete(identity);

      // a recovery destination that holds a running server: refused before anything is written
      barman.run("backup", "--wait", "pg").ok();
      String before = Files.readString(cluster.dataDir().resolve("postgresql.conf"));
      oneLine(barman.run("recover", "pg", "latest", cluster.dataDir().toString()), 1, "ERROR:");
      assertThat(Files.readString(cluster.dataDir().resolve("postgresql.conf"))).isEqualTo(before);
      assertThat(cluster.queryValue("select 1")).isEqualTo("1");
    }

    // a wrong conninfo: nothing listens on the port any more
    BarmanRun barman = BarmanRun.ours(tmp.resolve("barman.conf"));
    oneLine(barman.run("backup", "pg"), 1, "ERROR:");

    // a syntax error in barman.conf: the file and the line are named
    Path broken = tmp.resolve("broken.conf");
    Files.writeString(broken, "[barman]\nbarman_home = " + tmp.resolve("home") + "\nthis line is not an option\n");
    BarmanRun.Result result = BarmanRun.ours(broken).run("list-servers");
    oneLine(result, 1, broken + ":3: syntax error");
  }
}
