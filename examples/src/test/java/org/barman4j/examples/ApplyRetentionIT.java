package org.barman4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.retention.BackupDeleter;
import org.barman4j.retention.RetentionPlan;
import org.barman4j.retention.RetentionPolicy;
import org.barman4j.retention.RetentionStatus;
import org.barman4j.wal.StoredWal;
import org.barman4j.wal.WalFileName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ApplyRetention} on three backups of a PostgreSQL 15 with {@code REDUNDANCY 2}: the plan names the
 * oldest backup alone as obsolete and deletes nothing; enforcing it deletes that backup and the WAL only it
 * needed.
 */
class ApplyRetentionIT {
  @TempDir Path tmp;

  @Test
  void redundancyTwoDeletesExactlyTheOldestOfThreeBackups() throws Exception {
    try (RecipeServer server = RecipeServer.start(tmp.resolve("store"))) {
      List<BackupId> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if (i > 0) {
          Thread.sleep(1100); // backup identifiers have a resolution of one second
        }
        server.cluster.execute("create table t" + i + " as select generate_series(1, 1000) g");
        ids.add(server.backUp().info().backupId());
        server.archiveCurrentWal();
      }
      RetentionPolicy policy = RetentionPolicy.parse("REDUNDANCY 2");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

      RetentionPlan plan = ApplyRetention.plan(server.barman, policy, 1, print);
      assertThat(plan.obsolete()).containsExactly(ids.get(0));
      assertThat(plan.status(ids.get(1))).isEqualTo(RetentionStatus.VALID);
      assertThat(plan.status(ids.get(2))).isEqualTo(RetentionStatus.VALID);
      assertThat(backupIds(server)).as("the plan deletes nothing").containsExactlyElementsOf(ids);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains(ids.get(0) + " OBSOLETE")
          .contains(ids.get(2) + " VALID");

      BackupDeleter.Outcome outcome = ApplyRetention.enforce(server.barman, policy, 1, print);
      assertThat(outcome.deleted()).containsExactly(ids.get(0));
      assertThat(backupIds(server)).containsExactly(ids.get(1), ids.get(2));
      assertThat(outcome.walObjectsDeleted()).isPositive();
      String firstNeeded = server.barman.show(ids.get(1).toString()).beginWal().orElseThrow();
      assertThat(server.barman.wal().list()).extracting(StoredWal::wal)
          .filteredOn(wal -> wal.type() == WalFileName.Type.SEGMENT)
          .allSatisfy(wal -> assertThat(wal.name()).isGreaterThanOrEqualTo(firstNeeded));
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("deleting backup " + ids.get(0));
    }
  }

  private static List<BackupId> backupIds(RecipeServer server) {
    return server.barman.list().backups().stream().map(BackupInfo::backupId).toList();
  }
}
