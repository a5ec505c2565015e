package org.barman4j.wal;

import org.barman4j.BarmanException;

/** The requested WAL file is not in the archive (the normal end of archive recovery). */
public class WalNotFoundException extends BarmanException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public WalNotFoundException(String message) {
    super(message);
  }
}
