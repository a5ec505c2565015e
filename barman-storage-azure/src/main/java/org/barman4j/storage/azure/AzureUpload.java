package org.barman4j.storage.azure;

import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.barman4j.storage.AbstractUpload;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.Precondition;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageException;

/**
 * An upload to one block blob: held in memory while it fits a single {@code Put Blob}, staged as blocks in
 * parallel beyond that, committed by {@code Put Block List} only in {@link #commit()}. See
 * {@link AzureStorageBackend} for the visibility and memory rules.
 */
final class AzureUpload extends AbstractUpload {
  private static final int FIRST_BUFFER = 64 * 1024;

  private final AzureStorageBackend backend;
  private final String key;
  private final BlockBlobClient blob;
  private final PutOptions options;
  private final int blockSize;
  private final long singlePutLimit;
  private final Semaphore inFlight;
  // Block ids are unique per upload: concurrent writers of one blob share its uncommitted-block namespace,
  // and one writer's blocks must never end up in another's commit. All ids have one length, as Azure requires.
  private final String idPrefix = String.format("%016x", new SplittableRandom().nextLong());
  private final List<String> blockIds = new ArrayList<>();
  private final List<Future<?>> staged = new ArrayList<>();
  private final List<ByteBuffer> held = new ArrayList<>(); // full blocks not yet staged
  private byte[] buffer = new byte[0];
  private int used;
  private long size;
  private boolean staging;
  private volatile StorageException stageFailure;

  AzureUpload(AzureStorageBackend backend, String key, BlockBlobClient blob, PutOptions options) {
    super(key);
    this.backend = backend;
    this.key = key;
    this.blob = blob;
    this.options = Objects.requireNonNull(options, "options is null");
    AzureStorageProperties p = backend.properties();
    this.blockSize = p.maxBlockSize();
    this.singlePutLimit = p.maxSinglePutSize();
    this.inFlight = new Semaphore(p.maxConcurrency());
  }

  @Override
  protected void doWrite(byte[] b, int off, int len) throws IOException {
    accept(b, off, len);
  }

  /** A failed commit is followed by {@link #doAbort()}, which stops staging. */
  @Override
  protected ObjectInfo doCommit() throws IOException {
    backend.ensureOpen();
    ObjectInfo stored;
    if (!staging) {
      List<ByteBuffer> parts = new ArrayList<>(held);
      parts.add(ByteBuffer.wrap(buffer, 0, used));
      stored = putWhole(backend, key, blob, options, BinaryData.fromListByteBuffer(parts), size);
    } else {
      if (used > 0) {
        stageCurrent();
      }
      awaitStaged();
      stored = commitBlocks();
    }
    release();
    return stored;
  }

  /** Writes {@code content} with one {@code Put Blob}, creating a missing container first. */
  static ObjectInfo putWhole(AzureStorageBackend backend, String key, BlockBlobClient blob, PutOptions options,
      BinaryData content, long size) throws IOException {
    BlockBlobSimpleUploadOptions request = new BlockBlobSimpleUploadOptions(content)
        .setMetadata(options.metadata().isEmpty() ? null : options.metadata())
        .setTags(options.tags().isEmpty() ? null : options.tags())
        .setRequestConditions(conditions(options));
    for (int attempt = 1; ; attempt++) {
      try {
        Response<BlockBlobItem> response = blob.uploadWithResponse(request, null, Context.NONE);
        return info(key, size, response.getValue());
      } catch (RuntimeException e) {
        if (AzureErrors.isContainerNotFound(e) && attempt == 1) {
          backend.createContainer();
          continue;
        }
        throw writeFailure(backend, key, options, e);
      }
    }
  }

  private ObjectInfo commitBlocks() throws IOException {
    BlockBlobCommitBlockListOptions request = new BlockBlobCommitBlockListOptions(blockIds)
        .setMetadata(options.metadata().isEmpty() ? null : options.metadata())
        .setTags(options.tags().isEmpty() ? null : options.tags())
        .setRequestConditions(conditions(options));
    try {
      return info(key, size, blob.commitBlockListWithResponse(request, null, Context.NONE).getValue());
    } catch (RuntimeException e) {
      if (AzureErrors.status(e) == 400 && AzureErrors.code(e).equals("InvalidBlockList")) {
        // Committing the blob (another writer's put) discards our uncommitted blocks.
        if (options.precondition() == Precondition.IF_ABSENT && backend.stat(key).isPresent()) {
          throw new ObjectExistsException(key);
        }
        throw new StorageException("Cannot commit upload of " + key + " at " + backend.location().url()
            + ": its staged blocks were discarded, because another writer stored the same key meanwhile", e);
      }
      throw writeFailure(backend, key, options, e);
    }
  }

