package org.barman4j.server;

import java.io.IOException;

/**
 * One quiet run of the server's WAL archiver ({@code barman archive-wal}): moves what is waiting in
 * {@code incoming/} and {@code streaming/} into {@code wals/} and {@code xlog.db}. Backups and
 * {@code switch-wal --archive} call it while they wait for a WAL file, as Barman does.
 */
@FunctionalInterface
public interface ArchiveWalStep {

  /** Does nothing: for servers whose WAL reaches {@code wals/} some other way. */
  ArchiveWalStep NONE = () -> { };

  /**
   * Processes the queued WAL files once.
   *
   * @throws IOException if the archive cannot be written
   */
  void run() throws IOException;
}
