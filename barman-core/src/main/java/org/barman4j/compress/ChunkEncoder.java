package org.barman4j.compress;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.Deflater;

/**
 * Compresses one stream as independent chunks that, written one after another in their order, form one
 * valid stream of the codec, so that the chunks can be compressed on several threads at once: a single gzip
 * member from raw deflate pieces, one zstd or LZ4 frame per chunk, or snappy framing chunks under one stream
 * identifier. bzip2, xz and uncompressed data have none: Barman's reader takes only one bzip2 stream, and
 * the others gain nothing from it.
 *
 * <p>The producer asks {@link #context} for what the next chunk may refer to, the workers {@link #encode}
 * (thread-safe; codec contexts are pooled until {@link #close()}), and the writer joins the encoded chunks
 * with one {@link Joiner} per stream.
 */
public abstract class ChunkEncoder implements Closeable {
  private static final byte[] NO_BYTES = new byte[0];

  /**
   * One chunk to encode.
   *
   * @param data the uncompressed bytes, from index 0
   * @param length how many bytes of {@code data} the chunk holds
   * @param first whether the chunk starts the stream
   * @param last whether the chunk ends the stream
   * @param context what {@link #context} gave for the previous chunk of the stream (empty for the first)
   */
  public record Chunk(byte[] data, int length, boolean first, boolean last, byte[] context) {
    /**
     * Checks the values.
     *
     * @param data the uncompressed bytes, from index 0
     * @param length how many bytes of {@code data} the chunk holds
     * @param first whether the chunk starts the stream
     * @param last whether the chunk ends the stream
     * @param context what {@link #context} gave for the previous chunk of the stream (empty for the first)
     */
    public Chunk {
      Objects.requireNonNull(data, "data is null");
      Objects.requireNonNull(context, "context is null");
      Objects.checkFromIndexSize(0, length, data.length);
    }
  }

  ChunkEncoder() {}

  /**
   * {@return the encoder of {@code compression}, or empty if the codec must encode a stream in one piece}
   *
   * @param compression the codec
   * @param level its level
   */
  public static Optional<ChunkEncoder> of(Compression compression, CompressionLevel level) {
    Objects.requireNonNull(compression, "compression is null");
    Objects.requireNonNull(level, "level is null");
    return switch (compression) {
      case GZIP -> Optional.of(new Gzip(level.resolve(Compression.GZIP)));
      case ZSTD -> Optional.of(ZstdCodec.chunkEncoder(level.resolve(Compression.ZSTD)));
      case LZ4, SNAPPY -> Optional.of(new Streamed(compression, level));
      default -> Optional.empty();
    };
  }

  /**
   * {@return room enough for an encoded chunk of {@code chunkSize} bytes, whatever the data and the codec}
   *
   * @param chunkSize the uncompressed bytes of a chunk
   */
  public static int capacityFor(int chunkSize) {
    // Snappy's worst case, 7/6 of the input, is the largest.
    return Math.max(GzipChunks.bound(chunkSize), chunkSize + chunkSize / 5 + 65536);
  }

  /**
   * {@return what the chunk after {@code data[0..length)} may refer to}, copied: empty where chunks stand
   * alone.
   *
   * @param data the chunk's uncompressed bytes
   * @param length how many bytes of {@code data} the chunk holds
   */
  public byte[] context(byte[] data, int length) {
    return NO_BYTES;
  }

  /**
   * Encodes {@code chunk} into {@code out}, replacing what it held; {@code out} grows as needed.
   *
   * @param chunk the chunk
   * @param out where the encoded bytes go, from {@link ChunkBuffer#offset()} to {@link ChunkBuffer#size()}
   * @throws IOException if the codec fails
   */
  public abstract void encode(Chunk chunk, ChunkBuffer out) throws IOException;

  /** {@return a joiner for one stream's encoded chunks} */
  public Joiner joiner() {
    return new Joiner();
  }

  /** Releases the pooled codec contexts; idempotent. */
  @Override
  public void close() {}

  /**
   * The writer's side of one stream: what goes before, after and along the encoded chunks. Not thread-safe.
   */
  public static class Joiner {
    Joiner() {}

    /** {@return the bytes that go before the first chunk} */
    public byte[] header() {
      return NO_BYTES;
    }

    /**
     * Takes note of a chunk as it is written.
     *
     * @param encoded the chunk as encoded
     * @param length its uncompressed length
     */
    public void add(ChunkBuffer encoded, int length) {}

    /** {@return the bytes that go after the last chunk} */
    public byte[] trailer() {
      return NO_BYTES;
    }
  }

  /** One gzip member: see {@link GzipChunks}. */
  private static final class Gzip extends ChunkEncoder {
    private final int level;
    private final ConcurrentLinkedQueue<Deflater> deflaters = new ConcurrentLinkedQueue<>();

    Gzip(int level) {
      this.level = level;
    }

    @Override
    public byte[] context(byte[] data, int length) {
      int n = Math.min(GzipChunks.DICTIONARY_SIZE, length);
      return Arrays.copyOfRange(data, length - n, length);
    }

    @Override
    public void encode(Chunk chunk, ChunkBuffer out) {
      Deflater deflater = deflaters.poll();
      if (deflater == null) {
        deflater = new Deflater(level, true);
      }
      try {
        out.setChecksum(
            GzipChunks.compress(deflater, chunk.data(), chunk.length(), chunk.context(), chunk.last(), out));
      } finally {
        deflaters.add(deflater);
      }
    }

    @Override
    public Joiner joiner() {
      return new Joiner() {
        private long crc;
        private long length;

        @Override
        public byte[] header() {
          return GzipChunks.header();
        }

        @Override
        public void add(ChunkBuffer encoded, int chunkLength) {
          crc = GzipChunks.combine(crc, encoded.checksum(), chunkLength);
          length += chunkLength;
        }

        @Override
        public byte[] trailer() {
          return GzipChunks.trailer(crc, length);
        }
      };
    }

    @Override
    public void close() {
      for (Deflater d = deflaters.poll(); d != null; d = deflaters.poll()) {
        d.end();
      }
    }
  }

  /**
   * A whole stream of the codec per chunk: an LZ4 frame, or snappy framing whose stream identifier only the
   * first chunk keeps.
   */
  private static final class Streamed extends ChunkEncoder {
    /** The snappy framing format's stream identifier chunk, which starts every encoded stream. */
    private static final int SNAPPY_IDENTIFIER_LENGTH = 10;

    private final Compression compression;
    private final CompressionLevel level;

    Streamed(Compression compression, CompressionLevel level) {
      this.compression = compression;
      this.level = level;
    }

    @Override
    public void encode(Chunk chunk, ChunkBuffer out) throws IOException {
      out.reset();
      // Closing the codec's stream closes the buffer too, which keeps its bytes.
      try (OutputStream codec = compression.compress(out, level)) {
        codec.write(chunk.data(), 0, chunk.length());
      }
      if (compression == Compression.SNAPPY && !chunk.first() && out.size() >= SNAPPY_IDENTIFIER_LENGTH) {
        out.skipPrefix(SNAPPY_IDENTIFIER_LENGTH);
      }
    }
  }
}
