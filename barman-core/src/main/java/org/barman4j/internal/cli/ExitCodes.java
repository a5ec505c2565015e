package org.barman4j.internal.cli;

import static java.util.Objects.requireNonNull;

import java.io.UncheckedIOException;
import org.barman4j.BarmanConfigurationException;
import org.barman4j.BarmanException;
import org.barman4j.StorageFailureException;
import org.barman4j.backup.BackupFailedException;
import org.barman4j.catalog.BackupNotFoundException;
import org.barman4j.catalog.CatalogOperationRefusedException;
import org.barman4j.catalog.CorruptBackupInfoException;
import org.barman4j.internal.Causes;
import org.barman4j.postgres.PostgresException;
import org.barman4j.recovery.RecoveryException;
import org.barman4j.storage.StorageAccessDeniedException;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.wal.WalArchiveConflictException;
import org.barman4j.wal.WalArchiveContentException;
import org.barman4j.wal.WalCorruptException;
import org.barman4j.wal.WalNotFoundException;

/**
 * How a command of Barman4J's own command-line frontends reports the failure it ends with: Barman 3.4's exit
 * code and one line for stderr. Not part of the API.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** When a failure's line is printed. */
  public enum Level {
    /** Always. */
    ERROR,
    /**
     * Only when the user asked for information ({@code -v}): the failure is an expected answer, such as a WAL
     * file that is not archived, which PostgreSQL's recovery asks about as a matter of course.
     */
    INFO
  }

  /**
   * A failure as the frontend reports it.
   *
   * @param exitCode the process's exit code
   * @param level when {@code line} is printed
   * @param line the one line for stderr, without its line terminator
   */
  public record Failure(ExitCode exitCode, Level level, String line) {
    /** Checks that no component is null. */
    public Failure {
      requireNonNull(exitCode, "exitCode is null");
      requireNonNull(level, "level is null");
      requireNonNull(line, "line is null");
    }
  }

  /**
   * The exit code and line for {@code failure}, thrown by the command {@code prog}: a usage error is
   * {@code PROG: error: MESSAGE} (3), as argparse prints it; everything else {@code ERROR: MESSAGE} with the
   * code barman-cloud gives the same failure, and a missing WAL file {@code INFO: MESSAGE} (1).
   */
  public static Failure failure(String prog, Throwable failure) {
    String message = oneLine(failure.getMessage());
    if (failure instanceof UsageException) {
      return new Failure(ExitCode.CLI_ERROR, Level.ERROR, prog + ": error: " + message);
    }
    if (failure instanceof BarmanConfigurationException || failure instanceof IllegalArgumentException) {
      return error(ExitCode.CLI_ERROR, message);
    }
    if (failure instanceof WalNotFoundException) {
      return new Failure(ExitCode.OPERATION_FAILED, Level.INFO, "INFO: " + message);
    }
    if (failure instanceof RecoveryException
        || failure instanceof WalArchiveConflictException
        || failure instanceof WalCorruptException
        || failure instanceof BackupFailedException
        || failure instanceof PostgresException) {
      return error(ExitCode.OPERATION_FAILED, message);
    }
    if (failure instanceof BackupNotFoundException notFound) {
      // As Barman: a missing backup ID fails the operation (1); an unknown name or shortcut is an exception out
      // of barman-cloud's parser (4).
      return error(notFound.isIdentifier() ? ExitCode.OPERATION_FAILED : ExitCode.GENERAL_ERROR, message);
    }
    if (failure instanceof CatalogOperationRefusedException || failure instanceof WalArchiveContentException) {
      return error(ExitCode.OPERATION_FAILED, message);
    }
    if (failure instanceof CorruptBackupInfoException) {
      return error(ExitCode.GENERAL_ERROR, message);
    }
    if (failure instanceof StorageFailureException storage) {
      return error(storageFailureCode(storage.getCause()), message);
    }
    if (failure instanceof UncheckedIOException || failure instanceof BarmanException) {
      return error(ExitCode.GENERAL_ERROR, message);
    }
    // Anything unforeseen, a LinkageError included (a codec's native library that cannot load from a noexec
    // temporary directory, say): its kind says more than its message alone.
    return error(ExitCode.GENERAL_ERROR, oneLine(failure.getClass().getSimpleName() + ": " + Causes.describe(failure)));
  }

  /**
   * barman-cloud's exit code for a storage failure: 2 when the store cannot be reached; 4 when it refuses the
   * credentials (Barman 3.4 lets that ClientError reach its catch-all); 1 otherwise (a missing bucket included,
   * as Barman's "Bucket … does not exist").
   */
  public static ExitCode storageFailureCode(StorageException e) {
    if (e instanceof StorageUnavailableException) {
      return ExitCode.NETWORK_ERROR;
    }
    if (e instanceof StorageAccessDeniedException) {
      return ExitCode.GENERAL_ERROR;
    }
    return ExitCode.OPERATION_FAILED;
  }

  /** {@code message} on one line (line breaks and the blanks around them become one space); "" for null. */
  public static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static Failure error(ExitCode exitCode, String message) {
    return new Failure(exitCode, Level.ERROR, "ERROR: " + message);
  }
}
