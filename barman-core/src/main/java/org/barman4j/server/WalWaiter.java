package org.barman4j.server;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.barman4j.server.internal.BackupWalCheck;
import org.barman4j.wal.WalFileName;

/**
 * Barman's {@code wait_for_wal}: runs the archiver every 0.1 s until a WAL file is in {@code wals/}, or until
 * any timeline has a newer segment when no file is named.
 */
final class WalWaiter {

  private static final long POLL_MILLIS = 100;

  private WalWaiter() {}

  /**
   * Waits for one WAL file.
   *
   * @param directories the server's directories
   * @param wal the file
   * @param timeout the limit; zero waits without one
   * @param archiveWal the archiver
   * @param listener receives Barman's messages (an ERROR on timeout)
   * @param server the server name
   * @return whether the file arrived
   * @throws IOException if the archiver fails
   */
  static boolean waitFor(ServerDirectories directories, WalFileName wal, Duration timeout, ArchiveWalStep archiveWal,
      ServerListener listener, String server) throws IOException {
    listener.message(ServerMessage.info("Waiting for the WAL file %s from server '%s'%s", wal.name(), server,
        max(timeout)));
    return poll(timeout, archiveWal, () -> Files.exists(directories.walFile(wal)), () -> listener.message(
        ServerMessage.error("The WAL file %s has not been received in %d seconds", wal.name(), timeout.toSeconds())));
  }

  /**
   * Waits for any new segment, on any timeline.
   *
   * @param directories the server's directories
   * @param timeout the limit; zero waits without one
   * @param archiveWal the archiver
   * @param listener receives Barman's messages (an INFO on timeout)
   * @param server the server name
   * @return whether a file arrived
   * @throws IOException if the archiver fails or {@code wals/} cannot be listed
   */
  static boolean waitForAny(ServerDirectories directories, Duration timeout, ArchiveWalStep archiveWal,
      ServerListener listener, String server) throws IOException {
    Map<String, String> initial = BackupWalCheck.latestArchivedPerTimeline(directories.wals());
    listener.message(ServerMessage.info("Waiting for a WAL file from server '%s' to be archived%s", server,
        max(timeout)));
    return poll(timeout, archiveWal, () -> !BackupWalCheck.latestArchivedPerTimeline(directories.wals()).equals(initial),
        () -> listener.message(ServerMessage.info("A WAL file has not been received in %d seconds",
            timeout.toSeconds())));
  }

  private interface Condition {
    boolean holds() throws IOException;
  }

  private static boolean poll(Duration timeout, ArchiveWalStep archiveWal, Condition arrived, Runnable onTimeout)
      throws IOException {
    Optional<Long> deadline = timeout.isZero() ? Optional.empty() : Optional.of(System.nanoTime() + timeout.toNanos());
    while (deadline.isEmpty() || System.nanoTime() - deadline.get() < 0) {
      archiveWal.run();
      if (arrived.holds()) {
        return true;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for WAL files", e);
      }
    }
    onTimeout.run();
    return false;
  }

  private static String max(Duration timeout) {
    return timeout.isZero() ? "" : " (max: " + timeout.toSeconds() + " seconds)";
  }
}
