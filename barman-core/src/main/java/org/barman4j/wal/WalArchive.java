package org.barman4j.wal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.barman4j.BarmanException;
import org.barman4j.StorageFailureException;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.internal.Causes;
import org.barman4j.internal.FileNameEncoding;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.NoSuchObjectException;
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
 * Success is reported only once the backend has committed the object durably. Archivers racing with
 * different content under different compression suffixes (different keys) are settled by a claim object,
 * {@code NAME.claim}, created if absent and only then: exactly one copy stays, and the others' writers
 * withdraw their own copy.
 * Where the store keeps user metadata, the CRC-32C of the uncompressed bytes is recorded and checked
 * on restore.
 *
 * <p>Thread-safe; the backend is borrowed, not owned.
 */
public final class WalArchive {
  private static final int BUFFER = 256 * 1024;
  /** The user-metadata entry holding the CRC-32C of a WAL file's uncompressed bytes, recorded when archived. */
  private static final String CHECKSUM_METADATA = "wal_crc32c";

  private final StorageBackend backend;
  private final WalLayout layout;

  /**
   * An archive of the WAL objects laid out by {@code layout} in {@code backend}.
   *
   * @param backend the storage
   * @param layout where this server's WAL objects are
   */
  public WalArchive(StorageBackend backend, WalLayout layout) {
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

    /**
     * Checks that no component is null and copies the collections.
     *
     * @param compression the codec, whose suffix ends the key
     * @param level the compression level
     * @param tags object tags for segments, partial and backup history files
     * @param historyTags object tags for timeline history files (the {@code tags} when empty)
     */
    public ArchiveOptions {
      Objects.requireNonNull(compression, "compression is null");
      Objects.requireNonNull(level, "level is null");
      tags = Map.copyOf(Objects.requireNonNull(tags, "tags is null"));
      historyTags = Map.copyOf(Objects.requireNonNull(historyTags, "historyTags is null"));
      level.resolve(compression);
    }

    /**
     * {@return these options with {@code compression}}
     *
     * @param compression the compression
     */
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
    /**
     * Checks that no component is null.
     *
     * @param stored where the content is stored
     * @param outcome whether this call stored it
     * @param size the uncompressed size of the local file
     */
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
    /**
     * Checks that no component is null.
     *
     * @param stored the object that was fetched
     * @param destination the file written
     * @param size its size
     */
    public RestoreResult {
      Objects.requireNonNull(stored, "stored is null");
      Objects.requireNonNull(destination, "destination is null");
    }
  }

