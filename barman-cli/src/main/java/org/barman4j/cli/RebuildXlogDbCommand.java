package org.barman4j.cli;

import java.util.List;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.server.XlogDb;
import org.barman4j.server.XlogDbEntry;
import org.barman4j.wal.WalFileName;

/** {@code barman rebuild-xlogdb SERVER…|all}: rewrites {@code xlog.db} from the files in {@code wals/}. */
final class RebuildXlogDbCommand implements ServerCommand {
  @Override
  public String name() {
    return "rebuild-xlogdb";
  }

  @Override
  public String description() {
    return "Rebuild the WAL file metadata for a server (or for all servers) basing on the disk content";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.positionals("SERVER_NAME", "specifies the server name for the command ('all' will show all available servers)");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Output output = context.output();
    for (ServerConfig server : context.servers(args.positionals("SERVER_NAME"), CommandContext.Inactive.SKIP)) {
      output.info("Rebuilding xlogdb for server " + server.name());
      List<XlogDbEntry> entries = new XlogDb(context.directories(server)).rebuild();
      int history = 0;
      int labels = 0;
      int wals = 0;
      for (XlogDbEntry e : entries) {
        switch (WalFileName.parse(e.name()).type()) {
          case TIMELINE_HISTORY -> history++;
          case BACKUP_HISTORY -> labels++;
          default -> wals++;
        }
      }
      output.info("Done rebuilding xlogdb for server " + server.name() + " (history: " + history
          + ", backup_labels: " + labels + ", wal_file: " + wals + ")");
    }
  }
}
