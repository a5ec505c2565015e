package org.barman4j.recovery;

import org.barman4j.BarmanException;

/**
 * A restore cannot proceed or failed: the target directory is not empty, the recovery target lies
 * before the end of the backup, the backup is not complete or not restorable, an archive is
 * truncated or corrupt. The message names the backup, directory or object involved.
 */
public class RecoveryException extends BarmanException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public RecoveryException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param cause what went wrong underneath
   */
  public RecoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
