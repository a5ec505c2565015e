package org.barman4j.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * The snappy framing format (google/snappy framing_format.txt) against hand-assembled reference
 * streams, since no command-line tool writes it.
 */
class SnappyFramingTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] STREAM_IDENTIFIER = HEX.parseHex("ff060000734e61507059");
  private static final int COMPRESSED = 0x00;
  private static final int UNCOMPRESSED = 0x01;

  /** "hello snappy" in one uncompressed chunk; its CRC-32C is 0x34f7c2bc, masked 0x27fb54c7. */
  private static final String HELLO_SNAPPY_STORED =
      "ff060000734e61507059" // stream identifier chunk: type ff, length 6, "sNaPpY"
      + "01" + "100000" // uncompressed chunk, length 16 = 4 + 12
      + "c754fb27" // masked CRC-32C of "hello snappy", little-endian
      + "68656c6c6f20736e61707079"; // "hello snappy"

  @Test
  void theHardCodedStreamMatchesTheSpecification() {
    byte[] data = ascii("hello snappy");
    assertThat(HEX.formatHex(stream(chunk(UNCOMPRESSED, data, data)))).isEqualTo(HELLO_SNAPPY_STORED);
  }

  @Test
  void aStreamWithAnUncompressedChunkDecompresses() throws IOException {
    assertThat(TestData.decompress(Compression.SNAPPY, HEX.parseHex(HELLO_SNAPPY_STORED)))
        .isEqualTo(ascii("hello snappy"));
  }

  @Test
  void aStreamWithACompressedLiteralOnlyChunkDecompresses() throws IOException {
    byte[] data = ascii("hello snappy");
    // raw snappy: varint length 12, literal tag (12 - 1) << 2, the 12 bytes
    byte[] raw = TestData.concat(new byte[] {12, (byte) (11 << 2)}, data);
    byte[] stream = stream(chunk(COMPRESSED, raw, data));
    assertThat(HEX.formatHex(stream)).isEqualTo("ff060000734e61507059" + "00" + "120000" + "c754fb27"
        + "0c2c" + "68656c6c6f20736e61707079");
    assertThat(TestData.decompress(Compression.SNAPPY, stream)).isEqualTo(data);
  }

  @Test
  void aStreamWithACompressedChunkHoldingAnOverlappingCopyDecompresses() throws IOException {
    byte[] data = ascii("abcabcabcabc");
    // literal "abc", then a 1-byte-offset copy of length 9 from offset 3: tag ((9 - 4) << 2) | 01, offset 3
    byte[] raw = {12, 2 << 2, 'a', 'b', 'c', (byte) ((5 << 2) | 0x01), 3};
    byte[] stream = stream(chunk(COMPRESSED, raw, data));
    assertThat(HEX.formatHex(stream))
        .isEqualTo("ff060000734e61507059" + "000b0000" + "000d6546" + "0c08616263" + "1503");
    assertThat(TestData.decompress(Compression.SNAPPY, stream)).isEqualTo(data);
  }

  @Test
  void paddingSkippableChunksAndARepeatedStreamIdentifierAreSkipped() throws IOException {
    byte[] first = ascii("first ");
    byte[] second = ascii("second");
    byte[] stream = stream(
        chunk(UNCOMPRESSED, first, first),
        new byte[] {(byte) 0xfe, 3, 0, 0, 0, 0, 0}, // padding
        new byte[] {(byte) 0x80, 2, 0, 0, 'x', 'y'}, // reserved skippable chunk
        STREAM_IDENTIFIER,
        chunk(COMPRESSED, TestData.concat(new byte[] {6, 5 << 2}, second), second));
    assertThat(TestData.decompress(Compression.SNAPPY, stream)).isEqualTo(ascii("first second"));
  }

  @Test
  void aChunkWithAWrongChecksumIsRejected() {
    byte[] stream = HEX.parseHex(HELLO_SNAPPY_STORED);
    stream[14] ^= 1;
    assertThatThrownBy(() -> TestData.decompress(Compression.SNAPPY, stream))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void aReservedUnskippableChunkIsRejected() {
    byte[] stream = stream(new byte[] {0x02, 1, 0, 0, 0});
    assertThatThrownBy(() -> TestData.decompress(Compression.SNAPPY, stream)).isInstanceOf(IOException.class);
  }

  @Test
  void aStreamWithoutTheStreamIdentifierIsRejected() {
    byte[] data = ascii("hello snappy");
    byte[] noIdentifier = chunk(UNCOMPRESSED, data, data);
    assertThatThrownBy(() -> TestData.decompress(Compression.SNAPPY, noIdentifier))
        .isInstanceOf(IOException.class);
  }

  @Test
  void ourOutputIsTheStreamIdentifierThenValidChunksWithValidMaskedChecksums() throws IOException {
    // random runs make stored chunks, the rest compressed ones
    byte[] data = TestData.mixed(1_000_000, 41);
    byte[] stream = TestData.compress(Compression.SNAPPY, CompressionLevel.MEDIUM, data);
    assertThat(stream).startsWith(STREAM_IDENTIFIER);

    ByteArrayOutputStream decoded = new ByteArrayOutputStream();
    boolean sawCompressed = false;
    boolean sawUncompressed = false;
    int position = STREAM_IDENTIFIER.length;
    while (position < stream.length) {
      assertThat(stream.length - position).as("chunk header at %d", position).isGreaterThanOrEqualTo(4);
      int type = stream[position] & 0xff;
      int length = (stream[position + 1] & 0xff) | (stream[position + 2] & 0xff) << 8
          | (stream[position + 3] & 0xff) << 16;
      position += 4;
      assertThat(type).as("chunk type at %d", position - 4).isIn(COMPRESSED, UNCOMPRESSED);
      assertThat(length).isBetween(4, stream.length - position);
      int maskedCrc = (stream[position] & 0xff) | (stream[position + 1] & 0xff) << 8
          | (stream[position + 2] & 0xff) << 16 | (stream[position + 3] & 0xff) << 24;
      byte[] body = java.util.Arrays.copyOfRange(stream, position + 4, position + length);
      byte[] chunkData = type == COMPRESSED ? Snappy.uncompress(body) : body;
      assertThat(chunkData.length).isLessThanOrEqualTo(65536);
      assertThat(maskedCrc).as("checksum of chunk at %d", position - 4).isEqualTo(maskedCrc32c(chunkData));
      sawCompressed |= type == COMPRESSED;
      sawUncompressed |= type == UNCOMPRESSED;
      decoded.writeBytes(chunkData);
      position += length;
    }
    assertThat(sawCompressed).isTrue();
    assertThat(sawUncompressed).isTrue();
    assertThat(decoded.toByteArray()).isEqualTo(data);
  }

  @Test
  void ourOutputForEmptyDataIsTheStreamIdentifierAlone() throws IOException {
    assertThat(TestData.compress(Compression.SNAPPY, CompressionLevel.MEDIUM, new byte[0]))
        .isEqualTo(STREAM_IDENTIFIER);
  }

  private static int maskedCrc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + 0xa282ead8;
  }

  /** A chunk of {@code type} holding {@code body}, checksummed over its uncompressed {@code data}. */
  private static byte[] chunk(int type, byte[] body, byte[] data) {
    int length = 4 + body.length;
    int crc = maskedCrc32c(data);
    byte[] header = {(byte) type, (byte) length, (byte) (length >>> 8), (byte) (length >>> 16),
        (byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24)};
    return TestData.concat(header, body);
  }

  private static byte[] stream(byte[]... chunks) {
    return TestData.concat(STREAM_IDENTIFIER, TestData.concat(chunks));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
