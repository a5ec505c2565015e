package org.barman4j.cli;

import java.time.Duration;
import java.util.List;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.server.SwitchWal;

/** {@code barman switch-wal SERVER…|all [--force] [--archive] [--archive-timeout S]}. */
final class SwitchWalCommand implements ServerCommand {
  @Override
  public String name() {
    return "switch-wal";
  }

  @Override
  public List<String> aliases() {
    return List.of("switch-xlog");
  }

  @Override
  public String description() {
    return "Execute the switch-wal command on the target server";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.flag("forces the switch by executing CHECKPOINT before pg_switch_wal()", "--force");
    parser.flag("wait for one WAL file to be archived", "--archive");
    parser.value("TIMEOUT", "the time, in seconds, the archiver will wait for a new WAL file to be archived "
        + "before timing out", "--archive-timeout");
    parser.positionals("SERVER_NAME", "specifies the server name target of the switch-wal command");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Output output = context.output();
    SwitchWal.Request request = new SwitchWal.Request(
        args.has("--force") ? SwitchWal.Force.CHECKPOINT_FIRST : SwitchWal.Force.NO_CHECKPOINT,
        args.has("--archive") ? SwitchWal.Archive.WAIT : SwitchWal.Archive.NO_WAIT,
        Duration.ofSeconds(args.integer("--archive-timeout", 1).orElse(30)));
    for (ServerConfig server : context.servers(args.positionals("SERVER_NAME"), CommandContext.Inactive.SKIP)) {
      new SwitchWal(server, context.directories(server), ServerMessages.archiver(context, server), ServerMessages.to(output))
          .run(request);
    }
  }
}
