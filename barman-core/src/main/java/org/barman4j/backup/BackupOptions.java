package org.barman4j.backup;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.barman4j.catalog.BackupId;
import org.barman4j.compress.Compression;
import org.barman4j.compress.CompressionLevel;

/**
 * How to take a base backup.
 *
 * @param compression the tar compression; its suffix ends the keys ({@code data.tar.gz})
 * @param compressionLevel the level for codecs that have levels
 * @param jobs how many threads compress (at least 1); also sizes the bounded in-flight queue
 * @param maxArchiveSize a tar part is closed once its compressed size exceeds this; capped at
 *     {@link #MAX_ARCHIVE_SIZE}
 * @param immediateCheckpoint request an immediate checkpoint at the start instead of a spread one
 * @param name the backup's name ({@code backup_name}), usable instead of its identifier
 * @param tags object tags for every object written
 * @param maxBandwidth the most bytes per second sent to storage, 0 for no limit
 */
public record BackupOptions(
    Compression compression, CompressionLevel compressionLevel, int jobs, long maxArchiveSize,
    boolean immediateCheckpoint, Optional<String> name, Map<String, String> tags, long maxBandwidth) {
  /** barman-cloud's cap on {@code --max-archive-size}: 1 TiB. */
  public static final long MAX_ARCHIVE_SIZE = 1L << 40;

  /** barman-cloud's default {@code --max-archive-size}: 100 GB in Barman's syntax, i.e. 100 GiB. */
  public static final long DEFAULT_MAX_ARCHIVE_SIZE = 100L << 30;

  /** No compression, 2 jobs, 100 GiB parts, spread checkpoint, no name, no tags, no bandwidth limit. */
  public static final BackupOptions DEFAULT = new BackupOptions(Compression.NONE, CompressionLevel.MEDIUM, 2,
      DEFAULT_MAX_ARCHIVE_SIZE, false, Optional.empty(), Map.of(), 0);

  private static final Set<String> RESERVED_NAMES =
      Set.of("latest", "last", "oldest", "first", "last-failed", "latest-full", "last-full", "auto");

  /**
   * Checks that no component is null, copies the collections and checks the values.
   *
   * @param compression the tar compression; its suffix ends the keys ({@code data.tar.gz})
   * @param compressionLevel the level for codecs that have levels
   * @param jobs how many threads compress (at least 1); also sizes the bounded in-flight queue
   * @param maxArchiveSize a tar part is closed once its compressed size exceeds this; capped at {@link #MAX_ARCHIVE_SIZE}
   * @param immediateCheckpoint request an immediate checkpoint at the start instead of a spread one
   * @param name the backup's name ({@code backup_name}), usable instead of its identifier
   * @param tags object tags for every object written
   * @param maxBandwidth the most bytes per second sent to storage, 0 for no limit
   * @throws IllegalArgumentException if a component is invalid
   */
  public BackupOptions {
    Objects.requireNonNull(compression, "compression is null");
    Objects.requireNonNull(compressionLevel, "compressionLevel is null");
    Objects.requireNonNull(name, "name is null");
    tags = Map.copyOf(Objects.requireNonNull(tags, "tags is null"));
    compressionLevel.resolve(compression);
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
    }
    if (maxArchiveSize < 1) {
      throw new IllegalArgumentException("maxArchiveSize must be positive: " + maxArchiveSize);
    }
    if (maxBandwidth < 0) {
      throw new IllegalArgumentException("maxBandwidth must not be negative: " + maxBandwidth);
    }
    name.ifPresent(BackupOptions::checkName);
  }

  /**
   * Checks a backup name as Barman does: not empty, not shaped like a backup identifier, not one of the
   * reserved words ({@code latest last oldest first last-failed latest-full last-full auto}); and on one
   * line, since {@code backup.info} stores it as is.
   *
   * @param name the backup name ({@code -n})
   * @throws IllegalArgumentException saying why the name is not allowed
   */
  public static void checkName(String name) {
    Objects.requireNonNull(name, "name is null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Backup name cannot be empty");
    }
    if (BackupId.looksLikeBackupId(name)) {
      throw new IllegalArgumentException("Backup name '" + name + "' is not allowed: backup ID");
    }
    if (RESERVED_NAMES.contains(name)) {
      throw new IllegalArgumentException("Backup name '" + name + "' is not allowed: reserved word");
    }
    if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("Backup name must be on one line");
    }
  }

  /**
   * {@return these options with {@code compression} at {@code level}}
   *
   * @param compression the tar compression
   * @param level the level for codecs that have levels
   */
  public BackupOptions withCompression(Compression compression, CompressionLevel level) {
    return new BackupOptions(compression, level, jobs, maxArchiveSize, immediateCheckpoint, name, tags, maxBandwidth);
  }

  /**
   * {@return these options with {@code jobs} compressing threads}
   *
   * @param jobs how many threads compress (at least 1)
   */
  public BackupOptions withJobs(int jobs) {
    return new BackupOptions(compression, compressionLevel, jobs, maxArchiveSize, immediateCheckpoint, name, tags,
        maxBandwidth);
  }

  /**
   * {@return these options closing tar parts past {@code maxArchiveSize}}
   *
   * @param maxArchiveSize the compressed size in bytes past which a tar part is closed
   */
  public BackupOptions withMaxArchiveSize(long maxArchiveSize) {
    return new BackupOptions(compression, compressionLevel, jobs, maxArchiveSize, immediateCheckpoint, name, tags,
        maxBandwidth);
  }

  /**
   * {@return these options with {@code immediateCheckpoint}}
   *
   * @param immediateCheckpoint whether to request an immediate checkpoint at the start instead of a spread one
   */
  public BackupOptions withImmediateCheckpoint(boolean immediateCheckpoint) {
    return new BackupOptions(compression, compressionLevel, jobs, maxArchiveSize, immediateCheckpoint, name, tags,
        maxBandwidth);
  }

  /**
   * {@return these options naming the backup {@code name}}
   *
   * @param name the backup's name, usable instead of its identifier
   */
  public BackupOptions withName(String name) {
    return new BackupOptions(compression, compressionLevel, jobs, maxArchiveSize, immediateCheckpoint,
        Optional.of(name), tags, maxBandwidth);
  }

  /**
   * {@return these options with {@code tags}}
   *
   * @param tags object tags for every object written
   */
  public BackupOptions withTags(Map<String, String> tags) {
    return new BackupOptions(compression, compressionLevel, jobs, maxArchiveSize, immediateCheckpoint, name, tags,
        maxBandwidth);
  }

  /**
   * {@return these options with {@code maxBandwidth}}
   *
   * @param maxBandwidth the most bytes per second sent to storage, 0 for no limit
   */
  public BackupOptions withMaxBandwidth(long maxBandwidth) {
    return new BackupOptions(compression, compressionLevel, jobs, maxArchiveSize, immediateCheckpoint, name, tags,
        maxBandwidth);
  }

  /** {@return a builder starting from {@link #DEFAULT}} */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link BackupOptions}, starting from {@link #DEFAULT}; each value is checked by {@link #build()}. */
  public static final class Builder {
    private BackupOptions options = DEFAULT;
    private Optional<String> name = Optional.empty();

    private Builder() {}

    /**
     * Sets the compression of the tar files, at the medium level.
     *
     * @param compression the compression
     * @return this builder
     */
    public Builder compression(Compression compression) {
      return compression(compression, CompressionLevel.MEDIUM);
    }

    /**
     * Sets the compression of the tar files and its level.
     *
     * @param compression the compression
     * @param level the level
     * @return this builder
     */
    public Builder compression(Compression compression, CompressionLevel level) {
      options = options.withCompression(compression, level);
      return this;
    }

    /**
     * Sets how many threads compress and upload ({@code -J}).
     *
     * @param jobs at least 1
     * @return this builder
     */
    public Builder jobs(int jobs) {
      options = options.withJobs(jobs);
      return this;
    }

    /**
     * Sets the compressed size past which a tar part is closed ({@code --max-archive-size}).
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder maxArchiveSize(long bytes) {
      options = options.withMaxArchiveSize(bytes);
      return this;
    }

    /**
     * Requests an immediate checkpoint at the start instead of a spread one ({@code --immediate-checkpoint}).
     *
     * @return this builder
     */
    public Builder immediateCheckpoint() {
      options = options.withImmediateCheckpoint(true);
      return this;
    }

    /**
     * Names the backup ({@code -n}).
     *
     * @param name the name, usable instead of the identifier
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Optional.of(Objects.requireNonNull(name, "name is null"));
      return this;
    }

    /**
     * Adds an object tag to every object written.
     *
     * @param key the tag's key
     * @param value its value
     * @return this builder
     */
    public Builder tag(String key, String value) {
      Map<String, String> tags = new java.util.LinkedHashMap<>(options.tags());
      tags.put(Objects.requireNonNull(key, "key is null"), Objects.requireNonNull(value, "value is null"));
      options = options.withTags(tags);
      return this;
    }

    /**
     * Limits the upload to {@code bytesPerSecond} ({@code --max-bandwidth}).
     *
     * @param bytesPerSecond the limit, 0 for none
     * @return this builder
     */
    public Builder maxBandwidth(long bytesPerSecond) {
      options = options.withMaxBandwidth(bytesPerSecond);
      return this;
    }

    /**
     * {@return the options}
     *
     * @throws IllegalArgumentException if a value is invalid
     */
    public BackupOptions build() {
      return name.isPresent() ? options.withName(name.get()) : options;
    }
  }
}
