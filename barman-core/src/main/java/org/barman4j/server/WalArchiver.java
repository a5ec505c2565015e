package org.barman4j.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;
import org.barman4j.config.ServerConfig;
import org.barman4j.server.WalArchiveReport.FileResult;
import org.barman4j.server.WalArchiveReport.Outcome;
import org.barman4j.server.WalArchiveReport.Queue;
import org.barman4j.server.WalArchiveReport.Source;
import org.barman4j.server.internal.WalCompressions;
import org.barman4j.wal.WalFileName;

/**
 * Barman's {@code archive-wal}: moves the WAL files waiting in a server's {@code streaming/} and
 * {@code incoming/} into {@code wals/}, as Barman 3.4 does, under the server's archive-wal lock.
 *
 * <p>Each queue is listed in name order; {@code *.tmp} files are ignored; anything that is not a regular
 * file with a WAL name (segment, {@code .partial}, {@code .backup}, {@code .history}) is moved to
 * {@code errors/NAME.STAMP.unknown}. {@code streaming/} holds back the newest {@code .partial} file, or the
 * newest segment when there is none, because {@code pg_receivewal} restarts from it. At most the batch size
 * is processed per run (0: all).
 *
 * <p>Per file: if {@code wals/} already has it, the decompressed contents are compared — the same: the
 * queued copy is dropped; different: it is moved to {@code errors/NAME.STAMP.duplicate}; an archived file is
 * never overwritten. Otherwise it is compressed with the server's {@code compression} (unless it is already
 * compressed: its codec is kept) into {@code NAME.tmp} beside its destination, fsynced, given the source's
 * modification time, renamed into place and the directory fsynced; then its line is appended to
 * {@code xlog.db} (fsynced), and only then is the source removed. A crash at any point leaves the file
 * either still queued or archived and catalogued: a file stored but not yet catalogued is found again as
 * an identical duplicate, and catalogued then.
 */
public final class WalArchiver {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final ServerDirectories directories;
  private final Settings settings;
  private final Clock clock;
  private final XlogDb xlogDb;
  /** How many files are compressed at once: one per processor, at most four. */
  private final int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /**
   * What the archiver needs from the server's configuration.
   *
   * @param incoming process {@code incoming/} ({@code archiver}, forced on by Barman when no archiver is)
   * @param streaming process {@code streaming/} ({@code streaming_archiver})
   * @param incomingBatchSize {@code archiver_batch_size}, 0 for all
   * @param streamingBatchSize {@code streaming_archiver_batch_size}, 0 for all
   * @param compression the {@code compression} name, empty for none
   */
  public record Settings(boolean incoming, boolean streaming, int incomingBatchSize, int streamingBatchSize,
      String compression) {
    /**
     * Checks the values.
     *
     * @param incoming process {@code incoming/}
     * @param streaming process {@code streaming/}
     * @param incomingBatchSize {@code archiver_batch_size}, 0 for all
     * @param streamingBatchSize {@code streaming_archiver_batch_size}, 0 for all
     * @param compression the {@code compression} name, empty for none
     * @throws IllegalArgumentException for a compression Barman4J cannot write ({@code custom}, unknown)
     */
    public Settings {
      Objects.requireNonNull(compression, "compression is null");
      if (!compression.isEmpty() && WalCompressions.codec(compression).isEmpty()) {
        throw new IllegalArgumentException("compression '" + compression + "' is not supported (use gzip, pigz, "
            + "pygzip, bzip2, pybzip2, xz, zstd, lz4 or snappy)");
      }
    }

    /**
     * {@return the settings of a configured server}
     *
     * @param config the server's configuration
     * @throws IllegalArgumentException for a compression Barman4J cannot write
     */
    public static Settings of(ServerConfig config) {
      boolean streaming = config.streamingArchiver();
      // Barman forces archiver = on when neither archiver is on.
      boolean incoming = config.archiver() || !streaming;
      return new Settings(incoming, streaming, Math.max(0, config.archiverBatchSize()),
          Math.max(0, config.streamingArchiverBatchSize()), config.compression().orElse(""));
    }
  }

