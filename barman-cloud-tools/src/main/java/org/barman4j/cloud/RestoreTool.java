package org.barman4j.cloud;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.barman4j.Barman;
import org.barman4j.BarmanConfigurationException;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.recovery.BackupChoice;
import org.barman4j.recovery.RecoveryConfig;
import org.barman4j.recovery.RecoveryTarget;
import org.barman4j.recovery.RestoreOptions;
import org.barman4j.recovery.RestoreResult;
import org.barman4j.recovery.TargetAction;
import org.barman4j.recovery.TargetTimeline;
import org.slf4j.LoggerFactory;

/**
 * {@code barman-cloud-restore}: downloads and extracts a base backup into a new data directory.
 *
 * <p>Beyond Barman's tool: archives are restored {@code -J} at a time; targets other than time and
 * LSN are accepted; and when a recovery target, {@code --target-action}, {@code --standby-mode} or
 * {@code --recovery-conf} is given, the recovery configuration is written ({@code restore_command}
 * running this distribution's {@code barman-cloud-wal-restore}, the target, {@code
 * recovery.signal} or {@code standby.signal}), unless {@code --no-recovery-conf}.
 */
final class RestoreTool implements CloudTool {
  private static final String[] TARGETS = {"--target-time", "--target-lsn", "--target-xid", "--target-name", "--target-immediate"};
  private static final String[] SNAPSHOT_OPTIONS = {"--snapshot-recovery-instance", "--snapshot-recovery-zone",
      "--gcp-zone", "--aws-region", "--azure-resource-group"};

  @Override
  public String name() {
    return "barman-cloud-restore";
  }

  @Override
  public String description() {
    return "This script can be used to download a backup previously made with barman-cloud-backup command. "
        + "Currently AWS S3, Azure Blob Storage, Google Cloud Storage and local disk are supported.";
  }

