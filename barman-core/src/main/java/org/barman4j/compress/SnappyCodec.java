package org.barman4j.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * The snappy framing format with snappy-java: a stream identifier chunk, then chunks of at most 64 KiB of
 * data, each compressed or stored and carrying a masked CRC-32C of its data.
 *
 * <p>The format has no end marker, so a stream cut exactly between two chunks reads as a shorter valid
 * stream; a cut anywhere else is detected.
 */
final class SnappyCodec {
  private SnappyCodec() {}

  static OutputStream compress(OutputStream out) throws IOException {
    return new CompressingOutputStream(new SnappyFramedOutputStream(out), out);
  }

  static InputStream decompress(InputStream in) throws IOException {
    // python-snappy's stream_compress writes nothing at all, not even the identifier, for empty data.
    PushbackInputStream pushback = new PushbackInputStream(in, 1);
    int first = pushback.read();
    if (first < 0) {
      return pushback;
    }
    pushback.unread(first);
    return new SnappyFramedInputStream(pushback, true);
  }
}
