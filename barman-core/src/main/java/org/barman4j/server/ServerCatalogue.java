package org.barman4j.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.time.ZonedDateTime;
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
import org.barman4j.retention.RetentionPlan;
import org.barman4j.retention.RetentionPlanner;
import org.barman4j.retention.RetentionPolicy;
import org.barman4j.retention.RetentionStatus;
import org.barman4j.compress.Compression;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentSize;

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
   * {@return what {@code show-backup} says about {@code backup} on a server without an enforced retention policy}
   *
   * @param backup a backup of this catalogue
   * @throws IOException if the catalogue cannot be read
   */
  public BackupDetails details(BackupInfo backup) throws IOException {
    return details(backup, listing(), Optional.empty());
  }

  /**
   * {@return what {@code show-backup} says about {@code backup}, with its status under {@code policy}}
   *
   * @param backup a backup of this catalogue
   * @param policy the server's retention policy
   * @param minimumRedundancy the server's {@code minimum_redundancy}
   * @param now the current time in the local zone (a recovery window reads it)
   * @throws IOException if the catalogue cannot be read
   */
  public BackupDetails details(BackupInfo backup, RetentionPolicy policy, int minimumRedundancy, ZonedDateTime now)
      throws IOException {
    BackupCatalog.Listing listing = listing();
    RetentionPlan plan = retentionPlan(listing, policy, minimumRedundancy, now);
    RetentionStatus status = plan.statuses().getOrDefault(backup.backupId(), RetentionStatus.NONE);
    return details(backup, listing, Optional.of(status));
  }

  /**
   * {@return Barman's retention report of a listing: every backup but the EMPTY ones, under {@code policy}}
   *
   * @param listing the catalogue
   * @param policy the server's retention policy
   * @param minimumRedundancy the server's {@code minimum_redundancy}
   * @param now the current time in the local zone (a recovery window reads it)
   */
  public static RetentionPlan retentionPlan(BackupCatalog.Listing listing, RetentionPolicy policy,
      int minimumRedundancy, ZonedDateTime now) {
    List<BackupInfo> considered = listing.backups().stream().filter(b -> b.status() != BackupStatus.EMPTY).toList();
    return RetentionPlanner.plan(considered, listing.keepTargets(), policy, minimumRedundancy, now);
  }

  private BackupDetails details(BackupInfo backup, BackupCatalog.Listing listing, Optional<RetentionStatus> status)
      throws IOException {
    if (!backup.status().isCopyDone()) {
      return new BackupDetails(backup, false, walInfo(backup, Optional.empty(), List.of()), Optional.empty(),
          Optional.empty(), Optional.empty(), List.of());
    }
    Optional<BackupInfo> previous = neighbour(listing.backups(), backup, -1);
    Optional<BackupInfo> next = neighbour(listing.backups(), backup, 1);
    WalInfo wal = walInfo(backup, next, new XlogDb(directories).read());
    List<Integer> children = backup.timeline().isPresent()
        ? childrenTimelines(backup.timeline().getAsInt(), backup.endXlog().orElse(Lsn.ZERO)) : List.of();
    return new BackupDetails(backup, true, wal, previous.map(BackupInfo::backupId), next.map(BackupInfo::backupId),
        status, children);
  }

  /**
   * {@return the timelines forked from {@code timeline} at or after {@code forkedAfter}, from the
   * archived history files of the following timelines, as long as they exist: Barman's
   * {@code get_children_timelines}}
   *
   * @param timeline the parent timeline
   * @param forkedAfter the location before which a fork does not count ({@link Lsn#ZERO}: any)
   * @throws IOException if a history file cannot be read
   * @throws BarmanException if a history file holds no valid line
   */
  public List<Integer> childrenTimelines(int timeline, Lsn forkedAfter) throws IOException {
    List<Integer> children = new ArrayList<>();
    for (int child = timeline + 1; ; child++) {
      Path file = directories.walFile(WalFileName.history(child));
      if (!Files.isRegularFile(file)) {
        return children;
      }
      for (String[] entry : historyEntries(file)) {
        if (Integer.parseInt(entry[0]) != timeline) {
          continue;
        }
        if (Lsn.parse(entry[1]).compareTo(forkedAfter) < 0) {
          continue;
        }
        children.add(child);
      }
    }
  }

  /** The {@code parentTLI, switchpoint, reason} lines of a history file, compressed or not. */
  private static List<String[]> historyEntries(Path file) throws IOException {
    byte[] content = Files.readAllBytes(file);
    Optional<Compression> codec = Compression.fromMagic(content);
    if (codec.isPresent()) {
      try (InputStream in = codec.get().decompress(new ByteArrayInputStream(content))) {
        content = in.readAllBytes();
      }
    }
    List<String[]> entries = new ArrayList<>();
    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length != 3) {
        throw new BarmanException("Bad history file contents: " + file);
      }
      entries.add(fields);
    }
    if (entries.isEmpty()) {
      throw new BarmanException("Bad history file contents: " + file);
    }
    return entries;
  }

  /** What {@code list-files --target} selects. */
  public enum FilesTarget {
    /** The backup's files and the WAL segments from its begin to its end (the default). */
    STANDALONE,
    /** The backup's files only. */
    DATA,
    /** The archived WAL from the backup's begin up to the next backup, with the history files. */
    WAL,
    /** {@link #DATA} and {@link #WAL}. */
    FULL
  }

  /**
   * {@return the absolute paths {@code list-files} prints for {@code backup}, in Barman's order: the files under
   * {@code base/ID} directory by directory (names sorted within each), then the WAL files {@code target}
   * selects}
   *
   * @param backup a backup of this catalogue
   * @param target what to list
   * @throws IOException if the catalogue cannot be read
   */
  public List<Path> files(BackupInfo backup, FilesTarget target) throws IOException {
    List<Path> files = new ArrayList<>();
    if (target != FilesTarget.WAL) {
      walk(directories.backup(backup.backupId()), files);
    }
    if (target == FilesTarget.STANDALONE) {
      for (WalFileName wal : requiredSegments(backup)) {
        files.add(directories.walFile(wal));
      }
    }
    if (target == FilesTarget.WAL || target == FilesTarget.FULL) {
      Optional<BackupInfo> next = neighbour(listing().backups(), backup, 1);
      for (XlogDbEntry e : walUntilNextBackup(backup, next, new XlogDb(directories).read(), true)) {
        files.add(directories.walFile(WalFileName.parse(e.name())));
      }
    }
    return files;
  }

  /** Python's {@code os.walk} top-down: a directory's files (sorted), then its subdirectories in listing order. */
  private static void walk(Path directory, List<Path> files) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    List<Path> names = new ArrayList<>();
    List<Path> subdirectories = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
      for (Path child : children) {
        if (Files.isDirectory(child)) {
          // os.walk lists a link to a directory as a directory but does not descend into it
          if (!Files.isSymbolicLink(child)) {
            subdirectories.add(child);
          }
        } else {
          names.add(child);
        }
      }
    }
    names.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
    files.addAll(names);
    for (Path sub : subdirectories) {
      walk(sub, files);
    }
  }

  /**
   * {@return the segments from {@code begin_wal} to {@code end_wal}, computed (not looked up), as Barman's
   * {@code generate_segment_names}; empty when either is unknown}
   *
   * @param backup the backup
   */
  public static List<WalFileName> requiredSegments(BackupInfo backup) {
    Optional<WalFileName> begin = backup.beginWalFile();
    Optional<WalFileName> end = backup.endWalFile();
    List<WalFileName> result = new ArrayList<>();
    if (begin.isEmpty() || end.isEmpty()) {
      return result;
    }
    WalSegmentSize size = backup.walSegmentSize();
    long perLog = size.segmentsPerLog();
    // before 9.3 the last segment of each log file does not exist
    boolean skipLast = backup.version().isPresent() && backup.version().getAsInt() < 90300;
    long from = begin.get().log() * perLog + begin.get().segment();
    long to = end.get().log() * perLog + end.get().segment();
    for (long n = from; n <= to; n++) {
      if (skipLast && n % perLog == perLog - 1) {
        continue;
      }
      result.add(WalFileName.segment(begin.get().timeline(), n, size));
    }
    return result;
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
    return walUntilNextBackup(backup, next, xlog, false);
  }

  private static List<XlogDbEntry> walUntilNextBackup(BackupInfo backup, Optional<BackupInfo> next,
      List<XlogDbEntry> xlog, boolean withHistory) {
    List<XlogDbEntry> result = new ArrayList<>();
    Optional<String> begin = backup.beginWal();
    if (begin.isEmpty() || !WalFileName.isValid(begin.get())) {
      return result;
    }
    int timeline = WalFileName.parse(begin.get()).timeline();
    Optional<String> nextEnd = next.flatMap(BackupInfo::endWal);
    for (XlogDbEntry e : xlog) {
      String name = e.name();
      if (WalFileName.isValid(name) && WalFileName.parse(name).type() == WalFileName.Type.TIMELINE_HISTORY) {
        if (withHistory) {
          result.add(e);
        }
        continue;
      }
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
