package org.barman4j.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A compression algorithm with barman-cloud's file-name suffix.
 *
 * <p>The streams returned by {@link #compress} and {@link #decompress} take ownership of the stream they
 * wrap: closing them closes it, and if either method throws, it has been closed already. They are not
 * thread-safe.
 */
public enum Compression {
  /** No compression: the streams are passed through unchanged. */
  NONE("none", "", ""),
  /** gzip (RFC 1952); reading accepts concatenated members. */
  GZIP("gzip", ".gz", "1f8b08", new LevelRange(1, 9, 1, 6, 9)),
  /** bzip2; reading accepts concatenated streams. */
  BZIP2("bzip2", ".bz2", "425a68", new LevelRange(1, 9, 1, 5, 9)),
  /** xz with LZMA2, the levels being xz presets; reading accepts concatenated streams. */
  XZ("xz", ".xz", "fd377a585a00", new LevelRange(1, 9, 1, 3, 5)),
  /** Zstandard frames; reading accepts concatenated and skippable frames. */
  ZSTD("zstd", ".zst", "28b52ffd", new LevelRange(-22, 22, 1, 4, 9)),
  /**
   * The LZ4 frame format as written by the {@code lz4} tool and Python's {@code lz4.frame}; reading
   * accepts linked and independent blocks, checksums, and concatenated and skippable frames.
   */
  LZ4("lz4", ".lz4", "04224d18", new LevelRange(0, 16, 0, 6, 10)),
  /** The snappy framing format, as written by python-snappy's {@code stream_compress}; no levels. */
  SNAPPY("snappy", ".snappy", "ff060000734e61507059");

  private final String id;
  private final String suffix;
  private final byte[] magic;
  private final Optional<LevelRange> levels;

  Compression(String id, String suffix, String magicHex) {
    this(id, suffix, magicHex, Optional.empty());
  }

  Compression(String id, String suffix, String magicHex, LevelRange levels) {
    this(id, suffix, magicHex, Optional.of(levels));
  }

  Compression(String id, String suffix, String magicHex, Optional<LevelRange> levels) {
    this.id = id;
    this.suffix = suffix;
    this.magic = HexFormat.of().parseHex(magicHex);
    this.levels = levels;
  }

  /** {@return the name Barman uses for this algorithm: {@code none}, {@code gzip}, {@code bzip2}, …} */
  public String id() {
    return id;
  }

  /** {@return the file-name suffix barman-cloud appends, with its dot; empty for {@link #NONE}} */
  public String suffix() {
    return suffix;
  }

  /**
   * Wraps {@code out}: bytes written are compressed; {@code close()} finishes the stream or frame and
   * closes {@code out}. {@code flush()} flushes {@code out} but may keep data buffered inside the
   * compressor. {@link #NONE} returns {@code out} itself.
   *
   * @param out where the compressed bytes go
   * @param level the compression level
   * @return the compressing stream
   * @throws IOException if {@code out} cannot be written
   * @throws IllegalArgumentException if {@code level} is out of this codec's range
   */
  public OutputStream compress(OutputStream out, CompressionLevel level) throws IOException {
    Objects.requireNonNull(out, "out is null");
    try {
      Objects.requireNonNull(level, "level is null");
      int resolved = level.resolve(this);
      return switch (this) {
        case NONE -> out;
        case GZIP -> GzipCodec.compress(out, resolved);
        case BZIP2 -> Bzip2Codec.compress(out, resolved);
        case XZ -> XzCodec.compress(out, resolved);
        case ZSTD -> ZstdCodec.compress(out, resolved);
        case LZ4 -> Lz4Codec.compress(out, resolved);
        case SNAPPY -> SnappyCodec.compress(out);
      };
    } catch (IOException | RuntimeException | Error e) {
      Streams.closeAfterFailure(out, e);
      throw e;
    }
  }

  /**
   * Wraps {@code in}: reads return the decompressed bytes. Truncated or corrupt input raises an
   * {@link IOException}, never silently short data; so does an empty input, except for {@link #SNAPPY},
   * whose Python writer emits nothing at all for empty data. {@code close()} closes {@code in}.
   * {@link #NONE} returns {@code in} itself.
   *
   * @param in the compressed bytes
   * @return the decompressing stream
   * @throws IOException if {@code in} cannot be read or is not valid data of this codec
   */
  public InputStream decompress(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in is null");
    try {
      return switch (this) {
        case NONE -> in;
        case GZIP -> GzipCodec.decompress(in);
        case BZIP2 -> Bzip2Codec.decompress(in);
        case XZ -> XzCodec.decompress(in);
        case ZSTD -> ZstdCodec.decompress(in);
        case LZ4 -> Lz4Codec.decompress(in);
        case SNAPPY -> SnappyCodec.decompress(in);
      };
    } catch (IOException | RuntimeException | Error e) {
      Streams.closeAfterFailure(in, e);
      throw e;
    }
  }

  /**
   * {@return the codec whose suffix ends {@code fileName} ({@code x.gz} gives GZIP); empty if none} Never NONE.
   *
   * @param fileName a file name or object key
   */
  public static Optional<Compression> fromSuffix(String fileName) {
    Objects.requireNonNull(fileName, "fileName is null");
    for (Compression c : values()) {
      if (c != NONE && fileName.endsWith(c.suffix)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * {@return the codec with this {@link #id()}}
   *
   * @param id the codec name, e.g. {@code gzip}
   * @throws IllegalArgumentException naming the valid ids if there is none
   */
  public static Compression fromId(String id) {
    Objects.requireNonNull(id, "id is null");
    for (Compression c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("Unknown compression \"" + id + "\"; valid: "
        + Arrays.stream(values()).map(Compression::id).collect(Collectors.joining(", ")));
  }

  /**
   * {@return the codec whose magic bytes start {@code head}, if any: gzip {@code 1f8b08}, bzip2
   * {@code 425a68}, xz {@code fd377a585a00}, zstd {@code 28b52ffd}, lz4 {@code 04224d18}, snappy
   * {@code ff060000734e61507059}} Never NONE.
   *
   * @param head the first bytes of a file
   */
  public static Optional<Compression> fromMagic(byte[] head) {
    Objects.requireNonNull(head, "head is null");
    for (Compression c : values()) {
      if (c != NONE && head.length >= c.magic.length
          && Arrays.equals(head, 0, c.magic.length, c.magic, 0, c.magic.length)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The levels of this codec; empty if it ignores levels. */
  Optional<LevelRange> levels() {
    return levels;
  }
}
