package org.barman4j.catalog;

import org.barman4j.BarmanException;

/** No backup matches an identifier, name or shortcut in a server's catalogue. */
public class BackupNotFoundException extends BarmanException {
  /** What was looked up, as given. */
  private final String reference;
  /** Whether {@link #reference} was a backup identifier. */
  private final boolean identifier;

  private BackupNotFoundException(String message, String reference, boolean identifier) {
    super(message);
    this.reference = reference;
    this.identifier = identifier;
  }

  /**
   * {@return an exception for a backup identifier that designates no backup}
   *
   * @param message the message, one line
   * @param backupId the identifier, as given
   */
  public static BackupNotFoundException forIdentifier(String message, String backupId) {
    return new BackupNotFoundException(message, backupId, true);
  }

  /**
   * {@return an exception for a backup name or shortcut ({@code latest} …) that matches no backup}
   *
   * @param message the message, one line
   * @param reference the name or shortcut, as given
   */
  public static BackupNotFoundException forName(String message, String reference) {
    return new BackupNotFoundException(message, reference, false);
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
