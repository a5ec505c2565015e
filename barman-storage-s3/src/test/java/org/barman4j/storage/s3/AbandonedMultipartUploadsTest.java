package org.barman4j.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.barman4j.catalog.BackupCatalog;
import org.barman4j.catalog.ServerLayout;
import org.barman4j.retention.BackupDeleter;
import org.barman4j.storage.PutOptions;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUri;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Multipart uploads that a killed process never completed, against S3Proxy: listed under the server's
 * prefix and aborted, by the backend and by the backup deleter, with their age honoured. S3Proxy cannot
 * backdate an upload, so the deleter's age is injected as zero.
 */
class AbandonedMultipartUploadsTest {
  private static final String BUCKET = "abandoned";
  private static S3ProxyServer server;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start();
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static StorageBackend open() throws Exception {
    return StorageProviders.open(StorageUri.parse("s3://" + BUCKET + "/barman"), StorageConfig.of(server.properties()),
        AbandonedMultipartUploadsTest.class.getClassLoader());
  }

  /** A multipart upload with one part, started and never completed, as a killed upload leaves it. */
  private static String abandon(S3Client client, String key) {
    String id = client.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    client.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(id).partNumber(1), RequestBody.fromBytes(new byte[1 << 20]));
    return id;
  }

  private static List<String> pending(S3Client client) {
    List<String> keys = new ArrayList<>();
    for (MultipartUpload upload : client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()) {
      keys.add(upload.key());
    }
    return keys;
  }

  @Test
  void theBackendAbortsOnlyWhatIsUnderThePrefixAndOldEnough() throws Exception {
    try (S3Client client = server.client(); StorageBackend backend = open()) {
      abandon(client, "barman/pg1/base/20261201T000000/data.tar");
      abandon(client, "barman/pg2/wals/0000000100000000/000000010000000000000001");
      assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
          .as("S3Proxy reports when each upload started").allSatisfy(u -> assertThat(u.initiated()).isNotNull());
      assertThat(backend.cleanUpAbandonedUploads("pg1/", Duration.ofDays(1))).as("younger than a day").isZero();
      assertThat(pending(client)).hasSize(2);
      assertThat(backend.cleanUpAbandonedUploads("pg1/", Duration.ZERO)).isEqualTo(1);
      assertThat(pending(client)).containsExactly("barman/pg2/wals/0000000100000000/000000010000000000000001");
      assertThat(backend.cleanUpAbandonedUploads("pg2/", Duration.ZERO)).isEqualTo(1);
      assertThat(pending(client)).isEmpty();
      assertThat(backend.cleanUpAbandonedUploads("", Duration.ZERO)).isZero();
    }
  }

  @Test
  void backupDeleteAbortsTheServersAbandonedUploads() throws Exception {
    try (S3Client client = server.client(); StorageBackend backend = open()) {
      abandon(client, "barman/main/base/20261202T000000/data.tar");
      abandon(client, "barman/other/base/20261202T000000/data.tar");
      backend.put("main/wals/0000000100000000/000000010000000000000002", new byte[16], PutOptions.DEFAULT);
      BackupCatalog catalog = new BackupCatalog(backend, new ServerLayout("main"));
      List<Integer> reported = new ArrayList<>();
      BackupDeleter.Listener listener = new BackupDeleter.Listener() {
        @Override
        public void removedAbandonedUploads(int count) {
          reported.add(count);
        }
      };
      // The default age spares what was started a moment ago; a dry run aborts nothing.
      new BackupDeleter(catalog).enforce(org.barman4j.retention.RetentionPolicy.parse("REDUNDANCY 1"),
          new BackupDeleter.Options(false, 0, 0), java.time.ZonedDateTime.now(), listener);
      new BackupDeleter(catalog, Duration.ZERO).enforce(org.barman4j.retention.RetentionPolicy.parse("REDUNDANCY 1"),
          new BackupDeleter.Options(true, 0, 0), java.time.ZonedDateTime.now(), listener);
      assertThat(pending(client)).hasSize(2);
      new BackupDeleter(catalog, Duration.ZERO).enforce(org.barman4j.retention.RetentionPolicy.parse("REDUNDANCY 1"),
          new BackupDeleter.Options(false, 0, 0), java.time.ZonedDateTime.now(), listener);
      assertThat(pending(client)).containsExactly("barman/other/base/20261202T000000/data.tar");
      assertThat(reported).containsExactly(1);
      assertThat(backend.stat("main/wals/0000000100000000/000000010000000000000002")).isPresent();
    }
  }
}
