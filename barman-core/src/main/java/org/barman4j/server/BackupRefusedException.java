package org.barman4j.server;

import org.barman4j.BarmanException;

/**
 * A backup that did not start: nothing was written under {@code base/}. The message is one line saying why
 * (another backup running, the server pointed at another cluster, no usable {@code pg_basebackup} …);
 * Barman exits 1.
 */
public class BackupRefusedException extends BarmanException {

  /**
   * A refusal.
   *
   * @param message why, one line
   */
  public BackupRefusedException(String message) {
    super(message);
  }

  /**
   * A refusal caused by {@code cause}.
   *
   * @param message why, one line
   * @param cause what went wrong underneath
   */
  public BackupRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