  /**
   * Creates the archiver of one server.
   *
   * @param directories the server's directories
   * @param settings what to process and how
   * @param clock the clock of the {@code errors/} time stamps
   */
  public WalArchiver(ServerDirectories directories, Settings settings, Clock clock) {
    this.directories = Objects.requireNonNull(directories, "directories is null");
    this.settings = Objects.requireNonNull(settings, "settings is null");
    this.clock = Objects.requireNonNull(clock, "clock is null");
    this.xlogDb = new XlogDb(directories);
  }

  /**
   * Processes {@code streaming/} (when enabled) then {@code incoming/} (when enabled), holding the server's
   * archive-wal lock. If another process holds it, nothing is done and the report says so. The first file
   * that cannot be archived stops the run; it stays queued and the report names it.
   *
   * @return what was done
   * @throws IOException if a queue cannot be listed or the lock file cannot be opened
   */
  public WalArchiveReport archive() throws IOException {
    Optional<ServerLock> lock = ServerLock.tryAcquire(directories.archiveWalLock());
    if (lock.isEmpty()) {
      return new WalArchiveReport(directories.serverName(), true, List.of());
    }
    try (ServerLock held = lock.get()) {
      String stamp = STAMP.format(clock.instant().atOffset(ZoneOffset.UTC));
      List<Queue> queues = new ArrayList<>();
      if (settings.streaming()) {
        Queue q = process(Source.STREAMING, directories.streaming(), settings.streamingBatchSize(), stamp);
        queues.add(q);
        if (failed(q)) {
          return new WalArchiveReport(directories.serverName(), false, queues);
        }
      }
      if (settings.incoming()) {
        queues.add(process(Source.INCOMING, directories.incoming(), settings.incomingBatchSize(), stamp));
      }
      return new WalArchiveReport(directories.serverName(), false, queues);
    }
  }

  private static boolean failed(Queue q) {
    return q.files().stream().anyMatch(f -> f.outcome() == Outcome.FAILED);
  }

