package org.barman4j.cli;

import java.util.List;
import org.barman4j.internal.cli.ArgParser;

/**
 * One {@code barman} sub-command: declares its arguments, then runs with them. Errors the user should read go
 * to {@link Output#error}; exceptions are reported by {@link ServerCli} as one {@code ERROR:} line.
 */
interface ServerCommand {
  /** The command's name, e.g. {@code list-backups}. */
  String name();

  /** Other names Barman accepts for it, e.g. {@code list-backup}. */
  default List<String> aliases() {
    return List.of();
  }

  /** One line describing the command, for {@code --help}. */
  String description();

  /** Adds the command's options and positionals to {@code parser}. */
  void declare(ArgParser parser);

  /** Runs the command. */
  void run(ArgParser.Parsed args, CommandContext context) throws Exception;
}
