package org.barman4j.storage.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.BatchResult;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BucketField;
import com.google.cloud.storage.Storage.BucketGetOption;
import com.google.cloud.storage.StorageBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.storage.BulkDeleteException;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.Keys;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageAccessDeniedException;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.Upload;

/**
 * A {@link StorageBackend} on a Google Cloud Storage bucket through google-cloud-storage's JSON API client
 * (HTTP). Keys are object names below the URL's path.
 *
 * <ul>
 *   <li>Uploads buffer up to {@code gcs.upload-chunk-size} (16 MiB) and then store the object with one
 *       request; a longer upload becomes a resumable session ({@code WriteChannel}) sent in chunks of that
 *       size, which creates the object only when its last chunk arrives at {@link Upload#commit()}. An upload
 *       closed without commit is abandoned: no object appears, and GCS discards the session after a week.
 *   <li>{@code IF_ABSENT} sends {@code ifGenerationMatch=0}, which GCS enforces atomically (412 otherwise).
 *   <li>Tags become object metadata, as Barman stores them on GCS; user metadata is stored alongside and wins
 *       on a name clash. {@code stat} returns both.
 *   <li>Reads fetch the object's metadata and then stream that generation only, so a concurrent overwrite
 *       never mixes two versions.
 *   <li>Batch deletes use the JSON API's batch endpoint, 100 calls a request, as barman-cloud.
 *   <li>The client and its credentials are created at the first request, never by {@code open}.
 *   <li>With {@code gcs.create-bucket} (the default) a missing bucket is an empty store and the first write
 *       creates it (in {@code gcs.project}), as barman-cloud-wal-archive and -backup do; without it, every
 *       operation on a missing bucket fails with "Bucket '…' does not exist" (a plain
 *       {@link StorageException}, exit 1 in the tools, as Barman's reading tools).
 *   <li>Refused or unloadable credentials are {@link StorageAccessDeniedException}s;
 *       an unreachable endpoint or exhausted retries {@link org.barman4j.storage.StorageUnavailableException}s.
 * </ul>
 */
public final class GcsStorageBackend implements StorageBackend {
  /** GCS's limit of calls in one batch request, and barman-cloud's delete batch size for GCS. */
  public static final int MAX_DELETE_BATCH = 100;

  private static final Capabilities CAPABILITIES = new Capabilities(true, true, MAX_DELETE_BATCH, 5L << 40);

  /** Creates the client; a seam for tests. */
  @FunctionalInterface
  interface ClientFactory {
    Storage create() throws StorageException;
  }

  private final GcsLocation location;
  private final GcsSettings settings;
  private final ClientFactory factory;
  private final Object clientLock = new Object();
  private volatile Storage client;
  private volatile boolean closed;
  // The bucket was seen to exist (or was created): no more existence checks are needed.
  private volatile boolean bucketExists;

  GcsStorageBackend(GcsLocation location, GcsSettings settings, ClientFactory factory) {
    this.location = Objects.requireNonNull(location, "location is null");
    this.settings = Objects.requireNonNull(settings, "settings is null");
    this.factory = Objects.requireNonNull(factory, "factory is null");
  }

  static GcsStorageBackend open(GcsLocation location, GcsSettings settings) {
    return new GcsStorageBackend(location, settings, () -> GcsClients.create(settings, location));
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    Blob blob = get(key, "stat");
    return blob == null ? Optional.empty() : Optional.of(info(key, blob, true));
  }

  @Override
  public InputStream read(String key, ByteRange range) throws IOException {
    Objects.requireNonNull(range, "range is null");
    Blob blob = get(key, "read");
    if (blob == null) {
      throw new NoSuchObjectException(key);
    }
    long size = blob.getSize() == null ? 0 : blob.getSize();
    long start = Math.min(range.offset(), size);
    long end = range.toEnd() ? size : start + Math.min(range.length(), size - start);
    if (start >= end) {
      return InputStream.nullInputStream();
    }
    String url = location.url(key);
    try {
      // Pinned to the generation just seen: an overwrite during the read fails it instead of mixing versions.
      ReadChannel channel = client().reader(BlobId.of(location.bucket(), blob.getName(), blob.getGeneration()));
      if (start > 0) {
        channel.seek(start);
      }
      if (end < size) {
        channel.limit(end);
      }
      return new GcsReadStream(Channels.newInputStream(channel), channel, key, url);
    } catch (RuntimeException e) {
      throw GcsErrors.map("read", url, e);
    }
  }

