package org.barman4j.backup;

import org.barman4j.storage.StorageConfig;

/**
 * A size in bytes written in Barman's syntax ({@code barman.utils.check_size}), the one grammar of sizes
 * that storage properties use too ({@link StorageConfig#parseSize}), with Barman's reading of {@code KiB} …
 * ({@link StorageConfig.SizeUnits#BARMAN}): a bare integer is bytes; {@code B},
 * {@code KB}, {@code MB}, {@code GB}, {@code TB}… multiply by powers of 1024, and {@code KiB}, {@code MiB}…
 * by powers of 1000 (the reverse of IEC, as Barman does it). The suffix is case-insensitive and the number
 * may have a fraction ({@code 1.5GB}).
 *
 * @param bytes the size, at least 1
 */
public record ByteSize(long bytes) {
  /**
   * Checks the values.
   *
   * @param bytes the size, at least 1
   * @throws IllegalArgumentException if a component is invalid
   */
  public ByteSize {
    if (bytes < 1) {
      throw new IllegalArgumentException("A size must be at least 1 byte: " + bytes);
    }
  }

  /**
   * Parses {@code text} as Barman does, in the grammar of {@link StorageConfig#parseSize}.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException {@code '<text>' is not a valid size string}, as Barman words it
   * @return the size
   */
  public static ByteSize parse(String text) {
    return new ByteSize(StorageConfig.parseSize(text, StorageConfig.SizeUnits.BARMAN));
  }

  @Override
  public String toString() {
    return bytes + " B";
  }
}
