package org.barman4j.recovery;

import org.barman4j.BarmanException;

/**
 * A restore cannot proceed or failed: the target directory is not empty, the recovery target lies
 * before the end of the backup, the backup is not complete or not restorable, an archive is
 * truncated or corrupt. The message names the backup, directory or object involved.
 */
public class RecoveryException extends BarmanException {
  public RecoveryException(String message) {
    super(message);
  }

  public RecoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
