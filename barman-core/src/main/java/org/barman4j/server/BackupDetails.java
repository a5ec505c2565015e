package org.barman4j.server;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.retention.RetentionStatus;

/**
 * Everything Barman's {@code show-backup} says about one backup, computed from the catalogue: the
 * {@code backup.info}, and, when its copy is done, its WAL statistics, its neighbours and its retention status
 * (Barman's {@code get_backup_ext_info}).
 *
 * @param backup the backup's metadata
 * @param catalogued whether the catalogue part applies (the copy is done); when false the others are empty
 * @param wal the WAL statistics, from {@code xlog.db}
 * @param previous the previous backup whose copy is done, if any
 * @param next the next backup whose copy is done, if any
 * @param retention the status under the server's retention policy; empty when no policy is enforced
 * @param reachableTimelines the timelines forked from the backup's timeline at or after its end, one per
 *     matching line of the archived {@code .history} files (Barman's {@code children_timelines}); when there
 *     are any, Barman warns that the WAL statistics are inaccurate
 */
public record BackupDetails(BackupInfo backup, boolean catalogued, ServerCatalogue.WalInfo wal,
    Optional<BackupId> previous, Optional<BackupId> next, Optional<RetentionStatus> retention,
    List<Integer> reachableTimelines) {
  /** Checks that no component is null. */
  public BackupDetails {
    Objects.requireNonNull(backup, "backup is null");
    Objects.requireNonNull(wal, "wal is null");
    Objects.requireNonNull(previous, "previous is null");
    Objects.requireNonNull(next, "next is null");
    Objects.requireNonNull(retention, "retention is null");
    reachableTimelines = List.copyOf(Objects.requireNonNull(reachableTimelines, "reachableTimelines is null"));
  }

  /** {@return the backup's size plus the WAL from its begin to its end, {@code size + wal_size}} */
  public long sizeWithWals() {
    return backup.size().orElse(0) + wal.walSize();
  }
}
