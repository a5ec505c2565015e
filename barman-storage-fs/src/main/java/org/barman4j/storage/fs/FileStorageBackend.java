package org.barman4j.storage.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.barman4j.internal.Causes;
import org.barman4j.storage.AbstractUpload;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Capabilities;
import org.barman4j.storage.Keys;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.NoSuchStoreException;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.Precondition;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.storage.Upload;

/**
 * A {@link StorageBackend} on a local (or mounted) file system: each key is a file under the root directory,
 * at the path the key spells, so the store can be browsed and copied with ordinary tools.
 *
 * <h2>Durability</h2>
 *
 * An upload writes to a temporary file in {@value #INCOMING}/ under the root, named after the process id and
 * a random name created exclusively, so that concurrent processes never collide. At commit the file is flushed to disk
 * ({@code fsync}), published in one atomic step, and the directories whose entries changed are flushed too.
 * {@link Precondition#IF_ABSENT} publishes with a hard link, which the kernel refuses atomically if the
 * name exists; otherwise a rename replaces any previous object atomically. A crash or a close without commit
 * leaves at most a temporary file in {@value #INCOMING}/, never a partial object.
 *
 * <h2>Abandoned uploads</h2>
 *
 * Each upload holds an exclusive lock ({@link FileChannel#lock()}) on its temporary file until the object is
 * published or discarded. The operating system drops the lock when the process ends, however it ends
 * ({@code kill -9} included), so a temporary file whose lock can be taken belongs to no live upload. The
 * first upload of each backend instance removes such files (the next call on the store cleans what a killed
 * one left), and so does {@link #cleanUpAbandonedUploads}. An upload creates its file before it can lock it,
 * and renames it once locked: a file not yet renamed is left alone for a minute. On a file system without
 * working locks (some network file systems) only age tells: such files are removed once a day old. The lock
 * is a POSIX record lock, which a process loses on closing any descriptor of the file: a second backend
 * instance on the same root in the same JVM must not clean up while the first one uploads.
 *
 * <h2>Layout rules</h2>
 *
 * <ul>
 *   <li>The root directory is created by the first write, not when the backend is opened. Reading or
 *       listing a missing root behaves like an empty store, or, with {@link MissingRoot#FAILS}
 *       ({@code file.create-root=false}), fails with a {@link NoSuchStoreException} naming it.
 *   <li>{@value #INCOMING} as the first segment of a key is reserved: such keys are rejected, and the
 *       directory is never listed. Other keys may start with a dot.
 *   <li>A file system cannot hold a file and a directory of one name, so a key cannot be both an object and
 *       the start of longer keys followed by '/' ({@code a/b} and {@code a/b/c}); writing the second fails
 *       with a {@link StorageException} naming both. Barman's layout never needs this.
 *   <li>Deleting the last object of a directory removes the directories left empty, up to the root.
 *   <li>The root must be one file system: hard links and renames do not cross mount points. Symbolic links
 *       inside the root are followed (an operator may place them on purpose); keys themselves can never
 *       leave the root, since they have no {@code .}, {@code ..} or empty segments and every path is
 *       checked to lie under it.
 *   <li>File names are the UTF-8 bytes of the keys when the JVM's file-name encoding is UTF-8 (a UTF-8
 *       locale such as {@code LANG=C.UTF-8}); otherwise only ASCII keys can be stored, and others fail with
 *       a {@link StorageException} that says so.
 * </ul>
 *
 * <p>User metadata is not stored ({@link Capabilities#userMetadata()} is false): extended attributes are
 * not portable across file systems, and sidecar files would be objects of their own. Metadata given in
 * {@link PutOptions} is ignored, as are tags.
 */
public final class FileStorageBackend implements StorageBackend {
  /** The top-level directory that holds uploads in progress. */
  public static final String INCOMING = ".incoming";
  // An upload's temporary file: created with the first suffix, renamed to the second once locked.
  static final String STARTING_SUFFIX = ".new";
  static final String WRITING_SUFFIX = ".tmp";

