package org.barman4j.server;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.compress.Compression;
import org.barman4j.server.internal.WalCompressions;

/**
 * One line of Barman's {@code xlog.db}: an archived WAL file.
 *
 * @param name the WAL file name (segment, {@code .backup}, {@code .partial} or {@code .history})
 * @param size the size of the stored file in bytes, after compression
 * @param time the source file's modification time, in seconds since the epoch, as Python's {@code st_mtime}
 * @param compression Barman's name of the compression ({@code gzip}, {@code bzip2}, {@code pigz},
 *     {@code custom}, …), empty when the file is stored uncompressed (written as {@code None})
 */
public record XlogDbEntry(String name, long size, double time, String compression) {

  /**
   * Validates the components.
   *
   * @param name the WAL file name, without whitespace
   * @param size the stored size, not negative
   * @param time the modification time, finite
   * @param compression Barman's compression name, empty for none
   */
  public XlogDbEntry {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(compression, "compression is null");
    if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("invalid WAL file name '" + name + "'");
    }
    if (compression.chars().anyMatch(Character::isWhitespace) || compression.equals("None")) {
      throw new IllegalArgumentException("invalid compression name '" + compression + "'");
    }
    if (size < 0 || !Double.isFinite(time)) {
      throw new IllegalArgumentException("invalid size or time for " + name);
    }
  }

  /**
   * Parses one line as Barman's readers do: fields split on whitespace; three fields are the old format
   * without compression, a literal {@code None} means uncompressed. A fifth field (Barman 3.14+'s
   * encryption) is accepted and not kept.
   *
   * @param line the line, with or without its newline
   * @return the entry
   * @throws IllegalArgumentException if the line cannot be parsed
   */
  public static XlogDbEntry parse(String line) {
    String[] fields = line.strip().split("\\s+");
    if (fields.length < 3 || fields.length > 5) {
      throw new IllegalArgumentException("cannot parse xlog.db line: '" + line.strip() + "'");
    }
    try {
      String compression = fields.length >= 4 && !fields[3].equals("None") ? fields[3] : "";
      return new XlogDbEntry(fields[0], Long.parseLong(fields[1]), Double.parseDouble(fields[2]), compression);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot parse xlog.db line: '" + line.strip() + "'", e);
    }
  }

  /** {@return the line Barman 3.4 writes, {@code name\tsize\ttime\tcompression\n}} */
  public String toLine() {
    return name + "\t" + size + "\t" + pythonFloat(time) + "\t" + (compression.isEmpty() ? "None" : compression) + "\n";
  }

  /** {@return the codec that reads the stored file; empty for {@code custom} and unknown names} */
  public Optional<Compression> codec() {
    return compression.isEmpty() ? Optional.of(Compression.NONE) : WalCompressions.codec(compression);
  }

  /** Python's {@code str(float)}: the shortest decimal that reads back to the same double. */
  static String pythonFloat(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == value) {
        String plain = rounded.stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
      }
    }
    throw new AssertionError("no round-trip representation for " + value);
  }
}
