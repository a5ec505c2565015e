package org.barman4j.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import org.barman4j.BarmanConfigurationException;
import org.barman4j.BarmanException;
import org.barman4j.StorageFailureException;
import org.barman4j.catalog.BackupNotFoundException;
import org.barman4j.catalog.CatalogOperationRefusedException;
import org.barman4j.internal.cli.ExitCodes.Failure;
import org.barman4j.internal.cli.ExitCodes.Level;
import org.barman4j.postgres.PostgresException;
import org.barman4j.recovery.RecoveryException;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.StorageAccessDeniedException;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.wal.WalArchiveConflictException;
import org.barman4j.wal.WalArchiveContentException;
import org.barman4j.wal.WalCorruptException;
import org.barman4j.wal.WalNotFoundException;
import org.junit.jupiter.api.Test;

class ExitCodesTest {
  private static Failure failure(Throwable e) {
    return ExitCodes.failure("barman-cloud-x", e);
  }

  @Test
  void aUsageErrorIsArgparsesLineAndCode3() {
    assertThat(failure(new UsageException("the following arguments are required: WAL_PATH")))
        .isEqualTo(new Failure(ExitCode.CLI_ERROR, Level.ERROR,
            "barman-cloud-x: error: the following arguments are required: WAL_PATH"));
  }

  @Test
  void badConfigurationAndIllegalArgumentsAreCode3() {
    assertThat(failure(new BarmanConfigurationException("bad URL"))).isEqualTo(
        new Failure(ExitCode.CLI_ERROR, Level.ERROR, "ERROR: bad URL"));
    assertThat(failure(new IllegalArgumentException("invalid WAL name"))).isEqualTo(
        new Failure(ExitCode.CLI_ERROR, Level.ERROR, "ERROR: invalid WAL name"));
  }

  @Test
  void aMissingWalIsCode1AndOnlyInformation() {
    assertThat(failure(new WalNotFoundException("WAL file 000000010000000000000001 not found"))).isEqualTo(
        new Failure(ExitCode.OPERATION_FAILED, Level.INFO, "INFO: WAL file 000000010000000000000001 not found"));
  }

  @Test
  void failedOperationsAreCode1() {
    for (BarmanException e : new BarmanException[] {new RecoveryException("r"), new WalArchiveConflictException("c"),
        new WalCorruptException("w"), new PostgresException("p"), new CatalogOperationRefusedException("k"),
        new WalArchiveContentException("a")}) {
      assertThat(failure(e)).isEqualTo(new Failure(ExitCode.OPERATION_FAILED, Level.ERROR, "ERROR: " + e.getMessage()));
    }
  }

  @Test
  void aMissingBackupIdIsCode1AndAnUnknownNameOrShortcutCode4AsBarman() {
    assertThat(failure(BackupNotFoundException.forIdentifier("no backup 20240101T000000", "20240101T000000"))
        .exitCode()).isEqualTo(ExitCode.OPERATION_FAILED);
    assertThat(failure(BackupNotFoundException.forName("no backup named x", "x")).exitCode())
        .isEqualTo(ExitCode.GENERAL_ERROR);
  }

  @Test
  void storageFailuresAreCode2WhenUnreachable4WhenRefusedAnd1Otherwise() {
    assertThat(failure(new StorageFailureException(new StorageUnavailableException("connect timed out"))))
        .isEqualTo(new Failure(ExitCode.NETWORK_ERROR, Level.ERROR, "ERROR: connect timed out"));
    assertThat(failure(new StorageFailureException(new StorageAccessDeniedException("403"))).exitCode())
        .isEqualTo(ExitCode.GENERAL_ERROR);
    assertThat(failure(new StorageFailureException(new NoSuchObjectException("s3://b/k"))).exitCode())
        .isEqualTo(ExitCode.OPERATION_FAILED);
    assertThat(ExitCodes.storageFailureCode(new StorageException("other"))).isEqualTo(ExitCode.OPERATION_FAILED);
  }

  @Test
  void otherFailuresAreCode4AndUnforeseenOnesNameTheirKind() {
    assertThat(failure(new UncheckedIOException(new IOException("disk full")))).isEqualTo(
        new Failure(ExitCode.GENERAL_ERROR, Level.ERROR, "ERROR: java.io.IOException: disk full"));
    assertThat(failure(new BarmanException("odd"))).isEqualTo(
        new Failure(ExitCode.GENERAL_ERROR, Level.ERROR, "ERROR: odd"));
    assertThat(failure(new AccessDeniedException("/var/lib/x"))).isEqualTo(
        new Failure(ExitCode.GENERAL_ERROR, Level.ERROR, "ERROR: AccessDeniedException: Permission denied (/var/lib/x)"));
    assertThat(failure(new UnsatisfiedLinkError("no zstd in java.library.path"))).isEqualTo(
        new Failure(ExitCode.GENERAL_ERROR, Level.ERROR,
            "ERROR: UnsatisfiedLinkError: no zstd in java.library.path"));
  }

  @Test
  void messagesAreOneLine() {
    assertThat(failure(new RecoveryException("first line\n  second line\r\n")).line())
        .isEqualTo("ERROR: first line second line");
    assertThat(ExitCodes.oneLine(null)).isEmpty();
  }
}
