package org.barman4j.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.barman4j.storage.ByteRange;
import org.barman4j.storage.ListOptions;
import org.barman4j.storage.NoSuchObjectException;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageAccessDeniedException;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageException;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUnavailableException;
import org.barman4j.storage.StorageUri;
import org.barman4j.storage.Upload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Missing buckets and error mapping, over HTTP against S3Proxy. */
class S3StorageBackendTest {
  private static S3ProxyServer server;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static StorageBackend open(String url, Map<String, String> extra) throws Exception {
    Map<String, String> properties = server.properties();
    properties.putAll(extra);
    return StorageProviders.open(StorageUri.parse(url), StorageConfig.of(properties),
        S3StorageBackendTest.class.getClassLoader());
  }

  @Test
  void aMissingBucketIsEmptyAndTheFirstWriteCreatesIt() throws Exception {
    try (StorageBackend backend = open("s3://created-on-write/pg", Map.of())) {
      backend.check();
      assertThat(backend.list("", ListOptions.DEFAULT).objects()).isEmpty();
      assertThat(backend.stat("x")).isEmpty();
      assertThatThrownBy(() -> backend.read("x", ByteRange.ALL)).isInstanceOf(NoSuchObjectException.class);
      backend.delete("x");
      backend.deleteBatch(List.of("x", "y"));
      try (Upload upload = backend.openUpload("big", PutOptions.ifAbsent())) {
        upload.stream().write(new byte[20 << 20]); // multipart: CreateMultipartUpload meets the missing bucket
        upload.commit();
      }
      assertThat(backend.stat("big")).get().extracting(info -> info.size()).isEqualTo(20L << 20);
    }
  }

  @Test
  void withoutCreateBucketAMissingBucketIsAnErrorNamingIt() throws Exception {
    try (StorageBackend backend = open("s3://never-created/pg", Map.of("s3.create-bucket", "false"))) {
      for (ThrowingCall call : List.<ThrowingCall>of(backend::check, () -> backend.list("", ListOptions.DEFAULT),
          () -> backend.read("x", ByteRange.ALL), () -> backend.put("x", new byte[1], PutOptions.DEFAULT))) {
        assertThatThrownBy(call::run).isExactlyInstanceOf(S3Errors.NoSuchBucketException.class)
            .hasMessageContaining("Bucket 'never-created' does not exist").hasMessageContaining("s3://never-created/pg/");
      }
    }
  }

  @Test
  void refusedCredentialsAreAccessDeniedWithoutTheSecret() throws Exception {
    server.createBucket("denied");
    try (StorageBackend backend = open("s3://denied/pg", Map.of("s3.secret-access-key", "wrong-secret-42"))) {
      for (ThrowingCall call : List.<ThrowingCall>of(backend::check, () -> backend.list("", ListOptions.DEFAULT),
          () -> backend.put("x", new byte[1], PutOptions.DEFAULT), () -> backend.stat("x"))) {
        assertThatThrownBy(call::run).isInstanceOf(StorageAccessDeniedException.class)
            .hasMessageContaining("s3://denied/pg/").hasMessageNotContaining("wrong-secret-42")
            .hasMessageNotContaining(S3ProxyServer.SECRET_KEY);
      }
    }
  }

  @Test
  void anUnreachableEndpointIsUnavailableWithinSeconds() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    long start = System.nanoTime();
    try (StorageBackend backend = open("s3://nowhere/pg", Map.of("s3.endpoint", "http://127.0.0.1:" + port))) {
      assertThatThrownBy(backend::check).isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("http://127.0.0.1:" + port);
      assertThatThrownBy(() -> backend.list("", ListOptions.DEFAULT)).isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("s3://nowhere/pg/");
    }
    assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(15);
  }

  @Test
  void batchDeleteFailuresAreReportedPerKey() throws Exception {
    server.createBucket("batch");
    try (StorageBackend backend = open("s3://batch/pg", Map.of())) {
      backend.put("a", new byte[1], PutOptions.DEFAULT);
      backend.deleteBatch(List.of("a", "missing"));
      assertThat(backend.stat("a")).isEmpty();
      assertThat(backend.capabilities().maxDeleteBatch()).isEqualTo(1000);
    }
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  static {
    // StorageException is the base of every mapped error; NoSuchBucketException must stay one.
    assertThat(StorageException.class).isAssignableFrom(S3Errors.NoSuchBucketException.class);
  }
}
