package org.barman4j.recovery;

import java.util.Objects;
import java.util.Optional;

/**
 * Which backup to restore: an identifier, a name, a shortcut ({@code latest}, {@code oldest} …), or
 * {@code auto} for the newest backup that can reach the recovery target. The target and the timeline also
 * check the backup chosen by identifier: a target before the end of the backup cannot be reached.
 *
 * <pre>{@code
 * BackupChoice.latest();
 * BackupChoice.of("20261203T101500");
 * BackupChoice.newestReaching(RecoveryTarget.parseTime("2026-12-03 10:30:00+00", ZoneOffset.UTC));
 * }</pre>
 *
 * @param reference a backup identifier, name, shortcut or {@code auto}
 * @param target the recovery target, if any
 * @param timeline the target timeline, if any
 */
public record BackupChoice(String reference, Optional<RecoveryTarget> target, Optional<TargetTimeline> timeline) {
  /**
   * Checks that no component is null or blank.
   *
   * @param reference a backup identifier, name, shortcut or {@code auto}
   * @param target the recovery target, if any
   * @param timeline the target timeline, if any
   */
  public BackupChoice {
    Objects.requireNonNull(reference, "reference is null");
    Objects.requireNonNull(target, "target is null");
    Objects.requireNonNull(timeline, "timeline is null");
    if (reference.isBlank()) {
      throw new IllegalArgumentException("Empty backup reference");
    }
  }

  /**
   * {@return the backup {@code reference} designates}
   *
   * @param reference a backup identifier, name, shortcut ({@code latest}, {@code oldest} …) or {@code auto}
   */
  public static BackupChoice of(String reference) {
    return new BackupChoice(reference, Optional.empty(), Optional.empty());
  }

  /** {@return the newest DONE backup} */
  public static BackupChoice latest() {
    return of("latest");
  }

  /**
   * {@return the newest DONE backup from which recovery can reach {@code target}}
   *
   * @param target the recovery target; a time or an LSN can choose, a transaction id or a name cannot
   */
  public static BackupChoice newestReaching(RecoveryTarget target) {
    return of(BackupChooser.AUTO).withTarget(target);
  }

  /**
   * {@return this choice checked against (or, with {@code auto}, choosing by) {@code target}}
   *
   * @param target the recovery target
   */
  public BackupChoice withTarget(RecoveryTarget target) {
    return new BackupChoice(reference, Optional.of(target), timeline);
  }

  /**
   * {@return this choice restricted to backups that can reach {@code timeline}}
   *
   * @param timeline the target timeline
   */
  public BackupChoice withTimeline(TargetTimeline timeline) {
    return new BackupChoice(reference, target, Optional.of(timeline));
  }
}
