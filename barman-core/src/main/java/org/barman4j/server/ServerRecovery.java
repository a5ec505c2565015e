package org.barman4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.BackupStatus;
import org.barman4j.catalog.Tablespace;
import org.barman4j.compress.Compression;
import org.barman4j.internal.Causes;
import org.barman4j.internal.PythonTime;
import org.barman4j.recovery.RecoveryException;
import org.barman4j.recovery.RecoveryTarget;
import org.barman4j.recovery.TarArchives;
import org.barman4j.recovery.TargetAction;
import org.barman4j.recovery.TargetTimeline;
import org.barman4j.server.internal.ConfigFiles;
import org.barman4j.server.internal.RecoveryHost;
import org.barman4j.server.internal.WalSelection;
import org.barman4j.wal.WalFileName;

/**
 * {@code barman recover}: restores a backup of the server catalogue into a data directory, on this host or
 * on one reached over ssh, as Barman 3.4 does.
 *
 * <p>The base backup (plain {@code base/ID/data} and {@code base/ID/OID}, or the tar files of a
 * {@code backup_compression} backup, unpacked on this host first) is pushed with {@code rsync --delete}, so
 * recovering into an existing directory copies only what differs and removes unknown files; a directory
 * whose server is running is refused. Without {@code --get-wal} the WAL files recovery needs are
 * decompressed into {@code barman_wal/} (point-in-time recovery) or {@code pg_wal/}. The recovery settings
 * are appended to {@code postgresql.auto.conf} with a {@code recovery.signal} or {@code standby.signal}
 * (PostgreSQL 12+) or written to {@code recovery.conf}; {@code archive_command} is disabled.
 *
 * <p>Beyond Barman: links are never followed in the destination or the tablespace locations, a backup
 * holding a link out of itself is refused, a target LSN before the backup's end is refused, and a target
 * time is written with its offset, so PostgreSQL reads it in the zone it was checked in.
 */
public final class ServerRecovery {
  private static final int PG12 = 120000;
  private static final List<String> DATA_EXCLUDES = List.of("/pg_log/*", "/log/*", "/pg_xlog/*", "/pg_wal/*",
      "/postmaster.pid", "/recovery.conf", "/tablespace_map", "/backup_manifest");
  private static final String TABLESPACE_LINKS = "pg_tblspc";

  private final ServerDirectories directories;
  private final String barmanUser;
  private final Clock clock;

  /**
   * A recovery executor for one server.
   *
   * @param directories the server's catalogue
   * @param barmanUser {@code barman_user}, named in a {@code --get-wal} {@code restore_command}
   * @param clock the clock of the start and elapsed times
   */
  public ServerRecovery(ServerDirectories directories, String barmanUser, Clock clock) {
    this.directories = Objects.requireNonNull(directories, "directories is null");
    this.barmanUser = Objects.requireNonNull(barmanUser, "barmanUser is null");
    this.clock = Objects.requireNonNull(clock, "clock is null");
  }

