package org.barman4j.postgres;

/** The server could not be reached or refused the connection (authentication, unknown database …). */
public class PostgresConnectionException extends PostgresException {
  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param cause what went wrong underneath
   */
  public PostgresConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