  /**
   * Archives the WAL file at {@code walPath}; its file name must be a WAL file name.
   *
   * @param walPath the WAL file on disk
   * @param options how to archive
   * @throws IllegalArgumentException if the file name is not a WAL file name
   * @throws WalArchiveConflictException if the name is archived with different content
   * @throws StorageFailureException if the storage fails
   * @throws UncheckedIOException if the local file cannot be read
   * @return what was done
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
   * @param prepared the WAL file, read and compressed ahead
   * @throws IllegalArgumentException if the file name is not a WAL file name
   * @throws WalArchiveConflictException if the name is archived with different content
   * @throws StorageFailureException if the storage fails
   * @throws UncheckedIOException if the local file cannot be read
   * @return what was done
   */
  public ArchiveResult archive(PreparedWal prepared) {
    Objects.requireNonNull(prepared, "prepared is null");
    Path walPath = prepared.path();
    ArchiveOptions options = prepared.options();
    Path fileName = walPath.getFileName();
    WalFileName wal = WalFileName.parse(fileName == null ? walPath.toString() : fileName.toString());
    long size = localSize(walPath);
    Map<String, String> tags =
        wal.type() == WalFileName.Type.TIMELINE_HISTORY && !options.historyTags().isEmpty()
            ? options.historyTags()
            : options.tags();
    try {
      List<StoredWal> existing = storedVariants(wal, false);
      if (!existing.isEmpty()) {
        return alreadyArchived(walPath, layout.key(wal, options.compression()), existing, size);
      }
      StoredWal mine = new StoredWal(layout.key(wal, options.compression()), wal, options.compression());
      try {
        upload(prepared, mine.key(), tags);
      } catch (ObjectExistsException e) {
        // Another archiver won the race for this key; settle it by content.
        return alreadyArchived(walPath, mine.key(), storedVariants(wal, false), size);
      }
      if (!backend.capabilities().atomicCreateIfAbsent()) {
        log().warn("Storage cannot create {} atomically: concurrent archivers of one WAL name are not detected",
            mine.key());
      }
      // IF_ABSENT guards only this key: a concurrent archiver may have stored the same name under another
      // suffix, which is another key. Copies with the same content are harmless; with other content, exactly
      // one copy must stay, settled through the claim object every suffix shares.
      List<ObjectInfo> others = new ArrayList<>();
      List<StoredWal> differing = new ArrayList<>();
      for (ObjectInfo info : variantObjects(wal, false)) {
        StoredWal other = layout.parseKey(info.key()).orElseThrow();
        if (!other.key().equals(mine.key())) {
          Optional<Boolean> same = compare(other, walPath);
          if (same.isEmpty()) {
            continue; // withdrawn by the racer that lost
          }
          others.add(info);
          if (!same.get()) {
            differing.add(other);
          }
        }
      }
      if (differing.isEmpty()) {
        return new ArchiveResult(mine, Outcome.STORED, size);
      }
      StoredWal winner = claim(nominee(others), tags);
      if (winner.key().equals(mine.key())) {
        return new ArchiveResult(mine, Outcome.STORED, size);
      }
      // Lost: withdraw the copy this call stored, never reported archived. Nobody else removes it.
      boolean same = sameContent(winner, walPath);
      backend.delete(mine.key());
      if (!same) {
        throw conflict(winner);
      }
      log().warn("WAL file {} is already archived at {} with the same content", wal.name(), winner.key());
      return new ArchiveResult(winner, Outcome.ALREADY_ARCHIVED, size);
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot archive " + walPath + ": " + Causes.describe(e), e);
    }
  }

  /**
   * The copy a racing archiver nominates for the claim: never its own, but the earliest stored of the
   * others (ties by key). An archiver that found its copy alone has already reported success and never
   * looks again; every archiver that stored later sees that copy, so nominating another's copy keeps the
   * claim from contradicting it. With two racers the nominee is simply the other's copy.
   */
  private StoredWal nominee(List<ObjectInfo> others) {
    ObjectInfo first = others.get(0);
    for (ObjectInfo info : others) {
      int byTime = info.lastModified().compareTo(first.lastModified());
      if (byTime < 0 || (byTime == 0 && info.key().compareTo(first.key()) < 0)) {
        first = info;
      }
    }
    return layout.parseKey(first.key()).orElseThrow();
  }

