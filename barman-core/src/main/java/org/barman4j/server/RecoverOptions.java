package org.barman4j.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.recovery.RecoveryTarget;
import org.barman4j.recovery.TargetAction;
import org.barman4j.recovery.TargetTimeline;

/**
 * What {@code barman recover} is asked to do. Build with {@link #builder(Path)}.
 *
 * @param destination the data directory to write, on the recovery host
 * @param remoteSshCommand the command reaching the recovery host ({@code ssh postgres@db1}); empty for
 *     this host
 * @param target where recovery stops; empty to replay every archived WAL
 * @param targetTimeline the {@code --target-tli}; empty for the backup's timeline
 * @param targetAction the {@code --target-action}; needs a target
 * @param exclusive stop just before a time, xid or LSN target ({@code --exclusive})
 * @param standbyMode start as a standby ({@code --standby-mode})
 * @param getWal fetch WAL with {@code restore_command} from Barman ({@code --get-wal}) instead of copying it
 * @param tablespaceLocations relocations, tablespace name to absolute directory ({@code --tablespace})
 * @param stagingDirectory where a tar-format backup is unpacked on this host before it is pushed; empty
 *     for the system's temporary directory
 */
public record RecoverOptions(
    Path destination,
    Optional<String> remoteSshCommand,
    Optional<RecoveryTarget> target,
    Optional<TargetTimeline> targetTimeline,
    Optional<TargetAction> targetAction,
    boolean exclusive,
    boolean standbyMode,
    boolean getWal,
    Map<String, Path> tablespaceLocations,
    Optional<Path> stagingDirectory) {

  /** Barman's message for more than one of time, xid, LSN, name and immediate. */
  public static final String MULTIPLE_TARGETS = "You cannot specify multiple targets for the recovery operation";

  /**
   * Checks that no component is null.
   *
   * @param destination the data directory to write
   * @param remoteSshCommand the ssh command, empty for this host
   * @param target where recovery stops
   * @param targetTimeline the target timeline
   * @param targetAction the target action
   * @param exclusive stop just before the target
   * @param standbyMode start as a standby
   * @param getWal fetch WAL through Barman
   * @param tablespaceLocations tablespace relocations
   * @param stagingDirectory where tar backups are unpacked
   */
  public RecoverOptions {
    Objects.requireNonNull(destination, "destination is null");
    Objects.requireNonNull(remoteSshCommand, "remoteSshCommand is null");
    Objects.requireNonNull(target, "target is null");
    Objects.requireNonNull(targetTimeline, "targetTimeline is null");
    Objects.requireNonNull(targetAction, "targetAction is null");
    tablespaceLocations = Map.copyOf(Objects.requireNonNull(tablespaceLocations, "tablespaceLocations is null"));
    Objects.requireNonNull(stagingDirectory, "stagingDirectory is null");
  }

  /**
   * {@return a builder for a local recovery into {@code destination}, without target}
   *
   * @param destination the data directory to write
   */
  public static Builder builder(Path destination) {
    return new Builder(destination);
  }

  /** Builds {@link RecoverOptions}. */
  public static final class Builder {
    private final Path destination;
    private Optional<String> remoteSshCommand = Optional.empty();
    private Optional<RecoveryTarget> target = Optional.empty();
    private Optional<TargetTimeline> targetTimeline = Optional.empty();
    private Optional<TargetAction> targetAction = Optional.empty();
    private boolean exclusive;
    private boolean standbyMode;
    private boolean getWal;
    private final Map<String, Path> tablespaceLocations = new LinkedHashMap<>();
    private Optional<Path> stagingDirectory = Optional.empty();

    private Builder(Path destination) {
      this.destination = Objects.requireNonNull(destination, "destination is null");
    }

    /**
     * Recovers on the host reached with {@code command}.
     *
     * @param command e.g. {@code ssh postgres@db1}
     * @return this builder
     */
    public Builder remoteSshCommand(String command) {
      this.remoteSshCommand = Optional.of(command);
      return this;
    }

    /**
     * Stops recovery at {@code target}.
     *
     * @param target the target
     * @return this builder
     */
    public Builder target(RecoveryTarget target) {
      this.target = Optional.of(target);
      return this;
    }

    /**
     * Follows {@code timeline}.
     *
     * @param timeline the target timeline
     * @return this builder
     */
    public Builder targetTimeline(TargetTimeline timeline) {
      this.targetTimeline = Optional.of(timeline);
      return this;
    }

    /**
     * Does {@code action} at the target.
     *
     * @param action the action
     * @return this builder
     */
    public Builder targetAction(TargetAction action) {
      this.targetAction = Optional.of(action);
      return this;
    }

    /**
     * Stops just before the target.
     *
     * @param exclusive whether to
     * @return this builder
     */
    public Builder exclusive(boolean exclusive) {
      this.exclusive = exclusive;
      return this;
    }

    /**
     * Starts the server as a standby.
     *
     * @param standbyMode whether to
     * @return this builder
     */
    public Builder standbyMode(boolean standbyMode) {
      this.standbyMode = standbyMode;
      return this;
    }

    /**
     * Fetches WAL through Barman instead of copying it.
     *
     * @param getWal whether to
     * @return this builder
     */
    public Builder getWal(boolean getWal) {
      this.getWal = getWal;
      return this;
    }

    /**
     * Restores tablespace {@code name} into {@code location}.
     *
     * @param name the tablespace's name
     * @param location an absolute directory
     * @return this builder
     */
    public Builder tablespace(String name, Path location) {
      tablespaceLocations.put(Objects.requireNonNull(name, "name is null"),
          Objects.requireNonNull(location, "location is null"));
      return this;
    }

    /**
     * Unpacks tar backups in {@code directory}.
     *
     * @param directory the staging directory on this host
     * @return this builder
     */
    public Builder stagingDirectory(Path directory) {
      this.stagingDirectory = Optional.of(directory);
      return this;
    }

    /** {@return the options} */
    public RecoverOptions build() {
      return new RecoverOptions(destination, remoteSshCommand, target, targetTimeline, targetAction, exclusive,
          standbyMode, getWal, tablespaceLocations, stagingDirectory);
    }
  }
}
