package org.barman4j.compress;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A compression level: one of Barman's names {@code low}, {@code medium} (the default) and {@code high},
 * or an integer valid for the codec, held in its canonical text form ({@code "high"}, {@code "-3"}).
 * Which integer a name stands for depends on the codec; see {@link #resolve(Compression)}.
 */
public record CompressionLevel(String value) {
  /** Barman's {@code low}: the fastest setting. */
  public static final CompressionLevel LOW = new CompressionLevel("low");
  /** Barman's {@code medium}, its default. */
  public static final CompressionLevel MEDIUM = new CompressionLevel("medium");
  /** Barman's {@code high}: a better ratio at a still reasonable speed. */
  public static final CompressionLevel HIGH = new CompressionLevel("high");

  /**
   * @param value a level name or a decimal integer
   * @throws IllegalArgumentException unless {@code value} is {@code low}, {@code medium}, {@code high} or
   *     a canonical decimal integer (no sign for positives, no leading zeros)
   */
  public CompressionLevel {
    Objects.requireNonNull(value, "value is null");
    if (!isName(value) && !isCanonicalInteger(value)) {
      throw new IllegalArgumentException(invalid(value));
    }
  }

  /**
   * {@return an explicit integer level}
   *
   * @param level the level
   */
  public static CompressionLevel of(int level) {
    return new CompressionLevel(Integer.toString(level));
  }

  /**
   * Parses Barman's syntax: {@code low}, {@code medium} or {@code high} (in any case), or an integer;
   * surrounding white space is ignored.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException for anything else
   * @return the level
   */
  public static CompressionLevel parse(String text) {
    Objects.requireNonNull(text, "text is null");
    String trimmed = text.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (isName(lower)) {
      return new CompressionLevel(lower);
    }
    try {
      return of(Integer.parseInt(trimmed));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(invalid(text), e);
    }
  }

  /** {@return whether this is one of the names rather than an explicit integer} */
  public boolean isNamed() {
    return isName(value);
  }

  /**
   * {@return the integer level for codec {@code c}} The names map as Barman maps them: gzip 1/6/9, bzip2
   * 1/5/9, xz 1/3/5, zstd 1/4/9, lz4 0/6/10. {@link Compression#NONE} and {@link Compression#SNAPPY} have no
   * levels and ignore this one: the result is 0.
   *
   * @param c the codec
   * @throws IllegalArgumentException if this is an integer outside {@code c}'s range (gzip, bzip2 and xz
   *     1..9, zstd -22..22, lz4 0..16)
   */
  public int resolve(Compression c) {
    Objects.requireNonNull(c, "c is null");
    // no lambda: the tools start a JVM per WAL segment, and the first lambda costs start-up time
    Optional<LevelRange> range = c.levels();
    return range.isPresent() ? resolve(c, range.get()) : 0;
  }

  private int resolve(Compression c, LevelRange range) {
    switch (value) {
      case "low":
        return range.low();
      case "medium":
        return range.medium();
      case "high":
        return range.high();
      default:
        int level = Integer.parseInt(value);
        if (!range.contains(level)) {
          throw new IllegalArgumentException("Compression level " + level + " is out of range for "
              + c.id() + " (" + range.min() + ".." + range.max() + ")");
        }
        return level;
    }
  }

  /** The text form: {@code low}, {@code medium}, {@code high} or the integer. */
  @Override
  public String toString() {
    return value;
  }

  private static boolean isName(String s) {
    return s.equals("low") || s.equals("medium") || s.equals("high");
  }

  private static boolean isCanonicalInteger(String s) {
    try {
      return Integer.toString(Integer.parseInt(s)).equals(s);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String invalid(String text) {
    return "Invalid compression level \"" + text + "\": expected low, medium, high or an integer";
  }
}
