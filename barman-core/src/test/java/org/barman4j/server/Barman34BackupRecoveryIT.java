package org.barman4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.recovery.RecoveryTarget;
import org.barman4j.recovery.TargetAction;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup taken by Barman 3.4's own {@code barman backup}, with WAL archived by its own {@code archive-wal},
 * recovered by Barman4J to a target time on real PostgreSQL 15.
 */
class Barman34BackupRecoveryIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private static String barman(Path conf, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/barman", "-c", conf.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args) + ":\n" + out).isZero();
    return out;
  }

  @Test
  void aBackupTakenByBarman34IsRecoveredToATargetTime() throws Exception {
    ServerCatalogueFixture catalogue = new ServerCatalogueFixture(Files.createDirectories(tmp.resolve("barman")), "pg");
    try (PostgresCluster origin = PostgresCluster.builder().archiveScript(catalogue.archiveScript()).init()) {
      Path conf = catalogue.barmanConf(origin);
      Files.writeString(conf, "path_prefix = /usr/lib/postgresql/15/bin\n", java.nio.file.StandardOpenOption.APPEND);
      origin.execute("create table t(id int primary key)");
      origin.awaitArchived(origin.switchWal(), TIMEOUT);
      barman(conf, "archive-wal", "pg");
      barman(conf, "backup", "pg");
      origin.awaitArchived(origin.switchWal(), TIMEOUT);
      barman(conf, "archive-wal", "pg");
      for (int i = 1; i <= 3; i++) {
        origin.execute("insert into t values (" + i + ")");
      }
      Thread.sleep(1100);
      String target = origin.queryValue(
          "select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00'");
      Thread.sleep(1100);
      origin.execute("insert into t values (4)");
      origin.awaitArchived(origin.switchWal(), TIMEOUT);
      barman(conf, "archive-wal", "pg");

      List<BackupInfo> backups = new ServerBackups(catalogue.dirs).list();
      assertThat(backups).hasSize(1);
      BackupInfo backup = backups.get(0);
      assertThat(backup.isDone()).as(backup.toString()).isTrue();
      Path dest = tmp.resolve("dest");
      new ServerRecovery(catalogue.dirs, "root", Clock.systemDefaultZone()).recover(backup,
          RecoverOptions.builder(dest).target(RecoveryTarget.parseTime(target, ZoneOffset.UTC))
              .targetAction(TargetAction.PROMOTE).build(), line -> { });
      try (PostgresCluster restored = PostgresCluster.builder().fromBaseBackup(dest)) {
        restored.awaitRecoveryEnd(TIMEOUT);
        assertThat(restored.queryValue("select string_agg(id::text, ',' order by id) from t")).isEqualTo("1,2,3");
      }
    }
  }
}
