package org.barman4j.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.Json;
import org.barman4j.internal.cli.ArgParser;

/**
 * {@code barman show-servers SERVER…|all}: the effective configuration of each server, one {@code key: value}
 * line per option in name order; passwords in connection strings are masked on the console.
 */
final class ShowServersCommand implements ServerCommand {
  @Override
  public String name() {
    return "show-servers";
  }

  @Override
  public List<String> aliases() {
    return List.of("show-server");
  }

  @Override
  public String description() {
    return "Show the configuration of the given servers";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.positionals("SERVER_NAME", "specifies the server names to show ('all' will show all available servers)");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) {
    Output output = context.output();
    for (ServerConfig server : context.servers(args.positionals("SERVER_NAME"), CommandContext.Inactive.INCLUDE)) {
      Map<String, String> values = new TreeMap<>(server.values());
      values.put("name", server.name());
      values.put("barman_home", context.config().barmanHome().toString());
      values.put("barman_lock_directory", context.config().lockDirectory().toString());
      values.put("passive_node", ServerLabels.isPassive(server) ? "True" : "False");
      String suffix = server.active() ? "" : " (inactive)";
      if (output.isJson()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("description", suffix.isEmpty() ? Json.NULL : suffix.strip());
        values.replaceAll((k, v) -> k.endsWith("conninfo") ? ServerConfig.mask(v) : v); // Barman 3.4 does not mask JSON
        json.putAll(values);
        output.result(server.name(), json);
        continue;
      }
      output.info("Server " + server.name() + suffix + ":");
      for (Map.Entry<String, String> e : values.entrySet()) {
        String value = e.getKey().endsWith("conninfo") ? ServerConfig.mask(e.getValue()) : e.getValue();
        output.info("\t" + e.getKey() + ": " + value);
      }
    }
  }
}
