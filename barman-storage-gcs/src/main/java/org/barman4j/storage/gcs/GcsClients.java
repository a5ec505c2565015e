package org.barman4j.storage.gcs;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import org.barman4j.storage.StorageAccessDeniedException;

/** Builds the google-cloud-storage client a {@link GcsSettings} describes. */
final class GcsClients {
  /** Sent where the API wants a project and none is configured; object calls never send it. */
  static final String NO_PROJECT = "<none>";

  private GcsClients() {}

  /**
   * A JSON API client for {@code settings}. Loads credentials (which may read files or ask the metadata
   * server), so it runs at the first request, never at open.
   *
   * @throws StorageAccessDeniedException naming the source if no credentials can be loaded (barman-cloud's
   *     {@code storage.Client()} fails there too, and its tools exit 4)
   */
  static Storage create(GcsSettings settings, GcsLocation location) throws StorageAccessDeniedException {
    Credentials credentials = credentials(settings, location);
    // A service account key names its project; the only call that needs one is a bucket's creation.
    String keyProject = credentials instanceof ServiceAccountCredentials key ? key.getProjectId() : null;
    HttpStorageOptions.Builder builder = StorageOptions.http()
        .setCredentials(credentials)
        .setProjectId(settings.project().orElse(keyProject == null || keyProject.isBlank() ? NO_PROJECT : keyProject))
        .setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder()
            .setMaxAttempts(settings.maxAttempts()).build());
    settings.endpoint().ifPresent(builder::setHost);
    return builder.build().getService();
  }

  private static Credentials credentials(GcsSettings settings, GcsLocation location)
      throws StorageAccessDeniedException {
    if (settings.anonymous()) {
      return NoCredentials.getInstance();
    }
    if (settings.credentialsFile().isPresent()) {
      // What application default credentials read first; loaded here to name the file in errors.
      var file = settings.credentialsFile().get();
      try (InputStream in = Files.newInputStream(file)) {
        return GoogleCredentials.fromStream(in);
      } catch (NoSuchFileException e) {
        throw new StorageAccessDeniedException("Cannot open " + location + ": the credentials file " + file + " ("
            + GcsStorageProperties.CREDENTIALS_VARIABLE + ") does not exist");
      } catch (IOException | RuntimeException e) {
        throw new StorageAccessDeniedException("Cannot open " + location + ": cannot load the credentials file "
            + file + " (" + GcsStorageProperties.CREDENTIALS_VARIABLE + "): " + GcsErrors.describe(e));
      }
    }
    try {
      return GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new StorageAccessDeniedException("Cannot open " + location
          + ": no Google credentials found (set " + GcsStorageProperties.CREDENTIALS_VARIABLE
          + " to a credentials file, or run on Google Cloud)");
    }
  }
}