  private static final Capabilities CAPABILITIES = new Capabilities(true, false, 1000, Long.MAX_VALUE);
  private static final int WRITE_BUFFER = 128 * 1024;
  // Concurrent deletes remove empty directories; a commit racing one recreates its parent and tries again.
  private static final int PUBLISH_ATTEMPTS = 16;

  /** What a missing root directory is to reads and listings. */
  public enum MissingRoot {
    /** An empty store, which the first write creates (the default). */
    EMPTY,
    /** A {@link NoSuchStoreException}, as a missing bucket is to barman-cloud's reading tools. */
    FAILS
  }

  private final Path root;
  private final MissingRoot missingRoot;
  private final Path incoming;
  private final String location;
  private final LongAdder directoryReads = new LongAdder();
  // The temporary files of this instance's uploads in progress: never opened by a clean-up, whose closing
  // of the file would release their lock.
  private final Set<Path> liveTemporaries = ConcurrentHashMap.newKeySet();
  private final Object sweepLock = new Object();
  private boolean swept;
  private volatile boolean closed;

  /** A backend rooted at {@code root}, which need not exist yet; a relative path is resolved now. */
  public FileStorageBackend(Path root) {
    this(root, MissingRoot.EMPTY);
  }

  /**
   * A backend rooted at {@code root}; with {@link MissingRoot#FAILS}, reads, listings and {@link #check()}
   * fail while the root does not exist.
   */
  public FileStorageBackend(Path root, MissingRoot missingRoot) {
    this.root = Objects.requireNonNull(root, "root is null").toAbsolutePath().normalize();
    this.missingRoot = Objects.requireNonNull(missingRoot, "missingRoot is null");
    this.incoming = this.root.resolve(INCOMING);
    this.location = "file://" + this.root;
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    ensureOpen();
    Path path = path(key);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      requireRoot("stat", key);
      return Optional.empty();
    } catch (FileSystemException e) {
      if (underAFile(path)) {
        return Optional.empty();
      }
      throw failure("stat", key, e);
    }
    return attributes.isRegularFile() ? Optional.of(info(key, attributes)) : Optional.empty();
  }

  @Override
  public InputStream read(String key, ByteRange range) throws IOException {
    ensureOpen();
    Objects.requireNonNull(range, "range is null");
    Path path = path(key);
    // Opening a directory for reading succeeds on Linux, so rule directories out first.
    if (stat(key).isEmpty()) {
      throw new NoSuchObjectException(key);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(key);
    } catch (IOException e) {
      throw failure("read", key, e);
    }
    try {
      long size = channel.size();
      long start = Math.min(range.offset(), size);
      long end = range.toEnd() ? size : start + Math.min(range.length(), size - start);
      return new FileRangeInputStream(channel, key, start, end);
    } catch (IOException e) {
      closeQuietly(channel, e);
      throw failure("read", key, e);
    }
  }

  @Override
  public ListPage list(String prefix, ListOptions options) throws IOException {
    ensureOpen();
    Keys.checkPrefix(prefix);
    Objects.requireNonNull(options, "options is null");
    int slash = prefix.lastIndexOf('/');
    String dirKey = prefix.substring(0, slash + 1);
    String namePrefix = prefix.substring(slash + 1);
    if (dirKey.startsWith(INCOMING + "/")) {
      return new ListPage(List.of(), List.of(), Optional.empty());
    }
    Path start = dirKey.isEmpty() ? root : resolve(dirKey.substring(0, dirKey.length() - 1), prefix);
    Lister lister = new Lister(options);
    try {
      lister.walkTop(start, dirKey, namePrefix);
    } catch (IOException e) {
      throw failure("list", "'" + prefix + "'", e);
    }
    ListPage page = lister.page();
    if (page.objects().isEmpty() && page.commonPrefixes().isEmpty()) {
      requireRoot("list", "'" + prefix + "'");
    }
    return page;
  }

  @Override
  public Upload openUpload(String key, PutOptions options) throws IOException {
    ensureOpen();
    Objects.requireNonNull(options, "options is null");
    Path target = path(key);
    sweepOnce();
    return new FileUpload(key, target, options.precondition());
  }

  /**
   * Removes the temporary files in {@value #INCOMING}/ that no live upload holds and that were last written
   * more than {@code olderThan} ago (see the class description). Temporary files do not record their key,
   * so {@code prefix} is only checked: every abandoned one under the root goes.
   */
  @Override
  public int cleanUpAbandonedUploads(String prefix, Duration olderThan) throws IOException {
    Keys.checkPrefix(prefix);
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("Negative age: " + olderThan);
    }
    ensureOpen();
    return removeAbandoned(olderThan);
  }

  // Once per instance, before its first upload: the next call on the store cleans what a killed one left.
  private void sweepOnce() {
    synchronized (sweepLock) {
      if (swept) {
        return;
      }
      swept = true;
      try {
        removeAbandoned(Duration.ZERO);
      } catch (IOException | RuntimeException e) {
        // Best effort: what is left waits for the next run; the upload itself must not fail for it.
      }
    }
  }

  private int removeAbandoned(Duration olderThan) throws IOException {
    int removed = 0;
    Instant now = Instant.now();
    String glob = "*{" + STARTING_SUFFIX + "," + WRITING_SUFFIX + "}";
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(incoming, glob)) {
      for (Path temp : entries) {
        if (!liveTemporaries.contains(temp) && removeIfAbandoned(temp, olderThan, now)) {
          removed++;
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      // no upload ever ran here
    } catch (IOException e) {
      throw failure("clean up abandoned uploads in", INCOMING, e);
    }
    return removed;
  }

  private boolean removeIfAbandoned(Path temp, Duration olderThan, Instant now) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(temp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return false;
    }
    Duration age = Duration.between(attributes.lastModifiedTime().toInstant(), now);
    if (!attributes.isRegularFile() || age.compareTo(olderThan) < 0) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      AbandonedTemporaries.Lock state;
      try {
        // Released when the channel closes, after the deletion.
        state = channel.tryLock() == null ? AbandonedTemporaries.Lock.HELD_ELSEWHERE
            : AbandonedTemporaries.Lock.TAKEN;
      } catch (OverlappingFileLockException e) {
        state = AbandonedTemporaries.Lock.HELD_HERE;
      } catch (IOException e) {
        state = AbandonedTemporaries.Lock.UNSUPPORTED;
      }
      AbandonedTemporaries.Stage stage = temp.getFileName().toString().endsWith(WRITING_SUFFIX)
          ? AbandonedTemporaries.Stage.WRITING : AbandonedTemporaries.Stage.STARTING;
      if (!AbandonedTemporaries.abandoned(state, stage, age, olderThan)) {
        return false;
      }
      return Files.deleteIfExists(temp); // while holding the lock: no upload can own it meanwhile
    } catch (NoSuchFileException e) {
      return false; // removed meanwhile (by its upload, or another clean-up)
    }
  }

  @Override
  public void delete(String key) throws IOException {
    ensureOpen();
    Path path = path(key);
    try {
      if (Files.isDirectory(path)) {
        return; // the start of other keys, not an object
      }
      Files.delete(path);
    } catch (NoSuchFileException e) {
      return;
    } catch (FileSystemException e) {
      if (underAFile(path)) {
        return;
      }
      throw failure("delete", key, e);
    }
    pruneEmptyDirectories(path.getParent());
  }

  /** Flushes the object's file and every directory up to the root, in case its writer died before it did. */
  @Override
  public void sync(String key) throws IOException {
    ensureOpen();
    Path path = path(key);
    if (!Files.isRegularFile(path)) {
      throw new NoSuchObjectException(key);
    }
    try {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        channel.force(true);
      }
      for (Path dir : ancestorsUpToRoot(path)) {
        syncDirectory(dir);
      }
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(key);
    } catch (IOException e) {
      throw failure("sync", key, e);
    }
  }

  /**
   * Passes if the root is a writable directory, or does not exist yet but its nearest existing ancestor is
   * a writable directory (so the first write can create it).
   *
   * @throws StorageUnavailableException naming the path otherwise
   */
  @Override
  public void check() throws IOException {
    ensureOpen();
    requireRoot("access", "the archive");
    if (Files.exists(root)) {
      if (!Files.isDirectory(root)) {
        throw new StorageUnavailableException("Storage root " + location + " is not a directory");
      }
      if (!Files.isWritable(root)) {
        throw new StorageUnavailableException("Storage root " + location + " is not writable");
      }
      return;
    }
    if (Files.isSymbolicLink(root)) {
      throw new StorageUnavailableException(
          "Storage root " + location + " is a symbolic link to a missing target");
    }
    Path ancestor = root.getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null || !Files.isDirectory(ancestor)) {
      throw new StorageUnavailableException("Cannot create storage root " + location + ": "
          + (ancestor == null ? "no parent directory exists" : ancestor + " is not a directory"));
    }
    if (!Files.isWritable(ancestor)) {
      throw new StorageUnavailableException(
          "Cannot create storage root " + location + ": " + ancestor + " is not writable");
    }
  }

  /** Marks the backend closed; uploads not yet committed can no longer commit. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "FileStorageBackend[" + location + "]";
  }

  /** How many directories listings have read so far; lets tests prove a listing stays narrow. */
  long directoryReads() {
    return directoryReads.sum();
  }

  // ---------------------------------------------------------------------------------------------------
  // Paths

  private Path path(String key) throws StorageException {
    Keys.check(key);
    int slash = key.indexOf('/');
    if ((slash < 0 ? key : key.substring(0, slash)).equals(INCOMING)) {
      throw new IllegalArgumentException(
          "Invalid key (" + INCOMING + " is reserved for uploads in progress by the file backend): " + key);
    }
    return resolve(key, key);
  }

  private Path resolve(String relative, String key) throws StorageException {
    Path path;
    try {
      path = root.resolve(relative).normalize();
    } catch (InvalidPathException e) {
      throw new StorageException("Cannot map key " + key + " to a file name under " + location
          + ": the JVM's file-name encoding (sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding")
          + ") cannot represent it; run with a UTF-8 locale such as LANG=C.UTF-8", e);
    }
    // Keys.check already rules out escapes; this guards against a future change there.
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("Invalid key (resolves outside " + location + "): " + key);
    }
    return path;
  }

  /** Whether an ancestor of {@code path} (within the root) exists but is not a directory. */
  private boolean underAFile(Path path) {
    for (Path p = path.getParent(); p != null && p.startsWith(root); p = p.getParent()) {
      if (Files.exists(p)) {
        return !Files.isDirectory(p);
      }
    }
    return false;
  }

  private ObjectInfo info(String key, BasicFileAttributes attributes) {
    return new ObjectInfo(key, attributes.size(), attributes.lastModifiedTime().toInstant(), Optional.empty(),
        Map.of());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Storage backend " + location + " is closed");
    }
  }

  /** With {@link MissingRoot#FAILS}, fails unless the root exists. */
  private void requireRoot(String action, String what) throws NoSuchStoreException {
    if (missingRoot == MissingRoot.FAILS && !Files.exists(root)) {
      throw new NoSuchStoreException("Directory " + root + " does not exist (cannot " + action + " " + what + " in "
          + location + ")");
    }
  }

  private StorageException failure(String action, String key, IOException e) {
    if (e instanceof StorageException storage) {
      return storage;
    }
    return new StorageException("Cannot " + action + " " + key + " in " + location + ": " + Causes.describe(e), e);
  }

  // ---------------------------------------------------------------------------------------------------
  // Directories

  /**
   * Creates {@code dir} and its missing parents; returns those it created, outermost first.
   *
   * @throws FileAlreadyExistsException if a file stands in the way
   * @throws NoSuchFileException if a concurrent delete removed a directory on the way (try again)
   */
  private static List<Path> createDirectories(Path dir) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.push(p);
    }
    List<Path> created = new ArrayList<>();
    while (!missing.isEmpty()) {
      Path p = missing.pop();
      try {
        Files.createDirectory(p);
        created.add(p);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(p)) {
          if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw e; // a file stands where the directory must go
          }
          // Created by another writer and already removed again by a delete: the caller starts over.
          throw new NoSuchFileException(p.toString());
        }
      }
    }
    return created;
  }

  /** The directories from {@code path}'s parent up to and including the root and the root's parent. */
  private List<Path> ancestorsUpToRoot(Path path) {
    List<Path> dirs = new ArrayList<>();
    for (Path dir = path.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
      dirs.add(dir);
    }
    if (root.getParent() != null) {
      dirs.add(root.getParent());
    }
    return dirs;
  }

  /** Flushes a directory's entries to disk, so that names created in it survive a crash. */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private void pruneEmptyDirectories(Path dir) {
    for (Path p = dir; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        return; // placed by an operator: keep it
      }
      try {
        Files.delete(p);
      } catch (IOException e) {
        return; // not empty (the usual case), or gone already; empty directories are harmless anyway
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable, Throwable primary) {
    try {
      closeable.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Listing

  private record Entry(String sortName, Path path, BasicFileAttributes attributes) {
    boolean directory() {
      return attributes.isDirectory();
    }
  }

  /**
   * Produces keys in UTF-8 order without sorting the whole tree: within one directory, a file sorts as its
   * name and a directory as its name plus '/', because every key below it starts so. Walking entries in
   * that order yields keys in order, so a page stops early, and whole subtrees before the page token are
   * skipped without being read.
   */
  private final class Lister {
    private final boolean delimited;
    private final int pageSize;
    private final String token;
    private final List<ObjectInfo> objects = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private final Object incomingKey;
    private String last;
    private boolean more;

    Lister(ListOptions options) {
      this.delimited = options.delimited();
      this.pageSize = options.pageSize();
      this.token = options.pageToken().orElse(null);
      this.incomingKey = fileKey(incoming);
    }

    void walkTop(Path start, String dirKey, String namePrefix) throws IOException {
      Set<Object> ancestors = new HashSet<>();
      Object startKey = fileKey(start);
      if (startKey != null) {
        ancestors.add(startKey);
      }
      walk(start, dirKey, namePrefix, true, ancestors);
    }

    ListPage page() {
      return new ListPage(objects, prefixes, more ? Optional.of(last) : Optional.empty());
    }

    private static final Comparator<Entry> BY_SORT_NAME = new Comparator<>() {
      @Override
      public int compare(Entry a, Entry b) {
        return Keys.UTF8_ORDER.compare(a.sortName(), b.sortName());
      }
    };

    private void walk(Path dir, String dirKey, String namePrefix, boolean top, Set<Object> ancestors)
        throws IOException {
      List<Entry> entries = readDirectory(dir, namePrefix);
      entries.sort(BY_SORT_NAME);
      for (Entry entry : entries) {
        if (more) {
          return;
        }
        String item = dirKey + entry.sortName();
        if (!entry.directory()) {
          if (token == null || Keys.UTF8_ORDER.compare(item, token) > 0) {
            add(item, info(item, entry.attributes()));
          }
        } else if (delimited && top) {
          if ((token == null || Keys.UTF8_ORDER.compare(item, token) > 0)
              && holdsAnObject(entry.path(), new HashSet<>(ancestors))) {
            add(item, null);
          }
        } else {
          boolean allBeforeToken =
              token != null && Keys.UTF8_ORDER.compare(item, token) < 0 && !token.startsWith(item);
          Object key = entry.attributes().fileKey();
          if (allBeforeToken || (key != null && !ancestors.add(key))) {
            continue; // already returned, or a symbolic link back to an ancestor
          }
          walk(entry.path(), item, "", false, ancestors);
          if (key != null) {
            ancestors.remove(key);
          }
        }
      }
    }

    private void add(String item, ObjectInfo object) {
      if (objects.size() + prefixes.size() == pageSize) {
        more = true;
        return;
      }
      if (object != null) {
        objects.add(object);
      } else {
        prefixes.add(item);
      }
      last = item;
    }

    /** Whether a regular file lies somewhere below {@code dir}: empty directories are not prefixes. */
    private boolean holdsAnObject(Path dir, Set<Object> visited) throws IOException {
      Object key = fileKey(dir);
      if (key != null && !visited.add(key)) {
        return false;
      }
      List<Path> subdirectories = new ArrayList<>();
      for (Entry entry : readDirectory(dir, "")) {
        if (!entry.directory()) {
          return true;
        }
        subdirectories.add(entry.path());
      }
      for (Path subdirectory : subdirectories) {
        if (holdsAnObject(subdirectory, visited)) {
          return true;
        }
      }
      return false;
    }

    private List<Entry> readDirectory(Path dir, String namePrefix) throws IOException {
      directoryReads.increment();
      List<Entry> entries = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        for (Path child : stream) {
          Path fileName = child.getFileName();
          String name = fileName.toString();
          if (!name.startsWith(namePrefix) || (dir.equals(root) && name.equals(INCOMING))) {
            continue;
          }
          if (!fileName.equals(fileName.getFileSystem().getPath(name))) {
            continue; // bytes the JVM's file-name encoding cannot decode: no key names this file
          }
          BasicFileAttributes attributes;
          try {
            attributes = Files.readAttributes(child, BasicFileAttributes.class);
          } catch (NoSuchFileException e) {
            continue; // deleted meanwhile, or a dangling symbolic link
          } catch (FileSystemException e) {
            if (Files.isSymbolicLink(child)) {
              continue; // a link that leads nowhere (for example to itself) names no object
            }
            throw e;
          }
          if (attributes.isRegularFile()) {
            entries.add(new Entry(name, child, attributes));
          } else if (attributes.isDirectory()
              && (incomingKey == null || !incomingKey.equals(attributes.fileKey()))) {
            entries.add(new Entry(name + "/", child, attributes));
          }
        }
      } catch (NoSuchFileException | NotDirectoryException e) {
        return new ArrayList<>();
      } catch (FileSystemException e) {
        if (underAFile(dir)) {
          return new ArrayList<>();
        }
        throw e;
      }
      return entries;
    }
  }

  private static Object fileKey(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Uploads

  private final class FileUpload extends AbstractUpload {
    private final String key;
    private final Path target;
    private final Precondition precondition;
    private final Path temp;
    private final FileChannel channel;
    private final List<Path> createdDirectories = new ArrayList<>();
    // The write buffer in front of the temporary file.
    private final byte[] buffer = new byte[WRITE_BUFFER];
    private final ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    private int used;
    private long size;

    FileUpload(String key, Path target, Precondition precondition) throws IOException {
      super(key);
      this.key = key;
      this.target = target;
      this.precondition = precondition;
      try {
        createdDirectories.addAll(createDirectories(incoming));
        Path candidate;
        FileChannel opened;
        // CREATE_NEW makes the name unique across processes; a clash (never seen) just draws again.
        // SplittableRandom, unlike UUID and ProcessHandle, costs nothing at start-up.
        SplittableRandom random = new SplittableRandom();
        String stem;
        while (true) {
          stem = Long.toHexString(random.nextLong()) + Long.toHexString(System.nanoTime());
          candidate = incoming.resolve(stem + STARTING_SUFFIX);
          try {
            opened = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            break;
          } catch (FileAlreadyExistsException e) {
            continue;
          }
        }
        liveTemporaries.add(candidate);
        Path locked = incoming.resolve(stem + WRITING_SUFFIX);
        try {
          try {
            opened.lock(); // held until published or discarded: see "Abandoned uploads"
          } catch (IOException e) {
            // No working locks on this file system: only age protects this file from a clean-up.
          }
          // Renamed once locked: a clean-up that can take the lock of a WRITING_SUFFIX file knows its
          // upload is dead, while a STARTING_SUFFIX one may still be about to be locked.
          liveTemporaries.add(locked);
          Files.move(candidate, locked, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
          opened.close();
          Files.deleteIfExists(candidate);
          liveTemporaries.remove(locked);
          throw e;
        } finally {
          liveTemporaries.remove(candidate);
        }
        this.temp = locked;
        this.channel = opened;
      } catch (IOException e) {
        throw failure("start upload of", key, e);
      }
    }

    @Override
    protected ObjectInfo doCommit() throws IOException {
      ensureOpen();
      ObjectInfo stored;
      try {
        drain();
        channel.force(true);
        FileTime modified = Files.getLastModifiedTime(temp);
        publish(); // still holding the lock, so that no clean-up takes the file before it is published
        channel.close();
        // Every directory up to the root, not only those this upload created: another process may have
        // created one and died before flushing it, and this object's name must survive a crash regardless.
        Set<Path> changed = new LinkedHashSet<>(ancestorsUpToRoot(target));
        for (Path created : createdDirectories) {
          changed.add(created.getParent());
        }
        for (Path dir : changed) {
          syncDirectory(dir);
        }
        stored = new ObjectInfo(key, size, modified.toInstant(), Optional.empty(), Map.of());
      } catch (IOException e) {
        throw failure("commit upload of", key, e); // the temporary file goes with doAbort()
      }
      try {
        discard();
      } catch (StorageException e) {
        // The outcome is decided; a temporary file left in .incoming is harmless and documented.
      }
      return stored;
    }

    private void publish() throws IOException {
      for (int attempt = 1; ; attempt++) {
        try {
          List<Path> created;
          try {
            created = createDirectories(target.getParent());
          } catch (FileAlreadyExistsException e) {
            throw new StorageException("Cannot store " + key + " in " + location + ": " + blockingKey()
                + " is an object, and a file system cannot hold an object that is also the start of longer keys",
                e);
          }
          if (precondition == Precondition.IF_ABSENT) {
            Files.createLink(target, temp); // link(2) fails if the name exists: the atomic check
          } else {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
          }
          createdDirectories.addAll(created);
          return;
        } catch (FileAlreadyExistsException e) {
          if (Files.isDirectory(target)) {
            throw keyIsADirectory(e);
          }
          throw new ObjectExistsException(key);
        } catch (NoSuchFileException e) {
          if (attempt == PUBLISH_ATTEMPTS) {
            throw e;
          }
        } catch (FileSystemException e) {
          if (Files.isDirectory(target)) {
            throw keyIsADirectory(e);
          }
          throw e;
        }
      }
    }

    private StorageException keyIsADirectory(IOException cause) {
      return new StorageException("Cannot store " + key + " in " + location
          + ": longer keys start with it, and a file system cannot hold an object that is also their directory",
          cause);
    }

    /** The longest proper prefix of the key that is stored as a file. */
    private String blockingKey() {
      for (Path p = target.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
        if (Files.isRegularFile(p)) {
          return root.relativize(p).toString();
        }
      }
      return "a prefix of it";
    }

    @Override
    protected void doAbort() throws StorageException {
      discard();
    }

    private void discard() throws StorageException {
      try {
        channel.close();
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        throw failure("discard the upload of", key, e);
      } finally {
        liveTemporaries.remove(temp);
      }
    }

    @Override
    protected void doWrite(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (used == buffer.length) {
          drain();
        }
        int n = Math.min(len, buffer.length - used);
        System.arraycopy(b, off, buffer, used, n);
        used += n;
        off += n;
        len -= n;
        size += n;
      }
    }

    @Override
    protected void doFlush() throws IOException {
      drain();
    }

    /** Writes the buffer to the temporary file. */
    private void drain() throws IOException {
      wrapped.clear().limit(used);
      try {
        while (wrapped.hasRemaining()) {
          channel.write(wrapped);
        }
      } catch (IOException e) {
        throw failure("write upload of", key, e);
      }
      used = 0;
    }
  }
}
