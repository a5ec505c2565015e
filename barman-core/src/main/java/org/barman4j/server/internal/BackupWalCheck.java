package org.barman4j.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.server.ServerDirectories;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentSize;

/**
 * Barman's {@code check_backup}: whether every WAL segment from a backup's {@code begin_wal} to its
 * {@code end_wal} is in {@code wals/}, deciding between WAITING_FOR_WALS, DONE and FAILED.
 */
public final class BackupWalCheck {

  private BackupWalCheck() {}

  /**
   * {@return the newest segment in {@code wals/} of each timeline (8 hex digits), as Barman's
   * {@code get_latest_archived_wals_info} finds it: hash directories in reverse name order, the first plain
   * segment name in each}
   *
   * @param wals the {@code wals/} directory
   * @throws IOException if a directory cannot be listed
   */
  public static Map<String, String> latestArchivedPerTimeline(Path wals) throws IOException {
    Map<String, String> latest = new HashMap<>();
    if (!Files.isDirectory(wals)) {
      return latest;
    }
    for (Path dir : sortedDescending(wals)) {
      String name = dir.getFileName().toString();
      if (!Files.isDirectory(dir) || name.length() < 8 || !name.substring(0, 8).matches("[0-9A-Fa-f]{8}")) {
        continue;
      }
      String timeline = name.substring(0, 8);
      if (latest.containsKey(timeline)) {
        continue;
      }
      for (Path file : sortedDescending(dir)) {
        String fileName = file.getFileName().toString();
        if (!Files.isDirectory(file) && WalFileName.isValid(fileName)
            && WalFileName.parse(fileName).type() == WalFileName.Type.SEGMENT) {
          latest.put(timeline, fileName);
          break;
        }
      }
    }
    return latest;
  }

  /**
   * Decides the status of a backup whose copy is done.
   *
   * @param info the backup, WAITING_FOR_WALS or DONE
   * @param directories the server's directories
   * @return the backup with its new status (and {@code error} when a WAL file is missing); {@code info} itself
   *     when it has no {@code end_wal} yet
   * @throws IOException if {@code wals/} cannot be listed
   */
  public static BackupInfo check(BackupInfo info, ServerDirectories directories) throws IOException {
    if (info.endWal().isEmpty() || info.beginWal().isEmpty()) {
      return info;
    }
    String begin = info.beginWal().get();
    String end = info.endWal().get();
    Map<String, String> latest = latestArchivedPerTimeline(directories.wals());
    String last = latest.get(begin.substring(0, 8));
    if (last == null || last.compareTo(begin) < 0) {
      return info.withStatus(BackupStatus.WAITING_FOR_WALS);
    }
    Optional<String> missing = firstMissing(info, directories, last);
    if (missing.isPresent()) {
      return info.toBuilder().status(BackupStatus.FAILED)
          .error("At least one WAL file is missing. The first missing WAL file is " + missing.get()).build();
    }
    return info.withStatus(end.compareTo(last) <= 0 ? BackupStatus.DONE : BackupStatus.WAITING_FOR_WALS);
  }

  private static Optional<String> firstMissing(BackupInfo info, ServerDirectories directories, String last) {
    WalSegmentSize size = info.walSegmentSize();
    WalFileName wal = WalFileName.parse(info.beginWal().get());
    String end = info.endWal().get();
    while (wal.name().compareTo(end) <= 0) {
      if (wal.name().compareTo(last) > 0) {
        break;
      }
      if (!Files.exists(directories.walFile(wal))) {
        return Optional.of(wal.name());
      }
      wal = wal.next(size);
    }
    return Optional.empty();
  }

  private static List<Path> sortedDescending(Path directory) throws IOException {
    try (Stream<Path> children = Files.list(directory)) {
      return children.sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
    }
  }
}
