package org.barman4j.testing.postgres;

import java.util.List;
import java.util.Objects;

/**
 * What a finished external command printed and returned.
 *
 * @param command the command line as executed, wrapper included
 * @param exitCode the process exit status
 * @param stdout everything written to standard output, decoded as UTF-8
 * @param stderr everything written to standard error, decoded as UTF-8
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {
  public ProcessResult {
    command = List.copyOf(command);
    Objects.requireNonNull(stdout, "stdout is null");
    Objects.requireNonNull(stderr, "stderr is null");
  }

  /** Whether the command exited with status 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }

  /** The command line joined with spaces, for messages. */
  public String commandLine() {
    return String.join(" ", command);
  }
}
