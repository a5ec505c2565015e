package org.barman4j.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;

/**
 * The demo: the whole cycle on the local disk with the distribution's tools. A throwaway PostgreSQL 15
 * archives its WAL through {@code barman-cloud-wal-archive}; {@code barman-cloud-backup} takes a base
 * backup; timestamped rows are written; {@code barman-cloud-restore} restores to a time between two of them;
 * the restored server recovers through {@code barman-cloud-wal-restore} and is checked.
 *
 * <p>Run with {@code -Dbarman4j.home=…/barman-cli/target/barman4j} (the distribution).
 */
public final class PitrDemo {
  private PitrDemo() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("barman4j.home", "barman-cli/target/barman4j")).toAbsolutePath();
    if (!Files.isExecutable(home.resolve("bin/barman-cloud-backup"))) {
      throw new IllegalStateException("No distribution at " + home + ": run 'mvn package' first");
    }
    Path work = Files.createTempDirectory("barman4j-demo-");
    String url = "file://" + work.resolve("backups");
    PgBinaries pg = PgBinaries.require();
    boolean ok;
    System.out.println("Barman4J demo: backup, WAL archiving and point-in-time recovery on the local disk (" + url + ")");
    try {
      ok = run(home, work, url, pg);
    } finally {
      deleteTree(work);
    }
    System.exit(ok ? 0 : 1);
  }

  private static boolean run(Path home, Path work, String url, PgBinaries pg) throws Exception {
    String target;
    try (PostgresCluster primary = PostgresCluster.builder().binaries(pg)
        .archiveCommand(home.resolve("bin/barman-cloud-wal-archive") + " --zstd " + url + " demo %p")
        .init()) {
      primary.pgbench("-i", "-s", "10");
      System.out.println("  1. PostgreSQL 15 on port " + primary.port() + " with 1,000,000 pgbench rows, archiving its WAL"
          + " through barman-cloud-wal-archive --zstd");

      long start = System.nanoTime();
      String out = tool(home, "barman-cloud-backup", "--zstd", "--immediate-checkpoint", "-h", "127.0.0.1", "-p",
          Integer.toString(primary.port()), "-U", "postgres", url, "demo");
      String list = tool(home, "barman-cloud-backup-list", url, "demo");
      String backupId = list.lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
      System.out.printf("  2. barman-cloud-backup --zstd took backup %s in %.1f s%s%n", backupId,
          (System.nanoTime() - start) / 1e9, out.isBlank() ? "" : " (" + out.strip() + ")");

      target = DemoEvents.write(primary);
      primary.awaitArchived(primary.switchWal(), Duration.ofSeconds(120));
      System.out.println("  3. wrote 4 rows one second apart; recovery target: " + target
          + " (after \"" + DemoEvents.NOTES.get(1) + "\")");
    }

    Path restored = work.resolve("restored");
    long start = System.nanoTime();
    tool(home, "barman-cloud-restore", "--target-time", target, "--target-action", "promote", url, "demo", "latest",
        restored.toString());
    System.out.printf("  4. barman-cloud-restore --target-time restored the backup in %.1f s and wrote the recovery"
        + " settings (restore_command = barman-cloud-wal-restore …)%n", (System.nanoTime() - start) / 1e9);

    try (PostgresCluster server = PostgresCluster.builder().binaries(pg).fromBaseBackup(restored)) {
      server.awaitRecoveryEnd(Duration.ofSeconds(120));
      return DemoEvents.check(server, "restored");
    }
  }

  private static String tool(Path home, String name, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin").resolve(name).toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "): " + output.strip());
    }
    return output;
  }

  /** Deletes {@code root} and everything under it, if it exists. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
