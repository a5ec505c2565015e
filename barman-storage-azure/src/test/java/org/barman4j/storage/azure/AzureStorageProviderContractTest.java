package org.barman4j.storage.azure;

import java.util.List;
import org.barman4j.storage.testkit.StorageProviderContractTest;

class AzureStorageProviderContractTest extends StorageProviderContractTest {
  @Override
  protected String providerId() {
    return "azure-blob-storage";
  }

  @Override
  protected List<String> claimedUris() {
    return List.of("https://myaccount.blob.core.windows.net/container/pg/main",
        "https://myaccount.blob.core.windows.net/container",
        "https://MyAccount.Blob.Core.Windows.Net/container/x",
        "http://127.0.0.1:10000/devstoreaccount1/container/pg",
        "http://azurite:10000/devstoreaccount1/barman",
        "http://[::1]:10000/devstoreaccount1/barman/x/y");
  }

  @Override
  protected List<String> foreignUris() {
    return List.of("s3://bucket/prefix", "gs://bucket/prefix", "file:///var/lib/barman", "mem://x",
        // http(s) URLs that are not Azure's: no port, or segments that are no account and container names
        "https://example.com/devstoreaccount1/container", "http://minio.local/bucket/path",
        "http://127.0.0.1:9000/Bucket_Name/path", "http://127.0.0.1:9000/bucket", "http://127.0.0.1:9000/",
        "https://storage.googleapis.com/bucket/x", "https://bucket.s3.amazonaws.com/prefix");
  }
}
