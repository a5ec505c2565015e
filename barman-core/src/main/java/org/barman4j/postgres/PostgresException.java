package org.barman4j.postgres;

import org.barman4j.BarmanException;

/** A PostgreSQL server refused or failed a request; the message names the request and the server's reason. */
public class PostgresException extends BarmanException {
  public PostgresException(String message) {
    super(message);
  }

  public PostgresException(String message, Throwable cause) {
    super(message, cause);
  }
}
