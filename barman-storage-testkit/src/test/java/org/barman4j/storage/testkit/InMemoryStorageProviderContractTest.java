package org.barman4j.storage.testkit;

import java.util.List;
import java.util.Optional;

class InMemoryStorageProviderContractTest extends StorageProviderContractTest {
  @Override
  protected String providerId() {
    return "memory";
  }

  @Override
  protected List<String> claimedUris() {
    return List.of("mem://test", "mem://test/some/prefix", "mem://test/");
  }

  @Override
  protected List<String> foreignUris() {
    return List.of("file:///tmp/x", "s3://bucket/prefix", "gs://bucket/prefix", "memory://x", "mem0://x");
  }

  @Override
  protected Optional<String> openableUri() {
    return Optional.of("mem://contract");
  }
}
