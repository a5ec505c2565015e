package org.barman4j.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoJson;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.postgres.PostgresSession.Checkpoint;
import org.barman4j.server.BackupRefusedException;
import org.barman4j.server.BackupRequest;
import org.barman4j.server.PostgresBackupExecutor;

/** {@code barman backup SERVER…|all}: a base backup of each server with {@code backup_method = postgres}. */
final class BackupCommand implements ServerCommand {
  @Override
  public String name() {
    return "backup";
  }

  @Override
  public String description() {
    return "Perform a full backup for the given server (supports 'all')";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.flag("forces the initial checkpoint to be done as quickly as possible", "--immediate-checkpoint");
    parser.flag("forces the initial checkpoint to be spread", "--no-immediate-checkpoint");
    parser.exclusive("--immediate-checkpoint", "--no-immediate-checkpoint");
    parser.value("RETRY_TIMES", "Number of retries after an error if base backup copy fails.", "--retry-times");
    parser.value("RETRY_SLEEP", "Wait time after a failed base backup copy, before retrying.", "--retry-sleep");
    parser.flag("Disable base backup copy retry logic.", "--no-retry");
    parser.flag("wait for all the required WAL files to be archived", "-w", "--wait");
    parser.value("WAIT_TIMEOUT", "the time, in seconds, spent waiting for the required WAL files to be archived "
        + "before timing out", "--wait-timeout");
    parser.value("NAME", "a name which can be used to reference this backup in barman commands such as recover "
        + "and delete", "--name");
    parser.positionals("SERVER_NAME", "specifies the server name for the command ('all' will show all available "
        + "servers)");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Output output = context.output();
    String name = args.value("--name").orElse("");
    try {
      BackupRequest.checkName(name);
    } catch (IllegalArgumentException e) {
      output.error(e.getMessage());
      return;
    }
    int retryTimes = args.integer("--retry-times", 0).orElse(-1);
    int retrySleep = args.integer("--retry-sleep", 0).orElse(-1);
    int waitTimeout = args.integer("--wait-timeout", 0).orElse(0);
    for (ServerConfig server : context.servers(args.positionals("SERVER_NAME"), CommandContext.Inactive.SKIP)) {
      if (!server.primarySshCommand().isEmpty()) {
        output.info("Skipping passive server '" + server.name() + "'");
        continue;
      }
      BackupRequest request = BackupRequest.of(server).withName(name);
      if (args.has("--immediate-checkpoint")) {
        request = request.withCheckpoint(Checkpoint.IMMEDIATE);
      } else if (args.has("--no-immediate-checkpoint")) {
        request = request.withCheckpoint(Checkpoint.SPREAD);
      }
      if (args.has("--no-retry")) {
        request = request.withRetries(0, request.retrySleep());
      } else {
        request = request.withRetries(retryTimes >= 0 ? retryTimes : request.retryTimes(),
            retrySleep >= 0 ? Duration.ofSeconds(retrySleep) : request.retrySleep());
      }
      if (args.has("--wait")) {
        request = request.withWait(Duration.ofSeconds(waitTimeout));
      }
      try {
        BackupInfo info = PostgresBackupExecutor.builder(server, context.directories(server))
            .clock(context.clock())
            .archiveWal(ServerMessages.archiver(context, server))
            .listener(ServerMessages.to(output))
            .build()
            .backup(request);
        if (output.isJson()) {
          // Barman's JSON writer merges the new backup.info (BackupInfo.to_dict) into the result object.
          Map<String, Object> fields = new LinkedHashMap<>(BackupInfoJson.toJson(info));
          fields.remove("begin_time_iso");
          fields.remove("end_time_iso");
          fields.forEach(output::result);
        }
      } catch (BackupRefusedException e) {
        output.error(e.getMessage());
      }
    }
  }
}