  @Override
  public void declare(ArgParser parser) {
    parser
        .positional("SOURCE_URL", "URL of the cloud source, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", "the name of the server as configured in Barman.")
        .positional("BACKUP_ID", "the backup ID, name, a shortcut (latest, last, oldest, first) or 'auto' to choose by the target")
        .positional("RECOVERY_DIR", "the path to a directory for recovery.")
        .value("NAME:LOCATION", "tablespace relocation rule (repeatable)", "--tablespace")
        .value("SNAPSHOT_RECOVERY_INSTANCE", "instance where the disks recovered from the snapshots are attached (not supported)", "--snapshot-recovery-instance")
        .value("GCP_ZONE", "zone of the snapshot recovery instance (not supported)", "--snapshot-recovery-zone")
        .value("GCP_ZONE", "zone of the snapshot recovery instance (not supported)", "--gcp-zone")
        .value("AWS_REGION", "AWS region of the snapshot recovery instance (not supported)", "--aws-region")
        .value("AZURE_RESOURCE_GROUP", "resource group of the snapshot recovery instance (not supported)", "--azure-resource-group")
        .value("TARGET_TLI", "target timeline: a number, 'current' or 'latest'", "--target-tli")
        .value("TARGET_LSN", "target LSN (Log Sequence Number)", "--target-lsn")
        .value("TARGET_TIME", "target time, e.g. \"YYYY-MM-DD HH:MM:SS.mmm+00\"; without a zone, the local one", "--target-time")
        .value("TARGET_XID", "target transaction ID", "--target-xid")
        .value("TARGET_NAME", "target restore point name (pg_create_restore_point)", "--target-name")
        .flag("end recovery as soon as the backup is consistent", "--target-immediate")
        .choice(List.of("pause", "promote", "shutdown"), "what PostgreSQL does at the recovery target", "--target-action")
        .flag("stop just before the target (time, xid or LSN) instead of just after it", "--exclusive")
        .flag("start the restored server as a standby (standby.signal)", "--standby-mode", "--standby")
        .flag("write the recovery configuration even without a target", "--recovery-conf")
        .flag("write no recovery configuration, as Barman's barman-cloud-restore; targets then only choose the backup", "--no-recovery-conf")
        .value("JOBS", "number of archives downloaded and extracted in parallel (default " + RestoreOptions.DEFAULT_JOBS + ")", "-J", "--jobs")
        .exclusive(TARGETS)
        .exclusive("--recovery-conf", "--no-recovery-conf")
        .exclusive("--no-recovery-conf", "--standby-mode")
        .exclusive("--no-recovery-conf", "--target-action")
        .exclusive("--no-recovery-conf", "--exclusive");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    String url = args.positional("SOURCE_URL").orElseThrow();
    String reference = args.positional("BACKUP_ID").orElseThrow();
    Path recoveryDir = Path.of(args.positional("RECOVERY_DIR").orElseThrow());
    for (String option : SNAPSHOT_OPTIONS) {
      if (args.has(option)) {
        throw new BarmanConfigurationException("Snapshot recovery (" + option + ") is not supported");
      }
    }
    Optional<RecoveryTarget> target = target(args);
    Optional<TargetTimeline> timeline = args.value("--target-tli").map(TargetTimeline::parse);
    // The target and timeline choose the backup even when no recovery configuration is written.
    BackupChoice choice = BackupChoice.of(reference);
    // The recovery settings are checked before the storage is opened; the restore_command comes with the storage.
    RecoveryConfig config = RecoveryConfig.of("false");
    if (target.isPresent()) {
      choice = choice.withTarget(target.get());
      config = config.withTarget(target.get());
    }
    if (timeline.isPresent()) {
      choice = choice.withTimeline(timeline.get());
      config = config.withTimeline(timeline.get());
    }
    for (String action : args.values("--target-action")) {
      config = config.withAction(TargetAction.parse(action));
    }
    config = config.withExclusive(args.has("--exclusive")).withStandby(args.has("--standby-mode"));
    RestoreOptions options = RestoreOptions.into(recoveryDir)
        .withJobs(args.integer("--jobs", 1).orElse(RestoreOptions.DEFAULT_JOBS));
    for (String rule : args.values("--tablespace")) {
      Map.Entry<String, Path> relocation = RestoreOptions.parseTablespaceRule(rule);
      options = options.withTablespace(relocation.getKey(), relocation.getValue());
    }
    boolean writeConfig = !args.has("--no-recovery-conf")
        && (target.isPresent() || timeline.isPresent() || args.has("--target-action") || args.has("--standby-mode")
            || args.has("--exclusive") || args.has("--recovery-conf"));
    Path home = writeConfig ? distributionHome() : Path.of("");
    try (Barman barman = context.barman(url, args)) {
      if (args.has("--test")) {
        return context.connectivityTest(barman);
      }
      if (writeConfig) {
        options = options.withRecovery(config.withRestoreCommand(barman.walRestoreCommand(home)));
      }
      RestoreResult result;
      try (ProgressLine progress = context.progressLine("restore")) {
        result = barman.restore(choice, options, progress);
      }
      LoggerFactory.getLogger(RestoreTool.class).info("Restored {} archives ({} files, {} bytes) into {} in {} ms",
          result.archives(), result.files(), result.bytes(), result.destination(), result.elapsed().toMillis());
      return ExitCode.OK;
    }
  }

  private static Optional<RecoveryTarget> target(ArgParser.Parsed args) {
    if (args.has("--target-time")) {
      return Optional.of(RecoveryTarget.parseTime(args.value("--target-time").orElseThrow(), ZoneId.systemDefault()));
    }
    if (args.has("--target-lsn")) {
      return Optional.of(RecoveryTarget.parseLsn(args.value("--target-lsn").orElseThrow()));
    }
    if (args.has("--target-xid")) {
      return Optional.of(RecoveryTarget.parseXid(args.value("--target-xid").orElseThrow()));
    }
    if (args.has("--target-name")) {
      return Optional.of(RecoveryTarget.parseName(args.value("--target-name").orElseThrow()));
    }
    if (args.has("--target-immediate")) {
      return Optional.of(new RecoveryTarget.Immediate());
    }
    return Optional.empty();
  }

  /** The home of this distribution, whose {@code barman-cloud-wal-restore} the restore_command runs. */
  private static Path distributionHome() {
    String home = System.getProperty("barman4j.home");
    if (home == null || home.isBlank()) {
      throw new BarmanConfigurationException("Cannot write restore_command: system property barman4j.home is not set "
          + "(run barman-cloud-restore from the Barman4J distribution, or pass --no-recovery-conf)");
    }
    return Path.of(home);
  }
}
