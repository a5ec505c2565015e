package org.barman4j.backup;

import java.util.Objects;
import org.barman4j.BarmanException;
import org.barman4j.catalog.BackupInfo;

/**
 * A base backup failed. Its uploads were discarded and, where the storage allowed, a {@code backup.info}
 * with status {@code FAILED} was written; {@link #info()} is that record.
 */
public class BackupFailedException extends BarmanException {
  private final transient BackupInfo info;

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param info the backup as recorded
   * @param cause what went wrong underneath
   */
  public BackupFailedException(String message, BackupInfo info, Throwable cause) {
    super(message, cause);
    this.info = Objects.requireNonNull(info, "info is null");
  }

  /** {@return the backup as recorded: status FAILED with its error} */
  public BackupInfo info() {
    return info;
  }
}
