package org.barman4j.storage;

import java.io.IOException;

/** Base of every failure raised by a {@link StorageBackend}; the message always names the key or URI. */
public class StorageException extends IOException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
