package org.barman4j.cli;

import java.util.Optional;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.server.WalArchiver;

/** {@code barman archive-wal SERVER}: archives the WAL files waiting in {@code incoming/} and {@code streaming/}. */
final class ArchiveWalCommand implements ServerCommand {
  @Override
  public String name() {
    return "archive-wal";
  }

  @Override
  public String description() {
    return "Execute maintenance operations on WAL files for a given server. This command processes any incoming "
        + "WAL files for the server and archives them along the catalogue.";
  }

  @Override
  public void declare(ArgParser parser) {
    CommandContext.declareServer(parser);
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Optional<ServerConfig> server = context.server(args, CommandContext.Inactive.SKIP);
    if (server.isEmpty()) {
      return;
    }
    WalArchiver archiver = new WalArchiver(context.directories(server.get()),
        WalArchiver.Settings.of(server.get()), context.clock());
    ServerMessages.print(context.output(), archiver.archive().consoleLines(true));
  }
}