  @Override
  public ListPage list(String prefix, ListOptions options) throws IOException {
    Keys.checkPrefix(prefix);
    Objects.requireNonNull(options, "options is null");
    List<BlobListOption> listOptions = new ArrayList<>();
    listOptions.add(BlobListOption.prefix(location.namePrefix(prefix)));
    listOptions.add(BlobListOption.pageSize(Math.min(options.pageSize(), 1000)));
    if (options.delimited()) {
      listOptions.add(BlobListOption.delimiter("/"));
    }
    options.pageToken().ifPresent(token -> listOptions.add(BlobListOption.pageToken(token)));
    Page<Blob> page;
    List<ObjectInfo> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    try {
      page = client().list(location.bucket(), listOptions.toArray(new BlobListOption[0]));
      for (Blob blob : page.getValues()) {
        String key = location.key(blob.getName());
        if (blob.isDirectory()) {
          prefixes.add(key);
        } else {
          objects.add(info(key, blob, false));
        }
      }
    } catch (RuntimeException e) {
      StorageException mapped = GcsErrors.map("list", location.url(prefix.isEmpty() ? "" : prefix), e);
      if (mapped instanceof GcsErrors.NoSuchBucketException && settings.createBucket()) {
        return new ListPage(List.of(), List.of(), Optional.empty()); // a missing bucket is an empty store
      }
      throw mapped;
    }
    // GCS sorts names and prefixes separately; a page holds both, so merge them into one order per list.
    objects.sort((a, b) -> Keys.UTF8_ORDER.compare(a.key(), b.key()));
    prefixes.sort(Keys.UTF8_ORDER);
    String next = page.getNextPageToken();
    return new ListPage(objects, prefixes, next == null || next.isEmpty() ? Optional.empty() : Optional.of(next));
  }

  @Override
  public Upload openUpload(String key, PutOptions options) throws IOException {
    Keys.check(key);
    Objects.requireNonNull(options, "options is null");
    ensureOpen();
    return new GcsUpload(this, key, options);
  }

  @Override
  public ObjectInfo put(String key, byte[] content, PutOptions options) throws IOException {
    Keys.check(key);
    Objects.requireNonNull(content, "content is null");
    Objects.requireNonNull(options, "options is null");
    if (content.length > settings.chunkSize()) {
      return StorageBackend.super.put(key, content, options);
    }
    try (GcsUpload upload = new GcsUpload(this, key, options)) {
      upload.stream().write(content);
      return upload.commit();
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Keys.check(key);
    try {
      client().delete(blobId(key)); // false for a missing object: fine
    } catch (RuntimeException e) {
      if (GcsErrors.code(e) == 404) {
        return;
      }
      throw GcsErrors.map("delete", location.url(key), e);
    }
  }

  /** Deletes with one batch request (JSON API batch endpoint); missing keys are ignored. */
  @Override
  public void deleteBatch(Collection<String> keys) throws IOException {
    if (keys.size() > MAX_DELETE_BATCH) {
      throw new IllegalArgumentException("Too many keys for one batch: " + keys.size() + " > " + MAX_DELETE_BATCH);
    }
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String key : keys) {
      unique.add(Keys.check(key));
    }
    if (unique.isEmpty()) {
      return;
    }
    if (unique.size() == 1) {
      delete(unique.iterator().next());
      return;
    }
    Map<String, IOException> failed = new LinkedHashMap<>();
    try {
      StorageBatch batch = client().batch();
      for (String key : unique) {
        batch.delete(blobId(key)).notify(new BatchResult.Callback<>() {
          @Override
          public void success(Boolean deleted) {
            // false: it was already gone, which is what was asked
          }

          @Override
          public void error(com.google.cloud.storage.StorageException e) {
            if (e.getCode() != 404) {
              failed.put(key, GcsErrors.map("delete", location.url(key), e));
            }
          }
        });
      }
      batch.submit();
    } catch (RuntimeException e) {
      throw GcsErrors.map("delete " + unique.size() + " objects under", location.toString(), e);
    }
    if (!failed.isEmpty()) {
      throw new BulkDeleteException(failed);
    }
  }

