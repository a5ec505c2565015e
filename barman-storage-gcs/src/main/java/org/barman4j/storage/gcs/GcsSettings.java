package org.barman4j.storage.gcs;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.storage.StorageConfig;

/**
 * The backend's configuration, read from the properties and the environment once, at open (no I/O).
 *
 * @param endpoint the JSON API host URL, if not Google's
 * @param anonymous whether requests go without credentials (an emulator, or {@code gcs.credentials=none})
 * @param credentialsFile the file {@code GOOGLE_APPLICATION_CREDENTIALS} names, if set
 * @param kmsKey the KMS key for new objects, if any
 * @param project the project id, if set (property or {@code GOOGLE_CLOUD_PROJECT})
 * @param chunkSize the upload buffer and resumable chunk size
 * @param maxAttempts attempts per request
 * @param createBucket whether a missing bucket is an empty store that the first write creates
 */
record GcsSettings(Optional<String> endpoint, boolean anonymous, Optional<Path> credentialsFile,
    Optional<String> kmsKey, Optional<String> project, int chunkSize, int maxAttempts, boolean createBucket) {
  static final int CHUNK_GRANULARITY = 256 * 1024;
  static final int DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;
  static final int DEFAULT_MAX_ATTEMPTS = 6;

  GcsSettings {
    Objects.requireNonNull(endpoint, "endpoint is null");
    Objects.requireNonNull(credentialsFile, "credentialsFile is null");
    Objects.requireNonNull(kmsKey, "kmsKey is null");
    Objects.requireNonNull(project, "project is null");
  }

  /**
   * Reads {@code config} and the environment.
   *
   * @throws IllegalArgumentException naming the property whose value is malformed
   */
  static GcsSettings from(StorageConfig config, Map<String, String> environment) {
    Optional<String> endpoint = config.get(GcsStorageProperties.ENDPOINT).map(GcsSettings::url);
    boolean emulator = false;
    if (endpoint.isEmpty()) {
      Optional<String> emulatorHost = nonEmpty(environment.get(GcsStorageProperties.EMULATOR_HOST_VARIABLE));
      endpoint = emulatorHost.map(GcsSettings::url);
      emulator = emulatorHost.isPresent();
    }
    Optional<Path> credentialsFile =
        nonEmpty(environment.get(GcsStorageProperties.CREDENTIALS_VARIABLE)).map(Path::of);
    // An emulator takes anonymous requests, unless a credentials file is named: then the user asked for them.
    String credentials = config.get(GcsStorageProperties.CREDENTIALS)
        .orElse(emulator && credentialsFile.isEmpty() ? "none" : "default");
    if (!credentials.equals("default") && !credentials.equals("none")) {
      throw new IllegalArgumentException(
          "Invalid " + GcsStorageProperties.CREDENTIALS + " '" + credentials + "': expected default or none");
    }
    long chunkSize = config.size(GcsStorageProperties.UPLOAD_CHUNK_SIZE, DEFAULT_CHUNK_SIZE);
    if (chunkSize % CHUNK_GRANULARITY != 0 || chunkSize > Integer.MAX_VALUE) {
      throw config.invalid(GcsStorageProperties.UPLOAD_CHUNK_SIZE, "a multiple of 256KB (262144 bytes)");
    }
    return new GcsSettings(endpoint, credentials.equals("none"), credentialsFile,
        config.get(GcsStorageProperties.KMS_KEY).flatMap(GcsSettings::nonEmpty),
        config.get(GcsStorageProperties.PROJECT).flatMap(GcsSettings::nonEmpty)
            .or(() -> nonEmpty(environment.get(GcsStorageProperties.PROJECT_VARIABLE))),
        (int) chunkSize, positive(config, GcsStorageProperties.MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS),
        config.bool(GcsStorageProperties.CREATE_BUCKET, true));
  }

  /** {@code host:port} as Google's clients take it from {@code STORAGE_EMULATOR_HOST}, or a URL as is. */
  private static String url(String hostOrUrl) {
    String trimmed = hostOrUrl.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return trimmed;
    }
    if (trimmed.isEmpty() || trimmed.contains("/")) {
      throw new IllegalArgumentException("Invalid Google Cloud Storage endpoint '" + hostOrUrl + "'");
    }
    return "http://" + trimmed;
  }

  private static int positive(StorageConfig config, String name, int fallback) {
    Optional<String> value = config.get(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.get().strip());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid " + name + " '" + value.get() + "': expected a positive integer");
    }
  }

  private static Optional<String> nonEmpty(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
