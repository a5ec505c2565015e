package org.barman4j.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Barman 3.4's renderings of numbers ({@code :.2%}, {@code %.2f}) and of console rows; sizes and durations are
 * {@link org.barman4j.internal.Human}'s.
 */
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

  static String row(String key, Object value) {
    return String.format(Locale.ROOT, "  %-23s: %s", key, value);
  }

  static String nested(String key, Object value) {
    return String.format(Locale.ROOT, "    %-21s: %s", key, value);
  }
}
