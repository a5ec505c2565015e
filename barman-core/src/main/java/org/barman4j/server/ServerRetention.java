package org.barman4j.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.catalog.Tablespace;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.Human;
import org.barman4j.retention.RetentionPlan;
import org.barman4j.retention.RetentionPlanner;
import org.barman4j.retention.RetentionPolicy;
import org.barman4j.retention.WalCleanup;
import org.barman4j.server.internal.BackupFiles;
import org.barman4j.wal.WalFileName;

/**
 * Retention and deletion of one server's backups in Barman's on-disk catalogue, as Barman 3.4's
 * {@code cron} and {@code delete} do them. Which backups are obsolete is decided by the same
 * {@link RetentionPlanner}, and which WAL files go with a deleted backup by the same {@link WalCleanup}
 * rules, as the cloud tools use.
 *
 * <p>Deleting a backup removes its tablespaces and {@code data/}, then the WAL files no remaining backup
 * needs (only when no older backup whose copy is done remains, or all of them are kept
 * {@code standalone} and retention is deleting): every file catalogued in {@code xlog.db} before the next
 * backup's {@code begin_wal} (the deleted one's when none is newer), except {@code .history} files, files
 * on timelines of other backups, and the WAL of standalone-kept backups. {@code xlog.db} is rewritten
 * durably under its lock before those files are removed; then {@code base/ID} goes.
 */
public final class ServerRetention {

