package org.barman4j.recovery;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.barman4j.internal.Causes;

/**
 * Extracts tar streams into one directory, never writing outside it: entries whose path is
 * absolute or climbs out with {@code ..}, links pointing outside, and device files and FIFOs are
 * refused, and no symbolic link met on disk (one the archive created, or any other) is followed
 * when writing later entries. Several tar streams may be extracted into the same directory
 * concurrently (the parts of a split backup); {@link #finish()} then applies directory modes and
 * times.
 *
 * <p>Regular files get the archive's permission bits (without set-id and sticky bits) and
 * modification time; ownership is not restored. The root directory ends up 0700 (or 0750 if the
 * archive says so), as PostgreSQL requires of its data directory.
 *
 * <p>A truncated or corrupt archive, including one that ends cleanly between two entries without
 * tar's end-of-archive blocks, raises an {@link IOException}.
 */
final class TarExtractor {
  private static final int BUFFER = 256 * 1024;
  private static final int RECORD = 512;
  private static final Set<PosixFilePermission> DIR_DEFAULT = PosixFilePermissions.fromString("rwx------");
  private static final int ROOT_GROUP_READABLE = 0750;

  /** Suffix of held-back files until {@link #finish()}. */
  static final String HELD_BACK_SUFFIX = ".barman4j-restoring";

  private final Path root;
  private final Set<String> skippedLinkDirs;
  private final Set<String> heldBack;
  private final Set<Path> verifiedDirs = ConcurrentHashMap.newKeySet();
  private final Map<Path, DirAttributes> dirAttributes = new ConcurrentHashMap<>();
  private final Set<String> heldBackWritten = ConcurrentHashMap.newKeySet();
  private final LongAdder files = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private volatile int rootMode = 0700;
  private final Runnable fileWritten;

  /**
   * @param root the directory to extract into; it must exist
   * @param skippedLinkDirs root-relative directories (e.g. {@code pg_tblspc}) whose symbolic-link
   *     entries are skipped rather than created, because the caller creates them
   * @param heldBack root-relative paths (e.g. {@code global/pg_control}) written under a temporary
   *     name until {@link #finish()}, so that an interrupted extraction cannot be mistaken for a
   *     complete one
   */
  TarExtractor(Path root, Set<String> skippedLinkDirs, Set<String> heldBack) throws IOException {
    this(root, skippedLinkDirs, heldBack, () -> { });
  }

  /**
   * As {@link #TarExtractor(Path, Set, Set)}, running {@code fileWritten} after each regular file is written
   * (from the extracting thread), for progress reports.
   */
  TarExtractor(Path root, Set<String> skippedLinkDirs, Set<String> heldBack, Runnable fileWritten)
      throws IOException {
    this.fileWritten = Objects.requireNonNull(fileWritten, "fileWritten is null");
    this.root = Objects.requireNonNull(root, "root is null").toAbsolutePath().normalize();
    this.skippedLinkDirs = Set.copyOf(skippedLinkDirs);
    this.heldBack = Set.copyOf(heldBack);
    // The root itself is the operator's choice and may be a link (a mount point); nothing below it is followed.
    if (!Files.isDirectory(this.root)) {
      throw new NoSuchFileException(this.root.toString(), null, "not a directory");
    }
    verifiedDirs.add(this.root);
  }

  /** The directory extracted into. */
  Path root() {
    return root;
  }

  /** Regular files written so far. */
  long files() {
    return files.sum();
  }

  /** Bytes of regular files written so far. */
  long bytes() {
    return bytes.sum();
  }

  /**
   * Extracts the tar stream {@code in} (already decompressed), reading it to its end. {@code
   * source} names the archive in messages. Returns early with an exception once {@code cancelled}
   * is true. Does not close {@code in}.
   *
   * @throws IOException if the archive is corrupt or truncated, holds a forbidden entry, or a file
   *     cannot be written; the message names {@code source} and the entry
   */
  void extract(InputStream in, String source, BooleanSupplier cancelled) throws IOException {
    EndOfArchiveCheck checked = new EndOfArchiveCheck(in);
    // Names are UTF-8, as the writers (PAX headers) have them, whatever the JVM's default charset.
    TarArchiveInputStream tar = new TarArchiveInputStream(checked, StandardCharsets.UTF_8.name());
    byte[] buffer = new byte[BUFFER];
    checked.expectEndAt(0);
    TarArchiveEntry entry;
    while (true) {
      try {
        entry = tar.getNextEntry();
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException(source + ": corrupt tar archive after " + checked.position() + " bytes: " + Causes.describe(e), e);
      }
      if (entry == null) {
        break;
      }
      if (cancelled.getAsBoolean()) {
        throw new CancelledException(source);
      }
      try {
        extractEntry(tar, entry, buffer, cancelled);
        // Whatever an entry carries beyond what was extracted (data on a link entry) is read here,
        // so that the position below is where the next header or the end-of-archive record starts.
        while (tar.read(buffer) >= 0) {
          // skip
        }
      } catch (UnsafeEntryException e) {
        throw new UnsafeEntryException(source + ": " + e.getMessage());
      } catch (CancelledException e) {
        throw e;
      } catch (IOException e) {
        throw new IOException(source + ": entry '" + entry.getName() + "': " + Causes.describe(e), e);
      }
      checked.expectEndAt(alignUp(checked.position()));
    }
    if (!checked.sawEndRecord()) {
      throw new IOException(source + ": truncated tar archive: no end-of-archive marker after "
          + checked.position() + " bytes");
    }
    // Reading to the end lets the codec verify its trailer (gzip CRC and length, zstd checksum...).
    while (checked.read(buffer) >= 0) {
      // drain
    }
  }

