package org.barman4j.server;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.barman4j.internal.Human;
import org.barman4j.internal.PythonTime;

/**
 * What a recovery did, for the closing report.
 *
 * @param startTime when it started, with the host's offset
 * @param elapsed how long it took
 * @param changes settings changed to protect the origin server
 * @param warnings settings to review (paths, included files)
 * @param missingFiles configuration files the backup does not hold
 * @param getWal whether {@code restore_command} fetches WAL through Barman
 * @param recoveryConfigurationFile {@code postgresql.auto.conf}, or {@code recovery.conf} before PostgreSQL 12
 * @param walFiles the WAL files copied into the destination
 */
public record RecoveryResult(
    OffsetDateTime startTime,
    Duration elapsed,
    List<ConfigFinding> changes,
    List<ConfigFinding> warnings,
    List<String> missingFiles,
    boolean getWal,
    String recoveryConfigurationFile,
    List<String> walFiles) {

  /** Barman's last line of a successful recovery. */
  public static final String SUCCESS = "Your PostgreSQL server has been successfully prepared for recovery!";

  /**
   * Checks that no component is null.
   *
   * @param startTime when it started
   * @param elapsed how long it took
   * @param changes settings changed
   * @param warnings settings to review
   * @param missingFiles configuration files not restored
   * @param getWal whether WAL is fetched through Barman
   * @param recoveryConfigurationFile the file holding the recovery settings
   * @param walFiles the WAL files copied
   */
  public RecoveryResult {
    Objects.requireNonNull(startTime, "startTime is null");
    Objects.requireNonNull(elapsed, "elapsed is null");
    changes = List.copyOf(changes);
    warnings = List.copyOf(warnings);
    missingFiles = List.copyOf(missingFiles);
    Objects.requireNonNull(recoveryConfigurationFile, "recoveryConfigurationFile is null");
    walFiles = List.copyOf(walFiles);
  }

  /** {@return the closing lines Barman's console output prints, from the first blank line to {@link #SUCCESS}} */
  public List<String> consoleLines() {
    List<String> lines = new ArrayList<>();
    if (!changes.isEmpty()) {
      lines.addAll(List.of("", "IMPORTANT", "These settings have been modified to prevent data losses", ""));
      changes.forEach(c -> lines.add(c.describe()));
    }
    if (!warnings.isEmpty()) {
      lines.addAll(List.of("", "WARNING", "You are required to review the following options as potentially dangerous",
          ""));
      warnings.forEach(c -> lines.add(c.describe()));
    }
    if (!missingFiles.isEmpty()) {
      lines.addAll(List.of("", "WARNING",
          "The following configuration files have not been saved during backup, hence they have not been restored.",
          "You need to manually restore them in order to start the recovered PostgreSQL instance:", ""));
      missingFiles.forEach(f -> lines.add("    " + f));
    }
    if (getWal) {
      lines.addAll(List.of("", "WARNING: 'get-wal' is in the specified 'recovery_options'.",
          "Before you start up the PostgreSQL server, please review the " + recoveryConfigurationFile + " file",
          "inside the target directory. Make sure that 'restore_command' can be executed by the PostgreSQL user."));
    }
    lines.add("");
    lines.add("Recovery completed (start time: " + PythonTime.str(startTime) + ", elapsed time: "
        + Human.duration(elapsed) + ")");
    lines.add(SUCCESS);
    return List.copyOf(lines);
  }
}
