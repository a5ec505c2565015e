package org.barman4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.barman4j.Barman;
import org.barman4j.recovery.BackupChoice;
import org.barman4j.recovery.RecoveryConfig;
import org.barman4j.recovery.RecoveryTarget;
import org.barman4j.recovery.RestoreOptions;
import org.barman4j.recovery.RestoreResult;
import org.barman4j.recovery.TargetAction;

/**
 * Recipe: restore a server to a point in time and start it. Usage:
 * {@code PointInTimeRestore URL SERVER TARGET_TIME DATA_DIR PG_CTL}, e.g.
 * {@code PointInTimeRestore file:///srv/backups main 2026-12-03T10:15:00Z /srv/pg/restored
 * /usr/lib/postgresql/15/bin/pg_ctl}, run as the OS user PostgreSQL runs as.
 *
 * <p>The restored server fetches the WAL it replays with the application's own {@code restore_command}
 * ({@link ArchiveAndRestoreWal}, which calls {@code barman.wal().restore(…)}): no {@code barman-cloud-*}
 * tools are needed. An installed distribution's {@code barman-cloud-wal-restore} would do as well
 * ({@code barman.walRestoreCommand(home)}).
 */
public final class PointInTimeRestore {
  private PointInTimeRestore() {}

  /**
   * Restores the newest backup that ends before {@code target} into {@code dataDir} and writes the recovery
   * configuration: replay archived WAL up to {@code target} with {@code restoreCommand}, then promote.
   *
   * @param barman the server's backups and WAL
   * @param restoreCommand the {@code restore_command} the restored server runs
   * @param target the moment to recover to: transactions committed after it are not replayed
   * @param dataDir the new data directory, absent or empty
   * @return what was restored
   */
  public static RestoreResult restore(Barman barman, String restoreCommand, OffsetDateTime target, Path dataDir) {
    RecoveryTarget time = new RecoveryTarget.Time(target);
    return barman.restore(BackupChoice.newestReaching(time), RestoreOptions.into(dataDir)
        .withRecovery(RecoveryConfig.of(restoreCommand).withTarget(time).withAction(TargetAction.PROMOTE)));
  }

  /**
   * Starts PostgreSQL on {@code dataDir} and waits until it accepts connections; recovery goes on in the
   * server, which promotes itself at the target.
   *
   * @param pgCtl the {@code pg_ctl} program
   * @param dataDir the restored data directory
   * @throws IOException if {@code pg_ctl} cannot be run
   * @throws InterruptedException if interrupted while waiting for it
   */
  public static void start(Path pgCtl, Path dataDir) throws IOException, InterruptedException {
    Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    Process pgCtlStart = new ProcessBuilder(pgCtl.toString(), "-D", dataDir.toString(), "-l", log.toString(),
        "-w", "start").inheritIO().start();
    if (pgCtlStart.waitFor() != 0) {
      throw new IllegalStateException("pg_ctl start failed (exit " + pgCtlStart.exitValue() + "), see " + log);
    }
  }

  /**
   * Restores {@code SERVER} from {@code URL} to {@code TARGET_TIME} into {@code DATA_DIR} and starts it.
   *
   * @param args {@code URL SERVER TARGET_TIME DATA_DIR PG_CTL}
   * @throws Exception if the restore or the start fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: PointInTimeRestore URL SERVER TARGET_TIME DATA_DIR PG_CTL");
      System.exit(2);
    }
    Path dataDir = Path.of(args[3]).toAbsolutePath();
    try (Barman barman = Barman.builder().url(args[0]).serverName(args[1]).build()) {
      Path classPath =
          ArchiveAndRestoreWal.writeClassPathFile(dataDir.resolveSibling(dataDir.getFileName() + ".java-args"));
      RestoreResult result = restore(barman, ArchiveAndRestoreWal.restoreCommand(classPath, args[0], args[1]),
          OffsetDateTime.parse(args[2]), dataDir);
      System.out.println("restored backup " + result.backupId() + " into " + dataDir);
    }
    start(Path.of(args[4]), dataDir);
    System.out.println("PostgreSQL started on " + dataDir + ": it replays WAL up to " + args[2] + ", then promotes");
  }
}
