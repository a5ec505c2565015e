package org.barman4j.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.barman4j.BarmanException;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.ServerLayout.BackupTar;
import org.barman4j.internal.Causes;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.ObjectInfo;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageBackends;
import org.barman4j.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base backups of one server in a storage backend, laid out as barman-cloud lays them out: one
 * directory per backup under {@code SERVER/base/}, holding its tars, its {@code backup.info} and an
 * optional keep annotation. Thread-safe; holds no cache, so every call sees the store as it is.
 *
 * <p>Storage failures are {@link StorageFailureException}s; unexpected I/O failures are
 * {@link UncheckedIOException}s.
 */
public final class BackupCatalog {
  private static final int MAX_ANNOTATION_BYTES = 4096;
  private static final int MAX_BACKUP_INFO_BYTES = 16 << 20;

  private final StorageBackend backend;
  private final ServerLayout layout;
  private final ZoneId zoneForNaiveTimes;

  /**
   * A catalogue reading times written without an offset in the system's zone, as Barman does.
   *
   * @param backend the storage
   * @param layout the server's object layout
   */
  public BackupCatalog(StorageBackend backend, ServerLayout layout) {
    this(backend, layout, ZoneId.systemDefault());
  }

  /**
   * A catalogue reading times written without an offset in {@code zoneForNaiveTimes}.
   *
   * @param backend the storage
   * @param layout the server's object layout
   * @param zoneForNaiveTimes the zone of times written without an offset
   */
  public BackupCatalog(StorageBackend backend, ServerLayout layout, ZoneId zoneForNaiveTimes) {
    this.backend = Objects.requireNonNull(backend, "backend is null");
    this.layout = Objects.requireNonNull(layout, "layout is null");
    this.zoneForNaiveTimes = Objects.requireNonNull(zoneForNaiveTimes, "zoneForNaiveTimes is null");
  }

  /** {@return the layout of the server this catalogue covers} */
  public ServerLayout layout() {
    return layout;
  }

  /** {@return the storage this catalogue reads} */
  public StorageBackend backend() {
    return backend;
  }

  /**
   * A backup that could not be read while listing, and why.
   *
   * @param backupId the backup
   * @param reason why its {@code backup.info} could not be read
   */
  public record Unreadable(BackupId backupId, String reason) {
    /**
     * Checks that no component is null.
     *
     * @param backupId the backup
     * @param reason why its {@code backup.info} could not be read
     */
    public Unreadable {
      Objects.requireNonNull(backupId, "backupId is null");
      Objects.requireNonNull(reason, "reason is null");
    }
  }