  /**
   * Creates the claim of {@code nominee}'s WAL name, naming {@code nominee}, unless a claim names another
   * stored copy already; returns the copy the claim names. A claim naming a copy that is no longer stored
   * (removed by retention, say) is replaced.
   */
  private StoredWal claim(StoredWal nominee, Map<String, String> tags) throws IOException {
    String claimKey = layout.claimKey(nominee.wal());
    String fileName = nominee.key().substring(nominee.key().lastIndexOf('/') + 1);
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        backend.put(claimKey, fileName.getBytes(StandardCharsets.UTF_8), PutOptions.ifAbsent().withTags(tags));
        return nominee;
      } catch (ObjectExistsException e) {
        // Another racer claimed first: its claim decides.
      }
      Optional<Optional<StoredWal>> named = readClaim(nominee.wal());
      if (named.isEmpty()) {
        continue; // withdrawn as stale by another archiver meanwhile
      }
      if (named.get().isPresent() && backend.stat(named.get().get().key()).isPresent()) {
        return named.get().get();
      }
      log().warn("Replacing {}: it does not name a stored copy of {}", claimKey, nominee.wal().name());
      backend.delete(claimKey);
    }
    throw new StorageException("Cannot settle which copy of " + nominee.wal().name() + " is archived: "
        + claimKey + " keeps changing");
  }

  private void upload(PreparedWal prepared, String key, Map<String, String> tags) throws IOException {
    PutOptions put = PutOptions.ifAbsent().withTags(tags).withMetadata(archiveMetadata(prepared.path()));
    // An anonymous class, not a lambda: every archive_command call is a fresh JVM (start-up time).
    StorageBackends.write(backend, key, put, new StorageBackends.Body() {
      @Override
      public void writeTo(OutputStream out) throws IOException {
        prepared.writeTo(out);
      }
    });
  }

  private ArchiveResult alreadyArchived(Path walPath, String mineKey, List<StoredWal> existing, long size)
      throws IOException {
    List<StoredWal> present = new ArrayList<>();
    List<StoredWal> differing = new ArrayList<>();
    for (StoredWal stored : existing) {
      Optional<Boolean> same = compare(stored, walPath);
      if (same.isPresent()) {
        present.add(stored);
        if (!same.get()) {
          differing.add(stored);
        }
      }
    }
    if (present.isEmpty()) {
      // Copies withdrawn by racers that lost: nothing is archived yet; the next attempt stores it.
      throw new StorageException("The archived copy of " + walPath.getFileName() + " vanished while it was compared");
    }
    StoredWal archived = present.get(0);
    if (!differing.isEmpty()) {
      // Copies with other content: racing archivers, or the loser of a race that died before withdrawing
      // its copy. A claim, if any, says which copy is the archived one.
      Optional<StoredWal> claimed = claimed(archived.wal()).filter(present::contains);
      if (claimed.isEmpty()) {
        throw conflict(differing.get(0));
      }
      if (differing.contains(claimed.get())) {
        for (StoredWal stored : present) {
          if (stored.key().equals(mineKey) && !differing.contains(stored)) {
            // This archiver's own copy, stored by an attempt that lost and died before withdrawing it.
            backend.delete(stored.key());
          }
        }
        throw conflict(claimed.get());
      }
      archived = claimed.get();
    }
    // The earlier attempt may have died before making its copy durable: this call reports it archived.
    backend.sync(archived.key());
    log().warn("WAL file {} is already archived at {} with the same content", archived.wal().name(), archived.key());
    return new ArchiveResult(archived, Outcome.ALREADY_ARCHIVED, size);
  }

  /** The stored copy the claim of {@code wal} names, if there is such a claim and copy. */
  private Optional<StoredWal> claimed(WalFileName wal) throws IOException {
    Optional<Optional<StoredWal>> named = readClaim(wal);
    return named.isPresent() ? named.get() : Optional.empty();
  }

  /**
   * The claim of {@code wal}: empty if there is none; otherwise the copy it names, empty if it names
   * nothing valid.
   */
  private Optional<Optional<StoredWal>> readClaim(WalFileName wal) throws IOException {
    String claimKey = layout.claimKey(wal);
    String dir = claimKey.substring(0, claimKey.lastIndexOf('/') + 1);
    try (InputStream in = backend.read(claimKey, ByteRange.ALL)) {
      String text = new String(in.readNBytes(1024), StandardCharsets.UTF_8).strip();
      if (text.isEmpty() || text.contains("/")) {
        return Optional.of(Optional.empty());
      }
      return Optional.of(layout.parseKey(dir + text).filter(w -> w.wal().name().equals(wal.name())));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
  }

  private static WalArchiveConflictException conflict(StoredWal stored) {
    return new WalArchiveConflictException(
        "WAL file " + stored.wal().name() + " is already archived at " + stored.key()
            + " with different content; it was not overwritten");
  }

  /** Whether the stored copy decompresses to exactly the bytes of {@code local}; empty if it is gone. */
  private Optional<Boolean> compare(StoredWal stored, Path local) throws StorageException {
    try {
      return Optional.of(sameContent(stored, local));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
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

  /** Whether a {@code .partial} segment (the last one a streaming archiver wrote) may stand for a segment. */
  public enum PartialSegments {
    /** A {@code .partial} copy is restored when the complete segment is missing, as barman-cloud-wal-restore does. */
    ACCEPTED,
    /** Only complete segments ({@code --no-partial}). */
    REFUSED
  }

  /**
   * Restores {@code walName} into {@code destination} as {@link #restore(String, Path, PartialSegments)} does,
   * accepting a {@code .partial} segment when the complete one is missing, as barman-cloud-wal-restore does.
   *
   * @param walName the WAL file name PostgreSQL asks for ({@code %f})
   * @param destination where to write it ({@code %p})
   * @return what was restored
   * @throws WalNotFoundException if the archive does not hold it
   */
  public RestoreResult restore(String walName, Path destination) {
    return restore(walName, destination, PartialSegments.ACCEPTED);
  }

  /**
   * Restores {@code walName} into {@code destination}, atomically: the file appears complete or not at
   * all. A complete segment is preferred to a {@code .partial} one, which is used only when
   * {@code partial} accepts it and the complete one is missing.
   *
   * <p>Before the file appears, what can be checked cheaply is: the checksum recorded when it was archived
   * (where the store keeps one), and for a segment its size and first page header.
   *
   * @param walName the WAL file name PostgreSQL asks for ({@code %f})
   * @param destination where to write it ({@code %p})
   * @param partial whether a {@code .partial} segment may stand for the segment
   * @return what was restored
   * @throws IllegalArgumentException if {@code walName} is not a WAL file name
   * @throws WalNotFoundException if the archive does not hold it
   * @throws WalCorruptException if the stored file fails a check; nothing is written
   * @throws StorageFailureException if the storage fails; the archive's bucket, container or root not
   *     existing is a {@link StorageUnavailableException} then, not a missing WAL
   * @throws UncheckedIOException if the destination cannot be written
   */
  public RestoreResult restore(String walName, Path destination, PartialSegments partial) {
    boolean allowPartial = partial == PartialSegments.ACCEPTED;
    WalFileName wal = WalFileName.parse(walName);
    Optional<StoredWal> found;
    try {
      found = preferred(wal, storedVariants(wal, allowPartial));
    } catch (NoSuchStoreException e) {
      throw missingArchive("Cannot restore " + walName + ": ", e);
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + layout.prefix(wal) + ": " + Causes.describe(e), e);
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
      Optional<String> recorded = recordedChecksum(stored.key());
      temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      long size;
      CRC32C crc = new CRC32C();
      byte[] head = new byte[WalSegmentHeader.LENGTH];
      int headLength;
      try (InputStream in = stored.compression().decompress(backend.read(stored.key(), ByteRange.ALL));
          OutputStream out = Files.newOutputStream(temp)) {
        headLength = in.readNBytes(head, 0, head.length);
        out.write(head, 0, headLength);
        crc.update(head, 0, headLength);
        size = headLength + copy(in, out, crc);
      }
      // Checked before the file appears at the destination: PostgreSQL must never replay a damaged file.
      if (recorded.isPresent() && !recorded.get().equals(checksumText(crc))) {
        throw new WalCorruptException("WAL file " + walName + " at " + stored.key()
            + " is corrupt: its CRC-32C is " + checksumText(crc) + ", " + recorded.get() + " when archived");
      }
      if (stored.wal().type() == WalFileName.Type.SEGMENT) {
        Optional<String> mismatch = WalSegmentHeader.mismatch(stored.wal(), head, headLength, size);
        if (mismatch.isPresent()) {
          throw new WalCorruptException(
              "WAL file " + walName + " at " + stored.key() + " is not a valid WAL segment: " + mismatch.get());
        }
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

  /**
   * {@return the stored object for {@code wal}, preferring a complete segment to a {@code .partial} one}
   *
   * @param wal the WAL file
   * @param partial whether a {@code .partial} segment may stand for the segment
   */
  public Optional<StoredWal> find(WalFileName wal, PartialSegments partial) {
    try {
      return preferred(wal, storedVariants(wal, partial == PartialSegments.ACCEPTED));
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + layout.prefix(wal) + ": " + Causes.describe(e), e);
    }
  }

  /**
   * The copy to restore among {@code candidates}: a complete segment before a {@code .partial} one, and among
   * several complete copies (racing archivers) the one the claim names, since a loser's may linger until
   * withdrawn.
   */
  private Optional<StoredWal> preferred(WalFileName wal, List<StoredWal> candidates) throws IOException {
    List<StoredWal> exact = candidates.stream().filter(c -> c.wal().name().equals(wal.name())).toList();
    if (exact.size() > 1) {
      Optional<StoredWal> claimed = claimed(wal).filter(exact::contains);
      if (claimed.isPresent()) {
        return claimed;
      }
    }
    if (!exact.isEmpty()) {
      return Optional.of(exact.get(0));
    }
    return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0));
  }

  /** {@return every WAL object of this server, in key order} */
  public List<StoredWal> list() {
    try {
      List<StoredWal> result = new ArrayList<>();
      for (ObjectInfo info : StorageBackends.listAll(backend, layout.root())) {
        layout.parseKey(info.key()).ifPresent(result::add);
      }
      return result;
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + layout.root() + ": " + Causes.describe(e), e);
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
      backend.list(layout.root(), ListOptions.DEFAULT.withPageSize(1));
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
    for (ObjectInfo info : variantObjects(wal, withPartial)) {
      result.add(layout.parseKey(info.key()).orElseThrow());
    }
    return result;
  }

  /** The objects {@link #storedVariants} describes. */
  private List<ObjectInfo> variantObjects(WalFileName wal, boolean withPartial) throws IOException {
    List<ObjectInfo> result = new ArrayList<>();
    for (ObjectInfo info : StorageBackends.listAll(backend, layout.prefix(wal))) {
      Optional<StoredWal> parsed = layout.parseKey(info.key());
      if (parsed.isEmpty()) {
        continue;
      }
      WalFileName name = parsed.get().wal();
      if (name.name().equals(wal.name())
          || (withPartial
              && wal.type() == WalFileName.Type.SEGMENT
              && name.type() == WalFileName.Type.PARTIAL
              && name.segmentName().equals(wal.segmentName()))) {
        result.add(info);
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

  private static long copy(InputStream in, OutputStream out, Checksum checksum) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      checksum.update(buffer, 0, n);
      total += n;
    }
    return total;
  }

  private static String checksumText(Checksum checksum) {
    return String.format("%08x", checksum.getValue());
  }

  /** The checksum recorded when {@code key} was archived, if the store keeps metadata and it has one. */
  private Optional<String> recordedChecksum(String key) throws IOException {
    if (!backend.capabilities().userMetadata()) {
      return Optional.empty();
    }
    // Barman's tools record none: its absence is no fault.
    return backend.stat(key).map(info -> info.metadata().get(CHECKSUM_METADATA));
  }

  /** The metadata to store with {@code walPath}: its checksum, where the store keeps metadata. */
  private Map<String, String> archiveMetadata(Path walPath) throws IOException {
    if (!backend.capabilities().userMetadata()) {
      return Map.of();
    }
    CRC32C crc = new CRC32C();
    try (InputStream in = Files.newInputStream(walPath)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        crc.update(buffer, 0, n);
      }
    }
    return Map.of(CHECKSUM_METADATA, checksumText(crc));
  }
}