  /**
   * Recovers {@code backup} as {@code options} say, writing Barman's progress lines and warnings to {@code out}.
   *
   * @param backup the backup, from {@link ServerBackups}
   * @param options what to do
   * @param out receives the progress lines and warnings
   * @return what was done; {@link RecoveryResult#consoleLines()} gives the closing report
   * @throws RecoveryException with one line if the recovery is refused or fails
   */
  public RecoveryResult recover(BackupInfo backup, RecoverOptions options, RecoveryOutput out) {
    Objects.requireNonNull(backup, "backup is null");
    Objects.requireNonNull(options, "options is null");
    Objects.requireNonNull(out, "out is null");
    OffsetDateTime start = OffsetDateTime.now(clock);
    String server = directories.serverName();
    String id = backup.backupId().value();
    if (!backup.status().isCopyDone()) {
      throw new RecoveryException("Cannot recover from backup '" + id + "' of server '" + server
          + "': backup status is not DONE");
    }
    backup.requireRestorable();
    int version = backup.version().orElseThrow(() -> new RecoveryException("Cannot recover from backup '" + id
        + "' of server '" + server + "': its backup.info has no version"));
    RecoveryHost host = new RecoveryHost(options.remoteSshCommand());
    Path dest = checkDestination(options.destination(), host.remote());
    Map<Tablespace, Path> locations = tablespaceLocations(backup, options.tablespaceLocations());

    out.info("Starting " + (host.remote() ? "remote" : "local") + " restore for server " + server
        + " using backup " + id);
    out.info("Destination directory: " + dest);
    options.remoteSshCommand().ifPresent(c -> out.info("Remote command: " + c));
    if (!options.getWal() && backup.status() != BackupStatus.DONE) {
      out.warning("IMPORTANT: You have requested a recovery operation for a backup that does not have yet all "
          + "the WAL files that are required for consistency.");
    }

    List<XlogDbEntry> xlog = readXlogDb();
    Targets targets = targets(backup, version, options, xlog);
    if (targets.pitr()) {
      out.info("Doing PITR. Recovery target " + targets.description());
    }
    refuseRunningServer(host, dest);

    Path work = null;
    Sources sources = null;
    try {
      sources = sources(backup, options, out);
      work = Files.createTempDirectory("barman_recovery-");
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
      prepareDestination(host, dest, locations, out);
      out.info("Copying the base backup.");
      copyBase(host, dest, sources, locations);

      // Everything else Barman writes into the destination is prepared here and pushed in one rsync run.
      Files.copy(directories.readableBackupInfo(backup.backupId()), work.resolve(".barman-recover.info"));
      Path manifest = directories.backup(backup.backupId()).resolve("data").resolve("backup_manifest");
      if (Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
        Files.copy(manifest, work.resolve("backup_manifest." + id));
      }
      for (Map.Entry<Tablespace, Path> e : locations.entrySet()) {
        Path links = Files.createDirectories(work.resolve(TABLESPACE_LINKS));
        Files.createSymbolicLink(links.resolve(Long.toString(e.getKey().oid())), e.getValue());
      }
      Path walDir = Files.createDirectories(work.resolve(targets.pitr() ? "barman_wal" : backup.walDirectoryName()));
      List<String> walFiles = options.getWal() ? List.of() : stageWal(backup, targets, xlog, walDir, out);
      List<String> recoveryLines = List.of();
      if (targets.pitr() || options.getWal() || options.standbyMode()) {
        out.info("Generating recovery configuration");
        recoveryLines = recoveryLines(version, options, targets, host.remote());
        if (version >= PG12) {
          Files.write(work.resolve(options.standbyMode() ? "standby.signal" : "recovery.signal"), new byte[0]);
        } else {
          List<String> conf = new ArrayList<>(recoveryLines);
          if (options.standbyMode()) {
            conf.add("standby_mode = 'on'");
          }
          Files.writeString(work.resolve("recovery.conf"), String.join("\n", conf) + "\n");
          recoveryLines = List.of();
        }
      }
      Files.createDirectories(walDir.resolve("archive_status"));

      out.info("Identify dangerous settings in destination directory.");
      ConfigReview review = stageConfigFiles(sources.data(), work, version, recoveryLines);
      try {
        host.push(work.toString(), dest.toString(), List.of());
      } catch (IOException e) {
        throw new RecoveryException("Failure copying the recovery files to " + dest + ": " + Causes.describe(e), e);
      }
      Duration elapsed = Duration.between(start.toInstant(), clock.instant());
      return new RecoveryResult(start, elapsed, review.changes(), review.warnings(), review.missing(),
          options.getWal(), version >= PG12 ? "postgresql.auto.conf" : "recovery.conf", walFiles);
    } catch (IOException e) {
      throw new RecoveryException("Recovery of backup " + id + " of server " + server + " failed: "
          + Causes.describe(e), e);
    } finally {
      deleteQuietly(work);
      if (sources != null) {
        sources.staging().ifPresent(ServerRecovery::deleteQuietly);
      }
    }
  }

