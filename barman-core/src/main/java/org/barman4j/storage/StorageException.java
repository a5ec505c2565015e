package org.barman4j.storage;

import java.io.IOException;

/** Base of every failure raised by a {@link StorageBackend}; the message always names the key or URI. */
public class StorageException extends IOException {
  /**
   * An exception with {@code message}.
   *
   * @param message the message, one line
   */
  public StorageException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message}, caused by {@code cause}.
   *
   * @param message the message, one line
   * @param cause what went wrong underneath
   */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