  /**
   * Gets the bucket's name, as Barman's connectivity test does ({@code bucket.exists()}). A missing bucket
   * passes with {@code gcs.create-bucket} (the first write creates it).
   *
   * @throws StorageException "Bucket … does not exist" without {@code gcs.create-bucket};
   *     {@code StorageAccessDeniedException} if the credentials are refused; {@code StorageUnavailableException}
   *     if the endpoint is unreachable
   */
  @Override
  public void check() throws IOException {
    if (!bucketExists() && !settings.createBucket()) {
      throw new GcsErrors.NoSuchBucketException(location.bucket(), "access", location.toString(), null);
    }
  }

  @Override
  public void close() {
    closed = true;
    Storage c;
    synchronized (clientLock) {
      c = client;
      client = null;
    }
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // Nothing is left to flush: the client only holds connections.
      }
    }
  }

  @Override
  public String toString() {
    return "GcsStorageBackend[" + location + "]";
  }

  // ---------------------------------------------------------------------------------------------------
  // For GcsUpload

  GcsLocation location() {
    return location;
  }

  GcsSettings settings() {
    return settings;
  }

  BlobId blobId(String key) {
    return BlobId.of(location.bucket(), location.objectName(key));
  }

  /** The client, created on first use. */
  Storage client() throws StorageException {
    ensureOpen();
    Storage c = client;
    if (c == null) {
      synchronized (clientLock) {
        ensureOpen();
        c = client;
        if (c == null) {
          c = factory.create();
          client = c;
        }
      }
    }
    return c;
  }

  ObjectInfo info(String key, BlobInfo blob, boolean withMetadata) {
    OffsetDateTime updated = blob.getUpdateTimeOffsetDateTime();
    Map<String, String> metadata = new LinkedHashMap<>();
    if (withMetadata && blob.getMetadata() != null) {
      // Google's client reports a removed metadata entry as a null value.
      blob.getMetadata().forEach((k, v) -> {
        if (k != null && v != null) {
          metadata.put(k, v);
        }
      });
    }
    return new ObjectInfo(key, blob.getSize() == null ? 0 : blob.getSize(),
        updated == null ? Instant.EPOCH : updated.toInstant(), Optional.ofNullable(blob.getEtag()), metadata);
  }

  /**
   * Creates the bucket unless it exists, for a write with {@code gcs.create-bucket}; one bucket get per
   * backend at most, as Barman's {@code setup_bucket()}.
   */
  void createBucketIfMissing() throws StorageException {
    if (!settings.createBucket()) {
      return;
    }
    try {
      if (bucketExists()) {
        return;
      }
    } catch (StorageAccessDeniedException e) {
      // Credentials for objects only (no storage.buckets.get): the write itself says whether it may go on.
      return;
    }
    Storage c = client();
    String project = c.getOptions().getProjectId();
    if ((project == null || project.equals(GcsClients.NO_PROJECT)) && !settings.anonymous()) {
      throw new StorageException("Bucket '" + location.bucket() + "' does not exist and cannot be created: no "
          + "project id (set " + GcsStorageProperties.PROJECT_VARIABLE + " or " + GcsStorageProperties.PROJECT + ")");
    }
    try {
      c.create(BucketInfo.of(location.bucket()));
    } catch (RuntimeException e) {
      if (GcsErrors.code(e) != 409) { // 409: someone else created it meanwhile, which is what was asked
        throw GcsErrors.map("create the bucket of", location.toString(), e);
      }
    }
    bucketExists = true;
  }

  private boolean bucketExists() throws StorageException {
    if (bucketExists) {
      return true;
    }
    Bucket bucket;
    try {
      bucket = client().get(location.bucket(), BucketGetOption.fields(BucketField.NAME));
    } catch (RuntimeException e) {
      throw GcsErrors.map("access", "gs://" + location.bucket(), e);
    }
    bucketExists = bucket != null;
    return bucketExists;
  }

  private Blob get(String key, String action) throws StorageException {
    Keys.check(key);
    Blob blob;
    try {
      blob = client().get(blobId(key));
    } catch (RuntimeException e) {
      throw GcsErrors.map(action, location.url(key), e);
    }
    // GCS answers 404 for an object in a missing bucket too; without gcs.create-bucket, say which is missing.
    if (blob == null && !settings.createBucket() && !bucketExists()) {
      throw new GcsErrors.NoSuchBucketException(location.bucket(), action, location.url(key), null);
    }
    return blob;
  }

  private void ensureOpen() throws StorageException {
    if (closed) {
      throw new StorageException("Storage " + location + " is closed");
    }
  }
}
