package org.barman4j.retention;

import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backup retention policy, written as Barman writes it: {@code REDUNDANCY n} (keep the n newest
 * DONE backups) or {@code RECOVERY WINDOW OF n DAYS|WEEKS|MONTHS} (keep what point-in-time recovery to
 * any moment of the last n days, weeks or 31-day months needs).
 */
public sealed interface RetentionPolicy permits RetentionPolicy.Redundancy, RetentionPolicy.RecoveryWindow {

  /**
   * Parses a policy case-insensitively, with Barman's patterns ({@code ^\s*redundancy\s+(\d+)\s*$} and
   * {@code ^\s*recovery\s+window\s+of\s+(\d+)\s+(day|month|week)s?\s*$}).
   *
   * @param text the text to parse
   * @throws IllegalArgumentException if {@code text} is neither
   * @return the policy
   */
  static RetentionPolicy parse(String text) {
    Objects.requireNonNull(text, "text is null");
    Matcher m = Patterns.REDUNDANCY.matcher(text);
    if (m.matches()) {
      return new Redundancy(number(m.group(1), text));
    }
    m = Patterns.WINDOW.matcher(text);
    if (m.matches()) {
      WindowUnit unit = switch (Character.toLowerCase(m.group(2).charAt(0))) {
        case 'd' -> WindowUnit.DAYS;
        case 'w' -> WindowUnit.WEEKS;
        default -> WindowUnit.MONTHS;
      };
      return new RecoveryWindow(number(m.group(1), text), unit);
    }
    throw new IllegalArgumentException("Invalid retention policy '" + text
        + "': expected 'REDUNDANCY n' or 'RECOVERY WINDOW OF n {DAYS | WEEKS | MONTHS}'");
  }

  private static int number(String digits, String text) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid retention policy '" + text + "': " + digits + " is too large");
    }
  }

  /** The policy as Barman displays it: {@code REDUNDANCY 2}, {@code RECOVERY WINDOW OF 7 DAYS}. */
  @Override
  String toString();

  /**
   * Keep the {@code copies} newest DONE backups.
   *
   * @param copies how many DONE backups to keep
   */
  record Redundancy(int copies) implements RetentionPolicy {
    /**
     * Checks the values.
     *
     * @param copies how many DONE backups to keep
     * @throws IllegalArgumentException if a component is invalid
     */
    public Redundancy {
      if (copies < 0) {
        throw new IllegalArgumentException("Redundancy must be >= 0: " + copies);
      }
    }

    @Override
    public String toString() {
      return "REDUNDANCY " + copies;
    }
  }

  /**
   * Keep what recovery to any point of the last {@code value} {@code unit}s needs.
   *
   * @param value the length of the window, in {@code unit}s
   * @param unit the unit of the window
   */
  record RecoveryWindow(int value, WindowUnit unit) implements RetentionPolicy {
    /**
     * Checks that no component is null and checks the values.
     *
     * @param value the length of the window, in {@code unit}s
     * @param unit the unit of the window
     * @throws IllegalArgumentException if a component is invalid
     */
    public RecoveryWindow {
      Objects.requireNonNull(unit, "unit is null");
      if (value < 0) {
        throw new IllegalArgumentException("Recovery window must be >= 0: " + value);
      }
    }

    /** {@return the length of the window in days: a week is 7 days and a month 31, as Barman counts} */
    public long days() {
      return (long) value * unit.days;
    }

    /**
     * {@return the oldest moment recovery must reach: {@code now} minus the window, on the wall clock of
     * {@code now}'s zone (Barman subtracts from local time)}
     *
     * @param now the current time
     */
    public ZonedDateTime pointOfRecoverability(ZonedDateTime now) {
      return now.minusDays(days());
    }

    @Override
    public String toString() {
      return "RECOVERY WINDOW OF " + value + " " + unit.name();
    }
  }

  /** The unit of a recovery window. */
  enum WindowUnit {
    /** One day. */
    DAYS(1),
    /** Seven days. */
    WEEKS(7),
    /** 31 days, as Barman counts a month. */
    MONTHS(31);

    private final int days;

    WindowUnit(int days) {
      this.days = days;
    }
  }
}

final class Patterns {
  private Patterns() {}

  static final Pattern REDUNDANCY = Pattern.compile("^\\s*redundancy\\s+(\\d+)\\s*$", Pattern.CASE_INSENSITIVE);
  static final Pattern WINDOW = Pattern.compile(
      "^\\s*recovery\\s+window\\s+of\\s+(\\d+)\\s+(day|month|week)s?\\s*$", Pattern.CASE_INSENSITIVE);

}
