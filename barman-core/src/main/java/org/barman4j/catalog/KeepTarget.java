package org.barman4j.catalog;

import java.util.Objects;

/**
 * The recovery target of a kept (archival) backup, stored as the body of its {@code annotations/keep}
 * object. A kept backup is never removed by retention.
 */
public enum KeepTarget {
  /** Keep the backup and every WAL after it: point-in-time recovery from it stays possible. */
  FULL("full"),
  /** Keep the backup and only the WAL needed to make it consistent. */
  STANDALONE("standalone");

  private final String id;

  KeepTarget(String id) {
    this.id = id;
  }

  /** {@return the annotation body: {@code full} or {@code standalone}} */
  public String id() {
    return id;
  }

  /** {@return the retention status label: {@code KEEP:FULL} or {@code KEEP:STANDALONE}} */
  public String label() {
    return "KEEP:" + name();
  }

  /**
   * {@return the target an annotation body names, read as Barman reads it: {@code standalone} is standalone
   * and any other non-blank body is full, the safe choice}
   *
   * @param body the annotation body
   * @throws IllegalArgumentException if {@code body} is blank (no keep)
   */
  public static KeepTarget fromAnnotation(String body) {
    Objects.requireNonNull(body, "body is null");
    String trimmed = body.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("Empty keep annotation");
    }
    return trimmed.equals(STANDALONE.id) ? STANDALONE : FULL;
  }

  /**
   * {@return the target named {@code id} exactly ({@code full} or {@code standalone}), as {@code --target}
   * takes it}
   *
   * @param id {@code full} or {@code standalone}
   * @throws IllegalArgumentException for anything else
   */
  public static KeepTarget parse(String id) {
    for (KeepTarget t : values()) {
      if (t.id.equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("Invalid keep target '" + id + "': expected full or standalone");
  }
}
