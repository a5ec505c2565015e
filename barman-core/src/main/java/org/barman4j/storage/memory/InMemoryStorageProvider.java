package org.barman4j.storage.memory;

import java.util.Objects;
import java.util.Set;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.Keys;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProvider;
import org.barman4j.storage.StorageUri;

/**
 * Opens {@code mem://NAME[/prefix]} URLs as {@link InMemoryStorageBackend}s (provider id {@code memory}), for
 * tests that go through URL discovery.
 *
 * <p>Every {@link #open} returns a new, empty store: there is deliberately no registry of names, which would
 * be static state leaking between tests. Opening the same URL twice gives two unrelated stores; to share one,
 * share the backend. The name and prefix are only validated.
 *
 * <p>Properties: see {@link InMemoryStorageProperties}.
 */
public final class InMemoryStorageProvider implements StorageProvider {
  /** The provider id. */
  public static final String ID = "memory";

  /** The URL scheme. */
  public static final String SCHEME = "mem";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean supports(StorageUri uri) {
    return SCHEME.equals(uri.scheme());
  }

  @Override
  public StorageBackend open(StorageUri uri, StorageConfig config) {
    Objects.requireNonNull(uri, "uri is null");
    Objects.requireNonNull(config, "config is null");
    if (!supports(uri) || uri.authority().isEmpty()) {
      throw new IllegalArgumentException("Invalid memory URL '" + uri + "': expected mem://NAME[/prefix]");
    }
    try {
      Keys.checkPrefix(uri.trimmedPath());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid memory URL '" + uri + "': " + e.getMessage(), e);
    }
    Capabilities defaults = InMemoryStorageBackend.DEFAULT_CAPABILITIES;
    Capabilities capabilities = new Capabilities(
        config.bool(InMemoryStorageProperties.ATOMIC_CREATE_IF_ABSENT, defaults.atomicCreateIfAbsent()),
        config.bool(InMemoryStorageProperties.USER_METADATA, defaults.userMetadata()),
        count(config, InMemoryStorageProperties.MAX_DELETE_BATCH, defaults.maxDeleteBatch()),
        defaults.maxObjectSize());
    return new InMemoryStorageBackend(capabilities);
  }

  @Override
  public Set<String> propertyNames() {
    return Set.of(
        InMemoryStorageProperties.ATOMIC_CREATE_IF_ABSENT,
        InMemoryStorageProperties.USER_METADATA,
        InMemoryStorageProperties.MAX_DELETE_BATCH);
  }

  private static int count(StorageConfig config, String name, int fallback) {
    return config.get(name).map(value -> {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw config.invalid(name, "a whole number of at least 1");
    }).orElse(fallback);
  }
}
