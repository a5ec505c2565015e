package org.barman4j.examples;

import java.io.PrintStream;
import org.barman4j.Barman;
import org.barman4j.BarmanListener;
import org.barman4j.Progress;
import org.barman4j.backup.BackupOptions;
import org.barman4j.backup.BackupResult;
import org.barman4j.compress.Compression;
import org.barman4j.postgres.ConnectionSettings;
import org.barman4j.postgres.PostgresSource;

/**
 * Recipe: back up a running PostgreSQL server on this host, printing the progress. Usage:
 * {@code BackupRunningPostgres URL SERVER HOST PORT USER}, e.g.
 * {@code BackupRunningPostgres file:///srv/backups main /var/run/postgresql 5432 postgres}.
 *
 * <p>The server's WAL must be archived to the same place (see {@link ArchiveAndRestoreWal}) for the backup to
 * be restorable. An application with a connection pool passes {@code PostgresSource.of(dataSource)} instead.
 */
public final class BackupRunningPostgres {
  private BackupRunningPostgres() {}

  /**
   * Takes a zstd-compressed base backup, printing a line for each progress report.
   *
   * @param barman the server's storage
   * @param source where to connect: a superuser, or a role allowed to run {@code pg_backup_start}
   * @param out where the progress is printed
   * @return the backup taken
   */
  public static BackupResult backUp(Barman barman, PostgresSource source, PrintStream out) {
    BackupOptions options = BackupOptions.builder()
        .compression(Compression.ZSTD)
        .jobs(2)
        .immediateCheckpoint()
        .build();
    BarmanListener progress = new BarmanListener() {
      @Override
      public void progress(Progress p) {
        // Called from the backup's worker threads; PrintStream is synchronized.
        out.printf("%s %s: %d MiB of %s, %d files, %d parts%n", p.job(), p.phase(), p.bytesDone() >> 20,
            p.bytesTotal().isPresent() ? (p.bytesTotal().getAsLong() >> 20) + " MiB" : "unknown", p.files(),
            p.parts());
      }
    };
    BackupResult result = barman.backup(source, options, progress);
    out.printf("backup %s: %s, %d MiB read, %d MiB stored in %d s%n", result.info().backupId(),
        result.info().status(), result.bytesRead() >> 20, result.bytesStored() >> 20, result.elapsed().toSeconds());
    return result;
  }

  /**
   * Backs up the server {@code HOST PORT USER} connect to into {@code URL} for {@code SERVER}.
   *
   * @param args {@code URL SERVER HOST PORT USER}
   */
  public static void main(String[] args) {
    if (args.length != 5) {
      System.err.println("usage: BackupRunningPostgres URL SERVER HOST PORT USER");
      System.exit(2);
    }
    ConnectionSettings settings = ConnectionSettings.builder()
        .host(args[2]).port(args[3]).user(args[4]).dbname("postgres").build();
    try (Barman barman = Barman.builder().url(args[0]).serverName(args[1]).build()) {
      backUp(barman, PostgresSource.of(settings), System.out);
    }
  }
}
