package org.barman4j.compress;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * The LZ4 frame format: block compression from lz4-java, framing by {@link Lz4FrameEncoder} and
 * {@link Lz4FrameDecoder}.
 *
 * <p>lz4-java's own frame streams cannot read linked blocks, which Python's {@code lz4.frame} (and so
 * Barman) writes by default.
 */
final class Lz4Codec {
  /** Below this level liblz4's frame API uses the fast compressor, as do we. */
  private static final int FIRST_HC_LEVEL = 3;
  /** liblz4 treats higher HC levels as this one. */
  private static final int MAX_HC_LEVEL = 12;

  private Lz4Codec() {}

  static OutputStream compress(OutputStream out, int level) throws IOException {
    LZ4Factory factory = LZ4Factory.fastestInstance();
    LZ4Compressor compressor = level < FIRST_HC_LEVEL
        ? factory.fastCompressor()
        : factory.highCompressor(Math.min(level, MAX_HC_LEVEL));
    return new CompressingOutputStream(new Lz4FrameEncoder(out, compressor), out);
  }

  static InputStream decompress(InputStream in) {
    // The decoder reads frame headers a few bytes at a time.
    return new Lz4FrameDecoder(new BufferedInputStream(in, Streams.BUFFER_SIZE));
  }
}
