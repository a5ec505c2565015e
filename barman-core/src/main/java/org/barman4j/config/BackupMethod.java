package org.barman4j.config;

import java.util.Locale;

/** How a server's base backups are taken ({@code backup_method}). */
public enum BackupMethod {
  /** {@code rsync} over {@code ssh_command} (Barman's default). */
  RSYNC("rsync"),
  /** {@code postgres}: {@code pg_basebackup} over {@code streaming_conninfo}. */
  POSTGRES("postgres"),
  /** {@code local-rsync}: rsync on the database host itself. */
  LOCAL_RSYNC("local-rsync"),
  /** {@code snapshot}: cloud disk snapshots. */
  SNAPSHOT("snapshot");

  private final String barmanName;

  BackupMethod(String barmanName) {
    this.barmanName = barmanName;
  }

  /** {@return the name as written in {@code barman.conf}} */
  public String barmanName() {
    return barmanName;
  }

  /**
   * Parses a name case-insensitively.
   *
   * @param text the text
   * @return the method
   * @throws IllegalArgumentException if unknown
   */
  public static BackupMethod parse(String text) {
    for (BackupMethod m : values()) {
      if (m.barmanName.equals(text.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("must be one of 'rsync', 'postgres', 'local-rsync', 'snapshot'");
  }
}
