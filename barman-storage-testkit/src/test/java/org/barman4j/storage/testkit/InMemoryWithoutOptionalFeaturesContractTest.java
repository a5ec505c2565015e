package org.barman4j.storage.testkit;

import org.barman4j.storage.Capabilities;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.memory.InMemoryStorageBackend;

/** The contract holds for a store without atomic create-if-absent or metadata, deleting one key at a time. */
class InMemoryWithoutOptionalFeaturesContractTest extends StorageBackendContractTest {
  @Override
  protected StorageBackend createBackend() {
    return new InMemoryStorageBackend(new Capabilities(false, false, 1, InMemoryStorageBackend.MAX_OBJECT_SIZE));
  }
}
