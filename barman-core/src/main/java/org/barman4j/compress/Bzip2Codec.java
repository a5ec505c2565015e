package org.barman4j.compress;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/** bzip2 with Commons Compress; the level is the block size in units of 100 kB. */
final class Bzip2Codec {
  private Bzip2Codec() {}

  static OutputStream compress(OutputStream out, int level) throws IOException {
    // The encoder writes its output a byte at a time.
    OutputStream buffered = new BufferedOutputStream(out, Streams.BUFFER_SIZE);
    return new CompressingOutputStream(new BZip2CompressorOutputStream(buffered, level), out);
  }

  static InputStream decompress(InputStream in) throws IOException {
    // The decoder reads its input a byte at a time; true: read concatenated streams, as bzip2 does.
    return new BZip2CompressorInputStream(new BufferedInputStream(in, Streams.BUFFER_SIZE), true);
  }
}
