package org.barman4j.postgres;

import java.time.OffsetDateTime;
import java.util.Objects;
import org.barman4j.wal.Lsn;

/**
 * Where a non-exclusive backup started.
 *
 * @param lsn the start location returned by {@code pg_backup_start}
 * @param timeline the timeline of the backup's checkpoint
 * @param time the server's {@code now()} when the start was requested
 */
public record BackupStart(Lsn lsn, int timeline, OffsetDateTime time) {
  /**
   * Checks that no component is null.
   *
   * @param lsn the start location returned by {@code pg_backup_start}
   * @param timeline the timeline of the backup's checkpoint
   * @param time the server's {@code now()} when the start was requested
   */
  public BackupStart {
    Objects.requireNonNull(lsn, "lsn is null");
    Objects.requireNonNull(time, "time is null");
  }
}
