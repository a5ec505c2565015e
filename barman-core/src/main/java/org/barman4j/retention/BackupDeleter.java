package org.barman4j.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.barman4j.BarmanException;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.BackupId;
import org.barman4j.catalog.BackupInfo;
import org.barman4j.catalog.CatalogOperationRefusedException;
import org.barman4j.catalog.KeepTarget;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.ListPage;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.StorageException;
import org.barman4j.wal.StoredWal;
import org.barman4j.wal.WalFileName;

/**
 * Deletes backups and the WAL files they no longer need, as {@code barman-cloud-backup-delete} does:
 * one backup ({@link #deleteBackup}) or every backup a retention policy makes obsolete
 * ({@link #enforce}, oldest first). Each backup's objects go first, {@code backup.info} last, then the
 * WAL cleanup of {@link WalCleanup}. Nothing is deleted unless the whole catalogue could be read.
 *
 * <p>WAL cleanup walks the archive one directory ({@code wals/TTTTTTTTXXXXXXXX/}) at a time, so memory
 * stays bounded by the largest directory whatever the archive's size; directories that are wholly
 * obsolete are emptied without examining each name.
 *
 * <p>Both also remove what uploads that will never finish left under the server's prefix (S3 multipart
 * uploads, the file backend's temporary files; see {@link StorageBackend#cleanUpAbandonedUploads}) once
 * they are older than {@link #ABANDONED_UPLOAD_AGE}: a killed backup or archiver leaves them, and no later
 * upload finishes them.
 */
public final class BackupDeleter {
  /** The age after which an unfinished upload is taken as abandoned: longer than any upload takes. */
  public static final Duration ABANDONED_UPLOAD_AGE = Duration.ofDays(1);

  private final BackupCatalog catalog;
  private final Duration abandonedUploadAge;

  /**
   * A deleter that takes unfinished uploads older than {@link #ABANDONED_UPLOAD_AGE} as abandoned.
   *
   * @param catalog the backup catalogue
   */
  public BackupDeleter(BackupCatalog catalog) {
    this(catalog, ABANDONED_UPLOAD_AGE);
  }

  /**
   * A deleter that takes unfinished uploads older than {@code abandonedUploadAge} as abandoned.
   *
   * @param catalog the backup catalogue
   * @param abandonedUploadAge the age from which an unfinished upload is taken as abandoned
   */
  public BackupDeleter(BackupCatalog catalog, Duration abandonedUploadAge) {
    this.catalog = Objects.requireNonNull(catalog, "catalog is null");
    this.abandonedUploadAge = Objects.requireNonNull(abandonedUploadAge, "abandonedUploadAge is null");
    if (abandonedUploadAge.isNegative()) {
      throw new IllegalArgumentException("Negative age: " + abandonedUploadAge);
    }
  }

  /**
   * How to delete.
   *
   * @param dryRun report what would be deleted, delete nothing
   * @param batchSize the most keys per delete request; values below 1 or above the backend's maximum
   *     mean the backend's maximum
   * @param minimumRedundancy the number of backups that must remain ({@code -m})
   */
  public record Options(boolean dryRun, int batchSize, int minimumRedundancy) {
    /**
     * Checks the values.
     *
     * @param dryRun report what would be deleted, delete nothing
     * @param batchSize the most keys per delete request; values below 1 or above the backend's maximum mean the backend's maximum
     * @param minimumRedundancy the number of backups that must remain ({@code -m})
     * @throws IllegalArgumentException if a component is invalid
     */
    public Options {
      if (minimumRedundancy < 0) {
        throw new IllegalArgumentException("Minimum redundancy must be >= 0: " + minimumRedundancy);
      }
    }

    /** Delete for real, with the backend's largest batches and no minimum redundancy. */
    public static final Options DEFAULT = new Options(false, 0, 0);

    /**
     * {@return these options reporting what would be deleted, deleting nothing, when {@code dryRun}}
     *
     * @param dryRun whether nothing is deleted
     */
    public Options withDryRun(boolean dryRun) {
      return new Options(dryRun, batchSize, minimumRedundancy);
    }

    /**
     * {@return these options deleting at most {@code batchSize} keys per request}
     *
     * @param batchSize the most keys per delete request; below 1 means the backend's maximum
     */
    public Options withBatchSize(int batchSize) {
      return new Options(dryRun, batchSize, minimumRedundancy);
    }

    /**
     * {@return these options refusing to leave fewer than {@code minimumRedundancy} backups}
     *
     * @param minimumRedundancy the number of backups that must remain
     */
    public Options withMinimumRedundancy(int minimumRedundancy) {
      return new Options(dryRun, batchSize, minimumRedundancy);
    }
  }

  /** Hears what is being deleted; in a dry run, what would be. Every method defaults to nothing. */
  public interface Listener {
    /**
     * {@code keys} of a backup are being deleted, {@code backup.info} last.
     *
     * @param backupId the backup's identifier
     * @param keys the objects' keys
     * @param dryRun whether nothing is deleted, only reported
     */
    default void deletingBackup(BackupId backupId, List<String> keys, boolean dryRun) {}

