package org.barman4j.storage;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Flat, namespaced configuration of a backend ({@code s3.endpoint}, {@code s3.region} …). Values of
 * {@link #sensitive() sensitive} names are redacted in {@link #toString()} and in errors.
 *
 * <p>Every backend reads sizes with {@link #size} and booleans with {@link #bool}, so that one grammar holds
 * for all of them:
 *
 * <ul>
 *   <li>a <b>size</b> is written as barman-cloud's size options are ({@code barman.utils.check_size}): a
 *       whole number of bytes ({@code 1048576}, {@code 1048576B}), or a number, possibly with a fraction,
 *       followed by a unit: {@code KB}, {@code MB}, {@code GB}, {@code TB}, {@code PB}, {@code EB} multiply by
 *       powers of 1024 ({@code 5MB} is 5242880 bytes), and so do {@code KiB}, {@code MiB}, {@code GiB} …
 *       ({@code 5MiB} is 5242880 bytes too: {@link SizeUnits#IEC}). Units are case-insensitive, blanks around
 *       the value are ignored, and the result is at least 1 byte. Barman itself reads {@code KiB} …
 *       as powers of 1000 ({@link SizeUnits#BARMAN}), which only barman-cloud's own options keep;
 *   <li>a <b>boolean</b> is {@code true} or {@code false}, case-insensitive, blanks around it ignored;
 *       nothing else ({@code yes}, {@code on}, {@code 1}) is accepted, so that a typo never flips a default.
 * </ul>
 *
 * <p>A bad value fails with one line naming the property and the value (hidden if sensitive):
 * {@code Invalid s3.part-size '5 lots': expected a size such as 16777216, 16MB or 16MiB}.
 *
 * @param properties the properties, by name
 * @param sensitive the names whose values are secrets
 */
public record StorageConfig(Map<String, String> properties, Set<String> sensitive) {
  /** The name that selects a provider by id, overriding discovery by URL. */
  public static final String PROVIDER = "storage.provider";

  /** No properties. */
  public static final StorageConfig EMPTY = new StorageConfig(Map.of(), Set.of());

  private static final String SIZE_PREFIXES = "KMGTPEZY";

  /**
   * The two readings of {@code KiB}, {@code MiB}, {@code GiB} … in a size; everything else in the grammar is
   * common.
   */
  public enum SizeUnits {
    /** Powers of 1024, as IEC defines them: the reading of storage properties. */
    IEC(1024),
    /** Powers of 1000, as Barman's {@code check_size} has it: the reading of barman-cloud's options. */
    BARMAN(1000);

    private final int base;

    SizeUnits(int base) {
      this.base = base;
    }
  }

  /**
   * Checks that no component is null and copies the collections.
   *
   * @param properties the properties, by name
   * @param sensitive the names whose values are secrets
   */
  public StorageConfig {
    properties = Map.copyOf(Objects.requireNonNull(properties, "properties is null"));
    sensitive = Set.copyOf(Objects.requireNonNull(sensitive, "sensitive is null"));
  }

  /**
   * {@return a configuration of {@code properties}, none of them secret}
   *
   * @param properties the storage properties, by name
   */
  public static StorageConfig of(Map<String, String> properties) {
    return new StorageConfig(properties, Set.of());
  }

  /**
   * {@return the value of {@code name}, if set}
   *
   * @param name the property name
   */
  public Optional<String> get(String name) {
    return Optional.ofNullable(properties.get(name));
  }

  /**
   * {@return the size {@code name} gives, in bytes, or {@code fallback} if it is not set}
   *
   * @param name the property name
   * @param fallback the size if the property is not set
   * @throws IllegalArgumentException {@link #invalid(String, String) naming} the property if the value is
   *     not a size
   */
  public long size(String name, long fallback) {
    Optional<String> value = get(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return parseSize(value.get(), SizeUnits.IEC);
    } catch (IllegalArgumentException e) {
      throw invalid(name, "a size such as 16777216, 16MB or 16MiB");
    }
  }

  /**
   * {@return the boolean {@code name} gives, or {@code fallback} if it is not set}
   *
   * @param name the property name
   * @param fallback the value if the property is not set
   * @throws IllegalArgumentException {@link #invalid(String, String) naming} the property if the value is
   *     neither {@code true} nor {@code false}
   */
  public boolean bool(String name, boolean fallback) {
    Optional<String> value = get(name);
    if (value.isEmpty()) {
      return fallback;
    }
    String text = value.get().strip();
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    if (text.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(name, "true or false");
  }

  /**
   * {@return the error for a bad value of {@code name}}, in the one format of all storage properties:
   * {@code Invalid NAME 'VALUE': expected EXPECTED}, the value hidden if the name is sensitive.
   *
   * @param name the property name
   * @param expected what a valid value looks like
   */
  public IllegalArgumentException invalid(String name, String expected) {
    String shown = sensitive.contains(name) ? "(hidden)" : "'" + get(name).orElse("") + "'";
    return new IllegalArgumentException("Invalid " + name + " " + shown + ": expected " + expected);
  }

  /**
   * Parses a size in the grammar above.
   *
   * @param text the text to parse
   * @param units how {@code KiB}, {@code MiB} … read
   * @return the size in bytes, at least 1
   * @throws IllegalArgumentException {@code '<text>' is not a valid size string}, as Barman words it
   */
  public static long parseSize(String text, SizeUnits units) {
    String value = text.strip().toUpperCase(Locale.ROOT);
    try {
      BigDecimal result;
      if (value.endsWith("B")) {
        boolean iec = value.length() >= 2 && value.charAt(value.length() - 2) == 'I';
        int unitLength = iec ? 3 : 2;
        BigDecimal base = BigDecimal.valueOf(iec ? units.base : 1024);
        int prefix =
            value.length() >= unitLength ? SIZE_PREFIXES.indexOf(value.charAt(value.length() - unitLength)) : -1;
        if (prefix >= 0) {
          result = new BigDecimal(value.substring(0, value.length() - unitLength).strip()) // Python's float()
              .multiply(base.pow(prefix + 1));
        } else {
          // "1234B": only the unit to drop, and then an integer
          result = new BigDecimal(integer(value.substring(0, value.length() - unitLength + 1)));
        }
      } else {
        result = new BigDecimal(integer(value));
      }
      if (result.compareTo(BigDecimal.ONE) < 0 || result.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        throw new NumberFormatException();
      }
      return result.longValue(); // truncated, as Python's int()
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid size string", e);
    }
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
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((k, v) -> shown.put(k, sensitive.contains(k) ? "****" : v));
    return shown.toString();
  }
}
