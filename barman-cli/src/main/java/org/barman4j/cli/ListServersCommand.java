package org.barman4j.cli;

import java.util.Map;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;

/** {@code barman list-servers [--minimal]}: every server, inactive ones too. */
final class ListServersCommand implements ServerCommand {
  @Override
  public String name() {
    return "list-servers";
  }

  @Override
  public java.util.List<String> aliases() {
    return java.util.List.of("list-server");
  }

  @Override
  public String description() {
    return "List available servers, with useful information";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.flag("machine readable output", "--minimal");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) {
    Output output = context.output();
    boolean minimal = args.has("--minimal");
    for (ServerConfig server : context.config().servers()) {
      String description = ServerLabels.description(server);
      if (output.isJson()) {
        output.result(server.name(), Map.of("description", description));
      } else if (minimal || description.isEmpty()) {
        output.info(server.name());
      } else {
        output.info(server.name() + " - " + description);
      }
    }
  }
}
