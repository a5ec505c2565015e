package org.barman4j.server;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.BarmanException;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.server.internal.BackupWalCheck;

/**
 * Barman's {@code check-backup}: a backup waiting for its WAL becomes DONE once every segment from its
 * {@code begin_wal} to its {@code end_wal} is archived, or FAILED when one is missing; {@code cron} checks the
 * oldest backup still waiting, as Barman's cron does. The new status is written durably under the backup's lock.
 */
public final class BackupCheck {
  private final ServerDirectories directories;

  /**
   * Creates the check of one server's backups.
   *
   * @param directories the server's directories
   */
  public BackupCheck(ServerDirectories directories) {
    this.directories = Objects.requireNonNull(directories, "directories is null");
  }

  /**
   * Checks one backup and records its new status.
   *
   * @param backup the backup
   * @return the backup as recorded after the check (unchanged when its lock is held by another process)
   * @throws BarmanException with Barman's message for a FAILED backup
   * @throws IOException if the archive or the catalogue cannot be read or written
   */
  public BackupInfo check(BackupInfo backup) throws IOException {
    if (backup.status() == BackupStatus.FAILED) {
      throw new BarmanException("The validity of a failed backup cannot be checked");
    }
    Optional<ServerLock> lock = ServerLock.tryAcquire(directories.backupIdLock(backup.backupId()));
    if (lock.isEmpty()) {
      return backup;
    }
    try (ServerLock held = lock.get()) {
      ServerBackups backups = new ServerBackups(directories);
      BackupInfo current = backups.read(backup.backupId());
      if (current.status() != BackupStatus.WAITING_FOR_WALS && current.status() != BackupStatus.DONE) {
        return current;
      }
      BackupInfo checked = BackupWalCheck.check(current, directories);
      if (checked.status() != current.status() || !checked.error().equals(current.error())) {
        backups.write(checked);
      }
      return checked;
    }
  }

  /**
   * Checks the oldest backup waiting for its WAL, if any, as Barman's {@code cron} does after archiving.
   *
   * @return that backup as recorded after the check
   * @throws IOException if the archive or the catalogue cannot be read or written
   */
  public Optional<BackupInfo> checkOldestWaiting() throws IOException {
    for (BackupInfo b : new ServerBackups(directories).list()) {
      if (b.status() == BackupStatus.WAITING_FOR_WALS) {
        return Optional.of(check(b));
      }
    }
    return Optional.empty();
  }
}
