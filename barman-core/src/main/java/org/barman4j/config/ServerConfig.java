package org.barman4j.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.barman4j.config.internal.Options;
import org.barman4j.retention.RetentionPolicy;

/**
 * The effective configuration of one server: its section, then {@code [barman]} for inheritable options, then
 * Barman's defaults, interpolated and validated. {@link #values()} holds every option that is set, as Barman
 * 3.4 shows it ({@code True}/{@code False} for booleans, lower-cased names); the accessors give typed values.
 *
 * @param name the server (section) name
 * @param values every set option, by name; unset options are absent
 */
public record ServerConfig(String name, Map<String, String> values) {
  private static final Pattern PASSWORD = Pattern.compile("(?i)(\\bpassword\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|\\S+)");
  private static final Pattern URI_PASSWORD = Pattern.compile("(?i)^(postgres(?:ql)?://[^:/@?]*:)([^@/?]*)(@)");

  /**
   * Checks that no component is null and copies the values.
   *
   * @param name the server name
   * @param values every set option
   */
  public ServerConfig {
    Objects.requireNonNull(name, "name is null");
    values = Map.copyOf(new TreeMap<>(values));
  }

  /**
   * {@return the value of {@code option}, empty when unset}
   *
   * @param option the option name, lower case
   */
  public Optional<String> get(String option) {
    return Optional.ofNullable(values.get(option));
  }

  private String text(String option) {
    return values.getOrDefault(option, "");
  }

  private boolean flag(String option) {
    return get(option).map(Options::parseBoolean).orElse(false);
  }

  private int number(String option, int unset) {
    return get(option).map(v -> Integer.parseInt(v.strip())).orElse(unset);
  }

  /** {@return whether the server is active ({@code active}, default true)} */
  public boolean active() {
    return flag("active");
  }

  /** {@return {@code description}, empty when unset} */
  public String description() {
    return text("description");
  }

  /** {@return {@code conninfo}, empty when unset (the server is then unusable)} */
  public String conninfo() {
    return text("conninfo");
  }

  /** {@return {@code streaming_conninfo} (defaults to {@code conninfo}), empty when unset} */
  public String streamingConninfo() {
    return text("streaming_conninfo");
  }

  /** {@return {@code conninfo} with the value of {@code password=} replaced by {@code *REDACTED*}, for display} */
  public String maskedConninfo() {
    return mask(conninfo());
  }

  /** {@return {@code streaming_conninfo} with the value of {@code password=} replaced by {@code *REDACTED*}} */
  public String maskedStreamingConninfo() {
    return mask(streamingConninfo());
  }

  /**
   * {@return {@code conninfo} with every {@code password=VALUE} (quoted or not), and the password of a
   * {@code postgresql://user:password@host} URI, replaced by {@code *REDACTED*}}
   *
   * @param conninfo a libpq key=value string
   */
  public static String mask(String conninfo) {
    String masked = URI_PASSWORD.matcher(conninfo).replaceAll("$1*REDACTED*$3");
    return PASSWORD.matcher(masked).replaceAll("$1*REDACTED*");
  }

  /** {@return {@code ssh_command}, empty when unset} */
  public String sshCommand() {
    return text("ssh_command");
  }

  /** {@return {@code backup_method}, default rsync} */
  public BackupMethod backupMethod() {
    return BackupMethod.parse(get("backup_method").orElse("rsync"));
  }

  /** {@return {@code backup_options}: {@code concurrent_backup}, {@code exclusive_backup}, {@code external_configuration}} */
  public Set<String> backupOptions() {
    return get("backup_options").filter(v -> !v.isEmpty())
        .map(v -> Set.copyOf(Arrays.asList(v.split(",")))).orElse(Set.of());
  }

  /** {@return whether {@code archiver} (WAL files from {@code incoming/}) is on} */
  public boolean archiver() {
    return flag("archiver");
  }

  /** {@return whether {@code streaming_archiver} (pg_receivewal into {@code streaming/}) is on} */
  public boolean streamingArchiver() {
    return flag("streaming_archiver");
  }

  /** {@return {@code archiver_batch_size}, 0 for unlimited} */
  public int archiverBatchSize() {
    return number("archiver_batch_size", 0);
  }

  /** {@return {@code streaming_archiver_batch_size}, 0 for unlimited} */
  public int streamingArchiverBatchSize() {
    return number("streaming_archiver_batch_size", 0);
  }

