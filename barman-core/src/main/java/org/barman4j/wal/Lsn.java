package org.barman4j.wal;

/**
 * A PostgreSQL write-ahead log location ({@code pg_lsn}), written {@code X/X} in hexadecimal.
 *
 * @param value the 64-bit position, compared as unsigned
 */
public record Lsn(long value) implements Comparable<Lsn> {
  /** The invalid location {@code 0/0}. */
  public static final Lsn ZERO = new Lsn(0);

  private static final java.util.regex.Pattern PATTERN =
      java.util.regex.Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

  /**
   * Parses {@code 16/B374D848}.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException if {@code text} is not two hexadecimal numbers of up to eight
   *     digits separated by '/'
   * @return the location
   */
  public static Lsn parse(String text) {
    if (!PATTERN.matcher(text).matches()) {
      throw new IllegalArgumentException("Invalid LSN '" + text + "': expected X/X in hexadecimal");
    }
    int slash = text.indexOf('/');
    long hi = Long.parseLong(text.substring(0, slash), 16);
    long lo = Long.parseLong(text.substring(slash + 1), 16);
    return new Lsn((hi << 32) | lo);
  }

  /**
   * {@return this location moved forward by {@code bytes} (backwards when negative)}
   *
   * @param bytes how far to move
   */
  public Lsn plus(long bytes) {
    return new Lsn(value + bytes);
  }

  /**
   * Bytes from {@code other} to this location.
   *
   * @param other an earlier location
   * @return the distance in bytes
   */
  public long minus(Lsn other) {
    return value - other.value;
  }

  /**
   * {@return the number of the segment holding this location ({@code XLByteToSeg})}
   *
   * @param size the WAL segment size
   */
  public long segmentNumber(WalSegmentSize size) {
    return Long.divideUnsigned(value, size.bytes());
  }

  /**
   * {@return the offset of this location inside its segment}
   *
   * @param size the WAL segment size
   */
  public long segmentOffset(WalSegmentSize size) {
    return Long.remainderUnsigned(value, size.bytes());
  }

  /**
   * {@return the name of the segment file holding this location on {@code timeline} ({@code pg_walfile_name})}
   *
   * @param timeline the timeline
   * @param size the WAL segment size
   */
  public WalFileName walFileName(int timeline, WalSegmentSize size) {
    return WalFileName.segment(timeline, segmentNumber(size), size);
  }

  @Override
  public int compareTo(Lsn other) {
    return Long.compareUnsigned(value, other.value);
  }

  @Override
  public String toString() {
    return String.format("%X/%X", value >>> 32, value & 0xFFFF_FFFFL);
  }
}