  /**
   * Where the backup's files are read from: {@code base/ID/data} and {@code base/ID/OID}, or a staging
   * directory where a tar backup was unpacked.
   */
  private record Sources(Path data, Map<Tablespace, Path> tablespaces, Optional<Path> staging) {}

  private Sources sources(BackupInfo backup, RecoverOptions options, RecoveryOutput out) throws IOException {
    String id = backup.backupId().value();
    Path backupDir = directories.backup(backup.backupId());
    Path data = backupDir.resolve("data");
    Map<Tablespace, Path> tablespaces = new LinkedHashMap<>();
    backup.tablespaces().forEach(t -> tablespaces.put(t, backupDir.resolve(Long.toString(t.oid()))));
    Optional<Path> baseTar = baseTar(data);
    Optional<Path> staging = baseTar.map(tar -> options.stagingDirectory()
        .orElse(Path.of(System.getProperty("java.io.tmpdir")))
        .resolve("barman-staging-" + directories.serverName() + "-" + id));
    try {
      if (baseTar.isPresent()) {
        out.info("Staging compressed backup files on the recovery host in: " + staging.get());
        unpack(baseTar.get(), data, staging.get(), backup.tablespaces());
        data = staging.get().resolve("data");
        for (Tablespace t : backup.tablespaces()) {
          tablespaces.put(t, staging.get().resolve(Long.toString(t.oid())));
        }
      }
      refuseLinksOut(data, id);
      for (Path t : tablespaces.values()) {
        refuseLinksOut(t, id);
      }
      return new Sources(data, tablespaces, staging);
    } catch (IOException | RuntimeException e) {
      staging.ifPresent(ServerRecovery::deleteQuietly);
      throw e;
    }
  }

  /** Creates the destination (0700) and the tablespace locations, as Barman does before copying. */
  private static void prepareDestination(RecoveryHost host, Path dest, Map<Tablespace, Path> locations,
      RecoveryOutput out) throws IOException {
    host.shell("[ -d " + q(dest) + " ] || mkdir -p -m 700 " + q(dest));
    for (Map.Entry<Tablespace, Path> e : locations.entrySet()) {
      Tablespace t = e.getKey();
      try {
        host.shell("mkdir -p " + q(e.getValue()) + " && [ -w " + q(e.getValue()) + " ]");
      } catch (IOException ex) {
        throw new RecoveryException("unable to prepare '" + t.name() + "' tablespace (destination '"
            + e.getValue() + "'): " + Causes.describe(ex), ex);
      }
      out.info("\t" + t.oid() + ", " + t.name() + ", " + e.getValue());
    }
  }

  /**
   * Pushes the tablespaces, then the data directory, with {@code --delete}: what the destination holds and
   * the backup does not is removed, except the tablespaces' links and locations inside the destination.
   */
  private static void copyBase(RecoveryHost host, Path dest, Sources sources, Map<Tablespace, Path> locations) {
    List<String> dataOptions = new ArrayList<>(List.of("--delete", "--delete-excluded", "--safe-links"));
    for (Map.Entry<Tablespace, Path> e : locations.entrySet()) {
      protect(dataOptions, "/" + TABLESPACE_LINKS + "/" + e.getKey().oid());
      if (e.getValue().startsWith(dest) && !e.getValue().equals(dest)) {
        protect(dataOptions, "/" + dest.relativize(e.getValue()));
      }
    }
    DATA_EXCLUDES.forEach(x -> dataOptions.add("--exclude=" + x));
    try {
      for (Map.Entry<Tablespace, Path> e : locations.entrySet()) {
        host.push(sources.tablespaces().get(e.getKey()).toString(), e.getValue().toString(),
            List.of("--delete", "--delete-excluded", "--safe-links"));
      }
      host.push(sources.data().toString(), dest.toString(), dataOptions);
    } catch (IOException e) {
      throw new RecoveryException("Failure copying base backup: " + Causes.describe(e), e);
    }
  }

