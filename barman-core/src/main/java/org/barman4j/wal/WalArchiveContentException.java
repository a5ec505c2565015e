package org.barman4j.wal;

import org.barman4j.BarmanException;

/** A WAL archive holds files that make it unsafe for a new cluster (or timeline) to archive into it. */
public class WalArchiveContentException extends BarmanException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public WalArchiveContentException(String message) {
    super(message);
  }
}
