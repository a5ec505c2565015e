package org.barman4j.storage;

/** The storage cannot be reached (network, endpoint, missing bucket or root), after the SDK's own retries. */
public class StorageUnavailableException extends StorageException {
  public StorageUnavailableException(String message) {
    super(message);
  }

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
