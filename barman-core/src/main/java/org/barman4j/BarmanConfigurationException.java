package org.barman4j;

/** Bad or unknown configuration: a malformed URL, no or ambiguous storage provider, a bad property or name. */
public class BarmanConfigurationException extends BarmanException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public BarmanConfigurationException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param cause what went wrong underneath
   */
  public BarmanConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
