package org.barman4j.config.internal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.barman4j.config.BackupMethod;
import org.barman4j.retention.RetentionPolicy;

/** Barman 3.4's server option names, which ones {@code [barman]} may set, their defaults and value parsers. */
public final class Options {
  private Options() {}

  /** Every server option, in the order Barman resolves them (later ones may interpolate earlier ones). */
  public static final List<String> SERVER_KEYS = List.of(("active archiver archiver_batch_size backup_compression"
      + " backup_compression_format backup_compression_level backup_compression_location backup_compression_workers"
      + " backup_directory backup_method backup_options bandwidth_limit basebackup_retry_sleep basebackup_retry_times"
      + " basebackups_directory check_timeout compression conninfo custom_compression_filter"
      + " custom_decompression_filter custom_compression_magic description errors_directory"
      + " forward_config_path immediate_checkpoint incoming_wals_directory last_backup_maximum_age"
      + " last_backup_minimum_size last_wal_maximum_age max_incoming_wals_queue minimum_redundancy network_compression"
      + " parallel_jobs path_prefix post_archive_retry_script post_archive_script post_backup_retry_script"
      + " post_backup_script post_delete_script post_delete_retry_script post_recovery_retry_script post_recovery_script"
      + " post_wal_delete_script post_wal_delete_retry_script pre_archive_retry_script pre_archive_script"
      + " pre_backup_retry_script pre_backup_script pre_delete_script pre_delete_retry_script pre_recovery_retry_script"
      + " pre_recovery_script pre_wal_delete_script pre_wal_delete_retry_script primary_conninfo primary_ssh_command"
      + " recovery_options recovery_staging_path create_slot retention_policy retention_policy_mode reuse_backup"
      + " slot_name snapshot_disks snapshot_gcp_project snapshot_instance snapshot_provider snapshot_zone ssh_command"
      + " streaming_archiver streaming_archiver_batch_size streaming_archiver_name streaming_backup_name"
      + " streaming_conninfo streaming_wals_directory tablespace_bandwidth_limit wal_retention_policy wals_directory")
      .split(" "));

  /** Server options that only a server section may set (the others are inherited from {@code [barman]}). */
  public static final Set<String> SERVER_ONLY = Set.of("active", "backup_directory", "basebackups_directory",
      "conninfo", "description", "errors_directory", "incoming_wals_directory", "primary_conninfo",
      "snapshot_disks", "snapshot_instance", "snapshot_zone", "ssh_command", "streaming_conninfo",
      "streaming_wals_directory", "wals_directory");

  /** Options only {@code [barman]} knows. */
  public static final Set<String> GLOBAL_ONLY = Set.of("barman_home", "barman_lock_directory", "barman_user",
      "log_file", "log_level", "log_format", "configuration_files_directory");

