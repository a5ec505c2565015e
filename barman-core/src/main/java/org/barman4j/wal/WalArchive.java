package org.barman4j.wal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.BarmanException;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.catalog.ServerLayout.StoredWal;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.internal.FileNameEncoding;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.Causes;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.NoSuchStoreException;
import org.barman4j.storage.ObjectExistsException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL archive of one server in barman-cloud's layout: what {@code archive_command} and
 * {@code restore_command} do.
 *
 * <p>An archived file is never overwritten. Archiving a name that is already stored (under any
 * compression suffix) succeeds only if the stored content, decompressed, equals the local file, and
 * fails with {@link WalArchiveConflictException} otherwise; Barman's own tool silently overwrites.
 * Success is reported only once the backend has committed the object durably.
 *
 * <p>Thread-safe; the backend is borrowed, not owned.
 */
public final class WalArchive {
  private static final int BUFFER = 256 * 1024;

  private final StorageBackend backend;
  private final ServerLayout layout;

  public WalArchive(StorageBackend backend, ServerLayout layout) {
    this.backend = Objects.requireNonNull(backend, "backend is null");
    this.layout = Objects.requireNonNull(layout, "layout is null");
  }

  /**
   * How to archive.
   *
   * @param compression the codec, whose suffix ends the key
   * @param level the compression level
   * @param tags object tags for segments, partial and backup history files
   * @param historyTags object tags for timeline history files (the {@code tags} when empty)
   */
  public record ArchiveOptions(
      Compression compression, CompressionLevel level, Map<String, String> tags, Map<String, String> historyTags) {
    /** Uncompressed, no tags. */
    public static final ArchiveOptions DEFAULT =
        new ArchiveOptions(Compression.NONE, CompressionLevel.MEDIUM, Map.of(), Map.of());

    public ArchiveOptions {
      Objects.requireNonNull(compression, "compression is null");
      Objects.requireNonNull(level, "level is null");
      tags = Map.copyOf(Objects.requireNonNull(tags, "tags is null"));
      historyTags = Map.copyOf(Objects.requireNonNull(historyTags, "historyTags is null"));
      level.resolve(compression);
    }

    /** These options with {@code compression}. */
    public ArchiveOptions withCompression(Compression compression) {
      return new ArchiveOptions(compression, level, tags, historyTags);
    }
  }

  /** What {@link #archive} did. */
  public enum Outcome {
    /** The file was stored by this call. */
    STORED,
    /** The same content was already archived; nothing was written. */
    ALREADY_ARCHIVED
  }

  /**
   * The result of archiving one file.
   *
   * @param stored where the content is stored
   * @param outcome whether this call stored it
   * @param size the uncompressed size of the local file
   */
  public record ArchiveResult(StoredWal stored, Outcome outcome, long size) {
    public ArchiveResult {
      Objects.requireNonNull(stored, "stored is null");
      Objects.requireNonNull(outcome, "outcome is null");
    }
  }

  /**
   * The result of restoring one file.
   *
   * @param stored the object that was fetched
   * @param destination the file written
   * @param size its size
   */
  public record RestoreResult(StoredWal stored, Path destination, long size) {
    public RestoreResult {
      Objects.requireNonNull(stored, "stored is null");
      Objects.requireNonNull(destination, "destination is null");
    }
  }

  /**
   * Archives the WAL file at {@code walPath}; its file name must be a WAL file name.
   *
   * @throws IllegalArgumentException if the file name is not a WAL file name
   * @throws WalArchiveConflictException if the name is archived with different content
   * @throws StorageFailureException if the storage fails
   * @throws UncheckedIOException if the local file cannot be read
   */
  public ArchiveResult archive(Path walPath, ArchiveOptions options) {
    try (PreparedWal prepared = PreparedWal.start(walPath, options)) {
      return archive(prepared);
    }
  }

