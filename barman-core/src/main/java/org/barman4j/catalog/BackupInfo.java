package org.barman4j.catalog;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.barman4j.internal.PyLiteral;
import org.barman4j.wal.Lsn;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentSize;

/**
 * What {@code backup.info} says about one base backup, typed. Absent fields ({@code None} in the file)
 * are empty. Build one with {@link #builder(BackupId)} and fill it in as the backup progresses
 * ({@link #toBuilder()}, {@link #withStatus}); read and write the file with {@link BackupInfoFormat}.
 *
 * <p>The Python-literal fields that nothing here interprets ({@code copy_stats},
 * {@code included_files}, {@code snapshots_info}) are kept as their literal text, checked to parse;
 * an empty literal ({@code {}}, {@code []}) is treated as absent, as Barman writes it {@code None}.
 *
 * @param backupId the backup's identifier (the name of its directory, not a field of the file)
 * @param status the life-cycle state ({@code status})
 * @param serverName the server name recorded in the file ({@code cloud} for barman-cloud backups) ({@code server_name})
 * @param backupName the user-given name ({@code -n}); written only when present ({@code backup_name})
 * @param backupLabel the {@code backup_label} file returned by {@code pg_backup_stop} ({@code backup_label})
 * @param beginOffset the offset of the start location inside its WAL segment ({@code begin_offset})
 * @param beginTime when the backup started ({@code begin_time})
 * @param beginWal the WAL segment holding the start location ({@code begin_wal})
 * @param beginXlog the start location ({@code begin_xlog})
 * @param compression the compression Barman recorded ({@code None} for barman-cloud tars, whose suffix tells) ({@code compression})
 * @param configFile the path of {@code postgresql.conf} on the database host ({@code config_file})
 * @param copyStats copy statistics, as the Python dict literal text ({@code copy_stats})
 * @param deduplicatedSize bytes actually copied (Barman server only) ({@code deduplicated_size})
 * @param endOffset the offset of the end location inside its WAL segment ({@code end_offset})
 * @param endTime when the backup ended ({@code end_time})
 * @param endWal the WAL segment holding the end location ({@code end_wal})
 * @param endXlog the end location ({@code end_xlog})
 * @param error why the backup failed ({@code error})
 * @param hbaFile the path of {@code pg_hba.conf} ({@code hba_file})
 * @param identFile the path of {@code pg_ident.conf} ({@code ident_file})
 * @param includedFiles configuration files included by {@code postgresql.conf}, as the Python list literal text ({@code included_files})
 * @param mode the backup method ({@code None} for barman-cloud tar backups) ({@code mode})
 * @param pgdata the data directory on the database host ({@code pgdata})
 * @param size the backup size in bytes (Barman server only) ({@code size})
 * @param snapshotsInfo snapshot metadata of a snapshot backup, as the Python dict literal text; written only when present ({@code snapshots_info})
 * @param systemId the cluster's system identifier ({@code systemid})
 * @param tablespaces the tablespaces (written {@code None} when there are none) ({@code tablespaces})
 * @param timeline the timeline the backup started on ({@code timeline})
 * @param version the server version number ({@code server_version_num}, e.g. 150020) ({@code version})
 * @param xlogSegmentSize the WAL segment size in bytes (default 16 MiB) ({@code xlog_segment_size})
 * @param otherFields fields this library does not model or does not write (newer Barman versions' {@code cluster_size}, {@code data_checksums} …), key to raw value text, kept so that a file read can be written back
 */
