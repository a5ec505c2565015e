package org.barman4j.compress;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Zstandard frames with zstd-jni, written with a content checksum as the zstd tool does. */
final class ZstdCodec {
  private ZstdCodec() {}

  static OutputStream compress(OutputStream out, int level) throws IOException {
    ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, level);
    zstd.setChecksum(true);
    return new CompressingOutputStream(zstd, out);
  }

  static InputStream decompress(InputStream in) throws IOException {
    // zstd-jni reports a truncated frame but takes an empty input for an empty stream.
    InputStream zstd = new ZstdInputStreamNoFinalizer(Streams.requireNonEmpty(in, "zstd"));
    // Every read crosses into native code.
    return new BufferedInputStream(zstd, Streams.BUFFER_SIZE);
  }
}
