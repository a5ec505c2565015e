package org.barman4j.storage.s3;

import java.util.Map;
import org.barman4j.storage.StorageBackend;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUri;
import org.barman4j.storage.testkit.StorageBackendContractTest;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The same contract against MinIO in a container, unchanged: MinIO keeps a/b and a/b/c side by side, lists in
 * UTF-8 byte order and honours {@code If-None-Match: *}. Reported as skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioStorageBackendContractIT extends StorageBackendContractTest {
  @Container
  static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2025-04-22T22-12-26Z");

  @Override
  protected StorageBackend createBackend() throws Exception {
    Map<String, String> properties = Map.of(
        S3StorageProperties.ENDPOINT, MINIO.getS3URL(),
        S3StorageProperties.ACCESS_KEY_ID, MINIO.getUserName(),
        S3StorageProperties.SECRET_ACCESS_KEY, MINIO.getPassword(),
        S3StorageProperties.PART_SIZE, "5MiB",
        S3StorageProperties.UPLOAD_CONCURRENCY, "3");
    // No bucket yet: the first write creates it (s3.create-bucket), as Barman's wal-archive does.
    return StorageProviders.open(StorageUri.parse("s3://contract/barman/pg-main"), StorageConfig.of(properties),
        getClass().getClassLoader());
  }
}
