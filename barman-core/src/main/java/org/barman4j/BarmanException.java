package org.barman4j;

/** Root of every exception the public API throws. Messages name the object, key or URL involved. */
public class BarmanException extends RuntimeException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public BarmanException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param cause what went wrong underneath
   */
  public BarmanException(String message, Throwable cause) {
    super(message, cause);
  }
}
