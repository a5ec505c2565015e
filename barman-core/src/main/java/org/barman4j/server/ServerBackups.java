package org.barman4j.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;

/**
 * The backups of one server, read from {@code base/ID/backup.info} (and Barman 3.13.2+'s
 * {@code meta/ID-backup.info}), and written back in Barman 3.4's place.
 */
public final class ServerBackups {

  private final ServerDirectories directories;

  /**
   * Creates the listing of one server.
   *
   * @param directories the server's directories
   */
  public ServerBackups(ServerDirectories directories) {
    this.directories = Objects.requireNonNull(directories, "directories is null");
  }

  /**
   * Lists the backups, oldest first. Entries of {@code base/} whose name is not a backup id or that hold
   * no {@code backup.info} are ignored, as Barman ignores them.
   *
   * @return the backups
   * @throws IOException if a directory or file cannot be read
   * @throws IllegalArgumentException naming the file of a {@code backup.info} that cannot be parsed
   */
  public List<BackupInfo> list() throws IOException {
    TreeSet<BackupId> ids = new TreeSet<>();
    for (Path child : children(directories.base())) {
      String name = child.getFileName().toString();
      if (BackupId.isValid(name) && Files.isRegularFile(child.resolve("backup.info"))) {
        ids.add(BackupId.parse(name));
      }
    }
    for (Path child : children(directories.meta())) {
      String name = child.getFileName().toString();
      if (name.endsWith("-backup.info")) {
        String id = name.substring(0, name.length() - "-backup.info".length());
        if (BackupId.isValid(id)) {
          ids.add(BackupId.parse(id));
        }
      }
    }
    List<BackupInfo> backups = new ArrayList<>(ids.size());
    for (BackupId id : ids) {
      backups.add(read(id));
    }
    return List.copyOf(backups);
  }

  /**
   * Reads one backup's {@code backup.info}.
   *
   * @param id the backup
   * @return its metadata
   * @throws IOException if the file cannot be read (e.g. the backup does not exist)
   * @throws IllegalArgumentException naming the file if it cannot be parsed
   */
  public BackupInfo read(BackupId id) throws IOException {
    Path file = directories.readableBackupInfo(id);
    byte[] content = Files.readAllBytes(file);
    try {
      return BackupInfoFormat.read(id, content);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a backup's {@code base/ID/backup.info} durably, in the format Barman 3.4 reads.
   *
   * @param info the backup's metadata
   * @throws IOException if the file cannot be written
   */
  public void write(BackupInfo info) throws IOException {
    Path file = directories.backupInfo(info.backupId());
    Files.createDirectories(file.getParent());
    DurableFiles.write(file, BackupInfoFormat.toBytes(info));
  }

  private static List<Path> children(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(directory)) {
      return children.toList();
    }
  }
}
