package org.barman4j;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * How far a long job has come, as reported to a {@link BarmanListener}.
 *
 * @param job the job reporting
 * @param phase what the job is doing now
 * @param bytesDone bytes read from the data directory (backup), downloaded (restore) or objects deleted
 *     (retention) so far
 * @param bytesTotal the expected total of {@code bytesDone}, when known (a backup's is PostgreSQL's own
 *     estimate of the cluster's size, so it can be passed)
 * @param files files copied or extracted so far; backups deleted for retention
 * @param parts archive parts (tar files) stored or restored so far
 */
public record Progress(Job job, Phase phase, long bytesDone, OptionalLong bytesTotal, long files, long parts) {
  /** The long jobs. */
  public enum Job {
    /** A base backup. */
    BACKUP,
    /** A restore of a base backup. */
    RESTORE,
    /** Deleting backups: one or by retention policy. */
    DELETE
  }

  /** What a job is doing. */
  public enum Phase {
    /** Connecting, starting the backup on the server, listing what to restore or delete. */
    STARTING,
    /** Copying files: reading the data directory or extracting archives. */
    COPYING,
    /** Stopping the backup on the server, writing the recovery configuration. */
    STOPPING,
    /** Waiting for the last parts, writing {@code backup.info}, putting {@code pg_control} in place. */
    FINISHING,
    /** Deleting backups and the WAL they no longer need. */
    DELETING,
    /** Finished successfully. */
    DONE
  }

  /**
   * Checks that no component is null or negative.
   *
   * @param job the job reporting
   * @param phase what the job is doing now
   * @param bytesDone bytes done so far
   * @param bytesTotal the expected total, when known
   * @param files files done so far
   * @param parts parts done so far
   */
  public Progress {
    Objects.requireNonNull(job, "job is null");
    Objects.requireNonNull(phase, "phase is null");
    Objects.requireNonNull(bytesTotal, "bytesTotal is null");
    if (bytesDone < 0 || files < 0 || parts < 0) {
      throw new IllegalArgumentException("Negative progress");
    }
  }

  /** {@return the fraction done, between 0 and 1, when the total is known} */
  public OptionalDouble fraction() {
    if (phase == Phase.DONE) {
      return OptionalDouble.of(1);
    }
    if (bytesTotal.isEmpty() || bytesTotal.getAsLong() <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Math.min(1.0, (double) bytesDone / bytesTotal.getAsLong()));
  }
}
