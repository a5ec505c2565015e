package org.barman4j.storage.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobDownloadHeaders;
import com.azure.storage.blob.models.BlobDownloadResponse;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.StorageException;

/**
 * Reads a range of a blob as ranged GETs of {@value AzureStorageBackend#READ_CHUNK} bytes, fetching the next
 * chunk while the caller consumes the current one. The first GET happens in {@link #open}, so a missing blob
 * fails there; later GETs send {@code If-Match} with the first one's ETag, so the stream yields one version
 * of the blob or fails, never a mix.
 */
final class AzureBlobInputStream extends InputStream {
  private final AzureStorageBackend backend;
  private final BlobClient blob;
  private final String key;
  private final String etag;
  private final long end; // exclusive
  private long nextFetch;
  private Future<byte[]> ahead;
  private byte[] chunk;
  private int position;
  private boolean closed;

  private AzureBlobInputStream(AzureStorageBackend backend, BlobClient blob, String key, String etag, long end,
      byte[] first, long nextFetch) {
    this.backend = backend;
    this.blob = blob;
    this.key = key;
    this.etag = etag;
    this.end = end;
    this.chunk = first;
    this.nextFetch = nextFetch;
    startReadAhead();
  }

  static InputStream open(AzureStorageBackend backend, BlobClient blob, String key, ByteRange range)
      throws IOException {
    long offset = range.offset();
    long wanted = range.toEnd() ? Long.MAX_VALUE - offset : Math.min(range.length(), Long.MAX_VALUE - offset);
    if (wanted == 0) {
      // Still a GET, to fail on a missing blob as the contract says.
      fetch(backend, blob, key, 0, 1, null);
      return InputStream.nullInputStream();
    }
    Fetched first = fetch(backend, blob, key, offset, (int) Math.min(wanted, AzureStorageBackend.READ_CHUNK), null);
    if (first == null) {
      return InputStream.nullInputStream(); // the range starts at or past the end
    }
    long end = Math.min(first.size(), offset + wanted);
    return new AzureBlobInputStream(backend, blob, key, first.etag(), end, first.bytes(),
        offset + first.bytes().length);
  }

  private record Fetched(byte[] bytes, long size, String etag) {}

  /** One ranged GET; null if the range starts past the end (HTTP 416). */
  private static Fetched fetch(AzureStorageBackend backend, BlobClient blob, String key, long offset, int count,
      String etag) throws IOException {
    Exposed out = new Exposed(count);
    BlobRequestConditions conditions = etag == null ? null : new BlobRequestConditions().setIfMatch(etag);
    BlobDownloadResponse response;
    try {
      response = blob.downloadStreamWithResponse(out, new BlobRange(offset, (long) count), null, conditions, false,
          null, Context.NONE);
    } catch (RuntimeException e) {
      int status = AzureErrors.status(e);
      if (status == 416) {
        return null;
      }
      if (status == 404 && !(AzureErrors.isContainerNotFound(e) && !backend.properties().createContainer())) {
        throw new NoSuchObjectException(key);
      }
      if (status == 412) {
        throw new StorageException("Cannot read " + key + " at " + backend.location().url()
            + ": it was overwritten while being read", e);
      }
      throw backend.failure("read " + key, e);
    }
    BlobDownloadHeaders headers = response.getDeserializedHeaders();
    long size = totalSize(headers.getContentRange(), offset + out.size());
    return new Fetched(out.bytes(), size, headers.getETag());
  }

  /** The total size from {@code Content-Range: bytes A-B/TOTAL}. */
  private static long totalSize(String contentRange, long fallback) {
    if (contentRange != null) {
      int slash = contentRange.lastIndexOf('/');
      if (slash >= 0 && slash < contentRange.length() - 1 && contentRange.charAt(slash + 1) != '*') {
        try {
          return Long.parseLong(contentRange.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
          return fallback;
        }
      }
    }
    return fallback;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("Stream of " + key + " is closed");
    }
    if (len == 0) {
      return 0;
    }
    if (position == chunk.length) {
      if (!nextChunk()) {
        return -1;
      }
    }
    int n = Math.min(len, chunk.length - position);
    System.arraycopy(chunk, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return closed ? 0 : chunk.length - position;
  }

  private boolean nextChunk() throws IOException {
    if (ahead == null) {
      chunk = new byte[0];
      position = 0;
      return false;
    }
    try {
      chunk = ahead.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while reading " + key);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new StorageException("Cannot read " + key + " at " + backend.location().url() + ": " + e.getCause(),
          e.getCause());
    }
    position = 0;
    ahead = null;
    if (chunk.length == 0) {
      return false; // shrank meanwhile; the If-Match would have caught a change
    }
    nextFetch += chunk.length;
    startReadAhead();
    return true;
  }

  private void startReadAhead() {
    if (nextFetch >= end) {
      ahead = null;
      return;
    }
    long from = nextFetch;
    int count = (int) Math.min(AzureStorageBackend.READ_CHUNK, end - from);
    ahead = backend.executor().submit(new Callable<byte[]>() {
      @Override
      public byte[] call() throws IOException {
        Fetched fetched = fetch(backend, blob, key, from, count, etag);
        return fetched == null ? new byte[0] : fetched.bytes();
      }
    });
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (ahead != null) {
        ahead.cancel(true);
        ahead = null;
      }
      chunk = new byte[0];
      position = 0;
    }
  }

  /** A ByteArrayOutputStream whose buffer is handed out without a copy when it is exactly full. */
  private static final class Exposed extends ByteArrayOutputStream {
    Exposed(int capacity) {
      super(capacity);
    }

    byte[] bytes() {
      return count == buf.length ? buf : toByteArray();
    }
  }
}
