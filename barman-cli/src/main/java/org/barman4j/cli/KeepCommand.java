package org.barman4j.cli;

import java.util.Map;
import java.util.Optional;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.server.ServerCatalogue;

/** {@code barman keep SERVER BACKUP_ID (--target full|standalone | --status | --release)}. */
final class KeepCommand implements ServerCommand {
  @Override
  public String name() {
    return "keep";
  }

  @Override
  public String description() {
    return "Tag the specified backup so that it will never be deleted";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.flag("Release the keep flag from this backup. This will remove its exemption from retention policy",
        "-r", "--release");
    parser.flag("Return the keep status of the backup", "-s", "--status");
    parser.choice(java.util.List.of("full", "standalone"), "Specify the recovery target for this backup", "--target");
    CommandContext.declareBackup(parser);
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Output output = context.output();
    if (!args.has("--release") && !args.has("--status") && !args.has("--target")) {
      output.error("one of the arguments -r/--release -s/--status --target is required");
      return;
    }
    Optional<CommandContext.ServerBackup> named = context.backup(args, CommandContext.Inactive.INCLUDE);
    if (named.isEmpty()) {
      return;
    }
    ServerCatalogue catalogue = named.get().catalogue();
    BackupInfo backup = named.get().backup();
    String serverName = named.get().server().name();
    if (args.has("--status")) {
      String status = catalogue.keepTarget(backup.backupId()).map(KeepTarget::id).orElse("nokeep");
      if (output.isJson()) {
        output.result(serverName, Map.of("keep_status", Map.of("description", "Keep", "message", status)));
      } else {
        output.info("Server " + serverName + ":");
        output.info("\tKeep: " + status);
      }
    } else if (args.has("--release")) {
      catalogue.releaseKeep(backup.backupId());
    } else {
      catalogue.keep(backup, KeepTarget.parse(args.value("--target").orElseThrow()));
    }
  }
}
