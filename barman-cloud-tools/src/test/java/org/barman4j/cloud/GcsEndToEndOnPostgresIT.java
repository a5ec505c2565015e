package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.gcs.testserver.FakeGcsServer;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Barman's whole cycle on Google Cloud Storage with the distribution's launchers and a real PostgreSQL 15:
 * {@code barman-cloud-wal-archive --cloud-provider google-cloud-storage} as archive_command, {@code
 * barman-cloud-backup}, {@code barman-cloud-restore} to a target time, and recovery through {@code
 * barman-cloud-wal-restore}, all against the GCS JSON API fake over HTTP, which the tools find through
 * {@code STORAGE_EMULATOR_HOST} as Google's clients do.
 */
class GcsEndToEndOnPostgresIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String BUCKET = "pg-backups";

  @TempDir Path tmp;

  private FakeGcsServer gcs;

  @BeforeEach
  void startGcs() throws IOException {
    gcs = FakeGcsServer.start().createBucket(BUCKET);
  }

  @AfterEach
  void stopGcs() {
    gcs.close();
  }

  private String emulator() {
    return "STORAGE_EMULATOR_HOST=" + gcs.hostAndPort();
  }

  @Test
  void walArchiveBackupRestoreAndPointInTimeRecoveryOnGcs() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    String url = "gs://" + BUCKET + "/cluster";
    String provider = "--cloud-provider google-cloud-storage";
    String target;
    try (PostgresCluster primary = PostgresCluster.builder().binaries(pg)
        .archiveCommand(emulator() + " " + ToolRun.launcher("barman-cloud-wal-archive") + " " + provider
            // --tags takes any number of values: another option must end them, as with Barman's parser.
            + " --tags env,ci --gzip " + url + " main %p")
        .init()) {
      primary.execute("create table t (id int primary key, at timestamptz not null, pad text)");
      primary.execute("insert into t select -g, now(), repeat('x', 500) from generate_series(1, 20000) g");
      String host = Files.exists(primary.tempDir().resolve(".s.PGSQL." + primary.port()))
          ? primary.tempDir().toString() : "127.0.0.1";
      ToolResult backup = run("barman-cloud-backup", "--cloud-provider", "google-cloud-storage",
          "--tags", "env,ci", "--gzip", "--immediate-checkpoint", "-h", host, "-p", Integer.toString(primary.port()),
          "-U", "postgres", url, "main");
      assertThat(backup.exitCode()).as(backup.stderr()).isZero();
      assertThat(backup.stderr()).as("a normal run prints nothing on stderr").isEmpty();
      List<Instant> commits = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        Thread.sleep(1000);
        primary.execute("insert into t values (" + i + ", clock_timestamp(), 'row " + i + "')");
        commits.add(Instant.EPOCH.plusNanos(1000 * Long.parseLong(
            primary.queryValue("select (extract(epoch from at) * 1000000)::bigint from t where id = " + i))));
      }
      primary.awaitArchived(primary.switchWal(), TIMEOUT);
      assertThat(primary.queryValue("select failed_count from pg_stat_archiver")).isEqualTo("0");
      target = OffsetDateTime.ofInstant(commits.get(1).plusMillis(
          Duration.between(commits.get(1), commits.get(2)).toMillis() / 2), ZoneOffset.UTC).toString();
      assertThat(Files.readString(primary.serverLog()))
          .as("the archive_command printed nothing into the server log")
          .doesNotContain(" WARN ").doesNotContain("SLF4J").doesNotContain("Exception").doesNotContain("com.google");
    }

    List<String> names = gcs.objectNames(BUCKET);
    assertThat(names).anyMatch(n -> n.startsWith("cluster/main/wals/") && n.endsWith(".gz"))
        .anyMatch(n -> n.startsWith("cluster/main/base/") && n.endsWith("/data.tar.gz"))
        .anyMatch(n -> n.startsWith("cluster/main/base/") && n.endsWith("/backup.info"));
    String wal = names.stream().filter(n -> n.startsWith("cluster/main/wals/")).findFirst().orElseThrow();
    assertThat(gcs.metadata(BUCKET, wal)).as("tags are object metadata, as Barman writes them")
        .containsAllEntriesOf(Map.of("env", "ci")).containsKey("wal_crc32c").hasSize(2);

    Path dest = tmp.resolve("restored");
    ToolResult list = run("barman-cloud-backup-list", "--cloud-provider", "google-cloud-storage",
        url, "main");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    ToolResult restore = run("barman-cloud-restore", "--cloud-provider", "google-cloud-storage",
        "--target-time", target, "--target-action", "promote", url, "main", "latest", dest.toString());
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    assertThat(restore.stderr()).isEmpty();
    String written = Files.readString(dest.resolve("postgresql.auto.conf"));
    assertThat(written).contains("restore_command = '" + ToolRun.launcher("barman-cloud-wal-restore")
        + " --cloud-provider google-cloud-storage " + url + " main %f %p'");
    // The restored server's environment lacks the emulator's address: give it to the same command.
    Files.writeString(dest.resolve("postgresql.auto.conf"), "restore_command = '" + emulator() + " "
        + ToolRun.launcher("barman-cloud-wal-restore") + " --cloud-provider google-cloud-storage " + url
        + " main %f %p'\n",
        StandardOpenOption.APPEND);

    try (PostgresCluster restored = PostgresCluster.builder().binaries(pg).fromBaseBackup(dest)) {
      restored.awaitRecoveryEnd(TIMEOUT);
      assertThat(restored.queryValue("select string_agg(id::text, ',' order by id) from t where id > 0"))
          .as("exactly the rows committed before the target").isEqualTo("1,2");
      assertThat(restored.queryValue("select count(*) from t where id < 0")).isEqualTo("20000");
      assertThat(Files.readString(restored.serverLog()))
          .contains("restored log file")
          .contains("recovery stopping before commit");
    }
  }

  private ToolResult run(String tool, String... args) throws IOException, InterruptedException {
    return ToolRun.tool(tool, args).env("STORAGE_EMULATOR_HOST", gcs.hostAndPort())
        .timeout(Duration.ofMinutes(10)).run();
  }
}
