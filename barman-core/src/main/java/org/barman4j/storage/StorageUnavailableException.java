package org.barman4j.storage;

/** The storage cannot be reached (network, endpoint, missing bucket or root), after the SDK's own retries. */
public class StorageUnavailableException extends StorageException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public StorageUnavailableException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param cause what went wrong underneath
   */
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
