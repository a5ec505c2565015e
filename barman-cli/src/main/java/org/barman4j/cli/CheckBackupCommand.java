package org.barman4j.cli;

import java.util.Optional;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.server.BackupCheck;

/**
 * {@code barman check-backup SERVER BACKUP_ID}: a backup waiting for WAL becomes DONE once its WAL is archived,
 * FAILED if a segment is missing. Silent on success, as Barman's.
 */
final class CheckBackupCommand implements ServerCommand {
  @Override
  public String name() {
    return "check-backup";
  }

  @Override
  public String description() {
    return "Make sure that all the required WAL files to check the consistency of a physical backup (that is, "
        + "from the beginning to the end of the full backup) are correctly archived";
  }

  @Override
  public void declare(ArgParser parser) {
    CommandContext.declareBackup(parser);
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Optional<CommandContext.ServerBackup> selected = context.backup(args, CommandContext.Inactive.SKIP);
    if (selected.isPresent()) {
      new BackupCheck(selected.get().catalogue().directories()).check(selected.get().backup());
    }
  }
}
