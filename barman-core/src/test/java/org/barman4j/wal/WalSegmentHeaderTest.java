package org.barman4j.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WalSegmentHeaderTest {
  private static final WalFileName SEGMENT = WalFileName.parse("00000002000000030000004A");
  private static final WalSegmentSize SIZE = WalSegmentSize.DEFAULT;

  private static byte[] header() {
    return WalSegmentHeader.of(SEGMENT, SIZE, 7_312_345_678_901_234_567L).toBytes();
  }

  @Test
  void aHeaderRoundTripsAndFitsItsSegment() {
    byte[] bytes = header();
    WalSegmentHeader parsed = WalSegmentHeader.parse(bytes, bytes.length).orElseThrow();
    assertThat(parsed).isEqualTo(WalSegmentHeader.of(SEGMENT, SIZE, 7_312_345_678_901_234_567L));
    assertThat(parsed.pageAddress()).isEqualTo((3L << 32) + 0x4AL * (16 << 20));
    assertThat(WalSegmentHeader.mismatch(SEGMENT, bytes, bytes.length, SIZE.bytes())).isEmpty();
  }

  @Test
  void theLayoutIsPostgresqlsOnALittleEndianMachine() {
    ByteBuffer b = ByteBuffer.wrap(header()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(Short.toUnsignedInt(b.getShort(0))).isEqualTo(0xD110);
    assertThat(b.getShort(2) & 0x0002).as("XLP_LONG_HEADER").isEqualTo(2);
    assertThat(b.getInt(4)).isEqualTo(2);
    assertThat(b.getLong(8)).isEqualTo(0x3_4A00_0000L);
    assertThat(b.getLong(24)).isEqualTo(7_312_345_678_901_234_567L);
    assertThat(b.getInt(32)).isEqualTo(16 << 20);
    assertThat(b.getInt(36)).isEqualTo(8192);
  }

  @Test
  void aBigEndianHeaderIsReadToo() {
    ByteBuffer little = ByteBuffer.wrap(header()).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer big = ByteBuffer.allocate(WalSegmentHeader.LENGTH).order(ByteOrder.BIG_ENDIAN);
    big.putShort(0, little.getShort(0)).putShort(2, little.getShort(2)).putInt(4, little.getInt(4))
        .putLong(8, little.getLong(8)).putLong(24, little.getLong(24)).putInt(32, little.getInt(32))
        .putInt(36, little.getInt(36));
    assertThat(WalSegmentHeader.mismatch(SEGMENT, big.array(), WalSegmentHeader.LENGTH, SIZE.bytes())).isEmpty();
  }

  @Test
  void futureMagicsAreAcceptedAndNonsenseIsNot() {
    byte[] bytes = header();
    bytes[0] = 0x30; // 0xD130: a version that does not exist yet
    assertThat(WalSegmentHeader.mismatch(SEGMENT, bytes, bytes.length, SIZE.bytes())).isEmpty();
    bytes[1] = 0x00;
    assertThat(WalSegmentHeader.mismatch(SEGMENT, bytes, bytes.length, SIZE.bytes()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("WAL page header"));
  }

  @Test
  void theStrongChecksNameWhatIsWrong() {
    assertThat(WalSegmentHeader.mismatch(SEGMENT, header(), 40, 100)).hasValue(
        "it has 100 bytes, its header says segments have 16777216");
    assertThat(WalSegmentHeader.mismatch(SEGMENT, Arrays.copyOf(header(), 20), 20, 20)).hasValue(
        "it has 20 bytes, too few for a WAL segment");
    assertThat(WalSegmentHeader.mismatch(WalFileName.parse("00000002000000030000004B"), header(), 40, SIZE.bytes()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("3/4A000000").contains("3/4B000000"));
    byte[] shortHeader = header();
    shortHeader[2] = 0x01; // XLP_FIRST_IS_CONTRECORD without XLP_LONG_HEADER
    assertThat(WalSegmentHeader.mismatch(SEGMENT, shortHeader, 40, SIZE.bytes()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("long header"));
    byte[] badSize = header();
    badSize[33] = 0x01; // 16 MiB + 256 bytes
    assertThat(WalSegmentHeader.mismatch(SEGMENT, badSize, 40, SIZE.bytes()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("invalid segment size"));
  }
}
