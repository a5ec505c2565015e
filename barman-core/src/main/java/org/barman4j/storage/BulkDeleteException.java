package org.barman4j.storage;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Some keys of a batch delete could not be deleted; {@link #failedKeys()} names each with its cause. */
public class BulkDeleteException extends StorageException {
  /** Each key that was not deleted, with the reason. */
  private final Map<String, IOException> failedKeys;

  /**
   * An exception naming each key of {@code failedKeys}.
   *
   * @param failedKeys each key that was not deleted, with the reason
   */
  public BulkDeleteException(Map<String, IOException> failedKeys) {
    super(message(failedKeys));
    this.failedKeys = Map.copyOf(failedKeys);
    this.failedKeys.values().forEach(this::addSuppressed);
  }

  private static String message(Map<String, IOException> failedKeys) {
    Objects.requireNonNull(failedKeys, "failedKeys is null");
    return "Cannot delete " + failedKeys.size() + " object(s): " + new TreeMap<>(failedKeys).keySet();
  }

  /** {@return every key that was not deleted, with the reason} */
  public Map<String, IOException> failedKeys() {
    return failedKeys;
  }
}
