package org.barman4j.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.barman4j.Barman;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.barman4j.wal.StoredWal;

/**
 * The demo: a throwaway PostgreSQL 15 archives its WAL through {@code barman-cloud-wal-archive} to the
 * local disk; every segment is restored with {@code barman-cloud-wal-restore} and compared; then a new
 * cluster built from a base backup recovers from the archive alone.
 *
 * <p>Run with {@code -Dbarman4j.home=…/barman-cli/target/barman4j} (the distribution).
 */
public final class WalArchiveDemo {
  private WalArchiveDemo() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("barman4j.home", "barman-cli/target/barman4j")).toAbsolutePath();
    Path walArchive = home.resolve("bin/barman-cloud-wal-archive");
    Path walRestore = home.resolve("bin/barman-cloud-wal-restore");
    if (!Files.isExecutable(walArchive)) {
      throw new IllegalStateException("No distribution at " + home + ": run 'mvn package' first");
    }
    Path work = Files.createTempDirectory("barman4j-demo-");
    Path archive = work.resolve("archive");
    String url = "file://" + archive;
    Path backup = work.resolve("base-backup");
    PgBinaries pg = PgBinaries.require();

    System.out.println("Barman4J demo: PostgreSQL WAL archiving and recovery on the local disk");
    String accounts;
    boolean same;
    try (PostgresCluster primary = PostgresCluster.builder().binaries(pg)
        .archiveCommand(walArchive + " --zstd " + url + " demo %p")
        .conf("wal_keep_size = 1GB")
        .init()) {
      System.out.println("  PostgreSQL 15 on port " + primary.port() + ", archive_command = barman-cloud-wal-archive --zstd " + url + " demo %p");
      primary.pgbench("-i", "-s", "5");
      primary.baseBackup(backup, "-X", "none");
      String last = "";
      for (int i = 0; i < 3; i++) {
        primary.pgbench("-c", "2", "-t", "500", "-n");
        last = primary.switchWal();
      }
      primary.awaitArchived(last, Duration.ofSeconds(120));
      accounts = primary.queryValue("select count(*) || ' accounts, balance ' || sum(abalance) || ', ' "
          + "|| (select count(*) from pgbench_history) || ' history rows' from pgbench_accounts");
      System.out.println("  pgbench: 500,000 rows loaded, base backup taken, 3,000 transactions, 3 WAL switches");

      try (Barman barman = Barman.builder().url(url).serverName("demo").build()) {
        List<StoredWal> stored = barman.wal().list();
        long raw = 0;
        long packed = 0;
        int identical = 0;
        for (StoredWal wal : stored) {
          Path original = primary.dataDir().resolve("pg_wal").resolve(wal.wal().name());
          Path restored = work.resolve("restored-" + wal.wal().name());
          run(walRestore.toString(), url, "demo", wal.wal().name(), restored.toString());
          packed += Files.size(archive.resolve(wal.key()));
          raw += Files.size(restored);
          if (Files.exists(original) && Files.mismatch(original, restored) == -1) {
            identical++;
          }
          Files.delete(restored);
        }
        System.out.printf("  archived %d WAL files: %.1f MiB of WAL stored as %.1f MiB of zstd objects%n",
            stored.size(), raw / 1048576.0, packed / 1048576.0);
        System.out.printf("  restored each with barman-cloud-wal-restore: %d of %d byte-identical to pg_wal%n",
            identical, stored.size());
      }
    }
    try (PostgresCluster restored = PostgresCluster.builder().binaries(pg)
        .restoreCommand(walRestore + " " + url + " demo %f %p")
        .fromBaseBackup(backup)) {
      restored.awaitRecoveryEnd(Duration.ofSeconds(120));
      String got = restored.queryValue("select count(*) || ' accounts, balance ' || sum(abalance) || ', ' "
          + "|| (select count(*) from pgbench_history) || ' history rows' from pgbench_accounts");
      System.out.println("  a new cluster from the base backup replayed the archive: " + got
          + (got.equals(accounts) ? " (same as the original)" : " (DIFFERENT from the original: " + accounts + ")"));
      same = got.equals(accounts);
    } finally {
      PitrDemo.deleteTree(work);
    }
    if (!same) {
      System.exit(1);
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue());
    }
  }
}
