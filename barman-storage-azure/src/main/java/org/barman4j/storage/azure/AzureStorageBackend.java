package org.barman4j.storage.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.identity.AzureCliCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.batch.BlobBatch;
import com.azure.storage.blob.batch.BlobBatchClient;
import com.azure.storage.blob.batch.BlobBatchClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.barman4j.storage.BulkDeleteException;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.Keys;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.Upload;

/**
 * A {@link StorageBackend} on an Azure Blob Storage container: each key is a block blob named
 * {@code PATH/key} in the container, the layout Barman's cloud tools use.
 *
 * <h2>Writes</h2>
 *
 * An object of at most {@link AzureStorageProperties#maxSinglePutSize()} bytes is written with one
 * {@code Put Blob} at commit. A larger one is staged as blocks ({@code Put Block}), up to
 * {@link AzureStorageProperties#maxConcurrency()} in flight while the caller keeps writing, and made visible
 * by one {@code Put Block List} at commit; memory stays below the single-put size plus one block per
 * concurrent request. Staged blocks are invisible: until the commit the blob does not exist for reads,
 * listings or {@code stat}, and an upload closed without a commit leaves only uncommitted blocks, which Azure
 * discards when the blob is next committed or after seven days. (Barman instead commits an empty block list and
 * deletes the blob, which would briefly show, or clobber, an object under that name.)
 * {@link org.barman4j.storage.Precondition#IF_ABSENT} sends {@code If-None-Match: *} with the request that
 * makes the blob visible, so the service refuses to overwrite, atomically. Tags in {@link PutOptions} become
 * blob index tags and metadata becomes blob metadata, as Barman writes them.
 *
 * <h2>The container</h2>
 *
 * Like {@code barman-cloud-wal-archive} and {@code -backup}, the first write to a missing container creates
 * it. Until then, reads see an empty store ({@code stat} is empty, listings are empty, {@code read} throws
 * {@link NoSuchObjectException}). With {@code azure.create-container=false} (barman-cloud's reading tools)
 * listings, {@code stat} and reads of a missing container fail instead with "Container '…' does not exist", a
 * plain {@link StorageException} (exit 1, as Barman's "Bucket … does not exist"); {@code check()} still passes,
 * as Barman's connectivity test does.
 *
 * <h2>Failures</h2>
 *
 * Refused credentials (401/403), unreachable endpoints and server errors that outlast the SDK's retries (3
 * retries, exponential back-off from 1 s) are {@link org.barman4j.storage.StorageUnavailableException}s;
 * messages are one line naming the URL and key, never a key, token or connection string.
 *
 * <p>The JDK HTTP client is used (Netty is not on the class path). Run the JVM with
 * {@code -Djdk.httpclient.allowRestrictedHeaders=content-length}, as Barman4J's launcher does; otherwise
 * azure-core logs a warning per request about the header it may not set.
 */
public final class AzureStorageBackend implements StorageBackend {
  /** Keys per batch delete request, Azure's limit and Barman's {@code MAX_DELETE_BATCH_SIZE}. */
  static final int MAX_DELETE_BATCH = 256;
  /** Azure's limit of committed blocks per blob. */
  static final long MAX_BLOCKS = 50_000;
  /** Bytes per ranged GET when reading. */
  static final int READ_CHUNK = 4 << 20;

  private final AzureLocation location;
  private final AzureStorageProperties properties;
  private final BlobContainerClient container;
  private final Capabilities capabilities;
  private final Object executorLock = new Object();
  private ExecutorService executor; // created by the first staged upload or read-ahead
  private volatile boolean closed;

  private AzureStorageBackend(AzureLocation location, AzureStorageProperties properties, BlobContainerClient container) {
    this.location = location;
    this.properties = properties;
    this.container = container;
    long maxObject = Math.max(properties.maxSinglePutSize(), properties.maxBlockSize() * MAX_BLOCKS);
    this.capabilities = new Capabilities(true, true, MAX_DELETE_BATCH, maxObject);
  }

