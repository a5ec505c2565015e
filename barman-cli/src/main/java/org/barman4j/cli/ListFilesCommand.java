package org.barman4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.server.ServerCatalogue;

/** {@code barman list-files SERVER BACKUP_ID [--target standalone|data|wal|full]}: one absolute path a line. */
final class ListFilesCommand implements ServerCommand {
  @Override
  public String name() {
    return "list-files";
  }

  @Override
  public String description() {
    return "List all the files for a single backup";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.choice(List.of("standalone", "data", "wal", "full"),
        "Possible values are: data (just the data files), standalone (base backup files, including required WAL "
            + "files), wal (just WAL files between the beginning of base backup and the following one (if any) or "
            + "the end of the log) and full (same as data + wal). Defaults to standalone", "--target");
    CommandContext.declareBackup(parser);
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Optional<CommandContext.ServerBackup> named = context.backup(args, CommandContext.Inactive.INCLUDE);
    if (named.isEmpty()) {
      return;
    }
    ServerCatalogue.FilesTarget target = ServerCatalogue.FilesTarget.valueOf(
        args.value("--target").orElse("standalone").toUpperCase(Locale.ROOT));
    for (Path file : named.get().catalogue().files(named.get().backup(), target)) {
      context.output().info(file.toString());
    }
  }
}
