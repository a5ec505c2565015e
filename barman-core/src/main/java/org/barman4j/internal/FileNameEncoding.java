package org.barman4j.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.barman4j.BarmanConfigurationException;

/**
 * Explains failures caused by the JVM's file-name encoding. The JVM encodes and decodes every file name with the
 * character set of the locale it was started in ({@code sun.jnu.encoding}, fixed at start, no option changes
 * it): under the C locale that is ASCII, so a name such as {@code notes_é.txt} cannot be opened ({@code
 * Malformed input}), a directory listing reads it as {@code notes_??.txt}, and a relative path under a working
 * directory such as {@code /srv/données} resolves to a directory that does not exist. The distribution's
 * launchers start the JVM with a UTF-8 locale; an embedding application's JVM may not have one.
 */
public final class FileNameEncoding {
  private FileNameEncoding() {}

  /** The JVM's file-name encoding, as it names it (e.g. {@code ANSI_X3.4-1968} under the C locale). */
  public static String name() {
    return System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
  }

  /** Whether file names are UTF-8, as PostgreSQL and Barman have them. */
  public static boolean isUtf8() {
    try {
      return Charset.forName(name()).equals(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * For a message about {@code path} that was not found or could not be used: when the JVM's file-name
   * encoding is not UTF-8 and {@code path}, made absolute as the JVM resolves it, holds a character that encoding
   * may have garbled, a sentence in parentheses (with a leading space) saying so and how to start the JVM;
   * otherwise an empty string.
   */
  public static String hint(Path path) {
    if (isUtf8()) {
      return "";
    }
    return suspect(path.toString()).map(FileNameEncoding::sentence).orElse("");
  }

  /** Like {@link #hint(Path)}, for the file name that {@code failure} or one of its causes is about. */
  public static String hint(Throwable failure) {
    if (isUtf8()) {
      return "";
    }
    return unrepresentableName(failure).map(FileNameEncoding::sentence).orElse("");
  }

  /**
   * {@code failure} itself, or, when it comes from a file name that the JVM's non-UTF-8 file-name encoding could
   * not represent, a {@link BarmanConfigurationException} with its message and the {@link #hint(Throwable) hint}.
   */
  public static RuntimeException explain(RuntimeException failure) {
    String hint = hint(failure);
    return hint.isEmpty() || failure instanceof BarmanConfigurationException
        ? failure
        : new BarmanConfigurationException(failure.getMessage() + hint, failure);
  }

  /** The hint, naming {@code name} unless it is empty (the failure's own message names it already). */
  private static String sentence(String name) {
    return " (the JVM's file-name encoding is " + name() + ", not UTF-8"
        + (name.isEmpty() ? "" : ", and cannot represent " + name)
        + ": start the JVM with a UTF-8 locale, such as LC_ALL=C.UTF-8)";
  }

  private static Optional<String> unrepresentableName(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InvalidPathException e && !isAscii(e.getInput())) {
        return Optional.of(""); // its message names the input
      }
      if (t instanceof FileSystemException e && e.getFile() != null) {
        Optional<String> name = suspect(e.getFile());
        if (name.isPresent()) {
          return name;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * {@code name} made absolute (as the JVM resolves it: the working directory's name is decoded too), if it has a
   * character that decoding may have put there.
   */
  private static Optional<String> suspect(String name) {
    String absolute;
    try {
      absolute = Path.of(name).toAbsolutePath().toString();
    } catch (InvalidPathException e) {
      return isAscii(name) ? Optional.empty() : Optional.of(name);
    }
    // A byte the encoding cannot map, in the working directory's name too, is decoded as '?' or U+FFFD.
    return isAscii(absolute) && absolute.indexOf('?') < 0 ? Optional.empty() : Optional.of(absolute);
  }

  private static boolean isAscii(String name) {
    return name.chars().allMatch(c -> c < 0x7f);
  }
}
