package org.barman4j.cli;

import java.util.List;

/** The {@code barman} sub-commands, in the order {@code --help} lists them. */
final class Commands {
  private Commands() {}

  static List<ServerCommand> all() {
    return List.of(
        new ListServersCommand(),
        new ShowServersCommand(),
        new StatusCommand(),
        new ListBackupsCommand(),
        new ShowBackupCommand(),
        new ListFilesCommand(),
        new KeepCommand(),
        new CheckWalArchiveCommand(),
        new CheckBackupCommand(),
        new RebuildXlogDbCommand(),
        new ArchiveWalCommand(),
        new CronCommand(),
        new DeleteCommand(),
        new RecoverCommand(),
        new BackupCommand(),
        new SwitchWalCommand());
  }
}
