package org.barman4j.compress;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** gzip with java.util.zip. */
final class GzipCodec {
  private GzipCodec() {}

  static OutputStream compress(OutputStream out, int level) throws IOException {
    return new CompressingOutputStream(new LevelledGzipOutputStream(out, level), out);
  }

  static InputStream decompress(InputStream in) {
    // GzipDecoder inflates straight into the caller's array; the buffer makes single-byte reads cheap
    return new BufferedInputStream(new GzipDecoder(in), Streams.BUFFER_SIZE);
  }

  private static final class LevelledGzipOutputStream extends GZIPOutputStream {
    LevelledGzipOutputStream(OutputStream out, int level) throws IOException {
      super(out, Streams.BUFFER_SIZE);
      // The header is already written, but no data has gone through the deflater yet.
      def.setLevel(level);
    }
  }
}
