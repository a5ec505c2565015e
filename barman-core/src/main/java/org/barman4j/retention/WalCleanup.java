package org.barman4j.retention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.wal.WalFileName;

/**
 * Which archived WAL files become useless once a backup is deleted, by Barman's rules
 * ({@code BackupManager.should_remove_wals}, {@code get_timelines_to_protect} and barman-cloud's
 * {@code _remove_wals_for_backup}). A pure value: {@link #plan} computes it from the catalogue and
 * {@link #deletes} / {@link #deletesDirectory} apply it to names.
 *
 * <p>WAL files go only when no older backup (whose copy is done) remains, or all older ones are kept
 * {@code standalone}. Then every WAL file whose name sorts before the {@code begin_wal} of the next
 * backup (or of the deleted one when none is newer) is deleted, except timeline history files, files on
 * a timeline another remaining backup is on (other than that next backup's), and files inside the
 * {@code [begin_wal, end_wal]} range of an older standalone-kept backup.
 *
 * @param removeUntil WAL files whose name sorts before this one are candidates
 * @param protectedTimelines timelines whose files are all kept
 * @param protectedRanges inclusive name ranges whose files are kept (standalone-kept backups)
 */
public record WalCleanup(String removeUntil, Set<Integer> protectedTimelines, List<WalRange> protectedRanges) {
  /**
   * Checks that no component is null, copies the collections and checks the values.
   *
   * @param removeUntil WAL files whose name sorts before this one are candidates
   * @param protectedTimelines timelines whose files are all kept
   * @param protectedRanges inclusive name ranges whose files are kept (standalone-kept backups)
   * @throws IllegalArgumentException if a component is invalid
   */
  public WalCleanup {
    Objects.requireNonNull(removeUntil, "removeUntil is null");
    protectedTimelines = Set.copyOf(Objects.requireNonNull(protectedTimelines, "protectedTimelines is null"));
    protectedRanges = List.copyOf(Objects.requireNonNull(protectedRanges, "protectedRanges is null"));
    if (!WalFileName.isValid(removeUntil)) {
      throw new IllegalArgumentException("Invalid WAL name '" + removeUntil + "'");
    }
  }

  /**
   * An inclusive range of WAL names.
   *
   * @param first the first name kept
   * @param last the last name kept
   */
  public record WalRange(String first, String last) {
    /**
     * Checks that no component is null.
     *
     * @param first the first name kept
     * @param last the last name kept
     */
    public WalRange {
      Objects.requireNonNull(first, "first is null");
      Objects.requireNonNull(last, "last is null");
    }

    boolean contains(String name) {
      return name.compareTo(first) >= 0 && name.compareTo(last) <= 0;
    }
  }

