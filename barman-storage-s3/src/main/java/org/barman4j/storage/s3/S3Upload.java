package org.barman4j.storage.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.barman4j.storage.AbstractUpload;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A streaming write to S3. Bytes collect in a part buffer; while everything fits one part nothing is sent,
 * and the commit is one PutObject. The first byte beyond a full part starts a multipart upload: full parts
 * go up on the backend's pool, at most {@code concurrency} at a time (the writer blocks for a free slot),
 * and the commit sends the last part and completes the upload. A close without commit waits for the parts
 * in flight and aborts the upload. Memory: at most {@code concurrency + 1} part buffers.
 */
final class S3Upload extends AbstractUpload {
  private static final int INITIAL_BUFFER = 64 * 1024;

  private final S3StorageBackend backend;
  private final String key;
  private final PutOptions options;
  private final int partSize;
  private final Semaphore slots;
  private final List<Future<?>> inFlight = new ArrayList<>();
  private final List<CompletedPart> parts = new ArrayList<>(); // guarded by itself
  private final ArrayDeque<byte[]> freeBuffers = new ArrayDeque<>(); // guarded by itself
  private byte[] buffer = new byte[0];
  private int filled;
  private long size;
  private String uploadId; // null until the data outgrows one part
  private int nextPart = 1;
  private volatile IOException failure; // the first failed part

  S3Upload(S3StorageBackend backend, String key, PutOptions options, int partSize, int concurrency) {
    super(key);
    this.backend = Objects.requireNonNull(backend, "backend is null");
    this.key = key;
    this.options = Objects.requireNonNull(options, "options is null");
    this.partSize = partSize;
    this.slots = new Semaphore(concurrency);
  }

  /** A part is sent when full, so there is nothing to push early; report a failed part, though. */
  @Override
  protected void doFlush() throws IOException {
    throwIfFailed();
  }

  /** A failed commit is followed by {@link #doAbort()}, which aborts what was started. */
  @Override
  protected ObjectInfo doCommit() throws IOException {
    ObjectInfo stored;
    if (uploadId == null) {
      stored = backend.putObject(key, options, buffer, filled);
    } else {
      if (filled > 0) {
        sendPart();
      }
      awaitParts();
      throwIfFailed();
      List<CompletedPart> sorted;
      synchronized (parts) {
        sorted = new ArrayList<>(parts);
      }
      sorted.sort(Comparator.comparingInt(CompletedPart::partNumber));
      stored = backend.completeMultipartUpload(key, uploadId, sorted, size, options);
    }
    release();
    return stored;
  }

  /** Waits for the parts in flight, then aborts the multipart upload if one was started. */
  @Override
  protected void doAbort() throws IOException {
    awaitParts();
    release();
    if (uploadId != null) {
      String id = uploadId;
      uploadId = null;
      backend.abortMultipartUpload(key, id);
    }
  }

  @Override
  protected void doWrite(byte[] bytes, int offset, int length) throws IOException {
    throwIfFailed();
    while (length > 0) {
      if (filled == partSize) {
        sendPart();
      }
      if (filled == buffer.length) {
        grow(filled + length);
      }
      int n = Math.min(length, buffer.length - filled);
      System.arraycopy(bytes, offset, buffer, filled, n);
      filled += n;
      size += n;
      offset += n;
      length -= n;
    }
  }

  private void throwIfFailed() throws IOException {
    IOException failed = failure;
    if (failed != null) {
      throw new IOException(failed.getMessage(), failed);
    }
  }

  // Doubling up to one part: a small WAL segment never costs a whole part's memory.
  private void grow(int wanted) {
    int capacity = Math.max(INITIAL_BUFFER, buffer.length);
    while (capacity < wanted && capacity < partSize) {
      capacity = (int) Math.min(partSize, 2L * capacity);
    }
    buffer = Arrays.copyOf(buffer, Math.min(capacity, partSize));
  }

  // Hands the full buffer to the pool and continues in a fresh one.
  private void sendPart() throws IOException {
    if (uploadId == null) {
      uploadId = backend.createMultipartUpload(key, options);
    }
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while uploading " + key);
    }
    throwIfFailedReleasing();
    byte[] content = buffer;
    int length = filled;
    int number = nextPart++;
    String id = uploadId;
    try {
      inFlight.add(backend.partExecutor().submit(new PartTask(id, number, content, length)));
    } catch (RejectedExecutionException | IllegalStateException e) {
      slots.release();
      throw new IOException("Cannot upload " + key + ": the storage backend is closed", e);
    }
    synchronized (freeBuffers) {
      byte[] free = freeBuffers.poll();
      buffer = free != null ? free : new byte[partSize];
    }
    filled = 0;
  }

  private void throwIfFailedReleasing() throws IOException {
    if (failure != null) {
      slots.release();
      throwIfFailed();
    }
  }

  private void awaitParts() {
    boolean interrupted = false;
    for (Future<?> future : inFlight) {
      while (true) {
        try {
          future.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // parts must finish before an abort, or they may outlive it
        } catch (ExecutionException e) {
          break; // recorded by the task itself
        }
      }
    }
    inFlight.clear();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void release() {
    buffer = new byte[0];
    filled = 0;
    synchronized (freeBuffers) {
      freeBuffers.clear();
    }
  }

  private final class PartTask implements Runnable {
    private final String id;
    private final int number;
    private final byte[] content;
    private final int length;

    PartTask(String id, int number, byte[] content, int length) {
      this.id = id;
      this.number = number;
      this.content = content;
      this.length = length;
    }

    @Override
    public void run() {
      try {
        if (failure == null) {
          CompletedPart part = backend.uploadPart(key, id, number, content, length);
          synchronized (parts) {
            parts.add(part);
          }
        }
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        }
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = new IOException("Cannot upload part " + number + " of " + key + ": " + e, e);
        }
      } finally {
        synchronized (freeBuffers) {
          if (isOpen()) {
            freeBuffers.push(content);
          }
        }
        slots.release();
      }
    }
  }
}