  private static BlobRequestConditions conditions(PutOptions options) {
    return options.precondition() == Precondition.IF_ABSENT ? new BlobRequestConditions().setIfNoneMatch("*") : null;
  }

  private static StorageException writeFailure(AzureStorageBackend backend, String key, PutOptions options,
      RuntimeException e) {
    int status = AzureErrors.status(e);
    if (options.precondition() == Precondition.IF_ABSENT && (status == 409 || status == 412)) {
      return new ObjectExistsException(key);
    }
    return backend.failure("store " + key, e);
  }

  private static ObjectInfo info(String key, long size, BlockBlobItem item) {
    return new ObjectInfo(key, size, AzureStorageBackend.instant(item == null ? null : item.getLastModified()),
        Optional.ofNullable(item == null ? null : item.getETag()), Map.of());
  }

  /** Stops staging and drops the buffers; staged blocks stay uncommitted, hence invisible. */
  @Override
  protected void doAbort() {
    release();
  }

  private void release() {
    for (Future<?> future : staged) {
      future.cancel(true);
    }
    staged.clear();
    held.clear();
    buffer = new byte[0];
    used = 0;
  }

  // ---------------------------------------------------------------------------------------------------
  // Buffering and staging

  private void accept(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (used == buffer.length) {
        makeRoom();
      }
      int n = Math.min(len, buffer.length - used);
      System.arraycopy(b, off, buffer, used, n);
      used += n;
      off += n;
      len -= n;
      size += n;
    }
    if (!staging && size > singlePutLimit) {
      staging = true;
      for (ByteBuffer block : held) {
        stage(block);
      }
      held.clear();
    }
  }

  /** Grows the current buffer up to a block, or hands a full block on. */
  private void makeRoom() throws IOException {
    if (buffer.length < blockSize) {
      int grown = (int) Math.min(blockSize, Math.max(FIRST_BUFFER, 2L * buffer.length));
      buffer = java.util.Arrays.copyOf(buffer, grown);
      return;
    }
    if (staging) {
      stageCurrent();
    } else {
      held.add(ByteBuffer.wrap(buffer));
      buffer = new byte[blockSize];
      used = 0;
    }
  }

  private void stageCurrent() throws IOException {
    ByteBuffer block = ByteBuffer.wrap(buffer, 0, used);
    buffer = new byte[blockSize];
    used = 0;
    stage(block);
  }

  /** Stages {@code block} on a worker, waiting while {@code maxConcurrency} blocks are in flight. */
  private void stage(ByteBuffer block) throws IOException {
    throwIfStageFailed();
    if (blockIds.size() >= AzureStorageBackend.MAX_BLOCKS) {
      throw new StorageException("Cannot store " + key + " at " + backend.location().url() + ": over "
          + AzureStorageBackend.MAX_BLOCKS + " blocks of " + blockSize + " bytes; raise "
          + AzureStorageProperties.MAX_BLOCK_SIZE);
    }
    String id = Base64.getEncoder().encodeToString(
        (idPrefix + String.format("%06d", blockIds.size())).getBytes(StandardCharsets.US_ASCII));
    blockIds.add(id);
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while uploading " + key);
    }
    try {
      staged.add(backend.executor().submit(new Runnable() {
        @Override
        public void run() {
          try {
            stageWithRetry(id, block);
          } catch (StorageException e) {
            stageFailure = e;
          } finally {
            inFlight.release();
          }
        }
      }));
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  private void stageWithRetry(String id, ByteBuffer block) throws StorageException {
    for (int attempt = 1; ; attempt++) {
      try {
        blob.stageBlockWithResponse(
            new com.azure.storage.blob.options.BlockBlobStageBlockOptions(id, BinaryData.fromByteBuffer(block.duplicate())),
            null, Context.NONE);
        return;
      } catch (RuntimeException e) {
        if (AzureErrors.isContainerNotFound(e) && attempt == 1) {
          backend.createContainer();
          continue;
        }
        throw backend.failure("upload a block of " + key, e);
      }
    }
  }

  private void awaitStaged() throws IOException {
    for (Future<?> future : staged) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while uploading " + key);
      } catch (ExecutionException e) {
        throw new StorageException("Cannot upload " + key + " at " + backend.location().url() + ": "
            + e.getCause(), e.getCause());
      }
    }
    throwIfStageFailed();
  }

  private void throwIfStageFailed() throws StorageException {
    StorageException failure = stageFailure;
    if (failure != null) {
      throw failure;
    }
  }
}
