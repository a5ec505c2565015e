package org.barman4j.storage;

import java.util.Objects;

/** A write with {@link Precondition#IF_ABSENT} found the key already present; nothing was changed. */
public class ObjectExistsException extends StorageException {
  private final String key;

  public ObjectExistsException(String key) {
    super("Cannot commit upload: " + key + " already exists");
    this.key = Objects.requireNonNull(key, "key is null");
  }

  /** {@return the key that already exists} */
  public String key() {
    return key;
  }
}
