package org.barman4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.barman4j.backup.BackupResult;
import org.barman4j.recovery.RestoreResult;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PointInTimeRestore}: a backup, rows committed before and after a target time, a restore to that
 * time whose {@code restore_command} is the application's own ({@link ArchiveAndRestoreWal}), and a server
 * started on it that holds exactly the rows committed before the target.
 */
class PointInTimeRestoreIT {
  @TempDir Path tmp;

  @Test
  void theRestoredServerHoldsExactlyTheRowsCommittedBeforeTheTarget() throws Exception {
    Path restored = tmp.resolve("restored");
    OffsetDateTime target;
    RestoreResult result;
    try (RecipeServer server = RecipeServer.start(tmp.resolve("store"))) {
      server.cluster.execute("create table t (id int primary key)");
      BackupResult backup = server.backUp();
      Thread.sleep(1100); // the backup's end_time has a resolution of one second
      server.cluster.execute("insert into t values (1)");
      server.cluster.execute("insert into t values (2)");
      Thread.sleep(100);
      target = now(server);
      Thread.sleep(100);
      server.cluster.execute("insert into t values (3)");
      server.cluster.execute("insert into t values (4)");
      server.archiveCurrentWal();

      result = PointInTimeRestore.restore(server.barman, ArchiveAndRestoreWal.restoreCommand(
          RecipeServer.classPathFile(server.store), server.url, RecipeServer.SERVER), target, restored);
      assertThat(result.backupId()).isEqualTo(backup.info().backupId());
    }

    // PointInTimeRestore.start runs pg_ctl, which refuses to run as root; the testkit starts the same data
    // directory as an unprivileged user when the test runs as root.
    assertThat(Files.readString(restored.resolve("postgresql.auto.conf")))
        .contains("ArchiveAndRestoreWal restore").contains("recovery_target_action = 'promote'");
    try (PostgresCluster pg = PostgresCluster.builder().binaries(PgBinaries.forTests(Assumptions::abort))
        .fromBaseBackup(restored)) {
      pg.awaitRecoveryEnd(RecipeServer.TIMEOUT);
      assertThat(pg.queryValue("select string_agg(id::text, ',' order by id) from t"))
          .as("exactly the rows committed before %s", target).isEqualTo("1,2");
      assertThat(Files.readString(pg.serverLog())).contains("restored log file").contains("recovery stopping before");
    }
  }

  private static OffsetDateTime now(RecipeServer server) {
    long micros = Long.parseLong(server.cluster.queryValue(
        "select (extract(epoch from clock_timestamp()) * 1000000)::bigint"));
    return OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
  }
}
