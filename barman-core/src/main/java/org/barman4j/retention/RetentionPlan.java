package org.barman4j.retention;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.barman4j.catalog.BackupId;

/**
 * The outcome of applying a retention policy to a catalogue: the status of every backup.
 *
 * @param policy the policy applied
 * @param minimumRedundancy the minimum number of backups to keep
 * @param statuses the status of every backup, by identifier (oldest first)
 * @param warnings what Barman warns about while planning (a redundancy raised to the minimum, backups
 *     kept only for the minimum redundancy)
 */
public record RetentionPlan(
    RetentionPolicy policy, int minimumRedundancy, SortedMap<BackupId, RetentionStatus> statuses, List<String> warnings) {
  /**
   * Checks that no component is null and copies the collections.
   *
   * @param policy the policy applied
   * @param minimumRedundancy the minimum number of backups to keep
   * @param statuses the status of every backup, by identifier (oldest first)
   * @param warnings what Barman warns about while planning (a redundancy raised to the minimum, backups kept only for the minimum redundancy)
   */
  public RetentionPlan {
    Objects.requireNonNull(policy, "policy is null");
    statuses = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(statuses, "statuses is null")));
    warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings is null"));
  }

  /**
   * {@return the status of {@code backupId}}
   *
   * @param backupId the backup's identifier
   * @throws IllegalArgumentException if the backup was not part of the plan
   */
  public RetentionStatus status(BackupId backupId) {
    RetentionStatus status = statuses.get(backupId);
    if (status == null) {
      throw new IllegalArgumentException("Backup " + backupId + " is not part of this retention plan");
    }
    return status;
  }

  /** {@return the backups retention deletes (status {@link RetentionStatus#OBSOLETE}), oldest first} */
  public List<BackupId> obsolete() {
    List<BackupId> result = new ArrayList<>();
    for (Map.Entry<BackupId, RetentionStatus> e : statuses.entrySet()) {
      if (e.getValue() == RetentionStatus.OBSOLETE) {
        result.add(e.getKey());
      }
    }
    return result;
  }
}