  /**
   * Archives a WAL file whose compression {@link PreparedWal#start started} earlier (while the caller
   * opened the storage, say), as {@link #archive(Path, ArchiveOptions)} does.
   *
   * @throws IllegalArgumentException if the file name is not a WAL file name
   * @throws WalArchiveConflictException if the name is archived with different content
   * @throws StorageFailureException if the storage fails
   * @throws UncheckedIOException if the local file cannot be read
   */
  public ArchiveResult archive(PreparedWal prepared) {
    Objects.requireNonNull(prepared, "prepared is null");
    Path walPath = prepared.path();
    ArchiveOptions options = prepared.options();
    Path fileName = walPath.getFileName();
    WalFileName wal = WalFileName.parse(fileName == null ? walPath.toString() : fileName.toString());
    long size = localSize(walPath);
    try {
      List<StoredWal> existing = storedVariants(wal, false);
      if (!existing.isEmpty()) {
        return alreadyArchived(walPath, existing, size);
      }
      StoredWal mine = new StoredWal(layout.walKey(wal, options.compression()), wal, options.compression());
      Map<String, String> tags =
          wal.type() == WalFileName.Type.TIMELINE_HISTORY && !options.historyTags().isEmpty()
              ? options.historyTags()
              : options.tags();
      try {
        upload(prepared, mine.key(), tags);
      } catch (ObjectExistsException e) {
        // Another archiver won the race for this key; settle it by content.
        return alreadyArchived(walPath, storedVariants(wal, false), size);
      }
      // IF_ABSENT guards only this key: a concurrent archiver may have stored the same name under another
      // suffix. If the copies differ, the one just written (never reported) is withdrawn and this call fails.
      for (StoredWal other : storedVariants(wal, false)) {
        if (!other.key().equals(mine.key()) && !sameContent(other, walPath)) {
          backend.delete(mine.key());
          throw conflict(other);
        }
      }
      if (!backend.capabilities().atomicCreateIfAbsent()) {
        log().warn("Storage cannot create {} atomically: concurrent archivers of one WAL name are not detected",
            mine.key());
      }
      return new ArchiveResult(mine, Outcome.STORED, size);
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot archive " + walPath + ": " + Causes.describe(e), e);
    }
  }

  private void upload(PreparedWal prepared, String key, Map<String, String> tags) throws IOException {
    PutOptions put = PutOptions.ifAbsent().withTags(tags);
    // An anonymous class, not a lambda: every archive_command call is a fresh JVM (start-up time).
    StorageBackends.write(backend, key, put, new StorageBackends.Body() {
      @Override
      public void writeTo(OutputStream out) throws IOException {
        prepared.writeTo(out);
      }
    });
  }

  private ArchiveResult alreadyArchived(Path walPath, List<StoredWal> existing, long size) throws IOException {
    if (existing.isEmpty()) {
      throw new StorageException("The archived copy of " + walPath.getFileName() + " vanished while it was compared");
    }
    for (StoredWal stored : existing) {
      if (!sameContent(stored, walPath)) {
        throw conflict(stored);
      }
    }
    // The earlier attempt may have died before making its copy durable: this call reports it archived.
    backend.sync(existing.get(0).key());
    log().warn("WAL file {} is already archived at {} with the same content", existing.get(0).wal().name(),
        existing.get(0).key());
    return new ArchiveResult(existing.get(0), Outcome.ALREADY_ARCHIVED, size);
  }

  private static WalArchiveConflictException conflict(StoredWal stored) {
    return new WalArchiveConflictException(
        "WAL file " + stored.wal().name() + " is already archived at " + stored.key()
            + " with different content; it was not overwritten");
  }

