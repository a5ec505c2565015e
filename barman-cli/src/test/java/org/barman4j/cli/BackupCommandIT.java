package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.server.ServerBackups;
import org.barman4j.server.ServerDirectories;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barman backup} and {@code barman switch-wal} against a real PostgreSQL 15 whose archive_command puts WAL
 * files straight into {@code wals/} (the archiver is not part of this test).
 */
class BackupCommandIT {
  @TempDir
  Path dir;

  private CliRun.Result run(Path conf, String... args) {
    return CliRun.on(conf).run(args);
  }

  @Test
  void backupWaitsForItsWalAndSwitchWalArchives() throws Exception {
    Path home = dir.resolve("home");
    Path wals = home.resolve("pg/wals");
    Files.createDirectories(wals);
    String archive = "d='" + wals + "'/$(echo \"$2\" | cut -c1-16); mkdir -p \"$d\" && cp \"$1\" \"$d/$2.tmp\" && "
        + "mv \"$d/$2.tmp\" \"$d/$2\"";
    try (PostgresCluster pg = PostgresCluster.builder().archiveScript(archive).init()) {
      Path conf = CliRun.writeConfig(dir, "[pg]\n"
          + "conninfo = host=127.0.0.1 port=" + pg.port() + " user=postgres dbname=postgres\n"
          + "streaming_conninfo = host=127.0.0.1 port=" + pg.port() + " user=postgres\n"
          + "backup_method = postgres\narchiver = on\n");

      CliRun.Result switched = run(conf, "switch-wal", "--force", "--archive", "--archive-timeout", "30", "pg");
      assertThat(switched.code()).as(switched.err()).isZero();
      assertThat(switched.out()).matches("(?s)The WAL file [0-9A-F]{24} has been closed on server 'pg'\n"
          + "Waiting for the WAL file [0-9A-F]{24} from server 'pg' \\(max: 30 seconds\\)\n");

      CliRun.Result backup = run(conf, "backup", "--immediate-checkpoint", "--wait", "--wait-timeout", "60",
          "--name", "first-one", "pg");
      assertThat(backup.code()).as(backup.out() + backup.err()).isZero();
      assertThat(backup.err()).isEmpty();
      List<String> lines = backup.out().lines().toList();
      assertThat(lines.get(0)).startsWith("Starting backup using postgres method for server pg in " + home.resolve("pg/base"));
      assertThat(lines).anyMatch(l -> l.startsWith("Backup start at LSN: "))
          .anyMatch(l -> l.startsWith("Starting backup copy via pg_basebackup for "))
          .anyMatch(l -> l.startsWith("Copy done (time: "))
          .contains("Finalising the backup.")
          .anyMatch(l -> l.startsWith("Backup size: "))
          .anyMatch(l -> l.startsWith("Backup end at LSN: "))
          .anyMatch(l -> l.startsWith("Backup completed (start time: "))
          .anyMatch(l -> l.startsWith("Waiting for the WAL file "));
      ServerDirectories d = ServerDirectories.of(home, "pg");
      BackupId id;
      try (Stream<Path> s = Files.list(d.base())) {
        id = BackupId.parse(s.findFirst().orElseThrow().getFileName().toString());
      }
      assertThat(new ServerBackups(d).read(id).status()).isEqualTo(BackupStatus.DONE);
      assertThat(new ServerBackups(d).read(id).backupName()).contains("first-one");

      CliRun.Result json = run(conf, "-f", "json", "backup", "--immediate-checkpoint", "pg");
      assertThat(json.code()).as(json.out() + json.err()).isZero();
      assertThat(json.out()).startsWith("{").contains("\"backup_id\": \"", "\"mode\": \"postgres\"",
          "\"_INFO\": [\"Starting backup using postgres method for server pg in ");

      CliRun.Result list = run(conf, "list-backups", "pg");
      assertThat(list.out()).contains("pg " + id + " 'first-one' - ");
    }
  }
}
