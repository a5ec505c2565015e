package org.barman4j.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.barman4j.storage.StorageConfig;
import org.barman4j.storage.StorageProviders;
import org.barman4j.storage.StorageUri;
import org.junit.jupiter.api.Test;

class S3StoragePropertiesTest {
  private static S3StorageProperties parse(Map<String, String> properties) {
    return S3StorageProperties.parse(StorageConfig.of(properties));
  }

  @Test
  void defaultsFollowBarman() {
    S3StorageProperties p = parse(Map.of());
    assertThat(p.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.pathStyle()).as("virtual-hosted on AWS").isFalse();
    assertThat(p.partSize()).isEqualTo(16 << 20);
    assertThat(p.uploadConcurrency()).isEqualTo(4);
    assertThat(p.ifNoneMatch()).isTrue();
    assertThat(p.checksumsWhenRequired()).isFalse();
    assertThat(p.createBucket()).isTrue();
    assertThat(p.region()).isEmpty();
  }

  @Test
  void anEndpointTurnsOnPathStyleUnlessToldOtherwise() {
    assertThat(parse(Map.of("s3.endpoint", "http://minio:9000")).pathStyle()).isTrue();
    assertThat(parse(Map.of("s3.endpoint", "https://s3.example.com", "s3.path-style", "false")).pathStyle()).isFalse();
  }

  @Test
  void valuesAreParsed() {
    S3StorageProperties p = parse(Map.of("s3.read-timeout", "2.5", "s3.part-size", "8MiB",
        "s3.upload-concurrency", "2", "s3.checksums", "WHEN_REQUIRED", "s3.sse", "aws:kms",
        "s3.sse-kms-key-id", "alias/k", "s3.if-none-match", "false", "s3.region", "eu-west-3"));
    assertThat(p.readTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(p.partSize()).isEqualTo(8 << 20);
    assertThat(p.uploadConcurrency()).isEqualTo(2);
    assertThat(p.checksumsWhenRequired()).isTrue();
    assertThat(p.sseKmsKeyId()).contains("alias/k");
    assertThat(p.ifNoneMatch()).isFalse();
    assertThat(p.region()).isEqualTo(Optional.of("eu-west-3"));
  }

  @Test
  void badValuesNameTheProperty() {
    assertThatThrownBy(() -> parse(Map.of("s3.part-size", "1MiB"))).hasMessageContaining("s3.part-size");
    assertThatThrownBy(() -> parse(Map.of("s3.read-timeout", "soon"))).hasMessageContaining("s3.read-timeout");
    assertThatThrownBy(() -> parse(Map.of("s3.sse", "DES"))).hasMessageContaining("s3.sse");
    assertThatThrownBy(() -> parse(Map.of("s3.sse-kms-key-id", "k"))).hasMessageContaining("aws:kms");
    assertThatThrownBy(() -> parse(Map.of("s3.checksums", "never"))).hasMessageContaining("s3.checksums");
    assertThatThrownBy(() -> parse(Map.of("s3.endpoint", "minio:9000"))).hasMessageContaining("s3.endpoint");
    assertThatThrownBy(() -> parse(Map.of("s3.access-key-id", "AKIA"))).hasMessageContaining("s3.secret-access-key");
  }

  @Test
  void sizesAndBooleansFollowTheOneGrammar() {
    assertThat(parse(Map.of("s3.part-size", "5MB")).partSize()).isEqualTo(5 << 20);
    assertThat(parse(Map.of("s3.part-size", "6291456")).partSize()).isEqualTo(6 << 20);
    assertThat(parse(Map.of("s3.create-bucket", "FALSE")).createBucket()).isFalse();
    assertThatThrownBy(() -> parse(Map.of("s3.create-bucket", "yes")))
        .hasMessage("Invalid s3.create-bucket 'yes': expected true or false");
    assertThatThrownBy(() -> parse(Map.of("s3.part-size", "5 lots")))
        .hasMessage("Invalid s3.part-size '5 lots': expected a size such as 16777216, 16MB or 16MiB");
    assertThatThrownBy(() -> parse(Map.of("s3.part-size", "4MB")))
        .hasMessage("Invalid s3.part-size '4MB': expected a size from 5MB to 5GB");
  }

  @Test
  void secretsAreNeverEchoed() {
    assertThatThrownBy(() -> parse(Map.of("s3.endpoint", "http://user:hunter2@minio:9000")))
        .hasMessageNotContaining("hunter2");
    S3StorageProperties p = parse(Map.of("s3.access-key-id", "AKIAEXAMPLE", "s3.secret-access-key", "hunter2"));
    assertThat(p.toString()).doesNotContain("hunter2").doesNotContain("AKIAEXAMPLE");
  }

  @Test
  void badBucketsAndUnknownPropertiesAreRejected() {
    ClassLoader loader = getClass().getClassLoader();
    assertThatThrownBy(() -> StorageProviders.open(StorageUri.parse("s3://b/x"), StorageConfig.EMPTY, loader))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://b/x");
    assertThatThrownBy(() -> StorageProviders.open(StorageUri.parse("s3://bucket/a/../b"), StorageConfig.EMPTY, loader))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StorageProviders.open(StorageUri.parse("s3://bucket/x"),
        StorageConfig.of(Map.of("s3.endpoint-url", "http://x")), loader))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3.endpoint-url");
  }

  @Test
  void tagsAreAQueryString() {
    assertThat(S3StorageBackend.tagging(Map.of("team", "dba ops"))).isEqualTo("team=dba%20ops");
    assertThat(S3StorageBackend.tagging(Map.of("a&b", "c=d"))).isEqualTo("a%26b=c%3Dd");
  }
}
