package org.barman4j.cli;

import org.barman4j.config.ServerConfig;

/** How Barman labels a server in listings. */
final class ServerLabels {
  private ServerLabels() {}

  /** The description with Barman's {@code (inactive)} and {@code (Passive)} suffixes. */
  static String description(ServerConfig server) {
    StringBuilder sb = new StringBuilder(server.description());
    if (!server.active()) {
      sb.append(" (inactive)");
    }
    if (isPassive(server)) {
      sb.append(" (Passive)");
    }
    return sb.toString();
  }

  static boolean isPassive(ServerConfig server) {
    return !server.primarySshCommand().isEmpty();
  }
}
