package org.barman4j.cli;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.config.BarmanConfig;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.server.ServerCatalogue;
import org.barman4j.server.ServerDirectories;

/**
 * What a {@code barman} command runs with: the configuration, the output writer, the environment and the
 * clock.
 *
 * @param config the effective configuration
 * @param output where messages and results go
 * @param environment the process environment
 * @param clock the clock (backup ids, elapsed times)
 */
record CommandContext(BarmanConfig config, Output output, Map<String, String> environment, Clock clock) {
  /** How a multi-server command treats inactive servers. */
  enum Inactive {
    /** Barman's "Skipping inactive server 'X'" (most commands). */
    SKIP,
    /** Processed like the others (show-servers, check, …). */
    INCLUDE
  }

  /**
   * The servers {@code names} designates ({@code all}, or names), in name order, as Barman's
   * {@code get_server_list}: unknown names are reported as errors and left out; inactive ones are skipped
   * with Barman's message unless {@code inactive} says otherwise.
   */
  List<ServerConfig> servers(List<String> names, Inactive inactive) {
    List<ServerConfig> selected = new ArrayList<>();
    if (names.contains("all")) {
      if (names.size() > 1) {
        output.error("You cannot use 'all' with other server names");
        return selected;
      }
      selected.addAll(config.servers());
    } else {
      for (String name : names.stream().distinct().sorted().toList()) {
        Optional<ServerConfig> server = config.server(name);
        if (server.isEmpty()) {
          output.error("Unknown server '" + name + "'");
        } else {
          selected.add(server.get());
        }
      }
    }
    if (inactive == Inactive.INCLUDE) {
      return selected;
    }
    List<ServerConfig> active = new ArrayList<>();
    for (ServerConfig s : selected) {
      if (s.active()) {
        active.add(s);
      } else {
        output.info("Skipping inactive server '" + s.name() + "'");
      }
    }
    return active;
  }

  /** The one server a single-server command names; empty (after an error line) if there is none. */
  Optional<ServerConfig> server(String name) {
    if (name.equals("all")) {
      output.error("You cannot use 'all' in a single server context");
      return Optional.empty();
    }
    Optional<ServerConfig> server = config.server(name);
    if (server.isEmpty()) {
      output.error("Unknown server '" + name + "'");
    }
    return server;
  }

  /** Declares the {@code SERVER_NAME} argument {@link #server(ArgParser.Parsed, Inactive)} reads. */
  static void declareServer(ArgParser parser) {
    parser.positional("SERVER_NAME", "specifies the server name for the command");
  }

  /** Declares the {@code SERVER_NAME} and {@code BACKUP_ID} arguments {@link #backup} reads. */
  static void declareBackup(ArgParser parser) {
    declareServer(parser);
    parser.positional("BACKUP_ID", "specifies the backup ID");
  }

  /**
   * The one server a single-server command names in its {@code SERVER_NAME} argument; empty (after Barman's
   * line) if there is none, or if it is inactive and {@code inactive} is {@link Inactive#SKIP}.
   */
  Optional<ServerConfig> server(ArgParser.Parsed args, Inactive inactive) {
    Optional<ServerConfig> server = server(args.positional("SERVER_NAME").orElseThrow());
    if (server.isPresent() && inactive == Inactive.SKIP && !server.get().active()) {
      output.info("Skipping inactive server '" + server.get().name() + "'");
      return Optional.empty();
    }
    return server;
  }

  /**
   * The server and the backup a single-backup command names in its {@code SERVER_NAME} and {@code BACKUP_ID}
   * arguments (an id, a name, or a shortcut such as {@code latest}), as {@link #server(ArgParser.Parsed,
   * Inactive)} finds the server.
   *
   * @throws IOException if the catalogue cannot be read; an unknown or ambiguous backup is refused as
   *     {@link ServerCatalogue#resolve(String)} refuses it
   */
  Optional<ServerBackup> backup(ArgParser.Parsed args, Inactive inactive) throws IOException {
    Optional<ServerConfig> server = server(args, inactive);
    if (server.isEmpty()) {
      return Optional.empty();
    }
    ServerCatalogue catalogue = catalogue(server.get());
    return Optional.of(new ServerBackup(server.get(), catalogue,
        catalogue.resolve(args.positional("BACKUP_ID").orElseThrow())));
  }

  /**
   * A server and one of its backups, as a single-backup command names them.
   *
   * @param server the server
   * @param catalogue its catalogue
   * @param backup the backup
   */
  record ServerBackup(ServerConfig server, ServerCatalogue catalogue, BackupInfo backup) {}

  ServerDirectories directories(ServerConfig server) {
    return new ServerDirectories(server.name(), server.backupDirectory(), config.lockDirectory());
  }

  ServerCatalogue catalogue(ServerConfig server) {
    return new ServerCatalogue(directories(server));
  }
}