    /**
     * Every object under {@code prefix} (a WAL archive directory) is being deleted.
     *
     * @param dryRun whether nothing is deleted, only reported
     * @param prefix the directory's key prefix
     */
    default void deletingWalDirectory(String prefix, boolean dryRun) {}

    /**
     * These WAL objects are being deleted.
     *
     * @param keys the objects' keys
     * @param dryRun whether nothing is deleted, only reported
     */
    default void deletingWals(List<String> keys, boolean dryRun) {}

    /**
     * {@code count} abandoned uploads under the server's prefix were removed.
     *
     * @param count how many were removed
     */
    default void removedAbandonedUploads(int count) {}

    /**
     * Something was skipped or failed without failing the whole operation.
     *
     * @param message what happened, in one line
     */
    default void warning(String message) {}
  }

  /**
   * What was done.
   *
   * @param deleted the backups deleted (or that would be, in a dry run), oldest first
   * @param walObjectsDeleted the WAL objects deleted (or that would be), whole directories included
   * @param plan the retention plan, for {@link #enforce}
   */
  public record Outcome(List<BackupId> deleted, long walObjectsDeleted, Optional<RetentionPlan> plan) {
    /**
     * Checks that no component is null and copies the collections.
     *
     * @param deleted the backups deleted (or that would be, in a dry run), oldest first
     * @param walObjectsDeleted the WAL objects deleted (or that would be), whole directories included
     * @param plan the retention plan, for {@link #enforce}
     */
    public Outcome {
      deleted = List.copyOf(Objects.requireNonNull(deleted, "deleted is null"));
      Objects.requireNonNull(plan, "plan is null");
    }
  }

  /**
   * Deletes the backup {@code reference} designates (identifier, name or shortcut), then the WAL files
   * no backup needs any more. A backup that does not exist is a warning, not an error, as in Barman.
   *
   * @param reference a backup identifier, name or shortcut ({@code latest}, ...)
   * @param options how to delete
   * @param listener told of each step
   * @throws CatalogOperationRefusedException if part of the catalogue is unreadable, the backup is kept,
   *     or the minimum redundancy forbids it
   * @throws org.barman4j.catalog.BackupNotFoundException if a name or shortcut matches nothing
   * @return what was deleted
   */
  public Outcome deleteBackup(String reference, Options options, Listener listener) {
    Objects.requireNonNull(options, "options is null");
    Objects.requireNonNull(listener, "listener is null");
    BackupCatalog.Listing listing = readableListing();
    BackupId id = listing.resolve(reference, catalog.layout().serverName());
    Optional<KeepTarget> keep = catalog.keepTarget(id); // fresh, not the listing's
    if (keep.isPresent()) {
      throw new CatalogOperationRefusedException("Skipping delete of backup " + id + " for server "
          + catalog.layout().serverName() + " as it has a current keep request. If you really want to delete this "
          + "backup please remove the keep and try again.");
    }
    int count = listing.backups().size();
    if (options.minimumRedundancy() > 0 && options.minimumRedundancy() >= count) {
      throw new CatalogOperationRefusedException("Skipping delete of backup " + id + " for server "
          + catalog.layout().serverName() + " due to minimum redundancy requirements (minimum redundancy = "
          + options.minimumRedundancy() + ", current redundancy = " + count + ")");
    }
    Optional<BackupInfo> backup = listing.find(id);
    if (backup.isEmpty()) {
      listener.warning("Backup " + id + " does not exist");
      cleanUpAbandonedUploads(options, listener);
      return new Outcome(List.of(), 0, Optional.empty());
    }
    Run run = new Run(options, listener, new ArrayList<>(listing.backups()), listing.keepTargets());
    run.delete(backup.get(), true);
    cleanUpAbandonedUploads(options, listener);
    return new Outcome(List.of(id), run.walObjects, Optional.empty());
  }

  /**
   * Deletes every backup {@code policy} reports {@link RetentionStatus#OBSOLETE}, oldest first, each
   * followed by its WAL cleanup. FAILED and other non-DONE backups are never deleted this way, nor are
   * kept ones.
   *
   * @param now the current time in the local zone (the recovery window is measured on its wall clock)
   * @param policy the retention policy
   * @param options how to delete
   * @param listener told of each step
   * @throws CatalogOperationRefusedException if part of the catalogue is unreadable
   * @return what was deleted
   */
  public Outcome enforce(RetentionPolicy policy, Options options, ZonedDateTime now, Listener listener) {
    Objects.requireNonNull(policy, "policy is null");
    Objects.requireNonNull(options, "options is null");
    Objects.requireNonNull(listener, "listener is null");
    BackupCatalog.Listing listing = readableListing();
    RetentionPlan plan = RetentionPlanner.plan(listing.backups(), listing.keepTargets(), policy,
        options.minimumRedundancy(), now);
    for (String warning : plan.warnings()) {
      listener.warning(warning);
    }
    Run run = new Run(options, listener, new ArrayList<>(listing.backups()), listing.keepTargets());
    for (BackupId id : plan.obsolete()) {
      run.delete(listing.find(id).orElseThrow(), false);
    }
    cleanUpAbandonedUploads(options, listener);
    return new Outcome(plan.obsolete(), run.walObjects, Optional.of(plan));
  }

