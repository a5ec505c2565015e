package org.barman4j.wal;

import org.barman4j.BarmanException;

/** A WAL file is already archived with different content. What is stored was left untouched. */
public class WalArchiveConflictException extends BarmanException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public WalArchiveConflictException(String message) {
    super(message);
  }
}
