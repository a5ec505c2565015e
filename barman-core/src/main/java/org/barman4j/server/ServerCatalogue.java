package org.barman4j.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.barman4j.BarmanException;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupNotFoundException;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.wal.WalFileName;

/**
 * One server's catalogue in {@code barman_home}: its backups with their keep annotations
 * ({@code base/ID/annotations/keep}) and its archived WAL ({@code xlog.db}), with the views Barman's
 * {@code list-backups}, {@code show-backup} and {@code list-files} compute from them.
 */
public final class ServerCatalogue {
  private final ServerDirectories directories;

  /**
   * Creates the catalogue of one server.
   *
   * @param directories the server's directories
   */
  public ServerCatalogue(ServerDirectories directories) {
    this.directories = Objects.requireNonNull(directories, "directories is null");
  }

  /** {@return the server's directories} */
  public ServerDirectories directories() {
    return directories;
  }

  /**
   * {@return every backup, oldest first, with its keep annotation}
   *
   * @throws IOException if the catalogue cannot be read
   */
  public BackupCatalog.Listing listing() throws IOException {
    List<BackupInfo> backups = new ServerBackups(directories).list();
    Map<BackupId, KeepTarget> keeps = new TreeMap<>();
    for (BackupInfo b : backups) {
      keepTarget(b.backupId()).ifPresent(k -> keeps.put(b.backupId(), k));
    }
    return new BackupCatalog.Listing(backups, List.of(), keeps);
  }

  /**
   * {@return the backup {@code reference} names: an id, a name, or one of Barman's shortcuts}
   *
   * @param reference {@code latest}/{@code last}, {@code oldest}/{@code first}, {@code last-failed}, an id or a
   *     backup name
   * @throws BackupNotFoundException as {@code Unknown backup 'X' for server 'S'} when nothing matches
   * @throws BarmanException when a name matches several backups
   * @throws IOException if the catalogue cannot be read
   */
  public BackupInfo resolve(String reference) throws IOException {
    BackupCatalog.Listing listing = listing();
    String server = directories.serverName();
    BackupId id;
    try {
      id = listing.resolve(reference, server);
    } catch (BackupNotFoundException e) {
      throw unknown(reference);
    }
    return listing.find(id).orElseThrow(() -> unknown(reference));
  }

  private BackupNotFoundException unknown(String reference) {
    return BackupNotFoundException.forName(
        "Unknown backup '" + reference + "' for server '" + directories.serverName() + "'", reference);
  }

  private Path keepFile(BackupId id) {
    return directories.backup(id).resolve("annotations").resolve("keep");
  }

  /**
   * {@return the keep annotation of a backup, if any}
   *
   * @param id the backup
   * @throws IOException if the annotation cannot be read
   */
  public Optional<KeepTarget> keepTarget(BackupId id) throws IOException {
    Path file = keepFile(id);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(KeepTarget.fromAnnotation(Files.readString(file, StandardCharsets.UTF_8)));
  }

