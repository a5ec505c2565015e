package org.barman4j.storage;

/**
 * A range of bytes of an object: {@code length} bytes from {@code offset}, or to the end when
 * {@code length} is -1.
 *
 * @param offset the first byte, from 0
 * @param length how many bytes, or -1 for all up to the end
 */
public record ByteRange(long offset, long length) {
  /** The whole object. */
  public static final ByteRange ALL = new ByteRange(0, -1);

  /**
   * Checks the values.
   *
   * @param offset the first byte, from 0
   * @param length how many bytes, or -1 for all up to the end
   * @throws IllegalArgumentException if a component is invalid
   */
  public ByteRange {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    if (length < -1) {
      throw new IllegalArgumentException("length must be >= 0, or -1 for 'to the end': " + length);
    }
  }

  /**
   * From {@code offset} to the end.
   *
   * @param offset the first byte, from 0
   * @return the range
   */
  public static ByteRange from(long offset) {
    return new ByteRange(offset, -1);
  }

  /**
   * {@code length} bytes from {@code offset}.
   *
   * @param offset the first byte, from 0
   * @param length how many bytes
   * @return the range
   */
  public static ByteRange of(long offset, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0: " + length);
    }
    return new ByteRange(offset, length);
  }

  /** {@return whether the range runs to the end of the object} */
  public boolean toEnd() {
    return length == -1;
  }
}
