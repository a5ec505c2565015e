package org.barman4j.cli;

import java.util.List;
import org.barman4j.server.ConsoleLine;

/** Prints the lines core's server operations return through Barman's output writer. */
final class Console {
  private Console() {}

  static void print(Output output, List<ConsoleLine> lines) {
    for (ConsoleLine line : lines) {
      switch (line.level()) {
        case INFO -> output.info(line.text());
        case WARNING -> output.warning(line.text());
        case ERROR -> output.error(line.text());
      }
    }
  }
}