  // A failure here is a warning: the deletions it follows are done, and the next run tries again.
  private void cleanUpAbandonedUploads(Options options, Listener listener) {
    if (options.dryRun()) {
      return;
    }
    String prefix = catalog.layout().serverName() + "/";
    try {
      int removed = catalog.backend().cleanUpAbandonedUploads(prefix, abandonedUploadAge);
      if (removed > 0) {
        listener.removedAbandonedUploads(removed);
      }
    } catch (IOException | UncheckedIOException e) {
      listener.warning("Cannot clean up abandoned uploads under " + prefix + ": " + e.getMessage());
    }
  }

  private BackupCatalog.Listing readableListing() {
    BackupCatalog.Listing listing = catalog.list();
    if (!listing.isComplete()) {
      StringBuilder ids = new StringBuilder();
      for (BackupCatalog.Unreadable u : listing.unreadable()) {
        ids.append(ids.length() == 0 ? "" : ", ").append(u.backupId());
      }
      throw new CatalogOperationRefusedException("Cannot read the following backups: " + ids
          + ". Unsafe to proceed with deletion due to failure reading backup catalog");
    }
    return listing;
  }

  // One deletion run; the catalogue shrinks as backups go, as Barman's cached catalogue does.
  private final class Run {
    private final Options options;
    private final Listener listener;
    private final List<BackupInfo> remaining;
    private final java.util.Map<BackupId, KeepTarget> keeps;
    private final Set<String> dryRunDeleted = new HashSet<>();
    long walObjects;

    Run(Options options, Listener listener, List<BackupInfo> remaining, java.util.Map<BackupId, KeepTarget> keeps) {
      this.options = options;
      this.listener = listener;
      this.remaining = remaining;
      this.keeps = keeps;
    }

    private int batchSize() {
      int max = catalog.backend().capabilities().maxDeleteBatch();
      return options.batchSize() < 1 ? max : Math.min(options.batchSize(), max);
    }

    void delete(BackupInfo backup, boolean skipIfOlderStandalone) {
      List<String> keys = catalog.objectKeys(backup.backupId());
      listener.deletingBackup(backup.backupId(), keys, options.dryRun());
      if (!options.dryRun()) {
        catalog.deleteObjects(keys, batchSize());
      }
      Optional<WalCleanup> cleanup = WalCleanup.plan(backup, remaining, keeps, skipIfOlderStandalone);
      if (cleanup.isPresent()) {
        try {
          cleanWals(cleanup.get());
        } catch (BarmanException | UncheckedIOException e) {
          // As Barman: the backup is gone; leftover WAL files go with the next deletion.
          listener.warning("Cannot clean up WALs for backup " + backup.backupId() + ": " + e.getMessage());
        }
      }
      remaining.removeIf(b -> b.backupId().equals(backup.backupId()));
    }

    private void cleanWals(WalCleanup cleanup) {
      ServerLayout layout = catalog.layout();
      StorageBackend backend = catalog.backend();
      try {
        for (String prefix : walDirectories(backend, layout.wal().root())) {
          String dir = prefix.substring(layout.wal().root().length(), prefix.length() - 1);
          if (!cleanup.mayDeleteIn(dir)) {
            continue;
          }
          boolean whole = cleanup.deletesDirectory(dir);
          List<String> keys = new ArrayList<>();
          for (ObjectInfo info : StorageBackends.listAll(backend, prefix)) {
            if (dryRunDeleted.contains(info.key())) {
              continue;
            }
            if (whole) {
              keys.add(info.key());
            } else {
              Optional<StoredWal> wal = layout.wal().parseKey(info.key());
              Optional<WalFileName> claimed = layout.wal().parseClaimKey(info.key());
              if ((wal.isPresent() && cleanup.deletes(wal.get().wal()))
                  || (claimed.isPresent() && cleanup.deletes(claimed.get()))) {
                keys.add(info.key());
              }
            }
          }
          if (keys.isEmpty()) {
            continue;
          }
          if (whole) {
            listener.deletingWalDirectory(prefix, options.dryRun());
          } else {
            listener.deletingWals(keys, options.dryRun());
          }
          if (options.dryRun()) {
            dryRunDeleted.addAll(keys);
          } else {
            int batch = batchSize();
            for (int i = 0; i < keys.size(); i += batch) {
              backend.deleteBatch(keys.subList(i, Math.min(keys.size(), i + batch)));
            }
          }
          walObjects += keys.size();
        }
      } catch (StorageException e) {
        throw new StorageFailureException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static List<String> walDirectories(StorageBackend backend, String root) throws IOException {
    List<String> prefixes = new ArrayList<>();
    ListOptions options = ListOptions.DEFAULT.withDelimiter();
    while (true) {
      ListPage page = backend.list(root, options);
      prefixes.addAll(page.commonPrefixes());
      if (page.nextPageToken().isEmpty()) {
        return prefixes;
      }
      options = options.withPageToken(page.nextPageToken().get());
    }
  }
}
