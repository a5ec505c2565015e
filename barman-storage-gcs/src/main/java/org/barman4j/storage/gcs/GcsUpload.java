package org.barman4j.storage.gcs;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.barman4j.storage.AbstractUpload;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.Precondition;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageException;

/**
 * One upload: buffered in memory up to the chunk size and stored with a single request at commit, or, once
 * longer, streamed through a resumable session whose last chunk (sent at commit) creates the object.
 * Nothing is visible before commit; a close without commit abandons the session, which stores nothing.
 */
final class GcsUpload extends AbstractUpload {
  private static final int INITIAL_BUFFER = 64 * 1024;

  private final GcsStorageBackend backend;
  private final String key;
  private final String url;
  private final BlobInfo info;
  private final Map<String, String> metadata;
  private final boolean ifAbsent;
  private final int chunkSize;
  private byte[] buffer;
  private int used;
  private WriteChannel writer;
  private long size;
  // A precondition failure seen while streaming: reported at commit, as the Upload contract says.
  private StorageException deferred;

  GcsUpload(GcsStorageBackend backend, String key, PutOptions options) {
    super(backend.location().url(key));
    this.backend = backend;
    this.key = key;
    this.url = backend.location().url(key);
    this.ifAbsent = options.precondition() == Precondition.IF_ABSENT;
    this.chunkSize = backend.settings().chunkSize();
    // Barman stores its tags as object metadata on GCS; explicit metadata wins a clash.
    Map<String, String> merged = new LinkedHashMap<>(options.tags());
    merged.putAll(options.metadata());
    this.metadata = Map.copyOf(merged);
    this.info = BlobInfo.newBuilder(backend.blobId(key))
        .setContentType("application/octet-stream")
        .setMetadata(merged.isEmpty() ? null : merged)
        .build();
    this.buffer = new byte[Math.min(INITIAL_BUFFER, chunkSize)];
  }

  /** Buffers, then streams; nothing to flush: bytes leave in whole chunks, and the last one only at commit. */
  @Override
  protected void doWrite(byte[] b, int off, int len) throws IOException {
    append(b, off, len);
  }

  @Override
  protected ObjectInfo doCommit() throws IOException {
    try {
      if (deferred != null) {
        throw deferred;
      }
      if (writer == null) {
        Blob blob;
        try {
          blob = backend.client().create(info, buffer, 0, used, targetOptions());
        } catch (RuntimeException e) {
          if (!(failure(e) instanceof GcsErrors.NoSuchBucketException) || !backend.settings().createBucket()) {
            throw e;
          }
          // The first write to a missing bucket creates it, as barman-cloud-wal-archive does.
          backend.createBucketIfMissing();
          blob = backend.client().create(info, buffer, 0, used, targetOptions());
        }
        return backend.info(key, blob, true);
      }
      writer.close(); // sends the last chunk: the object appears now, or the precondition fails
      return new ObjectInfo(key, size, Instant.now(), Optional.empty(), metadata);
    } catch (RuntimeException | IOException e) {
      if (e instanceof StorageException spi) {
        throw spi; // already the SPI's: the deferred precondition failure, or no client
      }
      throw failure(e);
    } finally {
      buffer = null;
      writer = null;
    }
  }

  /** Abandons the upload: a session never finished stores nothing. */
  @Override
  protected void doAbort() {
    buffer = null;
    writer = null;
  }

  private BlobTargetOption[] targetOptions() {
    List<BlobTargetOption> options = new ArrayList<>();
    options.add(BlobTargetOption.disableGzipContent()); // the tools send compressed data: gzip again is waste
    if (ifAbsent) {
      options.add(BlobTargetOption.doesNotExist()); // ifGenerationMatch=0
    }
    backend.settings().kmsKey().ifPresent(k -> options.add(BlobTargetOption.kmsKeyName(k)));
    return options.toArray(new BlobTargetOption[0]);
  }

  private BlobWriteOption[] writeOptions() {
    List<BlobWriteOption> options = new ArrayList<>();
    options.add(BlobWriteOption.disableGzipContent());
    if (ifAbsent) {
      options.add(BlobWriteOption.doesNotExist());
    }
    backend.settings().kmsKey().ifPresent(k -> options.add(BlobWriteOption.kmsKeyName(k)));
    return options.toArray(new BlobWriteOption[0]);
  }

  private StorageException failure(Exception e) {
    if (GcsErrors.code(e) == 412) {
      return new ObjectExistsException(key);
    }
    return GcsErrors.map("upload", url, e);
  }

  private void append(byte[] b, int off, int len) throws IOException {
    size += len;
    if (deferred != null) {
      return; // the commit will fail: the rest of the bytes have nowhere to go
    }
    if (writer == null) {
      if (used + len <= chunkSize) {
        if (used + len > buffer.length) {
          buffer = Arrays.copyOf(buffer, (int) Math.min(chunkSize, Math.max((long) used + len, 2L * buffer.length)));
        }
        System.arraycopy(b, off, buffer, used, len);
        used += len;
        return;
      }
      startSession();
      if (deferred != null) {
        return;
      }
    }
    send(b, off, len);
  }

  /** Turns the buffered bytes into the start of a resumable session and lets the buffer go. */
  private void startSession() throws IOException {
    // A session may fail late on a missing bucket, with bytes already sent: make sure of the bucket first.
    backend.createBucketIfMissing();
    try {
      writer = backend.client().writer(info, writeOptions());
      writer.setChunkSize(chunkSize);
    } catch (RuntimeException e) {
      StorageException failure = failure(e);
      if (failure instanceof ObjectExistsException) {
        deferred = failure;
        return;
      }
      throw failure;
    }
    byte[] buffered = buffer;
    int n = used;
    buffer = null;
    used = 0;
    send(buffered, 0, n);
  }

  private void send(byte[] b, int off, int len) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(b, off, len);
    try {
      while (bytes.hasRemaining()) {
        writer.write(bytes);
      }
    } catch (RuntimeException | IOException e) {
      StorageException failure = failure(e);
      if (failure instanceof ObjectExistsException) {
        deferred = failure;
        return;
      }
      throw failure;
    }
  }
}
