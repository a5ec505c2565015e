package org.barman4j.compress;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/** xz with XZ for Java: one LZMA2 filter at the given preset and a CRC64 check, as xz and Python write. */
final class XzCodec {
  private XzCodec() {}

  static OutputStream compress(OutputStream out, int level) throws IOException {
    // The encoder writes chunk headers a few bytes at a time.
    OutputStream buffered = new BufferedOutputStream(out, Streams.BUFFER_SIZE);
    return new CompressingOutputStream(new XZOutputStream(buffered, new LZMA2Options(level)), out);
  }

  static InputStream decompress(InputStream in) throws IOException {
    // XZInputStream reads concatenated streams and stream padding, and its single-byte read is slow.
    InputStream xz = new XZInputStream(new BufferedInputStream(in, Streams.BUFFER_SIZE));
    return new BufferedInputStream(xz, Streams.BUFFER_SIZE);
  }
}
