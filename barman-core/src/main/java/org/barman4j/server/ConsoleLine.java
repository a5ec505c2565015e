package org.barman4j.server;

import java.util.Objects;

/**
 * One line a server command prints, as Barman prints it: {@link Level#INFO} on standard output as is,
 * {@link Level#WARNING} and {@link Level#ERROR} on standard error after {@code WARNING: } or
 * {@code ERROR: }. An ERROR makes the command exit with status 1.
 *
 * @param level how the line is printed
 * @param text the text, without prefix or newline; may hold tabs and inner newlines as Barman's do
 */
public record ConsoleLine(Level level, String text) {

  /** How a line is printed. */
  public enum Level {
    /** Standard output, as is. */
    INFO,
    /** Standard error, after {@code WARNING: }. */
    WARNING,
    /** Standard error, after {@code ERROR: }; the command fails. */
    ERROR
  }

  /**
   * Checks that no component is null.
   *
   * @param level how the line is printed
   * @param text the text
   */
  public ConsoleLine {
    Objects.requireNonNull(level, "level is null");
    Objects.requireNonNull(text, "text is null");
  }

  static ConsoleLine info(String text) {
    return new ConsoleLine(Level.INFO, text);
  }

  static ConsoleLine warning(String text) {
    return new ConsoleLine(Level.WARNING, text);
  }

  static ConsoleLine error(String text) {
    return new ConsoleLine(Level.ERROR, text);
  }

  /** {@return the line as Barman's console writer prints it: the text, or the prefixed text} */
  public String formatted() {
    return switch (level) {
      case INFO -> text;
      case WARNING -> "WARNING: " + text;
      case ERROR -> "ERROR: " + text;
    };
  }
}
