package org.barman4j.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.barman4j.cloud.ToolRun.ToolResult;
import org.barman4j.storage.testkit.Azurite;
import org.barman4j.wal.WalFileName;
import org.barman4j.wal.WalSegmentHeader;
import org.barman4j.wal.WalSegmentSize;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's tools against Azurite with wrong credentials, a missing container and an unreachable
 * endpoint: barman-cloud's exit codes, one line on stderr, and never a key or connection string in it.
 * Barman 3.4's own tools, run the same way, give 2 for refused credentials and for an unreachable endpoint,
 * 0 for {@code -t} and for {@code wal-archive} (which creates the container) on a missing container, and 1
 * for {@code backup-list} and {@code wal-restore} there; so do ours, except that {@code wal-restore} and its
 * {@code -t} exit 2 there (a {@code restore_command} pointing nowhere is a configuration error).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzureToolErrorsIT {
  private static final String WRONG_KEY = "V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3JvbmdLZXlXcm9uZ0tleVdyb25nS2V5V3Jvbmc9PQ==";

  @TempDir Path tmp;
  private Azurite azurite;

  @BeforeAll
  void startAzurite() throws Exception {
    azurite = Azurite.start();
  }

  @AfterAll
  void stopAzurite() throws InterruptedException {
    if (azurite != null) {
      azurite.close();
    }
  }

  private static ToolResult run(String connectionString, String tool, String... args)
      throws IOException, InterruptedException {
    return ToolRun.tool(tool, "--cloud-provider", "azure-blob-storage").args(args)
        .env("AZURE_STORAGE_CONNECTION_STRING", connectionString).run();
  }

  private Path walFile() throws IOException {
    Path wal = tmp.resolve("000000010000000000000001");
    byte[] content = new byte[16 << 20];
    byte[] header = WalSegmentHeader.of(WalFileName.parse(wal.getFileName().toString()), WalSegmentSize.DEFAULT, 1)
        .toBytes();
    System.arraycopy(header, 0, content, 0, header.length);
    Files.write(wal, content);
    return wal;
  }

  private static void assertOneCleanLine(ToolResult r, String... secrets) {
    r.oneStderrLine();
    assertThat(r.stderr()).startsWith("ERROR: ").doesNotContain("\tat ", "Exception:");
    for (String secret : secrets) {
      assertThat(r.stderr()).doesNotContain(secret);
    }
    assertThat(r.stderr()).doesNotContainIgnoringCase("AccountKey=").doesNotContain("sig=");
  }

  @Test
  void wrongCredentialsAreANetworkErrorOnOneLineWithoutTheKey() throws Exception {
    String wrong = azurite.connectionString().replace(Azurite.ACCOUNT_KEY, WRONG_KEY);
    String url = azurite.url("wrongkey", "pg");
    ToolResult archive = run(wrong, "barman-cloud-wal-archive", url, "main", walFile().toString());
    assertThat(archive.exitCode()).as(archive.stderr()).isEqualTo(2);
    assertOneCleanLine(archive, WRONG_KEY, Azurite.ACCOUNT_KEY);
    assertThat(archive.stderr()).contains(url).contains("access denied");

    ToolResult test = run(wrong, "barman-cloud-backup-list", "-t", url, "main");
    assertThat(test.exitCode()).as(test.stderr()).isEqualTo(2);
    assertOneCleanLine(test, WRONG_KEY, Azurite.ACCOUNT_KEY);

    ToolResult restore = run(wrong, "barman-cloud-wal-restore", url, "main", "000000010000000000000001",
        tmp.resolve("restored").toString());
    assertThat(restore.exitCode()).as(restore.stderr()).isEqualTo(2);
    assertOneCleanLine(restore, WRONG_KEY, Azurite.ACCOUNT_KEY);
  }

  @Test
  void aMissingContainerIsCreatedByTheArchiverAndIsNotFoundForReaders() throws Exception {
    String url = azurite.url("missing-container", "pg");
    ToolResult test = run(azurite.connectionString(), "barman-cloud-wal-archive", "-t", url, "main");
    assertThat(test.exitCode()).as(test.stderr()).isZero();
    assertThat(test.stderr()).isEmpty();

    ToolResult listTest = run(azurite.connectionString(), "barman-cloud-backup-list", "-t", url, "main");
    assertThat(listTest.exitCode()).as(listTest.stderr()).isZero();

    // wal-restore: a restore_command pointing nowhere is a configuration error (exit 2), and its -t fails.
    ToolResult restore = run(azurite.connectionString(), "barman-cloud-wal-restore", url, "main",
        "000000010000000000000001", tmp.resolve("restored").toString());
    assertThat(restore.exitCode()).as(restore.stderr()).isEqualTo(2);
    assertOneCleanLine(restore, Azurite.ACCOUNT_KEY);
    assertThat(restore.stderr()).contains("Container 'missing-container' does not exist").contains(url);
    assertThat(tmp.resolve("restored")).doesNotExist();
    ToolResult restoreTest = run(azurite.connectionString(), "barman-cloud-wal-restore", "-t", url, "main",
        "000000010000000000000001", tmp.resolve("restored").toString());
    assertThat(restoreTest.exitCode()).as(restoreTest.stderr()).isEqualTo(2);
    assertOneCleanLine(restoreTest, Azurite.ACCOUNT_KEY);
    assertThat(restoreTest.stderr()).contains("Container 'missing-container' does not exist").contains(url);

    ToolResult list = run(azurite.connectionString(), "barman-cloud-backup-list", url, "main");
    assertThat(list.exitCode()).as(list.stderr()).isEqualTo(1);
    assertOneCleanLine(list, Azurite.ACCOUNT_KEY);
    assertThat(list.stderr()).startsWith("ERROR: Container 'missing-container' does not exist");

    ToolResult checkArchive = run(azurite.connectionString(), "barman-cloud-check-wal-archive", url, "main");
    assertThat(checkArchive.exitCode()).as(checkArchive.stderr()).isZero();

    ToolResult archive = run(azurite.connectionString(), "barman-cloud-wal-archive", "--tags", "env,test",
        "--max-single-put-size", "1MB", "--max-block-size", "1MB", "--max-concurrency", "4", url, "main", walFile().toString());
    assertThat(archive.exitCode()).as(archive.stderr()).isZero();
    assertThat(archive.stderr()).isEmpty();

    restore = run(azurite.connectionString(), "barman-cloud-wal-restore", url, "main", "000000010000000000000001",
        tmp.resolve("restored").toString());
    assertThat(restore.exitCode()).as(restore.stderr()).isZero();
    assertThat(Files.mismatch(tmp.resolve("restored"), walFile())).isEqualTo(-1);

    list = run(azurite.connectionString(), "barman-cloud-backup-list", url, "main");
    assertThat(list.exitCode()).as(list.stderr()).isZero();

    ToolResult missingSegment = run(azurite.connectionString(), "barman-cloud-wal-restore", url, "main",
        "000000010000000000000009", tmp.resolve("absent").toString());
    assertThat(missingSegment.exitCode()).as("a segment absent from an existing archive").isEqualTo(1);
    assertThat(missingSegment.stderr()).isEmpty();
    restoreTest = run(azurite.connectionString(), "barman-cloud-wal-restore", "-t", url, "main",
        "000000010000000000000009", tmp.resolve("absent").toString());
    assertThat(restoreTest.exitCode()).as(restoreTest.stderr()).isZero();
  }

  @Test
  void anUnreachableEndpointIsANetworkErrorOnOneLine() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String down = azurite.connectionString().replace(":" + azurite.port() + "/", ":" + closedPort + "/");
    String url = "http://127.0.0.1:" + closedPort + "/" + Azurite.ACCOUNT + "/barman/pg";
    ToolResult archive = run(down, "barman-cloud-wal-archive", url, "main", walFile().toString());
    assertThat(archive.exitCode()).as(archive.stderr()).isEqualTo(2);
    assertOneCleanLine(archive, Azurite.ACCOUNT_KEY);
    assertThat(archive.stderr()).contains("cannot reach");

    ToolResult test = run(down, "barman-cloud-backup-list", "-t", url, "main");
    assertThat(test.exitCode()).as(test.stderr()).isEqualTo(2);
    assertOneCleanLine(test, Azurite.ACCOUNT_KEY);
  }
}
