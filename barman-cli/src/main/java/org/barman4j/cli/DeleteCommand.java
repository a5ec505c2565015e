package org.barman4j.cli;

import java.util.Optional;
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
    CommandContext.declareBackup(parser);
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Optional<CommandContext.ServerBackup> target = context.backup(args, CommandContext.Inactive.SKIP);
    if (target.isEmpty()) {
      return;
    }
    ServerConfig server = target.get().server();
    ServerRetention retention = new ServerRetention(context.directories(server), server, context.clock());
    ServerMessages.print(context.output(), retention.delete(target.get().backup().backupId()));
  }
}