  /** Built-in defaults, {@code %(name)s}-formatted with the values resolved so far. */
  public static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry("active", "true"), Map.entry("archiver", "off"), Map.entry("archiver_batch_size", "0"),
      Map.entry("backup_directory", "%(barman_home)s/%(name)s"), Map.entry("backup_method", "rsync"),
      Map.entry("backup_options", ""), Map.entry("basebackup_retry_sleep", "30"),
      Map.entry("basebackup_retry_times", "0"), Map.entry("basebackups_directory", "%(backup_directory)s/base"),
      Map.entry("check_timeout", "30"), Map.entry("errors_directory", "%(backup_directory)s/errors"),
      Map.entry("forward_config_path", "false"), Map.entry("immediate_checkpoint", "false"),
      Map.entry("incoming_wals_directory", "%(backup_directory)s/incoming"), Map.entry("minimum_redundancy", "0"),
      Map.entry("network_compression", "false"), Map.entry("parallel_jobs", "1"), Map.entry("recovery_options", ""),
      Map.entry("create_slot", "manual"), Map.entry("retention_policy_mode", "auto"),
      Map.entry("streaming_archiver", "off"), Map.entry("streaming_archiver_batch_size", "0"),
      Map.entry("streaming_archiver_name", "barman_receive_wal"),
      Map.entry("streaming_backup_name", "barman_streaming_backup"),
      Map.entry("streaming_conninfo", "%(conninfo)s"),
      Map.entry("streaming_wals_directory", "%(backup_directory)s/streaming"),
      Map.entry("wal_retention_policy", "main"), Map.entry("wals_directory", "%(backup_directory)s/wals"));

  private static final Pattern TRUE = Pattern.compile("true|t|yes|1|on", Pattern.CASE_INSENSITIVE);
  private static final Pattern FALSE = Pattern.compile("false|f|no|0|off", Pattern.CASE_INSENSITIVE);
  private static final Pattern INTERVAL = Pattern.compile("^\\s*(\\d+)\\s+(day|month|week|hour)s?\\s*$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE = Pattern.compile("^(\\d+)\\s*(k|Ki|M|Mi|G|Gi|T|Ti)?\\s*$");
  private static final Pattern SLOT = Pattern.compile("^[0-9a-z_]+$");

  private static final Map<String, UnaryOperator<String>> PARSERS = Map.ofEntries(
      Map.entry("active", Options::bool), Map.entry("archiver", Options::bool),
      Map.entry("streaming_archiver", Options::bool), Map.entry("forward_config_path", Options::bool),
      Map.entry("immediate_checkpoint", Options::bool), Map.entry("network_compression", Options::bool),
      Map.entry("archiver_batch_size", Options::integer), Map.entry("streaming_archiver_batch_size", Options::integer),
      Map.entry("backup_compression_level", Options::integer),
      Map.entry("backup_compression_workers", Options::integer),
      Map.entry("basebackup_retry_sleep", Options::integer), Map.entry("basebackup_retry_times", Options::integer),
      Map.entry("check_timeout", Options::integer), Map.entry("max_incoming_wals_queue", Options::integer),
      Map.entry("parallel_jobs", Options::integer),
      Map.entry("backup_method", v -> BackupMethod.parse(v).barmanName()),
      Map.entry("backup_compression", v -> oneOf(v, "gzip", "lz4", "zstd")),
      Map.entry("backup_compression_format", v -> oneOf(v, "plain", "tar")),
      Map.entry("backup_compression_location", v -> oneOf(v, "client", "server")),
      Map.entry("create_slot", v -> oneOf(v.toLowerCase(Locale.ROOT), "manual", "auto")),
      Map.entry("reuse_backup", v -> oneOf(v, "copy", "link", "off")),
      Map.entry("slot_name", Options::slotName),
      Map.entry("backup_options", v -> csv(v, "concurrent_backup", "exclusive_backup", "external_configuration")),
      Map.entry("recovery_options", v -> csv(v, "get-wal")),
      Map.entry("last_backup_maximum_age", v -> check(v, Options::interval)),
      Map.entry("last_wal_maximum_age", v -> check(v, Options::interval)),
      Map.entry("last_backup_minimum_size", v -> check(v, Options::size)),
      Map.entry("recovery_staging_path", Options::absolute));

  /** Checks that don't change the value as Barman reads it, but whose value Barman 3.4 only rejects later. */
  private static final Map<String, UnaryOperator<String>> CHECKS = Map.of(
      "minimum_redundancy", v -> check(v, Options::nonNegative),
      "retention_policy", v -> check(v, RetentionPolicy::parse),
      "wal_retention_policy", v -> oneOf(v.toLowerCase(Locale.ROOT), "main"),
      "bandwidth_limit", Options::integer);

  /**
   * Parses {@code value} of {@code key} as Barman 3.4 does and returns it as Python's {@code str()} shows it
   * ({@code True}, {@code 5}, lower-cased names), or unchanged for options without a parser.
   *
   * @param key the option
   * @param value the value, not empty
   * @return the normalised value
   * @throws IllegalArgumentException if the value is invalid
   */
  public static String parse(String key, String value) {
    String v = PARSERS.getOrDefault(key, UnaryOperator.identity()).apply(value);
    CHECKS.getOrDefault(key, UnaryOperator.identity()).apply(v);
    return v;
  }

  private static String check(String v, java.util.function.Function<String, ?> parser) {
    parser.apply(v);
    return v;
  }

  /**
   * {@return Barman's boolean: {@code true|t|yes|1|on} or {@code false|f|no|0|off}, any case}
   *
   * @param v the text
   */
  public static boolean parseBoolean(String v) {
    if (TRUE.matcher(v).matches()) {
      return true;
    }
    if (FALSE.matcher(v).matches()) {
      return false;
    }
    throw new IllegalArgumentException("invalid boolean (use 'true' or 'false')");
  }

  private static String bool(String v) {
    return parseBoolean(v) ? "True" : "False";
  }

  private static String integer(String v) {
    try {
      return Integer.toString(Integer.parseInt(v.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer");
    }
  }

  private static int nonNegative(String v) {
    int n = Integer.parseInt(integer(v));
    if (n < 0) {
      throw new IllegalArgumentException("must be >= 0");
    }
    return n;
  }

  private static String oneOf(String v, String... allowed) {
    if (!List.of(allowed).contains(v)) {
      throw new IllegalArgumentException("must be one of '" + String.join("', '", allowed) + "'");
    }
    return v;
  }

  private static String slotName(String v) {
    String lower = v.toLowerCase(Locale.ROOT);
    if (!SLOT.matcher(lower).matches()) {
      throw new IllegalArgumentException(
          "replication slot names may only contain lower case letters, numbers, and the underscore character");
    }
    return lower;
  }

  private static String absolute(String v) {
    if (!v.startsWith("/")) {
      throw new IllegalArgumentException("must be an absolute path");
    }
    return v;
  }

  private static String csv(String v, String... allowed) {
    Set<String> values = new TreeSet<>();
    for (String item : v.split(",", -1)) {
      String s = item.strip().toLowerCase(Locale.ROOT);
      oneOf(s, allowed);
      values.add(s);
    }
    if (values.contains("concurrent_backup") && values.contains("exclusive_backup")) {
      throw new IllegalArgumentException("cannot contain both 'concurrent_backup' and 'exclusive_backup'");
    }
    return String.join(",", values);
  }

  /**
   * {@return an interval {@code N (day|week|month|hour)[s]}, a month being 31 days}
   *
   * @param v the text
   */
  public static Duration interval(String v) {
    Matcher m = INTERVAL.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid time interval (expected 'N {days|weeks|months|hours}')");
    }
    long n = Long.parseLong(m.group(1));
    return switch (Character.toLowerCase(m.group(2).charAt(0))) {
      case 'd' -> Duration.ofDays(n);
      case 'w' -> Duration.ofDays(7 * n);
      case 'm' -> Duration.ofDays(31 * n);
      default -> Duration.ofHours(n);
    };
  }

  /**
   * {@return a size in bytes, {@code N[k|Ki|M|Mi|G|Gi|T|Ti]}: powers of 1000 and of 1024}
   *
   * @param v the text
   */
  public static long size(String v) {
    Matcher m = SIZE.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid size (expected N[k|Ki|M|Mi|G|Gi|T|Ti])");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    long factor = switch (unit) {
      case "k" -> 1000L;
      case "Ki" -> 1L << 10;
      case "M" -> 1000_000L;
      case "Mi" -> 1L << 20;
      case "G" -> 1000_000_000L;
      case "Gi" -> 1L << 30;
      case "T" -> 1000_000_000_000L;
      case "Ti" -> 1L << 40;
      default -> 1L;
    };
    return Math.multiplyExact(n, factor);
  }
}
