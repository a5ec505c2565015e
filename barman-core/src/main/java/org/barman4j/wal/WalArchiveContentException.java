package org.barman4j.wal;

import org.barman4j.BarmanException;

/** A WAL archive holds files that make it unsafe for a new cluster (or timeline) to archive into it. */
public class WalArchiveContentException extends BarmanException {
  public WalArchiveContentException(String message) {
    super(message);
  }
}