  /**
   * Renames held-back files into place, then sets directory modes and times, deepest first, and
   * the root's mode. Call once every archive has been extracted.
   */
  void finish() throws IOException {
    for (String name : heldBackWritten) {
      Path target = root.resolve(name);
      Files.move(target.resolveSibling(target.getFileName() + HELD_BACK_SUFFIX), target,
          StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    List<Map.Entry<Path, DirAttributes>> dirs = new ArrayList<>(dirAttributes.entrySet());
    dirs.sort(Comparator.comparingInt((Map.Entry<Path, DirAttributes> e) -> e.getKey().getNameCount()).reversed());
    for (Map.Entry<Path, DirAttributes> dir : dirs) {
      PosixFileAttributeView view = view(dir.getKey());
      view.setPermissions(permissions(dir.getValue().mode() | 0700));
      view.setTimes(dir.getValue().mtime(), null, null);
    }
    view(root).setPermissions(permissions(rootMode == ROOT_GROUP_READABLE ? ROOT_GROUP_READABLE : 0700));
  }

  private void extractEntry(TarArchiveInputStream tar, TarArchiveEntry entry, byte[] buffer, BooleanSupplier cancelled)
      throws IOException {
    List<String> segments = segments(entry.getName(), entry.getName());
    if (entry.isDirectory()) {
      if (segments.isEmpty()) {
        rootMode = entry.getMode() & 0777;
        return;
      }
      Path dir = directory(segments, segments.size(), entry.getName());
      dirAttributes.put(dir, new DirAttributes(entry.getMode() & 0777, entry.getLastModifiedTime()));
      return;
    }
    if (segments.isEmpty()) {
      throw new UnsafeEntryException("entry '" + entry.getName() + "' would replace the target directory itself");
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      throw new UnsafeEntryException("entry '" + entry.getName() + "' is a device or FIFO, which a restore never creates");
    }
    String relative = String.join("/", segments);
    if (entry.isSymbolicLink()) {
      String parent = segments.size() > 1 ? String.join("/", segments.subList(0, segments.size() - 1)) : "";
      if (skippedLinkDirs.contains(parent)) {
        return;
      }
      symbolicLink(entry, segments);
      return;
    }
    if (entry.isLink()) {
      hardLink(entry, segments);
      return;
    }
    if (!entry.isFile() || entry.isSparse()) {
      throw new UnsafeEntryException("entry '" + entry.getName() + "' has an unsupported type '" + (char) entry.getLinkFlag() + "'");
    }
    Path parent = directory(segments, segments.size() - 1, entry.getName());
    String fileName = segments.get(segments.size() - 1);
    boolean holdBack = heldBack.contains(relative);
    Path target = parent.resolve(holdBack ? fileName + HELD_BACK_SUFFIX : fileName);
    makeRoomFor(target, entry.getName());
    long written = 0;
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      int n;
      while ((n = tar.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        written += n;
        if (cancelled.getAsBoolean()) {
          throw new CancelledException(entry.getName());
        }
      }
    }
    if (written != entry.getSize()) {
      throw new IOException("truncated: " + written + " of " + entry.getSize() + " bytes");
    }
    PosixFileAttributeView view = view(target);
    view.setPermissions(permissions(entry.getMode() & 0777));
    view.setTimes(entry.getLastModifiedTime(), null, null);
    if (holdBack) {
      heldBackWritten.add(relative);
    }
    files.increment();
    bytes.add(written);
    fileWritten.run();
  }

  private void symbolicLink(TarArchiveEntry entry, List<String> segments) throws IOException {
    String linkName = entry.getLinkName();
    if (linkName.isEmpty() || linkName.startsWith("/") || linkName.indexOf('\0') >= 0) {
      throw new UnsafeEntryException("symbolic link '" + entry.getName() + "' points outside the target: '" + linkName + "'");
    }
    // Resolve the link text against the link's own directory, lexically: it must stay inside.
    // A component that is already a link on disk would make the OS resolve what follows differently from
    // this lexical walk (a/l -> .. then b -> l/..), so links are never chained through.
    List<String> resolved = new ArrayList<>(segments.subList(0, segments.size() - 1));
    String[] parts = linkName.split("/");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (resolved.isEmpty()) {
          throw new UnsafeEntryException("symbolic link '" + entry.getName() + "' points outside the target: '" + linkName + "'");
        }
        resolved.remove(resolved.size() - 1);
      } else {
        resolved.add(part);
        if (i < parts.length - 1 && Files.isSymbolicLink(root.resolve(String.join("/", resolved)))) {
          throw new UnsafeEntryException("symbolic link '" + entry.getName() + "' points through another link: '"
              + linkName + "'");
        }
      }
    }
    Path parent = directory(segments, segments.size() - 1, entry.getName());
    Path link = parent.resolve(segments.get(segments.size() - 1));
    makeRoomFor(link, entry.getName());
    Files.createSymbolicLink(link, Path.of(linkName));
  }

