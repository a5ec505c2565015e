package org.barman4j.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.barman4j.server.XlogDbEntry;
import org.barman4j.wal.WalFileName;

/**
 * Which archived WAL files a recovery copies, chosen from {@code xlog.db} as Barman 3.4 chooses them: every
 * {@code .history} file; every other entry from the backup's first WAL on, on a timeline not above the
 * target timeline, in {@code xlog.db} order; with a target time, the copy stops after the first entry past
 * the backup's last WAL archived after that time (later segments cannot hold commits before it).
 */
public final class WalSelection {
  private WalSelection() {}

  /**
   * Selects the files.
   *
   * @param entries {@code xlog.db} in file order
   * @param beginWal the backup's {@code begin_wal}
   * @param endWal the backup's {@code end_wal}
   * @param targetTimeline the highest timeline to copy
   * @param targetEpoch the target time in seconds since the epoch, if any
   * @return the entries to copy, in {@code xlog.db} order
   */
  public static List<XlogDbEntry> required(List<XlogDbEntry> entries, String beginWal, String endWal,
      int targetTimeline, OptionalDouble targetEpoch) {
    List<XlogDbEntry> out = new ArrayList<>();
    String end = endWal;
    int i = 0;
    for (; i < entries.size(); i++) {
      XlogDbEntry e = entries.get(i);
      if (isHistory(e.name())) {
        out.add(e);
        continue;
      }
      if (e.name().compareTo(beginWal) < 0) {
        continue;
      }
      if (timeline(e.name()) > targetTimeline) {
        continue;
      }
      out.add(e);
      if (e.name().compareTo(end) > 0) {
        end = e.name();
        if (targetEpoch.isPresent() && e.time() > targetEpoch.getAsDouble()) {
          i++;
          break;
        }
      }
    }
    for (; i < entries.size(); i++) {
      if (isHistory(entries.get(i).name())) {
        out.add(entries.get(i));
      }
    }
    return List.copyOf(out);
  }

  /**
   * {@return the highest timeline among the archived segments, as Barman's {@code --target-tli latest}}
   *
   * @param entries {@code xlog.db}
   * @param fallback the value when the archive holds no segment
   */
  public static int latestTimeline(List<XlogDbEntry> entries, int fallback) {
    int max = 0;
    for (XlogDbEntry e : entries) {
      if (!isHistory(e.name()) && WalFileName.isValid(e.name())) {
        max = Math.max(max, timeline(e.name()));
      }
    }
    return max == 0 ? fallback : max;
  }

  private static boolean isHistory(String name) {
    return name.endsWith(".history");
  }

  private static int timeline(String name) {
    return (int) Long.parseLong(name.substring(0, 8), 16);
  }
}
