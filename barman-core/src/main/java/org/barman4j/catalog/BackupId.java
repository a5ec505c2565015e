package org.barman4j.catalog;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The identifier of a base backup: its start in the local time of the host that took it, formatted
 * {@code %Y%m%dT%H%M%S} ({@code 20261121T230614}), as Barman names backups. Identifiers sort in time order
 * because they sort as strings.
 *
 * @param value the identifier text
 */
public record BackupId(String value) implements Comparable<BackupId> {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

  /**
   * Checks that no component is null and checks the values.
   *
   * @param value the identifier text
   * @throws IllegalArgumentException if a component is invalid
   */
  public BackupId {
    Objects.requireNonNull(value, "value is null");
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "Invalid backup ID '" + value + "': expected YYYYMMDDTHHMMSS, e.g. 20261121T230614");
    }
  }

  /**
   * {@return whether {@code text} has the shape of a backup identifier (eight digits, 'T', six digits)}
   *
   * @param text the text to test
   */
  public static boolean isValid(String text) {
    if (text == null || text.length() != 15 || text.charAt(8) != 'T') {
      return false;
    }
    for (int i = 0; i < 15; i++) {
      if (i != 8 && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return whether {@code text} looks like a backup identifier the way Barman tests it (regex
   * {@code (\d{8})T\d{6}$} searched anywhere): such text cannot be used as a backup name}
   *
   * @param text the text to test
   */
  public static boolean looksLikeBackupId(String text) {
    Objects.requireNonNull(text, "text is null");
    return java.util.regex.Pattern.compile("(\\d{8})T\\d{6}$").matcher(text).find();
  }

  /**
   * Parses {@code text}.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException if it is not a backup identifier
   * @return the identifier
   */
  public static BackupId parse(String text) {
    return new BackupId(Objects.requireNonNull(text, "text is null"));
  }

  /**
   * {@return the identifier of a backup starting at {@code time} (fractions of a second dropped)}
   *
   * @param time the local start time
   */
  public static BackupId of(LocalDateTime time) {
    return new BackupId(FORMAT.format(Objects.requireNonNull(time, "time is null")));
  }

  /**
   * {@return the identifier of a backup starting now, in the clock's zone}
   *
   * @param clock the clock giving the time and zone
   */
  public static BackupId now(Clock clock) {
    return of(LocalDateTime.now(Objects.requireNonNull(clock, "clock is null")).truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * {@return the local start time this identifier encodes}
   *
   * @throws java.time.DateTimeException if the digits are not a real date and time
   */
  public LocalDateTime toLocalDateTime() {
    return LocalDateTime.parse(value, FORMAT);
  }

  @Override
  public int compareTo(BackupId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
