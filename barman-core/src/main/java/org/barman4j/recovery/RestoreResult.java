package org.barman4j.recovery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.barman4j.catalog.BackupId;

/**
 * What a restore did.
 *
 * @param backupId the backup restored
 * @param destination the data directory written
 * @param tablespaces where each tablespace was restored
 * @param archives how many tar objects (parts included) were extracted
 * @param downloadedBytes bytes read from storage, compressed
 * @param files regular files written
 * @param bytes bytes of regular files written
 * @param configFiles files the recovery configuration created or changed, relative to {@code destination}
 * @param elapsed wall time
 */
public record RestoreResult(
    BackupId backupId,
    Path destination,
    List<RestoredTablespace> tablespaces,
    int archives,
    long downloadedBytes,
    long files,
    long bytes,
    List<Path> configFiles,
    Duration elapsed) {
  /**
   * Checks that no component is null and copies the collections.
   *
   * @param backupId the backup restored
   * @param destination the data directory written
   * @param tablespaces where each tablespace was restored
   * @param archives how many tar objects (parts included) were extracted
   * @param downloadedBytes bytes read from storage, compressed
   * @param files regular files written
   * @param bytes bytes of regular files written
   * @param configFiles files the recovery configuration created or changed, relative to {@code destination}
   * @param elapsed wall time
   */
  public RestoreResult {
    Objects.requireNonNull(backupId, "backupId is null");
    Objects.requireNonNull(destination, "destination is null");
    tablespaces = List.copyOf(Objects.requireNonNull(tablespaces, "tablespaces is null"));
    configFiles = List.copyOf(Objects.requireNonNull(configFiles, "configFiles is null"));
    Objects.requireNonNull(elapsed, "elapsed is null");
  }

  /**
   * A tablespace as restored.
   *
   * @param name its name
   * @param oid its OID, the name of its {@code pg_tblspc} link
   * @param location the directory it was restored into
   */
  public record RestoredTablespace(String name, long oid, Path location) {
    /**
     * Checks that no component is null.
     *
     * @param name its name
     * @param oid its OID, the name of its {@code pg_tblspc} link
     * @param location the directory it was restored into
     */
    public RestoredTablespace {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(location, "location is null");
    }
  }
}
