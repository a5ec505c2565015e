package org.barman4j;

/** Bad or unknown configuration: a malformed URL, no or ambiguous storage provider, a bad property or name. */
public class BarmanConfigurationException extends BarmanException {
  public BarmanConfigurationException(String message) {
    super(message);
  }

  public BarmanConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
