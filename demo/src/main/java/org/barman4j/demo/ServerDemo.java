package org.barman4j.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;

/**
 * The server demo: a throwaway PostgreSQL 15 backed up by the distribution's {@code barman} with a generated
 * {@code barman.conf}. PostgreSQL's {@code archive_command} drops WAL into the server's {@code incoming/};
 * {@code barman cron} archives it; {@code barman backup} takes a streaming base backup; timestamped rows are
 * written; {@code barman recover --target-time} prepares a data directory; the recovered server is started and
 * checked.
 *
 * <p>Run with {@code -Dbarman4j.home=…/barman-cli/target/barman4j} (the distribution).
 */
public final class ServerDemo {
  private ServerDemo() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("barman4j.home", "barman-cli/target/barman4j")).toAbsolutePath();
    if (!Files.isExecutable(home.resolve("bin/barman"))) {
      throw new IllegalStateException("No distribution at " + home + ": run 'mvn package' first");
    }
    Path work = Files.createTempDirectory("barman4j-server-demo-");
    PgBinaries pg = PgBinaries.require();
    boolean ok;
    System.out.println("Barman4J server demo: barman with a barman.conf, WAL archiving through incoming/, a"
        + " streaming backup and point-in-time recovery (barman_home " + work.resolve("barman") + ")");
    try {
      ok = run(home, work, pg);
    } finally {
      PitrDemo.deleteTree(work);
    }
    System.exit(ok ? 0 : 1);
  }

  private static boolean run(Path home, Path work, PgBinaries pg) throws Exception {
    Path barmanHome = work.resolve("barman");
    Path incoming = barmanHome.resolve("demo/incoming");
    Files.createDirectories(incoming);
    Path conf = work.resolve("barman.conf");
    String target;
    try (PostgresCluster primary = PostgresCluster.builder().binaries(pg)
        .archiveCommand("test ! -f " + incoming + "/%f && cp %p " + incoming + "/%f")
        .init()) {
      String conninfo = "host=127.0.0.1 port=" + primary.port() + " user=postgres dbname=postgres";
      Files.writeString(conf, "[barman]\nbarman_home = " + barmanHome + "\nbarman_user = " + System.getProperty("user.name")
          + "\nlog_file = " + work.resolve("barman.log") + "\ncompression = gzip\n\n[demo]\ndescription = Demo server\n"
          + "conninfo = " + conninfo + "\nstreaming_conninfo = " + conninfo + "\nbackup_method = postgres\n"
          + "archiver = on\nretention_policy = REDUNDANCY 2\n", StandardCharsets.UTF_8);
      primary.pgbench("-i", "-s", "10");
      System.out.println("  1. PostgreSQL 15 on port " + primary.port() + " with 1,000,000 pgbench rows; archive_command"
          + " copies WAL into barman_home/demo/incoming/");

      barman(home, conf, "switch-wal", "--force", "--archive", "demo");
      long start = System.nanoTime();
      barman(home, conf, "backup", "--wait", "demo");
      String id = barman(home, conf, "list-backups", "--minimal", "demo").lines().findFirst().orElseThrow().strip();
      System.out.printf("  2. barman switch-wal --archive, then barman backup --wait took backup %s in %.1f s%n", id,
          (System.nanoTime() - start) / 1e9);

      target = DemoEvents.write(primary);
      primary.awaitArchived(primary.switchWal(), Duration.ofSeconds(120));
      barman(home, conf, "cron");
      barman(home, conf, "archive-wal", "demo"); // cron starts it in the background: this run waits for it
      System.out.println("  3. wrote 4 rows one second apart, archived by barman cron; recovery target: " + target);
    }

    Path restored = work.resolve("restored");
    long start = System.nanoTime();
    barman(home, conf, "recover", "--target-time", target, "--target-action", "promote", "demo", "latest",
        restored.toString());
    System.out.printf("  4. barman recover --target-time prepared %s in %.1f s (WAL copied into barman_wal/)%n",
        restored, (System.nanoTime() - start) / 1e9);

    try (PostgresCluster server = PostgresCluster.builder().binaries(pg).fromBaseBackup(restored)) {
      server.awaitRecoveryEnd(Duration.ofSeconds(120));
      return DemoEvents.check(server, "recovered");
    }
  }

  private static String barman(Path home, Path conf, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/barman").toString(), "-c", conf.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("barman " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
          + output.strip());
    }
    return output;
  }
}
