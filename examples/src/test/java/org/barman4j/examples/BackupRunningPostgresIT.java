package org.barman4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.barman4j.backup.BackupResult;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.postgres.PostgresSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** {@link BackupRunningPostgres} on a running PostgreSQL 15, through an application's {@code DataSource}. */
class BackupRunningPostgresIT {
  @TempDir Path tmp;

  @Test
  void takesADoneBackupReportingItsProgress() throws Exception {
    try (RecipeServer server = RecipeServer.start(tmp.resolve("store"))) {
      server.cluster.execute("create table t as select g, repeat('x', 200) as pad from generate_series(1, 20000) g");
      PGSimpleDataSource dataSource = new PGSimpleDataSource();
      dataSource.setURL(server.cluster.jdbcUrl());

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BackupResult result = BackupRunningPostgres.backUp(server.barman, PostgresSource.of(dataSource),
          new PrintStream(out, true, StandardCharsets.UTF_8));

      String id = result.info().backupId().toString();
      Path backupDir = server.store.resolve("main/base").resolve(id);
      assertThat(Files.readString(backupDir.resolve("backup.info"))).contains("status=DONE");
      assertThat(backupDir.resolve("data.tar.zst")).isNotEmptyFile();
      assertThat(server.barman.show(id).status()).isEqualTo(BackupStatus.DONE);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("BACKUP STARTING").contains("BACKUP COPYING").contains("BACKUP DONE")
          .contains("backup " + id + ": DONE");
    }
  }
}
