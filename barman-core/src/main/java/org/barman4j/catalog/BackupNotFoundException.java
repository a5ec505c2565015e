package org.barman4j.catalog;

import org.barman4j.BarmanException;

/** No backup matches an identifier, name or shortcut in a server's catalogue. */
public class BackupNotFoundException extends BarmanException {
  private final String reference;
  private final boolean identifier;

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
