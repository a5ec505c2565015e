package org.barman4j.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Barman's human-readable sizes and durations ({@code barman.utils.pretty_size} and
 * {@code human_readable_timedelta}), for every frontend and every server operation.
 */
public final class Human {

  private static final String[] SUFFIXES = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

  private Human() {}

  /**
   * {@return Barman's {@code pretty_size} in base 1024: {@code 512 B}, {@code 22.1 MiB}}
   *
   * @param bytes the size
   */
  public static String size(long bytes) {
    return size((double) bytes);
  }

  /**
   * {@return Barman's {@code pretty_size} of a float (a throughput) in base 1024}: whole bytes below 1 KiB, else
   * one decimal rounded as Python's {@code %.1f} rounds (the exact binary value, half to even)
   *
   * @param size the size
   */
  public static String size(double size) {
    double num = size;
    for (int i = 0; i < SUFFIXES.length; i++) {
      if (Math.abs(num) < 1024 || i == SUFFIXES.length - 1) {
        if (i == 0) {
          return (long) num + " " + SUFFIXES[i];
        }
        return new BigDecimal(num).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + " " + SUFFIXES[i];
      }
      num /= 1024;
    }
    throw new AssertionError();
  }

  /**
   * {@return Barman's {@code human_readable_timedelta}: {@code 1 hour, 2 minutes, 3 seconds},
   * {@code less than one second}, with {@code  ago} when negative}
   *
   * @param duration the interval
   */
  public static String duration(Duration duration) {
    List<String> parts = durationParts(duration);
    String human = parts.isEmpty() ? "less than one second" : String.join(", ", parts);
    return duration.isNegative() ? human + " ago" : human;
  }

  /**
   * {@return Barman's {@code human_readable_timedelta(timedelta(seconds=s))}}: as {@link #duration(Duration)},
   * the seconds rounded to microseconds as {@code timedelta} keeps them
   *
   * @param seconds the interval in seconds
   */
  public static String duration(double seconds) {
    String human = duration(Duration.of(Math.round(Math.abs(seconds) * 1e6), ChronoUnit.MICROS));
    return seconds < 0 ? human + " ago" : human;
  }

  /**
   * {@return the non-zero units of the absolute interval, largest first: {@code 1 hour}, {@code 3 seconds};
   * empty below one second}
   *
   * @param duration the interval
   */
  public static List<String> durationParts(Duration duration) {
    Duration d = duration.abs();
    long days = d.toDays();
    long rest = d.minusDays(days).getSeconds();
    List<String> parts = new ArrayList<>();
    add(parts, days, "day");
    add(parts, rest / 3600, "hour");
    add(parts, rest / 60 % 60, "minute");
    add(parts, rest % 60, "second");
    return parts;
  }

  private static void add(List<String> parts, long n, String unit) {
    if (n > 0) {
      parts.add(n + " " + unit + (n == 1 ? "" : "s"));
    }
  }
}