  private void hardLink(TarArchiveEntry entry, List<String> segments) throws IOException {
    List<String> targetSegments = segments(entry.getLinkName(), entry.getName());
    if (targetSegments.isEmpty()) {
      throw new UnsafeEntryException("hard link '" + entry.getName() + "' points at the target directory");
    }
    Path targetDir = directory(targetSegments, targetSegments.size() - 1, entry.getName());
    Path existing = targetDir.resolve(targetSegments.get(targetSegments.size() - 1));
    if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
      throw new UnsafeEntryException("hard link '" + entry.getName() + "' points at '" + entry.getLinkName()
          + "', which is not a regular file extracted before it");
    }
    Path parent = directory(segments, segments.size() - 1, entry.getName());
    Path link = parent.resolve(segments.get(segments.size() - 1));
    makeRoomFor(link, entry.getName());
    Files.createLink(link, existing);
  }

  /**
   * The root-relative path segments of {@code name}, without {@code .} segments.
   *
   * @throws UnsafeEntryException if {@code name} is absolute or has a {@code ..} segment
   */
  private static List<String> segments(String name, String entryName) throws UnsafeEntryException {
    if (name.startsWith("/") || name.indexOf('\0') >= 0) {
      throw new UnsafeEntryException("entry '" + entryName + "' has an absolute path: '" + name + "'");
    }
    List<String> segments = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new UnsafeEntryException("entry '" + entryName + "' escapes the target with '..': '" + name + "'");
      }
      segments.add(part);
    }
    return segments;
  }

  /**
   * The directory made of the first {@code count} segments, created (0700) where missing. Every
   * component must be a real directory: a symbolic link or file in the way is an error, never
   * followed.
   */
  private Path directory(List<String> segments, int count, String entryName) throws IOException {
    Path dir = root;
    for (int i = 0; i < count; i++) {
      dir = dir.resolve(segments.get(i));
      if (verifiedDirs.contains(dir)) {
        continue;
      }
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_DEFAULT));
      } catch (FileAlreadyExistsException e) {
        BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
          throw new UnsafeEntryException("entry '" + entryName + "' would be written through '"
              + root.relativize(dir) + "', which is " + (attributes.isSymbolicLink() ? "a symbolic link" : "not a directory"));
        }
      }
      verifiedDirs.add(dir);
    }
    return dir;
  }

  /** Removes a file or link at {@code path} (a later entry replaces an earlier one); refuses to replace a directory. */
  private void makeRoomFor(Path path, String entryName) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (attributes.isDirectory()) {
      throw new UnsafeEntryException("entry '" + entryName + "' would replace the directory '" + root.relativize(path) + "'");
    }
    Files.delete(path);
  }

  private static PosixFileAttributeView view(Path path) {
    return Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static long alignUp(long position) {
    return (position + RECORD - 1) / RECORD * RECORD;
  }

  private record DirAttributes(int mode, FileTime mtime) {}

  /** The extraction stopped because another one failed. */
  static final class CancelledException extends IOException {
    CancelledException(String where) {
      super(where + ": extraction cancelled");
    }
  }

  /** An entry that would write outside the target, or a kind of file a restore never creates. */
  static final class UnsafeEntryException extends IOException {
    UnsafeEntryException(String message) {
      super(message);
    }
  }

  /**
   * Counts the bytes the tar reader consumes and captures the 512-byte record at the position where
   * the archive may end, so that a stream ending between two entries without tar's all-zero
   * end-of-archive record is told apart from a complete one.
   */
  private static final class EndOfArchiveCheck extends FilterInputStream {
    private final byte[] record = new byte[RECORD];
    private long position;
    private long expectedEnd;
    private int captured;

    EndOfArchiveCheck(InputStream in) {
      super(in);
    }

    long position() {
      return position;
    }

    void expectEndAt(long offset) {
      expectedEnd = offset;
      captured = 0;
    }

    boolean sawEndRecord() {
      if (captured < RECORD) {
        return false;
      }
      for (byte b : record) {
        if (b != 0) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        capture(new byte[] {(byte) b}, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        capture(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Read instead of skipping so that every byte passes the capture.
      byte[] scratch = new byte[(int) Math.min(n, 8192)];
      long skipped = 0;
      while (skipped < n) {
        int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void capture(byte[] b, int off, int n) {
      long start = position;
      position += n;
      long from = Math.max(start, expectedEnd + captured);
      long to = Math.min(position, expectedEnd + RECORD);
      if (from < to && from == expectedEnd + captured) {
        int count = (int) (to - from);
        System.arraycopy(b, off + (int) (from - start), record, captured, count);
        captured += count;
      }
    }
  }
}
