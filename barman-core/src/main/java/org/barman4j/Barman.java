package org.barman4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.barman4j.backup.BackupOptions;
import org.barman4j.backup.BackupResult;
import org.barman4j.backup.BaseBackup;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.internal.ProgressReporter;
import org.barman4j.postgres.PostgresSession;
import org.barman4j.postgres.PostgresSource;
import org.barman4j.recovery.BackupChoice;
import org.barman4j.recovery.BackupChooser;
import org.barman4j.recovery.BackupRestore;
import org.barman4j.recovery.RecoveryConfig;
import org.barman4j.recovery.RestoreOptions;
import org.barman4j.recovery.RestoreResult;
import org.barman4j.retention.BackupDeleter;
import org.barman4j.retention.RetentionPlan;
import org.barman4j.retention.RetentionPlanner;
import org.barman4j.retention.RetentionPolicy;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.storage.StorageUri;
import org.barman4j.wal.StoredWal;
import org.barman4j.wal.WalArchive;
import org.barman4j.wal.WalArchiveCheck;
import org.barman4j.wal.WalArchiveContentException;
import org.barman4j.wal.WalFileName;
import org.slf4j.LoggerFactory;

/**
 * The embedding entry point: every job on one server's backups and WAL archive in one storage location.
 *
 * <h2>Build once, share</h2>
 *
 * A {@code Barman} is immutable and thread-safe. Build one per server and storage location and share
 * it; it closes only what it opened (a backend passed to {@link Builder#backend} stays open).
 * {@link #newBuilder()} derives another, e.g. for a second server in the same bucket.
 *
 * <pre>{@code
 * try (Barman barman = Barman.builder()
 *     .url("s3://backups/pg")                     // file://, gs://, https://ACCOUNT.blob.core.windows.net/…
 *     .serverName("main")
 *     .build()) {
 *   barman.wal().archive(Path.of(walPath), ArchiveOptions.DEFAULT.withCompression(Compression.ZSTD));
 *   BackupResult backup = barman.backup(PostgresSource.of(dataSource),
 *       BackupOptions.builder().compression(Compression.GZIP).jobs(4).build());
 *   barman.enforceRetention(RetentionPolicy.parse("RECOVERY WINDOW OF 7 DAYS"), BackupDeleter.Options.DEFAULT);
 *   barman.restore(BackupChoice.newestReaching(target), RestoreOptions.into(Path.of("/srv/pg/restored"))
 *       .withRecovery(RecoveryConfig.of("cp /archive/%f %p").withTarget(target)));
 * }
 * }</pre>
 *
 * <h2>Jobs</h2>
 *
 * <ul>
 *   <li>WAL: {@link #wal()} archives and restores segments, as {@code archive_command} and
 *       {@code restore_command} do; {@link #checkWalArchive()} tells whether a new server may archive here.
 *   <li>Backups: {@link #backup} takes one from a running PostgreSQL on this host; {@link #list()},
 *       {@link #show(String)} and {@link #choose(BackupChoice)} read the catalogue; {@link #keep},
 *       {@link #release(String)} and {@link #keepStatus(String)} manage keep annotations.
 *   <li>Restore: {@link #restore} extracts a backup into a new data directory and writes the recovery
 *       configuration; {@link #walRestoreCommand(Path)} builds a {@code restore_command} running an installed
 *       distribution's {@code barman-cloud-wal-restore} against this storage.
 *   <li>Deletion: {@link #delete} removes one backup, {@link #planRetention} shows what a policy would
 *       remove, {@link #enforceRetention} removes it, each with the WAL no remaining backup needs.
 * </ul>
 *
 * Long jobs tell a {@link BarmanListener} how far they have come. Failures are unchecked
 * {@link BarmanException}s naming what failed.
 *
 * <h2>Storage</h2>
 *
 * The backend is found by URL among the {@code barman-storage-*} jars on the class path, or given
 * directly with {@link Builder#backend}. Storage properties ({@code s3.endpoint}, …) are passed with
 * {@link Builder#property}.
 */
public final class Barman implements AutoCloseable {
  /** The options of {@code barman-cloud-wal-restore} that reach storage, by the property each sets. */
  private static final String[][] WAL_RESTORE_OPTIONS = {
      {StorageConfig.PROVIDER, "--cloud-provider"}, {"s3.endpoint", "--endpoint-url"},
      {"s3.profile", "--aws-profile"}, {"s3.read-timeout", "--read-timeout"},
      {"azure.credential", "--azure-credential"}};

