package org.barman4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.barman4j.Barman;
import org.barman4j.backup.BackupResult;
import org.barman4j.postgres.ConnectionSettings;
import org.barman4j.postgres.PostgresSource;
import org.barman4j.testing.postgres.PgBinaries;
import org.barman4j.testing.postgres.PostgresCluster;
import org.junit.jupiter.api.Assumptions;

/**
 * What the recipes' ITs share: a throwaway PostgreSQL 15 whose {@code archive_command} is
 * {@link ArchiveAndRestoreWal}, archiving to a {@code file://} store, and a {@link Barman} on that store.
 */
final class RecipeServer implements AutoCloseable {
  static final String SERVER = "main";
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  final Path store;
  final String url;
  final PostgresCluster cluster;
  final Barman barman;

  private RecipeServer(Path store, PostgresCluster cluster) {
    this.store = store;
    this.url = "file://" + store;
    this.cluster = cluster;
    this.barman = Barman.builder().url(url).serverName(SERVER).build();
  }

  /** Starts a cluster archiving into {@code store}, with extra {@code postgresql.conf} lines. */
  static RecipeServer start(Path store, String... conf) throws IOException {
    PgBinaries pg = PgBinaries.forTests(Assumptions::abort);
    PostgresCluster cluster = PostgresCluster.builder().binaries(pg)
        .archiveCommand(ArchiveAndRestoreWal.archiveCommand(classPathFile(store), "file://" + store, SERVER))
        .conf(conf)
        .init();
    return new RecipeServer(store, cluster);
  }

  /** This JVM's class path, for the {@code archive_command} and {@code restore_command}. */
  static Path classPathFile(Path store) throws IOException {
    return ArchiveAndRestoreWal.writeClassPathFile(store.resolveSibling("java-args"));
  }

  /** Connection settings for the cluster, as an application would give them. */
  PostgresSource source() {
    return PostgresSource.of(ConnectionSettings.builder()
        .host("127.0.0.1").port(cluster.port()).user("postgres").dbname("postgres").build());
  }

  /** Takes a backup with {@link BackupRunningPostgres}, its progress discarded. */
  BackupResult backUp() {
    return BackupRunningPostgres.backUp(barman, source(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  /** Switches to a new WAL segment and waits until the completed one is archived. */
  void archiveCurrentWal() {
    cluster.awaitArchived(cluster.switchWal(), TIMEOUT);
  }

  @Override
  public void close() {
    try {
      barman.close();
    } finally {
      cluster.close();
    }
  }
}
