package org.barman4j.postgres;

import java.util.List;
import org.barman4j.catalog.Tablespace;
import org.barman4j.wal.WalFileName;

/**
 * One connection to a PostgreSQL server (10 or newer), with what a base backup asks of it. A
 * non-exclusive backup belongs to the connection that started it: {@link #startBackup} and
 * {@link #stopBackup} must be called on the same session, and closing the session aborts a backup in
 * progress. Not thread-safe. Every method throws {@link PostgresException} naming the request on failure.
 */
public interface PostgresSession extends AutoCloseable {
  /** The oldest server version supported: PostgreSQL 10. */
  int MIN_VERSION_NUM = 100000;

  /**
   * Connects with {@code settings}.
   *
   * @param settings where and how to connect
   * @return the open session
   * @throws PostgresConnectionException if the server cannot be reached or refuses the connection
   * @throws PostgresException if the server is older than PostgreSQL 10
   */
  static PostgresSession connect(ConnectionSettings settings) {
    return JdbcPostgresSession.open(settings);
  }

  /**
   * Version, system identifier, WAL segment size, checksums, data directory and configuration files.
   *
   * @return what the server reports about itself
   */
  ServerInfo serverInfo();

  /** {@return the user tablespaces (not {@code pg_default} or {@code pg_global}) with their locations} */
  List<Tablespace> tablespaces();

  /** {@return the size of all tablespaces together, in bytes} */
  long clusterSize();

  /**
   * Starts a non-exclusive backup: {@code pg_backup_start(label, fast)} from PostgreSQL 15 on,
   * {@code pg_start_backup(label, fast, false)} before.
   *
   * @param label the backup label
   * @param checkpoint whether the server checkpoints at once or spreads the checkpoint's writes
   * @return where the backup starts
   */
  BackupStart startBackup(String label, Checkpoint checkpoint);

  /** How the checkpoint that starts a backup runs. */
  enum Checkpoint {
    /** Spread over {@code checkpoint_completion_target}, sparing the server's I/O (PostgreSQL's default). */
    SPREAD,
    /** As fast as possible ({@code fast => true}), so the backup starts at once. */
    IMMEDIATE
  }

  /**
   * Stops the backup started on this session, waiting until its last WAL segment is archived when
   * archiving is on: {@code pg_backup_stop(wait_for_archive => true)} or {@code pg_stop_backup(false, true)}.
   *
   * @return where the backup ends, and its label and tablespace map
   */
  BackupStop stopBackup();

  /** {@return whether a backup started on this session has not been stopped} */
  boolean backupInProgress();

  /**
   * {@code pg_create_restore_point(name)}.
   *
   * @param name the restore point name
   */
  void createRestorePoint(String name);

  /**
   * Switches to a new WAL segment ({@code pg_switch_wal()}) and returns the name of the one it closed.
   *
   * @return the closed segment
   */
  WalFileName switchWal();

  /** Closes the connection (aborting a backup in progress). Idempotent; never throws. */
  @Override
  void close();
}
