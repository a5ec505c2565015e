package org.barman4j.cloud;

import java.util.OptionalInt;
import org.barman4j.Barman;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;
import org.barman4j.wal.WalArchiveContentException;

/**
 * {@code barman-cloud-check-wal-archive}: exits 0 if a new server (or, with {@code --timeline N}, a new
 * timeline N) can archive into the destination without mixing with WAL already there, 1 if not, 2 if
 * the storage cannot be reached.
 */
final class CheckWalArchiveTool implements CloudTool {
  @Override
  public boolean createsStorage() {
    return true;
  }

  @Override
  public String name() {
    return "barman-cloud-check-wal-archive";
  }

  @Override
  public String description() {
    return "Checks that the WAL archive on the specified cloud storage can be safely used for a new PostgreSQL "
        + "server.";
  }

  @Override
  public void declare(ArgParser parser) {
    parser
        .positional("DESTINATION_URL", "URL of the cloud destination, such as a bucket in AWS S3. For example: `s3://bucket/path/to/folder`.")
        .positional("SERVER_NAME", "the name of the server as configured in Barman.")
        .value("TIMELINE", "The earliest timeline whose WALs should cause the check to fail", "--timeline");
  }

  @Override
  public ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception {
    OptionalInt timeline = args.integer("--timeline", 1);
    try (Barman barman = context.barman(args.positional("DESTINATION_URL").orElseThrow(), args)) {
      // Always: an unreachable archive is exit 2, never "usable".
      ExitCode reachable = context.connectivityTest(barman);
      if (reachable != ExitCode.OK || args.has("--test")) {
        return reachable;
      }
      try {
        if (timeline.isPresent()) {
          barman.checkWalArchive(timeline.getAsInt());
        } else {
          barman.checkWalArchive();
        }
      } catch (WalArchiveContentException e) {
        context.err().println("ERROR: WAL archive check failed for server " + barman.serverName() + ": "
            + e.getMessage());
        return ExitCode.OPERATION_FAILED;
      }
      return ExitCode.OK;
    }
  }
}
