package org.barman4j.server;

import java.util.Objects;

/**
 * One line (or a few) of what Barman prints while it works on a server, worded as Barman 3.4 words it:
 * {@link Level#INFO} on standard output as is, {@link Level#WARNING} and {@link Level#ERROR} on standard
 * error after {@code WARNING: } or {@code ERROR: } ({@link #consoleText()}). An ERROR makes the command
 * exit with status 1.
 *
 * @param level how important it is
 * @param text the message, without Barman's {@code WARNING: }/{@code ERROR: } prefix or newline; may hold
 *     tabs and inner newlines as Barman's do
 */
public record ServerMessage(Level level, String text) {

  /** How Barman's console output marks a message. */
  public enum Level {
    /** Standard output, as is. */
    INFO,
    /** Standard error, after {@code WARNING: }. */
    WARNING,
    /** Standard error, after {@code ERROR: }; the command exits 1. */
    ERROR
  }

  /**
   * Checks the components.
   *
   * @param level the level
   * @param text the text
   */
  public ServerMessage {
    Objects.requireNonNull(level, "level is null");
    Objects.requireNonNull(text, "text is null");
  }

  /**
   * {@return an informational message}
   *
   * @param format a {@link String#format} pattern
   * @param args its arguments
   */
  static ServerMessage info(String format, Object... args) {
    return new ServerMessage(Level.INFO, args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
  }

  /**
   * {@return a warning}
   *
   * @param format a {@link String#format} pattern
   * @param args its arguments
   */
  static ServerMessage warning(String format, Object... args) {
    return new ServerMessage(Level.WARNING, args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
  }

  /**
   * {@return an error}
   *
   * @param format a {@link String#format} pattern
   * @param args its arguments
   */
  static ServerMessage error(String format, Object... args) {
    return new ServerMessage(Level.ERROR, args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
  }

  /** {@return the text as Barman's console writer prints it: {@code WARNING: }/{@code ERROR: } before the first line} */
  public String consoleText() {
    return switch (level) {
      case INFO -> text;
      case WARNING -> "WARNING: " + text;
      case ERROR -> "ERROR: " + text;
    };
  }
}
