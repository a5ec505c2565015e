package org.barman4j.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.BarmanListener;
import org.barman4j.Progress;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupInfoFormat;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.catalog.Tablespace;
import org.barman4j.internal.FileNameEncoding;
import org.barman4j.internal.ProgressReporter;
import org.barman4j.internal.PyLiteral;
import org.barman4j.postgres.BackupStart;
import org.barman4j.postgres.BackupStop;
import org.barman4j.postgres.PostgresSession;
import org.barman4j.postgres.ServerInfo;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.Precondition;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageException;
import org.barman4j.wal.WalFileName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a base backup of a running PostgreSQL server into storage, as {@code barman-cloud-backup} does, in
 * its layout, so Barman's tools can list and restore it (and ours can restore Barman's).
 *
 * <p>Steps: start a non-exclusive backup; stream each tablespace into {@code <oid>.tar*}; stream the data
 * directory into {@code data.tar*} followed by {@code global/pg_control} and the configuration files kept
 * outside it; stop the backup; create the restore point {@code barman_<id>}; add {@code backup_label} as the
 * data tar's last member; wait until every part is committed; write {@code backup.info} with status DONE.
 * No {@code tablespace_map} is stored: the restore recreates the {@code pg_tblspc} links from
 * {@code backup.info}, which lets it relocate tablespaces.
 *
 * <p>On any failure the uploads in progress are discarded (nothing partial becomes visible), the backup is
 * stopped on the server, and a {@code backup.info} with status FAILED and
 * {@code error=failure uploading data (<reason>)} is written; then {@link BackupFailedException} is thrown.
 * A backup without a DONE {@code backup.info} is never offered for restore.
 *
 * <p>The database must be on this host: files are read from the data directory the server reports.
 */
public final class BaseBackup {
  /** The name of the data directory's tar. */
  static final String DATA = ServerLayout.BackupTar.DATA;

  /** The most memory the chunk buffers may take, whatever the number of jobs. */
  private static final long PIPELINE_MEMORY = 96L << 20;

  private final StorageBackend backend;
  private final ServerLayout layout;
  private final BackupOptions options;
  private final Clock clock;

  /**
   * A backup into {@code backend} under {@code layout}, with the system clock and zone for its identifier.
   *
   * @param backend the storage
   * @param layout the server's object layout
   * @param options how to take the backup
   */
  public BaseBackup(StorageBackend backend, ServerLayout layout, BackupOptions options) {
    this(backend, layout, options, Clock.systemDefaultZone());
  }

  /**
   * A backup into {@code backend} under {@code layout}, with {@code clock} for its identifier.
   *
   * @param backend the storage
   * @param layout the server's object layout
   * @param options how to take the backup
   * @param clock the clock giving the backup's start time and zone
   */
  public BaseBackup(StorageBackend backend, ServerLayout layout, BackupOptions options, Clock clock) {
    this.backend = Objects.requireNonNull(backend, "backend is null");
    this.layout = Objects.requireNonNull(layout, "layout is null");
    this.options = Objects.requireNonNull(options, "options is null");
    this.clock = Objects.requireNonNull(clock, "clock is null");
  }

  private static Logger log() {
    return LoggerFactory.getLogger(BaseBackup.class);
  }

  /** Bytes per compression chunk for {@code jobs} threads: 4 MiB, less when many jobs share the budget. */
  static int chunkSize(int jobs) {
    long perChunk = PIPELINE_MEMORY / (2L * (2L * jobs + 1));
    return (int) Math.max(256 * 1024, Math.min(CompressionPipeline.DEFAULT_CHUNK_SIZE, perChunk));
  }

  /**
   * Takes the backup through {@code session}, which must not have a backup in progress; the session is
   * borrowed, not closed.
   *
   * @param session the connection to the server
   * @throws BackupFailedException if the backup failed after it started (a FAILED {@code backup.info} has
   *     been written where possible)
   * @throws org.barman4j.postgres.PostgresException if the server cannot describe itself (nothing written)
   * @throws StorageFailureException if the storage cannot be read before the backup starts
   * @return what was stored
   */
  public BackupResult run(PostgresSession session) {
    return run(session, BarmanListener.NONE);
  }

