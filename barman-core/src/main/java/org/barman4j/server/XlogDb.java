package org.barman4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.barman4j.compress.Compression;
import org.barman4j.wal.WalFileName;

/**
 * A server's WAL catalogue, Barman's {@code xlog.db}: one {@link XlogDbEntry} line per archived file,
 * in archive order. Every access holds {@link ServerDirectories#xlogDbLock()}, waiting for it.
 *
 * <p>The lock is a POSIX record lock ({@link FileChannel#lock()}); it excludes other Barman4J processes.
 * Barman itself takes {@code flock(2)} on the same file, which Linux keeps independent of record locks,
 * so Barman4J and Barman must not write one catalogue at the same moment.
 */
public final class XlogDb {

  private final ServerDirectories directories;

  /**
   * Creates the catalogue of one server.
   *
   * @param directories the server's directories
   */
  public XlogDb(ServerDirectories directories) {
    this.directories = Objects.requireNonNull(directories, "directories is null");
  }

  /**
   * Reads every entry, in file order. A missing catalogue reads as empty (Barman creates it empty); Barman
   * 3.13+'s {@code SERVER-xlog.db} is read when {@code xlog.db} is absent.
   *
   * @return the entries
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the line number of a line that cannot be parsed
   */
  public List<XlogDbEntry> read() throws IOException {
    try (FileChannel lock = lock()) {
      return readUnlocked();
    }
  }

  private List<XlogDbEntry> readUnlocked() throws IOException {
    Path file = directories.readableXlogDb();
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<XlogDbEntry> entries = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        entries.add(XlogDbEntry.parse(lines.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(entries);
  }

  /**
   * Appends entries to {@code wals/xlog.db} and fsyncs it before returning.
   *
   * @param entries the entries, in archive order
   * @throws IOException if the file cannot be written
   */
  public void append(List<XlogDbEntry> entries) throws IOException {
    StringBuilder text = new StringBuilder();
    entries.forEach(e -> text.append(e.toLine()));
    Files.createDirectories(directories.wals());
    try (FileChannel lock = lock();
        FileChannel channel = FileChannel.open(directories.xlogDb(), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** What {@link #prune} does with the entries it drops, while the catalogue's lock is still held. */
  @FunctionalInterface
  public interface DroppedEntries {
    /**
     * Acts on the dropped entries (e.g. deletes their files).
     *
     * @param dropped the entries no longer in the catalogue, in file order
     * @throws IOException if acting on them fails
     */
    void accept(List<XlogDbEntry> dropped) throws IOException;
  }

  /**
   * Drops the entries {@code drop} selects, holding the catalogue's lock: the remaining entries replace
   * {@code wals/xlog.db} durably (temporary file, fsync, rename, directory fsync), then {@code after}
   * receives the dropped ones, still under the lock. Writing the catalogue first means a crash leaves
   * files that are no longer listed (harmless; {@link #rebuild} lists them again), never a listed file
   * that is gone.
   *
   * @param drop selects the entries to drop
   * @param after acts on the dropped entries
   * @return the dropped entries, in file order
   * @throws IOException if the catalogue cannot be read or written, or {@code after} fails
   */
  public List<XlogDbEntry> prune(java.util.function.Predicate<XlogDbEntry> drop, DroppedEntries after)
      throws IOException {
    Objects.requireNonNull(drop, "drop is null");
    Objects.requireNonNull(after, "after is null");
    Files.createDirectories(directories.wals());
    try (FileChannel lock = lock()) {
      List<XlogDbEntry> kept = new ArrayList<>();
      List<XlogDbEntry> dropped = new ArrayList<>();
      for (XlogDbEntry e : readUnlocked()) {
        (drop.test(e) ? dropped : kept).add(e);
      }
      if (!dropped.isEmpty()) {
        StringBuilder text = new StringBuilder();
        kept.forEach(e -> text.append(e.toLine()));
        DurableFiles.write(directories.xlogDb(), text.toString().getBytes(StandardCharsets.UTF_8));
      }
      after.accept(List.copyOf(dropped));
      return List.copyOf(dropped);
    }
  }

  /**
   * Rebuilds {@code wals/xlog.db} from the files in {@code wals/}, as Barman's {@code rebuild-xlogdb}
   * does: hash directories and their segments and {@code .backup} files, then {@code .history} files at
   * the top, all in name order; anything else (temporary, {@code .partial} and unknown files) is skipped.
   * Compression is detected from each file's first bytes. The new catalogue replaces the old one durably.
   *
   * @return the entries written
   * @throws IOException if {@code wals/} cannot be listed or the catalogue written
   */
  public List<XlogDbEntry> rebuild() throws IOException {
    Files.createDirectories(directories.wals());
    try (FileChannel lock = lock()) {
      List<XlogDbEntry> entries = new ArrayList<>();
      for (Path child : sorted(directories.wals())) {
        String name = child.getFileName().toString();
        if (name.startsWith(ServerDirectories.XLOG_DB)) {
          continue;
        }
        if (Files.isDirectory(child)) {
          for (Path file : sorted(child)) {
            if (Files.isRegularFile(file) && isSegmentOrBackupLabel(file.getFileName().toString())) {
              entries.add(describe(file));
            }
          }
        } else if (Files.isRegularFile(child) && WalFileName.isValid(name)
            && WalFileName.parse(name).type() == WalFileName.Type.TIMELINE_HISTORY) {
          entries.add(describe(child));
        }
      }
      StringBuilder text = new StringBuilder();
      entries.forEach(e -> text.append(e.toLine()));
      DurableFiles.write(directories.xlogDb(), text.toString().getBytes(StandardCharsets.UTF_8));
      return List.copyOf(entries);
    }
  }

  /**
   * Describes a stored WAL file as Barman catalogues it: its name, size on disk, modification time and
   * the compression its first bytes reveal.
   *
   * @param file the stored file
   * @return its entry
   * @throws IOException if the file cannot be read
   */
  public static XlogDbEntry describe(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(16);
    }
    String compression = Compression.fromMagic(head).map(Compression::id).orElse("");
    Instant mtime = Files.getLastModifiedTime(file).toInstant();
    // The same arithmetic as CPython's st_mtime, so the text matches Barman's to the last digit.
    double time = (double) mtime.getEpochSecond() + mtime.getNano() * 1e-9;
    return new XlogDbEntry(file.getFileName().toString(), Files.size(file), time, compression);
  }

  private static boolean isSegmentOrBackupLabel(String name) {
    if (!WalFileName.isValid(name)) {
      return false;
    }
    WalFileName.Type type = WalFileName.parse(name).type();
    return type == WalFileName.Type.SEGMENT || type == WalFileName.Type.BACKUP_HISTORY;
  }

  private static List<Path> sorted(Path directory) throws IOException {
    try (Stream<Path> children = Files.list(directory)) {
      return children.sorted().toList();
    }
  }

  /** Takes the catalogue's lock, waiting for it; closing the returned channel releases it. */
  private FileChannel lock() throws IOException {
    Path lockFile = directories.xlogDbLock();
    Files.createDirectories(lockFile.getParent());
    if (!Files.exists(lockFile)) {
      try {
        Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process created it first; locking it is all that matters
      }
    }
    FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
    try {
      channel.lock();
      // Barman records the holder's pid in the lock file.
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }
}