  /** Whether the stored copy decompresses to exactly the bytes of {@code local}. */
  private boolean sameContent(StoredWal stored, Path local) throws StorageException {
    InputStream mine;
    try {
      mine = Files.newInputStream(local);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("WAL file not found: " + local, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read WAL file " + local + ": " + Causes.describe(e), e);
    }
    try (mine;
        InputStream remote = stored.compression().decompress(backend.read(stored.key(), ByteRange.ALL))) {
      byte[] a = new byte[BUFFER];
      byte[] b = new byte[BUFFER];
      while (true) {
        int n = mine.readNBytes(a, 0, a.length);
        int m = remote.readNBytes(b, 0, n == 0 ? 1 : n);
        if (n != m || !Arrays.equals(a, 0, n, b, 0, m)) {
          return false;
        }
        if (n == 0) {
          return true;
        }
      }
    } catch (StorageException e) {
      throw e;
    } catch (IOException e) {
      // Unreadable is not "different": say so, and still never overwrite.
      throw new StorageException("Cannot verify the archived copy of " + stored.wal().name() + " at " + stored.key()
          + " (" + Causes.describe(e) + "); it was not overwritten", e);
    }
  }

  /**
   * Restores {@code walName} into {@code destination}, atomically: the file appears complete or not at
   * all. A complete segment is preferred to a {@code .partial} one, which is used only when
   * {@code allowPartial} holds and the complete one is missing.
   *
   * @throws IllegalArgumentException if {@code walName} is not a WAL file name
   * @throws WalNotFoundException if the archive does not hold it
   * @throws StorageFailureException if the storage fails; the archive's bucket, container or root not
   *     existing is a {@link StorageUnavailableException} then, not a missing WAL
   * @throws UncheckedIOException if the destination cannot be written
   */
  public RestoreResult restore(String walName, Path destination, boolean allowPartial) {
    WalFileName wal = WalFileName.parse(walName);
    Optional<StoredWal> found;
    try {
      found = preferred(wal, storedVariants(wal, allowPartial));
    } catch (NoSuchStoreException e) {
      throw missingArchive("Cannot restore " + walName + ": ", e);
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + layout.walPrefix(wal) + ": " + Causes.describe(e), e);
    }
    if (found.isEmpty()) {
      throw new WalNotFoundException("WAL file " + walName + " not found in the archive");
    }
    StoredWal stored = found.get();
    Path target = destination.toAbsolutePath();
    Path dir = target.getParent();
    if (Files.isDirectory(target)) {
      throw new BarmanException("Cannot restore " + walName + ": destination " + destination + " is a directory");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw new BarmanException("Cannot restore " + walName + " to " + destination + ": " + dir
          + (dir != null && Files.exists(dir) ? " is not a directory" : " does not exist")
          + (dir == null ? "" : FileNameEncoding.hint(dir)));
    }
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      long size;
      try (InputStream in = stored.compression().decompress(backend.read(stored.key(), ByteRange.ALL));
          OutputStream out = Files.newOutputStream(temp)) {
        size = copy(in, out);
      }
      // No fsync: a file restored for recovery is fetched again after a crash.
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      return new RestoreResult(stored, destination, size);
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot restore " + stored.key() + " to " + destination + ": " + Causes.describe(e), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          log().warn("Cannot remove temporary file {}: {}", temp, e.getMessage());
        }
      }
    }
  }

  /** The stored object for {@code wal}, preferring a complete segment to a {@code .partial} one. */
  public Optional<StoredWal> find(WalFileName wal, boolean allowPartial) {
    try {
      return preferred(wal, storedVariants(wal, allowPartial));
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + layout.walPrefix(wal) + ": " + Causes.describe(e), e);
    }
  }

  private static Optional<StoredWal> preferred(WalFileName wal, List<StoredWal> candidates) {
    for (StoredWal candidate : candidates) {
      if (candidate.wal().name().equals(wal.name())) {
        return Optional.of(candidate);
      }
    }
    return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0));
  }

  /** Every WAL object of this server, in key order. */
  public List<StoredWal> list() {
    try {
      List<StoredWal> result = new ArrayList<>();
      for (ObjectInfo info : StorageBackends.listAll(backend, layout.walRoot())) {
        layout.parseWalKey(info.key()).ifPresent(result::add);
      }
      return result;
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + layout.walRoot() + ": " + Causes.describe(e), e);
    }
  }

  /**
   * Verifies that WAL can be restored from this archive: the storage answers and its bucket, container or
   * root exists ({@code restore_command}'s configuration check). Stricter than {@link #check()}, which
   * passes for a store that the first write creates.
   *
   * @throws StorageFailureException if not; a missing bucket, container or root is a
   *     {@link StorageUnavailableException} here, as for {@link #restore}
   */
  public void checkRestorable() {
    try {
      backend.check();
      backend.list(layout.walRoot(), ListOptions.DEFAULT.withPageSize(1));
    } catch (NoSuchStoreException e) {
      throw missingArchive("", e);
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the storage: " + Causes.describe(e), e);
    }
  }

  /**
   * A missing bucket, container or root as {@code restore_command} must report it: not as a missing segment
   * (which ends recovery quietly, as if the archive were complete) but as a storage failure that names the
   * URL, so that PostgreSQL's log shows a {@code restore_command} pointing nowhere.
   */
  private static StorageFailureException missingArchive(String context, NoSuchStoreException e) {
    return new StorageFailureException(
        new StorageUnavailableException(context + "the WAL archive does not exist: " + e.getMessage(), e));
  }

  /**
   * Verifies the storage is reachable and usable.
   *
   * @throws StorageFailureException if not
   */
  public void check() {
    try {
      backend.check();
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the storage: " + Causes.describe(e), e);
    }
  }

  /**
   * The stored copies of {@code wal} under any compression suffix, and with {@code withPartial} the
   * {@code .partial} copies of the same segment, in key order.
   */
  private List<StoredWal> storedVariants(WalFileName wal, boolean withPartial) throws IOException {
    List<StoredWal> result = new ArrayList<>();
    for (ObjectInfo info : StorageBackends.listAll(backend, layout.walPrefix(wal))) {
      Optional<StoredWal> parsed = layout.parseWalKey(info.key());
      if (parsed.isEmpty()) {
        continue;
      }
      WalFileName name = parsed.get().wal();
      if (name.name().equals(wal.name())
          || (withPartial
              && wal.type() == WalFileName.Type.SEGMENT
              && name.type() == WalFileName.Type.PARTIAL
              && name.segmentName().equals(wal.segmentName()))) {
        result.add(parsed.get());
      }
    }
    return result;
  }

  /**
   * The logger, looked up only when something is worth saying: every archive_command call is a fresh
   * JVM, and initialising the logging backend costs more than the rest of a quiet call's start-up.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(WalArchive.class);
  }

  private static long localSize(Path walPath) {
    try {
      return Files.size(walPath);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("WAL file not found: " + walPath + FileNameEncoding.hint(walPath), e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read WAL file " + walPath + ": " + Causes.describe(e), e);
    }
  }

  private static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }
}
