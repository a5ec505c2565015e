package org.barman4j.storage;

import java.util.Objects;

/** A read of a key that does not exist. */
public class NoSuchObjectException extends StorageException {
  private final String key;

  public NoSuchObjectException(String key) {
    super("No such object: " + key);
    this.key = Objects.requireNonNull(key, "key is null");
  }

  /** {@return the missing key} */
  public String key() {
    return key;
  }
}
