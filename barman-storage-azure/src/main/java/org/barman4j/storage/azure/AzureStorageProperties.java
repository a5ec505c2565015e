package org.barman4j.storage.azure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.barman4j.storage.StorageConfig;

/**
 * The configuration of an {@link AzureStorageBackend}, read from {@code azure.*} storage properties and,
 * for credentials, from the environment variables Barman reads.
 *
 * <p>Credentials, first match wins:
 * <ol>
 *   <li>one of the properties {@value #CREDENTIAL} ({@code azure-cli}, {@code managed-identity} or
 *       {@code default}: azure-identity's {@code AzureCliCredential}, {@code ManagedIdentityCredential},
 *       {@code DefaultAzureCredential}), {@value #CONNECTION_STRING}, {@value #SAS_TOKEN},
 *       {@value #ACCOUNT_KEY} (at most one of them);
 *   <li>the environment, in Barman's order: {@code AZURE_STORAGE_CONNECTION_STRING},
 *       {@code AZURE_STORAGE_SAS_TOKEN}, {@code AZURE_STORAGE_KEY};
 *   <li>{@code DefaultAzureCredential}.
 * </ol>
 * As in Barman, a connection string names its own endpoint, which then takes the place of the URL's account
 * (only the container and path are taken from the URL).
 *
 * <p>Uploads follow Barman's options: an object of at most {@value #MAX_SINGLE_PUT_SIZE} bytes is sent in
 * one request; a larger one as blocks of {@value #MAX_BLOCK_SIZE} bytes, {@value #MAX_CONCURRENCY} at a
 * time. Sizes and booleans follow the grammar of {@link StorageConfig} ({@code 4MB} and {@code 4MiB} are
 * 4 MiB). The defaults are those of Barman's Azure client (2 MiB blocks, 8 in flight, single requests up to
 * 4 MiB); {@code barman-cloud-wal-archive} passes its own (4 MiB, 1, 64 MiB) as Barman's does.
 *
 * @param credential how to authenticate
 * @param encryptionScope the encryption scope every write names
 * @param maxBlockSize bytes per staged block
 * @param maxConcurrency blocks uploaded at once by one upload
 * <p>{@value #CREATE_CONTAINER} ({@code true} by default): a missing container is an empty store that the
 * first write creates, as {@code barman-cloud-wal-archive} and {@code -backup} do; {@code false}: listings,
 * {@code stat} and reads of a missing container fail with "Container '…' does not exist" (a plain
 * {@link org.barman4j.storage.StorageException}: exit 1 in barman-cloud's other tools). {@code check()}
 * passes on a missing container either way, as Barman's connectivity test does.
 *
 * @param maxSinglePutSize the largest object sent in a single request
 * @param createContainer whether a missing container is an empty store that the first write creates
 */
