package org.barman4j.postgres;

import java.util.Objects;
import java.util.Optional;
import org.barman4j.wal.WalSegmentSize;

/**
 * What a base backup needs to know about the server.
 *
 * @param versionNum {@code server_version_num}, e.g. 150020
 * @param systemIdentifier the cluster's system identifier from {@code pg_control_system()}
 * @param walSegmentSize {@code wal_segment_size}
 * @param dataChecksums whether {@code data_checksums} is on
 * @param dataDirectory {@code data_directory}
 * @param configFile {@code config_file}
 * @param hbaFile {@code hba_file}
 * @param identFile {@code ident_file}
 * @param inRecovery whether the server is a standby ({@code pg_is_in_recovery()})
 */
public record ServerInfo(
    int versionNum, String systemIdentifier, WalSegmentSize walSegmentSize, boolean dataChecksums,
    String dataDirectory, Optional<String> configFile, Optional<String> hbaFile, Optional<String> identFile,
    boolean inRecovery) {
  /**
   * Checks that no component is null.
   *
   * @param versionNum {@code server_version_num}, e.g. 150020
   * @param systemIdentifier the cluster's system identifier from {@code pg_control_system()}
   * @param walSegmentSize {@code wal_segment_size}
   * @param dataChecksums whether {@code data_checksums} is on
   * @param dataDirectory {@code data_directory}
   * @param configFile {@code config_file}
   * @param hbaFile {@code hba_file}
   * @param identFile {@code ident_file}
   * @param inRecovery whether the server is a standby ({@code pg_is_in_recovery()})
   */
  public ServerInfo {
    Objects.requireNonNull(systemIdentifier, "systemIdentifier is null");
    Objects.requireNonNull(walSegmentSize, "walSegmentSize is null");
    Objects.requireNonNull(dataDirectory, "dataDirectory is null");
    Objects.requireNonNull(configFile, "configFile is null");
    Objects.requireNonNull(hbaFile, "hbaFile is null");
    Objects.requireNonNull(identFile, "identFile is null");
  }

  /** {@return the major version: {@code 15} for 150020 (the first two digits from PostgreSQL 10 on)} */
  public int majorVersion() {
    return versionNum >= 100000 ? versionNum / 10000 : versionNum / 100;
  }
}
