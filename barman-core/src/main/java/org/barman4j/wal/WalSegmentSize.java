package org.barman4j.wal;

/**
 * A cluster's {@code wal_segment_size}: a power of two from 1 MiB to 1 GiB ({@code initdb --wal-segsize}).
 *
 * @param bytes the size in bytes
 */
public record WalSegmentSize(long bytes) {
  /** PostgreSQL's default, 16 MiB. */
  public static final WalSegmentSize DEFAULT = new WalSegmentSize(16L << 20);

  private static final long MIN = 1L << 20;
  private static final long MAX = 1L << 30;

  /**
   * Checks the values.
   *
   * @param bytes the size in bytes
   * @throws IllegalArgumentException if a component is invalid
   */
  public WalSegmentSize {
    if (bytes < MIN || bytes > MAX || Long.bitCount(bytes) != 1) {
      throw new IllegalArgumentException(
          "Invalid WAL segment size " + bytes + ": must be a power of two from 1 MiB to 1 GiB");
    }
  }

  /**
   * {@return the segment size of {@code mebibytes} MiB}
   *
   * @param mebibytes the size in MiB
   */
  public static WalSegmentSize ofMebibytes(int mebibytes) {
    return new WalSegmentSize((long) mebibytes << 20);
  }

  /** {@return how many segments one 4 GiB "log" (the middle eight hex digits of a segment name) holds} */
  public long segmentsPerLog() {
    return 0x1_0000_0000L / bytes;
  }
}