public record AzureStorageProperties(
    Credential credential, Optional<String> encryptionScope, int maxBlockSize, int maxConcurrency,
    long maxSinglePutSize, boolean createContainer) {
  /** azure-identity credential type: {@code azure-cli}, {@code managed-identity} or {@code default}. */
  public static final String CREDENTIAL = "azure.credential";
  /** A storage connection string (secret). */
  public static final String CONNECTION_STRING = "azure.connection-string";
  /** A shared access signature token (secret). */
  public static final String SAS_TOKEN = "azure.sas-token";
  /** The storage account key (secret). */
  public static final String ACCOUNT_KEY = "azure.account-key";
  /** The encryption scope for writes. */
  public static final String ENCRYPTION_SCOPE = "azure.encryption-scope";
  /** Block size of staged uploads, Barman's {@code --max-block-size}. */
  public static final String MAX_BLOCK_SIZE = "azure.max-block-size";
  /** Blocks in flight per upload, Barman's {@code --max-concurrency}. */
  public static final String MAX_CONCURRENCY = "azure.max-concurrency";
  /** Largest single-request upload, Barman's {@code --max-single-put-size}. */
  public static final String MAX_SINGLE_PUT_SIZE = "azure.max-single-put-size";

  /** Whether a missing container is an empty store that the first write creates ({@code true}/{@code false}). */
  public static final String CREATE_CONTAINER = "azure.create-container";

  /** Every property name. */
  static final Set<String> NAMES = Set.of(CREDENTIAL, CONNECTION_STRING, SAS_TOKEN, ACCOUNT_KEY, ENCRYPTION_SCOPE,
      MAX_BLOCK_SIZE, MAX_CONCURRENCY, MAX_SINGLE_PUT_SIZE, CREATE_CONTAINER);

  /** The secret ones. */
  static final Set<String> SENSITIVE = Set.of(CONNECTION_STRING, SAS_TOKEN, ACCOUNT_KEY);

  static final int DEFAULT_MAX_BLOCK_SIZE = 2 << 20;
  static final int DEFAULT_MAX_CONCURRENCY = 8;
  static final long DEFAULT_MAX_SINGLE_PUT_SIZE = 4 << 20;

  // Blocks and single puts are buffered in memory; Azure's own limits are 4000 MiB and 5000 MiB.
  private static final long MAX_BUFFER = 1L << 30;
  private static final int MAX_THREADS = 64;

  public AzureStorageProperties {
    Objects.requireNonNull(credential, "credential is null");
    Objects.requireNonNull(encryptionScope, "encryptionScope is null");
    if (maxBlockSize < 1 || maxBlockSize > MAX_BUFFER) {
      throw new IllegalArgumentException(MAX_BLOCK_SIZE + " must be between 1 byte and 1GB: " + maxBlockSize);
    }
    if (maxConcurrency < 1 || maxConcurrency > MAX_THREADS) {
      throw new IllegalArgumentException(MAX_CONCURRENCY + " must be between 1 and " + MAX_THREADS + ": " + maxConcurrency);
    }
    if (maxSinglePutSize < 0 || maxSinglePutSize > MAX_BUFFER) {
      throw new IllegalArgumentException(MAX_SINGLE_PUT_SIZE + " must be at most 1GB: " + maxSinglePutSize);
    }
  }

  /** How a backend authenticates; {@link #toString()} never shows the secret. */
  public record Credential(Kind kind, Optional<String> secret, String source) {
    /** The kinds of credential. */
    public enum Kind {
      CONNECTION_STRING, SAS_TOKEN, ACCOUNT_KEY, AZURE_CLI, MANAGED_IDENTITY, DEFAULT
    }

    public Credential {
      Objects.requireNonNull(kind, "kind is null");
      Objects.requireNonNull(secret, "secret is null");
      Objects.requireNonNull(source, "source is null");
    }

    @Override
    public String toString() {
      return kind + " from " + source;
    }
  }

  /**
   * Reads {@code config}, taking credentials from {@code environment} when no property gives them.
   *
   * @throws IllegalArgumentException naming the property (never its secret value) if a value is invalid
   */
  public static AzureStorageProperties from(StorageConfig config, Map<String, String> environment) {
    Objects.requireNonNull(config, "config is null");
    Objects.requireNonNull(environment, "environment is null");
    return new AzureStorageProperties(credential(config, environment), nonEmpty(config, ENCRYPTION_SCOPE),
        (int) Math.min(Integer.MAX_VALUE, config.size(MAX_BLOCK_SIZE, DEFAULT_MAX_BLOCK_SIZE)),
        (int) integer(config, MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY),
        config.size(MAX_SINGLE_PUT_SIZE, DEFAULT_MAX_SINGLE_PUT_SIZE), config.bool(CREATE_CONTAINER, true));
  }

  private static Credential credential(StorageConfig config, Map<String, String> environment) {
    List<String> given = new ArrayList<>();
    for (String name : List.of(CREDENTIAL, CONNECTION_STRING, SAS_TOKEN, ACCOUNT_KEY)) {
      if (nonEmpty(config, name).isPresent()) {
        given.add(name);
      }
    }
    if (given.size() > 1) {
      throw new IllegalArgumentException("Conflicting Azure credentials: set only one of " + given);
    }
    Optional<String> type = nonEmpty(config, CREDENTIAL);
    if (type.isPresent()) {
      switch (type.get()) {
        case "azure-cli":
          return new Credential(Credential.Kind.AZURE_CLI, Optional.empty(), CREDENTIAL);
        case "managed-identity":
          return new Credential(Credential.Kind.MANAGED_IDENTITY, Optional.empty(), CREDENTIAL);
        case "default":
          return new Credential(Credential.Kind.DEFAULT, Optional.empty(), CREDENTIAL);
        default:
          throw new IllegalArgumentException("Invalid " + CREDENTIAL + " '" + type.get()
              + "' (expected azure-cli, managed-identity or default)");
      }
    }
    if (!given.isEmpty()) {
      return secret(kindOf(given.get(0)), config.get(given.get(0)).orElseThrow(), given.get(0));
    }
    for (String variable : List.of("AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_KEY")) {
      String value = environment.get(variable);
      if (value != null && !value.isEmpty()) {
        Credential.Kind kind = variable.endsWith("CONNECTION_STRING") ? Credential.Kind.CONNECTION_STRING
            : variable.endsWith("SAS_TOKEN") ? Credential.Kind.SAS_TOKEN : Credential.Kind.ACCOUNT_KEY;
        return secret(kind, value, "environment variable " + variable);
      }
    }
    return new Credential(Credential.Kind.DEFAULT, Optional.empty(), "no credential given");
  }

  private static Credential.Kind kindOf(String property) {
    switch (property) {
      case CONNECTION_STRING:
        return Credential.Kind.CONNECTION_STRING;
      case SAS_TOKEN:
        return Credential.Kind.SAS_TOKEN;
      default:
        return Credential.Kind.ACCOUNT_KEY;
    }
  }

  private static Credential secret(Credential.Kind kind, String value, String source) {
    String trimmed = value.strip();
    if (kind == Credential.Kind.SAS_TOKEN && trimmed.startsWith("?")) {
      trimmed = trimmed.substring(1); // as copied from the portal
    }
    return new Credential(kind, Optional.of(trimmed), source);
  }

  private static Optional<String> nonEmpty(StorageConfig config, String name) {
    Optional<String> value = config.get(name);
    return value.isPresent() && !value.get().isBlank() ? value : Optional.empty();
  }

  private static long integer(StorageConfig config, String name, long fallback) {
    Optional<String> text = nonEmpty(config, name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.get().strip());
      if (value < 1) {
        throw new IllegalArgumentException("Invalid " + name + ": '" + text.get() + "' is not a positive integer");
      }
      return Math.min(value, Integer.MAX_VALUE);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid " + name + ": '" + text.get() + "' is not a positive integer", e);
    }
  }
}
