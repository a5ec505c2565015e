package org.barman4j.catalog;

import org.barman4j.BarmanException;

/** A {@code backup.info} object exists but cannot be read; the message names its key and the bad line. */
public class CorruptBackupInfoException extends BarmanException {
  private final BackupId backupId;

  public CorruptBackupInfoException(BackupId backupId, String message, Throwable cause) {
    super(message, cause);
    this.backupId = backupId;
  }

  /** {@return the backup whose {@code backup.info} is unreadable} */
  public BackupId backupId() {
    return backupId;
  }
}
