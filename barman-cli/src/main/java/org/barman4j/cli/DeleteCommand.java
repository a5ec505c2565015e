package org.barman4j.cli;

import java.util.Optional;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.server.ServerRetention;

/** {@code barman delete SERVER BACKUP_ID}: deletes one backup and the WAL files only it needed. */
final class DeleteCommand implements ServerCommand {
  @Override
  public String name() {
    return "delete";
  }

  @Override
  public String description() {
    return "Delete a backup";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.positional("SERVER_NAME", "specifies the server name for the command");
    parser.positional("BACKUP_ID", "specifies the backup ID");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Optional<ServerConfig> server = context.server(args.positional("SERVER_NAME").orElseThrow());
    if (server.isEmpty()) {
      return;
    }
    if (!server.get().active()) {
      context.output().info("Skipping inactive server '" + server.get().name() + "'");
      return;
    }
    BackupInfo backup = context.catalogue(server.get()).resolve(args.positional("BACKUP_ID").orElseThrow());
    ServerRetention retention = new ServerRetention(context.directories(server.get()), server.get(),
        context.clock());
    ServerMessages.print(context.output(), retention.delete(backup.backupId()));
  }
}
