package org.barman4j.storage;

import java.util.Objects;

/** A read of a key that does not exist. */
public class NoSuchObjectException extends StorageException {
  /** The object's key. */
  private final String key;

  /**
   * An exception about {@code key}.
   *
   * @param key the object's key
   */
  public NoSuchObjectException(String key) {
    super("No such object: " + key);
    this.key = Objects.requireNonNull(key, "key is null");
  }

  /** {@return the missing key} */
  public String key() {
    return key;
  }
}
