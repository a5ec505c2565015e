package org.barman4j.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.postgres.ConnectionSettings;
import org.barman4j.postgres.PostgresConnectionException;
import org.barman4j.postgres.PostgresStatus;
import org.barman4j.server.ServerStatus;

/** {@code barman status SERVER…|all}: Barman's status rows, {@code \tDescription: message}. */
final class StatusCommand implements ServerCommand {
  /** How long to wait for PostgreSQL when {@code conninfo} does not say ({@code connect_timeout}). */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String description() {
    return "Shows live information and status of the PostgreSQL server";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.positionals("SERVER_NAME",
        "specifies the server name for the command ('all' will show all available servers)");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Output output = context.output();
    for (ServerConfig server : context.servers(args.positionals("SERVER_NAME"), CommandContext.Inactive.SKIP)) {
      List<ServerStatus.Row> rows = ServerStatus.rows(server, context.catalogue(server).listing().backups(),
          () -> probe(server, context));
      if (output.isJson()) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (ServerStatus.Row row : rows) {
          json.put(row.key(), Map.of("description", row.description(), "message", row.message()));
        }
        output.result(server.name(), json);
      } else {
        output.info("Server " + server.name() + ":");
        for (ServerStatus.Row row : rows) {
          output.info("\t" + row.description() + ": " + row.message());
        }
      }
    }
  }

  private static PostgresStatus probe(ServerConfig server, CommandContext context) {
    ConnectionSettings settings;
    try {
      settings = ConnectionSettings.builder().dbname(server.conninfo()).applicationName("barman")
          .environment(context.environment()).build();
    } catch (IllegalArgumentException e) {
      throw new PostgresConnectionException("invalid conninfo for server '" + server.name() + "'", e);
    }
    return PostgresStatus.fetch(settings, CONNECT_TIMEOUT);
  }
}
