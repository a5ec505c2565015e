package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.barman4j.testing.s3.S3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One S3 bucket (S3Proxy, in this JVM) shared by Barman 3.4's own {@code barman-cloud-*} tools (Debian
 * package {@code barman-cli-cloud}) and this distribution's launchers, on a real PostgreSQL 15: a backup and
 * WAL written by either is listed and restored by the other and the restored server recovers to exactly
 * the expected rows, and our retention deletes exactly what Barman's would. Both sides authenticate through
 * the AWS environment variables, as a postgres service would, and reach the server with {@code
 * --endpoint-url}.
 *
 * <p>Without Barman's tools the tests are skipped with the reason; on CI (environment variable {@code CI}
 * set) they fail instead, since {@code .ci/run} installs them.
 */
class S3InteropOnPostgresIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final String SERVER = "main";
  private static final Pattern BACKUP_ID_JSON = Pattern.compile("\"backup_id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
  /** PostgreSQL's recovery_target_time spelling (it refuses ISO 8601's 'T…Z'). */
  private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSx");

  @TempDir static Path storeDir;
  private static S3TestServer s3;

  @TempDir Path tmp;
  private PgBinaries pg;

  @BeforeAll
  static void startS3() {
    s3 = S3TestServer.builder().credentials("barman4j-interop", "interop-secret").filesystem(storeDir).start();
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @BeforeEach
  void requirements() {
    pg = PgBinaries.forTests(Assumptions::abort);
    barman("barman-cloud-backup");
  }

  @Test
  void aBackupAndWalArchivedByBarmanAreListedAndRestoredByOursToATargetTime() throws Exception {
    String bucket = "barman-to-ours";
    s3.createBucket(bucket);
    String url = "s3://" + bucket + "/pg";
    String target;
    String backupId;
    try (PostgresCluster primary = primary(theirCommand("barman-cloud-wal-archive", "-z", url, SERVER, "%p"))) {
      primary.execute("create table t (id int primary key, at timestamptz not null, pad text)");
      primary.execute("insert into t select -g, now(), repeat('x', 500) from generate_series(1, 20000) g");
      ToolResult backup = run(theirs("barman-cloud-backup", "-z", "-J", "2", "--immediate-checkpoint",
          "-n", "barman-made", "-h", "127.0.0.1", "-p", Integer.toString(primary.port()), "-U", "postgres", url, SERVER));
      assertThat(backup.exitCode()).as(backup.stderr()).isZero();
      // The rest of the archive in bzip2: our restore_command meets both of Barman's suffixes.
      primary.execute("alter system set archive_command = '"
          + theirCommand("barman-cloud-wal-archive", "-j", url, SERVER, "%p") + "'");
      primary.execute("select pg_reload_conf()");
      target = commitRowsAndPickTarget(primary);
      backupId = ids(run(theirs("barman-cloud-backup-list", "--format", "json", url, SERVER))).get(0);
    }
    assertThat(walSuffixes(bucket, "pg/" + SERVER)).contains(".gz", ".bz2");

    ToolResult ourList = run(ours("barman-cloud-backup-list", "--format", "json", url, SERVER));
    assertThat(ourList.exitCode()).as(ourList.stderr()).isZero();
    assertThat(ids(ourList)).containsExactly(backupId);
    assertSameListings(url);

    Path dest = tmp.resolve("restored");
    ToolResult restore = run(ours("barman-cloud-restore", "--target-time", target, "--target-action", "promote",
        url, SERVER, "auto", dest.toString()));
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    assertThat(Files.readString(dest.resolve("postgresql.auto.conf"))).contains("restore_command = '"
        + ToolRun.launcher("barman-cloud-wal-restore") + " --endpoint-url " + s3.endpoint() + " " + url + " "
        + SERVER + " %f %p'");
    try (PostgresCluster restored = PostgresCluster.builder().binaries(pg).environment(s3.environment())
        .fromBaseBackup(dest)) {
      assertRecoveredToTarget(restored);
    }
  }

  @Test
  void aBackupAndGzipThenBzip2WalArchivedByOursAreListedAndRestoredByBarman() throws Exception {
    String bucket = "ours-to-barman";
    s3.createBucket(bucket);
    String url = "s3://" + bucket + "/pg";
    String target;
    String backupId;
    try (PostgresCluster primary = primary(ourCommand("barman-cloud-wal-archive", "--gzip", url, SERVER, "%p"))) {
      primary.execute("create table t (id int primary key, at timestamptz not null, pad text)");
      primary.execute("insert into t select -g, now(), repeat('x', 500) from generate_series(1, 20000) g");
      primary.pgbench("-i", "-s", "2");
      // Split into parts of about 1 MiB, named as barman-cloud-backup -S names them (data.tar.gz, data_0001.tar.gz, ...).
      ToolResult backup = run(ours("barman-cloud-backup", "--gzip", "-S", "1MB", "-J", "2", "--immediate-checkpoint",
          "-n", "ours-made", "-h", "127.0.0.1", "-p", Integer.toString(primary.port()), "-U", "postgres", url, SERVER));
      assertThat(backup.exitCode()).as(backup.stderr()).isZero();
      primary.execute("alter system set archive_command = '"
          + ourCommand("barman-cloud-wal-archive", "--bzip2", url, SERVER, "%p") + "'");
      primary.execute("select pg_reload_conf()");
      target = commitRowsAndPickTarget(primary);
      backupId = ids(run(ours("barman-cloud-backup-list", "--format", "json", url, SERVER))).get(0);
    }
    assertThat(walSuffixes(bucket, "pg/" + SERVER)).contains(".gz", ".bz2");
    assertThat(objects(bucket, "pg/" + SERVER + "/base/" + backupId))
        .as("the backup was split").contains("data.tar.gz", "data_0001.tar.gz");

    ToolResult barmanList = run(theirs("barman-cloud-backup-list", "--format", "json", url, SERVER));
    assertThat(barmanList.exitCode()).as(barmanList.stderr()).isZero();
    assertThat(ids(barmanList)).containsExactly(backupId);
    assertSameListings(url);

    Path dest = tmp.resolve("restored");
    ToolResult restore = run(theirs("barman-cloud-restore", url, SERVER, backupId, dest.toString()));
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    // Barman's restore writes no recovery configuration: the test does, with Barman's restore_command.
    try (PostgresCluster restored = PostgresCluster.builder().binaries(pg).environment(s3.environment())
        .restoreCommand(theirCommand("barman-cloud-wal-restore", url, SERVER, "%f", "%p"))
        .conf("recovery_target_time = '" + target + "'", "recovery_target_action = 'promote'")
        .fromBaseBackup(dest)) {
      assertRecoveredToTarget(restored);
    }
  }

  @Test
  void ourRetentionOnABucketOfBothToolsBackupsDeletesExactlyWhatBarmansWould() throws Exception {
    String bucket = "both-tools";
    s3.createBucket(bucket);
    String url = "s3://" + bucket + "/pg";
    String prefix = "pg/" + SERVER;
    List<String> ids = new ArrayList<>();
    try (PostgresCluster primary = primary(theirCommand("barman-cloud-wal-archive", "-z", url, SERVER, "%p"))) {
      primary.pgbench("-i", "-s", "1");
      for (int i = 0; i < 5; i++) {
        boolean barmans = i % 2 == 0;
        if (i == 2) {
          // From here on our archiver writes the WAL, in gzip as Barman's did.
          primary.execute("alter system set archive_command = '"
              + ourCommand("barman-cloud-wal-archive", "--gzip", url, SERVER, "%p") + "'");
          primary.execute("select pg_reload_conf()");
        }
        primary.pgbench("-c", "1", "-t", "200", "-n");
        List<String> connection = List.of("--immediate-checkpoint", "-z",
            "-h", "127.0.0.1", "-p", Integer.toString(primary.port()), "-U", "postgres", url, SERVER);
        ToolResult backup = run(barmans ? theirs("barman-cloud-backup", connection.toArray(String[]::new))
            : ours("barman-cloud-backup", connection.toArray(String[]::new)));
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        primary.awaitArchived(primary.switchWal(), TIMEOUT);
        List<String> listed = ids(run(ours("barman-cloud-backup-list", "--format", "json", url, SERVER)));
        ids.add(listed.get(listed.size() - 1));
        Thread.sleep(1100); // backup ids have a resolution of one second
      }
    }
    assertThat(ids).doesNotHaveDuplicates().isSorted().hasSize(5);
    // Barman's keep annotation on one of our backups: counted by the policy, never deleted, its WAL kept.
    ToolResult keep = run(theirs("barman-cloud-backup-keep", "--target", "standalone", url, SERVER, ids.get(1)));
    assertThat(keep.exitCode()).as(keep.stderr()).isZero();
    assertSameListings(url);

    ToolResult dryRun = run(theirs("barman-cloud-backup-delete", "--dry-run", "-r", "REDUNDANCY 2", url, SERVER));
    assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
    Set<String> barmanWouldDelete = new TreeSet<>();
    dryRun.stdout().lines().filter(l -> l.startsWith("Skipping deletion of objects")).forEach(line -> {
      Matcher m = QUOTED.matcher(line);
      while (m.find()) {
        barmanWouldDelete.add(m.group(1));
      }
    });
    assertThat(barmanWouldDelete).as("Barman's plan: backups #1 and #3 and WAL")
        .contains(prefix + "/base/" + ids.get(0) + "/backup.info", prefix + "/base/" + ids.get(2) + "/backup.info")
        .anyMatch(key -> key.contains("/wals/"));

    Set<String> before = objects(bucket, prefix);
    ToolResult delete = run(ours("barman-cloud-backup-delete", "-r", "REDUNDANCY 2", url, SERVER));
    assertThat(delete.exitCode()).as(delete.stderr()).isZero();
    Set<String> deleted = new TreeSet<>(before);
    deleted.removeAll(objects(bucket, prefix));
    assertThat(deleted).isEqualTo(barmanWouldDelete.stream().map(k -> k.substring(prefix.length() + 1))
        .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));

    assertThat(ids(run(theirs("barman-cloud-backup-list", "--format", "json", url, SERVER))))
        .containsExactly(ids.get(1), ids.get(3), ids.get(4));
    ToolResult again = run(theirs("barman-cloud-backup-delete", "--dry-run", "-r", "REDUNDANCY 2", url, SERVER));
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout()).as("Barman finds nothing more to delete").doesNotContain("Skipping deletion");
  }

  // ---------------------------------------------------------------------------------------------------------

  private PostgresCluster primary(String archiveCommand) {
    return PostgresCluster.builder().binaries(pg).environment(s3.environment()).archiveCommand(archiveCommand).init();
  }

  /** Six rows a second apart after a base of 20000; returns a time between the 2nd and 3rd commit. */
  private static String commitRowsAndPickTarget(PostgresCluster primary) throws InterruptedException {
    List<Instant> commits = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      Thread.sleep(1000);
      primary.execute("insert into t values (" + i + ", clock_timestamp(), 'row " + i + "')");
      commits.add(Instant.EPOCH.plusNanos(1000 * Long.parseLong(
          primary.queryValue("select (extract(epoch from at) * 1000000)::bigint from t where id = " + i))));
    }
    primary.awaitArchived(primary.switchWal(), TIMEOUT);
    Instant between = commits.get(1).plusMillis(Duration.between(commits.get(1), commits.get(2)).toMillis() / 2);
    return OffsetDateTime.ofInstant(between, ZoneOffset.UTC).format(PG_TIME);
  }

  private static void assertRecoveredToTarget(PostgresCluster restored) throws IOException {
    restored.awaitRecoveryEnd(TIMEOUT);
    assertThat(restored.queryValue("select string_agg(id::text, ',' order by id) from t where id > 0"))
        .as("exactly the rows committed before the target").isEqualTo("1,2");
    assertThat(restored.queryValue("select count(*) from t where id < 0")).isEqualTo("20000");
    assertThat(Files.readString(restored.serverLog()))
        .contains("restored log file")
        .contains("recovery stopping before commit");
  }

  /** Whether both tools print the same console listing (columns, times, keep status, names). */
  private static void assertSameListings(String url) throws Exception {
    ToolResult theirs = run(theirs("barman-cloud-backup-list", url, SERVER));
    ToolResult mine = run(ours("barman-cloud-backup-list", url, SERVER));
    assertThat(theirs.exitCode()).as(theirs.stderr()).isZero();
    assertThat(mine.exitCode()).as(mine.stderr()).isZero();
    assertThat(mine.stdout()).isEqualTo(theirs.stdout());
  }

  private static List<String> ids(ToolResult list) {
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    List<String> ids = new ArrayList<>();
    Matcher m = BACKUP_ID_JSON.matcher(list.stdout());
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /** Keys under {@code prefix} in {@code bucket}, relative to the prefix, read from S3Proxy's directory. */
  private static Set<String> objects(String bucket, String prefix) throws IOException {
    Path root = storeDir.resolve(bucket).resolve(prefix);
    Set<String> keys = new TreeSet<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(Files::isRegularFile).forEach(p -> keys.add(root.relativize(p).toString()));
      }
    }
    return keys;
  }

  private static Set<String> walSuffixes(String bucket, String prefix) throws IOException {
    Set<String> suffixes = new TreeSet<>();
    for (String key : objects(bucket, prefix)) {
      if (key.startsWith("wals/") && key.matches(".*/[0-9A-F]{24}\\.[a-z0-9]+")) {
        suffixes.add(key.substring(key.lastIndexOf('.')));
      }
    }
    return suffixes;
  }

  // --- the two tool sets --------------------------------------------------------------------------------

  /** Barman's tool {@code name}; skips the test with the reason, or fails it on CI. */
  private static Path barman(String name) {
    Optional<Path> found = Stream.concat(Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":")),
            Stream.of("/usr/bin"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
    if (found.isEmpty()) {
      String reason = "Barman's " + name + " is not installed (Debian package barman-cli-cloud:"
          + " apt-get install -y barman-cli-cloud)";
      if (System.getenv("CI") != null) {
        fail(reason + "; CI must have it (.ci/run installs it)");
      }
      Assumptions.abort(reason);
    }
    return found.get();
  }

  private static String[] theirs(String name, String... args) {
    return withEndpoint(barman(name), args);
  }

  private static String[] ours(String name, String... args) {
    return withEndpoint(ToolRun.launcher(name), args);
  }

  private static String ourCommand(String name, String... args) {
    return String.join(" ", ours(name, args));
  }

  private static String theirCommand(String name, String... args) {
    return String.join(" ", theirs(name, args));
  }

  private static String[] withEndpoint(Path tool, String... args) {
    List<String> command = new ArrayList<>(List.of(tool.toString(), "--endpoint-url", s3.endpoint().toString()));
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  /** Runs {@code command} with the S3 server's credentials in the environment. */
  private static ToolResult run(String... command) throws IOException, InterruptedException {
    return ToolRun.command(List.of(command)).noInput().env(s3.environment()).timeout(TIMEOUT).run();
  }
}
