package org.barman4j.postgres;

import org.barman4j.BarmanException;

/** A PostgreSQL server refused or failed a request; the message names the request and the server's reason. */
public class PostgresException extends BarmanException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public PostgresException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param cause what went wrong underneath
   */
  public PostgresException(String message, Throwable cause) {
    super(message, cause);
  }
}
