package org.barman4j.wal;

import org.barman4j.BarmanException;

/** An archived WAL file fails a check on restore (size, segment header or recorded checksum); nothing was restored. */
public class WalCorruptException extends BarmanException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public WalCorruptException(String message) {
    super(message);
  }
}
