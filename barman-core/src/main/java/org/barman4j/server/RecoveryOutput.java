package org.barman4j.server;

/**
 * Where a recovery writes Barman's progress lines and warnings, for a frontend to print. A lambda receives
 * both, warnings prefixed with {@code WARNING: } as Barman's console shows them.
 */
@FunctionalInterface
public interface RecoveryOutput {
  /**
   * A progress line, e.g. {@code Copying the base backup.}.
   *
   * @param line the line
   */
  void info(String line);

  /**
   * A warning, without Barman's {@code WARNING: } prefix.
   *
   * @param line the warning
   */
  default void warning(String line) {
    info("WARNING: " + line);
  }
}
