package org.barman4j.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What a backend knows about a stored object. Listings leave {@code metadata} empty. */
public record ObjectInfo(
    String key, long size, Instant lastModified, Optional<String> etag, Map<String, String> metadata) {
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
