package org.barman4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.barman4j.internal.Json;

/**
 * Barman's output writers: {@code console} prints as it goes (information on stdout, {@code WARNING:} and
 * {@code ERROR:} lines on stderr), {@code json} collects everything and prints one object at the end, with
 * sorted keys and the plain messages in {@code _INFO}, {@code _WARNING}, {@code _ERROR} ({@code _DEBUG}).
 * An error makes the command exit 1, as Barman's {@code output.error}.
 */
final class Output {
  /** The {@code -f} choices. */
  enum Format {
    CONSOLE,
    JSON
  }

  private final Format format;
  private final boolean quiet;
  private final boolean debug;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, Object> json = new TreeMap<>();
  private boolean failed;
  private boolean abandoned;

  Output(Format format, boolean quiet, boolean debug, PrintStream out, PrintStream err) {
    this.format = format;
    this.quiet = quiet;
    this.debug = debug;
    this.out = out;
    this.err = err;
  }

  boolean isJson() {
    return format == Format.JSON;
  }

  /** An information line (suppressed by {@code -q}). */
  void info(String line) {
    if (isJson()) {
      message("_INFO", line);
    } else if (!quiet) {
      out.println(line);
    }
  }

  /** Raw console text, e.g. a file listing, printed as is even with {@code -q}'s siblings in JSON mode. */
  void text(String line) {
    if (!quiet) {
      out.println(line);
    }
  }

  void warning(String line) {
    if (isJson()) {
      message("_WARNING", line);
    } else {
      err.println("WARNING: " + line);
    }
  }

  /** An error line; the command will exit 1. */
  void error(String line) {
    failed = true;
    if (isJson()) {
      message("_ERROR", line);
    } else {
      err.println("ERROR: " + line);
    }
  }

  void debug(String line) {
    if (!debug) {
      return;
    }
    if (isJson()) {
      message("_DEBUG", line);
    } else {
      err.println("DEBUG: " + line);
    }
  }

  /** Sets the top-level key {@code key} of the JSON result (JSON mode only). */
  void result(String key, Object value) {
    json.put(key, value);
  }

  boolean failed() {
    return failed;
  }

  /** Marks the command as failed without printing (a failed check prints its own lines). */
  void markFailed() {
    failed = true;
  }

  @SuppressWarnings("unchecked")
  private void message(String key, String line) {
    ((List<Object>) json.computeIfAbsent(key, k -> new ArrayList<>())).add(line);
  }

  /** {@code value} with every map's keys sorted, as Python's {@code json.dumps(sort_keys=True)}. */
  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new TreeMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), sorted(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(sorted(v)));
      return copy;
    }
    return value;
  }

  /** Makes {@link #close} print nothing: the command ended before Barman's writer would have started. */
  void abandon() {
    abandoned = true;
  }

  /** Prints the JSON object, if any (Barman prints it without a trailing newline). */
  void close() {
    if (isJson() && !quiet && !abandoned) {
      out.print(Json.write(sorted(json)));
      out.flush();
    }
  }
}
