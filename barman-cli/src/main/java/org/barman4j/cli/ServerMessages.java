package org.barman4j.cli;

import org.barman4j.server.ArchiveWalStep;
import org.barman4j.server.ServerListener;

/** Bridges core's server operations to the command's output. */
final class ServerMessages {
  private ServerMessages() {}

  /** Sends each message to {@code output} at its level (an ERROR makes the command exit 1). */
  static ServerListener to(Output output) {
    return m -> {
      switch (m.level()) {
        case INFO -> output.info(m.text());
        case WARNING -> output.warning(m.text());
        case ERROR -> output.error(m.text());
      }
    };
  }

  /**
   * The archiver run while a command waits for WAL files. {@code archive-wal} is not part of this command yet,
   * so waiting relies on WAL files reaching {@code wals/} by other means (e.g. an {@code archive-wal} from cron).
   */
  static ArchiveWalStep archiver() {
    return ArchiveWalStep.NONE;
  }
}
