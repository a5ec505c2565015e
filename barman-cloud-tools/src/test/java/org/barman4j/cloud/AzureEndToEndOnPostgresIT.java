package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.storage.testkit.Azurite;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cycle on a real PostgreSQL 15 against Azure Blob Storage (Azurite), through the distribution's
 * launchers only: WAL archived by {@code barman-cloud-wal-archive} as archive_command (the connection string
 * in its environment), a base backup by {@code barman-cloud-backup}, a point-in-time restore by {@code
 * barman-cloud-restore}, and recovery through the {@code barman-cloud-wal-restore} restore_command it wrote.
 */
class AzureEndToEndOnPostgresIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final int ROWS = 6;
  private static final int ROWS_BEFORE_TARGET = 3;

  @TempDir Path tmp;

  private static ToolResult run(Azurite azurite, String tool, String... args)
      throws IOException, InterruptedException {
    return ToolRun.tool(tool, args).env("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString())
        .timeout(Duration.ofMinutes(5)).run();
  }

  /** A script that runs {@code tool} with the connection string in its environment, as an operator would. */
  private Path withConnectionString(Azurite azurite, String tool) throws IOException {
    Path script = tmp.resolve(tool + ".sh");
    Files.writeString(script, "#!/bin/sh\nAZURE_STORAGE_CONNECTION_STRING='" + azurite.connectionString() + "'\n"
        + "export AZURE_STORAGE_CONNECTION_STRING\nexec " + ToolRun.launcher(tool) + " \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  @Test
  void archiveBackupAndPointInTimeRestoreThroughAzureBlobStorage() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    try (Azurite azurite = Azurite.start()) {
      String url = azurite.url("barman", "pg/cluster"); // the container does not exist yet
      Path archiver = withConnectionString(azurite, "barman-cloud-wal-archive");
      String target;
      try (PostgresCluster primary = PostgresCluster.builder().binaries(pg)
          .archiveCommand(archiver + " --cloud-provider azure-blob-storage --gzip " + url + " main %p")
          .init()) {
        primary.execute("create table t (id int primary key, at timestamptz not null, pad text)");
        primary.execute("insert into t select -g, now(), repeat('x', 500) from generate_series(1, 20000) g");
        ToolResult backup = run(azurite, "barman-cloud-backup", "--cloud-provider", "azure-blob-storage", "--gzip",
            "-h", "127.0.0.1", "-p", Integer.toString(primary.port()), "-U", "postgres", url, "main");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        assertThat(backup.stderr()).as("the backup's stderr").isEmpty();
        List<Instant> commits = new ArrayList<>();
        for (int i = 1; i <= ROWS; i++) {
          Thread.sleep(1000);
          primary.execute("insert into t values (" + i + ", clock_timestamp(), 'row " + i + "')");
          String micros = primary.queryValue("select (extract(epoch from at) * 1000000)::bigint from t where id = " + i);
          commits.add(Instant.EPOCH.plusNanos(Long.parseLong(micros) * 1000));
        }
        primary.awaitArchived(primary.switchWal(), TIMEOUT);
        Instant before = commits.get(ROWS_BEFORE_TARGET - 1);
        Instant after = commits.get(ROWS_BEFORE_TARGET);
        target = OffsetDateTime.ofInstant(before.plusMillis(Duration.between(before, after).toMillis() / 2),
            ZoneOffset.UTC).toString();
        assertThat(Files.readString(primary.serverLog())).as("the archive_command's output in the server log")
            .doesNotContain("ERROR:", "WARN", "restricted", "Exception");
      }

      ToolResult list = run(azurite, "barman-cloud-backup-list", "--cloud-provider", "azure-blob-storage", url, "main");
      assertThat(list.exitCode()).as(list.stderr()).isZero();

      Path dest = tmp.resolve("restored");
      ToolResult restore = run(azurite, "barman-cloud-restore", "--cloud-provider", "azure-blob-storage",
          "--target-time", target, "--target-action", "promote", url, "main", "auto", dest.toString());
      assertThat(restore.exitCode()).as(restore.stderr()).isZero();
      Path autoConf = dest.resolve("postgresql.auto.conf");
      String written = ToolRun.launcher("barman-cloud-wal-restore") + " --cloud-provider azure-blob-storage " + url
          + " main %f %p";
      String conf = Files.readString(autoConf);
      assertThat(conf).contains("restore_command = '" + written + "'");
      // The restored server's environment lacks the connection string: call the same command through a
      // script that sets it, as an operator's environment would.
      Files.writeString(autoConf, conf.replace(ToolRun.launcher("barman-cloud-wal-restore").toString(),
          withConnectionString(azurite, "barman-cloud-wal-restore").toString()));

      try (PostgresCluster restored = PostgresCluster.builder().binaries(pg).fromBaseBackup(dest)) {
        restored.awaitRecoveryEnd(TIMEOUT);
        assertThat(restored.queryValue("select string_agg(id::text, ',' order by id) from t where id > 0"))
            .as("exactly the rows committed before the target").isEqualTo("1,2,3");
        assertThat(restored.queryValue("select count(*) from t where id < 0")).isEqualTo("20000");
        assertThat(Files.readString(restored.serverLog()))
            .contains("restored log file")
            .contains("recovery stopping before commit");
      }
    }
  }
}
