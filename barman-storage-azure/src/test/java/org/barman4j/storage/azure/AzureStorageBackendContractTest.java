package org.barman4j.storage.azure;

import java.util.Map;
import java.util.UUID;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUri;
import org.barman4j.storage.testkit.Azurite;
import org.barman4j.storage.testkit.StorageBackendContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The storage contract over real HTTP against Azurite. Blocks of 256 KiB, single puts up to 512 KiB and
 * three blocks in flight make every large-object test a parallel staged upload of dozens of blocks.
 */
class AzureStorageBackendContractTest extends StorageBackendContractTest {
  private Azurite azurite;

  @Override
  protected StorageBackend createBackend() throws Exception {
    azurite = Azurite.start();
    // The container does not exist yet: the first write creates it.
    String url = azurite.url("tck-" + UUID.randomUUID().toString().substring(0, 8), "some/root");
    return StorageProviders.open(StorageUri.parse(url), StorageConfig.of(Map.of(
        AzureStorageProperties.CONNECTION_STRING, azurite.connectionString(),
        AzureStorageProperties.MAX_BLOCK_SIZE, "256KB",
        AzureStorageProperties.MAX_SINGLE_PUT_SIZE, "512KB",
        AzureStorageProperties.MAX_CONCURRENCY, "3")), getClass().getClassLoader());
  }

  @Override
  protected long largeObjectSize() {
    return 5L * MIB + 17;
  }

  @Override
  @Test
  @Disabled("Azurite sorts blob names as JavaScript strings (UTF-16 code units), so U+1F600 comes before "
      + "U+E000; Azure orders them by their UTF-8 bytes. The backend returns the service's order unchanged. "
      + "Barman's keys are ASCII, where both orders agree (listIsSortedAndPrefixIsNotADirectory passes)")
  public void listOrderIsUtf8ByteOrder() {}

  @AfterAll
  void stopAzurite() throws InterruptedException {
    if (azurite != null) {
      azurite.close();
    }
  }
}