  /** {@return {@code streaming_archiver_name}, the {@code application_name} of pg_receivewal} */
  public String streamingArchiverName() {
    return text("streaming_archiver_name");
  }

  /** {@return {@code streaming_backup_name}, the {@code application_name} of pg_basebackup} */
  public String streamingBackupName() {
    return text("streaming_backup_name");
  }

  /** {@return {@code slot_name} (lower case), empty when unset} */
  public Optional<String> slotName() {
    return get("slot_name");
  }

  /** {@return whether {@code create_slot = auto}} */
  public boolean createSlotAuto() {
    return "auto".equals(text("create_slot"));
  }

  /** {@return {@code compression} (the WAL compression name), empty when unset} */
  public Optional<String> compression() {
    return get("compression");
  }

  /** {@return {@code backup_compression} ({@code gzip}, {@code lz4}, {@code zstd}), empty when unset} */
  public Optional<String> backupCompression() {
    return get("backup_compression");
  }

  /** {@return {@code retention_policy}, empty when unset} */
  public Optional<RetentionPolicy> retentionPolicy() {
    return get("retention_policy").map(RetentionPolicy::parse);
  }

  /** {@return {@code wal_retention_policy} (only {@code main} exists)} */
  public String walRetentionPolicy() {
    return text("wal_retention_policy");
  }

  /** {@return {@code minimum_redundancy}, default 0} */
  public int minimumRedundancy() {
    return number("minimum_redundancy", 0);
  }

  /** {@return {@code parallel_jobs}, default 1} */
  public int parallelJobs() {
    return number("parallel_jobs", 1);
  }

  /** {@return {@code immediate_checkpoint}} */
  public boolean immediateCheckpoint() {
    return flag("immediate_checkpoint");
  }

  /** {@return {@code basebackup_retry_times}, default 0} */
  public int basebackupRetryTimes() {
    return number("basebackup_retry_times", 0);
  }

  /** {@return {@code basebackup_retry_sleep}, default 30 s} */
  public Duration basebackupRetrySleep() {
    return Duration.ofSeconds(number("basebackup_retry_sleep", 30));
  }

  /** {@return {@code check_timeout}, default 30 s; zero disables it} */
  public Duration checkTimeout() {
    return Duration.ofSeconds(number("check_timeout", 30));
  }

  /** {@return {@code last_backup_maximum_age}, empty when unset} */
  public Optional<Duration> lastBackupMaximumAge() {
    return get("last_backup_maximum_age").map(Options::interval);
  }

  /** {@return {@code last_wal_maximum_age}, empty when unset} */
  public Optional<Duration> lastWalMaximumAge() {
    return get("last_wal_maximum_age").map(Options::interval);
  }

  /** {@return {@code last_backup_minimum_size} in bytes, empty when unset} */
  public OptionalLong lastBackupMinimumSize() {
    return get("last_backup_minimum_size").map(v -> OptionalLong.of(Options.size(v))).orElse(OptionalLong.empty());
  }

  /** {@return {@code path_prefix} as a list of directories, empty when unset} */
  public List<Path> pathPrefix() {
    return get("path_prefix").map(v -> Arrays.stream(v.split(":")).filter(s -> !s.isBlank())
        .map(Path::of).collect(Collectors.toUnmodifiableList())).orElse(List.of());
  }

  /** {@return {@code primary_ssh_command}, empty when unset; set means a passive node} */
  public String primarySshCommand() {
    return text("primary_ssh_command");
  }

  /** {@return {@code backup_directory}, default {@code barman_home/NAME}} */
  public Path backupDirectory() {
    return Path.of(text("backup_directory"));
  }

  /** {@return {@code basebackups_directory}, default {@code backup_directory/base}} */
  public Path basebackupsDirectory() {
    return Path.of(text("basebackups_directory"));
  }

  /** {@return {@code wals_directory}, default {@code backup_directory/wals}} */
  public Path walsDirectory() {
    return Path.of(text("wals_directory"));
  }

  /** {@return {@code incoming_wals_directory}, default {@code backup_directory/incoming}} */
  public Path incomingWalsDirectory() {
    return Path.of(text("incoming_wals_directory"));
  }

  /** {@return {@code streaming_wals_directory}, default {@code backup_directory/streaming}} */
  public Path streamingWalsDirectory() {
    return Path.of(text("streaming_wals_directory"));
  }

  /** {@return {@code errors_directory}, default {@code backup_directory/errors}} */
  public Path errorsDirectory() {
    return Path.of(text("errors_directory"));
  }
}
