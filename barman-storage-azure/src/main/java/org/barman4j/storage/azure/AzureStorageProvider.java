package org.barman4j.storage.azure;

import java.util.Objects;
import java.util.Set;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProvider;
import org.barman4j.storage.StorageUri;

/**
 * Opens Azure Blob Storage URLs, {@code https://ACCOUNT.blob.core.windows.net/CONTAINER[/PATH]} and the
 * emulator form {@code http://HOST:PORT/ACCOUNT/CONTAINER[/PATH]}, as {@link AzureStorageBackend}s;
 * provider id {@value #ID}, properties in {@link AzureStorageProperties}.
 *
 * <p>This class touches no Azure SDK class: discovery stays cheap, and the SDK loads only in {@link #open}.
 */
public final class AzureStorageProvider implements StorageProvider {
  /** The provider id, barman-cloud's {@code --cloud-provider} value. */
  public static final String ID = "azure-blob-storage";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean supports(StorageUri uri) {
    return AzureLocation.matches(uri);
  }

  /**
   * Opens the backend; no network I/O happens here. Credentials missing from the properties are read from
   * the environment.
   *
   * @throws IllegalArgumentException if the URL or a property is invalid
   */
  @Override
  public StorageBackend open(StorageUri uri, StorageConfig config) {
    Objects.requireNonNull(uri, "uri is null");
    Objects.requireNonNull(config, "config is null");
    AzureLocation location = AzureLocation.parse(uri);
    AzureStorageProperties properties = AzureStorageProperties.from(config, System.getenv());
    return AzureStorageBackend.open(location, properties);
  }

  @Override
  public Set<String> propertyNames() {
    return AzureStorageProperties.NAMES;
  }

  @Override
  public Set<String> sensitivePropertyNames() {
    return AzureStorageProperties.SENSITIVE;
  }
}