  /** Decompresses the WAL recovery needs into {@code walDir}, with {@code .done} files outside PITR. */
  private List<String> stageWal(BackupInfo backup, Targets targets, List<XlogDbEntry> xlog, Path walDir,
      RecoveryOutput out) throws IOException {
    if (backup.status() != BackupStatus.DONE && stillWaitingForWals(backup)) {
      out.warning("IMPORTANT: The backup we have recovered IS NOT VALID. Required WAL files for consistency "
          + "are missing. Please verify that WAL archiving is working correctly or evaluate using the "
          + "'get-wal' option for recovery");
    }
    out.info("Copying required WAL segments.");
    List<XlogDbEntry> required = WalSelection.required(xlog, backup.beginWal().orElseThrow(),
        backup.endWal().orElseThrow(), targets.walTimeline(), targets.epoch());
    copyWals(required, walDir);
    if (!targets.pitr()) {
      // The files go straight into pg_wal: marked done, so the restored server does not archive them again.
      out.info("Generating archive status files");
      Path status = Files.createDirectories(walDir.resolve("archive_status"));
      for (XlogDbEntry w : required) {
        Files.write(status.resolve(w.name() + ".done"), new byte[0]);
      }
    }
    return required.stream().map(XlogDbEntry::name).toList();
  }

  /** What the review of the configuration files found. */
  private record ConfigReview(List<ConfigFinding> changes, List<ConfigFinding> warnings, List<String> missing) {}

