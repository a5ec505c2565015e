package org.barman4j.wal;

import java.util.Collection;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a WAL archive can take a new server's WAL without mixing histories, as Barman's
 * {@code check_archive_usable} decides ({@code barman-cloud-check-wal-archive}): without a timeline the
 * archive must hold no WAL file at all; with timeline N it must hold none on timeline N or later
 * (timeline history files included).
 */
public final class WalArchiveCheck {
  private WalArchiveCheck() {}

  /**
   * Checks the archived files {@code wals} (names may repeat, e.g. stored with two compressions).
   *
   * @param wals the archived files
   * @param timeline the timeline the archive must hold, if any
   * @throws WalArchiveContentException naming the reason if the archive is not usable
   * @throws IllegalArgumentException if {@code timeline} is present and below 1
   */
  public static void checkUsable(Collection<WalFileName> wals, OptionalInt timeline) {
    Objects.requireNonNull(wals, "wals is null");
    Objects.requireNonNull(timeline, "timeline is null");
    if (timeline.isEmpty()) {
      if (!wals.isEmpty()) {
        throw new WalArchiveContentException("Expected empty archive");
      }
      return;
    }
    int tli = timeline.getAsInt();
    if (tli < 1) {
      throw new IllegalArgumentException("Cannot check WAL archive with malformed timeline " + tli);
    }
    Set<String> found = new TreeSet<>();
    for (WalFileName wal : wals) {
      if (Integer.toUnsignedLong(wal.timeline()) >= tli) {
        found.add(wal.name());
      }
    }
    if (!found.isEmpty()) {
      throw new WalArchiveContentException("Found " + found.size() + " file" + (found.size() > 1 ? "s" : "")
          + " in WAL archive equal to or newer than timeline " + tli);
    }
  }
}