  /**
   * Takes the backup through {@code session} as {@link #run(PostgresSession)} does, telling {@code listener}
   * how far it has come: bytes read from the data directory against the server's estimate of its size,
   * files, parts opened, and the phase.
   *
   * @param session the connection to the server
   * @param listener told of the progress
   * @throws BackupFailedException if the backup failed after it started (a FAILED {@code backup.info} has
   *     been written where possible)
   * @throws org.barman4j.postgres.PostgresException if the server cannot describe itself (nothing written)
   * @throws StorageFailureException if the storage cannot be read before the backup starts
   * @return what was stored
   */
  public BackupResult run(PostgresSession session, BarmanListener listener) {
    Objects.requireNonNull(session, "session is null");
    ProgressReporter progress = new ProgressReporter(listener, Progress.Job.BACKUP);
    progress.phase(Progress.Phase.STARTING);
    long startNanos = System.nanoTime();
    ServerInfo server = session.serverInfo();
    BackupId id = freshId();
    long maxArchiveSize = options.maxArchiveSize();
    if (maxArchiveSize > BackupOptions.MAX_ARCHIVE_SIZE) {
      log().warn("max-archive-size too big. Capping it to 1.0 TiB");
      maxArchiveSize = BackupOptions.MAX_ARCHIVE_SIZE;
    }
    Path pgdata;
    try {
      pgdata = Path.of(server.dataDirectory());
    } catch (InvalidPathException e) {
      throw FileNameEncoding.explain(e);
    }
    BackupInfo.Builder info = BackupInfo.builder(id)
        .status(BackupStatus.STARTED)
        .systemId(server.systemIdentifier())
        .version(server.versionNum())
        .xlogSegmentSize(server.walSegmentSize().bytes())
        .pgdata(server.dataDirectory());
    server.configFile().ifPresent(info::configFile);
    server.hbaFile().ifPresent(info::hbaFile);
    server.identFile().ifPresent(info::identFile);
    options.name().ifPresent(info::backupName);
    PutOptions put = new PutOptions(Precondition.IF_ABSENT, Map.of(), options.tags());
    int jobs = options.jobs();
    CompressionPipeline pipeline = new CompressionPipeline(options.compression(), options.compressionLevel(), jobs,
        chunkSize(jobs), 2 * jobs, options.maxBandwidth());
    long bytesRead = 0;
    try {
      log().info("Starting backup '{}'", id);
      BackupStart start = session.startBackup("Barman backup cloud " + id,
          options.immediateCheckpoint() ? PostgresSession.Checkpoint.IMMEDIATE : PostgresSession.Checkpoint.SPREAD);
      WalFileName beginWal = start.lsn().walFileName(start.timeline(), server.walSegmentSize());
      info.beginXlog(start.lsn()).beginWal(beginWal).beginOffset(start.lsn().segmentOffset(server.walSegmentSize()))
          .beginTime(start.time()).timeline(start.timeline());
      List<Tablespace> tablespaces = session.tablespaces();
      info.tablespaces(tablespaces);
      progress.total(session.clusterSize());
      progress.phase(Progress.Phase.COPYING);
      long copyStartNanos = System.nanoTime();

      List<Path> inside = new ArrayList<>();
      for (Tablespace t : tablespaces) {
        Path location = pgdata.resolve(t.location()).toAbsolutePath().normalize();
        if (location.startsWith(pgdata.toAbsolutePath().normalize())) {
          inside.add(location);
        }
        String name = Long.toString(t.oid());
        log().info("Uploading '{}' directory '{}' as '{}'", t.name(), location, layout.tarKey(id, name, 0, options.compression()));
        SplittingTarWriter tar = new SplittingTarWriter(maxArchiveSize, opener(pipeline, id, name, put, progress));
        PgDataWalker.tablespace(location, server.majorVersion()).walk(counted(tar, progress));
        tar.finish();
        bytesRead += tar.bytesRead();
      }

      log().info("Uploading 'pgdata' directory '{}' as '{}'", pgdata, layout.tarKey(id, DATA, 0, options.compression()));
      SplittingTarWriter data = new SplittingTarWriter(maxArchiveSize, opener(pipeline, id, DATA, put, progress));
      {
        PgDataWalker.dataDirectory(pgdata, inside).walk(counted(data, progress));
        Optional<FileEntry> control = FileEntry.stat(pgdata.resolve("global/pg_control"), "global/pg_control");
        if (control.isEmpty() || !data.add(control.get())) {
          throw new NoSuchFileException(pgdata.resolve("global/pg_control").toString(), null, "missing");
        }
        addExternalConfigFiles(data, pgdata, server);

        progress.phase(Progress.Phase.STOPPING);
        log().info("Stopping backup '{}'", id);
        BackupStop stop = session.stopBackup();
        WalFileName endWal = stop.lsn().walFileName(stop.timeline(), server.walSegmentSize());
        info.endXlog(stop.lsn()).endWal(endWal).endOffset(stop.lsn().segmentOffset(server.walSegmentSize()))
            .endTime(stop.time()).backupLabel(stop.backupLabel());
        if (server.inRecovery()) {
          log().warn("Not creating restore point 'barman_{}': the server is in recovery", id);
        } else {
          session.createRestorePoint("barman_" + id);
        }
        FileEntry root = FileEntry.stat(pgdata, ".").orElseThrow();
        String[] owner = ownerNames(pgdata);
        data.addBytes("backup_label", stop.backupLabel().getBytes(StandardCharsets.UTF_8), 0644, 0, root.uid(),
            root.gid(), owner[0], owner[1]);
        data.finish();
        bytesRead += data.bytesRead();
      }
      progress.phase(Progress.Phase.FINISHING);
      List<CompressionPipeline.PartResult> parts = pipeline.finish();
      long copyNanos = System.nanoTime() - copyStartNanos;

      List<ObjectInfo> objects = new ArrayList<>();
      long stored = 0;
      for (CompressionPipeline.PartResult p : parts) {
        objects.add(p.object());
        stored += p.storedBytes();
      }
      info.copyStats(copyStats(parts, jobs, System.nanoTime() - startNanos, copyNanos));
      BackupInfo done = info.status(BackupStatus.DONE).build();
      log().info("Uploading '{}'", layout.backupInfoKey(id));
      backend.put(layout.backupInfoKey(id), BackupInfoFormat.toBytes(done), put);
      log().info("Backup end at LSN: {} ({}, {})", done.endXlog().orElseThrow(), done.endWal().orElseThrow(),
          String.format("%08X", done.endOffset().orElseThrow()));
      log().info("Backup completed (start time: {}, elapsed time: {})", done.beginTime().orElseThrow(),
          Duration.ofNanos(System.nanoTime() - startNanos));
      progress.phase(Progress.Phase.DONE);
      return new BackupResult(done, objects, bytesRead, stored, Duration.ofNanos(System.nanoTime() - startNanos));
    } catch (Throwable e) {
      pipeline.abort(e);
      throw failed(session, info, e);
    } finally {
      pipeline.close();
    }
  }

