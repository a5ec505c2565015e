package org.barman4j.server;

import java.util.Objects;

/**
 * A setting a recovery changed or flagged in a restored configuration file.
 *
 * @param file the file's name, e.g. {@code postgresql.conf}
 * @param line the line number, 0-based as Barman reports it
 * @param key the setting
 * @param value the value written ({@code false}, or {@code None} for a commented-out setting) or found
 */
public record ConfigFinding(String file, int line, String key, String value) {
  /**
   * Checks that no component is null.
   *
   * @param file the file's name
   * @param line the 0-based line number
   * @param key the setting
   * @param value the value
   */
  public ConfigFinding {
    Objects.requireNonNull(file, "file is null");
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(value, "value is null");
  }

  /** {@return Barman's line for it: {@code FILE line N: KEY = VALUE}} */
  public String describe() {
    return file + " line " + line + ": " + key + " = " + value;
  }
}
