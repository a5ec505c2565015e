package org.barman4j.storage.gcs;

import java.util.List;
import org.barman4j.storage.testkit.StorageProviderContractTest;

class GcsStorageProviderContractTest extends StorageProviderContractTest {
  @Override
  protected String providerId() {
    return "google-cloud-storage";
  }

  @Override
  protected List<String> claimedUris() {
    return List.of("gs://bucket/prefix", "gs://my-bucket", "gs://my.bucket.example/a/b/",
        "https://console.cloud.google.com/storage/browser/bucket/path");
  }

  @Override
  protected List<String> foreignUris() {
    return List.of("s3://bucket/prefix", "file:///tmp/x", "mem://x",
        "https://account.blob.core.windows.net/container/prefix", "https://console.cloud.google.com/other/x",
        "gcs://bucket/x");
  }
}
