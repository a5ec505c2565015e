package org.barman4j;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUri;
import org.barman4j.wal.WalArchive;

/**
 * The embedding entry point: one server's backups and WAL archive in one storage location.
 *
 * <h2>Build once, share</h2>
 *
 * A {@code Barman} is immutable and thread-safe. Build one per server and storage location and share
 * it; it closes only what it opened (a backend passed to {@link Builder#backend} stays open).
 *
 * <pre>{@code
 * try (Barman barman = Barman.builder()
 *     .url("file:///var/lib/barman4j")          // s3://, gs://, https://ACCOUNT.blob.core.windows.net/…
 *     .serverName("main")
 *     .build()) {
 *   barman.wal().archive(Path.of(walPath), ArchiveOptions.DEFAULT.withCompression(Compression.ZSTD));
 * }
 * }</pre>
 *
 * <h2>Storage</h2>
 *
 * The backend is found by URL among the {@code barman-storage-*} jars on the class path, or given
 * directly with {@link Builder#backend}. Storage properties ({@code s3.endpoint}, …) are passed with
 * {@link Builder#property}.
 */
public final class Barman implements AutoCloseable {
  private final StorageBackend backend;
  private final boolean ownsBackend;
  private final ServerLayout layout;
  private final WalArchive wal;

  private Barman(StorageBackend backend, boolean ownsBackend, ServerLayout layout) {
    this.backend = backend;
    this.ownsBackend = ownsBackend;
    this.layout = layout;
    this.wal = new WalArchive(backend, layout.wal());
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the server's WAL archive} */
  public WalArchive wal() {
    return wal;
  }

  /** {@return the server's object layout} */
  public ServerLayout layout() {
    return layout;
  }

  /** {@return the storage this instance works on} */
  public StorageBackend storage() {
    return backend;
  }

  /** Closes the backend if this instance opened it. */
  @Override
  public void close() {
    if (ownsBackend) {
      try {
        backend.close();
      } catch (StorageException e) {
        throw new StorageFailureException(e);
      } catch (IOException e) {
        throw new BarmanException("Cannot close storage: " + e.getMessage(), e);
      }
    }
  }

  /** Collects the settings of a {@link Barman}; {@link #build()} checks them all at once. */
  public static final class Builder {
    private Optional<String> url = Optional.empty();
    private Optional<StorageBackend> backend = Optional.empty();
    private Optional<String> serverName = Optional.empty();
    private final Map<String, String> properties = new HashMap<>();
    private Optional<ClassLoader> classLoader = Optional.empty();

    private Builder() {}

    /**
     * Sets the storage location, e.g. {@code s3://bucket/path} or {@code file:///srv/backups}.
     *
     * @param url the storage location
     * @return this builder
     */
    public Builder url(String url) {
      this.url = Optional.of(Objects.requireNonNull(url, "url is null"));
      return this;
    }

    /**
     * Uses {@code backend} instead of opening one by URL; the caller keeps ownership.
     *
     * @param backend the storage
     * @return this builder
     */
    public Builder backend(StorageBackend backend) {
      this.backend = Optional.of(Objects.requireNonNull(backend, "backend is null"));
      return this;
    }

    /**
     * Sets the server name, the first key segment of everything stored.
     *
     * @param serverName the server name
     * @return this builder
     */
    public Builder serverName(String serverName) {
      this.serverName = Optional.of(Objects.requireNonNull(serverName, "serverName is null"));
      return this;
    }

    /**
     * Sets a storage property such as {@code s3.endpoint}.
     *
     * @param name the property's name
     * @param value its value
     * @return this builder
     */
    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name is null"), Objects.requireNonNull(value, "value is null"));
      return this;
    }

    /**
     * Sets the class loader to find storage providers in (default: the context class loader).
     *
     * @param loader the class loader
     * @return this builder
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Optional.of(Objects.requireNonNull(loader, "loader is null"));
      return this;
    }

    /**
     * Opens the storage and returns the instance.
     *
     * @throws BarmanConfigurationException listing every problem with the settings
     * @throws StorageFailureException if the backend cannot be opened
     * @return the configured instance
     */
    public Barman build() {
      StringBuilder problems = new StringBuilder();
      if (serverName.isEmpty()) {
        problems.append("; no server name");
      }
      if (url.isEmpty() == backend.isEmpty()) {
        problems.append(url.isEmpty() ? "; no storage url or backend" : "; both a storage url and a backend");
      }
      ServerLayout layout = null;
      if (serverName.isPresent()) {
        try {
          layout = new ServerLayout(serverName.get());
        } catch (IllegalArgumentException e) {
          problems.append("; ").append(e.getMessage());
        }
      }
      if (problems.length() > 0) {
        throw new BarmanConfigurationException("Invalid Barman settings: " + problems.substring(2));
      }
      if (backend.isPresent()) {
        return new Barman(backend.get(), false, layout);
      }
      return new Barman(openStorage(url.get(), properties, classLoader.orElseGet(StorageProviders::defaultLoader)),
          true, layout);
    }
  }

  /**
   * Opens the storage at {@code url} with the provider that claims it, in the context class loader; the
   * caller owns the result.
   *
   * @param url the storage URL, e.g. {@code s3://bucket/path}
   * @param properties the storage properties, by name
   * @return the opened storage
   * @throws BarmanConfigurationException if the URL, the provider or a property is not usable
   * @throws StorageFailureException if the backend cannot be opened
   */
  public static StorageBackend openStorage(String url, Map<String, String> properties) {
    return openStorage(url, properties, StorageProviders.defaultLoader());
  }

  private static StorageBackend openStorage(String url, Map<String, String> properties, ClassLoader loader) {
    try {
      return StorageProviders.open(StorageUri.parse(url), StorageConfig.of(properties), loader);
    } catch (IllegalArgumentException e) {
      throw new BarmanConfigurationException(e.getMessage(), e);
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new BarmanConfigurationException("Cannot open " + url + ": " + e.getMessage(), e);
    }
  }
}