  /** An identifier no other backup of this server uses: the next second's if this one is taken. */
  private BackupId freshId() {
    try {
      BackupId id = BackupId.now(clock);
      for (int attempt = 0; attempt < 3 && !backend.list(layout.backupPrefix(id),
          ListOptions.DEFAULT).objects().isEmpty(); attempt++) {
        Thread.sleep(1000);
        id = BackupId.now(clock);
      }
      return id;
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new StorageFailureException(new StorageException("Cannot list " + layout.baseRoot() + ": " + e.getMessage(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while choosing the backup identifier", e);
    }
  }

  /** Adds each entry to {@code tar}, counting the files and their bytes. */
  private static PgDataWalker.Visitor counted(SplittingTarWriter tar, ProgressReporter progress) {
    return entry -> {
      if (tar.add(entry) && entry.type() == FileEntry.Type.FILE) {
        progress.file();
        progress.bytes(entry.size());
      }
    };
  }

  private SplittingTarWriter.PartOpener opener(CompressionPipeline pipeline, BackupId id, String name, PutOptions put,
      ProgressReporter progress) {
    return n -> {
      progress.part();
      String key = layout.tarKey(id, name, n, options.compression());
      return pipeline.open(key, backend.openUpload(key, put));
    };
  }

  /** {@code config_file}, {@code hba_file} and {@code ident_file} kept outside the data directory, at the tar root. */
  private static void addExternalConfigFiles(SplittingTarWriter data, Path pgdata, ServerInfo server) throws IOException {
    Map<String, Optional<String>> files = new LinkedHashMap<>();
    files.put("config_file", server.configFile());
    files.put("hba_file", server.hbaFile());
    files.put("ident_file", server.identFile());
    Path root = pgdata.toAbsolutePath().normalize();
    for (Map.Entry<String, Optional<String>> f : files.entrySet()) {
      if (f.getValue().isEmpty()) {
        continue;
      }
      Path path = Path.of(f.getValue().get()).toAbsolutePath().normalize();
      if (path.startsWith(root)) {
        continue;
      }
      String name = path.getFileName().toString();
      Optional<FileEntry> entry;
      try {
        entry = FileEntry.stat(path, name);
      } catch (NoSuchFileException e) {
        entry = Optional.empty();
      }
      if (entry.isEmpty() || !data.add(entry.get())) {
        if (f.getKey().equals("ident_file")) {
          continue; // PostgreSQL starts without one
        }
        throw new NoSuchFileException(path.toString(), null, f.getKey() + " is missing");
      }
    }
  }

  private static String[] ownerNames(Path path) {
    try {
      PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
      return new String[] {a.owner().getName(), a.group().getName()};
    } catch (IOException | UnsupportedOperationException e) {
      return new String[] {"", ""};
    }
  }

  /** barman-cloud's {@code copy_stats} dict. */
  private static String copyStats(List<CompressionPipeline.PartResult> parts, int jobs, long totalNanos,
      long copyNanos) {
    Map<String, Double> perItem = new LinkedHashMap<>();
    double serialized = 0;
    for (CompressionPipeline.PartResult p : parts) {
      String file = p.name().substring(p.name().lastIndexOf('/') + 1);
      String item = file.substring(0, file.indexOf(".tar"));
      int underscore = item.indexOf('_');
      item = underscore < 0 ? item : item.substring(0, underscore);
      double seconds = p.elapsed().toNanos() / 1e9;
      perItem.merge(item, seconds, Double::sum);
      serialized += seconds;
    }
    Map<PyLiteral.Value, PyLiteral.Value> analysis = new LinkedHashMap<>();
    Map<PyLiteral.Value, PyLiteral.Value> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : perItem.entrySet()) {
      analysis.put(new PyLiteral.PyStr(e.getKey()), PyLiteral.PyInt.of(0));
      copy.put(new PyLiteral.PyStr(e.getKey()), new PyLiteral.PyFloat(round(e.getValue())));
    }
    Map<PyLiteral.Value, PyLiteral.Value> stats = new LinkedHashMap<>();
    stats.put(new PyLiteral.PyStr("total_time"), new PyLiteral.PyFloat(round(totalNanos / 1e9)));
    stats.put(new PyLiteral.PyStr("number_of_workers"), PyLiteral.PyInt.of(jobs));
    stats.put(new PyLiteral.PyStr("analysis_time"), PyLiteral.PyInt.of(0));
    stats.put(new PyLiteral.PyStr("analysis_time_per_item"), new PyLiteral.PyDict(analysis));
    stats.put(new PyLiteral.PyStr("copy_time_per_item"), new PyLiteral.PyDict(copy));
    stats.put(new PyLiteral.PyStr("serialized_copy_time_per_item"), new PyLiteral.PyDict(copy));
    stats.put(new PyLiteral.PyStr("copy_time"), new PyLiteral.PyFloat(round(copyNanos / 1e9)));
    stats.put(new PyLiteral.PyStr("serialized_copy_time"), new PyLiteral.PyFloat(round(serialized)));
    return PyLiteral.repr(new PyLiteral.PyDict(stats));
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1e6) / 1e6;
  }

  /** Stops the server's backup, records FAILED and builds the exception to throw. */
  private BackupFailedException failed(PostgresSession session, BackupInfo.Builder info, Throwable cause) {
    if (session.backupInProgress()) {
      try {
        session.stopBackup();
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
    String reason = firstLine(cause) + FileNameEncoding.hint(cause);
    String error = "failure uploading data (" + reason + ")";
    BackupInfo failed = info.status(BackupStatus.FAILED).error(error).build();
    log().error("Backup failed uploading data ({})", reason);
    try {
      backend.put(layout.backupInfoKey(failed.backupId()), BackupInfoFormat.toBytes(failed),
          new PutOptions(Precondition.IF_ABSENT, Map.of(), options.tags()));
    } catch (IOException | RuntimeException e) {
      log().error("Cannot record the failed backup {} in {}: {}", failed.backupId(),
          layout.backupInfoKey(failed.backupId()), e.getMessage());
      cause.addSuppressed(e);
    }
    return new BackupFailedException("Backup " + failed.backupId() + " failed: " + error, failed, cause);
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      m = t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
