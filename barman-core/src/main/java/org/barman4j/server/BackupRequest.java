package org.barman4j.server;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.barman4j.catalog.BackupId;
import org.barman4j.config.ServerConfig;
import org.barman4j.postgres.PostgresSession.Checkpoint;

/**
 * The options of one {@code barman backup SERVER} run. Start from {@link #of(ServerConfig)}, which takes the
 * server's configured defaults, and override what the command line gives.
 *
 * <pre>{@code
 * BackupRequest request = BackupRequest.of(config).withName("nightly").withWait(Duration.ofMinutes(5));
 * }</pre>
 *
 * @param name the backup's name ({@code --name}), empty for none; kept in {@code backup.info} from the start,
 *     also with {@code --wait} (Barman 3.4 loses it then)
 * @param checkpoint {@code --immediate-checkpoint} / {@code immediate_checkpoint}
 * @param walWait whether to wait until the backup's last WAL file is archived ({@code --wait})
 * @param waitTimeout how long to wait ({@code --wait-timeout}); zero waits without limit
 * @param retryTimes how often a failed copy is retried ({@code --retry-times}, {@code basebackup_retry_times})
 * @param retrySleep the pause before a retry ({@code --retry-sleep}, {@code basebackup_retry_sleep})
 */
public record BackupRequest(String name, Checkpoint checkpoint, WalWait walWait, Duration waitTimeout, int retryTimes,
    Duration retrySleep) {

  private static final Set<String> RESERVED = Set.of("latest", "last", "oldest", "first", "last-failed");

  /** Whether the backup waits for its WAL files. */
  public enum WalWait {
    /** Returns once the copy is done; the backup may be WAITING_FOR_WALS. */
    NO_WAIT,
    /** Waits until the last WAL file the backup needs is archived ({@code --wait}). */
    WAIT
  }

  /**
   * Checks the components.
   *
   * @param name the name, empty for none
   * @param checkpoint the checkpoint mode
   * @param walWait whether to wait
   * @param waitTimeout the wait limit, zero for none
   * @param retryTimes the retries
   * @param retrySleep the pause between retries
   * @throws IllegalArgumentException if the name is reserved or looks like a backup id (Barman's message), or a
   *     number is negative
   */
  public BackupRequest {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(checkpoint, "checkpoint is null");
    Objects.requireNonNull(walWait, "walWait is null");
    Objects.requireNonNull(waitTimeout, "waitTimeout is null");
    Objects.requireNonNull(retrySleep, "retrySleep is null");
    checkName(name);
    if (waitTimeout.isNegative() || retryTimes < 0 || retrySleep.isNegative()) {
      throw new IllegalArgumentException("wait timeout, retry times and retry sleep must not be negative");
    }
  }

  /**
   * Checks a {@code --name} value as Barman's argument parser does.
   *
   * @param name the name, empty for none
   * @throws IllegalArgumentException {@code Backup name 'X' is not allowed: reserved word} or {@code …: backup ID}
   */
  public static void checkName(String name) {
    if (name.isEmpty()) {
      return;
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException("Backup name '" + name + "' is not allowed: reserved word");
    }
    if (BackupId.looksLikeBackupId(name)) {
      throw new IllegalArgumentException("Backup name '" + name + "' is not allowed: backup ID");
    }
  }

  /**
   * {@return the request a plain {@code barman backup SERVER} makes: the server's {@code immediate_checkpoint},
   * {@code basebackup_retry_times} and {@code basebackup_retry_sleep}, no name, no wait}
   *
   * @param config the server's configuration
   */
  public static BackupRequest of(ServerConfig config) {
    return new BackupRequest("", config.immediateCheckpoint() ? Checkpoint.IMMEDIATE : Checkpoint.SPREAD,
        WalWait.NO_WAIT, Duration.ZERO, config.basebackupRetryTimes(), config.basebackupRetrySleep());
  }

  /**
   * {@return this request with a name}
   *
   * @param name the name ({@code --name})
   */
  public BackupRequest withName(String name) {
    return new BackupRequest(name, checkpoint, walWait, waitTimeout, retryTimes, retrySleep);
  }

  /**
   * {@return this request with that checkpoint mode}
   *
   * @param checkpoint the mode
   */
  public BackupRequest withCheckpoint(Checkpoint checkpoint) {
    return new BackupRequest(name, checkpoint, walWait, waitTimeout, retryTimes, retrySleep);
  }

  /**
   * {@return this request waiting for the WAL files ({@code --wait})}
   *
   * @param timeout {@code --wait-timeout}; zero waits without limit
   */
  public BackupRequest withWait(Duration timeout) {
    return new BackupRequest(name, checkpoint, WalWait.WAIT, timeout, retryTimes, retrySleep);
  }

  /**
   * {@return this request with other retry settings}
   *
   * @param times {@code --retry-times}
   * @param sleep {@code --retry-sleep}
   */
  public BackupRequest withRetries(int times, Duration sleep) {
    return new BackupRequest(name, checkpoint, walWait, waitTimeout, times, sleep);
  }
}