  /**
   * Adds or replaces the keep annotation of a backup, durably.
   *
   * @param backup the backup, which must be DONE
   * @param target what to keep
   * @throws BarmanException with Barman's message when the backup is not DONE
   * @throws IOException if the annotation cannot be written
   */
  public void keep(BackupInfo backup, KeepTarget target) throws IOException {
    if (backup.status() != BackupStatus.DONE) {
      throw new BarmanException("Cannot add keep to backup " + backup.backupId() + " because it has status "
          + backup.status() + ". Only backups with status DONE can be kept.");
    }
    Path file = keepFile(backup.backupId());
    Files.createDirectories(file.getParent());
    DurableFiles.write(file, target.id().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Removes the keep annotation of a backup, if any.
   *
   * @param id the backup
   * @throws IOException if the annotation cannot be removed
   */
  public void releaseKeep(BackupId id) throws IOException {
    Path file = keepFile(id);
    if (Files.deleteIfExists(file)) {
      DurableFiles.syncDirectory(file.getParent());
    }
  }

  /**
   * Barman's WAL statistics of one backup ({@code get_wal_info}): the segments from its {@code begin_wal}
   * to its {@code end_wal} and those after it up to the next backup's {@code end_wal}.
   *
   * @param walNumber segments from {@code begin_wal} to {@code end_wal}
   * @param walSize their archived size in bytes
   * @param untilNextNumber segments after {@code end_wal}, up to the next backup's {@code end_wal}
   * @param untilNextSize their archived size in bytes
   * @param first the first of them, if {@code begin_wal} is archived
   * @param last the last of them, if any
   * @param walsPerSecond the archiving rate between the first and the last
   * @param walCompressionRatio 1 - the archived size of the first group over its raw size
   * @param untilNextCompressionRatio the same for the second group
   */
  public record WalInfo(int walNumber, long walSize, int untilNextNumber, long untilNextSize,
      Optional<XlogDbEntry> first, Optional<XlogDbEntry> last, double walsPerSecond, double walCompressionRatio,
      double untilNextCompressionRatio) {}

  /**
   * {@return Barman's WAL statistics of {@code backup}}
   *
   * @param backup the backup
   * @param next the next backup whose copy is done, if any
   * @param xlog the entries of {@code xlog.db}, in file order
   */
  public static WalInfo walInfo(BackupInfo backup, Optional<BackupInfo> next, List<XlogDbEntry> xlog) {
    List<XlogDbEntry> entries = walUntilNextBackup(backup, next, xlog);
    String begin = backup.beginWal().orElse("");
    String end = backup.endWal().orElse("");
    int num = 0;
    long size = 0;
    int nextNum = 0;
    long nextSize = 0;
    Optional<XlogDbEntry> first = Optional.empty();
    Optional<XlogDbEntry> last = Optional.empty();
    for (XlogDbEntry e : entries) {
      if (e.name().equals(begin)) {
        first = Optional.of(e);
      }
      if (e.name().compareTo(end) <= 0) {
        num++;
        size += e.size();
      } else {
        nextNum++;
        nextSize += e.size();
      }
      last = Optional.of(e);
    }
    double rate = 0;
    double ratio = 0;
    double nextRatio = 0;
    if (first.isPresent() && last.isPresent()) {
      double seconds = last.get().time() - first.get().time();
      if (seconds > 0) {
        rate = (num + nextNum) / seconds;
      }
      double segment = backup.xlogSegmentSize();
      ratio = num == 0 ? 0 : 1 - size / (num * segment);
      nextRatio = nextNum == 0 ? 0 : 1 - nextSize / (nextNum * segment);
    }
    return new WalInfo(num, size, nextNum, nextSize, first, last, rate, ratio, nextRatio);
  }

  /**
   * {@return the WAL segments of {@code xlog.db} from a backup's {@code begin_wal} up to the next backup's
   * {@code end_wal}, on its timeline or older ones, in file order: Barman's {@code get_wal_until_next_backup}}
   *
   * @param backup the backup
   * @param next the next backup whose copy is done, if any
   * @param xlog the entries of {@code xlog.db}, in file order
   */
  public static List<XlogDbEntry> walUntilNextBackup(BackupInfo backup, Optional<BackupInfo> next,
      List<XlogDbEntry> xlog) {
    List<XlogDbEntry> result = new ArrayList<>();
    Optional<String> begin = backup.beginWal();
    if (begin.isEmpty() || !WalFileName.isValid(begin.get())) {
      return result;
    }
    int timeline = WalFileName.parse(begin.get()).timeline();
    Optional<String> nextEnd = next.flatMap(BackupInfo::endWal);
    for (XlogDbEntry e : xlog) {
      String name = e.name();
      if (!isSegment(name) || name.compareTo(begin.get()) < 0 || WalFileName.parse(name).timeline() > timeline) {
        continue;
      }
      if (nextEnd.isPresent() && name.compareTo(nextEnd.get()) > 0) {
        break;
      }
      result.add(e);
    }
    return result;
  }

  private static boolean isSegment(String name) {
    return WalFileName.isValid(name) && WalFileName.parse(name).type() == WalFileName.Type.SEGMENT;
  }

  /**
   * {@return the next (or previous) backup whose copy is done, in id order}
   *
   * @param backups every backup, oldest first
   * @param backup the reference backup
   * @param direction {@code +1} for the next one, {@code -1} for the previous one
   */
  public static Optional<BackupInfo> neighbour(List<BackupInfo> backups, BackupInfo backup, int direction) {
    Optional<BackupInfo> found = Optional.empty();
    for (BackupInfo b : backups) {
      if (!b.status().isCopyDone() || b.backupId().equals(backup.backupId())) {
        continue;
      }
      int cmp = b.backupId().compareTo(backup.backupId());
      if (direction > 0 && cmp > 0 && found.isEmpty()) {
        found = Optional.of(b);
      } else if (direction < 0 && cmp < 0) {
        found = Optional.of(b);
      }
    }
    return found;
  }
}
