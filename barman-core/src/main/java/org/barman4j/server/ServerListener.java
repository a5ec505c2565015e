package org.barman4j.server;

/** Receives the messages a server operation prints as it goes, in order, on the calling thread. */
@FunctionalInterface
public interface ServerListener {

  /** Drops every message. */
  ServerListener SILENT = m -> { };

  /**
   * Called for each message.
   *
   * @param message the message
   */
  void message(ServerMessage message);
}
