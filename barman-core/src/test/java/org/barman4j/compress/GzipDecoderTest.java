package org.barman4j.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** gzip members (RFC 1952) with every optional header field, assembled by hand. */
class GzipDecoderTest {
  private static final int FHCRC = 0x02;
  private static final int FEXTRA = 0x04;
  private static final int FNAME = 0x08;
  private static final int FCOMMENT = 0x10;
  private static final byte[] DATA = TestData.mixed(100_000, 51);

  @Test
  void everyOptionalHeaderFieldIsSkipped() throws IOException {
    byte[] member = member(FEXTRA | FNAME | FCOMMENT | FHCRC, DATA);
    assertThat(TestData.decompress(Compression.GZIP, member)).isEqualTo(DATA);
  }

  @Test
  void aWrongHeaderChecksumIsRejected() {
    byte[] member = member(FNAME | FHCRC, DATA);
    int crcOffset = 10 + "000000010000000000000001".length() + 1;
    member[crcOffset] ^= 1;
    assertThatThrownBy(() -> TestData.decompress(Compression.GZIP, member))
        .isInstanceOf(IOException.class).hasMessageContaining("header CRC");
  }

  @Test
  void reservedFlagsAreRejected() {
    assertThatThrownBy(() -> TestData.decompress(Compression.GZIP, member(0x20, DATA)))
        .isInstanceOf(IOException.class).hasMessageContaining("reserved");
  }

  @Test
  void aWrongDataChecksumOrSizeIsRejected() {
    byte[] wrongCrc = member(0, DATA);
    wrongCrc[wrongCrc.length - 8] ^= 1;
    assertThatThrownBy(() -> TestData.decompress(Compression.GZIP, wrongCrc))
        .isInstanceOf(IOException.class).hasMessageContaining("CRC-32");
    byte[] wrongSize = member(0, DATA);
    wrongSize[wrongSize.length - 1] ^= 1;
    assertThatThrownBy(() -> TestData.decompress(Compression.GZIP, wrongSize))
        .isInstanceOf(IOException.class).hasMessageContaining("size");
  }

  @Test
  void aSecondMemberIsReadEvenWhenNothingIsAvailableAtTheBoundary() throws IOException {
    byte[] first = member(0, DATA);
    byte[] second = member(FNAME, "tail".getBytes(StandardCharsets.US_ASCII));
    byte[] both = TestData.concat(first, second);
    // The first read ends exactly at the member boundary and available() is 0 there, which makes
    // java.util.zip.GZIPInputStream before Java 23 stop after the first member.
    InputStream network = new ByteArrayInputStream(both) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        int boundaryLeft = first.length - (both.length - available0());
        return super.read(b, off, boundaryLeft > 0 ? Math.min(len, boundaryLeft) : len);
      }

      private int available0() {
        return super.available();
      }

      @Override
      public synchronized int available() {
        return 0;
      }
    };
    try (InputStream in = Compression.GZIP.decompress(network)) {
      assertThat(in.readAllBytes()).isEqualTo(TestData.concat(DATA, "tail".getBytes(StandardCharsets.US_ASCII)));
    }
  }

  @Test
  void zeroPaddingAfterAMemberIsIgnored() throws IOException {
    byte[] padded = TestData.concat(member(0, DATA), new byte[512], member(0, DATA), new byte[3]);
    assertThat(TestData.decompress(Compression.GZIP, padded)).isEqualTo(TestData.concat(DATA, DATA));
  }

  @Test
  void aSecondMemberCutInsideItsHeaderIsRejected() {
    byte[] cut = TestData.concat(member(0, DATA), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0});
    assertThatThrownBy(() -> TestData.decompress(Compression.GZIP, cut)).isInstanceOf(IOException.class);
  }

  @Test
  void anUnknownCompressionMethodIsRejected() {
    byte[] member = member(0, DATA);
    member[2] = 7;
    assertThatThrownBy(() -> TestData.decompress(Compression.GZIP, member))
        .isInstanceOf(IOException.class).hasMessageContaining("method");
  }

  /** One gzip member holding {@code data}, with the optional header fields {@code flags} asks for. */
  private static byte[] member(int flags, byte[] data) {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 1, 2, 3, 4, 0, 3});
    if ((flags & FEXTRA) != 0) {
      header.writeBytes(new byte[] {6, 0, 'A', 'p', 2, 0, 'x', 'y'});
    }
    if ((flags & FNAME) != 0) {
      header.writeBytes("000000010000000000000001\0".getBytes(StandardCharsets.ISO_8859_1));
    }
    if ((flags & FCOMMENT) != 0) {
      header.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    }
    if ((flags & FHCRC) != 0) {
      CRC32 crc = new CRC32();
      crc.update(header.toByteArray());
      header.write((int) crc.getValue());
      header.write((int) crc.getValue() >>> 8);
    }
    Deflater deflater = new Deflater(6, true);
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (!deflater.finished()) {
      body.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    CRC32 crc = new CRC32();
    crc.update(data);
    int c = (int) crc.getValue();
    int n = data.length;
    byte[] trailer = {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
        (byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)};
    return TestData.concat(header.toByteArray(), body.toByteArray(), trailer);
  }
}
