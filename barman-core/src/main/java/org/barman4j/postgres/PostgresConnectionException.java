package org.barman4j.postgres;

/** The server could not be reached or refused the connection (authentication, unknown database …). */
public class PostgresConnectionException extends PostgresException {
  public PostgresConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
