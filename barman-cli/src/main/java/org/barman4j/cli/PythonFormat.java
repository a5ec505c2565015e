package org.barman4j.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Barman 3.4's renderings of numbers and durations ({@code pretty_size}, {@code human_readable_timedelta}, {@code :.2%}). */
final class PythonFormat {
  private PythonFormat() {}

  /** Python's {@code "{:.2%}".format(ratio)}: the exact binary value times 100, correctly rounded. */
  static String percent(double ratio) {
    return new BigDecimal(ratio * 100).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%";
  }

  /** Python's {@code "%.2f" % value}. */
  static String fixed2(double value) {
    return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** Barman's {@code pretty_size} of a float (a throughput), base 1024. */
  static String prettySize(double size) {
    String[] suffixes = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    double num = size;
    for (int i = 0; i < suffixes.length; i++) {
      if (Math.abs(num) < 1024 || i == suffixes.length - 1) {
        if (i == 0) {
          return (long) num + " " + suffixes[i];
        }
        return new BigDecimal(num).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + " " + suffixes[i];
      }
      num /= 1024;
    }
    throw new AssertionError();
  }

  /**
   * Barman 3.4's {@code human_readable_timedelta(timedelta(seconds=s))}: {@code 1 hour, 2 minutes, 3 seconds},
   * {@code less than one second}, with {@code  ago} when negative.
   */
  static String duration(double seconds) {
    long micros = Math.round(Math.abs(seconds) * 1e6); // timedelta keeps microseconds, rounded
    long total = micros / 1_000_000;
    long[] values = {total / 86400, total % 86400 / 3600, total % 3600 / 60, total % 60};
    String[] units = {"day", "hour", "minute", "second"};
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] > 0) {
        parts.add(values[i] + " " + units[i] + (values[i] == 1 ? "" : "s"));
      }
    }
    String text = micros < 1_000_000 ? "less than one second" : String.join(", ", parts);
    return seconds < 0 ? text + " ago" : text;
  }

  static String row(String key, Object value) {
    return String.format(Locale.ROOT, "  %-23s: %s", key, value);
  }

  static String nested(String key, Object value) {
    return String.format(Locale.ROOT, "    %-21s: %s", key, value);
  }
}
