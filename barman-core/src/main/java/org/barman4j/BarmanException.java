package org.barman4j;

/** Root of every exception the public API throws. Messages name the object, key or URL involved. */
public class BarmanException extends RuntimeException {
  public BarmanException(String message) {
    super(message);
  }

  public BarmanException(String message, Throwable cause) {
    super(message, cause);
  }
}
