package org.barman4j.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.barman4j.config.ServerConfig;

/**
 * {@code backup_compression} and its companion options, as Barman 3.4 passes them to {@code pg_basebackup}.
 *
 * @param type {@code gzip}, {@code lz4} or {@code zstd}
 * @param format {@code tar} (the default) or {@code plain} (server-side compression only, decompressed by
 *     {@code pg_basebackup})
 * @param level {@code backup_compression_level}, if set
 * @param location {@code client} or {@code server}, if set ({@code pg_basebackup}'s default otherwise)
 * @param workers {@code backup_compression_workers} (zstd only), if set
 */
public record BaseBackupCompression(String type, String format, OptionalInt level, Optional<String> location,
    OptionalInt workers) {

  /**
   * Checks the components.
   *
   * @param type the algorithm
   * @param format the format
   * @param level the level
   * @param location the location
   * @param workers the workers
   */
  public BaseBackupCompression {
    Objects.requireNonNull(type, "type is null");
    Objects.requireNonNull(format, "format is null");
    Objects.requireNonNull(level, "level is null");
    Objects.requireNonNull(location, "location is null");
    Objects.requireNonNull(workers, "workers is null");
  }

  /**
   * {@return the server's compression settings; empty when {@code backup_compression} is unset}
   *
   * @param config the server's configuration
   */
  public static Optional<BaseBackupCompression> of(ServerConfig config) {
    return config.backupCompression().map(String::strip).filter(s -> !s.isEmpty()).map(type -> new BaseBackupCompression(
        type.toLowerCase(java.util.Locale.ROOT),
        config.get("backup_compression_format").map(String::strip).filter(s -> !s.isEmpty()).orElse("tar"),
        number(config, "backup_compression_level"),
        config.get("backup_compression_location").map(String::strip).filter(s -> !s.isEmpty()),
        number(config, "backup_compression_workers")));
  }

  private static OptionalInt number(ServerConfig config, String option) {
    Optional<String> v = config.get(option).map(String::strip).filter(s -> !s.isEmpty());
    if (v.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(v.get()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " '" + v.get() + "' is not an integer", e);
    }
  }

  /** {@return whether the copy is left as compressed tar files ({@code backup.info} records {@code compression})} */
  public boolean isTar() {
    return !format.equals("plain");
  }

  /** {@return the suffix of the tar files pg_basebackup writes: {@code tar.gz}, {@code tar.lz4}, {@code tar.zst}} */
  public String fileExtension() {
    return switch (type) {
      case "gzip" -> "tar.gz";
      case "lz4" -> "tar.lz4";
      case "zstd" -> "tar.zst";
      default -> throw new IllegalStateException("unsupported backup_compression " + type);
    };
  }

  /**
   * {@return what Barman 3.4 finds wrong with these settings for that server and client, empty when fine}
   *
   * @param serverVersionNum the server's {@code server_version_num}
   * @param client the {@code pg_basebackup} version
   */
  public List<String> issues(int serverVersionNum, PgClientVersion client) {
    List<String> issues = new ArrayList<>();
    if (!List.of("gzip", "lz4", "zstd").contains(type)) {
      issues.add("Barman does not support pg_basebackup compression: " + type);
      return issues;
    }
    if (!List.of("tar", "plain").contains(format)) {
      issues.add("backup_compression_format " + format + " is invalid (must be either `plain` or `tar`)");
    }
    if (location.isPresent() && !List.of("client", "server").contains(location.get())) {
      issues.add("backup_compression_location " + location.get() + " is invalid (must be either `client` or `server`)");
    }
    if (location.filter("server"::equals).isPresent()) {
      if (client.major() < 150000) {
        issues.add("backup_compression_location = server requires pg_basebackup 15 or greater");
      }
      if (serverVersionNum < 150000) {
        issues.add("backup_compression_location = server requires PostgreSQL 15 or greater");
      }
    }
    if (format.equals("plain") && !location.filter("server"::equals).isPresent()) {
      issues.add("backup_compression_format plain is not compatible with backup_compression_location "
          + location.orElse("None"));
    }
    if (!type.equals("gzip") && client.major() < 150000) {
      issues.add("backup_compression = " + type + " requires pg_basebackup 15 or greater");
    }
    int maxLevel = switch (type) {
      case "gzip" -> 9;
      case "lz4" -> 12;
      default -> 22;
    };
    if (level.isPresent() && (level.getAsInt() < 1 || level.getAsInt() > maxLevel)) {
      issues.add("backup_compression_level " + level.getAsInt() + " unsupported by pg_basebackup compression " + type);
    }
    if (workers.isPresent() && !type.equals("zstd")) {
      issues.add("backup_compression_workers is not compatible with compression " + type);
    }
    if (workers.isPresent() && workers.getAsInt() < 0) {
      issues.add("backup_compression_workers should be a positive integer: '" + workers.getAsInt() + "' is invalid");
    }
    return issues;
  }

  /**
   * {@return the {@code pg_basebackup} arguments, in the form that client version takes}
   *
   * @param client the {@code pg_basebackup} version
   */
  public List<String> arguments(PgClientVersion client) {
    List<String> args = new ArrayList<>();
    args.add("--format=" + format);
    if (client.major() >= 150000) {
      StringBuilder compress = new StringBuilder("--compress=");
      location.ifPresent(l -> compress.append(l).append('-'));
      compress.append(type);
      List<String> detail = new ArrayList<>();
      level.ifPresent(l -> detail.add("level=" + l));
      workers.ifPresent(w -> detail.add("workers=" + w));
      if (!detail.isEmpty()) {
        compress.append(':').append(String.join(",", detail));
      }
      args.add(compress.toString());
    } else {
      args.add("--" + type);
      if (level.isPresent() && level.getAsInt() != 0) {
        args.add("--compress=" + level.getAsInt());
      }
    }
    return args;
  }
}
