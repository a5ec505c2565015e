package org.barman4j.server.internal;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Barman's human-readable sizes, durations and times ({@code barman.utils}). */
public final class Human {

  private Human() {}

  /**
   * {@return Barman's {@code pretty_size}: {@code 512 B}, {@code 22.1 MiB}}
   *
   * @param bytes the size
   */
  public static String size(long bytes) {
    String[] suffixes = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    double size = bytes;
    for (int i = 0; i < suffixes.length; i++) {
      if (Math.abs(size) < 1024 || i == suffixes.length - 1) {
        return i == 0 ? String.format(Locale.ROOT, "%d %s", (long) size, suffixes[i])
            : String.format(Locale.ROOT, "%.1f %s", size, suffixes[i]);
      }
      size /= 1024;
    }
    throw new AssertionError();
  }

  /**
   * {@return Barman's {@code human_readable_timedelta}: {@code 1 minute, 3 seconds}, {@code less than one second}}
   *
   * @param duration the interval, not negative
   */
  public static String duration(Duration duration) {
    Duration d = duration.abs();
    long days = d.toDays();
    long rest = d.minusDays(days).getSeconds();
    List<String> parts = new ArrayList<>();
    add(parts, days, "day");
    add(parts, rest / 3600, "hour");
    add(parts, rest / 60 % 60, "minute");
    add(parts, rest % 60, "second");
    String human = String.join(", ", parts);
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      human = "less than one second";
    }
    return duration.isNegative() ? human + " ago" : human;
  }

  private static void add(List<String> parts, long n, String unit) {
    if (n > 0) {
      parts.add(n + " " + unit + (n == 1 ? "" : "s"));
    }
  }

  /**
   * {@return Python's {@code str()} of a naive {@code datetime}: {@code 2026-12-03 11:08:17.123456}, no fraction
   * when it is zero}
   *
   * @param time the local time
   */
  public static String localTime(LocalDateTime time) {
    LocalDateTime t = time.truncatedTo(ChronoUnit.MICROS);
    String base = String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(),
        t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    int micros = t.getNano() / 1000;
    return micros == 0 ? base : base + String.format(Locale.ROOT, ".%06d", micros);
  }
}
