package org.barman4j.wal;

import java.util.Objects;

/**
 * The name of a file PostgreSQL archives: a segment ({@code 000000010000000A000000FF}), a partial
 * segment ({@code ….partial}), a backup history file ({@code ….00000028.backup}) or a timeline history
 * file ({@code 00000002.history}). Names are matched with Barman's own pattern.
 *
 * @param name the file name as given
 * @param type what kind of file it is
 * @param timeline the timeline (the first eight hex digits)
 * @param log for segment-based names, the middle eight hex digits; 0 for history files
 * @param segment for segment-based names, the last eight hex digits; 0 for history files
 */
public record WalFileName(String name, Type type, int timeline, long log, long segment) {
  /** The kinds of archived WAL files. */
  public enum Type {
    /** A complete segment. */
    SEGMENT,
    /** A segment that was only partly written when its timeline ended. */
    PARTIAL,
    /** A backup history file written by {@code pg_backup_stop}. */
    BACKUP_HISTORY,
    /** A timeline history file. */
    TIMELINE_HISTORY
  }

  /**
   * Checks that no component is null.
   *
   * @param name the file name as given
   * @param type what kind of file it is
   * @param timeline the timeline (the first eight hex digits)
   * @param log for segment-based names, the middle eight hex digits; 0 for history files
   * @param segment for segment-based names, the last eight hex digits; 0 for history files
   */
  public WalFileName {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(type, "type is null");
  }

  /**
   * {@return whether {@code name} is a WAL file name of any kind}
   *
   * @param name a file name
   */
  public static boolean isValid(String name) {
    return classify(name) != null;
  }

  // Barman's pattern, checked by hand: java.util.regex costs a fresh tool process measurable start-up time.
  // ^[0-9A-Fa-f]{8}(?:[0-9A-Fa-f]{8}[0-9A-Fa-f]{8}(?:\.[0-9A-Fa-f]{8}\.backup|\.partial)?|\.history)$
  private static Type classify(String name) {
    int length = name.length();
    if (length == 16 && isHex(name, 0, 8) && name.startsWith(".history", 8)) {
      return Type.TIMELINE_HISTORY;
    }
    if (length < 24 || !isHex(name, 0, 24)) {
      return null;
    }
    if (length == 24) {
      return Type.SEGMENT;
    }
    if (length == 32 && name.startsWith(".partial", 24)) {
      return Type.PARTIAL;
    }
    if (length == 40 && name.charAt(24) == '.' && isHex(name, 25, 33) && name.startsWith(".backup", 33)) {
      return Type.BACKUP_HISTORY;
    }
    return null;
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses {@code name}.
   *
   * @param name a file name
   * @return the name
   * @throws IllegalArgumentException if it is not a WAL file name
   */
  public static WalFileName parse(String name) {
    Type type = classify(Objects.requireNonNull(name, "name is null"));
    if (type == null) {
      throw new IllegalArgumentException("'" + name + "' is not a valid WAL file name");
    }
    int timeline = (int) Long.parseLong(name.substring(0, 8), 16);
    if (type == Type.TIMELINE_HISTORY) {
      return new WalFileName(name, type, timeline, 0, 0);
    }
    long log = Long.parseLong(name.substring(8, 16), 16);
    long segment = Long.parseLong(name.substring(16, 24), 16);
    return new WalFileName(name, type, timeline, log, segment);
  }

  /**
   * {@return the segment with absolute number {@code segmentNumber} on {@code timeline} ({@code XLogFileName})}
   *
   * @param timeline the timeline
   * @param segmentNumber the absolute segment number
   * @param size the WAL segment size
   */
  public static WalFileName segment(int timeline, long segmentNumber, WalSegmentSize size) {
    long perLog = size.segmentsPerLog();
    long log = segmentNumber / perLog;
    long seg = segmentNumber % perLog;
    return new WalFileName(
        String.format("%08X%08X%08X", timeline, log, seg), Type.SEGMENT, timeline, log, seg);
  }

  /**
   * {@return the history file of {@code timeline}}
   *
   * @param timeline the timeline
   */
  public static WalFileName history(int timeline) {
    return new WalFileName(String.format("%08X.history", timeline), Type.TIMELINE_HISTORY, timeline, 0, 0);
  }

  /** {@return whether this name refers to a segment position (segment, partial segment or backup history file)} */
  public boolean hasSegment() {
    return type != Type.TIMELINE_HISTORY;
  }

  /**
   * {@return the 24-digit segment name this file belongs to}
   *
   * @throws IllegalStateException for a timeline history file
   */
  public String segmentName() {
    requireSegment();
    return name.substring(0, 24);
  }

  /**
   * barman-cloud's archive directory for this file: the first 16 hex digits (timeline and log) for
   * segment-based names, empty for timeline history files.
   *
   * @return the directory name, or empty
   */
  public String hashDir() {
    return hasSegment() ? name.substring(0, 16) : "";
  }

  /**
   * {@return the absolute segment number, as {@link Lsn#segmentNumber} counts}
   *
   * @param size the WAL segment size
   * @throws IllegalArgumentException if the segment part is out of range for {@code size}
   */
  public long segmentNumber(WalSegmentSize size) {
    requireSegment();
    if (segment >= size.segmentsPerLog()) {
      throw new IllegalArgumentException(
          "WAL file " + name + " cannot exist with a segment size of " + size.bytes() + " bytes");
    }
    return log * size.segmentsPerLog() + segment;
  }

  /**
   * {@return the first location inside this segment}
   *
   * @param size the WAL segment size
   */
  public Lsn startLsn(WalSegmentSize size) {
    return new Lsn(segmentNumber(size) * size.bytes());
  }

  /**
   * {@return the segment that follows this one on the same timeline}
   *
   * @param size the WAL segment size
   */
  public WalFileName next(WalSegmentSize size) {
    return segment(timeline, segmentNumber(size) + 1, size);
  }

  private void requireSegment() {
    if (!hasSegment()) {
      throw new IllegalStateException(name + " is a timeline history file, not a segment");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
