package org.barman4j.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupNotFoundException;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.StorageException;
import org.barman4j.wal.StoredWal;

/**
 * Picks the backup to restore: by identifier, by name ({@code -n}), by shortcut ({@code latest},
 * {@code last}, {@code oldest}, {@code first}, …), or with {@code auto} the newest backup that can
 * reach the recovery target, as {@code barman-cloud-restore} 3.13+ does. Only {@link
 * BackupStatus#DONE} backups are ever restored.
 *
 * <p>With {@code auto}: no target gives the newest backup; a target time gives the newest backup
 * whose {@code end_time} is not after it; a target LSN the newest whose {@code end_xlog} is not
 * after it; a numbered target timeline (or {@code latest}, the newest timeline in the WAL archive)
 * keeps only backups of that timeline. Transaction id and restore point targets cannot choose a
 * backup.
 */
public final class BackupChooser {
  /** The backup reference that lets the target choose. */
  public static final String AUTO = "auto";

  private final BackupCatalog catalog;

  /**
   * A chooser among the backups of {@code catalog}.
   *
   * @param catalog the backup catalogue
   */
  public BackupChooser(BackupCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog is null");
  }

  /**
   * {@return the DONE backup {@code choice} designates, checked against its target}
   *
   * @param choice the backup reference, the recovery target and the timeline
   * @throws BackupNotFoundException if no backup matches the identifier, name or shortcut
   * @throws RecoveryException if the backup is not DONE, no backup can reach the target ({@code
   *     auto}), or the target lies before the end of the backup
   * @throws IllegalArgumentException if {@code auto} is combined with a target that cannot choose
   *     a backup (xid, name, timeline {@code current})
   * @throws org.barman4j.catalog.CorruptBackupInfoException if the chosen backup's {@code backup.info} lacks
   *     what a DONE backup must record (see {@link BackupInfo#requireRestorable()})
   */
  public BackupInfo choose(BackupChoice choice) {
    return choose(choice.reference(), choice.target(), choice.timeline());
  }

  /** {@link #choose(BackupChoice)} with the choice's parts. */
  BackupInfo choose(String reference, Optional<RecoveryTarget> target, Optional<TargetTimeline> timeline) {
    Objects.requireNonNull(reference, "reference is null");
    Objects.requireNonNull(target, "target is null");
    Objects.requireNonNull(timeline, "timeline is null");
    String server = catalog.layout().serverName();
    BackupInfo chosen;
    switch (reference) {
      case AUTO -> chosen = auto(target, timeline);
      case "latest", "last", "latest-full", "last-full" -> chosen = newestDone(false)
          .orElseThrow(() -> BackupNotFoundException.forName(
              "No DONE backup matches '" + reference + "' for server '" + server + "'", reference));
      case "oldest", "first" -> chosen = newestDone(true)
          .orElseThrow(() -> BackupNotFoundException.forName(
              "No DONE backup matches '" + reference + "' for server '" + server + "'", reference));
      default -> {
        BackupId id = catalog.resolve(reference);
        chosen = catalog.get(id);
      }
    }
    if (chosen.status() != BackupStatus.DONE) {
      throw new RecoveryException("Backup " + chosen.backupId() + " of server " + server
          + " is not restorable: its status is " + chosen.status());
    }
    chosen.requireRestorable();
    checkReachable(chosen, target, timeline);
    return chosen;
  }

  /**
   * Checks that recovery from {@code backup} can reach {@code target}: PostgreSQL must replay the
   * backup's WAL up to its end before it can stop anywhere.
   *
   * @param backup the backup to restore
   * @param target the recovery target, if any
   * @param timeline the target timeline, if any
   * @throws RecoveryException if the target time or LSN lies before the end of the backup, or the
   *     target timeline before the backup's timeline
   */
  static void checkReachable(BackupInfo backup, Optional<RecoveryTarget> target, Optional<TargetTimeline> timeline) {
    String id = backup.backupId().value();
    if (target.isPresent() && target.get() instanceof RecoveryTarget.Time time && backup.endTime().isPresent()
        && time.time().isBefore(backup.endTime().get())) {
      throw new RecoveryException("The target time " + time.value() + " is before the end of backup " + id
          + " (" + backup.endTime().get() + ")");
    }
    if (target.isPresent() && target.get() instanceof RecoveryTarget.AtLsn lsn && backup.endXlog().isPresent()
        && lsn.lsn().compareTo(backup.endXlog().get()) < 0) {
      throw new RecoveryException("The target LSN " + lsn.value() + " is before the end of backup " + id
          + " (" + backup.endXlog().get() + ")");
    }
    if (timeline.isPresent() && timeline.get() instanceof TargetTimeline.Numbered n && backup.timeline().isPresent()
        && n.timeline() < backup.timeline().getAsInt()) {
      throw new RecoveryException("The target timeline " + n.timeline() + " is before the timeline of backup " + id
          + " (" + backup.timeline().getAsInt() + ")");
    }
  }

