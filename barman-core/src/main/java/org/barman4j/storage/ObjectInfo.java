package org.barman4j.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backend knows about a stored object. Listings leave {@code metadata} empty.
 *
 * @param key the object's key
 * @param size its size in bytes
 * @param lastModified when it was last written
 * @param etag the store's entity tag, if it has one
 * @param metadata its user metadata; empty in listings
 */
public record ObjectInfo(
    String key, long size, Instant lastModified, Optional<String> etag, Map<String, String> metadata) {
  /**
   * Checks that no component is null, copies the collections and checks the values.
   *
   * @param key the object's key
   * @param size its size in bytes
   * @param lastModified when it was last written
   * @param etag the store's entity tag, if it has one
   * @param metadata its user metadata; empty in listings
   * @throws IllegalArgumentException if a component is invalid
   */
  public ObjectInfo {
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(lastModified, "lastModified is null");
    Objects.requireNonNull(etag, "etag is null");
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata is null"));
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0: " + size);
    }
  }
}
