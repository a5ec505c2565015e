package org.barman4j.storage.gcs;

import java.util.Set;

/**
 * Properties of {@code gs://} URLs. Credentials are Google's application default credentials (the file named
 * by {@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's user credentials, or the metadata server), as Barman's
 * {@code storage.Client()} finds them; there is no property for a secret.
 */
public final class GcsStorageProperties {
  /** Cloud KMS key that encrypts new objects ({@code projects/P/locations/L/keyRings/R/cryptoKeys/K}); barman-cloud's {@code --kms-key-name}. */
  public static final String KMS_KEY = "gcs.kms-key";

  /**
   * The JSON API's host, e.g. {@code https://storage.googleapis.com} (the default) or a private endpoint;
   * credentials are still the application default ones. Without it, the environment variable
   * {@code STORAGE_EMULATOR_HOST} ({@code host:port} or a URL) selects an emulator and, as in Google's own
   * clients, no credentials, unless {@code GOOGLE_APPLICATION_CREDENTIALS} names a credentials file.
   */
  public static final String ENDPOINT = "gcs.endpoint";

  /** {@code default} (application default credentials; the default) or {@code none} (anonymous requests). */
  public static final String CREDENTIALS = "gcs.credentials";

  /**
   * Project id sent where the API needs one; only bucket-level calls do (a bucket's creation). Default: the
   * environment variable {@code GOOGLE_CLOUD_PROJECT}, else the service account key's {@code project_id}.
   */
  public static final String PROJECT = "gcs.project";

  /**
   * Bytes buffered before an upload turns from one request into a resumable session, and the size of each
   * chunk of that session; a multiple of 256 KiB ({@code 256KB}), default 16 MiB. A size
   * in the grammar of {@link org.barman4j.storage.StorageConfig} ({@code 16MB}, {@code 16777216}). An upload
   * holds at most about twice this in memory.
   */
  public static final String UPLOAD_CHUNK_SIZE = "gcs.upload-chunk-size";

  /**
   * {@code true} (the default) or {@code false}, case-insensitive. {@code true}: a missing bucket is an empty
   * store (checks pass, lists are empty, reads find nothing) and the first write creates it in the project
   * ({@code gcs.project}), as barman-cloud-wal-archive and -backup do. {@code false}: every operation on a
   * missing bucket fails with a {@code StorageException}
   * saying "Bucket '…' does not exist" (barman-cloud's other tools, exit 1).
   */
  public static final String CREATE_BUCKET = "gcs.create-bucket";

  /** Attempts per request, first one included, for errors Google's client retries; default 6. */
  public static final String MAX_ATTEMPTS = "gcs.max-attempts";

  /** The environment variable that points Google's clients at an emulator. */
  public static final String EMULATOR_HOST_VARIABLE = "STORAGE_EMULATOR_HOST";

  /** The environment variable naming the project, as Google's clients read it. */
  public static final String PROJECT_VARIABLE = "GOOGLE_CLOUD_PROJECT";

  /** The environment variable naming a credentials file, the first place application default credentials look. */
  public static final String CREDENTIALS_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS";

  static final Set<String> ALL = Set.of(KMS_KEY, ENDPOINT, CREDENTIALS, PROJECT, UPLOAD_CHUNK_SIZE, MAX_ATTEMPTS,
      CREATE_BUCKET);

  private GcsStorageProperties() {}
}
