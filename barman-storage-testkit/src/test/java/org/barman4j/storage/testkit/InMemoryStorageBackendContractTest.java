package org.barman4j.storage.testkit;

import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.memory.InMemoryStorageBackend;
import org.junit.jupiter.api.AfterEach;

class InMemoryStorageBackendContractTest extends StorageBackendContractTest {
  private InMemoryStorageBackend memory;

  @Override
  protected StorageBackend createBackend() {
    memory = new InMemoryStorageBackend();
    return memory;
  }

  // Runs before the base class's cleanup: every stream the contract tests open must have been closed.
  @AfterEach
  void noStreamLeftOpen() {
    memory.checkNoOpenStreams();
  }
}
