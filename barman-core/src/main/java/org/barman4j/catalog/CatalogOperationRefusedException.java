package org.barman4j.catalog;

import org.barman4j.BarmanException;

/**
 * A catalogue operation was refused to keep backups safe: deleting a kept backup, deleting below the
 * minimum redundancy, deleting while part of the catalogue is unreadable, keeping a backup that is not
 * DONE. Nothing was changed.
 */
public class CatalogOperationRefusedException extends BarmanException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public CatalogOperationRefusedException(String message) {
    super(message);
  }
}
