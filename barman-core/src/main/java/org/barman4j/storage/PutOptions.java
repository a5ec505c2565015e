package org.barman4j.storage;

import java.util.Map;
import java.util.Objects;

/**
 * How to write an object: its precondition, user metadata (keys {@code [a-z][a-z0-9_]*}, the set that
 * survives every cloud store) and object tags.
 *
 * @param precondition when the write may happen
 * @param metadata user metadata, keys {@code [a-z][a-z0-9_]*}
 * @param tags object tags
 */
public record PutOptions(Precondition precondition, Map<String, String> metadata, Map<String, String> tags) {
  /** Overwrite, no metadata, no tags. */
  public static final PutOptions DEFAULT = new PutOptions(Precondition.NONE, Map.of(), Map.of());

  /**
   * Checks that no component is null, copies the collections and checks the values.
   *
   * @param precondition when the write may happen
   * @param metadata user metadata, keys {@code [a-z][a-z0-9_]*}
   * @param tags object tags
   * @throws IllegalArgumentException if a component is invalid
   */
  public PutOptions {
    Objects.requireNonNull(precondition, "precondition is null");
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata is null"));
    tags = Map.copyOf(Objects.requireNonNull(tags, "tags is null"));
    for (String key : metadata.keySet()) {
      if (!isMetadataKey(key)) {
        throw new IllegalArgumentException("Invalid metadata key (expected [a-z][a-z0-9_]*): " + key);
      }
    }
  }

  private static boolean isMetadataKey(String key) {
    if (key.isEmpty() || key.charAt(0) < 'a' || key.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Never overwrite, no metadata, no tags.
   *
   * @return the options
   */
  public static PutOptions ifAbsent() {
    return new PutOptions(Precondition.IF_ABSENT, Map.of(), Map.of());
  }

  /**
   * {@return these options with {@code metadata} instead of the current metadata}
   *
   * @param metadata the user metadata
   */
  public PutOptions withMetadata(Map<String, String> metadata) {
    return new PutOptions(precondition, metadata, tags);
  }

  /**
   * {@return these options with {@code tags} instead of the current tags}
   *
   * @param tags the object tags
   */
  public PutOptions withTags(Map<String, String> tags) {
    return new PutOptions(precondition, metadata, tags);
  }
}
