package org.barman4j.cli;

import java.util.List;
import java.util.Optional;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.UsageException;
import org.barman4j.server.XlogDb;
import org.barman4j.server.XlogDbEntry;
import org.barman4j.wal.WalFileName;

/**
 * {@code barman check-wal-archive SERVER [--timeline N]}: whether the archive is safe for a new cluster, as
 * Barman checks it from {@code xlog.db}.
 */
final class CheckWalArchiveCommand implements ServerCommand {
  @Override
  public String name() {
    return "check-wal-archive";
  }

  @Override
  public String description() {
    return "Check the WAL archive can be safely used for a new server";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.value("TIMELINE", "the earliest timeline whose WALs should cause the check to fail", "--timeline");
    CommandContext.declareServer(parser);
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Output output = context.output();
    Optional<ServerConfig> server = context.server(args, CommandContext.Inactive.INCLUDE);
    if (server.isEmpty()) {
      return;
    }
    int timeline = timeline(args);
    String name = server.get().name();
    List<XlogDbEntry> entries = new XlogDb(context.directories(server.get())).read();
    long offending = entries.stream().filter(e -> timeline == 0 || timelineOf(e.name()) >= timeline).count();
    if (offending > 0) {
      String why = timeline == 0 ? "Expected empty archive"
          : "Found " + offending + " files in WAL archive equal to or newer than timeline " + timeline;
      output.error("WAL archive check failed for server " + name + ": " + why);
      return;
    }
    if (output.isJson()) {
      output.result(name, "WAL archive check for server " + name + " passed");
    } else {
      output.info("Server " + name + ":");
      output.info(" - WAL archive check for server " + name + " passed");
    }
  }

  private static int timeline(ArgParser.Parsed args) throws UsageException {
    return args.integer("--timeline", 1).orElse(0);
  }

  private static int timelineOf(String name) {
    return WalFileName.isValid(name) ? WalFileName.parse(name).timeline() : Integer.MAX_VALUE;
  }
}
