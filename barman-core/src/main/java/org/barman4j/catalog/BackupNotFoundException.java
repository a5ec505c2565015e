package org.barman4j.catalog;

import org.barman4j.BarmanException;

/** No backup matches an identifier, name or shortcut in a server's catalogue. */
public class BackupNotFoundException extends BarmanException {
  /** What was looked up, as given. */
  private final String reference;
  /** Whether {@link #reference} was a backup identifier. */
  private final boolean identifier;

  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   * @param reference what was looked up, as given
   * @param identifier whether {@code reference} was a backup identifier (as opposed to a name or a shortcut)
   */
  public BackupNotFoundException(String message, String reference, boolean identifier) {
    super(message);
    this.reference = reference;
    this.identifier = identifier;
  }

  /** {@return what was looked up, as given} */
  public String reference() {
    return reference;
  }

  /** {@return whether the reference was a backup identifier (as opposed to a name or a shortcut)} */
  public boolean isIdentifier() {
    return identifier;
  }
}
