package org.barman4j.retention;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.KeepTarget;

/**
 * Classifies backups under a retention policy exactly as Barman's {@code retention_policies.py} does.
 * A pure function of its arguments: it reads no storage and no clock.
 *
 * <p>Only DONE backups count. Walking from the newest:
 *
 * <ul>
 *   <li>{@code REDUNDANCY n}: n is raised to the minimum redundancy if lower; the first n DONE backups
 *       are VALID, older ones OBSOLETE. Kept backups take their KEEP status but still count among the n.
 *   <li>{@code RECOVERY WINDOW}: DONE backups are VALID (or KEEP) down to and including the first whose
 *       end time is before the point of recoverability; each older one is OBSOLETE, or KEEP, or
 *       OBSOLETE* while fewer than the minimum redundancy have been counted.
 * </ul>
 *
 * Backups that are not DONE get {@link RetentionStatus#NONE} and are never deleted by retention.
 */
public final class RetentionPlanner {
  private RetentionPlanner() {}

  /**
   * Plans retention over {@code backups}.
   *
   * @param backups the catalogue, any order, any status
   * @param keepTargets the keep annotation of each kept backup
   * @param minimumRedundancy the minimum number of DONE backups to keep (barman-cloud {@code -m})
   * @param now the current time in the zone Barman would use (the local zone); only the recovery window
   *     reads it
   * @param policy the retention policy
   * @throws IllegalArgumentException if {@code minimumRedundancy} is negative or two backups share an identifier
   * @return the status of every backup
   */
  public static RetentionPlan plan(List<BackupInfo> backups, Map<BackupId, KeepTarget> keepTargets,
      RetentionPolicy policy, int minimumRedundancy, ZonedDateTime now) {
    Objects.requireNonNull(backups, "backups is null");
    Objects.requireNonNull(keepTargets, "keepTargets is null");
    Objects.requireNonNull(policy, "policy is null");
    Objects.requireNonNull(now, "now is null");
    if (minimumRedundancy < 0) {
      throw new IllegalArgumentException("Minimum redundancy must be >= 0: " + minimumRedundancy);
    }
    List<BackupInfo> newestFirst = new ArrayList<>(backups);
    newestFirst.sort(Comparator.comparing(BackupInfo::backupId).reversed());
    for (int i = 1; i < newestFirst.size(); i++) {
      if (newestFirst.get(i).backupId().equals(newestFirst.get(i - 1).backupId())) {
        throw new IllegalArgumentException("Backup " + newestFirst.get(i).backupId() + " is listed twice");
      }
    }
    Map<BackupId, RetentionStatus> statuses = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    if (policy instanceof RetentionPolicy.Redundancy redundancy) {
      redundancy(newestFirst, keepTargets, redundancy, minimumRedundancy, statuses, warnings);
    } else {
      window(newestFirst, keepTargets, (RetentionPolicy.RecoveryWindow) policy, minimumRedundancy, now, statuses,
          warnings);
    }
    return new RetentionPlan(policy, minimumRedundancy, new TreeMap<>(statuses), warnings);
  }

  private static Optional<RetentionStatus> keepStatus(Map<BackupId, KeepTarget> keepTargets, BackupId id) {
    KeepTarget target = keepTargets.get(id);
    if (target == null) {
      return Optional.empty();
    }
    return Optional.of(target == KeepTarget.STANDALONE ? RetentionStatus.KEEP_STANDALONE : RetentionStatus.KEEP_FULL);
  }

  private static void redundancy(List<BackupInfo> newestFirst, Map<BackupId, KeepTarget> keepTargets,
      RetentionPolicy.Redundancy policy, int minimumRedundancy, Map<BackupId, RetentionStatus> statuses,
      List<String> warnings) {
    int redundancy = policy.copies();
    if (redundancy < minimumRedundancy) {
      warnings.add("Retention policy redundancy (" + redundancy + ") is lower than the required minimum redundancy ("
          + minimumRedundancy + "). Enforce " + minimumRedundancy + ".");
      redundancy = minimumRedundancy;
    }
    int i = 0;
    for (BackupInfo b : newestFirst) {
      if (b.status() != BackupStatus.DONE) {
        statuses.put(b.backupId(), RetentionStatus.NONE);
        continue;
      }
      Optional<RetentionStatus> keep = keepStatus(keepTargets, b.backupId());
      if (keep.isPresent()) {
        statuses.put(b.backupId(), keep.get());
      } else {
        statuses.put(b.backupId(), i < redundancy ? RetentionStatus.VALID : RetentionStatus.OBSOLETE);
      }
      i++;
    }
  }

  private static void window(List<BackupInfo> newestFirst, Map<BackupId, KeepTarget> keepTargets,
      RetentionPolicy.RecoveryWindow policy, int minimumRedundancy, ZonedDateTime now,
      Map<BackupId, RetentionStatus> statuses, List<String> warnings) {
    ZonedDateTime point = policy.pointOfRecoverability(now);
    boolean found = false;
    int valid = 0;
    for (BackupInfo b : newestFirst) {
      if (b.status() != BackupStatus.DONE) {
        statuses.put(b.backupId(), RetentionStatus.NONE);
        continue;
      }
      Optional<RetentionStatus> keep = keepStatus(keepTargets, b.backupId());
      if (!found) {
        // Inside the window, or the newest backup older than its start: needed to reach the window start.
        statuses.put(b.backupId(), keep.orElse(RetentionStatus.VALID));
        valid++;
        if (endedBefore(b, point)) {
          found = true;
        }
      } else if (valid < minimumRedundancy) {
        if (keep.isEmpty()) {
          warnings.add("Keeping obsolete backup " + b.backupId() + " (older than " + point.toOffsetDateTime()
              + ") due to minimum redundancy requirements (" + minimumRedundancy + ")");
        }
        statuses.put(b.backupId(), keep.orElse(RetentionStatus.POTENTIALLY_OBSOLETE));
        valid++;
      } else {
        statuses.put(b.backupId(), keep.orElse(RetentionStatus.OBSOLETE));
      }
    }
  }

  // A DONE backup always has an end time; without one, fall back to its start, and without either treat
  // it as inside the window, which keeps everything older (the safe side).
  private static boolean endedBefore(BackupInfo b, ZonedDateTime point) {
    return b.endTime().or(b::beginTime).map(t -> t.toInstant().isBefore(point.toInstant())).orElse(false);
  }
}
