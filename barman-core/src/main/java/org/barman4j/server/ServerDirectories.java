package org.barman4j.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.barman4j.catalog.BackupId;
import org.barman4j.wal.WalFileName;

/**
 * Where Barman keeps one server's files: {@code backupDirectory} is {@code barman_home/SERVER} by
 * default and {@code lockDirectory} is {@code barman_lock_directory}, by default {@code barman_home}.
 *
 * @param serverName the server's section name in the configuration
 * @param backupDirectory the server's {@code backup_directory}
 * @param lockDirectory where the {@code .SERVER-…lock} files live
 */
public record ServerDirectories(String serverName, Path backupDirectory, Path lockDirectory) {

  /** The name of the WAL catalogue Barman 3.4 keeps in {@code wals/}. */
  public static final String XLOG_DB = "xlog.db";

  /**
   * Validates the components.
   *
   * @param serverName the server's section name, not {@code all}
   * @param backupDirectory the server's {@code backup_directory}
   * @param lockDirectory the {@code barman_lock_directory}
   */
  public ServerDirectories {
    Objects.requireNonNull(serverName, "serverName is null");
    Objects.requireNonNull(backupDirectory, "backupDirectory is null");
    Objects.requireNonNull(lockDirectory, "lockDirectory is null");
    if (serverName.isEmpty() || serverName.contains("/") || serverName.equals("all")) {
      throw new IllegalArgumentException("invalid server name '" + serverName + "'");
    }
  }

  /**
   * {@return Barman's default layout: {@code barmanHome/serverName}, locks in {@code barmanHome}}
   *
   * @param barmanHome the {@code barman_home} directory
   * @param serverName the server's name
   */
  public static ServerDirectories of(Path barmanHome, String serverName) {
    return new ServerDirectories(serverName, barmanHome.resolve(serverName), barmanHome);
  }

  /** {@return the {@code base/} directory holding one directory per backup} */
  public Path base() {
    return backupDirectory.resolve("base");
  }

  /** {@return the {@code wals/} directory holding the archived WAL files} */
  public Path wals() {
    return backupDirectory.resolve("wals");
  }

  /** {@return the {@code incoming/} directory filled by {@code archive_command}} */
  public Path incoming() {
    return backupDirectory.resolve("incoming");
  }

  /** {@return the {@code streaming/} directory filled by {@code pg_receivewal}} */
  public Path streaming() {
    return backupDirectory.resolve("streaming");
  }

  /** {@return the {@code errors/} directory for duplicate and unknown files} */
  public Path errors() {
    return backupDirectory.resolve("errors");
  }

  /** {@return the {@code meta/} directory where Barman 3.13.2+ keeps backup metadata} */
  public Path meta() {
    return backupDirectory.resolve("meta");
  }

  /** {@return {@code identity.json}, the system id and major version of the backed-up cluster} */
  public Path identityJson() {
    return backupDirectory.resolve("identity.json");
  }

  /**
   * {@return the directory of one backup, {@code base/ID}}
   *
   * @param id the backup
   */
  public Path backup(BackupId id) {
    return base().resolve(id.value());
  }

  /**
   * {@return {@code base/ID/backup.info}, where Barman 3.4 writes a backup's metadata}
   *
   * @param id the backup
   */
  public Path backupInfo(BackupId id) {
    return backup(id).resolve("backup.info");
  }

  /**
   * {@return the {@code backup.info} to read: {@code base/ID/backup.info} when present, else Barman
   * 3.13.2+'s {@code meta/ID-backup.info} when present, else the former}
   *
   * @param id the backup
   */
  public Path readableBackupInfo(BackupId id) {
    Path classic = backupInfo(id);
    Path relocated = meta().resolve(id.value() + "-backup.info");
    return !Files.exists(classic) && Files.exists(relocated) ? relocated : classic;
  }

  /**
   * {@return where an archived WAL file lives: {@code wals/TTTTTTTTXXXXXXXX/NAME} for segments,
   * {@code .backup} and {@code .partial} files, {@code wals/NAME} for {@code .history} files}
   *
   * @param wal the file's name
   */
  public Path walFile(WalFileName wal) {
    return wal.hasSegment() ? wals().resolve(wal.hashDir()).resolve(wal.name()) : wals().resolve(wal.name());
  }

  /** {@return {@code wals/xlog.db}, the WAL catalogue Barman 3.4 reads and writes} */
  public Path xlogDb() {
    return wals().resolve(XLOG_DB);
  }

  /**
   * {@return the WAL catalogue to read: {@code wals/xlog.db} when present, else Barman 3.13+'s
   * {@code wals/SERVER-xlog.db} when present, else {@code wals/xlog.db}}
   */
  public Path readableXlogDb() {
    Path classic = xlogDb();
    Path relocated = wals().resolve(serverName + "-" + XLOG_DB);
    return !Files.exists(classic) && Files.exists(relocated) ? relocated : classic;
  }

  /** {@return {@code .SERVER-xlogdb.lock}, held (blocking) for every {@code xlog.db} access} */
  public Path xlogDbLock() {
    return lock("xlogdb");
  }

  /** {@return {@code .SERVER-archive-wal.lock}, held while {@code incoming/} and {@code streaming/} are processed} */
  public Path archiveWalLock() {
    return lock("archive-wal");
  }

  /** {@return {@code .SERVER-backup.lock}, held while a backup runs} */
  public Path backupLock() {
    return lock("backup");
  }

  /** {@return {@code .SERVER-cron.lock}, held by {@code cron} for this server} */
  public Path cronLock() {
    return lock("cron");
  }

  /** {@return {@code .SERVER-receive-wal.lock}, held by the WAL streaming process} */
  public Path receiveWalLock() {
    return lock("receive-wal");
  }

  /** {@return {@code .SERVER-sync-wal.lock}, held by a passive node's WAL synchronisation} */
  public Path syncWalLock() {
    return lock("sync-wal");
  }

  /**
   * {@return {@code .SERVER-ID.lock}, held by {@code check-backup} and {@code delete} of that backup}
   *
   * @param id the backup
   */
  public Path backupIdLock(BackupId id) {
    return lock(id.value());
  }

  /**
   * {@return {@code .SERVER-ID-sync-backup.lock}, held by a passive node copying that backup}
   *
   * @param id the backup
   */
  public Path syncBackupLock(BackupId id) {
    return lock(id.value() + "-sync-backup");
  }

  /** {@return {@code .cron.lock} in the lock directory: Barman defines it but its {@code cron} never takes it} */
  public Path globalCronLock() {
    return lockDirectory.resolve(".cron.lock");
  }

  private Path lock(String what) {
    return lockDirectory.resolve("." + serverName + "-" + what + ".lock");
  }
}
