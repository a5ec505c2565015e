package org.barman4j.testing.postgres;

/**
 * A cluster operation failed. The message names the command or query, its exit code where there
 * is one, and the tail of the relevant output and server log, so a failed test explains itself.
 */
public final class PostgresClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public PostgresClusterException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public PostgresClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
