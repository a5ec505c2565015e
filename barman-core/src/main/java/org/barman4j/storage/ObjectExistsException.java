package org.barman4j.storage;

import java.util.Objects;

/** A write with {@link Precondition#IF_ABSENT} found the key already present; nothing was changed. */
public class ObjectExistsException extends StorageException {
  /** The object's key. */
  private final String key;

  /**
   * An exception about {@code key}.
   *
   * @param key the object's key
   */
  public ObjectExistsException(String key) {
    super("Cannot commit upload: " + key + " already exists");
    this.key = Objects.requireNonNull(key, "key is null");
  }

  /** {@return the key that already exists} */
  public String key() {
    return key;
  }
}