  /**
   * {@return the cleanup that deleting {@code deleted} allows, or empty if its WAL files must all stay (an
   * older backup still needs them)}
   *
   * @param deleted the backup being deleted
   * @param catalogue every backup of the server, any status, {@code deleted} included
   * @param keepTargets the keep annotation of each kept backup
   * @param skipIfOlderStandalone keep all WAL files when the older backups are all kept standalone, as
   *     {@code barman-cloud-backup-delete -b} does; retention ({@code -r}) passes false
   */
  public static Optional<WalCleanup> plan(BackupInfo deleted, List<BackupInfo> catalogue,
      Map<BackupId, KeepTarget> keepTargets, boolean skipIfOlderStandalone) {
    Objects.requireNonNull(deleted, "deleted is null");
    Objects.requireNonNull(catalogue, "catalogue is null");
    Objects.requireNonNull(keepTargets, "keepTargets is null");
    List<BackupInfo> sorted = new ArrayList<>(catalogue);
    sorted.sort(Comparator.comparing(BackupInfo::backupId));
    int index = -1;
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i).backupId().equals(deleted.backupId())) {
        index = i;
      }
    }
    if (index < 0) {
      throw new IllegalArgumentException("Backup " + deleted.backupId() + " is not in the catalogue");
    }
    List<WalRange> ranges = new ArrayList<>();
    for (int i = index - 1; i >= 0; i--) {
      BackupInfo previous = sorted.get(i);
      if (!previous.status().isCopyDone()) {
        continue;
      }
      if (keepTargets.get(previous.backupId()) != KeepTarget.STANDALONE || skipIfOlderStandalone) {
        return Optional.empty();
      }
      ranges.add(new WalRange(previous.beginWal().orElse(""), previous.endWal().orElse("\uffff")));
    }
    BackupInfo removeUntil = deleted;
    for (int i = index + 1; i < sorted.size(); i++) {
      if (sorted.get(i).status().isCopyDone()) {
        removeUntil = sorted.get(i);
        break;
      }
    }
    if (removeUntil.beginWal().isEmpty()) {
      return Optional.empty(); // nothing to measure against (a backup that failed before starting)
    }
    Set<Integer> timelines = new TreeSet<>();
    for (BackupInfo b : sorted) {
      if (!b.backupId().equals(deleted.backupId()) && b.timeline().isPresent()) {
        timelines.add(b.timeline().getAsInt());
      }
    }
    if (removeUntil.timeline().isPresent()) {
      timelines.remove(removeUntil.timeline().getAsInt());
    }
    return Optional.of(new WalCleanup(removeUntil.beginWal().get(), timelines, ranges));
  }

  /**
   * {@return whether the archived file {@code wal} is deleted}
   *
   * @param wal an archived WAL file
   */
  public boolean deletes(WalFileName wal) {
    Objects.requireNonNull(wal, "wal is null");
    if (wal.type() == WalFileName.Type.TIMELINE_HISTORY) {
      return false;
    }
    if (protectedTimelines.contains(wal.timeline())) {
      return false;
    }
    // Backup history files are matched against ranges by their segment part, as Barman does.
    String rangeName = wal.type() == WalFileName.Type.BACKUP_HISTORY ? wal.segmentName() : wal.name();
    for (WalRange range : protectedRanges) {
      if (range.contains(rangeName)) {
        return false;
      }
    }
    return wal.name().compareTo(removeUntil) < 0;
  }

  /**
   * {@return whether every file of the archive directory {@code hashDir} ({@code TTTTTTTTXXXXXXXX}) is
   * deleted, so that the directory can go in one sweep: it sorts before {@link #removeUntil()}'s directory,
   * its timeline is not protected and no protected range reaches into it} False for anything that is not a
   * directory name.
   *
   * @param hashDir an archive directory name ({@code TTTTTTTTXXXXXXXX})
   */
  public boolean deletesDirectory(String hashDir) {
    if (!isHashDir(hashDir) || hashDir.compareTo(removeUntil.substring(0, 16)) >= 0) {
      return false;
    }
    if (protectedTimelines.contains((int) Long.parseLong(hashDir.substring(0, 8), 16))) {
      return false;
    }
    for (WalRange range : protectedRanges) {
      String first = range.first().length() >= 16 ? range.first().substring(0, 16) : range.first();
      String last = range.last().length() >= 16 ? range.last().substring(0, 16) : range.last();
      if (hashDir.compareTo(first) >= 0 && hashDir.compareTo(last) <= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return whether the archive directory {@code hashDir} may hold a deleted file (so it is worth listing):
   * it does not sort after {@link #removeUntil()}'s directory and its timeline is not protected}
   *
   * @param hashDir an archive directory name ({@code TTTTTTTTXXXXXXXX})
   */
  public boolean mayDeleteIn(String hashDir) {
    return isHashDir(hashDir) && hashDir.compareTo(removeUntil.substring(0, 16)) <= 0
        && !protectedTimelines.contains((int) Long.parseLong(hashDir.substring(0, 8), 16));
  }

  private static boolean isHashDir(String s) {
    if (s == null || s.length() != 16) {
      return false;
    }
    for (int i = 0; i < 16; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