  /**
   * Copies {@code postgresql.conf} and {@code postgresql.auto.conf} into {@code work} with Barman's changes
   * and the recovery settings appended to the latter, and lists what the backup lacks.
   */
  private static ConfigReview stageConfigFiles(Path data, Path work, int version, List<String> recoveryLines)
      throws IOException {
    List<String> confFiles = new ArrayList<>(List.of("postgresql.conf"));
    if (version >= 90400) {
      confFiles.add("postgresql.auto.conf");
    }
    List<String> missing = new ArrayList<>();
    for (String name : Stream.concat(confFiles.stream(), Stream.of("pg_hba.conf", "pg_ident.conf")).toList()) {
      if (!Files.exists(data.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        missing.add(name);
      }
    }
    List<ConfigFinding> changes = new ArrayList<>();
    List<ConfigFinding> warnings = new ArrayList<>();
    for (String name : confFiles) {
      Path restored = work.resolve(name);
      if (missing.contains(name)) {
        if (!name.equals("postgresql.auto.conf") || version < PG12) {
          continue;
        }
        // The recovery settings go into postgresql.auto.conf: it is created when the backup has none.
        Files.write(restored, new byte[0]);
        Files.setPosixFilePermissions(restored, PosixFilePermissions.fromString("rw-------"));
      } else {
        // A link here stays inside the backup (refuseLinksOut): its target's content is what PostgreSQL read.
        Files.copy(data.resolve(name), restored, StandardCopyOption.COPY_ATTRIBUTES);
      }
      changes.addAll(ConfigFiles.mangle(restored, name.equals("postgresql.auto.conf") ? recoveryLines : List.of()));
      warnings.addAll(ConfigFiles.dangerous(restored));
    }
    return new ConfigReview(changes, warnings, missing);
  }

  /** Whether the backup is still WAITING_FOR_WALS now (the archiver may have completed it meanwhile). */
  private boolean stillWaitingForWals(BackupInfo backup) {
    try {
      return new ServerBackups(directories).read(backup.backupId()).status() == BackupStatus.WAITING_FOR_WALS;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  private static Path checkDestination(Path destination, boolean remote) {
    String text = destination.toString();
    if (text.contains(":")) {
      throw new RecoveryException("The destination directory parameter cannot contain the ':' character "
          + "(HINT: If you want to do a remote recovery you have to use the --remote-ssh-command option)");
    }
    if (remote && !destination.isAbsolute()) {
      throw new RecoveryException("The destination directory '" + text + "' must be an absolute path "
          + "for a remote recovery");
    }
    requireNoDotDot(destination, "destination directory");
    return destination.toAbsolutePath();
  }

  private static void requireNoDotDot(Path path, String what) {
    for (Path element : path) {
      if (element.toString().equals("..") || element.toString().equals(".")) {
        throw new RecoveryException("Invalid " + what + " '" + path + "': it must not contain '.' or '..'");
      }
    }
  }

  private static Map<Tablespace, Path> tablespaceLocations(BackupInfo backup, Map<String, Path> relocations) {
    List<String> names = backup.tablespaces().stream().map(Tablespace::name).toList();
    for (String name : relocations.keySet()) {
      if (!names.contains(name)) {
        throw new RecoveryException("Invalid tablespace name '" + name + "' (HINT: Please use any of the "
            + "following tablespaces: " + String.join(", ", names) + ")");
      }
    }
    Map<Tablespace, Path> locations = new LinkedHashMap<>();
    for (Tablespace t : backup.tablespaces()) {
      Path location = relocations.containsKey(t.name()) ? relocations.get(t.name()) : Path.of(t.location());
      if (!location.isAbsolute() || location.toString().contains(":")) {
        throw new RecoveryException("Invalid location '" + location + "' of tablespace '" + t.name()
            + "': it must be an absolute path without ':'");
      }
      requireNoDotDot(location, "location of tablespace '" + t.name() + "'");
      locations.put(t, location);
    }
    return locations;
  }

  /** The recovery target as Barman works it out: whether it is point-in-time, and what it copies. */
  private record Targets(boolean pitr, String description, int walTimeline, OptionalDouble epoch,
      Optional<String> actionLine) {}

  private static Targets targets(BackupInfo backup, int version, RecoverOptions options, List<XlogDbEntry> xlog) {
    Optional<RecoveryTarget> target = options.target();
    int backupTimeline = backup.timeline().getAsInt();
    Optional<Integer> timeline = options.targetTimeline().map(t -> t instanceof TargetTimeline.Numbered n
        ? n.timeline()
        : t instanceof TargetTimeline.Latest ? WalSelection.latestTimeline(xlog, backupTimeline) : backupTimeline);
    boolean immediate = target.isPresent() && target.get() instanceof RecoveryTarget.Immediate;
    boolean lsn = target.isPresent() && target.get() instanceof RecoveryTarget.AtLsn;
    boolean dImmediate = immediate && version >= 90400;
    boolean dLsn = lsn && version >= 100000;
    boolean dTimeline = timeline.isPresent() && timeline.get() != backupTimeline;
    boolean pitr = dTimeline || dImmediate || dLsn
        || (target.isPresent() && !immediate && !lsn);
    int walTimeline = timeline.orElse((int) Long.parseLong(backup.endWal().orElseThrow().substring(0, 8), 16));
    if (!pitr) {
      if (version < 100000 && lsn) {
        throw new RecoveryException("Illegal use of recovery_target_lsn '" + target.get().value()
            + "' for this version of PostgreSQL (version 10 minimum required)");
      }
      if (immediate) {
        throw new RecoveryException("Illegal use of recovery_target_immediate for this version of PostgreSQL "
            + "(version 9.4 minimum required)");
      }
      if (options.targetAction().isPresent()) {
        throw new RecoveryException("Can't enable recovery target action when PITR is not required");
      }
      return new Targets(false, "", walTimeline, OptionalDouble.empty(), Optional.empty());
    }
    List<String> described = new ArrayList<>();
    OptionalDouble epoch = OptionalDouble.empty();
    if (target.isPresent() && target.get() instanceof RecoveryTarget.Time time) {
      OffsetDateTime end = backup.endTime().orElseThrow(() -> new RecoveryException(
          "Cannot recover backup " + backup.backupId().value() + " to a time: its backup.info has no end_time"));
      if (end.isAfter(time.time())) {
        throw new RecoveryException("The requested target time " + PythonTime.str(time.time())
            + " is before the backup end time " + PythonTime.str(end));
      }
      epoch = OptionalDouble.of(time.time().toEpochSecond() + time.time().getNano() / 1e9);
      described.add("time: '" + PythonTime.str(time.time()) + "'");
    }
    if (target.isPresent() && target.get() instanceof RecoveryTarget.Xid xid) {
      described.add("xid: '" + xid.xid() + "'");
    }
    if (target.isPresent() && target.get() instanceof RecoveryTarget.AtLsn at) {
      if (backup.endXlog().isPresent() && backup.endXlog().get().compareTo(at.lsn()) > 0) {
        throw new RecoveryException("The requested target LSN " + at.lsn() + " is before the backup end LSN "
            + backup.endXlog().get());
      }
      described.add("lsn: '" + at.lsn() + "'");
    }
    if (dTimeline) {
      described.add("timeline: '" + timeline.get() + "'");
    }
    if (target.isPresent() && target.get() instanceof RecoveryTarget.Name name) {
      described.add("name: '" + name.name() + "'");
    }
    if (dImmediate) {
      described.add("immediate: True");
    }
    Optional<String> actionLine = Optional.empty();
    if (options.targetAction().isPresent()) {
      TargetAction action = options.targetAction().get();
      if (version >= 90500) {
        actionLine = Optional.of("recovery_target_action = '" + action.value() + "'");
      } else if (version >= 90100 && action == TargetAction.PAUSE) {
        actionLine = Optional.of("pause_at_recovery_target = 'on'");
      } else {
        throw new RecoveryException("Illegal target action '" + action.value() + "' for this version of PostgreSQL");
      }
    }
    return new Targets(true, String.join(", ", described), walTimeline, epoch, actionLine);
  }

  /** The lines Barman 3.4 writes, in its order. */
  private List<String> recoveryLines(int version, RecoverOptions options, Targets targets, boolean remote) {
    List<String> lines = new ArrayList<>();
    String server = directories.serverName();
    if (options.getWal()) {
      String partial = options.standbyMode() ? "" : "-P";
      if (remote) {
        lines.add("# The 'barman-wal-restore' command is provided in the 'barman-cli' package");
        lines.add("restore_command = 'barman-wal-restore " + partial + " -U " + barmanUser + " " + fqdn() + " "
            + server + " %f %p'");
      } else {
        lines.add("# The 'barman get-wal' command must run as '" + barmanUser + "' user");
        lines.add("restore_command = 'sudo -u " + barmanUser + " barman get-wal " + partial + " " + server
            + " %f > %p'");
      }
    } else {
      lines.add("restore_command = 'cp barman_wal/%f %p'");
      lines.add("recovery_end_command = 'rm -fr barman_wal'");
    }
    Optional<RecoveryTarget> target = options.target();
    if (target.isPresent()) {
      RecoveryTarget t = target.get();
      boolean written = !(t instanceof RecoveryTarget.AtLsn) || version >= 100000;
      written &= !(t instanceof RecoveryTarget.Immediate) || version >= 90400;
      if (written) {
        lines.add(t.setting() + " = '" + t.value() + "'");
      }
      if (options.exclusive() && t.supportsExclusive()) {
        lines.add("recovery_target_inclusive = 'False'");
      }
    }
    options.targetTimeline().ifPresent(t -> lines.add("recovery_target_timeline = " + t.value()));
    targets.actionLine().ifPresent(lines::add);
    return lines;
  }

  private static String fqdn() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private List<XlogDbEntry> readXlogDb() {
    try {
      return new XlogDb(directories).read();
    } catch (IOException e) {
      throw new RecoveryException("Cannot read the WAL catalogue of server " + directories.serverName() + ": "
          + Causes.describe(e), e);
    }
  }

  private static void refuseRunningServer(RecoveryHost host, Path dest) {
    String pidFile = q(dest.resolve("postmaster.pid"));
    String script = "if [ -f " + pidFile + " ] && [ ! -L " + pidFile + " ]; then p=$(head -n 1 " + pidFile
        + "); case \"$p\" in ''|*[!0-9]*) ;; *) if kill -0 \"$p\" 2>/dev/null || [ -d \"/proc/$p\" ]; then "
        + "echo \"$p\"; fi;; esac; fi";
    String pid;
    try {
      pid = host.shell(script).strip();
    } catch (IOException e) {
      throw new RecoveryException("Cannot check the destination directory '" + dest + "': " + Causes.describe(e), e);
    }
    if (!pid.isEmpty()) {
      throw new RecoveryException("The destination directory '" + dest + "' holds a running PostgreSQL server "
          + "(postmaster.pid names the live process " + pid + "): stop it before recovering into it");
    }
  }

  private static Optional<Path> baseTar(Path data) throws IOException {
    if (!Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(data + " is not a directory");
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(data, "base.tar*")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.equals("base.tar") || Compression.fromSuffix(name).isPresent()
            && name.equals("base.tar" + Compression.fromSuffix(name).get().suffix())) {
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  private static void unpack(Path baseTar, Path data, Path staging, List<Tablespace> tablespaces) throws IOException {
    deleteQuietly(staging);
    Files.createDirectories(staging);
    Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwx------"));
    String suffix = baseTar.getFileName().toString().substring("base.tar".length());
    Compression compression = suffix.isEmpty() ? Compression.NONE : Compression.fromSuffix(baseTar.toString()).get();
    Path dataOut = Files.createDirectory(staging.resolve("data"));
    TarArchives.extract(baseTar, compression, dataOut, Set.of(TABLESPACE_LINKS));
    for (Tablespace t : tablespaces) {
      Path tar = data.resolve(t.oid() + ".tar" + suffix);
      Path out = Files.createDirectory(staging.resolve(Long.toString(t.oid())));
      TarArchives.extract(tar, compression, out, Set.of());
    }
  }

  /** Refuses a backup holding a link that leads out of it (only pg_tblspc's are replaced, not copied). */
  private static void refuseLinksOut(Path root, String id) throws IOException {
    Path tablespaceLinks = root.resolve(TABLESPACE_LINKS);
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink() && !file.getParent().equals(tablespaceLinks)) {
          Path target = Files.readSymbolicLink(file);
          Path resolved = file.getParent().resolve(target).normalize();
          if (target.isAbsolute() || !resolved.startsWith(root)) {
            throw new RecoveryException("Cannot recover backup " + id + ": " + root.relativize(file)
                + " is a symbolic link leading out of the backup (" + target + ")");
          }
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void copyWals(List<XlogDbEntry> required, Path walDir) {
    for (XlogDbEntry wal : required) {
      Path source = directories.walFile(WalFileName.parse(wal.name()));
      Compression codec = wal.codec().orElseThrow(() -> new RecoveryException("Failure copying WAL files: "
          + wal.name() + " is compressed with '" + wal.compression() + "', which cannot be read"));
      try (InputStream in = codec.decompress(Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS));
          OutputStream o = Files.newOutputStream(walDir.resolve(wal.name()))) {
        in.transferTo(o);
      } catch (IOException e) {
        throw new RecoveryException("Failure copying WAL files: " + wal.name() + ": " + Causes.describe(e), e);
      }
    }
  }

  private static void protect(List<String> options, String path) {
    options.add("--filter=P " + path);
    options.add("--exclude=" + path);
  }

  private static String q(Path path) {
    return RecoveryHost.quote(path.toString());
  }

  private static void deleteQuietly(Path root) {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // Temporary files only: the recovery's outcome does not depend on their removal.
    }
  }
}
