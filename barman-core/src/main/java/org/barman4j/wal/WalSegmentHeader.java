package org.barman4j.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;

/**
 * The long page header that starts every WAL segment ({@code XLogLongPageHeaderData}): the page header
 * ({@code xlp_magic}, {@code xlp_info}, {@code xlp_tli}, {@code xlp_pageaddr}, {@code xlp_rem_len}, padded
 * to 24 bytes) followed by {@code xlp_sysid}, {@code xlp_seg_size} and {@code xlp_xlog_blcksz}. PostgreSQL
 * writes it in the byte order of the server's machine.
 *
 * @param magic {@code xlp_magic}, the WAL format version ({@code 0xD110} for PostgreSQL 15)
 * @param info {@code xlp_info} flags
 * @param timeline {@code xlp_tli}
 * @param pageAddress {@code xlp_pageaddr}, the location of the segment's first byte
 * @param systemId {@code xlp_sysid}, the cluster's system identifier
 * @param segmentSize {@code xlp_seg_size}
 * @param blockSize {@code xlp_xlog_blcksz}
 */
public record WalSegmentHeader(
    int magic, int info, int timeline, long pageAddress, long systemId, long segmentSize, int blockSize) {
  /** The bytes of the header that are read. */
  public static final int LENGTH = 40;

  /** The magic of PostgreSQL 15's WAL format. */
  public static final int PG15_MAGIC = 0xD110;

  /** {@code XLP_LONG_HEADER}: set on a segment's first page. */
  private static final int LONG_HEADER = 0x0002;

  /** The first WAL magic, PostgreSQL 8.0's; every version since has a larger one in the 0xD0xx–0xD1xx range. */
  private static final int OLDEST_MAGIC = 0xD05C;

  /** Room for future formats: a magic beyond this is surely not a WAL header. */
  private static final int NEWEST_MAGIC = 0xDFFF;

  /**
   * {@return a header for a synthetic segment named {@code segment} (tests, demos): PostgreSQL 15's magic, 8
   * KiB blocks}
   *
   * @param segment the segment
   * @param size the WAL segment size
   * @param systemId the database system identifier
   */
  public static WalSegmentHeader of(WalFileName segment, WalSegmentSize size, long systemId) {
    Objects.requireNonNull(segment, "segment is null");
    Objects.requireNonNull(size, "size is null");
    return new WalSegmentHeader(PG15_MAGIC, LONG_HEADER, segment.timeline(), segment.startLsn(size).value(), systemId,
        size.bytes(), 8192);
  }

  /** {@return the header as PostgreSQL writes it on a little-endian machine; {@link #LENGTH} bytes} */
  public byte[] toBytes() {
    ByteBuffer buffer = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putShort(0, (short) magic).putShort(2, (short) info).putInt(4, timeline).putLong(8, pageAddress)
        .putLong(24, systemId).putInt(32, (int) segmentSize).putInt(36, blockSize);
    return buffer.array();
  }

  /**
   * Reads the header from the first {@code length} bytes of {@code bytes}, in whichever byte order gives a
   * plausible magic; empty if there are fewer than {@link #LENGTH} bytes or no order does.
   *
   * @param bytes the start of a file
   * @param length how many of {@code bytes} to read
   * @return the header, if the bytes hold one
   */
  public static Optional<WalSegmentHeader> parse(byte[] bytes, int length) {
    if (length < LENGTH) {
      return Optional.empty();
    }
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      ByteBuffer b = ByteBuffer.wrap(bytes, 0, LENGTH).order(order);
      int magic = Short.toUnsignedInt(b.getShort(0));
      if (magic >= OLDEST_MAGIC && magic <= NEWEST_MAGIC) {
        return Optional.of(new WalSegmentHeader(magic, Short.toUnsignedInt(b.getShort(2)), b.getInt(4), b.getLong(8),
            b.getLong(24), Integer.toUnsignedLong(b.getInt(32)), b.getInt(36)));
      }
    }
    return Optional.empty();
  }

  /**
   * {@return why a file of {@code fileSize} bytes starting with {@code bytes} cannot be the WAL segment
   * {@code segment}; empty if it can} Only what the header and size prove is checked: a change inside the
   * segment is caught by a checksum, not here.
   *
   * @param segment the segment the file is named after
   * @param bytes the start of the file
   * @param length how many of {@code bytes} were read
   * @param fileSize the file's size in bytes
   */
  public static Optional<String> mismatch(WalFileName segment, byte[] bytes, int length, long fileSize) {
    if (fileSize < LENGTH) {
      return Optional.of("it has " + fileSize + " bytes, too few for a WAL segment");
    }
    Optional<WalSegmentHeader> parsed = parse(bytes, length);
    if (parsed.isEmpty()) {
      return Optional.of("it does not start with a WAL page header (magic "
          + String.format("0x%02X%02X", bytes[1] & 0xFF, bytes[0] & 0xFF) + ")");
    }
    WalSegmentHeader header = parsed.get();
    if ((header.info & LONG_HEADER) == 0) {
      return Optional.of("its first page header is not a segment's long header");
    }
    WalSegmentSize size;
    try {
      size = new WalSegmentSize(header.segmentSize);
    } catch (IllegalArgumentException e) {
      return Optional.of("its header gives an invalid segment size of " + header.segmentSize + " bytes");
    }
    if (fileSize != size.bytes()) {
      return Optional.of("it has " + fileSize + " bytes, its header says segments have " + size.bytes());
    }
    long expected;
    try {
      expected = segment.startLsn(size).value();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    if (header.pageAddress != expected) {
      return Optional.of("its header is for location " + new Lsn(header.pageAddress) + ", not " + new Lsn(expected));
    }
    return Optional.empty();
  }
}
