package org.barman4j.storage.gcs;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProvider;
import org.barman4j.storage.StorageUri;

/**
 * Opens {@code gs://BUCKET[/PATH]} (and barman-cloud's {@code https://console.cloud.google.com/storage/browser/BUCKET[/PATH]})
 * as a {@link GcsStorageBackend}; provider id {@code google-cloud-storage}, properties in
 * {@link GcsStorageProperties}. This class touches no Google class: the SDK loads only when a backend opens,
 * and its client (and credentials) only at the backend's first request.
 */
public final class GcsStorageProvider implements StorageProvider {
  /** The provider id, barman-cloud's {@code --cloud-provider} value. */
  public static final String ID = "google-cloud-storage";

  private final Map<String, String> environment;

  /** A provider reading the process environment ({@code STORAGE_EMULATOR_HOST}, {@code GOOGLE_APPLICATION_CREDENTIALS}). */
  public GcsStorageProvider() {
    this(System.getenv());
  }

  /** A provider that reads {@code environment} instead of the process's (tests). */
  GcsStorageProvider(Map<String, String> environment) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment is null"));
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean supports(StorageUri uri) {
    return GcsLocation.matches(uri);
  }

  /**
   * @throws IllegalArgumentException if the URL or a property is malformed
   */
  @Override
  public StorageBackend open(StorageUri uri, StorageConfig config) throws IOException {
    Objects.requireNonNull(uri, "uri is null");
    Objects.requireNonNull(config, "config is null");
    GcsLocation location = GcsLocation.of(uri);
    GcsSettings settings = GcsSettings.from(config, environment);
    return GcsStorageBackend.open(location, settings);
  }

  @Override
  public Set<String> propertyNames() {
    return GcsStorageProperties.ALL;
  }
}
