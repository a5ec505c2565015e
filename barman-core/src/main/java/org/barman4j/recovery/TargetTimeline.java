package org.barman4j.recovery;

import java.util.Objects;

/**
 * The timeline recovery follows ({@code recovery_target_timeline}): the backup's own ({@code
 * current}), the newest one found in the archive ({@code latest}, PostgreSQL's default), or a
 * numbered one.
 */
public sealed interface TargetTimeline {

  /** {@return the setting's value: {@code current}, {@code latest} or the number} */
  String value();

  /** The timeline of the restored backup. */
  record Current() implements TargetTimeline {
    @Override
    public String value() {
      return "current";
    }
  }

  /** The newest timeline in the archive. */
  record Latest() implements TargetTimeline {
    @Override
    public String value() {
      return "latest";
    }
  }

  /**
   * A given timeline.
   *
   * @param timeline its id, at least 1
   */
  record Numbered(int timeline) implements TargetTimeline {
    /**
     * Checks the values.
     *
     * @param timeline its id, at least 1
     * @throws IllegalArgumentException if a component is invalid
     */
    public Numbered {
      if (timeline < 1) {
        throw new IllegalArgumentException("Invalid target timeline " + timeline + ": must be at least 1");
      }
    }

    @Override
    public String value() {
      return Integer.toString(timeline);
    }
  }

  /**
   * Parses {@code current}, {@code latest} or a positive decimal number.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException otherwise
   * @return the timeline
   */
  static TargetTimeline parse(String text) {
    Objects.requireNonNull(text, "text is null");
    String t = text.strip();
    if (t.equals("current")) {
      return new Current();
    }
    if (t.equals("latest")) {
      return new Latest();
    }
    if (t.matches("[0-9]{1,10}")) {
      long id = Long.parseLong(t);
      // Timeline ids are unsigned 32-bit in PostgreSQL; ids beyond int range do not occur in practice.
      if (id >= 1 && id <= Integer.MAX_VALUE) {
        return new Numbered((int) id);
      }
    }
    throw new IllegalArgumentException(
        "Invalid target timeline '" + text + "': expected 'current', 'latest' or a positive number");
  }
}
