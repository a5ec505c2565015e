package org.barman4j.backup;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * A size in bytes written in Barman's syntax ({@code barman.utils.check_size}): a bare integer is bytes;
 * {@code B}, {@code KB}, {@code MB}, {@code GB}, {@code TB}… multiply by powers of 1024, and
 * {@code KiB}, {@code MiB}… by powers of 1000 (the reverse of IEC, as Barman does it). The suffix is
 * case-insensitive and the number may have a fraction ({@code 1.5GB}).
 *
 * @param bytes the size, at least 1
 */
public record ByteSize(long bytes) {
  private static final String PREFIXES = "KMGTPEZY";

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
   * Parses {@code text} as Barman does.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException {@code '<text>' is not a valid size string}, as Barman words it
   * @return the size
   */
  public static ByteSize parse(String text) {
    String value = text.strip().toUpperCase(Locale.ROOT);
    try {
      BigDecimal result;
      if (value.endsWith("B")) {
        boolean si = value.length() >= 2 && value.charAt(value.length() - 2) == 'I';
        int unitLength = si ? 3 : 2;
        BigDecimal base = BigDecimal.valueOf(si ? 1000 : 1024);
        int prefix = value.length() >= unitLength ? PREFIXES.indexOf(value.charAt(value.length() - unitLength)) : -1;
        if (prefix >= 0) {
          result = number(value.substring(0, value.length() - unitLength)).multiply(base.pow(prefix + 1));
        } else {
          // "1234B": only the unit to drop, and then an integer
          result = new BigDecimal(integer(value.substring(0, value.length() - unitLength + 1)));
        }
      } else {
        result = new BigDecimal(integer(value));
      }
      long bytes = result.longValue();
      if (result.compareTo(BigDecimal.ONE) < 0 || result.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        throw new NumberFormatException();
      }
      return new ByteSize(bytes);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid size string", e);
    }
  }

  private static BigDecimal number(String s) {
    // Python's float(): "1.5", ".5", "+2", "1e3"
    return new BigDecimal(s.strip());
  }

  private static String integer(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-')) {
        throw new NumberFormatException(s);
      }
    }
    return s;
  }

  @Override
  public String toString() {
    return bytes + " B";
  }
}
