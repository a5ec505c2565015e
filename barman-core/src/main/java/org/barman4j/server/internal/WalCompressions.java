package org.barman4j.server.internal;

import java.util.Optional;
import org.barman4j.compress.Compression;

/**
 * Barman's names for the WAL {@code compression} option and the codec each one writes. Barman 3.4 knows
 * {@code gzip}, {@code pigz}, {@code pygzip} (gzip data), {@code bzip2}, {@code pybzip2} (bzip2 data) and
 * {@code custom}; 3.12 adds {@code xz}, {@code zstd}, {@code lz4}, and 3.14 {@code snappy}. The name is
 * what {@code xlog.db} records.
 */
public final class WalCompressions {

  private WalCompressions() {}

  /**
   * {@return the codec writing files for the configured name; empty for a name Barman4J cannot write
   * ({@code custom}, which runs external filter commands, or an unknown name)}
   *
   * @param name the {@code compression} value
   */
  public static Optional<Compression> codec(String name) {
    return switch (name) {
      case "gzip", "pigz", "pygzip" -> Optional.of(Compression.GZIP);
      case "bzip2", "pybzip2" -> Optional.of(Compression.BZIP2);
      case "xz" -> Optional.of(Compression.XZ);
      case "zstd" -> Optional.of(Compression.ZSTD);
      case "lz4" -> Optional.of(Compression.LZ4);
      case "snappy" -> Optional.of(Compression.SNAPPY);
      default -> Optional.empty();
    };
  }

  /**
   * {@return the name Barman records for a file found already compressed with {@code codec}: the
   * algorithm's name, {@code gzip} for any gzip data (Barman probes names in alphabetical order)}
   *
   * @param codec the detected codec, not NONE
   */
  public static String detectedName(Compression codec) {
    return codec.id();
  }
}