  private final Builder settings;
  private final StorageBackend backend;
  private final boolean ownsBackend;
  private final ServerLayout layout;
  private final WalArchive wal;
  private final Clock clock;

  private Barman(Builder settings, StorageBackend backend, boolean ownsBackend, ServerLayout layout) {
    this.settings = settings;
    this.backend = backend;
    this.ownsBackend = ownsBackend;
    this.layout = layout;
    this.wal = new WalArchive(backend, layout.wal());
    this.clock = settings.clock;
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return a builder holding this instance's settings, to derive another instance} The new instance opens
   * its own storage by URL, or shares the backend this one was given.
   */
  public Builder newBuilder() {
    return settings.copy();
  }

  /** {@return the server's WAL archive} */
  public WalArchive wal() {
    return wal;
  }

  /** {@return the server's name} */
  public String serverName() {
    return layout.serverName();
  }

  /** {@return the server's object layout} */
  public ServerLayout layout() {
    return layout;
  }

  /** {@return the storage this instance works on} */
  public StorageBackend storage() {
    return backend;
  }

  /**
   * Checks that the storage answers and accepts the credentials, as the tools' {@code --test} does.
   *
   * @throws StorageFailureException if it does not; its cause says why
   */
  public void checkStorage() {
    try {
      backend.check();
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new StorageFailureException(new StorageUnavailableException(
          "Cannot reach the storage of server " + serverName() + ": " + e.getMessage(), e));
    }
  }

  /**
   * Takes a base backup of the PostgreSQL server {@code source} connects to, which must run on this host.
   *
   * @param source where to connect
   * @param options how to take the backup
   * @return what was stored
   * @throws org.barman4j.postgres.PostgresException if the server cannot be reached or described (nothing written)
   * @throws org.barman4j.backup.BackupFailedException if the backup failed after it started (it is recorded
   *     as FAILED and never offered for restore)
   */
  public BackupResult backup(PostgresSource source, BackupOptions options) {
    return backup(source, options, BarmanListener.NONE);
  }

  /**
   * Takes a base backup as {@link #backup(PostgresSource, BackupOptions)} does, telling {@code listener} how
   * far it has come.
   *
   * @param source where to connect
   * @param options how to take the backup
   * @param listener told of the progress
   * @return what was stored
   */
  public BackupResult backup(PostgresSource source, BackupOptions options, BarmanListener listener) {
    Objects.requireNonNull(source, "source is null");
    Objects.requireNonNull(listener, "listener is null");
    BaseBackup backup = new BaseBackup(backend, layout, options, clock);
    try (PostgresSession session = source.connect()) {
      return backup.run(session, listener);
    }
  }

  /** {@return every backup of the server, oldest first, with the unreadable ones and the keep annotations} */
  public BackupCatalog.Listing list() {
    return catalog().list();
  }

  /**
   * {@return the backup {@code reference} designates, whatever its status}
   *
   * @param reference a backup identifier, name or shortcut ({@code latest}, {@code oldest} …)
   * @throws org.barman4j.catalog.BackupNotFoundException if none matches
   */
  public BackupInfo show(String reference) {
    BackupCatalog catalog = catalog();
    return catalog.get(catalog.resolve(reference));
  }

  /**
   * {@return the DONE backup {@code choice} designates, checked against its recovery target}
   *
   * @param choice the backup reference, the recovery target and the timeline
   * @throws org.barman4j.catalog.BackupNotFoundException if no backup matches
   * @throws org.barman4j.recovery.RecoveryException if the backup is not DONE or cannot reach the target
   */
  public BackupInfo choose(BackupChoice choice) {
    return new BackupChooser(catalog()).choose(choice);
  }

  /**
   * Restores the backup {@code choice} designates into a new data directory. When the recovery configuration
   * has a target and the choice has none, the configuration's target also chooses ({@code auto}) and checks
   * the backup.
   *
   * @param choice which backup
   * @param options where to restore, and the recovery configuration to write, if any
   * @return what was restored
   * @throws org.barman4j.recovery.RecoveryException if the backup cannot be restored or the destination is
   *     not empty; an interrupted restore leaves a directory PostgreSQL refuses to start
   */
  public RestoreResult restore(BackupChoice choice, RestoreOptions options) {
    return restore(choice, options, BarmanListener.NONE);
  }

  /**
   * Restores as {@link #restore(BackupChoice, RestoreOptions)} does, telling {@code listener} how far it has
   * come.
   *
   * @param choice which backup
   * @param options where to restore, and the recovery configuration to write, if any
   * @param listener told of the progress
   * @return what was restored
   */
  public RestoreResult restore(BackupChoice choice, RestoreOptions options, BarmanListener listener) {
    Objects.requireNonNull(choice, "choice is null");
    Objects.requireNonNull(options, "options is null");
    Objects.requireNonNull(listener, "listener is null");
    BackupChoice effective = choice;
    if (choice.target().isEmpty() && options.recovery().isPresent() && options.recovery().get().target().isPresent()) {
      effective = choice.withTarget(options.recovery().get().target().get());
    }
    if (choice.timeline().isEmpty() && options.recovery().isPresent() && options.recovery().get().timeline().isPresent()) {
      effective = effective.withTimeline(options.recovery().get().timeline().get());
    }
    BackupInfo backup = choose(effective);
    LoggerFactory.getLogger(Barman.class).info("Restoring from backup_id: {}", backup.backupId());
    return new BackupRestore(backend, layout).restore(backup, options, listener);
  }

  /**
   * {@return a {@code restore_command} running {@code barman-cloud-wal-restore} of the distribution installed
   * in {@code distributionHome} against this storage and server, with the options that reach it}
   *
   * @param distributionHome the directory holding the distribution's {@code bin/}
   * @throws BarmanConfigurationException if this instance was given a backend rather than a URL, or the
   *     command is not installed there
   */
  public String walRestoreCommand(Path distributionHome) {
    if (settings.url.isEmpty()) {
      throw new BarmanConfigurationException("Cannot build a restore_command for server " + serverName()
          + ": its storage was given as a backend, not a URL");
    }
    Path program = distributionHome.resolve("bin").resolve("barman-cloud-wal-restore").toAbsolutePath();
    if (!Files.isExecutable(program)) {
      throw new BarmanConfigurationException("Cannot build a restore_command: " + program + " is not executable");
    }
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    for (String[] option : WAL_RESTORE_OPTIONS) {
      String value = settings.properties.get(option[0]);
      if (value != null) {
        command.add(option[1]);
        command.add(value);
      }
    }
    command.add(settings.url.get());
    command.add(serverName());
    return RecoveryConfig.restoreCommand(command);
  }

  /**
   * Marks a DONE backup as kept: retention never deletes it.
   *
   * @param reference a backup identifier, name or shortcut
   * @param target what the backup must stay able to restore: the full history or itself only
   * @throws org.barman4j.catalog.BackupNotFoundException if none matches
   */
  public void keep(String reference, KeepTarget target) {
    BackupCatalog catalog = catalog();
    catalog.keep(catalog.resolve(reference), target);
  }

  /**
   * Removes a backup's keep annotation, making it subject to retention again.
   *
   * @param reference a backup identifier, name or shortcut
   * @throws org.barman4j.catalog.BackupNotFoundException if none matches
   */
  public void release(String reference) {
    BackupCatalog catalog = catalog();
    BackupId id = catalog.resolve(reference);
    catalog.get(id);
    catalog.releaseKeep(id);
  }

  /**
   * {@return the keep annotation of the backup {@code reference} designates, if it is kept}
   *
   * @param reference a backup identifier, name or shortcut
   * @throws org.barman4j.catalog.BackupNotFoundException if none matches
   */
  public Optional<KeepTarget> keepStatus(String reference) {
    BackupCatalog catalog = catalog();
    BackupId id = catalog.resolve(reference);
    catalog.get(id);
    return catalog.keepTarget(id);
  }

  /**
   * Deletes one backup, then the WAL files no remaining backup needs. A backup that does not exist is a
   * warning to {@code listener}, as in Barman.
   *
   * @param reference a backup identifier, name or shortcut
   * @param options dry run, batch size, minimum redundancy
   * @param listener told of each deletion and of the progress
   * @return what was deleted (or would be, in a dry run)
   * @throws org.barman4j.catalog.CatalogOperationRefusedException if part of the catalogue is unreadable, the
   *     backup is kept, or the minimum redundancy forbids it; nothing is deleted then
   */
  public BackupDeleter.Outcome delete(String reference, BackupDeleter.Options options, BarmanListener listener) {
    DeleteProgress progress = new DeleteProgress(listener);
    BackupDeleter.Outcome outcome = new BackupDeleter(catalog()).deleteBackup(reference, options, progress);
    progress.done();
    return outcome;
  }

  /**
   * {@return what {@code policy} would delete now, deleting nothing: the status of every backup}
   *
   * @param policy the retention policy
   * @param minimumRedundancy the number of DONE backups that must remain
   */
  public RetentionPlan planRetention(RetentionPolicy policy, int minimumRedundancy) {
    BackupCatalog.Listing listing = catalog().list();
    return RetentionPlanner.plan(listing.backups(), listing.keepTargets(), policy, minimumRedundancy,
        ZonedDateTime.now(clock));
  }

  /**
   * Deletes every backup {@code policy} makes obsolete, oldest first, each with the WAL no remaining backup
   * needs. Kept backups and backups that are not DONE are never deleted this way.
   *
   * @param policy the retention policy
   * @param options dry run, batch size, minimum redundancy
   * @return what was deleted (or would be, in a dry run), with the plan
   * @throws org.barman4j.catalog.CatalogOperationRefusedException if part of the catalogue is unreadable
   */
  public BackupDeleter.Outcome enforceRetention(RetentionPolicy policy, BackupDeleter.Options options) {
    return enforceRetention(policy, options, BarmanListener.NONE);
  }

  /**
   * Enforces {@code policy} as {@link #enforceRetention(RetentionPolicy, BackupDeleter.Options)} does,
   * telling {@code listener} of each deletion and of the progress.
   *
   * @param policy the retention policy
   * @param options dry run, batch size, minimum redundancy
   * @param listener told of each deletion and of the progress
   * @return what was deleted (or would be, in a dry run), with the plan
   */
  public BackupDeleter.Outcome enforceRetention(RetentionPolicy policy, BackupDeleter.Options options,
      BarmanListener listener) {
    DeleteProgress progress = new DeleteProgress(listener);
    BackupDeleter.Outcome outcome =
        new BackupDeleter(catalog()).enforce(policy, options, ZonedDateTime.now(clock), progress);
    progress.done();
    return outcome;
  }

  /**
   * Checks that a new PostgreSQL server can archive here without mixing its WAL with WAL already stored:
   * the archive must be empty.
   *
   * @throws WalArchiveContentException if it is not, naming what is there
   */
  public void checkWalArchive() {
    WalArchiveCheck.checkUsable(storedWals(), OptionalInt.empty());
  }

  /**
   * Checks that a server promoted to timeline {@code timeline} can archive here: no WAL of that timeline or
   * a later one is stored.
   *
   * @param timeline the first timeline the new server will write
   * @throws WalArchiveContentException if such WAL is stored, naming it
   */
  public void checkWalArchive(int timeline) {
    WalArchiveCheck.checkUsable(storedWals(), OptionalInt.of(timeline));
  }

  private List<WalFileName> storedWals() {
    List<WalFileName> wals = new ArrayList<>();
    for (StoredWal stored : wal.list()) {
      wals.add(stored.wal());
    }
    return wals;
  }

  private BackupCatalog catalog() {
    return new BackupCatalog(backend, layout);
  }

  /** Closes the backend if this instance opened it. */
  @Override
  public void close() {
    if (ownsBackend) {
      try {
        backend.close();
      } catch (StorageException e) {
        throw new StorageFailureException(e);
      } catch (IOException e) {
        throw new BarmanException("Cannot close storage: " + e.getMessage(), e);
      }
    }
  }

  /** Collects the settings of a {@link Barman}; {@link #build()} checks them all at once. */
  public static final class Builder {
    private Optional<String> url = Optional.empty();
    private Optional<StorageBackend> backend = Optional.empty();
    private Optional<String> serverName = Optional.empty();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Optional<ClassLoader> classLoader = Optional.empty();
    private Clock clock = Clock.systemDefaultZone();

    private Builder() {}

    private Builder copy() {
      Builder copy = new Builder();
      copy.url = url;
      copy.backend = backend;
      copy.serverName = serverName;
      copy.properties.putAll(properties);
      copy.classLoader = classLoader;
      copy.clock = clock;
      return copy;
    }

    /**
     * Sets the storage location, e.g. {@code s3://bucket/path} or {@code file:///srv/backups}; replaces a
     * backend set before.
     *
     * @param url the storage location
     * @return this builder
     */
    public Builder url(String url) {
      this.url = Optional.of(Objects.requireNonNull(url, "url is null"));
      this.backend = Optional.empty();
      return this;
    }

    /**
     * Uses {@code backend} instead of opening one by URL; the caller keeps ownership. Replaces a URL set before.
     *
     * @param backend the storage
     * @return this builder
     */
    public Builder backend(StorageBackend backend) {
      this.backend = Optional.of(Objects.requireNonNull(backend, "backend is null"));
      this.url = Optional.empty();
      return this;
    }

    /**
     * Sets the server name, the first key segment of everything stored.
     *
     * @param serverName the server name
     * @return this builder
     */
    public Builder serverName(String serverName) {
      this.serverName = Optional.of(Objects.requireNonNull(serverName, "serverName is null"));
      return this;
    }

    /**
     * Sets a storage property such as {@code s3.endpoint}.
     *
     * @param name the property's name
     * @param value its value
     * @return this builder
     */
    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name is null"), Objects.requireNonNull(value, "value is null"));
      return this;
    }

    /**
     * Sets storage properties, as {@link #property} does for each.
     *
     * @param properties the properties, by name
     * @return this builder
     */
    public Builder properties(Map<String, String> properties) {
      for (Map.Entry<String, String> e : properties.entrySet()) {
        property(e.getKey(), e.getValue());
      }
      return this;
    }

    /**
     * Sets the class loader to find storage providers in (default: the context class loader).
     *
     * @param loader the class loader
     * @return this builder
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Optional.of(Objects.requireNonNull(loader, "loader is null"));
      return this;
    }

    /**
     * Sets the clock and zone giving backup identifiers and the time retention is measured from (default: the
     * system's).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock is null");
      return this;
    }

    /**
     * Opens the storage and returns the instance.
     *
     * @throws BarmanConfigurationException listing every problem with the settings
     * @throws StorageFailureException if the backend cannot be opened
     * @return the configured instance
     */
    public Barman build() {
      StringBuilder problems = new StringBuilder();
      if (serverName.isEmpty()) {
        problems.append("; no server name");
      }
      if (url.isEmpty() && backend.isEmpty()) {
        problems.append("; no storage url or backend");
      }
      ServerLayout layout = null;
      if (serverName.isPresent()) {
        try {
          layout = new ServerLayout(serverName.get());
        } catch (IllegalArgumentException e) {
          problems.append("; ").append(e.getMessage());
        }
      }
      if (problems.length() > 0) {
        throw new BarmanConfigurationException("Invalid Barman settings: " + problems.substring(2));
      }
      Builder frozen = copy();
      if (backend.isPresent()) {
        return new Barman(frozen, backend.get(), false, layout);
      }
      return new Barman(frozen, openStorage(url.get(), properties, classLoader.orElseGet(StorageProviders::defaultLoader)),
          true, layout);
    }
  }

