package org.barman4j.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.Tablespace;
import org.barman4j.compress.Compression;
import org.barman4j.config.BackupMethod;
import org.barman4j.config.ServerConfig;
import org.barman4j.internal.Human;
import org.barman4j.internal.PyLiteral;
import org.barman4j.internal.PythonTime;
import org.barman4j.postgres.PostgresException;
import org.barman4j.postgres.PostgresSession.Checkpoint;
import org.barman4j.server.internal.BackupFiles;
import org.barman4j.server.internal.BackupLabel;
import org.barman4j.server.internal.BackupWalCheck;
import org.barman4j.server.internal.BaseBackupCompression;
import org.barman4j.server.internal.PgBaseBackupCommand;
import org.barman4j.server.internal.PgBaseBackupLocator;
import org.barman4j.server.internal.PgClientVersion;
import org.barman4j.server.internal.ServerConnection;
import org.barman4j.wal.WalFileName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code barman backup SERVER} for {@code backup_method = postgres}: a {@code pg_basebackup} copy into
 * {@code base/ID}, described by {@code backup.info} exactly as Barman 3.4 writes it.
 *
 * <p>Before anything is written the server is checked ({@code conninfo} reachable, {@code wal_level},
 * the system identifier against {@code identity.json}, a {@code pg_basebackup} at least as new as the server,
 * the compression settings) and the server's backup lock taken; a failing check throws
 * {@link BackupRefusedException}. From then on {@code backup.info} exists: STARTED first (written durably),
 * then WAITING_FOR_WALS or DONE once the copy is complete and synced, or FAILED with Barman's
 * {@code error=failure <action> (<reason>)} on any error, including a termination signal. A process killed
 * outright leaves STARTED, never DONE.
 *
 * <pre>{@code
 * BackupInfo info = PostgresBackupExecutor.builder(config, directories)
 *     .listener(m -> System.out.println(m.consoleText()))
 *     .archiveWal(() -> archiver.run())
 *     .build()
 *     .backup(BackupRequest.of(config).withWait(Duration.ofMinutes(10)));
 * }</pre>
 */
