package org.barman4j.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throwaway PostgreSQL 15 cluster in its own temporary directory, for tests, benchmarks and
 * demos. {@link #close()} stops the server and deletes the directory; a JVM shutdown hook does the
 * same if the test run dies before that.
 *
 * <p>Layout: {@code tempDir()/data} (the data directory of an {@linkplain Builder#init() initdb'd}
 * cluster), {@code tempDir()/postgres.log} (server log), scripts written by {@link
 * #writeScript(String, String)}, and the Unix socket. The server listens on {@code
 * 127.0.0.1:port()} with user {@code postgres} and trust authentication.
 *
 * <p>When the JVM runs as root, every PostgreSQL executable runs through {@code unshare --user
 * --map-user=65534 --map-group=65534}: the server sees itself as the owner of root's files, and
 * commands it launches keep root's access outside. The archive_command and restore_command inherit
 * the postmaster's environment and run with the data directory as working directory, so they must
 * use absolute paths (e.g. for {@code java}); their output goes to the server log.
 *
 * <pre>{@code
 * try (PostgresCluster pg =
 *     PostgresCluster.builder().archiveScript("cp \"$1\" /archive/\"$2\"").init()) {
 *   pg.pgbench("-i", "-s", "1");
 *   pg.awaitArchived(pg.switchWal(), Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class PostgresCluster implements AutoCloseable {
  /** Unix socket paths longer than this fail (sun_path is 108 bytes including the NUL). */
  private static final int MAX_SOCKET_PATH = 107;

  private static final int LOG_TAIL_LINES = 40;
  private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(10);
  private static final int START_ATTEMPTS = 5;
  private static final long POLL_MILLIS = 100;

  /**
   * The archiver retries a failing command 3 times a second apart, then pauses for a minute: a
   * failure not followed by a success within this time will not heal soon.
   */
  private static final Duration ARCHIVER_GIVE_UP = Duration.ofSeconds(4);

  private final Commands commands;
  private final Path tempDir;
  private final Path socketDir;
  private final Path dataDir;
  private final boolean dataDirOutsideTempDir;
  private final boolean portPicked;
  private final Map<String, String> serverEnvironment;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile int port;

  private PostgresCluster(
      Commands commands, Path tempDir, Path socketDir, Path dataDir, int port, boolean portPicked,
      Map<String, String> serverEnvironment) {
    this.commands = commands;
    this.tempDir = tempDir;
    this.socketDir = socketDir;
    this.dataDir = dataDir;
    this.dataDirOutsideTempDir = !dataDir.startsWith(tempDir);
    this.port = port;
    this.portPicked = portPicked;
    this.serverEnvironment = Map.copyOf(serverEnvironment);
    this.shutdownHook = new Thread(() -> teardown(false), "pg-cluster-cleanup " + tempDir);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Options; finish with {@link Builder#init()} or {@link Builder#fromBaseBackup}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A new cluster with default options: {@code builder().init()}. */
  public static PostgresCluster init() {
    return builder().init();
  }

  /** The data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** The cluster's own temporary directory (server log, scripts, socket), deleted on close. */
  public Path tempDir() {
    return tempDir;
  }

  /** The TCP port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres?user=postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** A new JDBC connection to database {@code postgres} as user {@code postgres}. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  /**
   * Runs {@code sql} and returns the first column of the first row as text.
   *
   * @throws PostgresClusterException if the query fails, returns no row or returns NULL
   */
  public String queryValue(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new PostgresClusterException("Query returned no row: " + sql);
      }
      String value = rs.getString(1);
      if (value == null) {
        throw new PostgresClusterException("Query returned NULL: " + sql);
      }
      return value;
    } catch (SQLException e) {
      throw sqlFailure(sql, e);
    }
  }

  /** Runs {@code sql} (one or more statements, no result needed) in autocommit mode. */
  public void execute(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw sqlFailure(sql, e);
    }
  }

  /**
   * Starts the server ({@code pg_ctl start -w}) and waits until it accepts connections. If the
   * port was picked automatically and is taken meanwhile, retries on another one.
   */
  public void start() {
    ensureOpen();
    for (int attempt = 1; ; attempt++) {
      long logStart = size(serverLog());
      ProcessResult result = pgCtl("start", "-l", serverLog().toString(), "-w", "-t", "60");
      if (result.succeeded()) {
        return;
      }
      String newLog = readFrom(serverLog(), logStart);
      boolean portTaken =
          newLog.contains("could not bind") || newLog.contains("could not create any TCP/IP");
      if (portPicked && portTaken && attempt < START_ATTEMPTS) {
        port = freePort();
        appendConf("port = " + port);
        continue;
      }
      throw failure("Starting PostgreSQL", result);
    }
  }

  /** Stops the server with {@code pg_ctl stop -m fast} and waits for it. */
  public void stop() {
    ensureOpen();
    ProcessResult result = pgCtl("stop", "-m", "fast", "-w", "-t", "60");
    if (!result.succeeded()) {
      throw failure("Stopping PostgreSQL (fast)", result);
    }
  }

  /** Stops the server with {@code pg_ctl stop -m immediate} (crash-like, no checkpoint). */
  public void stopImmediate() {
    ensureOpen();
    ProcessResult result = pgCtl("stop", "-m", "immediate", "-w", "-t", "30");
    if (!result.succeeded()) {
      throw failure("Stopping PostgreSQL (immediate)", result);
    }
  }

  /** Whether a postmaster is running on this data directory, judged by {@code postmaster.pid}. */
  public boolean isRunning() {
    return postmaster().isPresent();
  }

  /**
   * Appends lines to {@code postgresql.conf}; later lines override earlier ones. Takes effect on
   * {@link #reload()} or restart, as PostgreSQL defines per setting.
   */
  public void appendConf(String... lines) {
    ensureOpen();
    appendConfLines(dataDir, List.of(lines));
  }

  /** Makes the server re-read its configuration ({@code pg_ctl reload}). */
  public void reload() {
    ensureOpen();
    ProcessResult result = pgCtl("reload");
    if (!result.succeeded()) {
      throw failure("Reloading the configuration", result);
    }
  }

  /** The server log file. */
  public Path serverLog() {
    return tempDir.resolve("postgres.log");
  }

  /** The last {@code lines} lines of the server log, empty if there is none yet. */
  public String serverLogTail(int lines) {
    try {
      return Commands.tail(Files.readString(serverLog(), StandardCharsets.UTF_8), lines);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      return "(cannot read " + serverLog() + ": " + e + ")";
    }
  }

  /**
   * Writes an executable shell script {@code tempDir()/name} (mode 0755) and returns its path.
   * {@code #!/bin/sh} is prepended unless {@code body} starts with {@code #!}.
   */
  public Path writeScript(String name, String body) {
    ensureOpen();
    return writeScriptFile(tempDir, name, body);
  }

  /**
   * Runs PostgreSQL executable {@code tool} (e.g. {@code psql}, {@code pgbench}, {@code
   * pg_basebackup}) from the binaries directory, as the cluster's user, with {@code PGHOST},
   * {@code PGPORT}, {@code PGUSER} and {@code PGDATABASE} pointing at this cluster.
   *
   * @throws PostgresClusterException if it exits non-zero; the message holds its output and the
   *     server log tail
   */
  public ProcessResult run(String tool, String... args) {
    ensureOpen();
    ProcessResult result =
        commands.run(tempDir, clientEnv(), TOOL_TIMEOUT, tool, List.of(args));
    if (!result.succeeded()) {
      throw failure("Running " + tool, result);
    }
    return result;
  }

  /** Runs {@code pgbench} with {@code args}, e.g. {@code pgbench("-i", "-s", "1")}. */
  public ProcessResult pgbench(String... args) {
    return run("pgbench", args);
  }

  /**
   * Takes a base backup: {@code pg_basebackup -D target -c fast} followed by {@code args} (e.g.
   * {@code "-X", "none"} to rely on the WAL archive, or {@code "-X", "stream"}). {@code target}
   * must be absent or empty. The result can be started with {@link Builder#fromBaseBackup(Path)}.
   */
  public ProcessResult baseBackup(Path target, String... args) {
    List<String> all =
        new ArrayList<>(List.of("-D", target.toAbsolutePath().toString(), "-c", "fast"));
    all.addAll(List.of(args));
    return run("pg_basebackup", all.toArray(String[]::new));
  }

  /**
   * Completes the current WAL segment and returns its name, e.g. {@code 000000010000000000000002}.
   * Writes a commit record first so the switch happens even on an idle server.
   */
  public String switchWal() {
    String sql = "select pg_walfile_name(pg_switch_wal())";
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("select pg_current_xact_id()");
      try (ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw sqlFailure(sql, e);
    }
  }

  /**
   * Waits until {@code pg_stat_archiver.last_archived_wal} reaches {@code walName}. Fails at the
   * timeout, or early when the archive_command failed during the wait and has not succeeded since
   * for 4 seconds (the archiver gives up after 3 attempts and pauses for a minute); the message
   * reports {@code failed_count}, {@code last_failed_wal} and the server log tail.
   */
  public void awaitArchived(String walName, Duration timeout) {
    if (!walName.matches("[0-9A-F]{24}")) {
      throw new IllegalArgumentException("Not a WAL segment name: '" + walName + "'");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long initialFailures = -1;
    long failingSince = 0;
    while (true) {
      ArchiverStatus status = archiverStatus();
      if (initialFailures < 0) {
        initialFailures = status.failedCount();
      }
      if (status.reached(walName)) {
        return;
      }
      long now = System.nanoTime();
      if (status.failedCount() > initialFailures && status.failingNow()) {
        failingSince = failingSince == 0 ? now : failingSince;
      } else {
        failingSince = 0;
      }
      boolean givenUp = failingSince != 0 && now - failingSince > ARCHIVER_GIVE_UP.toNanos();
      if (givenUp || now > deadline) {
        throw new PostgresClusterException(
            "WAL segment " + walName + " not archived "
                + (givenUp ? "(archive_command keeps failing)" : "within " + timeout)
                + ": last_archived_wal=" + status.lastArchivedWal()
                + ", archived_count=" + status.archivedCount()
                + ", failed_count=" + status.failedCount()
                + ", last_failed_wal=" + status.lastFailedWal()
                + section("server log " + serverLog(), serverLogTail(LOG_TAIL_LINES)));
      }
      sleep();
    }
  }

  /**
   * Waits until {@code pg_is_in_recovery()} is false, i.e. archive or crash recovery ended and the
   * server was promoted. Fails early if the server stops.
   */
  public void awaitRecoveryEnd(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastState = "no answer yet";
    while (true) {
      if (!isRunning()) {
        throw new PostgresClusterException(
            "PostgreSQL stopped before the end of recovery"
                + section("server log " + serverLog(), serverLogTail(LOG_TAIL_LINES)));
      }
      try (Connection c = connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select pg_is_in_recovery()")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return;
        }
        lastState = "still in recovery";
      } catch (SQLException e) {
        // Connections are refused until recovery reaches a consistent state.
        lastState = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new PostgresClusterException(
            "Recovery did not end within " + timeout + " (" + lastState + ")"
                + section("server log " + serverLog(), serverLogTail(LOG_TAIL_LINES)));
      }
      sleep();
    }
  }

  /**
   * Stops the server ({@code -m fast}, then {@code -m immediate}, then killing the postmaster by
   * the PID in {@code postmaster.pid}) and deletes the temporary directory, plus the data
   * directory of a cluster made by {@link Builder#fromBaseBackup(Path)}. Idempotent.
   *
   * @throws PostgresClusterException if the server survives or the files cannot be deleted
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; teardown is idempotent enough to run twice.
    }
    teardown(true);
  }

  @Override
  public String toString() {
    return "PostgresCluster[" + dataDir + ", port " + port + "]";
  }

  private void teardown(boolean fastFirst) {
    Optional<ProcessHandle> running = postmaster();
    if (running.isPresent()) {
      ProcessHandle postmaster = running.get();
      List<String> problems = new ArrayList<>();
      boolean stopped = false;
      if (fastFirst) {
        stopped = stopForTeardown("fast", "20", problems) && exited(postmaster);
      }
      if (!stopped) {
        stopped = stopForTeardown("immediate", "10", problems) && exited(postmaster);
      }
      if (!stopped) {
        kill(postmaster);
      }
      if (postmaster.isAlive()) {
        throw new PostgresClusterException(
            "PostgreSQL on " + dataDir + " (PID " + postmaster.pid() + ") survived stop and kill;"
                + " files kept in " + tempDir + "\n" + String.join("\n", problems)
                + section("server log " + serverLog(), serverLogTail(LOG_TAIL_LINES)));
      }
    }
    deleteTree(tempDir);
    if (!socketDir.startsWith(tempDir)) {
      deleteTree(socketDir);
    }
    if (dataDirOutsideTempDir) {
      deleteTree(dataDir);
    }
  }

  private boolean stopForTeardown(String mode, String seconds, List<String> problems) {
    ProcessResult result = pgCtl("stop", "-m", mode, "-w", "-t", seconds);
    if (!result.succeeded()) {
      problems.add(mode + " stop exited with " + result.exitCode() + ": "
          + result.stdout().strip() + " " + result.stderr().strip());
    }
    return result.succeeded();
  }

  /**
   * Waits a little for the process itself: {@code pg_ctl stop -w} returns once the pid file is
   * gone, which is shortly before the postmaster exits and releases its port.
   */
  private static boolean exited(ProcessHandle process) {
    try {
      process.onExit().get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      // Judged by isAlive() below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !process.isAlive();
  }

  /** The live postmaster of this data directory, if {@code postmaster.pid} names one. */
  private Optional<ProcessHandle> postmaster() {
    OptionalLong pid = postmasterPid(dataDir);
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid.getAsLong())
        .filter(ProcessHandle::isAlive)
        // A stale pid file may name a recycled PID: only a postgres executable counts.
        .filter(h -> h.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
  }

  private static OptionalLong postmasterPid(Path dataDir) {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
      return lines.isEmpty() || !lines.get(0).strip().matches("\\d+")
          ? OptionalLong.empty()
          : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  private static void kill(ProcessHandle postmaster) {
    postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
    postmaster.destroyForcibly();
    exited(postmaster);
  }

  private ProcessResult pgCtl(String action, String... args) {
    List<String> all = new ArrayList<>(List.of(action, "-D", dataDir.toString()));
    all.addAll(List.of(args));
    return commands.run(tempDir, serverEnvironment, PG_CTL_TIMEOUT, "pg_ctl", all);
  }

  private Map<String, String> clientEnv() {
    return Map.of(
        "PGHOST", "127.0.0.1",
        "PGPORT", Integer.toString(port),
        "PGUSER", "postgres",
        "PGDATABASE", "postgres",
        "PGCONNECT_TIMEOUT", "10");
  }

  private ArchiverStatus archiverStatus() {
    String sql = "select archived_count, coalesce(last_archived_wal, ''), failed_count,"
        + " coalesce(last_failed_wal, ''),"
        + " coalesce(last_failed_time > coalesce(last_archived_time, '-infinity'), false)"
        + " from pg_stat_archiver";
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return new ArchiverStatus(
          rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getBoolean(5));
    } catch (SQLException e) {
      throw sqlFailure(sql, e);
    }
  }

  private record ArchiverStatus(
      long archivedCount,
      String lastArchivedWal,
      long failedCount,
      String lastFailedWal,
      boolean failingNow) {
    /** Segment names of one timeline sort by position; .backup files carry their segment first. */
    boolean reached(String walName) {
      return lastArchivedWal.length() >= 24
          && lastArchivedWal.substring(0, 24).matches("[0-9A-F]{24}")
          && lastArchivedWal.substring(0, 24).compareTo(walName) >= 0;
    }
  }

  private PostgresClusterException failure(String what, ProcessResult result) {
    return new PostgresClusterException(
        what + " failed: `" + result.commandLine() + "` exited with " + result.exitCode()
            + section("stdout", Commands.tail(result.stdout(), LOG_TAIL_LINES))
            + section("stderr", Commands.tail(result.stderr(), LOG_TAIL_LINES))
            + section("server log " + serverLog(), serverLogTail(LOG_TAIL_LINES)));
  }

  private PostgresClusterException sqlFailure(String sql, SQLException e) {
    return new PostgresClusterException(
        "SQL failed on " + jdbcUrl() + ": " + sql + "\n" + e.getMessage()
            + section("server log " + serverLog(), serverLogTail(LOG_TAIL_LINES)),
        e);
  }

  private static String section(String title, String text) {
    return text.isBlank() ? "" : "\n--- " + title + " ---\n" + text;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresClusterException("Interrupted while waiting for PostgreSQL", e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String readFrom(Path file, long offset) {
    try {
      byte[] all = Files.readAllBytes(file);
      int from = (int) Math.min(offset, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free TCP port", e);
    }
  }

  private static void appendConfLines(Path dataDir, List<String> lines) {
    StringBuilder text = new StringBuilder("\n");
    for (String line : lines) {
      text.append(Objects.requireNonNull(line, "conf line is null")).append('\n');
    }
    try {
      Files.writeString(dataDir.resolve("postgresql.conf"), text, StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to postgresql.conf in " + dataDir, e);
    }
  }

  private static Path writeScriptFile(Path dir, String name, String body) {
    Objects.requireNonNull(body, "body is null");
    if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
      throw new IllegalArgumentException("Script name must be a plain file name: '" + name + "'");
    }
    Path script = dir.resolve(name);
    String text = body.startsWith("#!") ? body : "#!/bin/sh\n" + body;
    try {
      Files.writeString(script, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write script " + script, e);
    }
    return script;
  }

  /** Conf-file string literal: single quotes doubled, backslashes escaped. */
  private static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
              }
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new PostgresClusterException("Cannot delete " + root + ": " + e, e);
    }
  }

  /**
   * Options for a throwaway cluster. Defaults: a new directory under {@code /tmp}, a free port,
   * 16 MiB WAL segments, {@code fsync = off}, archiving off.
   */
  public static final class Builder {
    private Path parentDir = Path.of("/tmp");
    private int port;
    private int walSegmentSizeMiB = 16;
    private boolean fsync;
    private String archiveCommand = "";
    private String archiveScript = "";
    private String restoreCommand = "";
    private String restoreScript = "";
    private final List<String> conf = new ArrayList<>();
    private Optional<PgBinaries> binaries = Optional.empty();
    private final Map<String, String> environment = new java.util.LinkedHashMap<>();

    private Builder() {}

    /**
     * Where the cluster's temporary directory is created (default {@code /tmp}). Every parent
     * must be searchable by the server; a long path moves the Unix socket to {@code /tmp}.
     */
    public Builder parentDir(Path parentDir) {
      this.parentDir = Objects.requireNonNull(parentDir, "parentDir is null").toAbsolutePath();
      return this;
    }

    /** A fixed TCP port instead of a free one picked at start. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("Port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** WAL segment size for {@code initdb --wal-segsize}: a power of two from 1 to 1024. */
    public Builder walSegmentSizeMiB(int mib) {
      if (mib < 1 || mib > 1024 || Integer.bitCount(mib) != 1) {
        throw new IllegalArgumentException(
            "WAL segment size must be a power of two in 1..1024 MiB: " + mib);
      }
      this.walSegmentSizeMiB = mib;
      return this;
    }

    /** {@code fsync} setting (default off: faster, and tests do not survive power loss anyway). */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /**
     * Turns on {@code archive_mode} with this {@code archive_command} (PostgreSQL placeholders
     * {@code %p}, {@code %f}). Use absolute paths. Replaces an {@link #archiveScript}.
     */
    public Builder archiveCommand(String command) {
      this.archiveCommand = Objects.requireNonNull(command, "command is null");
      this.archiveScript = "";
      return this;
    }

    /**
     * Turns on {@code archive_mode} with a shell script written to {@code tempDir()/archive.sh}
     * before the server starts, called with {@code $1} = {@code %p} (relative to the data
     * directory, the working directory) and {@code $2} = {@code %f}. Replaces an {@link
     * #archiveCommand}.
     */
    public Builder archiveScript(String body) {
      this.archiveScript = Objects.requireNonNull(body, "body is null");
      this.archiveCommand = "";
      return this;
    }

    /**
     * Sets {@code restore_command}. {@link #fromBaseBackup(Path)} then also creates {@code
     * recovery.signal}, starting archive recovery. Replaces a {@link #restoreScript}.
     */
    public Builder restoreCommand(String command) {
      this.restoreCommand = Objects.requireNonNull(command, "command is null");
      this.restoreScript = "";
      return this;
    }

    /**
     * Like {@link #restoreCommand} with a shell script written to {@code tempDir()/restore.sh},
     * called with {@code $1} = {@code %p} (destination, relative to the data directory) and
     * {@code $2} = {@code %f} (the file wanted). It must exit non-zero when the file is absent.
     */
    public Builder restoreScript(String body) {
      this.restoreScript = Objects.requireNonNull(body, "body is null");
      this.restoreCommand = "";
      return this;
    }

    /** Extra {@code postgresql.conf} lines, written after (and so overriding) the defaults. */
    public Builder conf(String... lines) {
      for (String line : lines) {
        conf.add(Objects.requireNonNull(line, "conf line is null"));
      }
      return this;
    }

    /**
     * Environment variables of the server process, and so of its archive_command and
     * restore_command (e.g. an object store's credentials), on top of this JVM's own.
     */
    public Builder environment(Map<String, String> variables) {
      variables.forEach((name, value) -> environment.put(
          Objects.requireNonNull(name, "variable name is null"),
          Objects.requireNonNull(value, "value of " + name + " is null")));
      return this;
    }

    /** The binaries to use instead of {@link PgBinaries#require()}. */
    public Builder binaries(PgBinaries binaries) {
      this.binaries = Optional.of(binaries);
      return this;
    }

    /** Creates a cluster with {@code initdb} in a new temporary directory and starts it. */
    public PostgresCluster init() {
      Commands commands = new Commands(binaries.orElseGet(PgBinaries::require));
      Path tempDir = createTempDir(parentDir);
      PostgresCluster cluster = create(commands, tempDir, tempDir.resolve("data"));
      try {
        List<String> args = new ArrayList<>(List.of(
            "-D", cluster.dataDir.toString(), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "-N"));
        if (walSegmentSizeMiB != 16) {
          args.add("--wal-segsize=" + walSegmentSizeMiB);
        }
        ProcessResult initdb = commands.run(tempDir, Map.of(), PG_CTL_TIMEOUT, "initdb", args);
        if (!initdb.succeeded()) {
          throw cluster.failure("initdb", initdb);
        }
        configure(cluster);
        cluster.start();
        return cluster;
      } catch (RuntimeException e) {
        closeAfterFailure(cluster, e);
        throw e;
      }
    }

    /**
     * Adopts {@code dataDir} (e.g. written by {@link PostgresCluster#baseBackup}) and starts it:
     * sets its permissions to 0700 as PostgreSQL demands, appends this builder's configuration,
     * creates {@code recovery.signal} if a restore command or script is set, and starts the server
     * (which then runs crash or archive recovery; see {@link
     * PostgresCluster#awaitRecoveryEnd(Duration)}). The cluster owns {@code dataDir} from now on:
     * {@link PostgresCluster#close()} deletes it.
     */
    public PostgresCluster fromBaseBackup(Path dataDir) {
      Path data = Objects.requireNonNull(dataDir, "dataDir is null").toAbsolutePath();
      if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
        throw new IllegalArgumentException(
            "Not a PostgreSQL data directory (no PG_VERSION): " + data);
      }
      Commands commands = new Commands(binaries.orElseGet(PgBinaries::require));
      PostgresCluster cluster = create(commands, createTempDir(parentDir), data);
      try {
        restrictPermissions(data);
        configure(cluster);
        if (!restoreCommand.isEmpty() || !restoreScript.isEmpty()) {
          Files.writeString(data.resolve("recovery.signal"), "");
        }
        cluster.start();
        return cluster;
      } catch (IOException e) {
        UncheckedIOException unchecked = new UncheckedIOException("Cannot prepare " + data, e);
        closeAfterFailure(cluster, unchecked);
        throw unchecked;
      } catch (RuntimeException e) {
        closeAfterFailure(cluster, e);
        throw e;
      }
    }

    private PostgresCluster create(Commands commands, Path tempDir, Path dataDir) {
      Path socketDir = tempDir;
      String socketFile = tempDir.resolve(".s.PGSQL.65535").toString();
      if (socketFile.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
        socketDir = createTempDir(Path.of("/tmp"));
      }
      boolean picked = port == 0;
      return new PostgresCluster(
          commands, tempDir, socketDir, dataDir, picked ? freePort() : port, picked, environment);
    }

    private void configure(PostgresCluster cluster) {
      List<String> lines = new ArrayList<>(List.of(
          "# written by barman4j's PostgresCluster",
          "port = " + cluster.port,
          "listen_addresses = '127.0.0.1'",
          "unix_socket_directories = " + quote(cluster.socketDir.toString()),
          "wal_level = replica",
          "max_wal_senders = 4",
          "fsync = " + (fsync ? "on" : "off"),
          "shared_buffers = 32MB"));
      String archive = archiveCommand;
      if (!archiveScript.isEmpty()) {
        Path script = writeScriptFile(cluster.tempDir, "archive.sh", archiveScript);
        archive = script + " \"%p\" \"%f\"";
      }
      // A base backup carries its origin's archive settings; a copy must not archive by accident.
      lines.add("archive_mode = " + (archive.isEmpty() ? "off" : "on"));
      if (!archive.isEmpty()) {
        lines.add("archive_command = " + quote(archive));
      }
      String restore = restoreCommand;
      if (!restoreScript.isEmpty()) {
        Path script = writeScriptFile(cluster.tempDir, "restore.sh", restoreScript);
        restore = script + " \"%p\" \"%f\"";
      }
      if (!restore.isEmpty()) {
        lines.add("restore_command = " + quote(restore));
      }
      lines.addAll(conf);
      appendConfLines(cluster.dataDir, lines);
    }

    private static void restrictPermissions(Path data) throws IOException {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(data);
      Set<PosixFilePermission> allowed = PosixFilePermissions.fromString("rwxr-x---");
      if (!allowed.containsAll(mode)) {
        // pg_basebackup keeps the mode of an existing target; the server refuses anything but
        // 0700 or 0750.
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      }
    }

    private static Path createTempDir(Path parent) {
      try {
        return Files.createTempDirectory(parent, "pg4j-");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a temporary directory in " + parent, e);
      }
    }

    private static void closeAfterFailure(PostgresCluster cluster, RuntimeException failure) {
      try {
        cluster.close();
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
