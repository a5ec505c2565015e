package org.barman4j.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The content of a timeline history file ({@code 00000003.history}): for each ancestor timeline, the
 * location where the next timeline branched off it.
 *
 * @param timeline the timeline this file describes
 * @param entries the ancestors, oldest first
 */
public record TimelineHistory(int timeline, List<Entry> entries) {
  /**
   * One line of a history file.
   *
   * @param parentTimeline the ancestor timeline
   * @param switchPoint where the ancestor ended (exclusive)
   * @param reason the free-text reason PostgreSQL recorded
   */
  public record Entry(int parentTimeline, Lsn switchPoint, String reason) {
    public Entry {
      Objects.requireNonNull(switchPoint, "switchPoint is null");
      Objects.requireNonNull(reason, "reason is null");
    }
  }

  public TimelineHistory {
    entries = List.copyOf(Objects.requireNonNull(entries, "entries is null"));
  }

  /**
   * Parses the text of the history file of {@code timeline}. Blank lines and lines starting with '#' are
   * skipped, as PostgreSQL does.
   *
   * @throws IllegalArgumentException on a malformed line, or ancestors not in increasing order
   */
  public static TimelineHistory parse(int timeline, String text) {
    List<Entry> entries = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.split("\\s+", 3);
      if (fields.length < 2) {
        throw new IllegalArgumentException("Invalid timeline history line " + lineNo + ": '" + trimmed + "'");
      }
      int parent;
      try {
        parent = Integer.parseInt(fields[0]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Invalid timeline id on history line " + lineNo + ": '" + fields[0] + "'");
      }
      if (parent < 1 || parent >= timeline || (!entries.isEmpty() && parent <= entries.get(entries.size() - 1).parentTimeline())) {
        throw new IllegalArgumentException(
            "Invalid timeline history line " + lineNo + ": timeline " + parent + " out of order for timeline " + timeline);
      }
      entries.add(new Entry(parent, Lsn.parse(fields[1]), fields.length > 2 ? fields[2] : ""));
    }
    return new TimelineHistory(timeline, entries);
  }

  /** This timeline and its ancestors, newest first. */
  public List<Integer> lineage() {
    List<Integer> result = new ArrayList<>();
    result.add(timeline);
    for (int i = entries.size() - 1; i >= 0; i--) {
      result.add(entries.get(i).parentTimeline());
    }
    return result;
  }

  /** The timeline that was current at {@code lsn} along this timeline's history. */
  public int timelineAt(Lsn lsn) {
    for (Entry entry : entries) {
      if (lsn.compareTo(entry.switchPoint()) < 0) {
        return entry.parentTimeline();
      }
    }
    return timeline;
  }
}