  private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
      Locale.ENGLISH);

  private final ServerDirectories directories;
  private final ServerConfig config;
  private final Clock clock;
  private final ServerBackups backups;
  private final XlogDb xlogDb;

  /**
   * Creates the retention of one server.
   *
   * @param directories the server's directories
   * @param config the server's configuration ({@code retention_policy}, {@code minimum_redundancy})
   * @param clock the clock of the recovery window and of the messages, in Barman's local time zone
   */
  public ServerRetention(ServerDirectories directories, ServerConfig config, Clock clock) {
    this.directories = Objects.requireNonNull(directories, "directories is null");
    this.config = Objects.requireNonNull(config, "config is null");
    this.clock = Objects.requireNonNull(clock, "clock is null");
    this.backups = new ServerBackups(directories);
    this.xlogDb = new XlogDb(directories);
  }

  /**
   * {@return the status of every backup under the server's retention policy, empty without a policy}
   *
   * @throws IOException if the catalogue cannot be read
   */
  public Optional<RetentionPlan> plan() throws IOException {
    Optional<RetentionPolicy> policy = config.retentionPolicy();
    if (policy.isEmpty()) {
      return Optional.empty();
    }
    List<BackupInfo> all = backups.list().stream().filter(b -> b.status() != BackupStatus.EMPTY).toList();
    return Optional.of(RetentionPlanner.plan(all, keepTargets(), policy.get(), config.minimumRedundancy(),
        ZonedDateTime.now(clock)));
  }

  /**
   * Enforces the retention policy as {@code cron} does: every OBSOLETE backup, oldest first, is announced
   * ({@code Enforcing retention policy: removing backup ID for server S}) and deleted, its WAL cleaned up
   * even when the older backups are all kept {@code standalone}. Nothing happens without a policy.
   *
   * @return the lines to print, in order
   * @throws IOException if the catalogue cannot be read
   */
  public List<ServerMessage> enforce() throws IOException {
    List<ServerMessage> lines = new ArrayList<>();
    Optional<RetentionPlan> plan = plan();
    if (plan.isEmpty()) {
      return lines;
    }
    for (BackupId id : plan.get().obsolete()) {
      lines.add(ServerMessage.info("Enforcing retention policy: removing backup " + id + " for server "
          + directories.serverName()));
      deleteUnlocked(backups.read(id), false, lines);
    }
    return lines;
  }

  /**
   * Deletes one backup as {@code barman delete SERVER ID} does. Refused, with Barman's lines, when the
   * backup is kept, when it is DONE and the server has no more DONE backups than {@code minimum_redundancy},
   * when it is the oldest backup, STARTED or EMPTY, and a backup is running, or when another process holds
   * its lock. A refusal ends with {@code ERROR: Cannot delete backup (S ID)}.
   *
   * @param id the backup
   * @return the lines to print, in order; the deletion failed if one is an ERROR
   * @throws IOException if the catalogue cannot be read
   */
  public List<ServerMessage> delete(BackupId id) throws IOException {
    Objects.requireNonNull(id, "id is null");
    List<ServerMessage> lines = new ArrayList<>();
    String server = directories.serverName();
    BackupInfo backup = backups.read(id);
    boolean deleted = false;
    if (runningBackupRefused(backup)) {
      lines.add(ServerMessage.error("Cannot delete a running backup (" + server + " " + id + ")"));
    } else {
      Optional<ServerLock> lock = ServerLock.tryAcquire(directories.backupIdLock(id));
      if (lock.isEmpty()) {
        lines.add(ServerMessage.error("Another process is holding the lock for backup " + id + " of server "
            + server + "."));
      } else {
        try (ServerLock held = lock.get()) {
          deleted = deleteUnlocked(backup, true, lines);
        }
        if (deleted) {
          Files.deleteIfExists(directories.backupIdLock(id));
        }
      }
    }
    if (!deleted) {
      lines.add(ServerMessage.error("Cannot delete backup (" + server + " " + id + ")"));
    }
    return lines;
  }

  private boolean runningBackupRefused(BackupInfo backup) throws IOException {
    Optional<ServerLock> backupLock = ServerLock.tryAcquire(directories.backupLock());
    if (backupLock.isPresent()) {
      backupLock.get().close();
      return false;
    }
    List<BackupInfo> all = backups.list();
    return !all.isEmpty() && all.get(0).backupId().equals(backup.backupId())
        && (backup.status() == BackupStatus.STARTED || backup.status() == BackupStatus.EMPTY);
  }

  /** Barman's {@code BackupManager.delete_backup}; true when the backup was deleted. */
  private boolean deleteUnlocked(BackupInfo backup, boolean skipIfOlderStandalone, List<ServerMessage> lines)
      throws IOException {
    String server = directories.serverName();
    BackupId id = backup.backupId();
    if (Files.exists(keepAnnotation(id))) {
      lines.add(ServerMessage.warning("Skipping delete of backup " + id + " for server " + server
          + " as it has a current keep request. If you really want to delete this backup please remove the keep "
          + "and try again."));
      return false;
    }
    List<BackupInfo> catalogue = backups.list();
    long done = catalogue.stream().filter(b -> b.status() == BackupStatus.DONE).count();
    int minimum = config.minimumRedundancy();
    if (backup.status() == BackupStatus.DONE && minimum >= done) {
      lines.add(ServerMessage.warning("Skipping delete of backup " + id + " for server " + server
          + " due to minimum redundancy requirements (minimum redundancy = " + minimum + ", current redundancy = "
          + done + ")"));
      return false;
    }
    ZonedDateTime start = ZonedDateTime.now(clock);
    lines.add(ServerMessage.info("Deleting backup " + id + " for server " + server));
    // Barman protects the timelines of backups that may still need WAL (any status but EMPTY and FAILED).
    List<BackupInfo> walCatalogue = catalogue.stream()
        .filter(b -> b.status().isArchiving() || b.backupId().equals(id)).toList();
    Optional<WalCleanup> cleanup = WalCleanup.plan(backup, walCatalogue, keepTargets(), skipIfOlderStandalone);
    Path backupDirectory = directories.backup(id);
    try {
      deleteData(backup, backupDirectory);
    } catch (IOException e) {
      lines.add(ServerMessage.error("Failure deleting backup " + id + " for server " + server + ".\n" + e));
      return false;
    }
    if (cleanup.isPresent()) {
      lines.add(ServerMessage.info("Delete associated WAL segments:"));
      pruneWal(cleanup.get(), lines);
    }
    try {
      BackupFiles.deleteTree(backupDirectory);
      DurableFiles.syncDirectory(directories.base());
      // Barman 3.13.2+ keeps the metadata in meta/: the backup would otherwise still be listed.
      if (Files.deleteIfExists(directories.meta().resolve(id.value() + "-backup.info"))) {
        DurableFiles.syncDirectory(directories.meta());
      }
    } catch (IOException e) {
      lines.add(ServerMessage.error("Failure deleting backup " + id + " for server " + server + ".\n" + e
          + "\nPlease manually remove the '" + backupDirectory + "' directory"));
      return false;
    }
    ZonedDateTime end = ZonedDateTime.now(clock);
    lines.add(ServerMessage.info("Deleted backup " + id + " (start time: " + CTIME.format(start) + ", elapsed time: "
        + Human.duration(Duration.between(start, end)) + ")"));
    Files.deleteIfExists(directories.syncBackupLock(id));
    return true;
  }

  /** Barman's {@code remove_wal_before_backup}: walks xlog.db, never the directory tree. */
  private void pruneWal(WalCleanup cleanup, List<ServerMessage> lines) throws IOException {
    String server = directories.serverName();
    xlogDb.prune(entry -> !WalFileName.isValid(entry.name()) || cleanup.deletes(WalFileName.parse(entry.name())),
        dropped -> {
          for (XlogDbEntry entry : dropped) {
            if (!WalFileName.isValid(entry.name())) {
              lines.add(ServerMessage.error("invalid WAL segment name '" + entry.name() + "'\nHINT: Please run "
                  + "\"barman rebuild-xlogdb " + server + "\" to solve this issue"));
              continue;
            }
            Path file = directories.walFile(WalFileName.parse(entry.name()));
            try {
              Files.delete(file);
              if (!file.getParent().equals(directories.wals())) {
                try {
                  Files.delete(file.getParent());
                } catch (DirectoryNotEmptyException stillUsed) {
                  // the hash directory holds newer files
                }
              }
            } catch (IOException e) {
              lines.add(ServerMessage.warning("Ignoring deletion of WAL file " + entry.name() + " for server " + server
                  + ": " + e));
            }
            lines.add(ServerMessage.info("\t" + entry.name()));
          }
          DurableFiles.syncDirectory(directories.wals());
        });
  }

  private void deleteData(BackupInfo backup, Path backupDirectory) throws IOException {
    for (Tablespace t : backup.tablespaces()) {
      BackupFiles.deleteTree(backupDirectory.resolve(Long.toString(t.oid())));
    }
    BackupFiles.deleteTree(backupDirectory.resolve("data"));
  }

  private Path keepAnnotation(BackupId id) {
    return directories.backup(id).resolve("annotations").resolve("keep");
  }

  private Map<BackupId, KeepTarget> keepTargets() throws IOException {
    Map<BackupId, KeepTarget> keeps = new HashMap<>();
    for (BackupInfo b : backups.list()) {
      Path annotation = keepAnnotation(b.backupId());
      if (Files.isRegularFile(annotation)) {
        String body = Files.readString(annotation, StandardCharsets.UTF_8);
        if (!body.isBlank()) {
          keeps.put(b.backupId(), KeepTarget.fromAnnotation(body));
        }
      }
    }
    return keeps;
  }
}
