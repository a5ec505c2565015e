package org.barman4j.recovery;

import java.util.Locale;
import java.util.Objects;

/** What the server does when it reaches the recovery target ({@code recovery_target_action}). */
public enum TargetAction {
  /** Pause recovery, so the result can be inspected before promoting (PostgreSQL's default). */
  PAUSE,
  /** End recovery and start accepting writes on a new timeline. */
  PROMOTE,
  /** Stop the server; starting it again resumes recovery towards a later target. */
  SHUTDOWN;

  /** {@return the setting's value: {@code pause}, {@code promote} or {@code shutdown}} */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code pause}, {@code promote} or {@code shutdown}.
   *
   * @param text the text to parse
   * @throws IllegalArgumentException otherwise
   * @return the action
   */
  public static TargetAction parse(String text) {
    Objects.requireNonNull(text, "text is null");
    for (TargetAction action : values()) {
      if (action.value().equals(text.strip())) {
        return action;
      }
    }
    throw new IllegalArgumentException(
        "Invalid target action '" + text + "': expected pause, promote or shutdown");
  }
}
