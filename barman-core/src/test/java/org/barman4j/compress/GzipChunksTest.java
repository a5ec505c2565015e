package org.barman4j.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.barman4j.testing.TestBytes;
import org.junit.jupiter.api.Test;

class GzipChunksTest {
  @Test
  void combinedCrcEqualsTheCrcOfTheConcatenation() {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      byte[] a = new byte[random.nextInt(5000)];
      byte[] b = new byte[random.nextInt(70000)];
      random.nextBytes(a);
      random.nextBytes(b);
      CRC32 whole = new CRC32();
      whole.update(a);
      whole.update(b);
      assertThat(GzipChunks.combine(crc(a), crc(b), b.length)).isEqualTo(whole.getValue());
    }
  }

  @Test
  void chunksCompressedApartFormOneGzipMemberThatStandardReadersDecode() throws Exception {
    byte[] data = TestBytes.compressible(3_000_000, 3);
    int chunk = 256 * 1024;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(GzipChunks.header());
    long crc = 0;
    byte[] dictionary = new byte[0];
    Deflater deflater = new Deflater(6, true);
    for (int off = 0; off < data.length; off += chunk) {
      int len = Math.min(chunk, data.length - off);
      byte[] piece = Arrays.copyOfRange(data, off, off + len);
      boolean last = off + len == data.length;
      ChunkBuffer encoded = new ChunkBuffer(16);
      long c = GzipChunks.compress(deflater, piece, len, dictionary, last, encoded);
      out.write(encoded.array(), 0, encoded.size());
      crc = GzipChunks.combine(crc, c, len);
      dictionary = Arrays.copyOfRange(piece, Math.max(0, len - GzipChunks.DICTIONARY_SIZE), len);
    }
    out.write(GzipChunks.trailer(crc, data.length));
    deflater.end();
    byte[] gz = out.toByteArray();

    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    // One member: the raw deflate stream ends exactly 8 bytes (the trailer) before the end of the file.
    Inflater inflater = new Inflater(true);
    inflater.setInput(gz, 10, gz.length - 10);
    byte[] sink = new byte[1 << 20];
    while (!inflater.finished()) {
      inflater.inflate(sink);
    }
    assertThat(inflater.getRemaining()).isEqualTo(8);
    inflater.end();
    // The dictionary carries across chunks: the result is about as small as a one-piece compression.
    Deflater whole = new Deflater(6, true);
    whole.setInput(data);
    whole.finish();
    byte[] buf = new byte[data.length];
    int single = whole.deflate(buf);
    whole.end();
    assertThat(gz.length).isLessThan(single + single / 20 + 200);
  }

  private static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }
}
