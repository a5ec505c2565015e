package org.barman4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code barman} on real PostgreSQL 15 clusters, side by side with Debian's Barman 3.4 on the
 * same {@code barman.conf} and the same {@code barman_home}: WAL archived through {@code incoming/} and
 * {@code cron}, streaming backups, point-in-time recovery, retention, JSON output and a killed backup.
 */
class BarmanServerOnPostgresIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path tmp;

  /** A barman_home and its configuration, with one section per cluster. */
  private Path configure(Map<String, PostgresCluster> servers, String extra) throws IOException {
    Path home = tmp.resolve("barman");
    StringBuilder conf = new StringBuilder("[barman]\nbarman_home = " + home + "\nbarman_user = "
        + System.getProperty("user.name") + "\nlog_file = " + tmp.resolve("barman.log") + "\ncompression = gzip\n"
        + extra + "\n");
    for (Map.Entry<String, PostgresCluster> s : servers.entrySet()) {
      String conninfo = "host=127.0.0.1 port=" + s.getValue().port() + " user=postgres dbname=postgres";
      conf.append("\n[").append(s.getKey()).append("]\ndescription = Cluster ").append(s.getKey())
          .append("\nconninfo = ").append(conninfo).append("\nstreaming_conninfo = ").append(conninfo)
          .append("\nbackup_method = postgres\narchiver = on\n");
    }
    Path file = tmp.resolve("barman.conf");
    Files.writeString(file, conf.toString(), StandardCharsets.UTF_8);
    return file;
  }

  /** The incoming/ directory of {@code server}, which PostgreSQL's archive_command writes into. */
  private Path incoming(String server) throws IOException {
    Path dir = tmp.resolve("barman").resolve(server).resolve("incoming");
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  private static PostgresCluster cluster(PgBinaries pg, Path incoming) {
    return PostgresCluster.builder().binaries(pg)
        .archiveCommand("test ! -f " + incoming + "/%f && cp %p " + incoming + "/%f")
        .init();
  }

  /** Writes {@code count} rows one after another and returns the clock_timestamp() between rows 2 and 3. */
  private static String writeRows(PostgresCluster pg, int count) throws InterruptedException {
    pg.execute("create table if not exists events (id int primary key, at timestamptz default clock_timestamp())");
    String target = "";
    for (int i = 1; i <= count; i++) {
      pg.execute("insert into events (id) values (" + i + ")");
      Thread.sleep(1100);
      if (i == 2) {
        target = pg.queryValue("select clock_timestamp()");
        Thread.sleep(1100);
      }
    }
    pg.awaitArchived(pg.switchWal(), TIMEOUT);
    return target;
  }

  private static String rowsOf(Path restored, PgBinaries pg) {
    try (PostgresCluster server = PostgresCluster.builder().binaries(pg).fromBaseBackup(restored)) {
      server.awaitRecoveryEnd(TIMEOUT);
      return server.queryValue("select string_agg(id::text, ',' order by id) from events");
    }
  }

  private static String backupId(BarmanRun barman, String server) throws Exception {
    List<String> ids = barman.run("list-backups", "--minimal", server).ok().out().lines().toList();
    assertThat(ids).as("backups of %s", server).isNotEmpty();
    return ids.get(0).strip();
  }

  @Test
  void twoServersArchiveThroughCronBackUpAndRecoverToATargetTimeWithOursAndWithBarman34() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    try (PostgresCluster one = cluster(pg, incoming("one")); PostgresCluster two = cluster(pg, incoming("two"))) {
      Map<String, PostgresCluster> servers = new LinkedHashMap<>();
      servers.put("one", one);
      servers.put("two", two);
      Path conf = configure(servers, "");
      BarmanRun ours = BarmanRun.ours(conf);
      BarmanRun barman34 = BarmanRun.barman34(conf);
      one.pgbench("-i", "-s", "1");
      two.pgbench("-i", "-s", "1");

      // WAL reaches wals/ through incoming/ and cron; then one backup of each server
      ours.run("switch-wal", "--force", "--archive", "all").ok();
      ours.run("backup", "--wait", "all").ok();
      Map<String, String> targets = new LinkedHashMap<>();
      targets.put("one", writeRows(one, 4));
      targets.put("two", writeRows(two, 4));
      ours.run("cron").ok();
      ours.run("archive-wal", "one").ok();
      ours.run("archive-wal", "two").ok();

      for (String server : servers.keySet()) {
        String id = backupId(ours, server);
        assertThat(ours.run("list-backups", server).ok().out()).contains(server + " " + id + " - ")
            .doesNotContain("FAILED");
        // (a) ours recovers its backup to the target time: exactly the rows committed before it
        Path mine = tmp.resolve("restored-ours-" + server);
        ours.run("recover", "--target-time", targets.get(server), "--target-action", "promote", server, id,
            mine.toString()).ok();
        assertThat(rowsOf(mine, pg)).as("rows of %s recovered by Barman4J", server).isEqualTo("1,2");
        // (b) Barman 3.4 lists the same backup and recovers it from the same barman_home
        assertThat(barman34.run("list-backups", server).ok().out()).contains(server + " " + id + " - ");
        Path theirs = tmp.resolve("restored-34-" + server);
        barman34.run("recover", "--target-time", targets.get(server), "--target-action", "promote", server, id,
            theirs.toString()).ok();
        assertThat(rowsOf(theirs, pg)).as("rows of %s recovered by Barman 3.4", server).isEqualTo("1,2");
      }

      // (d) JSON output parses, with the keys Barman 3.4 prints on the same catalogue
      for (String[] command : List.of(new String[] {"list-backups", "all"}, new String[] {"show-backup", "one", "latest"},
          new String[] {"status", "one"}, new String[] {"list-servers"})) {
        List<String> args = new ArrayList<>(List.of("-f", "json"));
        args.addAll(List.of(command));
        String mine = ours.run(args.toArray(String[]::new)).ok().out();
        String theirs = barman34.run(args.toArray(String[]::new)).ok().out();
        assertThat(JsonKeys.of(mine)).as("JSON keys of %s", String.join(" ", command)).isEqualTo(JsonKeys.of(theirs));
      }
    }
  }

  @Test
  void aBackupTakenByBarman34IsListedShownAndRecoveredByOursToATargetTime() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    try (PostgresCluster one = cluster(pg, incoming("one"))) {
      Path conf = configure(Map.of("one", one), "");
      BarmanRun ours = BarmanRun.ours(conf);
      BarmanRun barman34 = BarmanRun.barman34(conf);
      one.pgbench("-i", "-s", "1");
      barman34.run("switch-wal", "--force", "--archive", "one").ok();
      barman34.run("backup", "one").ok();
      String id = backupId(barman34, "one");
      String target = writeRows(one, 4);
      barman34.run("archive-wal", "one").ok();

      assertThat(ours.run("list-backups", "one").ok().out()).startsWith("one " + id + " - ");
      assertThat(ours.run("show-backup", "one", id).ok().out()).contains("Backup " + id + ":")
          .contains("Status                 : DONE");
      Path restored = tmp.resolve("restored");
      ours.run("recover", "--target-time", target, "--target-action", "promote", "one", id, restored.toString()).ok();
      assertThat(rowsOf(restored, pg)).isEqualTo("1,2");
    }
  }

  @Test
  void retentionThroughCronLeavesExactlyWhatBarman34sCronLeaves() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    try (PostgresCluster one = cluster(pg, incoming("one"))) {
      Path conf = configure(Map.of("one", one), "");
      BarmanRun ours = BarmanRun.ours(conf);
      one.pgbench("-i", "-s", "1");
      ours.run("switch-wal", "--force", "--archive", "one").ok();
      for (int i = 0; i < 4; i++) {
        ours.run("backup", "--wait", "one").ok();
        one.pgbench("-n", "-t", "200");
        ours.run("switch-wal", "--force", "--archive", "one").ok();
        Thread.sleep(1100); // backup ids have one-second resolution
      }
      assertThat(ours.run("list-backups", "--minimal", "one").ok().out().lines()).hasSize(4);

      // two copies of the catalogue, each with REDUNDANCY 2; one goes through our cron, one through Barman 3.4's
      Path home = tmp.resolve("barman");
      Map<String, Path> copies = new LinkedHashMap<>();
      for (String who : List.of("ours", "theirs")) {
        Path copy = tmp.resolve("home-" + who);
        copyTree(home, copy);
        Path c = tmp.resolve("barman-" + who + ".conf");
        Files.writeString(c, Files.readString(conf).replace("barman_home = " + home, "barman_home = " + copy)
            .replace("archiver = on\n", "archiver = on\nretention_policy = REDUNDANCY 2\n"));
        copies.put(who, copy);
        (who.equals("ours") ? BarmanRun.ours(c) : BarmanRun.barman34(c)).run("cron").ok();
      }
      // Barman 3.4's cron starts archive-wal in the background: wait for it to let go of its lock
      Thread.sleep(3000);
      assertThat(listing(copies.get("ours").resolve("one/base"))).as("backups left")
          .isEqualTo(listing(copies.get("theirs").resolve("one/base"))).hasSize(2);
      assertThat(walNames(copies.get("ours"))).as("WAL left").isEqualTo(walNames(copies.get("theirs")));
    }
  }

  @Test
  void aBackupKilledWithSigkillIsNotDoneAndTheNextBackupSucceeds() throws Exception {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    try (PostgresCluster one = cluster(pg, incoming("one"))) {
      Path conf = configure(Map.of("one", one), "");
      BarmanRun ours = BarmanRun.ours(conf);
      one.pgbench("-i", "-s", "20");
      ours.run("switch-wal", "--force", "--archive", "one").ok();
      BarmanRun.Started backup = ours.start("backup", "one");
      Path base = tmp.resolve("barman/one/base");
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!hasDataFiles(base) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      backup.process().toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      backup.process().destroyForcibly();
      backup.process().waitFor();
      String killed = ours.run("list-backups", "one").ok().out();
      assertThat(killed).as("a killed backup").doesNotContain(" - Size:").containsAnyOf("FAILED", "STARTED");
      Thread.sleep(1100);
      ours.run("backup", "--wait", "one").ok();
      assertThat(ours.run("list-backups", "one").ok().out().lines().findFirst().orElseThrow())
          .contains(" - Size: ").doesNotContain("FAILED");
    }
  }

  private static boolean hasDataFiles(Path base) throws IOException {
    if (!Files.isDirectory(base)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(base)) {
      return files.anyMatch(p -> p.toString().contains("/data/base/"));
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> walNames(Path home) throws IOException {
    try (Stream<Path> files = Files.walk(home.resolve("one/wals"))) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("xlog.db")).sorted().toList();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().startsWith(".")) { // lock files stay behind
          Files.copy(p, target);
        }
      }
    }
  }
}
