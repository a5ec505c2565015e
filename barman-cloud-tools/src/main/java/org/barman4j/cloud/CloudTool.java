package org.barman4j.cloud;

import org.barman4j.internal.cli.ArgParser;
import org.barman4j.internal.cli.ExitCode;

/** One {@code barman-cloud-*} command: declares its arguments, then runs with them. */
interface CloudTool {
  /** The command's name, e.g. {@code barman-cloud-wal-archive}. */
  String name();

  /** One line describing the command, for {@code --help}. */
  String description();

  /** Adds the command's own options and positionals to {@code parser} (the common ones are already there). */
  void declare(ArgParser parser);

  /**
   * Whether a missing bucket is an empty store that the first write creates (Barman 3.4's wal-archive and
   * backup create it, check-wal-archive passes on it) rather than an error (its other tools: exit 1).
   */
  default boolean createsStorage() {
    return false;
  }

  /** Runs the command; exceptions are mapped to exit codes by {@link CloudTools}. */
  ExitCode run(ArgParser.Parsed args, CloudContext context) throws Exception;
}
