package org.barman4j.internal;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's renderings of an aware {@code datetime}: {@code str()} (as {@code backup.info} stores times),
 * {@code isoformat()} and {@code ctime()} (as Barman's JSON carries them), and a parser for what
 * Barman writes.
 */
public final class PythonTime {
  private PythonTime() {}

  private static final Pattern DATE_TIME = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})[ T](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?"
          + "\\s*(Z|UTC|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2}(?:\\.\\d{1,6})?)?)?)?");

  /** {@code str(datetime)}: {@code 2026-11-21 23:06:14.068415+00:00}; no fraction when it is zero. */
  public static String str(OffsetDateTime time) {
    return format(time, ' ');
  }

  /** {@code datetime.isoformat()}: {@code 2026-11-21T23:06:14.068415+00:00}. */
  public static String isoformat(OffsetDateTime time) {
    return format(time, 'T');
  }

  /** {@code datetime.ctime()}: {@code Sat Nov 21 23:06:14 2026}, in the time's own offset. */
  public static String ctime(OffsetDateTime time) {
    Objects.requireNonNull(time, "time is null");
    return String.format(Locale.ROOT, "%s %s %2d %02d:%02d:%02d %d",
        time.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH),
        time.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH),
        time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond(), time.getYear());
  }

  /** {@code str()} of a naive {@code datetime}: {@code 2026-12-03 11:08:17.123456}; no fraction when it is zero. */
  public static String str(LocalDateTime time) {
    Objects.requireNonNull(time, "time is null");
    return naive(time, ' ');
  }

  private static String naive(LocalDateTime time, char separator) {
    String base = String.format(Locale.ROOT, "%04d-%02d-%02d%c%02d:%02d:%02d", time.getYear(), time.getMonthValue(),
        time.getDayOfMonth(), separator, time.getHour(), time.getMinute(), time.getSecond());
    int micros = time.getNano() / 1000;
    return micros == 0 ? base : base + String.format(Locale.ROOT, ".%06d", micros);
  }

  private static String format(OffsetDateTime time, char separator) {
    Objects.requireNonNull(time, "time is null");
    StringBuilder out = new StringBuilder(32);
    out.append(naive(time.toLocalDateTime(), separator));
    int offset = time.getOffset().getTotalSeconds();
    out.append(offset < 0 ? '-' : '+');
    offset = Math.abs(offset);
    out.append(String.format(Locale.ROOT, "%02d:%02d", offset / 3600, offset / 60 % 60));
    if (offset % 60 != 0) {
      out.append(String.format(Locale.ROOT, ":%02d", offset % 60));
    }
    return out.toString();
  }

  /**
   * Parses a date and time as Barman writes them ({@code str()} or ISO 8601, with or without a
   * fraction and an offset); a time without an offset is taken in {@code zoneForNaive}, as Barman
   * takes it in the local zone.
   *
   * @throws IllegalArgumentException if {@code text} is not such a date and time
   */
  public static OffsetDateTime parse(String text, ZoneId zoneForNaive) {
    Objects.requireNonNull(text, "text is null");
    Objects.requireNonNull(zoneForNaive, "zoneForNaive is null");
    Matcher m = DATE_TIME.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid date and time '" + text + "'");
    }
    try {
      int nanos = 0;
      if (m.group(7) != null) {
        String fraction = (m.group(7) + "00000000").substring(0, 9);
        nanos = Integer.parseInt(fraction);
      }
      LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
          m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
      String zone = m.group(8);
      if (zone == null) {
        return local.atZone(zoneForNaive).toOffsetDateTime();
      }
      if (zone.equals("Z") || zone.equals("UTC")) {
        return local.atOffset(ZoneOffset.UTC);
      }
      String digits = zone.substring(1).replace(":", "");
      int dot = digits.indexOf('.');
      if (dot >= 0) {
        digits = digits.substring(0, dot); // sub-second offsets do not exist in practice
      }
      int hours = Integer.parseInt(digits.substring(0, 2));
      int minutes = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
      int seconds = digits.length() >= 6 ? Integer.parseInt(digits.substring(4, 6)) : 0;
      int sign = zone.charAt(0) == '-' ? -1 : 1;
      return local.atOffset(ZoneOffset.ofHoursMinutesSeconds(sign * hours, sign * minutes, sign * seconds));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("Invalid date and time '" + text + "': " + e.getMessage(), e);
    }
  }
}
