package org.barman4j.storage.gcs;

import java.util.Map;
import org.barman4j.gcs.testserver.FakeGcsServer;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageUri;
import org.barman4j.storage.testkit.StorageBackendContractTest;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract over real HTTP, through the real google-cloud-storage client, against the JSON API fake
 * (barman-gcs-testserver). A 1 MiB chunk size sends the large objects as resumable sessions of many chunks.
 */
class GcsStorageBackendContractTest extends StorageBackendContractTest {
  private FakeGcsServer gcs;

  @Override
  protected StorageBackend createBackend() throws Exception {
    gcs = FakeGcsServer.start().createBucket("contract-bucket");
    return new GcsStorageProvider(Map.of()).open(StorageUri.parse("gs://contract-bucket/some/prefix"),
        StorageConfig.of(Map.of(
            GcsStorageProperties.ENDPOINT, gcs.endpoint(),
            GcsStorageProperties.CREDENTIALS, "none",
            GcsStorageProperties.UPLOAD_CHUNK_SIZE, Integer.toString(1 << 20))));
  }

  @AfterAll
  void stopServer() {
    if (gcs != null) {
      gcs.close();
    }
  }
}
