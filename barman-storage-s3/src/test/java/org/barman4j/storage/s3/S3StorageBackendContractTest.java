package org.barman4j.storage.s3;

import java.util.Map;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUri;
import org.barman4j.storage.testkit.StorageBackendContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The contract over real HTTP against S3Proxy in this JVM, with SigV4 and the SDK's default checksums. The
 * part size is S3's smallest (5 MiB), so the large-object tests (12 MiB) take the multipart path with
 * three parts in flight at once.
 */
class S3StorageBackendContractTest extends StorageBackendContractTest {
  private static S3ProxyServer server;

  @Override
  protected StorageBackend createBackend() throws Exception {
    server = S3ProxyServer.start();
    server.createBucket("contract");
    Map<String, String> properties = server.properties();
    properties.put(S3StorageProperties.PART_SIZE, "5MiB");
    properties.put(S3StorageProperties.UPLOAD_CONCURRENCY, "3");
    return StorageProviders.open(StorageUri.parse("s3://contract/barman/pg-main"), StorageConfig.of(properties),
        getClass().getClassLoader());
  }

  @Override
  @Test
  @Disabled("S3Proxy's in-memory store is a file system (NIO.2), which cannot hold an object a/b and an object "
      + "a/b/c at once: it rejects the second write. Amazon S3 and MinIO hold both; the MinIO run checks it")
  public void aKeyAndKeysBelowItCoexist() {}

  @Override
  @Test
  @Disabled("S3Proxy lists in Java String (UTF-16) order, putting U+1F600 before U+E000; Amazon S3 lists in "
      + "UTF-8 byte order, which the backend passes through unchanged; the MinIO run checks it")
  public void listOrderIsUtf8ByteOrder() {}

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
