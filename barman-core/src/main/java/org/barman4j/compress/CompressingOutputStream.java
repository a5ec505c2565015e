package org.barman4j.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The stream handed out by {@link Compression#compress}: buffers small writes in front of the codec (some
 * codecs cross into native code on every call) and, on close, finishes the codec and then closes the
 * destination even if finishing failed, so that a failed upload does not leak its connection.
 */
final class CompressingOutputStream extends OutputStream {
  private final OutputStream codec;
  private final OutputStream destination;
  private final byte[] buffer = new byte[Streams.BUFFER_SIZE];
  private int count;
  private boolean closed;

  /**
   * @param codec the compressing stream, which writes to {@code destination} and closes it when closed
   * @param destination the stream the caller passed in
   */
  CompressingOutputStream(OutputStream codec, OutputStream destination) {
    this.codec = Objects.requireNonNull(codec, "codec is null");
    this.destination = Objects.requireNonNull(destination, "destination is null");
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (count == buffer.length) {
      drain();
    }
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    if (len >= buffer.length) {
      drain();
      codec.write(b, off, len);
      return;
    }
    if (len > buffer.length - count) {
      drain();
    }
    System.arraycopy(b, off, buffer, count, len);
    count += len;
  }

  @Override
  public void flush() throws IOException {
    ensureOpen();
    drain();
    codec.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (destination) {
      drain();
      codec.close();
    }
  }

  private void drain() throws IOException {
    if (count > 0) {
      codec.write(buffer, 0, count);
      count = 0;
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
  }
}
