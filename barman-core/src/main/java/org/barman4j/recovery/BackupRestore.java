package org.barman4j.recovery;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.barman4j.BarmanConfigurationException;
import org.barman4j.BarmanListener;
import org.barman4j.Progress;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.CorruptBackupInfoException;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.catalog.ServerLayout.BackupTar;
import org.barman4j.catalog.Tablespace;
import org.barman4j.internal.Causes;
import org.barman4j.internal.FileNameEncoding;
import org.barman4j.internal.ProgressReporter;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a base backup stored in barman-cloud's layout into a new data directory: what {@code
 * barman-cloud-restore} does, plus the recovery configuration that {@code barman restore} writes.
 *
 * <p>The data tar and the tablespace tars (every part of a split backup, any compression suffix)
 * are downloaded and extracted in parallel, {@link RestoreOptions#jobs()} at a time, each as one
 * stream whose download and decompression run a few chunks ahead of its extraction on a thread of
 * their own: memory stays bounded (about 3 MiB per job) whatever the backup's size. Extraction never writes outside the
 * destination or the tablespace directories (see {@link TarExtractor}). Tablespaces go to their
 * original location or a relocated one, linked from {@code pg_tblspc/OID}; {@code pg_wal} is
 * created when the backup does not carry it.
 *
 * <p>Until the restore completes, the destination holds a {@value #INCOMPLETE_MARKER} file and no
 * {@code global/pg_control}, so PostgreSQL refuses to start on an interrupted or failed restore, and
 * no {@code recovery.signal} is written. Such a directory must be removed before restoring into it
 * again.
 *
 * <p>Thread-safe; the backend is borrowed, not owned.
 */
public final class BackupRestore {
  /** Present in a destination whose restore has not completed. */
  public static final String INCOMPLETE_MARKER = ".barman4j-restore-incomplete";

  private static final String PG_CONTROL = "global/pg_control";
  private static final String TABLESPACE_LINKS = "pg_tblspc";
  private static final int READ_BUFFER = 256 * 1024;
  /** Download and decompression run this far ahead of extraction, on a thread of their own. */
  private static final int READ_AHEAD_CHUNK = 512 * 1024;
  private static final int READ_AHEAD_CHUNKS = 4;

  private final StorageBackend backend;
  private final ServerLayout layout;

  /**
   * Restores backups stored in {@code backend} under {@code layout}.
   *
   * @param backend the storage
   * @param layout the server's object layout
   */
  public BackupRestore(StorageBackend backend, ServerLayout layout) {
    this.backend = Objects.requireNonNull(backend, "backend is null");
    this.layout = Objects.requireNonNull(layout, "layout is null");
  }

  /**
   * Restores {@code backup} as {@code options} say.
   *
   * @param options what to restore and where
   * @param backup the backup to restore
   * @return what was restored
   * @throws RecoveryException if the backup is not DONE or not restorable, a destination is not
   *     empty, or an archive is missing, truncated or corrupt (the destination is then left
   *     incomplete, marked as such)
   * @throws BarmanConfigurationException if a relocation names no tablespace of the backup, or
   *     destinations overlap
   * @throws CorruptBackupInfoException if {@code backup.info} lacks what a DONE backup records, or a
   *     tablespace that is not relocated has a location that is not absolute and normal; nothing is
   *     written then
   * @throws StorageFailureException if the backup's objects cannot be listed
   * @throws UncheckedIOException if a local directory cannot be created or written
   */
  public RestoreResult restore(BackupInfo backup, RestoreOptions options) {
    return restore(backup, options, BarmanListener.NONE);
  }

  /**
   * Restores {@code backup} as {@link #restore(BackupInfo, RestoreOptions)} does, telling {@code listener} how
   * far it has come: bytes downloaded against the size of the backup's archives, archives done, and the phase.
   *
   * @param backup the backup to restore
   * @param options what to restore and where
   * @param listener told of the progress
   * @return what was restored
   */
  public RestoreResult restore(BackupInfo backup, RestoreOptions options, BarmanListener listener) {
    ProgressReporter progress = new ProgressReporter(listener, Progress.Job.RESTORE);
    progress.phase(Progress.Phase.STARTING);
    try {
      RestoreResult result = restoreInto(backup, options, progress);
      progress.phase(Progress.Phase.DONE);
      return result;
    } catch (RuntimeException e) {
      throw FileNameEncoding.explain(e);
    }
  }

  private RestoreResult restoreInto(BackupInfo backup, RestoreOptions options, ProgressReporter progress) {
    Objects.requireNonNull(backup, "backup is null");
    Objects.requireNonNull(options, "options is null");
    long started = System.nanoTime();
    String id = backup.backupId().value();
    if (!backup.isDone()) {
      throw new RecoveryException("Backup " + id + " is not restorable: its status is " + backup.status());
    }
    backup.requireRestorable();
    if (backup.snapshotsInfo().isPresent()) {
      throw new RecoveryException("Backup " + id + " is a snapshot backup, which this restore does not support");
    }
    if (options.recovery().isPresent()) {
      RecoveryConfigWriter.check(options.recovery().get(), backup.version().orElse(Integer.MAX_VALUE));
    }
    Path destination = options.destination().toAbsolutePath().normalize();
    requireEmpty(destination);
    Map<Long, RestoreResult.RestoredTablespace> tablespaces = tablespaceTargets(backup, options, destination);
    for (RestoreResult.RestoredTablespace t : tablespaces.values()) {
      requireEmpty(t.location());
    }
    List<StoredTar> tars = listTars(backup, tablespaces);
    long total = 0;
    for (StoredTar tar : tars) {
      total += tar.size();
    }
    progress.total(total);
    try {
      createPrivateDirectory(destination);
      Files.writeString(destination.resolve(INCOMPLETE_MARKER),
          "Restore of backup " + id + " of server " + layout.serverName() + " started " + Instant.now()
              + "; this directory is incomplete until this file is gone.\n", StandardCharsets.UTF_8);
      for (RestoreResult.RestoredTablespace t : tablespaces.values()) {
        createPrivateDirectory(t.location());
      }
      Map<String, TarExtractor> extractors = new LinkedHashMap<>();
      extractors.put(BackupTar.DATA, new TarExtractor(destination, Set.of(TABLESPACE_LINKS), Set.of(PG_CONTROL),
          progress::file));
      for (RestoreResult.RestoredTablespace t : tablespaces.values()) {
        extractors.put(Long.toString(t.oid()), new TarExtractor(t.location(), Set.of(), Set.of(), progress::file));
      }
      progress.phase(Progress.Phase.COPYING);
      long downloaded = extractAll(id, tars, extractors, options.jobs(), destination, progress);
      progress.phase(Progress.Phase.FINISHING);

      for (RestoreResult.RestoredTablespace t : tablespaces.values()) {
        Path links = destination.resolve(TABLESPACE_LINKS);
        if (!Files.isDirectory(links, LinkOption.NOFOLLOW_LINKS)) {
          createPrivateDirectory(links);
        }
        Files.createSymbolicLink(links.resolve(Long.toString(t.oid())), t.location());
      }
      rewriteTablespaceMap(destination, tablespaces);
      Path wal = destination.resolve(backup.walDirectoryName());
      if (!Files.exists(wal, LinkOption.NOFOLLOW_LINKS)) {
        createPrivateDirectory(wal);
      }
      List<Path> configFiles = List.of();
      if (options.recovery().isPresent()) {
        configFiles = RecoveryConfigWriter.write(destination, options.recovery().get(),
            backup.version().orElse(Integer.MAX_VALUE),
            "Recovery settings written by Barman4J's restore of backup " + id + " of server " + layout.serverName());
      }
      long files = 0;
      long bytes = 0;
      // The data directory last: finishing it puts global/pg_control in place, which makes it startable.
      List<TarExtractor> finishing = new ArrayList<>();
      for (Map.Entry<String, TarExtractor> entry : extractors.entrySet()) {
        if (!entry.getKey().equals(BackupTar.DATA)) {
          finishing.add(entry.getValue());
        }
      }
      finishing.add(extractors.get(BackupTar.DATA));
      for (TarExtractor extractor : finishing) {
        extractor.finish();
        files += extractor.files();
        bytes += extractor.bytes();
      }
      Files.delete(destination.resolve(INCOMPLETE_MARKER));
      RestoreResult result = new RestoreResult(backup.backupId(), destination, List.copyOf(tablespaces.values()),
          tars.size(), downloaded, files, bytes, configFiles, Duration.ofNanos(System.nanoTime() - started));
      log().info("Restored backup {} into {}: {} archives, {} files, {} bytes in {}", id, destination,
          result.archives(), files, bytes, result.elapsed());
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("Restore of backup " + id + " into " + destination + " failed: " + Causes.describe(e)
          + "; the directory is incomplete", e);
    }
  }

  /** One tar object to extract, and where. */
  private record StoredTar(BackupTar tar, long size) {}

  private List<StoredTar> listTars(BackupInfo backup, Map<Long, RestoreResult.RestoredTablespace> tablespaces) {
    String id = backup.backupId().value();
    List<ObjectInfo> objects;
    try {
      objects = StorageBackends.listAll(backend, layout.backupPrefix(backup.backupId()));
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list backup " + id + ": " + Causes.describe(e), e);
    }
    List<StoredTar> tars = new ArrayList<>();
    Map<String, Integer> parts = new TreeMap<>();
    for (ObjectInfo object : objects) {
      Optional<BackupTar> tar = layout.parseTarKey(backup.backupId(), object.key());
      if (tar.isPresent()) {
        tars.add(new StoredTar(tar.get(), object.size()));
        parts.merge(tar.get().name() + "#" + tar.get().part(), 1, Integer::sum);
      } else if (object.key().substring(layout.backupPrefix(backup.backupId()).length()).contains(".tar")) {
        log().warn("Skipping {}: not a backup archive name with a known compression suffix", object.key());
      }
    }
    for (Map.Entry<String, Integer> part : parts.entrySet()) {
      if (part.getValue() > 1) {
        String[] nameAndPart = part.getKey().split("#");
        throw new RecoveryException("Backup " + id + " holds part " + nameAndPart[1] + " of '" + nameAndPart[0]
            + "' under " + part.getValue() + " compression suffixes; cannot tell which one to restore");
      }
    }
    // A split archive must have every part from 0 to its last: a missing middle part would otherwise
    // restore "cleanly" into a data directory that lacks files.
    Map<String, java.util.TreeSet<Integer>> partNumbers = new TreeMap<>();
    for (StoredTar t : tars) {
      partNumbers.computeIfAbsent(t.tar().name(), k -> new java.util.TreeSet<>()).add(t.tar().part());
    }
    for (Map.Entry<String, java.util.TreeSet<Integer>> entry : partNumbers.entrySet()) {
      int last = entry.getValue().last();
      for (int part = 0; part <= last; part++) {
        if (!entry.getValue().contains(part)) {
          throw new RecoveryException("Backup " + id + " is missing part " + part + " of '" + entry.getKey()
              + "' (it has parts up to " + last + "); refusing to restore an incomplete backup");
        }
      }
    }
    boolean hasData = false;
    for (StoredTar t : tars) {
      if (t.tar().isData()) {
        hasData = true;
      } else if (!tablespaces.containsKey(t.tar().tablespaceOid().getAsLong())) {
        throw new RecoveryException("Backup " + id + " holds " + t.tar().key()
            + " for tablespace OID " + t.tar().name() + ", which its backup.info does not list");
      }
    }
    if (!hasData) {
      throw new RecoveryException("Backup " + id + " has no data archive (data.tar*) under "
          + layout.backupPrefix(backup.backupId()));
    }
    for (RestoreResult.RestoredTablespace t : tablespaces.values()) {
      boolean found = false;
      for (StoredTar s : tars) {
        found |= s.tar().name().equals(Long.toString(t.oid()));
      }
      if (!found) {
        throw new RecoveryException("Backup " + id + " has no archive for tablespace '" + t.name() + "' (OID "
            + t.oid() + ")");
      }
    }
    // Biggest first, so that a large archive does not start last and leave the other jobs idle.
    tars.sort(Comparator.comparingLong(StoredTar::size).reversed().thenComparing(t -> t.tar().key()));
    return tars;
  }

  private long extractAll(String id, List<StoredTar> tars, Map<String, TarExtractor> extractors, int jobs,
      Path destination, ProgressReporter progress) throws IOException {
    AtomicBoolean cancelled = new AtomicBoolean();
    LongAdder downloaded = new LongAdder();
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, tars.size()), runnable -> {
      Thread t = new Thread(runnable, "barman4j-restore-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (StoredTar stored : tars) {
        TarExtractor extractor = extractors.get(stored.tar().name());
        futures.add(pool.submit(() -> {
          if (cancelled.get()) {
            return null;
          }
          try {
            extractOne(stored, extractor, cancelled, downloaded, progress);
            progress.part();
          } catch (IOException | RuntimeException e) {
            cancelled.set(true);
            throw e;
          }
          return null;
        }));
      }
      Throwable failure = null;
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          if (failure == null || failure instanceof TarExtractor.CancelledException) {
            failure = e.getCause();
          }
        }
      }
      if (failure != null) {
        String where = destination + " is incomplete (" + INCOMPLETE_MARKER + "); remove it before restoring there again";
        if (failure instanceof StorageException s) {
          throw new RecoveryException("Restore of backup " + id + " failed: " + s.getMessage() + "; " + where, s);
        }
        throw new RecoveryException("Restore of backup " + id + " failed: " + Causes.describe(failure) + "; " + where,
            failure);
      }
      return downloaded.sum();
    } catch (InterruptedException e) {
      cancelled.set(true);
      Thread.currentThread().interrupt();
      throw new RecoveryException("Restore of backup " + id + " interrupted; " + destination + " is incomplete", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void extractOne(StoredTar stored, TarExtractor extractor, AtomicBoolean cancelled, LongAdder downloaded,
      ProgressReporter progress) throws IOException {
    String key = stored.tar().key();
    log().debug("Extracting {} ({} bytes, {}) into {}", key, stored.size(), stored.tar().compression().id(),
        extractor.root());
    try (InputStream raw = new Counting(backend.read(key, ByteRange.ALL), downloaded, progress);
        InputStream in = new ReadAheadInputStream(
            stored.tar().compression().decompress(new BufferedInputStream(raw, READ_BUFFER)),
            READ_AHEAD_CHUNK, READ_AHEAD_CHUNKS, "barman4j-read-" + stored.tar().name() + "-" + stored.tar().part())) {
      extractor.extract(in, key, cancelled::get);
    } catch (StorageException | TarExtractor.UnsafeEntryException | TarExtractor.CancelledException e) {
      throw e;
    } catch (IOException e) {
      // Decompression errors do not always name the object.
      throw e.getMessage() != null && e.getMessage().startsWith(key) ? e : new IOException(key + ": " + Causes.describe(e), e);
    }
  }

  private Map<Long, RestoreResult.RestoredTablespace> tablespaceTargets(
      BackupInfo backup, RestoreOptions options, Path destination) {
    Map<String, Path> relocations = new TreeMap<>(options.tablespaceLocations());
    Map<Long, RestoreResult.RestoredTablespace> targets = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Tablespace t : backup.tablespaces()) {
      names.add(t.name());
      Path relocated = relocations.remove(t.name());
      if (relocated == null && !t.hasAbsoluteNormalLocation()) {
        // backup.info is data: a relative or climbing location would land in the working directory or anywhere.
        throw new CorruptBackupInfoException(backup.backupId(), "Invalid backup.info of backup "
            + backup.backupId().value() + ": the location of tablespace '" + t.name() + "' in tablespaces is '"
            + t.location() + "', not an absolute path without '.' or '..'; relocate it with --tablespace "
            + t.name() + ":LOCATION", null);
      }
      Path location = (relocated != null ? relocated : Path.of(t.location())).toAbsolutePath().normalize();
      targets.put(t.oid(), new RestoreResult.RestoredTablespace(t.name(), t.oid(), location));
    }
    if (!relocations.isEmpty()) {
      throw new BarmanConfigurationException("Backup " + backup.backupId().value() + " has no tablespace named '"
          + String.join("', '", relocations.keySet()) + "'"
          + (names.isEmpty() ? " (it has no tablespaces)" : " (it has '" + String.join("', '", names) + "')"));
    }
    List<Path> all = new ArrayList<>();
    all.add(destination);
    for (RestoreResult.RestoredTablespace t : targets.values()) {
      for (Path other : all) {
        if (t.location().startsWith(other) || other.startsWith(t.location())) {
          throw new BarmanConfigurationException("Tablespace '" + t.name() + "' would be restored into "
              + t.location() + ", which overlaps " + other);
        }
      }
      all.add(t.location());
    }
    return targets;
  }

  /**
   * Points {@code tablespace_map} (which PostgreSQL uses to recreate the {@code pg_tblspc} links
   * when it starts from a backup) at the restored locations, so a relocation holds.
   */
  private static void rewriteTablespaceMap(Path destination, Map<Long, RestoreResult.RestoredTablespace> tablespaces)
      throws IOException {
    Path map = destination.resolve("tablespace_map");
    if (!Files.isRegularFile(map, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    StringBuilder out = new StringBuilder();
    for (String line : Files.readString(map, StandardCharsets.UTF_8).split("\n")) {
      int space = line.indexOf(' ');
      String oid = space < 0 ? "" : line.substring(0, space);
      RestoreResult.RestoredTablespace t = oid.matches("[0-9]+") ? tablespaces.get(Long.parseLong(oid)) : null;
      if (t == null) {
        if (!line.isEmpty()) {
          out.append(line).append('\n');
        }
        continue;
      }
      // PostgreSQL's reader takes the character after a backslash literally.
      String path = t.location().toString().replace("\\", "\\\\").replace("\n", "\\\n").replace("\r", "\\\r");
      out.append(oid).append(' ').append(path).append('\n');
    }
    Path tmp = map.resolveSibling("tablespace_map.tmp");
    Files.writeString(tmp, out, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(map, LinkOption.NOFOLLOW_LINKS));
    Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(map, LinkOption.NOFOLLOW_LINKS));
    Files.move(tmp, map, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void requireEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new RecoveryException("Destination " + dir + " already exists and it is not a directory");
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      if (entries.iterator().hasNext()) {
        boolean interrupted = Files.exists(dir.resolve(INCOMPLETE_MARKER), LinkOption.NOFOLLOW_LINKS);
        throw new RecoveryException("Destination " + dir + " already exists and it is not empty"
            + (interrupted ? " (it holds an incomplete restore: " + INCOMPLETE_MARKER + ")" : ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read destination " + dir + ": " + Causes.describe(e), e);
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      return;
    }
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(dir.toString(), null, "cannot create directory");
    }
  }

  /** Counts the bytes read from storage. */
  private static final class Counting extends FilterInputStream {
    private final LongAdder counter;
    private final ProgressReporter progress;

    Counting(InputStream in, LongAdder counter, ProgressReporter progress) {
      super(in);
      this.counter = counter;
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        counter.increment();
        progress.bytes(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        counter.add(n);
        progress.bytes(n);
      }
      return n;
    }
  }

  /** Looked up when first used, so that callers that never log do not pay for the logging set-up. */
  private static Logger log() {
    return LoggerFactory.getLogger(BackupRestore.class);
  }
}
