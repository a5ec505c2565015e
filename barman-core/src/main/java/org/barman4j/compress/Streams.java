package org.barman4j.compress;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/** Helpers shared by the codecs. */
final class Streams {
  /** Buffer size for compressed and uncompressed data alike: large enough that calls are not the cost. */
  static final int BUFFER_SIZE = 64 * 1024;

  private Streams() {}

  /** Closes {@code c} after {@code failure}, keeping any error from closing as a suppressed exception. */
  static void closeAfterFailure(Closeable c, Throwable failure) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      if (e != failure) {
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * {@code in}, unread, if it has at least one byte.
   *
   * @throws EOFException naming {@code format} if {@code in} is empty
   */
  static InputStream requireNonEmpty(InputStream in, String format) throws IOException {
    PushbackInputStream pushback = new PushbackInputStream(in, 1);
    int first = pushback.read();
    if (first < 0) {
      throw new EOFException("Empty input: not " + format + " data");
    }
    pushback.unread(first);
    return pushback;
  }

  /** Skips exactly {@code len} bytes, or throws naming {@code what}. */
  static void skipFully(InputStream in, long len, String what) throws IOException {
    while (len > 0) {
      long n = in.skip(len);
      if (n <= 0) {
        // skip() may return 0 before the end of the stream: read a byte to tell the two apart
        if (in.read() < 0) {
          throw new EOFException("Truncated input: unexpected end of stream in " + what);
        }
        n = 1;
      }
      len -= n;
    }
  }
}
