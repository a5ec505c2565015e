package org.barman4j.recovery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The recovery configuration written into a restored data directory: how PostgreSQL fetches WAL
 * ({@code restore_command}), where it stops, and whether it runs as a standby.
 *
 * @param restoreCommand the {@code restore_command}, with PostgreSQL's {@code %f} and {@code %p}
 * @param target where recovery stops; empty to replay all archived WAL
 * @param timeline the {@code recovery_target_timeline}; empty for PostgreSQL's default
 * @param action the {@code recovery_target_action}; empty for PostgreSQL's default (pause)
 * @param exclusive stop just before the target instead of just after it ({@code
 *     recovery_target_inclusive = off}); only for time, xid and LSN targets
 * @param standby start as a standby ({@code standby.signal}) rather than for archive recovery
 *     ({@code recovery.signal})
 */
public record RecoveryConfig(
    String restoreCommand,
    Optional<RecoveryTarget> target,
    Optional<TargetTimeline> timeline,
    Optional<TargetAction> action,
    boolean exclusive,
    boolean standby) {

  /**
   * Checks that no component is null and checks the values.
   *
   * @param restoreCommand the {@code restore_command}, with PostgreSQL's {@code %f} and {@code %p}
   * @param target where recovery stops; empty to replay all archived WAL
   * @param timeline the {@code recovery_target_timeline}; empty for PostgreSQL's default
   * @param action the {@code recovery_target_action}; empty for PostgreSQL's default (pause)
   * @param exclusive stop just before the target instead of just after it ({@code recovery_target_inclusive = off}); only for time, xid and LSN targets
   * @param standby start as a standby ({@code standby.signal}) rather than for archive recovery ({@code recovery.signal})
   * @throws IllegalArgumentException if a component is invalid
   */
  public RecoveryConfig {
    Objects.requireNonNull(restoreCommand, "restoreCommand is null");
    Objects.requireNonNull(target, "target is null");
    Objects.requireNonNull(timeline, "timeline is null");
    Objects.requireNonNull(action, "action is null");
    if (restoreCommand.isBlank() || restoreCommand.indexOf('\n') >= 0 || restoreCommand.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("Invalid restore_command: empty or spanning lines");
    }
    if (exclusive && (target.isEmpty() || !target.get().supportsExclusive())) {
      throw new IllegalArgumentException(
          "An exclusive recovery target needs a target time, xid or LSN");
    }
    if (action.isPresent() && target.isEmpty()) {
      throw new IllegalArgumentException(
          "A recovery target action needs a recovery target (time, xid, LSN, name or immediate)");
    }
  }

  /**
   * Archive recovery to the end of the archived WAL with {@code restoreCommand}.
   *
   * @param restoreCommand the {@code restore_command}
   * @return the configuration
   */
  public static RecoveryConfig of(String restoreCommand) {
    return new RecoveryConfig(restoreCommand, Optional.empty(), Optional.empty(), Optional.empty(), false, false);
  }

  /**
   * {@return this configuration running {@code restoreCommand} to fetch WAL}
   *
   * @param restoreCommand the {@code restore_command}, with PostgreSQL's {@code %f} and {@code %p}
   */
  public RecoveryConfig withRestoreCommand(String restoreCommand) {
    return new RecoveryConfig(restoreCommand, target, timeline, action, exclusive, standby);
  }

  /**
   * {@return this configuration stopping at {@code target}}
   *
   * @param target where recovery stops
   */
  public RecoveryConfig withTarget(RecoveryTarget target) {
    return new RecoveryConfig(restoreCommand, Optional.of(target), timeline, action, exclusive, standby);
  }

  /**
   * {@return this configuration following {@code timeline}}
   *
   * @param timeline the timeline to follow
   */
  public RecoveryConfig withTimeline(TargetTimeline timeline) {
    return new RecoveryConfig(restoreCommand, target, Optional.of(timeline), action, exclusive, standby);
  }

  /**
   * {@return this configuration doing {@code action} at the target}
   *
   * @param action what the server does at the target
   */
  public RecoveryConfig withAction(TargetAction action) {
    return new RecoveryConfig(restoreCommand, target, timeline, Optional.of(action), exclusive, standby);
  }

  /**
   * {@return this configuration stopping just before the target}
   *
   * @param exclusive whether recovery stops just before the target
   */
  public RecoveryConfig withExclusive(boolean exclusive) {
    return new RecoveryConfig(restoreCommand, target, timeline, action, exclusive, standby);
  }

  /**
   * {@return this configuration starting a standby}
   *
   * @param standby whether the server starts as a standby
   */
  public RecoveryConfig withStandby(boolean standby) {
    return new RecoveryConfig(restoreCommand, target, timeline, action, exclusive, standby);
  }

  /**
   * {@return a {@code restore_command} running {@code command} (program and fixed arguments) followed by
   * {@code %f %p}: each argument is quoted for {@code /bin/sh} where needed, and '%' is doubled so PostgreSQL
   * passes it through}
   *
   * @param command the program and its fixed arguments
   */
  public static String restoreCommand(List<String> command) {
    Objects.requireNonNull(command, "command is null");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("restore command is empty");
    }
    StringBuilder sb = new StringBuilder();
    for (String arg : command) {
      Objects.requireNonNull(arg, "command argument is null");
      if (arg.indexOf('\n') >= 0 || arg.indexOf('\r') >= 0 || arg.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("restore command argument spans lines: '" + arg + "'");
      }
      sb.append(sb.length() == 0 ? "" : " ").append(shellQuote(arg).replace("%", "%%"));
    }
    return sb.append(" %f %p").toString();
  }

  private static String shellQuote(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