public final class PostgresBackupExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBackupExecutor.class);
  private static final int OUTPUT_LINES_KEPT = 20;

  private final ServerConfig config;
  private final ServerDirectories directories;
  private final Clock clock;
  private final List<Path> searchPath;
  private final ArchiveWalStep archiveWal;
  private final ServerListener listener;

  private PostgresBackupExecutor(Builder b) {
    this.config = b.config;
    this.directories = b.directories;
    this.clock = b.clock;
    this.searchPath = b.searchPath;
    this.archiveWal = b.archiveWal;
    this.listener = b.listener;
  }

  /**
   * {@return a builder for a backup of that server}
   *
   * @param config the server's configuration
   * @param directories where its catalogue lives
   */
  public static Builder builder(ServerConfig config, ServerDirectories directories) {
    return new Builder(config, directories);
  }

  /** Collects the collaborators of a {@link PostgresBackupExecutor}; only the configuration is required. */
  public static final class Builder {
    private final ServerConfig config;
    private final ServerDirectories directories;
    private Clock clock = Clock.systemDefaultZone();
    private List<Path> searchPath;
    private ArchiveWalStep archiveWal = ArchiveWalStep.NONE;
    private ServerListener listener = ServerListener.SILENT;

    private Builder(ServerConfig config, ServerDirectories directories) {
      this.config = Objects.requireNonNull(config, "config is null");
      this.directories = Objects.requireNonNull(directories, "directories is null");
      this.searchPath = PgBaseBackupLocator.searchDirectories(config.pathPrefix(),
          Objects.requireNonNullElse(System.getenv("PATH"), ""), PgBaseBackupLocator.INSTALLED_VERSIONS);
    }

    /**
     * Sets the clock the backup id is taken from (default: the system clock in the default zone).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock is null");
      return this;
    }

    /**
     * Sets where {@code pg_basebackup} is looked for, in order (default: {@code path_prefix}, {@code PATH}, then
     * {@code /usr/lib/postgresql/VERSION/bin}, newest first).
     *
     * @param directories the directories
     * @return this builder
     */
    public Builder pgBaseBackupSearchPath(List<Path> directories) {
      this.searchPath = List.copyOf(directories);
      return this;
    }

    /**
     * Sets the archiver run while waiting for WAL files and after the backup (default: none).
     *
     * @param archiveWal one quiet {@code archive-wal} run
     * @return this builder
     */
    public Builder archiveWal(ArchiveWalStep archiveWal) {
      this.archiveWal = Objects.requireNonNull(archiveWal, "archiveWal is null");
      return this;
    }

    /**
     * Sets who receives the messages (default: nobody).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(ServerListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener is null");
      return this;
    }

    /** {@return the executor} */
    public PostgresBackupExecutor build() {
      return new PostgresBackupExecutor(this);
    }
  }

  /** What the pre-backup checks established. */
  private record Prepared(PgBaseBackupLocator.Program program, Optional<BaseBackupCompression> compression,
      ServerIdentity identity) {}

  /**
   * Takes a backup.
   *
   * @param request the options
   * @return the backup as recorded in {@code backup.info}: WAITING_FOR_WALS or DONE when the copy succeeded,
   *     FAILED (with {@code error}) when it did not; an ERROR message has then been sent to the listener
   * @throws BackupRefusedException if the backup could not start; nothing was written under {@code base/}
   */
  public BackupInfo backup(BackupRequest request) {
    Objects.requireNonNull(request, "request is null");
    String server = config.name();
    if (config.backupMethod() != BackupMethod.POSTGRES) {
      throw new BackupRefusedException("Server '" + server + "' has backup_method = "
          + config.backupMethod().barmanName() + ", which this version cannot run yet: use backup_method = postgres");
    }
    if (config.conninfo().isBlank()) {
      throw new BackupRefusedException("Server '" + server + "' has no conninfo");
    }
    BackupInfo result;
    try (ServerConnection pg = connect()) {
      Prepared prepared = prepare(pg);
      try (ServerLock lock = ServerLock.tryAcquire(directories.backupLock())
          .orElseThrow(() -> new BackupRefusedException("Another backup process is running"))) {
        result = new Run(pg, prepared, request).execute();
      }
    } catch (IOException e) {
      throw new BackupRefusedException("Cannot prepare the backup of server '" + server + "': " + e.getMessage(), e);
    }
    return afterBackup(result);
  }

  private ServerConnection connect() {
    try {
      return ServerConnection.open(config.conninfo(), "barman");
    } catch (PostgresException e) {
      throw new BackupRefusedException("Impossible to start the backup of server '" + config.name() + "': "
          + e.getMessage(), e);
    }
  }

  /** The checks of Barman's pre-backup {@code check}, each failing with one line; then directories and identity. */
  private Prepared prepare(ServerConnection pg) throws IOException {
    String server = config.name();
    ServerIdentity live;
    try {
      if (pg.walLevel().equals("minimal")) {
        throw new BackupRefusedException("Impossible to start the backup of server '" + server
            + "': wal_level is 'minimal'; please set it to a higher level than 'minimal'");
      }
      live = new ServerIdentity(pg.systemId(), PgClientVersion.majorName(pg.versionNum()));
    } catch (PostgresException e) {
      throw new BackupRefusedException("Impossible to start the backup of server '" + server + "': "
          + e.getMessage(), e);
    }
    if (Files.exists(directories.identityJson())) {
      ServerIdentity stored;
      try {
        stored = ServerIdentity.read(directories);
      } catch (IllegalArgumentException e) {
        throw new BackupRefusedException("Impossible to start the backup of server '" + server + "': "
            + e.getMessage(), e);
      }
      if (!stored.systemId().equals(live.systemId())) {
        throw new BackupRefusedException("The system id of the PostgreSQL server of '" + server + "' ("
            + live.systemId() + ") differs from the one stored in \"" + directories.identityJson() + "\" ("
            + stored.systemId() + "): conninfo points at another cluster");
      }
    }
    PgBaseBackupLocator.Result located = PgBaseBackupLocator.locate(searchPath, pg.versionNum());
    if (located.chosen().isEmpty()) {
      if (located.found().isEmpty()) {
        throw new BackupRefusedException("pg_basebackup not found for server '" + server
            + "': install the PostgreSQL client programs or set path_prefix (searched "
            + String.join(":", located.searched().stream().map(Path::toString).toList()) + ")");
      }
      PgBaseBackupLocator.Program old = located.found().get(0);
      throw new BackupRefusedException("pg_basebackup " + old.version().text() + " (" + old.path()
          + ") is older than PostgreSQL " + PgClientVersion.majorName(pg.versionNum()) + " of server '" + server
          + "': install pg_basebackup " + PgClientVersion.majorName(pg.versionNum())
          + " or newer, or set path_prefix");
    }
    PgBaseBackupLocator.Program program = located.chosen().get();
    Optional<BaseBackupCompression> compression;
    try {
      compression = BaseBackupCompression.of(config);
    } catch (IllegalArgumentException e) {
      throw new BackupRefusedException("Invalid backup compression of server '" + server + "': " + e.getMessage(), e);
    }
    if (compression.isPresent()) {
      List<String> issues = compression.get().issues(pg.versionNum(), program.version());
      if (!issues.isEmpty()) {
        throw new BackupRefusedException("Invalid backup compression of server '" + server + "': "
            + String.join("; ", issues));
      }
    }
    for (Path dir : List.of(directories.backupDirectory(), directories.base(), directories.wals(),
        directories.incoming(), directories.streaming(), directories.errors())) {
      Files.createDirectories(dir);
    }
    if (!Files.exists(directories.identityJson())) {
      live.write(directories);
    }
    return new Prepared(program, compression, live);
  }

  /** One backup attempt under the lock, from the first {@code backup.info} to WAITING_FOR_WALS, DONE or FAILED. */
  private final class Run {
    private final ServerConnection pg;
    private final Prepared prepared;
    private final BackupRequest request;
    private final ServerBackups backups = new ServerBackups(directories);
    private final Object state = new Object();
    private String action = "starting backup";
    private BackupInfo current;
    private Process copy;
    private boolean terminated;
    private boolean finished;

    Run(ServerConnection pg, Prepared prepared, BackupRequest request) {
      this.pg = pg;
      this.prepared = prepared;
      this.request = request;
    }

    BackupInfo execute() throws IOException {
      BackupId id = freshId();
      Thread hook = new Thread(this::terminate, "barman4j-backup-termination");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return copyAndFinish(id);
      } finally {
        synchronized (state) {
          finished = true;
        }
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs or has run
        }
      }
    }

    private BackupInfo copyAndFinish(BackupId id) {
      Path backupDir = directories.backup(id);
      Path data = backupDir.resolve("data");
      LocalDateTime copyStart = null;
      try {
        ServerConnection.ConfigurationFiles files = pg.configurationFiles();
        List<Tablespace> tablespaces = pg.tablespaces();
        ServerConnection.XlogPosition start = pg.currentXlogInfo();
        int versionNum = pg.versionNum();
        long segmentSize = pg.walSegmentSize();
        BackupInfo.Builder info = BackupInfo.builder(id)
            .status(BackupStatus.STARTED)
            .serverName(config.name())
            .mode("postgres")
            .systemId(prepared.identity().systemId())
            .version(versionNum)
            .xlogSegmentSize(segmentSize)
            .pgdata(pg.dataDirectory())
            .tablespaces(tablespaces)
            .beginTime(start.timestamp())
            .beginXlog(start.location());
        if (!files.configFile().isEmpty()) {
          info.configFile(files.configFile());
        }
        if (!files.hbaFile().isEmpty()) {
          info.hbaFile(files.hbaFile());
        }
        if (!files.identFile().isEmpty()) {
          info.identFile(files.identFile());
        }
        if (!files.includedFiles().isEmpty()) {
          info.includedFiles(pythonList(files.includedFiles()));
        }
        if (start.fileName().isPresent()) {
          info.beginWal(start.fileName().get()).beginOffset(start.fileOffset())
              .timeline(Integer.parseInt(start.fileName().get().substring(0, 8), 16));
        }
        if (!request.name().isEmpty()) {
          info.backupName(request.name());
        }
        Files.createDirectories(backupDir);
        save(info.build());
        say(ServerMessage.info("Starting backup using postgres method for server %s in %s", config.name(), backupDir));
        BackupInfo started = current;
        if (started.beginWal().isPresent()) {
          say(ServerMessage.info("Backup start at LSN: %s (%s, %08X)", started.beginXlog().orElseThrow(),
              started.beginWal().get(), started.beginOffset().orElseThrow()));
        } else {
          say(ServerMessage.info("Backup start at LSN: %s", started.beginXlog().orElseThrow()));
        }

        action = "copying files";
        say(ServerMessage.info("Starting backup copy via pg_basebackup for %s", id));
        copyStart = LocalDateTime.now(clock);
        long copyStartNanos = System.nanoTime();
        Map<String, Path> mapping = new LinkedHashMap<>();
        List<Path> destinations = new ArrayList<>(List.of(data));
        for (Tablespace t : tablespaces) {
          Path dir = backupDir.resolve(Long.toString(t.oid()));
          mapping.put(t.location(), dir);
          destinations.add(dir);
        }
        PgBaseBackupCommand command = PgBaseBackupCommand.of(new PgBaseBackupCommand.Options(prepared.program(),
            config.streamingConninfo().isBlank() ? config.conninfo() : config.streamingConninfo(),
            config.streamingBackupName().isBlank() ? "barman_streaming_backup" : config.streamingBackupName(),
            data, mapping, bandwidthLimit(), request.checkpoint() == Checkpoint.IMMEDIATE, prepared.compression()));
        // As Barman, no idle connection is held through a copy that may take hours.
        pg.close();
        runWithRetries(command, destinations, data);
        double copySeconds = (System.nanoTime() - copyStartNanos) / 1e9;
        BackupInfo.Builder copied = current.toBuilder()
            .copyStats("{'copy_time': " + PyLiteral.reprFloat(copySeconds) + ", 'total_time': "
                + PyLiteral.reprFloat(copySeconds) + "}");
        say(ServerMessage.info("Copy done (time: %s)", Human.duration(Duration.ofNanos(System.nanoTime() - copyStartNanos))));
        warnAboutExternalConfiguration(current);

        // Barman's PostgresBackupStrategy.stop_backup: the label, then the current location as the end.
        String labelText;
        if (prepared.compression().filter(BaseBackupCompression::isTar).isPresent()) {
          BaseBackupCompression c = prepared.compression().get();
          copied.compression(c.type());
          labelText = BackupLabel.readFromTar(data.resolve("base." + c.fileExtension()), Compression.fromId(c.type()));
        } else {
          labelText = Files.readString(data.resolve("backup_label"), StandardCharsets.UTF_8);
          checkCopiedSystemId(data);
        }
        BackupLabel label = BackupLabel.parse(labelText, id.value());
        copied.backupLabel(labelText)
            .timeline(Integer.parseInt(label.startWal().substring(0, 8), 16))
            .beginXlog(label.startLocation())
            .beginWal(label.startWal())
            .beginOffset(label.startLocation().segmentOffset(current.walSegmentSize()));
        say(ServerMessage.info("Finalising the backup."));
        try (ServerConnection after = ServerConnection.open(config.conninfo(), "barman")) {
          finalise(after, copied, id);
        }

        action = "calculating backup size";
        BackupFiles.Sizes sizes = BackupFiles.fsyncAndMeasure(backupDir);
        say(ServerMessage.info("Backup size: %s", Human.size(sizes.size())));
        save(current.toBuilder().size(sizes.size()).deduplicatedSize(sizes.deduplicatedSize())
            .status(BackupStatus.WAITING_FOR_WALS).build());
      } catch (Exception | Error e) {
        return fail(e);
      }
      BackupInfo done = current;
      say(ServerMessage.info("Backup end at LSN: %s (%s, %08X)", done.endXlog().orElseThrow(),
          done.endWal().orElseThrow(), done.endOffset().orElseThrow()));
      say(ServerMessage.info("Backup completed (start time: %s, elapsed time: %s)", PythonTime.str(copyStart),
          Human.duration(Duration.between(copyStart, LocalDateTime.now(clock)))));
      if (request.walWait() == BackupRequest.WalWait.WAIT) {
        try {
          WalWaiter.waitFor(directories, WalFileName.parse(done.endWal().orElseThrow()), request.waitTimeout(),
              archiveWal, listener, config.name());
          save(BackupWalCheck.check(current, directories));
        } catch (IOException | RuntimeException e) {
          say(ServerMessage.error("Cannot check the WAL files of backup %s: %s", id, e.getMessage()));
        }
      }
      return current;
    }

    /** The end location from the server, then the WAL switch and restore point Barman makes. */
    private void finalise(ServerConnection after, BackupInfo.Builder copied, BackupId id) throws IOException {
      ServerConnection.XlogPosition end = after.currentXlogInfo();
      BackupInfo labelled = copied.build();
      String endWal = end.fileName().orElseGet(() -> end.location()
          .walFileName(labelled.timeline().orElseThrow(), labelled.walSegmentSize()).name());
      long endOffset = end.fileName().isPresent() ? end.fileOffset()
          : end.location().segmentOffset(labelled.walSegmentSize());
      save(copied.endTime(end.timestamp()).endXlog(end.location()).endWal(endWal).endOffset(endOffset).build());
      if (!after.inRecovery()) {
        // The segment holding the end location must be archived for the backup to be consistent.
        after.switchWal();
        after.createRestorePoint("barman_" + id);
      }
    }

    private void runWithRetries(PgBaseBackupCommand command, List<Path> destinations, Path data)
        throws IOException, InterruptedException {
      for (Path d : destinations) {
        BackupFiles.recreate(d);
      }
      for (int attempt = 0; ; attempt++) {
        Optional<String> failure = runOnce(command);
        if (failure.isEmpty()) {
          return;
        }
        if (attempt >= request.retryTimes()) {
          throw new CopyFailedException("data transfer failure on directory '" + data + "'\npg_basebackup error:\n"
              + failure.get());
        }
        say(ServerMessage.warning("Failure executing a backup using pg_basebackup (attempt %d)", attempt));
        say(ServerMessage.warning("The files copied so far will be removed and the backup process will restart in "
            + "%d seconds", request.retrySleep().toSeconds()));
        for (Path d : destinations) {
          BackupFiles.recreate(d);
        }
        Thread.sleep(request.retrySleep().toMillis());
      }
    }

    /** Runs pg_basebackup once; its output goes to the log. Returns the output's tail when it fails. */
    private Optional<String> runOnce(PgBaseBackupCommand command) throws IOException, InterruptedException {
      ProcessBuilder pb = new ProcessBuilder(command.arguments()).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(command.environment());
      LOG.info("Running {}", command.display());
      Process process;
      synchronized (state) {
        if (terminated) {
          throw new InterruptedException("terminated");
        }
        process = pb.start();
        copy = process;
      }
      Deque<String> tail = new ArrayDeque<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          LOG.info("{}", line);
          if (tail.size() == OUTPUT_LINES_KEPT) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
      }
      int exit = process.waitFor();
      synchronized (state) {
        copy = null;
      }
      if (exit == 0) {
        return Optional.empty();
      }
      String detail = tail.isEmpty() ? "" : String.join("\n", tail) + "\n";
      return Optional.of(detail + "pg_basebackup exited with " + (exit > 128 ? "signal " + (exit - 128) : "code " + exit));
    }

    /** With the plain format, checks that streaming_conninfo reached the same cluster as conninfo. */
    private void checkCopiedSystemId(Path data) throws IOException {
      String copied = BackupFiles.systemIdentifier(data.resolve("global").resolve("pg_control"));
      if (!copied.equals(prepared.identity().systemId())) {
        throw new IOException("the cluster copied through streaming_conninfo has system id " + copied
            + ", not " + prepared.identity().systemId() + " as the conninfo server");
      }
    }

    private void warnAboutExternalConfiguration(BackupInfo info) {
      String pgdata = info.pgdata().orElse("");
      List<String> outside = new ArrayList<>();
      for (Optional<String> f : List.of(info.configFile(), info.hbaFile(), info.identFile())) {
        f.filter(p -> !p.startsWith(pgdata)).ifPresent(outside::add);
      }
      if (!outside.isEmpty() && !config.backupOptions().contains("external_configuration")) {
        say(ServerMessage.warning("pg_basebackup does not copy the PostgreSQL configuration files that reside "
            + "outside PGDATA. Please manually backup the following files:\n\t%s\n", String.join("\n\t", outside)));
      }
    }

    private BackupInfo fail(Throwable e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String message = Objects.requireNonNullElse(e.getMessage(), "").strip();
      List<String> lines = message.isEmpty() ? List.of(e.getClass().getSimpleName()) : message.lines().toList();
      LOG.error("Backup of server {} failed {}", config.name(), action, e);
      synchronized (state) {
        if (current != null && !terminated) {
          BackupInfo failed = current.failed("failure " + action + " (" + lines.get(0) + ")");
          try {
            backups.write(failed);
            current = failed;
          } catch (IOException writeFailure) {
            LOG.error("Cannot record the failure in {}", directories.backupInfo(failed.backupId()), writeFailure);
          }
        }
      }
      say(ServerMessage.error("Backup failed %s.\nDETAILS: %s", action, String.join("\n", lines)));
      return current != null ? current : BackupInfo.builder(BackupId.now(clock)).status(BackupStatus.FAILED)
          .serverName(config.name()).error("failure " + action + " (" + lines.get(0) + ")").build();
    }

    /** The shutdown hook: a signal ends the copy and the backup is recorded FAILED, as Barman does on Ctrl-C. */
    private void terminate() {
      synchronized (state) {
        if (finished) {
          return;
        }
        terminated = true;
        if (copy != null) {
          copy.destroyForcibly();
        }
        if (current != null && !current.status().isCopyDone() && current.status() != BackupStatus.FAILED) {
          try {
            backups.write(current.failed("failure " + action + " (terminated)"));
          } catch (IOException e) {
            LOG.error("Cannot record the termination of backup {}", current.backupId(), e);
          }
        }
      }
    }

    private void save(BackupInfo info) throws IOException {
      synchronized (state) {
        if (terminated) {
          throw new IOException("terminated");
        }
        backups.write(info);
        current = info;
      }
    }

    private BackupId freshId() throws IOException {
      BackupId id = BackupId.now(clock);
      for (int attempt = 0; attempt < 3 && Files.exists(directories.backup(id)); attempt++) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while choosing the backup id", e);
        }
        id = BackupId.now(clock);
      }
      if (Files.exists(directories.backup(id))) {
        throw new IOException("backup directory " + directories.backup(id) + " already exists");
      }
      return id;
    }
  }

  /** After the lock is released: archive, check the WAL files, warn if still waiting (Barman's server.backup). */
  private BackupInfo afterBackup(BackupInfo info) {
    if (info.status() == BackupStatus.FAILED || info.status() == BackupStatus.EMPTY) {
      return info;
    }
    BackupInfo checked = info;
    try {
      archiveWal.run();
      if (checked.status() == BackupStatus.WAITING_FOR_WALS) {
        checked = BackupWalCheck.check(checked, directories);
        if (checked.status() != info.status() || !checked.error().equals(info.error())) {
          new ServerBackups(directories).write(checked);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot check the WAL files of backup {}: {}", info.backupId(), e.toString());
    }
    if (checked.status() == BackupStatus.WAITING_FOR_WALS) {
      say(ServerMessage.warning("IMPORTANT: this backup is classified as WAITING_FOR_WALS, meaning that Barman has "
          + "not received yet all the required WAL files for the backup consistency.\n"
          + "This is a common behaviour in concurrent backup scenarios, and Barman automatically set the backup as "
          + "DONE once all the required WAL files have been archived.\n"
          + "Hint: execute the backup command with '--wait'"));
    }
    return checked;
  }

  private long bandwidthLimit() {
    return config.get("bandwidth_limit").map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).orElse(0L);
  }

  private void say(ServerMessage message) {
    LOG.info("{}", message.text());
    listener.message(message);
  }

  private static String pythonList(List<String> values) {
    return "[" + String.join(", ", values.stream().map(PyLiteral::repr).toList()) + "]";
  }

  /** A pg_basebackup run that failed, with Barman's message. */
  private static final class CopyFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    CopyFailedException(String message) {
      super(message);
    }
  }
}
