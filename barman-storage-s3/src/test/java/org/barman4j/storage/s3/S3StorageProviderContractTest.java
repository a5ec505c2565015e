package org.barman4j.storage.s3;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.barman4j.storage.testkit.StorageProviderContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class S3StorageProviderContractTest extends StorageProviderContractTest {
  private static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start();
    server.createBucket("provider");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected String providerId() {
    return "aws-s3";
  }

  @Override
  protected List<String> claimedUris() {
    return List.of("s3://bucket/prefix", "s3://my.bucket-1/a/b/c/", "s3://bucket");
  }

  @Override
  protected List<String> foreignUris() {
    return List.of("gs://bucket/prefix", "file:///var/lib/barman", "mem://x",
        "https://account.blob.core.windows.net/container/prefix", "s3a://bucket/prefix");
  }

  @Override
  protected Optional<String> openableUri() {
    return Optional.of("s3://provider/pg");
  }

  @Override
  protected Map<String, String> openProperties() {
    return server.properties();
  }
}
