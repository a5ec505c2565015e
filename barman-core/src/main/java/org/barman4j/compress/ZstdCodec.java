package org.barman4j.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Zstandard frames with zstd-jni, written with a content checksum as the zstd tool does. */
final class ZstdCodec {
  private ZstdCodec() {}

  static OutputStream compress(OutputStream out, int level) throws IOException {
    ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, level);
    zstd.setChecksum(true);
    return new CompressingOutputStream(zstd, out);
  }

  /** {@return an encoder of one frame per chunk} */
  static ChunkEncoder chunkEncoder(int level) {
    return new FrameEncoder(level);
  }

  static InputStream decompress(InputStream in) throws IOException {
    // zstd-jni reports a truncated frame but takes an empty input for an empty stream.
    InputStream zstd = new ZstdInputStreamNoFinalizer(Streams.requireNonEmpty(in, "zstd"));
    // Every read crosses into native code.
    return new BufferedInputStream(zstd, Streams.BUFFER_SIZE);
  }

  /** One zstd frame per chunk, with pooled contexts: a context per chunk would cost megabytes of native memory each. */
  private static final class FrameEncoder extends ChunkEncoder {
    private final int level;
    private final ConcurrentLinkedQueue<ZstdCompressCtx> contexts = new ConcurrentLinkedQueue<>();

    FrameEncoder(int level) {
      this.level = level;
    }

    @Override
    public void encode(Chunk chunk, ChunkBuffer out) {
      ZstdCompressCtx ctx = contexts.poll();
      if (ctx == null) {
        ctx = new ZstdCompressCtx().setLevel(level).setChecksum(true);
      }
      try {
        out.reset();
        out.ensureCapacity((int) Zstd.compressBound(chunk.length()));
        out.advance(ctx.compressByteArray(out.array(), 0, out.array().length, chunk.data(), 0, chunk.length()));
      } finally {
        contexts.add(ctx);
      }
    }

    @Override
    public void close() {
      for (ZstdCompressCtx c = contexts.poll(); c != null; c = contexts.poll()) {
        c.close();
      }
    }
  }
}
