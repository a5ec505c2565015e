package org.barman4j.catalog;

import org.barman4j.BarmanException;

/** A {@code backup.info} object exists but cannot be read; the message names its key and the bad line. */
public class CorruptBackupInfoException extends BarmanException {
  /** The backup whose {@code backup.info} is unreadable. */
  private final BackupId backupId;

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param backupId the backup whose {@code backup.info} is unreadable
   * @param message the message, naming the key and the bad line
   * @param cause what went wrong underneath, if anything (may be null)
   */
  public CorruptBackupInfoException(BackupId backupId, String message, Throwable cause) {
    super(message, cause);
    this.backupId = backupId;
  }

  /** {@return the backup whose {@code backup.info} is unreadable} */
  public BackupId backupId() {
    return backupId;
  }
}
