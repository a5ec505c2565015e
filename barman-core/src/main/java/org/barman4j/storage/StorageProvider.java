package org.barman4j.storage;

import java.io.IOException;
import java.util.Set;

/**
 * A storage backend's entry point, registered with {@link java.util.ServiceLoader} in
 * {@code META-INF/services/org.barman4j.storage.StorageProvider}. Stateless and thread-safe; its class
 * must not touch SDK classes until {@link #open} so that discovery stays cheap.
 */
public interface StorageProvider {
  /**
   * Stable id, matching barman-cloud's {@code --cloud-provider} values where one exists ({@code aws-s3}, {@code file}).
   *
   * @return the id
   */
  String id();

  /**
   * {@return whether this provider opens {@code uri}} A pure function of the URI: no I/O, no environment look-ups.
   *
   * @param uri the storage URI
   */
  boolean supports(StorageUri uri);

  /**
   * Opens a backend rooted at {@code uri}. The caller owns the result and must close it. Opening does no
   * network I/O; {@link StorageBackend#check()} does.
   *
   * @param uri the storage URI
   * @param config the storage properties
   * @throws IllegalArgumentException if the URI or a property value is malformed
   * @throws IOException if the backend cannot be set up
   * @return the backend
   */
  StorageBackend open(StorageUri uri, StorageConfig config) throws IOException;

  /**
   * Property names this provider reads; unknown names under the same prefixes (e.g. {@code s3.}) are rejected.
   *
   * @return the property names
   */
  default Set<String> propertyNames() {
    return Set.of();
  }

  /** {@return the subset of {@link #propertyNames()} whose values are secrets, never logged or printed} */
  default Set<String> sensitivePropertyNames() {
    return Set.of();
  }
}
