package org.barman4j.wal;

import org.barman4j.BarmanException;

/** An archived WAL file fails a check on restore (size, segment header or recorded checksum); nothing was restored. */
public class WalCorruptException extends BarmanException {
  public WalCorruptException(String message) {
    super(message);
  }
}
