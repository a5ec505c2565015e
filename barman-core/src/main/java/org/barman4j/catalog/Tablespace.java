package org.barman4j.catalog;

import java.util.Objects;

/**
 * A tablespace of the backed-up cluster, as {@code backup.info} records it ({@code ('ts1', 16384, '/srv/tblspc1')}).
 *
 * @param name the tablespace name
 * @param oid its object identifier, which names its tar ({@code 16384.tar}) and its {@code pg_tblspc} link
 * @param location its directory on the database host
 */
public record Tablespace(String name, long oid, String location) {
  /**
   * Checks that no component is null and checks the values.
   *
   * @param name the tablespace name
   * @param oid its object identifier, which names its tar ({@code 16384.tar}) and its {@code pg_tblspc} link
   * @param location its directory on the database host
   * @throws IllegalArgumentException if a component is invalid
   */
  public Tablespace {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(location, "location is null");
    if (oid < 0 || oid > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("Invalid tablespace OID " + oid + " for '" + name + "'");
    }
  }

  /**
   * {@return whether {@link #location()} can be restored to as it stands: an absolute path without {@code .}
   * or {@code ..} segments} Anything else would resolve against the working directory or climb out of the
   * tree it names, so a restore must not use it without a relocation.
   */
  public boolean hasAbsoluteNormalLocation() {
    if (!location.startsWith("/") || location.indexOf('\0') >= 0) {
      return false;
    }
    for (String segment : location.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
