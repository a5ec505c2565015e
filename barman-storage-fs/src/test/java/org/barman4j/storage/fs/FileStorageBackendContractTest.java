package org.barman4j.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.testkit.StorageBackendContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageBackendContractTest extends StorageBackendContractTest {
  // Static: JUnit fills instance fields only before each test, after the backend is created.
  @TempDir
  static Path temp;

  private Path root;

  @Override
  protected StorageBackend createBackend() {
    root = temp.resolve("store"); // missing: the first write creates it
    return new FileStorageBackend(root);
  }

  @AfterEach
  void noUploadLeftBehind() throws IOException {
    Path incoming = root.resolve(FileStorageBackend.INCOMING);
    if (Files.isDirectory(incoming)) {
      try (Stream<Path> left = Files.list(incoming)) {
        assertThat(left).as("temporary files left in .incoming").isEmpty();
      }
    }
  }

  @Override
  @Test
  @Disabled("A file system cannot hold a file and a directory of one name; "
      + "FileStorageBackendTest checks that such a write fails cleanly instead")
  public void aKeyAndKeysBelowItCoexist() {}

  @Override
  @Test
  public void unusualKeysRoundTrip() throws IOException {
    assumeUtf8FileNames();
    super.unusualKeysRoundTrip();
  }

  @Override
  @Test
  public void listOrderIsUtf8ByteOrder() throws IOException {
    assumeUtf8FileNames();
    super.listOrderIsUtf8ByteOrder();
  }

  // Non-ASCII keys need file names in UTF-8, which the JVM takes from the locale (LANG=C.UTF-8).
  private static void assumeUtf8FileNames() {
    assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
        "the JVM's file-name encoding is not UTF-8 (run with a UTF-8 locale)");
  }
}
