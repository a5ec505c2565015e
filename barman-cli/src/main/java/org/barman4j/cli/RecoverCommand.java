package org.barman4j.cli;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.PythonTime;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.UsageException;
import org.barman4j.recovery.RecoveryTarget;
import org.barman4j.recovery.TargetAction;
import org.barman4j.recovery.TargetTimeline;
import org.barman4j.server.ConfigFinding;
import org.barman4j.server.RecoverOptions;
import org.barman4j.server.RecoveryOutput;
import org.barman4j.server.RecoveryResult;
import org.barman4j.server.ServerCatalogue;
import org.barman4j.server.ServerRecovery;

/** {@code barman recover SERVER BACKUP_ID DESTINATION_DIRECTORY} (also {@code restore}). */
final class RecoverCommand implements ServerCommand {
  private static final List<String> TARGETS =
      List.of("--target-time", "--target-xid", "--target-lsn", "--target-name", "--target-immediate");

  @Override
  public String name() {
    return "recover";
  }

  @Override
  public List<String> aliases() {
    return List.of("restore");
  }

  @Override
  public String description() {
    return "Recover a server at a given time, name, LSN or xid";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.positional("SERVER_NAME", "specifies the server name for the command");
    parser.positional("BACKUP_ID", "specifies the backup ID to recover");
    parser.positional("DESTINATION_DIRECTORY", "the directory where the new server is created");
    parser.value("TARGET_TLI", "target timeline", "--target-tli");
    parser.value("TARGET_TIME", "target time. You can use any valid unambiguous representation. "
        + "e.g: \"YYYY-MM-DD HH:MM:SS.mmm\"", "--target-time");
    parser.value("TARGET_XID", "target transaction ID", "--target-xid");
    parser.value("TARGET_LSN", "target LSN (Log Sequence Number)", "--target-lsn");
    parser.value("TARGET_NAME", "target name created previously with pg_create_restore_point() function call",
        "--target-name");
    parser.flag("end recovery as soon as a consistent state is reached", "--target-immediate");
    parser.flag("set target to be non inclusive", "--exclusive");
    parser.value("NAME:LOCATION", "tablespace relocation rule", "--tablespace");
    parser.value("REMOTE_SSH_COMMAND", "This options activates remote recovery, by specifying the secure "
        + "shell command to be launched on a remote host. It is the equivalent of the \"ssh_command\" server "
        + "option in the configuration file for remote recovery. Example: 'ssh postgres@db2'",
        "--remote-ssh-command");
    parser.value("KBPS", "maximum transfer rate in kilobytes per second (accepted, not applied)", "--bwlimit");
    parser.value("RETRY_TIMES", "Number of retries (accepted, not applied)", "--retry-times");
    parser.value("RETRY_SLEEP", "Wait time after a failed copy (accepted, not applied)", "--retry-sleep");
    parser.flag("Disable base backup copy retry logic", "--no-retry");
    parser.value("JOBS", "Run the copy in parallel (accepted, not applied)", "--jobs", "-j");
    parser.flag("Enable the get-wal option during the recovery.", "--get-wal");
    parser.flag("Disable the get-wal option during recovery.", "--no-get-wal");
    parser.flag("Enable network compression during remote recovery.", "--network-compression");
    parser.flag("Disable network compression during remote recovery.", "--no-network-compression");
    parser.value("TARGET_ACTION", "Specifies what should the server do once the recovery target is reached. "
        + "This option is not allowed for PostgreSQL < 9.1. If PostgreSQL is between 9.1 and 9.4 included the "
        + "only allowed value is 'pause'. If PostgreSQL is 9.5 or newer the possible values are 'shutdown', "
        + "'pause', 'promote'.", "--target-action");
    parser.flag("Enable standby mode when starting the recovered PostgreSQL instance", "--standby-mode");
    parser.value("RECOVERY_STAGING_PATH", "A path to a location on the recovery host where compressed backup "
        + "files will be staged during the recovery.", "--recovery-staging-path");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Output output = context.output();
    Optional<TargetTimeline> timeline = usage(args, "--target-tli", TargetTimeline::parse);
    Optional<TargetAction> action = usage(args, "--target-action", TargetAction::parse);
    Optional<ServerConfig> server = context.server(args.positional("SERVER_NAME").orElseThrow());
    if (server.isEmpty()) {
      return;
    }
    ServerCatalogue catalogue = context.catalogue(server.get());
    String reference = args.positional("BACKUP_ID").orElseThrow();
    BackupInfo backup = catalogue.resolve(reference);
    if (!backup.status().isCopyDone()) {
      output.error("Cannot recover from backup '" + reference + "' of server '" + server.get().name()
          + "': backup status is not DONE");
      return;
    }
    if (TARGETS.stream().filter(args::has).count() > 1) {
      output.error(RecoverOptions.MULTIPLE_TARGETS);
      return;
    }
    if (args.has("--network-compression") && !args.has("--remote-ssh-command")) {
      output.error("Network compression can only be used with remote recovery. HINT: If you want to do a "
          + "remote recovery you have to use the --remote-ssh-command option");
      return;
    }
    RecoverOptions.Builder options = RecoverOptions.builder(Path.of(args.positional("DESTINATION_DIRECTORY")
        .orElseThrow()));
    args.value("--remote-ssh-command").ifPresent(options::remoteSshCommand);
    ZoneId zone = context.clock().getZone();
    args.value("--target-time").ifPresent(t -> options.target(RecoveryTarget.parseTime(t, zone)));
    args.value("--target-xid").ifPresent(t -> options.target(RecoveryTarget.parseXid(t)));
    args.value("--target-lsn").ifPresent(t -> options.target(RecoveryTarget.parseLsn(t)));
    args.value("--target-name").ifPresent(t -> options.target(RecoveryTarget.parseName(t)));
    if (args.has("--target-immediate")) {
      options.target(new RecoveryTarget.Immediate());
    }
    timeline.ifPresent(options::targetTimeline);
    action.ifPresent(options::targetAction);
    options.exclusive(args.has("--exclusive")).standbyMode(args.has("--standby-mode"));
    boolean configGetWal = server.get().get("recovery_options").orElse("").contains("get-wal");
    options.getWal(args.has("--get-wal") || configGetWal && !args.has("--no-get-wal"));
    for (String rule : args.values("--tablespace")) {
      int colon = rule.indexOf(':');
      if (colon < 0) {
        output.error("Invalid tablespace relocation rule '" + rule + "' (HINT: The valid syntax for a "
            + "relocation rule is NAME:LOCATION)");
        return;
      }
      options.tablespace(rule.substring(0, colon), Path.of(rule.substring(colon + 1)));
    }
    Optional<String> staging = args.value("--recovery-staging-path").or(() -> server.get().get("recovery_staging_path"));
    staging.ifPresent(s -> options.stagingDirectory(Path.of(s)));

    // As Barman: what is waiting in incoming/ is archived first, so that recovery can use it.
    ServerMessages.archiver(context, server.get()).run();
    ServerRecovery recovery = new ServerRecovery(context.directories(server.get()), context.config().barmanUser(),
        context.clock());
    RecoveryResult result = recovery.recover(backup, options.build(), new RecoveryOutput() {
      @Override
      public void info(String line) {
        output.info(line);
      }

      @Override
      public void warning(String line) {
        output.warning(line);
      }
    });
    if (output.isJson()) {
      output.result("changes", result.changes().stream().map(RecoverCommand::json).toList());
      output.result("changes_count", result.changes().size());
      output.result("warnings", result.warnings().stream().map(RecoverCommand::json).toList());
      output.result("warnings_count", result.warnings().size());
      output.result("missing_files", result.missingFiles());
      output.result("recovery_start_time", PythonTime.str(result.startTime()));
      output.result("recovery_start_time_timestamp", Long.toString(result.startTime().toEpochSecond()));
      output.result("recovery_elapsed_time_seconds", result.elapsed().toNanos() / 1e9);
    } else {
      result.consoleLines().forEach(output::info);
    }
  }

  private static List<Object> json(ConfigFinding f) {
    return List.of(f.file(), f.line(), f.key(), f.value());
  }

  /** An argparse {@code type=} check: a bad value is a usage error (exit 2), as in Barman. */
  private static <T> Optional<T> usage(ArgParser.Parsed args, String key, Function<String, T> parse)
      throws UsageException {
    Optional<String> value = args.value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(value.get()));
    } catch (IllegalArgumentException e) {
      throw new UsageException("argument " + key + ": " + e.getMessage());
    }
  }
}