  /** Adds progress to the deletion steps the listener hears of: objects deleted, backups deleted. */
  private static final class DeleteProgress implements BarmanListener {
    private final BarmanListener listener;
    private final ProgressReporter progress;

    DeleteProgress(BarmanListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener is null");
      this.progress = new ProgressReporter(listener, Progress.Job.DELETE);
      progress.phase(Progress.Phase.STARTING);
    }

    void done() {
      progress.phase(Progress.Phase.DONE);
    }

    @Override
    public void deletingBackup(BackupId backupId, List<String> keys, boolean dryRun) {
      progress.phase(Progress.Phase.DELETING);
      listener.deletingBackup(backupId, keys, dryRun);
      progress.file();
      progress.bytes(keys.size());
    }

    @Override
    public void deletingWalDirectory(String prefix, boolean dryRun) {
      listener.deletingWalDirectory(prefix, dryRun);
    }

    @Override
    public void deletingWals(List<String> keys, boolean dryRun) {
      listener.deletingWals(keys, dryRun);
      progress.bytes(keys.size());
    }

    @Override
    public void removedAbandonedUploads(int count) {
      listener.removedAbandonedUploads(count);
    }

    @Override
    public void warning(String message) {
      listener.warning(message);
    }

    @Override
    public void progress(Progress p) {
      listener.progress(p);
    }
  }

  /**
   * Opens the storage at {@code url} with the provider that claims it, in the context class loader; the
   * caller owns the result.
   *
   * @param url the storage URL, e.g. {@code s3://bucket/path}
   * @param properties the storage properties, by name
   * @return the opened storage
   * @throws BarmanConfigurationException if the URL, the provider or a property is not usable
   * @throws StorageFailureException if the backend cannot be opened
   */
  public static StorageBackend openStorage(String url, Map<String, String> properties) {
    return openStorage(url, properties, StorageProviders.defaultLoader());
  }

  private static StorageBackend openStorage(String url, Map<String, String> properties, ClassLoader loader) {
    try {
      return StorageProviders.open(StorageUri.parse(url), StorageConfig.of(properties), loader);
    } catch (IllegalArgumentException e) {
      throw new BarmanConfigurationException(e.getMessage(), e);
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new BarmanConfigurationException("Cannot open " + url + ": " + e.getMessage(), e);
    }
  }
}
