package org.barman4j.cli;

import java.util.List;
import org.barman4j.config.ServerConfig;
import org.barman4j.server.ArchiveWalStep;
import org.barman4j.server.ServerListener;
import org.barman4j.server.ServerMessage;
import org.barman4j.server.WalArchiver;

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

  /** Prints the messages an operation returned, in order, as {@link #to(Output)} does. */
  static void print(Output output, List<ServerMessage> messages) {
    messages.forEach(to(output)::message);
  }

  /**
   * The archiver run while a command waits for WAL files: one quiet {@code archive-wal} of {@code server}, as
   * Barman's backup and {@code switch-wal --archive} run it (a run already going on elsewhere is left alone).
   */
  static ArchiveWalStep archiver(CommandContext context, ServerConfig server) {
    return () -> new WalArchiver(context.directories(server), WalArchiver.Settings.of(server), context.clock())
        .archive();
  }
}
