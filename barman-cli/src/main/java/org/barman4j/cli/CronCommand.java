package org.barman4j.cli;

import java.util.Optional;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.cli.ArgParser;
import org.barman4j.server.ServerDirectories;
import org.barman4j.server.ServerLock;
import org.barman4j.server.BackupCheck;
import org.barman4j.server.ServerRetention;
import org.barman4j.server.WalArchiveReport;
import org.barman4j.server.WalArchiver;

/**
 * {@code barman cron}: for every active server, in name order and each on its own (one server's failure
 * does not stop the others), under the server's cron lock: archive the waiting WAL files, then enforce the
 * retention policy. Barman spawns {@code archive-wal} in the background; here it runs in-process before
 * retention, and its failures are reported. The whole run holds the global {@code .cron.lock}, so two crons
 * never overlap.
 */
final class CronCommand implements ServerCommand {
  @Override
  public String name() {
    return "cron";
  }

  @Override
  public String description() {
    return "Run maintenance tasks (global command)";
  }

  @Override
  public void declare(ArgParser parser) {
    parser.flag("Keep the stdout and the stderr streams of the Barman subprocesses attached to this one. "
        + "This is useful for Docker based installations.", "--keep-descriptors");
  }

  @Override
  public void run(ArgParser.Parsed args, CommandContext context) throws Exception {
    Output output = context.output();
    java.nio.file.Path globalLock = context.config().lockDirectory().resolve(".cron.lock");
    Optional<ServerLock> global = ServerLock.tryAcquire(globalLock);
    if (global.isEmpty()) {
      output.info("Another cron process is already running. Skipping");
      return;
    }
    try (ServerLock held = global.get()) {
      for (ServerConfig server : context.config().activeServers()) {
        try {
          cron(server, context);
        } catch (Exception e) {
          output.error("Unable to run cron on server '" + server.name() + "': " + e.getMessage());
        }
      }
    }
  }

  private static void cron(ServerConfig server, CommandContext context) throws Exception {
    Output output = context.output();
    ServerDirectories directories = context.directories(server);
    Optional<ServerLock> lock = ServerLock.tryAcquire(directories.cronLock());
    if (lock.isEmpty()) {
      output.info("Another cron process is already running on server " + server.name()
          + ". Skipping to the next server");
      return;
    }
    try (ServerLock held = lock.get()) {
      if (!server.primarySshCommand().isEmpty()) {
        return; // passive nodes synchronise from their primary (not supported yet)
      }
      WalArchiveReport report = new WalArchiver(directories, WalArchiver.Settings.of(server), context.clock())
          .archive();
      if (report.alreadyRunning()) {
        ServerMessages.print(output, report.consoleLines(false));
      } else {
        output.info("Starting WAL archiving for server " + server.name());
        // Barman's background archive-wal prints nothing (it runs with -q); its failures are shown here.
        ServerMessages.print(output, report.consoleLines(false).stream()
            .filter(l -> l.level() != org.barman4j.server.ServerMessage.Level.INFO).toList());
      }
      // Barman's cron then starts check-backup for the oldest backup waiting for its WAL (here in-process).
      new BackupCheck(directories).checkOldestWaiting();
      ServerMessages.print(output, new ServerRetention(directories, server, context.clock()).enforce());
    }
  }
}
