package org.barman4j.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads its source on a thread of its own, up to {@code chunks} chunks ahead of the reader, so that
 * downloading and decompressing an archive overlap with extracting it. Memory is bounded by
 * {@code (chunks + 2) * chunkSize}. A failure of the source is raised by the reader's next read
 * past the data before it; {@link #close()} stops the thread and closes the source.
 */
final class ReadAheadInputStream extends InputStream {
  /** How long close() waits for the reader thread, which closing the source normally ends at once. */
  private static final long JOIN_TIMEOUT_MILLIS = 10_000;

  private static final long POLL_MILLIS = 100;

  /** A filled chunk, the end of the source ({@code length < 0}), or its failure. */
  private record Chunk(byte[] data, int length, Throwable failure) {}

  private final InputStream source;
  private final int chunkSize;
  private final BlockingQueue<Chunk> filled;
  private final BlockingQueue<byte[]> free;
  private final Thread reader;
  private volatile boolean closed;
  private Chunk current;
  private int position;
  private boolean ended;

  ReadAheadInputStream(InputStream source, int chunkSize, int chunks, String threadName) {
    this.source = source;
    this.chunkSize = chunkSize;
    this.filled = new ArrayBlockingQueue<>(chunks + 1);
    this.free = new ArrayBlockingQueue<>(chunks + 2);
    this.reader = new Thread(this::fill, threadName);
    reader.setDaemon(true);
    reader.start();
  }

  private void fill() {
    try {
      while (!closed) {
        byte[] buffer = free.poll();
        if (buffer == null) {
          buffer = new byte[chunkSize];
        }
        int length = 0;
        Throwable failure = null;
        try {
          while (length < buffer.length) {
            int n = source.read(buffer, length, buffer.length - length);
            if (n < 0) {
              break;
            }
            length += n;
          }
        } catch (Throwable t) {
          failure = t;
        }
        if (length > 0) {
          put(new Chunk(buffer, length, null));
        }
        if (failure != null || length < buffer.length) {
          put(new Chunk(null, -1, failure));
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed: nobody reads any more
    }
  }

  private void put(Chunk chunk) throws InterruptedException {
    while (!closed) {
      if (filled.offer(chunk, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!advance()) {
      return -1;
    }
    int n = Math.min(len, current.length() - position);
    System.arraycopy(current.data(), position, b, off, n);
    position += n;
    return n;
  }

  /** Makes {@link #current} a chunk with unread bytes; false at the end of the source. */
  private boolean advance() throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
    while (!ended && (current == null || position == current.length())) {
      if (current != null) {
        free.offer(current.data());
        current = null;
      }
      Chunk next;
      try {
        next = filled.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while reading ahead");
      }
      if (next.failure() != null) {
        ended = true;
        if (next.failure() instanceof IOException io) {
          throw io;
        }
        if (next.failure() instanceof RuntimeException re) {
          throw re;
        }
        throw new IOException(next.failure().getMessage(), next.failure());
      }
      if (next.length() < 0) {
        ended = true;
      } else {
        current = next;
        position = 0;
      }
    }
    return !ended || (current != null && position < current.length());
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    reader.interrupt();
    // Closing the source first wakes a reader blocked in a read that an interrupt does not reach (a socket).
    IOException closing = null;
    try {
      source.close();
    } catch (IOException e) {
      closing = e;
    }
    try {
      reader.join(JOIN_TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      filled.clear();
    }
    if (closing != null) {
      throw closing;
    }
  }
}
