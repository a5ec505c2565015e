package org.barman4j.storage.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import org.barman4j.internal.Causes;
import org.barman4j.storage.StorageException;

/**
 * The bytes {@code [position, end)} of an open file, read with positional reads through a 64 KiB buffer;
 * reads of at least that size go straight into the caller's array.
 */
final class FileRangeInputStream extends InputStream {
  private static final int BUFFER = 64 * 1024;
  // Heap arrays pass through a per-thread direct buffer of the read's size: keep single reads bounded.
  private static final int MAX_DIRECT_READ = 1024 * 1024;

  private final FileChannel channel;
  private final String key;
  private final long end;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).flip();
  private long position;
  private boolean closed;

  FileRangeInputStream(FileChannel channel, String key, long start, long end) {
    this.channel = channel;
    this.key = key;
    this.position = start;
    this.end = end;
  }

  @Override
  public int read() throws IOException {
    ensureOpen();
    if (!buffer.hasRemaining() && !fill()) {
      return -1;
    }
    return buffer.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    if (len == 0) {
      return 0;
    }
    if (buffer.hasRemaining()) {
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }
    if (position >= end) {
      return -1;
    }
    if (len >= BUFFER) {
      int n = (int) Math.min(Math.min(len, MAX_DIRECT_READ), end - position);
      return readAt(ByteBuffer.wrap(b, off, n));
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    ensureOpen();
    if (n <= 0) {
      return 0;
    }
    int fromBuffer = (int) Math.min(n, buffer.remaining());
    buffer.position(buffer.position() + fromBuffer);
    long fromFile = Math.min(n - fromBuffer, end - position);
    position += fromFile;
    return fromBuffer + fromFile;
  }

  @Override
  public int available() throws IOException {
    ensureOpen();
    return (int) Math.min(Integer.MAX_VALUE, buffer.remaining() + (end - position));
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      channel.close();
    }
  }

  private boolean fill() throws IOException {
    buffer.clear().limit((int) Math.min(BUFFER, end - position));
    if (!buffer.hasRemaining()) {
      buffer.flip();
      return false;
    }
    readAt(buffer);
    buffer.flip();
    return true;
  }

  /** Reads at least one byte into {@code target} from the current position. */
  private int readAt(ByteBuffer target) throws IOException {
    int n;
    try {
      do {
        n = channel.read(target, position);
      } while (n == 0);
    } catch (IOException e) {
      throw new StorageException("Cannot read " + key + ": " + Causes.describe(e), e);
    }
    if (n < 0) {
      // Published files never change, so this one was truncated behind our back.
      throw new StorageException("Cannot read " + key + ": the file ended at byte " + position + " of " + end);
    }
    position += n;
    return n;
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("Read stream of " + key + " is closed");
    }
  }
}
