package org.barman4j.recovery;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to restore a base backup.
 *
 * @param destination the new data directory; absent or empty
 * @param tablespaceLocations tablespace name to the directory it is restored into instead of its
 *     original location; absent or empty directories
 * @param jobs how many archives are downloaded and extracted at once, at least 1
 * @param recovery the recovery configuration to write; empty to write none (as barman-cloud-restore)
 */
public record RestoreOptions(
    Path destination, Map<String, Path> tablespaceLocations, int jobs, Optional<RecoveryConfig> recovery) {
  /** Archives extracted at once unless told otherwise, as barman-cloud-backup's upload default. */
  public static final int DEFAULT_JOBS = 2;

  /**
   * Checks that no component is null, copies the collections and checks the values.
   *
   * @param destination the new data directory; absent or empty
   * @param tablespaceLocations tablespace name to the directory it is restored into instead of its original location; absent or empty directories
   * @param jobs how many archives are downloaded and extracted at once, at least 1
   * @param recovery the recovery configuration to write; empty to write none (as barman-cloud-restore)
   * @throws IllegalArgumentException if a component is invalid
   */
  public RestoreOptions {
    Objects.requireNonNull(destination, "destination is null");
    tablespaceLocations = Map.copyOf(Objects.requireNonNull(tablespaceLocations, "tablespaceLocations is null"));
    Objects.requireNonNull(recovery, "recovery is null");
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
    }
  }

  /**
   * Restore into {@code destination}, tablespaces at their original locations, no recovery configuration.
   *
   * @param destination the data directory to restore into
   * @return the options
   */
  public static RestoreOptions into(Path destination) {
    return new RestoreOptions(destination, Map.of(), DEFAULT_JOBS, Optional.empty());
  }

  /**
   * {@return these options restoring tablespace {@code name} into {@code location}}
   *
   * @param name the tablespace name
   * @param location where to restore it
   */
  public RestoreOptions withTablespace(String name, Path location) {
    Map<String, Path> map = new LinkedHashMap<>(tablespaceLocations);
    map.put(Objects.requireNonNull(name, "name is null"), Objects.requireNonNull(location, "location is null"));
    return new RestoreOptions(destination, map, jobs, recovery);
  }

  /**
   * {@return these options with {@code jobs} parallel archives}
   *
   * @param jobs how many archives to restore at once
   */
  public RestoreOptions withJobs(int jobs) {
    return new RestoreOptions(destination, tablespaceLocations, jobs, recovery);
  }

  /**
   * {@return these options writing {@code recovery}}
   *
   * @param recovery the recovery configuration to write
   */
  public RestoreOptions withRecovery(RecoveryConfig recovery) {
    return new RestoreOptions(destination, tablespaceLocations, jobs, Optional.of(recovery));
  }

  /**
   * Parses a {@code NAME:LOCATION} relocation rule, as {@code --tablespace} takes it.
   *
   * @param rule the rule, {@code NAME:LOCATION}
   * @return the name and the location
   * @throws IllegalArgumentException if the name or the location is missing
   */
  public static Map.Entry<String, Path> parseTablespaceRule(String rule) {
    Objects.requireNonNull(rule, "rule is null");
    int colon = rule.indexOf(':');
    if (colon <= 0 || colon == rule.length() - 1) {
      throw new IllegalArgumentException("Invalid tablespace relocation rule '" + rule
          + "': the valid syntax for a relocation rule is NAME:LOCATION");
    }
    return Map.entry(rule.substring(0, colon), Path.of(rule.substring(colon + 1)));
  }
}
