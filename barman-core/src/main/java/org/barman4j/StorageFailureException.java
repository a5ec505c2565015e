package org.barman4j;

import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;

/** A storage operation failed; {@link #getCause()} is the backend's {@link StorageException}. */
public class StorageFailureException extends BarmanException {
  /**
   * An exception with the message of {@code cause}.
   *
   * @param cause the backend's exception
   */
  public StorageFailureException(StorageException cause) {
    super(cause.getMessage(), cause);
  }

  @Override
  public synchronized StorageException getCause() {
    return (StorageException) super.getCause();
  }

  /** {@return whether the storage could not be reached at all (as opposed to an operation failing)} */
  public boolean isUnavailable() {
    return getCause() instanceof StorageUnavailableException;
  }
}
