package org.barman4j.storage.fs;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.barman4j.storage.testkit.StorageProviderContractTest;
import org.junit.jupiter.api.io.TempDir;

class FileStorageProviderContractTest extends StorageProviderContractTest {
  @TempDir
  Path temp;

  @Override
  protected String providerId() {
    return "file";
  }

  @Override
  protected List<String> claimedUris() {
    return List.of("file:///var/lib/barman/pg-main", "file://localhost/var/lib/barman", "file:///");
  }

  @Override
  protected List<String> foreignUris() {
    return List.of("s3://bucket/prefix", "gs://bucket/prefix", "mem://x",
        "https://account.blob.core.windows.net/container/prefix", "files:///tmp/x");
  }

  @Override
  protected Optional<String> openableUri() {
    return Optional.of("file://" + temp.toAbsolutePath().resolve("store"));
  }
}