public record BackupInfo(
    BackupId backupId,
    BackupStatus status,
    Optional<String> serverName,
    Optional<String> backupName,
    Optional<String> backupLabel,
    OptionalLong beginOffset,
    Optional<OffsetDateTime> beginTime,
    Optional<String> beginWal,
    Optional<Lsn> beginXlog,
    Optional<String> compression,
    Optional<String> configFile,
    Optional<String> copyStats,
    OptionalLong deduplicatedSize,
    OptionalLong endOffset,
    Optional<OffsetDateTime> endTime,
    Optional<String> endWal,
    Optional<Lsn> endXlog,
    Optional<String> error,
    Optional<String> hbaFile,
    Optional<String> identFile,
    Optional<String> includedFiles,
    Optional<String> mode,
    Optional<String> pgdata,
    OptionalLong size,
    Optional<String> snapshotsInfo,
    Optional<String> systemId,
    List<Tablespace> tablespaces,
    OptionalInt timeline,
    OptionalInt version,
    long xlogSegmentSize,
    Map<String, String> otherFields) {
  /** The WAL segment size Barman assumes when the file does not say: 16 MiB. */
  public static final long DEFAULT_XLOG_SEGMENT_SIZE = 16L << 20;

  /**
   * Checks that no component is null, copies the collections and checks the values.
   *
   * @param backupId the backup's identifier (the name of its directory, not a field of the file)
   * @param status the life-cycle state ({@code status})
   * @param serverName the server name recorded in the file ({@code cloud} for barman-cloud backups) ({@code server_name})
   * @param backupName the user-given name ({@code -n}); written only when present ({@code backup_name})
   * @param backupLabel the {@code backup_label} file returned by {@code pg_backup_stop} ({@code backup_label})
   * @param beginOffset the offset of the start location inside its WAL segment ({@code begin_offset})
   * @param beginTime when the backup started ({@code begin_time})
   * @param beginWal the WAL segment holding the start location ({@code begin_wal})
   * @param beginXlog the start location ({@code begin_xlog})
   * @param compression the compression Barman recorded ({@code None} for barman-cloud tars, whose suffix tells) ({@code compression})
   * @param configFile the path of {@code postgresql.conf} on the database host ({@code config_file})
   * @param copyStats copy statistics, as the Python dict literal text ({@code copy_stats})
   * @param deduplicatedSize bytes actually copied (Barman server only) ({@code deduplicated_size})
   * @param endOffset the offset of the end location inside its WAL segment ({@code end_offset})
   * @param endTime when the backup ended ({@code end_time})
   * @param endWal the WAL segment holding the end location ({@code end_wal})
   * @param endXlog the end location ({@code end_xlog})
   * @param error why the backup failed ({@code error})
   * @param hbaFile the path of {@code pg_hba.conf} ({@code hba_file})
   * @param identFile the path of {@code pg_ident.conf} ({@code ident_file})
   * @param includedFiles configuration files included by {@code postgresql.conf}, as the Python list literal text ({@code included_files})
   * @param mode the backup method ({@code None} for barman-cloud tar backups) ({@code mode})
   * @param pgdata the data directory on the database host ({@code pgdata})
   * @param size the backup size in bytes (Barman server only) ({@code size})
   * @param snapshotsInfo snapshot metadata of a snapshot backup, as the Python dict literal text; written only when present ({@code snapshots_info})
   * @param systemId the cluster's system identifier ({@code systemid})
   * @param tablespaces the tablespaces (written {@code None} when there are none) ({@code tablespaces})
   * @param timeline the timeline the backup started on ({@code timeline})
   * @param version the server version number ({@code server_version_num}, e.g. 150020) ({@code version})
   * @param xlogSegmentSize the WAL segment size in bytes (default 16 MiB) ({@code xlog_segment_size})
   * @param otherFields fields this library does not model or does not write (newer Barman versions' {@code cluster_size}, {@code data_checksums} …), key to raw value text, kept so that a file read can be written back
   * @throws IllegalArgumentException if a component is invalid
   */
  public BackupInfo {
    Objects.requireNonNull(backupId, "backupId is null");
    Objects.requireNonNull(status, "status is null");
    Objects.requireNonNull(serverName, "serverName is null");
    Objects.requireNonNull(backupName, "backupName is null");
    Objects.requireNonNull(backupLabel, "backupLabel is null");
    Objects.requireNonNull(beginOffset, "beginOffset is null");
    Objects.requireNonNull(beginTime, "beginTime is null");
    Objects.requireNonNull(beginWal, "beginWal is null");
    Objects.requireNonNull(beginXlog, "beginXlog is null");
    Objects.requireNonNull(compression, "compression is null");
    Objects.requireNonNull(configFile, "configFile is null");
    Objects.requireNonNull(copyStats, "copyStats is null");
    Objects.requireNonNull(deduplicatedSize, "deduplicatedSize is null");
    Objects.requireNonNull(endOffset, "endOffset is null");
    Objects.requireNonNull(endTime, "endTime is null");
    Objects.requireNonNull(endWal, "endWal is null");
    Objects.requireNonNull(endXlog, "endXlog is null");
    Objects.requireNonNull(error, "error is null");
    Objects.requireNonNull(hbaFile, "hbaFile is null");
    Objects.requireNonNull(identFile, "identFile is null");
    Objects.requireNonNull(includedFiles, "includedFiles is null");
    Objects.requireNonNull(mode, "mode is null");
    Objects.requireNonNull(pgdata, "pgdata is null");
    Objects.requireNonNull(size, "size is null");
    Objects.requireNonNull(snapshotsInfo, "snapshotsInfo is null");
    Objects.requireNonNull(systemId, "systemId is null");
    tablespaces = List.copyOf(Objects.requireNonNull(tablespaces, "tablespaces is null"));
    Objects.requireNonNull(timeline, "timeline is null");
    Objects.requireNonNull(version, "version is null");
    otherFields = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(otherFields, "otherFields is null")));
    backupLabel = backupLabel.filter(s -> !s.isEmpty());
    copyStats = literal("copy_stats", copyStats);
    includedFiles = literal("included_files", includedFiles);
    snapshotsInfo = literal("snapshots_info", snapshotsInfo);
    beginWal.ifPresent(w -> requireWal("begin_wal", w));
    endWal.ifPresent(w -> requireWal("end_wal", w));
    // Sizes and offsets are counts of bytes: a negative one is a forged or damaged file, whatever the status.
    requireNonNegative("begin_offset", beginOffset);
    requireNonNegative("end_offset", endOffset);
    requireNonNegative("size", size);
    requireNonNegative("deduplicated_size", deduplicatedSize);
    if (timeline.isPresent() && timeline.getAsInt() < 1) {
      throw new IllegalArgumentException("Invalid timeline " + timeline.getAsInt() + ": timelines start at 1");
    }
    if (xlogSegmentSize <= 0) {
      throw new IllegalArgumentException("Invalid xlog_segment_size " + xlogSegmentSize + " for backup " + backupId);
    }
    for (String key : otherFields.keySet()) {
      if (BackupInfoFormat.isModelled(key)) {
        throw new IllegalArgumentException("otherFields must not hold the modelled field '" + key + "'");
      }
      if (key.isBlank() || !key.strip().equals(key) || key.indexOf('=') >= 0 || key.indexOf('\n') >= 0
          || key.indexOf('\r') >= 0 || key.startsWith("#")) {
        throw new IllegalArgumentException("Invalid backup.info field name '" + key + "'");
      }
    }
  }

  private static Optional<String> literal(String key, Optional<String> text) {
    if (text.isEmpty()) {
      return text;
    }
    PyLiteral.Value value;
    try {
      value = PyLiteral.parse(text.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid " + key + ": " + e.getMessage(), e);
    }
    return value.isTruthy() ? text : Optional.empty();
  }

  private static void requireNonNegative(String key, OptionalLong value) {
    if (value.isPresent() && value.getAsLong() < 0) {
      throw new IllegalArgumentException("Invalid " + key + " " + value.getAsLong() + ": it must not be negative");
    }
  }

  private static void requireWal(String key, String name) {
    if (!WalFileName.isValid(name)) {
      throw new IllegalArgumentException("Invalid " + key + " '" + name + "': not a WAL file name");
    }
  }

  /**
   * {@return a builder of a new, {@link BackupStatus#EMPTY} backup with {@code server_name=cloud}, as
   * barman-cloud records it}
   *
   * @param backupId the backup's identifier
   */
  public static Builder builder(BackupId backupId) {
    return new Builder(backupId);
  }

  /** {@return a builder holding this backup's fields} */
  public Builder toBuilder() {
    Builder b = new Builder(backupId);
    b.status = status;
    b.serverName = serverName;
    b.backupName = backupName;
    b.backupLabel = backupLabel;
    b.beginOffset = beginOffset;
    b.beginTime = beginTime;
    b.beginWal = beginWal;
    b.beginXlog = beginXlog;
    b.compression = compression;
    b.configFile = configFile;
    b.copyStats = copyStats;
    b.deduplicatedSize = deduplicatedSize;
    b.endOffset = endOffset;
    b.endTime = endTime;
    b.endWal = endWal;
    b.endXlog = endXlog;
    b.error = error;
    b.hbaFile = hbaFile;
    b.identFile = identFile;
    b.includedFiles = includedFiles;
    b.mode = mode;
    b.pgdata = pgdata;
    b.size = size;
    b.snapshotsInfo = snapshotsInfo;
    b.systemId = systemId;
    b.tablespaces = tablespaces;
    b.timeline = timeline;
    b.version = version;
    b.xlogSegmentSize = xlogSegmentSize;
    b.otherFields = otherFields;
    return b;
  }

  /**
   * {@return this backup with {@code status} changed}
   *
   * @param status the new status
   */
  public BackupInfo withStatus(BackupStatus status) {
    return toBuilder().status(status).build();
  }

  /**
   * {@return this backup marked {@link BackupStatus#FAILED} with {@code error}}
   *
   * @param error the error to record
   */
  public BackupInfo failed(String error) {
    return toBuilder().status(BackupStatus.FAILED).error(error).build();
  }

  /** {@return whether the status is {@link BackupStatus#DONE}} */
  public boolean isDone() {
    return status == BackupStatus.DONE;
  }

  /**
   * Checks that a DONE backup records where its WAL begins and ends ({@code begin_wal}, {@code end_wal},
   * {@code begin_xlog}, {@code end_xlog}) and its {@code timeline}: a restore relies on them, and a DONE
   * {@code backup.info} without them is damaged or forged. Backups of any other status may lack them, so
   * listings do not check this; the restore of the one backup chosen does.
   *
   * @throws CorruptBackupInfoException naming the first missing field
   */
  public void requireRestorable() {
    String missing = beginWal.isEmpty() ? "begin_wal"
        : endWal.isEmpty() ? "end_wal"
        : beginXlog.isEmpty() ? "begin_xlog"
        : endXlog.isEmpty() ? "end_xlog"
        : timeline.isEmpty() ? "timeline"
        : null;
    if (missing != null && isDone()) {
      throw new CorruptBackupInfoException(backupId, "Invalid backup.info of backup " + backupId.value()
          + ": its status is DONE but it has no " + missing + "; it cannot be restored", null);
    }
  }

  /**
   * {@link #beginWal()} parsed.
   *
   * @return the first WAL file, if recorded
   */
  public Optional<WalFileName> beginWalFile() {
    return beginWal.map(WalFileName::parse);
  }

  /**
   * {@link #endWal()} parsed.
   *
   * @return the last WAL file, if recorded
   */
  public Optional<WalFileName> endWalFile() {
    return endWal.map(WalFileName::parse);
  }

  /**
   * {@link #xlogSegmentSize()} as a segment size.
   *
   * @return the WAL segment size
   */
  public WalSegmentSize walSegmentSize() {
    return new WalSegmentSize(xlogSegmentSize);
  }

  /**
   * {@return the major version as PostgreSQL names it ({@code 15}, {@code 9.6}), as Barman's
   * {@code pg_major_version()} computes it; empty if the version is unknown}
   */
  public Optional<String> pgMajorVersion() {
    if (version.isEmpty()) {
      return Optional.empty();
    }
    int v = version.getAsInt();
    int major = v / 10000;
    return Optional.of(major < 10 ? major + "." + (v / 100 % 100) : Integer.toString(major));
  }

  /**
   * {@code pg_wal}, or {@code pg_xlog} before PostgreSQL 10 (unknown versions are taken as recent).
   *
   * @return the name of the WAL directory in PGDATA
   */
  public String walDirectoryName() {
    return version.isPresent() && version.getAsInt() < 100000 ? "pg_xlog" : "pg_wal";
  }

  /** Builds a {@link BackupInfo} field by field; setters take present values, absent is the default. */
  public static final class Builder {
    private final BackupId backupId;
    private BackupStatus status = BackupStatus.EMPTY;
    private Optional<String> serverName = Optional.of("cloud");
    private Optional<String> backupName = Optional.empty();
    private Optional<String> backupLabel = Optional.empty();
    private OptionalLong beginOffset = OptionalLong.empty();
    private Optional<OffsetDateTime> beginTime = Optional.empty();
    private Optional<String> beginWal = Optional.empty();
    private Optional<Lsn> beginXlog = Optional.empty();
    private Optional<String> compression = Optional.empty();
    private Optional<String> configFile = Optional.empty();
    private Optional<String> copyStats = Optional.empty();
    private OptionalLong deduplicatedSize = OptionalLong.empty();
    private OptionalLong endOffset = OptionalLong.empty();
    private Optional<OffsetDateTime> endTime = Optional.empty();
    private Optional<String> endWal = Optional.empty();
    private Optional<Lsn> endXlog = Optional.empty();
    private Optional<String> error = Optional.empty();
    private Optional<String> hbaFile = Optional.empty();
    private Optional<String> identFile = Optional.empty();
    private Optional<String> includedFiles = Optional.empty();
    private Optional<String> mode = Optional.empty();
    private Optional<String> pgdata = Optional.empty();
    private OptionalLong size = OptionalLong.empty();
    private Optional<String> snapshotsInfo = Optional.empty();
    private Optional<String> systemId = Optional.empty();
    private List<Tablespace> tablespaces = List.of();
    private OptionalInt timeline = OptionalInt.empty();
    private OptionalInt version = OptionalInt.empty();
    private long xlogSegmentSize = DEFAULT_XLOG_SEGMENT_SIZE;
    private Map<String, String> otherFields = Map.of();

    private Builder(BackupId backupId) {
      this.backupId = Objects.requireNonNull(backupId, "backupId is null");
    }

    /**
     * Sets the life-cycle state.
     *
     * @param status the life-cycle state
     * @return this builder
     */
    public Builder status(BackupStatus status) {
      this.status = Objects.requireNonNull(status, "status is null");
      return this;
    }

    /**
     * Sets the server name recorded in the file ({@code cloud} for barman-cloud backups).
     *
     * @param serverName the server name recorded in the file ({@code cloud} for barman-cloud backups)
     * @return this builder
     */
    public Builder serverName(String serverName) {
      this.serverName = Optional.of(serverName);
      return this;
    }

    /**
     * Sets the server name recorded in the file ({@code cloud} for barman-cloud backups), or clears it.
     *
     * @param serverName the server name recorded in the file ({@code cloud} for barman-cloud backups); empty clears it
     * @return this builder
     */
    Builder serverName(Optional<String> serverName) {
      this.serverName = Objects.requireNonNull(serverName, "serverName is null");
      return this;
    }

    /**
     * Sets the user-given name ({@code -n}); written only when present.
     *
     * @param backupName the user-given name ({@code -n}); written only when present
     * @return this builder
     */
    public Builder backupName(String backupName) {
      this.backupName = Optional.of(backupName);
      return this;
    }

    /**
     * Sets the user-given name ({@code -n}); written only when present, or clears it.
     *
     * @param backupName the user-given name ({@code -n}); written only when present; empty clears it
     * @return this builder
     */
    Builder backupName(Optional<String> backupName) {
      this.backupName = Objects.requireNonNull(backupName, "backupName is null");
      return this;
    }

    /**
     * Sets the {@code backup_label} file returned by {@code pg_backup_stop}.
     *
     * @param backupLabel the {@code backup_label} file returned by {@code pg_backup_stop}
     * @return this builder
     */
    public Builder backupLabel(String backupLabel) {
      this.backupLabel = Optional.of(backupLabel);
      return this;
    }

    /**
     * Sets the {@code backup_label} file returned by {@code pg_backup_stop}, or clears it.
     *
     * @param backupLabel the {@code backup_label} file returned by {@code pg_backup_stop}; empty clears it
     * @return this builder
     */
    Builder backupLabel(Optional<String> backupLabel) {
      this.backupLabel = Objects.requireNonNull(backupLabel, "backupLabel is null");
      return this;
    }

    /**
     * Sets the offset of the start location inside its WAL segment.
     *
     * @param beginOffset the offset of the start location inside its WAL segment
     * @return this builder
     */
    public Builder beginOffset(long beginOffset) {
      this.beginOffset = OptionalLong.of(beginOffset);
      return this;
    }

    /**
     * Sets the offset of the start location inside its WAL segment, or clears it.
     *
     * @param beginOffset the offset of the start location inside its WAL segment; empty clears it
     * @return this builder
     */
    public Builder beginOffset(OptionalLong beginOffset) {
      this.beginOffset = Objects.requireNonNull(beginOffset, "beginOffset is null");
      return this;
    }

    /**
     * Sets when the backup started.
     *
     * @param beginTime when the backup started
     * @return this builder
     */
    public Builder beginTime(OffsetDateTime beginTime) {
      this.beginTime = Optional.of(beginTime);
      return this;
    }

    /**
     * Sets when the backup started, or clears it.
     *
     * @param beginTime when the backup started; empty clears it
     * @return this builder
     */
    Builder beginTime(Optional<OffsetDateTime> beginTime) {
      this.beginTime = Objects.requireNonNull(beginTime, "beginTime is null");
      return this;
    }

    /**
     * Sets the WAL segment holding the start location.
     *
     * @param beginWal the WAL segment holding the start location
     * @return this builder
     */
    public Builder beginWal(String beginWal) {
      this.beginWal = Optional.of(beginWal);
      return this;
    }

    /**
     * Sets the WAL segment holding the start location, or clears it.
     *
     * @param beginWal the WAL segment holding the start location; empty clears it
     * @return this builder
     */
    Builder beginWal(Optional<String> beginWal) {
      this.beginWal = Objects.requireNonNull(beginWal, "beginWal is null");
      return this;
    }

    /**
     * Sets the start location.
     *
     * @param beginXlog the start location
     * @return this builder
     */
    public Builder beginXlog(Lsn beginXlog) {
      this.beginXlog = Optional.of(beginXlog);
      return this;
    }

    /**
     * Sets the start location, or clears it.
     *
     * @param beginXlog the start location; empty clears it
     * @return this builder
     */
    Builder beginXlog(Optional<Lsn> beginXlog) {
      this.beginXlog = Objects.requireNonNull(beginXlog, "beginXlog is null");
      return this;
    }

    /**
     * Sets the compression Barman recorded ({@code None} for barman-cloud tars, whose suffix tells).
     *
     * @param compression the compression Barman recorded ({@code None} for barman-cloud tars, whose suffix tells)
     * @return this builder
     */
    public Builder compression(String compression) {
      this.compression = Optional.of(compression);
      return this;
    }

    /**
     * Sets the compression Barman recorded ({@code None} for barman-cloud tars, whose suffix tells), or clears it.
     *
     * @param compression the compression Barman recorded ({@code None} for barman-cloud tars, whose suffix tells); empty clears it
     * @return this builder
     */
    Builder compression(Optional<String> compression) {
      this.compression = Objects.requireNonNull(compression, "compression is null");
      return this;
    }

    /**
     * Sets the path of {@code postgresql.conf} on the database host.
     *
     * @param configFile the path of {@code postgresql.conf} on the database host
     * @return this builder
     */
    public Builder configFile(String configFile) {
      this.configFile = Optional.of(configFile);
      return this;
    }

    /**
     * Sets the path of {@code postgresql.conf} on the database host, or clears it.
     *
     * @param configFile the path of {@code postgresql.conf} on the database host; empty clears it
     * @return this builder
     */
    Builder configFile(Optional<String> configFile) {
      this.configFile = Objects.requireNonNull(configFile, "configFile is null");
      return this;
    }

    /**
     * Sets copy statistics, as the Python dict literal text.
     *
     * @param copyStats copy statistics, as the Python dict literal text
     * @return this builder
     */
    public Builder copyStats(String copyStats) {
      this.copyStats = Optional.of(copyStats);
      return this;
    }

    /**
     * Sets copy statistics, as the Python dict literal text, or clears it.
     *
     * @param copyStats copy statistics, as the Python dict literal text; empty clears it
     * @return this builder
     */
    Builder copyStats(Optional<String> copyStats) {
      this.copyStats = Objects.requireNonNull(copyStats, "copyStats is null");
      return this;
    }

    /**
     * Sets bytes actually copied (Barman server only).
     *
     * @param deduplicatedSize bytes actually copied (Barman server only)
     * @return this builder
     */
    public Builder deduplicatedSize(long deduplicatedSize) {
      this.deduplicatedSize = OptionalLong.of(deduplicatedSize);
      return this;
    }

    /**
     * Sets bytes actually copied (Barman server only), or clears it.
     *
     * @param deduplicatedSize bytes actually copied (Barman server only); empty clears it
     * @return this builder
     */
    public Builder deduplicatedSize(OptionalLong deduplicatedSize) {
      this.deduplicatedSize = Objects.requireNonNull(deduplicatedSize, "deduplicatedSize is null");
      return this;
    }

    /**
     * Sets the offset of the end location inside its WAL segment.
     *
     * @param endOffset the offset of the end location inside its WAL segment
     * @return this builder
     */
    public Builder endOffset(long endOffset) {
      this.endOffset = OptionalLong.of(endOffset);
      return this;
    }

    /**
     * Sets the offset of the end location inside its WAL segment, or clears it.
     *
     * @param endOffset the offset of the end location inside its WAL segment; empty clears it
     * @return this builder
     */
    public Builder endOffset(OptionalLong endOffset) {
      this.endOffset = Objects.requireNonNull(endOffset, "endOffset is null");
      return this;
    }

    /**
     * Sets when the backup ended.
     *
     * @param endTime when the backup ended
     * @return this builder
     */
    public Builder endTime(OffsetDateTime endTime) {
      this.endTime = Optional.of(endTime);
      return this;
    }

    /**
     * Sets when the backup ended, or clears it.
     *
     * @param endTime when the backup ended; empty clears it
     * @return this builder
     */
    Builder endTime(Optional<OffsetDateTime> endTime) {
      this.endTime = Objects.requireNonNull(endTime, "endTime is null");
      return this;
    }

    /**
     * Sets the WAL segment holding the end location.
     *
     * @param endWal the WAL segment holding the end location
     * @return this builder
     */
    public Builder endWal(String endWal) {
      this.endWal = Optional.of(endWal);
      return this;
    }

    /**
     * Sets the WAL segment holding the end location, or clears it.
     *
     * @param endWal the WAL segment holding the end location; empty clears it
     * @return this builder
     */
    Builder endWal(Optional<String> endWal) {
      this.endWal = Objects.requireNonNull(endWal, "endWal is null");
      return this;
    }

    /**
     * Sets the end location.
     *
     * @param endXlog the end location
     * @return this builder
     */
    public Builder endXlog(Lsn endXlog) {
      this.endXlog = Optional.of(endXlog);
      return this;
    }

    /**
     * Sets the end location, or clears it.
     *
     * @param endXlog the end location; empty clears it
     * @return this builder
     */
    Builder endXlog(Optional<Lsn> endXlog) {
      this.endXlog = Objects.requireNonNull(endXlog, "endXlog is null");
      return this;
    }

    /**
     * Sets why the backup failed.
     *
     * @param error why the backup failed
     * @return this builder
     */
    public Builder error(String error) {
      this.error = Optional.of(error);
      return this;
    }

    /**
     * Sets why the backup failed, or clears it.
     *
     * @param error why the backup failed; empty clears it
     * @return this builder
     */
    Builder error(Optional<String> error) {
      this.error = Objects.requireNonNull(error, "error is null");
      return this;
    }

    /**
     * Sets the path of {@code pg_hba.conf}.
     *
     * @param hbaFile the path of {@code pg_hba.conf}
     * @return this builder
     */
    public Builder hbaFile(String hbaFile) {
      this.hbaFile = Optional.of(hbaFile);
      return this;
    }

    /**
     * Sets the path of {@code pg_hba.conf}, or clears it.
     *
     * @param hbaFile the path of {@code pg_hba.conf}; empty clears it
     * @return this builder
     */
    Builder hbaFile(Optional<String> hbaFile) {
      this.hbaFile = Objects.requireNonNull(hbaFile, "hbaFile is null");
      return this;
    }

    /**
     * Sets the path of {@code pg_ident.conf}.
     *
     * @param identFile the path of {@code pg_ident.conf}
     * @return this builder
     */
    public Builder identFile(String identFile) {
      this.identFile = Optional.of(identFile);
      return this;
    }

    /**
     * Sets the path of {@code pg_ident.conf}, or clears it.
     *
     * @param identFile the path of {@code pg_ident.conf}; empty clears it
     * @return this builder
     */
    Builder identFile(Optional<String> identFile) {
      this.identFile = Objects.requireNonNull(identFile, "identFile is null");
      return this;
    }

    /**
     * Sets configuration files included by {@code postgresql.conf}, as the Python list literal text.
     *
     * @param includedFiles configuration files included by {@code postgresql.conf}, as the Python list literal text
     * @return this builder
     */
    public Builder includedFiles(String includedFiles) {
      this.includedFiles = Optional.of(includedFiles);
      return this;
    }

    /**
     * Sets configuration files included by {@code postgresql.conf}, as the Python list literal text, or clears it.
     *
     * @param includedFiles configuration files included by {@code postgresql.conf}, as the Python list literal text; empty clears it
     * @return this builder
     */
    Builder includedFiles(Optional<String> includedFiles) {
      this.includedFiles = Objects.requireNonNull(includedFiles, "includedFiles is null");
      return this;
    }

    /**
     * Sets the backup method ({@code None} for barman-cloud tar backups).
     *
     * @param mode the backup method ({@code None} for barman-cloud tar backups)
     * @return this builder
     */
    public Builder mode(String mode) {
      this.mode = Optional.of(mode);
      return this;
    }

    /**
     * Sets the backup method ({@code None} for barman-cloud tar backups), or clears it.
     *
     * @param mode the backup method ({@code None} for barman-cloud tar backups); empty clears it
     * @return this builder
     */
    Builder mode(Optional<String> mode) {
      this.mode = Objects.requireNonNull(mode, "mode is null");
      return this;
    }

    /**
     * Sets the data directory on the database host.
     *
     * @param pgdata the data directory on the database host
     * @return this builder
     */
    public Builder pgdata(String pgdata) {
      this.pgdata = Optional.of(pgdata);
      return this;
    }

    /**
     * Sets the data directory on the database host, or clears it.
     *
     * @param pgdata the data directory on the database host; empty clears it
     * @return this builder
     */
    Builder pgdata(Optional<String> pgdata) {
      this.pgdata = Objects.requireNonNull(pgdata, "pgdata is null");
      return this;
    }

    /**
     * Sets the backup size in bytes (Barman server only).
     *
     * @param size the backup size in bytes (Barman server only)
     * @return this builder
     */
    public Builder size(long size) {
      this.size = OptionalLong.of(size);
      return this;
    }

    /**
     * Sets the backup size in bytes (Barman server only), or clears it.
     *
     * @param size the backup size in bytes (Barman server only); empty clears it
     * @return this builder
     */
    public Builder size(OptionalLong size) {
      this.size = Objects.requireNonNull(size, "size is null");
      return this;
    }

    /**
     * Sets snapshot metadata of a snapshot backup, as the Python dict literal text; written only when present.
     *
     * @param snapshotsInfo snapshot metadata of a snapshot backup, as the Python dict literal text; written only when present
     * @return this builder
     */
    public Builder snapshotsInfo(String snapshotsInfo) {
      this.snapshotsInfo = Optional.of(snapshotsInfo);
      return this;
    }

    /**
     * Sets snapshot metadata of a snapshot backup, as the Python dict literal text; written only when present, or clears it.
     *
     * @param snapshotsInfo snapshot metadata of a snapshot backup, as the Python dict literal text; written only when present; empty clears it
     * @return this builder
     */
    Builder snapshotsInfo(Optional<String> snapshotsInfo) {
      this.snapshotsInfo = Objects.requireNonNull(snapshotsInfo, "snapshotsInfo is null");
      return this;
    }

    /**
     * Sets the cluster's system identifier.
     *
     * @param systemId the cluster's system identifier
     * @return this builder
     */
    public Builder systemId(String systemId) {
      this.systemId = Optional.of(systemId);
      return this;
    }

    /**
     * Sets the cluster's system identifier, or clears it.
     *
     * @param systemId the cluster's system identifier; empty clears it
     * @return this builder
     */
    Builder systemId(Optional<String> systemId) {
      this.systemId = Objects.requireNonNull(systemId, "systemId is null");
      return this;
    }

    /**
     * Sets the tablespaces (written {@code None} when there are none).
     *
     * @param tablespaces the tablespaces (written {@code None} when there are none)
     * @return this builder
     */
    public Builder tablespaces(List<Tablespace> tablespaces) {
      this.tablespaces = Objects.requireNonNull(tablespaces, "tablespaces is null");
      return this;
    }

    /**
     * Sets the timeline the backup started on.
     *
     * @param timeline the timeline the backup started on
     * @return this builder
     */
    public Builder timeline(int timeline) {
      this.timeline = OptionalInt.of(timeline);
      return this;
    }

    /**
     * Sets the timeline the backup started on, or clears it.
     *
     * @param timeline the timeline the backup started on; empty clears it
     * @return this builder
     */
    public Builder timeline(OptionalInt timeline) {
      this.timeline = Objects.requireNonNull(timeline, "timeline is null");
      return this;
    }

    /**
     * Sets the server version number ({@code server_version_num}, e.g. 150020).
     *
     * @param version the server version number ({@code server_version_num}, e.g. 150020)
     * @return this builder
     */
    public Builder version(int version) {
      this.version = OptionalInt.of(version);
      return this;
    }

    /**
     * Sets the server version number ({@code server_version_num}, e.g. 150020), or clears it.
     *
     * @param version the server version number ({@code server_version_num}, e.g. 150020); empty clears it
     * @return this builder
     */
    public Builder version(OptionalInt version) {
      this.version = Objects.requireNonNull(version, "version is null");
      return this;
    }

    /**
     * Sets the WAL segment size in bytes (default 16 MiB).
     *
     * @param xlogSegmentSize the WAL segment size in bytes (default 16 MiB)
     * @return this builder
     */
    public Builder xlogSegmentSize(long xlogSegmentSize) {
      this.xlogSegmentSize = xlogSegmentSize;
      return this;
    }

    /**
     * Sets fields this library does not model or does not write (newer Barman versions' {@code cluster_size}, {@code data_checksums} …), key to raw value text, kept so that a file read can be written back.
     *
     * @param otherFields fields this library does not model or does not write (newer Barman versions' {@code cluster_size}, {@code data_checksums} …), key to raw value text, kept so that a file read can be written back
     * @return this builder
     */
    public Builder otherFields(Map<String, String> otherFields) {
      this.otherFields = Objects.requireNonNull(otherFields, "otherFields is null");
      return this;
    }

    /**
     * Sets {@link #beginWal(String)} from a parsed name.
     *
     * @param wal the first WAL file
     * @return this builder
     */
    public Builder beginWal(WalFileName wal) {
      return beginWal(wal.name());
    }

    /**
     * Sets {@link #endWal(String)} from a parsed name.
     *
     * @param wal the last WAL file
     * @return this builder
     */
    public Builder endWal(WalFileName wal) {
      return endWal(wal.name());
    }

    /**
     * {@return the backup}
     *
     * @throws IllegalArgumentException if a literal field does not parse or a WAL name is invalid
     */
    public BackupInfo build() {
      return new BackupInfo(backupId, status, serverName, backupName, backupLabel, beginOffset, beginTime, beginWal, beginXlog, compression, configFile, copyStats, deduplicatedSize, endOffset, endTime, endWal, endXlog, error, hbaFile, identFile, includedFiles, mode, pgdata, size, snapshotsInfo, systemId, tablespaces, timeline, version, xlogSegmentSize, otherFields);
    }
  }
}
