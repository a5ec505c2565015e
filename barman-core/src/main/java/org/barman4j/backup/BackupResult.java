package org.barman4j.backup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.storage.ObjectInfo;

/**
 * A completed base backup.
 *
 * @param info its {@code backup.info}, status DONE, as stored
 * @param objects the tar parts stored, in the order they were written
 * @param bytesRead file bytes read from the data directory and tablespaces
 * @param bytesStored tar bytes stored (after compression)
 * @param elapsed the wall time of the whole backup
 */
public record BackupResult(BackupInfo info, List<ObjectInfo> objects, long bytesRead, long bytesStored,
    Duration elapsed) {
  /**
   * Checks that no component is null and copies the collections.
   *
   * @param info its {@code backup.info}, status DONE, as stored
   * @param objects the tar parts stored, in the order they were written
   * @param bytesRead file bytes read from the data directory and tablespaces
   * @param bytesStored tar bytes stored (after compression)
   * @param elapsed the wall time of the whole backup
   */
  public BackupResult {
    Objects.requireNonNull(info, "info is null");
    objects = List.copyOf(Objects.requireNonNull(objects, "objects is null"));
    Objects.requireNonNull(elapsed, "elapsed is null");
  }
}
