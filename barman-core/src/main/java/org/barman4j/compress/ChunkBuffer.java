package org.barman4j.compress;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A reusable, growable byte array that a {@link ChunkEncoder} writes an encoded chunk into. Closing it does
 * nothing. Not thread-safe.
 */
public final class ChunkBuffer extends OutputStream {
  private byte[] array;
  private int size;
  private int offset;
  private long checksum;

  /**
   * An empty buffer.
   *
   * @param initialCapacity its first capacity, in bytes
   */
  public ChunkBuffer(int initialCapacity) {
    array = new byte[initialCapacity];
  }

  /** {@return the array holding the bytes, which may be replaced as the buffer grows} */
  public byte[] array() {
    return array;
  }

  /** {@return the end of the bytes in {@link #array()}} */
  public int size() {
    return size;
  }

  /** {@return where the bytes to keep start: a prefix may be dropped, such as a repeated stream header} */
  public int offset() {
    return offset;
  }

  /** {@return the capacity, in bytes} */
  public int capacity() {
    return array.length;
  }

  /** {@return the CRC-32 of the uncompressed chunk, where the codec needs it (gzip)} */
  public long checksum() {
    return checksum;
  }

  void setChecksum(long checksum) {
    this.checksum = checksum;
  }

  void skipPrefix(int n) {
    offset = n;
  }

  void reset() {
    size = 0;
    offset = 0;
  }

  void advance(int n) {
    size += n;
  }

  void ensureCapacity(int capacity) {
    if (capacity > array.length) {
      array = Arrays.copyOf(array, Math.max(capacity, array.length + (array.length >> 1)));
    }
  }

  @Override
  public void write(int b) {
    ensureCapacity(size + 1);
    array[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureCapacity(size + len);
    System.arraycopy(b, off, array, size, len);
    size += len;
  }
}