  /** Builds the clients for {@code location}; does no network I/O. */
  static AzureStorageBackend open(AzureLocation location, AzureStorageProperties properties) {
    Objects.requireNonNull(location, "location is null");
    Objects.requireNonNull(properties, "properties is null");
    HttpClient http = new JdkHttpClientBuilder().build();
    RequestRetryOptions retry = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 4, (Duration) null,
        Duration.ofSeconds(1), Duration.ofSeconds(8), null);
    BlobContainerClientBuilder builder = new BlobContainerClientBuilder().httpClient(http).retryOptions(retry);
    AzureStorageProperties.Credential credential = properties.credential();
    String secret = credential.secret().orElse("");
    switch (credential.kind()) {
      case CONNECTION_STRING:
        try {
          builder.connectionString(secret);
        } catch (RuntimeException e) {
          // The SDK's message may quote the string; ours names only where it came from.
          throw new IllegalArgumentException("Invalid Azure connection string in " + credential.source()
              + " (expected DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…; or BlobEndpoint=…;SharedAccessSignature=…)");
        }
        break;
      case SAS_TOKEN:
        builder.endpoint(location.endpoint()).sasToken(secret);
        break;
      case ACCOUNT_KEY:
        builder.endpoint(location.endpoint()).credential(new StorageSharedKeyCredential(location.account(), secret));
        break;
      default:
        builder.endpoint(location.endpoint()).credential(tokenCredential(credential.kind(), http));
        break;
    }
    builder.containerName(location.container());
    properties.encryptionScope().ifPresent(builder::encryptionScope);
    return new AzureStorageBackend(location, properties, builder.buildClient());
  }

  private static TokenCredential tokenCredential(AzureStorageProperties.Credential.Kind kind, HttpClient http) {
    switch (kind) {
      case AZURE_CLI:
        return new AzureCliCredentialBuilder().build();
      case MANAGED_IDENTITY:
        return new ManagedIdentityCredentialBuilder().httpClient(http).build();
      default:
        return new DefaultAzureCredentialBuilder().httpClient(http).build();
    }
  }

  /** The container and path this backend is rooted at. */
  public String url() {
    return location.url();
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    ensureOpen();
    Keys.check(key);
    try {
      BlobProperties p = container.getBlobClient(location.blobName(key)).getPropertiesWithResponse(null, null, Context.NONE)
          .getValue();
      return Optional.of(new ObjectInfo(key, p.getBlobSize(), instant(p.getLastModified()),
          Optional.ofNullable(p.getETag()), p.getMetadata() == null ? Map.of() : p.getMetadata()));
    } catch (RuntimeException e) {
      if (AzureErrors.isContainerNotFound(e) && !properties.createContainer()) {
        throw failure("stat " + key, e);
      }
      if (AzureErrors.isNotFound(e)) {
        return Optional.empty(); // the blob, or the whole container, is missing
      }
      throw failure("stat " + key, e);
    }
  }

  @Override
  public InputStream read(String key, ByteRange range) throws IOException {
    ensureOpen();
    Keys.check(key);
    Objects.requireNonNull(range, "range is null");
    return AzureBlobInputStream.open(this, container.getBlobClient(location.blobName(key)), key, range);
  }

  @Override
  public ListPage list(String prefix, ListOptions options) throws IOException {
    ensureOpen();
    Keys.checkPrefix(prefix);
    Objects.requireNonNull(options, "options is null");
    String keyPrefix = location.keyPrefix();
    ListBlobsOptions request = new ListBlobsOptions().setPrefix(keyPrefix + prefix)
        .setMaxResultsPerPage(Math.min(options.pageSize(), 5000));
    String token = options.pageToken().orElse(null);
    try {
      Iterator<PagedResponse<BlobItem>> pages = (options.delimited()
          ? container.listBlobsByHierarchy("/", request, null)
          : container.listBlobs(request, null)).iterableByPage(token).iterator();
      if (!pages.hasNext()) {
        return new ListPage(List.of(), List.of(), Optional.empty());
      }
      PagedResponse<BlobItem> page = pages.next();
      List<ObjectInfo> objects = new ArrayList<>();
      List<String> prefixes = new ArrayList<>();
      for (BlobItem item : page.getValue()) {
        String key = item.getName().substring(keyPrefix.length());
        if (Boolean.TRUE.equals(item.isPrefix())) {
          prefixes.add(key);
        } else {
          BlobItemProperties p = item.getProperties();
          objects.add(new ObjectInfo(key, p.getContentLength() == null ? 0 : p.getContentLength(),
              instant(p.getLastModified()), Optional.ofNullable(p.getETag()), Map.of()));
        }
      }
      String next = page.getContinuationToken();
      return new ListPage(objects, prefixes, next == null || next.isEmpty() ? Optional.empty() : Optional.of(next));
    } catch (RuntimeException e) {
      if (AzureErrors.isContainerNotFound(e) && properties.createContainer()) {
        return new ListPage(List.of(), List.of(), Optional.empty());
      }
      throw failure("list '" + prefix + "'", e);
    }
  }

  @Override
  public Upload openUpload(String key, PutOptions options) throws IOException {
    ensureOpen();
    Keys.check(key);
    Objects.requireNonNull(options, "options is null");
    return new AzureUpload(this, key, blockBlob(key), options);
  }

  /** One {@code Put Blob} when the content fits {@link AzureStorageProperties#maxSinglePutSize()}. */
  @Override
  public ObjectInfo put(String key, byte[] content, PutOptions options) throws IOException {
    ensureOpen();
    Keys.check(key);
    Objects.requireNonNull(options, "options is null");
    if (content.length > properties.maxSinglePutSize()) {
      return StorageBackend.super.put(key, content, options);
    }
    return AzureUpload.putWhole(this, key, blockBlob(key), options, BinaryData.fromBytes(content.clone()),
        content.length);
  }

  @Override
  public void delete(String key) throws IOException {
    ensureOpen();
    Keys.check(key);
    try {
      container.getBlobClient(location.blobName(key))
          .deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
    } catch (RuntimeException e) {
      if (!AzureErrors.isNotFound(e)) {
        throw failure("delete " + key, e);
      }
    }
  }

  /**
   * Deletes up to {@value #MAX_DELETE_BATCH} keys in one {@code Blob Batch} request (missing keys ignored, as
   * Barman does); each key that fails is named with its own status in the {@link BulkDeleteException}.
   */
  @Override
  public void deleteBatch(Collection<String> keys) throws IOException {
    ensureOpen();
    if (keys.size() > MAX_DELETE_BATCH) {
      throw new IllegalArgumentException("Too many keys for one batch: " + keys.size() + " > " + MAX_DELETE_BATCH);
    }
    for (String key : keys) {
      Keys.check(key);
    }
    if (keys.isEmpty()) {
      return;
    }
    if (keys.size() == 1) {
      delete(keys.iterator().next());
      return;
    }
    BlobBatchClient batchClient = new BlobBatchClientBuilder(container).buildClient();
    BlobBatch batch = batchClient.getBlobBatch();
    Map<String, Response<Void>> responses = new LinkedHashMap<>();
    for (String key : keys) {
      if (!responses.containsKey(key)) {
        // By URL, not by container and name: only then does the sub-request's path keep the account segment
        // of path-style (emulator) endpoints.
        responses.put(key, batch.deleteBlob(container.getBlobClient(location.blobName(key)).getBlobUrl(),
            DeleteSnapshotsOptionType.INCLUDE, null));
      }
    }
    try {
      batchClient.submitBatchWithResponse(batch, false, null, Context.NONE);
    } catch (RuntimeException e) {
      if (AzureErrors.isContainerNotFound(e)) {
        return; // nothing to delete
      }
      throw failure("delete " + keys.size() + " objects", e);
    }
    Map<String, IOException> failed = new LinkedHashMap<>();
    for (Map.Entry<String, Response<Void>> entry : responses.entrySet()) {
      try {
        entry.getValue().getStatusCode(); // throws the sub-request's error
      } catch (RuntimeException e) {
        if (!AzureErrors.isNotFound(e)) {
          failed.put(entry.getKey(), failure("delete " + entry.getKey(), e));
        }
      }
    }
    if (!failed.isEmpty()) {
      throw new BulkDeleteException(failed);
    }
  }

  /**
   * Lists one blob of the container, as Barman's connectivity test does: passes if the service answers with
   * the configured credentials, also when the container does not exist yet (the first write creates it).
   *
   * @throws org.barman4j.storage.StorageUnavailableException if the endpoint cannot be reached or refuses
   *     the credentials
   */
  @Override
  public void check() throws IOException {
    ensureOpen();
    try {
      container.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1).setPrefix(location.keyPrefix()), null)
          .iterableByPage().iterator().next();
    } catch (RuntimeException e) {
      if (AzureErrors.isContainerNotFound(e)) {
        return;
      }
      StorageException failure = failure("check", e);
      throw failure instanceof org.barman4j.storage.StorageUnavailableException
          ? failure
          : new org.barman4j.storage.StorageUnavailableException(failure.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (executorLock) {
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }

  @Override
  public String toString() {
    return "AzureStorageBackend[" + location.url() + "]";
  }

  // ---------------------------------------------------------------------------------------------------
  // For AzureUpload and AzureBlobInputStream

  AzureStorageProperties properties() {
    return properties;
  }

  AzureLocation location() {
    return location;
  }

  /** Creates the container if it does not exist (Barman's {@code setup_bucket}). */
  void createContainer() throws StorageException {
    try {
      container.createIfNotExists();
    } catch (RuntimeException e) {
      throw failure("create container '" + location.container() + "'", e);
    }
  }

  StorageException failure(String action, RuntimeException e) {
    return AzureErrors.failure(action, location, properties.credential(), e);
  }

  /** Threads for staged blocks and read-ahead; daemon threads, so a forgotten close never blocks exit. */
  ExecutorService executor() {
    synchronized (executorLock) {
      ensureOpen();
      if (executor == null) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = new ThreadFactory() {
          @Override
          public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "barman4j-azure-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
          }
        };
        executor = Executors.newCachedThreadPool(factory);
      }
      return executor;
    }
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Storage backend " + location.url() + " is closed");
    }
  }

  private BlockBlobClient blockBlob(String key) {
    return container.getBlobClient(location.blobName(key)).getBlockBlobClient();
  }

  static Instant instant(java.time.OffsetDateTime time) {
    return time == null ? Instant.EPOCH : time.toInstant();
  }

  static boolean isBlobStorageException(RuntimeException e) {
    return e instanceof BlobStorageException;
  }
}