  /**
   * {@return the newest DONE backup among {@code backups} able to reach {@code target} on {@code timeline}
   * (any timeline when empty)}
   *
   * @param backups the candidates, any order
   * @param target the recovery target, if any
   * @param timeline the timeline the backup must be on, if any
   */
  static Optional<BackupInfo> newestReaching(
      List<BackupInfo> backups, Optional<RecoveryTarget> target, OptionalInt timeline) {
    List<BackupInfo> sorted = new ArrayList<>(backups);
    sorted.sort((a, b) -> b.backupId().compareTo(a.backupId()));
    for (BackupInfo b : sorted) {
      if (b.status() != BackupStatus.DONE) {
        continue;
      }
      if (timeline.isPresent() && (b.timeline().isEmpty() || b.timeline().getAsInt() != timeline.getAsInt())) {
        continue;
      }
      if (target.isPresent() && target.get() instanceof RecoveryTarget.Time time
          && (b.endTime().isEmpty() || b.endTime().get().isAfter(time.time()))) {
        continue;
      }
      if (target.isPresent() && target.get() instanceof RecoveryTarget.AtLsn lsn
          && (b.endXlog().isEmpty() || b.endXlog().get().compareTo(lsn.lsn()) > 0)) {
        continue;
      }
      return Optional.of(b);
    }
    return Optional.empty();
  }

  private BackupInfo auto(Optional<RecoveryTarget> target, Optional<TargetTimeline> timeline) {
    if (target.isPresent() && (target.get() instanceof RecoveryTarget.Xid || target.get() instanceof RecoveryTarget.Name)) {
      throw new IllegalArgumentException("BACKUP_ID 'auto' chooses a backup by target time or LSN only; "
          + "give a backup ID with --target-xid or --target-name");
    }
    OptionalInt tli = OptionalInt.empty();
    if (timeline.isPresent()) {
      TargetTimeline t = timeline.get();
      if (t instanceof TargetTimeline.Current) {
        throw new IllegalArgumentException("'current' is not a valid timeline keyword when recovering without a backup ID");
      } else if (t instanceof TargetTimeline.Numbered n) {
        tli = OptionalInt.of(n.timeline());
      } else {
        tli = latestArchivedTimeline();
      }
    }
    BackupCatalog.Listing listing = catalog.list();
    Optional<BackupInfo> chosen = newestReaching(listing.backups(), target, tli);
    if (chosen.isEmpty()) {
      StringBuilder why = new StringBuilder("Cannot find any candidate backup for recovery: no DONE backup of server ")
          .append(catalog.layout().serverName());
      if (target.isPresent() && !(target.get() instanceof RecoveryTarget.Immediate)) {
        why.append(" ended at or before ").append(target.get().setting()).append(" '").append(target.get().value()).append("'");
      }
      if (tli.isPresent()) {
        why.append(" on timeline ").append(tli.getAsInt());
      }
      throw new RecoveryException(why.toString());
    }
    return chosen.get();
  }

  private Optional<BackupInfo> newestDone(boolean oldest) {
    BackupInfo found = null;
    for (BackupInfo b : catalog.list().backups()) { // oldest first
      if (b.status() == BackupStatus.DONE && (found == null || !oldest)) {
        found = b;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The highest timeline with a WAL directory or history file in the archive; empty if there is none. */
  private OptionalInt latestArchivedTimeline() {
    ServerLayout layout = catalog.layout();
    int latest = 0;
    ListOptions options = ListOptions.DEFAULT.withDelimiter();
    try {
      while (true) {
        ListPage page = catalog.backend().list(layout.wal().root(), options);
        for (String prefix : page.commonPrefixes()) {
          String dir = prefix.substring(layout.wal().root().length(), prefix.length() - 1);
          if (dir.length() == 16 && dir.matches("[0-9A-F]{16}")) {
            latest = Math.max(latest, Integer.parseUnsignedInt(dir.substring(0, 8), 16));
          }
        }
        for (ObjectInfo object : page.objects()) {
          Optional<StoredWal> wal = layout.wal().parseKey(object.key());
          if (wal.isPresent()) {
            latest = Math.max(latest, wal.get().wal().timeline());
          }
        }
        if (page.nextPageToken().isEmpty()) {
          break;
        }
        options = options.withPageToken(page.nextPageToken().get());
      }
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return latest == 0 ? OptionalInt.empty() : OptionalInt.of(latest);
  }
}
