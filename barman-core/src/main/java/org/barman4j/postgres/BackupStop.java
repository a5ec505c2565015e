package org.barman4j.postgres;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.wal.Lsn;

/**
 * How a non-exclusive backup ended.
 *
 * @param lsn the end location returned by {@code pg_backup_stop}
 * @param timeline the timeline at the end
 * @param backupLabel the content of the {@code backup_label} file the backup must contain
 * @param tablespaceMap the content of {@code tablespace_map}, if the cluster has tablespaces
 * @param time the server's {@code now()} when the stop was requested
 */
public record BackupStop(Lsn lsn, int timeline, String backupLabel, Optional<String> tablespaceMap,
    OffsetDateTime time) {
  /**
   * Checks that no component is null.
   *
   * @param lsn the end location returned by {@code pg_backup_stop}
   * @param timeline the timeline at the end
   * @param backupLabel the content of the {@code backup_label} file the backup must contain
   * @param tablespaceMap the content of {@code tablespace_map}, if the cluster has tablespaces
   * @param time the server's {@code now()} when the stop was requested
   */
  public BackupStop {
    Objects.requireNonNull(lsn, "lsn is null");
    Objects.requireNonNull(backupLabel, "backupLabel is null");
    Objects.requireNonNull(tablespaceMap, "tablespaceMap is null");
    Objects.requireNonNull(time, "time is null");
  }
}