  /**
   * The whole catalogue at one moment.
   *
   * @param backups every readable backup, oldest first, whatever its status
   * @param unreadable backups whose {@code backup.info} exists but could not be read, oldest first
   * @param keepTargets the keep annotation of each kept backup
   */
  public record Listing(List<BackupInfo> backups, List<Unreadable> unreadable, Map<BackupId, KeepTarget> keepTargets) {
    /**
     * Checks that no component is null and copies the collections.
     *
     * @param backups every readable backup, oldest first, whatever its status
     * @param unreadable backups whose {@code backup.info} exists but could not be read, oldest first
     * @param keepTargets the keep annotation of each kept backup
     */
    public Listing {
      backups = List.copyOf(Objects.requireNonNull(backups, "backups is null"));
      unreadable = List.copyOf(Objects.requireNonNull(unreadable, "unreadable is null"));
      keepTargets = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(keepTargets, "keepTargets is null")));
    }

    /**
     * {@return the backup with this identifier, if it was listed}
     *
     * @param backupId the backup's identifier
     */
    public Optional<BackupInfo> find(BackupId backupId) {
      for (BackupInfo b : backups) {
        if (b.backupId().equals(backupId)) {
          return Optional.of(b);
        }
      }
      return Optional.empty();
    }

    /**
     * {@return the keep target of {@code backupId}, if it is kept}
     *
     * @param backupId the backup's identifier
     */
    public Optional<KeepTarget> keepTarget(BackupId backupId) {
      return Optional.ofNullable(keepTargets.get(backupId));
    }

    /** {@return whether every backup could be read} */
    public boolean isComplete() {
      return unreadable.isEmpty();
    }

    /**
     * {@return the backup {@code reference} designates, without checking that an identifier exists: a backup
     * identifier; one of the shortcuts {@code latest}/{@code last} (newest backup whose copy is done),
     * {@code latest-full}/{@code last-full} (the same: cloud backups are all full),
     * {@code oldest}/{@code first} (oldest such backup), {@code last-failed} (newest FAILED backup); or a
     * backup name ({@code -n})}
     *
     * @param reference a backup identifier, name or shortcut ({@code latest}, ...)
     * @param serverName the server's name
     * @throws BackupNotFoundException if a shortcut or name matches no backup
     * @throws BarmanException if a name matches several backups
     */
    public BackupId resolve(String reference, String serverName) {
      Objects.requireNonNull(reference, "reference is null");
      switch (reference) {
        case "latest", "last", "latest-full", "last-full" -> {
          return last(reference, serverName, false, false);
        }
        case "oldest", "first" -> {
          return last(reference, serverName, true, false);
        }
        case "last-failed" -> {
          return last(reference, serverName, false, true);
        }
        default -> {
          // fall through to identifiers and names
        }
      }
      if (BackupId.isValid(reference)) {
        return BackupId.parse(reference);
      }
      List<BackupId> named = new ArrayList<>();
      for (BackupInfo b : backups) {
        if (b.backupName().filter(reference::equals).isPresent()) {
          named.add(b.backupId());
        }
      }
      if (named.size() > 1) {
        StringBuilder ids = new StringBuilder();
        for (BackupId id : named) {
          ids.append(ids.length() == 0 ? "" : " ").append(id);
        }
        throw new BarmanException("Multiple backups found matching name '" + reference
            + "' (try using backup ID instead): " + ids);
      }
      if (named.isEmpty()) {
        throw BackupNotFoundException.forName(
            "Unknown backup '" + reference + "' for server '" + serverName + "'", reference);
      }
      return named.get(0);
    }

    private BackupId last(String shortcut, String serverName, boolean oldest, boolean failed) {
      BackupId found = null;
      for (BackupInfo b : backups) {
        boolean matches = failed ? b.status() == BackupStatus.FAILED : b.status().isCopyDone();
        if (matches && (found == null || !oldest)) {
          found = b.backupId();
        }
      }
      if (found == null) {
        throw BackupNotFoundException.forName("No backup matches '" + shortcut + "' for server '" + serverName + "'",
            shortcut);
      }
      return found;
    }
  }

  /**
   * Reads the whole catalogue: one listing of {@code SERVER/base/}, then every {@code backup.info} and
   * keep annotation. A backup whose {@code backup.info} cannot be read or parsed is reported in
   * {@link Listing#unreadable()} rather than failing the listing; directories without a
   * {@code backup.info} (a backup still uploading its tars, or leftovers) are not backups.
   *
   * @throws StorageFailureException if the listing itself fails
   * @return the catalogue at this moment
   */
  public Listing list() {
    Map<BackupId, List<String>> keysById = new TreeMap<>();
    try {
      for (ObjectInfo info : StorageBackends.listAll(backend, layout.baseRoot())) {
        Optional<BackupId> id = layout.parseBackupId(info.key());
        if (id.isPresent()) {
          keysById.computeIfAbsent(id.get(), k -> new ArrayList<>()).add(info.key());
        } else {
          log().debug("Ignoring {}: not in a backup directory", info.key());
        }
      }
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<BackupInfo> backups = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    Map<BackupId, KeepTarget> keeps = new TreeMap<>();
    for (Map.Entry<BackupId, List<String>> entry : keysById.entrySet()) {
      BackupId id = entry.getKey();
      List<String> keys = entry.getValue();
      if (!keys.contains(layout.backupInfoKey(id))) {
        log().debug("Ignoring {}: no backup.info", layout.backupPrefix(id));
        continue;
      }
      try {
        Optional<BackupInfo> info = find(id);
        if (info.isEmpty()) {
          continue; // deleted since the listing
        }
        backups.add(info.get());
        if (keys.contains(layout.keepAnnotationKey(id))) {
          keepTarget(id).ifPresent(target -> keeps.put(id, target));
        }
      } catch (BarmanException | UncheckedIOException e) {
        log().debug("Unable to open backup.info file for {}: {}", id, e.getMessage());
        unreadable.add(new Unreadable(id, e.getMessage()));
      }
    }
    return new Listing(backups, unreadable, keeps);
  }

  /**
   * {@return the backup with this identifier; empty if it has no {@code backup.info}}
   *
   * @param backupId the backup's identifier
   * @throws CorruptBackupInfoException if its {@code backup.info} cannot be parsed, naming the key and line
   */
  public Optional<BackupInfo> find(BackupId backupId) {
    String key = layout.backupInfoKey(backupId);
    Optional<byte[]> content = readSmall(key, MAX_BACKUP_INFO_BYTES);
    if (content.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(BackupInfoFormat.read(backupId,
          new String(content.get(), StandardCharsets.UTF_8), zoneForNaiveTimes));
    } catch (IllegalArgumentException e) {
      throw new CorruptBackupInfoException(backupId, "Invalid " + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@return the backup with this identifier}
   *
   * @param backupId the backup's identifier
   * @throws BackupNotFoundException if it has no {@code backup.info}
   * @throws CorruptBackupInfoException if its {@code backup.info} cannot be parsed
   */
  public BackupInfo get(BackupId backupId) {
    return find(backupId).orElseThrow(() -> BackupNotFoundException.forIdentifier(
        "Backup " + backupId + " for server " + layout.serverName() + " does not exist", backupId.value()));
  }

  /**
   * {@return the identifier {@code reference} designates (see {@link Listing#resolve}); reads the catalogue
   * only when {@code reference} is not an identifier}
   *
   * @param reference a backup identifier, name or shortcut ({@code latest}, ...)
   */
  public BackupId resolve(String reference) {
    Objects.requireNonNull(reference, "reference is null");
    if (BackupId.isValid(reference)) {
      return BackupId.parse(reference);
    }
    return list().resolve(reference, layout.serverName());
  }

  /**
   * Writes {@code info} as the backup's {@code backup.info} (Barman 3.4's field set), replacing any.
   *
   * @param info the backup
   */
  public void write(BackupInfo info) {
    write(info, PutOptions.DEFAULT);
  }

  /**
   * Writes {@code info} as the backup's {@code backup.info} with {@code options} (tags), replacing any.
   *
   * @param info the backup
   * @param options how to write
   */
  public void write(BackupInfo info, PutOptions options) {
    Objects.requireNonNull(info, "info is null");
    Objects.requireNonNull(options, "options is null");
    put(layout.backupInfoKey(info.backupId()), BackupInfoFormat.toBytes(info), options);
  }

  /**
   * {@return the keep target of {@code backupId}; empty if it has no (or an empty) keep annotation}
   *
   * @param backupId the backup's identifier
   */
  public Optional<KeepTarget> keepTarget(BackupId backupId) {
    Optional<byte[]> body = readSmall(layout.keepAnnotationKey(backupId), MAX_ANNOTATION_BYTES);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    String text = new String(body.get(), StandardCharsets.UTF_8);
    return text.isBlank() ? Optional.empty() : Optional.of(KeepTarget.fromAnnotation(text));
  }

  /**
   * Marks {@code backupId} as kept with {@code target}, replacing any earlier target.
   *
   * @param backupId the backup's identifier
   * @param target the keep target
   * @throws BackupNotFoundException if the backup does not exist
   * @throws CatalogOperationRefusedException if its status is not DONE
   */
  public void keep(BackupId backupId, KeepTarget target) {
    Objects.requireNonNull(target, "target is null");
    BackupInfo info = get(backupId);
    if (!info.isDone()) {
      throw new CatalogOperationRefusedException("Cannot add keep to backup " + backupId + " because it has status "
          + info.status() + ". Only backups with status DONE can be kept.");
    }
    put(layout.keepAnnotationKey(backupId), target.id().getBytes(StandardCharsets.UTF_8), PutOptions.DEFAULT);
  }

  /**
   * Removes the keep annotation of {@code backupId}, if any.
   *
   * @param backupId the backup's identifier
   */
  public void releaseKeep(BackupId backupId) {
    try {
      backend.delete(layout.keepAnnotationKey(backupId));
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@return every object of {@code backupId} in the order a deletion removes them: a snapshot's
   * {@code backup_label}, the PGDATA tars, the tablespace tars by OID, anything else (annotations), and
   * {@code backup.info} last, so that an interrupted deletion leaves a backup that is still listed and can be
   * deleted again}
   *
   * @param backupId the backup's identifier
   */
  public List<String> objectKeys(BackupId backupId) {
    List<String> keys = new ArrayList<>();
    try {
      for (ObjectInfo info : StorageBackends.listAll(backend, layout.backupPrefix(backupId))) {
        keys.add(info.key());
      }
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    keys.sort(Comparator.comparingInt((String k) -> deletionRank(backupId, k)).thenComparing(k -> tarOrder(backupId, k))
        .thenComparing(Comparator.naturalOrder()));
    return keys;
  }

  private int deletionRank(BackupId id, String key) {
    if (key.equals(layout.backupLabelKey(id))) {
      return 0;
    }
    if (layout.parseTarKey(id, key).isPresent()) {
      return 1;
    }
    if (key.equals(layout.backupInfoKey(id))) {
      return 3;
    }
    return 2;
  }

  private String tarOrder(BackupId id, String key) {
    Optional<BackupTar> tar = layout.parseTarKey(id, key);
    if (tar.isEmpty()) {
      return "";
    }
    // PGDATA first, then tablespaces by numeric OID, each by part number.
    long oid = tar.get().tablespaceOid().orElse(-1);
    return String.format("%011d/%010d", oid + 1, tar.get().part());
  }

  /**
   * Deletes {@code keys} in requests of at most {@code batchSize} keys (clamped to the backend's
   * maximum), in order; {@code backup.info} keys go in requests of their own after everything else
   * succeeded.
   *
   * @param keys the objects' keys
   * @param batchSize the most keys in one delete request
   * @throws StorageFailureException on the first failed request; later keys are left in place
   */
  public void deleteObjects(List<String> keys, int batchSize) {
    Objects.requireNonNull(keys, "keys is null");
    int batch = Math.max(1, Math.min(batchSize, backend.capabilities().maxDeleteBatch()));
    List<String> data = new ArrayList<>();
    List<String> infos = new ArrayList<>();
    for (String key : keys) {
      (key.endsWith("/backup.info") ? infos : data).add(key);
    }
    try {
      for (List<String> group : List.of(data, infos)) {
        for (int i = 0; i < group.size(); i += batch) {
          backend.deleteBatch(group.subList(i, Math.min(group.size(), i + batch)));
        }
      }
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes every object of {@code backupId}, {@code backup.info} last (see {@link #objectKeys}).
   *
   * @param backupId the backup's identifier
   * @param batchSize the most keys in one delete request
   * @return the keys deleted, in order
   */
  public List<String> deleteBackup(BackupId backupId, int batchSize) {
    List<String> keys = objectKeys(backupId);
    deleteObjects(keys, batchSize);
    return keys;
  }

  private Optional<byte[]> readSmall(String key, int limit) {
    try (InputStream in = backend.read(key, ByteRange.ALL)) {
      byte[] content = in.readNBytes(limit + 1);
      if (content.length > limit) {
        throw new BarmanException("Object " + key + " is larger than " + limit + " bytes; not a catalogue file");
      }
      return Optional.of(content);
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + key + ": " + Causes.describe(e), e);
    }
  }

  private void put(String key, byte[] content, PutOptions options) {
    try {
      backend.put(key, content, options);
    } catch (StorageException e) {
      throw new StorageFailureException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + key + ": " + Causes.describe(e), e);
    }
  }

  private static Logger log() {
    return LoggerFactory.getLogger(BackupCatalog.class);
  }
}
