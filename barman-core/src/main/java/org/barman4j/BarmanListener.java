package org.barman4j;

import org.barman4j.retention.BackupDeleter;

/**
 * Hears what a long job of {@link Barman} is doing: its progress, its warnings and, when deleting, each
 * object deleted (or that a dry run would delete). Every method does nothing by default.
 *
 * <p>Progress is reported from the job's worker threads, at most a few times per second and at every
 * change of phase, so an implementation must be thread-safe and quick; it must not throw.
 */
public interface BarmanListener extends BackupDeleter.Listener {
  /** A listener that ignores everything. */
  BarmanListener NONE = new BarmanListener() {};

  /**
   * The job has moved on.
   *
   * @param progress how far it has come
   */
  default void progress(Progress progress) {}
}
