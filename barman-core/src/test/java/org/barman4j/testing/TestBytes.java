package org.barman4j.testing;

import java.util.Random;

/** Test data. */
public final class TestBytes {
  private TestBytes() {}

  /** Bytes that compress several-fold but not trivially: words from a small vocabulary, seeded. */
  public static byte[] compressible(int length, long seed) {
    Random random = new Random(seed);
    String[] words = {"barman", "postgres", "wal", "segment", "tablespace", "checkpoint", "relation", "page ",
        "\n", "0123456789", "tuple", "vacuum", "index"};
    byte[] out = new byte[length];
    int at = 0;
    while (at < length) {
      byte[] w = words[random.nextInt(words.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < w.length && at < length; i++) {
        out[at++] = w[i];
      }
      if (random.nextInt(8) == 0 && at < length) {
        out[at++] = (byte) random.nextInt(256);
      }
    }
    return out;
  }

  public static byte[] random(int length, long seed) {
    byte[] out = new byte[length];
    new Random(seed).nextBytes(out);
    return out;
  }
}
