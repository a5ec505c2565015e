package org.barman4j.recovery;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.barman4j.wal.Lsn;

/**
 * Where archive recovery stops: PostgreSQL's {@code recovery_target*} settings, of which at most
 * one may be set. The {@code parse…} methods validate a command-line value as PostgreSQL would and
 * throw {@link IllegalArgumentException} with a one-line message otherwise.
 */
public sealed interface RecoveryTarget {

  /** {@return the PostgreSQL setting this target writes, e.g. {@code recovery_target_time}} */
  String setting();

  /** {@return the setting's value, unquoted, e.g. {@code 2026-11-22 10:00:00+00:00}} */
  String value();

  /** {@return whether {@code recovery_target_inclusive} applies to this kind of target} */
  default boolean supportsExclusive() {
    return false;
  }

  /**
   * Stop at a commit or abort time ({@code recovery_target_time}).
   *
   * @param time the target, always with an explicit offset
   */
  record Time(OffsetDateTime time) implements RecoveryTarget {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * Checks that no component is null.
     *
     * @param time the target, always with an explicit offset
     */
    public Time {
      Objects.requireNonNull(time, "time is null");
    }

    @Override
    public String setting() {
      return "recovery_target_time";
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.ffffff]+HH:MM}: PostgreSQL keeps microseconds, so finer digits are dropped. */
    @Override
    public String value() {
      StringBuilder sb = new StringBuilder(SECONDS.format(time));
      int micros = time.getNano() / 1000;
      if (micros != 0) {
        sb.append('.').append(String.format("%06d", micros));
      }
      ZoneOffset offset = time.getOffset();
      sb.append(offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId());
      return sb.toString();
    }