  private Queue process(Source source, Path directory, int batchSize, String stamp) throws IOException {
    List<Path> files = new ArrayList<>();
    List<Path> errors = new ArrayList<>();
    List<Path> partials = new ArrayList<>();
    for (Path p : sortedChildren(directory)) {
      String name = p.getFileName().toString();
      if (name.endsWith(".tmp")) {
        continue;
      }
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        continue; // renamed or removed while listing
      }
      boolean regular = Files.isRegularFile(p);
      if (!regular || !WalFileName.isValid(name)) {
        errors.add(p);
      } else if (source == Source.STREAMING && WalFileName.parse(name).type() == WalFileName.Type.PARTIAL) {
        partials.add(p);
      } else {
        files.add(p);
      }
    }
    if (source == Source.STREAMING) {
      // pg_receivewal finds its restart position from the newest file: it stays.
      if (partials.size() > 1) {
        files.addAll(partials.subList(0, partials.size() - 1));
      } else if (partials.isEmpty() && !files.isEmpty()) {
        files.remove(files.size() - 1);
      }
    }
    int runSize = batchSize > 0 ? Math.min(batchSize, files.size()) : files.size();
    List<FileResult> results = new ArrayList<>();
    List<Path> batch = files.subList(0, runSize);
    // Compression is the cost of a run: files are compressed in parallel ahead of time, each into its own
    // NAME.tmp, and committed (renamed, catalogued, removed from the queue) one by one in name order, so that
    // xlog.db and the durability order are those of a sequential run.
    ExecutorService pool = batch.size() > 1 && threads > 1 ? Executors.newFixedThreadPool(threads, WalArchiver::daemon)
        : null;
    List<Future<Prepared>> ahead = new ArrayList<>();
    try {
      for (int i = 0; i < batch.size(); i++) {
        while (ahead.size() < batch.size() && ahead.size() <= i + 2 * threads) {
          Path next = batch.get(ahead.size());
          Callable<Prepared> task = () -> prepare(source, next);
          ahead.add(pool == null ? completed(task) : pool.submit(task));
        }
        FileResult result = commit(source, batch.get(i), ahead.get(i), stamp);
        results.add(result);
        if (result.outcome() == Outcome.FAILED) {
          discard(ahead.subList(i + 1, ahead.size()));
          return new Queue(source, files.size(), runSize < files.size() ? runSize : 0, results, List.of());
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    List<String> unknown = new ArrayList<>();
    for (Path error : errors) {
      String name = error.getFileName().toString();
      unknown.add(name);
      moveToErrors(error, name + "." + stamp + ".unknown");
    }
    return new Queue(source, files.size(), runSize < files.size() ? runSize : 0, results, unknown);
  }

  /**
   * A queued file made ready to commit: compressed into {@code temp} beside its destination, or found to be
   * already archived ({@code temp} empty: a duplicate to compare).
   */
  private record Prepared(WalFileName wal, Path destination, Optional<Path> temp, FileTime mtime, String recorded) {}

  private Prepared prepare(Source source, Path file) throws IOException {
    WalFileName wal = WalFileName.parse(file.getFileName().toString());
    // Barman probes files from incoming/ for compression; files from pg_receivewal are raw.
    Compression sourceCodec = source == Source.STREAMING ? Compression.NONE : probe(file);
    Path destination = directories.walFile(wal);
    if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
      return new Prepared(wal, destination, Optional.empty(), FileTime.fromMillis(0), "");
    }
    FileTime mtime = Files.getLastModifiedTime(file);
    Path directory = destination.getParent();
    boolean created = !Files.isDirectory(directory);
    Files.createDirectories(directory);
    if (created) {
      DurableFiles.syncDirectory(directory.getParent());
    }
    Optional<Compression> target = settings.compression().isEmpty() || sourceCodec != Compression.NONE
        ? Optional.empty() : WalCompressions.codec(settings.compression());
    String recorded = target.isPresent() ? settings.compression()
        : sourceCodec == Compression.NONE ? "" : WalCompressions.detectedName(sourceCodec);
    Path temp = directory.resolve(wal.name() + ".tmp");
    // We hold the archive-wal lock: a temporary file left here is from a run that was killed.
    Files.deleteIfExists(temp);
    try {
      writeTemp(file, temp, target);
      Files.setLastModifiedTime(temp, mtime);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return new Prepared(wal, destination, Optional.of(temp), mtime, recorded);
  }

  private FileResult commit(Source source, Path file, Future<Prepared> ready, String stamp) {
    String name = file.getFileName().toString();
    try {
      Prepared p = await(ready);
      if (p.temp().isEmpty() || Files.exists(p.destination(), LinkOption.NOFOLLOW_LINKS)) {
        p.temp().ifPresent(WalArchiver::deleteQuietly);
        Compression sourceCodec = source == Source.STREAMING ? Compression.NONE : probe(file);
        return duplicate(p.wal(), file, sourceCodec, p.destination(), stamp);
      }
      try {
        Files.move(p.temp().get(), p.destination(), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        deleteQuietly(p.temp().get());
        throw e;
      }
      DurableFiles.syncDirectory(p.destination().getParent());
      xlogDb.append(List.of(new XlogDbEntry(p.wal().name(), Files.size(p.destination()),
          pythonTime(p.mtime()), p.recorded())));
      removeSource(file);
      return new FileResult(name, Outcome.ARCHIVED, "");
    } catch (IOException | RuntimeException e) {
      return new FileResult(name, Outcome.FAILED, describe(e));
    }
  }

  private static Prepared await(Future<Prepared> ready) throws IOException {
    try {
      return ready.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(cause);
    }
  }

  /** Waits for files prepared ahead of a failure and removes their temporary files: they stay queued. */
  private static void discard(List<Future<Prepared>> prepared) {
    for (Future<Prepared> f : prepared) {
      try {
        await(f).temp().ifPresent(WalArchiver::deleteQuietly);
      } catch (IOException | RuntimeException e) {
        // its own temporary file was removed by prepare
      }
    }
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // a leftover .tmp is replaced by the next run
    }
  }

  private static Future<Prepared> completed(Callable<Prepared> task) {
    FutureTask<Prepared> future = new FutureTask<>(task);
    future.run();
    return future;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "barman4j-archive-wal");
    t.setDaemon(true);
    return t;
  }

  private FileResult duplicate(WalFileName wal, Path file, Compression sourceCodec, Path destination, String stamp)
      throws IOException {
    Compression storedCodec = probe(destination);
    if (sameContent(file, sourceCodec, destination, storedCodec)) {
      catalogueIfMissing(wal, file, destination, storedCodec);
      removeSource(file);
      return new FileResult(wal.name(), Outcome.DUPLICATE_DROPPED, "");
    }
    String target = moveToErrors(file, wal.name() + "." + stamp + ".duplicate");
    return new FileResult(wal.name(), Outcome.DUPLICATE_MOVED, target);
  }

  /** A file stored by a run that stopped before its xlog.db line was written gets its line now. */
  private void catalogueIfMissing(WalFileName wal, Path file, Path destination, Compression storedCodec)
      throws IOException {
    if (xlogDb.read().stream().anyMatch(e -> e.name().equals(wal.name()))) {
      return;
    }
    String recorded = storedCodec == Compression.NONE ? ""
        : storedCodec == WalCompressions.codec(settings.compression()).orElse(Compression.NONE)
            ? settings.compression() : WalCompressions.detectedName(storedCodec);
    xlogDb.append(List.of(new XlogDbEntry(wal.name(), Files.size(destination),
        pythonTime(Files.getLastModifiedTime(file)), recorded)));
  }

  private static void writeTemp(Path source, Path temp, Optional<Compression> codec) throws IOException {
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream raw = Channels.newOutputStream(channel);
      if (codec.isPresent()) {
        OutputStream compressed = codec.get().compress(new BufferedOutputStream(raw, 1 << 16),
            CompressionLevel.MEDIUM);
        try (InputStream in = Files.newInputStream(source)) {
          in.transferTo(compressed);
        }
        compressed.close(); // finishes the stream; closes the channel too
        try (FileChannel sync = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          sync.force(true);
        }
      } else {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
          long size = in.size();
          long done = 0;
          while (done < size) {
            done += in.transferTo(done, size - done, channel);
          }
        }
        channel.force(true);
      }
    }
  }

  private static boolean sameContent(Path a, Compression codecA, Path b, Compression codecB) throws IOException {
    try (InputStream x = codecA.decompress(new BufferedInputStream(Files.newInputStream(a), 1 << 16));
        InputStream y = codecB.decompress(new BufferedInputStream(Files.newInputStream(b), 1 << 16))) {
      byte[] bufX = new byte[1 << 16];
      byte[] bufY = new byte[1 << 16];
      while (true) {
        int n = x.readNBytes(bufX, 0, bufX.length);
        int m = y.readNBytes(bufY, 0, n == 0 ? bufY.length : n);
        if (n != m || !Arrays.equals(bufX, 0, n, bufY, 0, m)) {
          return false;
        }
        if (n == 0) {
          return true;
        }
      }
    }
  }

  private void removeSource(Path file) throws IOException {
    Files.deleteIfExists(file);
    DurableFiles.syncDirectory(file.toAbsolutePath().getParent());
  }

  /** Moves a queued object into errors/, never over an existing file; returns the name it got. */
  private String moveToErrors(Path file, String name) throws IOException {
    Files.createDirectories(directories.errors());
    String target = name;
    for (int i = 1; ; i++) {
      try {
        Files.move(file, directories.errors().resolve(target));
        DurableFiles.syncDirectory(directories.errors());
        DurableFiles.syncDirectory(file.toAbsolutePath().getParent());
        return target;
      } catch (FileAlreadyExistsException taken) {
        target = name + "." + i;
      } catch (NoSuchFileException vanished) {
        return target; // removed while we ran, as Barman tolerates
      }
    }
  }

  private static Compression probe(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(16);
    }
    return Compression.fromMagic(head).orElse(Compression.NONE);
  }

  /** CPython's {@code st_mtime}: the same arithmetic, so xlog.db carries Barman's digits. */
  static double pythonTime(FileTime time) {
    Instant mtime = time.toInstant();
    return (double) mtime.getEpochSecond() + mtime.getNano() * 1e-9;
  }

  private static List<Path> sortedChildren(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(directory)) {
      return children.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
