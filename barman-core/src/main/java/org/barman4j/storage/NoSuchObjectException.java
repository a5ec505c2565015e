package org.barman4j.storage;

/** A read of a key that does not exist. */
public class NoSuchObjectException extends StorageException {
  private final String key;

  public NoSuchObjectException(String key) {
    super("No such object: " + key);
    this.key = key;
  }

  /** The missing key. */
  public String key() {
    return key;
  }
}
