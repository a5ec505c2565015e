package org.barman4j.compress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test inputs and stream helpers. */
final class TestData {
  static final int SIXTEEN_MIB = 16 << 20;

  private TestData() {}

  /**
   * Runs of random bytes, zeros, repeated text and WAL-like records, so every codec meets both
   * incompressible and compressible data, in blocks that straddle the codecs' block sizes.
   */
  static byte[] mixed(int size, long seed) {
    Random random = new Random(seed);
    byte[] data = new byte[size];
    byte[] text = ("INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (%d, %d, %d, %d, now());\n")
        .getBytes(StandardCharsets.US_ASCII);
    int position = 0;
    while (position < size) {
      int run = Math.min(size - position, 1 + random.nextInt(96 * 1024));
      switch (random.nextInt(4)) {
        case 0 -> {
          byte[] noise = new byte[run];
          random.nextBytes(noise);
          System.arraycopy(noise, 0, data, position, run);
        }
        case 1 -> {
          // zeros: the array is already zero-filled
        }
        case 2 -> {
          for (int i = 0; i < run; i++) {
            data[position + i] = text[i % text.length];
          }
        }
        default -> {
          for (int i = 0; i < run; i++) {
            data[position + i] = (byte) (i % 8 == 0 ? random.nextInt(256) : (i / 8) % 64);
          }
        }
      }
      position += run;
    }
    return data;
  }

  /** Text-like data that every codec compresses better at higher levels. */
  static byte[] logLines(int size, long seed) {
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(size + 200);
    String[] words = {"checkpoint", "starting", "complete", "wrote", "buffers", "WAL", "file(s)", "added",
        "removed", "recycled", "write", "sync", "total", "longest", "average", "distance", "estimate"};
    while (sb.length() < size) {
      sb.append("2024-05-").append(10 + random.nextInt(20)).append(' ')
          .append(random.nextInt(24)).append(':').append(random.nextInt(60)).append(" LOG:  ");
      for (int i = 0; i < 4 + random.nextInt(10); i++) {
        sb.append(words[random.nextInt(words.length)]).append(' ').append(random.nextInt(1000)).append(' ');
      }
      sb.append('\n');
    }
    return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] compress(Compression c, CompressionLevel level, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream compressing = c.compress(out, level)) {
      compressing.write(data);
    }
    return out.toByteArray();
  }

  static byte[] decompress(Compression c, byte[] compressed) throws IOException {
    try (InputStream in = c.decompress(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** An input that hands out at most a few bytes per read and never reports anything available. */
  static InputStream trickle(byte[] data, long seed) {
    Random random = new Random(seed);
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
      }

      @Override
      public int available() {
        return 0;
      }
    };
  }
}
