package org.barman4j.backup;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/** A reusable, growable byte array that compressed chunks are written into. Not thread-safe. */
final class ChunkBuffer extends OutputStream {
  /** The CRC-32 of the uncompressed chunk, where the codec needs it (gzip). */
  long crc;

  private byte[] array;
  private int size;
  private int offset;

  ChunkBuffer(int initialCapacity) {
    array = new byte[initialCapacity];
  }

  byte[] array() {
    return array;
  }

  int size() {
    return size;
  }

  /** Where the bytes to keep start (a prefix may be dropped, e.g. a repeated stream header). */
  int offset() {
    return offset;
  }

  void skipPrefix(int n) {
    offset = n;
  }

  int capacity() {
    return array.length;
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