    @Override
    public boolean supportsExclusive() {
      return true;
    }
  }

  /**
   * Stop at a WAL location ({@code recovery_target_lsn}).
   *
   * @param lsn the location
   */
  record AtLsn(Lsn lsn) implements RecoveryTarget {
    /**
     * Checks that no component is null.
     *
     * @param lsn the location
     */
    public AtLsn {
      Objects.requireNonNull(lsn, "lsn is null");
    }

    @Override
    public String setting() {
      return "recovery_target_lsn";
    }

    @Override
    public String value() {
      return lsn.toString();
    }

    @Override
    public boolean supportsExclusive() {
      return true;
    }
  }

  /**
   * Stop at a transaction ({@code recovery_target_xid}).
   *
   * @param xid the transaction id, decimal, possibly epoch-qualified (64 bits)
   */
  record Xid(String xid) implements RecoveryTarget {
    /**
     * Checks that no component is null.
     *
     * @param xid the transaction id, decimal, possibly epoch-qualified (64 bits)
     */
    public Xid {
      Objects.requireNonNull(xid, "xid is null");
    }

    @Override
    public String setting() {
      return "recovery_target_xid";
    }

    @Override
    public String value() {
      return xid;
    }

    @Override
    public boolean supportsExclusive() {
      return true;
    }
  }

  /**
   * Stop at a restore point made by {@code pg_create_restore_point} ({@code recovery_target_name}).
   *
   * @param name the restore point's name
   */
  record Name(String name) implements RecoveryTarget {
    /**
     * Checks that no component is null.
     *
     * @param name the restore point's name
     */
    public Name {
      Objects.requireNonNull(name, "name is null");
    }

    @Override
    public String setting() {
      return "recovery_target_name";
    }

    @Override
    public String value() {
      return name;
    }
  }

  /** Stop as soon as the restored backup is consistent ({@code recovery_target = 'immediate'}). */
  record Immediate() implements RecoveryTarget {
    @Override
    public String setting() {
      return "recovery_target";
    }

    @Override
    public String value() {
      return "immediate";
    }
  }

  /** Longest restore point name PostgreSQL accepts (MAXFNAMELEN - 1 bytes). */
  int MAX_NAME_BYTES = 63;

  /**
   * Parses a target time in the forms PostgreSQL accepts for {@code recovery_target_time}:
   * {@code 2026-11-22 10:00:00+00}, {@code 2026-11-22T10:00:00.5Z}, {@code 2026-11-22 10:00:00
   * Europe/Paris}, {@code 2026-11-22} (midnight). Without a zone, the time is local to {@code
   * defaultZone}.
   *
   * @param text the text to parse
   * @param defaultZone the zone of a time given without one
   * @return the target
   * @throws IllegalArgumentException if {@code text} is not such a time
   */
  static Time parseTime(String text, ZoneId defaultZone) {
    Objects.requireNonNull(text, "text is null");
    Objects.requireNonNull(defaultZone, "defaultZone is null");
    Matcher m = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})"
                + "(?:[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
                + "\\s*(Z|z|[+-]\\d{1,2}(?::?\\d{2}(?::?\\d{2})?)?|[A-Za-z][A-Za-z0-9_/+-]*)?")
        .matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid target time '" + text
          + "': expected YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]|Z|zone name]");
    }
    try {
      LocalDate date = LocalDate.parse(m.group(1));
      LocalTime time = LocalTime.MIDNIGHT;
      if (m.group(2) != null) {
        int seconds = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        String fraction = m.group(5) == null ? "" : m.group(5);
        int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
        time = LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), seconds, nanos);
      }
      ZoneId zone = m.group(6) == null ? defaultZone : zone(m.group(6));
      LocalDateTime local = LocalDateTime.of(date, time);
      return new Time(local.atZone(zone).toOffsetDateTime());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("Invalid target time '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses a target LSN, {@code X/X} in hexadecimal.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException if {@code text} is not an LSN
   * @return the target
   */
  static AtLsn parseLsn(String text) {
    Objects.requireNonNull(text, "text is null");
    try {
      return new AtLsn(Lsn.parse(text.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid target LSN '" + text + "': expected X/X in hexadecimal", e);
    }
  }

  /**
   * Parses a target transaction id: a decimal number of up to 64 bits (an epoch-qualified xid).
   *
   * @param text the text to parse
   * @throws IllegalArgumentException if {@code text} is not one
   * @return the target
   */
  static Xid parseXid(String text) {
    Objects.requireNonNull(text, "text is null");
    String digits = text.strip();
    if (!digits.matches("[0-9]+")) {
      throw new IllegalArgumentException("Invalid target xid '" + text + "': expected a decimal transaction id");
    }
    try {
      return new Xid(Long.toUnsignedString(Long.parseUnsignedLong(digits)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid target xid '" + text + "': out of range", e);
    }
  }

  /**
   * Checks a restore point name: not empty, at most 63 bytes.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException if PostgreSQL would refuse it
   * @return the target
   */
  static Name parseName(String text) {
    Objects.requireNonNull(text, "text is null");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("Invalid target name: empty");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "Invalid target name '" + text + "': longer than " + MAX_NAME_BYTES + " bytes");
    }
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("Invalid target name: contains a line break or NUL");
    }
    return new Name(text);
  }

  private static ZoneId zone(String text) {
    if (text.equals("Z") || text.equals("z")) {
      return ZoneOffset.UTC;
    }
    char sign = text.charAt(0);
    if (sign == '+' || sign == '-') {
      String digits = text.substring(1).replace(":", "");
      int hours = Integer.parseInt(digits.substring(0, digits.length() % 2 == 1 ? 1 : 2));
      String rest = digits.substring(digits.length() % 2 == 1 ? 1 : 2);
      int minutes = rest.length() >= 2 ? Integer.parseInt(rest.substring(0, 2)) : 0;
      int seconds = rest.length() >= 4 ? Integer.parseInt(rest.substring(2, 4)) : 0;
      int factor = sign == '-' ? -1 : 1;
      return ZoneOffset.ofHoursMinutesSeconds(factor * hours, factor * minutes, factor * seconds);
    }
    return ZoneId.of(text);
  }
}
